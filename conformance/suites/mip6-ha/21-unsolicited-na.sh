# clause: RFC 6275 10.4.1; RFC 4861 7.2.6
# level: MUST
# title: when it accepts a new home registration, the home agent multicasts
#   onto the home link a Neighbor Advertisement on behalf of the mobile
#   node: target the home address, its own link-layer address, Override set,
#   Solicited clear, to all-nodes, hop limit 255, so that the neighbours'
#   caches move the home address to it
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO(HoA) ------------------> |
#     | <-- BA 0 ------------------------------- |
#   prober (home link)
#     | <-- NA for HoA to ff02::1, O, TLLA ----- |
#
# judge: BA 0 and the NA (mobprobe bu --na: an issue if it is missing or
#   its destination, flags, hop limit or option are wrong); its Target
#   Link-Layer Address HA_LLADDR
[ -n "${HA_LLADDR:-}" ] || skip "the profile does not give the home agent's HA_LLADDR"
ha_bu "${HOME_PREFIX}b5" --na --timeout 3 --expect ba-accepted --expect-status 0
point MUST
[ "$(json_field na_tlla)" = "$HA_LLADDR" ] ||
	fail "the NA for the home address gives $(json_field na_tlla), not the home agent's $HA_LLADDR"
judge MUST
