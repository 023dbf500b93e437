#!/bin/sh
# setups/dns-server-mobility.sh up IMPL PROFILE | down IMPL
# DNS-assisted server mobility (issue 15, seeds/000) for the suite
# dns-server-mobility on fixtures/topologies/mip6-multiha (F=2 N=1 K=2,
# RESOLVER=kresd-caaaa, DNS=IMPL: bind, knot or pdns, the name server under
# test with the stack):
#
#   MN   mobd mobile node + dns-updater: the mobile server mn.example.,
#        its AAAA (the home address, TTL 60) put at NS here, its CAAAA
#        published by mobd (TSIG, mobbed's key); moved to f1
#   HA1  mobd home agent
#   C1   mobd correspondent, and the NSS module (libnss_mobkit.so.2) for
#        programs run with C1_NSS_RUN (/etc/netns/<C1's namespace>/
#        nsswitch.conf "hosts: files mobkit dns", resolv.conf RES)
#   C2   a client without CAAAA support (no mobd, plain glibc resolution
#        through RES): the prober (RUN_IN)
#   NS   the authoritative server of example. (IMPL); RES Knot Resolver
#        with mobbed's mobkit_caaaa module (the CAAAA in ADDITIONAL)
#
# $st/dsm-mn (the profile's MN_DO) changes the mobile server between cases:
#   move f1|f2|home      mobbed move MN there; returns once bound (home:
#                        at home) and the updater's update for it is done
#   restart [rr|shortcut] [KEYFILE]  (K*.key: SIG(0), else TSIG)
#                        a new mobd on MN (mn-dns-answer, dns-tsig-key);
#                        the old one deregisters (at C1 too) on SIGTERM
# Every process started here is stopped by its PID at `down`.
set -eu
st=${MOBBED_RUN:-/run/mobbed}/$MOBBED_NAME
. "$(dirname "$0")/common.sh"
KEY=00112233445566778899aabbccddeeff
HA1=2001:db8:1::2
NS=2001:db8:3::53
RES=2001:db8:3::35
NAME=mn.example.

case $1 in
up)
	ver=$(ns_version "$2" dns-server-mobility)
	top=$(pwd)
	mobd=$top/bin/mobd mobctl=$top/bin/mobctl mobprobe=$top/bin/mobprobe
	for b in "$mobd" "$mobctl" "$mobprobe" "$top/bin/mkstream" "$top/build/nss/libnss_mobkit.so.2"; do
		[ -e "$b" ] || { echo "dns-server-mobility: no $b: run make first" >&2; exit 2; }
	done
	for c in jq tshark tcpdump getent kresd; do
		command -v $c >/dev/null || { echo "dns-server-mobility: needs $c" >&2; exit 2; }
	done
	"$MOBBED" up mip6-multiha F=2 N=1 K=2 DELAY=2 DNS="$2" RESOLVER=kresd-caaaa
	for n in MN HA1 C1 C2 NS R0 R1 AR1 AR2; do "$MOBBED" exec $n sysctl -qw net.ipv6.icmp.ratelimit=0; done
	hoa=$("$MOBBED" exec MN ip -6 -o addr show dev eth0 scope global | awk '{ sub(/\/.*/, "", $4); print $4; exit }')
	[ -n "$hoa" ] || { echo "dns-server-mobility: MN has no home address" >&2; exit 1; }
	tkey=$st/tsig.key
	# the same key name and algorithm, another secret
	sed 's|secret "[^"]*"|secret "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="|' "$tkey" >"$st/bad.key"
	"$MOBBED" exec C2 "$mobprobe" update "$NS" --zone example. --name "$NAME" --aaaa "$hoa" --ttl 60 \
		--tsig-key "$tkey" || { echo "dns-server-mobility: the AAAA of $NAME not accepted by $2" >&2; exit 1; }

	printf 'role home-agent\ninterface eth0\nhome-prefix 2001:db8:1::/64\ncontrol %s\nmn-key * 4096 %s\n' \
		"$st/HA1.sock" "$KEY" >"$st/HA1.conf"
	cat >"$st/MN.base" <<CONF
role mobile-node dns-updater
interface eth0
home-prefix 2001:db8:1::/64
ha $HA1
home-address $hoa
control $st/MN.sock
lifetime 120
key 4096 $KEY
dns-server $NS
dns-zone example.
dns-name $NAME
dns-timeout 300
dns-tries 3
CONF
	printf 'role correspondent\ninterface eth0\ncontrol %s\ncn-dns-max-lifetime 300\ncn-dns-probe-timeout 500\n' \
		"$st/C1.sock" >"$st/C1.conf"
	for n in HA1 C1; do
		ip netns exec "$MOBBED_NAME-$n" "$mobd" -d -c "$st/$n.conf" >"$st/mobd-$n.log" 2>&1 &
		echo $! >"$st/mobd-$n.pid"
	done
	# the NSS module in C1's namespace only
	nsc=/etc/netns/$MOBBED_NAME-C1
	mkdir -p "$nsc" /etc/netns/"$MOBBED_NAME-C2"
	echo "hosts: files mobkit dns" >"$nsc/nsswitch.conf"
	echo "nameserver $RES" >"$nsc/resolv.conf"
	echo "hosts: files dns" >/etc/netns/"$MOBBED_NAME-C2"/nsswitch.conf
	echo "nameserver $RES" >/etc/netns/"$MOBBED_NAME-C2"/resolv.conf
	printf 'control %s\nlifetime 60\n' "$st/C1.sock" >"$st/nss.conf"

	# the helper the cases call (MN_DO)
	cat >"$st/dsm-mn" <<EOS
