/* lib/net/raw6.h: send whole IPv6 packets (header and extension headers as
 * the caller built them) through the kernel's routing and neighbour
 * discovery, one at a time or in batches.
 *
 *   struct mk_raw6 r;
 *   if (mk_raw6_open(&r, "eth0", err, sizeof err) != 0) ...
 *   mk_raw6_send(&r, pkt, len);
 *   mk_raw6_send_batch(&r, pkts, lens, 64);
 *   mk_raw6_close(&r);
 *
 * It is an AF_INET6 raw socket with protocol IPPROTO_RAW, which Linux
 * treats as IPV6_HDRINCL: the packet goes out exactly as given, any source
 * address included (a care-of or home address the prober speaks for).
 * The kernel routes on the destination of the fixed header.  Batches use
 * sendmmsg(2), one system call for up to MK_RAW6_BATCH packets.
 *
 * Why not libnet: libnet 1.2's raw IPv6 injection writes one packet per
 * libnet_write() call and rebuilds its header list each time; we need
 * batches for load mode and already hold the finished packet from
 * lib/wire.  `make bench` measures libnet's per-packet write beside this.
 */
#ifndef MK_NET_RAW6_H
#define MK_NET_RAW6_H

#include <stddef.h>
#include <stdint.h>

#define MK_RAW6_BATCH 64

struct mk_raw6 {
	int fd;
	unsigned ifindex;  /* 0: any interface */
};

/* ifname NULL or "" = no binding.  Returns 0, or -1 with err set. */
int mk_raw6_open(struct mk_raw6 *r, const char *ifname, char *err, size_t errlen);
/* 0 on success, -1 with errno set. */
int mk_raw6_send(struct mk_raw6 *r, const uint8_t *pkt, size_t len);
/* Sends n (<= MK_RAW6_BATCH) packets; returns how many the kernel took
 * (retrying while its buffers are full), or -1 with errno set if none. */
int mk_raw6_send_batch(struct mk_raw6 *r, const uint8_t *const *pkts, const size_t *lens,
		       unsigned n);
/* The same, but a packet the kernel refuses (no route, too big) does not
 * stop the batch: it is skipped and counted in *failed.  Returns how many
 * went. */
int mk_raw6_send_batch_all(struct mk_raw6 *r, const uint8_t *const *pkts, const size_t *lens,
			   unsigned n, unsigned *failed);
void mk_raw6_close(struct mk_raw6 *r);

/* sendmmsg(2) until all n messages went, waiting while the kernel's
 * buffers are full (any socket; txring.c shares it).  Returns how many
 * went, or -1 with errno set if none. */
struct mmsghdr;
int mk_sendmmsg_all(int fd, struct mmsghdr *mm, unsigned n);
/* the same, but a message the kernel refuses is skipped (counted in
 * *failed) and the rest still go; returns how many went */
int mk_sendmmsg_skip(int fd, struct mmsghdr *mm, unsigned n, unsigned *failed);

#endif
