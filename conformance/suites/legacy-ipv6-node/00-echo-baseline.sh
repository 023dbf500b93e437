# clause: RFC 4443 4.1
# level: MUST
# title: the target answers a plain Echo Request (reachability; the other
#   cases mean nothing without it)
#
#   prober                          target
#     | ---- Echo Request ----------> |
#     | <--- Echo Reply ------------- |
#
# judge: an Echo Reply with our identifier; no answer is INIT-FAIL.
probe echo "$TARGET" --timeout 2
[ "$PROBE_RC" = 3 ] && initfail "the target does not answer Echo: $PROBE_TEXT"
judge MUST
