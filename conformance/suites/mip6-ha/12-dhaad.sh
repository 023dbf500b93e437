# clause: RFC 6275 10.5, 6.5
# level: MUST
# title: a DHAAD Request to the Home-Agents anycast address of the home
#   prefix (RFC 2526), from a care-of address, is answered with a DHAAD
#   Reply to that care-of address, carrying the request's identifier and
#   listing the home agent
#
#   prober (MN at CoA)                          home agent (target)
#     | -- DHAAD Request id N to -----------> PREFIX::fdff:ffff:ffff:fffe
#     | <-- DHAAD Reply id N: HA, ... ---------- |
#
# judge: class reply, the home agent's address in the list
probe dhaad -s "$COA" "${HOME_PREFIX}/64" --expect reply
point MUST
case ",$(json_field home_agents)," in
*",$HA,"*) ;;
*) fail "the DHAAD Reply lists $(json_field home_agents), not $HA" ;;
esac
judge MUST
