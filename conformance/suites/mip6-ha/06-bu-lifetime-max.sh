# clause: RFC 6275 10.3.1
# level: SHOULD
# title: a home registration asking for a lifetime longer than the home
#   agent allows is accepted with a shorter one: the BA grants no more than
#   asked and no more than the home agent's limit (MAX_LIFETIME; 10.3.1 lets
#   it decrease the lifetime by local policy)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H lifetime 262140 -------------> |
#     | <-- BA 0, lifetime <= MAX_LIFETIME ----- |
#
# judge: BA status 0 with a lifetime 1..MAX_LIFETIME
[ -n "${MAX_LIFETIME:-}" ] || skip "the profile does not give the home agent's MAX_LIFETIME"
ha_bu "${HOME_PREFIX}a6" --lifetime 262140 --expect ba-accepted --expect-status 0
point MUST
l=$(json_num lifetime_s)
[ "${l:-0}" -gt 0 ] || fail "BA 0 granting a lifetime of ${l:-nothing}"
[ "$l" -le "$MAX_LIFETIME" ] || warn "granted $l s, more than the home agent's limit $MAX_LIFETIME s"
judge SHOULD
