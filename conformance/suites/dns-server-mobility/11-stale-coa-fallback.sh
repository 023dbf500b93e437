# clause: issue 15 (fall-back); server-mobility paper 2.1
# level: MUST
# title: a client holding a stale care-of address (the server's CAAAA
#   from before it moved: an address nobody holds now) still connects: no
#   answer from it within cn-dns-probe-timeout and the binding goes, the
#   retransmitted SYN goes to the home address through the home agent;
#   mobd counts it
#
#   C1 (client, cn-bind HOA STALE)    f2 (nobody)    HA1    MN (server, f1)
#     | -- SYN dst STALE, RH2(HOA) --> X                       |
#     |   ... cn-dns-probe-timeout: the binding goes ...       |
#     | -- SYN dst HOA ---------------------------> | ======> |
#     | <=================== the stream ========================> |
#
# judge: the stream complete; mobctl counters at C1: dns_coa_unreachable
#   one more; no binding of HOA left at C1
[ -n "${C1_CTL:-}" ] || skip "the profile has no correspondent client (C1_CTL)"
$MN_DO restart rr >>"$CASE_DIR/log" 2>&1 || initfail "mobd on MN did not come back (rr)"
$C1_CTL cn-unbind "$HOA" >>"$CASE_DIR/log" 2>&1
coa=$($MN_CTL bul | jq -r '.[0].coa')
# the server's address on f2, where it was before (01): nobody has it now
stale=$(echo "$coa" | sed 's/^2001:db8:21:/2001:db8:22:/')
[ "$stale" != "$coa" ] || initfail "the server is not on f1 ($coa)"
n0=$($C1_CTL counters | jq -r .dns_coa_unreachable)
out=$($C1_CTL cn-bind "$HOA" "$stale" 60 2>&1)
log "cn-bind $HOA $stale 60: $out"
[ "$out" = ok ] || initfail "C1 refused cn-bind $HOA $stale: $out"
stream "$C1_RUN" 5105 100000 || fail "the stream C1 -> $HOA did not complete with the stale $stale: sent '$STREAM_SENT', received '$STREAM_GOT'"
n1=$($C1_CTL counters | jq -r .dns_coa_unreachable)
left=$($C1_CTL bc | jq -r --arg h "$HOA" --arg c "$stale" '[.[] | select(.hoa == $h and .coa == $c)] | length')
log "dns_coa_unreachable $n0 -> $n1; bindings to the stale address left: $left"
[ $((n1 - n0)) = 1 ] || fail "mobctl counters at C1: dns_coa_unreachable $n0 -> $n1"
[ "$left" = 0 ] || fail "the binding to the stale $stale is still at C1"
pass "the stale $stale dropped (dns_coa_unreachable $n0 -> $n1), the stream complete through the home agent"
