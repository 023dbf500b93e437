# clause: draft (seeds/004) 4.1; RFC 2136 2.5.1
# level: MUST
# title: the node registers every live address under its ID: the AAAA
#   rrset of its name at the DNS server holds IP1 (from MR1) and IP2 (from
#   MR2), nothing else
#
#   MN (IP1 on MR1, IP2 on MR2)               NS (target)
#     | -- UPDATE: delete AAAA, add IP1, IP2 --> |
#     | <-- NOERROR ---------------------------- |
#   CN2 -- AAAA? mn.example. -----------------> |   IP1 IP2
#
# judge: dig at NS (no recursion): exactly IP1 and IP2
dmm_need ddns
want=$(dmm_sorted "$IP1" "$IP2")
got=$(dmm_aaaa)
log "AAAA of $NAME at NS: $got (want $want)"
[ "$got" = "$want" ] || fail "the AAAA rrset of $NAME is '$got', not IP1 and IP2 ($want)"
pass "AAAA of $NAME: $got"
