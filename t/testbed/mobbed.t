#!/bin/sh
# t/testbed/mobbed.t: mobbed brings mip6-multiha up and down cleanly, the
# path across the core has the delay the topology declares, a move gives
# the mobile node an address from the new link, a TSIG-signed UPDATE from
# the mobile node reaches BIND and the resolver answers with it, and fail /
# restore cut and bring back a router.
#
# Its own instance name and state folder, so it never touches another
# testbed; `mobbed clean` of that folder on every way out.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
M=$here/bin/mobbed
export MOBBED_NAME="mkt$$"
MOBBED_RUN=$(mktemp -d /tmp/mk-mobbed.XXXXXX) || exit 1
export MOBBED_RUN
state=$MOBBED_RUN/$MOBBED_NAME
trap '"$M" clean >/dev/null 2>&1; rm -rf "$MOBBED_RUN"' EXIT
trap 'exit 130' INT TERM HUP

. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds radvd named unbound tcpdump ethtool ping nsupdate dig

# running: exists and is not a zombie (what mobbed started is reparented to
# PID 1 when mobbed exits; a killed one stays a zombie until that reaps it)
running() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

echo "1..20"

# --- up and down three times, nothing left behind ---------------------------
leftovers() {
	# namespaces of this instance, and processes that were recorded
	ip netns list | grep -c "^$MOBBED_NAME-" || true
}
for round in 1 2 3; do
	if "$M" up mip6-multiha >"$MOBBED_RUN/up.log" 2>&1; then
		pids=$(awk '{ print $1 }' "$state/pids")
		"$M" down >/dev/null 2>&1
		live=0
		for p in $pids; do running "$p" && live=$((live + 1)); done
		left=$(leftovers)
		[ "$left" = 0 ] && [ "$live" = 0 ] && [ ! -d "$state" ]
		ok $? "up/down round $round: no namespace ($left), no process ($live), no state left"
	else
		ok 1 "up/down round $round"
		diag <"$MOBBED_RUN/up.log"
	fi
done

# --- the testbed the remaining checks use ---------------------------------------
if ! "$M" up mip6-multiha N=2 DELAY=5 >"$MOBBED_RUN/up.log" 2>&1; then
	diag <"$MOBBED_RUN/up.log"
	for i in 4 5 6 7 8 9 10 11 12 13; do echo "not ok $i - testbed did not come up"; done
	exit 1
fi

# --- ping across N=2 core links of 5 ms each: 20 ms round trip --------------------
rtt=$("$M" exec MN ping -n -c 20 -i 0.05 2001:db8:3::101 2>&1 |
	awk -F'[/ =]+' '/^rtt/ { print $6, $7 }')
set -- $rtt
min=${1:-0} avg=${2:-0}
echo "# MN -> C1 across 2 core links of 5 ms: rtt min $min ms, avg $avg ms (declared 20)" | diag
awk -v m="$min" 'BEGIN { exit !(m >= 20.0 && m <= 21.5) }'
ok $? "round trip over the core is 20 ms as declared (min $min ms, tolerance 0 to +1.5 ms)"

# --- changing a link's delay while running ----------------------------------------------
"$M" link c1 delay=15 >/dev/null 2>&1
rtt2=$("$M" exec MN ping -n -c 10 -i 0.05 2001:db8:3::101 2>&1 | awk -F'[/ =]+' '/^rtt/ { print $6 }')
"$M" link c1 delay=5 >/dev/null 2>&1
awk -v m="${rtt2:-0}" 'BEGIN { exit !(m >= 40.0 && m <= 41.5) }'
ok $? "mobbed link c1 delay=15 makes it 40 ms (min ${rtt2:-none} ms)"

