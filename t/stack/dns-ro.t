#!/bin/sh
# t/stack/dns-ro.t: bindings learnt from DNS (issue 15, the server-mobility
# paper) on mip6-multiha (F=2 K=2): mobd as home agent on HA1, as mobile
# node (the mobile server) on MN, as correspondent on C1 and C2.  What the
# client host's name service does when a name has a CAAAA record is done
# here by hand: `mobctl cn-bind HOA COA LIFETIME_S` at the correspondent.
# The client program is mkstream (plain sockets; nothing of it knows about
# mobility), the server mkstream recv on MN ([::], so the home address).
#
#  - mn-dns-answer rr (RFC 6275, the default): C1's SYN arrives at the
#    care-of address with an RH2 naming the home address; the SYN/ACK goes
#    through the reverse tunnel while return routability runs, then the
#    data with the HAO; the BU replaces C1's binding from DNS;
#  - mn-dns-answer shortcut (the paper): the SYN/ACK leaves the care-of
#    address at once with the Home Address option, with an RR-less BU that
#    C1 accepts for its binding from DNS;
#  - a cn-bind to a care-of address nobody holds (C2): no answer from it
#    within cn-dns-probe-timeout, the binding goes, the kernel's
#    retransmitted SYN goes through HA1 and the connection completes; one
#    to an unrouted prefix: the router's Destination Unreachable does it;
#  - MN moves to f2: C1's binding follows (return routability from the new
#    care-of address); C2's cn-bind to the new one, a new connection direct;
#  - every stream's SHA-256 identical at both ends; tshark (the decoding
#    oracle) on MN's capture reads the RH2 and HAO of each handshake; the
#    connect times (SYN -> SYN/ACK at the client, from the captures) direct
#    and through the home agent are said in the output;
#  - SIGTERM: every daemon exits 0, no nftables table left.
# Namespaces are this test's own and are removed on any exit; the daemons
# it started are stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft tshark
. "$here/t/lib/stack.sh"
stack_init dr

echo "1..20"
KEY=00112233445566778899aabbccddeeff
HA=2001:db8:1::2

multiha_up 2 2

ha_conf "$tmp/ha1.conf" "$tmp/ha1.sock"
mn_conf "$tmp/mn.conf" "$tmp/mn.sock" 120
echo "home-address $HOA" >>"$tmp/mn.conf" # a second daemon starts away from home
cp "$tmp/mn.conf" "$tmp/mns.conf"
echo "mn-dns-answer shortcut" >>"$tmp/mns.conf"
printf 'role correspondent\ninterface eth0\ncontrol %s\ncn-dns-max-lifetime 300\ncn-dns-probe-timeout 500\n' \
	"$tmp/c1.sock" >"$tmp/c1.conf"
sed "s|$tmp/c1.sock|$tmp/c2.sock|" "$tmp/c1.conf" >"$tmp/c2.conf"
sed "s/^cn-dns-probe-timeout 500\$/cn-dns-probe-timeout 60001/" "$tmp/c1.conf" >"$tmp/bad.conf"
cp "$tmp/mn.conf" "$tmp/badmn.conf"
echo "mn-dns-answer fast" >>"$tmp/badmn.conf"
"$D" -n -c "$tmp/mns.conf" 2>&1 | grep -qx "mn-dns-answer shortcut" &&
	"$D" -n -c "$tmp/mn.conf" 2>&1 | grep -qx "mn-dns-answer rr" &&
	"$D" -n -c "$tmp/c1.conf" 2>&1 | grep -qx "cn-dns-probe-timeout 500" &&
	{ "$D" -n -c "$tmp/bad.conf" >"$tmp/bad.out" 2>&1; [ $? = 2 ]; } && grep -q "60001" "$tmp/bad.out" &&
	{ "$D" -n -c "$tmp/badmn.conf" >"$tmp/badmn.out" 2>&1; [ $? = 2 ]; } &&
	grep -q "mn-dns-answer 'fast': expected rr, shortcut or off" "$tmp/badmn.out"
