# clause: server-mobility paper 1; RFC 6275 10.4.1; issue 15
# level: MUST
# title: a client without CAAAA support (plain glibc resolution, no mobd)
#   gets the home address for the server's name and connects through the
#   home agent, as with any mobile node
#
#   C2 (plain client)      RES       HA1                MN (server, f1)
#     | -- AAAA? ----------> |                              |
#     | <-- AAAA HOA (+ CAAAA in ADDITIONAL, ignored)        |
#     | -- SYN dst HOA -------------> | == tunnel ========> |
#     | <------------------------------ | <= tunnel ====== |   SYN/ACK
#
# judge: getent gives the home address; at MN (capture) the SYN arrives
#   in the tunnel from HA1 and no SYN of C2's carries an RH2; the stream
#   complete
[ -n "${MN_RUN:-}" ] || skip "the profile cannot run on the mobile server (MN_RUN)"
g=$($C2_RUN getent ahosts "$NAME" 2>>"$CASE_DIR/log" | awk 'NR == 1 { print $1 }')
log "getent ahosts $NAME at C2: $g"
[ "$g" = "$HOA" ] || fail "plain getent ahosts $NAME gave '$g', not $HOA"
stream_at_mn "$C2_RUN" 5104 200000
p=$CASE_DIR/mn.pcap
syn_tun=$(pcount "$p" "tcp.dstport == 5104 && tcp.flags.syn == 1 && tcp.flags.ack == 0 && ipv6.src == $HA1 && ipv6.nxt == 41")
syn_rh2=$(pcount "$p" "tcp.dstport == 5104 && tcp.flags.syn == 1 && ipv6.routing")
log "SYN in the tunnel from HA1: $syn_tun; SYN with a routing header: $syn_rh2"
[ "$syn_tun" -ge 1 ] || fail "no SYN of C2's in the tunnel from $HA1"
[ "$syn_rh2" = 0 ] || fail "$syn_rh2 SYNs with a routing header from a client without mobility"
pass "the SYN through the tunnel from $HA1; the stream complete ($STREAM_GOT)"
