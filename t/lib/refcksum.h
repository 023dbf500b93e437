/* t/lib/refcksum.h: the tests' own Internet checksum over an IPv6
 * pseudo-header (RFC 8200 8.1), a plain 16-bit word loop after RFC 1071.
 * It is deliberately independent of lib/wire/cksum.c so that a test can
 * check the library against it.  Header-only, for tests. */
#ifndef MK_T_REFCKSUM_H
#define MK_T_REFCKSUM_H

#include <stddef.h>
#include <stdint.h>

#define REF_NO_SKIP ((size_t)-1)

/* Checksum of `msg` (upper-layer length `len`, next header `nh`) between
 * the 16-octet addresses `src` and `dst`.  The two octets at `skip` (the
 * checksum field) count as zero; REF_NO_SKIP sums everything. */
static inline uint16_t ref_cksum6(const void *src, const void *dst, uint8_t nh,
				  const uint8_t *msg, size_t len, size_t skip)
{
	const uint8_t *s = src, *d = dst;
	uint8_t ph[40] = { 0 };
	uint32_t sum = 0;

	for (int i = 0; i < 16; i++) {
		ph[i] = s[i];
		ph[16 + i] = d[i];
	}
	ph[32] = (uint8_t)(len >> 24);
	ph[33] = (uint8_t)(len >> 16);
	ph[34] = (uint8_t)(len >> 8);
	ph[35] = (uint8_t)len;
	ph[39] = nh;
	for (size_t i = 0; i < 40; i += 2)
		sum += (uint32_t)(ph[i] << 8 | ph[i + 1]);
	for (size_t i = 0; i < len; i += 2) {
		uint32_t hi = msg[i], lo = i + 1 < len ? msg[i + 1] : 0;
		if (i == skip)
			hi = lo = 0;
		sum += hi << 8 | lo;
	}
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

#endif
