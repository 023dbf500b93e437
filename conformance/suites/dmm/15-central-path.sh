# clause: draft (seeds/004) 4.2.2, Fig. 4
# level: MUST
# title: server-central mode: signalling and data both pass the server
#   (SIP proxy, TURN relay): no packet between the correspondent and the
#   node directly
#
#   CN3 -- INVITE (X-Mkrv-Data: relay) --> RS -- INVITE --> MN
#       <-- 200 (relay address) ---------    <-- 200 -----
#   CN3 ==== data ====> RS relay ==== TURN ====> MN
#
# judge: mkrv call --mode central exit 0 with data at RS's relay; CN3's
#   capture: nothing with IP1 or IP2; RS's: the INVITE passed it, and data
#   both from CN3 and to MN
dmm_need call
dmm_session "$MKRV" call "$ID" --mode central -s "$RS"
[ "$DMM_RC" = 0 ] || fail "mkrv call --mode central failed (exit $DMM_RC): $DMM_LINE"
a=$(dmm_field data)
[ "$a" = "$RS" ] || fail "the data went to '$a', not the relay on RS ($RS)"
x=$(pcount "$CASE_DIR/cn.pcap" "ipv6.addr == $IP1 || ipv6.addr == $IP2")
inv=$(pcount "$CASE_DIR/rs.pcap" "sip.Method == \"INVITE\" && (ipv6.dst == $IP1 || ipv6.dst == $IP2)")
fromcn=$(pcount "$CASE_DIR/rs.pcap" "udp && ipv6.src == $CN_ADDR && !sip")
tomn=$(pcount "$CASE_DIR/rs.pcap" "(ipv6.dst == $IP1 || ipv6.dst == $IP2) && stun")
log "CN3 <-> MN direct $x, INVITE RS -> MN $inv, data CN3 -> relay $fromcn, TURN RS -> MN $tomn"
[ "$x" = 0 ] || fail "$x packets between CN3 and the node directly"
[ "$inv" -ge 1 ] || fail "the INVITE did not pass RS to the node"
[ "$fromcn" -gt 0 ] && [ "$tomn" -gt 0 ] || fail "data through RS: $fromcn from CN3, $tomn TURN to the node"
pass "INVITE via RS, data CN3 -> relay ($fromcn) -> node ($tomn TURN), nothing direct"
