#!/bin/sh
# t/testbed/campaign_broken.t: a campaign started with SIGINT ignored (as
# from `trap "" INT`, nohup or a non-interactive parent) stops when its
# testbed breaks: a linkem is killed mid-run, and reports/campaigns/
# mip6-handoff must exit non-zero within 30 s, naming what died, with no
# namespace, no recorded process and no state left.  (It used to go on and
# hang in `wait` with every namespace up.)
#
# Its own state folder (MOBBED_RUN); the campaign names its instance
# mh<PID>; everything is taken down on every way out.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
M=$here/bin/mobbed
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds radvd named unbound tcpdump ethtool

MOBBED_RUN=$(mktemp -d /tmp/mk-campaign.XXXXXX) || exit 1
export MOBBED_RUN
out=$MOBBED_RUN/out
cpid=""
finish() {
	[ -z "$cpid" ] || kill -KILL "$cpid" 2>/dev/null
	"$M" clean >/dev/null 2>&1
	# a campaign that did not clean up leaves its mobd (started with a
	# config under this test's folder, which mobbed did not record)
	for f in $(grep -l "[/]${MOBBED_RUN#/}/" /proc/[0-9]*/cmdline 2>/dev/null); do
		p=${f#/proc/}
		kill -KILL "${p%/cmdline}" 2>/dev/null
	done
	rm -rf "$MOBBED_RUN"
}
trap finish EXIT
trap 'exit 130' INT TERM HUP

running() {
	[ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

echo "1..6"

sh -c 'trap "" INT; exec "$0" --short --out "$1"' "$here/reports/campaigns/mip6-handoff" "$out" \
	>"$MOBBED_RUN/campaign.log" 2>&1 &
cpid=$!
name=mh$cpid
state=$MOBBED_RUN/$name

# wait for the stream to run (testbed up, mobd started): at most 120 s
i=0
until [ -s "$out/handoff/stream-recv.log" ] || ! running "$cpid" || [ $i -ge 240 ]; do
	sleep 0.5
	i=$((i + 1))
done
running "$cpid" && [ -s "$state/pids" ]
ok $? "the campaign runs, its testbed up ($(wc -l <"$state/pids" 2>/dev/null) processes recorded)" ||
	diag <"$MOBBED_RUN/campaign.log"

kill -INT "$cpid" 2>/dev/null
sleep 1
running "$cpid"
ok $? "it ignores SIGINT (started with SIGINT ignored)"

pids=$(awk '{ print $1 }' "$state/pids" 2>/dev/null)
victim=$(awk '$3 == "linkem" { print $1, $2; exit }' "$state/pids" 2>/dev/null)
# shellcheck disable=SC2086 # PID and node, split on purpose
set -- $victim
echo "killing linkem of ${2:-?} (PID ${1:-none}) mid-campaign" | diag
[ -n "${1:-}" ] && kill -KILL "$1"
i=0
while running "$cpid" && [ $i -lt 60 ]; do
	sleep 0.5
	i=$((i + 1))
done
if running "$cpid"; then
	ok 1 "the campaign exits within 30 s of its testbed breaking"
	rc=0
else
	wait "$cpid"
	rc=$?
	ok 0 "the campaign exits within 30 s of its testbed breaking"
	cpid=""
fi
[ "$rc" != 0 ] && grep -q 'testbed broken: linkem of' "$MOBBED_RUN/campaign.log"
ok $? "it exits non-zero ($rc) naming what died: $(grep 'testbed broken' "$MOBBED_RUN/campaign.log")"

left=$(ip netns list | grep -c "^$name-")
live=0
for p in $pids; do running "$p" && live=$((live + 1)); done
strays=$(grep -l "[/]${MOBBED_RUN#/}/" /proc/[0-9]*/cmdline 2>/dev/null | wc -l)
[ "$left" = 0 ] && [ "$live" = 0 ] && [ "$strays" = 0 ]
ok $? "nothing left up: $left namespaces, $live of the recorded processes, $strays of the campaign's own (mobd)"
[ ! -e "$state" ]
ok $? "no state left ($state)"
