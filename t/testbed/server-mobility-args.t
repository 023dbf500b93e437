#!/bin/sh
# t/testbed/server-mobility-args.t: reports/campaigns/server-mobility
# refuses bad values naming them (exit 2, nothing printed, nothing brought
# up), --list gives one command per trial then the --table one, and
# --table turns made-up trial rows into both figures' tables and the
# sentences on the paper's claim, and made-up cost rows into the cost
# trial's two tables and its sentence, computed from them.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
C=$here/reports/campaigns/server-mobility
tmp=$(mktemp -d /tmp/mk-smargs.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..34"
for bad in "--clients 0" "--clients 1,x" "--clients 300" "--hops 9" "--hops ''" "--exchanges 0" "--gap -1" \
	"--delay 2000" "--nodes 17" "--fig2-n 0" "--direct magic" "--trial fig3" "--bogus" \
	"--moves 0" "--move-gap 100" "--connect-every x" "--ask 0" "--resolvers nosuch" "--resolvers unbound,unbound"; do
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
	[ "$(grep -c -- '--trial cost ' "$tmp/out")" = 1 ] && [ "$(wc -l <"$tmp/out")" = 9 ]
ok $? "--list: fig1, three HOPS per shape, cost, then --table (9 lines)" || diag <"$tmp/out"
"$C" --short --list --out /tmp/x | head -n 1 >"$tmp/out"
grep -q -- "--clients '1 4 16' --hops '1 4' --exchanges 10 " "$tmp/out"
"$C" --short --list --out /tmp/x | head -n 1 >"$tmp/out"
grep -q -- "--clients '1 4 16' --hops '1 4' --exchanges 10 " "$tmp/out" && grep -q -- "--moves 3 " "$tmp/out" &&
	grep -q -- "--resolvers 'kresd-caaaa unbound'" "$tmp/out"
ok $? "--short: N 1 4 16, HOPS 1 4, 10 exchanges, 3 moves, resolvers kresd-caaaa and unbound" || diag <"$tmp/out"
"$C" --nodes 1 --resolvers unbound,bind --list >"$tmp/out" 2>"$tmp/err"
rc=$?
[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q "'unbound bind': one client node each, more than --nodes 1" "$tmp/err"
ok $? "two resolvers on one client node: exit $rc, both named ($(head -n 1 "$tmp/err"))"
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
# made-up cost rows (a cost trial's folder without its captures): the two
# cost tables and the sentence, computed from them
mkdir -p "$T/cost"
printf 'moves=10\nmove_gap_ms=3000\nconnect_every_ms=200\n' >"$T/cost/cost.env"
printf '%s\n' "kresd-caaaa	10	0	2.5	4.5	12.25	20	22	3" "unbound	9	1	2.5	4.5	6	9	11	0" >"$T/cost/cost-dns.tsv"
printf '%s\n' "kresd-caaaa	50	44	30	4	1	1	1	20.5	1050.25	104	1567	5	1	30.1" \
	"unbound	40	38	20	2	0	0	0	20.25	1040	109	1353	3	0	30.0" >"$T/cost/cost-conn.tsv"
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
grep -Eq '^kresd-caaaa +10 +0 +2\.500 +4\.500 +12\.250 +20\.000 +22\.000 +3$' "$tmp/out" &&
	grep -Eq '^unbound +9 +1 +2\.500 +4\.500 +6\.000 +9\.000 +11\.000 +0$' "$tmp/out" && grep -q '; 10 moves; stale' "$tmp/out"
ok $? "cost table (DNS): per resolver moves, absent, UPDATE -> NOERROR and -> answer p50/p90/max, stale" || diag <"$tmp/out"
grep -Eq '^kresd-caaaa +50 +44 +30 +4 +1 +1 +1 +20\.500 +1050\.250 +104 +1567 +5 +1 +30\.1$' "$tmp/out" &&
	grep -q 'one at most every 200 ms' "$tmp/out"
ok $? "cost table (connections): direct 44 (30 answered through HA), fell back 4, via HA 1, no SYN/ACK 1, short 1, the connect times" || diag <"$tmp/out"
grep -q '^Cost: the new CAAAA reached the clients (p50, UPDATE -> answer) through kresd-caaaa 12.250 ms, unbound 6.000 ms; 6 of 90 connections by name hit a stale or unreachable care-of address and fell back through the home agent, 1 went through it for want of a CAAAA, 1 failed\.$' "$tmp/out"
ok $? "the cost sentence: 6 of 90 fell back, 1 via HA, 1 failed (the short reply)" || diag <"$tmp/out"
grep -q '^Claim (Fig. 1' "$tmp/out" && grep -q '^Claim (Fig. 2' "$tmp/out"
ok $? "the figures' tables and claims still there beside the cost" || diag <"$tmp/out"
rm -r "$T/fig1" "$T/fig2-away-h1" "$T/fig2-towards-h1"
"$C" --table --out "$tmp/run" >"$tmp/out" 2>&1
rc=$?
[ $rc = 0 ] && grep -q '^Cost: the new CAAAA' "$tmp/out" && ! grep -q '^Fig\.' "$tmp/out"
ok $? "--table with the cost trial alone: exit $rc, its tables, no figure" || diag <"$tmp/out"
