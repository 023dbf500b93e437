/* stack/core/io.c: the daemon's descriptors, opened and closed in order.
 *
 *   nftables  nft.c      capture   capture.c     TUN   tun.c
 *   netlink   netlink.c
 *   send      lib/net/raw6 (IPPROTO_RAW): whole packets as built; in a
 *             capture batch queued, sent with sendmmsg, to a known next hop
 *             on an AF_PACKET socket (nexthop.c)
 *   ICMPv6    a raw socket with an ICMP6_FILTER, hop limit 255 (ND); a home
 *             agent doing DAD also reads Neighbor Solicitations and Advertisements
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
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
	io->raw_any.fd = -1;
	io->pkt_fd = -1;
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

	/* batched packets with a known next hop go here, Ethernet header and
	 * all (txq_flush); protocol 0: it receives nothing */
	io->pkt_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (io->pkt_fd >= 0) {
		int sndbuf = 4 << 20;
		(void)setsockopt(io->pkt_fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	}

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
	/* a home agent's Duplicate Address Detection (RFC 6275 10.3.1): a
	 * Neighbor Advertisement for the address, or another node's DAD
	 * Neighbor Solicitation for it (stack/roles/ha-dad.c) */
	if ((c->roles & MOBD_RB(MOBD_R_HA)) && c->ha_dad) {
		ICMP6_FILTER_SETPASS(ND_NEIGHBOR_SOLICIT, &filt);
		ICMP6_FILTER_SETPASS(ND_NEIGHBOR_ADVERT, &filt);
	}
	setsockopt(io->icmp_fd, IPPROTO_ICMPV6, ICMP6_FILTER, &filt, sizeof filt);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_HOPS, &hops, sizeof hops);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &hops, sizeof hops);
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_IF, &io->ifindex, sizeof io->ifindex);
	/* our own multicasts (the NA of every new binding, DAD) not looped back
	 * to this host's sockets: nothing here reads them, and the copy cost
	 * about a sixth of a home agent's CPU with kernel-state yes (perf,
	 * 25k BUs: dev_loopback_xmit 10%, ip6_mc_input 6%) */
	int zero = 0;
	setsockopt(io->icmp_fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &zero, sizeof zero);

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
	mk_raw6_close(&io->raw_any);
	if (io->pkt_fd >= 0)
		close(io->pkt_fd);
	io->pkt_fd = -1;
	nh_flush();
	if (io->icmp_fd >= 0)
		close(io->icmp_fd);
	if (io->tun_fd >= 0)
		close(io->tun_fd); /* a non-persistent TUN device goes with its descriptor */
	io->icmp_fd = io->tun_fd = -1;
	(void)c;
}

/* ---- batched sending: while a capture batch is handled (cap_dispatch),
 * what the roles send is queued here and goes with one sendmmsg(2) per
 * MK_RAW6_BATCH packets: one system call instead of one sendto(2) per BA.
 * (The route lookup per packet stays: IPPROTO_RAW routes each one.)  A
 * packet longer than a slot (a tunnelled one) flushes the queue and goes
 * at once, so the order on the wire is the order sent. ---- */
#define TXQ_SLOT (MOBD_PKT_MAX + 128)
static struct {
	unsigned depth;                  /* io_batch_begin nesting */
	unsigned n;
	size_t len[MK_RAW6_BATCH];
	uint8_t buf[MK_RAW6_BATCH][TXQ_SLOT];
} txq;

void io_batch_begin(struct mobd_io *io)
{
	(void)io;
	txq.depth++;
}

/* io_raw_any: a home agent on a router (ha-bu-iface) sends what goes off
 * the home link (a BA or a tunnelled packet to a care-of address beyond
 * the uplink) on a socket bound to no interface: the one bound to the home
 * link (raw) finds no route out of another interface.  Link-local and
 * multicast destinations stay on raw, which gives them the home link. */
int io_raw_any(struct mobd_io *io, char *err, size_t errlen)
{
	return io->raw_any.fd >= 0 ? 0 : mk_raw6_open(&io->raw_any, NULL, err, errlen);
}

static struct mk_raw6 *raw_for(struct mobd_io *io, const uint8_t *pkt)
{
	bool local = pkt[24] == 0xff || (pkt[24] == 0xfe && (pkt[25] & 0xc0) == 0x80);
	return io->raw_any.fd >= 0 && !local ? &io->raw_any : &io->raw;
}

/* one batch of n packets on r: the refused ones added to *failed */
static void raw_batch(struct mobd_io *io, struct mk_raw6 *r, const uint8_t **p, const size_t *lens,
		      unsigned n, unsigned *failed)
{
	unsigned rf;
	if (!n)
		return;
	int went = mk_raw6_send_batch_all(r, p, lens, n, &rf);
	io->tx_batched += (uint64_t)(went > 0 ? went : 0);
	*failed += rf;
}

/* the packets the next-hop cache (nexthop.c) knows an Ethernet address
 * for go on the AF_PACKET socket with their Ethernet header (no route
 * lookup, no IPv6 output path); the rest through the raw socket.  The
 * choice is per destination, so each destination's packets keep their
 * order.
 *
 * Measured in make bench's BU part (300k BUs at full speed, all BAs to one
 * care-of address, a 2-core machine shared with other runs): perf put
 * ip6_dst_lookup_flow at 23% of the home agent's CPU with the raw socket
 * (sendmmsg batches of 64: the system call saved, the route lookup not). */
