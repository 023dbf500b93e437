# clause: draft (seeds/004) 4.2.3, Fig. 5
# level: MUST
# title: combined mode: signalling through the server, data directly to
#   the address the node answered with
#
#   CN3 -- INVITE (X-Mkrv-Data: direct) --> RS -- INVITE --> MN
#       <-- 200 (c= IPx) -----------------    <-- 200 -----
#   CN3 ====== UDP echo (7007) ======> MN     (no data at RS)
#
# judge: mkrv call --mode combined exit 0 with data at IP1 or IP2; CN3's
#   capture: SIP only with RS, data with that address; RS's: the INVITE
#   passed it to the node, no data
dmm_need call
dmm_call_direct combined
a=$DMM_ADDR
sx=$(pcount "$CASE_DIR/cn.pcap" "sip && !(ipv6.addr == $RS)")
inv=$(pcount "$CASE_DIR/rs.pcap" "sip.Method == \"INVITE\" && (ipv6.dst == $IP1 || ipv6.dst == $IP2)")
d=$(pcount "$CASE_DIR/cn.pcap" "udp.port == $DPORT && ipv6.addr == $a")
r=$(pcount "$CASE_DIR/rs.pcap" "udp.port == $DPORT")
log "SIP not with RS $sx, INVITE RS -> MN $inv, data with $a $d, data at RS $r"
[ "$sx" = 0 ] && [ "$inv" -ge 1 ] || fail "signalling: $sx SIP packets not with RS, $inv INVITEs RS -> node"
[ "$d" -gt 0 ] && [ "$r" = 0 ] || fail "data: $d packets CN3 <-> $a, $r at RS"
pass "INVITE via RS ($inv to the node), data direct to $a ($d packets), none at RS"
