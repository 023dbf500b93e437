/* lib/wire/icmp6.c: ICMPv6 codec.  Layouts and choices are in icmp6.h. */
#include "icmp6.h"

#include <string.h>

#include "cksum.h"
#include "cursor.h"

/* ---- kinds and types ---- */

enum mk_icmp6_kind mk_icmp6_kind_of(const struct mk_codepoints *cp, uint8_t type)
{
	/* The HA Unreachable type in force wins, even over an IANA type
	 * (the paper profile puts it on 154, FMIPv6). */
	if (type == mk_cp(cp, MK_CP_ICMP6_HA_UNREACH))
		return MK_ICMP6_K_HA_UNREACH;
	switch (type) {
	case MK_ICMP6_DST_UNREACH:
		return MK_ICMP6_K_DST_UNREACH;
	case MK_ICMP6_PKT_TOO_BIG:
		return MK_ICMP6_K_PKT_TOO_BIG;
	case MK_ICMP6_TIME_EXCEEDED:
		return MK_ICMP6_K_TIME_EXCEEDED;
	case MK_ICMP6_PARAM_PROB:
		return MK_ICMP6_K_PARAM_PROB;
	case MK_ICMP6_ECHO_REQUEST:
		return MK_ICMP6_K_ECHO_REQUEST;
	case MK_ICMP6_ECHO_REPLY:
		return MK_ICMP6_K_ECHO_REPLY;
	case MK_ICMP6_ROUTER_ADV:
		return MK_ICMP6_K_RA;
	case MK_ICMP6_DHAAD_REQUEST:
		return MK_ICMP6_K_DHAAD_REQUEST;
	case MK_ICMP6_DHAAD_REPLY:
		return MK_ICMP6_K_DHAAD_REPLY;
	case MK_ICMP6_MPS:
		return MK_ICMP6_K_MPS;
	case MK_ICMP6_MPA:
		return MK_ICMP6_K_MPA;
	default:
		return MK_ICMP6_K_OTHER;
	}
}

int mk_icmp6_type_of(const struct mk_codepoints *cp, enum mk_icmp6_kind kind)
{
	switch (kind) {
	case MK_ICMP6_K_DST_UNREACH:
		return MK_ICMP6_DST_UNREACH;
	case MK_ICMP6_K_PKT_TOO_BIG:
		return MK_ICMP6_PKT_TOO_BIG;
	case MK_ICMP6_K_TIME_EXCEEDED:
		return MK_ICMP6_TIME_EXCEEDED;
	case MK_ICMP6_K_PARAM_PROB:
		return MK_ICMP6_PARAM_PROB;
	case MK_ICMP6_K_ECHO_REQUEST:
		return MK_ICMP6_ECHO_REQUEST;
	case MK_ICMP6_K_ECHO_REPLY:
		return MK_ICMP6_ECHO_REPLY;
	case MK_ICMP6_K_RA:
		return MK_ICMP6_ROUTER_ADV;
	case MK_ICMP6_K_DHAAD_REQUEST:
		return MK_ICMP6_DHAAD_REQUEST;
	case MK_ICMP6_K_DHAAD_REPLY:
		return MK_ICMP6_DHAAD_REPLY;
	case MK_ICMP6_K_MPS:
		return MK_ICMP6_MPS;
	case MK_ICMP6_K_MPA:
		return MK_ICMP6_MPA;
	case MK_ICMP6_K_HA_UNREACH:
		return (int)(mk_cp(cp, MK_CP_ICMP6_HA_UNREACH) & 0xff);
	case MK_ICMP6_K_OTHER:
	case MK_ICMP6_K__COUNT:
		break;
	}
	return -1;
}

/* Kinds whose RFC gives Code 0 with no "ignored on receipt". */
static bool code_must_be_zero(enum mk_icmp6_kind k)
{
	switch (k) {
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
	case MK_ICMP6_K_RA:               /* RFC 4861 6.1.2 */
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		return true;
	default:
		return false;
	}
}

/* Bits of the Identifier/Reserved word's second half that are reserved. */
static uint16_t ident_reserved_mask(enum mk_icmp6_kind k)
{
	switch (k) {
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
		return (uint16_t)~MK_ICMP6_DHAAD_R;
	case MK_ICMP6_K_MPA:
		return (uint16_t)~(MK_ICMP6_MPA_M | MK_ICMP6_MPA_O);
	default:
		return 0xffff;
	}
}

static void warn(struct mk_icmp6 *m, enum mk_icmp6_warn w, size_t off)
{
	if (!(m->warn & (1u << w))) {
		m->warn |= 1u << w;
		m->warn_off[w] = off;
	}
}

/* ---- parse ---- */

