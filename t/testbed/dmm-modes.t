#!/bin/sh
# t/testbed/dmm-modes.t: the rendezvous solution of the distributed-mobility
# work (issue 17) in its three modes, live on the dmm topology: `mkrv serve`
# on MN (registration, INVITE answers, UDP echo, a TURN relay on RS's
# coturn), `mkrv call` on CN1, mobbed's captures proving each mode's path:
#   - p2p: the 302 from RS, data CN1 <-> MN direct, no SIP at MN;
#   - combined: INVITE, ACK and BYE reach MN from RS only, data direct;
#   - central: signalling through RS as above, and no packet at all between
#     CN1 and MN: the data goes CN1 <-> RS's relay <-> MN (STUN indications);
#   - the move: MN to MR2, serve re-registers on SIGHUP (IP1 withdrawn),
#     a new call in each mode reaches IP2 (the relay re-allocated from IP2);
# and the robustness cases, each counted:
#   - a stale contact (an address MN does not have, the newest in the 302):
#     p2p --select order falls over to IP2 (tried=2 stale=1), --select rtt
#     and combined reach IP2;
#   - registration expiry: a UA (cn2 on CN2, expiry 3 s) stopped for 5 s is
#     gone from the registrar, re-registers when it runs again and counts
#     the lapse;
#   - bad input: a wrong password (serve retries with back-off and counts
#     the 403s), an unknown ID, a raw REGISTER that fails Kamailio's sanity
#     check (400) and plain garbage: refused, the contacts unchanged;
#   - a dead server (RS's Kamailio stopped): the call fails with
#     status=no-answer, exit 1; serve retries with growing back-off and
#     registers again once Kamailio runs again;
#   - serve's counters at exit (SIGTERM) match what happened.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root "network namespaces"
need_cmds kamailio turnserver tcpdump tshark socat
R=$here/bin/mkrv
stack_init dv
echo "1..45"

RS=2001:db8:3::5
"$B" up dmm DNS=none >"$tmp/up.log" 2>&1
ok $? "mobbed up dmm DNS=none (Kamailio and coturn on RS)" || { diag <"$tmp/up.log"; exit 1; }
st=$MOBBED_RUN/$MOBBED_NAME
for nd in MN CN1 CN2 CN3 RS; do "$B" exec "$nd" sysctl -qw net.ipv6.icmp.ratelimit=0; done
pw=$(awk '$1 == "mn" { print $2 }' "$st/srv-RS/users")
pw2=$(awk '$1 == "cn2" { print $2 }' "$st/srv-RS/users")
cn1=$(hoa_of CN1)
ip1=$(hoa_of MN)

# a key=value field of the last "call" line of FILE
field() { awk -v k="$2" '/^call mode=/ { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) v = substr($i, length(k) + 2) } END { print v }' "$1"; }
# lines of serve's output matching RE
nlines() { grep -c "$2" "$1"; }
# wait (up to 20 s) until FILE has more than N lines matching RE
wait_more() {
	_i=0
	while [ "$(grep -c "$2" "$1" 2>/dev/null)" -le "$3" ] 2>/dev/null && [ $_i -lt 200 ]; do sleep 0.1; _i=$((_i + 1)); done
	grep -q "$2" "$1" 2>/dev/null || { echo "# waited 20 s for '$2' in $1:"; ls -l "$1" 2>&1; ps -o pid,stat,etime,args -p "$!" 2>&1; } | diag
}
# a counter of serve's last counters line
counter() { awk -v k="$2" '/^counters / { for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) v = substr($i, length(k) + 2) } END { print v + 0 }' "$1"; }
# mkrv call from CN1: output in $tmp/call-TAG.out, exit in $rc
call() {
	_t=$1
	shift
	"$B" exec CN1 "$R" call -s "$RS" "$@" >"$tmp/call-$_t.out" 2>"$tmp/call-$_t.err"
	rc=$?
	cat "$tmp/call-$_t.out" | diag
}
# the same with the interfaces captured into $tmp/cap-TAG
capcall() {
	"$B" capture start "$tmp/cap-$1" >/dev/null 2>&1
	call "$@"
	"$B" capture stop "$tmp/cap-$1" >/dev/null 2>&1
}
# packets of PCAP (TAG, NODE) matching a display filter
npk() { tshark -r "$tmp/cap-$1/$2-eth0.pcap" -Y "$3" 2>/dev/null | wc -l; }
contacts() { "$B" exec CN1 "$R" query -s "$RS" "$1" 2>/dev/null | awk '$1 == "contact" { print $2 }' | tr '\n' ' '; }

