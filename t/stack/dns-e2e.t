#!/bin/sh
# t/stack/dns-e2e.t: DNS-assisted server mobility end to end by name
# (issue 15), nothing injected by hand: on mip6-multiha (F=2 N=2 K=3,
# DNS=bind, RESOLVER=kresd-caaaa) mobd runs the home agent on HA1, the
# mobile node with its dns-updater on MN (server.example.; mn-dns-answer
# rr, the default), a correspondent on C1, C2 and C3; each client's
# namespace resolves names through libnss_mobkit.so.2
# (/etc/netns/<ns>/nsswitch.conf "files mobkit dns", resolv.conf -> RES),
# which sends the correspondent its cn-bind when a name has a CAAAA.  The
# server is mkstream recv on MN (the home address); the client is socat
# connecting to server.example by name (getaddrinfo): an unmodified program.
#
#  - MN at home: no CAAAA (the updater deleted it): C1's connection goes to
#    the home address directly (no cn-bind, no RH2);
#  - MN moves to f1: `mobctl updater` NOERROR for the new care-of address;
#    C1 connects by name: its first SYN leaves to the care-of address with
#    a type 2 routing header naming the home address (tshark at C1),
#    the data intact (SHA-256 at both ends);
#  - MN moves to f2: a new client (C2) and C1 again connect by name, each
#    first SYN straight to the new care-of address with RH2;
#  - a stale CAAAA: nftables at NS drops every DNS packet from outside the
#    name servers' link (the updater's UPDATE), MN moves back to f1 (the
#    updater times out; NS still names f2's address): C3's first SYN goes
#    to the stale address, no answer within cn-dns-probe-timeout, the
#    binding goes, the retransmitted SYN reaches the home address through
#    HA1; C3's `mobctl counters` count it (dns_probe_timeout);
#  - an unreachable care-of address: the drop at NS removed, MN moves to f2
#    (published), f2's access router rejects C3 -> care-of address with a
#    Destination Unreachable (admin-prohibited, an ip rule): the binding goes at once
#    (dns_icmp_unreach), the connection completes through HA1;
#  - the tally: connections direct, fallen back, failed (said in the output);
#  - mobcap latency convergence on the captures: the UPDATE for f1 -> the
#    first answer from kresd-caaaa to C1 carrying the new CAAAA (in ADDITIONAL);
#  - SIGTERM: every daemon exits 0, no nftables table of mobd left.
# Namespaces, /etc/netns/<the clients' namespaces> and the daemons are this
# test's own and removed (daemons ended by PID) on any exit.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft tshark dig named kresd socat sha256sum
. "$here/t/lib/stack.sh"
NSSDIR=$here/build/nss
[ -f "$NSSDIR/libnss_mobkit.so.2" ] || { echo "1..0 # SKIP build/nss/libnss_mobkit.so.2 not built (make)"; exit 0; }
stack_init de
[ -d /etc/netns ] && had_netns=1 || had_netns=0
trap 'for c in C1 C2 C3; do rm -rf "/etc/netns/$MOBBED_NAME-$c"; done
	[ $had_netns = 1 ] || rmdir /etc/netns 2>/dev/null; stack_cleanup' EXIT

echo "1..23"
KEY=00112233445566778899aabbccddeeff
NS=2001:db8:3::53
RES=2001:db8:3::35
HA=2001:db8:1::2
NAME=server.example
LIFE=60

"$B" up mip6-multiha F=2 N=2 K=3 RESOLVER=kresd-caaaa >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up (F=2 N=2 K=3, DNS=bind, RESOLVER=kresd-caaaa)" || { tail -n 8 "$tmp/up.log" | diag; exit 1; }
for nd in C1 C2 C3 MN HA1 AR2 NS; do "$B" exec $nd sysctl -qw net.ipv6.icmp.ratelimit=0; done
HOA=$(hoa_of MN)
TKEY=$MOBBED_RUN/$MOBBED_NAME/tsig.key

