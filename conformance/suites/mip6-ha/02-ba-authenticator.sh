# clause: RFC 4285 4, 5; RFC 6275 10.3.1
# level: MUST
# title: the Binding Acknowledgement to an authenticated home registration
#   carries a Mobility Message Authentication option (MN-HA, the SPI of the
#   mobile node) that verifies with the shared key over CoA | HoA | MH, and
#   a Mobility Message Replay Protection option
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO + timestamp + MN-HA ---> |
#     | <-- BA 0 + timestamp + MN-HA auth ------ |
#
# judge: BA status 0; its authenticator verified by the prober; a
#   timestamp present
ha_bu "${HOME_PREFIX}a2" --expect ba-accepted --expect-status 0
point MUST
[ "$(json_field auth)" = verified ] || fail "the BA's MN-HA authenticator: $(json_field auth)"
[ "$(json_field timestamp)" = present ] || fail "the BA has no Replay Protection option"
judge MUST
