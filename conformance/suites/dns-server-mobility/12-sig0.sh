# clause: RFC 2931 3; RFC 3007 4; issue 15
# level: SHOULD
# title: the mobile server can sign its UPDATEs with SIG(0) instead of TSIG
#   (mobd.conf dns-sig0-key); the name server applies a SIG(0) UPDATE only
#   when the zone holds the signer's KEY.  The zone here holds none (mobbed
#   sets up TSIG only), so the update must not take; acceptance is not
#   testable here
#
#   MN (mobd, dns-sig0-key K.key)                   NS (target)
#     | moves f1 -> f2                                   |
#     | -- UPDATE add CAAAA COA2 [SIG(0) mn-sig0.example.] -> |
#     | <-- REFUSED | NOTAUTH | ... --------------------- |
#   C2 -- CAAAA? mn.example. ------------------------> |   still COA1
#
# judge: the UPDATE at NS (capture) carries a SIG(0) (SIG rr, type 24, in
#   ADDITIONAL) and no TSIG; applied = FAIL; refused = SKIP with the reason
[ -n "${MN_DO:-}" ] || skip "the profile cannot restart the mobile server (MN_DO)"
command -v dnssec-keygen >/dev/null || skip "no dnssec-keygen to make a SIG(0) key"
need_caaaa
coa1=$($MN_CTL bul | jq -r '.[0].coa')
kd=$CASE_DIR/keys
mkdir -p "$kd"
key=$(dnssec-keygen -q -K "$kd" -a ED25519 -n HOST -T KEY mn-sig0.example. 2>>"$CASE_DIR/log") ||
	initfail "dnssec-keygen failed"
capture_start ns $NS_RUN || initfail "no capture on NS"
trap '$MN_DO restart rr >>"$CASE_DIR/log" 2>&1; $MN_DO move f1 >>"$CASE_DIR/log" 2>&1' EXIT
$MN_DO restart rr "$kd/$key.key" >>"$CASE_DIR/log" 2>&1 || initfail "mobd with the SIG(0) key did not come up"
$MN_DO move f2 >>"$CASE_DIR/log" 2>&1 || initfail "the move to f2 did not end (see log)"
capture_stop ns
coa2=$($MN_CTL bul | jq -r '.[0].coa')
u=$($MN_CTL updater)
echo "$u" >>"$CASE_DIR/log"
rc=$(echo "$u" | jq -r .last.rcode)
p=$CASE_DIR/ns.pcap
sig=$(pcount "$p" "dns.flags.opcode == 5 && dns.flags.response == 0 && dns.resp.type == 24")
tsig=$(pcount "$p" "dns.flags.opcode == 5 && dns.flags.response == 0 && dns.resp.type == 250")
log "UPDATEs with a SIG(0): $sig, with a TSIG: $tsig; mobctl updater: $rc"
echo "$u" | jq -e '.signature == "sig0"' >/dev/null || fail "mobctl updater: signature $(echo "$u" | jq -r .signature), not sig0"
[ "$sig" -ge 1 ] && [ "$tsig" = 0 ] || fail "at NS: $sig UPDATEs with a SIG(0), $tsig with a TSIG"
got=$(ns_rr TYPE$CAAAA_TYPE)
[ "$got" = "0 $(hex128 "$coa1")" ] || fail "the zone holds no KEY for mn-sig0.example., yet the CAAAA is now '$got' (was $coa1, the update for $coa2 answered $rc)"
case $IMPL in
bind) why="BIND $(named -v | cut -d' ' -f2) removed SIG(0) verification in 9.18.28 (CVE-2024-1975)" ;;
*) why="mobbed gives the zone no KEY and $IMPL no SIG(0) policy, so acceptance cannot be shown here" ;;
esac
skip "mobd signed with SIG(0), NS answered $rc and left the CAAAA: $why; SIG(0) acceptance not testable"
