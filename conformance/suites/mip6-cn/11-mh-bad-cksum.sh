# clause: RFC 6275 9.2
# level: MUST
# title: a Mobility Header with a wrong checksum is silently discarded (the
#   same message with its checksum right is answered, so the silence is the
#   checksum's)
#
#   prober                                     correspondent (target)
#     | -- BU A,H + HAO, checksum wrong -------> |
#     |            (nothing)                     |
#     | -- the same BU, checksum right --------> |
#     | <-- BA 131 ----------------------------- |
#
# judge: no answer to the first; BA 131 to the second
probe bu --hoa "${HOME_PREFIX}cb" --coa "$COA" --flags A,H --malform cksum --timeout 0.5 "$CN" --expect none
point MUST
probe bu --hoa "${HOME_PREFIX}cb" --coa "$COA" --flags A,H "$CN" --expect ba-rejected --expect-status 131
need "the BU with its checksum right got no BA 131"
pass "silence to a wrong checksum, BA 131 when it is right"
