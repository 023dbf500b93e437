# tools/bench-ns.sh: what the root benches of mobd (bench-mobd.sh,
# bench-cn.sh) share; source it after `set -eu`.
#   tmp                   a scratch directory
#   ns_make PREFIX NAME.. namespaces PREFIXNAME: lo up, no DAD, no RA,
#                         ICMPv6 errors not rate limited
#   dpid=$!               the daemon being measured; daemon_stop ends it
# The trap ends the daemon and removes the namespaces and $tmp on any exit.
made="" dpid=""
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
