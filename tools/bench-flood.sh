#!/bin/sh
# tools/bench-flood.sh: mobprobe's load mode beside two baselines measured
# in the same run (part of `make bench`; needs root): a plain AF_PACKET send
# loop and libnet's per-packet libnet_write(), all sending the same IPv6 +
# Home Address option + BU packet over a veth pair into a second namespace;
# the floors of AF_PACKET sendmmsg and TX ring (qdisc bypass, no packet
# building); mobprobe's BU flood with each --tx; then the migrate-SYN
# flood.  Rates are what each sender achieved with no rate limit (--rate
# 1e8), by the wall clock and per CPU-second of the sender (steadier on a
# shared machine); the interface's tx_packets counter confirms how many
# frames left.  Ratios to libnet and to the AF_PACKET loop; results in
# results/bench/flood.tsv (name, pkt/s, pkt per CPU-second, frames out).
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
# a sender's output -> "wall-rate cpu-rate" (packets/s, packets per CPU-second)
rates() { awk '/ pkt\/s/ && !w { for (i = 1; i < NF; i++) if ($(i + 1) ~ /^pkt\/s/) w = $i }
	/pkt per cpu-second/ && !c { c = $(NF - 3) }
	END { print (w ? w : 0), (c ? c : 0) }'; }

: >"$out/flood.tsv"
run() { # name, command...: one row "name wall-rate cpu-rate frames-out"
	name=$1
	shift
	t0=$(txp)
	r=$(ip netns exec "${p}a" "$@" | rates)
	printf '%s\t%s\t%s\t%s\n' "$name" "${r% *}" "${r#* }" $(($(txp) - t0)) >>"$out/flood.tsv"
}
bu() { # mobprobe's BU flood, then its options
	echo bin/mobprobe bu -i v0 -s 2001:db8:98::1 --hoa 2001:db8:1::100 2001:db8:98::2 \
		--rate 1e8 --count "$count" --random-hoa --timeout 0.2 "$@"
}
run af-packet-send-loop bin/mkbench afpacket v0 "$mac" "$count"
run libnet-write-per-packet bin/mkbench libnet v0 "$count"
run af-packet-sendmmsg-floor bin/mkbench afpacket-mmsg v0 "$mac" "$count"
run af-packet-txring-floor bin/mkbench afpacket-ring v0 "$mac" "$count"
run mobprobe-bu-tx-raw $(bu --tx raw)
run mobprobe-bu-tx-ring $(bu --tx ring)
run mobprobe-bu-load $(bu)
run mobprobe-migsyn-load bin/mobprobe migsyn -i v0 -s 2001:db8:98::1 "[2001:db8:98::2]:9" \
	--rate 1e8 --count "$count" --random-seq --timeout 0.2

col() { awk -F'\t' -v n="$1" -v c="$2" '$1 == n { print $c }' "$out/flood.tsv"; }
awk -F'\t' -v n="$count" -v bw="$(col af-packet-send-loop 2)" -v bc="$(col af-packet-send-loop 3)" \
	-v lw="$(col libnet-write-per-packet 2)" -v lc="$(col libnet-write-per-packet 3)" '
	function r(a, b) { return b > 0 ? a / b : 0 }
	BEGIN {
		printf "%-25s %9s %9s %9s %17s %17s\n", "flood (" n " packets)", "pkt/s", "pkt/cpu-s",
			"frames", "x libnet wall/cpu", "x AF_PACKET w/c"
	}
	{ printf "%-25s %9s %9s %9s %8.2f %8.2f %8.2f %8.2f\n", $1, $2, $3, $4,
		r($2, lw), r($3, lc), r($2, bw), r($3, bc) }' "$out/flood.tsv"
echo "bench: ratios to libnet_write() per packet and to a plain AF_PACKET send loop measured in"
echo "  this run, by the wall clock (pkt/s) and by CPU time (packets per CPU-second, steadier on a"
echo "  shared machine); aim: mobprobe-bu-load >= 3x libnet; table in $out/flood.tsv"
