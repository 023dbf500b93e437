/* stack/core/io.c: the daemon's descriptors, opened and closed in order.
 *
 *   nftables  nft.c      capture   capture.c     TUN   tun.c
 *   netlink   netlink.c
 *   send      lib/net/raw6 (IPPROTO_RAW): whole packets as built
 *   ICMPv6    a raw socket with an ICMP6_FILTER, hop limit 255 (ND)
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <netinet/icmp6.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "wire/icmp6.h"

int sys_open(struct mobd_io *io, const struct mobd_conf *c, char *err, size_t errlen)
{
	struct icmp6_filter filt;
	int one = 1, hops = 255;

	memset(io, 0, sizeof *io);
	io->tun_fd = io->pcap_fd = io->icmp_fd = -1;
	io->raw.fd = -1;
	io->ifindex = (int)if_nametoindex(c->iface);
	if (!io->ifindex) {
		snprintf(err, errlen, "interface '%s': %s", c->iface, strerror(errno));
		return -1;
	}
	if (link_info(c->iface, io->mac, &io->lladdr) != 0) {
		snprintf(err, errlen, "interface '%s': no Ethernet address", c->iface);
		return -1;
	}
	if (nl_open() != 0) {
		snprintf(err, errlen, "netlink: %s", strerror(errno));
		return -1;
	}
	/* keep Mobility Header, Home Address option, RH2 and tunnel packets
	 * from the kernel, which would answer them with Parameter Problem */
	if (nft_open(io, c->iface, err, errlen) != 0 || cap_open(io, c->iface, err, errlen) != 0 ||
	    mk_raw6_open(&io->raw, c->iface, err, errlen) != 0)
		return -1;

	io->icmp_fd = socket(AF_INET6, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_ICMPV6);
	if (io->icmp_fd < 0) {
		snprintf(err, errlen, "ICMPv6 socket: %s", strerror(errno));
		return -1;
	}
	ICMP6_FILTER_SETBLOCKALL(&filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_ROUTER_ADV, &filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_DHAAD_REQUEST, &filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_DHAAD_REPLY, &filt);
	/* a BU's destination that is no home agent answers with these */
	ICMP6_FILTER_SETPASS(MK_ICMP6_PARAM_PROB, &filt);
	ICMP6_FILTER_SETPASS(MK_ICMP6_DST_UNREACH, &filt);
	/* multiple home agents: a peer's answer to a probe; Home Agent Unreachable */
	ICMP6_FILTER_SETPASS(129, &filt);
	ICMP6_FILTER_SETPASS(mk_cp(&c->cp, MK_CP_ICMP6_HA_UNREACH), &filt);
	setsockopt(io->icmp_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof filt);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &io->ifindex, sizeof io->ifindex);

	io->tun_fd = tun_open(c->tun, &io->tun_ifindex, err, errlen);
	if (io->tun_fd < 0)
		return -1;
	char p[128];
	snprintf(p, sizeof p, "/proc/sys/net/ipv6/conf/%s/addr_gen_mode", c->tun);
	sys_sysctl(p, "1"); /* no link-local address on the TUN: it sends no RS */
	if (link_up(c->tun, c->mtu) != 0) {
		snprintf(err, errlen, "TUN device '%s': cannot bring it up: %s", c->tun,
			 strerror(errno));
		return -1;
	}
	return 0;
}

void sys_close(struct mobd_io *io, const struct mobd_conf *c)
{
	nft_close(io);
	cap_close(io);
	mk_raw6_close(&io->raw);
	if (io->icmp_fd >= 0)
		close(io->icmp_fd);
	if (io->tun_fd >= 0)
		close(io->tun_fd); /* a non-persistent TUN device goes with its descriptor */
	io->icmp_fd = io->tun_fd = -1;
	(void)c;
}

/* the tunnel's batch: packets copied in, sent with one sendmmsg (raw6.c) */
#define IO_TXQ_SLOT (MOBD_PKT_MAX + 40)
static uint8_t io_txq[MK_RAW6_BATCH][IO_TXQ_SLOT];
static size_t io_txq_len[MK_RAW6_BATCH];
static unsigned io_txq_n;

int io_send_flush(struct mobd_io *io)
{
	const uint8_t *p[MK_RAW6_BATCH];
	unsigned n = io_txq_n;
	int r;
	if (!n)
		return 0;
	io_txq_n = 0;
	for (unsigned i = 0; i < n; i++)
		p[i] = io_txq[i];
	r = mk_raw6_send_batch(&io->raw, p, io_txq_len, n);
	if (r != (int)n) {
		log_debug("batch send: %d of %u sent: %s", r, n, strerror(errno));
		return -1;
	}
	return 0;
}

int io_send_queue(struct mobd_io *io, const uint8_t *pkt, size_t len)
{
	if (len > IO_TXQ_SLOT)
		return io_send(io, pkt, len);
	memcpy(io_txq[io_txq_n], pkt, len);
	io_txq_len[io_txq_n++] = len;
	return io_txq_n == MK_RAW6_BATCH ? io_send_flush(io) : 0;
}

int io_send(struct mobd_io *io, const uint8_t *pkt, size_t len)
{
	if (io_txq_n)
		io_send_flush(io);
	if (mk_raw6_send(&io->raw, pkt, len) != 0) {
		log_debug("send of %zu octets failed: %s", len, strerror(errno));
		return -1;
	}
	return 0;
}

int io_send_na(struct mobd_io *io, const struct in6_addr *target, bool router)
{
	/* R, Override; not Solicited */
	return io_send_na_to(io, NULL, target, (uint8_t)((router ? 0x80 : 0) | 0x20));
}

int io_send_na_to(struct mobd_io *io, const struct in6_addr *to, const struct in6_addr *target,
		  uint8_t flags)
{
	uint8_t m[32];
	struct sockaddr_in6 dst = { .sin6_family = AF_INET6, .sin6_scope_id = (uint32_t)io->ifindex };
	if (to)
		dst.sin6_addr = *to;
	else
		inet_pton(AF_INET6, "ff02::1", &dst.sin6_addr);
	memset(m, 0, sizeof m);
	m[0] = ND_NEIGHBOR_ADVERT;
	m[4] = flags;
	memcpy(m + 8, target, 16);
	m[24] = MK_ND_OPT_TLLA;
	m[25] = 1;
	memcpy(m + 26, io->mac, 6);
	/* the kernel fills the checksum of raw ICMPv6 sockets and picks the
	 * source, the interface's address toward dst; hop limit 255 (sys_open) */
	return sendto(io->icmp_fd, m, sizeof m, 0, (struct sockaddr *)&dst, sizeof dst) ==
			       (ssize_t)sizeof m
		       ? 0
		       : -1;
}
