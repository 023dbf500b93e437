#!/bin/sh
# setups/dns-resolver.sh up IMPL PROFILE | down IMPL
# One resolver (IMPL: unbound, bind, pdns-recursor, kresd, dnsmasq) in front
# of BIND 9 authoritative for example. on the dns-convergence topology.
# Updates go from the mobile node MN to the server; questions from the
# client node behind the resolver.
set -eu
case $1 in
up)
	case $2 in
	unbound) n=U ver=$(unbound -V | head -n 1) ;;
	bind) n=B ver=$(named -v) ;;
	pdns-recursor) n=P ver=$(pdns_recursor --version 2>&1 | grep -o 'PowerDNS Recursor [^ ]*' | head -n 1) ;;
	kresd) n=K ver=$(kresd --version | head -n 1) ;;
	dnsmasq) n=D ver=$(dnsmasq --version | head -n 1) ;;
	*) echo "dns-resolver: no implementation '$2'" >&2; exit 2 ;;
	esac
	"$MOBBED" up dns-convergence DNS=bind RESOLVERS="$2" CLIENTS=1 DELAY=0
	cat >"$3" <<EOF
IMPL=$2
IMPL_VERSION="$ver"
RUN_IN="$MOBBED exec MN"
CLIENT_RUN="$MOBBED exec CL${n}1"
SERVER=2001:db8:3::53
RESOLVER=2001:db8:3::31
ZONE=example.
TSIG_KEY=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME/tsig.key
CLAIMS=""
EOF
	;;
down) "$MOBBED" down ;;
*) echo "usage: dns-resolver.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
