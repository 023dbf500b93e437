#!/bin/sh
# t/oracle/wireshark-lua.t: the Wireshark Lua plugin (tools/wireshark/mobkit.lua)
# shows every field of what mobkit defines with the value that was put in.
#
# `mobwire craft` builds the messages (the values are those of the recipes
# in tools/mobwire/craft.c, written again below); tshark, with the plugin
# loaded by -X lua_script, prints the mobkit.* fields, and each is compared
# with the value put in: the MHA flag and option, RFC 4285 authentication
# (12 octets, read from the capture) and replay timestamp (NTP time, the
# date computed here with date(1)), Home Agent Unreachable, both forms of
# the Migrate options (token and request recomputed with openssl from the
# draft's formula), CAAAA records and their section.  Both codepoint
# profiles, then every codepoint overridden on both sides, then the plugin
# left at its defaults on the overridden capture (the built-in dissectors
# must keep those packets), a bad preference value, the HARP / State Sync /
# HA Rekey messages and the secure Migrate-Permitted (built with text2pcap:
# mobwire has no recipe for them).  With the plugin loaded, every field of
# the standard messages t/oracle/tshark.t checks and frame.protocols stay
# what they were; no Lua error and no malformed packet anywhere; `make
# install-wireshark` puts the plugin where `tshark -G folders` looks.
#
# MOBKIT_LUA names another copy of the plugin (an installed one).
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
mobwire=$here/bin/mobwire
plugin=${MOBKIT_LUA:-$here/tools/wireshark/mobkit.lua}
fails=0

need_cmds tshark text2pcap openssl
[ -x "$mobwire" ] || { echo "Bail out! $mobwire not built (make)"; exit 1; }
if ! tshark -v 2>/dev/null | grep -q 'with Lua'; then
	echo "1..0 # SKIP this tshark is built without Lua"
	exit 0
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM HUP

check() { # got want what
	is "$1" "$2" "$3" || fails=$((fails + 1))
}

FIELDS="mobkit.codepoints mobkit.bu.flags mobkit.bu.mha_flag mobkit.mha.type mobkit.mha.len
mobkit.mha.count mobkit.mha.addr mobkit.auth.len mobkit.auth.subtype mobkit.auth.spi
mobkit.auth.data mobkit.replay.timestamp mobkit.replay.seconds mobkit.replay.fraction
mobkit.replay.unix mobkit.replay.time mobkit.hau.type mobkit.hau.code mobkit.hau.checksum
mobkit.hau.checksum.status
mobkit.hau.id mobkit.hau.reserved mobkit.hau.count mobkit.hau.addr mobkit.migperm.kind
mobkit.migperm.len mobkit.migperm.exid mobkit.migperm.curve mobkit.migperm.key
mobkit.migrate.kind
mobkit.migrate.len mobkit.migrate.exid mobkit.migrate.p mobkit.migrate.reqno
mobkit.migrate.token mobkit.migrate.request mobkit.caaaa.section mobkit.caaaa.name
mobkit.caaaa.type mobkit.caaaa.class mobkit.caaaa.ttl mobkit.caaaa.rdlength mobkit.caaaa.addr
mobkit.mh.type mobkit.harp.type mobkit.harp.group mobkit.harp.seq mobkit.harp.flags
mobkit.harp.a mobkit.harp.r mobkit.harp.v mobkit.harp.m mobkit.harp.status
mobkit.harp.preference mobkit.harp.lifetime mobkit.harp.hello_interval mobkit.ss.type
mobkit.ss.a mobkit.ss.id mobkit.rekey.reserved mobkit.rekey.addr
mobkit.harp.opt.type mobkit.harp.opt.len
mip6.em.data tcp.options.experimental.exid icmpv6.type _ws.malformed _ws.expert.message"

