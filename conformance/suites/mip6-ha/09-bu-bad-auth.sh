# clause: RFC 4285 4, 6
# level: MUST
# title: a home registration whose MN-HA authenticator does not verify
#   (computed with another key) is rejected with BA status 146
#   (MIPV6-AUTH-FAIL)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO + MN-HA (wrong key) ---> |
#     | <-- BA 146 ----------------------------- |
#
# judge: class ba-rejected, status 146
claims rfc4285 || skip "the target does not claim RFC 4285 authentication"
probe bu --hoa "${HOME_PREFIX}a9" --coa "$COA" --flags A,H --spi "$MN_SPI" \
	--key 0badc0de0badc0de0badc0de0badc0de "$HA" --expect ba-rejected --expect-status 146
judge MUST
