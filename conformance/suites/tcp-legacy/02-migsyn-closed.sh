# clause: RFC 9293 3.10.7.1
# level: MUST
# title: a migrate SYN to a closed port: RST (the same answer a migrating
#   stack gives an unknown token, so a closed port cannot be told apart)
#
#   mobile host (prober)             legacy stack
#     | -- SYN + Migrate(token) ----> |  port closed
#     | <-- RST/ACK ----------------- |
#
# judge: class rst
probe migsyn "[$TARGET]:$TCP_CLOSED" --expect rst
judge MUST