# dissect <pcap> <out> [tshark options]: one tab-separated row per frame,
# a header row naming the fields, every occurrence joined with ','
dissect() {
	pcap=$1 out=$2
	shift 2
	args=""
	for f in $FIELDS; do args="$args -e $f"; done
	# shellcheck disable=SC2086
	tshark -n -X "lua_script:$plugin" "$@" -r "$pcap" -T fields -E header=y -E occurrence=a \
		-E aggregator=, -E separator=/t -e frame.number $args >"$out" 2>"$out.err"
}

# get <fields file> <frame> <field>
get() {
	awk -F'\t' -v fr="$2" -v f="$3" '
	NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
	$1 == fr { v = (f in col) ? $col[f] : "(no column " f ")"; gsub(/True/, "1", v); gsub(/False/, "0", v); print v; exit }' "$1"
}

# frame <manifest> <recipe>: the frame number mobwire gave a recipe
frame() { awk -F'\t' -v l="$2" '$2 == l { print $1; exit }' "$1"; }

# expect <fields file> <manifest> <profile> <recipe> <field> <value>
expect() {
	fr=$(frame "$2" "$4")
	check "$(get "$1" "$fr" "$5")" "$6" "$3: $4 (frame $fr) $5 = $6"
}

# clean <fields file> <what>: no Lua error, no malformed packet
clean() {
	bad=$(awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
		$col["_ws.malformed"] != "" || $col["_ws.expert.message"] ~ /Lua Error|mobkit: malformed/ {
			print "frame " $1 ": " $col["_ws.expert.message"] }' "$1")
	check "$bad" "" "$2: no Lua error, no malformed packet, no malformed mobkit item"
}

hex() { od -An -tx1 -v | tr -d ' \n'; }
# frame_hex <pcap> <n>: the octets of frame n, in hex (classic little-endian pcap)
frame_hex() {
	hex <"$1" | awk -v want="$2" '{
		at = 49; k = 0
		while (at < length($0)) {
			k++; n = 0
			for (i = 3; i >= 0; i--) n = n * 256 + index("0123456789abcdef", substr($0, at + 16 + 2 * i, 1)) * 16 - 16 + index("0123456789abcdef", substr($0, at + 17 + 2 * i, 1)) - 1
			if (k == want) { print substr($0, at + 32, 2 * n); exit }
			at += 32 + 2 * n
		}
	}'
}
# octets given as hex, as printf escapes
octal() {
	for _p in $(echo "$1" | sed "s/../& /g"); do printf "\\\\%03o" $((0x$_p)); done
}
# first 8 octets of SHA-1 over the octets given as hex
sha1_64() { printf "$(octal "$1")" | openssl dgst -sha1 -binary | head -c 8 | hex; }

# Migrate token and request (draft-snoeren-tcp-migrate-00, insecure key
# K = 25 zero octets), from the ISNs and sequence number of craft.c
k0=00000000000000000000000000000000000000000000000000
ni=01020304 na=55667788 s=0a0b0c0d
token=0x$(sha1_64 "$ni$na$k0")
request=0x$(sha1_64 "$ni$na$k0${s}01")

# RFC 4285 timestamp of craft.c: NTP 0x01234567.89abcdef; the top bit of
# the seconds is clear, so NTP era 1 (RFC 4330 3)
ntp_sec=$((0x01234567))
unix=$((ntp_sec + 4294967296 - 2208988800))
when=$(date -u -d "@$unix" '+%b %e, %Y %H:%M:%S')

