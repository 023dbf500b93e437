# clause: RFC 6275 9.4.2, 9.4.4, 6.1.6
# level: MUST
# title: a Care-of Test Init from the care-of address gets a Care-of Test
#   sent directly to the care-of address, with the care-of init cookie
#   echoed, the current nonce index and a care-of keygen token
#
#   mobile node (prober)                       correspondent (target)
#     | -- CoTI (src CoA, cookie C) -----------> |
#     | <-- CoT (dst CoA, index j, cookie C, --- |
#     |          care-of keygen token)           |
#
# judge: class cot, addressed to the care-of address, cookie C, a nonce
#   index and a 64-bit token in the answer
probe rr --careof --coa "$COA" "$CN" --expect cot
point MUST
[ -n "$(json_num nonce_index)" ] && [ "$(json_field token | wc -c)" = 17 ] ||
	fail "CoT without a nonce index or a 64-bit keygen token: $PROBE_OUT"
judge MUST
