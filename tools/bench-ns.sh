# tools/bench-ns.sh: what the root benches of mobd (bench-mobd.sh,
# bench-cn.sh) share; source it after `set -eu`.
#   tmp                   a scratch directory
#   ns_make PREFIX NAME.. namespaces PREFIXNAME: lo up, no DAD, no RA,
#                         ICMPv6 errors not rate limited
#   daemon_start NS NAME  mobd with $tmp/NAME.conf in NS (dpid: its PID)
#   daemon_stop           ends it
#   daemon_pin            a command prefix for mobd (e.g. "taskset -c 1"),
#                         empty by default
# The trap ends the daemon and removes the namespaces and $tmp on any exit.
made="" dpid="" daemon_pin=""
tmp=$(mktemp -d /tmp/mk-bench-ns.XXXXXX)
daemon_stop() {
	if [ -n "$dpid" ]; then
		kill "$dpid" 2>/dev/null || true
		wait "$dpid" 2>/dev/null || true
		dpid=""
	fi
}
bench_cleanup() {
	daemon_stop
	for n in $made; do ip netns del "$n" 2>/dev/null || true; done
	rm -rf "$tmp"
}
trap bench_cleanup EXIT
trap 'exit 130' INT TERM HUP
ns_make() { # PREFIX NAME...
	_pre=$1
	shift
	for n; do
		ip netns add "$_pre$n"
		made="$made $_pre$n"
		ip -n "$_pre$n" link set lo up
		ip netns exec "$_pre$n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 net.ipv6.icmp.ratelimit=0
	done
}
daemon_start() { # NS NAME: bin/mobd -c $tmp/NAME.conf in NS, its log $tmp/NAME.log, its
	# PID in dpid; waits until it answers on $tmp/NAME.sock
	ip netns exec "$1" $daemon_pin bin/mobd -d -c "$tmp/$2.conf" >"$tmp/$2.log" 2>&1 &
	dpid=$!
	_i=0
	until [ -S "$tmp/$2.sock" ] && bin/mobctl -S "$tmp/$2.sock" status >/dev/null 2>&1; do
		_i=$((_i + 1))
		[ $_i -lt 100 ] || { echo "bench: mobd did not start: $(tail -n 2 "$tmp/$2.log")" >&2; exit 1; }
		sleep 0.05
	done
}
