# clause: RFC 6275 9.2
# level: SHOULD
# title: a Binding Update whose Header Len is below the minimum for its MH
#   Type is discarded (MUST) and answered with ICMPv6 Parameter Problem
#   code 0 pointing at the Header Len field (SHOULD)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO, Header Len 0 ---------> |
#     | <-- Parameter Problem code 0, ptr 65 --- |
#
# judge: class param-problem, code 0, pointer 65 (IPv6 40 + Destination
#   Options 24 + MH offset 1)
ha_bu "${HOME_PREFIX}b1" --malform hlen --expect param-problem --expect-code 0 --expect-pointer 65
judge SHOULD
