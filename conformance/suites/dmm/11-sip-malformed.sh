# clause: RFC 3261 8.2.2, 20.16, 21.4.1
# level: SHOULD
# title: a REGISTER whose CSeq names another method (INVITE) is answered
#   400 Bad Request and changes no binding
#
#   CN2 -- REGISTER ..., CSeq: 1 INVITE, Contact: IP-66 --> RS (target)
#       <-- 400 ----------------------------------------
#
# judge: 400 (SHOULD: else WARN); the node's contacts unchanged and no
#   binding for the contact sent (MUST: else FAIL)
dmm_need serve
req=$(printf 'REGISTER sip:example SIP/2.0\r\nVia: SIP/2.0/UDP [%s]:5099;branch=z9hG4bKdmm11\r\nMax-Forwards: 70\r\nTo: <sip:%s@example>\r\nFrom: <sip:%s@example>;tag=d11\r\nCall-ID: dmm11\r\nCSeq: 1 INVITE\r\nContact: <sip:%s@[2001:db8:3::66]:5060>\r\nContent-Length: 0\r\n\r\n' \
	"$CN2_ADDR" "$ID" "$ID" "$ID")
# shellcheck disable=SC2086
printf '%s' "$req" | $CN2_RUN socat -t 2 - "UDP6:[$RS]:5060,bind=[$CN2_ADDR]:5099" >"$CASE_DIR/answer.txt" 2>>"$CASE_DIR/log"
first=$(head -n 1 "$CASE_DIR/answer.txt" | tr -d '\r')
log "answer: ${first:-none}"
got=$(dmm_contacts)
[ "$got" = "$(dmm_sorted "$IP1" "$IP2")" ] || fail "after the malformed REGISTER the contacts of $ID are '$got'"
case $first in "SIP/2.0 400"*) ;; *) warn "the malformed REGISTER was answered '${first:-nothing}', not 400; the contacts unchanged" ;; esac
pass "$first; the contacts unchanged"
