# clause: multiple-home-agent paper §III (Fig. 4), §III-C; doc/mobd.conf.5
# level: MUST
# title: of the home agents a binding lists, the first listed (that is
#   alive) is the active one: it alone intercepts traffic for the home
#   address and tunnels it to the care-of address; the others keep the
#   binding as backups.  Registered with the list HA1,HA2 the home address
#   is served by HA1; with HA2,HA1 (another home address) by HA2
#
#   prober (MN, CoA c2 / c3)           HA1 (target)      HA2 (target)
#     | -- BU MHA(HA1,HA2) e2 -----------> | ------------------> |   BA 0, BA 0
#     | -- Echo Request to e2 --> (home link: who answers NS for e2)
#     | <== IPv6-in-IPv6 [Echo Request] == |                     |   x3
#     | -- BU MHA(HA2,HA1) e3 -----------> | ------------------> |   BA 0, BA 0
#     | -- Echo Request to e3 --> (home link)
#     | <== IPv6-in-IPv6 [Echo Request] ======================== |   x3
#
# judge: every echo comes back tunnelled (class tunnelled), to the care-of
#   address, by the home agent listed first
for order in "$HA1 $HA2 e2 c2" "$HA2 $HA1 e3 c3"; do
	# shellcheck disable=SC2086
	set -- $order
	for ha in "$1" "$2"; do
		mha_bu "${HOME_PREFIX}$3" "${COA_PREFIX}$4" "$ha" "$1" "$2"
		need "registering ${HOME_PREFIX}$3 with $ha (list $1,$2)"
	done
	k=0
	while [ $k -lt 3 ]; do
		k=$((k + 1))
		probe echo "${HOME_PREFIX}$3" --expect tunnelled
		point MUST
		[ "$(json_field by)" = "$1" ] ||
			fail "data for ${HOME_PREFIX}$3 (list $1,$2) tunnelled by $(json_field by), not by $1"
		[ "$(json_field to)" = "${COA_PREFIX}$4" ] ||
			fail "tunnelled to $(json_field to), not the care-of address ${COA_PREFIX}$4"
	done
done
judge MUST
