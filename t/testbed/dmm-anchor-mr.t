#!/bin/sh
# t/testbed/dmm-anchor-mr.t: the dmm topology with the mobile routers as
# the anchors (ANCHORS=router, K=2, DELAY1=5, DELAY2=20; issue 17): mobd's
# home agent runs on MR1 and MR2 (service mobd-ha), each for its access
# link, taking BUs and the packets for a bound home address on its uplink
# too (ha-bu-iface).  MN gets IP1 from MR1 on m1; a TCP session A from CN1
# to MN:IP1 starts there; MN moves to m2 (IP2 from MR2) and registers
# IP1 -> IP2 with MR1 (mobd's mobile node, IP1 its home address, MR1's
# 2001:db8:41::1 its home agent).  Session A goes on through MR1: captured
# on c1 (MR1's uplink) and c2 (MR2's), its packets are tunnelled between
# MR1 and IP2 both ways; a new session B from CN1 to IP2 goes direct: plain
# TCP on c2, nothing of it on c1.  Which sessions went through an anchor is
# read from the anchors' counters (mobctl counters: MR1's tun_out and
# tun_in, MR2's none) and binding caches (IP1 bound at MR1, IP2 nowhere).
# The RTTs from CN1: to IP1 the anchored path's, to IP2 the direct one's.
# MN comes back to m1: deregistered, IP1 reached directly again.
# MR1's own neighbour entry for IP1 keeps MN's link-layer address (the home
# agent's NA to all-nodes is not looped back into the router's kernel).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root "network namespaces"
need_cmds jq tcpdump
stack_init dr
echo "1..18"
HA1=2001:db8:41::1

"$B" up dmm DNS=none RS=none ANCHORS=router DELAY1=5 DELAY2=20 >"$tmp/up.log" 2>&1
ok $? "mobbed up dmm DNS=none RS=none ANCHORS=router" || { diag <"$tmp/up.log"; exit 1; }
for _x in CN1 MN MR1 MR2 R0; do "$B" exec $_x sysctl -qw net.ipv6.icmp.ratelimit=0; done
st=$MOBBED_RUN/$MOBBED_NAME
S1=$(awk '$1 == "MR1" { print $3 }' "$st/anchors")
S2=$(awk '$1 == "MR2" { print $3 }' "$st/anchors")
cnt() { "$CTL" -S "$1" --json counters | jq -r ".$2"; }
[ "$(cnt "$S1" address)" = "$HA1" ] && [ "$(cnt "$S2" address)" = 2001:db8:42::1 ] &&
	[ "$(awk '$1 == "MR1" { print $2, $4 }' "$st/anchors")" = "m1 $HA1" ] &&
	grep -qx 'ha-bu-iface eth0' "$st/srv-MR1/mobd-ha.conf"
ok $? "home agents on MR1 (2001:db8:41::1, home link m1) and MR2 (2001:db8:42::1), BUs also on eth0 (c<i>)" ||
	{ cat "$st/anchors" "$st/srv-MR1/mobd-ha.conf" "$st/log/MR1-mobd.log"; } | diag

ip1=$(hoa_of MN)
printf 'role mobile-node\ninterface eth0\nhome-prefix 2001:db8:41::/64\nha %s\ncontrol %s\nlifetime 60\nkey 4096 %s\n' \
	"$HA1" "$tmp/mn.sock" "$(cat "$st/mobd-ha.key")" >"$tmp/mn.conf"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
# session A: CN1 -> MN:IP1, 2.4 MB at 300 kB/s (8 s), started on m1
"$B" exec MN "$S" recv 5001 >"$tmp/a.recv" 2>&1 &
ra=$!
pids="$pids $ra"
"$B" exec MN "$S" recv 5002 >"$tmp/b.recv" 2>&1 &
rb=$!
pids="$pids $rb"
wait_for 50 test -S "$tmp/mn.sock"
sleep 0.3
"$B" exec CN1 "$S" send "$ip1" 5001 2400000 300000 >"$tmp/a.send" 2>&1 &
sa=$!
pids="$pids $sa"
# the uplinks c1 (MR1 eth0) and c2 (MR2 eth0), captured from before the move
for r in MR1 MR2; do
	"$B" exec $r tcpdump -i eth0 -w "$tmp/$r.pcap" -n -U --immediate-mode >"$tmp/$r.tcpdump" 2>&1 &
	pids="$pids $!"
	eval "tp_$r=\$!"
done
wait_for 50 grep -q "listening on" "$tmp/MR1.tcpdump" && wait_for 50 grep -q "listening on" "$tmp/MR2.tcpdump"
sleep 1.5
grep -q "^from " "$tmp/a.recv"
ok $? "session A: CN1 -> MN at IP1 = $ip1 (port 5001), started on m1"

