# clause: RFC 4443 2.4(b); RFC 5568 6.1
# level: MUST
# title: Home Agent Unreachable under the paper's codepoint (154, which IANA
#   gave to FMIPv6): a node without FMIPv6 discards it silently too
#
#   home agent (prober)              target
#     | -- HA Unreachable (154) ----> |
#     |          (nothing)            |
#
# judge: no answer within 1 s
probe haunreach "$TARGET" --profile paper --timeout 1 --expect none
judge MUST
