#!/bin/sh
# t/stack/cn.t: mobd's correspondent role (RFC 6275 5.2, 9) on the
# mip6-multiha testbed (F=1 N=1): mobd as home agent on HA1, as mobile node
# on MN (registered from f1), as correspondent on C1 (nonces every 1 s,
# accepted 3 s, so that expiry is seen in seconds).  t/lib/rrpeer plays the
# mobile node's side of return routability beside the mobile node's mobd:
# its HoTI goes reverse-tunnelled through HA1, the HoT comes back through
# HA1's tunnel; its CoTI and BU go direct.  mobprobe cannot carry the tokens
# of a HoT/CoT into a BU's authenticator, hence the scripted peer.
#
#  - HoT and CoT come back, and a BU authenticated with their tokens gets BA
#    0 with an authenticator of its own, and is in `mobctl bc`;
#  - with the binding, an Echo Request from the care-of address with a Home
#    Address option reaches C1's kernel from the home address (through the
#    TUN), and the Echo Reply leaves with an RH2 to the care-of address;
#  - a wrong authenticator: silence, the binding unchanged;
#  - a replayed sequence number: BA 135 with the last accepted one;
#  - expired nonce indices: BA 138 (both), 136 (home), 137 (care-of);
#  - a Home Address option without a binding: BE 1; an unknown MH type
#    (mobprobe bu --malform type): BE 2; mobprobe rr from another node:
#    a conforming HoT and CoT;
#  - deregistration: BA 0, the binding gone; a binding of 8 s in use gets a
#    Binding Refresh Request 5 s before it expires, then expires; every refusal counted by
#    reason in `mobctl counters`; SIGTERM: exit 0, no nftables table left.
# Namespaces are this test's own and are removed on any exit; the daemons
# it started are stopped by PID.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds jq radvd nft
. "$here/t/lib/stack.sh"
R=$here/t/lib/rrpeer
stack_init cn

echo "1..21"
KEY=00112233445566778899aabbccddeeff
HA=2001:db8:1::2

"$B" up mip6-multiha F=1 N=1 >"$tmp/up.log" 2>&1
ok $? "mip6-multiha up (F=1 N=1)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
for node in C1 MN HA1 HA2; do "$B" exec $node sysctl -qw net.ipv6.icmp.ratelimit=0; done
HOA=$(hoa_of MN)
CN=$(hoa_of C1)

ha_conf "$tmp/ha1.conf" "$tmp/ha1.sock"
mn_conf "$tmp/mn.conf" "$tmp/mn.sock" 120
# rrpeer makes the binding at C1 beside the mobile node's mobd: C1's RH2
# packets must not start return routability of mobd's own (mn-dns-answer)
echo "mn-dns-answer off" >>"$tmp/mn.conf"
cat >"$tmp/cn.conf" <<EOF
role correspondent
interface eth0
control $tmp/cn.sock
nonce-lifetime 3
nonce-interval 1
cn-max-bindings 8
cn-refresh-request 5
EOF
"$D" -n -c "$tmp/cn.conf" >"$tmp/cn-n.out" 2>&1 && grep -q "^nonce-lifetime 3$" "$tmp/cn-n.out" &&
	printf 'role correspondent\ninterface eth0\nnonce-interval 9\nnonce-lifetime 4\n' >"$tmp/bad.conf" &&
	{ "$D" -n -c "$tmp/bad.conf" >"$tmp/bad.out" 2>&1; [ $? = 2 ]; } &&
	grep -q "nonce-interval 9 is longer than nonce-lifetime 4" "$tmp/bad.out"
ok $? "mobd -n: the correspondent's keywords read; an interval longer than the lifetime refused, exit 2" ||
	cat "$tmp/cn-n.out" "$tmp/bad.out" | diag

"$B" exec HA1 "$D" -d -c "$tmp/ha1.conf" >"$tmp/ha1.log" 2>&1 &
pids="$pids $!"
"$B" exec C1 "$D" -d -v -c "$tmp/cn.conf" >"$tmp/cn.log" 2>&1 &
cnpid=$!
pids="$pids $cnpid"
"$B" exec MN "$D" -d -c "$tmp/mn.conf" >"$tmp/mn.log" 2>&1 &
pids="$pids $!"
mn_state() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e --arg s "$1" '.[0].state == $s'; }
cn_up() { "$CTL" -S "$tmp/cn.sock" status; }
wait_for 50 mn_state home && wait_for 50 cn_up
ok $? "home agent, mobile node (at home) and correspondent up" ||
	tail -n 5 "$tmp/mn.log" "$tmp/cn.log" | diag
"$B" move MN f1 >/dev/null
wait_for 60 mn_state bound
ok $? "the mobile node registered with HA1 from f1" || tail -n 5 "$tmp/mn.log" | diag
COA=$("$CTL" -S "$tmp/mn.sock" --json bul | jq -r '.[0].coa')

peer() { "$B" exec MN "$R" -i eth0 -h "$HOA" -c "$COA" -a "$HA" "$CN" "$@" 2>&1; }
out=$(peer rr bu 100)
echo "$out" | grep -q '^hot idx [0-9]' && echo "$out" | grep -q '^cot idx [0-9]'
ok $? "HoTI through the home agent's tunnel and CoTI direct: HoT and CoT come back" || echo "$out" | diag
echo "$out" | grep -q '^ba status 0 seq 100 lifetime 60 bad ok$'
ok $? "BU with the authenticator from their tokens: BA 0, and the BA's own authenticator verifies" ||
	echo "$out" | diag
