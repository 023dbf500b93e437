/* lib/net/txring.c: AF_PACKET batch senders (see txring.h).
 *
 * Measured here for mobprobe's load mode (tools/bench-flood.sh, `make
 * bench`: the same IPv6 + HAO + BU packet over a veth pair into a second
 * namespace, 300k packets; a 2-vCPU VM shared with six other builds, so
 * wall-clock rates moved by 2x between runs and the figures that decide
 * are packets per CPU-second of the sender, in which the receiving
 * namespace's softirq work, done in the sender's system calls, counts;
 * medians of five interleaved runs, 2026-12-03):
 *
 *   sender (same frame, no building)         pkt per CPU-s   x libnet
 *   libnet_write(), one packet per call           210k          1.0
 *   plain AF_PACKET send() loop                   310k          1.5
 *   AF_PACKET sendmmsg x64, qdisc bypass          870k          4.1
 *   AF_PACKET TX ring x64, qdisc bypass           817k          3.9
 *   mobprobe bu --tx raw (raw socket sendmmsg)    475k          2.3
 *   mobprobe bu --tx ring                         790k          3.8
 *   mobprobe bu (sendmmsg, bypass: the default)   780k          3.7
 *
 * By the wall clock in the same runs: libnet 78k-118k pkt/s, the default
 * 280k-560k; at a load average of 27 (other tests running) the wall-clock
 * rates of the batched senders fell below libnet's while their CPU-second
 * rates held (the default 842k, 4.5x libnet), which is why make bench
 * prints both.  The CPU figure is fair only while the receiver's softirq
 * work stays in the sender's system calls; when the kernel defers it to
 * ksoftirqd it flatters the faster sender.  The raw IPv6 socket pays, per packet, a route lookup, the
 * IPv6 output path, a neighbour lookup and the qdisc; sendmmsg only saves
 * the system call.  Both AF_PACKET ways skip all of that; the ring saves
 * the copy into the kernel but on a veth the frames it lends are copied
 * anyway when they cross into the peer's namespace (skb_copy_ubufs, 5%
 * of the profile), so it measured no better than sendmmsg, which needs no
 * shared memory, no drain at the end and keeps the simpler error path.
 * sendmmsg is therefore the default and the ring stays an option (--tx
 * ring; on a physical NIC, where the frames are not copied again, it may
 * win).
 */
#include "txring.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define FRAME_SIZE 2048u
#define FRAME_NR 1024u
#define BLOCK_SIZE (1u << 16)

static int fail(struct mk_txring *t, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "TX ring: %s: %s%s", what, strerror(errno),
		 errno == EPERM ? " (needs root or CAP_NET_RAW)" : "");
	mk_txring_close(t);
	return -1;
}

int mk_txring_open(struct mk_txring *t, const char *ifname, const uint8_t eth[14], int mode,
		   char *err, size_t errlen)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6) };
	struct tpacket_req req = {
		.tp_block_size = BLOCK_SIZE,
		.tp_block_nr = FRAME_NR / (BLOCK_SIZE / FRAME_SIZE),
		.tp_frame_size = FRAME_SIZE,
		.tp_frame_nr = FRAME_NR,
	};
	int v = TPACKET_V2, one = 1, sndbuf = 4 << 20;

	memset(t, 0, sizeof *t);
	t->mode = mode;
	memcpy(t->eth, eth, sizeof t->eth);
	/* protocol 0: this socket sends only, nothing is queued to it */
	t->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return fail(t, err, errlen, "socket");
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (sll.sll_ifindex == 0)
		return fail(t, err, errlen, ifname);
	if ((mode & MK_TX_BYPASS) &&
	    setsockopt(t->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one) != 0)
		return fail(t, err, errlen, "PACKET_QDISC_BYPASS");
	if (mode & MK_TX_RING) {
		if (setsockopt(t->fd, SOL_PACKET, PACKET_VERSION, &v, sizeof v) != 0)
			return fail(t, err, errlen, "TPACKET_V2");
		if (setsockopt(t->fd, SOL_PACKET, PACKET_TX_RING, &req, sizeof req) != 0)
			return fail(t, err, errlen, "PACKET_TX_RING");
		t->map_len = (size_t)req.tp_block_size * req.tp_block_nr;
		t->map = mmap(NULL, t->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, t->fd, 0);
		if (t->map == MAP_FAILED) {
			t->map = NULL;
			return fail(t, err, errlen, "mmap");
		}
		t->frame_size = FRAME_SIZE;
		t->frame_nr = FRAME_NR;
		/* without PACKET_TX_HAS_OFF the frame starts where a received
		 * one's sockaddr_ll would */
		t->data_off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	} else {
		(void)setsockopt(t->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
		t->frame_size = FRAME_SIZE; /* the same largest frame both ways */
		t->data_off = TPACKET2_HDRLEN - sizeof(struct sockaddr_ll);
	}
	if (bind(t->fd, (struct sockaddr *)&sll, sizeof sll) != 0)
		return fail(t, err, errlen, ifname);
	return 0;
}

size_t mk_txring_mtu(const struct mk_txring *t)
{
	return t->frame_size - t->data_off - sizeof t->eth;
}

static struct tpacket2_hdr *slot(const struct mk_txring *t, unsigned i)
{
	return (struct tpacket2_hdr *)(void *)(t->map + (size_t)i * t->frame_size);
}

static unsigned status_of(const struct tpacket2_hdr *h)
{
	return __atomic_load_n(&h->tp_status, __ATOMIC_ACQUIRE);
}

/* Hand over what is queued; EAGAIN/ENOBUFS (the driver is busy) are not
 * errors: the frames stay queued and are sent by the next call. */
