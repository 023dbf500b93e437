# testbed/mobbed/services.sh: name servers and resolvers for mobbed, sourced
# by mobbed (which defines nsn, spawn, die, $state).  Each server runs in
# its node's namespace, in the foreground, as a recorded process, with its
# configuration under $state/srv-NODE/.
#
#   service NODE dns-bind ZONE         BIND 9 authoritative for ZONE, dynamic
#                                      update allowed for the TSIG key in
#                                      $state/tsig.key (BIND key syntax)
#   service NODE resolver-unbound AUTH [MINTTL]
#                                      unbound, with a stub zone for ZONE
#                                      pointing at node AUTH;
#                                      MINTTL > 0: a floor on cached TTLs
#                                      (each resolver's own knob)
#
# Also dns-knot, dns-pdns, resolver-bind, resolver-dnsmasq, resolver-kresd,
# resolver-kresd-caaaa (the CAAAA in ADDITIONAL, issue 15)
# and resolver-pdns-recursor.
#
# The rendezvous server of the dmm topology (issue 17):
#   service NODE sip-kamailio DOMAIN [ID...]   Kamailio: registrar, redirect
#                                      server and proxy (kamailio.cfg)
#   service NODE turn-coturn REALM     coturn: a TURN relay
#   service NODE mobd-ha LINK          mobd's home agent for LINK on a router
#                                      (ANCHORS=router: see start_mobd_ha)
# Their IDs and passwords: $state/srv-NODE/users.

# The global address of NODE (its first attachment).
node_addr() {
	awk -v n="$1" '$1 == n { print $4; exit }' "$state/attach"
}

# The zone every server of this instance serves (from the dns-* service).
zone_of_state() {
	awk '$2 ~ /^dns-/ { print $3; exit }' "$state/services"
}

tsig_key() {
	[ -f "$state/tsig.key" ] && return 0
	tsig-keygen -a hmac-sha256 mobbed-key >"$state/tsig.key" ||
		die "tsig-keygen failed (bind9-utils)"
	chmod 644 "$state/tsig.key"
}

write_zone() {
	# $1 zone, $2 file: SOA, NS, and an AAAA for every node with an address
	{
		echo "\$TTL 60"
		echo "@ IN SOA ns.$1 hostmaster.$1 1 3600 600 86400 0"
		echo "@ IN NS ns.$1"
		echo "ns IN AAAA $(node_addr "$ns_node")"
		awk '$4 != "slaac" && !seen[$1]++ { print tolower($1) " IN AAAA " $4 }' "$state/attach"
	} >"$2"
}

# Common to the authoritative servers: node, zone (absolute), folder, the
# zone file, own address, and the TSIG key and its secret.
server_prep() {
	node=$1 zone=${2:-example.}
	case $zone in *.) ;; *) zone=$zone. ;; esac
	d=$state/srv-$node
	mkdir -p "$d"
	tsig_key
	ns_node=$node
	write_zone "$zone" "$d/zone.db"
	addr=$(node_addr "$node")
	secret=$(sed -n 's/.*secret "\([^"]*\)".*/\1/p' "$state/tsig.key")
}

start_dns_bind() {
	server_prep "$@"
	cat >"$d/named.conf" <<EOF
include "$state/tsig.key";
options {
	directory "$d";
	pid-file "$d/named.pid";
	session-keyfile "$d/session.key";
	listen-on { none; };
	listen-on-v6 { $addr; ::1; };
	recursion no;
	dnssec-validation no;
	notify no;
};
controls { };
zone "$zone" {
	type primary;
	file "$d/zone.db";
	allow-update { key "mobbed-key"; };
};
EOF
	named-checkconf "$d/named.conf" >/dev/null || die "named.conf for $node does not check"
	spawn "$(nsn "$node")" "$node" named named -g -n 1 -c "$d/named.conf"
	echo "$node $addr dns-bind $zone" >>"$state/dns"
}

# Common to the resolvers: zone, authoritative address, own address, folder.
resolver_prep() {
	node=$1 auth=$2
	minttl=${3:-0}
	case $minttl in *[!0-9]* | "") die "resolver on $node: bad minimum TTL '$minttl': want seconds" ;; esac
	zone=$(zone_of_state)
	[ -n "$zone" ] || die "resolver on $node: no dns-* service declared before it"
	authaddr=$(node_addr "$auth")
	[ -n "$authaddr" ] || die "resolver on $node: no node '$auth'"
	d=$state/srv-$node
	mkdir -p "$d"
	addr=$(node_addr "$node")
}

