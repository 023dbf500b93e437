#!/bin/sh
# t/testbed/mksel-args.t: mksel refuses bad values naming them (exit 2,
# nothing on stdout, no query sent: a UDP listener of this test on ::1
# stands as the server and must get nothing), --help answers, and a good
# command line does ask the listener (so the check above can fail): no
# answer, exit 3.  No root, loopback only.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds socat
SEL=$here/bin/mksel
tmp=$(mktemp -d /tmp/mk-selargs.XXXXXX) || exit 1
lpid=""
trap '[ -n "$lpid" ] && kill "$lpid" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
# a port for the listener: its own PID's, above 20000
port=$((20000 + $$ % 40000))
socat -u "UDP6-RECV:$port,bind=[::1]" "OPEN:$tmp/got,creat,append" 2>"$tmp/socat.err" &
lpid=$!
i=0
while [ $i -lt 50 ] && ! ss -Hlun "sport = :$port" 2>/dev/null | grep -q .; do sleep 0.05; i=$((i + 1)); done
S="[::1]:$port"
echo "1..15"
for bad in "-P fast" "-p 0" "-p 70000" "-S mkrv._tcp" "-d 5" "-n 0" "-t x" "-s 2001:db8::zz" "-s 192.0.2.1"; do
	# shellcheck disable=SC2086
	set -- $bad
	case $1 in -s) "$SEL" "$@" -p 7 mn.example. ;; *) "$SEL" -s "$S" "$@" -p 7 mn.example. ;; esac >"$tmp/out" 2>"$tmp/err"
	rc=$?
	case $1 in -p) want=$(echo "$bad" | tail -c +4) ;; *) want=$2 ;; esac
	[ $rc = 2 ] && [ ! -s "$tmp/out" ] && grep -q -- "'$want'" "$tmp/err"
	ok $? "mksel $bad: exit $rc, the value named ($(head -n 1 "$tmp/err"))"
done
"$SEL" -s "$S" -p 7 "a..b" >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q "NAME 'a..b'" "$tmp/err"
ok $? "a NAME that is no domain name: exit 2, named ($(head -n 1 "$tmp/err"))"
"$SEL" -s "$S" mn.example. >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q -- "--port" "$tmp/err"
ok $? "no --port and no --srv: exit 2 ($(head -n 1 "$tmp/err"))"
"$SEL" -p 7 mn.example. >"$tmp/out" 2>"$tmp/err"
[ $? = 2 ] && grep -q -- "--server" "$tmp/err"
ok $? "no --server: exit 2"
[ ! -s "$tmp/got" ]
ok $? "no query reached the listener from any of them"
"$SEL" --help >"$tmp/out" 2>&1
[ $? = 0 ] && grep -q '^usage: mksel' "$tmp/out" && grep -q 'rfc6724' "$tmp/out"
ok $? "--help: exit 0, the usage"
"$SEL" -s "$S" -p 7 -t 300 mn.example. >"$tmp/out" 2>"$tmp/err"
rc=$?
sleep 0.1
[ $rc = 3 ] && [ -s "$tmp/got" ] && grep -q "no AAAA (no answer)" "$tmp/err"
ok $? "a good command line asks the listener; no answer: exit 3 ($(head -n 1 "$tmp/err"))"
