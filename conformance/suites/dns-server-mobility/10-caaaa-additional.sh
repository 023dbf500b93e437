# clause: server-mobility paper 3.1
# level: MUST
# title: the resolver of the DNS-assisted design (Knot Resolver with the
#   mobkit_caaaa module) answers an AAAA query for the server's name with
#   the home address and the care-of address (CAAAA) in the ADDITIONAL
#   section, with the TTL 0 the server published
#
#   C2 (prober)                 RES (kresd-caaaa)        NS (target)
#     | -- AAAA? mn.example. --> | -- AAAA?, CAAAA? ----> |
#     | <-- ANSWER AAAA HOA, ADDITIONAL CAAAA COA TTL 0 -- |
#
# judge: mobprobe lookup-mobile: class coa, the care-of address the
#   server's mobd has, from additional-of-aaaa; dig: the CAAAA's TTL 0
coa=$($MN_CTL bul | jq -r '.[0].coa')
need_caaaa
probe lookup-mobile --resolver "$RES" "$NAME" --expect coa --expect-coa "$coa" --expect-section additional-of-aaaa
point MUST
ttl=$($C2_RUN dig @"$RES" +noall +additional "$NAME" AAAA 2>>"$CASE_DIR/log" | awk -v t="TYPE$CAAAA_TYPE" '$4 == t { print $2; exit }')
log "the CAAAA's TTL in ADDITIONAL (dig): $ttl"
[ "$ttl" = 0 ] || fail "the CAAAA in ADDITIONAL has TTL '$ttl', not 0"
pass "$(json_field summary); TTL 0"
