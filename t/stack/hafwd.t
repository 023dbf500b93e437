#!/bin/sh
# t/stack/hafwd.t: the home agent's kernel state without proxy entries or
# routes (the home addresses in an nftables set, what the home link brings
# for them dropped at ingress and tunnelled from mobd's capture), and its
# tunnel in batches (issue 14, speed).  Three namespaces of its own:
#
#   R (router; home link 2001:db8:f7::/64 on v-rh, foreign 2001:db8:f6::/64)
#   H (mobd home agent 2001:db8:f7::2, kernel-state yes)
#   M (care-of address 2001:db8:f6::2; mobprobe registers the home address
#      2001:db8:f7::100 from it; its kernel drops what is tunnelled to it)
#
#  - a home registration accepted: the home address in the set "hoas" of
#    H's table netdev mobd_PID, no route of mobd's (none into the TUN), no
#    proxy neighbour entry; mobctl status says 1 home address in kernel
#    state, 0 failures;
#  - R's Neighbor Solicitation for the home address is answered by mobd
#    with H's link-layer address, Solicited set, Override clear (RFC 6275
#    10.4.1, RFC 4861 7.2.8); a DAD one (from ::) with H's link-layer
#    address, Override set; one for an address of the home prefix nobody
#    registered goes unanswered;
#  - R's neighbour entry for the home address made STALE and then probed
#    (unicast NSs, answered by mobd too): REACHABLE again;
#  - 20000 datagrams from R to the home address (mkbench pace, a sequence
#    number each) reach M tunnelled (outer source H, destination the
#    care-of address), at least 95% of them, and in the order sent: the
#    batches (capture, sendmmsg) keep it; the inner hop limit one less
#    than R sent (H forwards it: 64 from R's pace, 63 inside);
#  - R's Echo Request with hop limit 1 to the home address: Time Exceeded
#    from H, not tunnelled (fwd_hlim); one longer than H's tunnel MTU (mtu
#    1460, the default): Packet Too Big with MTU 1460 (fwd_too_big);
#  - deregistration: the set no longer holds the home address (mobctl: 0),
#    the solicitation no longer answered;
#  - the set filled from outside to its size (max-bindings, 64): a new
#    registration is accepted, its element refused (the batch retried
#    element by element): kernel_fail 1, the home address not counted in
#    kernel state, said in the log;
#  - SIGTERM: exit 0, no nftables table (the set went with it), no TUN.
# No wall-clock figure is asserted.  The namespaces are removed on any
# exit; the daemon is stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq tcpdump nft
. "$here/t/lib/stack.sh"
K=$here/bin/mkbench
stack_init hf
ns=hf$$

echo "1..12"
HOA=2001:db8:f7::100
COA=2001:db8:f6::2
HA=2001:db8:f7::2
N=20000

mk_ns() {
	ns_add "${ns}r" "${ns}h" "${ns}m" || return 1
	ip netns exec "${ns}r" sysctl -qw net.ipv6.conf.all.forwarding=1 &&
		ip link add v-rh netns "${ns}r" type veth peer name v-h netns "${ns}h" &&
		ip link add v-rm netns "${ns}r" type veth peer name v-m netns "${ns}m" &&
		ip -n "${ns}r" addr add 2001:db8:f7::1/64 dev v-rh nodad &&
		ip -n "${ns}r" addr add 2001:db8:f6::1/64 dev v-rm nodad &&
		ip -n "${ns}h" addr add "$HA/64" dev v-h nodad &&
		ip -n "${ns}m" addr add "$COA/64" dev v-m nodad &&
		ip -n "${ns}r" link set v-rh up && ip -n "${ns}r" link set v-rm up &&
		ip -n "${ns}h" link set v-h up && ip -n "${ns}m" link set v-m up &&
		ip -n "${ns}h" -6 route add default via 2001:db8:f7::1 &&
		ip -n "${ns}m" -6 route add default via 2001:db8:f6::1 &&
		ip netns exec "${ns}m" nft add table ip6 hf &&
		ip netns exec "${ns}m" nft "add chain ip6 hf pre { type filter hook prerouting priority -300; }" &&
		ip netns exec "${ns}m" nft add rule ip6 hf pre ip6 nexthdr 41 drop
}
mk_ns
ok $? "namespaces R, H, M" || exit 1

