/* lib/wire/udp.h: the UDP header (RFC 768), for DNS and test traffic.
 *
 *   0      2      4      6      8
 *   | sport | dport | length | checksum | payload...
 *
 * Over IPv6 the checksum is mandatory (RFC 8200 8.1); a computed 0 is sent
 * as 0xffff, and a received 0 is an error. */
#ifndef MK_WIRE_UDP_H
#define MK_WIRE_UDP_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct mk_udp {
	uint16_t sport, dport;
	uint16_t length;  /* header + payload, as on the wire */
	uint16_t cksum;
	const uint8_t *payload;
	size_t payload_len;
};

/* Parse; the length field must be >= 8 and fit in len (trailing octets past
 * it are ignored, as IPv6 padding is). */
struct mk_status mk_udp_parse(const uint8_t *buf, size_t len, struct mk_udp *out);
/* Build header + payload (in->payload/payload_len) with checksum 0. */
struct mk_status mk_udp_build(uint8_t *buf, size_t cap, const struct mk_udp *in, size_t *outlen);
/* Fill in the checksum of a built datagram. */
void mk_udp_cksum(uint8_t *buf, size_t len, const struct in6_addr *src, const struct in6_addr *dst);

#endif
