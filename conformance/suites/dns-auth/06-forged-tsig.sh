# clause: RFC 8945 5.2.2
# level: MUST
# title: an UPDATE whose TSIG MAC does not verify (one bit flipped) is
#   answered NOTAUTH with TSIG error BADSIG, and changes nothing
#
#   attacker (prober)                authoritative server
#     | -- UPDATE, TSIG MAC forged -> |
#     | <-- NOTAUTH (BADSIG) -------- |
#
# judge: rcode NOTAUTH (mobprobe reports the TSIG error as the rcode:
#   BADSIG), and the name does not carry the address
probe update "$SERVER" --zone "$ZONE" --name srv6.example. --aaaa 2001:db8:66::6 --tsig-key "$TSIG_KEY" --corrupt --expect 'badsig|notauth'
[ "$PROBE_RC" = 0 ] || judge MUST
rc=$(json_field summary)
probe caaaa "$SERVER" srv6.example. --type aaaa --no-rd --expect-addr 2001:db8:66::6
[ "$PROBE_RC" = 0 ] && fail "answered $rc, yet the forged update took effect"
pass "$rc, nothing changed"
