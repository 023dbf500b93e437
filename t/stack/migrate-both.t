#!/bin/sh
# t/stack/migrate-both.t: both ends of a migratable connection move at once
# (issue 16: outside the paper, "detect it and say so"), live on
# tcp-migrate with mobd's migrate role on MH and FH.
#
# FH replaces its address (2001:db8:f::2 -> ::22) during a stream MH -> FH;
# its migrate SYN, sent to MH's address on l1, is dropped (an nftables rule
# at FH, so that FH stays migrating), and MH moves to l2: MH's migrate SYN
# reaches FH at its old address (kept on lo by FH's shim) while FH is itself
# migrating.  Checks:
#  - FH detects it: both_moving counted, and the log says so;
#  - FH accepts MH's migration and sends its own again at once, now to MH's
#    new address (the drop rule gone by then): both ends see the other at
#    its new address and their own at the new one, each connection
#    migrated at both ends (MH counts FH's migration in, FH MH's);
#  - the stream is intact (the same SHA-256 at both ends);
#  - SIGTERM: both mobd exit 0, no table left.
# And a connection opened before the shims started (MH -> FH:5010): both
# shims learn it from sock_diag at start and list it as not migratable
# (before_shim, before_start counted), and MH's move says that migration
# is impossible for it (impossible counted, the reason logged).
# Before the fix that came with this test, FH's shim set the connection
# back to established and never resent its migrate SYN; MH, having
# accepted FH's migration, took FH's packets still sent from its old
# address (until FH had MH's SYN/ACK) for an unknown 4-tuple, and its
# kernel answered RST (FH then in MIGRATE-WAIT, 1 run in 6); FH's outgoing
# rewrite of the peer's address was keyed on its own original address (no
# packet matched once both had moved), and the SYN/ACK to its own migrate
# SYN, its source already rewritten to the peer's original address, was
# not recognised.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq nft ip6tables radvd
. "$here/t/lib/stack.sh"
stack_init mb

echo "1..9"
FH=2001:db8:f::2
FH2=2001:db8:f::22

mig_up
# the connection older than the shims
"$B" exec FH socat -u TCP6-LISTEN:5010,reuseaddr OPEN:/dev/null >/dev/null 2>&1 &
pids="$pids $!"
sleep 0.3
"$B" exec MH sh -c "sleep 60 | socat -u - TCP6:[$FH]:5010" >/dev/null 2>&1 &
oldpid=$!
pids="$pids $oldpid"
sleep 0.3
mig_daemons

cnt() { "$CTL" -S "$1" --json counters | jq ".$2"; }

mig_stream 5001 3000000 ""
sleep 0.8
o=$(mig_conn "$tmp/MH.sock" 5010)
of=$(mig_conn "$tmp/FH.sock" 5010)
[ "$(echo "$o" | jq -r .before_shim)" = true ] && [ "$(echo "$o" | jq -r .migratable)" = false ] &&
	[ "$(echo "$of" | jq -r .before_shim)" = true ] && [ "$(cnt "$tmp/MH.sock" before_start)" = 1 ] &&
	[ "$(cnt "$tmp/FH.sock" before_start)" = 1 ]
ok $? "a connection opened before the shims: learned at both ends (sock_diag), listed not migratable" ||
	{ echo "MH $o"; echo "FH $of"; } | diag
m=$(mig_conn "$tmp/MH.sock" 5001)
mh0=$(echo "$m" | jq -r .local)
[ "$(echo "$m" | jq -r .negotiated)" = true ] && [ "$(mig_conn "$tmp/FH.sock" 5001 | jq -r .negotiated)" = true ]
ok $? "the stream's connection negotiated at both ends (MH at $mh0)" || echo "$m" | diag

