#!/bin/sh
# t/capture/report.t: reports/render as a reader sees it, on a fixture run
# made here without a testbed: a handoff trial from t/lib/mkscene's capture
# (steps known by construction: detection 10, 5, 1 ms; registration 15,
# 25 ms; resume 15, 2 ms) and an rtt trial over fixtures/pcap (13 groups,
# more than gnuplot's 8 default colours).  Checks the step table of the
# handoff (p50/p90 by nearest rank), that no two CDF curves share colour
# and dash, and that the legend sits below the plot, not on the curves.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
need_cmds jq gnuplot
C=$here/bin/mobcap
tmp=$(mktemp -d /tmp/mk-report.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

echo "1..7"

run=$tmp/run
mkdir -p "$run/handoff" "$run/rtt"
"$here/t/lib/mkscene" "$tmp/scene.pcap"
"$C" latency handoff --json "$tmp/scene.pcap" >"$run/handoff/records.jsonl"
"$C" latency rtt --json "$here"/fixtures/pcap/*.pcap "$tmp/scene.pcap" >"$run/rtt/records.jsonl" 2>/dev/null
"$here/reports/render" "$run" >/dev/null 2>"$tmp/err"
ok $? "render writes the report" || diag <"$tmp/err"
H=$run/index.html

grep -q '<h4>handoff steps (ms), per kind of move</h4>' "$H"
ok $? "the handoff trial has a table of its steps"
hdr=$(grep -o '<th colspan="3">[a-z ]*</th>' "$H" | sed 's/<[^>]*>//g' | tr '\n' ' ')
is "$hdr" "detection registration resume " "its steps: detection, registration, resume"
row=$(grep '<tr><td>2001:db8:1::100 to a foreign link</td><td>3</td>' "$H" | sed 's/<\/td><td>/ /g; s/<[^>]*>//g')
# records 3; detection n 3 p50 5 p90 10; registration n 2 p50 15 p90 25; resume n 2 p50 2 p90 15
is "$row" "2001:db8:1::100 to a foreign link 3 3 5 10 2 15 25 2 2 15" "per kind of move: n, p50 and p90 of each step"

# the CDF: per curve (gnuplot_plot_N), its stroke colour and dash, and the
# height of its legend entry
svg=$run/cdf-rtt-rtt.svg
awk '
	/<g id="gnuplot_plot_/ { k++; ty[k] = ""; st[k] = "" }
	k && /translate\(/ && ty[k] == "" { s = $0; sub(/.*translate\([0-9.]*,/, "", s); sub(/\).*/, "", s); ty[k] = s }
	k && /<path stroke=/ && st[k] == "" {
		c = $0; sub(/.*<path stroke=\x27/, "", c); sub(/\x27.*/, "", c); gsub(/ /, "", c)
		d = "solid"; if ($0 ~ /stroke-dasharray=/) { d = $0; sub(/.*stroke-dasharray=\x27/, "", d); sub(/\x27.*/, "", d) }
		st[k] = c "/" d
	}
	END { for (i = 1; i <= k; i++) print i, ty[i], st[i] }' "$svg" >"$tmp/curves"
nc=$(wc -l <"$tmp/curves")
uniq=$(awk '{ print $3 }' "$tmp/curves" | sort -u | wc -l)
[ "$nc" -ge 10 ] && [ "$uniq" = "$nc" ]
ok $? "no two of the $nc curves share colour and dash ($uniq distinct)" || diag <"$tmp/curves"
xl=$(grep -B1 '>latency (ms)<' "$svg" | sed -n 's/.*translate([0-9.]*,\([0-9.]*\)).*/\1/p' | head -1)
below=$(awk -v y="${xl:-0}" '$2 > y { b++ } END { print b + 0 }' "$tmp/curves")
[ -n "$xl" ] && [ "$below" = "$nc" ]
ok $? "every legend entry is below the x axis label (y > $xl): $below of $nc, none on the curves"
grep -q 'alt="CDF of handoff latency' "$H" && grep -q 'alt="CDF of rtt latency' "$H"
ok $? "both trials have their CDF"
