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

# A live capture (fixtures/pcap/migrate-live.pcap, 47 frames cut from
# FH's capture in conformance case tcp-migrate/04-migsynack, mobd's migrate
# role of branch migshim as of 2026-12-03): MH moved l2 -> l1 during a
# stream MH -> FH:7011 (core RTT 10 ms).  Frame 4 the Migrate SYN from l1,
# 32 FH's SYN/ACK, 38 the first data on the new 4-tuple (past the hole the
# move left), 41 a RST from MH's new address (its kernel, answering the
# SYN/ACK), 45 FH's first ACK past its rcv_nxt at the migration; frame 3 a
# Migrate SYN of another connection that left from MH's old address (the
# shim then, going back to a connection's original address) and whose
# SYN/ACK went elsewhere.
G=$here/fixtures/pcap/migrate-live.pcap
r=$("$C" latency migrate --json "$G" | jq -c 'select(.metric and .latency_ms) | [.latency_ms, .steps_ms.to_syn, .steps_ms.handshake, .steps_ms.to_data_acked, .resets, .packets.migrate_syn.frame, .packets.synack.frame, .packets.first_data.frame, .packets.data_acked.frame]')
is "$r" "[94.296832,0,25.650944,68.645888,1,4,32,38,45]" \
	"live capture: 94.3 ms (Migrate SYN 0 + handshake 25.7 + 68.6 to the first new byte acknowledged); the RST counted, not the end; frames 4, 32, 38, 45"
a=$("$C" latency migrate --json "$G" | jq -r 'select(.metric and .latency_ms == null) | "\(.packets.migrate_syn.frame) \(.absent)"')
is "$a" "3 no SYN/ACK to the Migrate SYN, before the capture ended" \
	"live capture: the Migrate SYN whose SYN/ACK went to another address has no latency, and says why"
