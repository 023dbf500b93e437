# clause: RFC 6275 10.3.2
# level: MUST
# title: a deregistration (lifetime 0) of a home registration is accepted
#   with BA status 0 and deletes the binding: a second deregistration finds
#   no binding and gets BA status 133 (not home agent for this mobile node),
#   and a packet to the home address is no longer tunnelled
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H seq 10 lifetime 60 ----------> |
#     | <-- BA 0 ------------------------------- |
#   prober (home link)
#     | -- Echo Request to HoA ----------------> |
#     | <-- [HA -> CoA [Echo Request]] --------- |   (tunnelled while bound)
#   prober (MN at CoA)
#     | -- BU A,H seq 11 lifetime 0 -----------> |
#     | <-- BA 0, lifetime 0 ------------------- |
#     | -- BU A,H seq 12 lifetime 0 -----------> |
#     | <-- BA 133 ----------------------------- |
#   prober (home link)
#     | -- Echo Request to HoA ----------------> |   (nothing to the CoA; at
#     |                                          |    most Address Unreachable)
#
# judge: BA 0 to the deregistration; BA 133 to the second; no IPv6-in-IPv6
#   to the care-of address any more (the home agent may answer Destination
#   Unreachable once it finds no neighbour for the address)
H=${HOME_PREFIX}a5
ha_bu "$H" --seq 10 --expect ba-accepted --expect-status 0
need "the registration was not accepted"
probe echo -s "$PROBER_HOME" --tunnelled "$COA" --timeout 3 "$H" --expect tunnelled
need "no tunnel to the care-of address while registered"
ha_bu "$H" --seq 11 --lifetime 0 --expect ba-accepted --expect-status 0
point MUST
ha_bu "$H" --seq 12 --lifetime 0 --expect ba-rejected --expect-status 133
point MUST
probe echo -s "$PROBER_HOME" --tunnelled "$COA" --timeout 3 "$H" --expect "none|dst-unreach"
judge MUST