start_resolver_unbound() {
	resolver_prep "$@"
	cat >"$d/unbound.conf" <<EOF
server:
	interface: $addr
	interface: ::1
	do-ip4: no
	port: 53
	access-control: ::/0 allow
	chroot: ""
	username: ""
	directory: "$d"
	pidfile: "$d/unbound.pid"
	use-syslog: no
	logfile: ""
	module-config: "iterator"
	do-not-query-localhost: no
	domain-insecure: "$zone"
$( [ "$minttl" -gt 0 ] && printf "\tcache-min-ttl: %s\n" "$minttl")
stub-zone:
	name: "$zone"
	stub-addr: $authaddr
EOF
	unbound-checkconf "$d/unbound.conf" >/dev/null || die "unbound.conf for $node does not check"
	spawn "$(nsn "$node")" "$node" unbound unbound -d -c "$d/unbound.conf"
	echo "$node $addr resolver-unbound $zone" >>"$state/dns"
}

# BIND 9 as a resolver: the zone as a static stub pointing at the server.
start_resolver_bind() {
	resolver_prep "$@"
	cat >"$d/named.conf" <<CONF
options {
	directory "$d";
	pid-file "$d/named.pid";
	session-keyfile "$d/session.key";
	listen-on { none; };
	listen-on-v6 { $addr; ::1; };
	recursion yes;
	allow-query { any; };
	allow-recursion { any; };
	dnssec-validation no;
$( [ "$minttl" -gt 0 ] && printf "\tmin-cache-ttl %s;\n" "$minttl")
};
controls { };
zone "$zone" {
	type static-stub;
	server-addresses { $authaddr; };
};
CONF
	named-checkconf "$d/named.conf" >/dev/null || die "named.conf for $node does not check"
	spawn "$(nsn "$node")" "$node" named named -g -n 1 -c "$d/named.conf"
	echo "$node $addr resolver-bind $zone" >>"$state/dns"
}

# dnsmasq: forwards the zone to the server and caches, as it does by default.
start_resolver_dnsmasq() {
	resolver_prep "$@"
	z=${zone%.}
	spawn "$(nsn "$node")" "$node" dnsmasq dnsmasq -k --conf-file=/dev/null -u root \
		--listen-address="$addr" --listen-address=::1 --bind-interfaces --no-resolv --no-hosts \
		--server="/$z/$authaddr" --pid-file="$d/dnsmasq.pid" --log-facility=- \
		$( [ "$minttl" -gt 0 ] && echo "--min-cache-ttl=$minttl")
	echo "$node $addr resolver-dnsmasq $zone" >>"$state/dns"
}

# Knot Resolver: the zone stubbed to the server, no DNSSEC trust anchor.
start_resolver_kresd() {
	resolver_prep "$@"
	cat >"$d/kresd.conf" <<CONF
net.listen('$addr', 53, { kind = 'dns' })
net.listen('::1', 53, { kind = 'dns' })
trust_anchors.remove('.')
cache.open(10 * MB, 'lmdb://$d/cache')
policy.add(policy.suffix(policy.STUB({ '$authaddr' }), { todname('$zone') }))
$( [ "$minttl" -gt 0 ] && echo "cache.min_ttl($minttl)")
CONF
	spawn "$(nsn "$node")" "$node" kresd kresd -n -q -c "$d/kresd.conf" "$d"
	echo "$node $addr resolver-kresd $zone" >>"$state/dns"
}

# Knot Resolver with the paper's answer semantics (issue 15): the module
# kresd/kres_modules/mobkit_caaaa.lua puts the CAAAA of a name in the ADDITIONAL section
# of the answer to an AAAA (and to a CAAAA) query.  Cached TTLs are not
# raised (kresd's default floor is 5 s): the CAAAA's TTL 0 holds, so a new
# care-of address is seen at once.  CAAAA_TYPE: the codepoint caaaa-type.
#   service NODE resolver-kresd-caaaa AUTH [MINTTL [CAAAA_TYPE]]
start_resolver_kresd_caaaa() {
	resolver_prep "$@"
	ctype=${4:-65280}
	case $ctype in *[!0-9]* | "") die "resolver-kresd-caaaa on $node: bad CAAAA type '$ctype'" ;; esac
	[ "$ctype" -ge 1 ] && [ "$ctype" -le 65535 ] ||
		die "resolver-kresd-caaaa on $node: bad CAAAA type '$ctype': want 1..65535"
	cat >"$d/kresd.conf" <<CONF
