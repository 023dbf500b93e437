/* lib/wire/ip6ext.c: IPv6 header, extension-header chain, RH2, Home
 * Address option, IPv6-in-IPv6 and upper-layer checksums.  The layouts,
 * rules and error offsets are documented in ip6ext.h. */
#include "ip6ext.h"

#include <string.h>

#include "cksum.h"
#include "cursor.h"

/* RFC 6275 6.3 / 6.4: the HAO and RH2 addresses "MUST be a unicast
 * routable address"; we reject what is certainly not unicast. */
static bool addr_is_unicast(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_UNSPECIFIED(a);
}

/* ---- IPv6 header ---- */

struct mk_status mk_ip6_parse(const uint8_t *buf, size_t len, struct mk_ip6 *out)
{
	struct mk_rd r;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	const uint8_t *v = mk_rd_peek(&r, 1);
	if (v && (v[0] >> 4) != 6)
		return mk_fail(MK_E_IP6_VERSION, 0);
	uint32_t w = mk_rd_u32(&r);
	out->tclass = (uint8_t)(w >> 20);
	out->flow = w & 0xfffff;
	out->plen = mk_rd_u16(&r);
	out->nh = mk_rd_u8(&r);
	out->hlim = mk_rd_u8(&r);
	mk_rd_bytes(&r, &out->src, 16);
	mk_rd_bytes(&r, &out->dst, 16);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	if (out->plen > mk_rd_left(&r))
		return mk_fail(MK_E_IP6_PLEN, 4);
	return mk_ok();
}

struct mk_status mk_ip6_build(uint8_t *buf, size_t cap, const struct mk_ip6 *in, size_t *outlen)
{
	struct mk_wr w;

	*outlen = 0;
	if (in->flow > 0xfffff)
		return mk_fail(MK_E_RANGE, 1);
	mk_wr_init(&w, buf, cap);
	mk_wr_u32(&w, (uint32_t)6 << 28 | (uint32_t)in->tclass << 20 | in->flow);
	mk_wr_u16(&w, in->plen);
	mk_wr_u8(&w, in->nh);
	mk_wr_u8(&w, in->hlim);
	mk_wr_bytes(&w, &in->src, 16);
	mk_wr_bytes(&w, &in->dst, 16);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	*outlen = w.off;
	return mk_ok();
}

/* ---- Hop-by-Hop / Destination Options ---- */

/* The TLV walk of RFC 8200 4.2 with Linux's receive checks, and the Home
 * Address option rules when `dst` (a Destination Options header). */
static struct mk_status opthdr_parse(const uint8_t *buf, size_t len, bool dst,
				     struct mk_ip6_opthdr *out)
{
	struct mk_rd r;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	out->nh = mk_rd_u8(&r);
	uint8_t hel = mk_rd_u8(&r);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	out->len = ((size_t)hel + 1) * 8;
	if (out->len > len)
		return mk_fail(MK_E_IP6_EXT_OVERRUN, 1);

	/* walk only the header's own octets */
	mk_rd_init(&r, buf, out->len);
	mk_rd_skip(&r, 2);
	size_t pad = 0; /* octets in the current run of padding */
	while (mk_rd_left(&r) > 0) {
		size_t o = r.off;
		uint8_t t = mk_rd_u8(&r);

		if (t == MK_IP6OPT_PAD1) {
			if (++pad > MK_IP6_PAD_RUN_MAX)
				return mk_fail(MK_E_IP6_PAD_RUN, o);
			continue;
		}
		if (mk_rd_left(&r) == 0)
			return mk_fail(MK_E_IP6_OPT_OVERRUN, o);
		uint8_t ol = mk_rd_u8(&r);
		if (ol > mk_rd_left(&r))
			return mk_fail(MK_E_IP6_OPT_OVERRUN, o + 1);
		struct mk_rd d = mk_rd_sub(&r, ol);

		if (t == MK_IP6OPT_PADN) {
			pad += 2 + (size_t)ol;
			if (pad > MK_IP6_PAD_RUN_MAX)
				return mk_fail(MK_E_IP6_PAD_RUN, o);
			for (size_t i = 0; i < ol; i++)
				if (mk_rd_u8(&d) != 0)
					return mk_fail(MK_E_IP6_PADN_NONZERO, o + 2 + i);
			continue;
		}
		pad = 0;
		if (out->nopts < MK_IP6_MAX_OPTS) {
			out->opt[out->nopts].type = t;
			out->opt[out->nopts].len = ol;
			out->opt[out->nopts].off = o;
		}
		out->nopts++;
		if (!dst || t != MK_IP6OPT_HAO)
			continue;
		if (out->hao_off != 0)
			return mk_fail(MK_E_HAO_DUP, o);
		if (o % 8 != 6)
			return mk_fail(MK_E_HAO_ALIGN, o);
		if (ol != 16)
			return mk_fail(MK_E_HAO_LEN, o + 1);
		mk_rd_bytes(&d, &out->hoa, 16);
		if (!addr_is_unicast(&out->hoa))
			return mk_fail(MK_E_HAO_HOA, o + 2);
		out->hao_off = o;
	}
	return mk_ok();
}

