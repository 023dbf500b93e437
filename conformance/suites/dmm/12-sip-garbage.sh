# clause: RFC 3261 16.3, 21.4.1; draft (seeds/004) 4.2
# level: MUST
# title: garbage sent to the registrar (not a SIP message) is not taken:
#   no 2xx, no binding changed, and the server still answers
#
#   CN2 -- "REGISTER \001\002 garbage" --> RS (target)
#       <-- nothing (or 400) ------------
#   CN2 -- OPTIONS sip:example ----------> |  200
#
# judge: no 2xx; the contacts unchanged; an OPTIONS afterwards gets 200
dmm_need serve
# shellcheck disable=SC2086
printf 'REGISTER \001\002 garbage\r\n\r\n' | $CN2_RUN socat -t 1 - "UDP6:[$RS]:5060" >"$CASE_DIR/answer.txt" 2>>"$CASE_DIR/log"
first=$(head -n 1 "$CASE_DIR/answer.txt" | tr -d '\r')
log "answer: ${first:-none}"
case $first in "SIP/2.0 2"*) fail "garbage was answered '$first'" ;; esac
got=$(dmm_contacts)
[ "$got" = "$(dmm_sorted "$IP1" "$IP2")" ] || fail "after the garbage the contacts of $ID are '$got'"
# shellcheck disable=SC2086
ping=$($CN2_RUN "$MKRV" ping -s "$RS" 2>>"$CASE_DIR/log" | sed -n 's/^status //p')
[ "$ping" = "200 OK" ] || fail "after the garbage the server answers OPTIONS '${ping:-nothing}'"
pass "${first:-no answer}; the contacts unchanged; OPTIONS still 200"
