# clause: RFC 6275 10.3.1
# level: MUST
# title: a home registration for a home address that is not an on-link
#   IPv6 address of the home agent's home link is rejected with BA status
#   132 (not home subnet)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO(2001:db8:99::a3) ------> |
#     | <-- BA 132 ----------------------------- |
#
# judge: class ba-rejected, status 132, the BU's sequence number
ha_bu 2001:db8:99::a3 --expect ba-rejected --expect-status 132
judge MUST