struct mk_status mk_ip6_dstopt_parse(const uint8_t *buf, size_t len, struct mk_ip6_opthdr *out)
{
	return opthdr_parse(buf, len, true, out);
}

struct mk_status mk_ip6_hbh_parse(const uint8_t *buf, size_t len, struct mk_ip6_opthdr *out)
{
	return opthdr_parse(buf, len, false, out);
}

/* ---- Home Address option ---- */

struct mk_status mk_hao_build(uint8_t *buf, size_t cap, const struct mk_hao *in, size_t *outlen)
{
	struct mk_wr w;

	*outlen = 0;
	if (!addr_is_unicast(&in->hoa))
		return mk_fail(MK_E_HAO_HOA, 8);
	mk_wr_init(&w, buf, cap);
	mk_wr_u8(&w, in->nh);
	mk_wr_u8(&w, MK_HAO_HDR_LEN / 8 - 1);  /* HdrExtLen 2 */
	mk_wr_u8(&w, MK_IP6OPT_PADN);          /* PadN with 2 zero octets: */
	mk_wr_u8(&w, 2);                       /* brings the HAO to 8n+6 */
	mk_wr_zero(&w, 2);
	mk_wr_u8(&w, MK_IP6OPT_HAO);
	mk_wr_u8(&w, 16);
	mk_wr_bytes(&w, &in->hoa, 16);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	*outlen = w.off;
	return mk_ok();
}

struct mk_status mk_hao_parse(const uint8_t *buf, size_t len, struct mk_hao *out)
{
	struct mk_ip6_opthdr oh;

	memset(out, 0, sizeof *out);
	struct mk_status st = mk_ip6_dstopt_parse(buf, len, &oh);
	if (st.err != MK_E_OK)
		return st;
	if (oh.hao_off == 0)
		return mk_fail(MK_E_HAO_MISSING, 0);
	out->nh = oh.nh;
	out->hoa = oh.hoa;
	return mk_ok();
}

/* ---- type 2 routing header ---- */

static struct mk_status rh2_parse(const uint8_t *buf, size_t len, bool strict, struct mk_rh2 *out)
{
	struct mk_rd r;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	out->nh = mk_rd_u8(&r);
	uint8_t hel = mk_rd_u8(&r);
	uint8_t type = mk_rd_u8(&r);
	out->segleft = mk_rd_u8(&r);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	if (hel != MK_RH2_LEN / 8 - 1)
		return mk_fail(MK_E_RH2_HDRLEN, 1);
	if (type != MK_RH_TYPE2)
		return mk_fail(MK_E_RH2_TYPE, 2);
	if (out->segleft > 1 || (strict && out->segleft != 1))
		return mk_fail(MK_E_RH2_SEGLEFT, 3);
	if (len < MK_RH2_LEN)
		return mk_fail(MK_E_IP6_EXT_OVERRUN, 1);
	const uint8_t *res = mk_rd_ptr(&r, 4);
	out->reserved = mk_load32(res);
	if (strict && out->reserved != 0) {
		size_t i = 0;
		while (res[i] == 0)
			i++;
		return mk_fail(MK_E_RH2_RESERVED, 4 + i);
	}
	mk_rd_bytes(&r, &out->hoa, 16);
	if (!addr_is_unicast(&out->hoa))
		return mk_fail(MK_E_RH2_HOA, 8);
	return mk_ok();
}

