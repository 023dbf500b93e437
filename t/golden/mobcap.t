#!/bin/sh
# t/golden/mobcap.t: `mobcap decode` against reviewed outputs
# (fixtures/golden/mobcap/TESTLIST, tools/regen-golden.sh), and against
# what a capture can hold: a file cut mid-record, snaplen-cut packets, the
# same packets as raw IP, garbage, an empty argument list.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
C=$here/bin/mobcap
P=$here/fixtures/pcap
G=$here/fixtures/golden/mobcap
tmp=$(mktemp -d /tmp/mk-mobcap.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
. "$here/t/lib/tap.sh"

cases=$(grep -v '^#' "$G/TESTLIST" | grep -c .)
echo "1..$((cases + 42))"

grep -v '^#' "$G/TESTLIST" | while read -r name args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	(cd "$P" && "$C" $args) >"$tmp/$name.out" 2>&1
	if diff -u "$G/$name.out" "$tmp/$name.out" >"$tmp/$name.diff"; then
		echo "ok - golden $name: mobcap $args"
	else
		echo "not ok - golden $name: mobcap $args"
		head -n 20 "$tmp/$name.diff" | diag
	fi
done | awk '/^(ok|not ok)/ { k++; sub(/^(ok|not ok)/, "& " k) } { print }'
n=$cases

# the two vantage points: every probe packet seen twice, recognised as one
dups=$(grep -c '\[= pair-P-eth0.pcap:' "$G/two-points.out")
[ "$dups" -ge 4 ]
ok $? "two captures merged: $dups packets recognised as seen at both points"
grep -q '^# clocks: pair-T-eth0.pcap - pair-P-eth0.pcap = [+-][0-9]* ns (from [0-9]* + [0-9]* packets' "$G/two-points.out"
ok $? "the clock offset is estimated from packets seen both ways"

# a file cut in the middle of a record: the frames before it, then the error
sz=$(wc -c <"$P/all-messages.pcap")
head -c $((sz - 50)) "$P/all-messages.pcap" >"$tmp/cut.pcap"
(cd "$tmp" && "$C" decode cut.pcap) >"$tmp/cut.out" 2>&1
r=$?
full=$(grep -vc '^#' "$G/all-messages.out")
got=$(grep -vc '^#' "$tmp/cut.out")
is "$r" 1 "a truncated file: exit 1"
[ "$got" -ge $((full - 2)) ] && [ "$got" -lt "$full" ] && grep -q 'ERROR after frame' "$tmp/cut.out"
ok $? "its complete frames are decoded ($got of $full) and the damage reported" || tail -n 2 "$tmp/cut.out" | diag

# snaplen-cut packets are flagged, never judged by a checksum they lack
editcap -s 70 "$P/all-messages.pcap" "$tmp/snap.pcap" >/dev/null 2>&1
(cd "$tmp" && "$C" decode snap.pcap) >"$tmp/snap.out" 2>&1
r=$?
c=$(grep -c 'snaplen: 70 of' "$tmp/snap.out")
is "$r.$([ "$c" -gt 10 ] && echo many)" "0.many" "snaplen 70: no crash, $c lines flagged as cut"
! grep 'snaplen: 70 of' "$tmp/snap.out" | grep -q 'cksum BAD'
ok $? "a cut packet is never called a bad checksum"
for cut in 60 90 120 200; do
	editcap -s $cut "$P/all-messages.pcap" "$tmp/snap$cut.pcap" >/dev/null 2>&1
	"$C" decode --json --all "$tmp/snap$cut.pcap" || exit 1
done >"$tmp/snap.jsonl" 2>"$tmp/snap.err"
r=$?
jq -e -s '[.[] | select(.frame)] | length == 100 and ([.[] | select(.truncated) | .layers[] | .["mh.cksum.status"] // .["icmpv6.cksum.status"] // .["tcp.cksum.status"] // .["udp.cksum.status"] // empty] | length) == 0' "$tmp/snap.jsonl" >/dev/null
is "$r.$?" "0.0" "snaplen 60, 90, 120, 200 with --json --all: valid JSON, no verdict on a cut packet"

# raw IPv6 link type: the same lines as from Ethernet
editcap -T rawip6 -C 14 "$P/all-messages.pcap" "$tmp/raw.pcap" >/dev/null 2>&1
(cd "$tmp" && "$C" decode raw.pcap) | grep -v "^#" >"$tmp/raw.lines"
grep -v '^#' "$G/all-messages.out" >"$tmp/eth.lines"
cmp -s "$tmp/raw.lines" "$tmp/eth.lines"
ok $? "raw IPv6 link type decodes to the same lines as Ethernet" || diff "$tmp/eth.lines" "$tmp/raw.lines" | head | diag

# garbage and usage
head -c 4000 /dev/urandom >"$tmp/garbage.pcap"
"$C" decode "$tmp/garbage.pcap" >"$tmp/g.out" 2>&1
r=$?
grep -q 'garbage.pcap' "$tmp/g.out"
is "$r.$?" "2.0" "not a capture file: exit 2 naming the file"
"$C" decode >/dev/null 2>&1
is $? 2 "no file: exit 2"
"$C" decode --profile nonesuch "$P/all-messages.pcap" >"$tmp/o" 2>&1
r=$?
grep -q nonesuch "$tmp/o"
is "$r.$?" "2.0" "a bad profile: exit 2 naming it"

# ---- latency ----
p50() { jq -r 'select(.summary) | .p50_ms' "$1"; }

# ground truth: linkem's configured 5 ms each way, recovered from the pcaps
# as the difference of two round-trip medians (DELAY=5 against DELAY=0)
"$C" latency rtt --json "$P/rtt-delay5-P-eth0.pcap" >"$tmp/d5.json"
"$C" latency rtt --json "$P/rtt-delay0-P-eth0.pcap" >"$tmp/d0.json"
d5=$(p50 "$tmp/d5.json") d0=$(p50 "$tmp/d0.json")
awk -v a="$d5" -v b="$d0" 'BEGIN { d = a - b - 10; exit !(d < 0.1 && d > -0.1) }'
ok $? "rtt: DELAY=5 recovered: p50 $d5 - $d0 ms = 2 x 5 ms within 100 us"

# two vantage points: the reply is timed where the request was seen
"$C" latency rtt --json "$P/rtt-delay5-P-eth0.pcap" "$P/rtt-delay5-T-eth0.pcap" >"$tmp/d5b.json"
is "$(p50 "$tmp/d5b.json")" "$d5" "rtt: a second vantage point does not change the round trip"

# every record names the packets it came from, and those frames exist
jq -r 'select(.metric) | .packets | to_entries[] | "\(.value.file) \(.value.frame)"' \
	"$tmp/d5.json" | sort -u >"$tmp/refs"
nref=$(wc -l <"$tmp/refs")
bad=0
while read -r f fr; do
	tshark -r "$P/$f" -Y "frame.number == $fr" 2>/dev/null | grep -q . || bad=$((bad + 1))
done <"$tmp/refs"
is "$nref.$bad" "40.0" "rtt: 20 records name 40 packets, each found by tshark in its file"

# convergence: the UPDATE, NOERROR and answer referenced are what they say
(cd "$P" && "$C" latency convergence --json conv-MN-eth0.pcap conv-CLU1-eth0.pcap conv-CLK1-eth0.pcap) >"$tmp/conv.json"
rec=$(jq -c 'select(.metric and .latency_ms != null)' "$tmp/conv.json" | head -n 1)
up=$(echo "$rec" | jq -r .packets.update.frame) ans=$(echo "$rec" | jq -r .packets.answer.frame)
af=$(echo "$rec" | jq -r .packets.answer.file)
tshark -r "$P/conv-MN-eth0.pcap" -Y "frame.number == $up && dns.flags.opcode == 5" 2>/dev/null | grep -q .
ok $? "convergence: its update packet (frame $up) is a DNS UPDATE to tshark"
want=$(tshark -r "$P/conv-MN-eth0.pcap" -Y "frame.number == $up" -T fields -e dns.aaaa 2>/dev/null | cut -d, -f1)
tshark -r "$P/$af" -Y "frame.number == $ans" -T fields -e dns.aaaa 2>/dev/null | grep -q "$want"
ok $? "convergence: its answer ($af frame $ans) carries the address the UPDATE added ($want)"
lat=$(echo "$rec" | jq -r .latency_ms)
ts_u=$(tshark -r "$P/conv-MN-eth0.pcap" -Y "frame.number == $up" -T fields -e frame.time_epoch 2>/dev/null)
ts_a=$(tshark -r "$P/$af" -Y "frame.number == $ans" -T fields -e frame.time_epoch 2>/dev/null)
awk -v l="$lat" -v u="$ts_u" -v a="$ts_a" 'BEGIN { d = (a - u) * 1000 - l; exit !(d < 0.001 && d > -0.001) }'
ok $? "convergence: latency $lat ms is the gap between those frames' timestamps"
# no record ever carries a zero or negative latency; absent ones say why
jq -e -s '[.[] | select(.metric) | select((.latency_ms != null and .latency_ms <= 0) or (.latency_ms == null and (.absent | length) < 10))] | length == 0' "$tmp/conv.json" >/dev/null
ok $? "convergence: no zero latency; every absent record has a reason"
k=$(jq -s '[.[] | select(.summary and (.group | test("^2001:db8:3::32 "))) | .stale_after_noerror] | add' "$tmp/conv.json")
[ "$k" -gt 0 ]
ok $? "convergence: Knot Resolver's stale answers after NOERROR are counted ($k)"

# absent events: exit 3, the reason, and no figure
"$C" latency recovery "$P/all-messages.pcap" >"$tmp/o" 2>"$tmp/e"
r=$?
is "$r.$(grep -c . "$tmp/o").$(grep -c 'absent: no home agent stopped' "$tmp/e")" "3.0.1" \
	"recovery without its events: exit 3, nothing on stdout, the reason on stderr"
"$C" latency nonesuch "$P/all-messages.pcap" >/dev/null 2>"$tmp/e"
r=$?
grep -q nonesuch "$tmp/e"
is "$r.$?" "2.0" "an unknown metric: exit 2 naming it"
"$C" latency rtt --label 2001:db8::zz=x "$P/all-messages.pcap" >/dev/null 2>"$tmp/e"
r=$?
grep -q "2001:db8::zz" "$tmp/e"
is "$r.$?" "2.0" "a bad --label address: exit 2 naming it"

# ---- decode --json: typed fields (mobcap(1), FIELDS) ----
J=$tmp/am.jsonl
"$C" decode --json "$P/all-messages.pcap" >"$J"
jq -e -s 'length == 27 and ([.[] | select(.frame) | select((.layers | type) == "array" and (.line | type) == "string")] | length) == 25' "$J" >/dev/null
ok $? "decode --json: every line is valid JSON; each of the 25 records has its line and its layers"
f() { # FRAME JQ-FILTER (on the frame's record): the value, compact
	jq -c --argjson fr "$1" "select(.frame == \$fr) | $2" "$J"
}
mh1='.layers[] | select(.layer == "mh")'
is "$(f 1 "$mh1 | [.[\"mh.type_name\"], .[\"mh.seq\"], .[\"mh.flags\"], .[\"mh.lifetime\"]]")" \
	'["BU",7,["A","H","K","MHA"],150]' "BU: type, sequence, flags by name, lifetime"
is "$(f 1 "$mh1 | .[\"mh.opts\"][] | select(.[\"mh.opt.name\"] == \"Multiple Home Agents\") | .[\"mh.opt.mha.addrs\"]")" \
	'["2001:db8:1::2","2001:db8:1::3"]' "BU: the Multiple Home Agents option's addresses"
is "$(f 1 '.layers[] | select(.layer == "ipv6.dstopts") | .["ipv6.hao"]')" '"2001:db8:1::100"' "BU: the Home Address option"
is "$(f 2 "$mh1 | [.[\"mh.status\"], .[\"mh.seq\"], .[\"mh.flags\"], (.[\"mh.opts\"][0] | .[\"mh.opt.bra.interval\"])]")" \
	'[0,7,["K"],100]' "BA: status, sequence, flags, Binding Refresh Advice"
is "$(f 2 '.layers[] | select(.layer == "ipv6.routing") | [.["ipv6.routing.type"], .["ipv6.routing.segleft"], .["ipv6.rh2.hoa"]]')" \
	'[2,1,"2001:db8:1::100"]' "BA: the type 2 routing header"
ic='.layers[] | select(.layer == "icmpv6")'
is "$(f 19 "$ic | [.[\"icmpv6.type\"], .[\"icmpv6.code\"], .[\"icmpv6.pointer\"], (.[\"icmpv6.invoking\"][] | select(.layer == \"mh\") | .[\"mh.seq\"])]")" \
	'[4,2,46,1000]' "ICMPv6 Parameter Problem: type, code, pointer, and the quoted BU's sequence"
# the token mobwire put in the migrate SYN: SHA-1(Ni | Na | K = 0) as the draft defines it
tok=$({ printf '\001\002\003\004\125\146\167\210'; head -c 25 /dev/zero; } | openssl dgst -sha1 -binary | od -An -tx1 | tr -d ' \n' | cut -c1-16)
is "$(f 22 '.layers[] | select(.layer == "tcp") | .["tcp.opts"][] | select(.["tcp.opt.name"] == "Migrate") | .["tcp.opt.migrate.token"]')" \
	"\"$tok\"" "TCP Migrate SYN: the token is SHA-1(Ni|Na|K) ($tok)"
dn='.layers[] | select(.layer == "dns")'
is "$(f 23 "$dn | [.[\"dns.opcode_name\"], (.[\"dns.zone\"][0] | .[\"dns.rr.name\"]), (.[\"dns.prerequisite\"] | length), [.[\"dns.update\"][] | .[\"dns.rr.op\"]], (.[\"dns.update\"][1] | .[\"dns.rr.caaaa\"]), (.[\"dns.additional\"][0] | .[\"dns.rr.tsig.alg\"])]")" \
	'["UPDATE","example.",1,["delete-rrset","add"],"2001:db8:2::100","hmac-sha256."]' \
	"DNS UPDATE: zone, prerequisite, each update RR with its operation and CAAAA, the TSIG"

# every field tshark knows, against the value mobwire's manifest says it put there
bin=$here/bin
"$bin/mobwire" craft -o "$tmp/fresh.pcap" --manifest "$tmp/fresh.man" >/dev/null 2>&1
"$C" decode --json "$tmp/fresh.pcap" >"$tmp/fresh.jsonl"
# tshark field -> mobcap key [a bit's name, for tshark's one-bit flag fields;
# count: an array's length; rr: resource records only, not questions]
cat >"$tmp/map" <<'MAP'
ipv6.src ipv6.src
ipv6.dst ipv6.dst
ipv6.nxt ipv6.nxt
ipv6.hlim ipv6.hlim
ipv6.opt.mipv6.home_address ipv6.hao
ipv6.routing.type ipv6.routing.type
ipv6.routing.segleft ipv6.routing.segleft
ipv6.routing.mipv6.home_address ipv6.rh2.hoa
mip6.mhtype mh.type
mip6.proto mh.proto
mip6.hlen mh.hlen
mip6.bu.seqnr mh.seq
mip6.bu.lifetime mh.lifetime
mip6.bu.a_flag mh.flags A
mip6.bu.h_flag mh.flags H
mip6.bu.l_flag mh.flags L
mip6.bu.k_flag mh.flags K
mip6.ba.status mh.status
mip6.ba.seqnr mh.seq
mip6.ba.lifetime mh.lifetime
mip6.ba.k_flag mh.flags K
mip6.be.status mh.status
mip6.be.haddr mh.hoa
mip6.hoti.cookie mh.cookie
mip6.coti.cookie mh.cookie
mip6.hot.cookie mh.cookie
mip6.cot.cookie mh.cookie
mip6.hot.token mh.token
mip6.hot.nindex mh.nonce_index
mip6.cot.nindex mh.nonce_index
mip6.has.num_addrs mh.has.addrs count
mip6.has.address mh.has.addrs
mip6.em.data mh.data
mip6.acoa.acoa mh.opt.altcoa
mip6.bra.interval mh.opt.bra.interval
mip6.ni.hni mh.opt.nonce.home
mip6.ni.cni mh.opt.nonce.careof
mip6.auth.subtype mh.opt.auth.subtype
mip6.auth.mobility_spi mh.opt.auth.spi
icmpv6.type icmpv6.type
icmpv6.code icmpv6.code
icmpv6.pointer icmpv6.pointer
icmpv6.mip6.identifier icmpv6.id
icmpv6.mip6.home_agent_address icmpv6.addrs
icmpv6.mip6.flag.m icmpv6.mpa.flags M
icmpv6.mip6.flag.o icmpv6.mpa.flags O
icmpv6.nd.ra.cur_hop_limit icmpv6.ra.cur_hop_limit
icmpv6.nd.ra.router_lifetime icmpv6.ra.router_lifetime
icmpv6.nd.ra.flag.h icmpv6.ra.flags H
icmpv6.nd.ra.flag.m icmpv6.ra.flags M
icmpv6.opt.home_agent_preference icmpv6.opt.hai.preference
icmpv6.opt.home_agent_lifetime icmpv6.opt.hai.lifetime
icmpv6.opt.prefix icmpv6.opt.prefix
icmpv6.opt.prefix.length icmpv6.opt.prefix.length
icmpv6.opt.prefix.valid_lifetime icmpv6.opt.prefix.valid_lifetime
icmpv6.opt.prefix.preferred_lifetime icmpv6.opt.prefix.preferred_lifetime
icmpv6.opt.prefix.flag.l icmpv6.opt.prefix.flags L
icmpv6.opt.prefix.flag.a icmpv6.opt.prefix.flags A
icmpv6.opt.prefix.flag.r icmpv6.opt.prefix.flags R
tcp.srcport tcp.srcport
tcp.dstport tcp.dstport
tcp.seq_raw tcp.seq
tcp.flags.syn tcp.flags SYN
tcp.options.mss_val tcp.opt.mss
tcp.options.wscale.shift tcp.opt.ws
tcp.options.timestamp.tsval tcp.opt.ts.val
tcp.option_kind tcp.opt.kind
udp.srcport udp.srcport
udp.dstport udp.dstport
dns.id dns.id
dns.flags.opcode dns.opcode
dns.count.zones dns.count.qd
dns.count.prerequisites dns.count.an
dns.count.updates dns.count.ns
dns.count.answers dns.count.an
dns.aaaa dns.rr.aaaa
dns.resp.type dns.rr.type rr
dns.rrsig.key_tag dns.rr.sig.keytag
dns.rrsig.algorithm dns.rr.sig.alg
MAP
checked=0 bad=0
while IFS='	' read -r fr msg field want; do
	case $fr in '#'* | '') continue ;; esac
	set -- $(awk -v f="$field" '$1 == f { print $2, $3; exit }' "$tmp/map")
	[ $# -ge 1 ] || continue
	key=$1 bit=${2:-}
	# every occurrence of the key in the record (quoted packets included), in order
	all=$(jq -r --argjson fr "$fr" --arg k "$key" --arg b "$bit" '
		select(.frame == $fr) |
		[.layers | .. | objects | select(has($k)) | select($b != "rr" or has("dns.rr.rdlen")) | .[$k]] |
		if $b == "count" then [.[] | length]
		elif $b != "" and $b != "rr" then [.[] | if index([$b]) then 1 else 0 end]
		else flatten end | map(tostring) | join(",")' "$tmp/fresh.jsonl")
	w=$(echo "$want" | sed 's/^~//; s/0x\([0-9a-fA-F]*\)/\1/g')
	case $field in dns.id) w=$((0x$w)) ;; esac
	case $want in
	'~'*) echo ",$all," | grep -q ",$w," ;;
	*) [ "$all" = "$w" ] ;;
	esac
	if [ $? = 0 ]; then checked=$((checked + 1)); else
		bad=$((bad + 1)); echo "frame $fr $msg: $field -> $key: want '$want', mobcap '$all'"; fi
done <"$tmp/fresh.man" >"$tmp/man.out"
[ "$bad" = 0 ] && [ "$checked" -ge 220 ]
ok $? "decode --json against mobwire's manifest: $checked field values as mobwire put them, $bad differ" ||
	head -n 10 "$tmp/man.out" | diag

# checksum verdict per layer: a tunnelled HoTI whose inner checksum is bad
T=$tmp/tun.jsonl
"$C" decode --json "$P/tunnel-bad-inner.pcap" >"$T"
is "$(jq -c 'select(.frame == 1) | [.layers[] | [.layer, .depth, .["mh.cksum.status"]]]' "$T")" \
	'[["ipv6",0,null],["ipv6",1,null],["mh",1,"bad"]]' "tunnel: the inner packet has its own layers and the bad verdict is its MH's"
is "$(jq -c 'select(.frame == 2) | .layers[] | select(.layer == "mh") | .["mh.cksum.status"]' "$T")" '"ok"' \
	"tunnel: the next packet's own checksum is ok"
is "$(jq -c 'select(.checksums_inner) | [.checksums.bad, .checksums_inner.bad]' "$T")" '[0,1]' \
	"decode counts the bad inner checksum apart from the outer ones"
"$C" latency rtt --json "$P/rtt-delay0-P-eth0.pcap" "$P/tunnel-bad-inner.pcap" >"$tmp/lt.json"
is "$(jq -c 'select(.checksums_inner) | [.checksums.ok, .checksums_inner.bad]' "$tmp/lt.json")" '[41,1]' \
	"latency counts it too (JSON)"
"$C" latency rtt "$P/rtt-delay0-P-eth0.pcap" "$P/tunnel-bad-inner.pcap" | grep -q '^# checksums: 41 ok, 0 bad, 0 partial; inside tunnels: 0 ok, 1 bad'
ok $? "latency counts it too (table)"

# the JSON writer: a record longer than its 8 kB buffer (an ICMPv6 message
# of a type not decoded, 6000 octets of body given as hex), and strings
# that need escapes, read back by jq as they were given
{ printf 'c8 00 00 00 '; head -c 6000 /dev/zero | od -An -v -tx1; } | tr -s ' \n' ' ' |
	fold -w 48 | awk '{ printf "%06x %s\n", (NR - 1) * 16, $0 }' >"$tmp/big.txt"
text2pcap -6 2001:db8::1,2001:db8::2 -i 58 "$tmp/big.txt" "$tmp/big.pcap" >/dev/null 2>&1
is "$("$C" decode --json --all "$tmp/big.pcap" | jq -c 'select(.layers) | .layers[1] | [.["icmpv6.type"], (.["icmpv6.data"] | length)]')" \
	'[200,12000]' "decode --json: a 12 kB record is whole and valid"
run=$(printf 'a"b\\c\001\tx\303\251')
got=$("$C" latency rtt --json --run "$run" "$P/rtt-delay0-P-eth0.pcap" | jq -r 'select(.metric) | .run' | head -n 1 | od -An -tx1 | tr -d ' \n')
is "$got" "$(printf '%s\n' "$run" | od -An -tx1 | tr -d ' \n' | sed 's/c3a9/c383c2a9/')" \
	"JSON strings: quote, backslash, control characters escaped; octets above 0x7f as \\u00XX"

# one option parser for both subcommands: an option of the other one is named
"$C" decode --csv "$P/all-messages.pcap" >"$tmp/o" 2>"$tmp/e"
r=$?
grep -q -- "--csv is not an option of decode" "$tmp/e"
is "$r.$?.$(wc -c <"$tmp/o")" "2.0.0" "decode --csv: exit 2 naming it, nothing written"
"$C" latency rtt --all "$P/all-messages.pcap" >"$tmp/o" 2>"$tmp/e"
r=$?
grep -q -- "--all is not an option of latency" "$tmp/e"
is "$r.$?.$(wc -c <"$tmp/o")" "2.0.0" "latency --all: exit 2 naming it, nothing written"
"$C" latency rtt --codepoint nonesuch=1 "$P/all-messages.pcap" >/dev/null 2>"$tmp/e"
r=$?
grep -q nonesuch "$tmp/e"
is "$r.$?" "2.0" "latency --codepoint with a bad name: exit 2 naming it"
