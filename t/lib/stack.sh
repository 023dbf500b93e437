# t/lib/stack.sh: what the live tests of the reference stack share (source
# it after tap.sh; it needs $here):
#   stack_init NAME_PREFIX    tmp dir, MOBBED_RUN/NAME, the cleanup trap
#   pids="$pids $!"           every process started, ended by the trap
#   made="$made NS"            every namespace a test adds itself, removed by the trap
#   ns_add NS...              namespaces of its own (in made): lo up, no DAD/RA, no ICMPv6 rate limit
#   wait_for TENTHS CMD...    poll CMD every 0.1 s until it succeeds
#   hoa_of NODE               its global address on eth0
#   mn_conf FILE CTL LIFETIME a mobile node's configuration (home agent HA1, key $KEY)
#   ha_conf FILE CTL          HA1's home agent configuration (mn-key * with $KEY)
#   stream_start BYTES RATE [FROM TO ADDR], stream_end   a TCP stream C1 -> MN ($HOA), $sent and $got
#   home_and_stop NODE SOCK PID  2 checks: MN home, deregistered at NODE; SIGTERM, nothing left
#   mig_stop_ok MHPID FHPID   1 check: both migrate mobds end on SIGTERM, exit 0, no mobdmig table
#   mig_up                    1 check: tcp-migrate F=3 DELAY=2 up (exit if not), no ICMPv6 rate limit,
#                             $tmp/MH.conf and FH.conf for role migrate
#   mig_daemons [SUFFIX]      mobd on FH and MH ($tmp/FH.conf, MH.conf): fhpid, mhpid; both answering
#   mig_conn SOCK PORT        a migrate mobd's connection with that local or peer port (JSON)
#   mig_stream PORT BYTES SUF mkstream MH -> FH ($FH) at 400 kB/s: rpid, spid; mig_stream_done SUF
#   ha_route NODE             1 if the home agent on NODE holds $HOA in kernel state (its nftables set), else 0
#   ns_tlla NODE ADDR         the link-layer address in the NA NODE gets for its NS for ADDR, or none
#   mac_of NODE               eth0's link-layer address
#   multiha_up F K            mip6-multiha up (one check), no ICMPv6 rate limit; HOA, C1, C2
#   KEEP_LOGS=DIR             (environment) the daemons' logs copied there at the end
B=$here/bin/mobbed
D=$here/bin/mobd
CTL=$here/bin/mobctl
P=$here/bin/mobprobe
S=$here/bin/mkstream
pids=""
made="" # namespaces a test made itself (ip netns add), removed by the cleanup
stack_cleanup() {
	[ -n "${KEEP_LOGS:-}" ] && cp "$tmp"/*.log "$KEEP_LOGS"/ 2>/dev/null
	for p in $pids; do kill "$p" 2>/dev/null; done
	for p in $pids; do
		i=0
		while kill -0 "$p" 2>/dev/null && [ $i -lt 40 ]; do sleep 0.05; i=$((i + 1)); done
		kill -KILL "$p" 2>/dev/null
	done
	[ -d "$MOBBED_RUN/$MOBBED_NAME" ] && "$B" down >/dev/null 2>&1
	for _n in $made; do ip netns del "$_n" 2>/dev/null; done
	rm -rf "$tmp"
}
# ns_add NAME...: network namespaces of the test's own (in made, so the
# cleanup removes them): lo up, no DAD, no router advertisements, ICMPv6
# errors not rate limited
ns_add() {
	for _n; do
		ip netns add "$_n" || return 1
		made="$made $_n"
		ip -n "$_n" link set lo up
		ip netns exec "$_n" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf.default.accept_dad=0 \
			net.ipv6.conf.all.accept_ra=0 net.ipv6.conf.default.accept_ra=0 \
			net.ipv6.icmp.ratelimit=0 || return 1
	done
}
stack_init() { # PREFIX: a two-letter mobbed name prefix
	tmp=$(mktemp -d "/tmp/mk-$1.XXXXXX") || exit 1
	export MOBBED_RUN=$tmp/run
	export MOBBED_NAME=$1$$
	trap stack_cleanup EXIT
	trap 'exit 130' INT TERM HUP
}
wait_for() { # TIMEOUT_TENTHS COMMAND...
	_t=$1
	shift
	while [ "$_t" -gt 0 ]; do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
		_t=$((_t - 1))
	done
	return 1
}
hoa_of() { # NODE: its first global address on eth0
	"$B" exec "$1" ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }'
}
mn_conf() { # FILE CONTROL LIFETIME: a mobile node of 2001:db8:1::/64 whose home agent is HA1, key $KEY
	cat >"$1" <<EOF2
role mobile-node
interface eth0
home-prefix 2001:db8:1::/64
ha 2001:db8:1::2
control $2
lifetime $3
key 4096 $KEY
EOF2
}
ha_conf() { # FILE CONTROL: the home agent of 2001:db8:1::/64 with key $KEY for every home address
	printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::/64\ncontrol %s\nmn-key * 4096 %s\n' \
		"$2" "$KEY" >"$1"
}
stream_start() { # BYTES RATE [FROM TO ADDR]: mkstream FROM (C1) -> TO (MN) at ADDR ($HOA)
	# port 5001, logs in $tmp; sets rpid, spid
	"$B" exec "${4:-MN}" "$S" recv 5001 >"$tmp/recv.log" 2>&1 &
	rpid=$!
	pids="$pids $rpid"
	sleep 0.3
	"$B" exec "${3:-C1}" "$S" send "${5:-$HOA}" 5001 "$1" "$2" >"$tmp/send.log" 2>&1 &
	spid=$!
	pids="$pids $spid"
}
stream_end() { # wait for both ends of stream_start; sets sent, got (their last lines)
	wait "$spid"
	wait_for 100 sh -c "! kill -0 $rpid" || kill "$rpid"
	wait "$rpid"
	sent=$(tail -n 1 "$tmp/send.log")
	got=$(tail -n 1 "$tmp/recv.log")
}
# a home agent's kernel state for a home address is the address in the set
# "hoas" of its nftables table (no route per binding); it answers the
# Neighbor Solicitations for it itself (no proxy entry)
ha_route() { "$B" exec "$1" nft list ruleset 2>/dev/null | awk '/set hoas/,/}/' | grep -cwF "$HOA"; }
ns_tlla() { _t=$("$B" exec "$1" "$P" ns --json --timeout 2 "$2" 2>/dev/null | jq -r '.answer.tlla // empty' | head -n 1); echo "${_t:-none}"; }
mac_of() { "$B" exec "$1" cat /sys/class/net/eth0/address; }
_mn_home() { "$CTL" -S "$tmp/mn.sock" --json bul | jq -e '.[0].state == "home"'; }
_bc_empty() { [ "$("$CTL" -S "$1" --json bc | jq length)" = 0 ]; }
home_and_stop() { # HA_NODE HA_SOCKET HA_PID: two checks; MN goes home and deregisters
	# at the home agent (binding and route gone), then SIGTERM to the
	# mobile node ($mnpid) and the home agent: exit 0, nothing left
	"$B" move MN home >/dev/null
	wait_for 60 _mn_home
	wait_for 60 _bc_empty "$2" &&
		[ "$(ha_route "$1")" = 0 ]
	ok $? "back home: deregistered at $1, its binding and its kernel state (set element) gone" ||
		{ "$CTL" -S "$2" bc; tail -n 5 "$tmp/mn.log"; } | diag
	kill "$mnpid" "$3"
	wait "$mnpid"
	_st1=$?
	wait "$3"
	_st2=$?
	_left=$("$B" exec "$1" nft list tables; "$B" exec MN nft list tables; "$B" exec "$1" ip -6 neigh show proxy; "$B" exec "$1" ip -6 route show dev mip6 2>/dev/null)
	[ $_st1 = 0 ] && [ $_st2 = 0 ] && [ -z "$_left" ]
	ok $? "SIGTERM: the mobile node and $1 exit 0, nothing left" || echo "$_left" | diag
}
multiha_up() { # F K: mip6-multiha up (one check; exit if not), no ICMPv6 rate limit on
	# C1, C2, MN and HA1; sets HOA, C1, C2 (their addresses)
	"$B" up mip6-multiha F="$1" K="$2" >"$tmp/up.log" 2>&1
	ok $? "mip6-multiha up (F=$1 K=$2)" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
	for _n in C1 C2 MN HA1; do "$B" exec $_n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	HOA=$(hoa_of MN)
	C1=$(hoa_of C1)
	C2=$(hoa_of C2)
}

# mig_up: tcp-migrate (F=3 DELAY=2) up, one check, the test ends if it is
# not; no ICMPv6 rate limit on MH, FH, A; $tmp/MH.conf and $tmp/FH.conf:
# role migrate on eth0, controls $tmp/MH.sock and $tmp/FH.sock
mig_up() {
	"$B" up tcp-migrate F=3 DELAY=2 >"$tmp/up.log" 2>&1
	ok $? "tcp-migrate up" || { tail -n 5 "$tmp/up.log" | diag; exit 1; }
	for _h in MH FH A; do "$B" exec $_h sysctl -qw net.ipv6.icmp.ratelimit=0; done
	for _h in MH FH; do
		printf 'role migrate\ninterface eth0\ncontrol %s/%s.sock\n' "$tmp" "$_h" >"$tmp/$_h.conf"
	done
}
# mig_daemons [SUFFIX]: mobd on FH and MH with $tmp/FH.conf and
# $tmp/MH.conf (controls $tmp/FH.sock, $tmp/MH.sock), logs
# $tmp/fhSUFFIX.log and $tmp/mhSUFFIX.log, PIDs in fhpid and mhpid (and
# pids); true when both answer
mig_daemons() {
	"$B" exec FH "$D" -d -c "$tmp/FH.conf" >"$tmp/fh${1:-}.log" 2>&1 &
	fhpid=$!
	"$B" exec MH "$D" -d -c "$tmp/MH.conf" >"$tmp/mh${1:-}.log" 2>&1 &
	mhpid=$!
	pids="$pids $fhpid $mhpid"
	wait_for 50 "$CTL" -S "$tmp/FH.sock" status && wait_for 50 "$CTL" -S "$tmp/MH.sock" status
}
# mig_conn SOCK PORT: the connection whose peer or local port is PORT in
# mobctl migrate --json of the mobd at SOCK
mig_conn() {
	"$CTL" -S "$1" --json migrate | jq -c --argjson p "$2" '[.[] | select(.pport == $p or .lport == $p)][0]'
}
# mig_stream PORT BYTES SUFFIX: an mkstream from MH to FH's address $FH,
# PORT, BYTES at 400,000 B/s; receiver's PID rpid and log
# $tmp/recvSUFFIX.log, sender's spid and $tmp/sendSUFFIX.log
mig_stream() {
	"$B" exec FH "$S" recv "$1" >"$tmp/recv$3.log" 2>&1 &
	rpid=$!
	pids="$pids $rpid"
	sleep 0.3
	"$B" exec MH "$S" send "$FH" "$1" "$2" 400000 >"$tmp/send$3.log" 2>&1 &
	spid=$!
	pids="$pids $spid"
}
# mig_stream_done SUFFIX: both ends of mig_stream ended (the sender after
# 120 s at most: a stalled connection must fail the check, not hang the
# test); $sent and $got their last lines; true when they are the same byte
# count and SHA-256
mig_stream_done() {
	wait_for 1200 sh -c "! kill -0 $spid" || kill "$spid"
	wait "$spid"
	wait_for 100 sh -c "! kill -0 $rpid" || kill "$rpid"
	wait "$rpid"
	sent=$(tail -n 1 "$tmp/send$1.log")
	got=$(tail -n 1 "$tmp/recv$1.log")
	case $sent in bytes*) [ "$sent" = "$got" ] ;; *) false ;; esac
}
# mig_stop_ok MHPID FHPID: SIGTERM both migrate-role mobds (on MH and FH),
# one check: each exits 0 and no mobdmig nftables table is left
mig_stop_ok() {
	kill "$1" "$2"
	wait "$1"
	_s1=$?
	wait "$2"
	_s2=$?
	_left=$( ("$B" exec MH nft list tables; "$B" exec FH nft list tables) | grep -c mobdmig)
	[ $_s1 = 0 ] && [ $_s2 = 0 ] && [ "$_left" = 0 ]
	ok $? "SIGTERM: both mobd exit 0 ($_s1, $_s2), no mobdmig table left ($_left)"
}