net.listen('$addr', 53, { kind = 'dns' })
net.listen('::1', 53, { kind = 'dns' })
trust_anchors.remove('.')
cache.open(10 * MB, 'lmdb://$d/cache')
cache.min_ttl($minttl)
policy.add(policy.suffix(policy.STUB({ '$authaddr' }), { todname('$zone') }))
package.path = '$here/kresd/?.lua;' .. package.path
modules.load('mobkit_caaaa')
mobkit_caaaa.config({ type = $ctype })
CONF
	spawn "$(nsn "$node")" "$node" kresd kresd -n -q -c "$d/kresd.conf" "$d"
	echo "$node $addr resolver-kresd-caaaa $zone" >>"$state/dns"
}

# PowerDNS Recursor: the zone forwarded to the server.
start_resolver_pdns_recursor() {
	resolver_prep "$@"
	cat >"$d/recursor.conf" <<CONF
local-address=$addr, ::1
allow-from=::/0
forward-zones=$zone=[$authaddr]:53
dnssec=off
daemon=no
socket-dir=$d
write-pid=no
$( [ "$minttl" -gt 0 ] && echo "minimum-ttl-override=$minttl")
CONF
	spawn "$(nsn "$node")" "$node" pdns-recursor pdns_recursor --config-dir="$d"
	echo "$node $addr resolver-pdns-recursor $zone" >>"$state/dns"
}

# Knot DNS authoritative, dynamic update allowed for the TSIG key.
start_dns_knot() {
	server_prep "$@"
	cat >"$d/knot.conf" <<CONF
server:
    listen: [ $addr@53, ::1@53 ]
    rundir: $d
database:
    storage: $d
key:
  - id: mobbed-key
    algorithm: hmac-sha256
    secret: $secret
acl:
  - id: update
    key: mobbed-key
    action: update
zone:
  - domain: $zone
    file: $d/zone.db
    acl: update
    zonefile-sync: -1
log:
  - target: stderr
    any: info
CONF
	knotc -c "$d/knot.conf" conf-check >/dev/null 2>&1 || die "knot.conf for $node does not check"
	spawn "$(nsn "$node")" "$node" knotd knotd -c "$d/knot.conf"
	echo "$node $addr dns-knot $zone" >>"$state/dns"
}

# PowerDNS authoritative on its SQLite backend (the BIND backend cannot take
# dynamic updates); the TSIG key imported and allowed to update the zone.
start_dns_pdns() {
	server_prep "$@"
	schema=/usr/share/doc/pdns-backend-sqlite3/schema.sqlite3.sql
	[ -r "$schema" ] || die "dns-pdns on $node: $schema missing (pdns-backend-sqlite3)"
	sqlite3 "$d/pdns.db" <"$schema" || die "dns-pdns on $node: cannot create its database"
	cat >"$d/pdns.conf" <<CONF
launch=gsqlite3
gsqlite3-database=$d/pdns.db
dnsupdate=yes
allow-dnsupdate-from=::/0
local-address=$addr, ::1
local-port=53
socket-dir=$d
daemon=no
guardian=no
CONF
	{
		pdnsutil --config-dir="$d" load-zone "$zone" "$d/zone.db" &&
			pdnsutil --config-dir="$d" import-tsig-key mobbed-key hmac-sha256 "$secret" &&
			pdnsutil --config-dir="$d" set-meta "$zone" TSIG-ALLOW-DNSUPDATE mobbed-key
	} >>"$state/log/$node-pdnsutil.log" 2>&1 || die "pdnsutil failed for $node (see $state/log/$node-pdnsutil.log)"
	spawn "$(nsn "$node")" "$node" pdns pdns_server --config-dir="$d"
	echo "$node $addr dns-pdns $zone" >>"$state/dns"
}

# A TCP listener on PORT (all addresses) that accepts and discards: a
# legacy TCP stack's listening port for the migration probes.  Perl's
# IO::Socket::IP: no extra package, nothing of ours between the probe and
# the kernel.
start_tcp_listen() {
	node=$1 port=${2:-8080}
	case $port in *[!0-9]* | "") die "tcp-listen on $node: bad port '$port'" ;; esac
	cat >"$state/tcp-listen.pl" <<'PERL'
