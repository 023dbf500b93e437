# clause: RFC 4443 2.4(b)
# level: MUST
# title: Home Agent Unreachable under mobkit's default codepoint (201, an
#   informational type a legacy node does not know) is silently discarded
#
#   home agent (prober)              target
#     | -- HA Unreachable (201) ----> |
#     |          (nothing)            |
#
# judge: no answer within 1 s
probe haunreach "$TARGET" --timeout 1 --expect none
judge MUST