struct mk_status mk_rh2_parse(const uint8_t *buf, size_t len, struct mk_rh2 *out)
{
	return rh2_parse(buf, len, false, out);
}

struct mk_status mk_rh2_parse_strict(const uint8_t *buf, size_t len, struct mk_rh2 *out)
{
	return rh2_parse(buf, len, true, out);
}

struct mk_status mk_rh2_build(uint8_t *buf, size_t cap, const struct mk_rh2 *in, size_t *outlen)
{
	struct mk_wr w;

	*outlen = 0;
	if (in->segleft > 1)
		return mk_fail(MK_E_RH2_SEGLEFT, 3);
	if (!addr_is_unicast(&in->hoa))
		return mk_fail(MK_E_RH2_HOA, 8);
	mk_wr_init(&w, buf, cap);
	mk_wr_u8(&w, in->nh);
	mk_wr_u8(&w, MK_RH2_LEN / 8 - 1);
	mk_wr_u8(&w, MK_RH_TYPE2);
	mk_wr_u8(&w, in->segleft);
	mk_wr_u32(&w, in->reserved);
	mk_wr_bytes(&w, &in->hoa, 16);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	*outlen = w.off;
	return mk_ok();
}

/* ---- Fragment header ---- */

struct mk_status mk_ip6_frag_parse(const uint8_t *buf, size_t len, struct mk_ip6_frag *out)
{
	struct mk_rd r;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	out->nh = mk_rd_u8(&r);
	mk_rd_skip(&r, 1); /* Reserved: ignored on reception */
	uint16_t w = mk_rd_u16(&r);
	out->id = mk_rd_u32(&r);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	out->off = w >> 3;
	out->more = (w & 1) != 0;
	return mk_ok();
}

struct mk_status mk_ip6_frag_build(uint8_t *buf, size_t cap, const struct mk_ip6_frag *in,
				   size_t *outlen)
{
	struct mk_wr w;

	*outlen = 0;
	if (in->off > 0x1fff)
		return mk_fail(MK_E_RANGE, 2);
	mk_wr_init(&w, buf, cap);
	mk_wr_u8(&w, in->nh);
	mk_wr_u8(&w, 0);
	mk_wr_u16(&w, (uint16_t)(in->off << 3 | (in->more ? 1 : 0)));
	mk_wr_u32(&w, in->id);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	*outlen = w.off;
	return mk_ok();
}

/* ---- the chain walker ---- */

static void chain_init(struct mk_ip6_chain *c)
{
	memset(c, 0, sizeof *c);
	c->rh = c->rh2 = c->hao = c->frag = -1;
	c->ulp = MK_NH_NONE;
}

static void chain_finish(struct mk_ip6_chain *c)
{
	if (c->hao < 0)
		c->hao_pos = MK_HAO_NONE;
	else if (c->rh < 0)
		c->hao_pos = MK_HAO_NO_RH;
	else
		c->hao_pos = MK_HAO_AFTER_RH;
	/* any routing header after the HAO's header puts it before one */
	for (unsigned i = c->hao >= 0 ? (unsigned)c->hao + 1 : c->n; i < c->n; i++)
		if (c->ext[i].type == MK_NH_ROUTING)
			c->hao_pos = MK_HAO_BEFORE_RH;
}

static bool is_ext(uint8_t nh)
{
	return nh == MK_NH_HOPOPTS || nh == MK_NH_ROUTING || nh == MK_NH_FRAGMENT ||
	       nh == MK_NH_DSTOPTS;
}

/* One Routing header at p (left octets to the end of the payload). */
static struct mk_status walk_routing(const uint8_t *p, size_t left, struct mk_ip6_chain *c,
				     struct mk_ip6_ext *e)
{
	struct mk_rd r;

	mk_rd_init(&r, p, left);
	e->nh = mk_rd_u8(&r);
	uint8_t hel = mk_rd_u8(&r);
	uint8_t type = mk_rd_u8(&r);
	(void)mk_rd_u8(&r); /* Segments Left: only RH2's is interpreted */
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	e->len = ((size_t)hel + 1) * 8;
	if (e->len > left)
		return mk_fail(MK_E_IP6_EXT_OVERRUN, 1);
	if (c->rh < 0)
		c->rh = (int)c->n;
	if (type != MK_RH_TYPE2)
		return mk_ok();
	if (c->rh2 >= 0)
		return mk_fail(MK_E_RH2_DUP, 2);
	struct mk_rh2 rh;
	struct mk_status st = mk_rh2_parse(p, e->len, &rh);
	if (st.err != MK_E_OK)
		return st;
	c->rh2 = (int)c->n;
	c->rh2_segleft = rh.segleft;
	c->rh2_hoa_off = e->off + 8;
	return mk_ok();
}

