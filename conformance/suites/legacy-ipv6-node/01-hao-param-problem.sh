# clause: RFC 8200 4.2; RFC 6275 6.3
# level: MUST
# title: a node that does not know the Home Address option (type 0xC9, top
#   bits 11) discards the packet and sends Parameter Problem code 2 pointing
#   at the option's type octet (not to a multicast destination)
#
#   prober                          target
#     | -- Echo Request + DST(HAO) -> |
#     | <-- Parameter Problem ------- |   code 2, pointer 46
#
# judge: class param-problem, code 2, pointer 46 (IPv6 40 + DestOpt 2 + PadN 4)
probe echo --hao "$HOA" "$TARGET" --expect param-problem --expect-code 2 --expect-pointer 46
judge MUST
