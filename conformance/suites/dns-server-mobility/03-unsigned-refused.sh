# clause: RFC 3007 3; RFC 8945 5.2.2; issue 15
# level: MUST
# title: the name server takes no CAAAA update that is not signed with the
#   zone's key: an unsigned one is refused, one with a TSIG that does not
#   verify (the key's name, another secret) answered NOTAUTH/BADSIG; the
#   CAAAA stays the mobile server's
#
#   C2 (prober)                                     NS (target)
#     | -- UPDATE add CAAAA mn 2001:db8:66::3 (no TSIG) -> |
#     | <-- REFUSED | NOTAUTH -------------------------- |
#     | -- UPDATE ... [TSIG mobbed-key, wrong secret] --> |
#     | <-- NOTAUTH, TSIG error BADSIG ------------------ |
#     | -- CAAAA? mn.example. --------------------------> |   unchanged
#
# judge: both refused, the CAAAA at NS the same before and after
before=$(ns_rr TYPE$CAAAA_TYPE)
need_caaaa
probe update "$NS" --zone "$ZONE" --name "$NAME" --caaaa 2001:db8:66::3 --ttl 0 --expect 'refused|notauth'
point MUST
r1=$(json_field summary)
probe update "$NS" --zone "$ZONE" --name "$NAME" --caaaa 2001:db8:66::3 --ttl 0 --tsig-key "$BAD_TSIG_KEY" \
	--expect 'badsig|notauth'
point MUST
r2=$(json_field summary)
after=$(ns_rr TYPE$CAAAA_TYPE)
[ "$after" = "$before" ] || fail "the CAAAA changed: '$before' -> '$after'"
pass "unsigned: $r1; wrong secret: $r2; the CAAAA unchanged"
