# setups/common.sh: what the setups share (sourced; not a setup itself).

# stop_pid PIDFILE LOG LABEL: stop the process whose PID the file holds
# (SIGTERM, 5 s, then SIGKILL), remove the file, show the end of its log.
stop_pid() {
	[ -f "$1" ] || return 0
	_pid=$(cat "$1")
	kill "$_pid" 2>/dev/null || true
	_i=0
	while kill -0 "$_pid" 2>/dev/null && [ $_i -lt 50 ]; do
		_i=$((_i + 1))
		sleep 0.1
	done
	kill -9 "$_pid" 2>/dev/null || true
	rm -f "$1"
	sed "s/^/$3: /" "$2" 2>/dev/null | tail -n 40 || true
}

# ns_version IMPL LABEL: the version line of the authoritative server IMPL
# (bind, knot, pdns); another IMPL: a message naming it (LABEL: the setup),
# exit 2.
ns_version() {
	case $1 in
	bind) named -v ;;
	knot) knotd -V | head -n 1 ;;
	pdns) echo "PowerDNS $(pdns_server --version 2>&1 | sed -n 's/.*PowerDNS Authoritative Server \([^ ]*\).*/\1/p' | head -n 1)" ;;
	*) echo "$2: no implementation '$1' (bind, knot, pdns)" >&2; exit 2 ;;
	esac
}
