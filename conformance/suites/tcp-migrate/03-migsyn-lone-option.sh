# clause: draft-snoeren-tcp-migrate-00, migration; protocol-facts 5 (handshake 2)
# level: MUST
# title: when the mobile host's address changes under an established,
#   negotiated connection, its shim sends a migrate SYN from the new
#   address: Migrate (Token of the connection, ReqNo + 1) and no other
#   option, its sequence number the most recently acknowledged byte (an
#   acknowledgement the fixed host sent on the old 4-tuple)
#
#   MH (shim) at l1 -> l2                     FH (kernel + shim)
#     | == data on [MH@l1]:p <-> [FH]:7010 ==> |
#     |          (MH moves: its l1 address goes, an l2 one comes)
#     | -- SYN from MH@l2, Migrate only -----> |   seq = an ack FH sent
#     | <-- SYN/ACK -------------------------- |
#
# judge: in FH's capture the first SYN from MH's new address carries one
#   option, Migrate, with the token FH's shim holds for the connection;
#   its seq is an ack FH sent MH's old address before it (or that ack - 1:
#   "the most recently acknowledged byte" read as the byte itself)
mig_need
mig_moved 7010
syn=$(jq -c --arg n "$MIG_TO" 'select(.src == $n and .flags == ["SYN"])' "$CASE_DIR/segs.jsonl" | head -n 1)
log "migrate SYN: $syn"
[ -n "$syn" ] || fail "no SYN from MH's new address $MIG_TO to FH:7010 (the capture has $(wc -l <"$CASE_DIR/segs.jsonl") segments of the stream)"
printf '%s' "$syn" | jq -e '[.opts[] | select(.name != "NOP" and .name != "EOL")] | length == 1 and .[0].name == "Migrate"' >/dev/null ||
	fail "the migrate SYN carries other options: $(printf '%s' "$syn" | jq -c '[.opts[].name]')"
tok=$(printf '%s' "$syn" | jq -r '.opts[] | select(.name == "Migrate") | .["migrate.token"]')
fhtok=$($FH_CTL migrate | jq -r --arg n "$MIG_TO" '[.[] | select(.lport == 7010)][-1].token')
[ "$tok" = "$fhtok" ] || fail "the migrate SYN's token $tok is not the connection's ($fhtok)"
seq=$(printf '%s' "$syn" | jq -r .seq)
acks=$(jq -r --arg o "$MIG_FROM" 'select(.dst == $o and (.flags | index("ACK"))) | .ack' "$CASE_DIR/segs.jsonl" | sort -un)
# "the most recently acknowledged byte": an ack FH sent (snd_una), or the
# byte before it; either reading is taken
printf '%s\n' "$acks" | awk -v s="$seq" '$1 == s || ($1 + 4294967295) % 4294967296 == s { f = 1 } END { exit !f }' ||
	fail "the migrate SYN's seq $seq is no acknowledgement FH sent the old address, nor the byte before one (last acks: $(printf '%s\n' "$acks" | tail -n 3 | tr '\n' ' '))"
pass "migrate SYN from $MIG_TO: Migrate alone, token $tok, seq $seq = an ack FH sent"
