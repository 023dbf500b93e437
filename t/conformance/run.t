#!/bin/sh
# t/conformance/run.t: conformance/run over every suite and implementation
# this machine runs, compared verdict by verdict with
# fixtures/conformance/expected.tsv (what Debian 12's Linux, BIND, Knot,
# PowerDNS, unbound, PowerDNS Recursor, Knot Resolver, dnsmasq and mobd as
# correspondent and home agent did when the suites were written: a change
# in mobprobe's judgement or in a package's behaviour shows here).  Also:
# TAP, JUnit XML, the verdict table, a pcap and a log per case (the
# tunnelled echo of mip6-ha read by tshark), nothing left up, and the
# runner's usage errors.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
R=$here/conformance/run
exp=$here/fixtures/conformance/expected.tsv
MOBBED_RUN=$(mktemp -d /tmp/mk-conf.XXXXXX) || exit 1
export MOBBED_RUN
out=$MOBBED_RUN/results
trap 'for s in $(ls "$MOBBED_RUN" 2>/dev/null); do [ -d "$MOBBED_RUN/$s" ] && MOBBED_NAME=$s "$here/bin/mobbed" clean >/dev/null 2>&1; done; rm -rf "$MOBBED_RUN"' EXIT
trap '[ -n "${rpid:-}" ] && { kill "$rpid" 2>/dev/null; wait "$rpid"; }; exit 130' INT TERM HUP

. "$here/t/lib/tap.sh"
need_root "network namespaces"
need_cmds named knotd pdns_server unbound pdns_recursor kresd dnsmasq tap2junit tshark

ncases=$(grep -vc '^#' "$exp")
echo "1..$((ncases + 11))"

# in the background for its PID: its testbeds are cf<PID>-*, told apart from
# those of another run on the same machine
"$R" --results "$out" >"$MOBBED_RUN/tap" 2>"$MOBBED_RUN/err" &
rpid=$!
wait "$rpid"
rc=$?
grep -q '^1\.\.' "$MOBBED_RUN/tap" && ! grep -Eqv '^(ok|not ok|#|1\.\.)' "$MOBBED_RUN/tap"
ok $? "the runner's stdout is TAP" || head -n 20 "$MOBBED_RUN/tap" | diag

# one check per expected verdict
grep -v '^#' "$exp" | while IFS='	' read -r suite case impl want; do
	got=$(awk -F '\t' -v s="$suite" -v c="$case" -v i="$impl" \
		'$1 == s && $2 == c && $3 == i { print $4 }' "$out/verdicts.tsv")
	case "|$want|" in *"|$got|"*) same=1 ;; *) same="" ;; esac
	if [ -n "$got" ] && [ -n "$same" ]; then
		echo "ok - $impl: $suite/$case $want"
	else
		echo "not ok - $impl: $suite/$case: got '${got:-nothing}', want $want"
		awk -F '\t' -v s="$suite" -v c="$case" -v i="$impl" \
			'$1 == s && $2 == c && $3 == i { print "# " $6 }' "$out/verdicts.tsv"
	fi
done | awk -v base="$n" '/^(ok|not ok)/ { k++; sub(/^(ok|not ok)/, "& " (base + k)) } { print }'
n=$((n + ncases))

nrun=$(wc -l <"$out/verdicts.tsv")
[ "$nrun" = "$ncases" ]
ok $? "as many verdicts as expected ($nrun, $ncases)"

# exit status: 1 because PowerDNS fails MUSTs (see expected.tsv)
if grep -q '	FAIL$' "$exp"; then want=1; else want=0; fi
[ "$rc" = "$want" ]
ok $? "exit status $rc ($want: a FAIL is expected)"

t=$(tr '\n' ' ' <"$out/junit.xml" | grep -o '<testsuite [^>]*>' | grep -o ' tests="[0-9]*"' | head -n 1 | tr -dc 0-9)
[ "$t" = "$ncases" ]
ok $? "junit.xml lists $ncases test cases (got '${t:-none}')" || { cat "$out/tap2junit.log"; ls "$out"; } 2>&1 | diag

hdr=$(head -n 1 "$out/table.txt")
missing=""
for i in linux bind knot pdns unbound pdns-recursor kresd dnsmasq mobd; do
	case " $hdr " in *" $i "*) ;; *) missing="$missing $i" ;; esac
done
grep -q '^legacy-ipv6-node/01-hao-param-problem .*PASS' "$out/table.txt" && [ -z "$missing" ]
ok $? "the verdict table has a column per implementation" || diag <"$out/table.txt"

d=$out/legacy-ipv6-node/linux/01-hao-param-problem
f=$(tshark -r "$d/probe-1.pcap" -Y 'icmpv6.type == 4' -T fields -E occurrence=f -e icmpv6.code -e icmpv6.pointer 2>/dev/null | tr '\t' ' ')
[ "$f" = "2 46" ] && grep -q '"verdict":"PASS"' "$d/log"
ok $? "a case keeps its pcap (tshark: code 2 pointer 46) and its log"

d=$out/mip6-ha/mobd/13-tunnel-to-coa
f=$(tshark -r "$d/probe-2.pcap" -Y "ipv6.nxt == 41 && ipv6.dst == 2001:db8:7::100" -T fields -E occurrence=f -e ipv6.src 2>/dev/null | head -n 1)
[ "$f" = 2001:db8:1::2 ] && grep -q '"class":"tunnelled"' "$d/log"
ok $? "mip6-ha keeps the tunnelled echo in its pcap (tshark: IPv6-in-IPv6 from the home agent, got '$f')"

grep -q 'SKIP answered REFUSED: BIND .* removed SIG(0)' "$MOBBED_RUN/tap"
ok $? "BIND's SIG(0) refusal is a SKIP with the reason, not a failure"

left=$(ip netns list | grep -c "^cf$rpid-" || true)
[ "$left" = 0 ]
ok $? "no namespace left up ($left)"

"$R" no-such-suite >/dev/null 2>&1
[ $? = 2 ]
ok $? "an unknown suite: exit 2"
"$R" --target /nonexistent.profile >/dev/null 2>&1
[ $? = 2 ]
ok $? "a missing profile: exit 2"
