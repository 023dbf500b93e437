#!/bin/sh
# t/dns/mobile-live.t: the client side of DNS-assisted server mobility
# (issue 15) against real name servers, on mip6-multiha (F=1 N=1 K=1,
# RESOLVER=kresd-caaaa, DNS=bind):
#
#  - server.example gets an AAAA (home address) and a CAAAA (care-of
#    address, TTL 0) by TSIG-signed UPDATE at NS (BIND) with mobbed's key;
#    plain.example an AAAA only;
#  - Knot Resolver with mobbed's mobkit_caaaa module (RES) answers an AAAA
#    query with the CAAAA in the ADDITIONAL section, and a CAAAA query
#    with it in ADDITIONAL too (dig reads both, the paper's semantics);
#  - mobprobe lookup-mobile finds the care-of address there
#    (additional-of-aaaa), and in the ANSWER of the CAAAA query through a
#    plain unbound this test starts in C1 (answer-of-caaaa);
#  - the NSS module (libnss_mobkit.so.2, enabled only in C1's namespace by
#    /etc/netns/NS/nsswitch.conf): `getent ahosts` and `getent ahostsv6`
#    return the home address, and a fake mobd control socket (socat) gets
#    exactly "cn-bind HOA COA LIFETIME"; no CAAAA: the home address and no
#    line; mobd absent (no socket) or silent (a listener that never
#    answers): the home address all the same, the debug line says why;
#  - the server moves (a new CAAAA): the next lookup has the new care-of
#    address at once (TTL 0 kept, no cache floor) and so has cn-bind;
#  - NXDOMAIN and a resolver that does not answer are told apart.
# Namespaces, /etc/netns/<C1's namespace>, unbound and socat are this
# test's own and removed (processes ended by PID) on any exit.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq dig socat kresd unbound getent named tsig-keygen
. "$here/t/lib/stack.sh"
[ -f "$here/build/nss/libnss_mobkit.so.2" ] || { echo "1..0 # SKIP build/nss/libnss_mobkit.so.2 not built (make)"; exit 0; }
stack_init dc
NSC=$MOBBED_NAME-C1
[ -d /etc/netns ] && had_netns=1 || had_netns=0
trap 'rm -rf "/etc/netns/$NSC"; [ $had_netns = 1 ] || rmdir /etc/netns 2>/dev/null; stack_cleanup' EXIT

echo "1..24"
NS=2001:db8:3::53
RES=2001:db8:3::35
HOA=2001:db8:1::100
COA=2001:db8:21::100
COA2=2001:db8:21::200
PLAIN=2001:db8:1::200
LIFE=42

"$B" up mip6-multiha F=1 N=1 K=1 RESOLVER=kresd-caaaa >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up with RESOLVER=kresd-caaaa (F=1 N=1 K=1)" || { tail -n 8 "$tmp/up.log" | diag; exit 1; }
"$B" exec C1 sysctl -qw net.ipv6.icmp.ratelimit=0
KEYF=$MOBBED_RUN/$MOBBED_NAME/tsig.key

upd() { # NAME --aaaa|--caaaa ADDR TTL
	"$B" exec C1 "$P" update "$NS" --zone example. --name "$1" "$2" "$3" --ttl "$4" \
		--tsig-key "$KEYF" >>"$tmp/upd.log" 2>&1
}
upd server.example. --aaaa "$HOA" 60 && upd server.example. --caaaa "$COA" 0 &&
	upd plain.example. --aaaa "$PLAIN" 60
ok $? "AAAA and CAAAA of server.example, AAAA of plain.example published (UPDATE, TSIG)" ||
	diag <"$tmp/upd.log"

# ---- the paper's answer semantics from a real resolver ----
COAHEX=20010DB8002100000000000000000100 # $COA as dig shows unknown RDATA (RFC 3597)
"$B" exec C1 dig +time=2 +tries=2 @"$RES" server.example AAAA >"$tmp/dig-aaaa.txt" 2>&1
sed -n '/^;; ANSWER SECTION:/,/^$/p' "$tmp/dig-aaaa.txt" | grep -q "^server\.example\.[[:space:]].*AAAA[[:space:]]$HOA\$" &&
	sed -n '/^;; ADDITIONAL SECTION:/,/^$/p' "$tmp/dig-aaaa.txt" |
	grep -q "^server\.example\.[[:space:]]*0[[:space:]]*IN[[:space:]]*TYPE65280 \\\\# 16 $COAHEX\$"
