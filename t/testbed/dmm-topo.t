#!/bin/sh
# t/testbed/dmm-topo.t: fixtures/topologies/dmm has the geometry its header
# says (K=3, DELAY1..3 = 5, 20, 35 ms, no servers): each mobile router MR<i>
# one router (R0) from the correspondents (hop limit 63 in its echo
# replies), its access link's prefix 2001:db8:4<i>::/64, the minimum RTT
# from CN1 at least 2 x DELAY<i> and in the order of the delays, and the
# mobile node on MR1's link with an address from MR1's advertisements.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root
stack_init dt
echo "1..9"

# echo SRC DST: "HLIM MIN_MS" of 3 echoes (no reply: "- -")
echo_from() {
	"$B" exec "$1" ping -c 3 -i 0.2 -W 2 "$2" 2>/dev/null |
		awk '/ttl=/ { sub(/.*ttl=/, ""); h = $1 } /^rtt/ { split($4, v, "/"); m = v[1] } END { print (h == "" ? "-" : h), (m == "" ? "-" : m) }'
}
"$B" up dmm K=3 DELAY1=5 DELAY2=20 DELAY3=35 DNS=none RS=none >"$tmp/up.log" 2>&1
ok $? "mobbed up dmm K=3 DELAY1=5 DELAY2=20 DELAY3=35 DNS=none RS=none" || diag <"$tmp/up.log"
prev=0
for i in 1 2 3; do
	d=$(( i == 1 ? 5 : (i == 2 ? 20 : 35) ))
	set -- $(echo_from CN1 "2001:db8:4$i::1")
	is "$1" 63 "MR$i on its access link m$i (2001:db8:4$i::1) one router from CN1"
	awk -v m="$2" -v d="$d" -v p="$prev" 'BEGIN { exit !(m != "-" && m >= 2 * d && m > p) }'
	ok $? "MR$i: min RTT $2 ms >= 2 x $d ms and above MR$((i - 1))'s ($prev ms)"
	[ "$2" = - ] || prev=$2
done
mn=$(hoa_of MN)
case $mn in 2001:db8:41:*) r=0 ;; *) r=1 ;; esac
ok $r "MN on m1 with an address from MR1's prefix 2001:db8:41::/64 ($mn)"
"$B" down >/dev/null 2>&1
ok $? "mobbed down"