static bool opt_len_ok(uint8_t type, uint8_t len)
{
	switch (type) {
	case MK_ND_OPT_PREFIX:
		return len == 4;
	case MK_ND_OPT_MTU:
	case MK_ND_OPT_ADVINT:
	case MK_ND_OPT_HAINFO:
		return len == 1;
	default:
		return true;
	}
}

/* Decode a known option's fields from its data (o = offset of its Type
 * octet; the data start at o + 2). */
static struct mk_status decode_opt(struct mk_icmp6 *m, struct mk_nd_opt *op, bool in_ra)
{
	struct mk_rd d;
	size_t o = op->off;

	mk_rd_init(&d, op->data, op->data_len);
	d.base = o + 2;
	switch (op->type) {
	case MK_ND_OPT_PREFIX: {
		struct mk_nd_prefix *pi = &op->u.pi;
		pi->prefix_len = mk_rd_u8(&d);
		if (pi->prefix_len > 128)
			return mk_fail(MK_E_ICMP6_PREFIX_LEN, o + 2);
		pi->flags = mk_rd_u8(&d);
		pi->valid = mk_rd_u32(&d);
		pi->preferred = mk_rd_u32(&d);
		pi->reserved2 = mk_rd_u32(&d);
		mk_rd_bytes(&d, pi->prefix.s6_addr, 16);
		if (pi->preferred > pi->valid)
			warn(m, MK_ICMP6_W_PREFERRED_GT_VALID, o + 8);
		if (pi->reserved2 != 0)
			warn(m, MK_ICMP6_W_OPT_RESERVED, o + 12);
		break;
	}
	case MK_ND_OPT_MTU:
		op->u.mtu.reserved = mk_rd_u16(&d);
		op->u.mtu.mtu = mk_rd_u32(&d);
		if (op->u.mtu.reserved != 0)
			warn(m, MK_ICMP6_W_OPT_RESERVED, o + 2);
		break;
	case MK_ND_OPT_ADVINT:
		op->u.advint.reserved = mk_rd_u16(&d);
		op->u.advint.interval_ms = mk_rd_u32(&d);
		if (op->u.advint.reserved != 0)
			warn(m, MK_ICMP6_W_OPT_RESERVED, o + 2);
		break;
	case MK_ND_OPT_HAINFO:
		op->u.hai.reserved = mk_rd_u16(&d);
		op->u.hai.pref = mk_rd_u16(&d);
		op->u.hai.lifetime = mk_rd_u16(&d);
		if (in_ra) {
			/* RFC 6275 7.4: MUST NOT be in an RA without H; the
			 * lifetime 0 MUST NOT be used.  Elsewhere the option
			 * is ignored, so it is not judged. */
			if (!(m->u.ra.flags & MK_ICMP6_RA_H))
				return mk_fail(MK_E_ICMP6_HAI_NO_H, o);
			if (op->u.hai.lifetime == 0)
				return mk_fail(MK_E_ICMP6_HAI_LIFETIME0, o + 6);
			if (op->u.hai.pref == 0 &&
			    op->u.hai.lifetime == m->u.ra.router_lifetime)
				warn(m, MK_ICMP6_W_HAI_DEFAULTS, o);
		}
		if (op->u.hai.reserved & (uint16_t)~MK_ND_HAI_R)
			warn(m, MK_ICMP6_W_OPT_RESERVED, o + 2);
		break;
	default:
		break;
	}
	return mk_rd_status(&d);
}

/* The ND option walk (RFC 4861 4.6) over the rest of the message. */
static struct mk_status parse_ndopts(struct mk_rd *r, struct mk_icmp6 *m, bool in_ra)
{
	while (mk_rd_left(r) > 0) {
		size_t o = r->off;

		if (m->n_opts == MK_ICMP6_MAX_NDOPTS)
			return mk_fail(MK_E_TOO_MANY, o);
		struct mk_nd_opt *op = &m->opts[m->n_opts];
		op->off = o;
		op->type = mk_rd_u8(r);
		op->len = mk_rd_u8(r);
		if (!mk_rd_ok(r))
			return mk_rd_status(r);
		if (op->len == 0)
			return mk_fail(MK_E_ICMP6_NDOPT_LEN0, o + 1);
		if ((size_t)op->len * 8 - 2 > mk_rd_left(r))
			return mk_fail(MK_E_ICMP6_NDOPT_OVERRUN, o + 1);
		if (!opt_len_ok(op->type, op->len))
			return mk_fail(MK_E_ICMP6_NDOPT_BADLEN, o + 1);
		op->data_len = (size_t)op->len * 8 - 2;
		op->data = mk_rd_ptr(r, op->data_len);
		m->n_opts++;
		struct mk_status st = decode_opt(m, op, in_ra);
		if (st.err != MK_E_OK)
			return st;
	}
	return mk_rd_status(r);
}

