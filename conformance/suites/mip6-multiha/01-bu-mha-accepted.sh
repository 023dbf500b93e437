# clause: multiple-home-agent paper §III-A, §III-C; doc/codepoints.md (bu-mha-flag, mh-opt-mha)
# level: MUST
# title: a Binding Update with the MHA flag and the Multiple Home Agents
#   option listing HA1 then HA2, with RFC 4285 MN-HA authentication, sent to
#   each home agent listed, is accepted by both: BA status 0, the BU's
#   sequence number, a lifetime no longer than asked, an authenticator that
#   verifies
#
#   mobile node (prober, CoA c1)              HA1 (target)    HA2 (target)
#     | -- BU A,H,MHA + MHA(HA1,HA2) + auth -----> |               |
#     | <-- BA 0 + auth -------------------------- |               |
#     | -- BU A,H,MHA + MHA(HA1,HA2) + auth ---------------------> |
#     | <-- BA 0 + auth ------------------------------------------ |
#
# judge: from each home agent class ba-accepted, status 0, auth verified
for ha in "$HA1" "$HA2"; do
	mha_bu "${HOME_PREFIX}e1" "${COA_PREFIX}c1" "$ha" "$HA1" "$HA2"
	point MUST
	[ "$(json_field auth)" = verified ] || fail "$ha: the BA's authenticator: $(json_field auth)"
done
judge MUST
