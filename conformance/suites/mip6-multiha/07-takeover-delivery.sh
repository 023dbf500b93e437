# clause: multiple-home-agent paper §III (Fig. 4); issue 14
# level: MUST
# title: when the active home agent of a binding fails, the next home agent
#   of its list takes delivery over at once: data for the home address,
#   tunnelled by HA1 before, is tunnelled by HA2 once HA1 is detected dead
#   (paper §III: "If a home agent is down, other working home agents can
#   forward the packets to the mobile node")
#
#   prober (MN, CoA c7)              HA1 (target)       HA2 (target)
#     | -- BU MHA(HA1,HA2) e7 ---------> | -----------------> |   BA 0, BA 0
#     | -- Echo Request to e7 --> home link
#     | <== IPv6-in-IPv6 [Echo Request] =|                    |
#     |                                  X  cut off (FAIL_HA1)
#     |   ... (HA_PROBE_MISSES + 2) x HA_PROBE_INTERVAL + 500 ms ...
#     | -- Echo Request to e7 --> home link (HA2's NA moved the neighbour entry)
#     | <== IPv6-in-IPv6 [Echo Request] ===================== |
#
# judge: class tunnelled by HA1 before, by HA2 after, to c7
[ -n "${FAIL_HA1:-}" ] || skip "the profile has no way to cut HA1 off (FAIL_HA1)"
# HA1 may just have come back (RESTORE_HA1 returns once HA2 reaches it):
# two intervals for HA2 to see it answer a probe
sleep "$(awk -v i="$HA_PROBE_INTERVAL" 'BEGIN { print 2 * i / 1000 }')"
mha_register "${HOME_PREFIX}e7" "${COA_PREFIX}c7"
probe echo "${HOME_PREFIX}e7" --expect tunnelled
[ "$PROBE_RC" = 0 ] && [ "$(json_field by)" = "$HA1" ] ||
	initfail "before the failure, data for ${HOME_PREFIX}e7 is not tunnelled by $HA1 (case 02): $PROBE_TEXT"
[ -n "${RESTORE_HA1:-}" ] && trap 'sh -c "$RESTORE_HA1" >>"$CASE_DIR/log" 2>&1' EXIT
log "\$ $FAIL_HA1"
sh -c "$FAIL_HA1" >>"$CASE_DIR/log" 2>&1 || initfail "FAIL_HA1 failed (see log)"
sleep "$(awk -v i="$HA_PROBE_INTERVAL" -v m="$HA_PROBE_MISSES" 'BEGIN { print ((m + 2) * i + 500) / 1000 }')"
probe echo "${HOME_PREFIX}e7" --expect tunnelled
point MUST
[ "$(json_field by)" = "$HA2" ] || fail "after the failure tunnelled by $(json_field by), not by $HA2"
judge MUST
