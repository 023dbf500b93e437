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

echo "1..11"
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
