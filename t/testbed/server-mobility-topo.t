#!/bin/sh
# t/testbed/server-mobility-topo.t: fixtures/topologies/server-mobility
# has the geometry its header says, in both shapes (HOPS=2, DELAY=5, two
# client nodes, no name servers): the routers between C1 and the home
# link's HA1 and the foreign link f1's router (the hop limit of their
# echo replies: 64 less the routers crossed) and the emulated delay on the
# way (at least 2 x DELAY per core link crossed, a lower bound only).
#   away:    C1 -R0- home (1 router), C1 -R0-R1- R2 on f1 (2 core links)
#   towards: C1 -R2-R1-R0- home (3 routers, 2 core links), R2 on f1 (0)
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root
stack_init sm
echo "1..10"

# echo SRC DST: "HLIM MIN_MS" of 3 echoes (no reply: "- -")
echo_from() {
	"$B" exec "$1" ping -c 3 -i 0.2 -W 2 "$2" 2>/dev/null |
		awk '/ttl=/ { sub(/.*ttl=/, ""); h = $1 } /^rtt/ { split($4, v, "/"); m = v[1] } END { print (h == "" ? "-" : h), (m == "" ? "-" : m) }'
}
for shape in away towards; do
	"$B" up server-mobility SHAPE=$shape HOPS=2 DELAY=5 CLIENTS=2 DNS=none >"$tmp/up-$shape.log" 2>&1
	ok $? "$shape: mobbed up server-mobility SHAPE=$shape HOPS=2 DELAY=5 CLIENTS=2 DNS=none" || diag <"$tmp/up-$shape.log"
	is "$("$B" exec C2 ip -6 -o addr show dev eth0 scope global | awk '{ print $4 }')" "2001:db8:3::102/64" \
		"$shape: the second client node C2 on the clients' link cl"
	set -- $(echo_from C1 2001:db8:1::2)
	home_h=$1 home_ms=$2
	set -- $(echo_from C1 2001:db8:21::1)
	f1_h=$1 f1_ms=$2
	if [ $shape = away ]; then
		is "$home_h $f1_h" "63 62" "away: HA1 one router from the clients (hop limit 63), f1's router R2 behind R0 and R1 (62)"
		awk -v h="$home_ms" -v f="$f1_ms" 'BEGIN { exit !(h != "-" && f != "-" && f >= 20) }'
		ok $? "away: f1 at least 2 core links x 2 x 5 ms away ($f1_ms ms; home $home_ms ms)"
	else
		is "$home_h $f1_h" "61 64" "towards: HA1 behind R2, R1, R0 (61), f1's router R2 the clients' own (64)"
		awk -v h="$home_ms" -v f="$f1_ms" 'BEGIN { exit !(h != "-" && f != "-" && h >= 20) }'
		ok $? "towards: the home link at least 2 core links x 2 x 5 ms away ($home_ms ms; f1 $f1_ms ms)"
	fi
	"$B" down >/dev/null 2>&1
	ok $? "$shape: mobbed down"
done