cat >"$tmp/ha.conf" <<EOF
role home-agent
interface v-h
home-prefix 2001:db8:f7::/64
control $tmp/ha.sock
max-bindings 64
max-lifetime 600
kernel-state yes
# what is tested here is the NS answers and the tunnel: no 1 s DAD wait
# before the first registration (t/stack/ha-dad.t tests that)
ha-dad no
EOF
ip netns exec "${ns}h" "$D" -d -c "$tmp/ha.conf" >"$tmp/ha.log" 2>&1 &
hapid=$!
pids="$pids $hapid"
ha_up() { "$CTL" -S "$tmp/ha.sock" status; }
ctr() { "$CTL" -S "$tmp/ha.sock" --json counters; }
wait_for 50 ha_up &&
	ip netns exec "${ns}m" "$P" bu -i v-m -s "$COA" --hoa "$HOA" --lifetime 600 --seq 1 \
		--expect ba-accepted "$HA" >"$tmp/reg.log" 2>&1
ok $? "home agent up; a home registration from M accepted" || { cat "$tmp/reg.log"; tail -n 5 "$tmp/ha.log"; } | diag

# the home addresses in H's set (nft prints them, one or more a line)
hoas() { ip netns exec "${ns}h" nft list set netdev "mobd_$hapid" hoas 2>/dev/null | tr -s ' ,{}' '\n' | grep -c ':' || true; }
inset=$(ip netns exec "${ns}h" nft list set netdev "mobd_$hapid" hoas 2>/dev/null | grep -c "$HOA" || true)
routes=$(ip -n "${ns}h" -6 route show dev mip6; ip -n "${ns}h" -6 route show "$HOA/128")
proxy=$(ip -n "${ns}h" -6 neigh show proxy)
st=$("$CTL" -S "$tmp/ha.sock" --json status)
[ "$inset" = 1 ] && [ "$(hoas)" = 1 ] && [ -z "$routes" ] && [ -z "$proxy" ] &&
	echo "$st" | jq -e '.kernel_hoas == 1 and .kernel_fail == 0' >/dev/null
ok $? "H: the home address in its nftables set, no route into the TUN or for it, no proxy entry; mobctl: 1 in kernel state" ||
	{ echo "set $inset/$(hoas) routes '$routes' proxy '$proxy' status $st"; ip netns exec "${ns}h" nft list ruleset; } | diag

HMAC=$(ip netns exec "${ns}h" cat /sys/class/net/v-h/address)
ns1=$(ip netns exec "${ns}r" "$P" ns -i v-rh --json --timeout 2 "$HOA" 2>/dev/null)
dad=$(ip netns exec "${ns}r" "$P" ns -i v-rh --dad --json --timeout 2 "$HOA" 2>/dev/null)
echo "$ns1" | jq -e --arg m "$HMAC" '.answer.tlla == $m and .answer.flags == "S"' >/dev/null &&
	echo "$dad" | jq -e --arg m "$HMAC" '.answer.tlla == $m and .answer.to == "ff02::1" and .answer.flags == "O"' >/dev/null
ok $? "R's NS for the home address: NA with H's link-layer address, S (no O); DAD's: to ff02::1, O" ||
	{ echo "$ns1"; echo "$dad"; } | diag

none=$(ip netns exec "${ns}r" "$P" ns -i v-rh --json --timeout 1 2001:db8:f7::101 2>/dev/null)
echo "$none" | jq -e '.answer.class == "none"' >/dev/null && ctr | jq -e '.na_tx == 2 and .ns_rx >= 3' >/dev/null
ok $? "an NS for an address nobody registered: unanswered; counted (ns_rx, na_tx)" ||
	{ echo "$none"; ctr; } | diag

# neighbour unreachability detection: unicast NSs to the home address (the
# home agent's packet socket has them; the kernel's copy into the TUN is dropped)
ip -n "${ns}r" -6 neigh replace "$HOA" lladdr "$HMAC" nud stale dev v-rh
before=$(ctr | jq .na_tx)
ip netns exec "${ns}r" sysctl -qw net.ipv6.neigh.v-rh.delay_first_probe_time=0
ip netns exec "${ns}r" ping -c 1 -W 1 "$HOA" >/dev/null 2>&1
reach() { ip -n "${ns}r" -6 neigh show "$HOA" dev v-rh | grep -q REACHABLE; }
wait_for 30 reach && [ "$(ctr | jq .na_tx)" -gt "$before" ]
ok $? "R's entry STALE, then probed with unicast NSs: answered by mobd, REACHABLE" ||
	{ ip -n "${ns}r" -6 neigh show "$HOA"; ctr; } | diag

