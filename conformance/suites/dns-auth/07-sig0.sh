# clause: RFC 2931 3; RFC 3007 4
# level: SHOULD
# title: SIG(0)-signed UPDATE.  The zone holds no KEY for our signer, so a
#   conforming server must not apply it; whether a server can take SIG(0)
#   at all is reported where known: BIND 9.18.28 and later removed SIG(0)
#   verification (CVE-2024-1975).
#
#   mobile node (prober)             authoritative server
#     | -- UPDATE, SIG(0) ----------> |
#     | <-- REFUSED / NOTAUTH ------- |
#
# judge: applied = FAIL; refused = SKIP (SIG(0) acceptance not testable on
#   this implementation, with the reason)
kd=$CASE_DIR/keys
mkdir -p "$kd"
key=$(dnssec-keygen -q -K "$kd" -a ED25519 -n HOST -T KEY mn-sig0.example. 2>>"$CASE_DIR/log") ||
	initfail "dnssec-keygen failed"
probe update "$SERVER" --zone "$ZONE" --name srv7.example. --aaaa 2001:db8:66::7 --sig0-key "$kd/$key.key" --expect 'refused|notauth|badsig|badkey|servfail|formerr|notimp'
rc=$(json_field rcode)
if [ "$PROBE_RC" != 0 ]; then
	probe caaaa "$SERVER" srv7.example. --type aaaa --no-rd --expect-addr 2001:db8:66::7
	[ "$PROBE_RC" = 0 ] && fail "applied an UPDATE signed by a key the zone does not hold"
	[ -n "$rc" ] || initfail "no answer to the SIG(0) UPDATE"
fi
case $IMPL in
bind) why="BIND $(named -v | cut -d' ' -f2) removed SIG(0) verification in 9.18.28 (CVE-2024-1975)" ;;
*) why="the zone holds no KEY for our signer and mobbed configures no SIG(0) policy for $IMPL, so acceptance cannot be shown here (whether $IMPL implements SIG(0) for UPDATE was not established)" ;;
esac
skip "answered $rc: $why; SIG(0) acceptance not testable"