# the server's name: its AAAA (the zone's data; the CAAAA is the updater's)
"$B" exec C1 "$P" update "$NS" --zone example. --name "$NAME." --aaaa "$HOA" --ttl 60 \
	--tsig-key "$TKEY" >"$tmp/seed.log" 2>&1
ok $? "$NAME. AAAA $HOA (TTL 60) at NS" || diag <"$tmp/seed.log"

ha_conf "$tmp/ha1.conf" "$tmp/ha1.sock"
mn_conf "$tmp/mn.conf" "$tmp/mn.sock" 120
sed -i '1d' "$tmp/mn.conf"
cat >>"$tmp/mn.conf" <<EOF
role mobile-node dns-updater
dns-server $NS
dns-zone example.
dns-name $NAME.
dns-tsig-key $TKEY
dns-timeout 300
dns-tries 3
EOF
for c in C1 C2 C3; do
	printf 'role correspondent\ninterface eth0\ncontrol %s\ncn-dns-probe-timeout 500\n' "$tmp/$c.sock" >"$tmp/$c.conf"
	printf 'control %s\nlifetime %s\n' "$tmp/$c.sock" "$LIFE" >"$tmp/nss-$c.conf"
	mkdir -p "/etc/netns/$MOBBED_NAME-$c"
	echo "hosts: files mobkit dns" >"/etc/netns/$MOBBED_NAME-$c/nsswitch.conf"
	echo "nameserver $RES" >"/etc/netns/$MOBBED_NAME-$c/resolv.conf"
done

"$B" capture start "$tmp/pcap" >/dev/null
"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
dpids=$!
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
dpids="$dpids $mnpid"
for c in C1 C2 C3; do
	"$B" exec $c "$D" -d -c "$tmp/$c.conf" >"$tmp/$c.log" 2>&1 &
	dpids="$dpids $!"
done
pids="$pids $dpids"

# (jq 1.6 -e says yes to no input at all: mobctl's answer is taken first)
mn_state() { _j=$("$CTL" -S "$tmp/mn.sock" --json bul) && echo "$_j" | jq -e --arg s "$1" '[.[] | select(.kind == "home")][0].state == $s'; }
mn_coa() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -r '[.[] | select(.kind == "home")][0].coa'; }
upd() { _j=$("$CTL" -S "$tmp/mn.sock" --json updater) && echo "$_j" | jq -e --arg o "$1" --arg c "$2" \
	--arg r "$3" '.last.op == $o and .last.coa == $c and .last.rcode == $r'; }
up() { "$CTL" -S "$1" status; }
cnt() { "$CTL" -S "$tmp/$1.sock" --json counters | jq -r ".$2"; }
bc_of() { "$CTL" -S "$tmp/$1.sock" --json bc | jq -r --arg h "$HOA" ".[] | select(.hoa == \$h) | .$2"; }
wait_for 50 mn_state home && wait_for 30 upd delete "" NOERROR &&
	wait_for 50 up "$tmp/C1.sock" && wait_for 50 up "$tmp/C2.sock" && wait_for 50 up "$tmp/C3.sock"
ok $? "home agent, mobile node at home (its updater deleted any CAAAA: NOERROR), correspondents C1-C3 up" ||
	{ "$CTL" -S "$tmp/mn.sock" updater; tail -n 5 "$tmp/mn.log" "$tmp/C1.log"; } | diag

