#!/bin/sh
# t/stack/cn-flood.t: a flood of HoTI/CoTI from random addresses keeps the
# correspondent's memory bounded (RFC 6275 5.2.8: return routability keeps
# no state per mobile node; issue 13).  Two namespaces of its own and a
# veth pair: G runs t/lib/rrload, C runs mobd as correspondent; C routes
# the home prefix 2001:db8:fa::/64 and the care-of prefix 2001:db8:fc::/64
# to G, which blackholes them (its kernel drops the answers silently, no
# Destination Unreachable back to C, after rrload has captured them).
#
#  - 20 complete RR + BU exchanges (HoTI, CoTI, HoT, CoT, BU with the
#    authenticator, BA 0 whose own authenticator verifies): 20 bindings;
#  - after 20,000 that warm up what is reused (allocator caches), 200,000
#    HoTI/CoTI, each from a new random address with a random cookie, at
#    most 128 unanswered at once so that the correspondent takes in
#    (nearly) every one: at least 190,000 taken in, each answered
#    (counters; a burst may overflow mobd's capture), no binding is made,
#    and mobd's RssAnon (its heap and anonymous mappings; the capture ring
#    is a mapping of its own) grows by less than 1024 kB.  Any state per
#    source, even just its 16-octet address, would be 2969 kB or more;
#  - after the flood, 20 more exchanges complete: the correspondent still
#    answers a real return routability and accepts its BU.
# No wall-clock figure is asserted.  The namespaces are removed on any
# exit; the daemon is stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq
. "$here/t/lib/stack.sh"
L=$here/t/lib/rrload
stack_init cf
ns=cf$$
# ASan (make SAN=1): freed blocks go to a quarantine that counts as RSS;
# turn it off so that the bound measures what mobd holds
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"

echo "1..7"
BOUND_KB=1024
FLOOD=200000
MIN_TAKEN=190000 # a burst may overflow mobd's capture: a few may be lost on the way

mk_ns() {
	ns_add "${ns}g" "${ns}c" || return 1
	for x in g c; do
		ip netns exec "$ns$x" sysctl -qw net.ipv6.conf.all.forwarding=0 || return 1
	done
	ip link add v-g netns "${ns}g" type veth peer name v-c netns "${ns}c" &&
		ip -n "${ns}g" addr add 2001:db8:fb::1/64 dev v-g nodad &&
		ip -n "${ns}c" addr add 2001:db8:fb::2/64 dev v-c nodad &&
		ip -n "${ns}g" link set v-g up && ip -n "${ns}c" link set v-c up &&
		ip -n "${ns}c" -6 route add 2001:db8:fa::/64 via 2001:db8:fb::1 &&
		ip -n "${ns}c" -6 route add 2001:db8:fc::/64 via 2001:db8:fb::1 &&
		ip -n "${ns}g" -6 route add blackhole 2001:db8:fa::/64 &&
		ip -n "${ns}g" -6 route add blackhole 2001:db8:fc::/64
}
mk_ns
ok $? "namespaces G and C, a veth pair, C routes the home and care-of prefixes to G" || exit 1

cat >"$tmp/cn.conf" <<EOF
role correspondent
interface v-c
control $tmp/cn.sock
cn-max-bindings 64
EOF
ip netns exec "${ns}c" "$D" -d -c "$tmp/cn.conf" >"$tmp/cn.log" 2>&1 &
cnpid=$!
pids="$pids $cnpid"
cn_up() { "$CTL" -S "$tmp/cn.sock" status; }
wait_for 50 cn_up
ok $? "the correspondent is up" || { tail -n 5 "$tmp/cn.log" | diag; exit 1; }

ctr() { "$CTL" -S "$tmp/cn.sock" --json counters; }
rss_anon() { awk '/^RssAnon/ { print $2 }' "/proc/$cnpid/status"; }
load() { # N MODE [OPTIONS]
	count=$1 mode=$2
	shift 2
	ip netns exec "${ns}g" "$L" -i v-g -h 2001:db8:fa:: -c 2001:db8:fc:: -n "$count" "$@" 2001:db8:fb::2 "$mode" 2>&1
}

out=$(load 20 exchange -w 8 -l 60)
echo "$out" | grep -q '^started=20 completed=20 refused=0 badauth=0 lost=0 ' &&
	[ "$(ctr | jq .bindings)" = 20 ]
ok $? "20 RR + BU exchanges: 20 BA 0 with verified authenticators, 20 bindings" || echo "$out" | diag

# a first 20,000 warm up what is reused (allocator caches, ASan's among them)
load 20000 flood -w 128 >"$tmp/warm.log"
c0=$(ctr)
r0=$(rss_anon)
out=$(load $FLOOD flood -w 128)
c1=$(ctr)
r1=$(rss_anon)
taken=$(jq -n --argjson a "$c0" --argjson b "$c1" '($b.hoti_rx + $b.coti_rx) - ($a.hoti_rx + $a.coti_rx)')
answered=$(jq -n --argjson a "$c0" --argjson b "$c1" '($b.hot_tx + $b.cot_tx) - ($a.hot_tx + $a.cot_tx)')
echo "$out" | grep -q "^sent=$FLOOD " && [ "$taken" -ge $MIN_TAKEN ] && [ "$answered" = "$taken" ]
ok $? "$FLOOD HoTI/CoTI from random addresses: $taken taken in (at least $MIN_TAKEN), each answered" ||
	{ echo "$out"; echo "$c1"; } | diag
[ "$(echo "$c1" | jq .bindings)" = 20 ]
ok $? "the flood made no binding" || echo "$c1" | diag
grow=$((r1 - r0))
[ "$grow" -lt $BOUND_KB ]
ok $? "mobd's RssAnon grew by $grow kB ($r0 -> $r1) over the flood: less than $BOUND_KB kB" ||
	grep -E '^(Rss|Vm)' "/proc/$cnpid/status" | diag

out=$(load 20 exchange -w 8 -l 60)
echo "$out" | grep -q '^started=20 completed=20 refused=0 badauth=0 lost=0 ' &&
	[ "$(ctr | jq '.bindings == 40 and .bu_accepted == 40 and .bu_auth_fail == 0')" = true ]
ok $? "after the flood 20 more exchanges complete: 40 bindings, no authenticator refused" ||
	{ echo "$out"; ctr; } | diag