bc=$("$CTL" -S "$tmp/cn.sock" --json bc)
is "$(echo "$bc" | jq -r --arg h "$HOA" '.[] | select(.hoa == $h) | "\(.coa) \(.seq)"')" "$COA 100" \
	"mobctl bc: home address -> care-of address, seq 100"
out=$(peer echo)
route=$("$B" exec C1 ip -6 route show "$HOA")
is "$out" "echo-reply to $COA rh2 $HOA" \
	"route optimization: an Echo Request with the HAO reaches C1's kernel from the home address, the reply leaves with an RH2 to the care-of address" ||
	{ echo "$route"; "$CTL" -S "$tmp/cn.sock" counters | grep ro_; } | diag

out=$(peer rr badbu 101)
bc=$("$CTL" -S "$tmp/cn.sock" --json bc | jq -r '.[0].seq')
echo "$out" | grep -q '^none$' && [ "$bc" = 100 ]
ok $? "a wrong authenticator: no answer, the binding unchanged (seq $bc)" || echo "$out" | diag
out=$(peer rr bu 100)
echo "$out" | grep -q '^ba status 135 seq 100 .* bad ok$'
ok $? "a replayed sequence number: BA 135 with the last accepted one" || echo "$out" | diag

out=$(peer rr sleep 4500 bu 102)
echo "$out" | grep -q '^ba status 138 seq 102 .* bad none$'
ok $? "both nonce indices expired (4.5 s > nonce-lifetime 3 s): BA 138" || echo "$out" | diag
out=$(peer rr sleep 4500 cot bu 103)
echo "$out" | grep -q '^ba status 136 seq 103 '
ok $? "the home nonce index expired: BA 136" || echo "$out" | diag
out=$(peer rr sleep 4500 hot bu 104)
echo "$out" | grep -q '^ba status 137 seq 104 '
ok $? "the care-of nonce index expired: BA 137" || echo "$out" | diag
bc=$("$CTL" -S "$tmp/cn.sock" --json bc | jq -r '.[0].seq')
is "$bc" 100 "no refusal changed the binding"

out=$(peer hao 2001:db8:1::dead)
is "$out" "be status 1 hoa 2001:db8:1::dead" "a Home Address option without a binding: BE 1 naming it"
"$B" exec MN "$P" bu --timeout 1 --hoa "$HOA" --malform type --expect be --expect-status 2 "$CN" \
	>"$tmp/probe.log" 2>&1 &&
	"$B" exec HA2 "$P" rr --timeout 1 --expect hot "$CN" >>"$tmp/probe.log" 2>&1 &&
	"$B" exec HA2 "$P" rr --timeout 1 --careof --expect cot "$CN" >>"$tmp/probe.log" 2>&1
ok $? "mobprobe: an unknown MH type gets BE 2; its HoTI and CoTI get a HoT and a CoT" ||
	diag <"$tmp/probe.log"

out=$(peer hot dereg 105)
echo "$out" | grep -q '^ba status 0 seq 105 lifetime 0 bad ok$' &&
	[ "$("$CTL" -S "$tmp/cn.sock" --json bc | jq length)" = 0 ] &&
	[ -z "$("$B" exec C1 ip -6 route show "$HOA")" ]
ok $? "deregistration (lifetime 0, the home token alone): BA 0, the binding and its route gone" || echo "$out" | diag

out=$(peer rr life 8 bu 106 echo brr 6)
echo "$out" | grep -q '^ba status 0 seq 106 lifetime 8 bad ok$' &&
	echo "$out" | grep -q "^brr to $COA rh2 $HOA\$"
ok $? "a binding of 8 s in use: a Binding Refresh Request 5 s before it expires (cn-refresh-request), RH2 to the care-of address" ||
	echo "$out" | diag
bc_empty() { [ "$("$CTL" -S "$tmp/cn.sock" --json bc | jq length)" = 0 ]; }
wait_for 60 bc_empty && [ -z "$("$B" exec C1 ip -6 route show "$HOA")" ]
ok $? "the binding expires, and its route goes"

cnt=$("$CTL" -S "$tmp/cn.sock" --json counters)
echo "$cnt" | jq -e '.bu_accepted == 2 and .bu_dereg == 1 and .brr_tx == 1 and .expired == 1 and .bu_auth_fail == 1 and .bu_stale_seq == 1
	and .bu_nonce_exp == 3 and .hao_nobinding == 1 and .unknown_type == 1
	and .ba_status."135" == 1 and .ba_status."136" == 1 and .ba_status."137" == 1
	and .ba_status."138" == 1 and .hot_tx >= 6 and .cot_tx >= 6 and .ro_in == 2 and .ro_out == 2' >/dev/null
ok $? "mobctl counters: each refusal counted by reason and by BA status" || echo "$cnt" | diag

kill "$cnpid"
wait "$cnpid"
st=$?
left=$("$B" exec C1 nft list tables)
[ $st = 0 ] && [ -z "$left" ]
ok $? "SIGTERM: the correspondent exits 0 and leaves no nftables table" || { echo "$left"; tail -n 3 "$tmp/cn.log"; } | diag
