# clause: RFC 3007 3; RFC 8945 5.1; issue 15
# level: MUST
# title: the mobile server's UPDATEs are signed (TSIG with the zone's key),
#   and it checks the signature of the answer
#
#   MN (mobd + dns-updater)                         NS (target)
#     | moves f1 -> f2 -> f1                             |
#     | -- UPDATE ... [TSIG mobbed-key, MAC] ----------> |
#     | <-- NOERROR [TSIG, MAC] ------------------------ |
#
# judge: at NS (capture) every UPDATE carries a TSIG MAC and every answer
#   is NOERROR with one; mobctl updater: signature tsig, the last answer's
#   TSIG verified
[ -n "${MN_DO:-}" ] || skip "the profile cannot move the mobile server (MN_DO)"
capture_start ns $NS_RUN || initfail "no capture on NS"
trap '$MN_DO move f1 >>"$CASE_DIR/log" 2>&1' EXIT
$MN_DO move f2 >>"$CASE_DIR/log" 2>&1 || initfail "the move to f2 did not end (see log)"
$MN_DO move f1 >>"$CASE_DIR/log" 2>&1 || initfail "the move back to f1 did not end (see log)"
trap - EXIT
capture_stop ns
p=$CASE_DIR/ns.pcap
q=$(pcount "$p" "dns.flags.opcode == 5 && dns.flags.response == 0")
qs=$(pcount "$p" "dns.flags.opcode == 5 && dns.flags.response == 0 && dns.tsig.mac_size > 0")
a=$(pcount "$p" "dns.flags.opcode == 5 && dns.flags.response == 1")
as=$(pcount "$p" "dns.flags.opcode == 5 && dns.flags.response == 1 && dns.flags.rcode == 0 && dns.tsig.mac_size > 0")
log "UPDATEs $q, signed $qs; answers $a, NOERROR signed $as"
[ "$q" -ge 2 ] || fail "$q UPDATEs at NS for 2 moves"
[ "$qs" = "$q" ] || fail "$((q - qs)) of $q UPDATEs without a TSIG"
rcodes=$(tshark -r "$p" -Y "dns.flags.opcode == 5 && dns.flags.response == 1" -T fields -e dns.flags.rcode 2>>"$CASE_DIR/log" | sort | uniq -c | awk "{ printf \"%s%s x%s\", s, \$2, \$1; s = \", \" }")
[ "$a" -ge 2 ] && [ "$as" = "$a" ] || fail "$a answers, $as of them NOERROR with a TSIG (rcodes: $rcodes)"
u=$($MN_CTL updater)
echo "$u" >>"$CASE_DIR/log"
echo "$u" | jq -e '.signature == "tsig" and .last.tsig == "verified"' >/dev/null ||
	fail "mobctl updater: signature $(echo "$u" | jq -r .signature), the answer's TSIG $(echo "$u" | jq -r .last.tsig)"
pass "$q UPDATEs, each with a TSIG MAC; $a answers NOERROR, signed; the answer's TSIG verified by mobd"
