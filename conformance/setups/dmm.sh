#!/bin/sh
# setups/dmm.sh up IMPL PROFILE | down IMPL
# Distributed mobility (issue 17, the draft of seeds/004) for the suite
# dmm.  IMPL mobkit: the node's side as mobkit builds it (mobd's
# dns-updater with dns-record addrs; mkrv serve) against the servers the
# testbed runs (BIND on NS, Kamailio and coturn on RS), on
# fixtures/topologies/dmm with MULTIHOMED=yes: MN on MR1's link (eth0, IP1)
# and on MR2's (eth1, IP2) at once, each address answering from its own
# router.  Kept up for the whole suite:
#   - on MN: mobd (role dns-updater: AAAA of mn.example. = every usable
#     address of eth0 and eth1, SRV _mkrv._tcp -> port 7000, TSIG), mkrv
#     serve (IP1 and IP2 registered as mn's contacts, UDP echo on 7007, a
#     TURN relay on RS) and a TCP service on 7000 (a greeting, then echo);
#   - a TSIG key with the right name and a wrong secret (BAD_TSIG_KEY) and
#     one with a name NS does not know (UNKNOWN_TSIG_KEY), for the refusals.
# The prober is CN2 (mobprobe, dig, raw datagrams); CN3 is the new
# correspondent of the path cases (mksel, mkrv call).  DDNS_MISSING,
# SERVE_MISSING, CALL_MISSING say which piece this checkout lacks (its cases
# then SKIP, saying so).
set -eu
st=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME
. "$(dirname "$0")/common.sh"
NS=2001:db8:3::53
RS=2001:db8:3::5
NAME=mn.example.

