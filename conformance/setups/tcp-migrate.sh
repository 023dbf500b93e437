#!/bin/sh
# setups/tcp-migrate.sh up IMPL PROFILE | down IMPL
# The TCP Migrate shim (IMPL: mobd, role migrate) for the suite tcp-migrate,
# on fixtures/topologies/tcp-migrate-ha (its home agent unused): mobd's
# migrate role on FH (the fixed host, the target) and on MH (a mobile host
# whose connections the cases move), MH moved to l1; A, the prober, is on
# FH's link and has no shim, so its own connections to FH do not negotiate.
# Kept up for the whole suite:
#   - on FH, listeners: 8080 (for A's probes, mkbench hold), 7001 (HELD)
#     and the streams' ports, which each case starts itself (mkstream);
#   - one idle connection MH -> FH:7001, negotiated (secure: the default
#     migrate-curve, sect193r1):
#     the connection whose token the refusal cases use;
#   - one idle connection A -> FH:7002, not negotiated (A has no shim).
# The profile gives the cases what they call: FH_CTL and MH_CTL (mobctl
# --json on each shim's socket), FH_RUN and MH_RUN (run a command on that
# node), MOVE_MH (mobbed move MH), the tools' paths, and MIG_MISSING when
# this mobd has no role migrate (every case then SKIPs, saying so).
set -eu
st=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME
. "$(dirname "$0")/common.sh"
FH=2001:db8:3::5
A=2001:db8:3::66

start_bg() { # NAME NODE CMD...: CMD in NODE's namespace, its PID in $st/NAME.pid
	_name=$1 _node=$2
	shift 2
	ip netns exec "$MOBBED_NAME-$_node" "$@" >"$st/$_name.log" 2>&1 &
	echo $! >"$st/$_name.pid"
}
held_negotiated() {
	"$(pwd)/bin/mobctl" -S "$st/fh.sock" --json migrate 2>/dev/null |
		jq -e '[.[] | select(.lport == 7001 and .negotiated and .state == "established")] | length == 1' >/dev/null 2>&1
}
held_plain() {
	"$(pwd)/bin/mobctl" -S "$st/fh.sock" --json migrate 2>/dev/null |
		jq -e '[.[] | select(.lport == 7002 and (.negotiated | not))] | length == 1' >/dev/null 2>&1
}

case $1 in
up)
	[ "$2" = mobd ] || { echo "tcp-migrate: no implementation '$2' (mobd)" >&2; exit 2; }
	mobd=$(pwd)/bin/mobd
	[ -x "$mobd" ] || { echo "tcp-migrate: no $mobd: run make first" >&2; exit 2; }
	command -v jq >/dev/null || { echo "tcp-migrate: needs jq" >&2; exit 2; }
	command -v tcpdump >/dev/null || { echo "tcp-migrate: needs tcpdump" >&2; exit 2; }
	_ver=$(git describe --always --dirty 2>/dev/null || echo '?')
	cat >"$3" <<PROF
# mobd $_ver as migrate (the TCP Migrate shim) on FH and MH, namespaces $MOBBED_NAME-FH, -MH
IMPL=mobd
IMPL_VERSION="mobkit mobd $_ver"
RUN_IN="$MOBBED exec A"
SRC=$A
TARGET=$FH
FH=$FH
TCP_OPEN=8080
HELD_PORT=7001
PLAIN_PORT=7002
FH_CTL="$(pwd)/bin/mobctl -S $st/fh.sock --json"
MH_CTL="$(pwd)/bin/mobctl -S $st/mh.sock --json"
FH_RUN="$MOBBED exec FH"
MH_RUN="$MOBBED exec MH"
FH_NS=$MOBBED_NAME-FH
MH_NS=$MOBBED_NAME-MH
MOVE_MH="$MOBBED move MH"
MOBCAP=$(pwd)/bin/mobcap
MKSTREAM=$(pwd)/bin/mkstream
CLAIMS="migrate"
PROF
	_c=$(mktemp /tmp/mk-migconf.XXXXXX)
	printf 'role migrate\ninterface eth0\ncontrol /nonexistent/probe.sock\n' >"$_c"
	_known=yes
	"$mobd" -n -c "$_c" >/dev/null 2>&1 || _known=no
	rm -f "$_c"
	if [ $_known = no ]; then
		echo 'MIG_MISSING="this mobd has no role migrate (the shim of branch migshim)"' >>"$3"
		"$MOBBED" up pair # something for down to take down
		exit 0
	fi
	"$MOBBED" up tcp-migrate-ha CORE_RTT=10
	for n in MH FH A; do "$MOBBED" exec $n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	for h in fh mh; do
		printf 'role migrate\ninterface eth0\ncontrol %s\nmigrate-wait 3000\n' \
			"$st/$h.sock" >"$st/$h.conf"
	done
	# ip netns exec execs mobd: the PID is mobd's
	start_bg mobd-FH FH "$mobd" -d -c "$st/fh.conf"
	start_bg mobd-MH MH "$mobd" -d -c "$st/mh.conf"
	wait_for 50 "the shims did not come up" sh -c "'$(pwd)/bin/mobctl' -S '$st/fh.sock' status >/dev/null 2>&1 && '$(pwd)/bin/mobctl' -S '$st/mh.sock' status >/dev/null 2>&1"
	"$MOBBED" move MH l1 >/dev/null
	start_bg hold-8080 FH "$(pwd)/bin/mkbench" hold listen 8080 10000 86400
	start_bg hold-7001 FH "$(pwd)/bin/mkbench" hold listen 7001 1 86400
	start_bg hold-7002 FH "$(pwd)/bin/mkbench" hold listen 7002 1 86400
	sleep 0.3
	start_bg conn-7001 MH "$(pwd)/bin/mkbench" hold connect "$FH" 7001 1 86400
	start_bg conn-7002 A "$(pwd)/bin/mkbench" hold connect "$FH" 7002 1 86400
	wait_for 50 "the held connection MH -> FH:7001 did not negotiate" held_negotiated
	wait_for 50 "the connection A -> FH:7002 is not listed, not negotiated" held_plain
	;;
down)
	for p in conn-7002 conn-7001 hold-7002 hold-7001 hold-8080 mobd-MH mobd-FH; do
		stop_pid "$st/$p.pid" "$st/$p.log" "$p"
	done
	"$MOBBED" down
	;;
*) echo "usage: tcp-migrate.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