static unsigned txq_flush(struct mobd_io *io)
{
	const uint8_t *p[MK_RAW6_BATCH], *pa[MK_RAW6_BATCH];
	size_t lens[MK_RAW6_BATCH], lensa[MK_RAW6_BATCH];
	struct mmsghdr mm[MK_RAW6_BATCH];
	struct iovec iov[MK_RAW6_BATCH][2];
	uint8_t eth[MK_RAW6_BATCH][14];
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
				   .sll_ifindex = io->ifindex };
	unsigned failed = 0, nraw = 0, nany = 0, ndir = 0;
	if (!txq.n)
		return 0;
	for (unsigned i = 0; i < txq.n; i++) {
		const uint8_t *pkt = txq.buf[i];
		struct in6_addr src, dst;
		memcpy(&src, pkt + 8, 16);
		memcpy(&dst, pkt + 24, 16);
		if (io->pkt_fd >= 0 && nh_mac(io->ifindex, &src, &dst, eth[ndir])) {
			memcpy(eth[ndir] + 6, io->mac, 6);
			eth[ndir][12] = 0x86;
			eth[ndir][13] = 0xdd;
			iov[ndir][0] = (struct iovec){ eth[ndir], 14 };
			iov[ndir][1] = (struct iovec){ (void *)pkt, txq.len[i] };
			memset(&mm[ndir], 0, sizeof mm[ndir]);
			mm[ndir].msg_hdr.msg_name = &sll;
			mm[ndir].msg_hdr.msg_namelen = sizeof sll;
			mm[ndir].msg_hdr.msg_iov = iov[ndir];
			mm[ndir].msg_hdr.msg_iovlen = 2;
			ndir++;
		} else if (raw_for(io, pkt) != &io->raw) {
			pa[nany] = pkt;
			lensa[nany++] = txq.len[i];
		} else {
			p[nraw] = pkt;
			lens[nraw++] = txq.len[i];
		}
	}
	if (ndir) {
		unsigned df;
		int went = mk_sendmmsg_skip(io->pkt_fd, mm, ndir, &df);
		io->tx_direct += (uint64_t)went;
		io->tx_batched += (uint64_t)went;
		failed += df;
	}
	raw_batch(io, &io->raw, p, lens, nraw, &failed);
	raw_batch(io, &io->raw_any, pa, lensa, nany, &failed);
	io->tx_batches++;
	if (failed) {
		io->tx_batch_fail += failed;
		log_debug("batched send: %u of %u packets refused: %s", failed, txq.n,
			  strerror(errno));
	}
	txq.n = 0;
	return failed;
}

void io_batch_end(struct mobd_io *io)
{
	if (txq.depth && --txq.depth == 0)
		txq_flush(io);
}

/* one packet into the queue; a full queue goes at once (a refusal counts
 * in tx_batch_fail) */
static void txq_put(struct mobd_io *io, const uint8_t *pkt, size_t len)
{
	memcpy(txq.buf[txq.n], pkt, len);
	txq.len[txq.n++] = len;
	if (txq.n == MK_RAW6_BATCH)
		txq_flush(io);
}

/* the tunnel's packets (home-agent.c): queued whether or not a capture
 * batch is open, sent when the queue is full or at io_send_flush */
int io_send_queue(struct mobd_io *io, const uint8_t *pkt, size_t len)
{
	if (len < 40 || len > TXQ_SLOT)
		return io_send(io, pkt, len);
	txq_put(io, pkt, len);
	return 0;
}

int io_send_flush(struct mobd_io *io)
{
	return txq_flush(io) ? -1 : 0;
}

int io_send(struct mobd_io *io, const uint8_t *pkt, size_t len)
{
	if (txq.depth && len >= 40 && len <= TXQ_SLOT) {
		txq_put(io, pkt, len);
		return 0;
	}
	txq_flush(io);
	if (mk_raw6_send(raw_for(io, pkt), pkt, len) != 0) {
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
	/* the unsolicited one to all-nodes (one per new binding: a home agent
	 * taking many registrations sends many) as a whole packet from our
	 * link-local address, checksum ours: io_send queues it in the batch
	 * being sent and nexthop.c gives ff02::1 its multicast MAC, so it goes
	 * with the BAs, no system call or route lookup of its own (perf, 25k
	 * BUs with kernel-state yes: the sendto per NA was a quarter of the
	 * home agent's CPU) */
	if (!to && !IN6_IS_ADDR_UNSPECIFIED(&io->lladdr)) {
		uint8_t pkt[40 + sizeof m];
		size_t n;
		struct mk_pkt p = { .ip = { .hlim = 255, .src = io->lladdr, .dst = dst.sin6_addr },
				    .ulp = MK_NH_ICMPV6, .payload = m, .payload_len = sizeof m };
		if (mk_pkt_build(pkt, sizeof pkt, &p, &n).err != MK_E_OK ||
		    mk_pkt_fix_cksum(pkt, n).err != MK_E_OK)
			return -1;
		return io_send(io, pkt, n);
	}
	/* the kernel fills the checksum of raw ICMPv6 sockets and picks the
	 * source, the interface's address toward dst; hop limit 255 (sys_open) */
	return sendto(io->icmp_fd, m, sizeof m, 0, (struct sockaddr *)&dst, sizeof dst) ==
			       (ssize_t)sizeof m
		       ? 0
		       : -1;
}
