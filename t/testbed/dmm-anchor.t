#!/bin/sh
# t/testbed/dmm-anchor.t: the dmm topology's anchors (ANCHORS=yes, K=2,
# DELAY1=5, DELAY2=20): mobd's home agent role on A1, the anchor host beside
# MR1 on m1, keeps MN's first address IP1 reachable after MN moves to MR2's
# link: MN (mobd's mobile node, IP1 its home address) registers IP1 -> IP2
# with A1; CN1 reaches IP1 through the anchor (CN1 -R0- c1 -MR1- A1, the
# tunnel back over c1 and c2 to MN: at least 2 x (5 + 5 + 20) = 60 ms RTT)
# and IP2 directly (over c2: at least 40 ms, below the anchored path).
# The anchor beside the router, kept for comparison: with ANCHORS=router
# the router MR1 itself is the anchor (ha-bu-iface: its home agent takes
# the BUs on its uplink), t/testbed/dmm-anchor-mr.t.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root "network namespaces"
need_cmds jq
stack_init da
echo "1..8"
KEY=00112233445566778899aabbccddeeff

"$B" up dmm DNS=none RS=none ANCHORS=yes DELAY1=5 DELAY2=20 >"$tmp/up.log" 2>&1
ok $? "mobbed up dmm DNS=none RS=none ANCHORS=yes" || { diag <"$tmp/up.log"; exit 1; }
for _x in CN1 MN MR1 MR2 R0 A1; do "$B" exec $_x sysctl -qw net.ipv6.icmp.ratelimit=0; done
ip1=$(hoa_of MN)
printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:41::/64\ncontrol %s\nmn-key * 4096 %s\n' \
	"$tmp/ha.sock" "$KEY" >"$tmp/ha.conf"
printf 'role mobile-node\ninterface eth0\nhome-prefix 2001:db8:41::/64\nha 2001:db8:41::2\ncontrol %s\nlifetime 60\nkey 4096 %s\n' \
	"$tmp/mn.sock" "$KEY" >"$tmp/mn.conf"
"$B" exec A1 "$D" -d -c "$tmp/ha.conf" >"$tmp/ha.log" 2>&1 &
hapid=$!
pids="$pids $hapid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
wait_for 50 test -S "$tmp/mn.sock" && wait_for 50 test -S "$tmp/ha.sock"
ok $? "mobd: home agent on A1, mobile node on MN (IP1 = $ip1)"

"$B" move MN m2 >"$tmp/move.log" 2>&1
ip2=$("$B" exec MN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
_bound() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e '.[0].state == "bound"'; }
wait_for 100 _bound
ok $? "MN moved to m2 (IP2 = $ip2) and is bound at its anchor" || tail -n 5 "$tmp/mn.log" | diag
"$CTL" -S "$tmp/ha.sock" bc >"$tmp/bc.txt" 2>&1
grep -q "^$ip1 via $ip2 " "$tmp/bc.txt"
ok $? "A1's binding cache: IP1 via IP2" || diag <"$tmp/bc.txt"

# min RTT of 5 echoes from CN1 (no reply: -)
rtt() { "$B" exec CN1 ping -c 5 -i 0.2 -W 2 "$1" 2>/dev/null | awk '/^rtt/ { split($4, v, "/"); m = v[1] } END { print (m == "" ? "-" : m) }'; }
a=$(rtt "$ip1")
d=$(rtt "$ip2")
awk -v a="$a" 'BEGIN { exit !(a != "-" && a >= 60) }'
ok $? "CN1 reaches IP1 through the anchor A1: min RTT $a ms >= 2 x (5 + 5 + 20) ms"
awk -v a="$a" -v d="$d" 'BEGIN { exit !(d != "-" && a != "-" && d >= 40 && d < a) }'
ok $? "CN1 reaches IP2 directly: min RTT $d ms >= 40 ms, below the anchored path's"

kill "$mnpid"
wait "$mnpid"
s1=$?
kill "$hapid"
wait "$hapid"
s2=$?
is "$s1 $s2" "0 0" "SIGTERM: the mobile node and the home agent exit 0"
"$B" down >/dev/null 2>&1
ok $? "mobbed down"
