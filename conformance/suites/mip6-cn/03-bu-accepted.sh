# clause: RFC 6275 9.5.1, 9.5.2, 9.5.4, 5.2.6
# level: MUST
# title: a Binding Update authorized by return routability (Nonce Indices,
#   Binding Authorization Data from Kbm = SHA1(home token | care-of token))
#   is accepted: BA status 0, the BU's sequence number, a lifetime no longer
#   than asked, through a type 2 routing header to the care-of address, with
#   an authenticator of its own that verifies with Kbm
#
#   prober (MN + HA)                           correspondent (target)
#     | -- HoTI (src HoA) ---------------------> |
#     | <-- HoT (home token, index i) ---------- |
#     | -- CoTI (src CoA) ---------------------> |
#     | <-- CoT (care-of token, index j) ------- |
#     | -- BU A, seq 100 + HAO + NI(i,j) + BAD -> |
#     | <-- BA 0, seq 100 + RH2(HoA) + BAD ----- |
#
# judge: class ba-accepted, status 0, seq 100, the BA's authenticator
#   verified, an RH2 naming the home address
probe rr --bu --hoa "${HOME_PREFIX}c3" --coa "$COA" --seq 100 "$CN" --expect ba-accepted --expect-status 0
point MUST
[ "$(json_field auth)" = verified ] || fail "the BA's authenticator: $(json_field auth)"
judge MUST
