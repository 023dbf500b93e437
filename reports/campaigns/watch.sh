# reports/campaigns/watch.sh: sourced by the campaigns (not one itself).
#
# A campaign stops, and its EXIT trap takes the testbed down, when the
# testbed breaks, whatever signals it was started with: a shell started
# with SIGINT ignored (`trap "" INT`, a non-interactive parent, nohup) can
# neither trap nor reset it, so a campaign that waited blind went on after
# its testbed's daemons died and hung in `wait` with every namespace up.
# Instead a campaign sleeps and waits through these, which look every
# 0.2 s at the testbed's processes (mobbed's record of them,
# $MOBBED_RUN/$MOBBED_NAME/pids) and at the campaign's own daemons
# (watch_pids) and exit 1, naming the first one gone.  A campaign that
# fails nodes on purpose (mobbed fail) must not watch across that.
#
#   watch_pids="PID..."     the campaign's own daemons (mobd, ...)
#   watch_check             exit 1 if one of them, or of the testbed's, is gone
#   watch_sleep MS          sleep MS milliseconds, watching
#   watch_wait PID          wait for PID (a child) to end, watching; its status

watch_pids=""

# a process that exists and is not a zombie
watch_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	_ws=$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -c1)
	[ -n "$_ws" ] && [ "$_ws" != Z ] && [ "$_ws" != X ]
}

watch_check() {
	_wf=$MOBBED_RUN/$MOBBED_NAME/pids
	if [ -r "$_wf" ]; then
		while read -r _wp _wn _wk _; do
			watch_alive "$_wp" || watch_broken "$_wk of $_wn (PID $_wp) is gone"
		done <"$_wf"
	fi
	for _wp in $watch_pids; do
		watch_alive "$_wp" || watch_broken "the campaign's PID $_wp is gone"
	done
}

watch_broken() {
	echo "${0##*/}: testbed broken: $*; stopping and taking it down" >&2
	exit 1
}

watch_sleep() {
	_wt=$(($(date +%s%3N) + $1))
	while _wr=$((_wt - $(date +%s%3N))); [ "$_wr" -gt 0 ]; do
		watch_check
		[ "$_wr" -le 200 ] || _wr=200
		sleep "0.$(printf %03d "$_wr")"
	done
	watch_check
}

watch_wait() {
	while watch_alive "$1"; do
		watch_check
		sleep 0.2
	done
	wait "$1"
}
