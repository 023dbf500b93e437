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
. "$(dirname "$0")/mobd-lib.sh"
case $1 in
up)
	mobd_check "$2" mip6-cn
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
	mobd_up mip6-cn T "$st/cn.conf" "$st/cn.sock"
	mobd_profile correspondent >"$3"
	cat >>"$3" <<PROF
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
	mobd_down
	"$MOBBED" down
	;;
*) echo "usage: mip6-cn.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
