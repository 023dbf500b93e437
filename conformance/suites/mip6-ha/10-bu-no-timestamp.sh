# clause: RFC 4285 5, 6
# level: MUST
# title: an authenticated home registration without the Mobility Message
#   Replay Protection option is rejected with BA status 145
#   (MIPV6-MESG-ID-REQD)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO + MN-HA (no timestamp) > |
#     | <-- BA 145 ----------------------------- |
#
# judge: class ba-rejected, status 145
claims rfc4285 || skip "the target does not claim RFC 4285 authentication"
ha_bu "${HOME_PREFIX}aa" --timestamp none --expect ba-rejected --expect-status 145
judge MUST