static struct mk_status parse_addrs(struct mk_rd *r, struct mk_icmp6 *m)
{
	while (mk_rd_left(r) > 0) {
		if (m->n_addrs == MK_ICMP6_MAX_ADDRS)
			return mk_fail(MK_E_TOO_MANY, r->off);
		if (mk_rd_left(r) < 16)
			return mk_fail(MK_E_ICMP6_ADDR_LIST_LEN, r->off);
		mk_rd_bytes(r, m->addrs[m->n_addrs].s6_addr, 16);
		m->n_addrs++;
	}
	return mk_rd_status(r);
}

static bool has_router_addr(const struct mk_icmp6 *m)
{
	for (size_t i = 0; i < m->n_opts; i++)
		if (m->opts[i].type == MK_ND_OPT_PREFIX && (m->opts[i].u.pi.flags & MK_ND_PI_R))
			return true;
	return false;
}

static bool has_prefix(const struct mk_icmp6 *m)
{
	for (size_t i = 0; i < m->n_opts; i++)
		if (m->opts[i].type == MK_ND_OPT_PREFIX)
			return true;
	return false;
}

struct mk_status mk_icmp6_parse(const uint8_t *buf, size_t len,
				const struct mk_codepoints *cp, struct mk_icmp6 *out)
{
	struct mk_rd r;
	struct mk_status st;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	out->type = mk_rd_u8(&r);
	out->code = mk_rd_u8(&r);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	out->kind = mk_icmp6_kind_of(cp, out->type);
	if (code_must_be_zero(out->kind) && out->code != 0)
		return mk_fail(MK_E_ICMP6_CODE, 1);
	out->cksum = mk_rd_u16(&r);

	switch (out->kind) {
	case MK_ICMP6_K_DST_UNREACH:
	case MK_ICMP6_K_TIME_EXCEEDED:
	case MK_ICMP6_K_PKT_TOO_BIG:
	case MK_ICMP6_K_PARAM_PROB:
		out->u.err.word = mk_rd_u32(&r);
		out->u.err.invoking_len = mk_rd_left(&r);
		out->u.err.invoking = mk_rd_ptr(&r, out->u.err.invoking_len);
		if (!mk_rd_ok(&r))
			return mk_rd_status(&r);
		/* RFC 4884 puts a length in octet 4 of DU and TE: only
		 * octets 5-7 are always unused. */
		if ((out->kind == MK_ICMP6_K_DST_UNREACH || out->kind == MK_ICMP6_K_TIME_EXCEEDED) &&
		    (out->u.err.word & 0x00ffffffu))
			warn(out, MK_ICMP6_W_RESERVED, 5);
		/* RFC 4443 3.2: Code set to 0, ignored by the receiver. */
		if (out->kind == MK_ICMP6_K_PKT_TOO_BIG && out->code != 0)
			warn(out, MK_ICMP6_W_CODE, 1);
		return mk_ok();

	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		out->u.echo.id = mk_rd_u16(&r);
		out->u.echo.seq = mk_rd_u16(&r);
		out->u.echo.data_len = mk_rd_left(&r);
		out->u.echo.data = mk_rd_ptr(&r, out->u.echo.data_len);
		return mk_rd_status(&r);

	case MK_ICMP6_K_RA:
		out->u.ra.cur_hop_limit = mk_rd_u8(&r);
		out->u.ra.flags = mk_rd_u8(&r);
		out->u.ra.router_lifetime = mk_rd_u16(&r);
		out->u.ra.reachable_ms = mk_rd_u32(&r);
		out->u.ra.retrans_ms = mk_rd_u32(&r);
		if (!mk_rd_ok(&r))
			return mk_rd_status(&r);
		st = parse_ndopts(&r, out, true);
		if (st.err != MK_E_OK)
			return st;
		if ((out->u.ra.flags & MK_ICMP6_RA_H) && !has_router_addr(out))
			warn(out, MK_ICMP6_W_HA_NO_ROUTER_ADDR, 5);
		return mk_ok();

	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		out->u.ident.id = mk_rd_u16(&r);
		out->u.ident.reserved = mk_rd_u16(&r);
		if (!mk_rd_ok(&r))
			return mk_rd_status(&r);
		if (out->u.ident.reserved & ident_reserved_mask(out->kind))
			warn(out, MK_ICMP6_W_RESERVED, 6);
		if (out->kind == MK_ICMP6_K_DHAAD_REQUEST) {
			if (mk_rd_left(&r) > 0)
				return mk_fail(MK_E_TRAILING, r.off);
			return mk_ok();
		}
		if (out->kind == MK_ICMP6_K_MPS || out->kind == MK_ICMP6_K_MPA) {
			st = parse_ndopts(&r, out, false);
			if (st.err != MK_E_OK)
				return st;
			if (out->kind == MK_ICMP6_K_MPA && !has_prefix(out))
				warn(out, MK_ICMP6_W_MPA_NO_PREFIX, 8);
			return mk_ok();
		}
		st = parse_addrs(&r, out);
		if (st.err != MK_E_OK)
			return st;
		if (out->kind == MK_ICMP6_K_HA_UNREACH && out->n_addrs == 0)
			return mk_fail(MK_E_ICMP6_HAU_EMPTY, 8);
		return mk_ok();

	case MK_ICMP6_K_OTHER:
	case MK_ICMP6_K__COUNT:
		break;
	}
	out->kind = MK_ICMP6_K_OTHER;
	out->u.other.body_len = mk_rd_left(&r);
	out->u.other.body = mk_rd_ptr(&r, out->u.other.body_len);
	return mk_rd_status(&r);
}

