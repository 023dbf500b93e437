# clause: multiple-home-agent paper §III-C, §III-D
# level: MUST
# title: Home Agent Unreachable goes only to the mobile nodes whose binding
#   lists the failed home agent: a home address registered with HA2 without
#   the MHA option, and one registered with an MHA option listing HA2 alone,
#   get none when HA1 fails; one listing HA1,HA2 (the control) gets it
#
#   prober (MN, CoAs c6 c8 c9)      HA1 (target)       HA2 (target)
#     | -- BU MHA(HA1,HA2) e6 from c6 ---------------------> |   BA 0 (control)
#     | -- BU (no MHA) e8 from c8 --------------------------> |   BA 0
#     | -- BU MHA(HA2) e9 from c9 --------------------------> |   BA 0
#     |   (capture on)                  X  cut off (FAIL_HA1)
#     | <-- Home Agent Unreachable naming HA1 to c6 ---------- |
#     |      ... nothing to c8 or c9 ...                       |
#
# judge: class hau to c6 (else the case cannot judge: INIT-FAIL), class
#   none to c8 and c9 within the detection time + 1.5 s
[ -n "${FAIL_HA1:-}" ] || skip "the profile has no way to cut HA1 off (FAIL_HA1)"
mha_bu "${HOME_PREFIX}e6" "${COA_PREFIX}c6" "$HA2" "$HA1" "$HA2"
need "registering ${HOME_PREFIX}e6 (HA1,HA2) with HA2"
mha_bu "${HOME_PREFIX}e8" "${COA_PREFIX}c8" "$HA2"
need "registering ${HOME_PREFIX}e8 (no MHA) with HA2"
mha_bu "${HOME_PREFIX}e9" "${COA_PREFIX}c9" "$HA2" "$HA2"
need "registering ${HOME_PREFIX}e9 (MHA listing HA2 alone) with HA2"
# HA1 may just have come back (RESTORE_HA1 returns once HA2 reaches it):
# two intervals for HA2 to see it answer a probe
sleep "$(awk -v i="$HA_PROBE_INTERVAL" 'BEGIN { print 2 * i / 1000 }')"
limit=$(((HA_PROBE_MISSES + 1) * HA_PROBE_INTERVAL + 1500))
[ -n "${RESTORE_HA1:-}" ] && trap 'sh -c "$RESTORE_HA1" >>"$CASE_DIR/log" 2>&1' EXIT
probe_bg 1 listen --to "${COA_PREFIX}c6" "$HA2" --timeout $((limit / 1000 + 1)) --expect hau &&
	probe_bg 2 listen --to "${COA_PREFIX}c8" --to "${COA_PREFIX}c9" "$HA2" \
		--timeout "$(awk -v l="$limit" 'BEGIN { print l / 1000 }')" --expect none ||
	initfail "mobprobe listen did not start (see log)"
log "\$ $FAIL_HA1"
sh -c "$FAIL_HA1" >>"$CASE_DIR/log" 2>&1 || initfail "FAIL_HA1 failed (see log)"
probe_wait 1
[ "$PROBE_RC" = 0 ] && [ "$(json_field ha)" = "$HA1" ] ||
	initfail "no Home Agent Unreachable naming $HA1 to the control c6 either: $PROBE_TEXT"
probe_wait 2
[ "$PROBE_RC" = 0 ] || fail "a home address that did not list $HA1 was told: $(json_field summary)"
pass "Home Agent Unreachable to the binding listing $HA1 only; none to the two that did not"