use IO::Socket::IP;
my $s = IO::Socket::IP->new(Listen => 128, LocalHost => "::", LocalPort => $ARGV[0], ReuseAddr => 1)
	or die "listen on port $ARGV[0]: $!\n";
while (my $c = $s->accept) { my $b; 1 while sysread($c, $b, 65536); close $c }
PERL
	spawn "$(nsn "$node")" "$node" tcp-listen perl "$state/tcp-listen.pl" "$port"
}

# ---- the rendezvous server (issue 17): Kamailio and coturn -----------------

# The IDs of a rendezvous server and their passwords, "ID PASSWORD" lines in
# $state/srv-NODE/users, made once per instance (random passwords) and
# shared by Kamailio and coturn on that node.  $1 node, then the IDs.
rv_users() {
	_n=$1
	shift
	mkdir -p "$state/srv-$_n"
	_u=$state/srv-$_n/users
	[ -f "$_u" ] && return 0
	for _id; do
		case $_id in '' | *[!a-z0-9]*) die "rendezvous server on $_n: bad ID '$_id': want lowercase letters and digits" ;; esac
		echo "$_id $(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"
	done >"$_u"
	chmod 600 "$_u"
}

# Ready when NODE has a UDP socket bound to PORT (a line "NODE PORT" in
# $state/udp, checked by services_ready).
udp_ready_on() { echo "$1 $2" >>"$state/udp"; }