/* ---- build ---- */

static struct mk_status build_opt(struct mk_wr *w, const struct mk_icmp6 *in,
				  const struct mk_nd_opt *op, bool in_ra)
{
	size_t o = w->off;

	switch (op->type) {
	case MK_ND_OPT_PREFIX: {
		const struct mk_nd_prefix *pi = &op->u.pi;
		if (pi->prefix_len > 128)
			return mk_fail(MK_E_ICMP6_PREFIX_LEN, o + 2);
		mk_wr_u8(w, op->type);
		mk_wr_u8(w, 4);
		mk_wr_u8(w, pi->prefix_len);
		mk_wr_u8(w, pi->flags);
		mk_wr_u32(w, pi->valid);
		mk_wr_u32(w, pi->preferred);
		mk_wr_u32(w, pi->reserved2);
		mk_wr_bytes(w, pi->prefix.s6_addr, 16);
		break;
	}
	case MK_ND_OPT_MTU:
		mk_wr_u8(w, op->type);
		mk_wr_u8(w, 1);
		mk_wr_u16(w, op->u.mtu.reserved);
		mk_wr_u32(w, op->u.mtu.mtu);
		break;
	case MK_ND_OPT_ADVINT:
		mk_wr_u8(w, op->type);
		mk_wr_u8(w, 1);
		mk_wr_u16(w, op->u.advint.reserved);
		mk_wr_u32(w, op->u.advint.interval_ms);
		break;
	case MK_ND_OPT_HAINFO:
		if (in_ra && !(in->u.ra.flags & MK_ICMP6_RA_H))
			return mk_fail(MK_E_ICMP6_HAI_NO_H, o);
		if (in_ra && op->u.hai.lifetime == 0)
			return mk_fail(MK_E_ICMP6_HAI_LIFETIME0, o + 6);
		mk_wr_u8(w, op->type);
		mk_wr_u8(w, 1);
		mk_wr_u16(w, op->u.hai.reserved);
		mk_wr_u16(w, op->u.hai.pref);
		mk_wr_u16(w, op->u.hai.lifetime);
		break;
	default: {
		/* Raw contents, zero-padded to a multiple of 8 octets. */
		size_t total = (2 + op->data_len + 7) / 8 * 8;
		if (op->data_len > 0 && op->data == NULL)
			return mk_fail(MK_E_INVAL, o + 2);
		if (total / 8 > 255)
			return mk_fail(MK_E_RANGE, o + 1);
		mk_wr_u8(w, op->type);
		mk_wr_u8(w, (uint8_t)(total / 8));
		mk_wr_bytes(w, op->data, op->data_len);
		mk_wr_zero(w, total - 2 - op->data_len);
		break;
	}
	}
	return mk_wr_status(w);
}

static struct mk_status build_opts(struct mk_wr *w, const struct mk_icmp6 *in, bool in_ra)
{
	if (in->n_opts > MK_ICMP6_MAX_NDOPTS)
		return mk_fail(MK_E_TOO_MANY, w->off);
	for (size_t i = 0; i < in->n_opts; i++) {
		struct mk_status st = build_opt(w, in, &in->opts[i], in_ra);
		if (st.err != MK_E_OK)
			return st;
	}
	return mk_wr_status(w);
}

