/* bench/floodbench.c: the two baselines `mobprobe bu --rate` load mode is
 * compared with in `make bench` (tools/bench-flood.sh):
 *
 *   mkbench afpacket IFACE DSTMAC COUNT
 *       a plain AF_PACKET send loop: one sendto() per frame of the same
 *       Ethernet + IPv6 + HAO + BU packet (the floor a packet generator
 *       that does nothing else reaches)
 *   mkbench afpacket-mmsg IFACE DSTMAC COUNT
 *   mkbench afpacket-ring IFACE DSTMAC COUNT
 *       the two batched AF_PACKET senders of lib/net/txring.c, qdisc
 *       bypassed, without mobprobe's packet building (the floors of its
 *       load mode)
 *   mkbench libnet IFACE COUNT
 *       libnet 1.2: the same IPv6 packet built once with libnet_build_ipv6
 *       (LIBNET_RAW6) and written COUNT times with libnet_write(), one
 *       packet per call, as tools built on libnet send
 *
 * Both print "sent N in S s: R pkt/s".  The packet goes from 2001:db8:98::1
 * (HoA 2001:db8:1::100) to 2001:db8:98::2. */
#include <arpa/inet.h>
#include <errno.h>
#include <libnet.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "net/txring.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

int mk_floodbench(int argc, char **argv);

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

/* IPv6 + DestOpt(HAO) + BU, checksum filled: what mobprobe bu sends. */
static int bu_packet(uint8_t *pkt, size_t cap, size_t *len)
{
	struct mk_mh m;
	uint8_t mh[64];
	size_t n;

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 1;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 15;
	if (mk_mh_build(mh, sizeof mh, NULL, &m, &n).err != MK_E_OK)
		return -1;
	struct in6_addr src, dst, hoa;
	inet_pton(AF_INET6, "2001:db8:98::1", &src);
	inet_pton(AF_INET6, "2001:db8:98::2", &dst);
	inet_pton(AF_INET6, "2001:db8:1::100", &hoa);
	return mk_pkt_assemble(pkt, cap, &src, &dst, &hoa, NULL, MK_NH_MH, mh, n, len).err == MK_E_OK
		       ? 0
		       : -1;
}

static double cpu(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static double cpu0;

/* mono() and cpu() at the start of the timed loop */
static double start(void)
{
	cpu0 = cpu();
	return mono();
}

/* The wall-clock rate, and packets per CPU-second (steadier than the wall
 * clock on a machine shared with other work). */
static int report(unsigned long n, double t0)
{
	double s = mono() - t0, c = cpu() - cpu0;
	printf("sent %lu in %.6f s: %.0f pkt/s\n", n, s, s > 0 ? (double)n / s : 0);
	printf("  cpu %.6f s: %.0f pkt per cpu-second\n", c, c > 0 ? (double)n / c : 0);
	return 0;
}

/* Ethernet (to mac, from 02:02:02:02:02:02) + the BU packet into frame;
 * *len: the IPv6 packet's length.  0, 2 for a bad MAC, 1 otherwise. */
static int bu_frame(const char *mac, uint8_t *frame, size_t cap, size_t *len)
{
	unsigned m[6];

	if (sscanf(mac, "%x:%x:%x:%x:%x:%x", &m[0], &m[1], &m[2], &m[3], &m[4], &m[5]) != 6) {
		fprintf(stderr, "mkbench: bad MAC '%s'\n", mac);
		return 2;
	}
	for (int i = 0; i < 6; i++)
		frame[i] = (uint8_t)m[i];
	memset(frame + 6, 0x02, 6);
	frame[12] = 0x86;
	frame[13] = 0xdd;
	return bu_packet(frame + 14, cap - 14, len) != 0 ? 1 : 0;
}

static int afpacket(const char *ifname, const char *mac, unsigned long count)
{
	uint8_t frame[256];
	size_t len;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6) };
	int fd, rc = bu_frame(mac, frame, sizeof frame, &len);

	if (rc != 0)
		return rc;
	len += 14;
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (fd < 0 || sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0) {
		fprintf(stderr, "mkbench afpacket %s: %s\n", ifname, strerror(errno));
		return 1;
	}
	double t0 = start();
	unsigned long sent = 0;
	while (sent < count) {
		if (send(fd, frame, len, 0) == (ssize_t)len)
			sent++;
		else if (errno != ENOBUFS && errno != EAGAIN)
			break;
	}
	report(sent, t0);
	close(fd);
	return 0;
}

