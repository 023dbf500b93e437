#!/bin/sh
# t/stack/ha-load.t: the home agent under a flood of BUs (issue 14, speed):
# mobd as home agent in namespace H, mobprobe's load mode in namespace A, one
# veth between them (2001:db8:5e::/64).  A drops what comes back with Next
# Header 43/60/135 in prerouting (its mobprobe reads the BAs with pcap).
#
#  - per-binding log lines: at most 100 a second; every BU accepted still
#    counted; lines written + log_suppressed = bindings made, and the
#    "N more binding lines suppressed" lines add up to log_suppressed;
#  - batched BAs: with mobd stopped (SIGSTOP) 2 x 100 BUs and, between them,
#    one from a source H has no route to wait in the capture ring; on
#    SIGCONT they are handled in one capture batch: every good BA reaches A
#    (mobprobe counts them), in fewer sendmmsg calls than packets, and the
#    refused one is counted (tx_batch_fail 1) without losing the rest;
#    the BAs to neighbours H knows (REACHABLE) go on its AF_PACKET socket
#    with the cached Ethernet address (tx_direct), the kernel route skipped;
#  - cap_drop: 40000 BUs while mobd is stopped overflow the capture ring:
#    cap_drop > 0 and bu_rx + cap_drop = the BUs H's interface took;
#  - SIGTERM: exit 0.
# Namespaces are this test's own and are removed on any exit; the daemon it
# started is stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq nft
. "$here/t/lib/stack.sh"
stack_init hl

echo "1..10"
A=${MOBBED_NAME}a
H=${MOBBED_NAME}h
HAADDR=2001:db8:5e::2
ns_add "$A" "$H" &&
	ip link add v-a netns "$A" type veth peer name v-h netns "$H" &&
	ip -n "$A" addr add 2001:db8:5e::1/64 dev v-a nodad &&
	ip -n "$A" addr add 2001:db8:5e::11/64 dev v-a nodad &&
	ip -n "$H" addr add $HAADDR/64 dev v-h nodad &&
	ip -n "$A" link set v-a up && ip -n "$H" link set v-h up &&
	ip netns exec "$A" nft -f - <<EOF
table ip6 haload {
	chain pre { type filter hook prerouting priority -300; iifname v-a ip6 nexthdr { 43, 60, 135 } drop; }
}
EOF
[ $? = 0 ] && ip netns exec "$A" ping -c 1 -W 2 $HAADDR >/dev/null 2>&1
ok $? "namespaces $A and $H, a veth between them" || exit 1

cat >"$tmp/ha.conf" <<EOF
role home-agent
interface v-h
home-prefix 2001:db8:5e::/64
control $tmp/ha.sock
max-bindings 100000
max-lifetime 600
kernel-state no
# the BAs of this test leave in the capture loop's batches: no DAD wait
# before first registrations (ha-dad.t tests that)
ha-dad no
EOF
ip netns exec "$H" "$D" -d -c "$tmp/ha.conf" >"$tmp/ha.log" 2>&1 &
hapid=$!
pids="$pids $hapid"
cnt() { "$CTL" -S "$tmp/ha.sock" --json counters; }
c() { cnt | jq -r ".$1"; }
wait_for 100 cnt
ok $? "mobd started as home agent" || { tail -n 5 "$tmp/ha.log" | diag; exit 1; }

# wait until bu_rx stops moving (5 polls alike)
settle() {
	_last=-1 _same=0 _i=0
	while [ $_same -lt 5 ] && [ $_i -lt 300 ]; do
		_cur=$(c bu_rx)
		if [ "$_cur" = "$_last" ]; then _same=$((_same + 1)); else _same=0 _last=$_cur; fi
		sleep 0.1
		_i=$((_i + 1))
	done
}
load() { # SRC COUNT RATE TIMEOUT [options]: mobprobe's load mode from A
	_s=$1 _n=$2 _r=$3 _t=$4
	shift 4
	ip netns exec "$A" "$P" bu -i v-a -s "$_s" --hoa 2001:db8:5e::1:0 --random-hoa --lifetime 600 \
		--rate "$_r" --count "$_n" --timeout "$_t" "$@" $HAADDR
}

# ---- log lines rate limited, counters exact ----
load 2001:db8:5e::1 500 1e8 0.5 >"$tmp/log.out" 2>&1
settle
sleep 2.2 # the sweep (once a second) says what it held back
lines=$(grep -c "home-agent \[.*\]: binding .* -> " "$tmp/ha.log")
sup=$(c log_suppressed)
said=$(sed -n 's/.*: \([0-9]*\) more binding lines suppressed.*/\1/p' "$tmp/ha.log" | awk '{ s += $1 } END { print s + 0 }')
[ "$(c bu_accepted)" = 500 ] && [ "$(c bindings)" = 500 ] && [ "$sup" -gt 0 ] &&
	[ $((lines + sup)) = 500 ]
ok $? "500 BUs: 500 accepted, $lines binding lines written and $sup suppressed (sum 500)" ||
	{ cnt; cat "$tmp/log.out"; } | diag
