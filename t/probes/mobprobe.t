#!/bin/sh
# t/probes/mobprobe.t: mobprobe against the Linux kernel in mobbed's `pair`
# topology: verdicts and exit codes (0 pass, 1 non-conforming, 2 usage, 3
# no answer), the Parameter Problem explained, its pcap decoded by tshark
# as the same message (the oracle agrees with our classification), JSON,
# -v, the TCP classes, load mode, and usage errors that name the bad value
# and leave nothing behind.
#
# Its own instance name and state folder; `mobbed clean` on every way out.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
M=$here/bin/mobbed
P=$here/bin/mobprobe
export MOBBED_NAME="mkp$$"
MOBBED_RUN=$(mktemp -d /tmp/mk-mobprobe.XXXXXX) || exit 1
export MOBBED_RUN
tmp=$MOBBED_RUN/out
trap '"$M" clean >/dev/null 2>&1; rm -rf "$MOBBED_RUN"' EXIT
trap 'exit 130' INT TERM HUP

. "$here/t/lib/tap.sh"
need_root "network namespaces and raw sockets"
need_cmds tshark tcpdump perl

mkdir -p "$tmp"
T=2001:db8:5::2
X() { "$M" exec P "$P" "$@"; }

echo "1..56"

"$M" up pair >"$tmp/up.log" 2>&1
ok $? "mobbed up pair" || diag <"$tmp/up.log"

# --- exit 0: a conforming answer ------------------------------------------------
X echo "$T" --pcap "$tmp/echo.pcap" >"$tmp/o" 2>&1
is $? 0 "echo: Echo Reply is a pass, exit 0"
grep -q '^PASS echo .*Echo Reply' "$tmp/o"
ok $? "echo: the verdict line names the answer" || diag <"$tmp/o"
c=$(tshark -r "$tmp/echo.pcap" -Y 'icmpv6.type == 128 || icmpv6.type == 129' 2>/dev/null | wc -l)
is "$c" 2 "echo: the pcap holds the request and the reply"
tshark -r "$tmp/echo.pcap" -T fields -e frame.time_epoch 2>/dev/null | head -n 1 | grep -Eq '\.[0-9]{9}$'
ok $? "echo: the pcap has nanosecond timestamps"

# --- exit 1: the answer does not conform to the expectation ----------------------
X echo --hao 2001:db8:1::100 "$T" --pcap "$tmp/hao.pcap" >"$tmp/o" 2>&1
is $? 1 "HAO to a legacy node under the default expectation: exit 1"
grep -q 'does not recognise the Home Address option (0xc9), code 2 at offset 46' "$tmp/o"
ok $? "the Parameter Problem is explained: the option, code 2, offset 46" || diag <"$tmp/o"
f=$(tshark -r "$tmp/hao.pcap" -Y 'icmpv6.type == 4' -T fields -E occurrence=f -e icmpv6.code -e icmpv6.pointer 2>/dev/null | tr '\t' ' ')
is "$f" "2 46" "tshark reads the same code and pointer from the pcap"

X echo --hao 2001:db8:1::100 "$T" --expect param-problem --expect-code 2 --expect-pointer 46 >"$tmp/o" 2>&1
is $? 0 "the same answer passes when it is what --expect asks for"
X echo --hao 2001:db8:1::100 "$T" --expect param-problem --expect-pointer 47 >"$tmp/o" 2>&1
r=$?
grep -q 'expected pointer 47, got 46' "$tmp/o"
is "$r.$?" "1.0" "a wrong pointer fails and says which field differs"

# --- JSON ---------------------------------------------------------------------------
X bu --hoa 2001:db8:1::100 "$T" --json --seed 7 >"$tmp/j" 2>&1
grep -q '"probe":"bu".*"class":"param-problem".*"code":2,"pointer":46.*"verdict":"FAIL"' "$tmp/j"
ok $? "bu --json: one object with the class, code, pointer and verdict" || diag <"$tmp/j"
lines=$(X bu "$T" --json --count 3 --expect param-problem --expect-code 1 | grep -c '^{')
is "$lines" 3 "--count 3 --json: three objects, one per probe"

