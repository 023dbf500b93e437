# clause: issue 15; server-mobility paper 3.1; RFC 6275 11.5.4
# level: MUST
# title: back at home the mobile server deletes its CAAAA (it has no
#   care-of address), with an UPDATE that touches nothing else; the AAAA
#   stays
#
#   MN (mobd + dns-updater)                         NS (target)
#     | moves f1 -> home                                 |
#     | -- UPDATE example.: del CAAAA mn (ANY) [TSIG] -> |
#     | <-- NOERROR ------------------------------------ |
#   C2 -- CAAAA? AAAA? mn.example. -------------------> |   none; unchanged
#
# judge: mobctl updater: delete, NOERROR; at NS (capture) the last UPDATE
#   has one update, the CAAAA rrset of NAME deleted (class ANY); dig at
#   NS: no CAAAA, the AAAA unchanged
[ -n "${MN_DO:-}" ] || skip "the profile cannot move the mobile server (MN_DO)"
aaaa0=$(ns_rr AAAA)
need_caaaa
capture_start ns $NS_RUN || initfail "no capture on NS"
trap '$MN_DO move f1 >>"$CASE_DIR/log" 2>&1' EXIT
$MN_DO move home >>"$CASE_DIR/log" 2>&1 || initfail "the move home did not end (see log)"
capture_stop ns
u=$($MN_CTL updater)
echo "$u" >>"$CASE_DIR/log"
left=$(ns_rr TYPE$CAAAA_TYPE)
updates "$CASE_DIR/ns.pcap" >"$CASE_DIR/updates"
cat "$CASE_DIR/updates" >>"$CASE_DIR/log"
last=$(tail -n 1 "$CASE_DIR/updates")
echo "$u" | jq -e '.last.op == "delete" and .last.rcode == "NOERROR"' >/dev/null ||
	fail "mobctl updater: $(echo "$u" | jq -c .last)"
echo "$last" | awk -F'|' -v n="$NAME" -v t="$CAAAA_TYPE" \
	'{ split($4, nm, ","); split($5, ty, ","); split($6, cl, ",")
	   exit !($2 == 0 && $3 == 1 && nm[1] "." == n && ty[1] == t && cl[1] == "0x00ff") }' ||
	fail "the UPDATE at NS is not one delete of the CAAAA rrset: $last"
[ -z "$left" ] || fail "a CAAAA left at NS: $left"
[ "$(ns_rr AAAA)" = "$aaaa0" ] || fail "the AAAA changed: '$aaaa0' -> '$(ns_rr AAAA)'"
pass "at home: the CAAAA rrset deleted (NOERROR), nothing else; the AAAA unchanged"
