#!/bin/sh
# tools/bench.sh: what `make bench` runs.  Rates of the codecs for a BU, a
# BA and a full IPv6 + Home Address option + MH packet, each also as a
# ratio to libpcap's empty pcap_loop over the same 1M-packet file, measured
# in the same run; then tshark's rate over a 100k-packet file of the same
# packets, for scale.  Results: results/bench/bench.tsv.
set -eu
n=${MK_BENCH_PACKETS:-1000000}
out=results/bench
mkdir -p "$out"
tmp=$(mktemp -d /tmp/mk-bench.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM HUP

echo "bench: generating $n full BU packets (Ethernet+IPv6+HAO+MH)"
bin/mkbench gen "$tmp/bu.pcap" "$n"
bin/mkbench run "$tmp/bu.pcap" >"$out/bench.tsv"

# mobcap decode --json over the same 1M-packet file (a streaming decoder:
# every packet parsed, described, written as a JSON line)
base=$(awk -F'\t' '$1=="libpcap-empty-loop"{print $2}' "$out/bench.tsv")
t0=$(date +%s.%N)
bin/mobcap decode --json "$tmp/bu.pcap" >/dev/null
t1=$(date +%s.%N)
awk -v t0="$t0" -v t1="$t1" -v n="$n" -v base="$base" 'BEGIN {
	r = n / (t1 - t0); printf "mobcap-decode-json\t%.0f\t%.1f\t%.3f\n", r, 1e9 / r, r / base }' >>"$out/bench.tsv"

if command -v tshark >/dev/null 2>&1; then
	tn=100000
	bin/mkbench gen "$tmp/small.pcap" "$tn"
	t0=$(date +%s.%N)
	tshark -n -r "$tmp/small.pcap" -T fields -e mip6.bu.seqnr >/dev/null 2>&1
	t1=$(date +%s.%N)
	base=$(awk -F'\t' '$1=="libpcap-empty-loop"{print $2}' "$out/bench.tsv")
	awk -v t0="$t0" -v t1="$t1" -v n="$tn" -v base="$base" 'BEGIN {
		r = n / (t1 - t0); printf "tshark-fields-bu\t%.0f\t%.1f\t%.3f\n", r, 1e9 / r, r / base }' >>"$out/bench.tsv"
fi

awk -F'\t' 'BEGIN { printf "%-26s %14s %12s %10s\n", "measurement", "packets/s", "ns/packet", "x libpcap" }
	/^#/ { next }
	{ printf "%-26s %14s %12s %10s\n", $1, $2, $3, $4 }' "$out/bench.tsv"
echo "bench: ratio = rate / libpcap empty-loop rate, same run; table in $out/bench.tsv"

# linkem at zero delay beside a plain veth pair (root only)
sh tools/bench-linkem.sh

# mobprobe load mode beside AF_PACKET and libnet (root only)
sh tools/bench-flood.sh
