#!/bin/sh
# t/stack/mobd.t: the reference stack's home agent and mobile node on the
# mip6-multiha testbed, one home agent (HA1) running.
#
#  - the mobile node registers from f1: BA status 0 in its pcap and in mobctl;
#  - a TCP stream from C1 to the home address, started at home, survives
#    home -> f1 -> f2 -> home with every byte delivered in order (SHA-256 of
#    what was sent and what was received);
#  - mobcap latency handoff gives each move's latency with its breakdown;
#  - the home agent answers mobprobe's stale-sequence, unauthenticated,
#    wrong-subnet, malformed and oversized BUs with the statuses (or the
#    silence) RFC 6275 9.2 / 9.5.1 and RFC 4285 call for, and stays up;
#  - DHAAD: the home agent answers on the Home-Agents anycast address;
#  - the binding cache limit holds under mobprobe's load mode with random
#    home addresses while the real mobile node keeps its binding;
#  - SIGTERM: the mobile node deregisters, both daemons remove what they
#    made (nftables table, TUN and its routes, rules).
# Namespaces are this test's own and are removed on any exit; the daemons
# it started are stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq tcpdump radvd nft
. "$here/t/lib/stack.sh"
stack_init md

echo "1..34"
KEY=00112233445566778899aabbccddeeff
HA=2001:db8:1::2

"$B" up mip6-multiha RESOLVER=unbound >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
HOA=$(hoa_of MN)

cat >"$tmp/ha1.conf" <<EOF
role home-agent
interface eth0
home-prefix 2001:db8:1::/64
control $tmp/ha1.sock
preference 20
max-bindings 16
max-lifetime 600
mn-deny 2001:db8:1::dead:0/112
mn-key * 4096 $KEY
EOF
cat >"$tmp/mn.conf" <<EOF
role mobile-node
interface eth0
home-prefix 2001:db8:1::/64
ha $HA
control $tmp/mn.sock
lifetime 60
key 4096 $KEY
EOF
"$D" -n -c "$tmp/ha1.conf" >/dev/null && "$D" -n -c "$tmp/mn.conf" >/dev/null
ok $? "mobd -n accepts both configurations"
printf 'role home-agent\ninterface eth0\nmax-bindings 0\n' >"$tmp/bad.conf"
err=$("$D" -n -c "$tmp/bad.conf" 2>&1)
st=$?
[ $st = 2 ] && echo "$err" | grep -q "bad.conf:3: max-bindings '0'"
ok $? "a bad value is refused with exit 2, naming file, line and value" || echo "$err" | diag

"$B" capture start "$tmp/cap" >/dev/null
"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
hapid=$!
pids="$pids $hapid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
mn_state() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e --arg s "$1" '.[0].state == $s'; }
wait_for 50 mn_state home
ok $? "mobile node up, at home ($HOA)" || tail -n 5 "$tmp/mn.log" | diag

# a stream from C1 to the home address: 520 kB at 40 kB/s, about 13 s
"$B" exec MN "$S" recv 5001 >"$tmp/recv.out" 2>&1 &
rpid=$!
pids="$pids $rpid"
sleep 0.3
"$B" exec C1 "$S" send "$HOA" 5001 520000 40000 >"$tmp/send.out" 2>&1 &
spid=$!
pids="$pids $spid"
sleep 2

"$B" move MN f1 >/dev/null
wait_for 60 mn_state bound
ok $? "registered from f1 (mobctl: bound)" || tail -n 5 "$tmp/mn.log" | diag
bul=$("$CTL" -S "$tmp/mn.sock" --json bul)
is "$(echo "$bul" | jq -r '.[0].last_status')" 0 "mobctl: last BA status 0"
case $(echo "$bul" | jq -r '.[0].coa') in 2001:db8:21:*) r=0 ;; *) r=1 ;; esac
ok $r "care-of address from f1's prefix" || echo "$bul" | diag
bc=$("$CTL" -S "$tmp/ha1.sock" --json bc)
is "$(echo "$bc" | jq -r --arg h "$HOA" '.[] | select(.hoa == $h) | .coa')" \
	"$(echo "$bul" | jq -r '.[0].coa')" "home agent's binding cache: home address -> care-of address"
HA1MAC=$(mac_of HA1)
tl=$(ns_tlla R0 "$HOA")
[ "$(ha_route HA1)" = 1 ] && [ "$tl" = "$HA1MAC" ]
ok $? "home agent holds the home address: in its nftables set, and it answers R0's NS for it with its own link-layer address" ||
	echo "route $(ha_route HA1) NA $tl HA1 $HA1MAC" | diag
