#!/bin/sh
# t/stack/mobctl.t: mobctl checks what the control socket sends before it
# prints anything (issue 12: 70 kB of random octets came out with exit 0).
# A scripted socket (t/lib/fakectl) answers each case; no root, no network.
#
#  - random octets, a too long answer, a last line with no newline: exit 4,
#    one line naming the fault, nothing on stdout;
#  - --json: an answer that does not parse, or an object where mobd sends
#    an array (and the reverse): exit 4;
#  - what mobd sends (text, JSON of the command's kind) is printed, exit 0;
#    an "error:" answer goes to stderr with exit 1; no socket: exit 3.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
CTL=$here/bin/mobctl
FAKE=$here/t/lib/fakectl
tmp=$(mktemp -d /tmp/mk-mobctl.XXXXXX) || exit 1
fpid=""
cleanup() {
	[ -n "$fpid" ] && kill "$fpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ask COMMAND... of a fake mobd answering with FILE; sets st, out, err
ask() { # FILE ARGS...
	_f=$1
	shift
	"$FAKE" "$tmp/s" "$_f" >"$tmp/ready" &
	fpid=$!
	_i=0
	while [ ! -S "$tmp/s" ] && [ $_i -lt 50 ]; do sleep 0.02; _i=$((_i + 1)); done
	"$CTL" -S "$tmp/s" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	wait "$fpid"
	fpid=""
	out=$(cat "$tmp/out")
	err=$(cat "$tmp/err")
}

# refused FILE PATTERN WHAT ARGS...: exit 4, PATTERN on stderr, nothing on stdout
refused() {
	_f=$1 _p=$2 _w=$3
	shift 3
	ask "$_f" "$@"
	[ $st = 4 ] && [ -z "$out" ] && echo "$err" | grep -q "$_p"
	ok $? "$_w: exit 4, nothing printed" || echo "st $st: $err" | diag
}

echo "1..22"
head -c 70000 /dev/urandom >"$tmp/random"
refused "$tmp/random" "is not text: refused" "70 kB of random octets ('not text')" counters

awk 'BEGIN { for (i = 0; i < 40000; i++) printf "2001:db8:1::%x via 2001:db8:21::1 seq 1\n", i }' >"$tmp/long"
refused "$tmp/long" "longer than 1048576 octets" "an answer over 1 MiB" bc

printf 'mobile node 2001:db8:1::9: bound, pid 1' >"$tmp/nonl"
refused "$tmp/nonl" "no newline" "a text answer cut short (no newline)" status

printf '{"role":"home-agent","bu_rx":\n' >"$tmp/cut.json"
refused "$tmp/cut.json" "not JSON" "--json, an answer that does not parse" --json counters

printf '{"a":1,"a":2}\n' >"$tmp/dup.json"
refused "$tmp/dup.json" "not JSON" "--json, a duplicate member" --json status

printf '[1,2]\n' >"$tmp/arr.json"
refused "$tmp/arr.json" "JSON object expected for 'counters'" "--json counters answered with an array" \
	--json counters

printf '{"hoa":"2001:db8:1::9"}\n' >"$tmp/obj.json"
refused "$tmp/obj.json" "JSON array expected for 'bc'" "--json bc answered with an object" --json bc

printf '2001:db8:1::9 via 2001:db8:21::5 seq 7 lifetime 60 s remaining 59 s\n' >"$tmp/bc.txt"
ask "$tmp/bc.txt" bc
[ $st = 0 ] && [ "$out" = "$(cat "$tmp/bc.txt")" ] && [ -z "$err" ]
ok $? "a text answer as mobd sends it: printed, exit 0" || echo "st $st: $err" | diag

printf '{"role":"home-agent","bu_rx":3,"ba_status":{"0":3}}\n' >"$tmp/cnt.json"
ask "$tmp/cnt.json" --json counters
[ $st = 0 ] && [ "$out" = "$(cat "$tmp/cnt.json")" ]
ok $? "--json counters, an object: printed, exit 0" || echo "st $st: $err" | diag

printf "error: unknown command 'x' (bc, bul, ha, counters, status)\n" >"$tmp/e.txt"
ask "$tmp/e.txt" --json status
[ $st = 1 ] && [ -z "$out" ] && echo "$err" | grep -q "^error: unknown command"
ok $? "an 'error:' answer: on stderr, exit 1" || echo "st $st: $err" | diag

"$CTL" -S "$tmp/none" status >/dev/null 2>&1
is $? 3 "no socket: exit 3"

# commands with arguments (issue 15): "NAME [json] [ARGS...]"
printf 'ok\n' >"$tmp/ok.txt"
ask "$tmp/ok.txt" cn-bind 2001:db8:1::9 2001:db8:21::5 60
[ $st = 0 ] && [ "$out" = ok ] && grep -qx "got cn-bind 2001:db8:1::9 2001:db8:21::5 60" "$tmp/ready"
ok $? "cn-bind HOA COA LIFETIME_S: the line 'cn-bind HOA COA 60' sent, 'ok' printed, exit 0" ||
	{ echo "st $st: $err"; cat "$tmp/ready"; } | diag

# usage errors are found before anything is sent: no socket needed (else exit 3)
usage() { # PATTERN WHAT ARGS...
	_p=$1 _w=$2
	shift 2
	"$CTL" -S "$tmp/none" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	[ $st = 2 ] && [ ! -s "$tmp/out" ] && grep -q "$_p" "$tmp/err"
	ok $? "$_w: exit 2 naming it, nothing sent" || { echo "st $st"; cat "$tmp/err"; } | diag
}
usage "COA 'nonsense' is not an IPv6 address" "cn-bind with a COA that is no address" \
	cn-bind 2001:db8:1::9 nonsense 60
usage "LIFETIME_S '60s'" "cn-bind with lifetime '60s'" cn-bind 2001:db8:1::9 2001:db8:21::5 60s
usage "LIFETIME_S '0'" "cn-bind with lifetime 0" cn-bind 2001:db8:1::9 2001:db8:21::5 0
usage "takes 3 arguments (HOA COA LIFETIME_S), got 2" "cn-bind with 2 arguments" cn-bind 2001:db8:1::9 60
usage "bc takes no arguments (got 'x')" "bc with an argument" bc x
usage "'Bad;name' is not a command name" "a command name that is no word" 'Bad;name'

printf "error: usage: cn-bind HOA COA LIFETIME_S: HOA 'ff02::1' is not a unicast routable address\n" >"$tmp/u.txt"
ask "$tmp/u.txt" cn-bind ff02::1 2001:db8:21::5 60
[ $st = 2 ] && [ -z "$out" ] && echo "$err" | grep -q "^error: usage: cn-bind"
ok $? "mobd's 'error: usage: ...' (what mobctl cannot check): on stderr, exit 2" || echo "st $st: $err" | diag

printf 'error: no binding for 2001:db8:1::9\n' >"$tmp/nb.txt"
ask "$tmp/nb.txt" cn-unbind 2001:db8:1::9
[ $st = 1 ] && [ -z "$out" ] && echo "$err" | grep -q "^error: no binding" && grep -qx "got cn-unbind 2001:db8:1::9" "$tmp/ready"
ok $? "cn-unbind HOA answered 'error: ...': on stderr, exit 1" || echo "st $st: $err" | diag

printf 'ok\nmore\n' >"$tmp/two.txt"
refused "$tmp/two.txt" "one line \"ok\" or \"error: ...\" expected for 'cn-bind'" \
	"cn-bind answered with two lines" cn-bind 2001:db8:1::9 2001:db8:21::5 60

printf '{"state":"published"}\n' >"$tmp/up.json"
ask "$tmp/up.json" --json updater
[ $st = 0 ] && [ "$out" = '{"state":"published"}' ] && grep -qx "got updater json" "$tmp/ready"
ok $? "a command mobctl does not know goes to mobd as it is ('updater json'), its JSON checked" ||
	{ echo "st $st: $err"; cat "$tmp/ready"; } | diag