#   service NODE sip-kamailio DOMAIN [ID...]
# Kamailio (testbed/mobbed/kamailio.cfg): registrar, redirect server and
# proxy for DOMAIN on NODE's address, UDP port 5060; IDs (default: mn cn1
# cn2 cn3) with the passwords of $state/srv-NODE/users.
start_sip_kamailio() {
	node=$1 dom=${2:-example}
	dom=${dom%.}
	case $dom in '' | *[!a-z0-9.-]*) die "sip-kamailio on $node: bad domain '$dom'" ;; esac
	shift
	[ $# -eq 0 ] || shift
	[ $# -gt 0 ] || set -- mn cn1 cn2 cn3
	rv_users "$node" "$@"
	d=$state/srv-$node
	addr=$(node_addr "$node")
	{
		sed "/^#/!{s|@LISTEN@|udp:[$addr]:5060|;s|@DOMAIN@|$dom|;}" "$here/kamailio.cfg"
		echo
		echo "event_route[htable:mod-init] {"
		awk '{ printf "\t$sht(users=>%s) = \"%s\";\n", $1, $2 }' "$d/users"
		echo "}"
	} >"$d/kamailio.cfg"
	kamailio -c -f "$d/kamailio.cfg" >"$state/log/$node-kamailio-check.log" 2>&1 ||
		die "kamailio.cfg for $node does not check (see $state/log/$node-kamailio-check.log)"
	spawn "$(nsn "$node")" "$node" kamailio kamailio -DD -E -m 32 -M 4 -Y "$d" -P "$d/kamailio.pid" -f "$d/kamailio.cfg"
	udp_ready_on "$node" 5060
	echo "$node $addr sip-kamailio $dom" >>"$state/rendezvous"
}

#   service NODE turn-coturn REALM
# coturn: a TURN relay (long-term credentials, the IDs and passwords of
# $state/srv-NODE/users, default IDs as sip-kamailio's) on NODE's address,
# UDP port 3478, relay ports 49152..49999, no TLS, no CLI.  A client that asks
# for no address family gets a relay of its own (IPv6 here: libre's turnc,
# mkrv serve -r, asks for none, and RFC 6156's default IPv4 has no address).
start_turn_coturn() {
	node=$1 realm=${2:-example}
	realm=${realm%.}
	rv_users "$node" mn cn1 cn2 cn3
	d=$state/srv-$node
	addr=$(node_addr "$node")
	set --
	while read -r id pw; do set -- "$@" --user="$id:$pw"; done <"$d/users"
	spawn "$(nsn "$node")" "$node" turnserver turnserver -n --listening-ip="$addr" --relay-ip="$addr" \
		--listening-port=3478 --min-port=49152 --max-port=49999 --realm="$realm" --lt-cred-mech "$@" \
		--userdb="$d/turndb" --no-tls --no-dtls --no-cli --no-software-attribute --pidfile="$d/turnserver.pid" \
		--log-file=stdout --simple-log --allow-loopback-peers \
		--allocation-default-address-family=keep
	udp_ready_on "$node" 3478
	echo "$node $addr turn-coturn $realm" >>"$state/rendezvous"
}

#   service NODE mobd-ha LINK
# mobd's home agent role on NODE (a router: the dmm topology's
# ANCHORS=router, issue 17) for LINK, its home link: home prefix LINK's,
# Binding Updates and the packets for a bound home address also taken on
# NODE's other interfaces (ha-bu-iface), authentication with the key
# in $state/mobd-ha.key (hex, made at the first such service, "mn-key *":
# a mobile node's "key 4096 KEY"), control socket $state/srv-NODE/ha.sock
# (mobctl -S), log $state/log/NODE-mobd.log.  Each such service is a line
# "NODE LINK SOCKET ADDRESS" of $state/anchors (ADDRESS: the home agent's,
# NODE's on LINK).
start_mobd_ha() {
	node=$1 link=${2:-}
	[ -n "$link" ] || die "service mobd-ha on $node: name its home link"
	home=$(awk -v n="$node" -v l="$link" '$1 == n && $2 == l { print $3; exit }' "$state/attach")
	[ -n "$home" ] || die "service mobd-ha on $node: $node is not on link '$link'"
	others=$(awk -v n="$node" -v l="$link" '$1 == n && $2 != l { printf " %s", $3 }' "$state/attach")
	d=$state/srv-$node
	mkdir -p "$d"
	[ -s "$state/mobd-ha.key" ] ||
		od -An -tx1 -N16 /dev/urandom | tr -d ' \n' >"$state/mobd-ha.key"
	{
		printf 'role home-agent\ninterface %s\nhome-prefix %s\ncontrol %s\nmn-key * 4096 %s\n' \
			"$home" "$(prefix_of "$link")" "$d/ha.sock" "$(cat "$state/mobd-ha.key")"
		[ -z "$others" ] || echo "ha-bu-iface$others"
	} >"$d/mobd-ha.conf"
	spawn "$(nsn "$node")" "$node" mobd "${MOBD:-$top/bin/mobd}" -d -c "$d/mobd-ha.conf"
	_i=0
	while [ ! -S "$d/ha.sock" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -S "$d/ha.sock" ] || die "mobd-ha on $node did not start (see $state/log/$node-mobd.log)"
	echo "$node $link $d/ha.sock $(awk -v n="$node" -v l="$link" '$1 == n && $2 == l { print $4; exit }' "$state/attach")" >>"$state/anchors"
}

start_service() {
	node=$1 kind=$2
	shift 2
	case $kind in
	dns-bind) start_dns_bind "$node" "$@" ;;
	dns-knot) start_dns_knot "$node" "$@" ;;
	resolver-unbound) start_resolver_unbound "$node" "$@" ;;
	resolver-bind) start_resolver_bind "$node" "$@" ;;
	resolver-dnsmasq) start_resolver_dnsmasq "$node" "$@" ;;
	resolver-kresd) start_resolver_kresd "$node" "$@" ;;
	resolver-kresd-caaaa) start_resolver_kresd_caaaa "$node" "$@" ;;
	resolver-pdns-recursor) start_resolver_pdns_recursor "$node" "$@" ;;
	dns-pdns) start_dns_pdns "$node" "$@" ;;
	tcp-listen) start_tcp_listen "$node" "$@" ;;
	sip-kamailio) start_sip_kamailio "$node" "$@" ;;
	turn-coturn) start_turn_coturn "$node" "$@" ;;
	mobd-ha) start_mobd_ha "$node" "$@" ;;
	*) die "service '$kind' on $node: unknown kind" ;;
	esac
}

# Every server answers an SOA query for its zone, every UDP server of
# $state/udp has its port bound (0: all do).
services_ready() {
	if [ -f "$state/udp" ]; then
		while read -r node port; do
			ip netns exec "$(nsn "$node")" ss -Hlun "sport = :$port" 2>/dev/null | grep -q . || return 1
		done <"$state/udp"
	fi
	[ -f "$state/dns" ] || return 0
	while read -r node addr kind zone; do
		ip netns exec "$(nsn "$node")" dig +time=1 +tries=1 +short @"$addr" "$zone" SOA 2>/dev/null |
			grep -q . || return 1
	done <"$state/dns"
	return 0
}
