# clause: draft (seeds/004) 4.1, Fig. 2 ("CN3 directly initials to setup
#   the IPx session")
# level: MUST
# title: solution 1: the new correspondent asks the DNS server for the
#   node's addresses, then reaches the node directly: no packet of the
#   session passes the rendezvous server
#
#   CN3 -- AAAA? SRV? mn.example. --> NS
#       <-- IP1 IP2, port 7000 -----
#   CN3 ===== TCP to IPx:7000 =====> MN      (nothing at RS)
#
# judge: mksel connected (exit 0) to IP1 or IP2; CN3's capture has the
#   queries to NS and the TCP session with that address; RS's none of it
dmm_need ddns
[ -x "$MKSEL" ] || skip "no $MKSEL"
dmm_session "$MKSEL" -s "$NS" -P race -S _mkrv._tcp -r "$NAME"
[ "$DMM_RC" = 0 ] || fail "mksel did not connect (exit $DMM_RC): $DMM_LINE"
a=$(dmm_field chosen)
case $a in "$IP1" | "$IP2") ;; *) fail "mksel chose '$a', neither IP1 nor IP2" ;; esac
q=$(pcount "$CASE_DIR/cn.pcap" "dns && ipv6.dst == $NS")
d=$(pcount "$CASE_DIR/cn.pcap" "tcp.port == $PORT && ipv6.addr == $a")
r=$(pcount "$CASE_DIR/rs.pcap" "ipv6.addr == $CN_ADDR && !icmpv6")
log "queries to NS $q, TCP with $a $d, packets of CN3 at RS $r"
[ "$q" -ge 2 ] && [ "$d" -gt 0 ] || fail "CN3's capture: $q queries to NS, $d TCP packets with $a"
[ "$r" = 0 ] || fail "$r packets of CN3 passed RS"
pass "resolved at NS ($q queries), TCP direct to $a ($d packets), nothing at RS"
