#!/bin/sh
# t/testbed/dmm-rendezvous.t: the dmm topology's rendezvous server (Kamailio
# and coturn on RS, started by mobbed) and the client testbed/mkrv, live:
#   - both servers answer: a SIP OPTIONS (mkrv ping) gets 200, a TURN
#     allocation with an ID's password succeeds and carries data
#     (turnutils_uclient), one with a wrong password does not;
#   - MN registers IP1 (from MR1), CN1's query gets a 302 with IP1;
#   - MN moves to MR2 (mobbed move: IP2 by SLAAC) and keeps IP1, registers
#     IP1 + IP2: the registrar holds both, CN1's query returns both;
#   - a registration with a wrong password, and one for an unknown ID, are
#     refused with 403 and their reasons and change nothing;
#   - MN withdraws IP1: the registrar holds IP2 alone, the query returns IP2;
#   - a contact registered with a 2 s expiry is gone after it;
#   - usage errors exit 2; mobbed down ends Kamailio and coturn.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root "network namespaces"
need_cmds kamailio turnserver turnutils_uclient
R=$here/bin/mkrv
stack_init dr
echo "1..22"

RS=2001:db8:3::5
"$B" up dmm DNS=none >"$tmp/up.log" 2>&1
ok $? "mobbed up dmm DNS=none (Kamailio and coturn on RS)" || { diag <"$tmp/up.log"; exit 1; }
st=$MOBBED_RUN/$MOBBED_NAME
pw=$(awk '$1 == "mn" { print $2 }' "$st/srv-RS/users")

# mkrv as NODE, its lines without the status line, sorted; $rc its exit
rv() {
	_n=$1
	shift
	"$B" exec "$_n" "$R" "$@" -s "$RS" >"$tmp/rv.out" 2>"$tmp/rv.err"
	rc=$?
}
status() { sed -n 's/^status //p' "$tmp/rv.out"; }
contacts() { awk '$1 == "contact" { print $2 }' "$tmp/rv.out" | sort | tr '\n' ' '; }
sorted() { printf '%s\n' "$@" | sort | tr '\n' ' '; }

rv CN1 ping
is "$rc $(status)" "0 200 OK" "Kamailio answers CN1's OPTIONS with 200"

"$B" exec CN1 turnutils_uclient -u mn -w "$pw" -n 2 -m 1 -y -x "$RS" >"$tmp/turn.log" 2>&1
got=$(awk '/tot_recv_msgs=/ { sub(/.*tot_recv_msgs=/, ""); sub(/[^0-9].*/, ""); v = $0 } END { print v + 0 }' "$tmp/turn.log")
awk -v g="$got" 'BEGIN { exit !(g > 0) }'
ok $? "coturn: TURN allocation with mn's password, data relayed ($got messages back)" || tail -n 5 "$tmp/turn.log" | diag
"$B" exec CN1 turnutils_uclient -u mn -w wrong -n 2 -m 1 -y -x "$RS" >"$tmp/turn2.log" 2>&1
grep -q "Cannot complete Allocation" "$tmp/turn2.log"
ok $? "coturn: no allocation with a wrong password"

ip1=$(hoa_of MN)
case $ip1 in 2001:db8:41:*) r=0 ;; *) r=1 ;; esac
ok $r "MN on MR1's link with IP1 = $ip1"
rv MN register -u mn -p "$pw" "$ip1"
is "$rc $(status)" "0 200 OK" "MN registers IP1"
is "$(contacts)" "$ip1 " "the registrar holds IP1 for mn"
rv CN1 query mn
is "$rc $(status)" "0 302 Moved Temporarily" "CN1's query for mn: 302"
is "$(contacts)" "$ip1 " "its contacts: IP1"

"$B" move MN m2 >"$tmp/move.log" 2>&1
ok $? "MN moves to MR2's link m2" || diag <"$tmp/move.log"
ip2=$(hoa_of MN)
# the node keeps IP1 (mobbed move took it off): a host address, no prefix
# route (packets to it reach the node only through an anchor, not built yet)
"$B" exec MN ip -6 addr add "$ip1/128" dev eth0 nodad noprefixroute
case $ip2 in 2001:db8:42:*) r=0 ;; *) r=1 ;; esac
[ $r = 0 ] && "$B" exec MN ip -6 -o addr show dev eth0 | grep -q " $ip1/128 " || r=1
ok $r "MN on m2 with IP2 = $ip2 and IP1 kept"
rv MN register -u mn -p "$pw" -b "$ip2" "$ip1" "$ip2"
is "$rc $(status)" "0 200 OK" "MN registers IP1 + IP2 (from IP2)"
both=$(sorted "$ip1" "$ip2")
is "$(contacts)" "$both" "the registrar holds IP1 and IP2"
rv CN1 query mn
is "$rc $(contacts)" "0 $both" "CN1's query: 302 with IP1 and IP2"

rv MN register -u mn -p wrong -b "$ip2" "$ip2"
is "$rc $(status)" "1 403 Wrong password" "a wrong password: refused, 403 Wrong password, exit 1"
rv MN register -u bob -p "$pw" -b "$ip2" "$ip2"
is "$rc $(status)" "1 403 Unknown ID" "an unknown ID: refused, 403 Unknown ID, exit 1"
rv CN1 query mn
is "$rc $(contacts)" "0 $both" "after the refusals CN1's query still returns IP1 and IP2"

export MKRV_PASSWORD="$pw"
rv MN withdraw -u mn -b "$ip2" "$ip1"
unset MKRV_PASSWORD
is "$rc $(status) $(contacts)" "0 200 OK $ip2 " "MN withdraws IP1 (password from MKRV_PASSWORD): the registrar holds IP2 alone"
rv CN1 query mn
is "$rc $(contacts)" "0 $ip2 " "CN1's query: IP2 alone"

rv MN register -u mn -p "$pw" -e 2 -b "$ip2" "$ip1"
sleep 3
rv CN1 query mn
is "$rc $(contacts)" "0 $ip2 " "IP1 registered again for 2 s: gone from the answer after 3 s"

"$R" register -s 2001:db8::zz -u mn -p x 2001:db8::1 >/dev/null 2>"$tmp/use.err"
r=$?
is "$r $(grep -c "2001:db8::zz" "$tmp/use.err")" "2 1" "a bad server address: exit 2, the value named"

pids=$(awk '$3 == "kamailio" || $3 == "turnserver" { print $1 }' "$st/pids")
"$B" down >/dev/null 2>&1
left=0
# running (a zombie, not yet reaped by whoever inherited it, has ended)
running() { [ -r "/proc/$1/stat" ] && ! sed "s/.*) //" "/proc/$1/stat" | grep -q "^[ZX]"; }
for p in $pids; do running "$p" && left=$((left + 1)); done
is "$left" 0 "mobbed down: Kamailio and coturn ended ($(echo $pids | wc -w) processes)"
