# clause: RFC 6275 9.5.1
# level: MUST
# title: a Binding Update whose sequence number is not greater than the last
#   accepted one for the home address gets BA status 135 carrying the last
#   accepted sequence number (and the Binding Authorization Data option)
#
#   prober (MN + HA)                           correspondent (target)
#     | -- RR; BU seq 2000 --------------------> |
#     | <-- BA 0, seq 2000 --------------------- |
#     | -- RR; BU seq 1990 --------------------> |
#     | <-- BA 135, seq 2000 ------------------- |
#
# judge: BA 0 to the first; BA 135 with seq 2000 and an authenticator that
#   verifies to the second
H=${HOME_PREFIX}c6
probe rr --bu --hoa "$H" --coa "$COA" --seq 2000 "$CN" --expect ba-accepted --expect-status 0
need "the first BU was not accepted"
probe rr --bu --hoa "$H" --coa "$COA" --seq 1990 "$CN" --expect ba-rejected --expect-status 135
point MUST
[ "$(json_num seq)" = 2000 ] || fail "BA 135 carries sequence $(json_num seq), not the last accepted 2000"
[ "$(json_field auth)" = verified ] || fail "BA 135's authenticator: $(json_field auth)"
judge MUST
