# testbed/mobbed/services.sh: name servers and resolvers for mobbed, sourced
# by mobbed (which defines nsn, spawn, die, $state).  Each server runs in
# its node's namespace, in the foreground, as a recorded process, with its
# configuration under $state/srv-NODE/.
#
#   service NODE dns-bind ZONE         BIND 9 authoritative for ZONE, dynamic
#                                      update allowed for the TSIG key in
#                                      $state/tsig.key (BIND key syntax)
#   service NODE resolver-unbound AUTH unbound, ZONE stubbed to node AUTH
#
# Not finished (refused with a message): dns-knot, dns-pdns,
# resolver-bind, resolver-pdns-recursor, resolver-kresd, resolver-dnsmasq.

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

start_dns_bind() {
	node=$1 zone=${2:-example.}
	case $zone in *.) ;; *) zone=$zone. ;; esac
	d=$state/srv-$node
	mkdir -p "$d"
	tsig_key
	ns_node=$node
	write_zone "$zone" "$d/zone.db"
	addr=$(node_addr "$node")
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

start_resolver_unbound() {
	node=$1 auth=$2
	zone=$(zone_of_state)
	[ -n "$zone" ] || die "resolver on $node: no dns-* service declared before it"
	authaddr=$(node_addr "$auth")
	[ -n "$authaddr" ] || die "resolver on $node: no node '$auth'"
	d=$state/srv-$node
	mkdir -p "$d"
	addr=$(node_addr "$node")
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
stub-zone:
	name: "$zone"
	stub-addr: $authaddr
EOF
	unbound-checkconf "$d/unbound.conf" >/dev/null || die "unbound.conf for $node does not check"
	spawn "$(nsn "$node")" "$node" unbound unbound -d -c "$d/unbound.conf"
	echo "$node $addr resolver-unbound $zone" >>"$state/dns"
}

start_service() {
	node=$1 kind=$2
	shift 2
	case $kind in
	dns-bind) start_dns_bind "$node" "$@" ;;
	resolver-unbound) start_resolver_unbound "$node" "$@" ;;
	dns-knot | dns-pdns | resolver-bind | resolver-pdns-recursor | resolver-kresd | resolver-dnsmasq)
		die "service $kind on $node: not finished yet (bind and unbound are)" ;;
	*) die "service '$kind' on $node: unknown kind" ;;
	esac
}

# Every server answers an SOA query for its zone (0: all do).
services_ready() {
	[ -f "$state/dns" ] || return 0
	while read -r node addr kind zone; do
		ip netns exec "$(nsn "$node")" dig +time=1 +tries=1 +short @"$addr" "$zone" SOA 2>/dev/null |
			grep -q . || return 1
	done <"$state/dns"
	return 0
}
