/* lib/wire/udp.c: UDP header codec. */
#include "udp.h"

#include "cksum.h"
#include "cursor.h"

struct mk_status mk_udp_parse(const uint8_t *buf, size_t len, struct mk_udp *out)
{
	struct mk_rd r;

	mk_rd_init(&r, buf, len);
	out->sport = mk_rd_u16(&r);
	out->dport = mk_rd_u16(&r);
	out->length = mk_rd_u16(&r);
	out->cksum = mk_rd_u16(&r);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	if (out->length < 8)
		return mk_fail(MK_E_UDP_LENGTH, 4);
	if (out->length > len)
		return mk_fail(MK_E_TRUNC, len);
	out->payload = buf + 8;
	out->payload_len = out->length - 8u;
	return mk_ok();
}

struct mk_status mk_udp_build(uint8_t *buf, size_t cap, const struct mk_udp *in, size_t *outlen)
{
	struct mk_wr w;

	*outlen = 0;
	if (in->payload_len > 65535 - 8)
		return mk_fail(MK_E_RANGE, 4);
	mk_wr_init(&w, buf, cap);
	mk_wr_u16(&w, in->sport);
	mk_wr_u16(&w, in->dport);
	mk_wr_u16(&w, (uint16_t)(8 + in->payload_len));
	mk_wr_u16(&w, 0);
	mk_wr_bytes(&w, in->payload, in->payload_len);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	*outlen = w.off;
	return mk_ok();
}

void mk_udp_cksum(uint8_t *buf, size_t len, const struct in6_addr *src, const struct in6_addr *dst)
{
	if (len < 8)
		return;
	mk_store16(buf + 6, 0);
	uint16_t c = mk_csum6(src, dst, IPPROTO_UDP, buf, len);
	mk_store16(buf + 6, c ? c : 0xffff);
}
