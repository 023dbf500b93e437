#!/bin/sh
# tools/bench-linkem.sh: linkem's throughput at zero delay beside a plain
# veth pair, measured in the same run (part of `make bench`; needs root).
# A UDP blaster (64-octet datagrams, sendmmsg) in one namespace, a sink in
# another; received datagrams per second at the sink.  Offloads are off on
# both setups, as mobbed sets them.  Results: results/bench/linkem.tsv.
set -eu
secs=${MK_BENCH_NET_SECONDS:-3}
out=results/bench
mkdir -p "$out"
if [ "$(id -u)" != 0 ]; then
	echo "bench: linkem throughput skipped (needs root for namespaces)"
	exit 0
fi
p=mkb$$
made=""
pids=""
cleanup() {
	for pid in $pids; do kill "$pid" 2>/dev/null || true; done
	for pid in $pids; do wait "$pid" 2>/dev/null || true; done
	for n in $made; do ip netns del "$n" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM HUP

mkns() { ip netns add "$1"; made="$made $1"; ip -n "$1" link set lo up; }
offl() { ip netns exec "$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true; }
veth() { # ns1 if1 ns2 if2
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3"
	offl "$1" "$2"
	offl "$3" "$4"
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

# measure SENDER_NS RECEIVER_NS DST: prints received datagrams per second
measure() {
	ip netns exec "$2" bin/mkbench sink 47000 $((secs + 2)) >"/tmp/$p.sink" &
	spid=$!
	pids="$pids $spid"
	i=0
	until grep -q ready "/tmp/$p.sink" 2>/dev/null; do
		i=$((i + 1)); [ $i -lt 100 ] || { echo "bench: sink did not start" >&2; exit 1; }
		sleep 0.05
	done
	ip netns exec "$1" bin/mkbench blast "$3" 47000 "$secs" >"/tmp/$p.blast"
	wait "$spid" || true
	awk '/^received/ { if ($4 > 0) printf "%.0f\n", $2 / $4; else print 0 }' "/tmp/$p.sink"
	rm -f "/tmp/$p.sink" "/tmp/$p.blast"
}

# plain veth pair
mkns "${p}a"; mkns "${p}b"
veth "${p}a" v0 "${p}b" v1
ip -n "${p}a" addr add 2001:db8:99::1/64 dev v0 nodad
ip -n "${p}b" addr add 2001:db8:99::2/64 dev v1 nodad
sleep 0.2
plain=$(measure "${p}a" "${p}b" 2001:db8:99::2)

# the same through linkem, zero delay
mkns "${p}c"; mkns "${p}l"; mkns "${p}d"
veth "${p}c" v0 "${p}l" pc
veth "${p}d" v1 "${p}l" pd
ip -n "${p}c" addr add 2001:db8:98::1/64 dev v0 nodad
ip -n "${p}d" addr add 2001:db8:98::2/64 dev v1 nodad
ip netns exec "${p}l" bin/linkem -r 50 pc pd >/dev/null 2>"/tmp/$p.linkem" &
pids="$pids $!"
sleep 0.3
le=$(measure "${p}c" "${p}d" 2001:db8:98::2)

{
	printf 'veth-pair\t%s\t1.000\n' "$plain"
	awk -v a="$le" -v b="$plain" 'BEGIN { printf "linkem-delay0\t%s\t%.3f\n", a, (b > 0 ? a / b : 0) }'
} >"$out/linkem.tsv"
awk -F'\t' 'BEGIN { printf "%-26s %14s %10s\n", "link (64-octet UDP)", "received/s", "x veth" }
	{ printf "%-26s %14s %10s\n", $1, $2, $3 }' "$out/linkem.tsv"