static int kick(struct mk_txring *t)
{
	if (send(t->fd, NULL, 0, MSG_DONTWAIT) >= 0)
		return 0;
	if (errno == EAGAIN || errno == ENOBUFS || errno == EINTR)
		return 0;
	return -1;
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Wait until slot h is free to fill; until deadline (CLOCK_MONOTONIC ms,
 * 0: no limit), then ETIMEDOUT. */
static int wait_free(struct mk_txring *t, struct tpacket2_hdr *h, uint64_t deadline)
{
	for (;;) {
		unsigned s = status_of(h);
		if (s == TP_STATUS_AVAILABLE)
			return 0;
		if (s & TP_STATUS_WRONG_FORMAT) {
			t->rejected++;
			__atomic_store_n(&h->tp_status, TP_STATUS_AVAILABLE, __ATOMIC_RELEASE);
			return 0;
		}
		if (kick(t) != 0)
			return -1;
		if (deadline && now_ms() >= deadline) {
			errno = ETIMEDOUT;
			return -1;
		}
		if (status_of(h) != TP_STATUS_AVAILABLE) {
			struct pollfd p = { .fd = t->fd, .events = POLLOUT };
			(void)poll(&p, 1, 1);
		}
	}
}

static int send_ring(struct mk_txring *t, const uint8_t *const *pkts, const size_t *lens,
		     unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		struct tpacket2_hdr *h = slot(t, t->cur);
		uint8_t *d = (uint8_t *)h + t->data_off;

		if (wait_free(t, h, 0) != 0)
			return -1;
		memcpy(d, t->eth, sizeof t->eth);
		memcpy(d + sizeof t->eth, pkts[i], lens[i]);
		h->tp_len = (unsigned)(lens[i] + sizeof t->eth);
		__atomic_store_n(&h->tp_status, TP_STATUS_SEND_REQUEST, __ATOMIC_RELEASE);
		t->cur = (t->cur + 1) % t->frame_nr;
	}
	return kick(t) == 0 ? (int)n : -1;
}

static int send_mmsg(struct mk_txring *t, const uint8_t *const *pkts, const size_t *lens,
		     unsigned n)
{
	struct mmsghdr mm[MK_TX_BATCH];
	struct iovec iov[MK_TX_BATCH][2];

	memset(mm, 0, sizeof mm[0] * n);
	for (unsigned i = 0; i < n; i++) {
		iov[i][0].iov_base = t->eth;
		iov[i][0].iov_len = sizeof t->eth;
		iov[i][1].iov_base = (void *)pkts[i];
		iov[i][1].iov_len = lens[i];
		mm[i].msg_hdr.msg_iov = iov[i];
		mm[i].msg_hdr.msg_iovlen = 2;
	}
	return mk_sendmmsg_all(t->fd, mm, n);
}

int mk_txring_send_batch(struct mk_txring *t, const uint8_t *const *pkts, const size_t *lens,
			 unsigned n)
{
	if (n > MK_TX_BATCH) {
		errno = EINVAL;
		return -1;
	}
	for (unsigned i = 0; i < n; i++)
		if (lens[i] > mk_txring_mtu(t)) {
			errno = EMSGSIZE;
			return -1;
		}
	return (t->mode & MK_TX_RING) ? send_ring(t, pkts, lens, n) : send_mmsg(t, pkts, lens, n);
}

int mk_txring_drain(struct mk_txring *t)
{
	/* a frame the driver keeps longer than this is not coming back */
	uint64_t deadline = now_ms() + 2000;

	for (unsigned i = 0; (t->mode & MK_TX_RING) && i < t->frame_nr; i++)
		if (wait_free(t, slot(t, i), deadline) != 0)
			return -1;
	return 0;
}

void mk_txring_close(struct mk_txring *t)
{
	if (t->map)
		munmap(t->map, t->map_len);
	t->map = NULL;
	if (t->fd >= 0)
		close(t->fd);
	t->fd = -1;
}

int mk_raw6_learn_eth(struct mk_raw6 *r, const char *ifname, const uint8_t *pkt, size_t len,
		      int timeout_ms, uint8_t eth[14])
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL) };
	uint8_t frame[2048 + 14];
	int fd, rc = 1;

	/* listen before sending: the kernel copies outgoing frames to the
	 * packet sockets of ETH_P_ALL only */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, htons(ETH_P_ALL));
	sll.sll_ifindex = (int)if_nametoindex(ifname);
	if (fd >= 0 && (sll.sll_ifindex == 0 || bind(fd, (struct sockaddr *)&sll, sizeof sll) != 0)) {
		close(fd);
		fd = -1;
	}
	if (mk_raw6_send(r, pkt, len) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		errno = e;
		return -1;
	}
	if (fd < 0)
		return 1;
	uint64_t end = now_ms() + (uint64_t)timeout_ms;
	while (rc == 1) {
		uint64_t now = now_ms();
		struct sockaddr_ll from;
		socklen_t fl = sizeof from;
		struct pollfd p = { .fd = fd, .events = POLLIN };

		if (now >= end || poll(&p, 1, (int)(end - now)) <= 0)
			break;
		ssize_t n = recvfrom(fd, frame, sizeof frame, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0 || from.sll_pkttype != PACKET_OUTGOING)
			continue;
		if (from.sll_hatype != ARPHRD_ETHER)
			break; /* not Ethernet: no header to learn */
		if ((size_t)n == len + 14 && memcmp(frame + 14, pkt, len) == 0) {
			memcpy(eth, frame, 14);
			rc = 0;
		}
	}
	close(fd);
	return rc;
}
