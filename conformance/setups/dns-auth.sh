#!/bin/sh
# setups/dns-auth.sh up IMPL PROFILE | down IMPL
# An authoritative server (IMPL: bind, knot or pdns) for example. on the
# dns-convergence topology, dynamic update allowed for mobbed's TSIG key;
# the prober is the mobile node MN, two routers away.
set -eu
case $1 in
up)
	case $2 in
	bind) ver=$(named -v) ;;
	knot) ver=$(knotd -V | head -n 1) ;;
	pdns) ver="PowerDNS $(pdns_server --version 2>&1 | sed -n 's/.*PowerDNS Authoritative Server \([^ ]*\).*/\1/p' | head -n 1)" ;;
	*) echo "dns-auth: no implementation '$2' (bind, knot, pdns)" >&2; exit 2 ;;
	esac
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
