/* lib/net/pcapio.h: write and read capture files through libpcap, with
 * nanosecond timestamps.  Thin on purpose: libpcap does the format work.
 *
 *   struct mk_pcapw *w = mk_pcapw_open("out.pcap", DLT_EN10MB, err, sizeof err);
 *   mk_pcapw_write(w, ts_ns, frame, len);
 *   mk_pcapw_close(w);
 *
 * Frames from the codecs are bare IPv6 packets; mk_eth_ipv6() prepends an
 * Ethernet header (EtherType 0x86dd) so any tool reads the file.
 */
#ifndef MK_NET_PCAPIO_H
#define MK_NET_PCAPIO_H

#include <stddef.h>
#include <stdint.h>

struct mk_pcapw;

struct mk_pcapw *mk_pcapw_open(const char *path, int dlt, char *err, size_t errlen);
int mk_pcapw_write(struct mk_pcapw *w, uint64_t ts_ns, const uint8_t *frame, size_t len);
/* Flush and close; returns 0, or -1 if the file could not be completed. */
int mk_pcapw_close(struct mk_pcapw *w);

/* Write an Ethernet header for an IPv6 payload into out (14 octets) with
 * locally administered MACs derived from `src_id` and `dst_id`; returns 14. */
size_t mk_eth_ipv6(uint8_t out[14], uint8_t src_id, uint8_t dst_id);

/* Offset of the IPv6 header in a captured frame of link type dlt, or -1 if
 * the frame is not IPv6 on a link type we know (Ethernet, raw IP, Linux
 * cooked v1/v2, null/loopback). */
long mk_link_ip6_offset(int dlt, const uint8_t *frame, size_t len);

#endif