static struct mk_status build_body(struct mk_wr *w, const struct mk_codepoints *cp,
				   const struct mk_icmp6 *in)
{
	(void)cp;
	switch (in->kind) {
	case MK_ICMP6_K_DST_UNREACH:
	case MK_ICMP6_K_TIME_EXCEEDED:
	case MK_ICMP6_K_PKT_TOO_BIG:
	case MK_ICMP6_K_PARAM_PROB:
		if (in->u.err.invoking_len > 0 && in->u.err.invoking == NULL)
			return mk_fail(MK_E_INVAL, 8);
		mk_wr_u32(w, in->u.err.word);
		mk_wr_bytes(w, in->u.err.invoking, in->u.err.invoking_len);
		break;
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		if (in->u.echo.data_len > 0 && in->u.echo.data == NULL)
			return mk_fail(MK_E_INVAL, 8);
		mk_wr_u16(w, in->u.echo.id);
		mk_wr_u16(w, in->u.echo.seq);
		mk_wr_bytes(w, in->u.echo.data, in->u.echo.data_len);
		break;
	case MK_ICMP6_K_RA:
		mk_wr_u8(w, in->u.ra.cur_hop_limit);
		mk_wr_u8(w, in->u.ra.flags);
		mk_wr_u16(w, in->u.ra.router_lifetime);
		mk_wr_u32(w, in->u.ra.reachable_ms);
		mk_wr_u32(w, in->u.ra.retrans_ms);
		return build_opts(w, in, true);
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		mk_wr_u16(w, in->u.ident.id);
		mk_wr_u16(w, in->u.ident.reserved);
		if (in->kind == MK_ICMP6_K_MPS || in->kind == MK_ICMP6_K_MPA)
			return build_opts(w, in, false);
		if (in->kind == MK_ICMP6_K_DHAAD_REQUEST)
			break;
		if (in->n_addrs > MK_ICMP6_MAX_ADDRS)
			return mk_fail(MK_E_TOO_MANY, 8 + 16 * MK_ICMP6_MAX_ADDRS);
		if (in->kind == MK_ICMP6_K_HA_UNREACH && in->n_addrs == 0)
			return mk_fail(MK_E_ICMP6_HAU_EMPTY, 8);
		for (size_t i = 0; i < in->n_addrs; i++)
			mk_wr_bytes(w, in->addrs[i].s6_addr, 16);
		break;
	case MK_ICMP6_K_OTHER:
		if (in->u.other.body_len > 0 && in->u.other.body == NULL)
			return mk_fail(MK_E_INVAL, 4);
		mk_wr_bytes(w, in->u.other.body, in->u.other.body_len);
		break;
	case MK_ICMP6_K__COUNT:
		return mk_fail(MK_E_ICMP6_KIND, 0);
	}
	return mk_wr_status(w);
}

struct mk_status mk_icmp6_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
				const struct mk_icmp6 *in, size_t *outlen)
{
	struct mk_wr w;
	struct mk_status st;
	int type;

	*outlen = 0;
	if ((unsigned)in->kind >= MK_ICMP6_K__COUNT)
		return mk_fail(MK_E_ICMP6_KIND, 0);
	if (in->kind == MK_ICMP6_K_OTHER)
		type = in->type;
	else
		type = mk_icmp6_type_of(cp, in->kind);
	/* The type must parse back as the same kind: a raw message may not
	 * take a decoded type, and no kind may sit on the HA Unreachable
	 * type in force. */
	if (type < 0 || mk_icmp6_kind_of(cp, (uint8_t)type) != in->kind)
		return mk_fail(MK_E_ICMP6_KIND, 0);
	if (code_must_be_zero(in->kind) && in->code != 0)
		return mk_fail(MK_E_ICMP6_CODE, 1);

	mk_wr_init(&w, buf, cap);
	mk_wr_u8(&w, (uint8_t)type);
	mk_wr_u8(&w, in->code);
	mk_wr_u16(&w, 0); /* checksum: mk_icmp6_cksum_fill */
	st = build_body(&w, cp, in);
	if (st.err != MK_E_OK)
		return st;
	*outlen = w.off;
	return mk_ok();
}

/* ---- strict mode ---- */

enum mk_err mk_icmp6_warn_err(enum mk_icmp6_warn w)
{
	switch (w) {
	case MK_ICMP6_W_RESERVED:
		return MK_E_ICMP6_W_RESERVED;
	case MK_ICMP6_W_OPT_RESERVED:
		return MK_E_ICMP6_W_OPT_RESERVED;
	case MK_ICMP6_W_CODE:
		return MK_E_ICMP6_W_CODE;
	case MK_ICMP6_W_PREFERRED_GT_VALID:
		return MK_E_ICMP6_W_PREFERRED_GT_VALID;
	case MK_ICMP6_W_MPA_NO_PREFIX:
		return MK_E_ICMP6_W_MPA_NO_PREFIX;
	case MK_ICMP6_W_HA_NO_ROUTER_ADDR:
		return MK_E_ICMP6_W_HA_NO_ROUTER_ADDR;
	case MK_ICMP6_W_HAI_DEFAULTS:
		return MK_E_ICMP6_W_HAI_DEFAULTS;
	case MK_ICMP6_W__COUNT:
		break;
	}
	return MK_E_INVAL;
}

struct mk_status mk_icmp6_strict(const struct mk_icmp6 *m)
{
	int best = -1;

	for (int w = 0; w < MK_ICMP6_W__COUNT; w++)
		if ((m->warn & (1u << w)) && (best < 0 || m->warn_off[w] < m->warn_off[best]))
			best = w;
	if (best < 0)
		return mk_ok();
	return mk_fail(mk_icmp6_warn_err((enum mk_icmp6_warn)best), m->warn_off[best]);
}

/* ---- checksum ---- */

