# clause: draft-snoeren-tcp-migrate-00, RST processing (MIGRATE-WAIT); protocol-facts 5 (RST handling)
# level: MUST
# title: a RST on a migratable ESTABLISHED connection puts it in
#   MIGRATE-WAIT instead of closing it: FH's shim lists the connection in
#   state migrate-wait and keeps the RST from FH's kernel, whose socket
#   stays established (as far as a shim can: the kernel itself still
#   sends and ACKs)
#
#   MH (shim)                                FH (kernel + shim)
#     | == negotiated connection MH -> FH:8080 |
#     | -- RST (MH's kernel: ss -K) ---------> |   MIGRATE-WAIT
#     |                                        |   FH's socket established
#
# judge: mobctl migrate: state migrate-wait; ss at FH: the connection
#   still ESTABLISHED
mig_need
ip netns exec "$MH_NS" "$(dirname "$MOBCAP")/mkbench" hold connect "$FH" 8080 1 5 >"$CASE_DIR/hold.log" 2>&1 &
hc=$!
i=0
until grep -q '^held' "$CASE_DIR/hold.log" 2>/dev/null || [ $i -gt 30 ]; do sleep 0.1; i=$((i + 1)); done
sleep 0.2
# ours is the one established (an earlier case's may linger in FIN-WAIT)
sport=$($MH_RUN ss -Htn state established "dport = :8080" |
	awk '{ for (i = 1; i <= NF; i++) if ($i ~ /\]:[0-9]+$/) { n = split($i, a, ":"); print a[n]; exit } }')
[ -n "$sport" ] || { kill "$hc"; wait "$hc"; initfail "no connection MH -> FH:8080"; }
neg=$($FH_CTL migrate | jq -r --argjson p "$sport" '[.[] | select(.pport == $p)][0] | "\(.negotiated) \(.state)"')
log "before the RST: $neg"
$MH_RUN ss -K -tn "sport = :$sport" >>"$CASE_DIR/log" 2>&1
sleep 0.3
st=$($FH_CTL migrate | jq -r --argjson p "$sport" '[.[] | select(.pport == $p)][0].state')
kst=$($FH_RUN ss -Htn "dport = :$sport" | awk '{ print $1; exit }')
log "after the RST: shim $st, FH's kernel '$kst'"
kill "$hc" 2>/dev/null
wait "$hc" 2>/dev/null
[ "$neg" = "true established" ] || initfail "the connection was not negotiated and established before the RST: $neg"
[ "$st" = migrate-wait ] || fail "after a RST the shim has the connection in state '$st', not migrate-wait"
[ "$kst" = ESTAB ] || fail "FH's kernel closed the connection (ss: '$kst'): the RST reached it"
pass "RST: migrate-wait, FH's socket still established"
