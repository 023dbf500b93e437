# clause: RFC 6275 10.4.1; RFC 4861 7.2.4, 7.2.8
# level: MUST
# title: while a home address is registered, the home agent defends it on
#   the home link: a Neighbor Solicitation for the home address, and one of
#   Duplicate Address Detection (from ::), are answered with a Neighbor
#   Advertisement carrying the home agent's own link-layer address
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H ----------------------------> |
#     | <-- BA 0 ------------------------------ |
#   prober (home link)
#     | -- NS for HoA (to its solicited-node) -> |
#     | <-- NA for HoA, TLLA = HA's, S -------- |
#     | -- NS for HoA from :: (DAD) -----------> |
#     | <-- NA for HoA to ff02::1, TLLA = HA's - |
#
# judge: class na to both, their Target Link-Layer Address HA_LLADDR
[ -n "${HA_LLADDR:-}" ] || skip "the profile does not give the home agent's HA_LLADDR"
H=${HOME_PREFIX}af
ha_register "$H"
probe ns -s "$PROBER_HOME" --timeout 3 "$H" --expect na
point MUST
[ "$(json_field tlla)" = "$HA_LLADDR" ] || fail "the NA gives $(json_field tlla), not the home agent's $HA_LLADDR"
probe ns --dad --timeout 3 "$H" --expect na
point MUST
[ "$(json_field tlla)" = "$HA_LLADDR" ] || fail "the NA to DAD gives $(json_field tlla), not the home agent's $HA_LLADDR"
judge MUST
