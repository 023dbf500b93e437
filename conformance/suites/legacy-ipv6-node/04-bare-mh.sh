# clause: RFC 8200 4; RFC 4443 3.4; RFC 6275 9.2
# level: SHOULD
# title: a Mobility Header (Next Header 135) at a node that does not know
#   it: Parameter Problem code 1 pointing at the Next Header field (RFC 8200
#   says "should"; RFC 6275 9.2 relies on it to tell a mobile node that its
#   correspondent cannot do route optimisation)
#
#   prober                          target
#     | -- BU (no HAO), NH 135 -----> |
#     | <-- Parameter Problem ------- |   code 1, pointer 6
#
# judge: class param-problem, code 1, pointer 6
probe bu "$TARGET" --expect param-problem --expect-code 1 --expect-pointer 6
judge SHOULD
