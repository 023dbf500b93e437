#!/bin/sh
# t/testbed/tcp-migrate-args.t: reports/campaigns/tcp-migrate refuses bad
# values naming them (exit 2, nothing brought up), --list gives one command
# line per trial (scheme x core RTT x loss), and --table reads trials
# already run (made-up records: no testbed).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq
C=$here/reports/campaigns/tcp-migrate
tmp=$(mktemp -d /tmp/mk-tmargs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..18"
for bad in "--moves 0" "--moves x" "--dwell 100" "--rtts 10,fast" "--rtts 5000" "--losses 0,3" \
	"--schemes migrate,hip" "--profile ietf" "--trial migrate:10" "--trial mip6:10:7" "--trial shim6:10:0" "--bogus 1"; do
	# shellcheck disable=SC2086
	"$C" $bad --list >"$tmp/out" 2>"$tmp/err"
	rc=$?
	val=${bad#* }
	case $bad in --trial*) ;; *) val=$(echo "$val" | sed 's/.*,//') ;; esac
	[ "$bad" = "--bogus 1" ] && val=--bogus
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "$val" "$tmp/err"
	ok $? "tcp-migrate $bad: exit $rc, the value named ($(head -n 1 "$tmp/err"))"
done
"$C" --list --out /tmp/x >"$tmp/out" 2>&1
[ "$(wc -l <"$tmp/out")" = 12 ] && [ "$(grep -c -- '--trial migrate:' "$tmp/out")" = 6 ] &&
	[ "$(grep -c -- '--trial mip6:' "$tmp/out")" = 6 ] && grep -q -- '--trial mip6:100:1 --moves 30 ' "$tmp/out" &&
	grep -q -- '--trial migrate:50:0 ' "$tmp/out"
ok $? "--list: one command line per trial, 2 schemes x 3 RTTs x 2 losses = 12, 30 moves each" || diag <"$tmp/out"
"$C" --short --list --out /tmp/x >"$tmp/out" 2>&1
[ "$(wc -l <"$tmp/out")" = 2 ] && grep -q -- '--trial migrate:10:0 --moves 3 ' "$tmp/out" && grep -q -- '--trial mip6:10:0 --moves 3 ' "$tmp/out"
ok $? "--short --list: the demo's two trials, 3 moves at 10 ms and 0 %" || diag <"$tmp/out"
"$C" --table --out "$tmp/none" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "$tmp/none" "$tmp/err"
ok $? "--table with no trials in the folder: exit $rc, the folder named" || diag <"$tmp/err"
# --table over made-up trials: migrate at 50 ms with latencies 60, 55, 80
# and one absent; mip6 at 50 ms whose stream broke
d=$tmp/run/tcp-migrate/migrate-50-1
mkdir -p "$d" "$tmp/run/tcp-migrate/mip6-50-1"
printf "scheme=migrate\ncore_rtt_ms=50\nloss_pct=1\nmoves=4\nstream_intact=1\nstream_sent='bytes 1 sha256 x'\n" >"$d/trial.env"
for v in 60 55 80; do
	printf '{"metric":"migrate","group":"migrate rtt 50 loss 1","latency_ms":%s,"steps_ms":{"to_syn":5,"handshake":%s,"to_data_acked":3}}\n' "$v" $((v - 8)) >>"$d/records.jsonl"
done
echo '{"metric":"migrate","group":"migrate rtt 50 loss 1","latency_ms":null,"steps_ms":{"to_syn":5,"handshake":null,"to_data_acked":null},"absent":"no SYN/ACK"}' >>"$d/records.jsonl"
printf 'scheme=mip6\ncore_rtt_ms=50\nloss_pct=1\nmoves=4\nstream_intact=0\n' >"$tmp/run/tcp-migrate/mip6-50-1/trial.env"
echo '{"metric":"handoff","group":"mip6 rtt 50 loss 1","latency_ms":20,"steps_ms":{"detection":null,"registration":2,"resume":18}}' >"$tmp/run/tcp-migrate/mip6-50-1/records.jsonl"
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
grep -Eq '^migrate +50 +1 +3 +1 +60 +80 +80 \| to_syn 5, handshake 52, to_data_acked 3 +\| +1.2 \| intact$' "$tmp/out"
ok $? "--table: migrate n 3, absent 1, p50 60, p90 80, max 80, the steps' p50, 1.2 RTT, intact" || diag <"$tmp/out"
grep -Eq '^mip6 +50 +1 +1 +0 +20 +20 +20 \| detection -, registration 2, resume 18 +\| +0.4 \| NOT intact$' "$tmp/out" &&
	[ "$(jq -s '[.[] | select(.metric)] | length' "$tmp/run/tcp-migrate/records.jsonl")" = 5 ]
ok $? "--table: mip6's row says the stream was NOT intact; records.jsonl joins every trial's (5)" || diag <"$tmp/out"
is "$(jq -c 'select(.summary) | [.summary, .group, .n, .absent, .min_ms, .p50_ms, .p90_ms, .max_ms]' "$tmp/run/tcp-migrate/records.jsonl" | tr '\n' ' ')" \
	'["handoff","mip6 rtt 50 loss 1",1,0,20,20,20,20] ["migrate","migrate rtt 50 loss 1",3,1,55,60,80,80] ' \
	"records.jsonl: a summary per scheme and setting for the report (n, absent, min, p50, p90, max)"