"$B" move MN m2 >"$tmp/move.log" 2>&1
ip2=$("$B" exec MN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
_bound() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e '.[0].state == "bound"'; }
wait_for 100 _bound
ok $? "MN moved to m2 (IP2 = $ip2) and is bound at MR1" || { cat "$tmp/move.log"; tail -n 5 "$tmp/mn.log"; tail -n 5 "$st/log/MR1-mobd.log"; } | diag
"$CTL" -S "$S1" bc >"$tmp/bc1.txt" 2>&1
grep -q "^$ip1 via $ip2 " "$tmp/bc1.txt" && [ "$("$CTL" -S "$S2" --json bc | jq length)" = 0 ]
ok $? "MR1's binding cache: IP1 via IP2; MR2's: empty" || diag <"$tmp/bc1.txt"
# the old address: mobbed move flushed it from MN's eth0, mobd's mobile node holds it on its TUN
[ -z "$("$B" exec MN ip -6 -o addr show dev eth0 to "$ip1/128")" ] &&
	[ -n "$("$B" exec MN ip -6 -o addr show dev mip6 to "$ip1/128")" ]
ok $? "IP1 on MN: gone from eth0, on the mobile node's TUN (mip6)"

# session B: CN1 -> MN:IP2, started after the move
"$B" exec CN1 "$S" send "$ip2" 5002 400000 400000 >"$tmp/b.send" 2>&1 &
sb=$!
pids="$pids $sb"
wait_for 200 sh -c "! kill -0 $sa" || kill "$sa"
wait "$sa"
wait_for 100 sh -c "! kill -0 $ra" || kill "$ra"
wait_for 100 sh -c "! kill -0 $sb" || kill "$sb"
wait "$sb"
wait_for 100 sh -c "! kill -0 $rb" || kill "$rb"
for r in MR1 MR2; do eval "kill -INT \$tp_$r"; done
for r in MR1 MR2; do eval "wait \$tp_$r"; done
sent=$(tail -n 1 "$tmp/a.send")
got=$(tail -n 1 "$tmp/a.recv")
case $sent in "bytes 2400000 "*) [ "$sent" = "$got" ] ;; *) false ;; esac
ok $? "session A survives the move: the same byte count and SHA-256 at both ends" ||
	{ echo "sent: $sent"; echo "got:  $got"; tail -n 5 "$tmp/mn.log"; } | diag
sent=$(tail -n 1 "$tmp/b.send")
got=$(tail -n 1 "$tmp/b.recv")
case $sent in "bytes 400000 "*) [ "$sent" = "$got" ] ;; *) false ;; esac
ok $? "session B to IP2: the same byte count and SHA-256 at both ends" ||
	{ echo "sent: $sent"; echo "got:  $got"; } | diag

# count PCAP FILTER: packets of the capture that match
count() { tcpdump -r "$tmp/$1.pcap" -n "$2" 2>/dev/null | wc -l; }
# the inner header after a 40-octet outer one, its TCP ports at 80 and 82
inA="ip6 proto 41 and ip6[46] = 6 and (ip6[80:2] = 5001 or ip6[82:2] = 5001)"
inB="ip6 proto 41 and ip6[46] = 6 and (ip6[80:2] = 5002 or ip6[82:2] = 5002)"
a_out1=$(count MR1 "src host $HA1 and dst host $ip2 and $inA")
a_in1=$(count MR1 "src host $ip2 and dst host $HA1 and $inA")
a_out2=$(count MR2 "src host $HA1 and dst host $ip2 and $inA")
[ "$a_out1" -ge 100 ] && [ "$a_in1" -ge 50 ] && [ "$a_out2" -ge 100 ]
ok $? "session A after the move passes MR1 tunnelled: MR1 -> IP2 $a_out1 packets on c1 and $a_out2 on c2, IP2 -> MR1 $a_in1 on c1"
a_plain=$(count MR2 "tcp port 5001")
b_plain2=$(count MR2 "tcp port 5002 and host $ip2")
b_plain1=$(count MR1 "tcp port 5002")
b_tun1=$(count MR1 "$inB")
b_tun2=$(count MR2 "$inB")
[ "$b_plain2" -ge 50 ] && [ "$b_plain1" = 0 ] && [ "$b_tun1" = 0 ] && [ "$b_tun2" = 0 ] && [ "$a_plain" = 0 ]
ok $? "session B goes direct: $b_plain2 plain packets on c2, none on c1, none tunnelled (session A: none plain on c2)"