# the checks common to both profiles; $1 fields, $2 manifest, $3 profile,
# $4 pcap, then the codepoints: HA Unreachable type, Migrate-Permitted
# kind/len/exid, Migrate kind/len/exid, BU flags, CAAAA type
messages() {
	f=$1 m=$2 p=$3 pcap=$4
	clean "$f" "$p"
	expect "$f" "$m" "$p" bu-home-hao mobkit.bu.flags "$(printf '0x%04x' $((0xd000 | ${12})))"
	expect "$f" "$m" "$p" bu-home-hao mobkit.bu.mha_flag 1
	expect "$f" "$m" "$p" bu-home-hao mobkit.mha.type 18
	expect "$f" "$m" "$p" bu-home-hao mobkit.mha.len 32
	expect "$f" "$m" "$p" bu-home-hao mobkit.mha.count 2
	expect "$f" "$m" "$p" bu-home-hao mobkit.mha.addr 2001:db8:1::2,2001:db8:1::3
	expect "$f" "$m" "$p" bu-home-hao mip6.em.data ""
	expect "$f" "$m" "$p" bu-cn-bad mobkit.bu.mha_flag 0
	expect "$f" "$m" "$p" bu-cn-bad mobkit.mha.addr ""
	expect "$f" "$m" "$p" ba-home-rh2 mobkit.bu.flags ""
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.auth.len 17
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.auth.subtype 1
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.auth.spi 256
	# the authenticator is the option's last 12 octets, the MH's and the frame's
	fr=$(frame "$m" bu-rfc4285)
	last12=$(frame_hex "$pcap" "$fr" | sed "s/.*\(........................\)\$/\1/")
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.auth.data "$last12"
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.replay.timestamp 0x0123456789abcdef
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.replay.seconds "$ntp_sec"
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.replay.fraction 0x89abcdef
	expect "$f" "$m" "$p" bu-rfc4285 mobkit.replay.unix "$unix"
	got=$(get "$f" "$fr" mobkit.replay.time)
	case $got in "$when".5377777*" UTC") r=0 ;; *) r=1 ;; esac
	ok $r "$p: bu-rfc4285 mobkit.replay.time = $when.5377777.. UTC" || { fails=$((fails + 1)); echo "# got '$got'"; }
	expect "$f" "$m" "$p" ha-unreachable mobkit.hau.type "$5"
	expect "$f" "$m" "$p" ha-unreachable mobkit.hau.code 0
	expect "$f" "$m" "$p" ha-unreachable mobkit.hau.id 0x0007
	expect "$f" "$m" "$p" ha-unreachable mobkit.hau.reserved 0x0000
	expect "$f" "$m" "$p" ha-unreachable mobkit.hau.count 1
	expect "$f" "$m" "$p" ha-unreachable mobkit.hau.addr 2001:db8:1::1
	expect "$f" "$m" "$p" dhaad-reply mobkit.hau.type ""
	expect "$f" "$m" "$p" syn-migperm mobkit.migperm.kind "$6"
	expect "$f" "$m" "$p" syn-migperm mobkit.migperm.len "$7"
	expect "$f" "$m" "$p" syn-migperm mobkit.migperm.exid "$8"
	expect "$f" "$m" "$p" syn-migperm mobkit.migperm.curve 0
	expect "$f" "$m" "$p" syn-migperm mobkit.migrate.kind ""
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.kind "$9"
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.len "${10}"
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.exid "${11}"
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.p 0
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.reqno 1
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.token "$token"
	expect "$f" "$m" "$p" syn-migrate mobkit.migrate.request "$request"
	expect "$f" "$m" "$p" syn-migrate mobkit.migperm.kind ""
	ct=${13}
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.section additional
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.name server.example
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.type "$ct"
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.class 1
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.ttl 0
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.rdlength 16
	expect "$f" "$m" "$p" dns-response-caaaa mobkit.caaaa.addr 2001:db8:2::100
	# the UPDATE: delete the CAAAA RRset (class ANY, empty), add the new one
	for r in dns-update-tsig dns-update-sig0; do
		expect "$f" "$m" "$p" $r mobkit.caaaa.section update,update
		expect "$f" "$m" "$p" $r mobkit.caaaa.name server.example,server.example
		expect "$f" "$m" "$p" $r mobkit.caaaa.type "$ct,$ct"
		expect "$f" "$m" "$p" $r mobkit.caaaa.class 255,1
		expect "$f" "$m" "$p" $r mobkit.caaaa.rdlength 0,16
		expect "$f" "$m" "$p" $r mobkit.caaaa.addr 2001:db8:2::100
	done
}

