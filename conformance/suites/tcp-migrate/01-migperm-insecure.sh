# clause: draft-snoeren-tcp-migrate-00, Migrate-Permitted; protocol-facts 5 (handshake 1)
# level: MUST
# title: a SYN offering Migrate-Permitted, insecure (Curve ID 0, the RFC
#   6994 form of the default profile), to a listening port of the fixed
#   host: its SYN/ACK echoes Migrate-Permitted with the same Len and the
#   same Curve ID (or the draft's other answer, RST); the shim lists the
#   connection as negotiated, curve 0
#
#   prober A (no shim)                      FH (kernel + shim)
#     | -- SYN MSS,SACKP,TS,WS,MigPerm(0) -> |
#     | <-- SYN/ACK ..., MigPerm(0) -------- |   same Len, CurveID 0
#     | -- RST ----------------------------> |
#
# judge: class synack-migperm, curve 0; in the probe's pcap the SYN/ACK's
#   option has the SYN's length
mig_need
probe migsyn --permitted --curve 0 "[$TARGET]:$TCP_OPEN" --expect synack-migperm
point MUST
[ "$(json_num curve)" = 0 ] || fail "the SYN/ACK's Curve ID is $(json_num curve), not 0"
lens=$(mig_tcp "$CASE_DIR/probe-1.pcap" | jq -r 'select(.flags | index("SYN")) | .opts[] | select(.name == "MigPerm") | .len' | tr '\n' ' ')
log "Migrate-Permitted lengths, SYN then SYN/ACK: $lens"
set -- $lens
[ $# = 2 ] && [ "$1" = "$2" ] || fail "Migrate-Permitted lengths SYN, SYN/ACK: '$lens' (the same Len is required)"
judge MUST
