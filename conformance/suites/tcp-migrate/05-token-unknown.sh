# clause: draft-snoeren-tcp-migrate-00, migration; protocol-facts 5 (handshake 3)
# level: MUST
# title: a migrate SYN whose token names no connection is answered with
#   RST, and counted (refused_unknown_token)
#
#   prober A                                 FH (kernel + shim)
#     | -- SYN, Migrate(random token) ------> |
#     | <-- RST ----------------------------- |
#
# judge: class rst; FH's refused_unknown_token up by one
mig_need
c0=$(mig_count refused_unknown_token)
probe migsyn "[$TARGET]:$TCP_OPEN" --expect rst
point MUST
sleep 0.2
c1=$(mig_count refused_unknown_token)
[ -n "$c0" ] && [ "$c1" = $((c0 + 1)) ] || fail "refused_unknown_token $c0 -> $c1 (want one more)"
judge MUST
