# clause: draft-snoeren-tcp-migrate-00, Migrate-Permitted, migration; protocol-facts 5 (handshake 1, 3)
# level: MUST
# title: a migrate SYN naming a connection that did not negotiate
#   Migrate-Permitted (A's own connection: A has no shim) is refused with
#   RST, the connection untouched, counted (refused_not_negotiated); the
#   shim lists that connection as not migratable
#
#   prober A                                 FH (kernel + shim)
#     | == plain connection A -> FH:7002 ===== |   not negotiated
#     | -- SYN, Migrate(its token, ReqNo 1) -> |
#     | <-- RST ------------------------------ |
#
# judge: mobctl migrate: not negotiated; class rst; refused_not_negotiated
#   up by one; the connection as before
mig_need
tok=$(mig_conn "$PLAIN_PORT" .token)
log "the connection: $(mig_conn "$PLAIN_PORT")"
[ -n "$tok" ] || skip "FH's shim keeps no token for a connection that did not negotiate: a migrate SYN cannot name it (05 covers a token naming nothing)"
[ "$(mig_conn "$PLAIN_PORT" .negotiated)" = false ] || fail "A's connection (no shim at A) is listed as negotiated"
mig_refused "$PLAIN_PORT" refused_not_negotiated --token "$tok" --reqno 1
