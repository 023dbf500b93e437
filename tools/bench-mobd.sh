#!/bin/sh
# tools/bench-mobd.sh: the reference home agent's speed (part of `make
# bench`; needs root).  Four namespaces:
#
#   C (correspondent) --- R (router) --- H (home agent, one interface: the
#                                         home link 2001:db8:97::/64)
#                          |
#                          M (mobile node side, 2001:db8:96::2)
#
#  - BU rate: mobprobe's load mode on R sends BUs with random home addresses
#    (no authentication, kernel-state no: the binding cache alone, then
#    kernel-state yes: a /128 route into the TUN per binding, added in
#    batches, the Neighbor Solicitations answered by mobd); the home agent's
#    bu_rx and bindings counters over the time it took, beside the rate
#    mobprobe achieved; both modes at 20k and at 100k bindings, and the
#    ratio kernel-state / cache-only of the same run;
#  - forwarding: C blasts 64-octet UDP datagrams (bench/netbench.c) for a
#    few seconds; plain: H forwards them as a kernel router (R sends
#    2001:db8:95::/64 to H, H back to R, R to M); tunnel: the same path, but
#    to a registered home address, so H's mobd encapsulates each datagram to
#    the care-of address on M.  Rate = M's rx_packets per second; ratio =
#    tunnel / plain, same run;
#  - memory per binding: a home agent sized for 1,000,000 bindings, filled
#    to about 100k and then about 1M by mobprobe; VmRSS growth / bindings.
# Results: results/bench/mobd.tsv.  BENCH_MOBD_PARTS (default "bu fwd mem")
# runs only some of the three parts.
set -eu
out=results/bench
mkdir -p "$out"
if [ "$(id -u)" != 0 ]; then
	echo "bench: mobd skipped (needs root for namespaces)"
	exit 0
fi
p=mkm$$
. tools/bench-ns.sh
ns_make "$p" c r h m
ip netns exec "${p}r" sysctl -qw net.ipv6.conf.all.forwarding=1
ip netns exec "${p}h" sysctl -qw net.ipv6.conf.all.forwarding=1 # the plain router; mobd needs it too
link() { # ns1 if1 addr1 ns2 if2 addr2
	ip link add "$2" netns "$p$1" type veth peer name "$5" netns "$p$4"
	ip netns exec "$p$1" ethtool -K "$2" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
	ip netns exec "$p$4" ethtool -K "$5" tso off gso off gro off tx off rx off >/dev/null 2>&1 || true
	ip -n "$p$1" addr add "$3/64" dev "$2" nodad
	ip -n "$p$4" addr add "$6/64" dev "$5" nodad
	ip -n "$p$1" link set "$2" up
	ip -n "$p$4" link set "$5" up
}
link c v-c 2001:db8:94::1 r v-rc 2001:db8:94::2
link r v-rh 2001:db8:97::1 h v-h 2001:db8:97::2
link r v-rm 2001:db8:96::1 m v-m 2001:db8:96::2
ip -n "${p}c" -6 route add default via 2001:db8:94::2
ip -n "${p}h" -6 route add default via 2001:db8:97::1
ip -n "${p}m" -6 route add default via 2001:db8:96::1
ip -n "${p}m" addr add 2001:db8:95::2/128 dev lo
# plain forwarding through H: R -> H for 2001:db8:95::/64, H -> R, and R,
# for what comes back from H, -> M
ip -n "${p}r" -6 route add 2001:db8:95::/64 via 2001:db8:97::2
ip -n "${p}r" -6 route add 2001:db8:95::/64 via 2001:db8:96::2 table 95
ip -n "${p}r" -6 rule add iif v-rh lookup 95 prio 95
ip -n "${p}h" -6 route add 2001:db8:95::/64 via 2001:db8:97::1
for n in c r h m; do ip netns exec "$p$n" ping -c 1 -W 1 2001:db8:95::2 >/dev/null 2>&1 || true; done

: >"$out/mobd.tsv"
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$out/mobd.tsv"; }
ctl() { bin/mobctl -S "$tmp/ha.sock" --json counters; }
start_ha() { # max-bindings kernel-state
	cat >"$tmp/ha.conf" <<EOF
role home-agent
interface v-h
home-prefix 2001:db8:97::/64
control $tmp/ha.sock
max-bindings $1
max-lifetime 600
kernel-state $2
EOF
	daemon_start "${p}h" ha
}
now() { date +%s.%N; }
# send COUNT BUs at RATE (1e8: as fast as possible); wait until the home
# agent's bu_rx stops moving; print "sent_rate bu_rx seconds bindings"
load() { # count rate [seed]
	t0=$(now)
	sent=$(ip netns exec "${p}r" bin/mobprobe bu -i v-rh -s 2001:db8:97::1 --hoa 2001:db8:97::1:0 \
		--random-hoa --lifetime 600 --rate "$2" --count "$1" --timeout 0.2 ${3:+--seed "$3"} 2001:db8:97::2 |
		sed -n 's/.*: \([0-9]*\) pkt\/s.*/\1/p' | head -n 1)
	last=-1 tl=$t0 same=0
	while [ $same -lt 5 ]; do
		cur=$(ctl | jq .bu_rx)
		if [ "$cur" = "$last" ]; then same=$((same + 1)); else same=0 last=$cur tl=$(now); fi
		sleep 0.1
	done
	echo "$sent $last $(awk -v a="$t0" -v b="$tl" 'BEGIN { printf "%.3f", b - a }') $(ctl | jq .bindings)"
}
# fill to at least COUNT bindings with bursts of 25000 BUs as fast as
# possible (what the home agent cannot take is lost at its socket: one
# burst of 100k leaves it with less than half); print "bu_rx seconds
# bindings", the seconds summed over the bursts (each until bu_rx stopped)
load_to() { # count
	_s=0 _b=0 _i=1 _rx=0
	while [ "$_b" -lt "$1" ] && [ $_i -le 40 ]; do
		set -- "$1" $(load 25000 1e8 "$_i")
		_rx=$3 _b=$5
		_s=$(awk -v a="$_s" -v b="$4" 'BEGIN { printf "%.3f", a + b }')
		_i=$((_i + 1))
	done
	echo "$_rx $_s $_b"
}
rss_kb() { awk '/^VmRSS/ { print $2 }' "/proc/$dpid/status"; }

