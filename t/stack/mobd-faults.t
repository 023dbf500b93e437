#!/bin/sh
# t/stack/mobd-faults.t: what a new user hit with mobd (issue 12), on
# mip6-multiha (F=1 N=1) with HA1 running mobd and HA2 a plain node.
#
#  - R0 is no home agent: its RAs carry no H bit, and HA1's home agent list
#    never holds the bare prefix 2001:db8:1:: (it used to: R0 sent the R bit
#    with the prefix, and mobd took the prefix for a router address);
#  - home agent list entries that are no home agents (HA1 is told of
#    2001:db8:1::99, which nobody holds, and R0's address, preferences
#    above its own): the BU to the first is answered with Destination
#    Unreachable (R0's neighbour discovery fails), the BU to R0 with
#    Parameter Problem; the mobile node drops each at once and registers
#    with HA1 (it used to wait out the BA timeouts on the first);
#  - refused BUs at 1000/s: the error answers are limited by the token
#    bucket (error-rate 20, error-burst 10) and counted, sent and suppressed;
#  - kill -9 of the home agent, then a restart: the dead one's nftables table
#    and a proxy entry for the home address (older mobd versions left them)
#    are removed and the log says so; the same for the
#    mobile node's rule; a persistent TUN of mobd's name is taken over and
#    goes when mobd stops;
#  - RAs with the H bit: a bare prefix with the R bit is refused
#    (ra_bad_addr); mobbed's `ra R0 home ha` (a second, two-node topology)
#    sends R0's full address, which the home agent list takes.
# Namespaces are this test's own and removed on any exit; the processes it
# started are ended by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft
. "$here/t/lib/stack.sh"
stack_init mf

mn_state() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e --arg s "$1" '.[0].state == $s'; }
ha_up() { "$CTL" -S "$tmp/ha1.sock" status; }
counters() { "$CTL" -S "$tmp/ha1.sock" --json counters; }
start_ha() {
	"$B" exec HA1 "$D" -d -v -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
	hapid=$!
	pids="$pids $hapid"
	wait_for 50 ha_up
}
start_mn() {
	"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
	mnpid=$!
	pids="$pids $mnpid"
}

echo "1..19"
KEY=00112233445566778899aabbccddeeff
R0=2001:db8:1::1
NOBODY=2001:db8:1::99
HA=2001:db8:1::2

"$B" up mip6-multiha F=1 N=1 >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up (F=1 N=1)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
for node in R0 HA1 MN; do "$B" exec $node sysctl -qw net.ipv6.icmp.ratelimit=0; done
HOA=$(hoa_of MN)

cat >"$tmp/ha1.conf" <<EOF
role home-agent
interface eth0
home-prefix 2001:db8:1::/64
preference 20
control $tmp/ha1.sock
# no home agents: entries like the bare prefix the list used to take
home-agent $R0 preference 30
home-agent $NOBODY preference 40
max-bindings 16
mn-key * 4096 $KEY
error-rate 20
error-burst 10
EOF
cat >"$tmp/mn.conf" <<EOF
role mobile-node
interface eth0
home-prefix 2001:db8:1::/64
home-address $HOA
control $tmp/mn.sock
lifetime 60
key 4096 $KEY
EOF
start_ha
ok $? "home agent up" || tail -n 5 "$tmp/ha1.log" | diag

# ---- R0's advertisements ----
sleep 1
grep -q "AdvHomeAgentFlag" "$MOBBED_RUN/$MOBBED_NAME/radvd-R0.conf"
ok $((!$?)) "R0 is no home agent: its radvd sends no H bit"
list=$("$CTL" -S "$tmp/ha1.sock" --json ha)
echo "$list" | jq -e 'length > 0 and (map(.addr) | index("2001:db8:1::") == null)' >/dev/null
ok $? "HA1's home agent list has no bare prefix after 1 s of R0's RAs" || echo "$list" | diag