struct mk_status mk_ip6_chain_parse(const uint8_t *pkt, size_t len, struct mk_ip6 *h,
				    struct mk_ip6_chain *c)
{
	chain_init(c);
	struct mk_status st = mk_ip6_parse(pkt, len, h);
	if (st.err != MK_E_OK)
		return st;
	c->end = mk_ip6_end(h);

	size_t off = MK_IP6_HLEN;
	size_t nhoff = 6; /* the Next Header octet of the IPv6 header */
	uint8_t nh = h->nh;

	while (is_ext(nh)) {
		if (nh == MK_NH_HOPOPTS && nhoff != 6)
			return mk_fail(MK_E_IP6_HBH_NOT_FIRST, nhoff);
		if (c->n >= MK_IP6_MAX_EXT)
			return mk_fail(MK_E_IP6_CHAIN_LONG, off);

		const uint8_t *p = pkt + off;
		size_t left = c->end - off;
		struct mk_ip6_ext *e = &c->ext[c->n];
		memset(e, 0, sizeof *e);
		e->type = nh;
		e->off = off;

		if (nh == MK_NH_HOPOPTS || nh == MK_NH_DSTOPTS) {
			struct mk_ip6_opthdr oh;
			st = opthdr_parse(p, left, nh == MK_NH_DSTOPTS, &oh);
			if (st.err != MK_E_OK)
				return mk_status_shift(st, off);
			e->nh = oh.nh;
			e->len = oh.len;
			if (oh.hao_off != 0) {
				/* RFC 6275 6.3: at most once per IPv6 header */
				if (c->hao >= 0)
					return mk_fail(MK_E_HAO_DUP, off + oh.hao_off);
				c->hao = (int)c->n;
				c->hao_off = off + oh.hao_off;
			}
		} else if (nh == MK_NH_ROUTING) {
			st = walk_routing(p, left, c, e);
			if (st.err != MK_E_OK)
				return mk_status_shift(st, off);
		} else { /* MK_NH_FRAGMENT */
			struct mk_ip6_frag f;
			st = mk_ip6_frag_parse(p, left, &f);
			if (st.err != MK_E_OK)
				return mk_status_shift(st, off);
			e->nh = f.nh;
			e->len = MK_IP6_FRAG_LEN;
			c->frag = (int)c->n;
			c->frag_off = f.off;
			c->frag_more = f.more;
			c->frag_id = f.id;
			if (f.off != 0) {
				/* non-first fragment: what follows is fragment data */
				c->n++;
				c->flags |= MK_IP6C_FRAG_TAIL;
				c->ulp = MK_NH_NONE;
				c->ulp_nh_off = off;
				c->ulp_off = off + MK_IP6_FRAG_LEN;
				c->ulp_len = c->end - c->ulp_off;
				chain_finish(c);
				return mk_ok();
			}
			if (f.more)
				c->flags |= MK_IP6C_FRAG_HEAD;
		}
		c->n++;
		nhoff = off;
		off += e->len;
		nh = e->nh;
	}
	c->ulp = nh;
	c->ulp_nh_off = nhoff;
	c->ulp_off = off;
	c->ulp_len = c->end - off;
	if (nh == MK_NH_ESP || nh == MK_NH_AH)
		c->flags |= MK_IP6C_OPAQUE;
	chain_finish(c);
	return mk_ok();
}

/* Rank of a header in the RFC 8200 4.1 order, with the RFC 6275 6.3 slot
 * for the Destination Options header that carries the HAO. */
static int ext_rank(const struct mk_ip6_chain *c, unsigned i)
{
	switch (c->ext[i].type) {
	case MK_NH_HOPOPTS:
		return 0;
	case MK_NH_ROUTING:
		return 4;
	case MK_NH_FRAGMENT:
		return 6;
	default: /* MK_NH_DSTOPTS */
		if ((int)i == c->hao)
			return 5;
		for (unsigned j = i + 1; j < c->n; j++)
			if (c->ext[j].type == MK_NH_ROUTING)
				return 2; /* options for the routing header's hops */
		return 12;        /* options for the final destination */
	}
}