# by_name CLIENT PORT: mkstream recv on MN, socat on CLIENT sends a random
# file (400000 octets, SHA-256 $sha) to $NAME:PORT, resolved by getaddrinfo
# (the NSS module); sets got (the receiver's SHA-256) and _u0, _u1 (the
# client's dns_coa_unreachable before and after); true when the data arrived intact
head -c 400000 /dev/urandom >"$tmp/data"
sha=$(sha256sum "$tmp/data" | awk '{ print $1 }')
by_name() {
	_u0=$(cnt "$1" dns_coa_unreachable)
	"$B" exec MN "$S" recv "$2" >"$tmp/recv$2.log" 2>&1 &
	_r=$!
	pids="$pids $_r"
	sleep 0.3
	"$B" exec "$1" env LD_LIBRARY_PATH="$NSSDIR" MOBKIT_NSS_CONF="$tmp/nss-$1.conf" \
		timeout 30 socat -u "OPEN:$tmp/data" "TCP6:$NAME:$2" >"$tmp/send$2.log" 2>&1
	wait_for 100 sh -c "! kill -0 $_r" || kill "$_r"
	wait "$_r"
	got=$(awk '$1 == "bytes" { print $4 }' "$tmp/recv$2.log")
	_u1=$(cnt "$1" dns_coa_unreachable)
	[ "$got" = "$sha" ] && [ "$(awk '$1 == "bytes" { print $2 }' "$tmp/recv$2.log")" = 400000 ]
}
direct=0 fell=0 failed=0
# tally: after by_name ($r its status): failed, fell back (the client counted its
# care-of address unreachable: dns_coa_unreachable grew) or direct
tally() {
	if [ "$r" != 0 ]; then failed=$((failed + 1)); elif [ "$_u1" -gt "$_u0" ]; then fell=$((fell + 1)); else direct=$((direct + 1)); fi
}

# ---- at home: no CAAAA
by_name C1 5100
r=$?
[ $r = 0 ] && [ "$(cnt C1 dns_bind)" = 0 ] && [ -z "$(bc_of C1 coa)" ] && [ "$(cnt C1 dns_first_tx)" = 0 ]
ok $? "MN at home, no CAAAA: C1 by name to the home address, no cn-bind, no binding; 400000 octets intact" ||
	{ cat "$tmp/send5100.log" "$tmp/recv5100.log"; "$CTL" -S "$tmp/C1.sock" counters | grep dns; } | diag
tally

# ---- f1
"$B" move MN f1 >/dev/null
wait_for 60 mn_state bound
COA1=$(mn_coa)
wait_for 30 upd replace "$COA1" NOERROR
ok $? "MN on f1 ($COA1): the updater published it (mobctl updater: replace NOERROR)" ||
	{ "$CTL" -S "$tmp/mn.sock" updater; tail -n 5 "$tmp/mn.log"; } | diag
by_name C1 5101
r=$?
[ $r = 0 ] && [ "$(cnt C1 dns_bind)" = 1 ] && [ "$(cnt C1 dns_first_tx)" = 1 ] && [ "$(cnt C1 dns_coa_unreachable)" = 0 ]
ok $? "C1 by name: the NSS module's cn-bind to $COA1 (dns_bind 1, dns_first_tx 1), 400000 octets intact" ||
	{ cat "$tmp/send5101.log" "$tmp/recv5101.log"; "$CTL" -S "$tmp/C1.sock" counters | grep dns; tail -n 3 "$tmp/C1.log"; } | diag
tally

# ---- f2: the new care-of address, C1's binding follows (return routability)
"$B" move MN f2 >/dev/null
moved_from() { _c=$(mn_coa) && [ "$_c" != "$1" ] && mn_state bound; }
wait_for 60 moved_from "$COA1"
COA2=$(mn_coa)
wait_for 30 upd replace "$COA2" NOERROR
ok $? "MN on f2 ($COA2): the updater published it" || { "$CTL" -S "$tmp/mn.sock" updater; tail -n 5 "$tmp/mn.log"; } | diag
by_name C2 5102
r=$?
[ $r = 0 ] && [ "$(cnt C2 dns_bind)" = 1 ] && [ "$(cnt C2 dns_coa_unreachable)" = 0 ]
ok $? "a new client, C2, by name: cn-bind to $COA2, 400000 octets intact" ||
	{ cat "$tmp/send5102.log" "$tmp/recv5102.log"; "$CTL" -S "$tmp/C2.sock" counters | grep dns; } | diag
