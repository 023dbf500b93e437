#!/bin/sh
# t/capture/scenes.t: mobcap latency held to figures known by construction.
# t/lib/mkscene writes a capture (every packet built by lib/wire, stamped at
# chosen milliseconds) with two handoffs, a home-agent recovery, a TCP
# migration, an echo and a refused binding; each metric must give exactly
# the intervals it was built with, name the right frames, and say why the
# refused binding has no latency.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq
C=$here/bin/mobcap
tmp=$(mktemp -d /tmp/mk-scenes.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..12"

"$here/t/lib/mkscene" "$tmp/s.pcap"
ok $? "the scene is written"
lat() { "$C" latency "$1" --json "$tmp/s.pcap" 2>/dev/null | jq -c "select(.metric) | $2"; }

is "$(lat handoff 'select(.latency_ms) | [.latency_ms, .steps_ms.detection, .steps_ms.registration, .steps_ms.resume, .bu_sent]' | tr '\n' ' ')" \
	"[40,10,15,15,1] [32,5,25,2,2] " "handoff: 40 ms (10 + 15 + 15), then 32 ms (5 + 25 + 2) with two BUs"
is "$(lat handoff 'select(.move == 1) | [.packets.first_from_new_address.frame, .packets.bu.frame, .packets.ba.frame, .packets.data.frame]')" \
	"[1,2,3,4]" "handoff 1 names frames 1-4"
is "$(lat handoff 'select(.latency_ms == null) | [.ba_status, .absent]')" \
	'[129,"the home agent refused the binding (BA status 129), before the capture ended"]' \
	"a refused binding: no latency, the status and the reason"
is "$(lat recovery '[.latency_ms, .steps_ms.to_ha_unreachable, .steps_ms.to_bu, .steps_ms.registration, .steps_ms.resume, .peer]')" \
	'[540,500,510,20,10,"2001:db8:1::2"]' "recovery: 540 ms from HA1's last packet to HA2's first (500, 510, 20, 10)"
is "$(lat recovery '[.packets.last_forwarded.frame, .packets.ha_unreachable.frame, .packets.data.frame]')" \
	"[10,11,14]" "recovery names HA1's last, the Home Agent Unreachable and HA2's first"
is "$(lat migrate '[.latency_ms, .steps_ms.to_syn, .steps_ms.handshake, .steps_ms.to_data_acked]')" \
	"[20,4,6,10]" "migrate: 20 ms (4 + 6 + 10)"
is "$(lat migrate '[.packets.migrate_syn.frame, .packets.first_data.frame, .packets.data_acked.frame]')" \
	"[16,19,20]" "migrate names the SYN, the first data and its ACK"
is "$(lat rtt 'select(.group | test("^echo")) | .latency_ms')" "7.5" "rtt: the echo's 7.5 ms"
ng=$("$C" latency rtt --json "$tmp/s.pcap" | jq -s '[.[] | select(.summary)] | length')
is "$ng" "6" "rtt: six groups (4 BU/BA pairs, echo, SYN/SYN-ACK)"
"$C" latency handoff --csv "$tmp/s.pcap" >"$tmp/h.csv"
is "$(sed -n '2p' "$tmp/h.csv" | cut -d, -f7,9)" "40.000000,detection=10.000000;registration=15.000000;resume=15.000000" \
	"CSV: the same figures"
"$C" latency handoff "$tmp/s.pcap" | grep -q '^2001:db8:1::100 to a foreign link *2 *1 *32.000 *32.000 *40.000 *40.000 *40.000$'
ok $? "the table: n 2, absent 1, min 32, p50 32 (nearest rank), p90 40, max 40"
