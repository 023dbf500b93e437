# clause: draft-snoeren-tcp-migrate-00, migration; protocol-facts 5 (handshake 3; ReqNo monotonic modulo 128)
# level: MUST
# title: a migrate SYN with the token of an established, negotiated
#   connection and a ReqNo that is not newer than the last accepted (a
#   replay): RST, the connection untouched, counted (refused_old_reqno)
#
#   prober A (replayer)                      FH (kernel + shim)
#     | -- SYN, Migrate(token, ReqNo) ------> |   not newer
#     | <-- RST ----------------------------- |   connection untouched
#
# judge: class rst; refused_old_reqno up by one; the connection as before
mig_need
tok=$(mig_conn "$HELD_PORT" .token)
rq=$(mig_conn "$HELD_PORT" .reqno)
[ -n "$tok" ] || initfail "FH's shim lists no connection on port $HELD_PORT"
mig_refused "$HELD_PORT" refused_old_reqno --token "$tok" --reqno "$rq"
