# clause: RFC 6275 9.5.1, 9.5.4, 5.2.7
# level: MUST
# title: a Binding Update whose nonce indices the correspondent no longer
#   recognizes gets BA 136 (home nonce index), 137 (care-of nonce index)
#   or 138 (both), without the Binding Authorization Data option
#
#   prober (MN + HA)                           correspondent (target)
#     | -- HoTI, CoTI -------------------------> |
#     | <-- HoT (index i), CoT (index j) ------- |
#     |    ... NONCE_LIFETIME + 1 s ...          |
#     | -- BU + NI(i, j) ----------------------> |
#     | <-- BA 138 ----------------------------- |
#     | -- CoTI; BU + NI(i, fresh j') ---------> |
#     | <-- BA 136 ----------------------------- |
#     | -- HoTI; BU + NI(fresh i', j) ---------> |
#     | <-- BA 137 ----------------------------- |
#
# judge: class ba-rejected with status 138, 136, 137 in turn, each with no
#   Binding Authorization Data (mobprobe: an issue if present)
H=${HOME_PREFIX}c5
probe rr --hoa "$H" "$CN" --expect hot
need "no HoT"
ht=$(json_field token) hi=$(json_num nonce_index)
probe rr --careof --coa "$COA" "$CN" --expect cot
need "no CoT"
ct=$(json_field token) ci=$(json_num nonce_index)
sleep $((NONCE_LIFETIME + 1))
probe rr --bu --hoa "$H" --coa "$COA" --home-token "$ht" --home-index "$hi" \
	--careof-token "$ct" --careof-index "$ci" "$CN" --expect ba-rejected --expect-status 138
point MUST
probe rr --bu --hoa "$H" --coa "$COA" --home-token "$ht" --home-index "$hi" \
	"$CN" --expect ba-rejected --expect-status 136
point MUST
probe rr --bu --hoa "$H" --coa "$COA" --careof-token "$ct" --careof-index "$ci" \
	"$CN" --expect ba-rejected --expect-status 137
judge MUST
