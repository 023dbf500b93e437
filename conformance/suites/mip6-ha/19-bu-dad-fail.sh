# clause: RFC 6275 10.3.1
# level: MUST
# title: before accepting a home registration for a home address it has no
#   binding for, the home agent performs Duplicate Address Detection for it
#   on the home link; when a node there answers (it uses the address), the
#   registration is rejected with BA status 134 (Duplicate Address Detection
#   failed)
#
#   prober (home link: owns HoA)                 home agent (target)
#   prober (MN at CoA)
#     | -- BU A,H + HAO(HoA) ------------------> |
#     | <-- NS for HoA from :: (DAD) ----------- |
#     | -- NA for HoA to ff02::1 --------------> |   (the prober's kernel)
#     | <-- BA 134 ----------------------------- |
#
# judge: class ba-rejected, status 134
[ -n "${PROBER_IFACE:-}" ] || skip "the profile does not give PROBER_IFACE (the prober's home-link interface)"
H=${HOME_PREFIX}b3
$RUN_IN ip -6 addr add "$H/128" dev "$PROBER_IFACE" nodad >>"$CASE_DIR/log" 2>&1 ||
	initfail "cannot give the prober the home address $H (ip -6 addr add)"
ha_bu "$H" --timeout 4 --expect ba-rejected --expect-status 134
$RUN_IN ip -6 addr del "$H/128" dev "$PROBER_IFACE" >>"$CASE_DIR/log" 2>&1
judge MUST