tally
wait_for 80 sh -c "[ \"\$($CTL -S $tmp/C1.sock --json bc | jq -r '.[0].coa')\" = $COA2 ]"
by_name C1 5103
r=$?
[ $r = 0 ] && [ "$(bc_of C1 coa)" = "$COA2" ] && [ "$(cnt C1 dns_coa_unreachable)" = 0 ]
ok $? "C1 again by name after the move (its binding at $COA2): 400000 octets intact" ||
	{ cat "$tmp/send5103.log"; "$CTL" -S "$tmp/C1.sock" bc; } | diag
tally

# fell_back PORT N COUNTER WHAT: C3 by name (one check): its Nth binding from
# DNS, gone (dns_coa_unreachable N, COUNTER 1), the data intact through HA1
fell_back() {
	by_name C3 "$1"
	r=$?
	[ $r = 0 ] && [ "$(cnt C3 dns_bind)" = "$2" ] && [ "$(cnt C3 dns_coa_unreachable)" = "$2" ] &&
		[ "$(cnt C3 "$3")" = 1 ] && [ -z "$(bc_of C3 coa)" ]
	ok $? "$4, the binding gone (dns_coa_unreachable $2, $3 1), 400000 octets intact through HA1" ||
		{ cat "$tmp/send$1.log" "$tmp/recv$1.log"; "$CTL" -S "$tmp/C3.sock" counters | grep dns; tail -n 3 "$tmp/C3.log"; } | diag
	tally
}

# ---- a stale CAAAA: the UPDATEs dropped at NS, MN back to f1
printf 'table ip6 dnse2e {\n chain in {\n  type filter hook input priority 0;\n  ip6 saddr != 2001:db8:3::/64 meta l4proto { udp, tcp } th dport 53 drop\n }\n}\n' |
	"$B" exec NS nft -f -
"$B" move MN f1 >/dev/null
wait_for 60 moved_from "$COA2"
COA3=$(mn_coa)
wait_for 60 upd replace "$COA3" timeout
r=$?
stale=$("$B" exec C3 dig +short @"$NS" "$NAME." TYPE65280)
[ $r = 0 ] && [ -n "$stale" ]
ok $? "UPDATEs dropped at NS (nftables), MN back on f1 ($COA3): the updater timed out, NS still has a CAAAA ($stale)" ||
	{ "$CTL" -S "$tmp/mn.sock" updater; } | diag
fell_back 5104 1 dns_probe_timeout "stale CAAAA: C3 by name, no answer from $COA2 within 500 ms"

# ---- an unreachable care-of address: published, but f2's router refuses C3's packets to it
"$B" exec NS nft delete table ip6 dnse2e
"$B" move MN f2 >/dev/null
wait_for 60 moved_from "$COA3"
COA4=$(mn_coa)
wait_for 30 upd replace "$COA4" NOERROR
ok $? "the drop at NS gone, MN on f2 again ($COA4): the updater published it" ||
	{ "$CTL" -S "$tmp/mn.sock" updater; } | diag
C3A=$(hoa_of C3)
# a policy rule, not nftables: nft's reject checks the TCP checksum against the
# packet's destination, but a segment with an RH2 is summed over the final one
# (the home address), so nft sends no ICMPv6 for it
"$B" exec AR2 ip -6 rule add from "$C3A" to "$COA4" prohibit priority 100
fell_back 5105 2 dns_icmp_unreach "unreachable CoA (AR2: Destination Unreachable): C3 by name, the binding gone at once"
"$B" exec AR2 ip -6 rule del from "$C3A" to "$COA4" prohibit priority 100

