# clause: RFC 6275 9.5.1, 10.3.1
# level: MUST
# title: a Binding Update without the H bit is a correspondent
#   registration, not a home registration: without Nonce Indices and
#   Binding Authorization Data (no return routability) it is silently
#   discarded; no binding is made, so packets to the home address are not
#   tunnelled
#
#   prober (MN at CoA)                          home agent (target)
#     | -- BU A (no H) + HAO + MN-HA auth -----> |
#     |                                          |   (nothing)
#   prober (home link)
#     | -- Echo Request to HoA ----------------> |   (nothing to the CoA)
#
# judge: no answer to the BU; no IPv6-in-IPv6 to the care-of address
H=${HOME_PREFIX}a7
probe bu --hoa "$H" --coa "$COA" --flags A --spi "$MN_SPI" --key "$MN_KEY" "$HA" --expect none
point MUST
probe echo -s "$PROBER_HOME" --tunnelled "$COA" --timeout 3 "$H" --expect none
judge MUST
