#!/bin/sh
# t/golden/mobwire.t: `mobwire decode` of every crafted message, both
# codepoint profiles, and of a reverse-tunnelled HoTI whose inner MH
# checksum is corrupt, against the reviewed expected text in
# fixtures/golden/ (regenerate with tools/regen-golden.sh, review the diff).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
mobwire=$here/bin/mobwire
. "$here/t/golden/mobwire-cases.sh"
tmp=$(mktemp -d /tmp/mk-golden.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM HUP
echo "1..7"
n=0
golden() { # name: compare $tmp/name.txt with fixtures/golden/mobwire-decode-name.txt
	n=$((n + 1))
	if diff -u "$here/fixtures/golden/mobwire-decode-$1.txt" "$tmp/$1.txt" >"$tmp/diff"; then
		echo "ok $n - decode table matches fixtures/golden/mobwire-decode-$1.txt"
	else
		echo "not ok $n - decode table differs from fixtures/golden/mobwire-decode-$1.txt"
		sed 's/^/# /' "$tmp/diff"
	fi
}
for prof in default paper; do
	n=$((n + 1))
	if "$mobwire" craft --profile "$prof" -o "$tmp/$prof.pcap" 2>"$tmp/err"; then
		echo "ok $n - craft, profile $prof"
	else
		echo "not ok $n - craft, profile $prof"; sed 's/^/# /' "$tmp/err"
	fi
	"$mobwire" decode --profile "$prof" "$tmp/$prof.pcap" >"$tmp/$prof.txt" 2>&1
	golden "$prof"
done

# the inner checksum of a tunnelled packet is judged: BAD, exit 1
n=$((n + 1))
if case_tunnel_badsum "$tmp/tunnel-badsum.pcap"; then
	echo "ok $n - craft the tunnelled HoTI, flip a bit of its inner MH checksum"
else
	echo "not ok $n - craft the tunnelled HoTI, flip a bit of its inner MH checksum"
fi
"$mobwire" decode "$tmp/tunnel-badsum.pcap" >"$tmp/tunnel-badsum.txt" 2>&1
rc=$?
golden tunnel-badsum
n=$((n + 1))
if [ $rc = 1 ] && grep -q 'IPv6-in-IPv6: .* MH HoTI .*\[cksum BAD\]' "$tmp/tunnel-badsum.txt"; then
	echo "ok $n - the inner BAD verdict is shown and decode exits 1"
else
	echo "not ok $n - the inner BAD verdict is shown and decode exits 1 (exit $rc)"
	sed 's/^/# /' "$tmp/tunnel-badsum.txt"
fi