echo "$ip1" >"$tmp/addrs"
"$B" exec MN "$R" serve -s "$RS" -u mn -p "$pw" -r "$RS" -f "$tmp/addrs" >"$tmp/serve.out" 2>"$tmp/serve.err" &
spid=$!
pids="$pids $spid"
wait_more "$tmp/serve.out" "^reg status=200" 0
i=0
while ! grep -q "^turn relay=" "$tmp/serve.out" && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
grep -q "^turn relay=\[$RS\]:" "$tmp/serve.out" && grep -q "^reg status=200 contacts=1" "$tmp/serve.out"
ok $? "mkrv serve on MN: IP1 = $ip1 registered, a TURN relay on RS" || diag <"$tmp/serve.out"

# ---- the three modes, MN on MR1 ------------------------------------------
capcall p2p mn --mode p2p
is "$rc $(field "$tmp/call-p2p.out" status) $(field "$tmp/call-p2p.out" sip) $(field "$tmp/call-p2p.out" data)" \
	"0 ok 302 [$ip1]:7007" "p2p: the 302 names IP1, data echoed from [IP1]:7007, exit 0"
d=$(npk p2p MN "udp.port == 7007 && ipv6.src == $cn1 && ipv6.dst == $ip1")
s=$(npk p2p MN "sip")
r=$(npk p2p CN1 "sip && ipv6.addr == $RS")
[ "$d" -gt 0 ] && [ "$s" = 0 ] && [ "$r" -ge 2 ]
ok $? "p2p path: $d data packets CN1 -> IP1 at MN, no SIP at MN, CN1's query and 302 with RS ($r)"
rtt=$(field "$tmp/call-p2p.out" rtt_ms)
awk -v r="$rtt" 'BEGIN { exit !(r + 0 >= 10) }'
ok $? "p2p: path RTT $rtt ms >= 2 x DELAY1 (MR1's link, 5 ms each way)"

capcall comb mn --mode combined
is "$rc $(field "$tmp/call-comb.out" status) $(field "$tmp/call-comb.out" sip) $(field "$tmp/call-comb.out" data)" \
	"0 ok 200 [$ip1]:7007" "combined: INVITE through RS answered with [IP1]:7007, data echoed, exit 0"
inv=$(npk comb MN "sip.Method == \"INVITE\" && ipv6.src == $RS")
dlg=$(npk comb MN "(sip.Method == \"ACK\" || sip.Method == \"BYE\") && ipv6.src == $RS")
sd=$(npk comb MN "sip && ipv6.addr == $cn1")
d=$(npk comb MN "udp.port == 7007 && ipv6.addr == $cn1")
[ "$inv" -ge 1 ] && [ "$dlg" -ge 2 ] && [ "$sd" = 0 ] && [ "$d" -gt 0 ]
ok $? "combined path: INVITE ($inv), ACK and BYE ($dlg) from RS, no SIP CN1 <-> MN, $d data packets CN1 <-> MN direct"
is "$(field "$tmp/call-comb.out" sig_tx)" 3 "combined: CN1 sent INVITE, ACK, BYE (sig_tx=3)"

capcall cen mn --mode central
relay=$(sed -n 's/^turn relay=//p' "$tmp/serve.out" | tail -n 1)
is "$rc $(field "$tmp/call-cen.out" status) $(field "$tmp/call-cen.out" data)" "0 ok $relay" \
	"central: the answer names MN's relay $relay, data echoed through it, exit 0"
any=$(npk cen MN "ipv6.addr == $cn1")
any2=$(npk cen CN1 "ipv6.addr == $ip1")
ind=$(npk cen MN "stun && ipv6.addr == $RS")
inv=$(npk cen MN "sip.Method == \"INVITE\" && ipv6.src == $RS")
tor=$(npk cen CN1 "udp && ipv6.dst == $RS && udp.dstport == ${relay##*:}")
[ "$any" = 0 ] && [ "$any2" = 0 ] && [ "$ind" -gt 0 ] && [ "$inv" -ge 1 ] && [ "$tor" -gt 0 ]
ok $? "central path: no packet CN1 <-> MN on either side; $tor data packets CN1 -> relay, $ind STUN RS <-> MN, INVITE from RS"
c=$(field "$tmp/call-cen.out" rtt_ms)
p=$(field "$tmp/call-p2p.out" rtt_ms)
awk -v c="$c" -v p="$p" 'BEGIN { exit !(c + 0 >= 10 && p + 0 >= 10) }'
ok $? "central RTT $c ms (via RS), p2p $p ms: both over MR1's delay"

