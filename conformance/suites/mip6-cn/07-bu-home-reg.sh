# clause: RFC 6275 9.5.1, 10.3.1
# level: MUST
# title: a home registration (H bit) sent to a node that is only a
#   correspondent is rejected with BA status 131 (home registration not
#   supported), through an RH2 to the care-of address
#
#   prober (MN)                                correspondent (target)
#     | -- BU A,H + HAO(HoA), src CoA ---------> |
#     | <-- BA 131 + RH2(HoA) ------------------ |
#
# judge: class ba-rejected, status 131, the BU's sequence number
probe bu --hoa "${HOME_PREFIX}c7" --coa "$COA" --flags A,H "$CN" --expect ba-rejected --expect-status 131
judge MUST
