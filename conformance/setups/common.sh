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
