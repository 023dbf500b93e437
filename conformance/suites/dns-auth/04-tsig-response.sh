# clause: RFC 8945 5.3
# level: MUST
# title: the response to a TSIG-signed UPDATE is signed with the same key
#   and its MAC covers the request's MAC
#
#   mobile node (prober)             authoritative server
#     | -- UPDATE, TSIG ------------> |
#     | <-- NOERROR, TSIG (verified)  |
#
# judge: NOERROR and the response's TSIG verifies (mobprobe checks it)
probe update "$SERVER" --zone "$ZONE" --name srv4.example. --aaaa 2001:db8:21::104 --tsig-key "$TSIG_KEY"
[ "$PROBE_RC" = 0 ] || judge MUST
t=$(json_field tsig)
[ "$t" = verified ] || fail "response TSIG: $t"
pass "NOERROR, response TSIG verified"
