# clause: RFC 6275 9.2, 9.3.3
# level: MUST
# title: a Mobility Header with an unknown MH Type is discarded and answered
#   with Binding Error status 2, whose Home Address is the unspecified
#   address when the packet had no Home Address option
#
#   prober (MN at CoA)                          home agent (target)
#     | -- MH Type 200 (no HAO) ---------------> |
#     | <-- BE status 2, Home Address :: ------- |
#
# judge: class be, status 2, Home Address :: (mobprobe: an issue otherwise)
probe bu -s "$COA" --malform type "$HA" --expect be --expect-status 2
judge MUST