ok $? "mobd -n: mn-dns-answer (default rr), cn-dns-probe-timeout read; bad values refused naming them, exit 2" ||
	cat "$tmp/bad.out" "$tmp/badmn.out" 2>&1 | diag

"$B" capture start "$tmp/pcap" >/dev/null
"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
hapid=$!
pids="$pids $hapid"
"$B" exec C1 "$D" -d -c "$tmp/c1.conf" >"$tmp/c1.log" 2>&1 &
c1pid=$!
pids="$pids $c1pid"
"$B" exec C2 "$D" -d -c "$tmp/c2.conf" >"$tmp/c2.log" 2>&1 &
c2pid=$!
pids="$pids $c2pid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
# (jq 1.6 -e says yes to no input at all: the answer is taken first)
mn_state() { _b=$("$CTL" -S "$tmp/mn.sock" --json bul) && echo "$_b" | jq -e --arg s "$1" '.[0].state == $s'; }
up() { "$CTL" -S "$1" status; }
wait_for 50 mn_state home && wait_for 50 up "$tmp/c1.sock" && wait_for 50 up "$tmp/c2.sock"
ok $? "home agent, mobile node (at home), correspondents C1 and C2 up" || tail -n 5 "$tmp/mn.log" "$tmp/c1.log" | diag

"$B" move MN f1 >/dev/null
wait_for 60 mn_state bound
ok $? "the mobile node registered with HA1 from f1" || tail -n 5 "$tmp/mn.log" | diag
COA1=$("$CTL" -S "$tmp/mn.sock" --json bul | jq -r '.[0].coa')

cnt() { "$CTL" -S "$1" --json counters | jq -r ".$2"; }
ro() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -r --arg c "$1" ".[] | select(.cn == \$c) | .$2"; }
bc_of() { "$CTL" -S "$1" --json bc | jq -r --arg h "$HOA" ".[] | select(.hoa == \$h) | .$2"; }
# stream CLIENT PORT BYTES: mkstream recv on MN, send from CLIENT to the home
# address; sets sent, got (the SHA-256 lines)
stream() {
	"$B" exec MN "$S" recv "$2" >"$tmp/recv$2.log" 2>&1 &
	rpid=$!
	pids="$pids $rpid"
	sleep 0.3
	"$B" exec "$1" "$S" send "$HOA" "$2" "$3" 2000000 >"$tmp/send$2.log" 2>&1
	wait_for 100 sh -c "! kill -0 $rpid" || kill "$rpid"
	wait "$rpid"
	sent=$(tail -n 1 "$tmp/send$2.log")
	got=$(tail -n 1 "$tmp/recv$2.log")
}

# ---- mn-dns-answer rr: through the tunnel until return routability is done
out=$("$CTL" -S "$tmp/c1.sock" cn-bind "$HOA" "$COA1" 60)
st=$?
[ $st = 0 ] && [ "$out" = ok ] && [ "$(bc_of "$tmp/c1.sock" source)" = dns ] &&
	[ "$(bc_of "$tmp/c1.sock" coa)" = "$COA1" ] && [ "$(bc_of "$tmp/c1.sock" lifetime)" = 60 ]
ok $? "C1: mobctl cn-bind HOA COA 60: ok, exit 0; mobctl bc: HOA -> COA, source dns, lifetime 60" ||
	{ echo "st $st out $out"; "$CTL" -S "$tmp/c1.sock" bc; } | diag
