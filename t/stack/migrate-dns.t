#!/bin/sh
# t/stack/migrate-dns.t: TCP Migrate's location part (issue 16, "Location")
# live on tcp-migrate (DNS=bind): mobd on MH runs `role migrate
# dns-updater` with `dns-record aaaa` (mobbed's TSIG key, TTL 0) for
# mh.example.; mobd on FH runs the migrate role; NS is the authoritative
# server of example.; the test adds RES, a resolver (unbound, NS as the
# stub of example.), to the topology.  FH resolves names through RES (its
# resolv.conf in /etc/netns/<FH's namespace>, as t/stack/dns-e2e.t does),
# with glibc's getaddrinfo: socat connects by name, an unmodified program.
#
#  - mobd -n prints `dns-record aaaa` for the migrate host;
#  - a stream MH -> FH (mkstream) runs across MIGDNS_MOVES moves of MH
#    (default 3); after each move:
#      - `mobctl updater` says replace AAAA <MH's new address> NOERROR;
#      - dig at NS (BIND's own client, the oracle): mh.example. AAAA is
#        exactly MH's new address, TTL 0 (the old one gone);
#      - a new connection by name from FH (socat to mh.example) reaches MH
#        at that new address (socat -d -d at MH names the local address),
#        its data intact (SHA-256);
#  - the stream (migrated on every move) ends with the same SHA-256 at
#    both ends;
#  - MH's log and `mobctl updater` name the record AAAA, never CAAAA;
#  - NS's capture (tshark): every UPDATE MH sent carries a TSIG MAC and is
#    answered NOERROR with one;
#  - mobcap latency convergence on MH's and FH's captures: one record per
#    move, UPDATE -> NOERROR -> RES's first answer to FH with the new AAAA
#    (FH asks RES every 50 ms during the moves), stale answers and TTL
#    violations; the figures are printed as diagnostics, never asserted;
#  - SIGTERM: both mobd exit 0, no mobdmig table left.
# Namespaces, /etc/netns/<FH's namespace> and the daemons are this test's
# own and removed (daemons ended by PID) on any exit.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq nft socat radvd tshark dig named unbound sha256sum
. "$here/t/lib/stack.sh"
stack_init mx
[ -d /etc/netns ] && had_netns=1 || had_netns=0
trap 'rm -rf "/etc/netns/$MOBBED_NAME-FH"; [ $had_netns = 1 ] || rmdir /etc/netns 2>/dev/null
	stack_cleanup' EXIT

MOVES=${MIGDNS_MOVES:-3}
echo "1..$((MOVES * 3 + 8))"
FH=2001:db8:f::2
NS=2001:db8:f::53
RES=2001:db8:f::35
NAME=mh.example

# tcp-migrate and a resolver RES (unbound, NS as the stub of example.) on
# FH's link: mobcap's convergence is the first answer of a resolver to a
# client (the update server's own answers are not counted as one)
{ cat "$here/fixtures/topologies/tcp-migrate"
  printf 'node RES\nattach RES fh ::35\nservice RES resolver-unbound NS\n'; } >"$tmp/topo"
"$B" up "$tmp/topo" F=3 DELAY=2 DNS=bind >"$tmp/up.log" 2>&1
ok $? "tcp-migrate and a resolver RES up (F=3 DELAY=2 DNS=bind)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
for _h in MH FH NS RES; do "$B" exec $_h sysctl -qw net.ipv6.icmp.ratelimit=0; done
TKEY=$MOBBED_RUN/$MOBBED_NAME/tsig.key
mkdir -p "/etc/netns/$MOBBED_NAME-FH"
echo "hosts: files dns" >"/etc/netns/$MOBBED_NAME-FH/nsswitch.conf"
echo "nameserver $RES" >"/etc/netns/$MOBBED_NAME-FH/resolv.conf"

printf 'role migrate\ninterface eth0\ncontrol %s/FH.sock\n' "$tmp" >"$tmp/FH.conf"
cat >"$tmp/MH.conf" <<EOF
role migrate dns-updater
interface eth0
control $tmp/MH.sock
dns-server $NS
dns-zone example.
dns-name $NAME.
dns-record aaaa
dns-ttl 0
dns-tsig-key $TKEY
dns-timeout 300
dns-tries 3
EOF
"$D" -n -c "$tmp/MH.conf" >"$tmp/n.out" 2>&1 && grep -qx "dns-record aaaa" "$tmp/n.out" &&
	grep -qx "dns-ttl 0" "$tmp/n.out" && grep -q "^role .*migrate" "$tmp/n.out" && grep -q "^role .*dns-updater" "$tmp/n.out"
