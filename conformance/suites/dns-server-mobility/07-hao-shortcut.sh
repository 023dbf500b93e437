# clause: server-mobility paper 2.2; issue 15 (mn-dns-answer shortcut)
# level: MUST
# title: with mn-dns-answer shortcut the mobile server answers a client's
#   SYN that came with an RH2 at once from its care-of address, with the
#   Home Address option (no tunnel through the home agent), and the Binding
#   Update the paper puts beside it is accepted by the client
#
#   C1 (client, cn-bind from NSS)                   MN (server, shortcut)
#     | -- SYN dst COA, RH2(HOA) ---------------------------> |
#     | <-- SYN/ACK src COA, DST(HAO HOA) ------------------- |   direct
#     | <-- BU (no return routability) / --> BA 0 ----------- |
#
# judge: at MN (capture) a SYN/ACK from COA to C1 with the HAO naming HOA,
#   none through the reverse tunnel; mobd counts the shortcut answer; the
#   stream complete
[ -n "${C1_NSS_RUN:-}" ] && [ -n "${MN_DO:-}" ] || skip "the profile has no client with the NSS module (C1_NSS_RUN)"
trap '$MN_DO restart rr >>"$CASE_DIR/log" 2>&1' EXIT
nss_lookup shortcut
coa=$COA c1=$C1_ADDR
n0=$($MN_CTL counters | jq -r '[(.roles // [.])[] | .dns_shortcut // empty] | add // 0')
[ "$NSS_GOT" = "$HOA" ] || initfail "getent ahosts $NAME through the NSS module gave '$NSS_GOT', not $HOA"
stream_at_mn "$C1_RUN" 5102 200000
p=$CASE_DIR/mn.pcap
hao=$(pcount "$p" "tcp.srcport == 5102 && tcp.flags.syn == 1 && tcp.flags.ack == 1 && ipv6.src == $coa && ipv6.dst == $c1 && ipv6.opt.mipv6.home_address == $HOA && !(ipv6.nxt == 41)")
tun=$(pcount "$p" "tcp.srcport == 5102 && tcp.flags.syn == 1 && tcp.flags.ack == 1 && ipv6.nxt == 41")
n1=$($MN_CTL counters | jq -r '[(.roles // [.])[] | .dns_shortcut // empty] | add // 0')
log "SYN/ACK direct with the HAO: $hao, through the tunnel: $tun; dns_shortcut $n0 -> $n1"
[ "$hao" -ge 1 ] || fail "no SYN/ACK from $coa with the HAO naming $HOA"
[ "$tun" = 0 ] || fail "$tun SYN/ACKs through the reverse tunnel"
[ "$n1" -gt "$n0" ] || fail "mobctl counters: dns_shortcut $n0 -> $n1"
pass "the SYN/ACK direct from $coa with the HAO ($hao), none through the tunnel; the stream complete"
