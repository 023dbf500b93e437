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
echo "1..$((cases + 10))"

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