# --- capture: one nanosecond pcap per node interface --------------------------------------
cap=$MOBBED_RUN/cap
"$M" capture start "$cap" >/dev/null 2>&1
"$M" exec MN ping -n -c 3 -i 0.05 2001:db8:3::101 >/dev/null 2>&1
"$M" capture stop "$cap" >/dev/null 2>&1
nfiles=$(ls "$cap" 2>/dev/null | wc -l)
nifs=$(wc -l <"$state/attach")
# nanosecond pcap magic a1b23c4d (little-endian 4d3cb2a1), the echoes seen at C1
magic=$(od -An -tx1 -N4 "$cap/C1-eth0.pcap" 2>/dev/null | tr -d ' ')
echoes=$(tcpdump -nr "$cap/C1-eth0.pcap" 2>/dev/null | grep -c "echo request")
[ "$nfiles" = "$nifs" ] && [ "$magic" = 4d3cb2a1 ] && [ "$echoes" = 3 ]
ok $? "capture: $nfiles pcaps for $nifs interfaces, nanosecond format ($magic), 3 echo requests at C1 ($echoes)"

# --- move: a new address from the new link, within a bound ---------------------------
out=$("$M" move MN f1 2>&1)
echo "$out" | diag
ms=$(echo "$out" | sed -n 's/.* after \([0-9.]*\) ms$/\1/p')
echo "$out" | grep -q "2001:db8:21:" && awk -v m="${ms:-99999}" 'BEGIN { exit !(m < 1000) }'
ok $? "move MN f1: address from 2001:db8:21::/64 in ${ms:-?} ms (bound 1000 ms)"
"$M" exec MN ping -n -c 3 -i 0.1 -W 1 2001:db8:3::101 >/dev/null 2>&1
ok $? "MN reaches C1 from f1"
out=$("$M" move MN home 2>&1)
echo "$out" | grep -q "2001:db8:1:"
ok $? "move MN home: address from the home prefix again ($(echo "$out" | sed -n 's/.* after //p'))"

# --- a TSIG-signed UPDATE from the mobile node, answered by the resolver ----------------
coa=$("$M" exec MN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/64/, "", $4); print $4; exit }')
printf 'server 2001:db8:3::53\nzone example.\nupdate delete mn.example. AAAA\nupdate add mn.example. 0 AAAA %s\nsend\n' "$coa" |
	"$M" exec MN nsupdate -k "$state/tsig.key" >"$MOBBED_RUN/nsupdate.log" 2>&1
ok $? "nsupdate -k (TSIG hmac-sha256) from MN accepted by BIND"
got=$("$M" exec C1 dig +short @2001:db8:3::35 mn.example. AAAA 2>&1)
[ "$got" = "$coa" ]
ok $? "unbound on RES answers mn.example. AAAA $coa (got '$got')"

# --- fail and restore a router ------------------------------------------------------------------
"$M" fail R1 >/dev/null 2>&1
"$M" exec MN ping -n -c 2 -i 0.1 -W 1 2001:db8:3::101 >/dev/null 2>&1
[ $? != 0 ]
ok $? "fail R1: the correspondent is unreachable"
"$M" restore R1 >/dev/null 2>&1
"$M" exec MN ping -n -c 3 -i 0.1 -W 1 2001:db8:3::101 >/dev/null 2>&1
ok $? "restore R1: reachable again"
"$M" fail R0 >/dev/null 2>&1
dead=$(awk '$2 == "R0" && $3 == "radvd" { print $1 }' "$state/pids")
! running "$dead"
r1=$?
"$M" restore R0 >/dev/null 2>&1
new=$(awk '$2 == "R0" && $3 == "radvd" { print $1 }' "$state/pids")
[ $r1 = 0 ] && [ "$new" != "$dead" ] && running "$new"
ok $? "fail R0 kills its radvd (PID $dead); restore starts a new one (PID $new)"

"$M" down >/dev/null 2>&1