# craft <name> [mobwire codepoint options]
craft() {
	name=$1
	shift
	"$mobwire" craft "$@" -o "$tmp/$name.pcap" --manifest "$tmp/$name.tsv" >/dev/null 2>"$tmp/craft.err"
	ok $? "mobwire crafts every message ($name)" || { fails=$((fails + 1)); diag <"$tmp/craft.err"; }
}

# ---- default profile ----
craft def
dissect "$tmp/def.pcap" "$tmp/def.f"
ok $? "tshark with the plugin (default profile)" || { fails=$((fails + 1)); diag <"$tmp/def.f.err"; }
messages "$tmp/def.f" "$tmp/def.tsv" default "$tmp/def.pcap" 201 253 5 0x4d50 253 21 0x4d47 0x0008 65280
check "$(get "$tmp/def.f" 1 mobkit.codepoints | cut -d, -f1)" \
	"profile=default caaaa-type=65280 bu-mha-flag=0x0008 mh-opt-mha=18 icmp6-ha-unreachable=201 tcp-migrate-permitted-kind=253 tcp-migrate-permitted-exid=0x4d50 tcp-migrate-kind=253 tcp-migrate-exid=0x4d47 harp-mh-type=240 harp-ss-mh-type=241 harp-rekey-mh-type=242 harp-opt-bci=240" \
	"default: the codepoints in force are those of mobwire codepoints"

# standard <pcap> <manifest> <what> <skip> [tshark options]: with the plugin
# loaded, the built-in dissectors still show every field of mobwire's manifest
# (the ones t/oracle/tshark.t checks without the plugin), but in the message
# named <skip>, which the plugin takes over
standard() {
	pcap=$1 man=$2 what=$3 skip=$4
	shift 4
	args=""
	for fl in $(awk -F'\t' '!/^#/ { print $3 }' "$man" | sort -u); do args="$args -e $fl"; done
	# shellcheck disable=SC2086
	tshark -n -X "lua_script:$plugin" "$@" -r "$pcap" -T fields -E header=y -E occurrence=a \
		-E aggregator=, -E separator=/t -e frame.number $args >"$tmp/std.f" 2>/dev/null
	bad=$(awk -F'\t' -v skip="$skip" '
	FNR == NR { if (FNR == 1) for (i = 1; i <= NF; i++) col[$i] = i; else for (i = 1; i <= NF; i++) v[$1, i] = $i; next }
	/^#/ || $2 == skip { next }
	{
		got = v[$1, col[$3]]; gsub(/True/, "1", got); gsub(/False/, "0", got); want = $4
		if (substr(want, 1, 1) == "~") { pass = ("," got ",") ~ ("," substr(want, 2) ",") }
		else pass = (got == want)
		if (!pass) printf "frame %s %s: %s is \"%s\", want \"%s\"; ", $1, $2, $3, got, want
	}' "$tmp/std.f" "$man")
	check "$bad" "" "$what: with the plugin, every field of the standard messages as mobwire put it in"
}
standard "$tmp/def.pcap" "$tmp/def.tsv" default ""

# frame.protocols as without the plugin, but where a mobkit option
# dissector ran (MHA, RFC 4285, Migrate): no layer of ours in ICMPv6, MH,
# DNS packets
tshark -n -r "$tmp/def.pcap" -T fields -e frame.protocols >"$tmp/proto.without" 2>/dev/null
tshark -n -X "lua_script:$plugin" -r "$tmp/def.pcap" -T fields -e frame.protocols >"$tmp/proto.with" 2>/dev/null
skip=" $(frame "$tmp/def.tsv" bu-home-hao) $(frame "$tmp/def.tsv" bu-rfc4285) $(frame "$tmp/def.tsv" syn-migperm) $(frame "$tmp/def.tsv" syn-migrate) "
got=$(paste "$tmp/proto.without" "$tmp/proto.with" | awk -F'\t' -v skip="$skip" \
	'index(skip, " " NR " ") == 0 && $1 != $2 { printf "frame %d: %s; ", NR, $2 }')
check "$got" "" "default: frame.protocols unchanged but in the frames with our options"

# ---- paper profile ----
craft paper --profile paper
dissect "$tmp/paper.pcap" "$tmp/paper.f" -o mobkit.profile:paper
ok $? "tshark with the plugin (paper profile)" || { fails=$((fails + 1)); diag <"$tmp/paper.f.err"; }
messages "$tmp/paper.f" "$tmp/paper.tsv" paper "$tmp/paper.pcap" 154 35 3 "" 36 19 "" 0x0800 65280
# ICMPv6 type 154 is FMIPv6 to the built-in dissector, which calls a Home
# Agent Unreachable malformed: the plugin keeps it (mobkit.hau.*)
standard "$tmp/paper.pcap" "$tmp/paper.tsv" paper ha-unreachable -o mobkit.profile:paper
fr=$(frame "$tmp/paper.tsv" ha-unreachable)
check "$(get "$tmp/paper.f" "$fr" icmpv6.type)" "" \
	"paper: type 154 is not handed to the built-in FMIPv6 dissector (it would call it malformed)"
for p in def paper; do
	b=$(frame "$tmp/$p.tsv" bu-home-hao)
	case $(get "$tmp/$p.f" "$b" _ws.expert.message) in
	*"MHA flag 0x0800 is IANA's M (HMIPv6, RFC 5380)"*) got=noted ;;
	*) got=silent ;;
	esac
	[ $p = paper ] && want=noted || want=silent
	check "$got" "$want" "$p: the MHA flag's collision with IANA's M bit is $want"
