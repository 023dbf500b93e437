#!/bin/sh
# tools/bench-migrate.sh: the TCP Migrate shim's speed (mobd role migrate;
# part of `make bench`; needs root).  Two namespaces on one veth pair:
#
#   M (mobile host, 2001:db8:99::2, moves to ::12) --- F (fixed host, ::1)
#
#  - migrate SYNs: mobprobe migsyn's load mode on M sends Migrate SYNs with
#    random tokens to a listening port of F as fast as it can; F's shim
#    looks each token up, finds none and answers RST.  Rate = RSTs M saw per
#    second of the send (its --json answers), beside the rate mobprobe
#    achieved (the offered rate) and beside the kernel alone answering the
#    same SYNs to a closed port with RST (no shim): ratios of the same run;
#    the shim's own counters (mobctl counters) are kept in the tsv:
#    offered / queued (reached the shim) / refused / dropped (by the kernel,
#    its queue full: nfq_queue_dropped + nfq_user_dropped); only F runs a
#    shim in this part;
#  - bulk: bin/mkbench bulk, unpaced 64 KiB writes, BENCH_MIG_MB MB from M
#    to F (every octet counted at both ends): the plain kernel; through the shim at both ends (the connection
#    negotiated Migrate-Permitted, not moved); and moved once 0.3 s in (M's
#    address replaced: the Migrate SYN, then the nftables rewrite at both
#    ends for the rest).  Rate = octets / wall-clock of the sender; ratios
#    shim / plain (issue 16 aims at >= 0.9);
#  - memory per migratable connection: N idle connections (bin/mkbench
#    hold) negotiated through the shims; VmRSS growth of each end's mobd / N.
# Results: results/bench/migrate.tsv.  BENCH_MIG_PARTS (default "syn bulk
# mem") runs only some; BENCH_MIG_CONNS (default 1000: the shim
# follows at most 1024 connections, MIG_MAX), BENCH_MIG_MB (3000).
# Without the role in mobd (its configuration check refuses `role migrate`)
# the shim's rows say NOT FINISHED and only the baselines are measured.
set -eu
out=results/bench
mkdir -p "$out"
if [ "$(id -u)" != 0 ]; then
	echo "bench: migrate skipped (needs root for namespaces)"
	exit 0
fi
p=mkg$$
. tools/bench-ns.sh
ns_make "$p" m f
ip link add v-m netns "${p}m" type veth peer name v-f netns "${p}f"
ip -n "${p}m" addr add 2001:db8:99::2/64 dev v-m nodad
ip -n "${p}f" addr add 2001:db8:99::1/64 dev v-f nodad
ip -n "${p}m" link set v-m up
ip -n "${p}f" link set v-f up
ip netns exec "${p}m" ping -c 1 -W 1 2001:db8:99::1 >/dev/null 2>&1 || true

: >"$out/migrate.tsv"
row() { printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$out/migrate.tsv"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
PARTS=${BENCH_MIG_PARTS:-syn bulk mem}
part() { case " $PARTS " in *" $1 "*) return 0 ;; esac; return 1; }
CONNS=${BENCH_MIG_CONNS:-1000}
MB=${BENCH_MIG_MB:-3000}

# the shims: F's mobd in dpid (bench-ns.sh), M's in mpid
mig_conf() { # NAME IFACE
	printf 'role migrate\ninterface %s\ncontrol %s\n' "$2" "$tmp/$1.sock" >"$tmp/$1.conf"
}
mig_known() {
	mig_conf probe v-f
	bin/mobd -n -c "$tmp/probe.conf" >/dev/null 2>&1
}
mpid=""
shims_start() {
	mig_conf fh v-f
	mig_conf mh v-m
	daemon_start "${p}f" fh
	fpid=$dpid
	daemon_start "${p}m" mh
	mpid=$dpid dpid=$fpid
}
# F's shim alone: the attacker (M in the syn part) runs none.  (With M's
# shim up too, mobprobe's raw-socket SYNs went through M's OUTPUT queue,
# which took them for its kernel's own SYNs, opened a connection for each
# and dropped most: 242,000 of 300,000 never reached F, and F saw 2,218
# of them as plain SYNs with Migrate-Permitted instead of migrate SYNs.)
shim_f_start() {
	mig_conf fh v-f
	daemon_start "${p}f" fh
}
shims_stop() {
	if [ -n "$mpid" ]; then
		kill "$mpid" 2>/dev/null || true
		wait "$mpid" 2>/dev/null || true
		mpid=""
	fi
	daemon_stop
}
trap 'shims_stop; bench_cleanup' EXIT
known=yes
mig_known || known=no
nf() { row "$1" "-" "NOT FINISHED: mobd has no role migrate (branch migshim not merged); no figure"; }

