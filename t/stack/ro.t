#!/bin/sh
# t/stack/ro.t: route optimization at the mobile node (RFC 6275 11.6-11.7)
# with mobd's correspondent, on mip6-multiha (F=2 K=2): mobd as home agent
# on HA1, as mobile node on MN (route-optimization always), as
# correspondent on C1; C2 is a plain Linux host (no Mobile IPv6).
#
#  - C1 pings the home address from f1: the Echo Request comes through the
#    home agent's tunnel, the mobile node runs return routability (HoTI
#    through the tunnel, CoTI direct), sends the BU, gets BA 0 with a right
#    authenticator, and is bound in C1's cache;
#  - then the data goes direct: the mobile node's packets carry a Home
#    Address option, C1's a type 2 routing header (tshark, the decoding
#    oracle, reads both from MN's capture), and RTT direct < RTT through the
#    home agent (the testbed's path lengths: through HA1 crosses c1 twice
#    more each way);
#  - a TCP stream C1 -> MN keeps every byte (SHA-256 at both ends) across
#    f1 -> f2 -> home with route optimization on; after f2 the binding
#    at C1 names the new care-of address; back home it is deregistered;
#  - C2 (Linux, no Mobile IPv6) answers the HoTI with Parameter Problem:
#    the mobile node stops trying with it (legacy, with the reason in
#    `mobctl bul`), and C2's traffic still flows through the tunnel;
#  - HA2 runs the home agent and correspondent roles in one mobd: the
#    mobile node (registered with HA1) route-optimizes with it;
#  - mobd -n reads route-optimization and refuses a bad prefix (exit 2);
#  - SIGTERM: both daemons exit 0 and leave no nftables table.
# Namespaces are this test's own and are removed on any exit; the daemons
# it started are stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft tshark
. "$here/t/lib/stack.sh"
stack_init ro

echo "1..15"
KEY=00112233445566778899aabbccddeeff
HA=2001:db8:1::2

multiha_up 2 2

ha_conf "$tmp/ha1.conf" "$tmp/ha1.sock"
mn_conf "$tmp/mn.conf" "$tmp/mn.sock" 120
echo "route-optimization always" >>"$tmp/mn.conf"
printf 'role correspondent\ninterface eth0\ncontrol %s\n' "$tmp/cn.sock" >"$tmp/cn.conf"

cp "$tmp/mn.conf" "$tmp/mnp.conf"
echo "route-optimization 2001:db8:3::/64 2001:db8:9::1/48" >"$tmp/bad.conf"
sed -i 's/^route-optimization always$/route-optimization 2001:db8:3::\/64/' "$tmp/mnp.conf"
cat "$tmp/mn.conf" "$tmp/bad.conf" | grep -v "^route-optimization always" >"$tmp/bad2.conf"
"$D" -n -c "$tmp/mnp.conf" 2>&1 | grep -q "^route-optimization 2001:db8:3::/64$" &&
	{ "$D" -n -c "$tmp/bad2.conf" >"$tmp/bad.out" 2>&1; [ $? = 2 ]; } &&
	grep -q "2001:db8:9::1/48' has host bits set" "$tmp/bad.out"
ok $? "mobd -n: route-optimization PREFIX read; a prefix with host bits refused naming it, exit 2" ||
	cat "$tmp/bad.out" | diag

"$B" capture start "$tmp/pcap" >/dev/null
"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
pids="$pids $!"
"$B" exec C1 "$D" -d -c "$tmp/cn.conf" >"$tmp/cn.log" 2>&1 &
cnpid=$!
pids="$pids $cnpid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
mn_state() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e --arg s "$1" '.[0].state == $s'; }
cn_up() { "$CTL" -S "$tmp/cn.sock" status; }
ro_state() { # CN STATE
	"$CTL" -S "$tmp/mn.sock" --json bul | jq -e --arg c "$1" --arg s "$2" '.[] | select(.cn == $c) | .state == $s'
}
wait_for 50 mn_state home && wait_for 50 cn_up
ok $? "home agent, mobile node (at home) and correspondent up" || tail -n 5 "$tmp/mn.log" "$tmp/cn.log" | diag

