/* lib/wire/cksum.c: RFC 1071 one's-complement sums. */
#include "cksum.h"

#include "cursor.h"

uint32_t mk_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
	uint64_t s = sum;
	size_t i = 0;

	for (; i + 4 <= n; i += 4)
		s += mk_load32(p + i);
	for (; i + 2 <= n; i += 2)
		s += mk_load16(p + i);
	if (i < n)
		s += (uint32_t)p[i] << 8;
	while (s >> 32)
		s = (s & 0xffffffffu) + (s >> 32);
	/* keep headroom: fold to at most 17 bits' worth of carries */
	s = (s & 0xffff) + ((s >> 16) & 0xffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t mk_csum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

uint32_t mk_csum_pseudo6(const struct in6_addr *src, const struct in6_addr *dst,
			 uint32_t ulp_len, uint8_t nh)
{
	uint8_t tail[8];

	mk_store32(tail, ulp_len);
	tail[4] = tail[5] = tail[6] = 0;
	tail[7] = nh;
	uint32_t s = mk_csum_add(0, src->s6_addr, 16);
	s = mk_csum_add(s, dst->s6_addr, 16);
	return mk_csum_add(s, tail, sizeof tail);
}

uint16_t mk_csum6(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nh,
		  const uint8_t *msg, size_t len)
{
	uint32_t s = mk_csum_pseudo6(src, dst, (uint32_t)len, nh);
	return mk_csum_finish(mk_csum_add(s, msg, len));
}

bool mk_csum6_ok(const struct in6_addr *src, const struct in6_addr *dst, uint8_t nh,
		 const uint8_t *msg, size_t len)
{
	return mk_csum6(src, dst, nh, msg, len) == 0;
}
