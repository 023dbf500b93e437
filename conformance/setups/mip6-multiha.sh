#!/bin/sh
# setups/mip6-multiha.sh up IMPL PROFILE | down IMPL
# Two home agents and a mobile node (IMPL: mobd) for the suite mip6-multiha,
# on fixtures/topologies/mip6-multiha-probe: mobd as home agent on HA1
# (2001:db8:1::2) and HA2 (::3), each naming the other (home-agent), peers
# probed every 200 ms, 3 misses make one dead; mobd as mobile node on MN
# with home-agents 2, moved to f1, registered with both (HA1 in use).  P,
# the prober, is the router between the home link's router R0 (link a1,
# where its care-of addresses 2001:db8:a1::c1..c9 are) and f1, the mobile
# node's foreign link, so it sees every packet the mobile node sends.
# `mobbed fail HA1` cuts HA1 off (the profile's FAIL_HA1), `mobbed restore
# HA1` brings it back (RESTORE_HA1, which returns once HA2 reaches HA1
# again): mobd there keeps running.
set -eu
st=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME
. "$(dirname "$0")/common.sh"
KEY=00112233445566778899aabbccddeeff
HA1=2001:db8:1::2
HA2=2001:db8:1::3
INTERVAL=200
MISSES=3

start_mobd() { # NODE CONF
	# ip netns exec execs mobd: $! is mobd itself, stopped by that PID
	ip netns exec "$MOBBED_NAME-$1" "$mobd" -d -c "$2" >"$st/mobd-$1.log" 2>&1 &
	echo $! >"$st/mobd-$1.pid"
}
up_ok() { # NODE: its control socket answers
	"$mobctl" -S "$st/$1.sock" status >/dev/null 2>&1
}
mn_bound() { # both home agents bound, HA1 in use
	"$mobctl" -S "$st/MN.sock" --json bul 2>/dev/null | jq -e --arg a "$HA1" --arg b "$HA2" \
		'.[0].ha == $a and .[0].state == "bound" and any(.[]; .kind == "home-agent" and .ha == $b and .state == "bound")' \
		>/dev/null 2>&1
}
mn_home() { "$mobctl" -S "$st/MN.sock" --json bul 2>/dev/null | jq -e '.[0].state == "home"' >/dev/null 2>&1; }

case $1 in
up)
	[ "$2" = mobd ] || { echo "mip6-multiha: no implementation '$2' (mobd)" >&2; exit 2; }
	mobd=$(pwd)/bin/mobd
	mobctl=$(pwd)/bin/mobctl
	[ -x "$mobd" ] || { echo "mip6-multiha: no $mobd: run make first" >&2; exit 2; }
	command -v jq >/dev/null || { echo "mip6-multiha: needs jq" >&2; exit 2; }
	"$MOBBED" up mip6-multiha-probe
	for n in P R0 HA1 HA2 MN; do "$MOBBED" exec $n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	for i in 1 2 3 4 5 6 7 8 9; do
		"$MOBBED" exec P ip -6 addr add "2001:db8:a1::c$i/64" dev eth0 nodad
	done
	for h in 1 2; do
		[ $h = 1 ] && peer=$HA2 || peer=$HA1
		cat >"$st/HA$h.conf" <<CONF
role home-agent
interface eth0
home-prefix 2001:db8:1::/64
control $st/HA$h.sock
mn-key * 4096 $KEY
ha-probe-interval $INTERVAL
ha-probe-misses $MISSES
home-agent $peer
CONF
		start_mobd HA$h "$st/HA$h.conf"
	done
	cat >"$st/MN.conf" <<CONF
role mobile-node
interface eth0
home-prefix 2001:db8:1::/64
ha $HA1
control $st/MN.sock
lifetime 600
key 4096 $KEY
home-agents 2
CONF
	start_mobd MN "$st/MN.conf"
	wait_for 50 "the home agents did not come up" sh -c "\"$mobctl\" -S \"$st/HA1.sock\" status && \"$mobctl\" -S \"$st/HA2.sock\" status" >/dev/null 2>&1
	wait_for 50 "the mobile node did not start at home" mn_home
	"$MOBBED" move MN f1
	wait_for 100 "the mobile node did not register with HA1 and HA2 from f1" mn_bound
	# RESTORE_HA1 returns once HA2 reaches HA1 again (its link back up)
	cat >"$st/restore-ha1" <<EOS
"$MOBBED" restore HA1 || exit 1
i=0
until "$MOBBED" exec HA2 "$(pwd)/bin/mobprobe" echo $HA1 --timeout 0.2 >/dev/null 2>&1; do
	i=\$((i + 1))
	[ \$i -lt 50 ] || { echo "HA1 not reachable from HA2 after restore" >&2; exit 1; }
done
EOS
	hoa=$("$mobctl" -S "$st/MN.sock" --json bul | jq -r '.[0].hoa')
	coa=$("$mobctl" -S "$st/MN.sock" --json bul | jq -r '.[0].coa')
	cat >"$3" <<PROF
# mobd $(git describe --always --dirty 2>/dev/null || echo '?') as home agents HA1, HA2 and mobile node MN ($MOBBED_NAME)
IMPL=mobd
IMPL_VERSION="mobkit mobd $(git describe --always --dirty 2>/dev/null || echo '?')"
RUN_IN="$MOBBED exec P"
HA1=$HA1
HA2=$HA2
HOME_PREFIX=2001:db8:1::
COA_PREFIX=2001:db8:a1::
MH_SPI=4096
MH_KEY=$KEY
HA_PROBE_INTERVAL=$INTERVAL
HA_PROBE_MISSES=$MISSES
FAIL_HA1="$MOBBED fail HA1"
RESTORE_HA1="sh $st/restore-ha1"
MN_HOA=$hoa
MN_COA=$coa
MN_CTL="$mobctl -S $st/MN.sock --json"
CLAIMS="mha mn-mha"
PROF
	;;
down)
	for n in MN HA1 HA2; do stop_pid "$st/mobd-$n.pid" "$st/mobd-$n.log" "mobd $n"; done
	"$MOBBED" down
	;;
*) echo "usage: mip6-multiha.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
