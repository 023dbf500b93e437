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

# wait_for TENTHS WHAT CMD...: poll CMD every 0.1 s; after TENTHS tries say
# WHAT (after the setup's name), show the end of each $st/mobd-*.log and
# exit 1
wait_for() {
	_n=$1 _what=$2
	shift 2
	until "$@"; do
		_n=$((_n - 1))
		if [ $_n -le 0 ]; then
			echo "$(basename "$0" .sh): $_what" >&2
			for l in "$st"/mobd-*.log; do tail -n 5 "$l" >&2; done
			exit 1
		fi
		sleep 0.1
	done
}
