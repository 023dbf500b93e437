# clause: draft-snoeren-tcp-migrate-00, migration; protocol-facts 5 (handshake 3)
# level: MUST
# title: a migrate SYN whose token names no connection is answered with
#   RST, and counted (refused_unknown_token)
#
#   prober A                                 FH (kernel + shim)
#     | -- SYN, Migrate(random token) ------> |
#     | <-- RST ----------------------------- |
#
# judge: class rst; FH's refused_unknown_token up by one; a connection FH
#   has on that port (from earlier cases) untouched
mig_need
mig_refused "$TCP_OPEN" refused_unknown_token