# --- -v --------------------------------------------------------------------------------
X bu "$T" -v --expect param-problem >"$tmp/o" 2>&1
grep -q 'sent 2001:db8:5::1 > 2001:db8:5::2 MH BU seq' "$tmp/o" &&
	grep -q 'codepoints: profile=default' "$tmp/o"
ok $? "-v prints the codepoints and the decoded BU" || diag <"$tmp/o"

# --- exit 3: no answer ----------------------------------------------------------------
t0=$(date +%s%N)
X echo 2001:db8:5::99 --timeout 0.5 >"$tmp/o" 2>&1
r=$?
t1=$(date +%s%N)
is $r 3 "nothing answers for 2001:db8:5::99: exit 3"
[ $(((t1 - t0) / 1000000)) -lt 5000 ]
ok $? "and it gave up after the timeout (0.5 s), not later"

# --- TCP ----------------------------------------------------------------------------
sleep 0.2
X migsyn "[$T]:8080" >"$tmp/o" 2>&1
r=$?
grep -q 'plain SYN/ACK: legacy peer, the Migrate option was ignored' "$tmp/o"
is "$r.$?" "1.0" "migrate SYN to an open port: legacy SYN/ACK, not a conforming answer"
X migsyn "[$T]:8081" >"$tmp/o" 2>&1
is $? 0 "migrate SYN to a closed port: RST, the answer to an unknown token"
X migsyn --permitted "[$T]:8080" --json >"$tmp/o" 2>&1
grep -q '"class":"synack"' "$tmp/o"
ok $? "Migrate-Permitted is not echoed by Linux" || diag <"$tmp/o"

# --- load mode ------------------------------------------------------------------------
# frames P's interface sent (load mode's AF_PACKET frames skip P's capture)
txp() { "$M" exec P cat /sys/class/net/eth0/statistics/tx_packets; }
load() { # count, how the LOAD line says they left, more mobprobe arguments...
	c=$1 how=$2
	shift 2
	t0=$(txp)
	X bu "$T" --rate 20000 --count "$c" "$@" >"$tmp/o" 2>&1
	r=$?
	grep -Eq "^LOAD bu .*: $c sent in .* pkt/s .*, $how\$" "$tmp/o" &&
		grep -Eq '(param-problem|icmp-error)=[1-9]' "$tmp/o"
	is "$r.$?" "0.0" "load mode by $how: $c BUs sent, the rate printed, the answers counted" ||
		diag <"$tmp/o"
	[ $(($(txp) - t0)) -ge "$c" ]
	ok $? "and P's interface sent all $c"
}
load 4000 "AF_PACKET sendmmsg, qdisc bypass" --hoa 2001:db8:1::100 --random-hoa
load 3000 "AF_PACKET TX ring, qdisc bypass" --random-seq --tx ring
load 2000 "raw socket sendmmsg" --random-seq --tx raw
X bu "$T" --rate 5000 --count 500 --random-seq --pcap "$tmp/load.pcap" >"$tmp/o" 2>&1
r=$?
grep -Eq '^LOAD bu .*: 500 sent in .*, AF_PACKET sendmmsg$' "$tmp/o"
is "$r.$?" "0.0" "load mode with --pcap keeps the qdisc" || diag <"$tmp/o"
bus=$(tcpdump -nr "$tmp/load.pcap" 'src host 2001:db8:5::1 and ip6 proto 135' 2>/dev/null | wc -l)
is "$bus" 500 "so the pcap holds every BU sent"
X bu "$T" --rate 100 --count 2 --tx bogus >"$tmp/o" 2>&1
r=$?
grep -qF "'bogus' for --tx" "$tmp/o"
is "$r.$?" "2.0" "--tx bogus: exit 2, naming it"
X echo "$T" --rate 100 --count 2 --tx raw >"$tmp/o" 2>&1
r=$?
grep -qF -- "--tx is for load mode" "$tmp/o"
is "$r.$?" "2.0" "--tx where there is no load mode: exit 2"

