#!/bin/sh
# t/testbed/dmm-ddns.t: distributed mobility, solution 1 (seeds/004 4.1,
# issue 17): the mobile node registers every live address in dynamic DNS,
# and correspondents pick one (testbed/mksel).
#
# dmm with K=2, DELAY1=20, DELAY2=5 (the old address is the slower),
# ANCHORS=yes, BIND on NS.  On MN: mobd's mobile node (IP1 its home
# address, anchored by the home agent on A1) and, in a mobd of its own, the
# DNS updater alone in 'dns-record addrs' mode over eth0 and the mobile
# node's TUN device, with an SRV record _mkrv._tcp -> port 7001.
#
#   MN registers IP1; MN moves to MR2 (IP2); the AAAA rrset at NS holds
#   IP1 and IP2 and the SRV is there; every update was answered NOERROR
#   with a TSIG that verified; CN1's mksel picks (ground truth: the
#   topology's delays, IP1 reached through A1 over c1 twice and c2, at
#   least 2 x (20 + 20 + 5) = 90 ms, IP2 directly, 2 x 5 = 10 ms):
#     probe           IP2, the lowest RTT
#     race -d 10      IP2 (IP2 connects before IP1 whatever the order)
#     race (250 ms)   the first address the server gave: both connect
#                     within 250 ms, so RFC 8305 keeps the first attempt
#     rfc6724         getaddrinfo's first (getent ahostsv6's first), with
#                     a gai.conf preferring IP2's prefix, then IP1's
#   and each connection reaches the listener on MN (which answers with the
#   address the connection came to).  mobctl withdraw IP1: the rrset is
#   IP2 alone; restore: both again.  A new address is published, and
#   withdrawn when deprecated (preferred lifetime 0).  The mobile node
#   ends (IP1's anchoring with it): IP1 leaves the node and the rrset
#   without any command.  An updater with a wrong TSIG key is refused
#   (NOTAUTH, BADSIG) and the rrset is unchanged.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
. "$here/t/lib/stack.sh"
need_root "network namespaces"
need_cmds jq dig named socat getent unshare
SEL=$here/bin/mksel
stack_init dd
echo "1..36"
KEY=00112233445566778899aabbccddeeff
NS=2001:db8:3::53
NAME=mn.example.

"$B" up dmm DNS=bind RS=none ANCHORS=yes DELAY1=20 DELAY2=5 >"$tmp/up.log" 2>&1
ok $? "mobbed up dmm DNS=bind RS=none ANCHORS=yes DELAY1=20 DELAY2=5" || { diag <"$tmp/up.log"; exit 1; }
for _x in CN1 CN2 MN MR1 MR2 R0 A1 NS; do "$B" exec $_x sysctl -qw net.ipv6.icmp.ratelimit=0; done
tsig=$MOBBED_RUN/$MOBBED_NAME/tsig.key
ip1=$(hoa_of MN)

printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:41::/64\ncontrol %s\nmn-key * 4096 %s\n' \
	"$tmp/ha.sock" "$KEY" >"$tmp/ha.conf"
printf 'role mobile-node\ninterface eth0\nhome-prefix 2001:db8:41::/64\nha 2001:db8:41::2\ncontrol %s\nlifetime 60\nkey 4096 %s\n' \
	"$tmp/mn.sock" "$KEY" >"$tmp/mn.conf"
# the updater alone: its own TUN name and control socket
du_conf() { # FILE CONTROL KEYFILE INTERFACES
	cat >"$1" <<EOF
role dns-updater
interface eth0
tun du0
control $2
dns-server $NS
dns-zone example.
dns-name $NAME
dns-tsig-key $3
dns-record addrs
dns-interface $4
dns-srv _mkrv._tcp 7001
dns-ttl 0
dns-timeout 300
dns-tries 3
EOF
}
du_conf "$tmp/du.conf" "$tmp/du.sock" "$tsig" "eth0 mip6"
"$B" exec A1 "$D" -d -c "$tmp/ha.conf" >"$tmp/ha.log" 2>&1 &
hapid=$!
pids="$pids $hapid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
mnpid=$!
pids="$pids $mnpid"
"$B" exec MN "$D" -d -c "$tmp/du.conf" >"$tmp/du.log" 2>&1 &
dupid=$!
pids="$pids $dupid"
# a listener on MN, port 7001: it answers with the address the connection came to
"$B" exec MN socat TCP6-LISTEN:7001,ipv6only=1,reuseaddr,fork 'SYSTEM:echo $SOCAT_SOCKADDR' >"$tmp/socat.log" 2>&1 &
pids="$pids $!"