"$B" move MN f1 >/dev/null
wait_for 60 mn_state bound
ok $? "the mobile node registered with HA1 from f1" || tail -n 5 "$tmp/mn.log" | diag
COA1=$("$CTL" -S "$tmp/mn.sock" --json bul | jq -r '.[0].coa')

# C1's first packets come through the home agent: route optimization starts
"$B" exec C1 ping -c 3 -i 0.2 -W 1 "$HOA" >"$tmp/ping0.log" 2>&1
wait_for 50 ro_state "$C1" bound
ok $? "C1's traffic through the tunnel starts return routability; BA 0 with a right authenticator: bound" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; tail -n 8 "$tmp/mn.log"; } | diag
bc=$("$CTL" -S "$tmp/cn.sock" --json bc | jq -r --arg h "$HOA" '.[] | select(.hoa == $h) | .coa')
is "$bc" "$COA1" "C1's binding cache: the home address -> the care-of address on f1"

"$B" exec C1 ping -c 10 -i 0.1 -W 1 "$HOA" >"$tmp/ping1.log" 2>&1
cnt=$("$CTL" -S "$tmp/mn.sock" --json counters)
echo "$cnt" | jq -e '.ro_in >= 10 and .ro_out >= 10 and .hot_rx >= 1 and .cot_rx >= 1 and .ro_ba_rx >= 1 and .ro_ba_bad == 0' >/dev/null &&
	grep -q " 0% packet loss" "$tmp/ping1.log"
ok $? "direct: 10 echoes, every request in with an RH2 and every reply out with a HAO (mobctl counters)" ||
	{ echo "$cnt"; cat "$tmp/ping1.log"; } | diag

# C2 is a Linux host: the HoTI gets Parameter Problem; the tunnel stays
"$B" exec C2 ping -c 3 -i 0.3 -W 1 "$HOA" >"$tmp/ping2.log" 2>&1
wait_for 30 ro_state "$C2" legacy
r=$?
why=$("$CTL" -S "$tmp/mn.sock" --json bul | jq -r --arg c "$C2" '.[] | select(.cn == $c) | .reason')
[ $r = 0 ] && echo "$why" | grep -q "Parameter Problem" &&
	"$B" exec C2 ping -c 10 -i 0.1 -W 1 "$HOA" >"$tmp/ping3.log" 2>&1 && grep -q " 0% packet loss" "$tmp/ping3.log"
ok $? "a legacy correspondent (Linux): Parameter Problem to the HoTI or CoTI, no route optimization ($why); its traffic goes through the tunnel" ||
	"$CTL" -S "$tmp/mn.sock" bul | diag
rtt_ha=$(awk -F/ '/^rtt/ { print $5 }' "$tmp/ping3.log")
rtt_direct=$(awk -F/ '/^rtt/ { print $5 }' "$tmp/ping1.log")
awk -v a="$rtt_ha" -v b="$rtt_direct" 'BEGIN { exit !(a > 0 && b > 0 && b < a) }'
ok $? "RTT C1 direct ($rtt_direct ms avg) < RTT C2 through the home agent ($rtt_ha ms avg; C1 and C2 share a link)"

# HA2 is a home agent of the same link and also a correspondent (two roles
# in one mobd): the mobile node, registered with HA1, route-optimizes with it
HA2=2001:db8:1::3
printf 'role home-agent correspondent\ninterface eth0\nhome-prefix 2001:db8:1::/64\ncontrol %s\nmn-key * 4096 %s\n' \
	"$tmp/ha2.sock" "$KEY" >"$tmp/ha2.conf"
