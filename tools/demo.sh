#!/bin/sh
# tools/demo.sh: what `make demo` runs, end to end, with one progress line
# per step:
#   1. craft one of every message mobkit speaks into a pcap (bin/mobwire)
#      and decode it back with libmobkit, every checksum verified; tshark's
#      one-line view of the same file as an independent second opinion;
#   2. conformance/run over every suite and implementation this machine
#      (dns-server-mobility with BIND only: its three name servers take ~2 min)
#      has (namespaces brought up and taken down by mobbed): the failing
#      and warning cases and the verdicts per suite and implementation;
#   3. the short version of every campaign: dns-convergence (both trials:
#      testbed up, updates published, resolvers asked, everything captured,
#      `mobcap latency convergence`, testbed down) and mip6-handoff (mobd as
#      home agent and mobile node, a TCP stream across home -> f1 -> f2 ->
#      home, `mobcap latency handoff`) and mip6-ro (route optimization with
#      mobd's correspondent: RTT through the home agent and direct for the
#      same pair, handoffs with return routability) and server-mobility (the
#      server-mobility paper's Fig. 1 and Fig. 2: RTT per number of clients
#      and per hop count, via the home agent and direct, and the cost of
#      the scheme) and tcp-migrate (the TCP Migrate shim and mobd's handoff
#      on one path, 3 moves) and dmm (distributed mobility: DDNS with
#      mksel's selection and the rendezvous modes, two trials); their
#      tables printed;
#   4. the HTML report: reports/out/<run>/index.html, both campaigns.
# Exits non-zero if any step failed (the verdicts themselves are findings,
# not failures).  Steps 2-4 need root for the namespaces.
set -u
out=${MK_DEMO_DIR:-results/demo}
run=${MK_DEMO_RUN:-reports/out/demo-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"
pcap=$out/all-messages.pcap
failed=""
t0=$(date +%s)
step() { echo "== [$(($(date +%s) - t0)) s] $*"; }
fail() {
	echo "demo: step failed: $*" >&2
	failed="$failed
  $*"
}

step "1/4 wire: crafting one of every message into $pcap and decoding it back"
if bin/mobwire craft -o "$pcap" --manifest "$out/all-messages.manifest" &&
	bin/mobwire decode "$pcap"; then
	if command -v tshark >/dev/null 2>&1; then
		echo "-- the same file as tshark sees it"
		tshark -n -r "$pcap" 2>/dev/null | cut -c1-150
		echo "-- what tshark adds with mobkit's Wireshark plugin (tools/wireshark/mobkit.lua): the fields it had no dissector for"
		f="frame.number mobkit.bu.mha_flag mobkit.mha.addr mobkit.auth.data mobkit.replay.timestamp mobkit.hau.addr mobkit.migperm.exid mobkit.migrate.token mobkit.caaaa.section mobkit.caaaa.addr"
		# shellcheck disable=SC2046
		tshark -X lua_script:tools/wireshark/mobkit.lua -n -r "$pcap" -Y mobkit -T fields -E separator=/t \
			$(for x in $f; do printf ' -e %s' "$x"; done) 2>/dev/null |
			awk -F '\t' -v names="$f" 'BEGIN { n = split(names, nm, " ") }
				{ line = sprintf("%5s", $1); shown = 0
				  for (i = 2; i <= n; i++) if ($i != "" && !(nm[i] == "mobkit.bu.mha_flag" && $i == "0")) {
					line = line "  " substr(nm[i], 8) "=" $i; shown = 1 }
				  if (shown) print line }'
	fi
	echo "-- mobcap decode --json: each field a typed member (mobcap(1) FIELDS); the BU's Mobility Header"
	bin/mobcap decode --json "$pcap" | head -n 1 | jq -c '.layers[] | select(.layer == "mh")' | cut -c1-400 ||
		fail "1 wire: mobcap decode --json"
	echo "-- a reverse-tunnelled HoTI whose inner MH checksum is corrupt (fixtures/pcap/tunnel-bad-inner.pcap): judged inside the tunnel"
	bin/mobcap decode fixtures/pcap/tunnel-bad-inner.pcap | grep -v '^# tunnel-bad' | cut -c1-160
else
	fail "1 wire: some packets did not build, parse or verify (see above)"
fi

if [ "$(id -u)" != 0 ]; then
	fail "2-4 need root for the network namespaces (run make demo as root)"
else
	step "2/4 conformance: every suite against every implementation here (~115 s, dmm ~25 s of it; dns-server-mobility with BIND only, ~50 s)"
	# dns-server-mobility against BIND alone (all three name servers: make check)
	{ conformance/run --results "$out/conformance" $(ls conformance/suites | grep -vx dns-server-mobility)
	  conformance/run --impl bind --results "$out/conformance-dsm" dns-server-mobility; } |
		grep -E '^not ok' | cut -c1-160 || true
	cat "$out/conformance-dsm/verdicts.tsv" >>"$out/conformance/verdicts.tsv" 2>/dev/null
	# the verdicts per suite and implementation (the whole case x implementation
	# table, wider than a terminal, is in table.txt)
	if [ -s "$out/conformance/verdicts.tsv" ]; then
		echo "suite            implementation  cases  PASS  FAIL  WARN  SKIP  INIT-FAIL"
		awk -F'\t' '{ k = $1 "\t" $3; n[k]++; v[k, $4]++; if (!(k in seen)) { seen[k] = 1; o[++m] = k } }
			END { for (i = 1; i <= m; i++) { split(o[i], a, "\t"); k = o[i];
				printf "%-16s %-15s %5d %5d %5d %5d %5d %10d\n", a[1], a[2], n[k], v[k, "PASS"], v[k, "FAIL"],
					v[k, "WARN"], v[k, "SKIP"], v[k, "INIT-FAIL"] } }' "$out/conformance/verdicts.tsv"
		echo "-- the case x implementation table: $out/conformance/table.txt ($out/conformance-dsm/table.txt)"
	fi
	# the verdicts are the result; PowerDNS's FAILs are findings, not a demo failure
	[ -s "$out/conformance/table.txt" ] || fail "2 conformance: the run wrote no verdict table"

	step "3/4 campaign dns-convergence (short: both trials, ~40 s) into $run"
	reports/campaigns/dns-convergence --short --out "$run" ||
		fail "3 campaign dns-convergence (its output above says which trial)"

	step "3/4 campaign mip6-handoff (short: one cycle home -> f1 -> f2 -> home, ~15 s) into $run"
	reports/campaigns/mip6-handoff --short --out "$run" ||
		fail "3 campaign mip6-handoff (its output above says why)"

	step "3/4 campaign mip6-ro (short: RTT through the home agent and direct, route-optimized handoffs, ~25 s) into $run"
	reports/campaigns/mip6-ro --short --out "$run" ||
		fail "3 campaign mip6-ro (its output above says why)"

	step "3/4 campaign ha-recovery (short: one trial per mode, plain Mobile IPv6, multiple home agents, HA Reliability, ~60 s) into $run"
	reports/campaigns/ha-recovery --short --out "$run" ||
		fail "3 campaign ha-recovery (its output above says why)"

	step "3/4 campaign server-mobility (short: Fig. 1 N 1 4 16, Fig. 2 HOPS 1 4 both shapes, via HA and direct, the cost of 3 moves, ~95 s) into $run"
	reports/campaigns/server-mobility --short --out "$run" ||
		fail "3 campaign server-mobility (its output above says which trial)"

	step "3/4 campaign tcp-migrate (short: 3 moves, the TCP Migrate shim beside mobd's Mobile IPv6 handoff, one stream, core RTT 10 ms, ~30 s) into $run"
	reports/campaigns/tcp-migrate --short --out "$run" ||
		fail "3 campaign tcp-migrate (its output above says why)"

	step "3/4 campaign dmm (short: distributed mobility, two trials with the faster router swapped, DDNS + mksel and the three rendezvous modes, ~45 s) into $run"
	reports/campaigns/dmm --short --out "$run" ||
		fail "3 campaign dmm (its output above says why)"

	step "4/4 report"
	if reports/render "$run"; then
		echo "-- open $run/index.html"
	else
		fail "4 report: reports/render $run"
	fi
fi

if [ -n "$failed" ]; then
	echo "== demo FAILED after $(($(date +%s) - t0)) s:$failed" >&2
	exit 1
fi
echo "== demo done in $(($(date +%s) - t0)) s: wire results and conformance in $out/, campaign and report in $run/"
