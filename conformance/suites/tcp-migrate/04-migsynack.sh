# clause: draft-snoeren-tcp-migrate-00, migration; protocol-facts 5 (handshake 3, 4)
# level: MUST
# title: the fixed host re-binds the connection named by the token and
#   answers the migrate SYN with a SYN/ACK to the new address whose seq is
#   its last acknowledged byte and whose ack is the ack of the last data
#   on the old connection (the SYN's own seq is ignored); the connection
#   then goes on: every byte of the stream arrives, in order
#
#   MH (shim) at l1 -> l2                     FH (kernel + shim)
#     | == data MH -> FH ====================> |
#     | -- SYN from MH@l2, Migrate ----------> |
#     | <-- SYN/ACK seq = FH's snd_una, ------ |   ack = FH's rcv_nxt
#     | == the rest of the stream from l2 ===> |   SHA-256 equal at both ends
#
# judge: in FH's capture the SYN/ACK to the new address: seq = the last ack
#   MH's old address sent, ack = the highest ack FH sent the old address;
#   the stream's SHA-256 equal at both ends
mig_need
mig_moved 7011
sa=$(jq -c --arg n "$MIG_TO" 'select(.dst == $n and (.flags | index("SYN")) and (.flags | index("ACK")))' "$CASE_DIR/segs.jsonl" | head -n 1)
log "migrate SYN/ACK: $sa"
[ -n "$sa" ] || fail "no SYN/ACK from FH to MH's new address $MIG_TO"
# before the SYN/ACK: what MH's old address acknowledged, what FH acknowledged
mhack=$(jq -r --arg o "$MIG_FROM" 'select(.src == $o and (.flags | index("ACK"))) | .ack' "$CASE_DIR/segs.jsonl" | tail -n 1)
fhack=$(jq -r --arg o "$MIG_FROM" 'select(.dst == $o and (.flags | index("ACK"))) | .ack' "$CASE_DIR/segs.jsonl" | sort -n | tail -n 1)
seq=$(printf '%s' "$sa" | jq -r .seq)
ack=$(printf '%s' "$sa" | jq -r .ack)
[ "$seq" = "$mhack" ] || fail "the SYN/ACK's seq $seq is not FH's last acknowledged byte $mhack (MH's last ack from the old address)"
[ "$ack" = "$fhack" ] || fail "the SYN/ACK's ack $ack is not the ack of the old connection's last data $fhack"
[ -n "$MIG_SENT" ] && [ "$MIG_SENT" = "$MIG_GOT" ] ||
	fail "the stream did not survive the migration: sent '$MIG_SENT', received '$MIG_GOT'"
pass "SYN/ACK seq $seq ack $ack as the draft; the stream identical at both ends ($MIG_GOT)"
