# clause: RFC 6275 10.4.5, 11.3.1
# level: MUST
# title: a packet the mobile node reverse-tunnels (IPv6-in-IPv6 from the
#   care-of address of its binding to the home agent, from the home address
#   inside) is decapsulated and forwarded to its destination on the home
#   link
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H ----------------------------> |
#     | <-- BA 0 ------------------------------ |
#     | -- [CoA -> HA [HoA -> home Echo Req]] -> |
#   prober (home link)
#     | <-- HoA -> home Echo Request ----------- |
#
# judge: class forwarded: our Echo Request, from the home address to the
#   prober's home-link address, seen on the home link
H=${HOME_PREFIX}ae
ha_register "$H"
probe echo -s "$H" --encap "$COA,$HA" "$PROBER_HOME" --expect forwarded
judge MUST