[ "$said" = "$sup" ] && [ "$lines" -le 200 ]
ok $? "the 'more binding lines suppressed' lines add up to log_suppressed ($said)" ||
	grep suppressed "$tmp/ha.log" | diag
"$CTL" -S "$tmp/ha.sock" counters >"$tmp/counters.txt" 2>&1
grep -q "^log_suppressed *$sup$" "$tmp/counters.txt" && grep -q "^cap_drop *[0-9]" "$tmp/counters.txt" &&
	grep -q "^tx_batch_fail *[0-9]" "$tmp/counters.txt"
ok $? "mobctl counters (text): log_suppressed, cap_drop, tx_batch_fail" || diag <"$tmp/counters.txt"

# ---- BAs batched: one capture batch, one sendmmsg per 64 ----
# H learns A's two addresses (REACHABLE neighbours): their BAs go on the
# AF_PACKET socket with the cached Ethernet address (tx_direct)
# (flushed first: an entry the 500 BUs above made is not confirmed again by
# a ping, and under load it aged into STALE meanwhile, so the first BA went
# through the kernel to confirm it: tx_direct +199)
ip netns exec "$H" ip -6 neigh flush dev v-h
ip netns exec "$H" ping -c 1 -W 2 2001:db8:5e::1 >/dev/null 2>&1
ip netns exec "$H" ping -c 1 -W 2 2001:db8:5e::11 >/dev/null 2>&1
ba0=$(c ba_tx) d0=$(c tx_direct) b0=$(c tx_batches) p0=$(c tx_batched) f0=$(c tx_batch_fail) sf0=$(c send_fail)
kill -STOP "$hapid"
load 2001:db8:5e::1 100 1e8 4 --json >"$tmp/g1.out" 2>&1 &
g1=$!
pids="$pids $g1"
sleep 0.5
# a care-of address H has no route to: its BA is refused by the kernel
load 2001:db8:99::1 1 1e8 0.1 >"$tmp/bad.out" 2>&1
load 2001:db8:5e::11 100 1e8 3 --json >"$tmp/g2.out" 2>&1 &
g2=$!
pids="$pids $g2"
sleep 0.5
kill -CONT "$hapid"
wait $g1 $g2
settle
# each mobprobe counts every BA status 0 on the link: both sources' 200
a1=$(jq -r '.answers."ba-0" // 0' "$tmp/g1.out")
a2=$(jq -r '.answers."ba-0" // 0' "$tmp/g2.out")
dba=$(($(c ba_tx) - ba0)) ddir=$(($(c tx_direct) - d0)) db=$(($(c tx_batches) - b0)) dp=$(($(c tx_batched) - p0))
[ "$a1" = 200 ] && [ "$a2" = 200 ] && [ "$dba" = 201 ] && [ "$dp" = 200 ] && [ "$db" -gt 0 ] &&
	[ $((db * 4)) -lt "$dp" ]
ok $? "201 BUs waiting: 200 BAs reached A (seen by both probes: $a1, $a2), sent in $db sendmmsg batches" ||
	{ echo "ba_tx +$dba batches +$db batched +$dp"; cat "$tmp/g1.out" "$tmp/g2.out"; } | diag
[ $(($(c tx_batch_fail) - f0)) = 1 ] && [ "$(c send_fail)" = "$sf0" ]
ok $? "the BA H has no route for: refused, counted in tx_batch_fail, the batch went on" ||
	{ cnt; grep -i "batch" "$tmp/ha.log" | tail -n 3; } | diag
[ "$ddir" = 200 ]
ok $? "the 200 BAs to REACHABLE neighbours went on the AF_PACKET socket (tx_direct +$ddir)" ||
	{ cnt; ip netns exec "$H" ip -6 neigh; } | diag

# ---- capture ring overflow: cap_drop ----
rx() { ip netns exec "$H" cat /sys/class/net/v-h/statistics/rx_packets; }
r0=$(rx) bu0=$(c bu_rx) cd0=$(c cap_drop)
kill -STOP "$hapid"
load 2001:db8:5e::1 40000 1e8 0.1 >"$tmp/flood.out" 2>&1
r1=$(rx)
kill -CONT "$hapid"
settle
dbu=$(($(c bu_rx) - bu0)) dcd=$(($(c cap_drop) - cd0)) drx=$((r1 - r0))
# the interface's count holds a few Neighbor Discovery packets beside the BUs
[ "$dcd" -gt 0 ] && [ $((dbu + dcd)) -le 40000 ] && [ $((dbu + dcd)) -ge $((drx - 20)) ]
ok $? "40000 BUs to a stopped mobd: $dbu handled, $dcd dropped in the capture ring (cap_drop), $drx at the interface" ||
	{ cnt; cat "$tmp/flood.out"; } | diag

kill "$hapid"
wait "$hapid"
ok $? "SIGTERM: mobd exits 0" || tail -n 5 "$tmp/ha.log" | diag
pids=""
