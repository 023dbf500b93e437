#!/bin/sh
# tools/bench-cn.sh: the reference correspondent's speed and memory (part
# of `make bench`; needs root).  Two namespaces and a veth pair:
#
#   G (generator, 2001:db8:cb::1) --- C (mobd as correspondent, 2001:db8:cb::2)
#
# C routes the home prefix 2001:db8:ca::/64 and the care-of prefix
# 2001:db8:cc::/64 to G; G blackholes them, so its kernel drops what comes
# back to those addresses silently (no Destination Unreachable to C) after
# t/lib/rrload has captured it.
#
#  - offered: mobprobe's load mode sends BUs with random home addresses
#    (no Binding Authorization Data: the correspondent discards them after
#    parsing) as fast as it can: the rate mobprobe offers, and the rate at
#    which the correspondent took them in (bu_rx over the time it took);
#  - flood: 1M HoTI/CoTI from random home and care-of addresses, as fast
#    as rrload sends them, at a fresh correspondent; RssAnon before and
#    after (RR keeps no state per node, 5.2.8: it must stay flat), the
#    HoTI/CoTI it took in (the rest overflow its capture) and the HoT/CoT
#    it answered per second;
#  - exchanges: t/lib/rrload runs complete RR + BU exchanges, each its own
#    mobile node (HoTI, CoTI, HoT, CoT, Kbm, BU with the authenticator, BA 0
#    with its authenticator checked), 128 under way at once, into a
#    correspondent sized for 1,100,000 bindings: exchanges completed per
#    second from 0 to 100k bindings (with mobd's and rrload's CPU seconds:
#    mobd's near the run's seconds, rrload's well under; on a busy machine
#    mobd gets less: exchanges per second of mobd's CPU time is given too),
#    then from 100k to 1M;
#  - memory per binding at 100k and 1M: RssAnon growth over those fills
#    (the heap and the binding cache; the capture ring is a mapping of its
#    own, outside RssAnon) divided by the bindings.  Each binding also has
#    a kernel route into the TUN device (9.3.2): the kernel's Slab + Percpu
#    growth over the same fill, machine-wide (other processes add noise),
#    is given beside.
# Results: results/bench/cn.tsv.  MK_BENCH_CN_BINDINGS (default 1000000)
# sizes the large fill.
set -eu
out=results/bench
mkdir -p "$out"
if [ "$(id -u)" != 0 ]; then
	echo "bench: cn skipped (needs root for namespaces)"
	exit 0
fi
big=${MK_BENCH_CN_BINDINGS:-1000000}
p=mkc$$
. tools/bench-ns.sh
ns_make "$p" g c
ip link add v-g netns "${p}g" type veth peer name v-c netns "${p}c"
for x in g c; do
	ip netns exec "$p$x" ethtool -K "v-$x" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
done
ip -n "${p}g" addr add 2001:db8:cb::1/64 dev v-g nodad
ip -n "${p}c" addr add 2001:db8:cb::2/64 dev v-c nodad
ip -n "${p}g" link set v-g up
ip -n "${p}c" link set v-c up
ip -n "${p}c" -6 route add 2001:db8:ca::/64 via 2001:db8:cb::1
ip -n "${p}c" -6 route add 2001:db8:cc::/64 via 2001:db8:cb::1
ip -n "${p}g" -6 route add blackhole 2001:db8:ca::/64
ip -n "${p}g" -6 route add blackhole 2001:db8:cc::/64
ip netns exec "${p}g" ping -c 1 -W 1 2001:db8:cb::2 >/dev/null 2>&1 || true

: >"$out/cn.tsv"
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$out/cn.tsv"; }
ctl() { bin/mobctl -S "$tmp/cn.sock" --json counters; }
start_cn() { # max-bindings
	cat >"$tmp/cn.conf" <<EOF
role correspondent
interface v-c
control $tmp/cn.sock
cn-max-bindings $1
cn-max-lifetime 420
EOF
	daemon_start "${p}c" cn
}
now() { date +%s.%N; }
rss_anon() { awk '/^RssAnon/ { print $2 }' "/proc/$dpid/status"; }
kernel_kb() { awk '/^(Slab|Percpu):/ { s += $2 } END { print s }' /proc/meminfo; } # machine-wide
cpu_s() { awk '{ printf "%.2f", ($14 + $15) / 100 }' "/proc/$dpid/stat"; } # utime + stime (USER_HZ 100)
per() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }'; } # kB0 kB1 N: B each
# wait until the counter jq expression $1 stops moving (5 polls of 0.1 s);
# print "value seconds-since-$2"
settle() {
	last=-1 tl=$2 same=0
	while [ $same -lt 5 ]; do
		cur=$(ctl | jq "$1")
		if [ "$cur" = "$last" ]; then same=$((same + 1)); else same=0 last=$cur tl=$(now); fi
		sleep 0.1
	done
	echo "$last $(awk -v a="$2" -v b="$tl" 'BEGIN { printf "%.3f", b - a }')"
}
rrload() { # N MODE [OPTIONS]: rrload's KEY=VALUE line
	n=$1 mode=$2
	shift 2
	ip netns exec "${p}g" t/lib/rrload -i v-g -h 2001:db8:ca:: -c 2001:db8:cc:: -n "$n" "$@" \
		2001:db8:cb::2 "$mode" 2>"$tmp/rrload.err" ||
		{ echo "bench: rrload failed: $(head -n 2 "$tmp/rrload.err")" >&2; exit 1; }
}
kv() { # KEY LINE
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p"
}