# the updater's published set (sorted, one line) and its last outcome
published() { "$CTL" -S "$tmp/du.sock" --json updater | jq -r '.published | sort | join(" ")'; }
du_done() { # WANT: the published set is WANT and the last update NOERROR
	"$CTL" -S "$tmp/du.sock" --json updater >"$tmp/u.json" 2>/dev/null &&
		[ "$(jq -r '.published | sort | join(" ")' "$tmp/u.json")" = "$1" ] &&
		[ "$(jq -r '.last.rcode' "$tmp/u.json")" = NOERROR ]
}
# the AAAA rrset at NS, sorted, one line
aaaa() { "$B" exec CN1 dig +short +time=2 +tries=1 @"$NS" "$NAME" AAAA | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }
srv() { "$B" exec CN1 dig +short +time=2 +tries=1 @"$NS" "_mkrv._tcp.$NAME" SRV; }
sorted() { printf '%s\n' "$@" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//'; }

wait_for 100 du_done "$ip1"
ok $? "the updater alone on MN registers IP1 ($ip1): NOERROR" || tail -n 5 "$tmp/du.log" | diag
got=$(aaaa)
is "$got" "$ip1" "NS answers the AAAA of $NAME: IP1"
is "$(srv)" "0 0 7001 $NAME" "NS answers the SRV _mkrv._tcp.$NAME: 0 0 7001 $NAME"

"$B" move MN m2 >"$tmp/move.log" 2>&1
ip2=$("$B" exec MN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
_bound() { "$CTL" -S "$tmp/mn.sock" --json bul >"$tmp/bul.json" && [ "$(jq -r '.[0].state' "$tmp/bul.json")" = bound ]; }
wait_for 100 _bound
ok $? "MN moved to m2 (IP2 = $ip2), bound at its anchor A1" || tail -n 5 "$tmp/mn.log" | diag
both=$(sorted "$ip1" "$ip2")
wait_for 100 du_done "$both"
ok $? "the updater publishes IP1 (on the TUN, anchored) and IP2: NOERROR" || { published | diag; tail -n 8 "$tmp/du.log" | diag; }
is "$(aaaa)" "$both" "NS answers the AAAA rrset: IP1 and IP2"
is "$(srv)" "0 0 7001 $NAME" "the SRV record is still there"
"$CTL" -S "$tmp/du.sock" --json updater >"$tmp/u.json"
jq -e '(.counters.outcomes | keys) == ["NOERROR"] and .counters.bad_answers == 0 and
	.counters.outcomes.NOERROR + .counters.superseded == .counters.updates and .last.tsig == "verified"' \
	"$tmp/u.json" >/dev/null
ok $? "every update signed and answered NOERROR ($(jq -c '[.counters.updates, .counters.superseded, .counters.outcomes]' "$tmp/u.json") updates, superseded, outcomes), the last answer's TSIG verified"

# ---- selection from CN1 ----
sel() { "$B" exec CN1 "$SEL" -s "$NS" -S _mkrv._tcp -r "$@" "$NAME"; }
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
# the listener's answer "[2001:0db8:...]" in the canonical form (RFC 5952)
reply() { _r=$(field "$1" reply | tr -d '[]'); getent ahostsv6 "$_r" | awk 'NR == 1 { print $1 }'; }
# the ground truth: IP2, by the topology's delays (2 x 5 ms against 2 x (20 + 20 + 5) ms)
best=$ip2
out=$(sel -P probe -n 3)
echo "# probe: $out"
is "$(field "$out" chosen) $(reply "$out")" "$best $best" "probe picks IP2, the lowest delay, and reaches the listener on it"
r1=$(echo "$out" | tr ' ,' '\n\n' | sed -n "s|^\(candidates=\)\{0,1\}$ip1/[a-z-]*/||p")
r2=$(echo "$out" | tr ' ,' '\n\n' | sed -n "s|^\(candidates=\)\{0,1\}$ip2/[a-z-]*/||p")
awk -v a="$r1" -v b="$r2" 'BEGIN { exit !(a != "" && a != "-" && b != "" && b != "-" && a >= 90 && b >= 10 && b < a) }'
ok $? "probe's RTTs: IP1 $r1 ms >= 90 (through A1), IP2 $r2 ms >= 10"
out=$(sel -P race -d 10)
echo "# race -d 10: $out"
is "$(field "$out" chosen) $(reply "$out")" "$best $best" "race with a 10 ms Connection Attempt Delay picks IP2 and reaches the listener"
out=$(sel -P race)
echo "# race: $out"
first=$(field "$out" candidates | cut -d, -f1 | cut -d/ -f1)
st=$(field "$out" candidates | cut -d, -f1 | cut -d/ -f2)
is "$(field "$out" chosen) $st $(reply "$out")" "$first connected $first" \
	"race with the default 250 ms delay keeps the first address the server gave ($first): it connects within 250 ms"
setup=$(field "$out" setup_ms)
res=$(field "$out" resolve_ms)
awk -v s="$setup" -v r="$res" 'BEGIN { exit !(s != "-" && r != "-" && s + 0 >= r + 0 && r + 0 > 0) }'
ok $? "race: resolution $res ms, setup (request -> connected) $setup ms, not less"

# rfc6724: getaddrinfo through a resolv.conf naming NS and a gai.conf whose
# policy table (RFC 6724 2.1: the default one, and a precedence for one of
# the two /48s) makes rule 6 decide, both bind-mounted in a mount namespace
# of this test (the host's /etc untouched).  Without it rules 1-9 tie for
# IP1 and IP2 and rule 10 keeps the server's order, which BIND varies from
# answer to answer: no order to compare with.
printf 'nameserver %s\noptions attempts:1 timeout:2\n' "$NS" >"$tmp/resolv.conf"
gai_conf() { # PREFIX: the RFC 6724 default policy table, PREFIX above ::/0
	printf 'precedence ::1/128 50\nprecedence ::/0 40\nprecedence ::ffff:0:0/96 35\nprecedence 2002::/16 30\n'
	printf 'precedence 2001::/32 5\nprecedence fc00::/7 3\nprecedence ::/96 1\nprecedence fec0::/10 1\n'
	printf 'precedence 3ffe::/16 1\nprecedence %s 45\n' "$1"
}
gai() { # GAICONF CMD...
	unshare -m sh -c 'mount --bind "$1" /etc/resolv.conf && mount --bind "$2" /etc/gai.conf && shift 2 && exec "$@"' \
		sh "$tmp/resolv.conf" "$@"
}
for pfx in 2001:db8:42::/48 2001:db8:41::/48; do
	case $pfx in *42*) want=$ip2 ;; *) want=$ip1 ;; esac
	gai_conf "$pfx" >"$tmp/gai.conf"
	gai "$tmp/gai.conf" "$B" exec CN1 sh -c "getent ahostsv6 $NAME | awk '\$2 == \"STREAM\" { print \$1 }'; $SEL -s $NS -S _mkrv._tcp -r -P rfc6724 $NAME" >"$tmp/gai.out" 2>&1
	out=$(grep '^policy=' "$tmp/gai.out")
	echo "# rfc6724, precedence 45 for $pfx: $out"
	gset=$(grep -v '^policy=' "$tmp/gai.out" | LC_ALL=C sort | tr '\n' ' ' | sed 's/ $//')
	gfirst=$(grep -v '^policy=' "$tmp/gai.out" | head -n 1)
	is "$gset / $gfirst / $(field "$out" chosen) $(reply "$out")" "$both / $want / $want $want" \
		"precedence for $pfx: getent ahostsv6 gives IP1 and IP2, $want first; rfc6724 picks it and reaches the listener" ||
		diag <"$tmp/gai.out"