done
check "$(get "$tmp/paper.f" "$fr" mobkit.hau.checksum.status)" 1 \
	"paper: so the plugin verifies its checksum (pseudo-header destination from the RH2): good"
# flip the last octet of the listed home agent, the frame's last octet
pos=0
cp "$tmp/paper.pcap" "$tmp/flip.pcap"
at=24 k=1
while [ "$k" -le "$fr" ]; do
	caplen=$(od -An -tu4 -j $((at + 8)) -N4 "$tmp/paper.pcap" | tr -d ' ')
	[ "$k" -eq "$fr" ] && pos=$((at + 16 + caplen - 1))
	at=$((at + 16 + caplen))
	k=$((k + 1))
done
printf '\376' | dd of="$tmp/flip.pcap" bs=1 seek="$pos" conv=notrunc 2>/dev/null
dissect "$tmp/flip.pcap" "$tmp/flip.f" -o mobkit.profile:paper
check "$(get "$tmp/flip.f" "$fr" mobkit.hau.checksum.status)/$(get "$tmp/flip.f" "$fr" mobkit.hau.addr)" \
	0/2001:db8:1::fe "paper: one octet changed in the address list: checksum bad"

# ---- every codepoint overridden, on both sides ----
set -- --codepoint caaaa-type=65300 --codepoint bu-mha-flag=0x0004 --codepoint mh-opt-mha=200 \
	--codepoint icmp6-ha-unreachable=200 --codepoint tcp-migrate-permitted-kind=254 \
	--codepoint tcp-migrate-permitted-exid=0x1234 --codepoint tcp-migrate-kind=254 \
	--codepoint tcp-migrate-exid=0x1235
craft set "$@"
dissect "$tmp/set.pcap" "$tmp/set.f" -o mobkit.caaaa_type:65300 -o mobkit.bu_mha_flag:0x0004 \
	-o mobkit.mh_opt_mha:200 -o mobkit.icmp6_ha_unreachable:200 \
	-o mobkit.tcp_migrate_permitted_kind:254 -o mobkit.tcp_migrate_permitted_exid:0x1234 \
	-o mobkit.tcp_migrate_kind:254 -o mobkit.tcp_migrate_exid:0x1235
