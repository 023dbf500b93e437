#!/bin/sh
# t/probes/mobprobe-listen.t: `mobprobe listen` (send nothing, classify what
# a node sends: the conformance suite mip6-multiha waits with it for Home
# Agent Unreachable) and the echo probe's class tunnelled (our request
# back inside IPv6-in-IPv6, as a home agent sends it to a care-of address).
#
#  - usage errors: exit 2, the bad value named, no capture file left;
#  - live on mobbed's `pair` (its own instance, removed on any exit): T
#    sends Home Agent Unreachable to P with `mobprobe haunreach`; P's
#    listen classifies it (hau, the addresses named, the type of the
#    codepoint profile: 201 default, 154 paper, another profile's type is
#    no hau), honours --to, sends nothing itself (the pcap has no packet
#    from P), and says none (exit 3, or 0 under --expect none) when T is
#    silent;
#  - mobd as home agent on T, P registered as a mobile node whose care-of
#    address is P: P's echo to the home address comes back tunnelled by the
#    home agent to P, which fails the default expectation (echo-reply)
#    with exit 1.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
P=$here/bin/mobprobe
M=$here/bin/mobbed
tmp=$(mktemp -d /tmp/mk-lst.XXXXXX) || exit 1
export MOBBED_RUN="$tmp/run" MOBBED_NAME="lst$$"
mkdir -p "$MOBBED_RUN"
bg=""
cleanup() {
	[ -n "$bg" ] && kill "$bg" 2>/dev/null
	[ -d "$MOBBED_RUN/$MOBBED_NAME" ] && "$M" down >/dev/null 2>&1
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
TA=2001:db8:5::2
PA=2001:db8:5::1
X() { "$M" exec P "$P" "$@"; }

echo "1..18"

# --- usage errors (no root needed) -----------------------------------------------
"$P" listen >"$tmp/o" 2>&1
r=$?
grep -q 'listen' "$tmp/o"
is "$r.$?" "2.0" "listen without a sender: exit 2"
"$P" listen --to foo --pcap "$tmp/u.pcap" "$TA" >"$tmp/o" 2>&1
r=$?
grep -q "bad address 'foo' for --to" "$tmp/o" && [ ! -e "$tmp/u.pcap" ]
is "$r.$?" "2.0" "listen --to foo: exit 2, 'foo' named, no pcap" || diag <"$tmp/o"
"$P" listen --expect ba-accepted "$TA" >"$tmp/o" 2>&1
r=$?
grep -q "no class 'ba-accepted'" "$tmp/o"
is "$r.$?" "2.0" "listen --expect ba-accepted (not a listen class): exit 2" || diag <"$tmp/o"
"$P" echo --expect tunneled 2001:db8:1::d1 >"$tmp/o" 2>&1
is $? 2 "echo --expect tunneled (misspelt): exit 2"

need_root "network namespaces and raw sockets"
need_cmds tshark
"$M" up pair >"$tmp/up.log" 2>&1
ok $? "mobbed up pair" || { diag <"$tmp/up.log"; exit 1; }

# --- nothing sent: none -------------------------------------------------------------
X listen "$TA" --timeout 0.5 --json --pcap "$tmp/quiet.pcap" >"$tmp/o" 2>&1
r=$?
grep -q '"class":"none"' "$tmp/o"
is "$r.$?" "3.0" "T silent: class none, exit 3 under the default expectation" || diag <"$tmp/o"
X listen "$TA" --timeout 0.5 --expect none >"$tmp/o" 2>&1
is $? 0 "the same passes under --expect none"

# --- Home Agent Unreachable from T ---------------------------------------------------
# listen_bg NAME ARGS...: P listens in the background; returns when its capture is open
listen_bg() {
	_f=$1
	shift
	X listen "$@" --json --pcap "$tmp/$_f.pcap" >"$tmp/$_f.out" 2>&1 &
	bg=$!
	_i=0
	while [ ! -f "$tmp/$_f.pcap" ] && [ $_i -lt 100 ]; do sleep 0.05; _i=$((_i + 1)); done
}
hau_from_t() { "$M" exec T "$P" haunreach -s "$TA" --timeout 0.2 "$@" "$PA" >/dev/null 2>&1; }

# round NAME RC PATTERN WHAT HAU-ARGS LISTEN-ARGS...: P listens, T sends a Home
# Agent Unreachable (HAU-ARGS, split on blanks); P's listen exits RC, PATTERN in its JSON
round() {
	_f=$1 _rc=$2 _pat=$3 _what=$4 _hau=$5
	shift 5
	listen_bg "$_f" "$TA" "$@"
	# shellcheck disable=SC2086
	hau_from_t $_hau
	wait "$bg"
	_r=$?
	bg=""
	grep -q "$_pat" "$tmp/$_f.out"
	is "$_r.$?" "$_rc.0" "$_what" || diag <"$tmp/$_f.out"
}
round hau 0 '"class":"hau".*"type":201,"n_ha":2,"ha":"2001:db8:1::2,2001:db8:1::3"' \
	"T's Home Agent Unreachable: class hau, type 201, both addresses named" \
	"--ha 2001:db8:1::2 --ha 2001:db8:1::3" --to "$PA" --timeout 5
ms=$(sed -n 's/.*"rtt_ms":\([0-9.]*\).*/\1/p' "$tmp/hau.out")
[ -n "$ms" ]
ok $? "rtt_ms: the time from the start of the wait ($ms ms)"
nhau=$(tshark -r "$tmp/hau.pcap" -Y "icmpv6.type == 201 && ipv6.src == $TA" 2>/dev/null | wc -l)
nfromp=$(tshark -r "$tmp/hau.pcap" -Y "ipv6.src == $PA" 2>/dev/null | wc -l)
[ "$nhau" -ge 1 ] && [ "$nfromp" = 0 ]
ok $? "the pcap holds the message ($nhau) and nothing from P: listen sent nothing ($nfromp)"

round paper 0 '"class":"hau".*"type":154' "--profile paper on both ends: class hau, type 154" \
	"--profile paper --ha 2001:db8:1::2" --profile paper --timeout 5
round other 1 '"class":"icmp".*"type":154' \
	"type 154 under the default profile is no hau (class icmp): exit 1" \
	"--profile paper --ha 2001:db8:1::2" --timeout 5 --expect hau
round elsewhere 0 '"class":"none"' "--to another address: the message to P is not seen" \
	"--ha 2001:db8:1::2" --to 2001:db8:5::99 --timeout 1.5 --expect none

# --- echo tunnelled: mobd as T's home agent tunnels 2001:db8:1::d1 to P ---------------
KEY=00112233445566778899aabbccddeeff
printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::/64\ncontrol %s\nmn-key * 4096 %s\n' \
	"$tmp/ha.sock" "$KEY" >"$tmp/ha.conf"
"$M" exec T ip -6 addr add 2001:db8:1::2/64 dev eth0 nodad &&
	"$M" exec P ip -6 route add 2001:db8:1::/64 via "$TA"
"$M" exec T "$here/bin/mobd" -d -c "$tmp/ha.conf" >"$tmp/ha.log" 2>&1 &
bg=$!
i=0
until "$here/bin/mobctl" -S "$tmp/ha.sock" status >/dev/null 2>&1 || [ $i -gt 50 ]; do sleep 0.1; i=$((i + 1)); done
X bu --hoa 2001:db8:1::d1 --coa "$PA" --spi 4096 --key "$KEY" 2001:db8:1::2 >"$tmp/o" 2>&1
ok $? "mobd home agent on T; P registers 2001:db8:1::d1 with care-of address P" || cat "$tmp/o" "$tmp/ha.log" | diag
X echo 2001:db8:1::d1 --expect tunnelled --json >"$tmp/o" 2>&1
r=$?
grep -q "\"class\":\"tunnelled\".*\"by\":\"2001:db8:1::2\",\"to\":\"$PA\"" "$tmp/o"
is "$r.$?" "0.0" "echo to it: class tunnelled, by the home agent, to P" || diag <"$tmp/o"
X echo 2001:db8:1::d1 >"$tmp/o" 2>&1
r=$?
grep -q 'tunnelled by' "$tmp/o"
is "$r.$?" "1.0" "under the default expectation (echo-reply): exit 1, the tunnel named" || diag <"$tmp/o"
X echo "$TA" >"$tmp/o" 2>&1
is $? 0 "a plain echo to T still gets its Echo Reply (the filter's tunnel branch)"
kill "$bg"
wait "$bg"
is $? 0 "the home agent stops on SIGTERM, exit 0"
bg=""