# ---- offered: mobprobe's BUs (random home addresses, no authorization) ----
start_cn 1024
t0=$(now)
sent=$(ip netns exec "${p}g" bin/mobprobe bu -i v-g -s 2001:db8:cb::1 --hoa 2001:db8:ca::1 --flags A \
	--random-hoa --lifetime 60 --rate 1e8 --count 300000 --timeout 0.2 2001:db8:cb::2 |
	sed -n 's/.*: \([0-9]*\) pkt\/s.*/\1/p' | head -n 1)
set -- $(settle .bu_rx "$t0")
row mobprobe-bu-sent "$sent" "pkt/s (load mode, AF_PACKET sendmmsg)"
row cn-bu-taken-in "$(awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }')" \
	"BU/s (no authorization data: parsed, discarded; $1 of 300000 in $2 s)"
daemon_stop

# ---- a flood of HoTI/CoTI from random addresses ----
start_cn 1024
r0=$(rss_anon)
t0=$(now)
line=$(rrload 1000000 flood)
set -- $(settle '.hoti_rx + .coti_rx' "$t0")
r1=$(rss_anon)
answered=$(ctl | jq '.hot_tx + .cot_tx')
row flood-hoti-coti-sent "$(kv rate "$line")" "pkt/s ($(kv sent "$line") from random addresses, as fast as rrload sends)"
row cn-rr-answered "$(awk -v n="$answered" -v s="$2" 'BEGIN { printf "%.0f", n / s }')" \
	"HoT+CoT/s ($answered answered of $1 taken in; the rest overflowed mobd's capture)"
row flood-rss-anon-growth-kb "$((r1 - r0))" "kB (RssAnon $r0 -> $r1 kB over $1 HoTI/CoTI: no state per node)"
daemon_stop

# ---- RR + BU exchanges per second; memory per binding at 100k and 1M ----
# A window of 128 exchanges: with 1024, bursts of HoTI/CoTI overflow
# mobd's capture and a few percent of the exchanges are lost.
start_cn 1100000
r0=$(rss_anon) s0=$(kernel_kb) c0=$(cpu_s)
line=$(rrload 100000 exchange -w 128)
b1=$(ctl | jq .bindings)
r1=$(rss_anon) s1=$(kernel_kb) c1=$(cpu_s)
line2=$(rrload $((big - b1)) exchange -w 128)
b2=$(ctl | jq .bindings)
r2=$(rss_anon) s2=$(kernel_kb)
row cn-rr-bu-exchanges "$(kv rate "$line")" \
	"exchanges/s (BA 0, authenticator checked; $(kv completed "$line") of $(kv started "$line") in $(kv seconds "$line") s, refused $(kv refused "$line"), lost $(kv lost "$line"); mobd cpu $(awk -v a="$c0" -v b="$c1" 'BEGIN { printf "%.2f", b - a }') s, rrload cpu $(kv cpu "$line") s)"
row cn-exchanges-per-cpu-s "$(awk -v n="$(kv completed "$line")" -v a="$c0" -v b="$c1" 'BEGIN { printf "%.0f", n / (b - a) }')" \
	"exchanges per second of mobd's CPU time (user + system), the same run: other load on the machine does not change it"
row cn-exchanges-100k-to-1M "$(kv rate "$line2")" \
	"exchanges/s (from $b1 to $b2 bindings; refused $(kv refused "$line2"), lost $(kv lost "$line2"))"
row rss-anon-start-kb "$r0" "kB (binding cache of 1100000 entries reserved, untouched)"
row bytes-per-binding-100k "$(per "$r0" "$r1" "$b1")" \
	"B ($b1 bindings, RssAnon $r1 kB; kernel Slab+Percpu +$(per "$s0" "$s1" "$b1") B/binding, machine-wide)"
row bytes-per-binding-1M "$(per "$r0" "$r2" "$b2")" \
	"B ($b2 bindings, RssAnon $r2 kB; kernel Slab+Percpu +$(per "$s0" "$s2" "$b2") B/binding, machine-wide)"
daemon_stop

awk -F'\t' 'BEGIN { printf "%-26s %14s  %s\n", "correspondent", "value", "" }
	{ printf "%-26s %14s  %s\n", $1, $2, $3 }' "$out/cn.tsv"