struct mk_status mk_ip6_chain_strict(const uint8_t *pkt, const struct mk_ip6_chain *c)
{
	if (c->rh2 >= 0) {
		const struct mk_ip6_ext *e = &c->ext[c->rh2];
		struct mk_rh2 rh;
		struct mk_status st = mk_rh2_parse_strict(pkt + e->off, e->len, &rh);
		if (st.err != MK_E_OK)
			return mk_status_shift(st, e->off);
	}
	if (c->hao >= 0 && (c->hao_pos == MK_HAO_BEFORE_RH || (c->frag >= 0 && c->frag < c->hao)))
		return mk_fail(MK_E_HAO_ORDER, c->hao_off);

	int last = -1;
	for (unsigned i = 0; i < c->n; i++) {
		int rk = ext_rank(c, i);
		/* RFC 6275 6.4: an RH2 may follow another routing header */
		bool nested_rh2 = rk == 4 && last == 4 && (int)i == c->rh2;
		if (rk < last || (rk == last && !nested_rh2))
			return mk_fail(MK_E_IP6_EXT_ORDER, c->ext[i].off);
		last = rk;
	}
	if (c->flags & MK_IP6C_OPAQUE) {
		int rk = c->ulp == MK_NH_AH ? 8 : 10;
		if (rk <= last)
			return mk_fail(MK_E_IP6_EXT_ORDER, c->ulp_off);
	}
	return mk_ok();
}

/* ---- checksums ---- */

int mk_ip6_cksum_field(uint8_t proto)
{
	switch (proto) {
	case MK_NH_MH:
		return 4;  /* RFC 6275 6.1.1 */
	case MK_NH_ICMPV6:
		return 2;  /* RFC 4443 2.1 */
	case MK_NH_TCP:
		return 16; /* RFC 9293 3.1 */
	case MK_NH_UDP:
		return 6;  /* RFC 768 */
	default:
		return -1;
	}
}

void mk_ip6_pseudo_addrs(const struct mk_ip6 *h, const struct mk_ip6_chain *c,
			 const uint8_t *pkt, struct in6_addr *src, struct in6_addr *dst)
{
	*src = h->src;
	*dst = h->dst;
	if (c->hao >= 0)
		memcpy(src, pkt + c->hao_off + 2, 16);
	if (c->rh2 >= 0 && c->rh2_segleft == 1)
		memcpy(dst, pkt + c->rh2_hoa_off, 16);
}

uint16_t mk_ip6_ulp_cksum(const uint8_t *pkt, const struct mk_ip6 *h,
			  const struct mk_ip6_chain *c)
{
	struct in6_addr s, d;

	mk_ip6_pseudo_addrs(h, c, pkt, &s, &d);
	return mk_csum6(&s, &d, c->ulp, pkt + c->ulp_off, c->ulp_len);
}

/* Parse and find the checksum field of the upper layer. */
static struct mk_status cksum_locate(const uint8_t *buf, size_t len, struct mk_ip6 *h,
				     struct mk_ip6_chain *c, size_t *field)
{
	struct mk_status st = mk_ip6_chain_parse(buf, len, h, c);
	if (st.err != MK_E_OK)
		return st;
	if (c->frag >= 0 && (c->frag_off != 0 || c->frag_more))
		return mk_fail(MK_E_IP6_FRAGMENT, c->ext[c->frag].off + 2);
	int fo = mk_ip6_cksum_field(c->ulp);
	if (fo < 0)
		return mk_fail(MK_E_IP6_NO_CKSUM, c->ulp_nh_off);
	if (c->ulp_len < (size_t)fo + 2) {
		/* the field, or the end of the payload if it starts past it */
		size_t at = c->ulp_off + (size_t)fo;
		return mk_fail(MK_E_TRUNC, at < c->end ? at : c->end);
	}
	*field = c->ulp_off + (size_t)fo;
	return mk_ok();
}