# the delays: min RTT of 5 echoes from CN1 (no reply: -); through the
# anchor CN1 -R0- c1 -MR1, tunnelled back over c1 and c2 to MN: at least
# 2 x (5 + 5 + 20) = 60 ms; to IP2 directly over c2: at least 40 ms
rtt() { "$B" exec CN1 ping -c 5 -i 0.2 -W 2 "$1" 2>/dev/null | awk '/^rtt/ { split($4, v, "/"); m = v[1] } END { print (m == "" ? "-" : m) }'; }
a=$(rtt "$ip1")
d=$(rtt "$ip2")
awk -v a="$a" -v d="$d" 'BEGIN { exit !(a != "-" && d != "-" && a >= 60 && d >= 40 && d < a) }'
ok $? "min RTT from CN1: to IP1 through MR1 $a ms (>= 60), to IP2 direct $d ms (>= 40, below)"

# which sessions went through an anchor, as a campaign reads it: the
# anchors' tunnel counters and binding caches
o1=$(cnt "$S1" tun_out)
i1=$(cnt "$S1" tun_in)
o2=$(cnt "$S2" tun_out)
i2=$(cnt "$S2" tun_in)
[ "$o1" -ge 100 ] && [ "$i1" -ge 50 ] && [ "$o2" = 0 ] && [ "$i2" = 0 ]
ok $? "anchor counters: MR1 tun_out $o1, tun_in $i1 (session A); MR2 tun_out $o2, tun_in $i2"
# MR1's own neighbour entry for IP1 on m1 keeps MN's link-layer address
# (the home agent's NA is not looped back to the router's kernel)
nb=$("$B" exec MR1 ip -6 neigh show "$ip1" dev eth1)
mac=$(mac_of MN)
case $nb in *"lladdr $mac "*) true ;; *) false ;; esac
ok $? "MR1's neighbour entry for IP1 on m1: MN's $mac, not MR1's own" ||
	echo "$nb; MR1 eth1 $("$B" exec MR1 cat /sys/class/net/eth1/address)" | diag

# back on m1: MN at home with IP1 again, deregistered at MR1, which
# forwards to IP1 on m1 as before (its neighbour entry was kept)
"$B" move MN m1 >>"$tmp/move.log" 2>&1
wait_for 100 _mn_home && wait_for 50 _bc_empty "$S1" &&
	! "$B" exec MR1 nft list set netdev "mobd_$(cnt "$S1" pid)" hoas | grep -qiF "$ip1"
ok $? "MN back on m1: at home, deregistered at MR1, IP1 out of MR1's set" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$S1" bc; tail -n 5 "$tmp/mn.log"; } | diag
h=$(rtt "$ip1")
awk -v h="$h" 'BEGIN { exit !(h != "-" && h >= 10 && h < 40) }'
ok $? "CN1 reaches IP1 on m1 directly again: min RTT $h ms (>= 2 x 5, below the 40 over c2)"

kill "$mnpid"
wait "$mnpid"
s1=$?
is "$s1" 0 "SIGTERM: the mobile node exits 0"
# the anchors' home agents (processes of this test's testbed): SIGTERM,
# each stops cleanly (its log says so, no sanitizer report under SAN=1)
hapids=$(awk '$3 == "mobd" { print $1 }' "$st/pids")
# alive: running, not a zombie (their parent, mobbed up, is gone: init reaps them)
_alive() {
	_n=0
	for p in $hapids; do
		_st=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | cut -c1)
		case $_st in "" | Z | X) ;; *) _n=$((_n + 1)) ;; esac
	done
	[ "$_n" = 0 ]
}
for p in $hapids; do kill "$p"; done
wait_for 50 _alive
_gone=$?
cp "$st/log/MR1-mobd.log" "$st/log/MR2-mobd.log" "$tmp/"
[ -n "$hapids" ] && [ $_gone = 0 ] && grep -q ': stopped$' "$tmp/MR1-mobd.log" && grep -q ': stopped$' "$tmp/MR2-mobd.log" &&
	! grep -q 'Sanitizer\|runtime error' "$tmp/MR1-mobd.log" "$tmp/MR2-mobd.log" &&
	[ -z "$("$B" exec MR1 nft list tables)$("$B" exec MR2 nft list tables)" ] &&
	[ "$("$B" exec MR1 sysctl -n net.ipv6.conf.all.forwarding)" = 1 ]
ok $? "SIGTERM: the anchors' home agents (pids $(echo "$hapids" | paste -sd " " -)) stop cleanly, no nftables table left, MR1 still forwards" ||
	tail -n 5 "$tmp/MR1-mobd.log" "$tmp/MR2-mobd.log" | diag
"$B" down >"$tmp/down.log" 2>&1 && ! ip netns list | grep -q "^$MOBBED_NAME-"
ok $? "mobbed down, no namespace left" || diag <"$tmp/down.log"
