# clause: RFC 3261 10.2.2, 10.3 (step 7); draft (seeds/004) 4.2
# level: MUST
# title: an address the node gives up is withdrawn (its contact in a
#   REGISTER with expires 0) and gone from the registrar, the other stays;
#   given back, it is registered again
#
#   MN (mkrv serve: IP2 out of its list, SIGHUP)       RS (target)
#     | -- REGISTER Contact: IP1, IP2;expires=0 ------> |
#     | <-- 200 Contact: IP1 --------------------------- |
#   CN2 -- OPTIONS sip:mn@example --------------------> |  302: IP1
#   (IP2 back in the list, SIGHUP: IP1 and IP2 again)
#
# judge: within 5 s of the withdrawal the 302 lists IP1 alone; within 5 s
#   of the restore IP1 and IP2
dmm_need serve
trap 'printf "%s\n%s\n" "$IP1" "$IP2" >"$SERVE_ADDRS"; $SERVE_HUP' EXIT
echo "$IP1" >"$SERVE_ADDRS"
$SERVE_HUP
dmm_wait 50 dmm_contacts "$IP1" || fail "5 s after serve withdrew IP2 the contacts are '$(dmm_contacts)' ($(dmm_status)), not IP1 alone"
grep 'withdrawn=\|^reg ' "$SERVE_OUT" | tail -n 3 >>"$CASE_DIR/log"
printf '%s\n%s\n' "$IP1" "$IP2" >"$SERVE_ADDRS"
$SERVE_HUP
dmm_wait 50 dmm_contacts "$(dmm_sorted "$IP1" "$IP2")" ||
	fail "5 s after serve registered IP2 again the contacts are '$(dmm_contacts)'"
pass "IP2 withdrawn: IP1 alone; registered again: IP1 and IP2"
