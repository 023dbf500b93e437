# clause: RFC 9293 3.1 (MUST-64); draft-snoeren-tcp-migrate-00 3
# level: MUST
# title: the paper's raw option kinds (35 Migrate-Permitted, 36 Migrate;
#   never assigned by IANA) are unknown kinds to a legacy stack and ignored
#
#   prober                           legacy stack
#     | -- SYN + kind 35 (MigPerm) -> |
#     | <-- SYN/ACK, no kind 35 ----- |
#     | -- SYN + kind 36 (Migrate) -> |
#     | <-- SYN/ACK, ack = seq + 1 -- |
#
# judge: class synack for both
probe migsyn --permitted --profile paper "[$TARGET]:$TCP_OPEN" --expect synack
[ "$PROBE_RC" = 0 ] || judge MUST
probe migsyn --profile paper "[$TARGET]:$TCP_OPEN" --expect synack
judge MUST
