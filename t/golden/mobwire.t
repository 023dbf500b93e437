#!/bin/sh
# t/golden/mobwire.t: `mobwire decode` of every crafted message, both
# codepoint profiles, against the reviewed expected text in
# fixtures/golden/ (regenerate with tools/regen-golden.sh, review the diff).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d /tmp/mk-golden.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM HUP
echo "1..4"
n=0
for prof in default paper; do
	n=$((n + 1))
	if "$here/bin/mobwire" craft --profile "$prof" -o "$tmp/$prof.pcap" 2>"$tmp/err"; then
		echo "ok $n - craft, profile $prof"
	else
		echo "not ok $n - craft, profile $prof"; sed 's/^/# /' "$tmp/err"
	fi
	n=$((n + 1))
	"$here/bin/mobwire" decode --profile "$prof" "$tmp/$prof.pcap" >"$tmp/$prof.txt" 2>&1
	if diff -u "$here/fixtures/golden/mobwire-decode-$prof.txt" "$tmp/$prof.txt" >"$tmp/diff"; then
		echo "ok $n - decode table matches fixtures/golden/mobwire-decode-$prof.txt"
	else
		echo "not ok $n - decode table differs from fixtures/golden/mobwire-decode-$prof.txt"
		sed 's/^/# /' "$tmp/diff"
	fi
done