# ---- the move ---------------------------------------------------------------
"$B" move MN m2 >"$tmp/move.log" 2>&1
ok $? "MN moves to MR2's link m2" || diag <"$tmp/move.log"
ip2=$(hoa_of MN)
case $ip2 in 2001:db8:42:*) r=0 ;; *) r=1 ;; esac
ok $r "MN on m2 with IP2 = $ip2"
cnt=$(nlines "$tmp/serve.out" "^reg status=200")
echo "$ip2" >"$tmp/addrs"
kill -HUP "$spid"
wait_more "$tmp/serve.out" "^reg status=200" "$cnt"
grep -q "^serve ready id=mn addrs=$ip2 " "$tmp/serve.out"
ok $? "SIGHUP: serve re-reads its address file, rebuilds on IP2, re-registers" || diag <"$tmp/serve.out"
is "$(contacts mn)" "$ip2 " "the registrar holds IP2 alone (IP1 withdrawn)"
i=0
while [ "$(nlines "$tmp/serve.out" "^turn relay=")" -lt 2 ] && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done

capcall mv-p2p mn --mode p2p
is "$rc $(field "$tmp/call-mv-p2p.out" data)" "0 [$ip2]:7007" "after the move p2p reaches [IP2]:7007"
rtt=$(field "$tmp/call-mv-p2p.out" rtt_ms)
awk -v r="$rtt" 'BEGIN { exit !(r + 0 >= 40) }'
ok $? "its RTT $rtt ms >= 2 x DELAY2 (MR2's link, 20 ms each way)"
d=$(npk mv-p2p MN "udp.port == 7007 && ipv6.src == $cn1 && ipv6.dst == $ip2")
[ "$d" -gt 0 ]
ok $? "p2p after the move: $d data packets CN1 -> IP2 at MN"
call mv-comb mn --mode combined
is "$rc $(field "$tmp/call-mv-comb.out" data)" "0 [$ip2]:7007" "after the move combined reaches [IP2]:7007"
capcall mv-cen mn --mode central
relay=$(sed -n 's/^turn relay=//p' "$tmp/serve.out" | tail -n 1)
any=$(npk mv-cen MN "ipv6.addr == $cn1")
is "$rc $(field "$tmp/call-mv-cen.out" data) $any" "0 $relay 0" \
	"after the move central goes through the relay allocated from IP2, nothing CN1 <-> MN"

# ---- a stale contact ---------------------------------------------------------
dead=2001:db8:41::dead
# (again when it could not be sent: MN's default route, from MR2's RAs with a
# 2 s lifetime, lapses now and then on this loaded machine: ENETUNREACH)
for i in 1 2 3; do
	"$B" exec MN "$R" register -s "$RS" -u mn -p "$pw" -b "$ip2" -c 5060 "$dead" >"$tmp/dead.out" 2>&1
	grep -q "^status 200" "$tmp/dead.out" && break
	sleep 1
done
is "$(contacts mn)" "$dead $ip2 " "a stale contact $dead registered: the newest, first in the 302"
[ "$_r" = 0 ] || diag <"$tmp/dead.out"
call st-order mn --mode p2p -w 1500
is "$rc $(field "$tmp/call-st-order.out" data) $(field "$tmp/call-st-order.out" tried) $(field "$tmp/call-st-order.out" stale)" \
	"0 [$ip2]:7007 2 1" "p2p --select order: the stale contact given up, IP2 reached (tried=2 stale=1)"
call st-rtt mn --mode p2p --select rtt
is "$rc $(field "$tmp/call-st-rtt.out" data)" "0 [$ip2]:7007" "p2p --select rtt: IP2 (the only one to echo)"
call st-comb mn --mode combined
is "$rc $(field "$tmp/call-st-comb.out" data)" "0 [$ip2]:7007" "combined: Kamailio forks to both contacts, IP2 answers"
"$B" exec MN "$R" withdraw -s "$RS" -u mn -p "$pw" -b "$ip2" "$dead" >/dev/null 2>&1
is "$(contacts mn)" "$ip2 " "the stale contact withdrawn: IP2 alone"

