# clause: multiple-home-agent paper §III, §III-C, §III-D; doc/codepoints.md (icmp6-ha-unreachable)
# level: MUST
# title: when a home agent a binding lists fails, another home agent of the
#   list sends Home Agent Unreachable naming it to the care-of address,
#   within the detection time (HA_PROBE_MISSES unanswered probes, one
#   HA_PROBE_INTERVAL apart) plus one interval and 700 ms
#
#   prober (MN, CoA c5)             HA1 (target)       HA2 (target)
#     | -- BU MHA(HA1,HA2) e5 --------> | -----------------> |   BA 0, BA 0
#     |   (capture on)                  X  cut off (FAIL_HA1)
#     |                                      <-- Echo ? ---- |   x misses
#     | <-- Home Agent Unreachable (type icmp6-ha-unreachable) naming HA1 --- |
#
# judge: class hau (the type is the codepoint) from HA2 to c5, naming HA1,
#   within (HA_PROBE_MISSES + 1) x HA_PROBE_INTERVAL + 700 ms of the
#   failure (from the start of the capture, less the time the case waited
#   after it before cutting HA1 off: an upper bound)
[ -n "${FAIL_HA1:-}" ] || skip "the profile has no way to cut HA1 off (FAIL_HA1)"
mha_register "${HOME_PREFIX}e5" "${COA_PREFIX}c5"
limit=$(((HA_PROBE_MISSES + 1) * HA_PROBE_INTERVAL + 700))
[ -n "${RESTORE_HA1:-}" ] && trap 'sh -c "$RESTORE_HA1" >>"$CASE_DIR/log" 2>&1' EXIT
probe_bg 1 listen --to "${COA_PREFIX}c5" "$HA2" --timeout $((limit / 1000 + 2)) --expect hau ||
	initfail "mobprobe listen did not start (see log)"
t_ready=$(date +%s%N)
log "\$ $FAIL_HA1"
t_fail=$(date +%s%N)
sh -c "$FAIL_HA1" >>"$CASE_DIR/log" 2>&1 || initfail "FAIL_HA1 failed (see log)"
probe_wait 1
point MUST
[ "$(json_field ha)" = "$HA1" ] || fail "the Home Agent Unreachable names $(json_field ha), not $HA1"
# rtt_ms counts from the start of the capture, before t_ready: less the
# time from t_ready to the failure, it still bounds the time from the
# failure from above (date without %N: the whole rtt_ms)
ms=$(awk -v t="$(json_num rtt_ms)" -v r="$t_ready" -v f="$t_fail" \
	'BEGIN { o = (r ~ /^[0-9]+$/ && f ~ /^[0-9]+$/) ? (f - r) / 1e6 : 0; if (t != "") printf "%.1f", t - o }')
awk -v t="$ms" -v l="$limit" 'BEGIN { exit !(t != "" && t <= l) }' ||
	fail "Home Agent Unreachable naming $HA1 ${ms} ms after the failure, later than $limit ms"
pass "Home Agent Unreachable naming $HA1 from $HA2 at most ${ms} ms after the failure (limit $limit ms)"