uint16_t mk_icmp6_cksum(const uint8_t *buf, size_t len, const struct in6_addr *src,
			const struct in6_addr *dst)
{
	struct mk_rd r;
	uint8_t hdr[4] = { 0, 0, 0, 0 };
	size_t h = len < 4 ? len : 4;

	mk_rd_init(&r, buf, len);
	mk_rd_bytes(&r, hdr, h);
	hdr[2] = hdr[3] = 0; /* the checksum field counts as zero */
	uint32_t s = mk_csum_pseudo6(src, dst, (uint32_t)len, MK_ICMP6_NH);
	s = mk_csum_add(s, hdr, h);
	size_t rest = mk_rd_left(&r);
	const uint8_t *p = mk_rd_ptr(&r, rest);
	if (p && rest)
		s = mk_csum_add(s, p, rest);
	return mk_csum_finish(s);
}

struct mk_status mk_icmp6_cksum_fill(uint8_t *buf, size_t len, const struct in6_addr *src,
				     const struct in6_addr *dst)
{
	if (len < 4)
		return mk_fail(MK_E_TRUNC, len);
	uint16_t c = mk_icmp6_cksum(buf, len, src, dst);
	mk_store16(buf + 2, c);
	return mk_ok();
}

bool mk_icmp6_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		       const struct in6_addr *dst)
{
	return len >= 4 && mk_csum6_ok(src, dst, MK_ICMP6_NH, buf, len);
}

/* ---- name tables ---- */

/* IANA "ICMPv6 'type' Numbers", sources in the comments. */
const char *mk_icmp6_iana_type_name(uint8_t type)
{
	switch (type) {
	case 0: return "Reserved";
	case 1: return "Destination Unreachable";                    /* RFC 4443 */
	case 2: return "Packet Too Big";                             /* RFC 4443 */
	case 3: return "Time Exceeded";                              /* RFC 4443 */
	case 4: return "Parameter Problem";                          /* RFC 4443 */
	case 100: return "Private experimentation";                  /* RFC 4443 */
	case 101: return "Private experimentation";                  /* RFC 4443 */
	case 127: return "Reserved for expansion of ICMPv6 error messages"; /* RFC 4443 */
	case 128: return "Echo Request";                             /* RFC 4443 */
	case 129: return "Echo Reply";                               /* RFC 4443 */
	case 130: return "Multicast Listener Query";                 /* RFC 2710 */
	case 131: return "Multicast Listener Report";                /* RFC 2710 */
	case 132: return "Multicast Listener Done";                  /* RFC 2710 */
	case 133: return "Router Solicitation";                      /* RFC 4861 */
	case 134: return "Router Advertisement";                     /* RFC 4861 */
	case 135: return "Neighbor Solicitation";                    /* RFC 4861 */
	case 136: return "Neighbor Advertisement";                   /* RFC 4861 */
	case 137: return "Redirect Message";                         /* RFC 4861 */
	case 138: return "Router Renumbering";                       /* RFC 2894 */
	case 139: return "ICMP Node Information Query";              /* RFC 4620 */
	case 140: return "ICMP Node Information Response";           /* RFC 4620 */
	case 141: return "Inverse Neighbor Discovery Solicitation";  /* RFC 3122 */
	case 142: return "Inverse Neighbor Discovery Advertisement"; /* RFC 3122 */
	case 143: return "Version 2 Multicast Listener Report";      /* RFC 3810 */
	case 144: return "Home Agent Address Discovery Request";     /* RFC 6275 */
	case 145: return "Home Agent Address Discovery Reply";       /* RFC 6275 */
	case 146: return "Mobile Prefix Solicitation";               /* RFC 6275 */
	case 147: return "Mobile Prefix Advertisement";              /* RFC 6275 */
	case 148: return "Certification Path Solicitation";          /* RFC 3971 */
	case 149: return "Certification Path Advertisement";         /* RFC 3971 */
	case 150: return "Experimental Mobility";                    /* RFC 4065 */
	case 151: return "Multicast Router Advertisement";           /* RFC 4286 */
	case 152: return "Multicast Router Solicitation";            /* RFC 4286 */
	case 153: return "Multicast Router Termination";             /* RFC 4286 */
	case 154: return "FMIPv6 Messages";                          /* RFC 5568 */
	case 155: return "RPL Control Message";                      /* RFC 6550 */
	case 156: return "ILNPv6 Locator Update";                    /* RFC 6743 */
	case 157: return "Duplicate Address Request";                /* RFC 6775 */
	case 158: return "Duplicate Address Confirmation";           /* RFC 6775 */
	case 159: return "MPL Control Message";                      /* RFC 7731 */
	case 160: return "Extended Echo Request";                    /* RFC 8335 */
	case 161: return "Extended Echo Reply";                      /* RFC 8335 */
	case 200: return "Private experimentation";                  /* RFC 4443 */
	case 201: return "Private experimentation";                  /* RFC 4443 */
	case 255: return "Reserved for expansion of ICMPv6 informational messages"; /* RFC 4443 */
	default: return NULL;
	}
}