struct mk_status mk_pkt_fix_cksum(uint8_t *buf, size_t len)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	size_t field;

	struct mk_status st = cksum_locate(buf, len, &h, &c, &field);
	if (st.err != MK_E_OK)
		return st;
	mk_store16(buf + field, 0);
	uint16_t sum = mk_ip6_ulp_cksum(buf, &h, &c);
	if (sum == 0 && c.ulp == MK_NH_UDP)
		sum = 0xffff; /* RFC 8200 8.1 */
	mk_store16(buf + field, sum);
	return mk_ok();
}

bool mk_pkt_check_cksum(const uint8_t *buf, size_t len, struct mk_status *st)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	size_t field;
	struct mk_status s = cksum_locate(buf, len, &h, &c, &field);

	if (s.err == MK_E_OK) {
		if (c.ulp == MK_NH_UDP && mk_load16(buf + field) == 0)
			s = mk_fail(MK_E_IP6_UDP_ZERO_CKSUM, field);
		else if (mk_ip6_ulp_cksum(buf, &h, &c) != 0)
			s = mk_fail(MK_E_BAD_CKSUM, field);
	}
	if (st)
		*st = s;
	return s.err == MK_E_OK;
}

/* ---- assembly ---- */

struct mk_status mk_pkt_build(uint8_t *buf, size_t cap, const struct mk_pkt *in, size_t *outlen)
{
	size_t parts[4] = { MK_IP6_HLEN, in->has_rh2 ? MK_RH2_LEN : 0,
			    in->has_hao ? MK_HAO_HDR_LEN : 0, in->payload_len };
	size_t ext = parts[1] + parts[2];

	*outlen = 0;
	if (in->ip.flow > 0xfffff)
		return mk_fail(MK_E_RANGE, 1);
	if (in->payload_len > MK_IP6_MAX_PLEN - ext)
		return mk_fail(MK_E_RANGE, 4);
	if (in->has_rh2 && !addr_is_unicast(&in->rh2_hoa))
		return mk_fail(MK_E_RH2_HOA, MK_IP6_HLEN + 8);
	if (in->has_hao && !addr_is_unicast(&in->hao))
		return mk_fail(MK_E_HAO_HOA, MK_IP6_HLEN + parts[1] + 8);
	size_t at = 0;
	for (size_t i = 0; i < 4; i++) {
		if (parts[i] > cap - at)
			return mk_fail(MK_E_NOSPACE, at);
		at += parts[i];
	}

	/* the payload first: it may sit inside buf, where the headers go */
	if (in->payload_len)
		memmove(buf + MK_IP6_HLEN + ext, in->payload, in->payload_len);

	struct mk_ip6 ip = in->ip;
	struct mk_rh2 rh = { .nh = in->has_hao ? MK_NH_DSTOPTS : in->ulp, .segleft = 1,
			     .reserved = 0, .hoa = in->rh2_hoa };
	struct mk_hao hao = { .nh = in->ulp, .hoa = in->hao };
	size_t n;

	ip.plen = (uint16_t)(ext + in->payload_len);
	ip.nh = in->has_rh2 ? MK_NH_ROUTING : in->has_hao ? MK_NH_DSTOPTS : in->ulp;
	/* every part was validated and fits: these cannot fail */
	(void)mk_ip6_build(buf, MK_IP6_HLEN, &ip, &n);
	at = MK_IP6_HLEN;
	if (in->has_rh2) {
		(void)mk_rh2_build(buf + at, MK_RH2_LEN, &rh, &n);
		at += MK_RH2_LEN;
	}
	if (in->has_hao)
		(void)mk_hao_build(buf + at, MK_HAO_HDR_LEN, &hao, &n);
	*outlen = MK_IP6_HLEN + ext + in->payload_len;
	return mk_ok();
}

/* ---- IPv6-in-IPv6 ---- */

