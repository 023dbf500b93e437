# clause: RFC 4285 4, 6; RFC 6275 10.3.1
# level: MUST
# title: a home registration without the Mobility Message Authentication
#   option, to a home agent that requires MN-HA authentication, is rejected
#   with BA status 146 (MIPV6-AUTH-FAIL) and makes no binding
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO (no auth option) ------> |
#     | <-- BA 146 ----------------------------- |
#
# judge: class ba-rejected, status 146
claims rfc4285 || skip "the target does not claim RFC 4285 authentication"
probe bu --hoa "${HOME_PREFIX}a8" --coa "$COA" --flags A,H "$HA" \
	--expect ba-rejected --expect-status 146
judge MUST
