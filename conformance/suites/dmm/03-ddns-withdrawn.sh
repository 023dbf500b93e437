# clause: draft (seeds/004) 4.1 ("MN's latest IP address"); RFC 2136 2.5.2, 2.5.4
# level: MUST
# title: an address the node withdraws is gone from the rrset, the other
#   stays; put back, it is there again
#
#   MN (mobctl withdraw IP2)                 NS (target)
#     | -- UPDATE: delete AAAA, add IP1 -----> |
#   CN2 -- AAAA? ----------------------------> |   IP1
#     (mobctl restore IP2)
#     | -- UPDATE: delete AAAA, add IP1 IP2 -> |   IP1 IP2
#
# judge: within 3 s of the withdrawal the rrset is IP1 alone; within 3 s
#   of the restore IP1 and IP2 again
dmm_need ddns
trap '$MN_CTL restore "$IP2" >>"$CASE_DIR/log" 2>&1' EXIT
$MN_CTL withdraw "$IP2" >>"$CASE_DIR/log" 2>&1 || initfail "mobctl withdraw $IP2 failed (see log)"
dmm_wait 30 dmm_aaaa "$IP1" || fail "3 s after the withdrawal of IP2 the AAAA rrset is '$(dmm_aaaa)', not IP1 alone"
$MN_CTL restore "$IP2" >>"$CASE_DIR/log" 2>&1 || initfail "mobctl restore $IP2 failed (see log)"
dmm_wait 30 dmm_aaaa "$(dmm_sorted "$IP1" "$IP2")" || fail "3 s after the restore the AAAA rrset is '$(dmm_aaaa)'"
pass "IP2 withdrawn: IP1 alone; restored: IP1 and IP2"