ok $? "tshark with the plugin (every codepoint set)" || { fails=$((fails + 1)); diag <"$tmp/set.f.err"; }
fr=$(frame "$tmp/set.tsv" bu-home-hao)
check "$(get "$tmp/set.f" "$fr" mobkit.mha.type)" 200 "set: the MHA option on type 200"
check "$(get "$tmp/set.f" "$fr" mobkit.mha.addr)" 2001:db8:1::2,2001:db8:1::3 "set: its addresses"
check "$(get "$tmp/set.f" "$fr" mobkit.bu.flags)" 0xd004 "set: BU flags"
check "$(get "$tmp/set.f" "$fr" mobkit.bu.mha_flag)" 1 "set: the MHA flag 0x0004"
fr=$(frame "$tmp/set.tsv" ha-unreachable)
check "$(get "$tmp/set.f" "$fr" mobkit.hau.type),$(get "$tmp/set.f" "$fr" mobkit.hau.addr)" \
	200,2001:db8:1::1 "set: Home Agent Unreachable on type 200"
fr=$(frame "$tmp/set.tsv" syn-migperm)
check "$(get "$tmp/set.f" "$fr" mobkit.migperm.kind)/$(get "$tmp/set.f" "$fr" mobkit.migperm.exid)" \
	254/0x1234 "set: Migrate-Permitted on kind 254 ExID 0x1234"
fr=$(frame "$tmp/set.tsv" syn-migrate)
check "$(get "$tmp/set.f" "$fr" mobkit.migrate.kind)/$(get "$tmp/set.f" "$fr" mobkit.migrate.exid)/$(get "$tmp/set.f" "$fr" mobkit.migrate.token)" \
	"254/0x1235/$token" "set: Migrate on kind 254 ExID 0x1235"
fr=$(frame "$tmp/set.tsv" dns-response-caaaa)
check "$(get "$tmp/set.f" "$fr" mobkit.caaaa.type)/$(get "$tmp/set.f" "$fr" mobkit.caaaa.addr)" \
	65300/2001:db8:2::100 "set: CAAAA on type 65300"
clean "$tmp/set.f" set

# ---- the same capture, the plugin at its defaults: nothing of ours, the
# built-in dissectors keep the packets ----
dissect "$tmp/set.pcap" "$tmp/nos.f"
ok $? "tshark with the plugin at its defaults on the overridden capture" || fails=$((fails + 1))
for r in bu-home-hao ha-unreachable syn-migperm syn-migrate dns-response-caaaa; do
	fr=$(frame "$tmp/set.tsv" $r)
	got=$(awk -F'\t' -v fr="$fr" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i ~ /^mobkit\./ && $i != "mobkit.codepoints" && $i != "mobkit.bu.flags" && $i != "mobkit.bu.mha_flag") c[i] = 1; next }
		$1 == fr { for (i in c) if ($i != "") printf "%s ", i }' "$tmp/nos.f")
	check "$got" "" "defaults on the overridden capture: $r shows no mobkit field but the BU flags"
done
fr=$(frame "$tmp/set.tsv" bu-home-hao)
check "$(get "$tmp/nos.f" "$fr" mobkit.bu.mha_flag)" 0 "defaults: the BU's flag 0x0004 is not the MHA flag 0x0008"
fr=$(frame "$tmp/set.tsv" syn-migrate)
check "$(get "$tmp/nos.f" "$fr" tcp.options.experimental.exid)" 0x1235 \
	"defaults: kind 254 ExID 0x1235 stays with the built-in experimental dissector"

# type 18 in a BU without the MHA flag stays the RFC 5096 Experimental option
craft noflag --codepoint bu-mha-flag=0x0004
dissect "$tmp/noflag.pcap" "$tmp/noflag.f"
fr=$(frame "$tmp/noflag.tsv" bu-home-hao)
check "$(get "$tmp/noflag.f" "$fr" mobkit.mha.addr)" "" "type 18 without the MHA flag: not read as MHA"
check "$(get "$tmp/noflag.f" "$fr" mip6.em.data | cut -c1-8)" 20010db8 "... the built-in Experimental option keeps it"
dissect "$tmp/noflag.pcap" "$tmp/always.f" -o mobkit.mha_on_experimental:always
check "$(get "$tmp/always.f" "$fr" mobkit.mha.addr)" 2001:db8:1::2,2001:db8:1::3 \
	"mha_on_experimental:always reads it as MHA"