done

# ---- withdraw ----
"$CTL" -S "$tmp/du.sock" withdraw "$ip1" >"$tmp/wd.out" 2>&1
wait_for 50 du_done "$ip2"
ok $? "mobctl withdraw IP1: the updater publishes IP2 alone, NOERROR" || diag <"$tmp/wd.out"
is "$(aaaa)" "$ip2" "NS answers IP2 alone: the withdrawn address is gone"
"$CTL" -S "$tmp/du.sock" withdraw "nothere" >"$tmp/wd2.out" 2>&1
is "$?" 2 "mobctl withdraw 'nothere': usage error (exit 2)"
out=$(sel -P race)
is "$(field "$out" chosen)" "$ip2" "race after the withdrawal: IP2, the only candidate"
"$CTL" -S "$tmp/du.sock" restore "$ip1" >/dev/null 2>&1
wait_for 50 du_done "$both"
ok $? "mobctl restore IP1: IP1 and IP2 published again"

# the usable rule: a deprecated address (preferred lifetime 0) is not offered
ip3=2001:db8:42::99
"$B" exec MN ip -6 addr add "$ip3/64" dev eth0 nodad
three=$(sorted "$ip1" "$ip2" "$ip3")
wait_for 50 du_done "$three"
ok $? "a new address on eth0 ($ip3): published with the others" || published | diag
"$B" exec MN ip -6 addr change "$ip3/64" dev eth0 preferred_lft 0
wait_for 50 du_done "$both"
ok $? "its preferred lifetime set to 0 (deprecated): withdrawn, IP1 and IP2 left" || published | diag
is "$(aaaa)" "$both" "NS answers IP1 and IP2 again"

# the anchor gone: the mobile node ends (deregisters), IP1 leaves its TUN device
kill "$mnpid"
wait "$mnpid"
s1=$?
wait_for 100 du_done "$ip2"
ok $? "the mobile node stopped (exit $s1), IP1 no longer anchored: the updater withdraws it by itself" || published | diag
is "$(aaaa)" "$ip2" "NS answers IP2 alone"

