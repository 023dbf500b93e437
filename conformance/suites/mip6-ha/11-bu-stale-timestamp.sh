# clause: RFC 4285 5, 6
# level: MUST
# title: an authenticated home registration whose replay protection
#   timestamp is an hour behind the home agent's clock is rejected with BA
#   status 144 (MIPV6-ID-MISMATCH), and that BA carries the home agent's own
#   time so that the mobile node can resynchronise
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + timestamp now-3600 s ------> |
#     | <-- BA 144 + timestamp (HA's clock) ---- |
#
# judge: class ba-rejected, status 144; the BA's timestamp within 60 s of
#   the prober's clock (the testbed's nodes share a clock)
claims rfc4285 || skip "the target does not claim RFC 4285 authentication"
ha_bu "${HOME_PREFIX}ab" --timestamp -3600 --expect ba-rejected --expect-status 144
point MUST
[ "$(json_field timestamp)" = present ] || fail "BA 144 without the home agent's timestamp"
skew=$(json_field timestamp_skew_s)
[ "${skew#-}" -le 60 ] || fail "BA 144's timestamp is ${skew} s from the prober's clock, not the home agent's time"
judge MUST
