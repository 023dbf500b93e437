#!/bin/sh
# t/stack/harel.t: HA Reliability, hard switch (draft-ietf-mip6-hareliability-06)
# on mip6-multiha (F=1 N=1): mobd as home agent on HA1 (ha-reliability
# active) and HA2 (standby), HA-HELLO every 200 ms, the active declared dead
# after 1000 ms of silence; mobd as mobile node on MN (home agent HA1, key).
#
#  - mobd -n reads the keywords; a bad mode and ha-peer without
#    ha-reliability are refused (exit 2, the bad value named);
#  - from f1 the mobile node registers with HA1; the binding is synced to
#    HA2 by State Sync (mobctl bc on HA2 shows it, same care-of address and
#    sequence number), HA2 holds no kernel state for it;
#  - home and back: the deregistration at HA1 deletes HA2's copy, the new
#    registration is synced again;
#  - a TCP stream C1 -> MN through HA1; HA1 is cut off (mobbed fail): HA2
#    hears no Hello, goes active after the dead interval (its nftables set holds
#    the home address), sends an authenticated Home Agent Switch; the
#    mobile node switches to HA2 and registers (BU, BA); the stream keeps
#    every byte (SHA-256 at both ends);
#  - forged Home Agent Switches from C1 (no authenticator; the right SPI
#    with a wrong authenticator) are refused and counted, HA2 stays in use;
#  - back home: deregistered at HA2; SIGTERM: exit 0, nothing left.
# Namespaces are this test's own and are removed on any exit; the daemons
# it started are stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft
. "$here/t/lib/stack.sh"
stack_init hr

echo "1..12"
KEY=00112233445566778899aabbccddeeff
HA1=2001:db8:1::2
HA2=2001:db8:1::3
H=$here/t/lib/hasend

"$B" up mip6-multiha F=1 N=1 >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up (F=1 N=1)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
for node in C1 MN HA1 HA2; do "$B" exec $node sysctl -qw net.ipv6.icmp.ratelimit=0; done
HOA=$(hoa_of MN)

ha_conf "$tmp/ha1.conf" "$tmp/ha1.sock"
printf 'ha-reliability active\nha-peer %s\nha-hello-interval 200\nha-dead-interval 1000\n' "$HA2" >>"$tmp/ha1.conf"
ha_conf "$tmp/ha2.conf" "$tmp/ha2.sock"
printf 'ha-reliability standby\nha-peer %s\nha-hello-interval 200\nha-dead-interval 1000\n' "$HA1" >>"$tmp/ha2.conf"
mn_conf "$tmp/mn.conf" "$tmp/mn.sock" 60
"$D" -n -c "$tmp/ha2.conf" >"$tmp/n.out" 2>&1 &&
	grep -q "^ha-reliability standby$" "$tmp/n.out" && grep -q "^ha-peer $HA1$" "$tmp/n.out" &&
	grep -q "^ha-dead-interval 1000$" "$tmp/n.out"
ok $? "mobd -n: ha-reliability, ha-peer, ha-hello-interval, ha-dead-interval read" || diag <"$tmp/n.out"

sed 's/^ha-reliability standby$/ha-reliability primary/' "$tmp/ha2.conf" >"$tmp/bad1.conf"
"$D" -n -c "$tmp/bad1.conf" >"$tmp/bad1.out" 2>&1
r1=$?
grep -v '^ha-reliability' "$tmp/ha2.conf" >"$tmp/bad2.conf"
"$D" -n -c "$tmp/bad2.conf" >"$tmp/bad2.out" 2>&1
r2=$?
[ $r1 = 2 ] && grep -q "primary" "$tmp/bad1.out" && [ $r2 = 2 ] && grep -q "need ha-reliability" "$tmp/bad2.out"
ok $? "ha-reliability primary, and ha-peer without ha-reliability: refused, exit 2, named" ||
	cat "$tmp/bad1.out" "$tmp/bad2.out" | diag

"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
pids="$pids $!"
sleep 0.3
"$B" exec HA2 "$D" -d -c "$tmp/ha2.conf" >"$tmp/ha2.log" 2>&1 &
ha2pid=$!
pids="$pids $ha2pid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
bul() { "$CTL" -S "$tmp/mn.sock" --json bul; }
mn_state() { bul | jq -e --arg s "$1" '.[0].state == $s'; }
bound_with() { bul | jq -e --arg a "$1" '.[0].ha == $a and .[0].state == "bound"'; }
heard() { "$CTL" -S "$tmp/ha2.sock" --json counters | jq -e '.harp_hello_rx >= 2 and .ha_reliability == "standby"'; }
wait_for 50 mn_state home && wait_for 30 heard
ok $? "HA1 (active), HA2 (standby, hearing HA1's Hellos) and the mobile node (at home) up" ||
	{ "$CTL" -S "$tmp/ha2.sock" counters; tail -n 5 "$tmp/ha2.log" "$tmp/mn.log"; } | diag