# --- dns-convergence: every kind of resolver answers with the update ---------------------
if "$M" up dns-convergence >"$MOBBED_RUN/up.log" 2>&1; then
	ok 0 "dns-convergence up: BIND, and unbound, BIND, PowerDNS Recursor, Knot Resolver, dnsmasq"
	printf 'server 2001:db8:3::53\nzone example.\nupdate add moved.example. 0 AAAA 2001:db8:1::77\nsend\n' |
		"$M" exec MN nsupdate -k "$state/tsig.key" >/dev/null 2>&1
	bad=""
	for a in 31 32 33 34 35; do
		got=$("$M" exec CLU1 dig +short +time=2 +tries=1 @2001:db8:3::$a moved.example. AAAA 2>&1)
		[ "$got" = 2001:db8:1::77 ] || bad="$bad ::$a($got)"
		done
	[ -z "$bad" ]
	ok $? "all five resolvers answer the updated AAAA${bad:+; wrong:$bad}"
	"$M" down >/dev/null 2>&1
else
	ok 1 "dns-convergence up"
	diag <"$MOBBED_RUN/up.log"
	ok 1 "resolvers answer (not run)"
fi
# server_takes_update DNS RESOLVER CLIENT ADDR WHAT: bring up dns-convergence
# with that server and one resolver (at ::31), publish ADDR for
# moved.example. by TSIG-signed UPDATE from MN, ask through the resolver.
server_takes_update() {
	if "$M" up dns-convergence DNS="$1" RESOLVERS="$2" >"$MOBBED_RUN/up.log" 2>&1; then
		printf 'server 2001:db8:3::53\nzone example.\nupdate add moved.example. 0 AAAA %s\nsend\n' "$4" |
			"$M" exec MN nsupdate -k "$state/tsig.key" >/dev/null 2>&1
		got=$("$M" exec "$3" dig +short +time=2 +tries=1 @2001:db8:3::31 moved.example. AAAA 2>&1)
		[ "$got" = "$4" ]
		ok $? "$5 (got '$got')"
		"$M" down >/dev/null 2>&1
	else
		ok 1 "dns-convergence with DNS=$1 up"
		diag <"$MOBBED_RUN/up.log"
	fi
}
server_takes_update knot unbound CLU1 2001:db8:1::78 "Knot DNS takes the TSIG-signed UPDATE, unbound answers it"

# --- PowerDNS as the server; a failed up leaves nothing ------------------------------------
server_takes_update pdns kresd CLK1 2001:db8:1::79 "PowerDNS takes the TSIG-signed UPDATE, Knot Resolver answers it"
# an unknown service kind fails after namespaces, links and routers exist
# (DNS=nonesuch is refused before: the topology declares the kinds)
printf 'link lan 2001:db8:5::/64\nnode T\nattach T lan ::2\nservice T nonesuch\n' >"$MOBBED_RUN/badsvc"
"$M" up "$MOBBED_RUN/badsvc" >"$MOBBED_RUN/up.log" 2>&1
st=$?
# processes whose command line names the state folder (the bracket keeps
# grep from matching its own command line)
procs=$(grep -l "[/]${MOBBED_RUN#/}" /proc/[0-9]*/cmdline 2>/dev/null | wc -l)
[ $st = 2 ] && [ "$(leftovers)" = 0 ] && [ "$procs" = 0 ] && [ ! -d "$state" ] &&
	grep -q "nonesuch" "$MOBBED_RUN/up.log"
ok $? "a failed up (service nonesuch, exit $st) says why and leaves no namespace, process ($procs) or state"

# --- clean after a "crashed" run: up, then only clean ---------------------------------------
if "$M" up mip6-multiha F=1 N=1 >"$MOBBED_RUN/up.log" 2>&1; then
	pids=$(awk '{ print $1 }' "$state/pids")
	"$M" clean >/dev/null 2>&1
	live=0
	for p in $pids; do running "$p" && live=$((live + 1)); done
	[ "$(leftovers)" = 0 ] && [ "$live" = 0 ] && [ ! -d "$state" ]
	ok $? "mobbed clean removes a run that was never taken down ($live processes left)"
else
	ok 1 "mip6-multiha F=1 N=1 up"
	diag <"$MOBBED_RUN/up.log"
fi
exit 0
