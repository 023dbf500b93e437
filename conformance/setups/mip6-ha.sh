#!/bin/sh
# setups/mip6-ha.sh up IMPL PROFILE | down IMPL
# A home agent (IMPL: mobd, role home-agent) on the `mip6-ha` topology: T
# is the home agent on the home link 2001:db8:1::/64, P the prober on the
# same link.  P plays the mobile node away from home: T routes the care-of
# prefix 2001:db8:7::/64 to P, so that the BAs and the tunnelled packets
# sent to a care-of address come back on P's link, where mobprobe captures
# them; P's kernel owns no care-of address and drops what comes to one
# without a word (a blackhole route).  P's own address on the home link
# (2001:db8:1::1) is the correspondent of the tunnelling cases.  mobd
# requires RFC 4285 MN-HA authentication with one key for every home
# address (mn-key *), which the profile hands to the prober; bindings are
# cut to MAX_LIFETIME seconds.
set -eu
st=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME
. "$(dirname "$0")/mobd-lib.sh"
KEY=6d6970362d68612d7375697465206b6579   # "mip6-ha-suite key"
SPI=4096
MAXLIFE=200
case $1 in
up)
	mobd_check "$2" mip6-ha
	"$MOBBED" up mip6-ha
	for n in P T; do "$MOBBED" exec $n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	"$MOBBED" exec T ip -6 route add 2001:db8:7::/64 via 2001:db8:1::1
	"$MOBBED" exec P ip -6 route add blackhole 2001:db8:7::/64
	cat >"$st/ha.conf" <<CONF
role home-agent
interface eth0
home-prefix 2001:db8:1::/64
control $st/ha.sock
max-lifetime $MAXLIFE
mn-key * $SPI $KEY
error-burst 100
CONF
	mobd_up mip6-ha T "$st/ha.conf" "$st/ha.sock"
	lladdr=$("$MOBBED" exec T cat /sys/class/net/eth0/address)
	mobd_profile "home agent" >"$3"
	cat >>"$3" <<PROF
SRC=2001:db8:1::1
TARGET=2001:db8:1::2
HA=2001:db8:1::2
HA_LLADDR=$lladdr
HOME_PREFIX=2001:db8:1::
PROBER_HOME=2001:db8:1::1
PROBER_IFACE=eth0
COA=2001:db8:7::100
COA2=2001:db8:7::200
MN_SPI=$SPI
MN_KEY=$KEY
MAX_LIFETIME=$MAXLIFE
CLAIMS="rfc4285 dhaad"
PROF
	;;
down)
	mobd_down
	"$MOBBED" down
	;;
*) echo "usage: mip6-ha.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