ok $? "mobd -n: role migrate dns-updater, dns-record aaaa, dns-ttl 0" || diag <"$tmp/n.out"

"$B" capture start "$tmp/pcap" >/dev/null
mig_daemons
ok $? "mobd up on FH (migrate) and MH (migrate dns-updater)" || tail -n 5 "$tmp/fh.log" "$tmp/mh.log" | diag

# the last update: op, address and rcode (jq 1.6 -e passes on empty input:
# mobctl's answer is taken first)
upd() { _j=$("$CTL" -S "$tmp/MH.sock" --json updater) && echo "$_j" | jq -e --arg o "$1" --arg c "$2" \
	--arg r "$3" '.last.op == $o and .last.coa == $c and .last.rcode == $r'; }
# MH's global address on eth0 once it is the only one (the old one gone)
mh_addr() { "$B" exec MH ip -6 -o addr show dev eth0 scope global -tentative | awk '{ sub(/\/.*/, "", $4); print $4 }'; }
one_new_addr() { # OLD: true when MH has exactly one global address, not OLD
	_a=$(mh_addr)
	[ -n "$_a" ] && [ "$(echo "$_a" | wc -l)" = 1 ] && [ "$_a" != "$1" ]
}
aaaa() { "$B" exec FH dig @"$NS" +norec +noall +answer "$NAME." AAAA; }
# an address as socat writes it (8 groups of 4 digits) in the RFC 5952 form
# ip and mobctl write (leading zeros gone, the longest run of 2 or more zero
# groups, the first of equals, as ::)
rfc5952() {
	echo "$1" | awk -F: '{
		bs = 0; bl = 0; s = 0; l = 0
		for (i = 1; i <= 8; i++) {
			g[i] = $i; sub(/^0+/, "", g[i]); if (g[i] == "") g[i] = "0"
			if (g[i] == "0") { if (!l) s = i; l++; if (l > bl) { bl = l; bs = s } } else l = 0
		}
		out = ""
		for (i = 1; i <= 8; i++) {
			if (bl > 1 && i == bs) { out = out "::"; i += bl - 1; continue }
			out = out ((out == "" || out ~ /:$/) ? "" : ":") g[i]
		}
		print out
	}'
}
cur=1
move_next() { # MH to the next of l1..l3
	cur=$((cur % 3 + 1))
	"$B" move MH "l$cur" >>"$tmp/moves.log" 2>&1
}

# ---- the stream across the moves ----
# FH asks RES for the AAAA every 50 ms during the moves (as a client that
# keeps resolving would): the convergence metric's first answer with the
# new address is then bounded by this pace, not by the checks' own
# lookups; stale answers after the NOERROR are counted by mobcap
"$B" exec FH sh -c "while :; do dig @$RES +tries=1 +time=1 +short $NAME. AAAA >/dev/null; sleep 0.05; done" \
	>/dev/null 2>&1 &
qpid=$!
pids="$pids $qpid"
stream_start $((MOVES * 1200000 + 1200000)) 400000 MH FH "$FH"
sleep 0.5

head -c 200000 /dev/urandom >"$tmp/data"
sha=$(sha256sum <"$tmp/data")
old=$(mh_addr)
i=1
while [ "$i" -le "$MOVES" ]; do
	move_next
	wait_for 100 one_new_addr "$old"
	new=$(mh_addr)
	wait_for 50 upd replace "$new" NOERROR
	ok $? "move $i (to l$cur): mobctl updater: replace AAAA $new NOERROR" ||
		{ "$CTL" -S "$tmp/MH.sock" updater; tail -n 5 "$tmp/mh.log"; } | diag
	got=$(aaaa | awk '{ print $2, $4, $5 }')
	[ "$got" = "0 AAAA $new" ]
	ok $? "move $i: dig at NS: $NAME. AAAA $new alone, TTL 0 (the old $old gone)" ||
		{ echo "dig: '$got'"; aaaa; } | diag
	# a new connection by name from FH: it reaches MH at the new address
	port=$((6100 + i))
	rm -f "$tmp/in$i"
	"$B" exec MH socat -d -d -u "TCP6-LISTEN:$port,reuseaddr" "CREATE:$tmp/in$i" >"$tmp/l$i.log" 2>&1 &
	lp=$!
	pids="$pids $lp"
	wait_for 30 sh -c "'$B' exec MH ss -Htln 'sport = :$port' | grep -q ."
	"$B" exec FH timeout 30 socat -u "OPEN:$tmp/data" "TCP6:$NAME:$port" >"$tmp/c$i.log" 2>&1
	c=$?
	wait_for 100 sh -c "! kill -0 $lp" || kill "$lp"
	wait "$lp"
	on=$(sed -n 's/.*accepting connection from .* on AF=10 \[\([0-9a-f:]*\)\]:.*/\1/p' "$tmp/l$i.log")
	on=$(rfc5952 "$on")
	[ $c = 0 ] && [ "$on" = "$new" ] && [ "$(sha256sum <"$tmp/in$i" 2>/dev/null)" = "$sha" ]
	ok $? "move $i: socat on FH to $NAME:$port (getaddrinfo through RES, unbound) reaches MH at $new (got '$on'), 200000 octets intact" ||
		cat "$tmp/c$i.log" "$tmp/l$i.log" | tail -n 6 | diag
	old=$new
	i=$((i + 1))
