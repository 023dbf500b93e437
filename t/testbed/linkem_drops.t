#!/bin/sh
# t/testbed/linkem_drops.t: linkem counts the frames it drops per direction
# and reason, and `mobbed status` shows them per link: a flood into a link
# set to rate=1 queue=10 shows rate drops from the flooding node (the
# bottleneck doing its job: no warning); a burst into delay=20 queue=5 shows
# queue drops, and status and down warn on stderr naming the link.  No speed
# is asserted; a port whose interface went down and up does not leave linkem
# spinning.
#
# Its own instance name and state folder (the `pair` topology: P and T on
# one link, lan); `mobbed clean` of that folder on every way out.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
M=$here/bin/mobbed
export MOBBED_NAME="ld$$"
MOBBED_RUN=$(mktemp -d) || exit 1
export MOBBED_RUN
trap '"$M" clean >/dev/null 2>&1; rm -rf "$MOBBED_RUN"' EXIT
trap 'exit 130' INT TERM HUP

. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds ping ethtool perl

echo "1..9"
out=$MOBBED_RUN/out err=$MOBBED_RUN/err
if ! "$M" up pair >"$out" 2>&1; then
	ok 1 "mobbed up pair"
	diag <"$out"
	for i in 2 3 4 5 6 7 8 9; do echo "not ok $i - testbed did not come up"; done
	exit 1
fi
ok 0 "mobbed up pair"

# flood: ping's preload sends 100 echo requests at once, then one per reply
flood() {
	"$M" exec P ping -n -q -f -l 100 -c 400 -s 1000 -W 1 2001:db8:5::2 >/dev/null 2>&1 || true
}

"$M" status >"$out" 2>"$err"
grep -q '^    drops: loss 0, rate 0, queue 0, kernel 0, other 0$' "$out" && [ ! -s "$err" ]
ok $? "an idle link: a drops line of zeros under it, no warning" || diag <"$out"

# a 1 Mbit/s bottleneck with a 10-frame queue, flooded from P
"$M" link lan from=P rate=1 queue=10 >/dev/null
flood
"$M" status >"$out" 2>"$err"
line=$(grep '^    drops:' "$out")
echo "after the flood into rate=1 queue=10: $line" | diag
echo "$line" | awk '{ r = $5; sub(/,/, "", r); exit !(r > 0) }'
ok $? "rate drops counted on lan"
echo "$line" | grep -q 'from P: [1-9]'
ok $? "named by the direction that dropped them (from P)"
[ ! -s "$err" ]
ok $? "rate drops alone are no warning (the bottleneck does its job)" || diag <"$err"
"${LINKEM:-$here/bin/linkem}" ctl "$MOBBED_RUN/$MOBBED_NAME/link-lan.ctl" show json >"$out" 2>&1
grep -q '^{"port":"p-P",.*"drops":{"loss":0,"rate":[1-9][0-9]*,"queue":0,' "$out"
ok $? "linkem ctl show json gives the drops of the direction from P by reason" || diag <"$out"

# more frames in flight than the queue holds: queue drops, a warning
"$M" link lan rate=0 delay=20 queue=5 >/dev/null
flood
"$M" status >"$out" 2>"$err"
echo "after the burst into delay=20 queue=5: $(grep '^    drops:' "$out")" | diag
grep -q '^mobbed: warning: link lan cannot keep up: [1-9][0-9]* frames dropped (queue [1-9]' "$err"
ok $? "status warns on stderr, naming the link and the queue drops" || diag <"$err"

# a port whose interface goes down and up (mobbed fail / restore): the socket
# error it leaves must be cleared, not reported by epoll for ever (linkem at
# SCHED_FIFO spinning on it).  Clock ticks (1/100 s) of linkem over 2 s of
# an idle link: 0 here; 24 to 200 before the fix, as the spin got the CPU.
"$M" fail P >/dev/null 2>&1
sleep 0.2
"$M" restore P >/dev/null 2>&1
pid=$(awk '$2 == "link-lan" && $3 == "linkem" { print $1 }' "$MOBBED_RUN/$MOBBED_NAME/pids")
ticks() { awk '{ print $14 + $15 }' "/proc/$pid/stat" 2>/dev/null || echo 0; }
t0=$(ticks)
sleep 2
t1=$(ticks)
[ -n "$pid" ] && [ $((t1 - t0)) -lt 10 ]
ok $? "after its port went down and up, linkem does not spin ($((t1 - t0)) ticks in 2 s)"

"$M" down >"$out" 2>"$err"
grep -q '^mobbed: warning: link lan cannot keep up' "$err"
ok $? "down repeats the warning before it takes the link away" || diag <"$err"