#!/bin/sh
# dsm-mn move f1|f2|home | restart [rr|shortcut] [KEYFILE] (setups/dns-server-mobility.sh)
st=$st
ctl="$mobctl -S $st/MN.sock --json"
wait_for() { # TENTHS WHAT CMD...
	_n=\$1 _w=\$2; shift 2
	until "\$@" >/dev/null 2>&1; do
		_n=\$((_n - 1))
		[ \$_n -gt 0 ] || { echo "dsm-mn: \$_w" >&2; tail -n 5 "\$st/mobd-MN.log" >&2; exit 1; }
		sleep 0.1
	done
}
state() { _j=\$(\$ctl bul) && echo "\$_j" | jq -e --arg s "\$1" '.[0].state == \$s'; }
coa() { \$ctl bul | jq -r '.[0].coa'; }
# the updater's last update is for this place and is over
done_for() { _j=\$(\$ctl updater) && echo "\$_j" | jq -e --arg o "\$1" --arg c "\$2" \\
	'.last.op == \$o and .last.coa == \$c and .state != "in-flight" and .last.rcode != null'; }
settle() { # the state now: bound (updater replace, its CoA) or home (delete)
	if state home >/dev/null 2>&1; then
		wait_for 60 "no update done at home" done_for delete ""
	else
		wait_for 100 "not bound" state bound
		wait_for 60 "no update done for \$(coa)" done_for replace "\$(coa)"
	fi
}
case \$1 in
move)
	old=\$(coa 2>/dev/null)
	"$MOBBED" move MN "\$2" >/dev/null || exit 1
	if [ "\$2" = home ]; then
		wait_for 100 "not at home" state home
	else
		moved() { _j=\$(\$ctl bul) && echo "\$_j" | jq -e --arg c "\$old" '.[0].state == "bound" and .[0].coa != \$c'; }
		wait_for 100 "not bound at \$2" moved
	fi
	settle
	;;
restart)
	mode=\${2:-rr} key=\${3:-$tkey}
	case \$(basename "\$key") in K*.key) sig=dns-sig0-key ;; *) sig=dns-tsig-key ;; esac
	{ cat "\$st/MN.base"; echo "mn-dns-answer \$mode"; echo "\$sig \$key"; } >"\$st/MN.conf"
	if [ -f "\$st/mobd-MN.pid" ]; then
		pid=\$(cat "\$st/mobd-MN.pid")
		kill "\$pid" 2>/dev/null
		i=0
		while kill -0 "\$pid" 2>/dev/null && [ \$i -lt 50 ]; do i=\$((i + 1)); sleep 0.1; done
		kill -9 "\$pid" 2>/dev/null
		cat "\$st/mobd-MN.log" >>"\$st/mobd-MN.old.log"
	fi
	ip netns exec "$MOBBED_NAME-MN" "$mobd" -d -c "\$st/MN.conf" >"\$st/mobd-MN.log" 2>&1 &
	echo \$! >"\$st/mobd-MN.pid"
	wait_for 50 "mobd on MN did not come up" \$ctl status
	sleep 0.3
	settle
	;;
*) echo "usage: dsm-mn move f1|f2|home | restart [rr|shortcut] [KEYFILE]" >&2; exit 2 ;;
esac
EOS
	sh "$st/dsm-mn" restart rr
	sh "$st/dsm-mn" move f1
	"$mobctl" -S "$st/C1.sock" status >/dev/null && "$mobctl" -S "$st/HA1.sock" status >/dev/null
	rev=$(git describe --always --dirty 2>/dev/null || echo '?')
	cat >"$3" <<PROF
# mobd $rev (mobile node + DNS updater on MN, home agent HA1, correspondent C1) with $2 as NS ($MOBBED_NAME)
IMPL=$2
IMPL_VERSION="mobkit mobd $rev; $ver"
RUN_IN="$MOBBED exec C2"
NS=$NS
RES=$RES
ZONE=example.
NAME=$NAME
HOA=$hoa
HA1=$HA1
CAAAA_TYPE=65280
TSIG_KEY=$tkey
BAD_TSIG_KEY=$st/bad.key
MN_CTL="$mobctl -S $st/MN.sock --json"
C1_CTL="$mobctl -S $st/C1.sock --json"
MN_DO="sh $st/dsm-mn"
MN_RUN="$MOBBED exec MN"
NS_RUN="$MOBBED exec NS"
C1_RUN="$MOBBED exec C1"
C2_RUN="$MOBBED exec C2"
C1_NSS_RUN="$MOBBED exec C1 env LD_LIBRARY_PATH=$top/build/nss MOBKIT_NSS_CONF=$st/nss.conf"
MKSTREAM=$top/bin/mkstream
CLAIMS="caaaa tsig nss"
PROF
	;;
down)
	for n in MN C1 HA1; do stop_pid "$st/mobd-$n.pid" "$st/mobd-$n.log" "mobd $n"; done
	rm -rf "/etc/netns/$MOBBED_NAME-C1" "/etc/netns/$MOBBED_NAME-C2"
	rmdir /etc/netns 2>/dev/null || true
	"$MOBBED" down
	;;
*) echo "usage: dns-server-mobility.sh up IMPL PROFILE | down IMPL" >&2; exit 2 ;;
esac