# ---- BUs answered with ICMPv6 errors ----
start_mn
wait_for 50 mn_state home
"$B" move MN f1 >/dev/null
wait_for 100 mn_state bound
ok $? "from f1: registered within 10 s though DHAAD named ::99 and R0 first" || tail -n 8 "$tmp/mn.log" | diag
grep -q "Parameter Problem from $R0 to the BU for $R0: not a home agent" "$tmp/mn.log"
ok $? "the mobile node took R0's Parameter Problem as 'not a home agent'" || tail -n 8 "$tmp/mn.log" | diag
grep -q "Destination Unreachable from [0-9a-f:]* to the BU for $NOBODY: not a home agent" "$tmp/mn.log"
ok $? "and the Destination Unreachable for $NOBODY" || tail -n 8 "$tmp/mn.log" | diag
bul=$("$CTL" -S "$tmp/mn.sock" --json bul)
is "$(echo "$bul" | jq -r '.[0].ha')" "$HA" "bound with HA1"
mc=$("$CTL" -S "$tmp/mn.sock" --json counters)
echo "$mc" | jq -e '.bu_icmp_err == 2' >/dev/null
ok $? "mobctl counters: bu_icmp_err $(echo "$mc" | jq .bu_icmp_err)" || echo "$mc" | diag

# ---- the error answers' rate limit ----
c0=$(counters)
"$B" exec C1 "$P" bu --hoa 2001:db8:99::1 --random-hoa --rate 1000 --count 500 --timeout 1 \
	"$HA" >"$tmp/load.out" 2>&1
c1=$(counters)
delta() { jq -n --argjson a "$c0" --argjson b "$c1" "(\$b$1 // 0) - (\$a$1 // 0)"; }
rx=$(delta .bu_rx)
sent=$(delta .err_sent)
supp=$(delta .err_suppressed)
b132=$(delta '.ba_status."132"')
[ "$supp" -gt 0 ] && [ $((sent + supp)) = "$rx" ] && [ "$b132" = "$sent" ] && [ "$sent" -lt 100 ]
ok $? "$rx refused BUs: $sent BAs 132 sent, $supp suppressed (error-rate 20, error-burst 10)" ||
	{ echo "rx $rx sent $sent supp $supp b132 $b132"; cat "$tmp/load.out"; } | diag
"$CTL" -S "$tmp/ha1.sock" counters | grep -q "^err_suppressed  *[1-9]"
ok $? "mobctl counters (text) shows err_suppressed"

# ---- kill -9 and a restart ----
old=$hapid
kill -KILL "$old"
wait "$old" 2>/dev/null
left=$("$B" exec HA1 nft list tables; "$B" exec HA1 ip -6 route show "$HOA/128")
echo "$left" | grep -q "mobd_$old" && ! echo "$left" | grep -q "$HOA"
ok $? "kill -9: the home agent's table mobd_$old stays; its route went with its TUN" || echo "$left" | diag
# a proxy entry for the home address, as a mobd before the change to
# answering Neighbor Solicitations itself left them
"$B" exec HA1 ip -6 neigh add proxy "$HOA" dev eth0
# an ip6 table of the name mobd used before its table moved to the netdev
# ingress hook, left by a process that is no mobd (this shell)
"$B" exec HA1 nft add table ip6 mobd_$$
# and a persistent TUN of mobd's name, as another tool could leave
"$B" exec HA1 ip tuntap add dev mip6 mode tun
start_ha
grep -q "TUN device mip6 was left over: taken over, no longer persistent" "$tmp/ha1.log"
ok $? "restarted: the persistent TUN mip6 taken over, and said so" || diag <"$tmp/ha1.log"
grep -q "removed nftables table netdev mobd_$old" "$tmp/ha1.log" &&
	grep -q "removed nftables table ip6 mobd_$$" "$tmp/ha1.log" &&
	grep -q "removed proxy entry $HOA" "$tmp/ha1.log"
