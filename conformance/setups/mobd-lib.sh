# conformance/setups/mobd-lib.sh: starting and stopping mobd for a setup
# (sourced by setups/mip6-cn.sh and setups/mip6-ha.sh; not a setup itself).
# Needs st (the testbed's state folder), MOBBED_NAME, and the current
# folder at the top of the tree.
. "$(dirname "$0")/common.sh"

# mobd_up LABEL NODE CONF SOCK: mobd -d -c CONF in NODE's namespace, its
# PID in $st/mobd.pid and its log in $st/mobd.log; waits (5 s at most)
# until its control socket SOCK answers.  Exit 1 if it does not come up.
mobd_up() {
	# ip netns exec execs mobd: $! is mobd itself, stopped by that PID
	ip netns exec "$MOBBED_NAME-$2" "$(pwd)/bin/mobd" -d -c "$3" >"$st/mobd.log" 2>&1 &
	echo $! >"$st/mobd.pid"
	_i=0
	until "$(pwd)/bin/mobctl" -S "$4" status >/dev/null 2>&1; do
		_i=$((_i + 1))
		if [ $_i -gt 50 ] || ! kill -0 "$(cat "$st/mobd.pid")" 2>/dev/null; then
			echo "$1: mobd did not come up:" >&2
			tail -n 5 "$st/mobd.log" >&2
			exit 1
		fi
		sleep 0.1
	done
}

# mobd_down: stop the mobd mobd_up started (TERM, then KILL after 5 s),
# by its PID, and show the end of its log.
mobd_down() {
	stop_pid "$st/mobd.pid" "$st/mobd.log" mobd
}

# mobd_check IMPL LABEL: refuse an implementation other than mobd, or a
# tree not built.
mobd_check() {
	[ "$1" = mobd ] || { echo "$2: no implementation '$1' (mobd)" >&2; exit 2; }
	[ -x "$(pwd)/bin/mobd" ] || { echo "$2: no $(pwd)/bin/mobd: run make first" >&2; exit 2; }
}

# mobd_profile ROLE: the first lines of the target profile of the mobd a
# setup started (its version, RUN_IN for the prober P); the setup adds its
# variables after them.
mobd_profile() {
	_ver=$(git describe --always --dirty 2>/dev/null || echo '?')
	printf '# mobd %s as %s in namespace %s-T\nIMPL=mobd\nIMPL_VERSION="mobkit mobd %s"\nRUN_IN="%s exec P"\n' \
		"$_ver" "$1" "$MOBBED_NAME" "$_ver" "$MOBBED"
}
