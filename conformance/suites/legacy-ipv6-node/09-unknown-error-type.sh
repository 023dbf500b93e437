# clause: RFC 4443 2.4(a)
# level: MUST
# title: an ICMPv6 error message of unknown type (type 100, private
#   experimentation) is passed to the upper layer, never answered with an
#   ICMPv6 error (2.4(e))
#
#   prober                          target
#     | -- ICMPv6 type 100 ---------> |
#     |          (nothing)            |
#
# judge: no answer within 1 s
probe echo --icmp-type 100 "$TARGET" --timeout 1 --expect none
judge MUST
