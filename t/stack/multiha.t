#!/bin/sh
# t/stack/multiha.t: a mobile node registered with two home agents (the
# multiple-home-agent paper, seeds/003) on mip6-multiha (F=1 N=1): mobd as
# home agent on HA1 and HA2 (each names the other with home-agent, probes
# every 200 ms, 3 misses), as mobile node on MN with home-agents 2.
#
#  - from f1 the mobile node asks DHAAD, registers with both (MHA flag and
#    option listing HA1 then HA2); HA1 is active (the home address in its nftables
#    set), HA2 a backup (the binding, not in its set);
#  - a TCP stream C1 -> MN through HA1; HA1 is cut off (mobbed fail): HA2
#    misses its probes, sends Home Agent Unreachable naming HA1 to the
#    mobile node, takes the home address over (set, NA, NS answers); the mobile
#    node drops HA1 and uses HA2; the stream keeps every byte (SHA-256);
#  - a Home Agent Unreachable from C1 (not a home agent of the node), and one
#    from HA2 naming HA2 itself: ignored and counted;
#  - back home: deregistered at HA2; SIGTERM: exit 0, nothing left.
# Namespaces are this test's own and are removed on any exit; the daemons
# it started are stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft
. "$here/t/lib/stack.sh"
stack_init mh

echo "1..10"
KEY=00112233445566778899aabbccddeeff
HA1=2001:db8:1::2
HA2=2001:db8:1::3

"$B" up mip6-multiha F=1 N=1 >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up (F=1 N=1)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
for node in C1 MN HA1 HA2; do "$B" exec $node sysctl -qw net.ipv6.icmp.ratelimit=0; done
HOA=$(hoa_of MN)
C1=$(hoa_of C1)

for h in 1 2; do
	ha_conf "$tmp/ha$h.conf" "$tmp/ha$h.sock"
	printf 'ha-probe-interval 200\nha-probe-misses 3\nhome-agent %s\n' "$([ $h = 1 ] && echo $HA2 || echo $HA1)" >>"$tmp/ha$h.conf"
done
mn_conf "$tmp/mn.conf" "$tmp/mn.sock" 60
echo "home-agents 2" >>"$tmp/mn.conf"
"$D" -n -c "$tmp/mn.conf" 2>&1 | grep -q "^home-agents 2$" &&
	"$D" -n -c "$tmp/ha2.conf" 2>&1 | grep -q "^ha-probe-interval 200$" &&
	{ printf 'home-agents 9\n' | cat "$tmp/mn.conf" - >"$tmp/bad.conf"; "$D" -n -c "$tmp/bad.conf" >"$tmp/bad.out" 2>&1; [ $? = 2 ]; } &&
	grep -q "home-agents" "$tmp/bad.out"
ok $? "mobd -n: home-agents and ha-probe-interval read; home-agents 9 refused, exit 2" || cat "$tmp/bad.out" | diag

"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
pids="$pids $!"
"$B" exec HA2 "$D" -d -c "$tmp/ha2.conf" >"$tmp/ha2.log" 2>&1 &
ha2pid=$!
pids="$pids $ha2pid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
bul() { "$CTL" -S "$tmp/mn.sock" --json bul; }
mn_state() { bul | jq -e --arg s "$1" '.[0].state == $s'; }
both_bound() { bul | jq -e --arg a "$1" --arg b "$2" '.[0].ha == $a and .[0].state == "bound" and any(.[]; .kind == "home-agent" and .ha == $b and .state == "bound")'; }
wait_for 50 mn_state home
ok $? "two home agents and the mobile node (at home) up" || tail -n 5 "$tmp/mn.log" | diag

"$B" move MN f1 >/dev/null
wait_for 80 both_bound "$HA1" "$HA2"
ok $? "from f1: DHAAD, then registered with HA1 (in use) and HA2" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; tail -n 8 "$tmp/mn.log"; } | diag
c1=$("$CTL" -S "$tmp/ha1.sock" --json counters)
c2=$("$CTL" -S "$tmp/ha2.sock" --json counters)
p1=$(ha_route HA1)
p2=$(ha_route HA2)
echo "$c1" | jq -e '.mha_bu >= 1 and .mha_backup == 0' >/dev/null &&
	echo "$c2" | jq -e '.mha_bu >= 1 and .mha_backup >= 1' >/dev/null && [ "$p1" = 1 ] && [ "$p2" = 0 ]
ok $? "the MHA option read by both: HA1 active (its nftables set holds the home address), HA2 backup (binding, not in its set)" ||
	{ echo "$c1" "$c2" "routes: $p1 $p2"; } | diag

stream_start 400000 100000
sleep 1
"$B" fail HA1 >/dev/null 2>&1
promoted() { bul | jq -e --arg a "$HA2" '.[0].ha == $a and .[0].state == "bound"'; }
wait_for 80 promoted
r=$?
c2=$("$CTL" -S "$tmp/ha2.sock" --json counters)
cm=$("$CTL" -S "$tmp/mn.sock" --json counters)
[ $r = 0 ] && echo "$c2" | jq -e '.peer_dead == 1 and .hau_tx >= 1 and .takeover == 1' >/dev/null &&
	echo "$cm" | jq -e '.hau_ok == 1 and .ha_promoted == 1' >/dev/null &&
	[ "$(ha_route HA2)" = 1 ] && [ "$(ns_tlla R0 "$HOA")" = "$(mac_of HA2)" ]
ok $? "HA1 cut off: HA2 declares it dead, sends Home Agent Unreachable, takes over (in its set; it answers R0's NS for the home address); the mobile node uses HA2" ||
	{ echo "$c2"; echo "$cm"; "$CTL" -S "$tmp/mn.sock" bul; tail -n 6 "$tmp/ha2.log" "$tmp/mn.log"; } | diag
stream_end
[ -n "$sent" ] && [ "$sent" = "$got" ]
ok $? "TCP stream C1 -> MN through the failure: $got, identical at both ends" ||
	echo "sent '$sent' received '$got'" | diag

COA=$(bul | jq -r '.[0].coa')
"$B" exec C1 "$P" haunreach --ha "$HA2" --timeout 1 "$COA" >"$tmp/hau1.log" 2>&1
"$B" exec HA2 "$P" haunreach -s "$HA2" --ha "$HA2" --timeout 1 "$COA" >"$tmp/hau2.log" 2>&1
cm=$("$CTL" -S "$tmp/mn.sock" --json counters)
echo "$cm" | jq -e '.hau_ignored >= 2 and .hau_ok == 1' >/dev/null && promoted
ok $? "Home Agent Unreachable from C1, and from HA2 naming itself: ignored, counted, HA2 still in use" ||
	{ echo "$cm"; cat "$tmp/hau1.log" "$tmp/hau2.log"; } | diag

home_and_stop HA2 "$tmp/ha2.sock" "$ha2pid"
