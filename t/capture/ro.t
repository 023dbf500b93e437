#!/bin/sh
# t/capture/ro.t: mobcap latency with route optimization, held to figures
# known by construction.  t/lib/mkscene --ro writes the mobile node's
# capture of a move away (40 ms: detection 10, registration 15, resume 15),
# three echoes to the correspondent through the home agent's tunnel (30,
# 34, 32 ms), return routability with it (HoTI 400 ms, CoTI 402, CoT 420,
# HoT 431), and with a second correspondent begun later and done sooner,
# the BU to the first correspondent (435) and its BA (447), an echo sent
# through the tunnel before that BA and answered direct after it (mixed,
# 9 ms; its reply at 449 the first direct data), three echoes direct, HAO
# out and RH2 in (10, 12, 11 ms), then a move back home without route
# optimization and an echo there (4 ms), then a move to CoA2 with return
# routability begun before the home agent's BA, a CoTI only (the CoTI the
# move's first packet, before its BU).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq tcpdump gnuplot
C=$here/bin/mobcap
tmp=$(mktemp -d /tmp/mk-ro.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..33"

S=$tmp/ro.pcap
"$here/t/lib/mkscene" --ro "$S"
ok $? "mkscene --ro writes the scene"
"$C" latency rtt --json "$S" >"$tmp/rtt.jsonl" 2>"$tmp/err"
ok $? "mobcap latency rtt reads it" || diag <"$tmp/err"
PAIR="echo 2001:db8:1::100 > 2001:db8:3::5"

# ---- rtt: the same pair through the home agent and direct ----
sum() { jq -c --arg p "$1" 'select(.summary and .path == $p) | [.pair, .n, .min_ms, .p50_ms, .p90_ms, .max_ms]' "$tmp/rtt.jsonl"; }
is "$(sum tunnel)" "[\"$PAIR\",3,30,32,34,34]" "via HA: n 3, min 30, p50 32, p90 34, max 34 ms"
is "$(sum direct)" "[\"$PAIR\",3,10,11,12,12]" "direct: n 3, min 10, p50 11, p90 12, max 12 ms, the same pair"
is "$(jq -c 'select(.metric and .path) | [.path, .latency_ms, .packets.request.frame, .packets.reply.frame]' "$tmp/rtt.jsonl" | tr '\n' ' ')" \
	'["tunnel",30,5,6] ["tunnel",34,7,8] ["tunnel",32,9,10] ["mixed",9,23,25] ["direct",10,26,27] ["direct",12,28,29] ["direct",11,30,31] ' \
	"each sample: its path, its figure and its frames (tunnelled requests and replies; HAO out and RH2 in; a tunnelled request answered direct: mixed)"
is "$(jq -r 'select(.metric and .path) | .group' "$tmp/rtt.jsonl" | sort -u | tr '\n' '|')" \
	"$PAIR direct (3 hops)|$PAIR mixed paths (3 hops)|$PAIR via HA (6 hops)|" \
	"groups name the path; via HA counts the hops inside the tunnel and outside (4 + 2)"
is "$(jq -c 'select(.metric and .latency_ms == 4) | [.group, .path]' "$tmp/rtt.jsonl")" \
	"[\"$PAIR (3 hops)\",null]" "back home (after the deregistration) an echo is on neither path"
is "$(jq -c 'select(.metric and (.group | startswith("hoti-hot 2001:db8:1::100 > 2001:db8:3::5"))) | .latency_ms' "$tmp/rtt.jsonl")" \
	"31" "the HoTI and HoT inside the tunnel are timed (31 ms)"
"$C" latency rtt "$S" >"$tmp/rtt.txt"
grep -q "^$PAIR *3 *32.000 *34.000 *30.000 *34.000 *3 *11.000 *12.000 *10.000 *12.000 *1\$" "$tmp/rtt.txt"
ok $? "the table: via HA and direct side by side for the pair" || diag <"$tmp/rtt.txt"
"$C" latency rtt --csv "$S" >"$tmp/rtt.csv"
is "$(head -n 1 "$tmp/rtt.csv" | cut -d, -f13)" "path" "CSV: a path column"
is "$(tail -n +2 "$tmp/rtt.csv" | cut -d, -f13 | sort | uniq -c | awk '{print $1 "x" $2}' | tr '\n' ' ')" \
	"12x 3xdirect 1xmixed 3xtunnel " "CSV: 3 direct, 1 mixed, 3 tunnel, the rest (signalling, at home) empty"

# ---- handoff: the route-optimized breakdown ----
"$C" latency handoff --json "$S" >"$tmp/h-all.jsonl"
jq -c 'select(.metric)' "$tmp/h-all.jsonl" >"$tmp/h.jsonl"
is "$(jq -c 'select(.move == 1) | [.latency_ms, .steps_ms.detection, .steps_ms.registration, .steps_ms.resume]' "$tmp/h.jsonl")" \
	"[40,10,15,15]" "the move away: today's figures (40 ms: 10, 15, 15)"
is "$(jq -c 'select(.move == 1) | [.steps_ms.to_rr, .steps_ms.rr, .steps_ms.bu_cn, .steps_ms.direct, .steps_ms.to_direct]' "$tmp/h.jsonl")" \
	"[375,31,12,2,449]" "route optimization: to_rr 375, rr 31, bu_cn 12, direct 2, to_direct 449 ms (the first direct data: the RH2 reply)"
is "$(jq -c 'select(.move == 1) | [.correspondent, .correspondents, .ba_cn_status, (.packets | [.hoti, .coti, .hot, .cot, .bu_cn, .ba_cn, .direct_data] | map(.frame))]' "$tmp/h.jsonl")" \
	'["2001:db8:3::5",2,0,[11,12,21,20,22,24,25]]' \
	"the first correspondent's exchange and its frames, not the second's (done sooner); 2 correspondents"
is "$(jq -c '[.move, (.steps_ms | keys_unsorted), .correspondent]' "$tmp/h.jsonl" | sed -n 2p)" \
	'[2,["detection","registration","resume"],null]' "back home, no route optimization: today's steps only"
is "$(jq -c 'select(.move == 2) | .latency_ms' "$tmp/h.jsonl")" "10" "back home: 10 ms"
is "$(jq -c 'select(.move == 3) | [.latency_ms, .steps_ms.detection, .steps_ms.registration, .steps_ms.resume, .steps_ms.to_rr, .steps_ms.rr, .steps_ms.bu_cn, .steps_ms.direct, .steps_ms.to_direct]' "$tmp/h.jsonl")" \
	"[30,1,15,14,-16,12,10,3,30]" "away again: RR while registering (to_rr -16), a CoTI only (rr 12), bu_cn 10, direct 3, to_direct 30"
is "$(jq -c 'select(.move == 3) | .packets | [.first_from_new_address.frame, .coti.frame, .cot.frame, .hoti, .hot, .bu_cn.frame, .ba_cn.frame, .direct_data.frame]' "$tmp/h.jsonl")" \
	"[38,38,40,null,null,42,43,44]" "its frames: the CoTI before the BU is the move's first packet and its own"
"$here/t/lib/mkscene" "$tmp/plain.pcap"
is "$("$C" latency handoff --json "$tmp/plain.pcap" | jq -c 'select(.metric) | [(.steps_ms | keys_unsorted | length), .correspondent]' | sort -u)" \
	"[3,null]" "a capture without route optimization: records without its steps"
# the capture cut after the correspondent's BA: the record is written at its end
tcpdump -r "$S" -c 24 -w "$tmp/cut.pcap" 2>/dev/null
is "$("$C" latency handoff --json "$tmp/cut.pcap" | jq -c 'select(.move == 1) | [.latency_ms, .steps_ms.bu_cn, .steps_ms.direct, .steps_ms.to_direct, .packets.direct_data]')" \
	"[40,12,null,null,null]" "no direct data before the end: the move's latency, bu_cn, and no direct step"
is "$("$C" latency handoff --json "$here/fixtures/pcap/all-messages.pcap" | jq -c 'select(.metric) | [.steps_ms.bu_cn, .ba_cn_status, .steps_ms.rr]')" \
	"[null,135,3]" "all-messages.pcap: the correspondent's BA refused (135): no bu_cn step; RR 3 ms"
"$C" latency handoff "$S" >"$tmp/h.txt"
grep -q '^2001:db8:1::100 to a foreign link *2 *0 *30.000 *30.000 *40.000 *40.000 *40.000$' "$tmp/h.txt"
ok $? "the handoff table is as before (the latency to the first data: 40 ms through the tunnel, 30 ms by an RH2)" || diag <"$tmp/h.txt"
grep -q '^2001:db8:1::100 to a foreign link *2 *-16.000/375.000 *12.000/31.000 *10.000/12.000 *2.000/3.000 *30.000/449.000$' "$tmp/h.txt" &&
	[ "$(grep -c '^2001:db8:1::100 back home' "$tmp/h.txt")" = 1 ]
ok $? "then the route optimization table: p50/p90 of each step, the move home not in it" || diag <"$tmp/h.txt"
is "$(jq -c 'select(.summary) | [.group, .ro_n, .ro_p50_ms.to_direct, .ro_p90_ms.rr]' "$tmp/h-all.jsonl" | tr '\n' ' ')" \
	'["2001:db8:1::100 back home",null,null,null] ["2001:db8:1::100 to a foreign link",2,30,31] ' "JSON summaries: ro_n, ro_p50_ms, ro_p90_ms where there was route optimization"

# ---- the report ----
mkdir -p "$tmp/run/ro"
cat "$tmp/rtt.jsonl" "$tmp/h-all.jsonl" >"$tmp/run/ro/records.jsonl"
"$here/reports/render" "$tmp/run" >/dev/null 2>"$tmp/err"
ok $? "reports/render renders the trial" || diag <"$tmp/err"
H=$tmp/run/index.html
grep -q '^<tr><td>echo 2001:db8:1::100 &gt; 2001:db8:3::5</td><td>3</td><td>32</td><td>34</td><td>30</td><td>34</td><td>3</td><td>11</td><td>12</td><td>10</td><td>12</td><td>1</td></tr>$' "$H"
ok $? "the report: via HA and direct side by side for the pair"
grep -q '<td>2001:db8:1::100 to a foreign link</td><td>2</td>.*<td>2</td><td>-16</td><td>375</td><td>2</td><td>12</td><td>31</td><td>2</td><td>10</td><td>12</td><td>2</td><td>2</td><td>3</td><td>2</td><td>30</td><td>449</td></tr>' "$H" &&
	grep -q '<td>2001:db8:1::100 back home</td><td>1</td>.*<td>0</td><td>-</td><td>-</td></tr>' "$H"
ok $? "the report's handoff steps: the RO columns, empty for the move home"

# ---- --by-path: the table alone, for the demo ----
out=$("$C" latency rtt --by-path "$S")
ok $? "--by-path: exit 0"
is "$(printf '%s\n' "$out" | sed -n 3p | tr -s ' ')" "$PAIR 3 32.000 34.000 30.000 34.000 3 11.000 12.000 10.000 12.000 1" \
	"--by-path: the header and the pair's line, nothing else" && [ "$(printf '%s\n' "$out" | wc -l)" = 3 ]
ok $? "--by-path: three lines"
"$C" latency rtt --by-path "$here/fixtures/pcap/rtt-delay0-P-eth0.pcap" >"$tmp/o" 2>"$tmp/e"
is "$?:$(wc -c <"$tmp/o"):$(grep -c 'no echo, DNS, SYN or TCP data round trip between a home address' "$tmp/e")" "3:0:1" \
	"--by-path on a capture without mobility: exit 3, the reason, no table"
"$C" latency handoff --by-path "$S" >"$tmp/o" 2>"$tmp/e"
is "$?:$(wc -c <"$tmp/o"):$(cat "$tmp/e")" "2:0:mobcap: --by-path is an option of rtt, not of handoff" "--by-path with handoff: usage, exit 2"
"$C" latency rtt --by-path --csv "$S" >"$tmp/o" 2>"$tmp/e"
is "$?:$(wc -c <"$tmp/o"):$(cat "$tmp/e")" "2:0:mobcap: --by-path prints a table: not with --csv" "--by-path with --csv: usage, exit 2"
