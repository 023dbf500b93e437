#!/bin/sh
# t/capture/migrate.t: mobcap latency migrate on a host that comes back to
# an address it had (t/lib/mkscene --migrate: a1 -> a2 -> a1), under both
# codepoint profiles, and on a capture of a live migration through mobd's
# migrate role (fixtures/pcap/migrate-live.pcap).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq
C=$here/bin/mobcap
tmp=$(mktemp -d /tmp/mk-migcap.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP
echo "1..11"

lat() { "$C" latency migrate --json "$@" 2>/dev/null | jq -c 'select(.metric and .latency_ms) | [.latency_ms, .steps_ms.to_syn, .steps_ms.handshake, .steps_ms.to_data_acked, .packets.first_from_new_address.frame]' | tr '\n' ' '; }
want="[21,3,6,12,6] [30,2,6,22,13] [120,102,6,12,20] "

"$here/t/lib/mkscene" --migrate "$tmp/d.pcap"
ok $? "the default-profile scene is written"
"$here/t/lib/mkscene" --migrate "$tmp/p.pcap" paper
ok $? "the paper-profile scene is written"
is "$(lat "$tmp/d.pcap")" "$want" \
	"to a2: 21 ms (3 + 6 + 12); back to a1: 30 ms (2 + 6 + 22), timed from its return (frame 13), not its first stay; to a2 again after a request never answered: 120 ms (102 + 6 + 12) from its echo (frame 20), not from a late segment of its old 4-tuple (frame 18)"
is "$(lat --profile paper "$tmp/p.pcap")" "$want" "the paper profile's kinds (35/36) under --profile paper: the same"
is "$(lat "$tmp/p.pcap")" "$want" "a paper-profile capture read under the default profile: the other profile's Migrate is found"
is "$(lat --profile paper "$tmp/d.pcap")" "$want" "and a default-profile capture under --profile paper"
nrec=$("$C" latency migrate --json "$tmp/d.pcap" | jq -s '[.[] | select(.metric)] | length')
is "$nrec" "4" "the retransmitted Migrate SYN (same ReqNo) makes no record of its own: 3 migrations and 1 superseded request"
is "$("$C" latency migrate --json "$tmp/d.pcap" | jq -r 'select(.metric and .latency_ms == null) | .absent')" \
	"no SYN/ACK to the Migrate SYN, superseded by a Migrate SYN with ReqNo 4" \
	"a newer ReqNo on the same 4-tuple ends the unanswered request, absent, with the reason"
"$C" latency migrate "$tmp/d.pcap" | grep -q '^2001:db8:22::100 > 2001:db8:3::5 port 80 *2 *1 *21.000 *21.000 *120.000'
ok $? "the table: one row per new address; a2: n 2, absent 1, 21 and 120 ms"

# A live capture (fixtures/pcap/migrate-live.pcap: frames 181-227 of FH's
# capture in conformance case tcp-migrate/04-migsynack, mobd's migrate role
# of branch mig16 as of 2026-12-03, cut with editcap -r): MH moved l2 -> l1
# with two connections to FH: a stream MH -> FH:7011 and an idle one to
# FH:7001.  The expected values are tshark's (-o
# tcp.relative_sequence_numbers:FALSE; times to the microsecond, the
# capture's resolution), not mobcap's:
#   frame 11  Migrate SYN (kind 253, length 21) 39152 -> 7001 from l1
#   frame 12  Migrate SYN 36526 -> 7011 from l1, 1796333318.069168
#   frame 13  FH's SYN/ACK 7001 -> 39152 to the same l1 address (the old
#             capture's went to another address: the shim's bug then)
#   frame 14  FH's SYN/ACK 7011 -> 36526, ack 3130462581, .071915
#   frame 15  the first data 36526 -> 7011 from l1 after it (len 1024)
#   frame 18  FH's first ACK past 3130462581 (ack 3130464009), .094487
#   no RST.  The first packet from l1 that is not another connection's
#   Migrate SYN is frame 12 itself (to_syn 0), so 7011: 25.319 ms =
#   2.747 (12 -> 14) + 22.572 (14 -> 18); 7001 carries no data.
G=$here/fixtures/pcap/migrate-live.pcap
r=$("$C" latency migrate --json "$G" | jq -c 'select(.metric and .latency_ms) | [(.latency_ms * 1000 | round / 1000), .steps_ms.to_syn, (.steps_ms.handshake * 1000 | round / 1000), (.steps_ms.to_data_acked * 1000 | round / 1000), .resets, .packets.migrate_syn.frame, .packets.synack.frame, .packets.first_data.frame, .packets.data_acked.frame]')
is "$r" "[25.319,0,2.747,22.572,0,12,14,15,18]" \
	"live capture: 25.319 ms (Migrate SYN 0 + handshake 2.747 + 22.572 to the first new byte acknowledged); no RST; frames 12, 14, 15, 18"
a=$("$C" latency migrate --json "$G" | jq -r 'select(.metric and .latency_ms == null) | "\(.packets.migrate_syn.frame) \(.packets.synack.frame) \(.absent)"')
is "$a" "11 13 no data on the migrated connection, before the capture ended" \
	"live capture: the idle connection's Migrate SYN (11) answered by the SYN/ACK to its address (13), no latency without data, and says why"
