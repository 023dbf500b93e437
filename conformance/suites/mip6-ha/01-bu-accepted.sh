# clause: RFC 6275 10.3.1, 6.1.8
# level: MUST
# title: a home registration (A and H bits, Home Address option, RFC 4285
#   MN-HA authentication) for an address in the home prefix is accepted:
#   BA status 0 carrying the BU's sequence number, a lifetime no longer
#   than asked, sent to the care-of address through a type 2 routing header
#   naming the home address
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A,H seq 100 lifetime 60 + HAO ---> |
#     |      + timestamp + MN-HA auth            |
#     | <-- BA 0, seq 100, lifetime <= 60 ------ |
#     |      + RH2(HoA)                          |
#
# judge: class ba-accepted, status 0, seq 100, lifetime 1..60 (mobprobe: an
#   issue if the sequence is not copied, the lifetime is longer or the RH2
#   is missing)
ha_bu "${HOME_PREFIX}a1" --seq 100 --lifetime 60 --expect ba-accepted --expect-status 0
point MUST
[ "$(json_num seq)" = 100 ] || fail "the BA carries sequence $(json_num seq), not 100"
[ "$(json_num lifetime_s)" -gt 0 ] || fail "BA 0 granting a lifetime of 0"
judge MUST
