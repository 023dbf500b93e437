# clause: RFC 4443 2.4(b); RFC 6275 10.5
# level: MUST
# title: a DHAAD Request to a node that is no home agent gets no reply
#   (unknown informational message: silently discarded)
#
#   mobile node (prober)             target
#     | -- DHAAD Request -----------> |
#     |          (nothing)            |
#
# judge: no answer within 1 s
probe dhaad "$TARGET" --timeout 1 --expect none
judge MUST
