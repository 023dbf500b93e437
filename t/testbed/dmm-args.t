#!/bin/sh
# t/testbed/dmm-args.t: reports/campaigns/dmm refuses bad values naming
# them (exit 2, nothing brought up), --list gives one command line per
# trial, and --table reads trials already run (made-up records: no
# testbed): the row per scheme and policy, NOT FINISHED for a piece that
# was not there, the summaries for reports/render.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq
C=$here/reports/campaigns/dmm
tmp=$(mktemp -d /tmp/mk-dmargs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..24"
export MOBBED_RUN=$tmp/run-state
for bad in "--trials 0" "--trials x" "--schemes ddns,hip" "--policies race,fastest" "--delays 5" \
	"--delays 20,5" "--delays 5,x" "--delays 5,3000" "--trial 11" "--trial y" "--attach hop" "--bogus 1"; do
	# shellcheck disable=SC2086
	"$C" $bad --list >"$tmp/out" 2>"$tmp/err"
	rc=$?
	val=${bad#* }
	case $bad in --schemes* | --policies* | --delays\ 5,*) val=$(echo "$val" | sed 's/.*,//') ;; esac
	[ "$bad" = "--bogus 1" ] && val=--bogus
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "'$val'" "$tmp/err"
	ok $? "dmm $bad: exit $rc, the value named ($(head -n 1 "$tmp/err"))"
done
# nothing was brought up by any of them
[ ! -e "$tmp/run-state" ]
ok $? "no testbed state made by the refused runs"

"$C" --list --out /tmp/x >"$tmp/out" 2>&1
[ "$(wc -l <"$tmp/out")" = 10 ] && grep -q -- '--trial 7 --trials 10 --schemes ddns,p2p,central,combined --policies race,probe,rfc6724 --delays 5,20 --attach multi --out /tmp/x$' "$tmp/out"
ok $? "--list: one command line per trial (10), every scheme and policy" || diag <"$tmp/out"
"$C" --short --list --delays 2,30 --schemes ddns,central --out /tmp/x >"$tmp/out" 2>&1
[ "$(wc -l <"$tmp/out")" = 2 ] && grep -q -- '--trial 1 --trials 2 --schemes ddns,central .* --delays 2,30 ' "$tmp/out" &&
	grep -q -- '--trial 2 --trials 2 ' "$tmp/out"
ok $? "--short --list: the demo's two trials (one each way), the options carried" || diag <"$tmp/out"
"$C" --table --out "$tmp/none" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "$tmp/none" "$tmp/err"
ok $? "--table with no trials in the folder: exit $rc, the folder named" || diag <"$tmp/err"

# made-up trials: trial 1 (IP1 the lowest) and trial 2 (IP2 the lowest);
# ddns race picks the lowest both times (setup 12 and 30), rfc6724 IP1 both
# times (right once); central: 40 and an absent one, anchored once;
# combined not built (NOT FINISHED)
mk() { # TRIAL GROUP ADDRESS SETUP RTT ANCHORED
	_s=${2%% *}
	_p=null
	[ "$_s" = "$2" ] || _p="\"${2#* }\""
	_low=ip1
	[ "$1" = 2 ] && _low=ip2
	for m in dmm_setup dmm_rtt; do
		_l=$4
		[ $m = dmm_rtt ] && _l=$5
		printf '{"metric":"%s","group":"%s","scheme":"%s","policy":%s,"trial":%s,"run":"r/dmm/trial-%s","address":"%s","lowest":"%s","lowest_picked":%s,"anchored":%s,"rtt_ms":%s,"latency_ms":%s}\n' \
			$m "$2" "$_s" "$_p" "$1" "$1" "$3" "$_low" "$([ "$3" = "$_low" ] && echo true || echo false)" "$6" "$5" "$_l"
	done >>"$tmp/run/dmm/trial-$1/records.jsonl"
}
for i in 1 2; do
	mkdir -p "$tmp/run/dmm/trial-$i"
	printf 'trial=%s\n' $i >"$tmp/run/dmm/trial-$i/trial.env"
	printf "combined\tmkrv has no serve/call (test)\n" >"$tmp/run/dmm/trial-$i/not_finished"
done
mk 1 "ddns race" ip1 12 10 false
mk 2 "ddns race" ip2 30 11 false
mk 1 "ddns rfc6724" ip1 8 10 false
mk 2 "ddns rfc6724" ip1 9 41 false
mk 1 central ip1 40 60 true
mk 2 central none null null false
printf '{"metric":"dmm_convergence","group":"ddns","trial":%s,"latency_ms":%s,"messages":%s}\n' 1 100 2 2 140 4 >>"$tmp/run/dmm/trial-1/records.jsonl"
printf '{"metric":"dmm_convergence","group":"rendezvous","trial":1,"latency_ms":55,"messages":4}\n' >>"$tmp/run/dmm/trial-1/records.jsonl"
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
rc=$?
is "$rc" 0 "--table over made-up trials: exit 0"
grep -Eq '^ddns race +2 +12 +30 +10 +2/2 +0/2 +100 +2$' "$tmp/out"
ok $? "--table: ddns race n 2, setup p50 12 p90 30, RTT p50 10, lowest 2/2, anchored 0/2, convergence p50 100, 2 messages per move" || diag <"$tmp/out"
grep -Eq '^ddns rfc6724 +2 +8 +9 +10 +1/2 +0/2 +100 +2$' "$tmp/out"
ok $? "--table: ddns rfc6724 picked the lowest-delay address 1/2" || diag <"$tmp/out"
grep -Eq '^central +1 +40 +40 +60 +1/2 +1/2 +55 +4$' "$tmp/out"
ok $? "--table: central n 1 (one session without a setup time), anchored 1/2, the rendezvous convergence" || diag <"$tmp/out"
grep -q '^combined .*NOT FINISHED: mkrv has no serve/call (test)$' "$tmp/out" && ! grep -q '^p2p' "$tmp/out"
ok $? "--table: combined NOT FINISHED with the reason; p2p (no trial, no reason) has no row" || diag <"$tmp/out"
is "$(jq -c 'select(.summary) | [.summary, .group, .n, .absent, .p50_ms, .max_ms]' "$tmp/run/dmm/records.jsonl" | sort | tr '\n' ' ')" \
	'["dmm_convergence","ddns",2,0,100,140] ["dmm_convergence","rendezvous",1,0,55,55] ["dmm_rtt","central",1,1,60,60] ["dmm_rtt","ddns race",2,0,10,11] ["dmm_rtt","ddns rfc6724",2,0,10,41] ["dmm_setup","central",1,1,40,40] ["dmm_setup","ddns race",2,0,12,30] ["dmm_setup","ddns rfc6724",2,0,8,9] ' \
	"records.jsonl: a summary per metric and group for the report (n, absent, p50, max)"
"$C" --attach move --trials 3 --list --out /tmp/x >"$tmp/out" 2>&1
[ "$(wc -l <"$tmp/out")" = 3 ] && [ "$(grep -c -- '--attach move --out /tmp/x$' "$tmp/out")" = 3 ]
ok $? "--attach move --list: the move variant carried to each trial's command line" || diag <"$tmp/out"
# session A of each made-up trial: intact both times, anchored once
for i in 1 2; do
	printf '{"metric":"dmm_old_session","group":"session A","trial":%s,"intact":true,"anchored":%s}\n' $i "$([ $i = 1 ] && echo true || echo false)" >>"$tmp/run/dmm/trial-$i/records.jsonl"
done
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
grep -q '^session A (CN1 -> IP1, begun before the attach): intact 2/2, through an anchor after it 1/2$' "$tmp/out" &&
	! jq -e 'select(.summary == "dmm_old_session")' "$tmp/run/dmm/records.jsonl" >/dev/null
ok $? "--table: session A intact 2/2, through an anchor 1/2; no latency summary made of it" || diag <"$tmp/out"