"$B" move MN f1 >/dev/null
synced() { "$CTL" -S "$tmp/ha2.sock" --json bc | jq -e --arg h "$HOA" 'length == 1 and .[0].hoa == $h'; }
wait_for 80 bound_with "$HA1" && wait_for 30 synced
r=$?
b1=$("$CTL" -S "$tmp/ha1.sock" --json bc)
b2=$("$CTL" -S "$tmp/ha2.sock" --json bc)
c1=$("$CTL" -S "$tmp/ha1.sock" --json counters)
c2=$("$CTL" -S "$tmp/ha2.sock" --json counters)
p1=$(ha_route HA1)
p2=$(ha_route HA2)
[ $r = 0 ] && [ "$(echo "$b1" | jq -c '[.[0].coa, .[0].seq]')" = "$(echo "$b2" | jq -c '[.[0].coa, .[0].seq]')" ] &&
	echo "$c1" | jq -e '.ss_tx >= 1 and .ss_ack_rx >= 1' >/dev/null &&
	echo "$c2" | jq -e '.ss_synced >= 1 and .ss_ack_tx >= 1 and .bu_standby == 0' >/dev/null &&
	[ "$p1" = 1 ] && [ "$p2" = 0 ]
ok $? "from f1: bound with HA1 (its nftables set holds the home address); the binding synced to HA2 (same care-of address and sequence number, not in its set)" ||
	{ echo "$b1" "$b2" "$c1" "$c2" "routes: $p1 $p2"; } | diag

"$B" move MN home >/dev/null
wait_for 60 mn_state home && wait_for 30 _bc_empty "$tmp/ha1.sock" && wait_for 30 _bc_empty "$tmp/ha2.sock"
r=$?
"$B" move MN f1 >/dev/null
wait_for 80 bound_with "$HA1" && wait_for 30 synced && [ $r = 0 ]
ok $? "home: deregistered at HA1, the deletion synced (HA2's cache empty); to f1 again: synced again" ||
	{ "$CTL" -S "$tmp/ha1.sock" bc; "$CTL" -S "$tmp/ha2.sock" bc; tail -n 4 "$tmp/ha2.log"; } | diag

stream_start 400000 100000
sleep 1
t0=$(date +%s%N)
"$B" fail HA1 >/dev/null 2>&1
wait_for 100 bound_with "$HA2"
r=$?
t1=$(date +%s%N)
c2=$("$CTL" -S "$tmp/ha2.sock" --json counters)
cm=$("$CTL" -S "$tmp/mn.sock" --json counters)
[ $r = 0 ] && echo "$c2" | jq -e '.switchover == 1 and .has_tx >= 1 and .ha_reliability == "active (switched over)"' >/dev/null &&
	echo "$cm" | jq -e '.has_ok == 1 and .has_refused == 0' >/dev/null &&
	[ "$(ha_route HA2)" = 1 ] && [ "$(ns_tlla R0 "$HOA")" = "$(mac_of HA2)" ]
ok $? "HA1 cut off: HA2 goes active (in its set; it answers R0's NS for the home address), sends Home Agent Switch; the mobile node registers with HA2" ||
	{ echo "$c2"; echo "$cm"; "$CTL" -S "$tmp/mn.sock" bul; tail -n 6 "$tmp/ha2.log" "$tmp/mn.log"; } | diag
{
	echo "HA1 cut -> mobile node bound with HA2 (mobctl, polled every 100 ms): $(((t1 - t0) / 1000000)) ms"
	grep -h "silent for" "$tmp/ha2.log"
	grep -h "Home Agent Switch from\|bound:" "$tmp/mn.log" | tail -n 2
} | diag
stream_end
[ -n "$sent" ] && [ "$sent" = "$got" ]
ok $? "TCP stream C1 -> MN through the switch: $got, identical at both ends" ||
	echo "sent '$sent' received '$got'" | diag

COA=$(bul | jq -r '.[0].coa')
"$B" exec C1 "$H" "$HOA" "$COA" 2001:db8:1::99 >"$tmp/f1.log" 2>&1 &&
	"$B" exec C1 "$H" -k "4096:$KEY" -b "$HOA" "$COA" 2001:db8:1::99 >>"$tmp/f1.log" 2>&1
sent=$?
forged() { "$CTL" -S "$tmp/mn.sock" --json counters | jq -e '.has_refused >= 2'; }
wait_for 30 forged
r=$?
cm=$("$CTL" -S "$tmp/mn.sock" --json counters)
[ $sent = 0 ] && [ $r = 0 ] && echo "$cm" | jq -e '.has_ok == 1 and .has_refused == 2' >/dev/null && bound_with "$HA2" >/dev/null
ok $? "forged Home Agent Switches from C1 (no authenticator; wrong authenticator): refused, counted, HA2 still in use" ||
	{ echo "$cm"; cat "$tmp/f1.log"; grep "Home Agent Switch" "$tmp/mn.log"; } | diag
"$B" exec C1 "$H" -k "4096:$KEY" "$HOA" "$COA" "$HA2" >"$tmp/f2.log" 2>&1
ok2() { "$CTL" -S "$tmp/mn.sock" --json counters | jq -e '.has_ok == 2'; }
wait_for 30 ok2 && wait_for 50 bound_with "$HA2"
ok $? "the same with the shared key (from C1, naming HA2): believed (authenticated), registers again with HA2" ||
	{ "$CTL" -S "$tmp/mn.sock" counters; cat "$tmp/f2.log"; } | diag

home_and_stop HA2 "$tmp/ha2.sock" "$ha2pid"
