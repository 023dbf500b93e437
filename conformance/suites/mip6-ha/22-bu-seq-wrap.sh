# clause: RFC 6275 9.5.1, 10.3.1
# level: MUST
# title: sequence numbers are compared modulo 2^16: after 65530, a home
#   registration with sequence number 4 is newer and accepted, and 65534
#   (older than 4 modulo 2^16) is then rejected with BA 135 carrying 4
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H seq 65530 -------------------> |
#     | <-- BA 0, seq 65530 -------------------- |
#     | -- BU A,H seq 4 -----------------------> |
#     | <-- BA 0, seq 4 ------------------------ |
#     | -- BU A,H seq 65534 -------------------> |
#     | <-- BA 135, seq 4 ---------------------- |
#
# judge: BA 0 to seq 4 after 65530; BA 135 with sequence 4 to 65534
H=${HOME_PREFIX}b6
ha_bu "$H" --seq 65530 --expect ba-accepted --expect-status 0
need "the first BU was not accepted"
ha_bu "$H" --seq 4 --expect ba-accepted --expect-status 0
point MUST
ha_bu "$H" --seq 65534 --expect ba-rejected --expect-status 135
point MUST
[ "$(json_num seq)" = 4 ] || fail "BA 135 carries sequence $(json_num seq), not the last accepted 4"
judge MUST