tl=$(ns_tlla R0 2001:db8:1::bee:1)
[ "$tl" = none ] && "$CTL" -S "$tmp/ha1.sock" --json counters | jq -e '.ns_rx >= 2 and .na_tx >= 1' >/dev/null
ok $? "an NS for an address it holds no binding for goes unanswered ($tl); counted (ns_rx, na_tx)" ||
	"$CTL" -S "$tmp/ha1.sock" --json counters | diag
sleep 3
"$B" move MN f2 >/dev/null
sleep 0.2
wait_for 60 mn_state bound
ok $? "registered from f2"
sleep 3
"$B" move MN home >/dev/null
wait_for 60 mn_state home
ok $? "back home: deregistered"
_na_mn() { tl=$(ns_tlla R0 "$HOA"); [ "$tl" != none ] && [ "$tl" != "$HA1MAC" ]; }
[ "$(ha_route HA1)" = 0 ] && wait_for 30 _na_mn
ok $? "home agent no longer holds the home address: not in its set, the mobile node answers the NS ($tl)" ||
	echo "route $(ha_route HA1) NA $tl HA1 $HA1MAC" | diag

wait "$spid"
wait "$rpid"
sent=$(tail -n 1 "$tmp/send.out")
got=$(tail -n 1 "$tmp/recv.out")
case $sent in "bytes 520000 sha256 "*) r=0 ;; *) r=1 ;; esac
ok $r "sender finished: $sent" || cat "$tmp/send.out" | diag
is "$got" "$sent" "every byte delivered in order across home -> f1 -> f2 -> home"
tun=$("$CTL" -S "$tmp/ha1.sock" --json counters | jq -r '.tun_out')
[ "$tun" -gt 20 ]
ok $? "the home agent tunnelled $tun packets to the care-of addresses"

# ---- the pcap: BA status 0, handoff latency per move ----
"$B" capture stop "$tmp/cap" >/dev/null
MP=$tmp/cap/MN-eth0.pcap
"$here/bin/mobcap" decode --json "$MP" >"$tmp/dec.jsonl"
n0=$(jq -r 'select(.kind == "mh") | .line' "$tmp/dec.jsonl" | grep -c "MH BA status 0 .*cksum ok")
[ "$n0" -ge 3 ]
ok $? "pcap: $n0 BAs with status 0 at the mobile node (f1, f2, home)" || head -n 3 "$tmp/dec.jsonl" | diag
"$here/bin/mobcap" latency handoff --json "$MP" >"$tmp/handoff.jsonl" 2>"$tmp/handoff.err"
nh=$(jq -r 'select(.metric == "handoff" and .latency_ms != null) | .latency_ms' "$tmp/handoff.jsonl" | wc -l)
[ "$nh" -ge 3 ]
ok $? "mobcap latency handoff: $nh moves measured" || { cat "$tmp/handoff.err"; head -n 5 "$tmp/handoff.jsonl"; } | diag
jq -r 'select(.metric == "handoff" and .latency_ms != null) | "handoff \(.latency_ms) ms: " + ([.steps_ms | to_entries[] | "\(.key) \(.value)"] | join(", "))' \
	"$tmp/handoff.jsonl" 2>/dev/null | diag

# ---- the home agent against mobprobe ----
probe() { "$B" exec C1 "$P" bu --timeout 1 "$@" "$HA" >>"$tmp/probe.log" 2>&1; }
# a new home address: its BA waits for Duplicate Address Detection (1 s)
probe --hoa 2001:db8:1::aaaa --spi 4096 --key $KEY --seq 100 --timeout 3 --expect ba-accepted --expect-status 0
ok $? "authenticated BU for a new home address: BA status 0"
probe --hoa 2001:db8:1::aaaa --spi 4096 --key $KEY --seq 99 --expect ba-rejected --expect-status 135
ok $? "stale sequence number: BA status 135 (RFC 6275 9.5.1)"
probe --hoa 2001:db8:1::bbbb --seq 5 --expect ba-rejected --expect-status 146
ok $? "no MN-HA authentication: BA status 146 MIPV6-AUTH-FAIL (RFC 4285)"
probe --hoa 2001:db8:1::bbbb --seq 5 --spi 4096 --key 00 --expect ba-rejected --expect-status 146
ok $? "wrong key: BA status 146"
probe --hoa 2001:db8:99::1 --spi 4096 --key $KEY --expect ba-rejected --expect-status 132
ok $? "home address outside the home prefix: BA status 132"
probe --hoa 2001:db8:1::dead:1 --spi 4096 --key $KEY --expect ba-rejected --expect-status 129
ok $? "home address the operator denies (mn-deny): BA status 129"
probe --hoa 2001:db8:1::cccc --spi 4096 --key $KEY --malform proto --expect param-problem --expect-pointer 64 &&
	probe --hoa 2001:db8:1::cccc --spi 4096 --key $KEY --malform hlen --expect param-problem --expect-pointer 65 &&
	probe --hoa 2001:db8:1::cccc --spi 4096 --key $KEY --malform type --expect be --expect-status 2 &&
	probe --hoa 2001:db8:1::cccc --spi 4096 --key $KEY --malform cksum --expect none &&
	probe --hoa 2001:db8:1::cccc --spi 4096 --key $KEY --malform overrun --expect none
