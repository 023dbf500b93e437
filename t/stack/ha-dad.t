#!/bin/sh
# t/stack/ha-dad.t: Duplicate Address Detection at the home agent (RFC 6275
# 10.3.1, issue 14) on the mip6-ha testbed: mobd is the home agent on T, P
# plays the mobile node away from home (mobprobe; its care-of prefix
# 2001:db8:7::/64 is routed to P) and the other nodes of the home link.
#
#  - configuration: ha-dad yes and ha-dad-timeout 1000 by default, bad
#    values refused with exit 2 naming them;
#  - a first registration's BA comes after the DAD wait (>= 1000 ms), and
#    the NS is on the wire (tshark on T's capture: from ::, to the
#    solicited-node group, target the home address, with a nonce); a
#    refresh of it starts no DAD;
#  - P owns the home address: BA 134, no binding, a log line, counted; with
#    the L flag, P owning the link-local address of the same interface
#    identifier does the same (and the NS for it is on the wire), without
#    it the registration is accepted;
#  - P starts its own DAD for the address during the wait: BA 134;
#  - 40 home addresses at once: every BA is 0, none waits for another;
#  - a newer BU for an address in DAD joins it (one DAD, the newer BU's
#    BA); a deregistration ends it (no binding);
#  - time-scale divides the wait; BUs waiting count against max-bindings
#    (the rest: 130 at once); ha-dad no: no NS, no DAD;
#  - SIGTERM: mobd exits 0, nothing left.
# Namespaces are this test's own and removed on any exit; the processes it
# started are ended by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq nft tshark
. "$here/t/lib/stack.sh"
stack_init hd

echo "1..28"
KEY=00112233445566778899aabbccddeeff
HA=2001:db8:1::2
COA=2001:db8:7::100
PFX=2001:db8:1::

"$B" up mip6-ha >"$tmp/up.log" 2>&1
ok $? "mip6-ha up" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
for node in P T; do "$B" exec $node sysctl -qw net.ipv6.icmp.ratelimit=0; done
"$B" exec T ip -6 route add 2001:db8:7::/64 via 2001:db8:1::1
"$B" exec P ip -6 route add blackhole 2001:db8:7::/64
# P's kernel does DAD (mobbed turns it off) and starts it at once (RFC
# 4862 5.4.2's random delay: 0): for the case of another node's DAD
"$B" exec P sysctl -qw net.ipv6.conf.eth0.router_solicitation_delay=0

ha_conf "$tmp/ha.conf" "$tmp/ha.sock"
out=$("$D" -n -c "$tmp/ha.conf" 2>&1)
echo "$out" | grep -qx 'ha-dad yes' && echo "$out" | grep -qx 'ha-dad-timeout 1000'
ok $? "mobd -n: ha-dad yes, ha-dad-timeout 1000 by default" || echo "$out" | diag
bad() { # LINE: the value refused, exit 2, named
	{ cat "$tmp/ha.conf"; echo "$1"; } >"$tmp/bad.conf"
	_e=$("$D" -n -c "$tmp/bad.conf" 2>&1)
	_s=$?
	[ $_s = 2 ] && echo "$_e" | grep -q "bad.conf:6: $(echo "$1" | awk '{ print $1 " '\''" $2 "'\''" }')"
	ok $? "'$1' refused with exit 2 ($_s), naming the value" || echo "$_e" | diag
}
bad "ha-dad maybe"
bad "ha-dad-timeout 0"

ha_up() { "$CTL" -S "$tmp/ha.sock" status; }
start_ha() { # CONF
	"$B" exec T "$D" -d -v -c "$1" >>"$tmp/ha.log" 2>&1 &
	hapid=$!
	pids="$pids $hapid"
	wait_for 50 ha_up
}
stop_ha() {
	kill "$hapid"
	wait "$hapid"
}
cnt() { "$CTL" -S "$tmp/ha.sock" --json counters | jq -r ".$1"; }
# bu HOA SEQ [mobprobe options]: a home registration from P, its JSON in $tmp/bu.json
bu() {
	_h=$1 _s=$2
	shift 2
	"$B" exec P "$P" bu --hoa "$_h" --coa "$COA" --seq "$_s" --spi 4096 --key "$KEY" --timeout 6 \
		--json "$@" "$HA" >"$tmp/bu.json" 2>>"$tmp/probe.log"
}
status() { jq -r '.answer.status // "none"' "$tmp/bu.json"; }
bound() { "$CTL" -S "$tmp/ha.sock" --json bc | jq -e --arg h "$1" 'map(select(.hoa == $h)) | length == 1' >/dev/null; }

"$B" capture start "$tmp/cap" >/dev/null
start_ha "$tmp/ha.conf"
ok $? "mobd up as the home agent on T" || tail -n 5 "$tmp/ha.log" | diag