struct mk_status mk_ip6_encap(uint8_t *buf, size_t cap, const struct mk_ip6 *outer,
			      const uint8_t *inner, size_t inner_len, size_t *outlen)
{
	struct mk_ip6 ih;
	size_t n;

	*outlen = 0;
	if (outer->flow > 0xfffff)
		return mk_fail(MK_E_RANGE, 1);
	if (inner_len > MK_IP6_MAX_PLEN)
		return mk_fail(MK_E_RANGE, 4);
	struct mk_status st = mk_ip6_parse(inner, inner_len, &ih);
	if (st.err != MK_E_OK)
		return mk_status_shift(st, MK_IP6_HLEN);
	if (cap < MK_IP6_HLEN)
		return mk_fail(MK_E_NOSPACE, 0);
	if (inner_len > cap - MK_IP6_HLEN)
		return mk_fail(MK_E_NOSPACE, MK_IP6_HLEN);

	memmove(buf + MK_IP6_HLEN, inner, inner_len);
	struct mk_ip6 oh = *outer;
	oh.nh = MK_NH_IPV6;
	oh.plen = (uint16_t)inner_len;
	(void)mk_ip6_build(buf, MK_IP6_HLEN, &oh, &n);
	*outlen = MK_IP6_HLEN + inner_len;
	return mk_ok();
}

struct mk_status mk_ip6_decap(const uint8_t *pkt, size_t len, struct mk_ip6 *outer,
			      struct mk_ip6_chain *oc, size_t *inner_off, size_t *inner_len)
{
	struct mk_ip6 h_, ih;
	struct mk_ip6_chain c_;
	struct mk_ip6 *h = outer ? outer : &h_;
	struct mk_ip6_chain *c = oc ? oc : &c_;

	*inner_off = 0;
	*inner_len = 0;
	struct mk_status st = mk_ip6_chain_parse(pkt, len, h, c);
	if (st.err != MK_E_OK)
		return st;
	if (c->frag >= 0 && (c->frag_off != 0 || c->frag_more))
		return mk_fail(MK_E_IP6_FRAGMENT, c->ext[c->frag].off + 2);
	if (c->ulp != MK_NH_IPV6)
		return mk_fail(MK_E_IP6_NOT_TUNNEL, c->ulp_nh_off);
	st = mk_ip6_parse(pkt + c->ulp_off, c->ulp_len, &ih);
	if (st.err != MK_E_OK)
		return mk_status_shift(st, c->ulp_off);
	*inner_off = c->ulp_off;
	*inner_len = c->ulp_len;
	return mk_ok();
}

/* ---- name tables ---- */

const char *mk_ip6_nh_name(uint8_t nh)
{
	/* IANA "Assigned Internet Protocol Numbers" keywords */
	switch (nh) {
	case 0: return "HOPOPT";          /* RFC 8200 */
	case 1: return "ICMP";            /* RFC 792 */
	case 4: return "IPv4";            /* RFC 2003 */
	case 6: return "TCP";             /* RFC 9293 */
	case 17: return "UDP";            /* RFC 768 */
	case 41: return "IPv6";           /* RFC 2473 */
	case 43: return "IPv6-Route";     /* RFC 8200 */
	case 44: return "IPv6-Frag";      /* RFC 8200 */
	case 47: return "GRE";            /* RFC 2784 */
	case 50: return "ESP";            /* RFC 4303 */
	case 51: return "AH";             /* RFC 4302 */
	case 58: return "IPv6-ICMP";      /* RFC 4443 */
	case 59: return "IPv6-NoNxt";     /* RFC 8200 */
	case 60: return "IPv6-Opts";      /* RFC 8200 */
	case 132: return "SCTP";          /* RFC 9260 */
	case 135: return "Mobility Header"; /* RFC 6275 */
	case 136: return "UDPLite";       /* RFC 3828 */
	case 139: return "HIP";           /* RFC 7401 */
	case 140: return "Shim6";         /* RFC 5533 */
	case 253: return "experiment-253"; /* RFC 3692 */
	case 254: return "experiment-254"; /* RFC 3692 */
	default: return NULL;
	}
}

const char *mk_ip6_rh_type_name(uint8_t type)
{
	/* IANA ipv6-parameters "Routing Types" */
	switch (type) {
	case 0: return "source-route (deprecated)"; /* RFC 5095 */
	case 1: return "nimrod (deprecated)";
	case 2: return "type-2";                    /* RFC 6275 */
	case 3: return "rpl-source-route";          /* RFC 6554 */
	case 4: return "segment-routing";           /* RFC 8754 */
	case 5: return "crh-16";                    /* RFC 9631 */
	case 6: return "crh-32";                    /* RFC 9631 */
	case 253: return "experiment-253";          /* RFC 4727 */
	case 254: return "experiment-254";          /* RFC 4727 */
	default: return NULL;
	}
}

