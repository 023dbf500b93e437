#!/bin/sh
# t/stack/mobd-conf.t: mobd -n refuses what a new user wrote by mistake
# (issue 12), naming file and line, exit 2, and reports every error of the
# file before refusing it.  No root, no network: -n only reads the file.
#
#  - a keyword given twice (the last used to win);
#  - a keyword of the other role (key in a home agent's file, mn-key in a
#    mobile node's): named with the role;
#  - a NUL byte: said as such, not as a too long line;
#  - home-prefix (and mn-deny) with host bits set;
#  - several errors: all of them, then one summary line;
#  - error-rate and error-burst read and printed; repeatable keywords
#    (mn-key, home-agent, mn-deny) still repeat.
set -u
here=$(cd "$(dirname "$0")/../.." && pwd)
. "$here/t/lib/tap.sh"
D=$here/bin/mobd
tmp=$(mktemp -d /tmp/mk-mobdconf.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT TERM HUP

check() { # FILE: sets st, err
	err=$("$D" -n -c "$1" 2>&1 >/dev/null)
	st=$?
}
KEY=00112233445566778899aabbccddeeff

echo "1..17"
printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::/64\nmax-bindings 10\nmax-bindings 20\n' >"$tmp/twice.conf"
check "$tmp/twice.conf"
[ $st = 2 ] && echo "$err" | grep -q "twice.conf:5: 'max-bindings' given twice (first at line 4)"
ok $? "a keyword given twice: file:line, exit 2" || echo "st $st: $err" | diag

printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::/64\nkey 4096 %s\n' $KEY >"$tmp/hakey.conf"
check "$tmp/hakey.conf"
[ $st = 2 ] && echo "$err" | grep -q "hakey.conf:4: 'key' is a mobile-node keyword; this file is for a home agent (role at line 1)"
ok $? "'key' in a home agent's file: file:line, the key and the role" || echo "st $st: $err" | diag

printf 'interface eth0\nmn-key * 4096 %s\nhome-prefix 2001:db8:1::/64\nrole mobile-node\n' $KEY >"$tmp/mnkey.conf"
check "$tmp/mnkey.conf"
[ $st = 2 ] && echo "$err" | grep -q "mnkey.conf:2: 'mn-key' is a home-agent keyword; this file is for a mobile node (role at line 4)"
ok $? "'mn-key' in a mobile node's file (role on a later line)" || echo "st $st: $err" | diag

printf 'role mobile-node\ninterface eth0\nhome-prefix 2001:db8:1::/64\nlife\000time 60\n' >"$tmp/nul.conf"
check "$tmp/nul.conf"
[ $st = 2 ] && echo "$err" | grep -q "nul.conf:4: NUL byte at column 5" && ! echo "$err" | grep -q "longer"
ok $? "a NUL byte: 'NUL byte at file:line', not a too long line" || echo "st $st: $err" | diag

{ printf 'role mobile-node\ninterface eth0\n# '; head -c 600 /dev/zero | tr '\0' x; printf '\nhome-prefix 2001:db8:1::/64\n'; } >"$tmp/long.conf"
check "$tmp/long.conf"
[ $st = 2 ] && echo "$err" | grep -q "long.conf:3: line longer than 510 characters"
ok $? "a line of 603 characters: too long, at its line" || echo "st $st: $err" | diag

printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::5/64\n' >"$tmp/host.conf"
check "$tmp/host.conf"
[ $st = 2 ] && echo "$err" | grep -q "host.conf:3: home-prefix '2001:db8:1::5/64' has host bits set (the prefix is 2001:db8:1::/64)"
ok $? "home-prefix 2001:db8:1::5/64: host bits refused" || echo "st $st: $err" | diag

printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::/64\nmn-deny 2001:db8:1::dead:1/112\n' >"$tmp/deny.conf"
check "$tmp/deny.conf"
[ $st = 2 ] && echo "$err" | grep -q "deny.conf:4: mn-deny '2001:db8:1::dead:1/112' has host bits set"
ok $? "mn-deny with host bits refused" || echo "st $st: $err" | diag

printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::5/64\nmtu 9\nmtu 1500\nha 2001:db8:1::2\nbogus 1\n' >"$tmp/many.conf"
check "$tmp/many.conf"
[ $st = 2 ] && [ "$(echo "$err" | grep -c '^mobd: .*many.conf:[0-9]')" = 5 ] &&
	echo "$err" | tail -n 1 | grep -q "many.conf refused: 5 errors"
ok $? "five errors in one file: all five reported, then the summary" || echo "st $st: $err" | diag

cat >"$tmp/good.conf" <<EOF2
role home-agent
interface eth0
home-prefix 2001:db8:1::/64
error-rate 20
error-burst 5
home-agent 2001:db8:1::3
home-agent 2001:db8:1::4 preference 5
mn-key 2001:db8:1::9 4096 $KEY
mn-key * 4097 $KEY
mn-deny 2001:db8:1::dead:0/112
mn-deny 2001:db8:1::beef:0/112
EOF2
out=$("$D" -n -c "$tmp/good.conf" 2>&1)
st=$?
[ $st = 0 ] && echo "$out" | grep -q "^error-rate 20$" && echo "$out" | grep -q "^error-burst 5$" &&
	[ "$(echo "$out" | grep -c '^mn-key')" = 2 ] && [ "$(echo "$out" | grep -c '^home-agent')" = 2 ]
ok $? "repeatable keywords repeat; error-rate and error-burst read" || echo "st $st: $out" | diag

printf 'role mobile-node\ninterface eth0\nhome-prefix 2001:db8:1::/64\nerror-rate -1\n' >"$tmp/rate.conf"
check "$tmp/rate.conf"
[ $st = 2 ] && echo "$err" | grep -q "rate.conf:4: error-rate '-1'"
ok $? "error-rate -1 refused" || echo "st $st: $err" | diag

# ha-bu-iface (issue 17, a home agent on a router): names on one line or
# several, printed one a line; the home link's name, one given twice, a
# fifth, none and a name too long for an interface are refused, each named
printf 'role home-agent\ninterface eth1\nhome-prefix 2001:db8:1::/64\nha-bu-iface eth0 eth2\nha-bu-iface eth3\n' >"$tmp/bu.conf"
out=$("$D" -n -c "$tmp/bu.conf" 2>&1)
st=$?
[ $st = 0 ] && [ "$(echo "$out" | grep '^ha-bu-iface' | tr '\n' ' ')" = "ha-bu-iface eth0 ha-bu-iface eth2 ha-bu-iface eth3 " ]
ok $? "ha-bu-iface: three interfaces on two lines, printed one a line" || echo "st $st: $out" | diag
printf 'role home-agent\ninterface eth1\nhome-prefix 2001:db8:1::/64\nha-bu-iface eth0 eth1 eth0\nha-bu-iface a b\nha-bu-iface\nha-bu-iface abcdefghijklmnopq\n' >"$tmp/badbu.conf"
check "$tmp/badbu.conf"
[ $st = 2 ] && echo "$err" | grep -q "badbu.conf:5: ha-bu-iface 'b': more than 4 interfaces" &&
	echo "$err" | grep -q "badbu.conf:6: expected 'ha-bu-iface INTERFACE...'" &&
	echo "$err" | grep -q "badbu.conf:7: ha-bu-iface 'abcdefghijklmnopq': not an interface name" &&
	echo "$err" | grep -q "ha-bu-iface 'eth1' is the home link ('interface')" &&
	echo "$err" | grep -q "ha-bu-iface 'eth0' given twice" &&
	echo "$err" | grep -q "refused: 5 errors"
ok $? "ha-bu-iface: the home link, twice, a fifth, none, too long: each named, exit 2" || echo "st $st: $err" | diag
# the DNS updater alone, dns-record addrs (issue 17)
du_file() { # FILE RECORD EXTRA-LINES
	printf 'role dns-updater\ninterface eth0\ndns-server 2001:db8:3::53\ndns-zone example.\ndns-name mn.example.\ndns-record %s\n%b' \
		"$2" "$3" >"$1"
}
du_file "$tmp/du.conf" addrs 'dns-srv _mkrv._tcp 7001\ndns-srv _sip._udp 5060 1 10\n'
out=$("$D" -n -c "$tmp/du.conf" 2>&1)
st=$?
[ $st = 0 ] && echo "$out" | grep -q "^dns-record addrs$" && echo "$out" | grep -q "^dns-interface eth0$" &&
	echo "$out" | grep -q "^dns-srv _mkrv._tcp 7001 0 0$" && echo "$out" | grep -q "^dns-srv _sip._udp 5060 1 10$" &&
	echo "$out" | grep -q "^dns-hold-empty 3000$"
ok $? "role dns-updater alone with dns-record addrs: accepted, dns-interface defaults to interface, both dns-srv kept, dns-hold-empty 3000 ms" ||
	echo "st $st: $out" | diag
du_file "$tmp/du2.conf" caaaa ''
check "$tmp/du2.conf"
[ $st = 2 ] && echo "$err" | grep -q "dns-record addrs' publishes the interfaces' addresses alone"
ok $? "role dns-updater alone with dns-record caaaa: refused (it needs a mobile node)" || echo "st $st: $err" | diag
du_file "$tmp/du3.conf" addrs 'dns-srv mkrv._tcp 7001\ndns-srv _mkrv._tcp 0\ndns-interface eth0 a/b\ndns-hold-empty 600001\n'
check "$tmp/du3.conf"
[ $st = 2 ] && echo "$err" | grep -q "du3.conf:7: dns-srv 'mkrv._tcp': expected _service._proto" &&
	echo "$err" | grep -q "du3.conf:8: dns-srv PORT '0': expected 1..65535" &&
	echo "$err" | grep -q "du3.conf:9: dns-interface 'a/b' is not an interface name" &&
	echo "$err" | grep -q "du3.conf:10: dns-hold-empty '600001': expected 0..600000 ms"
ok $? "dns-srv without the leading _, port 0, an interface name with /, dns-hold-empty over 600000: each refused with its line" ||
	echo "st $st: $err" | diag
du_file "$tmp/du4.conf" aaaa 'dns-interface eth0\n'
printf 'role migrate dns-updater\n' >"$tmp/du4b.conf"
sed 1d "$tmp/du4.conf" >>"$tmp/du4b.conf"
check "$tmp/du4b.conf"
[ $st = 2 ] && echo "$err" | grep -q "du4b.conf:7: dns-interface: only with 'dns-record addrs'"
ok $? "dns-interface without dns-record addrs: refused" || echo "st $st: $err" | diag
sed 's/^dns-interface eth0$/dns-hold-empty 0/' "$tmp/du4b.conf" >"$tmp/du4c.conf"
check "$tmp/du4c.conf"
[ $st = 2 ] && echo "$err" | grep -q "du4c.conf:7: dns-hold-empty: only with 'dns-record addrs'"
ok $? "dns-hold-empty without dns-record addrs: refused" || echo "st $st: $err" | diag
