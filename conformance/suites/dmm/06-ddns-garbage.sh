# clause: RFC 1035 4.1.1 (FORMERR); RFC 2136 3.1
# level: MUST
# title: garbage sent to the DNS server as an UPDATE (a header with opcode
#   UPDATE, then bytes that are no zone section) changes nothing; the
#   server answers FORMERR or not at all, and still serves the name
#
#   CN2 (prober)                          NS (target)
#     | -- 12-octet header, opcode 5, junk -> |
#     | <-- FORMERR, or nothing ------------ |
#
# judge: no answer other than FORMERR; the AAAA rrset still IP1 and IP2
dmm_need ddns
# ID 0x4d4b, opcode UPDATE (0x28), ZOCOUNT 1, UPCOUNT 1, then junk
# shellcheck disable=SC2086
printf '\115\113\050\000\000\001\000\000\000\001\000\000\377\377\377\001\002\003garbage' |
	$CN2_RUN socat -t 2 - "UDP6:[$NS]:53" >"$CASE_DIR/answer.bin" 2>>"$CASE_DIR/log"
n=$(wc -c <"$CASE_DIR/answer.bin" | tr -d ' ')
rcode=-
[ "$n" -ge 4 ] && rcode=$(od -An -tu1 -j3 -N1 "$CASE_DIR/answer.bin" | awk '{ print $1 % 16 }')
log "answer: $n octets, rcode $rcode"
[ "$n" = 0 ] || [ "$rcode" = 1 ] || fail "the garbage was answered with rcode $rcode ($n octets), not FORMERR (1)"
got=$(dmm_aaaa)
[ "$got" = "$(dmm_sorted "$IP1" "$IP2")" ] || fail "after the garbage the AAAA rrset is '$got'"
pass "$([ "$n" = 0 ] && echo "no answer" || echo FORMERR); the AAAA rrset unchanged ($got)"
