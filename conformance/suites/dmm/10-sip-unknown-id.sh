# clause: RFC 3261 10.3 (steps 3-5); draft (seeds/004) 4.2
# level: MUST
# title: a REGISTER for an ID the server does not know is refused (401,
#   403 or 404) and creates no binding
#
#   CN2 -- REGISTER bob, Contact 2001:db8:3::66 --> RS (target)
#       <-- 401, REGISTER + digest, 403 (or 404) --
#   CN2 -- OPTIONS sip:bob@example -------------> |  no contact
#
# judge: a 401, 403 or 404; bob has no contact afterwards and the node's
#   contacts are unchanged
dmm_need serve
# shellcheck disable=SC2086
$CN2_RUN "$MKRV" register -s "$RS" -u bob -p "$PW" -b "$CN2_ADDR" 2001:db8:3::66 >"$CASE_DIR/reg.out" 2>>"$CASE_DIR/log"
cat "$CASE_DIR/reg.out" >>"$CASE_DIR/log"
st=$(sed -n 's/^status //p' "$CASE_DIR/reg.out")
case $st in 401\ * | 403\ * | 404\ *) ;; *) fail "a REGISTER for the unknown ID bob was answered '${st:-nothing}', not 401/403/404" ;; esac
# shellcheck disable=SC2086
bob=$($CN2_RUN "$MKRV" query bob -s "$RS" 2>>"$CASE_DIR/log" | awk '$1 == "contact" { print $2 }' | tr '\n' ' ')
[ -z "$bob" ] || fail "$st, yet bob has contacts: $bob"
got=$(dmm_contacts)
[ "$got" = "$(dmm_sorted "$IP1" "$IP2")" ] || fail "$st, yet the contacts of $ID are now '$got'"
pass "$st; no binding for bob, $ID's unchanged"
