#!/bin/sh
# t/testbed/mobbed_params.t: `mobbed up` checks every topology parameter
# against the type and bounds its `param` line declares, and refuses names
# the topology does not declare, before it makes anything: one line naming
# the value, exit 2, no state folder, no namespace.  (Before: DELAY=abc
# failed late and pointed at a log it had removed, N=-1 said "no node 'R1'",
# and unknown names were taken.)  Runs as any user: the checks come before
# the need for root.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
M=$here/bin/mobbed
export MOBBED_NAME="mkp$$"
MOBBED_RUN=$(mktemp -d /tmp/mk-mobbed-p.XXXXXX) || exit 1
export MOBBED_RUN
tmp=$MOBBED_RUN/t
mkdir -p "$tmp"
trap '"$M" clean >/dev/null 2>&1; rm -rf "$MOBBED_RUN"' EXIT
trap 'exit 130' INT TERM HUP
. "$here/t/lib/tap.sh"

echo "1..15"

# refused BAD ARGS...: exit 2, one line on stderr naming BAD, nothing made
refused() {
	bad=$1
	shift
	"$M" up "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	made=$(ip netns list 2>/dev/null | grep -c "^$MOBBED_NAME-")
	[ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -qF "'$bad'" "$tmp/err" &&
		[ ! -e "$MOBBED_RUN/$MOBBED_NAME" ] && [ "$made" = 0 ]
	ok $? "up $* refused naming '$bad' (exit $rc, $lines line, $made namespaces: $(head -1 "$tmp/err"))"
}
refused abc pair DELAY=abc
refused -1 mip6-multiha N=-1
refused 0 mip6-multiha N=0
refused 9 mip6-multiha N=9
refused 99999999999 mip6-multiha F=99999999999
refused 70000 pair PORT=70000
refused BOGUS pair BOGUS=1
refused nsd mip6-multiha DNS=nsd
refused foo dns-convergence RESOLVERS="unbound foo"
refused bind dns-convergence RESOLVERS="bind unbound bind"
refused 1e3 dns-convergence MINTTL=1e3
refused "*" dns-convergence RESOLVERS="*"

# from the environment, as a campaign may set them
DELAY=x5 "$M" up pair >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -qF "'x5'" "$tmp/err" && [ ! -e "$MOBBED_RUN/$MOBBED_NAME" ]
ok $? "DELAY=x5 in the environment is refused too ($(cat "$tmp/err"))"

# a topology whose param has no type is refused as the topology's fault
printf 'param X 1\nlink lan 2001:db8:5::/64\n' >"$tmp/untyped"
"$M" up "$tmp/untyped" >/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'param X has no type' "$tmp/err"
ok $? "a param without a type is refused ($(cat "$tmp/err"))"

# good values pass the checks: the run goes on to its next need (here a
# linkem that is not there), still having made nothing
LINKEM=/nonexistent/linkem "$M" up mip6-multiha N=3 F=1 K=2 DELAY=0 DNS=knot RESOLVER=kresd \
	>/dev/null 2>"$tmp/err"
[ $? = 2 ] && grep -q 'needs root\|/nonexistent/linkem' "$tmp/err" && [ ! -e "$MOBBED_RUN/$MOBBED_NAME" ]
ok $? "good values pass the checks ($(cat "$tmp/err"))"
