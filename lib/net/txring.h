/* lib/net/txring.h: send IPv6 packets as Ethernet frames on an AF_PACKET
 * socket, for load mode, in one of two ways: sendmmsg(2) of a batch (each
 * frame an iovec pair, Ethernet header and packet, copied by the kernel)
 * or a PACKET_MMAP TX ring (TPACKET_V2: the frames are written into memory
 * shared with the kernel and one send(2) hands over the batch); with
 * PACKET_QDISC_BYPASS either goes straight to the driver.
 *
 *   uint8_t eth[14];
 *   mk_raw6_learn_eth(&raw, "eth0", pkt, len, 1000, eth);  // the kernel's header
 *   struct mk_txring t;
 *   if (mk_txring_open(&t, "eth0", eth, MK_TX_BYPASS, err, sizeof err) != 0) ...
 *   mk_txring_send_batch(&t, pkts, lens, n);
 *   mk_txring_drain(&t);    // every frame handed to the driver
 *   mk_txring_close(&t);
 *
 * The kernel's routing and neighbour discovery are not consulted for each
 * frame: the Ethernet header is learnt once, from the first packet sent
 * through the raw IPv6 socket (mk_raw6_learn_eth), so every packet of a
 * run must take the same next hop.  With the bypass the frames skip the
 * qdisc and the packet taps: a capture on the interface does not see them.
 *
 * Which way is the default, and why: the figures in txring.c.
 */
#ifndef MK_NET_TXRING_H
#define MK_NET_TXRING_H

#include <stddef.h>
#include <stdint.h>

#include "raw6.h"

#define MK_TX_BATCH 256

/* mode bits: through a TX ring (else sendmmsg), past the qdisc */
enum { MK_TX_RING = 1, MK_TX_BYPASS = 2 };

struct mk_txring {
	int fd;
	int mode;
	uint8_t *map;          /* MK_TX_RING */
	size_t map_len;
	unsigned frame_size, frame_nr, cur;
	size_t data_off;       /* frame data offset inside a slot */
	uint8_t eth[14];
	uint64_t rejected;     /* frames the kernel refused (TP_STATUS_WRONG_FORMAT) */
};

/* Open the ring on ifname; eth is the Ethernet header put before every
 * packet.  Returns 0, or -1 with err set. */
int mk_txring_open(struct mk_txring *t, const char *ifname, const uint8_t eth[14], int mode,
		   char *err, size_t errlen);
/* Send n IPv6 packets (each at most mk_txring_mtu octets, n at most
 * MK_TX_BATCH); waits while the ring or the driver is full.  Returns n,
 * or -1 with errno set. */
int mk_txring_send_batch(struct mk_txring *t, const uint8_t *const *pkts, const size_t *lens,
			 unsigned n);
/* The largest IPv6 packet a slot holds. */
size_t mk_txring_mtu(const struct mk_txring *t);
/* Wait until the kernel has sent every frame of the ring (nothing to do
 * for sendmmsg), at most 2 s.  0, or -1 with errno (ETIMEDOUT). */
int mk_txring_drain(struct mk_txring *t);
void mk_txring_close(struct mk_txring *t);

/* Send pkt through r and read back, on ifname, the Ethernet header the
 * kernel gave it (next hop resolved by neighbour discovery).  Returns 0
 * with eth filled; 1 if the frame was not seen within timeout_ms or the
 * interface is not Ethernet (the packet was still sent); -1 with errno
 * set if the packet could not be sent. */
int mk_raw6_learn_eth(struct mk_raw6 *r, const char *ifname, const uint8_t *pkt, size_t len,
		      int timeout_ms, uint8_t eth[14]);

#endif
