#!/bin/sh
# t/oracle/tshark.t: Wireshark as an independent decoder of what we build.
#
# `mobwire craft` writes one of every message into a pcap and, beside it, a
# manifest of the tshark fields each packet must show with the values that
# were put in.  This test asks tshark for those fields and compares them one
# by one, checks that tshark reports no malformed packet and no expert
# warning or error, then proves that our own checksum verifier catches one
# flipped bit in a Mobility Header, which tshark does not check.
#
# Known Wireshark 4.0 dissector defects, tolerated by name below (our layout
# follows the RFC; each is checked by our own tests):
#  - Home Agent Switch (RFC 5142): dissect_mip6_has() returns 2 + 16N as
#    the message length instead of 6 + 2 + 16N, so it reads the last six
#    octets of the address list as options ("Alternate Care-of Address
#    (length byte past end of options)").
#  - The RFC 5096 Experimental Mobility Option shows Len - 2 octets of data,
#    so the MHA option's addresses are not compared through it.
#  - tshark 4.0 cannot verify an hmac-sha256 TSIG ("No dissector for
#    algorithm"); our TSIG MAC is checked against openssl in t/dns/update.t.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
mobwire=$here/bin/mobwire
n=0
fails=0

ok() { n=$((n + 1)); echo "ok $n - $1"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $1"; }

if ! command -v tshark >/dev/null 2>&1; then
	echo "1..0 # SKIP tshark not installed (make deps installs it)"
	exit 0
fi
[ -x "$mobwire" ] || { echo "Bail out! $mobwire not built (make)"; exit 1; }

tmp=$(mktemp -d /tmp/mk-oracle.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM HUP

# compare <profile> <pcap> <manifest>: one check per manifest line
compare() {
	prof=$1 pcap=$2 man=$3
	fields=$(awk -F'\t' '!/^#/ {print $3}' "$man" | sort -u)
	args=""
	for f in $fields; do args="$args -e $f"; done
	# shellcheck disable=SC2086
	tshark -n -r "$pcap" -T fields -E occurrence=a -E aggregator='|' -E separator=/t \
		-e frame.number $args -e _ws.malformed -e _ws.expert.severity \
		-e _ws.expert.message >"$tmp/fields" 2>"$tmp/tshark.err" ||
		{ nok "$prof: tshark ran"; cat "$tmp/tshark.err" | sed 's/^/# /'; return; }
	awk -F'\t' -v prof="$prof" -v flist="$fields" -v start="$n" '
	BEGIN { nf = split(flist, F, /[ \n]+/); for (i = 1; i <= nf; i++) col[F[i]] = i + 1 }
	FNR == NR { for (i = 1; i <= NF; i++) v[$1, i] = $i; last = NF; nfr = $1; next }
	/^#/ { next }
	{
		fr = $1; label[fr] = $2; field = $3; want = $4; got = v[fr, col[field]]
		gsub(/\|/, ",", got)
		if (got == "True") got = "1"; else if (got == "False") got = "0"
		pass = 0
		if (substr(want, 1, 1) == "~") {
			k = split(got, occ, ","); w = substr(want, 2)
			for (j = 1; j <= k; j++) if (occ[j] == w) pass = 1
		} else pass = (got == want)
		t++
		if (pass) printf "ok %d - %s frame %s %s: %s = %s\n", start + t, prof, fr, $2, field, want
		else {
			printf "not ok %d - %s frame %s %s: %s = %s\n", start + t, prof, fr, $2, field, want
			printf "#   tshark shows \"%s\"\n", got
		}
	}
	END {
		# malformed / expert warnings, per frame
		for (fr = 1; fr <= nfr; fr++) {
			mal = v[fr, nf + 2]; sev = v[fr, nf + 3]; msg = v[fr, nf + 4]
			bad = (mal != "")
			k = split(sev, s, "|"); split(msg, m, "|")
			for (j = 1; j <= k; j++) {
				if (s[j] + 0 < 6291456) continue      # PI_WARN = 0x600000
				if (label[fr] == "ha-switch" && m[j] ~ /length byte past end of options/)
					continue                          # Wireshark HAS length defect
				if (m[j] ~ /^No dissector for algorithm:hmac-sha256$/)
					continue                          # tshark cannot check this TSIG MAC
				bad = 1; why = why " " m[j]
			}
			t++
			if (!bad) printf "ok %d - %s frame %d %s: no malformed packet, no expert warning\n", start + t, prof, fr, label[fr]
			else printf "not ok %d - %s frame %d %s: tshark complains:%s%s\n", start + t, prof, fr, label[fr], (mal != "" ? " malformed" : ""), why
		}
	}' "$tmp/fields" "$man" >"$tmp/tap"
	cat "$tmp/tap"
	n=$((n + $(grep -c '^\(not \)\?ok ' "$tmp/tap")))
	fails=$((fails + $(grep -c '^not ok ' "$tmp/tap")))
}

# default profile: every message
if "$mobwire" craft -o "$tmp/def.pcap" --manifest "$tmp/def.tsv" 2>"$tmp/craft.err"; then
	ok "mobwire crafts every message (default profile)"
	compare default "$tmp/def.pcap" "$tmp/def.tsv"
else
	nok "mobwire crafts every message (default profile)"
	sed 's/^/# /' "$tmp/craft.err"
fi

# paper profile: the Migrate options on the draft's raw kinds 35/36
if "$mobwire" craft --profile paper --only syn-migperm --only syn-migrate \
	-o "$tmp/paper.pcap" --manifest "$tmp/paper.tsv" 2>"$tmp/craft.err"; then
	ok "mobwire crafts the Migrate SYNs (paper profile)"
	compare paper "$tmp/paper.pcap" "$tmp/paper.tsv"
else
	nok "mobwire crafts the Migrate SYNs (paper profile)"
fi

# our decoder verifies every checksum of the clean capture
if "$mobwire" decode "$tmp/def.pcap" >"$tmp/dec" 2>&1; then
	ok "mobwire decode: every packet parses and verifies"
else
	nok "mobwire decode: every packet parses and verifies"
	sed 's/^/# /' "$tmp/dec"
fi

# Flip one bit of the first BU's sequence number: pcap header 24, record
# header 16, Ethernet 14, IPv6 40, Destination Options 24, MH octet 7.
off=$((24 + 16 + 14 + 40 + 24 + 7))
cp "$tmp/def.pcap" "$tmp/flip.pcap"
orig=$(od -An -tu1 -j "$off" -N1 "$tmp/flip.pcap" | tr -d ' ')
flipped=$((orig ^ 1))
printf "$(printf '\\%03o' "$flipped")" | dd of="$tmp/flip.pcap" bs=1 seek="$off" conv=notrunc 2>/dev/null
seq=$(tshark -n -r "$tmp/flip.pcap" -Y frame.number==1 -T fields -e mip6.bu.seqnr 2>/dev/null)
if [ "$seq" = "$((7 ^ 1))" ]; then
	ok "the flipped bit is in the BU (tshark reads sequence number $seq)"
else
	nok "the flipped bit is in the BU (tshark reads sequence number '$seq', want $((7 ^ 1)))"
fi
st=$(tshark -n -r "$tmp/flip.pcap" -Y frame.number==1 -T fields -e _ws.malformed -e _ws.expert.message 2>/dev/null | tr -d '\t')
if [ -z "$st" ]; then
	ok "tshark does not notice the bad MH checksum"
else
	ok "tshark noticed something ($st); our check follows anyway"
fi
"$mobwire" decode "$tmp/flip.pcap" >"$tmp/dec" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q '^   1  BADSUM ' "$tmp/dec" && grep -q 'BAD_CKSUM at offset 68' "$tmp/dec"; then
	ok "mobwire decode reports the MH checksum of frame 1 bad, at its offset (68), and exits 1"
else
	nok "mobwire decode reports the MH checksum of frame 1 bad (exit $rc)"
	sed 's/^/# /' "$tmp/dec"
fi
rows=$(grep -cE '^ *[0-9]+  (ok|BADSUM|ERROR) ' "$tmp/dec")
good=$(grep -cE '^ *[0-9]+  ok ' "$tmp/dec")
if [ "$rows" -gt 1 ] && [ "$good" -eq $((rows - 1)) ]; then
	ok "every other packet still verifies"
else
	nok "every other packet still verifies"
fi

echo "1..$n"
[ "$fails" -eq 0 ]