# ---- a bad preference value: one line naming it, the profile's value kept ----
dissect "$tmp/def.pcap" "$tmp/bad.f" -o mobkit.caaaa_type:abc
grep -c "mobkit: caaaa-type: bad value 'abc'" "$tmp/bad.f.err" >"$tmp/n"
check "$(cat "$tmp/n")" 1 "-o mobkit.caaaa_type:abc: one line naming it"
fr=$(frame "$tmp/def.tsv" dns-response-caaaa)
check "$(get "$tmp/bad.f" "$fr" mobkit.caaaa.type)" 65280 "... and the profile's 65280 stays in force"

# ---- HARP and State Sync (draft-ietf-mip6-hareliability-06 7) ----
# HARP SWB-REQ: group 7, seq 300, A and V, status 0, preference 10,
# lifetime 60, hello interval 5, a PadN4; State Sync REP with A, id 0x1234;
# HA Rekey naming HA2 and HA3
cat >"$tmp/harp.txt" <<'EOF'
0000 3b 02 c8 00 00 00 02 07 01 2c a0 00 00 0a 00 3c 00 05 01 04 00 00 00 00

0000 3b 01 c9 00 00 00 01 80 12 34 01 04 00 00 00 00

0000 3b 04 ca 00 00 00 00 00 20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 02 20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 03
EOF
text2pcap -q -6 2001:db8:1::1,2001:db8:1::2 -i 135 "$tmp/harp.txt" "$tmp/harp.pcap" 2>"$tmp/t2p.err"
ok $? "text2pcap builds the HARP messages" || fails=$((fails + 1))
dissect "$tmp/harp.pcap" "$tmp/harp.f" -o mobkit.harp_mh_type:200 -o mobkit.harp_ss_mh_type:0xc9 \
	-o mobkit.harp_rekey_mh_type:202
while read -r fr f want; do
	check "$(get "$tmp/harp.f" "$fr" "$f")" "$want" "HARP frame $fr: $f = $want"
done <<EOF
1 mobkit.mh.type 200
1 mobkit.harp.type 2
1 mobkit.harp.group 7
1 mobkit.harp.seq 300
1 mobkit.harp.flags 0xa0
1 mobkit.harp.a 1
1 mobkit.harp.r 0
1 mobkit.harp.v 1
1 mobkit.harp.m 0
1 mobkit.harp.status 0
1 mobkit.harp.preference 10
1 mobkit.harp.lifetime 60
1 mobkit.harp.hello_interval 5
1 mobkit.harp.opt.type 1
1 mobkit.harp.opt.len 4
2 mobkit.mh.type 201
2 mobkit.ss.type 1
2 mobkit.ss.a 1
2 mobkit.ss.id 0x1234
2 mobkit.harp.opt.len 4
3 mobkit.mh.type 202
3 mobkit.rekey.reserved 0x0000
3 mobkit.rekey.addr 2001:db8:1::2,2001:db8:1::3
EOF
clean "$tmp/harp.f" harp
sed 's/^0000 3b 02 c8/0000 3b 02 f0/; s/^0000 3b 01 c9/0000 3b 01 f1/; s/^0000 3b 04 ca/0000 3b 04 f2/' "$tmp/harp.txt" >"$tmp/harpdef.txt"
text2pcap -q -6 2001:db8:1::1,2001:db8:1::2 -i 135 "$tmp/harpdef.txt" "$tmp/harpdef.pcap" 2>"$tmp/t2p.err"
dissect "$tmp/harpdef.pcap" "$tmp/harpdef.f"
check "$(get "$tmp/harpdef.f" 1 mobkit.harp.type)/$(get "$tmp/harpdef.f" 2 mobkit.ss.type)/$(get "$tmp/harpdef.f" 3 mobkit.rekey.addr)" \
	"2/1/2001:db8:1::2,2001:db8:1::3" \
	"the same on MH types 240, 241, 242, left to the table (lib/wire/codepoints.c): decoded"