ok $? "dig at RES (kresd-caaaa): AAAA answer has the home address in ANSWER and the CAAAA (TTL 0) in ADDITIONAL" ||
	diag <"$tmp/dig-aaaa.txt"
"$B" exec C1 dig +time=2 +tries=2 @"$RES" server.example TYPE65280 >"$tmp/dig-caaaa.txt" 2>&1
grep -q 'ANSWER: 0,' "$tmp/dig-caaaa.txt" &&
	sed -n '/^;; ADDITIONAL SECTION:/,/^$/p' "$tmp/dig-caaaa.txt" | grep -q "TYPE65280 \\\\# 16 $COAHEX\$"
ok $? "dig at RES: a CAAAA query is answered with the CAAAA in ADDITIONAL (paper 3.1)" ||
	diag <"$tmp/dig-caaaa.txt"
"$B" exec C1 dig +time=2 +tries=2 @"$RES" plain.example AAAA >"$tmp/dig-plain.txt" 2>&1
grep -q "status: NOERROR" "$tmp/dig-plain.txt" && grep -q "AAAA[[:space:]]$PLAIN\$" "$tmp/dig-plain.txt" &&
	! grep -q TYPE65280 "$tmp/dig-plain.txt"
ok $? "dig at RES: a name without a CAAAA gets its plain AAAA answer" || diag <"$tmp/dig-plain.txt"

# ---- mobprobe lookup-mobile ----
lm() { # OUTFILE ARGS...: the JSON line
	_o=$1
	shift
	"$B" exec C1 "$P" lookup-mobile --json "$@" >"$_o" 2>&1
}
lm "$tmp/lm1.json" --resolver "$RES" --expect-section additional-of-aaaa --expect-coa "$COA" server.example
rc=$?
[ $rc = 0 ] && [ "$(jq -r .answer.hoa "$tmp/lm1.json")" = "$HOA" ] &&
	[ "$(jq -r .answer.coa_ttl "$tmp/lm1.json")" = 0 ] && [ "$(jq -r .answer.class "$tmp/lm1.json")" = coa ]
ok $? "lookup-mobile via kresd-caaaa: HoA $HOA, CoA $COA ttl 0 from the ADDITIONAL of the AAAA answer" ||
	diag <"$tmp/lm1.json"

# a plain unbound of the test's own in C1, stub to NS, on [::1]:5353
cat >"$tmp/unbound.conf" <<EOF
server:
	interface: ::1@5353
	do-ip4: no
	access-control: ::/0 allow
	chroot: ""
	username: ""
	directory: "$tmp"
	pidfile: "$tmp/unbound.pid"
	use-syslog: no
	logfile: ""
	module-config: "iterator"
	do-not-query-localhost: no
	domain-insecure: "example."
stub-zone:
	name: "example."
	stub-addr: $NS
EOF
"$B" exec C1 unbound -d -c "$tmp/unbound.conf" >"$tmp/unbound.log" 2>&1 &
pids="$pids $!"
wait_for 50 "$B" exec C1 dig +time=1 +tries=1 -p 5353 @::1 example SOA +short
lm "$tmp/lm2.json" --resolver "[::1]:5353" --expect-section answer-of-caaaa --expect-coa "$COA" server.example
rc=$?
[ $rc = 0 ] && [ "$(jq -r .answer.hoa "$tmp/lm2.json")" = "$HOA" ]
ok $? "lookup-mobile via plain unbound: the CAAAA from the ANSWER of the CAAAA query" ||
	{ diag <"$tmp/lm2.json"; tail -n 5 "$tmp/unbound.log" | diag; }