ok $? "restarted: it removed the dead one's table (and an old-style ip6 one) and proxy entry, and said so" || diag <"$tmp/ha1.log"
tables=$("$B" exec HA1 nft list tables)
[ "$tables" = "table netdev mobd_$hapid" ]
ok $? "one nftables table left: the live one's" || echo "$tables" | diag
oldmn=$mnpid
kill -KILL "$oldmn"
wait "$oldmn" 2>/dev/null
start_mn
wait_for 50 grep -q "removed 1 rule from $HOA" "$tmp/mn.log"
ok $? "restarted mobile node: the dead one's rule removed, and said so" || diag <"$tmp/mn.log"

# ---- RAs with the H bit, the R bit and the bare prefix ----
radvd_on_ha2() { # PREFIX: radvd on HA2 for 1.5 s, H and R bits
	cat >"$tmp/radvd.conf" <<EOF
interface eth0 {
	AdvSendAdvert on;
	AdvIntervalOpt on;
	MinRtrAdvInterval 0.03;
	MaxRtrAdvInterval 0.07;
	MinDelayBetweenRAs 0.03;
	AdvDefaultLifetime 0;
	AdvHomeAgentFlag on;
	AdvHomeAgentInfo on;
	HomeAgentPreference 10;
	HomeAgentLifetime 1800;
	prefix $1 {
		AdvOnLink on;
		AdvAutonomous on;
		AdvRouterAddr on;
	};
};
EOF
	"$B" exec HA2 sysctl -qw net.ipv6.conf.all.forwarding=1
	"$B" exec HA2 radvd -n -C "$tmp/radvd.conf" -p "$tmp/radvd.pid" -m stderr 2>>"$tmp/radvd.log" &
	_r=$!
	pids="$pids $_r"
	sleep 1.5
	kill "$_r"
	wait "$_r" 2>/dev/null
}
radvd_on_ha2 2001:db8:1::/64
c=$(counters)
list=$("$CTL" -S "$tmp/ha1.sock" --json ha)
echo "$c" | jq -e '.ra_rx > 0 and .ra_bad_addr > 0' >/dev/null &&
	echo "$list" | jq -e 'length > 0 and (map(.addr) | index("2001:db8:1::") == null)' >/dev/null
ok $? "H bit, R bit with the bare prefix: refused ($(echo "$c" | jq .ra_bad_addr) times), not listed" ||
	{ echo "$c"; echo "$list"; cat "$tmp/radvd.log"; } | diag

# ---- `ra R0 home ha` as mobbed writes it: R0's full address, listed ----
kill "$hapid" "$mnpid"
wait "$hapid" "$mnpid" 2>/dev/null
"$B" exec HA1 ip link show mip6 >/dev/null 2>&1
ok $((!$?)) "SIGTERM: the taken-over TUN went with the home agent"
"$B" down >/dev/null 2>&1
cat >"$tmp/ha-topo" <<EOF
link home 2001:db8:1::/64
router R0
attach R0 home
ra R0 home ha
node HA1
attach HA1 home ::2
EOF
"$B" up "$tmp/ha-topo" >"$tmp/up2.log" 2>&1 || tail -n 5 "$tmp/up2.log" | diag
grep -v "^home-agent\|^# " "$tmp/ha1.conf" >"$tmp/ha1b.conf"
mv "$tmp/ha1b.conf" "$tmp/ha1.conf"
start_ha
sleep 1
list=$("$CTL" -S "$tmp/ha1.sock" --json ha)
grep -q "prefix 2001:db8:1::1/64" "$MOBBED_RUN/$MOBBED_NAME/radvd-R0.conf" &&
	echo "$list" | jq -e 'map(select(.source == "ra")) | map(.addr) == ["2001:db8:1::1"]' >/dev/null
ok $? "mobbed's 'ra R0 home ha': R bit with R0's full address, listed by HA1" ||
	{ echo "$list"; cat "$MOBBED_RUN/$MOBBED_NAME/radvd-R0.conf"; } | diag
