# clause: draft-snoeren-tcp-migrate-00, migration; protocol-facts 5 (handshake 3; keys: Request)
# level: MUST
# title: a migrate SYN with the token of an established, negotiated
#   connection and a newer ReqNo, but a Request that does not verify
#   (it needs the secret K): RST, the connection untouched (same 4-tuple,
#   ReqNo and state), counted (refused_bad_request)
#
#   prober A (forger)                        FH (kernel + shim)
#     | -- SYN, Migrate(token, ReqNo+1, bad Request) -> |   MH's connection
#     | <-- RST --------------------------------------- |   untouched
#
# judge: class rst; refused_bad_request up by one; the connection as before
mig_need
tok=$(mig_conn "$HELD_PORT" .token)
rq=$(mig_conn "$HELD_PORT" .reqno)
[ -n "$tok" ] || initfail "FH's shim lists no connection on port $HELD_PORT"
mig_refused "$HELD_PORT" refused_bad_request --token "$tok" --reqno $(((rq + 1) % 128))
