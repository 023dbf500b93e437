# clause: multiple-home-agent paper §III, §III-D
# level: MUST
# title: a Home Agent Unreachable from HA2, a home agent the mobile node is
#   registered with, naming HA1, another of them, is believed: the mobile
#   node looks for a new home agent (DHAAD Request) or registers the new
#   list (BU), and sends no BU to HA1.  Also the control of case 03: the
#   prober sees the mobile node react when it should (paper §III: "When a
#   mobile node receives the ICMP unreachability message, it starts finding
#   a new home agent")
#
#   prober (as HA2, router of f1)                 mobile node (target, on f1)
#     | -- HAU (src HA2) naming HA1 -------------------> |
#     | <-- DHAAD Request, or BU (not to HA1) ---------- |
#
# judge: class dhaad-request or bu, no BU to HA1; with MN_CTL hau_ok +1
[ -n "${MN_COA:-}" ] || skip "no mobile node in the profile (MN_COA)"
ok0=$(ctl_num "${MN_CTL:-}" counters hau_ok)
probe haunreach -s "$HA2" --ha "$HA1" "$MN_COA" --timeout 2 --expect "dhaad-request|bu"
point MUST
if [ -n "${MN_CTL:-}" ]; then
	ok1=$(ctl_num "$MN_CTL" counters hau_ok)
	[ -n "$ok0" ] && [ -n "$ok1" ] && [ $((ok1 - ok0)) = 1 ] ||
		fail "the mobile node's counters: hau_ok $ok0 -> $ok1"
fi
judge MUST
