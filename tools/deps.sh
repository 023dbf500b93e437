#!/bin/sh
# tools/deps.sh: install the Debian packages mobkit needs, if missing.
# Run by `make deps` (a prerequisite of check, demo, fuzz and bench).
# Checks with dpkg-query first, runs `apt-get update` once only when
# something is missing, installs non-interactively and says what it installs.
set -eu

# build: compiler, archiver, pkg-config, clang + libFuzzer runtime
# libs:  ldns, OpenSSL, libpcap, libnet, libmnl, libnftables (mobd keeps
#        mobility packets from the kernel with nftables rules), jansson
#        (mobctl checks the JSON mobd answers)
# tools: prove + JUnit formatter, tshark (decoding oracle), tcpdump,
#        BIND 9 (named, nsupdate, dnssec-keygen) and Net::DNS::SEC for the
#        interop tests
# testbed: ethtool, ping, radvd, and the name servers and resolvers mobbed
#        starts in its namespaces (BIND, Knot, PowerDNS, unbound, Knot Resolver,
#        PowerDNS Recursor, dnsmasq)
# reports: gnuplot (CDFs as SVG), jq (reading the JSON records)
# tests: socat (a fake mobd control socket for the NSS module, t/dns/mobile-live.t)
# stack: libnetfilter-queue and iptables (mobd's migrate role takes the TCP handshake packets
#        through NFQUEUE: the kernel has the xtables target, not nft's queue)
PKGS="build-essential pkg-config clang libclang-rt-14-dev
libldns-dev ldnsutils libssl-dev openssl libpcap-dev libnet1-dev libmnl-dev libnftables-dev nftables libjansson-dev
perl libtap-formatter-junit-perl tshark tcpdump
bind9 bind9-utils bind9-dnsutils iproute2 libnet-dns-sec-perl ethtool iputils-ping
radvd unbound knot knot-resolver pdns-recursor dnsmasq-base
pdns-server pdns-backend-sqlite3 sqlite3
gnuplot-nox jq socat
libnetfilter-queue-dev iptables"

missing=""
for p in $PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done

if [ -z "$missing" ]; then
	echo "deps: all $(echo $PKGS | wc -w) Debian packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run 'make deps' as root, or install them with apt-get" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture: answer no, without a prompt
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
# The daemons (named, unbound, knotd, ...) run only where the testbed starts
# them, in its namespaces: keep their packages from starting system-wide
# services, with a policy-rc.d of our own if the machine has none.
policy=/usr/sbin/policy-rc.d
ours=""
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\n# written by mobkit tools/deps.sh for one apt-get run\nexit 101\n' >"$policy"
	chmod 755 "$policy"
	ours=1
fi
trap '[ -z "$ours" ] || rm -f "$policy"' EXIT INT TERM HUP
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
echo "deps: installed:$missing"
