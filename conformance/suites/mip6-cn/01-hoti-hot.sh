# clause: RFC 6275 9.4.1, 9.4.3, 6.1.5
# level: MUST
# title: a Home Test Init from the home address gets a Home Test sent to
#   the home address, with the home init cookie echoed, the current nonce
#   index and a home keygen token
#
#   mobile node / home agent (prober)          correspondent (target)
#     | -- HoTI (src HoA, cookie C) -----------> |
#     | <-- HoT (dst HoA, index i, cookie C, --- |
#     |          home keygen token)              |
#
# judge: class hot, addressed to the home address, cookie C, a nonce index
#   and a 64-bit token in the answer
probe rr --hoa "${HOME_PREFIX}c1" "$CN" --expect hot
point MUST
[ -n "$(json_num nonce_index)" ] && [ "$(json_field token | wc -c)" = 17 ] ||
	fail "HoT without a nonce index or a 64-bit keygen token: $PROBE_OUT"
judge MUST
