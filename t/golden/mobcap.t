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
echo "1..$((cases + 21))"

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
