# clause: draft (seeds/004) 4.2.1, Fig. 3
# level: MUST
# title: p2p mode: the correspondent asks the server ("service request to
#   MN1"), the server answers with the node's addresses and ports, and the
#   data goes directly to the node: no data passes the server
#
#   CN3 -- OPTIONS sip:mn@example --> RS
#       <-- 302 Contact: IP2, IP1 ---
#   CN3 ====== UDP echo (7007) =====> MN     (no data at RS)
#
# judge: mkrv call --mode p2p exit 0 with data at IP1 or IP2; CN3's
#   capture: SIP only with RS, data with that address; RS's capture: no
#   data packet
dmm_need call
dmm_call_direct p2p
a=$DMM_ADDR
s=$(pcount "$CASE_DIR/cn.pcap" "sip && ipv6.addr == $RS")
sx=$(pcount "$CASE_DIR/cn.pcap" "sip && !(ipv6.addr == $RS)")
d=$(pcount "$CASE_DIR/cn.pcap" "udp.port == $DPORT && ipv6.addr == $a")
r=$(pcount "$CASE_DIR/rs.pcap" "udp.port == $DPORT || (ipv6.addr == $CN_ADDR && !sip && !icmpv6)")
log "SIP with RS $s, SIP elsewhere $sx, data with $a $d, data at RS $r"
[ "$s" -ge 2 ] && [ "$sx" = 0 ] || fail "signalling: $s SIP packets with RS, $sx with others"
[ "$d" -gt 0 ] && [ "$r" = 0 ] || fail "data: $d packets CN3 <-> $a, $r at RS"
pass "302 from RS ($s SIP packets), data direct to $a ($d packets), none at RS"
