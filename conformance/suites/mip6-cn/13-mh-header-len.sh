# clause: RFC 6275 9.2
# level: SHOULD
# title: a Mobility Header whose Header Len is less than its MH Type needs
#   is discarded (MUST) and answered with ICMPv6 Parameter Problem code 0
#   pointing at the Header Len field (SHOULD)
#
#   prober                                     correspondent (target)
#     | -- BU, Header Len 0 (8 octets) --------> |
#     | <-- Parameter Problem code 0, ptr 41 --- |
#
# judge: class param-problem, code 0, pointer 41 (IPv6 40 + MH offset 1)
probe bu --malform hlen "$CN" --expect param-problem --expect-code 0 --expect-pointer 41
judge SHOULD
