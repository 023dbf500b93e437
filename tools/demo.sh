#!/bin/sh
# tools/demo.sh: what `make demo` does today.
#
# The testbed (namespaces, real servers, the reference stack) is not built
# yet, so this demo does NOT move a node or measure anything.  It shows the
# wire layer every later part stands on:
#   1. craft one of every message mobkit speaks into a pcap (bin/mobwire),
#   2. decode the pcap back with libmobkit and print the table, with every
#      checksum verified (the Mobility Header one included),
#   3. if tshark is installed, print Wireshark's one-line view of the same
#      file as an independent second opinion.
set -eu
out=${MK_DEMO_DIR:-results/demo}
mkdir -p "$out"
pcap=$out/all-messages.pcap

cat <<EOF
== mobkit demo (wire layer only: the namespace testbed is not built yet)
== 1. crafting one of every message into $pcap
EOF
bin/mobwire craft -o "$pcap" --manifest "$out/all-messages.manifest"

echo "== 2. decoding it back with libmobkit (verdict: parse + checksum)"
status=0
bin/mobwire decode "$pcap" || status=$?

if command -v tshark >/dev/null 2>&1; then
	echo "== 3. the same file as tshark sees it"
	tshark -n -r "$pcap" 2>/dev/null | cut -c1-150
else
	echo "== 3. tshark not installed: no second opinion (make deps installs it)"
fi

if [ "$status" -ne 0 ]; then
	echo "demo: some packets did not parse or verify (see above)" >&2
	exit 1
fi
echo "== done: $pcap and its manifest are in $out/"
