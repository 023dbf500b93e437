# clause: RFC 6275 11.3.1, 5.2.5; issue 15 (mn-dns-answer rr)
# level: MUST
# title: with mn-dns-answer rr (the default) the mobile server answers
#   through the reverse tunnel until return routability with the client is
#   done, then from its care-of address with the Home Address option; the
#   client's binding from DNS is replaced by the one the BU makes
#
#   C1 (client, cn-bind from NSS)      HA1              MN (server, rr)
#     | -- SYN dst COA, RH2(HOA) -------------------------> |
#     | <-- SYN/ACK ------------- | <== tunnel ============ |
#     | <-- HoTI/CoTI --> HoT/CoT, BU --> BA ---------------- |
#     | <-- data src COA, DST(HAO HOA) --------------------- |   direct
#
# judge: at MN (capture) the first SYN/ACK through the tunnel to HA1,
#   later data from COA to C1 with the HAO naming HOA; C1's binding then
#   from a BU; the stream complete
[ -n "${C1_NSS_RUN:-}" ] && [ -n "${MN_DO:-}" ] || skip "the profile has no client with the NSS module (C1_NSS_RUN)"
nss_lookup rr
coa=$COA c1=$C1_ADDR
[ "$NSS_GOT" = "$HOA" ] || initfail "getent ahosts $NAME through the NSS module gave '$NSS_GOT', not $HOA"
stream_at_mn "$C1_RUN" 5103 600000
p=$CASE_DIR/mn.pcap
tun=$(pcount "$p" "tcp.srcport == 5103 && tcp.flags.syn == 1 && tcp.flags.ack == 1 && ipv6.src == $coa && ipv6.dst == $HA1 && ipv6.nxt == 41")
hao=$(pcount "$p" "tcp.srcport == 5103 && ipv6.src == $coa && ipv6.dst == $c1 && ipv6.opt.mipv6.home_address == $HOA && !(ipv6.nxt == 41)")
src=$($C1_CTL bc | jq -r --arg h "$HOA" '.[] | select(.hoa == $h) | .source')
log "SYN/ACK through the tunnel: $tun; packets direct with the HAO: $hao; C1's binding from: $src"
[ "$tun" -ge 1 ] || fail "the SYN/ACK did not go through the reverse tunnel to $HA1"
[ "$hao" -ge 1 ] || fail "no packet of the stream from $coa with the HAO naming $HOA after return routability"
[ "$src" = bu ] || fail "C1's binding for $HOA is from '$src', not from a BU"
pass "the SYN/ACK through the tunnel ($tun), then $hao packets direct with the HAO; C1's binding from the BU"
