# clause: RFC 3597 3
# level: MUST
# title: a resolver passes CAAAA (a type it does not know) through
#   unchanged
#
#   mobile node      server         resolver        client (prober)
#     | -- UPDATE CAAAA --> |           |                |
#     | <-- NOERROR ------- |           |                |
#     |                     | <-- CAAAA? -- | <-- CAAAA? --- |
#     |                     | --- answer -> | --- answer --> |
#
# judge: the client's answer carries the published care-of address
probe update "$SERVER" --zone "$ZONE" --name r1.example. --caaaa 2001:db8:21::201 --tsig-key "$TSIG_KEY"
need "the UPDATE at the server"
cprobe caaaa "$RESOLVER" r1.example. --type caaaa --expect-addr 2001:db8:21::201
judge MUST
