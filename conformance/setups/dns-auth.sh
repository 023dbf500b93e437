#!/bin/sh
# setups/dns-auth.sh up IMPL PROFILE | down IMPL
# An authoritative server (IMPL: bind, knot or pdns) for example. on the
# dns-convergence topology, dynamic update allowed for mobbed's TSIG key;
# the prober is the mobile node MN, two routers away.
set -eu
. "$(dirname "$0")/common.sh"
case $1 in
up)
	ver=$(ns_version "$2" dns-auth)
	"$MOBBED" up dns-convergence DNS="$2" RESOLVERS=unbound CLIENTS=0 DELAY=0
	cat >"$3" <<EOF
IMPL=$2
IMPL_VERSION="$ver"
RUN_IN="$MOBBED exec MN"
SERVER=2001:db8:3::53
ZONE=example.
TSIG_KEY=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME/tsig.key
CLAIMS="tsig update"
EOF
	;;
down) "$MOBBED" down ;;
*) echo "usage: dns-auth.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