# ---- a first registration waits for DAD; a refresh does not ----
H1=${PFX}d1
bu "$H1" 100
rtt=$(jq -r .rtt_ms "$tmp/bu.json")
[ "$(status)" = 0 ] && awk -v r="$rtt" 'BEGIN { exit !(r >= 1000) }'
ok $? "first registration of $H1: BA 0 after $rtt ms (the DAD wait: 1000 ms)" || cat "$tmp/bu.json" | diag
bu "$H1" 101
[ "$(status)" = 0 ] && [ "$(cnt dad_started)" = 1 ] && [ "$(cnt dad_passed)" = 1 ]
ok $? "its refresh: BA 0 and no new DAD (dad_started $(cnt dad_started))" || cat "$tmp/bu.json" | diag

# ---- a node on the home link owns the address ----
H2=${PFX}d2
"$B" exec P ip -6 addr add "$H2/128" dev eth0 nodad
bu "$H2" 200
[ "$(status)" = 134 ]
ok $? "P owns $H2: BA 134 (Duplicate Address Detection failed)" || cat "$tmp/bu.json" | diag
! bound "$H2" && [ "$(cnt dad_dup)" = 1 ] && [ "$(cnt 'ba_status."134"')" = 1 ]
ok $? "no binding for $H2; dad_dup 1, one BA 134" || "$CTL" -S "$tmp/ha.sock" counters | diag
grep -q "duplicate address $H2: a Neighbor Advertisement from" "$tmp/ha.log"
ok $? "the log says which address and who answered" || tail -n 5 "$tmp/ha.log" | diag
"$B" exec P ip -6 addr del "$H2/128" dev eth0

# ---- the L flag: the link-local address too ----
H3=${PFX}d3
"$B" exec P ip -6 addr add fe80::d3/64 dev eth0 nodad
bu "$H3" 300 --flags A,H,L
[ "$(status)" = 134 ] && ! bound "$H3"
ok $? "L flag, P owns fe80::d3: BA 134 for $H3, no binding" || cat "$tmp/bu.json" | diag
bu "$H3" 301
[ "$(status)" = 0 ] && bound "$H3"
ok $? "without the L flag only $H3 is checked: BA 0" || cat "$tmp/bu.json" | diag
"$B" exec P ip -6 addr del fe80::d3/64 dev eth0

# ---- many addresses at once ----
s0=$(cnt dad_started)
"$B" exec P "$P" bu --hoa ${PFX}1:0 --random-hoa --coa "$COA" --spi 4096 --key "$KEY" --rate 200 \
	--count 40 --timeout 3 --json "$HA" >"$tmp/load.json" 2>>"$tmp/probe.log"
jq -e '.sent == 40 and .answers."ba-0" == 40' "$tmp/load.json" >/dev/null
ok $? "40 new home addresses in 0.2 s: 40 BAs 0 within 3 s of the last (no DAD waits for another)" ||
	cat "$tmp/load.json" | diag
is "$(($(cnt dad_started) - s0))" 40 "40 more DADs started"

# ---- a newer BU for an address in DAD; a deregistration during DAD ----
H5=${PFX}d5
s0=$(cnt dad_started)
bu "$H5" 500 &
bpid=$!
pids="$pids $bpid"
sleep 0.3
"$B" exec P "$P" bu --hoa "$H5" --coa "$COA" --seq 501 --spi 4096 --key "$KEY" --timeout 6 \
	--json "$HA" >"$tmp/bu2.json" 2>>"$tmp/probe.log"
wait "$bpid"
[ "$(jq -r .answer.status "$tmp/bu2.json")" = 0 ] && [ "$(jq -r .answer.seq "$tmp/bu2.json")" = 501 ] &&
	[ "$(($(cnt dad_started) - s0))" = 1 ] && [ "$(cnt dad_merged)" = 1 ]
ok $? "a newer BU for $H5 during its DAD: no second DAD, BA 0 for seq 501" || cat "$tmp/bu2.json" | diag
"$CTL" -S "$tmp/ha.sock" --json bc | jq -e --arg h "$H5" '.[] | select(.hoa == $h) | .seq == 501' >/dev/null
ok $? "the binding holds the newer BU (seq 501)"
H6=${PFX}d6
bu "$H6" 600 &
bpid=$!
pids="$pids $bpid"
sleep 0.3
"$B" exec P "$P" bu --hoa "$H6" --coa "$COA" --seq 601 --lifetime 0 --spi 4096 --key "$KEY" \
	--timeout 4 --json "$HA" >"$tmp/bu2.json" 2>>"$tmp/probe.log"
wait "$bpid"
sleep 1
! bound "$H6" && [ "$(cnt dad_cancelled)" = 1 ] && [ "$(jq -r .answer.status "$tmp/bu2.json")" = 133 ]
ok $? "a deregistration of $H6 during its DAD: DAD ended, BA 133, no binding" || cat "$tmp/bu2.json" | diag

