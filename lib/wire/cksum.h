/* lib/wire/cksum.h: the Internet checksum (RFC 1071) and the IPv6
 * upper-layer pseudo-header (RFC 8200 section 8.1), used by the Mobility
 * Header, ICMPv6, TCP and UDP codecs.  Which addresses go into the
 * pseudo-header when a Home Address option or a type 2 routing header is
 * present is decided by the caller (see mk_ip6_pseudo_addrs in ip6ext.h). */
#ifndef MK_WIRE_CKSUM_H
#define MK_WIRE_CKSUM_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Add n octets to a running 32-bit one's-complement sum.  Only the last
 * chunk of a sum may have an odd length. */
uint32_t mk_csum_add(uint32_t sum, const uint8_t *p, size_t n);
/* Fold to 16 bits and complement: the value to store in a checksum field. */
uint16_t mk_csum_finish(uint32_t sum);

/* Sum of the IPv6 pseudo-header: src, dst, 32-bit upper-layer length,
 * 24 zero bits, next header. */
uint32_t mk_csum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
			 uint32_t ulp_len, uint8_t nh);

/* Checksum of an upper-layer message over the IPv6 pseudo-header.  The
 * message's own checksum field must be zero when building; when verifying,
 * pass the message as received and compare the result with 0. */
uint16_t mk_csum6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nh,
		  const uint8_t *msg, size_t len);

/* True if msg (checksum field included) verifies. */
bool mk_csum6_ok(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nh,
		 const uint8_t *msg, size_t len);

#endif
