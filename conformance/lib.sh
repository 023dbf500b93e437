# conformance/lib.sh: what a case file may call.  Sourced by conformance/run
# in a subshell per case, with the target profile's variables set and
#
#   CASE_DIR   this case's result folder (log, pcaps, verdict)
#   MOBPROBE   the mobprobe binary
#   RUN_IN     command prefix that runs a command on the prober's node
#              (empty at a plugfest, "mobbed exec P" on the testbed)
#   IMPL       the implementation under test (bind, linux, ...)
#
# A case ends by calling exactly one verdict function:
#
#   pass  [TEXT]          the requirement is met
#   fail  TEXT            a MUST is not met
#   warn  TEXT            a SHOULD is not met
#   skip  REASON          not applicable or not testable here, and why
#   initfail REASON       setup broke: the case could not judge anything
#   judge LEVEL           the verdict from the last `probe`: exit 0 pass;
#                         1 or 3 fail (MUST) or warn (SHOULD); 2 initfail
#
# `probe ARGS...` runs mobprobe on the prober with --json and --pcap into
# CASE_DIR (probe-N.pcap), keeps its output in the log, and sets PROBE_RC,
# PROBE_OUT (the last JSON line) and PROBE_TEXT (its reason).

_verdict() {
	printf '%s\t%s\n' "$1" "$2" >"$CASE_DIR/verdict"
	exit 0
}
pass() { _verdict PASS "${1:-}"; }
fail() { _verdict FAIL "$1"; }
warn() { _verdict WARN "$1"; }
skip() { _verdict SKIP "$1"; }
initfail() { _verdict INIT-FAIL "$1"; }

log() { printf '%s\n' "$*" >>"$CASE_DIR/log"; }

_nprobe=0
probe() {
	_nprobe=$((_nprobe + 1))
	_pc="$CASE_DIR/probe-$_nprobe.pcap"
	log "\$ mobprobe $*"
	# shellcheck disable=SC2086
	PROBE_OUT=$($RUN_IN "$MOBPROBE" "$@" --json --pcap "$_pc" 2>>"$CASE_DIR/log")
	PROBE_RC=$?
	printf '%s\n' "$PROBE_OUT" >>"$CASE_DIR/log"
	log "exit $PROBE_RC"
	PROBE_OUT=$(printf '%s\n' "$PROBE_OUT" | tail -n 1)
	PROBE_TEXT=$(json_field reason)
	return 0
}

# A string field of the last probe's JSON object (first occurrence).
json_field() {
	printf '%s\n' "$PROBE_OUT" | sed -n "s/.*\"$1\":\"\\([^\"]*\\)\".*/\\1/p" | head -n 1
}

# A numeric field of the last probe's JSON object (first occurrence).
json_num() {
	printf '%s\n' "$PROBE_OUT" | sed -n "s/.*\"$1\":\\([0-9.]*\\).*/\\1/p" | head -n 1
}

judge() {
	_class=$(json_field class)
	case $PROBE_RC in
	0) pass "${_class:-answer}: $(json_field summary)" ;;
	2) initfail "mobprobe refused its arguments (see log)" ;;
	1 | 3)
		if [ "$1" = SHOULD ]; then
			warn "$PROBE_TEXT"
		else
			fail "$PROBE_TEXT"
		fi
		;;
	*) initfail "mobprobe exited $PROBE_RC" ;;
	esac
}

