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
probe bu --hoa "${HOME_PREFIX}a2" --coa "$COA" --flags A,H \
	--spi "$MN_SPI" --key "$MN_KEY" "$HA" --expect ba-accepted --expect-status 0
point MUST
[ "$(json_field auth)" = verified ] || fail "the BA's MN-HA authenticator: $(json_field auth)"
[ "$(json_field timestamp)" = present ] || fail "the BA has no Replay Protection option"
judge MUST