done

# (a stalled stream is ended after 120 s: the check fails, the test goes on)
wait_for 1200 sh -c "! kill -0 $spid" || kill "$spid"
stream_end
kill "$qpid"
mm=$(grep -c "port .* migrated to" "$tmp/mh.log")
case $sent in bytes*) [ "$sent" = "$got" ] && [ "$mm" -ge "$MOVES" ] ;; *) false ;; esac
ok $? "the stream MH -> FH, migrated on each move ($mm migrations), the same at both ends: $sent" ||
	{ echo "sent: $sent"; echo "got: $got"; tail -n 5 "$tmp/mh.log"; } | diag

n_aaaa=$(grep -c "AAAA $NAME\. -> [0-9a-f:]*: NOERROR" "$tmp/mh.log")
"$CTL" -S "$tmp/MH.sock" updater >"$tmp/upd.txt"
[ "$n_aaaa" -ge "$MOVES" ] && ! grep -q CAAAA "$tmp/mh.log" && ! grep -q CAAAA "$tmp/upd.txt" &&
	grep -q "^record AAAA, zone example\." "$tmp/upd.txt" && grep -q "^last: replace AAAA " "$tmp/upd.txt"
ok $? "MH's log ($n_aaaa NOERROR lines) and mobctl updater name the record AAAA, never CAAAA" ||
	{ grep "AAAA" "$tmp/mh.log" | tail -n 4; cat "$tmp/upd.txt"; } | diag

"$B" capture stop "$tmp/pcap" >/dev/null
tshark -r "$tmp/pcap/NS-eth0.pcap" -Y "dns.flags.opcode == 5" -T fields -E separator=, -e dns.flags.response \
	-e dns.flags.rcode -e dns.tsig.mac_size 2>/dev/null >"$tmp/ns.csv"
q=$(awk -F, '$1 == 0 && $3 > 0' "$tmp/ns.csv" | wc -l)
a=$(awk -F, '$1 == 1 && $2 == 0 && $3 > 0' "$tmp/ns.csv" | wc -l)
cnt=$("$CTL" -S "$tmp/MH.sock" --json updater)
nsent=$(echo "$cnt" | jq -r '.counters.sent')
[ "$q" = "$nsent" ] && [ "$a" -ge "$q" ] && [ "$q" -ge "$MOVES" ]
ok $? "tshark at NS: $q UPDATEs with a TSIG MAC ($nsent sent by MH), $a NOERROR answers with one" || diag <"$tmp/ns.csv"

# UPDATE -> NOERROR -> NS's first answer to FH with the new AAAA
"$here/bin/mobcap" latency convergence --json --label "$RES=unbound" "$tmp/pcap/MH-eth0.pcap" "$tmp/pcap/FH-eth0.pcap" \
	>"$tmp/conv.jsonl" 2>"$tmp/conv.err"
jq -c 'select(.metric == "convergence" and .subject == "'"$FH"'" and (.group | test("AAAA$")) and .latency_ms != null)' \
	"$tmp/conv.jsonl" >"$tmp/conv.ok"
nc=$(grep -c . "$tmp/conv.ok")
[ "$nc" -ge "$MOVES" ]
ok $? "mobcap latency convergence: $nc records (UPDATE -> NOERROR -> first answer to FH with the new AAAA) for $MOVES moves" ||
	{ head -c 1500 "$tmp/conv.jsonl"; cat "$tmp/conv.err"; } | diag
jq -r '"convergence round \(.round): \(.latency_ms) ms" + (if .steps_ms then " (" + ([.steps_ms | to_entries[] | "\(.key) \(.value)"] | join(", ")) + ")" else "" end)' \
	"$tmp/conv.ok" 2>/dev/null | diag
jq -r 'select(has("summary") and .group != null) | "convergence \(.group): stale answers after the NOERROR \(.stale_after_noerror), TTL violations \(.ttl_violations)"' \
	"$tmp/conv.jsonl" 2>/dev/null | diag

mig_stop_ok "$mhpid" "$fhpid"