const char *mk_ip6_opt_name(uint8_t type)
{
	/* IANA ipv6-parameters "Destination Options and Hop-by-Hop Options";
	 * values cross-checked with Wireshark packet-ipv6.c IP6OPT_* */
	switch (type) {
	case 0x00: return "Pad1";                   /* RFC 8200 */
	case 0x01: return "PadN";                   /* RFC 8200 */
	case 0x04: return "Tunnel Encapsulation Limit"; /* RFC 2473 */
	case 0x05: return "Router Alert";           /* RFC 2711 */
	case 0x07: return "CALIPSO";                /* RFC 5570 */
	case 0x08: return "SMF_DPD";                /* RFC 6621 */
	case 0x0f: return "PDM";                    /* RFC 8250 */
	case 0x26: return "Quick-Start";            /* RFC 4782 */
	case 0x30: return "Path MTU";               /* RFC 9268 */
	case 0x31: return "IOAM";                   /* RFC 9486 */
	case 0x63: return "RPL Option";             /* RFC 6553 */
	case 0x6d: return "MPL Option";             /* RFC 7731 */
	case 0x8a: return "Endpoint Identification (deprecated)";
	case 0x8b: return "ILNP Nonce";             /* RFC 6744 */
	case 0x8c: return "Line-Identification";    /* RFC 6788 */
	case 0xc2: return "Jumbo Payload";          /* RFC 2675 */
	case 0xc9: return "Home Address";           /* RFC 6275 */
	case 0xee: return "IP_DFF";                 /* RFC 6971 */
	case 0x1e: case 0x3e: case 0x5e: case 0x7e:
	case 0x9e: case 0xbe: case 0xde: case 0xfe:
		return "experiment";                /* RFC 4727 */
	default: return NULL;
	}
}

const char *mk_ip6_opt_action_name(enum mk_ip6_opt_action a)
{
	/* RFC 8200 4.2 */
	switch (a) {
	case MK_OPT_SKIP: return "skip";
	case MK_OPT_DISCARD: return "discard";
	case MK_OPT_DISCARD_ICMP: return "discard+icmp";
	case MK_OPT_DISCARD_ICMP_UC: return "discard+icmp-unless-multicast";
	default: return NULL;
	}
}

const char *mk_ip6_hao_pos_name(enum mk_hao_pos p)
{
	switch (p) {
	case MK_HAO_NONE: return "no-hao";
	case MK_HAO_NO_RH: return "no-rh";
	case MK_HAO_AFTER_RH: return "after-rh";
	case MK_HAO_BEFORE_RH: return "before-rh";
	default: return NULL;
	}
}

bool mk_ip6_ulp_cksum_partial(const uint8_t *pkt, const struct mk_ip6 *h,
			      const struct mk_ip6_chain *c)
{
	struct in6_addr s, d;
	int field = mk_ip6_cksum_field(c->ulp);

	if (field < 0 || c->ulp_len < (size_t)field + 2)
		return false;
	mk_ip6_pseudo_addrs(h, c, pkt, &s, &d);
	uint32_t sum = mk_csum_pseudo6(&s, &d, (uint32_t)c->ulp_len, c->ulp);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	const uint8_t *f = pkt + c->ulp_off + (size_t)field;
	return (uint16_t)(f[0] << 8 | f[1]) == (uint16_t)sum;
}

struct mk_status mk_pkt_assemble(uint8_t *buf, size_t cap, const struct in6_addr *src,
				 const struct in6_addr *dst, const struct in6_addr *hao,
				 const struct in6_addr *rh2, uint8_t ulp, const uint8_t *payload,
				 size_t plen, size_t *outlen)
{
	struct mk_pkt p;
	struct mk_status st;

	memset(&p, 0, sizeof p);
	p.ip.hlim = 64;
	p.ip.src = *src;
	p.ip.dst = *dst;
	p.ulp = ulp;
	p.payload = payload;
	p.payload_len = plen;
	if (hao) {
		p.has_hao = true;
		p.hao = *hao;
	}
	if (rh2) {
		p.has_rh2 = true;
		p.rh2_hoa = *rh2;
	}
	st = mk_pkt_build(buf, cap, &p, outlen);
	return st.err == MK_E_OK ? mk_pkt_fix_cksum(buf, *outlen) : st;
}
