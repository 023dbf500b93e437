# clause: RFC 6275 9.2
# level: SHOULD
# title: a Mobility Header whose Payload Proto is not IPPROTO_NONE (59) is
#   discarded (MUST) and answered with ICMPv6 Parameter Problem code 0
#   pointing at the Payload Proto field (SHOULD)
#
#   prober                                     correspondent (target)
#     | -- BU, Payload Proto 6 ----------------> |
#     | <-- Parameter Problem code 0, ptr 40 --- |
#
# judge: class param-problem, code 0, pointer 40 (IPv6 40 + MH offset 0)
probe bu --malform proto "$CN" --expect param-problem --expect-code 0 --expect-pointer 40
judge SHOULD