# ---- migrate SYNs: refused by the shim beside the kernel's RST ----
if part syn; then
# load PORT: "offered_rate rst seconds" of 300000 migrate SYNs from M
load() {
	ip netns exec "${p}m" bin/mobprobe migsyn -i v-m -s 2001:db8:99::2 --json --rate 1e8 --count 300000 \
		--timeout 0.5 "[2001:db8:99::1]:$1" >"$tmp/load.json" 2>"$tmp/load.err" || true
	jq -r 'select(.mode == "load") | "\(.rate_achieved) \(.answers.rst // 0) \(.seconds)"' "$tmp/load.json" | tail -n 1
}
set -- $(load 9)
[ $# = 3 ] || { echo "bench: mobprobe migsyn load failed: $(cat "$tmp/load.err")" >&2; exit 1; }
krst=$(awk -v n="$2" -v s="$3" 'BEGIN { printf "%.0f", n / s }')
row mobprobe-migsyn-sent-kernel "$1" "pkt/s (offered: mobprobe migsyn --rate 1e8, no shim)"
row kernel-rst-closed-port "$krst" "RST/s (the kernel alone, SYNs to a closed port: $2 RSTs in $3 s)"
if [ $known = yes ]; then
	ip netns exec "${p}f" bin/mkbench hold listen 8080 1 600 >/dev/null 2>&1 &
	lpid=$!
	shim_f_start
	set -- $(load 8080)
	srst=$(awk -v n="$2" -v s="$3" 'BEGIN { printf "%.0f", n / s }')
	bin/mobctl -S "$tmp/fh.sock" --json counters >"$tmp/fh-counters.json" 2>/dev/null || true
	cp "$tmp/load.json" "$out/migrate-load.json"; cp "$tmp/fh-counters.json" "$out/migrate-fh-counters.json"
	fc() { jq -r ".$1 // \"-\"" "$tmp/fh-counters.json" 2>/dev/null || echo -; }
	# offered / queued / refused / dropped: every migrate SYN either
	# reached the shim (migsyn_rx, each refused: refused_unknown_token and
	# rst_tx) or was dropped by the kernel before it (nfq_queue_dropped:
	# the queue at its maxlen; nfq_user_dropped: the netlink socket's
	# receive buffer full), the shim's counters of the kernel's own
	# (/proc/net/netfilter/nfnetlink_queue); the rest never left M or was
	# lost on the veth
	row mobprobe-migsyn-sent-shim "$1" "pkt/s (offered: mobprobe migsyn --rate 1e8, F's shim up)"
	row shim-migsyn-refused "$srst" "RST/s (F's shim: unknown token, $2 RSTs in $3 s)"
	row shim-migsyn-ratio "$(ratio "$srst" "$1")" "refused / offered, same run"
	row shim-vs-kernel-rst "$(ratio "$srst" "$krst")" "the shim's refusals / the kernel's RSTs, same run"
	row shim-migsyn-offered 300000 "migrate SYNs sent by mobprobe"
	row shim-migsyn-queued "$(fc migsyn_rx)" \
		"migrate SYNs that reached F's shim (migsyn_rx; nfq_pkts $(fc nfq_pkts))"
	row shim-migsyn-refused-n "$(fc refused_unknown_token)" "refused and counted (refused_unknown_token; rst_tx $(fc rst_tx), RSTs M saw $2)"
	row shim-migsyn-dropped "$(fc nfq_dropped)" \
		"dropped by the kernel before the shim (nfq_queue_dropped $(fc nfq_queue_dropped) + nfq_user_dropped $(fc nfq_user_dropped))"
	shims_stop
	kill "$lpid" 2>/dev/null || true
	wait "$lpid" 2>/dev/null || true
else
	nf shim-migsyn-refused
fi
fi

# ---- bulk throughput: plain, through the shims, moved once ----
if part bulk; then
bytes=$((MB * 1000000))
# stream [move]: octets per second of one unpaced bulk stream M -> F
# (mkbench bulk: 64 KiB writes; mkstream's paced 1 KiB writes with a digest
# would measure mkstream); the octets received must be the octets sent
stream() {
	ip netns exec "${p}f" bin/mkbench bulk recv 5001 >"$tmp/recv.log" 2>&1 &
	_r=$!
	sleep 0.2
	ip netns exec "${p}m" bin/mkbench bulk send 2001:db8:99::1 5001 "$bytes" >"$tmp/send.log" 2>&1 &
	_s=$!
	if [ "${1:-}" = move ]; then
		sleep 0.3
		ip -n "${p}m" addr add 2001:db8:99::12/64 dev v-m nodad
		ip -n "${p}m" addr del 2001:db8:99::2/64 dev v-m
	fi
	wait "$_s" || true
	wait "$_r" || true
	if [ "${1:-}" = move ]; then
		ip -n "${p}m" addr add 2001:db8:99::2/64 dev v-m nodad 2>/dev/null || true
		ip -n "${p}m" addr del 2001:db8:99::12/64 dev v-m 2>/dev/null || true
	fi
	read -r _ sent _ secs <"$tmp/send.log" || true
	read -r _ got <"$tmp/recv.log" || true
	if [ -z "${sent:-}" ] || [ "$sent" != "$bytes" ] || [ "${got:-}" != "$bytes" ]; then
		echo "bench: the bulk stream broke: sent '$(cat "$tmp/send.log")', received '$(cat "$tmp/recv.log")'" >&2
		echo 0
		return
	fi
	awk -v b="$bytes" -v s="$secs" 'BEGIN { printf "%.0f", b / s }'
}
plain=$(stream)
row bulk-plain "$plain" "B/s (mkbench bulk M -> F, $MB MB unpaced, the kernel alone)"
if [ $known = yes ]; then
	shims_start
	shim=$(stream)
	moved=$(stream move)
	mig=$(bin/mobctl -S "$tmp/fh.sock" --json counters 2>/dev/null | jq -r '.migrated_in // "?"')
	shims_stop
	row bulk-shim "$shim" "B/s (the same stream, the shims at both ends, Migrate-Permitted negotiated)"
	row bulk-shim-moved "$moved" "B/s (the same, M's address replaced 0.3 s in: nftables rewrite for the rest; F's migrated_in $mig)"
	row bulk-ratio "$(ratio "$shim" "$plain")" "shim / plain, same run (aim >= 0.9)"
	row bulk-moved-ratio "$(ratio "$moved" "$plain")" "moved / plain, same run (aim >= 0.9)"
else
	nf bulk-shim
fi
fi

# ---- memory per migratable connection ----
if part mem; then
if [ $known = yes ]; then
	shims_start
	rss() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }
	f0=$(rss "$dpid") m0=$(rss "$mpid")
	ip netns exec "${p}f" bin/mkbench hold listen 7000 "$CONNS" 600 >"$tmp/hl.log" 2>&1 &
	hl=$!
	sleep 0.2
	ip netns exec "${p}m" bin/mkbench hold connect 2001:db8:99::1 7000 "$CONNS" 600 >"$tmp/hc.log" 2>&1 &
	hc=$!
	i=0
	until grep -q '^held' "$tmp/hl.log" 2>/dev/null || [ $i -gt 1200 ]; do sleep 0.1; i=$((i + 1)); done
	sleep 1
	f1=$(rss "$dpid") m1=$(rss "$mpid")
	bin/mobctl -S "$tmp/fh.sock" --json migrate >"$tmp/conns.json" 2>/dev/null || true
	neg=$(jq '[.[]? | select(.negotiated == true)] | length' "$tmp/conns.json" 2>/dev/null || echo "?")
	kill "$hc" "$hl" 2>/dev/null || true
	wait "$hc" 2>/dev/null || true
	wait "$hl" 2>/dev/null || true
	shims_stop
	per() { awk -v a="$1" -v b="$2" -v n="$CONNS" 'BEGIN { printf "%.1f", (b - a) * 1024 / n }'; }
	row bytes-per-conn-fixed "$(per "$f0" "$f1")" "B (F's mobd: VmRSS $f0 -> $f1 kB over $CONNS connections; $neg listed negotiated by mobctl migrate)"
	row bytes-per-conn-mobile "$(per "$m0" "$m1")" "B (M's mobd: VmRSS $m0 -> $m1 kB)"
else
	nf bytes-per-conn-fixed
fi
fi

awk -F'\t' '
	BEGIN { printf "%-28s %14s  %s\n", "migrate shim", "value", "" }
	{ printf "%-28s %14s  %s\n", $1, $2, $3 }' "$out/migrate.tsv"
