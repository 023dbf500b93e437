#!/bin/sh
# tools/bench-flood.sh: mobprobe's load mode beside two baselines measured
# in the same run (part of `make bench`; needs root): a plain AF_PACKET send
# loop and libnet's per-packet libnet_write(), all sending the same IPv6 +
# Home Address option + BU packet over a veth pair into a second namespace;
# then the migrate-SYN flood.  Rates are what each sender achieved with no
# rate limit (--rate 1e8); the interface's tx_packets counter confirms how
# many frames left.  Results: results/bench/flood.tsv.
set -eu
count=${MK_BENCH_FLOOD_COUNT:-500000}
out=results/bench
mkdir -p "$out"
if [ "$(id -u)" != 0 ]; then
	echo "bench: flood rates skipped (needs root for namespaces)"
	exit 0
fi
p=mkf$$
made=""
cleanup() { for n in $made; do ip netns del "$n" 2>/dev/null || true; done; }
trap cleanup EXIT INT TERM HUP
for n in a b; do
	ip netns add "$p$n"
	made="$made $p$n"
	ip -n "$p$n" link set lo up
	ip netns exec "$p$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0
done
ip link add v0 netns "${p}a" type veth peer name v1 netns "${p}b"
ip -n "${p}a" addr add 2001:db8:98::1/64 dev v0 nodad
ip -n "${p}b" addr add 2001:db8:98::2/64 dev v1 nodad
ip -n "${p}a" link set v0 up
ip -n "${p}b" link set v1 up
mac=$(ip -n "${p}b" link show v1 | awk '/link\/ether/ { print $2 }')
# resolve the neighbour once so every sender starts equal
ip netns exec "${p}a" ping -c 1 -W 2 2001:db8:98::2 >/dev/null 2>&1 || true

txp() { ip netns exec "${p}a" cat /sys/class/net/v0/statistics/tx_packets; }
rate_of() { sed -n 's/.*: \([0-9]*\) pkt\/s.*/\1/p' | head -n 1; }

: >"$out/flood.tsv"
row() { # name rate frames
	printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$out/flood.tsv"
}

t0=$(txp)
r=$(ip netns exec "${p}a" bin/mkbench afpacket v0 "$mac" "$count" | rate_of)
row af-packet-send-loop "$r" $(($(txp) - t0))
t0=$(txp)
r=$(ip netns exec "${p}a" bin/mkbench libnet v0 "$count" | rate_of)
row libnet-write-per-packet "$r" $(($(txp) - t0))
t0=$(txp)
r=$(ip netns exec "${p}a" bin/mobprobe bu -i v0 -s 2001:db8:98::1 --hoa 2001:db8:1::100 \
	2001:db8:98::2 --rate 1e8 --count "$count" --random-hoa --timeout 0.2 | rate_of)
row mobprobe-bu-load "$r" $(($(txp) - t0))
t0=$(txp)
r=$(ip netns exec "${p}a" bin/mobprobe migsyn -i v0 -s 2001:db8:98::1 "[2001:db8:98::2]:9" \
	--rate 1e8 --count "$count" --random-seq --timeout 0.2 | rate_of)
row mobprobe-migsyn-load "$r" $(($(txp) - t0))

base=$(awk -F'\t' '$1 == "af-packet-send-loop" { print $2 }' "$out/flood.tsv")
awk -F'\t' -v base="$base" -v n="$count" '
	BEGIN { printf "%-26s %12s %12s %14s\n", "flood (" n " packets)", "packets/s", "frames out", "x AF_PACKET" }
	{ printf "%-26s %12s %12s %14.2f\n", $1, $2, $3, (base > 0 ? $2 / base : 0) }' "$out/flood.tsv"
echo "bench: ratio = rate / plain AF_PACKET send loop, same run; table in $out/flood.tsv"