const char *mk_icmp6_type_name(const struct mk_codepoints *cp, uint8_t type)
{
	if (type == mk_cp(cp, MK_CP_ICMP6_HA_UNREACH))
		return "Home Agent Unreachable"; /* multiple-home-agent paper, Fig. 9 */
	return mk_icmp6_iana_type_name(type);
}

const char *mk_icmp6_code_name(uint8_t type, uint8_t code)
{
	switch (type) {
	case MK_ICMP6_DST_UNREACH:
		switch (code) {
		case 0: return "no route to destination";                      /* RFC 4443 */
		case 1: return "communication administratively prohibited";    /* RFC 4443 */
		case 2: return "beyond scope of source address";               /* RFC 4443 */
		case 3: return "address unreachable";                          /* RFC 4443 */
		case 4: return "port unreachable";                             /* RFC 4443 */
		case 5: return "source address failed ingress/egress policy";  /* RFC 4443 */
		case 6: return "reject route to destination";                  /* RFC 4443 */
		case 7: return "error in Source Routing Header";               /* RFC 6550 */
		case 8: return "headers too long";                             /* RFC 8883 */
		default: return NULL;
		}
	case MK_ICMP6_PKT_TOO_BIG:
		return code == 0 ? "packet too big" : NULL;
	case MK_ICMP6_TIME_EXCEEDED:
		switch (code) {
		case 0: return "hop limit exceeded in transit";        /* RFC 4443 */
		case 1: return "fragment reassembly time exceeded";    /* RFC 4443 */
		default: return NULL;
		}
	case MK_ICMP6_PARAM_PROB:
		switch (code) {
		case 0: return "erroneous header field encountered";           /* RFC 4443 */
		case 1: return "unrecognized Next Header type encountered";    /* RFC 4443 */
		case 2: return "unrecognized IPv6 option encountered";         /* RFC 4443 */
		case 3: return "IPv6 First Fragment has incomplete IPv6 Header Chain"; /* RFC 7112 */
		case 4: return "SR Upper-layer Header Error";                  /* RFC 8754 */
		case 5: return "unrecognized Next Header type encountered by intermediate node"; /* RFC 8883 */
		case 6: return "extension header too big";                     /* RFC 8883 */
		case 7: return "extension header chain too long";              /* RFC 8883 */
		case 8: return "too many extension headers";                   /* RFC 8883 */
		case 9: return "too many options in extension header";         /* RFC 8883 */
		case 10: return "option too big";                              /* RFC 8883 */
		default: return NULL;
		}
	default:
		return NULL;
	}
}

const char *mk_icmp6_kind_name(enum mk_icmp6_kind kind)
{
	switch (kind) {
	case MK_ICMP6_K_OTHER: return "other";
	case MK_ICMP6_K_DST_UNREACH: return "dst-unreach";
	case MK_ICMP6_K_PKT_TOO_BIG: return "pkt-too-big";
	case MK_ICMP6_K_TIME_EXCEEDED: return "time-exceeded";
	case MK_ICMP6_K_PARAM_PROB: return "param-problem";
	case MK_ICMP6_K_ECHO_REQUEST: return "echo-request";
	case MK_ICMP6_K_ECHO_REPLY: return "echo-reply";
	case MK_ICMP6_K_RA: return "router-advert";
	case MK_ICMP6_K_DHAAD_REQUEST: return "dhaad-request";
	case MK_ICMP6_K_DHAAD_REPLY: return "dhaad-reply";
	case MK_ICMP6_K_MPS: return "mobile-prefix-solicit";
	case MK_ICMP6_K_MPA: return "mobile-prefix-advert";
	case MK_ICMP6_K_HA_UNREACH: return "ha-unreachable";
	case MK_ICMP6_K__COUNT: break;
	}
	return NULL;
}