# FH moves first; its migrate SYNs (from its new address, not SYN/ACKs)
# are dropped on the way out, so it is still migrating when MH moves
"$B" exec FH nft -f - <<NFT
table ip6 mgboth {
	chain out {
		type filter hook output priority 0; policy accept;
		ip6 saddr $FH2 tcp flags & (syn|ack) == syn counter drop
	}
}
NFT
"$B" exec FH ip addr add "$FH2/64" dev eth0 nodad
"$B" exec FH ip addr del "$FH/64" dev eth0
wait_for 30 sh -c "[ \$(\"$CTL\" -S \"$tmp/FH.sock\" --json counters | jq .migsyn_tx) -ge 1 ]"
"$B" move MH l2 >>"$tmp/moves.log" 2>&1
wait_for 50 sh -c "[ \$(\"$CTL\" -S \"$tmp/FH.sock\" --json counters | jq .both_moving) -ge 1 ]"
held=$("$B" exec FH nft list table ip6 mgboth | sed -n 's/.*counter packets \([0-9]*\).*/\1/p')
"$B" exec FH nft delete table ip6 mgboth
bm=$(cnt "$tmp/FH.sock" both_moving)
[ "${bm:-0}" -ge 1 ] && grep -q "both ends of port .* are moving at once" "$tmp/fh.log"
ok $? "FH detects both ends moving (both_moving $bm, its migrate SYNs held back: ${held:-0}) and says so in its log" ||
	{ tail -n 5 "$tmp/fh.log"; tail -n 5 "$tmp/mh.log"; } | diag

# then FH's own migration goes through, to MH's new address
both_done() {
	_m=$(mig_conn "$tmp/MH.sock" 5001)
	_f=$(mig_conn "$tmp/FH.sock" 5001)
	[ "$(echo "$_m" | jq -r .peer_now)" = "$FH2" ] && [ "$(echo "$_f" | jq -r .local_now)" = "$FH2" ] &&
		[ "$(echo "$_f" | jq -r .peer_now)" = "$(echo "$_m" | jq -r .local_now)" ] &&
		[ "$(echo "$_m" | jq -r .local_now)" != "$mh0" ] &&
		[ "$(echo "$_m" | jq -r .state)" = established ] && [ "$(echo "$_f" | jq -r .state)" = established ]
}
wait_for 100 both_done
ok $? "FH's migration follows: MH sees FH at $FH2, FH sees MH at $(mig_conn "$tmp/FH.sock" 5001 | jq -r .peer_now), both established" ||
	{ mig_conn "$tmp/MH.sock" 5001; mig_conn "$tmp/FH.sock" 5001; tail -n 5 "$tmp/fh.log"; tail -n 5 "$tmp/mh.log"; } | diag
[ "$(cnt "$tmp/MH.sock" impossible)" -ge 1 ] && grep -q "migration is impossible (opened before the shim started)" "$tmp/mh.log" &&
	"$CTL" -S "$tmp/MH.sock" migrate | grep -q "opened before the shim started: migration impossible"
ok $? "MH's move: migration impossible for the older connection, counted ($(cnt "$tmp/MH.sock" impossible)), logged and shown" ||
	{ grep impossible "$tmp/mh.log"; "$CTL" -S "$tmp/MH.sock" migrate; } | diag
kill "$oldpid" 2>/dev/null
mi=$(cnt "$tmp/MH.sock" migrated_in) mo=$(cnt "$tmp/MH.sock" migrated_out)
fi_=$(cnt "$tmp/FH.sock" migrated_in) fo=$(cnt "$tmp/FH.sock" migrated_out)
nf=$(($(cnt "$tmp/MH.sock" nft_fail) + $(cnt "$tmp/FH.sock" nft_fail)))
wt=$(($(cnt "$tmp/MH.sock" rst_wait) + $(cnt "$tmp/FH.sock" rst_wait)))
[ "$mi" -ge 1 ] && [ "$mo" -ge 1 ] && [ "$fi_" -ge 1 ] && [ "$fo" -ge 1 ] && [ "$nf" = 0 ] && [ "$wt" = 0 ]
ok $? "each end's migration counted at both: MH out $mo in $mi, FH out $fo in $fi_; no nftables batch failed ($nf), no RST held ($wt)"

mig_stream_done ""
ok $? "the stream across both moves is intact: $sent at both ends" || { echo "sent: $sent"; echo "got: $got"; } | diag

mig_stop_ok "$mhpid" "$fhpid"
