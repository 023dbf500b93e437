#!/bin/sh
# setups/mip6-cn.sh up IMPL PROFILE | down IMPL
# A correspondent node (IMPL: mobd, role correspondent) on the `pair`
# topology: T is the correspondent, P the prober.  As TAHI's tester does,
# P plays the mobile node AND its home agent: T routes the home prefix
# 2001:db8:1::/64 and the care-of prefix 2001:db8:7::/64 to P, so the HoT
# (sent to the home address) and everything sent to the care-of address
# come back on P's link, where mobprobe captures them; P's kernel owns
# neither address and drops them without a word (blackhole routes).  Nonces every second,
# accepted for 2 s, so that the expiry case runs in seconds.
set -eu
st=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME
. "$(dirname "$0")/common.sh"
case $1 in
up)
	[ "$2" = mobd ] || { echo "mip6-cn: no implementation '$2' (mobd)" >&2; exit 2; }
	mobd=$(pwd)/bin/mobd
	mobctl=$(pwd)/bin/mobctl
	[ -x "$mobd" ] || { echo "mip6-cn: no $mobd: run make first" >&2; exit 2; }
	"$MOBBED" up pair
	for n in P T; do "$MOBBED" exec $n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	"$MOBBED" exec T ip -6 route add 2001:db8:1::/64 via 2001:db8:5::1
	"$MOBBED" exec T ip -6 route add 2001:db8:7::/64 via 2001:db8:5::1
	# P's kernel drops what comes to them without a word (not even
	# Destination Unreachable, which the target would take as about its
	# bindings, RFC 6275 9.3.4)
	"$MOBBED" exec P ip -6 route add blackhole 2001:db8:1::/64
	"$MOBBED" exec P ip -6 route add blackhole 2001:db8:7::/64
	cat >"$st/cn.conf" <<CONF
role correspondent
interface eth0
control $st/cn.sock
nonce-lifetime 2
nonce-interval 1
cn-refresh-request 0
error-burst 100
CONF
	# ip netns exec execs mobd: $! is mobd itself, stopped by that PID
	ip netns exec "$MOBBED_NAME-T" "$mobd" -d -c "$st/cn.conf" >"$st/mobd.log" 2>&1 &
	echo $! >"$st/mobd.pid"
	i=0
	until "$mobctl" -S "$st/cn.sock" status >/dev/null 2>&1; do
		i=$((i + 1))
		if [ $i -gt 50 ] || ! kill -0 "$(cat "$st/mobd.pid")" 2>/dev/null; then
			echo "mip6-cn: mobd did not come up:" >&2
			tail -n 5 "$st/mobd.log" >&2
			exit 1
		fi
		sleep 0.1
	done
	cat >"$3" <<PROF
# mobd $(git describe --always --dirty 2>/dev/null || echo '?') as correspondent in namespace $MOBBED_NAME-T
IMPL=mobd
IMPL_VERSION="mobkit mobd $(git describe --always --dirty 2>/dev/null || echo '?')"
RUN_IN="$MOBBED exec P"
SRC=2001:db8:5::1
CN=2001:db8:5::2
TARGET=2001:db8:5::2
HOME_PREFIX=2001:db8:1::
COA=2001:db8:7::100
NONCE_LIFETIME=2
CLAIMS="rr ro"
PROF
	;;
down)
	stop_pid "$st/mobd.pid" "$st/mobd.log" mobd
	"$MOBBED" down
	;;
*) echo "usage: mip6-cn.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
