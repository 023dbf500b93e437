# clause: RFC 8200 4.4; RFC 6275 6.4
# level: MUST
# title: a type 2 routing header with Segments Left 1 at a node that does
#   not know routing type 2: discard, Parameter Problem code 0 pointing at
#   the Routing Type field
#
#   prober                          target
#     | -- Echo Request + RH2(sl 1) > |
#     | <-- Parameter Problem ------- |   code 0, pointer 42
#
# judge: class param-problem, code 0, pointer 42 (IPv6 40 + 2)
probe echo --rh2 "$HOA" --segleft 1 "$TARGET" --expect param-problem --expect-code 0 --expect-pointer 42
judge MUST
