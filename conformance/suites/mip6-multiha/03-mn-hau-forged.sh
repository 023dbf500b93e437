# clause: multiple-home-agent paper §III, §III-D; issue 14
# level: MUST
# title: a mobile node registered with HA1 and HA2 believes Home Agent
#   Unreachable only from a home agent it is registered with, naming
#   another of them.  Forged ones change nothing: from a node that is not
#   its home agent (naming HA1), from HA2 naming HA2 itself, from HA2
#   naming an address that is none of its home agents.  No DHAAD Request
#   and no Binding Update follow; with MN_CTL, its counters say ignored
#   (hau_ignored up, hau_ok not) and HA1 is still the home agent in use
#
#   prober (forger, router of f1)                 mobile node (target, on f1)
#     | -- HAU (src prober) naming HA1 ---------------> |
#     |       ... nothing (no DHAAD, no BU) ...          |
#     | -- HAU (src HA2, spoofed) naming HA2 -----------> |
#     |       ... nothing ...                            |
#     | -- HAU (src HA2, spoofed) naming ::ee ----------> |
#     |       ... nothing ...                            |
#
# judge: class none after each (1 s); with MN_CTL hau_ignored +3,
#   hau_ok unchanged, the first entry of its binding update list still HA1
[ -n "${MN_COA:-}" ] || skip "no mobile node in the profile (MN_COA)"
ok0=$(ctl_num "${MN_CTL:-}" counters hau_ok)
ig0=$(ctl_num "${MN_CTL:-}" counters hau_ignored)
forged() { # WHAT HAUNREACH-ARGS...
	_what=$1
	shift
	probe haunreach "$@" "$MN_COA" --timeout 1 --expect none
	case $PROBE_RC in
	0) ;;
	1) fail "Home Agent Unreachable $_what: the mobile node reacted: $(json_field summary)" ;;
	*) judge MUST ;;
	esac
}
forged "not from a home agent (naming HA1)" --ha "$HA1"
forged "from HA2 naming itself" -s "$HA2" --ha "$HA2"
forged "from HA2 naming an address that is no home agent" -s "$HA2" --ha "${HOME_PREFIX}ee"
if [ -n "${MN_CTL:-}" ]; then
	ok1=$(ctl_num "$MN_CTL" counters hau_ok)
	ig1=$(ctl_num "$MN_CTL" counters hau_ignored)
	ha=$($MN_CTL bul 2>/dev/null | sed -n 's/^\[{[^}]*"ha":"\([^"]*\)".*/\1/p')
	[ -n "$ig0" ] && [ -n "$ig1" ] && [ $((ig1 - ig0)) -ge 3 ] && [ "$ok1" = "$ok0" ] ||
		fail "the mobile node's counters: hau_ignored $ig0 -> $ig1, hau_ok $ok0 -> $ok1"
	[ "$ha" = "$HA1" ] || fail "the mobile node's home agent in use is now '$ha', not $HA1"
	pass "no reaction to the three; counted ignored (hau_ignored $ig0 -> $ig1), HA1 still in use"
fi
pass "no DHAAD Request and no BU after any of the three"
