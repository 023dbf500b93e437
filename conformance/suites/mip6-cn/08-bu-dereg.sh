# clause: RFC 6275 9.5.1, 9.5.3, 5.2.6
# level: MUST
# title: a deregistration (lifetime 0) authorized by the home keygen token
#   alone (Kbm = SHA1(home token), care-of nonce index ignored) is accepted
#   with BA 0 and deletes the binding
#
#   prober (MN + HA)                           correspondent (target)
#     | -- RR; BU seq 300 lifetime 60 ---------> |
#     | <-- BA 0 ------------------------------- |
#     | -- HoTI; BU seq 301 lifetime 0 --------> |
#     |      NI(i, 0), BAD from the home token   |
#     | <-- BA 0 + BAD ------------------------- |
#     | -- Echo Request + HAO(HoA) ------------> |
#     | <-- BE status 1 (binding gone) --------- |
#
# judge: BA 0 with a verified authenticator to the deregistration; then
#   BE status 1 for the home address
H=${HOME_PREFIX}c8
probe rr --bu --hoa "$H" --coa "$COA" --seq 300 "$CN" --expect ba-accepted
need "the registration was not accepted"
probe rr --bu --hoa "$H" --coa "$COA" --seq 301 --lifetime 0 "$CN" --expect ba-accepted --expect-status 0
point MUST
[ "$(json_field auth)" = verified ] || fail "the BA's authenticator: $(json_field auth)"
probe echo -s "$COA" --hao "$H" "$CN" --expect be --expect-status 1
judge MUST