stream C1 5001 300000
[ -n "$sent" ] && [ "$sent" = "$got" ]
ok $? "rr: the stream C1 -> HOA: $got, identical at both ends" || echo "sent '$sent' received '$got'" | diag
wait_for 30 sh -c "[ \"\$($CTL -S $tmp/c1.sock --json bc | jq -r '.[0].source')\" = bu ]"
[ "$(cnt "$tmp/mn.sock" dns_rr)" = 1 ] && [ "$(ro "$C1" dns)" = rr ] && [ "$(ro "$C1" tunnelled_first)" -ge 1 ] &&
	[ "$(cnt "$tmp/c1.sock" dns_first_tx)" = 1 ] && [ "$(cnt "$tmp/c1.sock" dns_heard)" = 1 ] &&
	[ "$(cnt "$tmp/c1.sock" dns_replaced)" = 1 ] && [ "$(cnt "$tmp/c1.sock" dns_coa_unreachable)" = 0 ] &&
	[ "$(bc_of "$tmp/c1.sock" source)" = bu ] && [ "$(ro "$C1" state)" = bound ]
ok $? "rr: MN answered through the tunnel first ($(ro "$C1" tunnelled_first) packets, direct after $(ro "$C1" first_direct_ms) ms), ran return routability; C1 heard the CoA (CoTI) and the BU replaced its binding from DNS (source bu)" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$tmp/c1.sock" counters | grep dns; "$CTL" -S "$tmp/c1.sock" bc; } | diag

# ---- mn-dns-answer shortcut: a new mobile node daemon (it deregisters on
# SIGTERM, at C1 too, and registers again)
kill "$mnpid"
wait "$mnpid"
st=$?
bc_empty() { [ "$("$CTL" -S "$1" --json bc | jq length)" = 0 ]; }
wait_for 30 bc_empty "$tmp/c1.sock"
r=$?
"$B" exec MN "$D" -d -c "$tmp/mns.conf" >"$tmp/mns.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
wait_for 80 mn_state bound
[ $st = 0 ] && [ $r = 0 ] && mn_state bound >/dev/null
ok $? "a new mobile node daemon with mn-dns-answer shortcut, bound from f1 (the old one deregistered at C1)" ||
	{ echo "old daemon exit $st, C1 bc empty $r"; "$CTL" -S "$tmp/mn.sock" bul; tail -n 5 "$tmp/mn.log" "$tmp/mns.log"; "$CTL" -S "$tmp/c1.sock" bc; } | diag
"$CTL" -S "$tmp/c1.sock" cn-bind "$HOA" "$COA1" 120 >/dev/null &&
	stream C1 5002 300000 && [ -n "$sent" ] && [ "$sent" = "$got" ]
ok $? "shortcut: cn-bind, the stream C1 -> HOA: $got, identical at both ends" || echo "sent '$sent' received '$got'" | diag
[ "$(cnt "$tmp/mn.sock" dns_shortcut)" = 1 ] && [ "$(cnt "$tmp/mn.sock" dns_ba_rx)" = 1 ] &&
	[ "$(ro "$C1" dns)" = shortcut ] && [ "$(ro "$C1" tunnelled_first)" = 0 ] &&
	[ "$(cnt "$tmp/c1.sock" dns_bu_shortcut)" = 1 ] && [ "$(bc_of "$tmp/c1.sock" source)" = dns ] &&
	[ "$(cnt "$tmp/c1.sock" dns_coa_unreachable)" = 0 ]
ok $? "shortcut: MN's first answer direct (0 through the tunnel, direct after $(ro "$C1" first_direct_ms) ms), its RR-less BU accepted by C1 (BA 0), the binding still from DNS" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$tmp/mn.sock" counters | grep dns; "$CTL" -S "$tmp/c1.sock" counters | grep dns; } | diag

# ---- through the home agent: C2 without a binding, then with a wrong CoA
stream C2 5005 100000
[ -n "$sent" ] && [ "$sent" = "$got" ] && [ "$(cnt "$tmp/c2.sock" dns_first_tx)" = 0 ]
ok $? "no binding: the stream C2 -> HOA through the home agent: $got" || echo "sent '$sent' received '$got'" | diag
WRONG=2001:db8:21::dead
out=$("$CTL" -S "$tmp/c2.sock" cn-bind "$HOA" "$WRONG" 60) && stream C2 5003 100000 &&
	[ "$out" = ok ] && [ -n "$sent" ] && [ "$sent" = "$got" ] &&
	[ "$(cnt "$tmp/c2.sock" dns_coa_unreachable)" = 1 ] && [ "$(cnt "$tmp/c2.sock" dns_probe_timeout)" = 1 ] &&
	bc_empty "$tmp/c2.sock"
