# clause: RFC 8200 4.4
# level: MUST
# title: a routing header of unknown type with Segments Left 0 is ignored
#   and the packet processed as if it were not there
#
#   prober                          target
#     | -- Echo Request + RH2(sl 0) > |
#     | <-- Echo Reply -------------- |
#
# judge: class echo-reply
probe echo --rh2 "$HOA" --segleft 0 "$TARGET" --expect echo-reply
judge MUST