# ---- registration expiry: cn2's UA stopped longer than its expiry ----------------
cn2=$(hoa_of CN2)
"$B" exec CN2 "$R" serve -s "$RS" -u cn2 -p "$pw2" -e 3 -D 7010 "$cn2" >"$tmp/serve2.out" 2>"$tmp/serve2.err" &
s2pid=$!
pids="$pids $s2pid"
wait_more "$tmp/serve2.out" "^reg status=200" 0
is "$(contacts cn2)" "$cn2 " "a UA for cn2 on CN2, expiry 3 s, registered"
kill -STOP "$s2pid"
sleep 5
"$B" exec CN1 "$R" query -s "$RS" cn2 >"$tmp/q.out" 2>&1
is "$(sed -n 's/^status //p' "$tmp/q.out")" "404 Not Registered" "stopped for 5 s: not refreshed, the contact expired (404 Not Registered)"
cnt=$(nlines "$tmp/serve2.out" "^reg status=200")
kill -CONT "$s2pid"
wait_more "$tmp/serve2.out" "^reg status=200" "$cnt"
is "$(contacts cn2)" "$cn2 " "running again: it re-registers at once"
kill -USR1 "$s2pid"
wait_more "$tmp/serve2.out" "^counters" 0
is "$(counter "$tmp/serve2.out" reg_lapsed)" 1 "and counts the lapse (SIGUSR1: reg_lapsed=1)"

# ---- bad input: nothing changes --------------------------------------------------
cn3=$(hoa_of CN3)
"$B" exec CN3 "$R" serve -s "$RS" -u mn -p wrong -c 5062 -D 7011 -e 60 "$cn3" >"$tmp/serve3.out" 2>&1 &
s3pid=$!
pids="$pids $s3pid"
wait_more "$tmp/serve3.out" "^reg status=refused" 1
grep -q '^reg status=403 reason="Wrong password"' "$tmp/serve3.out" &&
	grep -q "^reg status=refused retry_in=1" "$tmp/serve3.out" && grep -q "^reg status=refused retry_in=2" "$tmp/serve3.out"
ok $? "serve with a wrong password: 403 Wrong password, retried after 1 s, then 2 s" || diag <"$tmp/serve3.out"
kill "$s3pid"
wait "$s3pid" 2>/dev/null
is "$(counter "$tmp/serve3.out" reg_refused) $(counter "$tmp/serve3.out" reg_ok)" "2 0" "its counters at exit: reg_refused=2 reg_ok=0"
"$B" exec CN1 "$R" register -s "$RS" -u bob -p "$pw" -b "$cn1" 2001:db8:3::99 >"$tmp/bob.out" 2>&1
is "$(sed -n 's/^status //p' "$tmp/bob.out")" "403 Unknown ID" "a registration for an unknown ID: 403 Unknown ID"
# a REGISTER whose CSeq names another method: Kamailio's sanity check
req=$(printf 'REGISTER sip:example SIP/2.0\r\nVia: SIP/2.0/UDP [%s]:5099;branch=z9hG4bKbad1\r\nMax-Forwards: 70\r\nTo: <sip:mn@example>\r\nFrom: <sip:mn@example>;tag=x1\r\nCall-ID: bad1\r\nCSeq: 1 INVITE\r\nContact: <sip:mn@[2001:db8:3::66]:5060>\r\nContent-Length: 0\r\n\r\n' "$cn1")
printf '%s' "$req" | "$B" exec CN1 socat -t 2 - "UDP6:[$RS]:5060,bind=[$cn1]:5099" >"$tmp/raw.out" 2>&1
grep -q "^SIP/2.0 400" "$tmp/raw.out"
ok $? "a malformed REGISTER sent raw (CSeq method INVITE): 400 ($(head -n 1 "$tmp/raw.out" | tr -d '\r'))"
printf 'REGISTER \001\002 garbage\r\n\r\n' | "$B" exec CN1 socat -t 1 - "UDP6:[$RS]:5060" >"$tmp/raw2.out" 2>&1
"$B" exec CN1 "$R" ping -s "$RS" >"$tmp/ping.out" 2>&1
is "$(wc -c <"$tmp/raw2.out" | tr -d ' ') $(sed -n 's/^status //p' "$tmp/ping.out")" "0 200 OK" "garbage: no answer, Kamailio still answers OPTIONS"
is "$(contacts mn)" "$ip2 " "after the bad input the registrar still holds IP2 alone for mn"