dissect "$tmp/harpdef.pcap" "$tmp/harpoff.f" -o mobkit.harp_mh_type:0 -o mobkit.harp_ss_mh_type:0 \
	-o mobkit.harp_rekey_mh_type:0
check "$(get "$tmp/harpoff.f" 1 mobkit.harp.type)$(get "$tmp/harpoff.f" 2 mobkit.ss.type)$(get "$tmp/harpoff.f" 3 mobkit.rekey.addr)" "" \
	"HARP types set to 0 (off): the built-in dissector keeps MH types 240, 241 and 242"

# ---- secure Migrate-Permitted (curve 1, 17 key octets), both forms, built
# with text2pcap (mobwire crafts the insecure one): IPv6 + TCP SYN ----
key=0102030405060708090a0b0c0d0e0f1011
syn() { # <data offset octet> <options, hex>: one text2pcap record
	tcp=$(echo "9c40 0050 01020304 00000000 $1 02 ffff 0000 0000 $2" | tr -d ' ')
	echo "60000000 $(printf %04x $((${#tcp} / 2))) 0640 20010db8000100000000000000000100 20010db8000300000000000000000001 $tcp" |
		tr -d ' ' | sed 's/../& /g; s/^/0000 /'
}
{ syn b0 "0101 fd16 4d50 01 $key"; echo; syn a0 "2314 01 $key"; } >"$tmp/sec.txt"
text2pcap -q -e 0x86dd "$tmp/sec.txt" "$tmp/sec.pcap" 2>"$tmp/t2p.err"
dissect "$tmp/sec.pcap" "$tmp/secd.f"
dissect "$tmp/sec.pcap" "$tmp/secp.f" -o mobkit.profile:paper
while read -r fl want; do
	check "$(get "$tmp/secd.f" 1 mobkit.migperm.$fl)|$(get "$tmp/secp.f" 2 mobkit.migperm.$fl)" "$want" \
		"secure Migrate-Permitted: mobkit.migperm.$fl = $want (RFC 6994 form, default | raw kind 35, paper)"
done <<EOF
kind 253|35
len 22|20
exid 0x4d50|
curve 1|1
key $key|$key
EOF
check "$(get "$tmp/secd.f" 2 mobkit.migperm.kind)$(get "$tmp/secp.f" 1 mobkit.migperm.kind)" "" \
	"... and neither form is read under the other profile"

# ---- make install puts the plugin where this tshark looks (PREFIX=/usr) ----
global=$(tshark -G folders 2>/dev/null | awk -F'\t' '$1 ~ /^Global Lua Plugins/ { print $2 }')
make -s -C "$here" install-wireshark PREFIX=/usr DESTDIR="$tmp/dest" >"$tmp/make.out" 2>&1
cmp -s "$tmp/dest$global/mobkit.lua" "$here/tools/wireshark/mobkit.lua"
ok $? "make install-wireshark PREFIX=/usr puts mobkit.lua in DESTDIR$global (tshark -G folders)" ||
	{ fails=$((fails + 1)); diag <"$tmp/make.out"; }

# ---- a truncated BU: the built-in dissector's verdict, no Lua error ----
printf '0000 3b 01 05 00 00 00 00 07 d0 08\n' >"$tmp/trunc.txt"
text2pcap -q -6 2001:db8:1::1,2001:db8:1::2 -i 135 "$tmp/trunc.txt" "$tmp/trunc.pcap" 2>"$tmp/t2p.err"
dissect "$tmp/trunc.pcap" "$tmp/trunc.f"
check "$(get "$tmp/trunc.f" 1 _ws.expert.message)" "Malformed Packet (Exception occurred)" \
	"truncated BU: the built-in MIPv6 dissector's malformed verdict, and nothing else"

echo "1..$n"
[ "$fails" -eq 0 ]