# --- BA and BE classification, against a scripted home agent (t/lib/fakeha) ---
"$M" exec T "$here/t/lib/fakeha" accept badseq long stale full be badcksum >"$tmp/fakeha" 2>&1 &
fpid=$!
i=0
until grep -q ready "$tmp/fakeha" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
X bu "$T" --lifetime 60 >"$tmp/o" 2>&1
r=$?
grep -q 'PASS bu .*BA status 0 (Binding Update accepted)' "$tmp/o"
is "$r.$?" "0.0" "BA status 0 with our sequence number: accepted, exit 0"
X bu "$T" --lifetime 60 >"$tmp/o" 2>&1
r=$?
grep -q "does not copy the BU's" "$tmp/o"
is "$r.$?" "1.0" "a BA with another sequence number is non-conforming (RFC 6275 6.1.8)"
X bu "$T" --lifetime 60 >"$tmp/o" 2>&1
r=$?
grep -q 'more than the 60 s asked' "$tmp/o"
is "$r.$?" "1.0" "a BA granting more than the lifetime asked is non-conforming"
X bu "$T" --expect ba-rejected --expect-status 135 >"$tmp/o" 2>&1
is $? 0 "status 135 carries the last accepted sequence number: no complaint"
X bu "$T" --json >"$tmp/o" 2>&1
r=$?
grep -q '"class":"ba-rejected","summary":"BA status 130' "$tmp/o"
is "$r.$?" "1.0" "status 130 under the default expectation: rejected, exit 1"
X bu "$T" --expect be --expect-status 2 >"$tmp/o" 2>&1
is $? 0 "a BE is classified with its status"
X bu "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'MH checksum of the answer is wrong' "$tmp/o"
is "$r.$?" "1.0" "a BA with a wrong checksum is non-conforming"
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null

# --- HoT and DHAAD Reply, from the same scripted peer -------------------------------
"$M" exec T "$here/t/lib/fakeha" hot badcookie dhaad >"$tmp/fakeha" 2>&1 &
fpid=$!
i=0
until grep -q ready "$tmp/fakeha" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
X rr "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'HoT nonce index 3 token 1122334455667788, cookie matches' "$tmp/o"
is "$r.$?" "0.0" "rr: a HoT returning our cookie passes, nonce index and token shown"
X rr "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'does not return our cookie' "$tmp/o"
is "$r.$?" "1.0" "rr: a HoT with another cookie is non-conforming"
X dhaad "$T" >"$tmp/o" 2>&1
r=$?
grep -q 'DHAAD Reply from 2001:db8:5::2: 2 home agents 2001:db8:5::2,2001:db8:5::3' "$tmp/o"
is "$r.$?" "0.0" "dhaad: the reply's home agents are listed" || diag <"$tmp/o"
kill "$fpid" 2>/dev/null
wait "$fpid" 2>/dev/null

# --- usage errors: exit 2, the bad value named, nothing sent or written -----------------
X bu --seq 70000 "$T" --pcap "$tmp/never.pcap" >"$tmp/o" 2>&1
r=$?
grep -q "bad value '70000' for --seq" "$tmp/o"
is "$r.$?" "2.0" "--seq 70000: exit 2 naming the value"
[ ! -e "$tmp/never.pcap" ]
ok $? "and no capture file was started"
X bu --codepoint nonesuch=1 "$T" >"$tmp/o" 2>&1
r=$?
grep -q "nonesuch=1" "$tmp/o"
is "$r.$?" "2.0" "an unknown codepoint: exit 2 naming it"
X echo --hao 2001:db8::zz "$T" >"$tmp/o" 2>&1
r=$?
grep -q "2001:db8::zz" "$tmp/o"
is "$r.$?" "2.0" "a bad address: exit 2 naming it"
X update "$T" --zone example. >"$tmp/o" 2>&1
is $? 2 "update without --name: exit 2"

# Values refused before anything is opened: each names the value, exits 2,
# starts no capture file; T's own capture shows that none of them sent a
# packet (the one BU sent afterwards proves the capture saw P's packets).
"$M" capture start "$tmp/cap" >/dev/null 2>&1
refused() { # description, text the error must hold, mobprobe arguments...
	d=$1 want=$2
	shift 2
	X "$@" --pcap "$tmp/refused.pcap" >"$tmp/o" 2>&1
	r=$?
	grep -qF -- "$want" "$tmp/o"
	is "$r.$?" "2.0" "$d: exit 2, naming it" || diag <"$tmp/o"
}
refused "--expect bogus" "'bogus' for --expect: no class 'bogus'" bu "$T" --expect bogus
refused "--expect 'ba||' (an empty alternative)" "'ba||' for --expect" bu "$T" --expect 'ba||'
refused "--expect-rcode NOPE" "'NOPE' for --expect-rcode" caaaa "$T" x.example. --expect-rcode NOPE
refused "--flags ,," "',,' for --flags" bu "$T" --flags ,,
refused "--tsig-key of a missing file" "'$tmp/missing': No such file or directory" \
	update "$T" --zone example. --name x.example. --aaaa 2001:db8:1::1 --tsig-key "$tmp/missing"