"$B" exec C1 "$P" lookup-mobile --resolver "$RES" plain.example >"$tmp/lm3.txt" 2>&1
rc=$?
[ $rc = 0 ] && grep -q "HoA $PLAIN ttl 60, no CAAAA (CAAAA query: NOERROR)" "$tmp/lm3.txt"
ok $? "lookup-mobile, no CAAAA: HoA only, said in the text output (exit 0)" || diag <"$tmp/lm3.txt"
lm "$tmp/lm4.json" --resolver "$RES" --expect nxdomain nosuch.example
[ $? = 0 ] && [ "$(jq -r .answer.result "$tmp/lm4.json")" = nxdomain ]
ok $? "lookup-mobile: NXDOMAIN told as such" || diag <"$tmp/lm4.json"
lm "$tmp/lm5.json" --resolver "[$RES]:5300" --timeout 0.3 server.example
rc=$?
[ $rc = 3 ] && [ "$(jq -r .answer.result "$tmp/lm5.json")" = timeout ]
ok $? "lookup-mobile: nothing listening at the resolver port: timeout, exit 3 (no answer)" ||
	{ echo "# exit $rc" ; diag <"$tmp/lm5.json"; }
"$B" exec C1 "$P" lookup-mobile --resolver "[::1]:99999" server.example >"$tmp/lm6.txt" 2>&1
rc=$?
[ $rc = 2 ] && grep -q "'\[::1\]:99999'" "$tmp/lm6.txt"
ok $? "lookup-mobile: a bad --resolver is a usage error naming it (exit 2)" || diag <"$tmp/lm6.txt"

# ---- the NSS module in C1's namespace only ----
mkdir -p "/etc/netns/$NSC"
echo "hosts: files mobkit dns" >"/etc/netns/$NSC/nsswitch.conf"
echo "nameserver $RES" >"/etc/netns/$NSC/resolv.conf"
cat >"$tmp/nss.conf" <<EOF
# the test's NSS configuration (MOBKIT_NSS_CONF): resolver from resolv.conf
control $tmp/ctl.sock
lifetime $LIFE
EOF
: >"$tmp/ctl.lines"
socat UNIX-LISTEN:"$tmp/ctl.sock",fork SYSTEM:"head -n 1 >>$tmp/ctl.lines; echo ok" 2>"$tmp/socat.log" &
pids="$pids $!"
wait_for 50 test -S "$tmp/ctl.sock"
nss() { # OUT ERR [ENV...] -- getent ARGS
	_o=$1 _e=$2
	shift 2
	"$B" exec C1 env LD_LIBRARY_PATH="$here/build/nss" MOBKIT_NSS_CONF="$tmp/nss.conf" "$@" >"$_o" 2>"$_e"
}
nss "$tmp/g1.out" "$tmp/g1.err" getent ahosts server.example
rc=$?
[ $rc = 0 ] && [ "$(awk 'NR == 1 { print $1 }' "$tmp/g1.out")" = "$HOA" ] && ! grep -q "$COA" "$tmp/g1.out"
ok $? "getent ahosts server.example in C1 (NSS module): the home address, not the care-of address" ||
	{ diag <"$tmp/g1.out"; diag <"$tmp/g1.err"; }
wait_for 20 test -s "$tmp/ctl.lines"
is "$(cat "$tmp/ctl.lines")" "cn-bind $HOA $COA $LIFE" "the control socket got exactly one line: cn-bind HOA COA $LIFE"
nss "$tmp/g2.out" "$tmp/g2.err" getent ahostsv6 server.example
rc=$?
wait_for 20 sh -c "[ \$(wc -l <'$tmp/ctl.lines') -ge 2 ]"
[ $rc = 0 ] && [ "$(awk 'NR == 1 { print $1 }' "$tmp/g2.out")" = "$HOA" ] &&
	[ "$(sed -n 2p "$tmp/ctl.lines")" = "cn-bind $HOA $COA $LIFE" ]
ok $? "getent ahostsv6 (AF_INET6, gethostbyname3_r): the home address, cn-bind sent again" ||
	{ diag <"$tmp/g2.out"; diag <"$tmp/ctl.lines"; }
nss "$tmp/g2h.out" "$tmp/g2h.err" getent hosts server.example
rc=$?
[ $rc = 0 ] && [ "$(awk '{ print $1, $2 }' "$tmp/g2h.out")" = "$HOA server.example" ] &&
	[ "$(sed -n 3p "$tmp/ctl.lines")" = "cn-bind $HOA $COA $LIFE" ]