"$B" capture stop "$tmp/pcap" >/dev/null
[ -n "${KEEP_LOGS:-}" ] && cp -r "$tmp/pcap" "$KEEP_LOGS"/
# the SYNs of a port at NODE's interface, in order: "DST RH2-HOME-ADDRESS|-"
syns() {
	tshark -r "$tmp/pcap/$1-eth0.pcap" -Y "!icmpv6 && tcp.dstport == $2 && tcp.flags.syn == 1 && tcp.flags.ack == 0" \
		-T fields -e ipv6.dst -e ipv6.routing.mipv6.home_address 2>/dev/null | awk '{ print $1, ($2 == "" ? "-" : $2) }'
}
first_syn() { syns "$1" "$2" | head -n 1; }
is "$(first_syn C1 5100)" "$HOA -" "tshark at C1, at home: the first SYN to the home address, no RH2"
is "$(first_syn C1 5101)" "$COA1 $HOA" "tshark at C1, f1: the first SYN to the care-of address with an RH2 naming the home address"
is "$(first_syn C2 5102)" "$COA2 $HOA" "tshark at C2, f2: a new client's first SYN straight to the new care-of address with RH2"
is "$(first_syn C1 5103)" "$COA2 $HOA" "tshark at C1, f2: its next connection's first SYN to the new care-of address with RH2"
s4=$(syns C3 5104 | tr '\n' ' ')
case $s4 in "$COA2 $HOA $HOA - "*) r=0 ;; *) r=1 ;; esac
ok $r "tshark at C3, stale: first SYN to the stale $COA2 with RH2, the retransmission to the home address without ($s4)"
s5=$(syns C3 5105 | tr '\n' ' ')
case $s5 in "$COA4 $HOA $HOA - "*) r=0 ;; *) r=1 ;; esac
ok $r "tshark at C3, unreachable: first SYN to $COA4 with RH2, then to the home address ($s5)"
n_unr=$(tshark -r "$tmp/pcap/C3-eth0.pcap" -Y "icmpv6.type == 1 && icmpv6.code == 1" -T fields -e frame.number 2>/dev/null | wc -l)
n_tun=$(tshark -r "$tmp/pcap/MN-eth0.pcap" -Y "tcp.dstport == 5104 && tcp.flags.syn == 1 && tcp.flags.ack == 0 && ipv6.src == $HA && ipv6.nxt == 41" \
	-T fields -e frame.number 2>/dev/null | wc -l)
[ "$n_unr" -ge 1 ] && [ "$n_tun" -ge 1 ]
ok $? "tshark: C3 got the Destination Unreachable (admin-prohibited, $n_unr); MN got the stale case's SYN from HA1's tunnel ($n_tun)"
echo "# connections by name: $direct direct, $fell fell back through HA1, $failed failed"
[ $direct = 4 ] && [ $fell = 2 ] && [ $failed = 0 ]
ok $? "the tally: 4 direct (home address at home, care-of address away), 2 fell back, 0 failed"
# mobcap latency convergence on MN's and C1's captures: the updater's UPDATE for
# f1 -> the first answer from kresd-caaaa to C1 carrying the new CAAAA (the
# NSS module's lookup before port 5101; kresd-caaaa puts it in ADDITIONAL)
"$here/bin/mobcap" latency convergence --json --label "$RES=kresd-caaaa" "$tmp/pcap/MN-eth0.pcap" "$tmp/pcap/C1-eth0.pcap" \
	>"$tmp/conv.jsonl" 2>"$tmp/conv.err"
lc=$(jq -r --arg c1 "$(hoa_of C1)" 'select(.metric == "convergence" and .group == "kresd-caaaa CAAAA" and .subject == $c1 and .round == 1) | .latency_ms' "$tmp/conv.jsonl")
awk -v l="$lc" 'BEGIN { exit !(l + 0 > 0) }'
ok $? "mobcap latency convergence: the UPDATE for f1 -> kresd-caaaa's first answer to C1 with the new CAAAA (in ADDITIONAL): $lc ms" ||
	{ grep CAAAA "$tmp/conv.jsonl" | head -n 3; cat "$tmp/conv.err"; } | diag

kill $dpids
s=0
for p in $dpids; do wait "$p" || s=1; done
left=$(for nd in C1 C2 C3 MN HA1; do "$B" exec $nd nft list tables; done)
[ $s = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: every daemon exits 0, no nftables table left" || echo "$left" | diag
