# clause: RFC 8945 5.2.2; RFC 2136 3.3
# level: MUST
# title: an UPDATE of the node's name signed with the right key name and a
#   wrong secret is refused (NOTAUTH, TSIG error BADSIG) and changes nothing
#
#   CN2 (prober)                                    NS (target)
#     | -- UPDATE mn.example. AAAA 2001:db8:66::6, TSIG wrong secret -> |
#     | <-- NOTAUTH (BADSIG) ------------------------------------------ |
#
# judge: refused; the AAAA rrset still IP1 and IP2
dmm_need ddns
dmm_update_refused "$BAD_TSIG_KEY" 2001:db8:66::6 'badsig|notauth'