ctr=$("$CTL" -S "$tmp/ha.sock" counters)
echo "$ctr" | grep -Eq '^dad_started +[0-9]+$' && echo "$ctr" | grep -Eq '^dad_dup +2$'
ok $? "mobctl counters: dad_started, dad_dup 2, ..." || echo "$ctr" | diag
stop_ha

# ---- time-scale divides the wait ----
{ cat "$tmp/ha.conf"; printf 'ha-dad-timeout 30000\ntime-scale 10\nmax-bindings 8\n'; } >"$tmp/ha-ts.conf"
start_ha "$tmp/ha-ts.conf"
H7=${PFX}d7
bu "$H7" 700
rtt=$(jq -r .rtt_ms "$tmp/bu.json")
[ "$(status)" = 0 ] && awk -v r="$rtt" 'BEGIN { exit !(r >= 3000) }' && grep -q "DAD for $H7 started: 3000 ms" "$tmp/ha.log"
ok $? "ha-dad-timeout 30000, time-scale 10: a 3000 ms wait ($rtt ms to the BA)" || { cat "$tmp/bu.json"; tail -n 3 "$tmp/ha.log"; } | diag
# ---- another node starts DAD for the address during the (3 s) wait ----
H4=${PFX}d4
"$B" exec P sysctl -qw net.ipv6.conf.eth0.accept_dad=1
bu "$H4" 400 &
bpid=$!
pids="$pids $bpid"
sleep 0.3
"$B" exec P ip -6 addr add "$H4/64" dev eth0
wait "$bpid"
[ "$(status)" = 134 ] && ! bound "$H4" &&
	grep -q "duplicate address $H4: another node's DAD solicitation from ::" "$tmp/ha.log"
ok $? "P's own DAD for $H4 during the wait: BA 134, logged" || { cat "$tmp/bu.json"; tail -n 3 "$tmp/ha.log"; } | diag
"$B" exec P ip -6 addr del "$H4/64" dev eth0
"$B" exec P sysctl -qw net.ipv6.conf.eth0.accept_dad=0
# ---- BUs waiting for DAD count against max-bindings (8; H7 holds one) ----
"$B" exec P "$P" bu --hoa ${PFX}2:0 --random-hoa --coa "$COA" --spi 4096 --key "$KEY" --rate 200 \
	--count 10 --timeout 5 --json "$HA" >"$tmp/load.json" 2>>"$tmp/probe.log"
jq -e '.answers."ba-0" == 7 and .answers."ba-130" == 3' "$tmp/load.json" >/dev/null &&
	[ "$(cnt dad_full)" = 3 ] && [ "$(cnt bindings)" = 8 ]
ok $? "max-bindings 8, 10 new addresses at once: 7 wait and are bound, 3 refused at once with 130 (dad_full)" ||
	cat "$tmp/load.json" | diag

stop_ha

# ---- ha-dad no ----
{ cat "$tmp/ha.conf"; echo 'ha-dad no'; } >"$tmp/ha-no.conf"
start_ha "$tmp/ha-no.conf"
H8=${PFX}d8
"$B" exec P ip -6 addr add "$H8/128" dev eth0 nodad
bu "$H8" 800
[ "$(status)" = 0 ] && [ "$(cnt dad_started)" = 0 ] && bound "$H8"
ok $? "ha-dad no: BA 0 at once for $H8 (P owns it: not checked), no DAD" || cat "$tmp/bu.json" | diag
kill "$hapid"
wait "$hapid"
st=$?
left=$("$B" exec T nft list tables; "$B" exec T ip -6 neigh show proxy)
[ $st = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: mobd exits 0, nothing left" || echo "$left" | diag
"$B" capture stop "$tmp/cap" >/dev/null

# ---- the solicitations on the wire (tshark, T's capture) ----
f=$tmp/cap/T-eth0.pcap
ns() { # TARGET: DAD NSs from T for it: from ::, to its solicited-node group, with a nonce
	_g=ff02::1:ff00:$(echo "$1" | sed 's/.*://')
	tshark -r "$f" -Y "icmpv6.type == 135 && ipv6.src == :: && ipv6.dst == $_g && icmpv6.nd.ns.target_address == $1 && icmpv6.opt.type == 14 && eth.src == $tmac" \
		-T fields -e frame.number 2>/dev/null | wc -l
}
tmac=$("$B" exec T cat /sys/class/net/eth0/address)
is "$(ns "$H1")" 1 "one DAD NS for $H1 on the wire (from ::, to ff02::1:ff00:d1, nonce option)"
is "$(ns "$H2")" 1 "one DAD NS for $H2"
is "$(ns fe80::d3)" 1 "L flag: a DAD NS for the link-local address fe80::d3 too"
is "$(ns "$H5")" 1 "one DAD NS for $H5 (two BUs)"
is "$(ns "$H8")" 0 "ha-dad no: no DAD NS for $H8"
