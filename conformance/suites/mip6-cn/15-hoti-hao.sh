# clause: RFC 6275 9.4.1
# level: MUST
# title: a Home Test Init carrying a Home Address option is silently
#   ignored (the same HoTI without the option gets its HoT, so the silence
#   is the option's)
#
#   mobile node (prober)                       correspondent (target)
#     | -- HoTI src CoA + HAO(HoA) ------------> |
#     |            (nothing)                     |
#     | -- HoTI src HoA -----------------------> |
#     | <-- HoT -------------------------------- |
#
# judge: no answer to the first; a HoT to the second
probe rr --hoa "$COA" --hao "${HOME_PREFIX}cf" --timeout 0.5 "$CN" --expect none
point MUST
probe rr --hoa "${HOME_PREFIX}cf" "$CN" --expect hot
need "the HoTI without the option got no HoT"
pass "silence to a HoTI with a Home Address option, a HoT without it"
