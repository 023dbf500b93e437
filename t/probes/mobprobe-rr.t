#!/bin/sh
# t/probes/mobprobe-rr.t: `mobprobe rr --bu` (return routability, then the
# Binding Update it authorizes) and the echo probe's Binding Error.
#
#  - usage errors of the new options: exit 2, the bad value named (before
#    any socket is opened, so these need no root);
#  - live, against mobd's correspondent on the `pair` testbed of the
#    mip6-cn conformance setup (its own instance, removed on any exit):
#    two probes give BA 0 with seq N and N+1 and authenticators that
#    verify; tshark decodes the BU as carrying the HoT's and CoT's nonce
#    indices and a Binding Authorization Data option, and the BA as status
#    0; a spoilt authenticator and made-up tokens get no BA (exit 3, even
#    under --expect none when the HoT itself never comes); the JSON of a
#    HoT feeds --home-token; an echo with a HAO without a binding is BE 1.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
P=$here/bin/mobprobe
tmp=$(mktemp -d /tmp/mk-rrt.XXXXXX) || exit 1
export MOBBED_RUN="$tmp/run" MOBBED_NAME="rrt$$" MOBBED="$here/bin/mobbed"
mkdir -p "$MOBBED_RUN"
cleanup() {
	[ -d "$MOBBED_RUN/$MOBBED_NAME" ] &&
		(cd "$here" && sh conformance/setups/mip6-cn.sh down mobd >/dev/null 2>&1)
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
# like is(), but the diagnosis (a file) follows a failure: want GOT WANT WHAT FILE
want() {
	[ "$1" = "$2" ]
	ok $? "$3" || { echo "# got '$1', want '$2'"; diag <"$4"; }
}

echo "1..24"
T=2001:db8:5::2
C=2001:db8:7::100

# --- usage errors -------------------------------------------------------------
usage() { # description, text the error must hold, mobprobe arguments...
	d=$1 want=$2
	shift 2
	"$P" "$@" --pcap "$tmp/never.pcap" >"$tmp/o" 2>&1
	r=$?
	grep -qF -- "$want" "$tmp/o"
	want "$r.$?" "2.0" "$d: exit 2, naming it" "$tmp/o"
}
usage "--home-token of 15 hex digits" "'0123456789abcde' for --home-token" \
	rr --bu --home-token 0123456789abcde --home-index 1 "$T"
usage "--careof-token of 20 hex digits" "'0123456789abcdef0123' for --careof-token" \
	rr --bu --careof-token 0123456789abcdef0123 --careof-index 1 "$T"
usage "--home-token not hex" "'0123456789abcdeg' for --home-token: not hex" \
	rr --bu --home-token 0123456789abcdeg --home-index 1 "$T"
usage "--home-index 65536" "'65536' for --home-index" rr --bu --home-index 65536 "$T"
usage "--home-token without --home-index" "--home-token and --home-index go together" \
	rr --bu --home-token 0123456789abcdef "$T"
usage "--careof-index without --careof-token" "--careof-token and --careof-index go together" \
	rr --bu --careof-index 7 "$T"
usage "--seq without --bu" "are for rr --bu" rr --seq 5 "$T"
usage "--bad-auth without --bu" "are for rr --bu" rr --bad-auth "$T"
usage "--careof with --bu" "not with --bu" rr --bu --careof "$T"
usage "--lifetime 0 with a care-of token" "--careof-token with --lifetime 0" \
	rr --bu --lifetime 0 --careof-token 0123456789abcdef --careof-index 1 "$T"
usage "--flags Q" "bad flag 'Q' in --flags 'A,Q'" rr --bu --flags A,Q "$T"
usage "--lifetime -1" "'-1' for --lifetime" rr --bu --lifetime -1 "$T"
usage "--hao with --bu" "--hao is for a lone HoTI or CoTI" rr --bu --hao 2001:db8:1::1 "$T"
[ ! -e "$tmp/never.pcap" ]
ok $? "none of them started its capture file"

# --- live, against mobd's correspondent ---------------------------------------
if [ "$(id -u)" != 0 ]; then
	n=0
	while [ $n -lt 10 ]; do
		echo "ok - # SKIP needs root (network namespaces)"
		n=$((n + 1))
	done
	exit 0
fi
need_cmds tshark
(cd "$here" && sh conformance/setups/mip6-cn.sh up mobd "$tmp/profile") >"$tmp/up.log" 2>&1
ok $? "mobd's correspondent up on pair (conformance/setups/mip6-cn.sh)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
X() { "$MOBBED" exec P "$P" "$@"; }

X rr --bu --hoa 2001:db8:1::a1 --coa $C --seq 500 --count 2 --json --pcap "$tmp/bu.pcap" "$T" >"$tmp/o" 2>&1
r=$?
[ "$r" = 0 ] && [ "$(grep -c '"class":"ba-accepted".*"seq":50[01],.*"auth":"verified"' "$tmp/o")" = 2 ] &&
	grep -q '"seq":501,' "$tmp/o"
ok $? "two probes: HoT, CoT, BU, BA 0 each, seq 500 then 501, the BA's authenticator verified" || diag <"$tmp/o"
hi=$(sed -n '1s/.*"home_index":\([0-9]*\).*/\1/p' "$tmp/o")
ci=$(sed -n '1s/.*"careof_index":\([0-9]*\).*/\1/p' "$tmp/o")
got=$(tshark -r "$tmp/bu.pcap" -Y 'mip6.bu.seqnr == 500' -T fields -E occurrence=f -e mip6.ni.hni -e mip6.ni.cni -e mip6.bad.auth 2>/dev/null | head -n 1)
# shellcheck disable=SC2086 # the three fields, split
set -- $got
[ -n "$hi" ] && [ "${1:-}" = "$hi" ] && [ "${2:-}" = "$ci" ] && [ "${#3}" -ge 24 ]
ok $? "tshark: the BU carries the nonce indices of the HoT and CoT ($hi/$ci) and a 96-bit authenticator" ||
	echo "tshark: $got" | diag
st=$(tshark -r "$tmp/bu.pcap" -Y 'mip6.ba.seqnr == 500' -T fields -e mip6.ba.status 2>/dev/null)
is "$st" 0 "tshark: the BA to seq 500 has status 0"

X rr --bu --hoa 2001:db8:1::a2 --coa $C --bad-auth --timeout 0.5 "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'authenticator spoilt -> no answer' "$tmp/o"
want "$r.$?" "3.0" "a spoilt authenticator: no BA, exit 3 under the default expectation" "$tmp/o"
X rr --bu --hoa 2001:db8:1::a2 --coa $C --home-token 0011223344556677 --home-index 1 \
	--careof-token 8899aabbccddeeff --careof-index 1 --timeout 0.5 "$T" --json >"$tmp/o" 2>&1
r=$?
! grep -q '"class":"ba-accepted"' "$tmp/o" && { [ $r = 1 ] || [ $r = 3 ]; }
ok $? "made-up tokens and indices: no BA 0 (138 if index 1 is none of the last nonces, else silence)" || diag <"$tmp/o"
X rr --bu --hoa 2001:db8:9::1 --coa $C --timeout 0.5 --expect none "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'stopped at exchange 1 of 3: no HoT to our HoTI' "$tmp/o"
want "$r.$?" "3.0" "no HoT (the home address not routed back): the probe stops there, never a pass" "$tmp/o"

X rr --hoa 2001:db8:1::a3 --json "$T" >"$tmp/o" 2>&1
tok=$(sed -n 's/.*"token":"\([0-9a-f]*\)".*/\1/p' "$tmp/o")
idx=$(sed -n 's/.*"nonce_index":\([0-9]*\).*/\1/p' "$tmp/o")
X rr --bu --hoa 2001:db8:1::a3 --coa $C --seq 700 --home-token "$tok" --home-index "$idx" "$T" >"$tmp/o2" 2>&1
r=$?
grep -q "nonce indices $idx/" "$tmp/o2" && ! grep -q 'HoTI' "$tmp/o2"
cat "$tmp/o" >>"$tmp/o2"
want "$r.$?" "0.0" "a HoT's token and index from rr --json, given back: no HoTI, BA 0" "$tmp/o2"
X rr --bu --hoa 2001:db8:1::a3 --coa $C --seq 701 --lifetime 0 "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'Kbm from the home token -> BA status 0 .*authenticator verified' "$tmp/o" && ! grep -q CoTI "$tmp/o"
want "$r.$?" "0.0" "deregistration: HoTI only, Kbm from the home token, BA 0 verified" "$tmp/o"
X echo -s $C --hao 2001:db8:1::a3 --expect be --expect-status 1 "$T" >"$tmp/o" 2>&1
want $? 0 "then an echo with its HAO: BE status 1 (the binding is gone)" "$tmp/o"
