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
echo "1..22"

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
is "$(lat recovery '[.steps_ms.detection, .steps_ms.D, (.steps_ms | has("A") or has("E"))]')" \
	'[500,40,false]' "recovery, the paper's steps: a Home Agent Unreachable came, so multiple home agents: detection 500, D 40"
"$here/t/lib/mkscene" --recovery "$tmp/r.pcap"
rec=$("$C" latency recovery --json "$tmp/r.pcap" 2>/dev/null | jq -c 'select(.metric and .subject == "2001:db8:1::100") | [.latency_ms, .steps_ms.A, .steps_ms.B, .steps_ms.C, .steps_ms.D, .steps_ms.E, .steps_ms.G, .steps_ms.H, .steps_ms.I]' | tr '\n' ' ')
is "$rec" "[3040,3000,10,15,5,null,null,null,null] [605,null,null,null,null,600,1,null,4] " \
	"recovery, the paper's steps: RFC 6275 A 3000 + B 10 (DHAAD) + C 15 + D 5; HA Reliability E 600 + G 1 + I 4 (no H: the new home agent delivered before its BA)"
rec=$("$C" latency recovery --json "$tmp/r.pcap" 2>/dev/null | jq -c 'select(.metric and .subject == "2001:db8:1::200") | [.latency_ms, .steps_ms.A, .steps_ms.B, .steps_ms.C, .steps_ms.D, .packets.bu.frame]' | tr '\n' ' ')
is "$rec" "[3020,3000,null,12,8,8] " \
	"recovery follows the care-of address: a second mobile node, at another one, is not given the first one's DHAAD (A 3000 to its own BU, no B, C 12, D 8)"
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

# The vantage point per move: the mobile node's and the home agent's captures
# given together (mkscene --home: a move away and one back home; the HA's
# capture holds, before the MN is home, the packet it decapsulated and
# forwarded from the home address) time each move where the BU left.
M=$tmp/MN-eth0.pcap H=$tmp/HA1-eth0.pcap
"$here/t/lib/mkscene" --home "$M" "$H"
ok $? "mkscene --home writes the MN's and the HA's captures"
recs() { (cd "$tmp" && "$C" latency handoff --json "$@" 2>/dev/null) | jq -c 'select(.metric)'; }
recs MN-eth0.pcap >"$tmp/mn.jsonl"
is "$(jq -c '[.latency_ms, .steps_ms.detection, .steps_ms.registration, .steps_ms.resume, .vantage, [.packets[].frame]]' "$tmp/mn.jsonl" | tr '\n' ' ')" \
	'[40,10,15,15,"MN-eth0.pcap",[1,2,3,4]] [10,4,2,4,"MN-eth0.pcap",[6,7,8,9]] ' \
	"the MN's capture alone: 40 ms away, 10 ms back home, vantage MN-eth0.pcap"
recs MN-eth0.pcap HA1-eth0.pcap >"$tmp/both.jsonl"
cmp -s "$tmp/mn.jsonl" "$tmp/both.jsonl"
ok $? "MN + HA: the same records (figures, files, frames) as the MN's capture alone" ||
	diff "$tmp/mn.jsonl" "$tmp/both.jsonl" | diag
recs HA1-eth0.pcap MN-eth0.pcap >"$tmp/both2.jsonl"
cmp -s "$tmp/mn.jsonl" "$tmp/both2.jsonl"
ok $? "HA + MN (the HA's file first): the same records" || diff "$tmp/mn.jsonl" "$tmp/both2.jsonl" | diag
is "$(recs HA1-eth0.pcap | jq -c 'select(.move == 2) | [.latency_ms, .packets.first_from_new_address.frame, .vantage]')" \
	'[9.8,6,"HA1-eth0.pcap"]' \
	"the HA's capture alone: back home starts at the MN's own packet (frame 6), not the decapsulated one (5)"
"$here/t/lib/mkscene" --home "$tmp/MNs.pcap" "$tmp/HAs.pcap" -1
recs MNs.pcap HAs.pcap | jq -c 'select(.move == 1) | del(.packets[].file, .vantage)' >"$tmp/skew.jsonl"
jq -c 'select(.move == 1) | del(.packets[].file, .vantage)' "$tmp/mn.jsonl" | cmp -s - "$tmp/skew.jsonl" &&
	[ "$(recs MNs.pcap HAs.pcap | jq -r 'select(.move == 1) | .vantage')" = MNs.pcap ]
ok $? "the HA's clock 1 ms behind: the move away is still timed at the MN (the BU's higher hop limit there)"
is "$( (cd "$tmp" && "$C" latency handoff --csv MN-eth0.pcap HA1-eth0.pcap) | cut -d, -f12 | tr '\n' ' ')" \
	"vantage MN-eth0.pcap MN-eth0.pcap " "CSV: the vantage column"
