# clause: RFC 6275 10.4.5
# level: MUST
# title: a reverse-tunnelled packet whose outer source is not the mobile
#   node's registered care-of address is not forwarded (else any node
#   could send through the home agent from a home address and escape
#   ingress filtering)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H (CoA) -----------------------> |
#     | <-- BA 0 ------------------------------- |
#     | -- [CoA2 -> HA [HoA -> home Echo Req]] -> |
#   prober (home link)
#     |                                          |   (nothing forwarded)
#
# judge: no Echo Request from the home address on the home link
[ -n "${COA2:-}" ] || skip "the profile does not give COA2 (a second care-of address routed to the prober)"
H=${HOME_PREFIX}b4
ha_register "$H"
probe echo -s "$H" --encap "$COA2,$HA" --timeout 2 "$PROBER_HOME" --expect none
judge MUST