# Does the target's profile claim a feature?  (CLAIMS="hao rh2 tsig ...")
claims() {
	case " ${CLAIMS:-} " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# `probe` from the client node behind a resolver (CLIENT_RUN in the profile).
cprobe() {
	_saved=$RUN_IN
	RUN_IN=$CLIENT_RUN
	probe "$@"
	RUN_IN=$_saved
}

# Stop the case with INIT-FAIL unless the last probe passed (a setup step).
need() {
	[ "$PROBE_RC" = 0 ] || initfail "$1: $PROBE_TEXT"
}

# A judgement point in the middle of a case: go on if the last probe
# passed, else end the case with its verdict (as `judge LEVEL` would).
point() {
	[ "$PROBE_RC" = 0 ] || judge "$1"
}

# mip6-ha: `ha_bu HOA [OPTIONS...]`: a home registration (A, H) of home
# address HOA from the care-of address COA to HA with the profile's MN-HA
# key (RFC 4285), mobprobe bu OPTIONS added.  `ha_register HOA`: one that
# must be accepted (INIT-FAIL unless BA 0).
ha_bu() {
	_hoa=$1
	shift
	probe bu --hoa "$_hoa" --coa "$COA" --flags A,H --spi "$MN_SPI" --key "$MN_KEY" "$HA" "$@"
}
ha_register() {
	ha_bu "$1" --expect ba-accepted --expect-status 0
	need "the registration of $1 was not accepted"
}

# For what the target sends of its own accord while the case provokes it
# (mip6-multiha: a Home Agent Unreachable once a peer is cut off):
#   probe_bg N ARGS...   mobprobe ARGS in the background (a `listen`, say),
#                        its pcap probe-bgN.pcap; returns once its capture
#                        is open (the file exists), 1 if it never opened
#   probe_wait N         wait for it; sets PROBE_RC, PROBE_OUT, PROBE_TEXT
probe_bg() {
	_n=$1
	shift
	_pc="$CASE_DIR/probe-bg$_n.pcap"
	rm -f "$_pc"
	log "\$ mobprobe $* &"
	# shellcheck disable=SC2086
	$RUN_IN "$MOBPROBE" "$@" --json --pcap "$_pc" >"$CASE_DIR/bg$_n.out" 2>>"$CASE_DIR/log" &
	eval "_bgpid$_n=\$!"
	_t=0
	while [ ! -f "$_pc" ]; do
		_t=$((_t + 1))
		[ $_t -le 100 ] && eval "kill -0 \$_bgpid$_n" 2>/dev/null || return 1
		sleep 0.05
	done
}
probe_wait() {
	eval "wait \$_bgpid$1"
	PROBE_RC=$?
	cat "$CASE_DIR/bg$1.out" >>"$CASE_DIR/log"
	log "exit $PROBE_RC"
	PROBE_OUT=$(tail -n 1 "$CASE_DIR/bg$1.out")
	PROBE_TEXT=$(json_field reason)
}

# A number from the JSON that the profile's command prints (a target's
# counters, as `mobctl --json counters` gives them); empty without one:
#   ctl_num "$MN_CTL" counters hau_ignored
ctl_num() {
	[ -n "$1" ] || return 0
	# shellcheck disable=SC2086
	$1 "$2" 2>/dev/null | sed -n "s/.*\"$3\":\\([0-9]*\\).*/\\1/p" | head -n 1
}

# mip6-multiha: the prober's Binding Update for home address HOA from
# care-of address COA to home agent TO, with the MHA flag and the Multiple
# Home Agents option listing HA... (none: no MHA), RFC 4285 MN-HA
# authentication with the profile's MH_SPI and MH_KEY; BA 0 expected.
#   mha_bu HOA COA TO [HA...]
mha_bu() {
	_h=$1 _c=$2 _to=$3
	shift 3
	_l=""
	for _a in "$@"; do _l="$_l --mha $_a"; done
	# shellcheck disable=SC2086
	probe bu --hoa "$_h" --coa "$_c" $_l --spi "$MH_SPI" --key "$MH_KEY" "$_to" \
		--expect ba-accepted --expect-status 0
}
# mha_register HOA COA: registered with HA1 and HA2, listing HA1 then HA2;
# INIT-FAIL if either refuses
mha_register() {
	for _to in "$HA1" "$HA2"; do
		mha_bu "$1" "$2" "$_to" "$HA1" "$HA2"
		need "registering $1 with $_to"
	done
}

# dns-server-mobility: captures on nodes of the testbed, and TCP streams to
# the mobile server.
#   capture_start NAME RUN...   tcpdump -i eth0 where RUN... runs (the
#                  profile's NS_RUN, MN_RUN, C1_RUN) into CASE_DIR/NAME.pcap;
#                  returns once it listens, 1 if it never does
#   capture_stop NAME           stop it (SIGINT, by its PID): the file is whole
#   pcount PCAP FILTER          how many packets of PCAP the tshark FILTER takes
#   stream CLIENT_RUN PORT BYTES   mkstream recv PORT on MN_RUN, BYTES sent from
#                  the client to HOA; sets STREAM_SENT and STREAM_GOT (the two
#                  ends' SHA-256 lines); 0 when both are there and the same
capture_start() {
	_cn=$1
	shift
	rm -f "$CASE_DIR/$_cn.tcpdump"
	"$@" tcpdump -i eth0 -n -U --immediate-mode -w "$CASE_DIR/$_cn.pcap" >"$CASE_DIR/$_cn.tcpdump" 2>&1 &
	eval "_cap_$_cn=\$!"
	_t=0
	until grep -q "listening on" "$CASE_DIR/$_cn.tcpdump" 2>/dev/null; do
		_t=$((_t + 1))
		[ $_t -le 100 ] && eval "kill -0 \$_cap_$_cn" 2>/dev/null || return 1
		sleep 0.05
	done
}
capture_stop() {
	sleep 0.1
	eval "kill -INT \$_cap_$1 2>/dev/null; wait \$_cap_$1"
	cat "$CASE_DIR/$1.tcpdump" >>"$CASE_DIR/log"
}
pcount() {
	tshark -r "$1" -Y "$2" -T fields -e frame.number 2>>"$CASE_DIR/log" | wc -l
}
stream() {
	log "\$ mkstream: $1 -> $HOA port $2, $3 octets"
	# shellcheck disable=SC2086
	$MN_RUN "$MKSTREAM" recv "$2" >"$CASE_DIR/recv$2.log" 2>&1 &
	_rp=$!
	sleep 0.3
	# shellcheck disable=SC2086
	$1 "$MKSTREAM" send "$HOA" "$2" "$3" 2000000 >"$CASE_DIR/send$2.log" 2>&1
	_t=0
	while kill -0 "$_rp" 2>/dev/null && [ $_t -lt 100 ]; do
		_t=$((_t + 1))
		sleep 0.1
	done
	kill "$_rp" 2>/dev/null
	wait "$_rp"
	STREAM_SENT=$(tail -n 1 "$CASE_DIR/send$2.log")
	STREAM_GOT=$(tail -n 1 "$CASE_DIR/recv$2.log")
	log "sent: $STREAM_SENT" "received: $STREAM_GOT"
	[ -n "$STREAM_SENT" ] && [ "$STREAM_SENT" = "$STREAM_GOT" ]
}
#   hex128 ADDR                 the 32 hex digits of an IPv6 address
#   ns_rr TYPE                  NAME's TYPE rrset at NS, asked from C2 without
#                  recursion (dig): "TTL RDATA" lines, a CAAAA's RDATA as
#                  hex128 (dig's RFC 3597 form joined)
#   updates PCAP                the UPDATE queries in PCAP, one line each:
#                  id|prerequisites|updates|names|types|classes|ttls|data|tsig MAC size
hex128() {
	echo "$1" | awk -F: '{
		n = 0
		for (i = 1; i <= NF; i++) if ($i != "") n++
		out = ""; gap = 0
		for (i = 1; i <= NF; i++) {
			if ($i == "") { if (!gap) { for (k = n; k < 8; k++) out = out "0000"; gap = 1 } continue }
			out = out substr("0000", 1, 4 - length($i)) $i
		}
		print tolower(out)
	}'
}
ns_rr() {
	# shellcheck disable=SC2086
	$C2_RUN dig @"$NS" +norec +noall +answer "$NAME" "$1" 2>>"$CASE_DIR/log" |
		awk '$4 ~ /^TYPE/ { h = ""; for (i = 7; i <= NF; i++) h = h $i; print $2, tolower(h); next }
			{ print $2, $5 }'
}
updates() {
	tshark -r "$1" -Y "dns.flags.opcode == 5 && dns.flags.response == 0" -T fields -E separator='|' \
		-e dns.id -e dns.count.prerequisites -e dns.count.updates -e dns.resp.name -e dns.resp.type \
		-e dns.resp.class -e dns.resp.ttl -e dns.data -e dns.tsig.mac_size 2>>"$CASE_DIR/log"
}
#   need_caaaa                  SKIP the case unless NS has a CAAAA of NAME
#                  (the mobile server away publishes it; case 01 judges that)
need_caaaa() {
	[ -n "$(ns_rr TYPE$CAAAA_TYPE)" ] && return 0
	_rc=$($MN_CTL updater 2>/dev/null | jq -r '.last.rcode // "none"')
	skip "no CAAAA of $NAME at NS: the name server did not take the mobile server's UPDATE (mobctl updater: $_rc; case 01)"
}
#   stream_at_mn CLIENT_RUN PORT BYTES   `stream` with a capture on MN
#                  (CASE_DIR/mn.pcap) around it; FAILs the case unless the
#                  stream completes
stream_at_mn() {
	capture_start mn $MN_RUN || initfail "no capture on MN"
	stream "$@"
	_st=$?
	capture_stop mn
	[ $_st = 0 ] || fail "the stream to $HOA port $2 did not complete: sent '$STREAM_SENT', received '$STREAM_GOT'"
}
#   nss_lookup MODE             a fresh mobile server (MN_DO restart MODE: rr or
#                  shortcut) and no binding for HOA at C1, then NAME looked up
#                  on C1 through the NSS module (getent ahosts); sets COA (the
#                  server's care-of address), C1_ADDR and NSS_GOT (getent's
#                  first address); SKIPs without a published CAAAA
nss_lookup() {
	$MN_DO restart "$1" >>"$CASE_DIR/log" 2>&1 || initfail "mobd on MN did not come back ($1)"
	$C1_CTL cn-unbind "$HOA" >>"$CASE_DIR/log" 2>&1
	COA=$($MN_CTL bul | jq -r '.[0].coa')
	need_caaaa
	# shellcheck disable=SC2086
	C1_ADDR=$($C1_RUN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	# shellcheck disable=SC2086
	NSS_GOT=$($C1_NSS_RUN getent ahosts "$NAME" 2>>"$CASE_DIR/log" | awk 'NR == 1 { print $1 }')
	log "getent ahosts $NAME on C1 (NSS module): $NSS_GOT; the server's care-of address $COA"
}
# tcp-migrate (the profile of setups/tcp-migrate.sh):
#   mig_need              SKIP the case when the setup found no shim
#   mig_conn PORT [JQ]    FH's shim's connection whose local port is PORT
#                         (mobctl --json migrate), or the jq expression JQ
#                         of it (".token"); empty when there is none
#   mig_tcp PCAP          one JSON object per TCP segment of PCAP (mobcap
#                         decode --json --all): src dst sport dport flags
#                         seq ack len opts (each {kind,name,len,...})
#   mig_move PORT         a stream MH -> FH:PORT (mkstream, 3 s at
#                         100 kB/s) moved to MH's other link 1 s in, with
#                         tcpdump on FH's eth0 (CASE_DIR/fh.pcap); sets
#                         MIG_SENT, MIG_GOT (mkstream's last lines) and
#                         MIG_FROM, MIG_TO (MH's address before and after)
#   mig_moved PORT        mig_move PORT, INIT-FAIL unless MH moved; the
#                         stream's segments in CASE_DIR/segs.jsonl
#   mig_refused PORT COUNTER MIGSYN-ARGS...
#                         a migrate SYN (mobprobe migsyn MIGSYN-ARGS to
#                         FH:PORT) that must get RST and leave FH's
#                         connection on PORT as it was (MUST), counted as
#                         COUNTER (refused as another reason, or not
#                         counted: WARN, naming the counter that moved);
#                         ends the case with its verdict
mig_need() {
	[ -z "${MIG_MISSING:-}" ] || skip "$MIG_MISSING"
}
mig_conn() {
	$FH_CTL migrate 2>/dev/null |
		jq -cr --argjson p "$1" "[.[] | select(.lport == \$p)][0] as \$c | if \$c == null then empty else (\$c | ${2:-.}) end"
}
mig_tcp() {
	"$MOBCAP" decode --json --all "$1" 2>/dev/null | jq -c '
		(.layers // []) as $l | ($l[] | select(.layer == "ipv6")) as $ip | $l[] | select(.layer == "tcp")
		| { src: $ip["ipv6.src"], dst: $ip["ipv6.dst"], sport: .["tcp.srcport"], dport: .["tcp.dstport"],
		    flags: .["tcp.flags"], seq: .["tcp.seq"], ack: .["tcp.ack"], len: .["tcp.len"],
		    opts: [(.["tcp.opts"] // [])[] | with_entries(.key |= sub("^tcp\\.opt\\."; ""))] }'
}
mig_addr() { $MH_RUN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }'; }
mig_move() {
	MIG_FROM=$(mig_addr)
	case $MIG_FROM in 2001:db8:21:*) _to=l2 ;; *) _to=l1 ;; esac
	# ip netns exec execs: the PIDs are tcpdump's and mkstream's own
	ip netns exec "$FH_NS" tcpdump -i eth0 -w "$CASE_DIR/fh.pcap" -n -U --immediate-mode tcp \
		>"$CASE_DIR/tcpdump.log" 2>&1 &
	_td=$!
	_i=0
	until grep -q 'listening on' "$CASE_DIR/tcpdump.log" 2>/dev/null || [ $_i -gt 50 ]; do sleep 0.1; _i=$((_i + 1)); done
	ip netns exec "$FH_NS" "$MKSTREAM" recv "$1" >"$CASE_DIR/stream-recv.log" 2>&1 &
	_rv=$!
	sleep 0.2
	ip netns exec "$MH_NS" "$MKSTREAM" send "$FH" "$1" 300000 100000 >"$CASE_DIR/stream-send.log" 2>&1 &
	_sd=$!
	sleep 1
	log "\$ mobbed move MH $_to"
	$MOVE_MH "$_to" >>"$CASE_DIR/log" 2>&1
	MIG_TO=$(mig_addr)
	_i=0
	while kill -0 "$_sd" 2>/dev/null && [ $_i -lt 150 ]; do sleep 0.1; _i=$((_i + 1)); done
	kill "$_sd" 2>/dev/null
	wait "$_sd" 2>/dev/null
	_i=0
	while kill -0 "$_rv" 2>/dev/null && [ $_i -lt 30 ]; do sleep 0.1; _i=$((_i + 1)); done
	kill "$_rv" 2>/dev/null
	wait "$_rv" 2>/dev/null
	sleep 0.2
	kill "$_td" 2>/dev/null
	wait "$_td" 2>/dev/null
	MIG_SENT=$(tail -n 1 "$CASE_DIR/stream-send.log")
	MIG_GOT=$(tail -n 1 "$CASE_DIR/stream-recv.log")
	log "moved $MIG_FROM -> $MIG_TO; sent: $MIG_SENT; received: $MIG_GOT"
}
mig_moved() {
	mig_move "$1"
	[ -n "$MIG_TO" ] && [ "$MIG_TO" != "$MIG_FROM" ] || initfail "MH did not move ($MIG_FROM -> $MIG_TO)"
	mig_tcp "$CASE_DIR/fh.pcap" | jq -c --argjson p "$1" 'select(.sport == $p or .dport == $p)' >"$CASE_DIR/segs.jsonl"
}
mig_refused() {
	_port=$1 _ctr=$2
	shift 2
	_view='{peer_now, local_now, reqno, state, migrations, negotiated}'
	_before=$(mig_conn "$_port" "$_view")
	_k0=$($FH_CTL counters 2>/dev/null)
	probe migsyn "[$TARGET]:$_port" "$@" --expect rst
	point MUST
	sleep 0.2
	_k1=$($FH_CTL counters 2>/dev/null)
	_after=$(mig_conn "$_port" "$_view")
	log "the connection before: $_before"
	log "after: $_after"
	[ "$_before" = "$_after" ] || fail "the connection changed: $_before -> $_after"
	_moved=$(printf '%s\n%s\n' "$_k0" "$_k1" | jq -rs '.[0] as $a | .[1] as $b
		| [$b | keys[] | select(startswith("refused_") and $b[.] != $a[.]) | "\(.) \($a[.]) -> \($b[.])"] | join(", ")')
	log "refusal counters that moved: ${_moved:-none}"
	[ "$_moved" = "$_ctr $(printf '%s' "$_k0" | jq -r --arg k "$_ctr" '.[$k]') -> $(($(printf '%s' "$_k0" | jq -r --arg k "$_ctr" '.[$k] // 0') + 1))" ] ||
		warn "RST, the connection untouched, but counted as: ${_moved:-nothing} (want $_ctr up by one)"
	judge MUST
}
# dmm (the profile of setups/dmm.sh):
#   dmm_need ddns|serve|call   SKIP the case when the setup found that
#                         piece of the node's side missing
#   dmm_aaaa              NS's AAAA rrset of NAME (dig from CN2, no
#                         recursion), sorted, on one line
#   dmm_contacts          the registrar's contacts of ID (mkrv query from
#                         CN2), sorted, on one line; dmm_status: the status
#                         line of that query
#   dmm_sorted ADDR...    the same form, to compare with
#   dmm_wait TENTHS CMD EXPECTED   poll CMD (dmm_aaaa, dmm_contacts) until
#                         it prints EXPECTED; 1 if it never does
#   dmm_session CMD...    CMD on CN3 (mksel, mkrv call) with tcpdump on CN3
#                         and RS (CASE_DIR/cn.pcap, rs.pcap); DMM_RC its
#                         exit, DMM_LINE its last line of output
#   dmm_field KEY         a key=value field of DMM_LINE ('data' without
#                         its brackets and port: the address alone)
dmm_need() {
	case $1 in
	ddns) [ -z "${DDNS_MISSING:-}" ] || skip "$DDNS_MISSING" ;;
	serve) [ -z "${SERVE_MISSING:-}" ] || skip "$SERVE_MISSING" ;;
	call) [ -z "${SERVE_MISSING:-}" ] || skip "$SERVE_MISSING"; [ -z "${CALL_MISSING:-}" ] || skip "$CALL_MISSING" ;;
	esac
}
dmm_sorted() { printf '%s\n' "$@" | sort | tr '\n' ' ' | sed 's/ $//'; }
dmm_aaaa() {
	# shellcheck disable=SC2086
	$CN2_RUN dig +short +norec @"$NS" "$NAME" AAAA 2>>"$CASE_DIR/log" | sort | tr '\n' ' ' | sed 's/ $//'
}
dmm_contacts() {
	# shellcheck disable=SC2086
	_q=$($CN2_RUN "$MKRV" query "$ID" -s "$RS" 2>>"$CASE_DIR/log")
	printf '%s\n' "$_q" | sed -n 's/^status //p' >"$CASE_DIR/contacts.status"
	printf '%s\n' "$_q" | awk '$1 == "contact" { print $2 }' | sort | tr '\n' ' ' | sed 's/ $//'
}
dmm_wait() {
	_n=$1
	while [ "$($2)" != "$3" ]; do
		_n=$((_n - 1))
		[ $_n -gt 0 ] || return 1
		sleep 0.1
	done
}
dmm_session() {
	capture_start cn $CN_RUN || initfail "no capture on CN3"
	capture_start rs $RS_RUN || initfail "no capture on RS"
	log "\$ (CN3) $*"
	# shellcheck disable=SC2086
	$CN_RUN "$@" >"$CASE_DIR/session.out" 2>>"$CASE_DIR/log"
	DMM_RC=$?
	capture_stop cn
	capture_stop rs
	cat "$CASE_DIR/session.out" >>"$CASE_DIR/log"
	DMM_LINE=$(tail -n 1 "$CASE_DIR/session.out")
}
dmm_field() {
	_v=$(printf '%s\n' "$DMM_LINE" | awk -v k="$1" '{ for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) v = substr($i, length(k) + 2) } END { print v }')
	[ "$1" = data ] && { _v=${_v#\[}; _v=${_v%\]:*}; }
	printf '%s\n' "$_v"
}
dmm_status() { cat "$CASE_DIR/contacts.status" 2>/dev/null; }
#   dmm_update_refused KEY ADDR EXPECT   an UPDATE of NAME's AAAA to ADDR
#                         signed with KEY (mobprobe update) must be answered
#                         EXPECT and leave the rrset IP1 IP2; ends the case
#   dmm_call_direct MODE  mkrv call MODE from CN3 (dmm_session), FAIL unless
#                         it exits 0 with its data at IP1 or IP2 (DMM_ADDR)
dmm_update_refused() {
	probe update "$NS" --zone "$ZONE" --name "$NAME" --aaaa "$2" --tsig-key "$1" --expect "$3"
	point MUST
	_got=$(dmm_aaaa)
	[ "$_got" = "$(dmm_sorted "$IP1" "$IP2")" ] || fail "$(json_field summary), yet the AAAA rrset is now '$_got'"
	pass "$(json_field summary); the AAAA rrset unchanged ($_got)"
}
dmm_call_direct() {
	dmm_session "$MKRV" call "$ID" --mode "$1" -s "$RS"
	[ "$DMM_RC" = 0 ] || fail "mkrv call --mode $1 failed (exit $DMM_RC): $DMM_LINE"
	DMM_ADDR=$(dmm_field data)
	case $DMM_ADDR in "$IP1" | "$IP2") ;; *) fail "the data went to '$DMM_ADDR', neither IP1 nor IP2" ;; esac
}
