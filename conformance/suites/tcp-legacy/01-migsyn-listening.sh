# clause: RFC 9293 3.1 (MUST-4, MUST-64)
# level: MUST
# title: a migrate SYN (Migrate option, RFC 6994 ExID form) to a listening
#   port of a legacy stack: the unknown option is ignored and the SYN opens
#   a new connection, so the answer is a plain SYN/ACK acknowledging our
#   SYN (ack = seq + 1).  A migrating host seeing this knows its peer cannot
#   migrate; mobprobe resets the half-open connection.
#
#   mobile host (prober)             legacy stack
#     | -- SYN + Migrate(token) ----> |  port open
#     | <-- SYN/ACK, ack = seq + 1 -- |
#     | -- RST ---------------------> |
#
# judge: class synack (a migrate SYN/ACK would have ack != seq + 1)
probe migsyn "[$TARGET]:$TCP_OPEN" --expect synack
judge MUST