"$B" exec HA2 "$D" -d -c "$tmp/ha2.conf" >"$tmp/ha2.log" 2>&1 &
ha2pid=$!
pids="$pids $ha2pid"
ha2_up() { "$CTL" -S "$tmp/ha2.sock" status; }
wait_for 50 ha2_up && "$B" exec HA2 ping -c 2 -i 0.3 -W 1 "$HOA" >/dev/null 2>&1
wait_for 50 ro_state "$HA2" bound &&
	"$B" exec HA2 ping -c 5 -i 0.1 -W 1 "$HOA" 2>&1 | grep -q " 0% packet loss" &&
	bc=$("$CTL" -S "$tmp/ha2.sock" --json bc) && cnt=$("$CTL" -S "$tmp/ha2.sock" --json counters) &&
	echo "$bc" | jq -e --arg h "$HOA" --arg c "$COA1" 'any(.[]; .hoa == $h and .coa == $c)' >/dev/null &&
	echo "$cnt" | jq -e '.roles[] | select(.role == "correspondent") | .ro_out >= 5 and .ro_in >= 5' >/dev/null
ok $? "a home agent that is also a correspondent (HA2, one mobd, two roles): bound, data direct both ways" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$tmp/ha2.sock" counters; tail -n 5 "$tmp/ha2.log"; } | diag

# a TCP stream across f1 -> f2 -> home with route optimization on
"$B" exec MN "$S" recv 5001 >"$tmp/recv.log" 2>&1 &
rpid=$!
pids="$pids $rpid"
sleep 0.3
"$B" exec C1 "$S" send "$HOA" 5001 600000 100000 >"$tmp/send.log" 2>&1 &
spid=$!
pids="$pids $spid"
sleep 1.5
"$B" move MN f2 >/dev/null
wait_for 60 mn_state bound
COA2=$("$CTL" -S "$tmp/mn.sock" --json bul | jq -r '.[0].coa')
bound_at() { "$CTL" -S "$tmp/cn.sock" --json bc | jq -e --arg h "$HOA" --arg c "$1" '.[] | select(.hoa == $h) | .coa == $c'; }
wait_for 60 bound_at "$COA2" && wait_for 30 ro_state "$C1" bound
ok $? "after the move to f2: RR and BU again, C1's binding names $COA2" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$tmp/cn.sock" bc; tail -n 8 "$tmp/mn.log"; } | diag
sleep 1.5
"$B" move MN home >/dev/null
wait_for 60 mn_state home
bc_empty() { [ "$("$CTL" -S "$tmp/cn.sock" --json bc | jq length)" = 0 ]; }
wait_for 60 bc_empty
ok $? "back home: deregistered at C1 (lifetime 0 BU from the home address), the binding gone" ||
	{ "$CTL" -S "$tmp/cn.sock" bc; tail -n 8 "$tmp/mn.log"; } | diag
wait "$spid"
wait_for 100 sh -c "! kill -0 $rpid" || kill "$rpid"
wait "$rpid"
sent=$(tail -n 1 "$tmp/send.log")
got=$(tail -n 1 "$tmp/recv.log")
[ -n "$sent" ] && [ "$sent" = "$got" ]
ok $? "TCP stream C1 -> MN across f1 -> f2 -> home: $got, identical at both ends" ||
	echo "sent '$sent' received '$got'" | diag

"$B" capture stop "$tmp/pcap" >/dev/null
f=$tmp/pcap/MN-eth0.pcap
hao=$(tshark -r "$f" -Y "ipv6.opt.mipv6.home_address == $HOA && ipv6.dst == $C1 && icmpv6.type == 129" -T fields -e frame.number 2>/dev/null | wc -l)
rh2=$(tshark -r "$f" -Y "ipv6.routing.mipv6.home_address == $HOA && ipv6.src == $C1 && icmpv6.type == 128" -T fields -e frame.number 2>/dev/null | wc -l)
[ "$hao" -ge 10 ] && [ "$rh2" -ge 10 ]
ok $? "tshark on MN's capture: $hao Echo Replies to C1 with the Home Address option, $rh2 Echo Requests from C1 with an RH2"

kill "$mnpid" "$cnpid"
wait "$mnpid"
st1=$?
wait "$cnpid"
st2=$?
left=$("$B" exec C1 nft list tables; "$B" exec MN nft list tables)
[ $st1 = 0 ] && [ $st2 = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: mobile node and correspondent exit 0, no nftables table left" || echo "$left" | diag