printf 'key "k." {\n\talgorithm hmac-sha256;\n};\n' >"$tmp/nosecret.key"
refused "--tsig-key without a secret" "'$tmp/nosecret.key': no secret statement" \
	update "$T" --zone example. --name x.example. --aaaa 2001:db8:1::1 --tsig-key "$tmp/nosecret.key"
refused "--sig0-key of a missing file" "'$tmp/K.key': $tmp/K.key: No such file or directory" \
	update "$T" --zone example. --name x.example. --aaaa 2001:db8:1::1 --sig0-key "$tmp/K.key"
[ ! -e "$tmp/refused.pcap" ]
ok $? "none of them started its capture file"
X bu "$T" --pcap /no/such/dir/x >"$tmp/o" 2>&1
r=$?
grep -qF "'/no/such/dir/x' for --pcap: directory /no/such/dir: No such file or directory" "$tmp/o"
is "$r.$?" "2.0" "--pcap in a missing directory: exit 2, naming it" || diag <"$tmp/o"
X bu "$T" --expect param-problem >/dev/null 2>&1
"$M" capture stop "$tmp/cap" >/dev/null 2>&1
bus=$(tcpdump -nr "$tmp/cap/T-eth0.pcap" 'src host 2001:db8:5::1 and (ip6 proto 135 or ip6 proto 60 or udp)' 2>/dev/null | wc -l)
is "$bus" 1 "T saw the one BU sent afterwards and nothing from the refused runs"

# --- -v for the DNS probes: the query and the response decoded --------------------
# a scripted responder on T: every query back with QR set and rcode REFUSED
"$M" exec T perl -MIO::Socket::IP -e '
	my $s = IO::Socket::IP->new(LocalHost => "2001:db8:5::2", LocalPort => 5300,
		Proto => "udp") or die "socket: $!";
	$| = 1;
	print "ready\n";
	while (my $peer = $s->recv(my $b, 4096)) {
		substr($b, 2, 2) = pack("n", unpack("n", substr($b, 2, 2)) | 0x8005);
		$s->send($b, 0, $peer);
	}' >"$tmp/dnsr" 2>&1 &
dpid=$!
i=0
until grep -q ready "$tmp/dnsr" 2>/dev/null || [ $i -ge 50 ]; do sleep 0.1; i=$((i + 1)); done
X caaaa "[$T]:5300" x.example. --type caaaa -v --expect refused >"$tmp/o" 2>&1
r=$?
grep -q "sent to $T port 5300 UDP DNS id [0-9]* QUERY rd, question: x.example. CAAAA" "$tmp/o" &&
	grep -q "seen from $T port 5300 UDP DNS id [0-9]* QUERY response REFUSED rd, question: x.example. CAAAA" "$tmp/o"
is "$r.$?" "0.0" "caaaa -v: the query and the response, decoded" || diag <"$tmp/o"
X update "[$T]:5300" --zone example. --name x.example. --caaaa 2001:db8:1::100 -v \
	--expect refused >"$tmp/o" 2>&1
r=$?
grep -q "sent to $T port 5300 UDP DNS id [0-9]* UPDATE, zone: example. SOA; update: x.example. CAAAA ANY ttl 0; update: x.example. CAAAA ttl 0 2001:db8:1::100" "$tmp/o" &&
	grep -q "seen from $T port 5300 UDP DNS id [0-9]* UPDATE response REFUSED" "$tmp/o"
is "$r.$?" "0.0" "update -v: the UPDATE with its records, and the response" || diag <"$tmp/o"
kill "$dpid" 2>/dev/null
wait "$dpid" 2>/dev/null

"$M" down >/dev/null 2>&1
ok $? "mobbed down"
