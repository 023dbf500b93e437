# clause: RFC 8945 5.2.2, 5.3; issue 15
# level: MUST
# title: a mobile server that signs with a wrong secret is refused (TSIG
#   error BADSIG), the CAAAA keeps the last good care-of address, and the
#   server says BADSIG (mobctl updater)
#
#   MN (mobd, key with a wrong secret)              NS (target)
#     | moves f1 -> f2                                   |
#     | -- UPDATE add CAAAA COA2 [TSIG, bad MAC] ------> |
#     | <-- NOTAUTH, TSIG error BADSIG ----------------- |
#   C2 -- CAAAA? mn.example. ------------------------> |   still COA1
#
# judge: mobctl updater: the update for COA2 ended BADSIG; the CAAAA at
#   NS is COA1; afterwards mobd with the right key again, back on f1
[ -n "${MN_DO:-}" ] || skip "the profile cannot restart the mobile server (MN_DO)"
[ -n "${BAD_TSIG_KEY:-}" ] || skip "the profile has no wrong key (BAD_TSIG_KEY)"
coa1=$($MN_CTL bul | jq -r '.[0].coa')
need_caaaa
[ "$(ns_rr TYPE$CAAAA_TYPE)" = "0 $(hex128 "$coa1")" ] || initfail "the CAAAA at NS is not $coa1 before"
trap '$MN_DO restart rr >>"$CASE_DIR/log" 2>&1; $MN_DO move f1 >>"$CASE_DIR/log" 2>&1' EXIT
$MN_DO restart rr "$BAD_TSIG_KEY" >>"$CASE_DIR/log" 2>&1 || initfail "mobd with the wrong key did not come up"
$MN_DO move f2 >>"$CASE_DIR/log" 2>&1 || initfail "the move to f2 did not end (see log)"
coa2=$($MN_CTL bul | jq -r '.[0].coa')
u=$($MN_CTL updater)
echo "$u" >>"$CASE_DIR/log"
$MN_CTL updater | sed 's/^/text: /' >>"$CASE_DIR/log" 2>&1
got=$(ns_rr TYPE$CAAAA_TYPE)
[ "$got" = "0 $(hex128 "$coa1")" ] || fail "the CAAAA at NS is '$got' after a badly signed update (was $coa1)"
echo "$u" | jq -e --arg c "$coa2" '.last.op == "replace" and .last.coa == $c and .last.rcode == "BADSIG"' >/dev/null ||
	fail "mobctl updater: the update for $coa2 ended $(echo "$u" | jq -r .last.rcode), not BADSIG"
pass "the update for $coa2 refused, BADSIG in mobctl updater; the CAAAA still $coa1"
