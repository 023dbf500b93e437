# clause: RFC 3597 3, 4; RFC 2136 3.4.2
# level: MUST
# title: CAAAA (type 65280, private use, unknown to the server) is added by
#   a TSIG-signed UPDATE and served back unchanged
#
#   mobile node (prober)             authoritative server
#     | -- UPDATE add CAAAA, TSIG --> |
#     | <-- NOERROR, TSIG ----------- |
#     | -- query CAAAA (RD clear) --> |
#     | <-- answer: the care-of addr  |
#
# judge: NOERROR, then the CAAAA answer carries the address we published
probe update "$SERVER" --zone "$ZONE" --name srv1.example. --caaaa 2001:db8:21::101 --tsig-key "$TSIG_KEY"
[ "$PROBE_RC" = 0 ] || fail "the UPDATE adding a CAAAA was not accepted: $PROBE_TEXT"
probe caaaa "$SERVER" srv1.example. --type caaaa --no-rd --expect-addr 2001:db8:21::101
judge MUST
