# clause: RFC 3261 22.1, 22.4, 10.3 (step 3)
# level: MUST
# title: a REGISTER for the node's ID with a wrong password is refused
#   (a 4xx final answer) and changes no binding
#
#   CN2 -- REGISTER mn, Contact 2001:db8:3::66 --> RS (target)
#       <-- 401 (challenge) ---------------------
#       -- REGISTER + digest (wrong password) -->
#       <-- 403 (or 401) ------------------------
#
# judge: a 4xx; the contacts of the ID still IP1 and IP2
dmm_need serve
# shellcheck disable=SC2086
$CN2_RUN "$MKRV" register -s "$RS" -u "$ID" -p wrong -b "$CN2_ADDR" 2001:db8:3::66 >"$CASE_DIR/reg.out" 2>>"$CASE_DIR/log"
rc=$?
cat "$CASE_DIR/reg.out" >>"$CASE_DIR/log"
st=$(sed -n 's/^status //p' "$CASE_DIR/reg.out")
case $st in 4[0-9][0-9]\ *) ;; *) fail "a REGISTER with a wrong password was answered '${st:-nothing}' (exit $rc), not 4xx" ;; esac
got=$(dmm_contacts)
[ "$got" = "$(dmm_sorted "$IP1" "$IP2")" ] || fail "$st, yet the contacts of $ID are now '$got'"
pass "$st; the contacts unchanged ($got)"
