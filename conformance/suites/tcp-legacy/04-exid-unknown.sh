# clause: RFC 6994 3; RFC 9293 3.1 (MUST-64)
# level: MUST
# title: the experimental option kind 253 with an ExID the stack does not
#   know (mobkit's 0x4d47 for Migrate) is skipped like any unknown option;
#   the SYN is answered as if it carried none.  Repeated with another
#   unassigned ExID (0x1234) to show it is the ExID, not our value, that
#   the stack ignores.
#
#   prober                           legacy stack
#     | -- SYN + EXP(253, ExID) ----> |
#     | <-- SYN/ACK ----------------- |
#
# judge: class synack for both ExIDs
probe migsyn "[$TARGET]:$TCP_OPEN" --codepoint tcp-migrate-exid=0x1234 --expect synack
[ "$PROBE_RC" = 0 ] || judge MUST
probe migsyn "[$TARGET]:$TCP_OPEN" --expect synack
judge MUST
