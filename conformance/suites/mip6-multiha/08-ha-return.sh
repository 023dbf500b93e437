# clause: multiple-home-agent paper §III (Fig. 4); issue 14; stack/roles/ha-multi.c
# level: MUST
# title: when the failed home agent answers again, the home address it
#   served is still served: data for it is tunnelled to the care-of address
#   (by either home agent) without the mobile node registering again
#   (ha-multi.c: "A peer that answers again is alive again (counted); its
#   bindings stay here until the mobile node registers otherwise")
#
#   prober (MN, CoA c4)             HA1 (target)       HA2 (target)
#     | -- BU MHA(HA1,HA2) e10 --------> | -----------------> |   BA 0, BA 0
#     |                                  X  cut off (FAIL_HA1)
#     | -- Echo Request to e10: tunnelled by HA2 ============= |   (take-over)
#     |                                  +  back (RESTORE_HA1)
#     |   ... 2 x HA_PROBE_INTERVAL: HA2 sees HA1 answer again
#     | -- Echo Request to e10 (x3) --> home link
#     | <== IPv6-in-IPv6 [Echo Request] by HA1 or by HA2 ===== |
#
# judge: class tunnelled for each of three echoes after HA1's return
[ -n "${FAIL_HA1:-}" ] && [ -n "${RESTORE_HA1:-}" ] ||
	skip "the profile has no way to cut HA1 off and bring it back (FAIL_HA1, RESTORE_HA1)"
# HA1 may just have come back (RESTORE_HA1 returns once HA2 reaches it):
# two intervals for HA2 to see it answer a probe
sleep "$(awk -v i="$HA_PROBE_INTERVAL" 'BEGIN { print 2 * i / 1000 }')"
mha_register "${HOME_PREFIX}e10" "${COA_PREFIX}c4"
trap 'sh -c "$RESTORE_HA1" >>"$CASE_DIR/log" 2>&1' EXIT
log "\$ $FAIL_HA1"
sh -c "$FAIL_HA1" >>"$CASE_DIR/log" 2>&1 || initfail "FAIL_HA1 failed (see log)"
sleep "$(awk -v i="$HA_PROBE_INTERVAL" -v m="$HA_PROBE_MISSES" 'BEGIN { print ((m + 2) * i + 500) / 1000 }')"
probe echo "${HOME_PREFIX}e10" --expect tunnelled
need "the take-over before HA1 comes back (case 07)"
log "\$ $RESTORE_HA1"
sh -c "$RESTORE_HA1" >>"$CASE_DIR/log" 2>&1 || initfail "RESTORE_HA1 failed (see log)"
trap - EXIT
sleep "$(awk -v i="$HA_PROBE_INTERVAL" 'BEGIN { print 2 * i / 1000 }')"
k=0
while [ $k -lt 3 ]; do
	k=$((k + 1))
	probe echo "${HOME_PREFIX}e10" --expect tunnelled --timeout 1
	[ "$PROBE_RC" = 0 ] || fail "echo $k of 3 after $HA1 answered again: $PROBE_TEXT (data for the home address tunnelled by neither home agent)"
done
judge MUST
