# clause: RFC 2136 2.5.2, 3.4.2.3
# level: MUST
# title: a move replaces the AAAA RRset (delete RRset, add the new address
#   in one UPDATE): afterwards only the new address is served
#
#   mobile node (prober)             authoritative server
#     | -- UPDATE AAAA = A1 --------> |
#     | -- UPDATE del AAAA, add A2 -> |
#     | -- query AAAA --------------> |
#     | <-- A2 only ----------------- |
#
# judge: one answer, carrying A2
probe update "$SERVER" --zone "$ZONE" --name srv3.example. --aaaa 2001:db8:21::1 --tsig-key "$TSIG_KEY"
[ "$PROBE_RC" = 0 ] || fail "the first UPDATE was not accepted: $PROBE_TEXT"
probe update "$SERVER" --zone "$ZONE" --name srv3.example. --aaaa 2001:db8:22::1 --tsig-key "$TSIG_KEY"
[ "$PROBE_RC" = 0 ] || fail "the replacing UPDATE was not accepted: $PROBE_TEXT"
probe caaaa "$SERVER" srv3.example. --type aaaa --no-rd --expect-addr 2001:db8:22::1
[ "$PROBE_RC" = 0 ] || judge MUST
n=$(json_num answers)
[ "$n" = 1 ] || fail "$n AAAA answers after the replacement: $(json_field records)"
pass "only the new address: $(json_field records)"
