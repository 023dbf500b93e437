# clause: RFC 6275 10.4.1, 10.4.2
# level: MUST
# title: after a home registration, the home agent intercepts a packet a
#   node on the home link sends to the home address (proxy Neighbor
#   Discovery) and tunnels it to the care-of address: IPv6-in-IPv6 from the
#   home agent's address, the original packet unchanged inside
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H ----------------------------> |
#     | <-- BA 0 ------------------------------ |
#   prober (home link)
#     | -- Echo Request to HoA ----------------> |
#   prober (CoA)
#     | <-- [HA -> CoA [home -> HoA Echo Request]] |
#
# judge: class tunnelled; the outer source is the home agent; inside, our
#   Echo Request from the home link to the home address
H=${HOME_PREFIX}ad
ha_register "$H"
probe echo -s "$PROBER_HOME" --tunnelled "$COA" --timeout 3 "$H" --expect tunnelled
point MUST
[ "$(json_field outer_src)" = "$HA" ] || fail "the tunnel's outer source is $(json_field outer_src), not the home agent $HA"
[ "$(json_field inner)" = echo-request ] && [ "$(json_field inner_dst)" = "$H" ] ||
	fail "the tunnel carries $(json_field inner) to $(json_field inner_dst), not our Echo Request to $H"
judge MUST
