#!/bin/sh
# tools/regen-golden.sh: rewrite the expected outputs of t/golden/*.t from
# the current build.  Review the diff like code before committing it.
set -eu
tmp=$(mktemp -d /tmp/mk-golden.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM HUP
mobwire=bin/mobwire
. t/golden/mobwire-cases.sh
for prof in default paper; do
	bin/mobwire craft --profile "$prof" -o "$tmp/$prof.pcap" 2>/dev/null
	bin/mobwire decode --profile "$prof" "$tmp/$prof.pcap" >"fixtures/golden/mobwire-decode-$prof.txt" || true
done
case_tunnel_badsum "$tmp/tunnel-badsum.pcap"
bin/mobwire decode "$tmp/tunnel-badsum.pcap" >fixtures/golden/mobwire-decode-tunnel-badsum.txt || true
git diff --stat -- fixtures/golden || true

# mobcap: every case of fixtures/golden/mobcap/TESTLIST
top=$(pwd)
grep -v '^#' fixtures/golden/mobcap/TESTLIST | while read -r name args; do
	[ -n "$name" ] || continue
	# shellcheck disable=SC2086
	(cd fixtures/pcap && "$top/bin/mobcap" $args) >"fixtures/golden/mobcap/$name.out" 2>&1 || true
done
git diff --stat -- fixtures/golden/mobcap || true
