#!/bin/sh
# t/testbed/mkreq.t: mkreq refuses bad numbers, addresses and options with
# one line naming them and exit 2, before any socket exists; a run of 8
# connections x 5 exchanges against its server completes inside a network
# namespace of its own, the capture's replies each paired with its request
# by mobcap latency rtt (tcp-data), and a run against a closed port
# fails with exit 1 naming the connect.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
R=$here/bin/mkreq
. "$here/t/lib/tap.sh"
tmp=$(mktemp -d /tmp/mk-mkreq.XXXXXX) || exit 1
ns=mkrq$$
spid=""
trap '[ -z "$spid" ] || kill "$spid" 2>/dev/null; ip netns del "$ns" 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

echo "1..13"

refused() {
	bad=$1
	shift
	timeout 5 "$R" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	lines=$(wc -l <"$tmp/err")
	[ "$rc" = 2 ] && [ "$lines" = 1 ] && grep -qF "'$bad'" "$tmp/err" && [ ! -s "$tmp/out" ]
	ok $? "mkreq $* refused naming '$bad' (exit $rc, $lines line: $(cat "$tmp/err"))"
}
refused 70000 serve 70000
refused 0 run ::1 7000 0 5
refused 4097 run ::1 7000 4097 5
refused -1 run ::1 7000 1 -1
refused 2001:db8::zz run 2001:db8::zz 7000 1 1
refused x run --gap x ::1 7000 1 1
refused 0 run --request 0 ::1 7000 1 1
refused --bind run --bind ::1 ::1 7000 1 1
refused 1.2.3.4 serve --bind 1.2.3.4 7000
timeout 5 "$R" bogus >/dev/null 2>&1
is "$?" 2 "an unknown subcommand is a usage error"

if [ "$(id -u)" = 0 ] && command -v tcpdump >/dev/null && ip netns add "$ns" 2>/dev/null; then
	ip -n "$ns" link set lo up
	ip netns exec "$ns" "$R" serve --request 32 --reply 500 7000 >"$tmp/serve" 2>&1 &
	spid=$!
	ip netns exec "$ns" tcpdump -i lo -w "$tmp/lo.pcap" -U --immediate-mode 'tcp port 7000' >"$tmp/tcpdump" 2>&1 &
	cpid=$!
	i=0
	until { ip netns exec "$ns" ss -Hltn 'sport = :7000' | grep -q . && grep -q "listening on" "$tmp/tcpdump"; } || [ $i -ge 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	ip netns exec "$ns" timeout 20 "$R" run --request 32 --reply 500 --gap 2 ::1 7000 8 5 >"$tmp/run" 2>&1
	rc=$?
	sleep 0.3
	kill -INT "$cpid"
	wait "$cpid"
	is "$rc:$(cat "$tmp/run")" "0:connections 8 exchanges 40" "run ::1 7000 8 5: exit 0, 40 exchanges"
	pairs=$("$here/bin/mobcap" latency rtt --json "$tmp/lo.pcap" | jq -s '[.[] | select(.metric == "rtt" and (.group | startswith("tcp-data ::1 > ::1")))] | length')
	# every reply the capture holds whose request it holds too is paired (a
	# capture on lo drops packets now and then: tcpdump counts them); the
	# count by tcpdump's own reading of sequence and acknowledgement numbers
	both=$(tcpdump -S -nr "$tmp/lo.pcap" 2>/dev/null | awk '
		/> ::1.7000: Flags \[P/ { split($9, s, ":"); e = s[2]; sub(/,/, "", e); split($3, p, "."); req[p[2] " " e] = 1 }
		/::1.7000 > .*Flags \[P/ { a = $11; sub(/,/, "", a); split($5, p, "."); c = p[2]; sub(/:/, "", c); if ((c " " a) in req) m++ }
		END { print m + 0 }')
	[ "$both" -ge 20 ] && [ "$pairs" = "$both" ]
	ok $? "the capture: each of its $both replies (of 40) whose request it holds paired by mobcap (tcp-data: $pairs)"
	ip netns exec "$ns" timeout 10 "$R" run ::1 7001 2 1 >"$tmp/run" 2>&1
	rc=$?
	[ $rc = 1 ] && grep -q '^run: connect after 0 of 2 exchanges: Connection refused$' "$tmp/run"
	ok $? "a closed port: exit $rc, the connect named ($(cat "$tmp/run"))"
	kill "$spid"
	wait "$spid" 2>/dev/null
	spid=""
else
	for k in 11 12 13; do echo "ok $k # SKIP needs root, tcpdump and a network namespace"; done
fi
