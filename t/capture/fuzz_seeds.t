#!/bin/sh
# t/capture/fuzz_seeds.t: the seed corpus of fuzz/fz_mobcap.c (from an empty
# corpus the harness never grew an input to a whole IPv6 frame): every seed
# fits the -max_len tools/fuzz.sh gives libFuzzer and is a capture mobcap
# reads, the seeds together reach every latency analyzer, and `make fuzz`
# (tools/fuzz.sh) hands each harness its seed folder.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
cd "$here" || exit 1
. "$here/t/lib/tap.sh"
seeds=fuzz/seeds/mobcap
tmp=$(mktemp -d /tmp/mk-seeds-t.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

echo "1..9"

count=$(find "$seeds" -type f 2>/dev/null | wc -l)
[ "$count" -ge 20 ]
ok $? "$seeds holds seeds ($count)"

big=$(find "$seeds" -type f -size +4096c 2>/dev/null | wc -l)
is "$big" 0 "every seed fits libFuzzer's -max_len 4096 of tools/fuzz.sh"

bad=0
for s in "$seeds"/*; do
	lines=$(bin/mobcap decode --all "$s" 2>/dev/null | grep -c ' > ')
	[ "${lines:-0}" -gt 0 ] || { bad=$((bad + 1)); echo "# $s: no IPv6 frame decoded"; }
done
is "$bad" 0 "mobcap decodes IPv6 frames from every seed"

for m in convergence handoff recovery migrate rtt; do
	hit=""
	for s in "$seeds"/*; do
		if bin/mobcap latency "$m" "$s" >/dev/null 2>&1; then hit=$s; break; fi
	done
	[ -n "$hit" ]
	ok $? "a seed gives a $m record (${hit:-none})"
done

# tools/fuzz.sh with a stand-in harness that records its arguments
cat >"$tmp/fuzz-mobcap" <<'HARNESS'
#!/bin/sh
echo "$*" >"$(dirname "$0")/args"
echo "stat::number_of_executed_units: 1"
HARNESS
chmod +x "$tmp/fuzz-mobcap"
# run where its corpus and output folders can be made and removed
mkdir -p "$tmp/tree/fuzz"
cp -r fuzz/seeds "$tmp/tree/fuzz/"
(cd "$tmp/tree" && FUZZ_SECONDS=1 sh "$here/tools/fuzz.sh" "$tmp/fuzz-mobcap" >/dev/null 2>&1)
grep -q " $seeds\( \|$\)" "$tmp/args" 2>/dev/null
ok $? "tools/fuzz.sh gives fuzz-mobcap $seeds" || diag <"$tmp/args"
