# clause: RFC 2136 3.3; RFC 3007 3
# level: MUST
# title: an unsigned UPDATE to a zone that allows updates only for a TSIG
#   key is refused and changes nothing
#
#   attacker (prober)                authoritative server
#     | -- UPDATE, unsigned --------> |
#     | <-- REFUSED (or NOTAUTH) ---- |
#     | -- query AAAA --------------> |
#     | <-- not the attacker's addr - |
#
# judge: REFUSED or NOTAUTH, and the name does not carry the address
probe update "$SERVER" --zone "$ZONE" --name srv5.example. --aaaa 2001:db8:66::5 --expect 'refused|notauth'
[ "$PROBE_RC" = 0 ] || judge MUST
rc=$(json_field rcode)
probe caaaa "$SERVER" srv5.example. --type aaaa --no-rd --expect-addr 2001:db8:66::5
[ "$PROBE_RC" = 0 ] && fail "answered $rc, yet the unsigned update took effect"
pass "$rc, nothing changed"
