# clause: draft (seeds/004) 4.2 ("register their IP addresses and ports
#   info to the same server"); RFC 3261 10.2.1.2, 10.3 (step 8)
# level: MUST
# title: the node's UA registers every live address as a contact of its
#   ID: the registrar's answer for the ID holds IP1 and IP2, nothing else
#
#   MN (mkrv serve, IP1 + IP2)              RS (Kamailio, target)
#     | -- REGISTER Contact: IP1, IP2 -----> |
#     | <-- 401, REGISTER + digest, 200 ---- |
#   CN2 -- OPTIONS sip:mn@example ---------> |
#       <-- 302 Contact: IP1, IP2 ---------- |
#
# judge: the 302 lists exactly IP1 and IP2
dmm_need serve
want=$(dmm_sorted "$IP1" "$IP2")
got=$(dmm_contacts)
log "contacts of $ID: $got ($(dmm_status)), want $want"
[ "$got" = "$want" ] || fail "the registrar's contacts of $ID are '$got' ($(dmm_status)), not IP1 and IP2"
pass "$(dmm_status): $got"
