#!/bin/sh
# t/testbed/ha-recovery-args.t: reports/campaigns/ha-recovery refuses bad
# values naming them (exit 2, nothing brought up) and --list gives one
# command line per trial and mode.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
C=$here/reports/campaigns/ha-recovery
tmp=$(mktemp -d /tmp/mk-hrargs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
echo "1..10"
for bad in "--trials 0" "--trials x" "--probe 50" "--life 2" "--scale 0" "--how shoot" "--modes plain,magic"; do
	# shellcheck disable=SC2086
	"$C" $bad --list >"$tmp/out" 2>"$tmp/err"
	rc=$?
	val=${bad#* }
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "$(echo "$val" | sed 's/.*,//')" "$tmp/err"
	ok $? "ha-recovery $bad: exit $rc, the value named ($(head -n 1 "$tmp/err"))"
done
"$C" --trials 3 --modes plain,multi --list --out /tmp/x >"$tmp/out" 2>&1
[ "$(grep -c -- '--trial plain:' "$tmp/out")" = 3 ] && [ "$(grep -c -- '--trial multi:' "$tmp/out")" = 3 ] &&
	[ "$(wc -l <"$tmp/out")" = 6 ]
ok $? "--list: one command line per trial and mode (6)" || diag <"$tmp/out"
"$C" --table --out "$tmp/none" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "$tmp/none" "$tmp/err"
ok $? "--table with no trials in the folder: exit $rc, the folder named" || diag <"$tmp/err"
# --table over three made-up multi trials (no capture needed: their
# trial.env has the signalling already): latencies 610, 700, 640 ms, round
# trips 12, 50, 45 ms, probes 200 ms x 3
for k in 1 2 3; do
	d=$tmp/run/recovery/multi-$k
	mkdir -p "$d"
	set -- 0 610 12 700 50 640 45
	shift $((2 * k - 1))
	printf 'mode=multi\ntrial=%s\nprobe_ms=200\necho_sent=100\necho_received=%s\nmn_msgs=30\nha_probes=300\ncapture_s=60\nmn_octets=6000\nha_octets=30000\nrtt_ms=%s\n' \
		"$k" $((100 - k)) "$2" >"$d/trial.env"
	printf '{"metric":"recovery","latency_ms":%s,"steps_ms":{"detection":600,"D":%s}}\n' "$1" $(($1 - 600)) >"$d/records.jsonl"
done
"$C" --table --modes multi --out "$tmp/run" >"$tmp/out" 2>&1
grep -Eq '^multi +3 +640 +700 +700 \| detection 600 \(94%\), D 40 \(6%\) +\| +2 \| +30 +6000 \| +300 +30000$' "$tmp/out" &&
	grep -q '^multi: 2 of 3 recoveries within the detection interval (600 ms) + 1 RTT (p50 45.0 ms), the paper.s claim; 3 of 3 within 800 ms + 1 RTT' "$tmp/out" &&
	[ -s "$tmp/run/recovery/table.txt" ]
ok $? "--table: p50 640, p90 700, steps and shares, echoes lost p50 2, signalling per minute; 2 of 3 within 600 ms + the trial's RTT, 3 of 3 within 800 ms + it" || diag <"$tmp/out"
