# clause: RFC 6275 9.5.1, 10.3.1
# level: MUST
# title: a home registration whose sequence number is not greater (modulo
#   2^16) than the last accepted one for the home address is rejected with
#   BA status 135, which carries the last accepted sequence number
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H seq 1000 --------------------> |
#     | <-- BA 0, seq 1000 --------------------- |
#     | -- BU A,H seq 990 ---------------------> |
#     | <-- BA 135, seq 1000 ------------------- |
#
# judge: BA 0 to the first; BA 135 with sequence 1000 to the second
H=${HOME_PREFIX}a4
ha_bu "$H" --seq 1000 --expect ba-accepted --expect-status 0
need "the first BU was not accepted"
ha_bu "$H" --seq 990 --expect ba-rejected --expect-status 135
point MUST
[ "$(json_num seq)" = 1000 ] || fail "BA 135 carries sequence $(json_num seq), not the last accepted 1000"
judge MUST
