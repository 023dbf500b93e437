# clause: RFC 8200 4.2; RFC 6275 11.3.1
# level: MUST
# title: a home registration (BU with a Home Address option) sent to a node
#   that is no home agent: the Home Address option is met first, so the
#   answer is Parameter Problem code 2 at the option, not a BA or BE
#
#   mobile node (prober)             target
#     | -- BU A,H + DST(HAO) -------> |
#     | <-- Parameter Problem ------- |   code 2, pointer 46
#
# judge: class param-problem, code 2, pointer 46
probe bu --hoa "$HOA" "$TARGET" --expect param-problem --expect-code 2 --expect-pointer 46
judge MUST
