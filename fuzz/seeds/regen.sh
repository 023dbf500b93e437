#!/bin/sh
# fuzz/seeds/regen.sh: rebuild fuzz/seeds/mobcap/, the seed corpus of
# fuzz/fz_mobcap.c, from the shipped captures (fixtures/pcap/*.pcap and the
# captures t/lib/mkscene writes, whose latencies are known, route
# optimization among them: HAO and RH2 data, tunnelled HoTI and HoT).  Run
# from the top of the tree after `make`; review the diff like code.
#
# Unseeded, the harness never grew an input to a whole IPv6 frame in
# 4 minutes.  A seed is a run of consecutive frames of one capture, cut
# with editcap (Wireshark's) so that it stays within the 4096 octets
# tools/fuzz.sh gives libFuzzer (-max_len): whole files that fit, else
# windows of WINDOW frames, halved until each window fits.
set -eu

out=fuzz/seeds/mobcap
max=4096
window=${WINDOW:-16}
for b in t/lib/mkscene bin/mobcap; do
	[ -x "$b" ] || { echo "regen: no $b: run make first" >&2; exit 2; }
done
command -v editcap >/dev/null || { echo "regen: no editcap (apt-get install wireshark-common)" >&2; exit 2; }

tmp=$(mktemp -d /tmp/mk-seeds.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

t/lib/mkscene "$tmp/scenes.pcap"
t/lib/mkscene --ro "$tmp/scenes-ro.pcap"
rm -f "$out"/*.pcap "$out"/*.pcapng
mkdir -p "$out"

size() { wc -c <"$1" | tr -d ' '; }
frames() { tcpdump -nn -r "$1" 2>/dev/null | wc -l | tr -d ' '; }

# cut FILE NAME FIRST LAST W: frames FIRST..LAST in windows of W
cut_windows() {
	f=$1 name=$2 first=$3 last=$4 w=$5
	a=$first
	while [ "$a" -le "$last" ]; do
		b=$((a + w - 1))
		[ "$b" -le "$last" ] || b=$last
		s=$out/$name-$a-$b.pcap
		editcap -r "$f" "$s" "$a-$b" 2>/dev/null
		if [ "$(size "$s")" -gt "$max" ]; then
			rm -f "$s"
			[ "$w" -gt 1 ] && cut_windows "$f" "$name" "$a" "$b" $((w / 2))
		fi
		a=$((b + 1))
	done
}

for f in fixtures/pcap/*.pcap "$tmp/scenes.pcap" "$tmp/scenes-ro.pcap"; do
	name=$(basename "$f" .pcap)
	if [ "$(size "$f")" -le "$max" ]; then
		cp "$f" "$out/$name.pcap"
	else
		cut_windows "$f" "$name" 1 "$(frames "$f")" "$window"
	fi
done
# DNS convergence needs the UPDATE (seen at MN) and the answers (seen at a
# client) in one file: the windows of the two merged that hold a record
mergecap -F pcap -w "$tmp/conv-merged.pcap" fixtures/pcap/conv-MN-eth0.pcap fixtures/pcap/conv-CLU1-eth0.pcap
cut_windows "$tmp/conv-merged.pcap" conv-merged 1 "$(frames "$tmp/conv-merged.pcap")" "$window"
for s in "$out"/conv-merged-*; do
	bin/mobcap latency convergence "$s" >/dev/null 2>&1 || rm -f "$s"
done
# the same packets as pcapng, for libpcap's other reader
editcap -F pcapng "$tmp/scenes.pcap" "$out/scenes.pcapng"
echo "regen: $(ls "$out" | wc -l) seeds, $(du -sk "$out" | cut -f1) kB in $out"
