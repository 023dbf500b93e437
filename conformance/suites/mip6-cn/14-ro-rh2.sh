# clause: RFC 6275 9.3.1, 9.3.2
# level: SHOULD
# title: with a binding, a packet from the care-of address with a Home
#   Address option is taken as from the home address (MUST), and what the
#   correspondent sends to the home address goes to the care-of address
#   with a type 2 routing header naming the home address (SHOULD)
#
#   prober (MN + HA)                           correspondent (target)
#     | -- RR; BU ----------------------------> |
#     | <-- BA 0 ------------------------------ |
#     | -- Echo Request, src CoA + HAO(HoA) ---> |
#     | <-- Echo Reply, dst CoA + RH2(HoA) ----- |
#
# judge: an Echo Reply (else FAIL: the option was not honoured), to the
#   care-of address with an RH2 naming the home address (else WARN)
H=${HOME_PREFIX}ce
probe rr --bu --hoa "$H" --coa "$COA" "$CN" --expect ba-accepted
need "the BU was not accepted"
probe echo -s "$COA" --hao "$H" "$CN" --expect echo-reply
point MUST
[ "$(json_field to)" = "$COA" ] && [ "$(json_field rh2)" = "$H" ] ||
	warn "the Echo Reply went to $(json_field to) with RH2 $(json_field rh2), not to $COA with RH2 $H"
judge SHOULD