ok $? "getent hosts (gethostbyname2 AF_INET6): '$HOA server.example', cn-bind sent again" ||
	{ diag <"$tmp/g2h.out"; diag <"$tmp/ctl.lines"; }
nss "$tmp/g3.out" "$tmp/g3.err" getent ahosts plain.example
rc=$?
sleep 0.3
[ $rc = 0 ] && [ "$(awk 'NR == 1 { print $1 }' "$tmp/g3.out")" = "$PLAIN" ] &&
	[ "$(wc -l <"$tmp/ctl.lines")" -eq 3 ]
ok $? "no CAAAA (plain.example): the home address, no line sent to mobd" ||
	{ diag <"$tmp/g3.out"; diag <"$tmp/ctl.lines"; }
nss "$tmp/g4.out" "$tmp/g4.err" MOBKIT_CTL="$tmp/absent.sock" MOBKIT_NSS_DEBUG=1 getent ahosts server.example
rc=$?
[ $rc = 0 ] && [ "$(awk 'NR == 1 { print $1 }' "$tmp/g4.out")" = "$HOA" ] &&
	grep -q "absent.sock: No such file or directory" "$tmp/g4.err"
ok $? "mobd absent (MOBKIT_CTL names no socket): the home address all the same; the debug line says why" ||
	{ diag <"$tmp/g4.out"; diag <"$tmp/g4.err"; }
socat UNIX-LISTEN:"$tmp/silent.sock",fork SYSTEM:"sleep 3" 2>/dev/null &
pids="$pids $!"
wait_for 50 test -S "$tmp/silent.sock"
nss "$tmp/g5.out" "$tmp/g5.err" MOBKIT_CTL="$tmp/silent.sock" MOBKIT_NSS_DEBUG=1 getent ahosts server.example
rc=$?
[ $rc = 0 ] && [ "$(awk 'NR == 1 { print $1 }' "$tmp/g5.out")" = "$HOA" ] &&
	grep -q "no answer within 200 ms" "$tmp/g5.err"
ok $? "mobd silent: the home address after the 200 ms control timeout (debug line)" ||
	{ diag <"$tmp/g5.out"; diag <"$tmp/g5.err"; }
nss "$tmp/g6.out" "$tmp/g6.err" MOBKIT_CTL="$tmp/absent.sock" getent ahosts server.example
[ $? = 0 ] && [ ! -s "$tmp/g6.err" ]
ok $? "without MOBKIT_NSS_DEBUG the failure is silent" || diag <"$tmp/g6.err"
nss "$tmp/g7.out" "$tmp/g7.err" getent ahosts nosuch.example
rc=$?
[ $rc = 2 ] && [ "$(wc -l <"$tmp/ctl.lines")" -eq 3 ]
ok $? "NXDOMAIN: getent finds nothing (exit 2), nothing sent" || { echo "# exit $rc"; diag <"$tmp/g7.out"; }

# ---- the server moves: a new CAAAA, seen at once ----
upd server.example. --caaaa "$COA2" 0
ok $? "the server moves: CAAAA replaced by $COA2 (UPDATE, TSIG)" || diag <"$tmp/upd.log"
lm "$tmp/lm7.json" --resolver "$RES" --expect-coa "$COA2" --expect-section additional-of-aaaa server.example
ok $? "lookup-mobile via kresd-caaaa right after: the new care-of address (TTL 0 not cached)" ||
	diag <"$tmp/lm7.json"
nss "$tmp/g8.out" "$tmp/g8.err" getent ahosts server.example
wait_for 20 sh -c "[ \$(wc -l <'$tmp/ctl.lines') -ge 4 ]"
[ "$(sed -n 4p "$tmp/ctl.lines")" = "cn-bind $HOA $COA2 $LIFE" ]
ok $? "and the NSS module's cn-bind names the new care-of address" || diag <"$tmp/ctl.lines"

# the host outside the test namespaces was not touched
! grep -q mobkit /etc/nsswitch.conf && [ "$(wc -l <"$tmp/ctl.lines")" -eq 4 ]
ok $? "the host's /etc/nsswitch.conf names no mobkit; four lines in all reached the socket" ||
	{ grep mobkit /etc/nsswitch.conf | diag; diag <"$tmp/ctl.lines"; }