# ---- a dead server ---------------------------------------------------------------
kpid=$(awk '$3 == "kamailio" { print $1 }' "$st/pids" | head -n 1)
kill "$kpid"
i=0
while "$B" exec RS ss -Hlun "sport = :5060" | grep -q . && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
call dead mn --mode combined -t 3
is "$rc $(field "$tmp/call-dead.out" status)" "1 no-answer" "Kamailio stopped: combined call fails, status=no-answer, exit 1"
call dead2 mn --mode p2p -t 3
is "$rc $(field "$tmp/call-dead2.out" status)" "1 no-answer" "p2p call fails the same way"
cnt=$(nlines "$tmp/serve.out" "^reg status=200")
kill -HUP "$spid"
# the retry after 2 s announced (REGISTERs unanswered: 2 s each, or refused
# at once by ICMP)
i=0
while ! grep -q "retry_in=2$" "$tmp/serve.out" && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
grep "^reg status=" "$tmp/serve.out" | tail -n 2 >"$tmp/retries"
awk 'NR == 1 && /retry_in=1$/ { a = 1 } NR == 2 && /retry_in=2$/ { b = a } END { exit !b }' "$tmp/retries"
ok $? "serve (SIGHUP) finds no server: retried after 1 s, then 2 s" || diag <"$tmp/retries"
d=$st/srv-RS
"$B" exec RS kamailio -DD -E -m 32 -M 4 -Y "$d" -P "$d/kamailio2.pid" -f "$d/kamailio.cfg" >"$tmp/kam2.log" 2>&1 &
kpid2=$!
pids="$pids $kpid2"
i=0
while [ "$(nlines "$tmp/serve.out" "^reg status=200")" -le "$cnt" ] && [ $i -lt 150 ]; do sleep 0.1; i=$((i + 1)); done
is "$(contacts mn)" "$ip2 " "Kamailio started again: serve's next retry registers IP2"
call back mn --mode combined
is "$rc $(field "$tmp/call-back.out" data)" "0 [$ip2]:7007" "and a combined call reaches IP2 again"

# the echoes CN1 got back through the relay: the first byte and the probes
# of each central call (a datagram may be lost on the emulated links)
back=$(cat "$tmp/call-cen.out" "$tmp/call-mv-cen.out" | awk '/^call / { for (i = 1; i <= NF; i++) if ($i ~ /^probes=/) { split(substr($i, 8), p, "/"); s += p[1] + 1 } } END { print s + 0 }')
kill "$spid"
wait "$spid" 2>/dev/null
grep "^counters" "$tmp/serve.out" | tail -n 1 | diag
to=$(counter "$tmp/serve.out" reg_timeouts)
[ "$to" -ge 2 ] && [ "$(counter "$tmp/serve.out" withdrawn)" = 1 ] &&
	[ "$(counter "$tmp/serve.out" answered_relay)" = 2 ] && [ "$(counter "$tmp/serve.out" echo_relay)" -ge "$back" ]
ok $? "serve's counters at exit: $to unanswered REGISTERs, IP1 withdrawn once, 2 relay answers, at least the $back echoes CN1 got through the relay"
is "$(counter "$tmp/serve.out" invites)" 6 "serve counted the 6 INVITEs that reached it (3 combined, 2 central, 1 after the restart)"
kill "$kpid2" 2>/dev/null
san=$(cat "$tmp"/*.err | grep -c "Sanitizer\|runtime error")
is "$san" 0 "no sanitizer report in mkrv's stderr (SAN=1 builds)"
[ "$_r" = 0 ] || cat "$tmp"/*.err | grep -A5 "Sanitizer\|runtime error" | head -n 20 | diag

# usage errors: exit 2, the bad value named, nothing sent
"$R" call -s "$RS" mn --mode bogus >/dev/null 2>"$tmp/u1"
r1=$?
"$R" call -s "$RS" mn --mode p2p --select fastest >/dev/null 2>"$tmp/u2"
r2=$?
"$R" serve -s "$RS" -u mn -p x 2001:db8::1 2001:db8::zz >/dev/null 2>"$tmp/u3"
r3=$?
"$R" call -s "$RS" mn >/dev/null 2>"$tmp/u4"
r4=$?
is "$r1 $(grep -c "'bogus'" "$tmp/u1") $r2 $(grep -c "'fastest'" "$tmp/u2") $r3 $(grep -c "'2001:db8::zz'" "$tmp/u3") $r4 $(grep -c "no --mode" "$tmp/u4")" \
	"2 1 2 1 2 1 2 1" "usage errors (a bad mode, a bad selection, a bad address, no mode): exit 2, the value named"
"$R" serve --help >"$tmp/h1" 2>&1
r1=$?
"$R" call --help >"$tmp/h2" 2>&1
is "$r1 $? $(grep -c "^usage: mkrv serve" "$tmp/h1") $(grep -c "^usage: mkrv call" "$tmp/h2")" "0 0 1 1" "serve --help and call --help: usage on stdout, exit 0"