ok $? "malformed BUs (RFC 6275 9.2): Parameter Problem at Payload Proto and Header Len, BE 2 for an unknown type, silence for a bad checksum and an overrun" ||
	tail -n 4 "$tmp/probe.log" | diag
probe --hoa 2001:db8:1::dddd --spi 4096 --key $KEY --exp-octets 1300 --lifetime 262140 --timeout 3 \
	--expect ba-accepted --expect-status 0 &&
	tail -n 1 "$tmp/probe.log" | grep -q 'lifetime 600 s'
ok $? "oversized BU (1.4 kB, lifetime 262140 s asked): accepted, 600 s granted" || tail -n 2 "$tmp/probe.log" | diag
"$B" exec MN "$P" dhaad --timeout 1 2001:db8:1::/64 >"$tmp/dhaad.out" 2>&1
grep -q "$HA" "$tmp/dhaad.out"
ok $? "DHAAD Request to the Home-Agents anycast address: $HA in the reply" || diag <"$tmp/dhaad.out"
"$CTL" -S "$tmp/ha1.sock" counters | grep dhaad | diag

"$B" exec C1 "$P" bu --timeout 1 --hoa 2001:db8:1::eeee --expect ba-rejected --expect-status 131 "$HOA" >"$tmp/mn131.out" 2>&1
ok $? "a home registration sent to the mobile node: BA status 131 (RFC 6275 10.3.1)" || diag <"$tmp/mn131.out"

# ---- the binding cache limit under load ----
"$B" move MN f1 >/dev/null
wait_for 60 mn_state bound
"$B" exec C1 "$P" bu --hoa 2001:db8:1::1:0 --random-hoa --spi 4096 --key $KEY --rate 2000 \
	--count 4000 --timeout 1 "$HA" >"$tmp/load.out" 2>&1
cnt=$("$CTL" -S "$tmp/ha1.sock" --json counters)
echo "$cnt" | jq -e '.bindings == 16 and .ba_status."130" > 0' >/dev/null
ok $? "binding cache held at 16 under $(echo "$cnt" | jq .bu_rx) BUs: $(echo "$cnt" | jq '.ba_status."130"') refused with status 130" ||
	{ echo "$cnt"; cat "$tmp/load.out"; } | diag
"$CTL" -S "$tmp/ha1.sock" --json bc | jq -e --arg h "$HOA" 'map(select(.hoa == $h)) | length == 1' >/dev/null &&
	mn_state bound >/dev/null
ok $? "the real mobile node keeps its binding"
kill -0 "$hapid"
ok $? "home agent still running after the probes and the load"
"$CTL" -S "$tmp/ha1.sock" commands >"$tmp/cmds.out" 2>&1 &&
	[ "$(awk '{ print $1 }' "$tmp/cmds.out" | tr '\n' ' ')" = "bc bul ha counters status commands " ] &&
	"$CTL" -S "$tmp/ha1.sock" --json commands | jq -e 'map(.name) == ["bc","bul","ha","counters","status"]' >/dev/null
ok $? "mobctl commands: the home agent's command table, text and JSON" || diag <"$tmp/cmds.out"

# ---- SIGTERM ----
kill "$mnpid"
wait "$mnpid"
st=$?
grep -q "deregistered" "$tmp/mn.log" && [ $st = 0 ]
ok $? "SIGTERM: the mobile node deregisters and exits 0" || tail -n 3 "$tmp/mn.log" | diag
kill "$hapid"
wait "$hapid"
st=$?
left=$("$B" exec HA1 nft list tables; "$B" exec MN nft list tables; "$B" exec HA1 ip -6 neigh show proxy; "$B" exec HA1 ip -6 route show dev mip6 2>/dev/null
	"$B" exec MN ip -6 rule | grep -v 'lookup \(local\|main\|default\)'; "$B" exec MN ip link show mip6 2>/dev/null)
[ $st = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: both exit 0 and leave no nftables table, proxy entry, route, rule or TUN" || echo "$left" | diag
pids=""