start_bg() { # NAME NODE CMD...: CMD in NODE's namespace, its PID in $st/NAME.pid
	_name=$1 _node=$2
	shift 2
	ip netns exec "$MOBBED_NAME-$_node" "$@" >"$st/$_name.log" 2>&1 &
	echo $! >"$st/$_name.pid"
}
aaaa_is() { # ADDR...: NS's AAAA rrset of NAME is exactly these
	[ "$(ip netns exec "$MOBBED_NAME-CN2" dig +short +norec @"$NS" "$NAME" AAAA | sort | tr '\n' ' ')" = \
		"$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]
}
contacts_are() { # ADDR...: the registrar's contacts of mn are exactly these
	[ "$(ip netns exec "$MOBBED_NAME-CN2" "$(pwd)/bin/mkrv" query mn -s "$RS" 2>/dev/null | awk '$1 == "contact" { print $2 }' | sort | tr '\n' ' ')" = \
		"$(printf '%s\n' "$@" | sort | tr '\n' ' ')" ]
}

case $1 in
up)
	[ "$2" = mobkit ] || { echo "dmm: no implementation '$2' (mobkit)" >&2; exit 2; }
	mobd=$(pwd)/bin/mobd mkrv=$(pwd)/bin/mkrv
	for p in "$mobd" "$mkrv" "$(pwd)/bin/mobctl"; do
		[ -x "$p" ] || { echo "dmm: no $p: run make first" >&2; exit 2; }
	done
	for c in jq tcpdump tshark socat dig; do
		command -v $c >/dev/null || { echo "dmm: needs $c" >&2; exit 2; }
	done
	_ver=$(git describe --always --dirty 2>/dev/null || echo '?')
	"$MOBBED" up dmm MULTIHOMED=yes
	for n in MN CN1 CN2 CN3 RS NS; do "$MOBBED" exec $n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	ip1=$("$MOBBED" exec MN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	ip2=$("$MOBBED" exec MN ip -6 -o addr show dev eth1 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	"$MOBBED" exec MN sh -c 'ip -6 rule add from 2001:db8:41::/64 table 41 && ip -6 route add default via 2001:db8:41::1 dev eth0 table 41 &&
		ip -6 rule add from 2001:db8:42::/64 table 42 && ip -6 route add default via 2001:db8:42::1 dev eth1 table 42'
	pw=$(awk '$1 == "mn" { print $2 }' "$st/srv-RS/users")
	sed 's/secret "[^"]*"/secret "d3Jvbmcgd3Jvbmcgd3Jvbmcgd3Jvbmcgd3Jvbmc="/' "$st/tsig.key" >"$st/bad-tsig.key"
	sed 's/key "[^"]*"/key "nobody-key"/' "$st/tsig.key" >"$st/unknown-tsig.key"
	cat >"$3" <<PROF
# mobkit $_ver: mobd dns-updater (dns-record addrs) and mkrv serve on MN, against BIND on NS and Kamailio + coturn on RS; namespaces $MOBBED_NAME-*
IMPL=mobkit
IMPL_VERSION="mobkit $_ver; $(named -v 2>/dev/null); $(kamailio -v 2>/dev/null | head -n 1)"
RUN_IN="$MOBBED exec CN2"
CN2_RUN="$MOBBED exec CN2"
CN_RUN="$MOBBED exec CN3"
RS_RUN="$MOBBED exec RS"
NS_RUN="$MOBBED exec NS"
MN_RUN="$MOBBED exec MN"
SERVER=$NS
NS=$NS
RS=$RS
ZONE=example.
NAME=$NAME
ID=mn
PW=$pw
IP1=$ip1
IP2=$ip2
CN2_ADDR=2001:db8:3::102
CN_ADDR=2001:db8:3::103
PORT=7000
DPORT=7007
TSIG_KEY=$st/tsig.key
BAD_TSIG_KEY=$st/bad-tsig.key
UNKNOWN_TSIG_KEY=$st/unknown-tsig.key
MN_CTL="$(pwd)/bin/mobctl -S $st/du.sock"
SERVE_HUP="kill -HUP \$(cat $st/serve.pid)"
SERVE_ADDRS=$st/addrs
MKRV=$mkrv
MKSEL=$(pwd)/bin/mksel
CLAIMS="ddns sip"
PROF
	start_bg echo MN socat "TCP6-LISTEN:7000,fork,reuseaddr" SYSTEM:"echo mn; cat"
	# solution 1: mobd's dns-updater publishing every address
	printf 'role dns-updater\ninterface eth0\ncontrol %s\ndns-record addrs\ndns-interface eth0 eth1\ndns-server %s\ndns-zone example.\ndns-name %s\ndns-tsig-key %s\ndns-ttl 0\ndns-srv _mkrv._tcp 7000\n' \
		"$st/du.sock" "$NS" "$NAME" "$st/tsig.key" >"$st/du.conf"
	if ! "$mobd" -n -c "$st/du.conf" >"$st/du-check.log" 2>&1; then
		echo "DDNS_MISSING=\"this mobd has no dns-record addrs (branch dmmddns): $(head -n 1 "$st/du-check.log" | tr -d '"')\"" >>"$3"
	elif [ ! -x "$(pwd)/bin/mksel" ]; then
		echo 'DDNS_MISSING="no bin/mksel (branch dmmddns)"' >>"$3"
	else
		start_bg mobd-MN MN "$mobd" -d -c "$st/du.conf"
		wait_for 100 "IP1 and IP2 not both in NS's AAAA rrset of $NAME" aaaa_is "$ip1" "$ip2"
	fi
	# solution 2: mkrv serve registering both
	if "$mkrv" 2>&1 | grep -q 'mkrv serve'; then
		printf '%s\n%s\n' "$ip1" "$ip2" >"$st/addrs"
		start_bg serve MN "$mkrv" serve -s "$RS" -u mn -p "$pw" -r "$RS" -f "$st/addrs"
		wait_for 100 "IP1 and IP2 not both registered at RS" contacts_are "$ip1" "$ip2"
		wait_for 50 "mkrv serve has no TURN relay" grep -q '^turn relay=' "$st/serve.log"
		echo "SERVE_OUT=$st/serve.log" >>"$3"
	else
		echo 'SERVE_MISSING="mkrv has no serve (branch dmmrv)"' >>"$3"
	fi
	"$mkrv" 2>&1 | grep -q 'mkrv call' || echo 'CALL_MISSING="mkrv has no call (branch dmmrv)"' >>"$3"
	;;
down)
	for p in serve mobd-MN echo; do
		stop_pid "$st/$p.pid" "$st/$p.log" "$p"
	done
	"$MOBBED" down
	;;
*) echo "usage: dmm.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
