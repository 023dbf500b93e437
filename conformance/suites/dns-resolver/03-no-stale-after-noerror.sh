# clause: RFC 1035 3.2.1; RFC 2181 8 (TTL 0); seed 004 (DNS as location manager)
# level: SHOULD
# title: over 10 moves, no answer the client gets after the server's
#   NOERROR carries an address older than the update (TTL 0 throughout);
#   each stale answer is a TTL violation
#
#   mobile node      server         resolver        client (prober)
#     | -- UPDATE Ai --> |              |                |
#     | <-- NOERROR ---- |              | <-- AAAA? ---- |  -> Ai (i = 1..10)
#
# judge: every answer carries the address of the update just acknowledged
stale=0 i=1 seen=""
while [ $i -le 10 ]; do
	probe update "$SERVER" --zone "$ZONE" --name r3.example. --aaaa "2001:db8:3$i::1" --ttl 0 --tsig-key "$TSIG_KEY"
	need "UPDATE $i"
	cprobe caaaa "$RESOLVER" r3.example. --type aaaa --expect-addr "2001:db8:3$i::1"
	if [ "$PROBE_RC" != 0 ]; then
		stale=$((stale + 1))
		seen="$seen [$i: $(json_field records)]"
	fi
	i=$((i + 1))
done
[ $stale = 0 ] || warn "$stale of 10 answers after NOERROR were stale:$seen"
pass "10 of 10 answers carried the address just published"
