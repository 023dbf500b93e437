# clause: RFC 1035 3.2.1; RFC 2181 8
# level: SHOULD
# title: an answer with TTL 0 is used for the transaction in progress and
#   not cached: after the server changes the address, the very next
#   question gets the new one
#
#   mobile node      server         resolver        client (prober)
#     | -- UPDATE A1 ttl 0 > |          | <-- AAAA? ---- |  -> A1
#     | -- UPDATE A2 ttl 0 > |          |                |
#     |    <-- NOERROR       |          | <-- AAAA? ---- |  -> A2, not A1
#
# judge: the second answer carries A2
probe update "$SERVER" --zone "$ZONE" --name r2.example. --aaaa 2001:db8:21::1 --ttl 0 --tsig-key "$TSIG_KEY"
need "the first UPDATE"
cprobe caaaa "$RESOLVER" r2.example. --type aaaa --expect-addr 2001:db8:21::1
need "the first answer"
probe update "$SERVER" --zone "$ZONE" --name r2.example. --aaaa 2001:db8:22::1 --ttl 0 --tsig-key "$TSIG_KEY"
need "the second UPDATE"
cprobe caaaa "$RESOLVER" r2.example. --type aaaa --expect-addr 2001:db8:22::1
[ "$PROBE_RC" = 0 ] || warn "served from cache after the update: $(json_field records)"
judge SHOULD
