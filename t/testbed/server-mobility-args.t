#!/bin/sh
# t/testbed/server-mobility-args.t: reports/campaigns/server-mobility
# refuses bad values naming them (exit 2, nothing printed, nothing brought
# up), --list gives one command per trial then the --table one, and
# --table turns made-up trial rows into both figures' tables and the
# sentences on the paper's claim, computed from them.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
C=$here/reports/campaigns/server-mobility
tmp=$(mktemp -d /tmp/mk-smargs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..22"
for bad in "--clients 0" "--clients 1,x" "--clients 300" "--hops 9" "--hops ''" "--exchanges 0" "--gap -1" \
	"--delay 2000" "--nodes 17" "--fig2-n 0" "--direct magic" "--trial fig3" "--bogus"; do
	eval "set -- $bad"
	"$C" "$@" --list >"$tmp/out" 2>"$tmp/err"
	rc=$?
	val=${2-$1}
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "'$(echo "$val" | sed 's/.*,//')" "$tmp/err"
	ok $? "server-mobility $bad: exit $rc, the value named ($(head -n 1 "$tmp/err"))"
done
"$C" --help >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q '^usage: server-mobility' "$tmp/out" && grep -q -- '--direct' "$tmp/out"
ok $? "--help: exit 0, the usage"
"$C" --list --hops 1,2,4 --out /tmp/x >"$tmp/out" 2>&1
[ "$(grep -c -- '--trial fig1 ' "$tmp/out")" = 1 ] && [ "$(grep -c -- '--trial fig2-away-h' "$tmp/out")" = 3 ] &&
	[ "$(grep -c -- '--trial fig2-towards-h' "$tmp/out")" = 3 ] && [ "$(sed -n '$p' "$tmp/out" | grep -c -- '--table ')" = 1 ] &&
	[ "$(wc -l <"$tmp/out")" = 8 ]
ok $? "--list: fig1, three HOPS per shape, then --table (8 lines)" || diag <"$tmp/out"
"$C" --short --list --out /tmp/x | head -n 1 >"$tmp/out"
grep -q -- "--clients '1 4 16' --hops '1 4' --exchanges 10 " "$tmp/out"
ok $? "--short: N 1 4 16, HOPS 1 4, 10 exchanges" || diag <"$tmp/out"
"$C" --table --out "$tmp/none" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "$tmp/none" "$tmp/err"
ok $? "--table with no trials in the folder: exit $rc, the folder named" || diag <"$tmp/err"
# made-up rows: fig shape hops N phase expected n p50 p90 min max off-path
T=$tmp/run/server-mobility/trials
mkdir -p "$T/fig1" "$T/fig2-away-h1" "$T/fig2-towards-h1"
printf '1\taway\t2\t%s\n' "1	ha	5	5	30	33	29	33	0" "1	direct	5	5	20	22	19	22	0" \
	"4	ha	20	20	35	40	30	41	1" "4	direct	20	19	21	23	20	24	1" >"$T/fig1/rows.tsv"
printf '2\t%s\n' "away	1	4	ha	20	20	12	13	11	14	0" "away	1	4	direct	20	20	11	12	10	13	0" \
	"away	4	4	ha	20	20	42	44	41	45	0" "away	4	4	direct	20	20	41	43	40	44	0" >"$T/fig2-away-h1/rows.tsv"
printf '2\t%s\n' "towards	1	4	ha	20	20	14	15	13	16	0" "towards	1	4	direct	20	20	3	4	2	5	0" \
	"towards	4	4	ha	20	20	44	46	43	47	0" "towards	4	4	direct	20	20	3	4	2	5	0" >"$T/fig2-towards-h1/rows.tsv"
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
grep -Eq '^ +4 +20 +35\.000 +40\.000 +19 +21\.000 +23\.000 +2$' "$tmp/out"
ok $? "Fig. 1 table: N 4 via HA n 20 p50 35 p90 40, direct n 19 p50 21 p90 23, 2 off-path" || diag <"$tmp/out"
grep -q '^Claim (Fig. 1, .*direct p50 shorter at 2 of 2 N; via HA p50 30.000 ms at N=1 -> 35.000 ms at N=4 (direct 20.000 -> 21.000): holds\.$' "$tmp/out"
ok $? "Fig. 1 claim: 2 of 2, via HA 30 -> 35 ms: holds" || diag <"$tmp/out"
grep -Eq '^towards +4 +20 +44\.000 +46\.000 +20 +3\.000 +4\.000 +0$' "$tmp/out"
ok $? "Fig. 2 table: towards HOPS 4, via HA 44/46, direct 3/4" || diag <"$tmp/out"
grep -q '^Claim (Fig. 2, .*direct p50 shorter at 4 of 4 points (holds); p50 gap via HA - direct: away 1.000 ms at HOPS=1 -> 1.000 ms at HOPS=4, towards 11.000 ms at HOPS=1 -> 41.000 ms at HOPS=4\.$' "$tmp/out"
ok $? "Fig. 2 claim: 4 of 4, the gap flat away (1 ms), growing towards (11 -> 41 ms)" || diag <"$tmp/out"
# one point where direct is longer: the claim does not hold, and says so
sed -i 's/^1\taway\t2\t4\tdirect\t20\t19\t21/1\taway\t2\t4\tdirect\t20\t19\t36/' "$T/fig1/rows.tsv"
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
grep -q '^Claim (Fig. 1, .*direct p50 shorter at 1 of 2 N; .*: via HA grew, but direct was not always shorter\.$' "$tmp/out"
ok $? "Fig. 1 claim with direct longer at N=4: 1 of 2, not always shorter" || diag <"$tmp/out"