/* The two AF_PACKET ways of sending many frames that mobprobe's load mode
 * chose from (lib/net/txring.c), with the same frame and no packet
 * building: sendmmsg(2) of 64 frames and the TX ring (64 frames per
 * send(2)), both with PACKET_QDISC_BYPASS. */
static int afpacket_batch(const char *ifname, const char *mac, unsigned long count, int mode)
{
	uint8_t frame[256];
	size_t len;
	char err[256];
	enum { B = 64 };
	const uint8_t *pv[B];
	size_t lens[B];
	unsigned long sent = 0;
	struct mk_txring t;
	int rc = bu_frame(mac, frame, sizeof frame, &len);

	if (rc != 0)
		return rc;
	for (int i = 0; i < B; i++) {
		pv[i] = frame + 14;
		lens[i] = len;
	}
	if (mk_txring_open(&t, ifname, frame, mode, err, sizeof err) != 0) {
		fprintf(stderr, "mkbench: %s\n", err);
		return 1;
	}
	double t0 = start();
	while (sent < count) {
		unsigned k = count - sent < B ? (unsigned)(count - sent) : B;
		if (mk_txring_send_batch(&t, pv, lens, k) < 0)
			break;
		sent += k;
	}
	(void)mk_txring_drain(&t);
	report(sent, t0);
	mk_txring_close(&t);
	return 0;
}

static int lnet(const char *ifname, unsigned long count)
{
	char err[LIBNET_ERRBUF_SIZE];
	uint8_t pkt[256];
	size_t len;
	struct libnet_in6_addr src, dst;
	libnet_t *l = libnet_init(LIBNET_RAW6, ifname, err);

	if (!l) {
		fprintf(stderr, "mkbench libnet: %s\n", err);
		return 1;
	}
	if (bu_packet(pkt, sizeof pkt, &len) != 0)
		return 1;
	memcpy(&src, pkt + 8, 16);
	memcpy(&dst, pkt + 24, 16);
	/* libnet builds the fixed header; the extension header and MH ride as
	 * its payload, checksum already in place */
	if (libnet_build_ipv6(0, 0, (uint16_t)(len - 40), MK_NH_DSTOPTS, 64, src, dst, pkt + 40,
			      (uint32_t)(len - 40), l, 0) == -1) {
		fprintf(stderr, "mkbench libnet: %s\n", libnet_geterror(l));
		libnet_destroy(l);
		return 1;
	}
	double t0 = start();
	unsigned long sent = 0;
	while (sent < count) {
		if (libnet_write(l) > 0)
			sent++;
		else if (errno != ENOBUFS && errno != EAGAIN)
			break;
	}
	report(sent, t0);
	libnet_destroy(l);
	return 0;
}

int mk_floodbench(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "afpacket") == 0)
		return afpacket(argv[2], argv[3], strtoul(argv[4], NULL, 10));
	if (argc == 5 && strcmp(argv[1], "afpacket-mmsg") == 0)
		return afpacket_batch(argv[2], argv[3], strtoul(argv[4], NULL, 10), MK_TX_BYPASS);
	if (argc == 5 && strcmp(argv[1], "afpacket-ring") == 0)
		return afpacket_batch(argv[2], argv[3], strtoul(argv[4], NULL, 10),
				      MK_TX_RING | MK_TX_BYPASS);
	if (argc == 4 && strcmp(argv[1], "libnet") == 0)
		return lnet(argv[2], strtoul(argv[3], NULL, 10));
	return -1;
}
