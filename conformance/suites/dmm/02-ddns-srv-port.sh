# clause: draft (seeds/004) 4.1 ("IP address, port info and MN ID"); RFC 2782
# level: MUST
# title: the port information is registered too: an SRV record at
#   _mkrv._tcp.NAME pointing at NAME and the node's service port
#
#   CN2 -- SRV? _mkrv._tcp.mn.example. ------> NS (target)
#       <-- 0 0 7000 mn.example. -------------
#
# judge: one SRV, target NAME, port PORT (RFC 2782: priority weight port target)
dmm_need ddns
# shellcheck disable=SC2086
got=$($CN2_RUN dig +short +norec @"$NS" "_mkrv._tcp.$NAME" SRV 2>>"$CASE_DIR/log")
log "SRV _mkrv._tcp.$NAME: $got"
[ "$(printf '%s\n' "$got" | grep -c .)" = 1 ] || fail "$(printf '%s\n' "$got" | grep -c .) SRV records at _mkrv._tcp.$NAME, not one"
set -- $got
[ "${3:-}" = "$PORT" ] && [ "${4:-}" = "$NAME" ] || fail "SRV '$got': want port $PORT and target $NAME"
pass "SRV _mkrv._tcp.$NAME: $got"
