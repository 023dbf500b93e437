# t/golden/mobwire-cases.sh: the crafted captures of the mobwire golden
# cases beyond "every message", shared by t/golden/mobwire.t and
# tools/regen-golden.sh.  Source it; needs $mobwire.

# flip_octet FILE OFFSET MASK: XOR one octet of FILE in place.
flip_octet() {
	_o=$(od -An -tu1 -j "$2" -N1 "$1" | tr -d ' ')
	# shellcheck disable=SC2059
	printf "$(printf '\\%03o' $((_o ^ $3)))" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null
}

# case_tunnel_badsum OUT.pcap: the reverse-tunnelled HoTI with one bit of
# its inner MH checksum flipped: pcap header 24, record header 16,
# Ethernet 14, outer IPv6 40, inner IPv6 40, MH checksum at 4.
case_tunnel_badsum() {
	"$mobwire" craft --only hoti-tunnel -o "$1" 2>/dev/null &&
		flip_octet "$1" $((24 + 16 + 14 + 40 + 40 + 4)) 16
}
