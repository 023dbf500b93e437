# clause: draft-snoeren-tcp-migrate-00, Migrate-Permitted (secure); protocol-facts 5 (handshake 1, keys)
# level: MUST
# title: the secure handshake between two shims (sect193r1): MH's SYN and
#   FH's SYN/ACK carry Migrate-Permitted with the same Len and Curve ID 1,
#   17 octets of key in the option and the other 8 in the Timestamp option
#   of the same segment, so the SYN/ACK's TSecr is FH's key, not an echo
#   of the SYN's TSval; both ends derive the same secret: their tokens
#   (SHA-1 of the ISNs and K) are equal
#
#   MH (kernel + shim)                       FH (kernel + shim)
#     | -- SYN ..., TS(key), MigPerm(1, key) --> |
#     | <-- SYN/ACK ..., TS(key), MigPerm(1, key) |   TSecr != SYN's TSval
#     | -- ACK ------------------------------> |
#     mobctl migrate at both ends: the same token, curve 1, negotiated
#
# judge: the SYN and SYN/ACK in FH's capture as above; the token equal
mig_need
ip netns exec "$FH_NS" tcpdump -i eth0 -w "$CASE_DIR/fh.pcap" -n -U --immediate-mode 'tcp port 8080' \
	>"$CASE_DIR/tcpdump.log" 2>&1 &
td=$!
i=0
until grep -q 'listening on' "$CASE_DIR/tcpdump.log" 2>/dev/null || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
ip netns exec "$MH_NS" "$(dirname "$MOBCAP")/mkbench" hold connect "$FH" 8080 1 4 >"$CASE_DIR/hold.log" 2>&1 &
hc=$!
sleep 1
sport=$(mig_tcp "$CASE_DIR/fh.pcap" 2>/dev/null | jq -r 'select(.flags == ["SYN"] and .dport == 8080) | .sport' | tail -n 1)
fh=$($FH_CTL migrate | jq -c --argjson p "${sport:-0}" '[.[] | select(.pport == $p)][0]')
mh=$($MH_CTL migrate | jq -c --argjson p "${sport:-0}" '[.[] | select(.lport == $p)][0]')
kill "$hc" 2>/dev/null
wait "$hc" 2>/dev/null
sleep 0.2
kill "$td" 2>/dev/null
wait "$td" 2>/dev/null
log "FH: $fh"
log "MH: $mh"
[ -n "$sport" ] || initfail "no SYN from MH in FH's capture"
mig_tcp "$CASE_DIR/fh.pcap" | jq -c --argjson p "$sport" 'select(.sport == $p or .dport == $p)' >"$CASE_DIR/segs.jsonl"
syn=$(jq -c 'select(.flags == ["SYN"])' "$CASE_DIR/segs.jsonl" | head -n 1)
sa=$(jq -c 'select((.flags | index("SYN")) and (.flags | index("ACK")))' "$CASE_DIR/segs.jsonl" | head -n 1)
log "SYN: $syn"
log "SYN/ACK: $sa"
chk() { # WHAT JQ-on-{syn,sa}
	printf '{"syn":%s,"sa":%s}' "${syn:-null}" "${sa:-null}" | jq -e "$2" >/dev/null 2>&1 || fail "$1"
}
chk "the SYN offers Migrate-Permitted curve 1 with 17 octets of key" \
	'.syn.opts | any(.name == "MigPerm" and .["migperm.curve"] == 1 and (.["migperm.keydata"] | length) == 34)'
chk "the SYN carries the Timestamp option (8 octets of its key)" '.syn.opts | any(.name == "TS")'
chk "the SYN/ACK echoes Migrate-Permitted with the SYN's Len and Curve ID 1 and its own 17 octets of key" \
	'([.syn.opts[] | select(.name == "MigPerm")][0]) as $a | ([.sa.opts[] | select(.name == "MigPerm")][0]) as $b
	 | $b != null and $b.len == $a.len and $b["migperm.curve"] == 1 and ($b["migperm.keydata"] | length) == 34 and $b["migperm.keydata"] != $a["migperm.keydata"]'
chk "the SYN/ACK's Timestamp option holds FH's key: its TSecr is not the SYN's TSval" \
	'([.syn.opts[] | select(has("ts.val"))][0]) as $a | ([.sa.opts[] | select(has("ts.val"))][0]) as $b | $a != null and $b != null and $b["ts.ecr"] != $a["ts.val"]'
printf '{"fh":%s,"mh":%s}' "${fh:-null}" "${mh:-null}" |
	jq -e '.fh.negotiated and .mh.negotiated and .fh.curve == 1 and .mh.curve == 1 and .fh.token == .mh.token' >/dev/null ||
	fail "both ends negotiated curve 1 with the same token: FH $fh, MH $mh"
pass "secure handshake: key in Migrate-Permitted and TSval/TSecr both ways, token $(printf '%s' "$fh" | jq -r .token) at both ends"