ok $? "a CoA nobody holds ($WRONG): no answer within 500 ms, the binding gone (dns_coa_unreachable 1), the stream completes through HA1: $got" ||
	{ echo "out $out sent '$sent' got '$got'"; "$CTL" -S "$tmp/c2.sock" counters | grep dns; tail -n 3 "$tmp/c2.log"; } | diag
NOWHERE=2001:db8:99::1
out=$("$CTL" -S "$tmp/c2.sock" cn-bind "$HOA" "$NOWHERE" 60) && stream C2 5006 100000 &&
	[ -n "$sent" ] && [ "$sent" = "$got" ] && [ "$(cnt "$tmp/c2.sock" dns_coa_unreachable)" = 2 ] &&
	bc_empty "$tmp/c2.sock"
ok $? "a CoA in a prefix nobody routes ($NOWHERE): the binding gone ($(cnt "$tmp/c2.sock" dns_icmp_unreach) by Destination Unreachable, $(cnt "$tmp/c2.sock" dns_probe_timeout) by the probe), the stream completes through HA1" ||
	{ echo "out $out sent '$sent' got '$got'"; "$CTL" -S "$tmp/c2.sock" counters | grep dns; tail -n 3 "$tmp/c2.log"; } | diag

# ---- MN moves to f2
"$B" move MN f2 >/dev/null
wait_for 60 sh -c "[ \"\$($CTL -S $tmp/mn.sock --json bul | jq -r '.[0].coa')\" != $COA1 ]" && wait_for 60 mn_state bound
COA2=$("$CTL" -S "$tmp/mn.sock" --json bul | jq -r '.[0].coa')
bound_at() { [ "$(bc_of "$tmp/c1.sock" coa)" = "$1" ]; }
wait_for 80 bound_at "$COA2"
ok $? "after the move to f2 ($COA2): C1's binding follows (return routability from the new CoA, route-optimization never notwithstanding)" ||
	{ "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$tmp/c1.sock" bc; tail -n 5 "$tmp/mns.log"; } | diag
out=$("$CTL" -S "$tmp/c2.sock" cn-bind "$HOA" "$COA2" 60) && stream C2 5004 300000 &&
	[ "$out" = ok ] && [ -n "$sent" ] && [ "$sent" = "$got" ] && [ "$(ro "$C2" dns)" = shortcut ] &&
	[ "$(ro "$C2" tunnelled_first)" = 0 ] && [ "$(bc_of "$tmp/c2.sock" coa)" = "$COA2" ]
ok $? "C2: cn-bind to the new CoA, a new stream direct from its first SYN: $got" ||
	{ echo "out $out sent '$sent' got '$got'"; "$CTL" -S "$tmp/mn.sock" bul; "$CTL" -S "$tmp/c2.sock" counters | grep dns; } | diag

