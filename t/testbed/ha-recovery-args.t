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
echo "1..8"
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