PARTS=${BENCH_MOBD_PARTS:-bu fwd mem}
part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
rate() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }

# ---- BU rate ----
if part bu; then
start_ha 1000000 no
set -- $(load 300000 1e8)
row mobprobe-bu-sent "$1" "pkt/s"
row ha-bu-processed "$(rate "$2" "$3")" "BU/s (kernel-state no: $2 of 300000 in $3 s)"
daemon_stop
# the binding cache alone and with kernel state, 20k and 100k bindings each,
# a fresh home agent each time
for n in 20000 100000; do
	k=$((n / 1000))k
	start_ha 200000 no
	set -- $(load_to "$n")
	bc=$(rate "$1" "$2")
	row "ha-bu-cache-$k" "$bc" "BU/s (kernel-state no: $1 BUs in $2 s; $3 bindings)"
	daemon_stop
	start_ha 200000 yes
	set -- $(load_to "$n")
	ks=$(rate "$1" "$2")
	kf=$(ctl | jq .kernel_fail)
	routes=$(ip -n "${p}h" -6 route show dev mip6 | grep -c . || true)
	row "ha-bu-kernel-$k" "$ks" "BU/s (kernel-state yes: a route per binding, in batches; $1 BUs in $2 s; $3 bindings, $routes routes, $kf kernel failures)"
	row "ha-bu-kernel-ratio-$k" "$(awk -v a="$ks" -v b="$bc" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "kernel-state / cache-only, same run (aim >= 0.5)"
	daemon_stop
done
fi

# ---- forwarding: plain kernel router vs the tunnel ----
if part fwd; then
secs=3
rxm() { ip netns exec "${p}m" cat /sys/class/net/v-m/statistics/rx_packets; }
fwd() { # dst: datagrams per second arriving at M
	r0=$(rxm)
	ip netns exec "${p}c" bin/mkbench blast "$1" 47000 "$secs" >/dev/null
	sleep 0.3
	echo $((($(rxm) - r0) / secs))
}
plain=$(fwd 2001:db8:95::2)
start_ha 1024 yes
ip netns exec "${p}m" bin/mobprobe bu -i v-m -s 2001:db8:96::2 --hoa 2001:db8:97::100 \
	--lifetime 600 --expect ba-accepted 2001:db8:97::2 >"$tmp/reg.log" 2>&1 ||
	{ echo "bench: registration failed: $(cat "$tmp/reg.log")" >&2; exit 1; }
# M has no mobd: keep its kernel from answering every tunnelled packet
ip netns exec "${p}m" nft add table ip6 bench
ip netns exec "${p}m" nft "add chain ip6 bench pre { type filter hook prerouting priority -300; }"
ip netns exec "${p}m" nft add rule ip6 bench pre ip6 nexthdr 41 counter drop
tunnel=$(fwd 2001:db8:97::100)
row forward-plain-kernel "$plain" "pkt/s (C -> R -> H -> R -> M, H a kernel router)"
row forward-mobd-tunnel "$tunnel" "pkt/s (same path, H's mobd encapsulating to the care-of address)"
daemon_stop
row forward-ratio "$(awk -v a="$tunnel" -v b="$plain" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }')" "tunnel / plain kernel forwarding, same run (aim >= 0.8)"
fi

# ---- memory per binding ----
if part mem; then
start_ha 1000000 no
r0=$(rss_kb)
set -- $(load 110000 150000)
r1=$(rss_kb) b1=$4
set -- $(load 1400000 150000)
r2=$(rss_kb) b2=$4
row rss-start-kb "$r0" "kB (pool of 1000000 entries reserved, untouched)"
row bytes-per-binding-100k "$(awk -v a="$r0" -v b="$r1" -v n="$b1" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }')" \
	"B ($b1 bindings, RSS $r1 kB)"
row bytes-per-binding-1M "$(awk -v a="$r0" -v b="$r2" -v n="$b2" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }')" \
	"B ($b2 bindings, RSS $r2 kB)"
daemon_stop
fi

awk -F'\t' '
	BEGIN { printf "%-26s %14s  %s\n", "mobd", "value", "" }
	{ printf "%-26s %14s  %s\n", $1, $2, $3 }' "$out/mobd.tsv"
