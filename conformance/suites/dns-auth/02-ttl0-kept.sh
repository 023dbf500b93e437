# clause: RFC 2181 8; RFC 2136 3.4.2.2
# level: MUST
# title: an AAAA added with TTL 0 is served with TTL 0 (the paper's way of
#   keeping caches from holding a mobile server's address)
#
#   mobile node (prober)             authoritative server
#     | -- UPDATE AAAA ttl 0, TSIG -> |
#     | <-- NOERROR ----------------- |
#     | -- query AAAA --------------> |
#     | <-- AAAA ttl 0 -------------- |
#
# judge: the answer carries the address with TTL 0
probe update "$SERVER" --zone "$ZONE" --name srv2.example. --aaaa 2001:db8:21::102 --ttl 0 --tsig-key "$TSIG_KEY"
[ "$PROBE_RC" = 0 ] || fail "the UPDATE was not accepted: $PROBE_TEXT"
probe caaaa "$SERVER" srv2.example. --type aaaa --no-rd --expect-addr 2001:db8:21::102 --expect-ttl 0
judge MUST
