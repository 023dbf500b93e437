# clause: server-mobility paper 2.1; RFC 6275 6.4, 9.3.2
# level: MUST
# title: a client that finds a CAAAA for the server's name (mobd as
#   correspondent, the name looked up through libnss_mobkit) sends its very
#   first TCP SYN to the care-of address with a type 2 routing header
#   naming the home address, and the connection to the home address works
#
#   C1 (client: getent, NSS)    RES (kresd-caaaa)   NS      MN (server, f1)
#     | -- AAAA? mn.example. ----> | --------------> |         |
#     | <-- AAAA HOA + ADDITIONAL CAAAA COA ------- |         |
#     | (cn-bind HOA COA to C1's mobd)                          |
#     | -- SYN dst COA, RH2(HOA) ----------------------------> |
#     | <======== the stream to HOA (SHA-256 both ends) ======> |
#
# judge: getent gives the home address; C1's binding cache HOA -> COA
#   (source dns); at MN (capture) the first SYN of the connection has
#   destination COA and an RH2 naming HOA; the stream's SHA-256 the same
#   at both ends
[ -n "${C1_NSS_RUN:-}" ] && [ -n "${MN_DO:-}" ] || skip "the profile has no client with the NSS module (C1_NSS_RUN)"
nss_lookup rr
coa=$COA
[ "$NSS_GOT" = "$HOA" ] || fail "getent ahosts $NAME through the NSS module gave '$NSS_GOT', not $HOA"
$C1_CTL bc | jq -e --arg h "$HOA" --arg c "$coa" 'any(.[]; .hoa == $h and .coa == $c and .source == "dns")' \
	>/dev/null || fail "no binding $HOA -> $coa from DNS at C1 after the lookup: $($C1_CTL bc)"
stream_at_mn "$C1_RUN" 5101 200000
first=$(tshark -r "$CASE_DIR/mn.pcap" -Y "tcp.dstport == 5101 && tcp.flags.syn == 1 && tcp.flags.ack == 0" \
	-T fields -E separator=' ' -e ipv6.dst -e ipv6.routing.mipv6.home_address -e ipv6.nxt 2>>"$CASE_DIR/log" | head -n 1)
log "the first SYN at MN: $first"
set -- $first
[ "${1:-}" = "$coa" ] && [ "${2:-}" = "$HOA" ] ||
	fail "the first SYN at MN: destination '${1:-none}', RH2 home address '${2:-none}' (want $coa, $HOA)"
pass "the first SYN to $coa with an RH2 naming $HOA; the stream complete ($STREAM_GOT)"
