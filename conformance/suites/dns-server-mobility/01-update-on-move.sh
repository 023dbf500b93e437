# clause: server-mobility paper 2.3, 3.1; RFC 2136 2.5
# level: MUST
# title: whenever the mobile server's care-of address changes it sends a
#   dynamic UPDATE that touches only the CAAAA of its name (delete the
#   CAAAA rrset, add the new care-of address, TTL 0); the AAAA (the home
#   address) stays as it is at the name server
#
#   MN (mobd + dns-updater)                         NS (target)
#     | moves f1 -> f2                                   |
#     | -- UPDATE example.: del CAAAA mn (ANY),          |
#     |      add CAAAA mn TTL 0 COA2 [TSIG] -----------> |
#     | <-- NOERROR ------------------------------------ |
#     | moves f2 -> f1: the same with COA1               |
#   C2 -- mn.example. AAAA? CAAAA? (no RD) -----------> |
#
# judge: one UPDATE per move (mobctl updater: 2 more updates) and at NS
#   (capture) only UPDATEs whose update section is CAAAA rrs of NAME (no
#   other type, no prerequisite): a delete (class ANY) and an add (class
#   IN, TTL 0) with the new care-of address; dig at NS: CAAAA = COA1 with
#   TTL 0, the AAAA unchanged
[ -n "${MN_DO:-}" ] || skip "the profile cannot move the mobile server (MN_DO)"
aaaa0=$(ns_rr AAAA)
[ -n "$aaaa0" ] || initfail "no AAAA of $NAME at $NS"
n0=$($MN_CTL updater | jq -r .counters.updates)
capture_start ns $NS_RUN || initfail "no capture on NS"
trap '$MN_DO move f1 >>"$CASE_DIR/log" 2>&1' EXIT
$MN_DO move f2 >>"$CASE_DIR/log" 2>&1 || initfail "the move to f2 did not end (see log)"
coa2=$($MN_CTL bul | jq -r '.[0].coa')
$MN_DO move f1 >>"$CASE_DIR/log" 2>&1 || initfail "the move back to f1 did not end (see log)"
trap - EXIT
coa1=$($MN_CTL bul | jq -r '.[0].coa')
capture_stop ns
n1=$($MN_CTL updater | jq -r .counters.updates)
updates "$CASE_DIR/ns.pcap" >"$CASE_DIR/updates"
cat "$CASE_DIR/updates" >>"$CASE_DIR/log"
[ -s "$CASE_DIR/updates" ] || fail "no UPDATE reached NS"
rc=$($MN_CTL updater | jq -r .last.rcode)
[ "$rc" = NOERROR ] || fail "NS answered the CAAAA UPDATE $rc (mobctl updater)"
[ $((n1 - n0)) = 2 ] || fail "$((n1 - n0)) updates for 2 moves (mobctl updater)"
h1=$(hex128 "$coa1") h2=$(hex128 "$coa2")
bad=$(awk -F'|' -v n="$NAME" -v t="$CAAAA_TYPE" -v a="$h1" -v b="$h2" '
	{ split($4, nm, ","); split($5, ty, ","); split($6, cl, ","); split($7, tt, ",")
	  why = ""
	  if ($2 != 0) why = "a prerequisite"
	  if ($3 != 2) why = why " " $3 " updates"
	  for (i = 1; i <= $3; i++) {
		if (nm[i] "." != n) why = why " name " nm[i]
		if (ty[i] != t) why = why " type " ty[i]
	  }
	  if (cl[1] != "0x00ff") why = why " no delete first"
	  if (cl[2] != "0x0001" || tt[2] != 0) why = why " add class " cl[2] " ttl " tt[2]
	  if ($8 != a && $8 != b) why = why " data " $8
	  if (why != "") { print $1 ":" why; exit }
	}' "$CASE_DIR/updates")
[ -z "$bad" ] || fail "UPDATE $bad"
grep -q "|$h2|" "$CASE_DIR/updates" && grep -q "|$h1|" "$CASE_DIR/updates" ||
	fail "no UPDATE with $coa2 and one with $coa1 at NS"
[ "$(ns_rr TYPE$CAAAA_TYPE)" = "0 $h1" ] || fail "CAAAA at NS: '$(ns_rr TYPE$CAAAA_TYPE)', not $coa1 TTL 0"
[ "$(ns_rr AAAA)" = "$aaaa0" ] || fail "the AAAA changed: '$aaaa0' -> '$(ns_rr AAAA)'"
pass "$(wc -l <"$CASE_DIR/updates") UPDATEs (2 moves), CAAAA only (delete + add TTL 0), the AAAA unchanged"