"$B" capture stop "$tmp/pcap" >/dev/null
[ -n "${KEEP_LOGS:-}" ] && cp -r "$tmp/pcap" "$KEEP_LOGS"/
f=$tmp/pcap/MN-eth0.pcap
count() { tshark -r "$1" -Y "$2" -T fields -e frame.number 2>/dev/null | wc -l; }
syn() { # PORT COA: SYNs from a client to COA with an RH2 naming HOA
	count "$f" "tcp.dstport == $1 && tcp.flags.syn == 1 && tcp.flags.ack == 0 && ipv6.dst == $2 && ipv6.routing.mipv6.home_address == $HOA"
}
synack_hao() { # PORT COA CLIENT: SYN/ACKs from COA to the client with a HAO naming HOA
	count "$f" "tcp.srcport == $1 && tcp.flags.syn == 1 && tcp.flags.ack == 1 && ipv6.src == $2 && ipv6.dst == $3 && ipv6.opt.mipv6.home_address == $HOA && !(ipv6.nxt == 41)"
}
synack_tun() { # PORT COA: SYN/ACKs in the reverse tunnel from COA to HA1
	count "$f" "tcp.srcport == $1 && tcp.flags.syn == 1 && tcp.flags.ack == 1 && ipv6.src == $2 && ipv6.dst == $HA && ipv6.nxt == 41"
}
a1=$(syn 5001 "$COA1") b1=$(synack_tun 5001 "$COA1") c1=$(synack_hao 5001 "$COA1" "$C1")
[ "$a1" -ge 1 ] && [ "$b1" -ge 1 ] && [ "$c1" = 0 ]
ok $? "tshark, rr: C1's SYN at the CoA with an RH2 naming HOA ($a1), MN's SYN/ACK through the tunnel to HA1 ($b1), none direct ($c1)"
a2=$(syn 5002 "$COA1") b2=$(synack_tun 5002 "$COA1") c2=$(synack_hao 5002 "$COA1" "$C1")
[ "$a2" -ge 1 ] && [ "$b2" = 0 ] && [ "$c2" -ge 1 ]
ok $? "tshark, shortcut: C1's SYN at the CoA with an RH2 ($a2), MN's SYN/ACK direct from the CoA with the HAO ($c2), none through the tunnel ($b2)"
a4=$(syn 5004 "$COA2") c4=$(synack_hao 5004 "$COA2" "$C2")
[ "$a4" -ge 1 ] && [ "$c4" -ge 1 ]
ok $? "tshark, after the move: C2's SYN at the new CoA with an RH2 ($a4), the SYN/ACK direct with the HAO ($c4)"

# connect time: the client's SYN -> the SYN/ACK, on its own interface
conn_ms() { # NODE PORT
	tshark -r "$tmp/pcap/$1-eth0.pcap" -Y "tcp.port == $2 && tcp.flags.syn == 1" -T fields \
		-e frame.time_epoch -e tcp.flags.ack 2>/dev/null |
		awk '$2 ~ /^(0|False)$/ && !s { s = $1 } $2 ~ /^(1|True)$/ && !a { a = $1 } END { if (s && a) printf "%.2f", (a - s) * 1000; else print "none" }'
}
t_rr=$(conn_ms C1 5001) t_sc=$(conn_ms C1 5002) t_ha=$(conn_ms C2 5005) t_wrong=$(conn_ms C2 5003) t_f2=$(conn_ms C2 5004)
echo "# connect time (SYN -> SYN/ACK at the client): direct, rr $t_rr ms; direct, shortcut $t_sc ms; after the move, shortcut $t_f2 ms; through HA1 $t_ha ms; wrong CoA, fall-back $t_wrong ms"
awk -v d="$t_sc" -v h="$t_ha" -v r="$t_rr" -v f="$t_f2" 'BEGIN { exit !(d > 0 && h > 0 && r > 0 && f > 0 && d < h && f < h && d < r) }'
ok $? "connect time with the shortcut ($t_sc ms; $t_f2 ms after the move) < through the home agent ($t_ha ms) and < with rr ($t_rr ms: its SYN/ACK goes through the tunnel): the path through HA1 crosses c1 twice more each way"

kill "$mnpid" "$c1pid" "$c2pid" "$hapid"
s=0
for p in "$mnpid" "$c1pid" "$c2pid" "$hapid"; do
	wait "$p" || s=1
done
left=$(for n in C1 C2 MN HA1; do "$B" exec $n nft list tables; done; "$B" exec C1 ip -6 route show dev mip6 2>/dev/null)
[ $s = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: every daemon exits 0, no nftables table and no route into C1's TUN left" || echo "$left" | diag
