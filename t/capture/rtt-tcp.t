#!/bin/sh
# t/capture/rtt-tcp.t: mobcap latency rtt pairs a TCP request segment with
# its reply segment (data -> data: the client's higher port to the
# server's, the reply acknowledging the request's last octet), classified
# by path, held to figures known by construction.  t/lib/mkscene --req
# writes a client's capture: a HoTI from the home address (away), three
# exchanges through the home agent (40, 44, 42 ms), three direct with RH2
# out and HAO in (20, 22, 21 ms), and the segments that are no pair (a
# pure ACK, the next request acknowledging a reply, a reply's second
# segment, a retransmitted request, a segment acknowledging nothing asked),
# and a request inside the home agent's tunnel (the home address away).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq tcpdump
C=$here/bin/mobcap
tmp=$(mktemp -d /tmp/mk-rtt-tcp.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..10"

S=$tmp/req.pcap
"$here/t/lib/mkscene" --req "$S"
ok $? "mkscene --req writes the scene"
"$C" latency rtt --json "$S" >"$tmp/rtt.jsonl" 2>"$tmp/err"
ok $? "mobcap latency rtt reads it" || diag <"$tmp/err"
PAIR="tcp-data 2001:db8:3::5 > 2001:db8:1::100"
sum() { jq -c --arg p "$1" 'select(.summary and .path == $p) | [.pair, .n, .min_ms, .p50_ms, .p90_ms, .max_ms]' "$tmp/rtt.jsonl"; }
is "$(sum tunnel)" "[\"$PAIR\",3,40,42,44,44]" "via HA: n 3, min 40, p50 42, p90 44, max 44 ms"
is "$(sum direct)" "[\"$PAIR\",3,20,21,22,22]" "direct: n 3, min 20, p50 21, p90 22, max 22 ms, the same pair"
is "$(jq -c 'select(.metric and (.group | startswith("tcp-data"))) | [.path, .latency_ms, .packets.request.frame, .packets.reply.frame]' "$tmp/rtt.jsonl" | tr '\n' ' ')" \
	'["tunnel",40,3,5] ["tunnel",44,6,7] ["tunnel",42,9,11] ["direct",20,13,14] ["direct",22,15,16] ["direct",21,17,18] ' \
	"each sample's path, figure and frames: no tunnelled request without reply (2), pure ACK (4), next request (6), second segment (8), retransmission (10) or stray segment (12) taken"
is "$(jq -r 'select(.metric and .path) | .group' "$tmp/rtt.jsonl" | sort -u | tr '\n' '|')" \
	"$PAIR direct (3 hops)|$PAIR via HA (4 hops)|" "groups name the path and the reply's hops"
out=$("$C" latency rtt --by-path "$S")
is "$(printf '%s\n' "$out" | sed -n 3p | tr -s ' ')" "$PAIR 3 42.000 44.000 40.000 44.000 3 21.000 22.000 20.000 22.000 0" \
	"--by-path: via HA and direct side by side"
# without the HoTI the tunnel from the home agent (2001:db8:1::2, the home
# address's /64) to the care-of address says the home address is away
tcpdump -r "$S" -w "$tmp/nohoti.pcap" 'not ip6 proto 135' 2>/dev/null
is "$("$C" latency rtt --json "$tmp/nohoti.pcap" | jq -c 'select(.metric and (.group | startswith("tcp-data"))) | .path' | sort | uniq -c | awk '{ print $1 $2 }' | tr '\n' ' ')" \
	'3"direct" 3"tunnel" ' "no HoTI: the home agent's tunnel tells the home address away (3 via HA, 3 direct)"
# without either nothing says so: the exchanges through the home agent
# are plain ones, on neither path
tcpdump -r "$S" -w "$tmp/plain.pcap" 'not ip6 proto 135 and not ip6 proto 41' 2>/dev/null
is "$("$C" latency rtt --json "$tmp/plain.pcap" | jq -c 'select(.metric and (.group | startswith("tcp-data"))) | [.path, .latency_ms]' | tr '\n' ' ')" \
	'[null,40] [null,44] [null,42] ["direct",20] ["direct",22] ["direct",21] ' "no HoTI, no tunnel: the plain exchanges on no path, the RH2/HAO ones direct"
# the ports decide who asks: the same scene with the server on the higher
# port would pair the other way; here the client's 45000 > 7000
is "$(jq -r 'select(.metric and (.group | startswith("tcp-data"))) | .subject' "$tmp/rtt.jsonl" | sort -u)" \
	"2001:db8:3::5" "the requester is the client (its port the higher)"
