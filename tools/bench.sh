#!/bin/sh
# tools/bench.sh: what `make bench` runs.  Rates of the codecs for a BU, a
# BA and a full IPv6 + Home Address option + MH packet, each also as a
# ratio to libpcap's empty pcap_loop over the same 1M-packet file, measured
# in the same run; then mobcap decode --json (every field, typed) and
# mobcap latency over a 1M-packet mixed capture, against the empty loop over
# that file (aim for decode --json: >= 0.5x) and against tshark -T fields
# over a 100k slice; then linkem and the flood senders.  Results:
# results/bench/bench.tsv.
set -eu
n=${MK_BENCH_PACKETS:-1000000}
out=results/bench
mkdir -p "$out"
tmp=$(mktemp -d /tmp/mk-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM HUP

echo "bench: generating $n full BU packets (Ethernet+IPv6+HAO+MH)"
bin/mkbench gen "$tmp/bu.pcap" "$n"
bin/mkbench run "$tmp/bu.pcap" >"$out/bench.tsv"

# mobcap over a 1M-packet capture mixing what a campaign records (bulk TCP,
# DNS queries, answers and UPDATEs, BU/BA, tunnelled data, echo; mixgen.c),
# each timing the best of three, as a ratio to libpcap's empty loop over the
# same file and to tshark -T fields over a 100k-packet slice of it.
echo "bench: generating $n mixed packets (mobility, DNS, bulk TCP)"
bin/mkbench mix "$tmp/mix.pcap" "$n"
mbase=$(bin/mkbench loop "$tmp/mix.pcap" | awk -F'\t' '{ print $2 }')
best3() { # NAME PACKETS CMD...: best of three wall-clock runs, packets/s
	name=$1 pk=$2
	shift 2
	best=""
	for _ in 1 2 3; do
		t0=$(date +%s.%N)
		if ! "$@" >/dev/null 2>"$tmp/best3.err"; then
			echo "bench: $name failed: $(head -n 2 "$tmp/best3.err")" >&2
			return 1
		fi
		t1=$(date +%s.%N)
		best=$(awk -v t0="$t0" -v t1="$t1" -v b="$best" 'BEGIN { d = t1 - t0; if (b == "" || d < b) print d; else print b }')
	done
	awk -v n="$pk" -v d="$best" -v base="$mbase" -v name="$name" 'BEGIN {
		r = n / d; printf "%s\t%.0f\t%.1f\t%.3f\n", name, r, 1e9 / r, r / base }'
}
{
	printf "libpcap-empty-loop-mix\t%s\t%.1f\t1.000\n" "$mbase" "$(awk -v r="$mbase" 'BEGIN { print 1e9 / r }')"
	best3 mobcap-decode-json-mix "$n" bin/mobcap decode --json "$tmp/mix.pcap"
	best3 mobcap-latency-rtt-mix "$n" bin/mobcap latency rtt "$tmp/mix.pcap"
	best3 mobcap-latency-conv-mix "$n" bin/mobcap latency convergence "$tmp/mix.pcap"
	best3 mobcap-latency-handoff-mix "$n" bin/mobcap latency handoff "$tmp/mix.pcap"
} >>"$out/bench.tsv"
if command -v tshark >/dev/null 2>&1; then
	tn=100000
	bin/mkbench mix "$tmp/small.pcap" "$tn"
	{
		best3 tshark-fields-mix-100k "$tn" tshark -n -r "$tmp/small.pcap" -T fields \
			-e frame.number -e ipv6.src -e ipv6.dst -e mip6.mhtype -e dns.id -e dns.aaaa
		best3 mobcap-decode-json-mix-100k "$tn" bin/mobcap decode --json "$tmp/small.pcap"
	} >>"$out/bench.tsv"
	ts=$(awk -F'\t' '$1 == "tshark-fields-mix-100k" { print $2 }' "$out/bench.tsv")
	mc=$(awk -F'\t' '$1 == "mobcap-decode-json-mix-100k" { print $2 }' "$out/bench.tsv")
	echo "bench: on the same 100k packets mobcap decode --json is $(awk -v a="$mc" -v b="$ts" 'BEGIN { printf "%.1f", a / b }') x tshark -T fields"
fi

awk -F'\t' 'BEGIN { printf "%-26s %14s %12s %10s\n", "measurement", "packets/s", "ns/packet", "x libpcap" }
	/^#/ { next }
	{ printf "%-26s %14s %12s %10s\n", $1, $2, $3, $4 }' "$out/bench.tsv"
echo "bench: ratio = rate / libpcap empty-loop rate, same run; table in $out/bench.tsv"

# linkem at zero delay beside a plain veth pair (root only)
sh tools/bench-linkem.sh

# mobprobe load mode beside AF_PACKET and libnet (root only)
sh tools/bench-flood.sh

# mobd: BU rate, tunnel forwarding, memory per binding (root only)
sh tools/bench-mobd.sh

# the correspondent: RR + BU exchanges/s, memory per binding, a HoTI/CoTI flood (root only)
sh tools/bench-cn.sh

# the TCP Migrate shim: migrate SYNs refused/s beside the offered rate and the
# kernel's RSTs, bulk throughput through it vs without, memory per
# migratable connection (root only)
sh tools/bench-migrate.sh
