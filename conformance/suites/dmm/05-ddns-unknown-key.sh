# clause: RFC 8945 5.2.1; RFC 2136 3.3
# level: MUST
# title: an UPDATE of the node's name signed by an identity the server does
#   not know (a key name it has no key for) is refused (NOTAUTH, TSIG error
#   BADKEY) and changes nothing
#
#   CN2 (prober)                                    NS (target)
#     | -- UPDATE mn.example. AAAA 2001:db8:66::7, TSIG key nobody-key -> |
#     | <-- NOTAUTH (BADKEY) -------------------------------------------- |
#
# judge: refused; the AAAA rrset still IP1 and IP2
dmm_need ddns
dmm_update_refused "$UNKNOWN_TSIG_KEY" 2001:db8:66::7 'badkey|notauth'
