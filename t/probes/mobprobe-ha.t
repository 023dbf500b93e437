#!/bin/sh
# t/probes/mobprobe-ha.t: what mobprobe gained for the home agent suite
# (conformance/suites/mip6-ha): `ns` (Neighbor Solicitation, --dad),
# `echo --tunnelled COA` and `--encap SRC,DST` (a home agent's tunnel and
# reverse tunnel), `bu --timestamp OFFSET|none` (RFC 4285 replay option)
# and `bu --na` (the home agent's unsolicited NA, RFC 6275 10.4.1).
#
#  - usage errors of the new options: exit 2, the bad value named, no
#    capture file (these need no root);
#  - live, against mobd's home agent on the mip6-ha testbed of the
#    conformance setup (its own instance, removed on any exit): BU
#    timestamps none / an hour old / now get 145 / 144 with the home
#    agent's time / 0; bu --na sees the home agent's NA for a new home
#    address, FAILs a refresh (no NA), ignores a rejection; ns for an
#    address nobody has gets nothing (exit 3), for a registered home
#    address the home agent's link-layer address (tshark reads it from
#    the pcap, and our NS's hop limit 255), to DAD an NA to ff02::1; an
#    echo to the home address arrives IPv6-in-IPv6 at the care-of
#    address (tshark: outer source the home agent, Next Header 41), and
#    not without a binding (exit 3); a reverse-tunnelled echo from the
#    bound care-of address comes out on the home link, and not from
#    another care-of address (exit 3).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
P=$here/bin/mobprobe
tmp=$(mktemp -d /tmp/mk-hat.XXXXXX) || exit 1
export MOBBED_RUN="$tmp/run" MOBBED_NAME="hat$$" MOBBED="$here/bin/mobbed"
mkdir -p "$MOBBED_RUN"
cleanup() {
	[ -d "$MOBBED_RUN/$MOBBED_NAME" ] &&
		(cd "$here" && sh conformance/setups/mip6-ha.sh down mobd >/dev/null 2>&1)
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# like is(), but the diagnosis (a file) follows a failure: want GOT WANT WHAT FILE
want() {
	[ "$1" = "$2" ]
	ok $? "$3" || { echo "# got '$1', want '$2'"; diag <"$4"; }
}

echo "1..32"
HA=2001:db8:1::2
PH=2001:db8:1::1
C=2001:db8:7::100

# --- usage errors -------------------------------------------------------------
usage() { # description, text the error must hold, mobprobe arguments...
	d=$1 want=$2
	shift 2
	"$P" "$@" --pcap "$tmp/never.pcap" >"$tmp/o" 2>&1
	r=$?
	grep -qF -- "$want" "$tmp/o"
	want "$r.$?" "2.0" "$d: exit 2, naming it" "$tmp/o"
}
usage "--timestamp abc" "'abc' for --timestamp" bu --hoa 2001:db8:1::a --spi 4096 --key 00 --timestamp abc "$HA"
usage "--timestamp 31536001" "'31536001' for --timestamp" bu --spi 4096 --key 00 --timestamp 31536001 "$HA"
usage "--timestamp without --spi/--key" "--timestamp is for RFC 4285 authentication" \
	bu -i lo -s ::1 --timestamp none ::1
usage "--encap without a comma" "'2001:db8:7::1' for --encap: want OUTER-SRC,OUTER-DST" \
	echo --encap 2001:db8:7::1 "$HA"
usage "--encap with a bad outer source" "bad address 'nope' for --encap (outer source)" \
	echo --encap nope,2001:db8:1::2 "$HA"
usage "--encap with a bad outer destination" "bad address '2001:db8::g' for --encap (outer destination)" \
	echo --encap 2001:db8:7::1,2001:db8::g "$HA"
usage "--tunnelled not an address" "bad address 'coa' for --tunnelled" echo --tunnelled coa "$HA"
usage "--na without --hoa" "--na needs --hoa" bu -i lo -s ::1 --na ::1
usage "ns of a multicast address" "'ff02::1' is not a unicast address" ns ff02::1
usage "ns of two addresses" "exactly one target address (2 given)" ns 2001:db8:1::a 2001:db8:1::b
usage "ns --expect echo-reply" "echo-reply" ns --expect echo-reply 2001:db8:1::a
[ ! -e "$tmp/never.pcap" ]
ok $? "none of them started its capture file"
"$P" ns --help >"$tmp/o" 2>&1 && grep -q -- '--dad' "$tmp/o" && "$P" echo --help >"$tmp/o2" 2>&1 &&
	grep -q -- '--tunnelled COA' "$tmp/o2" && grep -q -- '--encap SRC,DST' "$tmp/o2" &&
	"$P" --help | grep -q '^  ns '
ok $? "--help lists ns and its --dad, echo's --tunnelled and --encap" || cat "$tmp/o" "$tmp/o2" | diag

# --- live, against mobd's home agent ------------------------------------------
if [ "$(id -u)" != 0 ]; then
	n=0
	while [ $n -lt 19 ]; do
		echo "ok - # SKIP needs root (network namespaces)"
		n=$((n + 1))
	done
	exit 0
fi
need_cmds tshark
(cd "$here" && sh conformance/setups/mip6-ha.sh up mobd "$tmp/profile") >"$tmp/up.log" 2>&1
ok $? "mobd's home agent up on mip6-ha (conformance/setups/mip6-ha.sh)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
. "$tmp/profile"
X() { "$MOBBED" exec P "$P" "$@"; }
BU() { X bu --coa $C --flags A,H --spi "$MN_SPI" --key "$MN_KEY" --json "$@" "$HA"; }

BU --hoa 2001:db8:1::b1 --timestamp none >"$tmp/o" 2>&1
r=$?
grep -q '"status":145,' "$tmp/o" && grep -q '"sent":"BU .*+MN-HA auth' "$tmp/o"
want "$r.$?" "1.0" "--timestamp none: BA 145 (exit 1 under the default ba-accepted)" "$tmp/o"
BU --hoa 2001:db8:1::b1 --timestamp -3600 --expect ba-rejected --expect-status 144 >"$tmp/o" 2>&1
r=$?
skew=$(sed -n 's/.*"timestamp_skew_s":"\(-\{0,1\}[0-9]*\)".*/\1/p' "$tmp/o")
[ "$r" = 0 ] && grep -q '"timestamp":"present"' "$tmp/o" && [ -n "$skew" ] && [ "${skew#-}" -le 60 ]
ok $? "--timestamp -3600: BA 144 with the home agent's time (skew ${skew:-?} s, not -3600)" || diag <"$tmp/o"
BU --hoa 2001:db8:1::b1 --timestamp 0 --pcap "$tmp/bu.pcap" >"$tmp/o" 2>&1
r=$?
grep -q '"status":0,.*"auth":"verified","timestamp":"present"' "$tmp/o"
want "$r.$?" "0.0" "--timestamp 0: BA 0, its authenticator and timestamp there" "$tmp/o"
nba=$(tshark -r "$tmp/bu.pcap" -Y 'mip6.ba.status == 0' 2>/dev/null | wc -l)
is "$nba" 1 "tshark: one BA of status 0 in the pcap"


BU --hoa 2001:db8:1::b2 --seq 10 --na --timeout 3 --expect ba-accepted --expect-status 0 >"$tmp/o" 2>&1
r=$?
grep -q "\"na\":\"seen\",\"na_from\":\"fe80::[0-9a-f:]*\",\"na_to\":\"ff02::1\",\"na_tlla\":\"$HA_LLADDR\",\"na_flags\":\"O\",\"na_hop_limit\":255" "$tmp/o"
want "$r.$?" "0.0" "bu --na, a new home address: BA 0 and the home agent's NA to ff02::1 (O, its address, hop limit 255)" "$tmp/o"
BU --hoa 2001:db8:1::b2 --seq 11 --na --timeout 1.5 >"$tmp/o" 2>&1
r=$?
grep -q '"class":"ba-accepted".*"na":"none".*"verdict":"FAIL","reason":".*no Neighbor Advertisement for the home address' "$tmp/o"
want "$r.$?" "1.0" "bu --na, a refresh (mobd multicasts the NA for a new binding only): BA 0, no NA, a FAIL saying so" "$tmp/o"
BU --hoa 2001:db8:99::b2 --na --timeout 3 --expect ba-rejected --expect-status 132 >"$tmp/o" 2>&1
r=$?
! grep -q '"na":' "$tmp/o"
want "$r.$?" "0.0" "bu --na, a rejection (132): judged on the BA, no NA looked for" "$tmp/o"
X ns --timeout 1.2 --json 2001:db8:1::b9 >"$tmp/o" 2>&1
r=$?
grep -q '"class":"none"' "$tmp/o"
want "$r.$?" "3.0" "ns for an address nobody has: no answer, exit 3" "$tmp/o"
X ns -s "$PH" --timeout 3 --json --pcap "$tmp/ns.pcap" 2001:db8:1::b1 >"$tmp/o" 2>&1
r=$?
grep -q "\"class\":\"na\".*\"from\":\"$HA\",\"to\":\"$PH\",\"tlla\":\"$HA_LLADDR\",\"flags\":\"S\"" "$tmp/o"
want "$r.$?" "0.0" "ns for the registered home address: NA from the home agent, its link-layer address $HA_LLADDR, S" "$tmp/o"
got=$(tshark -r "$tmp/ns.pcap" -Y 'icmpv6.type == 136' -T fields -e icmpv6.nd.na.target_address -e icmpv6.opt.linkaddr 2>/dev/null | head -n 1 | tr '\t' ' ')
is "$got" "2001:db8:1::b1 $HA_LLADDR" "tshark: the NA's target and Target Link-Layer Address"
got=$(tshark -r "$tmp/ns.pcap" -Y 'icmpv6.type == 135' -T fields -e ipv6.hlim -e ipv6.dst -e icmpv6.nd.ns.target_address 2>/dev/null | head -n 1 | tr '\t' ' ')
is "$got" "255 ff02::1:ff00:b1 2001:db8:1::b1" "tshark: our NS, hop limit 255, to the solicited-node group"
X ns --dad --timeout 3 --json 2001:db8:1::b1 >"$tmp/o" 2>&1
r=$?
grep -q "\"class\":\"na\".*\"to\":\"ff02::1\",\"tlla\":\"$HA_LLADDR\"" "$tmp/o" && grep -q 'DAD, from ::' "$tmp/o"
want "$r.$?" "0.0" "ns --dad: the home agent defends it, NA to ff02::1" "$tmp/o"

X echo -s "$PH" --tunnelled $C --timeout 3 --json --pcap "$tmp/tun.pcap" --expect tunnelled 2001:db8:1::b1 >"$tmp/o" 2>&1
r=$?
grep -q "\"outer_src\":\"$HA\",\"outer_dst\":\"$C\",\"inner\":\"echo-request\",\"inner_src\":\"$PH\",\"inner_dst\":\"2001:db8:1::b1\"" "$tmp/o"
want "$r.$?" "0.0" "echo --tunnelled: our request to the home address, IPv6-in-IPv6 from the home agent to the care-of address" "$tmp/o"
got=$(tshark -r "$tmp/tun.pcap" -Y "ipv6.nxt == 41 && ipv6.dst == $C" -T fields -E occurrence=f -e ipv6.src 2>/dev/null | head -n 1)
is "$got" "$HA" "tshark: the tunnelled packet, Next Header 41, from the home agent"
X echo -s "$PH" --tunnelled $C --timeout 1.5 --json 2001:db8:1::b8 >"$tmp/o" 2>&1
r=$?
grep -q '"class":"none"' "$tmp/o"
want "$r.$?" "3.0" "echo --tunnelled to a home address without a binding: nothing tunnelled, exit 3" "$tmp/o"

X echo -s 2001:db8:1::b1 --encap "$C,$HA" --json --pcap "$tmp/rev.pcap" --expect forwarded "$PH" >"$tmp/o" 2>&1
r=$?
grep -q '"class":"forwarded".*"hop_limit":63' "$tmp/o" && grep -q "in a tunnel from $C to $HA" "$tmp/o"
want "$r.$?" "0.0" "echo --encap from the bound care-of address: forwarded onto the home link, hop limit 63" "$tmp/o"
got=$(tshark -r "$tmp/rev.pcap" -Y "ipv6.nxt == 41" -T fields -E occurrence=a -E aggregator=, -e ipv6.src -e ipv6.dst 2>/dev/null | head -n 1 | tr '\t' ' ')
is "$got" "$C,2001:db8:1::b1 $HA,$PH" "tshark: what we sent, outer $C -> $HA, inner 2001:db8:1::b1 -> $PH"
X echo -s 2001:db8:1::b1 --encap "2001:db8:7::200,$HA" --timeout 1.5 --json --expect forwarded "$PH" >"$tmp/o" 2>&1
r=$?
grep -q '"class":"none"' "$tmp/o"
want "$r.$?" "3.0" "echo --encap from another care-of address: not forwarded, exit 3" "$tmp/o"