ip netns exec "${ns}m" tcpdump -i v-m -nn -U -w "$tmp/m.pcap" "ip6 proto 41" >"$tmp/tcpdump.log" 2>&1 &
tdpid=$!
pids="$pids $tdpid"
wait_for 50 grep -q "listening" "$tmp/tcpdump.log"
ip netns exec "${ns}r" "$K" pace "$HOA" 47000 20000 1 >"$tmp/pace.log" 2>&1
sleep 1
kill "$tdpid"
wait "$tdpid" 2>/dev/null
# the inner UDP payload's sequence number: octets 88..91 of each packet
# (outer IPv6 40, inner IPv6 40, UDP 8); tcpdump -x prints 16 a line
tcpdump -r "$tmp/m.pcap" -nn -x 2>/dev/null | awk -v ha="$HA" -v coa="$COA" -v n="$N" '
	function hex(s,   i, v) { v = 0; for (i = 1; i <= length(s); i++) v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1; return v }
	/^[0-9]/ { hdr = ($2 == "IP6" && $3 == ha && $5 == coa ":") }
	$1 == "0x0020:" && hdr { if (substr($9, 3, 2) != "3f") hl++ }
	$1 == "0x0050:" && hdr { s = hex($6 $7); got++; if (s <= last && got > 1) bad++; last = s }
	END { printf "%d %d %d\n", got, bad + 0, hl + 0; exit !(got >= n * 0.95 && bad == 0 && hl == 0) }' >"$tmp/order"
r=$?
ok $r "$(cut -d' ' -f1 "$tmp/order") of $N datagrams tunnelled from H to the care-of address, $(cut -d' ' -f2 "$tmp/order") out of order, $(cut -d' ' -f3 "$tmp/order") with an inner hop limit not 63" ||
	{ cat "$tmp/pace.log"; ctr; tcpdump -r "$tmp/m.pcap" -nn 2>/dev/null | head -n 3; } | diag

ip netns exec "${ns}r" ping -c 1 -W 2 -t 1 "$HOA" >"$tmp/hl.log" 2>&1
grep -q "From $HA.*Time exceeded" "$tmp/hl.log" && ctr | jq -e '.fwd_hlim == 1' >/dev/null
ok $? "R's Echo Request with hop limit 1: Time Exceeded from H, not tunnelled (fwd_hlim 1)" ||
	{ cat "$tmp/hl.log"; ctr; } | diag

ip netns exec "${ns}r" ping -c 1 -W 2 -s 1440 -M do "$HOA" >"$tmp/big.log" 2>&1
grep -q "From $HA.*Packet too big: mtu=1460" "$tmp/big.log" && ctr | jq -e '.fwd_too_big == 1' >/dev/null
ok $? "R's 1488-octet Echo Request: Packet Too Big from H, MTU 1460 (fwd_too_big 1)" ||
	{ cat "$tmp/big.log"; ctr; } | diag

ip netns exec "${ns}m" "$P" bu -i v-m -s "$COA" --hoa "$HOA" --lifetime 0 --seq 2 \
	--expect ba-accepted "$HA" >"$tmp/dereg.log" 2>&1
r=$?
after=$(ip netns exec "${ns}r" "$P" ns -i v-rh --json --timeout 1 "$HOA" 2>/dev/null)
[ $r = 0 ] && [ "$(hoas)" = 0 ] && ctr | jq -e '.kernel_hoas == 0' >/dev/null &&
	echo "$after" | jq -e '.answer.class == "none"' >/dev/null
ok $? "deregistered: the home address out of the set (mobctl: 0), the NS for it unanswered" ||
	{ cat "$tmp/dereg.log"; echo "$after set $(hoas)"; ctr; } | diag

# 64 addresses of another prefix fill the set; then a registration
fill=$(awk 'BEGIN { for (i = 1; i <= 64; i++) printf "%s2001:db8:ff::%x", (i > 1 ? ", " : ""), i }')
ip netns exec "${ns}h" nft add element netdev "mobd_$hapid" hoas "{ $fill }" &&
	ip netns exec "${ns}m" "$P" bu -i v-m -s "$COA" --hoa 2001:db8:f7::200 --lifetime 600 --seq 1 \
		--expect ba-accepted "$HA" >"$tmp/full.log" 2>&1
r=$?
sleep 0.3
[ $r = 0 ] && ctr | jq -e '.kernel_fail == 1 and .kernel_hoas == 0 and .bindings == 1' >/dev/null &&
	grep -q "adding 2001:db8:f7::200 to the home addresses' nftables set" "$tmp/ha.log"
ok $? "set full: the registration accepted, its element refused and counted (kernel_fail 1, kernel_hoas 0), logged" ||
	{ cat "$tmp/full.log"; ctr; tail -n 3 "$tmp/ha.log"; } | diag

kill "$hapid"
wait "$hapid"
st=$?
left=$(ip netns exec "${ns}h" nft list tables; ip -n "${ns}h" link show mip6 2>/dev/null)
[ $st = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: mobd exits 0, no table, no TUN" || echo "$left" | diag
pids=""
