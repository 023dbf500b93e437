# clause: RFC 9293 3.1 (MUST-64); draft-snoeren-tcp-migrate-00 3.1
# level: MUST
# title: a SYN offering Migrate-Permitted (insecure, RFC 6994 ExID form)
#   to a legacy stack: the SYN/ACK does not carry Migrate-Permitted, so the
#   connection is not migratable
#
#   mobile host (prober)             legacy stack
#     | -- SYN MSS,SACKP,TS,WS,MigPerm > |
#     | <-- SYN/ACK without MigPerm ---- |
#
# judge: class synack (not synack-migperm)
probe migsyn --permitted "[$TARGET]:$TCP_OPEN" --expect synack
judge MUST