# ---- a wrong TSIG key: refused, nothing changes ----
sed 's/secret "[^"]*"/secret "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="/' "$tsig" >"$tmp/wrong.key"
du_conf "$tmp/bad.conf" "$tmp/bad.sock" "$tmp/wrong.key" eth0
sed -i 's/^dns-tries 3$/dns-tries 1/' "$tmp/bad.conf"
"$B" exec CN2 "$D" -d -c "$tmp/bad.conf" >"$tmp/bad.log" 2>&1 &
badpid=$!
pids="$pids $badpid"
# (jq -e is true on an empty input: the answer is checked in a file)
_refused() { "$CTL" -S "$tmp/bad.sock" --json updater >"$tmp/bad.json" && [ "$(jq -r '.last.rcode' "$tmp/bad.json")" != null ]; }
wait_for 100 _refused
"$CTL" -S "$tmp/bad.sock" --json updater >"$tmp/bad.json" 2>&1
rc=$(jq -r '.last.rcode' "$tmp/bad.json")
case $rc in BADSIG | NOTAUTH | REFUSED) r=0 ;; *) r=1 ;; esac
ok $r "an updater with a wrong TSIG key (on CN2) is refused: $rc" || { diag <"$tmp/bad.json"; tail -n 5 "$tmp/bad.log" | diag; }
is "$(aaaa)" "$ip2" "and the AAAA rrset is unchanged (IP2)"

# ---- dns-hold-empty (3000 ms by default): no usable address for a moment ----
# IP2 deleted: MR2's next Router Advertisement (every 30-70 ms) makes it
# again, as after a move's gap; the rrset is kept through it: no update
ctr() { "$CTL" -S "$tmp/du.sock" --json updater | jq -r ".counters.$1"; }
back() { [ -n "$("$B" exec MN ip -6 -o addr show dev eth0 scope global to "$ip2/128" -tentative)" ] && du_done "$ip2"; }
u0=$(ctr updates) h0=$(ctr held_empty)
"$B" exec MN ip -6 addr del "$ip2/64" dev eth0
sleep 0.3
wait_for 100 back
r=$?
[ $r = 0 ] && [ "$(ctr updates)" = "$u0" ] && [ "$(ctr held_empty)" = $((h0 + 1)) ] &&
	[ "$(ctr held_empty_deleted)" = 0 ]
ok $? "IP2 deleted and made again by the next RA: held (held_empty $(ctr held_empty)), no update sent ($u0 -> $(ctr updates))" ||
	{ published; tail -n 4 "$tmp/du.log"; } | diag
is "$(aaaa)" "$ip2" "NS answered IP2 throughout"
# no RA to make it again (accept_ra 0): the hold runs out and the rrset is
# deleted.  The delete leaves from a deprecated address (not offered in the
# rrset, still a source the kernel may use): ip5.  The RA's default route
# lives 1 s here: a static one via the same router for the meantime
gw=$("$B" exec MN ip -6 route show default dev eth0 | awk '{ print $3; exit }')
"$B" exec MN sysctl -qw net.ipv6.conf.eth0.accept_ra=0
"$B" exec MN ip -6 route add default via "$gw" dev eth0 metric 2048
ip5=2001:db8:42::97
"$B" exec MN ip -6 addr add "$ip5/64" dev eth0 nodad preferred_lft 0
"$B" exec MN ip -6 addr del "$ip2/64" dev eth0
sleep 1
is "$(aaaa)" "$ip2" "no usable address (accept_ra 0, $ip5 deprecated): 1 s later NS still answers IP2"
_gone() { du_done ""; }
wait_for 100 _gone && [ "$(ctr held_empty_deleted)" = 1 ]
ok $? "after dns-hold-empty the updater deletes the rrset (held_empty_deleted 1)" ||
	{ published; tail -n 4 "$tmp/du.log"; } | diag
is "$(aaaa)" "" "NS answers no AAAA"
"$B" exec MN ip -6 addr del "$ip5/64" dev eth0
"$B" exec MN sysctl -qw net.ipv6.conf.eth0.accept_ra=1
"$B" exec MN ip -6 route del default via "$gw" dev eth0 metric 2048
wait_for 100 back
ok $? "accept_ra 1: IP2 made again by the next RA and published" || published | diag

kill "$badpid" "$dupid" "$hapid"
s=$s1
for p in "$badpid" "$dupid" "$hapid"; do
	wait "$p"
	s="$s$?"
done
is "$s" "0000" "SIGTERM: the mobile node, the updaters and the home agent exit 0"
"$B" down >/dev/null 2>&1
ok $? "mobbed down"
