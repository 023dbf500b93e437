# clause: RFC 6275 9.5.1, 5.2.6
# level: MUST
# title: a Binding Update whose authenticator does not verify is silently
#   discarded: no BA, and no binding made (a Home Address option for that
#   home address still gets Binding Error status 1)
#
#   prober (MN + HA)                           correspondent (target)
#     | -- HoTI / CoTI ------------------------> |
#     | <-- HoT / CoT -------------------------- |
#     | -- BU A + BAD (one bit wrong) ---------> |
#     |            (nothing)                     |
#     | -- Echo Request + HAO(HoA) ------------> |
#     | <-- BE status 1 (HoA) ------------------ |
#
# judge: no answer to the BU; then BE status 1 naming the home address
H=${HOME_PREFIX}c4
probe rr --bu --hoa "$H" --coa "$COA" --bad-auth --timeout 0.5 "$CN" --expect none
point MUST
probe echo -s "$COA" --hao "$H" "$CN" --expect be --expect-status 1
judge MUST