/* IANA "IPv6 Neighbor Discovery Option Formats". */
const char *mk_nd_opt_name(uint8_t type)
{
	switch (type) {
	case 1: return "Source Link-layer Address";               /* RFC 4861 */
	case 2: return "Target Link-layer Address";               /* RFC 4861 */
	case 3: return "Prefix Information";                      /* RFC 4861 */
	case 4: return "Redirected Header";                       /* RFC 4861 */
	case 5: return "MTU";                                     /* RFC 4861 */
	case 6: return "NBMA Shortcut Limit";                     /* RFC 2491 */
	case 7: return "Advertisement Interval";                  /* RFC 6275 */
	case 8: return "Home Agent Information";                  /* RFC 6275 */
	case 9: return "Source Address List";                     /* RFC 3122 */
	case 10: return "Target Address List";                    /* RFC 3122 */
	case 11: return "CGA";                                    /* RFC 3971 */
	case 12: return "RSA Signature";                          /* RFC 3971 */
	case 13: return "Timestamp";                              /* RFC 3971 */
	case 14: return "Nonce";                                  /* RFC 3971 */
	case 15: return "Trust Anchor";                           /* RFC 3971 */
	case 16: return "Certificate";                            /* RFC 3971 */
	case 17: return "IP Address/Prefix";                      /* RFC 5568 */
	case 18: return "New Router Prefix Information";          /* RFC 4068 */
	case 19: return "Link-layer Address";                     /* RFC 5568 */
	case 20: return "Neighbor Advertisement Acknowledgment";  /* RFC 5568 */
	case 21: return "PvD ID Router Advertisement";            /* RFC 8801 */
	case 23: return "MAP";                                    /* RFC 5380 */
	case 24: return "Route Information";                      /* RFC 4191 */
	case 25: return "Recursive DNS Server";                   /* RFC 8106 */
	case 26: return "RA Flags Extension";                     /* RFC 5175 */
	case 27: return "Handover Key Request";                   /* RFC 5269 */
	case 28: return "Handover Key Reply";                     /* RFC 5269 */
	case 29: return "Handover Assist Information";            /* RFC 5271 */
	case 30: return "Mobile Node Identifier";                 /* RFC 5271 */
	case 31: return "DNS Search List";                        /* RFC 8106 */
	case 32: return "Proxy Signature";                        /* RFC 6496 */
	case 33: return "Address Registration";                   /* RFC 6775 */
	case 34: return "6LoWPAN Context";                        /* RFC 6775 */
	case 35: return "Authoritative Border Router";            /* RFC 6775 */
	case 36: return "6LoWPAN Capability Indication";          /* RFC 7400 */
	case 37: return "DHCP Captive-Portal";                    /* RFC 8910 */
	case 38: return "PREF64";                                 /* RFC 8781 */
	case 138: return "CARD Request";                          /* RFC 4065 */
	case 139: return "CARD Reply";                            /* RFC 4065 */
	case 253: return "RFC3692-style Experiment 1";            /* RFC 4727 */
	case 254: return "RFC3692-style Experiment 2";            /* RFC 4727 */
	default: return NULL;
	}
}

const char *mk_icmp6_ra_flag_name(uint8_t mask)
{
	switch (mask) {
	case MK_ICMP6_RA_M: return "M (managed address configuration)";  /* RFC 4861 */
	case MK_ICMP6_RA_O: return "O (other configuration)";            /* RFC 4861 */
	case MK_ICMP6_RA_H: return "H (home agent)";                     /* RFC 6275 7.1 */
	case MK_ICMP6_RA_PRF: return "Prf (default router preference)";  /* RFC 4191 */
	case MK_ICMP6_RA_P: return "P (ND proxy)";                       /* RFC 4389 */
	default: return NULL;
	}
}

const char *mk_icmp6_mpa_flag_name(uint16_t mask)
{
	switch (mask) {
	case MK_ICMP6_MPA_M: return "M (managed address configuration)"; /* RFC 6275 6.8 */
	case MK_ICMP6_MPA_O: return "O (other configuration)";           /* RFC 6275 6.8 */
	default: return NULL;
	}
}

const char *mk_icmp6_dhaad_flag_name(uint16_t mask)
{
	return mask == MK_ICMP6_DHAAD_R ? "R (mobile router support)" : NULL; /* RFC 3963 */
}

const char *mk_nd_pi_flag_name(uint8_t mask)
{
	switch (mask) {
	case MK_ND_PI_L: return "L (on-link)";                        /* RFC 4861 */
	case MK_ND_PI_A: return "A (autonomous address configuration)"; /* RFC 4861 */
	case MK_ND_PI_R: return "R (router address)";                 /* RFC 6275 7.2 */
	default: return NULL;
	}
}

const char *mk_nd_hai_flag_name(uint16_t mask)
{
	return mask == MK_ND_HAI_R ? "R (mobile router support)" : NULL; /* RFC 3963 */
}

const char *mk_icmp6_warn_name(enum mk_icmp6_warn w)
{
	switch (w) {
	case MK_ICMP6_W_RESERVED: return "reserved-nonzero";
	case MK_ICMP6_W_OPT_RESERVED: return "option-reserved-nonzero";
	case MK_ICMP6_W_CODE: return "code-nonzero";
	case MK_ICMP6_W_PREFERRED_GT_VALID: return "preferred-gt-valid";
	case MK_ICMP6_W_MPA_NO_PREFIX: return "mpa-no-prefix";
	case MK_ICMP6_W_HA_NO_ROUTER_ADDR: return "ha-no-router-address";
	case MK_ICMP6_W_HAI_DEFAULTS: return "hai-defaults";
	case MK_ICMP6_W__COUNT: break;
	}
	return NULL;
}
