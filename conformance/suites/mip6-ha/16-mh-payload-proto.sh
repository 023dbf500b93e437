# clause: RFC 6275 9.2
# level: SHOULD
# title: a Binding Update whose Payload Proto is not IPPROTO_NONE (59) is
#   discarded (MUST) and answered with ICMPv6 Parameter Problem code 0
#   pointing at the Payload Proto field (SHOULD)
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H + HAO, Payload Proto 6 ------> |
#     | <-- Parameter Problem code 0, ptr 64 --- |
#
# judge: class param-problem, code 0, pointer 64 (IPv6 40 + Destination
#   Options with the HAO 24 + MH offset 0)
ha_bu "${HOME_PREFIX}b0" --malform proto --expect param-problem --expect-code 0 --expect-pointer 64
judge SHOULD
