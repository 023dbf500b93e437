/* lib/wire/mh.c: Mobility Header parse, build, checksum and names.
 * The layouts, rules and choices are documented in mh.h. */
#include "mh.h"

#include <stdio.h>
#include <string.h>

#include "cksum.h"
#include "cursor.h"

#define BIT(t) (1u << (t))
/* the option rules' bits of the HARP messages (their types are codepoints,
 * not below 32; mobkit decodes no RFC type 30 or 31) */
#define SLOT_HARP 30
#define SLOT_SS   31
/* message types that may carry mobility options */
#define MSGS_WITH_OPTS                                                                   \
	(BIT(MK_MH_BRR) | BIT(MK_MH_HOTI) | BIT(MK_MH_COTI) | BIT(MK_MH_HOT) |           \
	 BIT(MK_MH_COT) | BIT(MK_MH_BU) | BIT(MK_MH_BA) | BIT(MK_MH_BE) | BIT(MK_MH_HAS) |      \
	 BIT(SLOT_HARP) | BIT(SLOT_SS))

struct opt_rule {
	uint8_t ax, ay;  /* alignment ax*n + ay */
	int len;         /* exact Len, or -1: variable */
	uint32_t msgs;   /* BIT(type) of the messages it may appear in */
};

/* RFC 6275 6.2.x, RFC 4285 5 and 6 (alignments as in their figures:
 * 4n+1 puts the SPI on a 4-octet boundary, 8n+2 the timestamp on 8),
 * RFC 5096, and mobkit's MHA definition (mh.h). */
static const struct opt_rule rules[MK_MHO__COUNT] = {
	[MK_MHO_UNKNOWN] = { 1, 0, -1, MSGS_WITH_OPTS },
	[MK_MHO_PAD1] = { 1, 0, -1, MSGS_WITH_OPTS },
	[MK_MHO_PADN] = { 1, 0, -1, MSGS_WITH_OPTS },
	[MK_MHO_BRA] = { 2, 0, 2, BIT(MK_MH_BA) | BIT(MK_MH_HAS) },
	[MK_MHO_ALTCOA] = { 8, 6, 16, BIT(MK_MH_BU) },
	[MK_MHO_NONCE] = { 2, 0, 4, BIT(MK_MH_BU) },
	[MK_MHO_BAD] = { 8, 2, MK_MH_BAD_LEN, BIT(MK_MH_BU) | BIT(MK_MH_BA) },
	[MK_MHO_AUTH] = { 4, 1, -1, BIT(MK_MH_BU) | BIT(MK_MH_BA) | BIT(MK_MH_HAS) },
	[MK_MHO_REPLAY] = { 8, 2, 8, BIT(MK_MH_BU) | BIT(MK_MH_BA) | BIT(MK_MH_HAS) },
	[MK_MHO_EXP] = { 1, 0, -1, MSGS_WITH_OPTS },
	[MK_MHO_MHA] = { 8, 6, -1, BIT(MK_MH_BU) },
	/* Len 16 at 8n+6, Len 40 at 8n+2: opt_align */
	[MK_MHO_BCI] = { 8, 6, -1, BIT(SLOT_SS) },
};

#define AUTH_HDR 5 /* Subtype8 + SPI32 */

/* Octets from the start of the MH to the first option (the whole fixed
 * part); 0 for a type mobkit does not decode. */
static size_t fixed_len(uint8_t msg, uint8_t type, uint8_t has_n)
{
	if (msg == MK_MHM_HARP)
		return 18;
	if (msg == MK_MHM_SS)
		return 10;
	switch (type) {
	case MK_MH_BRR:
		return 8;
	case MK_MH_HOTI:
	case MK_MH_COTI:
		return 16;
	case MK_MH_HOT:
	case MK_MH_COT:
		return 24;
	case MK_MH_BU:
	case MK_MH_BA:
		return 12;
	case MK_MH_BE:
		return 24;
	case MK_MH_EXP:
		return 6;
	case MK_MH_HAS:
		return 8 + 16 * (size_t)has_n;
	default:
		return 0;
	}
}

/* the rules' bit of a message: its type's, or the HARP slots */
static uint32_t msg_bit(const struct mk_mh *m)
{
	if (m->msg == MK_MHM_HARP)
		return BIT(SLOT_HARP);
	if (m->msg == MK_MHM_SS)
		return BIT(SLOT_SS);
	return m->type < SLOT_HARP ? BIT(m->type) : 0;
}

static bool msg_has_opts(const struct mk_mh *m)
{
	return (MSGS_WITH_OPTS & msg_bit(m)) != 0;
}

/* which HARP message a type is, if any: only a type mobkit does not decode
 * by itself can be one (harp-mh-type wins over harp-ss-mh-type) */
static uint8_t harp_msg(uint8_t type, const struct mk_codepoints *cp)
{
	if (fixed_len(MK_MHM_STD, type, 0) != 0)
		return MK_MHM_STD;
	if (type == mk_cp(cp, MK_CP_HARP_MH_TYPE))
		return MK_MHM_HARP;
	if (type == mk_cp(cp, MK_CP_HARP_SS_MH_TYPE))
		return MK_MHM_SS;
	return MK_MHM_STD;
}

/* an option's alignment: the rule's, but for the two lengths of BCI */
static void opt_align(enum mk_mh_opt_kind k, size_t len, size_t *ax, size_t *ay)
{
	*ax = rules[k].ax;
	*ay = rules[k].ay;
	if (k == MK_MHO_BCI && len == MK_MH_BCI_FULL)
		*ay = 2;
}

/* Option types whose RFC meaning always wins over the MHA codepoint. */
static bool std_opt_type(uint32_t t)
{
	return t <= MK_MHOPT_BAD || t == MK_MHOPT_AUTH || t == MK_MHOPT_REPLAY;
}

static bool exp_is_mha(const struct mk_codepoints *cp, unsigned flags, const struct mk_mh *m)
{
	if (flags & MK_MH_PARSE_EXP_AS_MHA)
		return true;
	if (flags & MK_MH_PARSE_MHA_IF_FLAG)
		return m->type == MK_MH_BU &&
		       (m->u.bu.flags & mk_cp(cp, MK_CP_BU_MHA_FLAG)) != 0;
	return false;
}

static enum mk_mh_opt_kind classify(uint8_t t, const struct mk_codepoints *cp, unsigned flags,
				    const struct mk_mh *m)
{
	uint32_t mha = mk_cp(cp, MK_CP_MH_OPT_MHA);

	if (m->msg == MK_MHM_SS && t == mk_cp(cp, MK_CP_HARP_OPT_BCI) && !std_opt_type(t) &&
	    t != MK_MHOPT_EXP)
		return MK_MHO_BCI;
	switch (t) {
	case MK_MHOPT_PAD1:
		return MK_MHO_PAD1;
	case MK_MHOPT_PADN:
		return MK_MHO_PADN;
	case MK_MHOPT_BRA:
		return MK_MHO_BRA;
	case MK_MHOPT_ALTCOA:
		return MK_MHO_ALTCOA;
	case MK_MHOPT_NONCE:
		return MK_MHO_NONCE;
	case MK_MHOPT_BAD:
		return MK_MHO_BAD;
	case MK_MHOPT_AUTH:
		return MK_MHO_AUTH;
	case MK_MHOPT_REPLAY:
		return MK_MHO_REPLAY;
	case MK_MHOPT_EXP:
		if (mha == MK_MHOPT_EXP && exp_is_mha(cp, flags, m))
			return MK_MHO_MHA;
		return MK_MHO_EXP;
	default:
		return t == mha ? MK_MHO_MHA : MK_MHO_UNKNOWN;
	}
}

/* ------------------------------------------------------------------ parse */

/* the type to switch on: the message's slot for HARP ones */
static unsigned msg_case(const struct mk_mh *m)
{
	return m->msg == MK_MHM_HARP ? SLOT_HARP : m->msg == MK_MHM_SS ? SLOT_SS : m->type;
}

static struct mk_status parse_fixed(struct mk_rd *r, struct mk_mh *m)
{
	switch (msg_case(m)) {
	case MK_MH_BRR:
		m->u.brr.reserved = mk_rd_u16(r);
		break;
	case MK_MH_HOTI:
	case MK_MH_COTI:
		m->u.testinit.reserved = mk_rd_u16(r);
		mk_rd_bytes(r, m->u.testinit.cookie, 8);
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		m->u.test.nonce_idx = mk_rd_u16(r);
		mk_rd_bytes(r, m->u.test.cookie, 8);
		mk_rd_bytes(r, m->u.test.token, 8);
		break;
	case MK_MH_BU:
		m->u.bu.seq = mk_rd_u16(r);
		m->u.bu.flags = mk_rd_u16(r);
		m->u.bu.lifetime = mk_rd_u16(r);
		break;
	case MK_MH_BA:
		m->u.ba.status = mk_rd_u8(r);
		m->u.ba.flags = mk_rd_u8(r);
		m->u.ba.seq = mk_rd_u16(r);
		m->u.ba.lifetime = mk_rd_u16(r);
		break;
	case MK_MH_BE:
		m->u.be.status = mk_rd_u8(r);
		m->u.be.reserved = mk_rd_u8(r);
		mk_rd_bytes(r, m->u.be.hoa.s6_addr, 16);
		break;
	case MK_MH_HAS:
		m->u.has.n = mk_rd_u8(r);
		m->u.has.reserved = mk_rd_u8(r);
		m->u.has.addrs = mk_rd_ptr(r, 16 * (size_t)m->u.has.n);
		break;
	case SLOT_HARP:
		m->u.harp.type = mk_rd_u8(r);
		m->u.harp.group = mk_rd_u8(r);
		m->u.harp.seq = mk_rd_u16(r);
		m->u.harp.flags = mk_rd_u8(r);
		m->u.harp.status = mk_rd_u8(r);
		m->u.harp.pref = mk_rd_u16(r);
		m->u.harp.lifetime = mk_rd_u16(r);
		m->u.harp.hello = mk_rd_u16(r);
		break;
	case SLOT_SS:
		m->u.ss.type = mk_rd_u8(r);
		m->u.ss.flags = mk_rd_u8(r);
		m->u.ss.id = mk_rd_u16(r);
		break;
	default: /* MK_MH_EXP: everything after the common header */
		m->u.raw.len = mk_rd_left(r);
		m->u.raw.data = mk_rd_ptr(r, m->u.raw.len);
		break;
	}
	return mk_rd_status(r);
}

static void decode_opt(struct mk_mh_opt *o, const uint8_t *d, uint8_t l)
{
	switch (o->kind) {
	case MK_MHO_BRA:
		o->v.bra = mk_load16(d);
		break;
	case MK_MHO_ALTCOA:
		memcpy(o->v.altcoa.s6_addr, d, 16);
		break;
	case MK_MHO_NONCE:
		o->v.nonce.home = mk_load16(d);
		o->v.nonce.careof = mk_load16(d + 2);
		break;
	case MK_MHO_BAD:
		memcpy(o->v.bad, d, MK_MH_BAD_LEN);
		break;
	case MK_MHO_AUTH:
		o->v.auth.subtype = d[0];
		o->v.auth.spi = mk_load32(d + 1);
		o->v.auth.data = d + AUTH_HDR;
		o->v.auth.len = (size_t)l - AUTH_HDR;
		break;
	case MK_MHO_REPLAY:
		o->v.replay = mk_load64(d);
		break;
	case MK_MHO_MHA:
		o->v.mha.addrs = d;
		o->v.mha.n = l / 16;
		break;
	case MK_MHO_BCI:
		o->v.bci.full = l == MK_MH_BCI_FULL;
		if (!o->v.bci.full) {
			memcpy(o->v.bci.hoa.s6_addr, d, 16);
			break;
		}
		o->v.bci.flags = mk_load16(d);
		o->v.bci.seq = mk_load16(d + 2);
		memcpy(o->v.bci.hoa.s6_addr, d + 4, 16);
		memcpy(o->v.bci.coa.s6_addr, d + 20, 16);
		o->v.bci.lifetime = mk_load16(d + 36);
		o->v.bci.reserved = mk_load16(d + 38);
		break;
	default:
		o->v.raw.data = d;
		o->v.raw.len = l;
		break;
	}
}

static struct mk_status parse_opts(struct mk_rd *o, const struct mk_codepoints *cp, unsigned flags,
				   struct mk_mh *m)
{
	bool bad_seen = false;
	int auth_state = 0; /* 1: after an auth option, 2: after MN-AAA */
	size_t ni_at = 0;
	bool ni_seen = false;
	uint32_t msgbit = msg_bit(m);

	while (mk_rd_left(o) > 0) {
		size_t at = o->base + o->off;
		uint8_t t = mk_rd_u8(o);

		if (t == MK_MHOPT_PAD1) {
			if (bad_seen)
				return mk_fail(MK_E_MH_PAD_AFTER_BAD, at);
			m->pad_octets++;
			continue;
		}
		if (mk_rd_left(o) < 1)
			return mk_fail(MK_E_MH_OPT_OVERRUN, at);
		uint8_t l = mk_rd_u8(o);
		if (mk_rd_left(o) < l)
			return mk_fail(MK_E_MH_OPT_OVERRUN, at);
		const uint8_t *d = mk_rd_ptr(o, l);
		if (!d)
			return mk_rd_status(o);

		if (t == MK_MHOPT_PADN) {
			if (bad_seen)
				return mk_fail(MK_E_MH_PAD_AFTER_BAD, at);
			for (size_t i = 0; i < l; i++)
				if (d[i] != 0)
					return mk_fail(MK_E_MH_PADN_NONZERO, at + 2 + i);
			m->pad_octets += 2 + (size_t)l;
			continue;
		}

		enum mk_mh_opt_kind k = classify(t, cp, flags, m);
		const struct opt_rule *ru = &rules[k];

		if (bad_seen)
			return mk_fail(MK_E_MH_BAD_NOT_LAST, at);
		if (auth_state == 2 || (auth_state == 1 && k != MK_MHO_AUTH))
			return mk_fail(MK_E_MH_AUTH_NOT_LAST, at);
		if (!(ru->msgs & msgbit))
			return mk_fail(MK_E_MH_OPT_NOT_ALLOWED, at);
		if (k == MK_MHO_BCI && l != MK_MH_BCI_SHORT && l != MK_MH_BCI_FULL)
			return mk_fail(MK_E_MH_OPT_BAD_LEN, at + 1);
		size_t ax, ay;
		opt_align(k, l, &ax, &ay);
		if (at % ax != ay)
			return mk_fail(MK_E_MH_OPT_MISALIGNED, at);
		if (ru->len >= 0 && l != ru->len)
			return mk_fail(MK_E_MH_OPT_BAD_LEN, at + 1);
		if (k == MK_MHO_AUTH) {
			if (l < AUTH_HDR ||
			    (d[0] == MK_MH_AUTH_MNHA && l != AUTH_HDR + MK_MH_MNHA_LEN))
				return mk_fail(MK_E_MH_OPT_BAD_LEN, at + 1);
			if (d[0] == MK_MH_AUTH_MNAAA && m->type != MK_MH_BU)
				return mk_fail(MK_E_MH_OPT_NOT_ALLOWED, at);
		}
		if (k == MK_MHO_MHA) {
			if (l == 0)
				return mk_fail(MK_E_MH_MHA_EMPTY, at + 1);
			if (l % 16 != 0)
				return mk_fail(MK_E_MH_OPT_BAD_LEN, at + 1);
		}
		if (m->nopts >= MK_MH_MAX_OPTS)
			return mk_fail(MK_E_TOO_MANY, at);

		struct mk_mh_opt *op = &m->opts[m->nopts++];
		op->kind = k;
		op->type = t;
		op->len = l;
		op->off = (uint16_t)at;
		decode_opt(op, d, l);

		if (k == MK_MHO_BAD)
			bad_seen = true;
		if (k == MK_MHO_AUTH)
			auth_state = d[0] == MK_MH_AUTH_MNAAA ? 2 : 1;
		if (k == MK_MHO_NONCE && !ni_seen) {
			ni_seen = true;
			ni_at = at;
		}
	}
	if (ni_seen && !bad_seen)
		return mk_fail(MK_E_MH_NI_WITHOUT_BAD, ni_at);
	return mk_rd_status(o);
}

struct mk_status mk_mh_parse_ex(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
				unsigned flags, struct mk_mh *out)
{
	if (!out || (!buf && len))
		return mk_fail(MK_E_INVAL, 0);
	memset(out, 0, sizeof *out);
	if (len < 8)
		return mk_fail(MK_E_TRUNC, 0);

	struct mk_rd r;
	mk_rd_init(&r, buf, len);
	out->proto = mk_rd_u8(&r);
	out->hlen = mk_rd_u8(&r);
	out->type = mk_rd_u8(&r);
	out->reserved = mk_rd_u8(&r);
	out->cksum = mk_rd_u16(&r);

	size_t total = 8 * ((size_t)out->hlen + 1);
	out->len = total;
	if (total > len)
		return mk_fail(MK_E_MH_OVERRUN, 1);
	if (out->proto != MK_MH_PROTO_NONE)
		return mk_fail(MK_E_MH_PROTO, 0);
	if (len > total)
		return mk_fail((len - total) % 8 ? MK_E_MH_NOT_MULT8 : MK_E_TRAILING, total);

	/* from here on only the MH itself */
	mk_rd_init(&r, buf, total);
	mk_rd_skip(&r, 6);
	const uint8_t *nump = mk_rd_peek(&r, 1);
	uint8_t has_n = out->type == MK_MH_HAS && nump ? nump[0] : 0;
	out->msg = harp_msg(out->type, cp);
	size_t fixed = fixed_len(out->msg, out->type, has_n);
	if (fixed == 0) {
		out->u.raw.data = mk_rd_ptr(&r, total - 6);
		out->u.raw.len = total - 6;
		out->opts_off = total;
		return mk_fail(MK_E_MH_UNKNOWN_TYPE, 2);
	}
	if (fixed > total)
		return mk_fail(MK_E_MH_HLEN_SHORT, 1);

	struct mk_status st = parse_fixed(&r, out);
	if (st.err != MK_E_OK)
		return st;
	out->opts_off = r.off;
	if (!msg_has_opts(out))
		return mk_ok();

	struct mk_rd o = mk_rd_sub(&r, total - r.off);
	return parse_opts(&o, cp, flags, out);
}

struct mk_status mk_mh_parse(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
			     struct mk_mh *out)
{
	return mk_mh_parse_ex(buf, len, cp, 0, out);
}

const struct mk_mh_opt *mk_mh_find_opt(const struct mk_mh *m, enum mk_mh_opt_kind kind)
{
	for (size_t i = 0; m && i < m->nopts && i < MK_MH_MAX_OPTS; i++)
		if (m->opts[i].kind == kind)
			return &m->opts[i];
	return NULL;
}

static bool same_bytes(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return false;
	return alen == 0 || (a && b && memcmp(a, b, alen) == 0);
}

static bool same_opt(const struct mk_mh_opt *a, const struct mk_mh_opt *b)
{
	if (a->kind != b->kind)
		return false;
	switch (a->kind) {
	case MK_MHO_BRA:
		return a->v.bra == b->v.bra;
	case MK_MHO_ALTCOA:
		return memcmp(&a->v.altcoa, &b->v.altcoa, 16) == 0;
	case MK_MHO_NONCE:
		return a->v.nonce.home == b->v.nonce.home && a->v.nonce.careof == b->v.nonce.careof;
	case MK_MHO_BAD:
		return memcmp(a->v.bad, b->v.bad, MK_MH_BAD_LEN) == 0;
	case MK_MHO_AUTH:
		return a->v.auth.subtype == b->v.auth.subtype && a->v.auth.spi == b->v.auth.spi &&
		       same_bytes(a->v.auth.data, a->v.auth.len, b->v.auth.data, b->v.auth.len);
	case MK_MHO_REPLAY:
		return a->v.replay == b->v.replay;
	case MK_MHO_MHA:
		return same_bytes(a->v.mha.addrs, 16 * a->v.mha.n, b->v.mha.addrs, 16 * b->v.mha.n);
	case MK_MHO_BCI:
		if (a->v.bci.full != b->v.bci.full || memcmp(&a->v.bci.hoa, &b->v.bci.hoa, 16) != 0)
			return false;
		return !a->v.bci.full ||
		       (a->v.bci.flags == b->v.bci.flags && a->v.bci.seq == b->v.bci.seq &&
			a->v.bci.lifetime == b->v.bci.lifetime && a->v.bci.reserved == b->v.bci.reserved &&
			memcmp(&a->v.bci.coa, &b->v.bci.coa, 16) == 0);
	case MK_MHO_PAD1:
		return true;
	case MK_MHO_UNKNOWN:
		if (a->type != b->type)
			return false;
		/* fall through */
	default:
		return same_bytes(a->v.raw.data, a->v.raw.len, b->v.raw.data, b->v.raw.len);
	}
}

bool mk_mh_same(const struct mk_mh *a, const struct mk_mh *b)
{
	if (a->proto != b->proto || a->type != b->type || a->reserved != b->reserved ||
	    a->msg != b->msg)
		return false;
	switch (msg_case(a)) {
	case SLOT_HARP:
		if (a->u.harp.type != b->u.harp.type || a->u.harp.group != b->u.harp.group ||
		    a->u.harp.seq != b->u.harp.seq || a->u.harp.flags != b->u.harp.flags ||
		    a->u.harp.status != b->u.harp.status || a->u.harp.pref != b->u.harp.pref ||
		    a->u.harp.lifetime != b->u.harp.lifetime || a->u.harp.hello != b->u.harp.hello)
			return false;
		break;
	case SLOT_SS:
		if (a->u.ss.type != b->u.ss.type || a->u.ss.flags != b->u.ss.flags ||
		    a->u.ss.id != b->u.ss.id)
			return false;
		break;
	case MK_MH_BRR:
		if (a->u.brr.reserved != b->u.brr.reserved)
			return false;
		break;
	case MK_MH_HOTI:
	case MK_MH_COTI:
		if (a->u.testinit.reserved != b->u.testinit.reserved ||
		    memcmp(a->u.testinit.cookie, b->u.testinit.cookie, 8) != 0)
			return false;
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		if (a->u.test.nonce_idx != b->u.test.nonce_idx ||
		    memcmp(a->u.test.cookie, b->u.test.cookie, 8) != 0 ||
		    memcmp(a->u.test.token, b->u.test.token, 8) != 0)
			return false;
		break;
	case MK_MH_BU:
		if (a->u.bu.seq != b->u.bu.seq || a->u.bu.flags != b->u.bu.flags ||
		    a->u.bu.lifetime != b->u.bu.lifetime)
			return false;
		break;
	case MK_MH_BA:
		if (a->u.ba.status != b->u.ba.status || a->u.ba.flags != b->u.ba.flags ||
		    a->u.ba.seq != b->u.ba.seq || a->u.ba.lifetime != b->u.ba.lifetime)
			return false;
		break;
	case MK_MH_BE:
		if (a->u.be.status != b->u.be.status || a->u.be.reserved != b->u.be.reserved ||
		    memcmp(&a->u.be.hoa, &b->u.be.hoa, 16) != 0)
			return false;
		break;
	case MK_MH_HAS:
		if (a->u.has.n != b->u.has.n || a->u.has.reserved != b->u.has.reserved ||
		    !same_bytes(a->u.has.addrs, 16 * (size_t)a->u.has.n, b->u.has.addrs,
				16 * (size_t)b->u.has.n))
			return false;
		break;
	default:
		if (!same_bytes(a->u.raw.data, a->u.raw.len, b->u.raw.data, b->u.raw.len))
			return false;
		break;
	}
	if (a->nopts != b->nopts || a->nopts > MK_MH_MAX_OPTS)
		return false;
	for (size_t i = 0; i < a->nopts; i++)
		if (!same_opt(&a->opts[i], &b->opts[i]))
			return false;
	return true;
}

/* ------------------------------------------------------------------ build */

void mk_mh_init(struct mk_mh *m, uint8_t type)
{
	memset(m, 0, sizeof *m);
	m->proto = MK_MH_PROTO_NONE;
	m->type = type;
}

void mk_mh_init_harp(struct mk_mh *m, const struct mk_codepoints *cp, enum mk_mh_msg msg)
{
	mk_mh_init(m, (uint8_t)mk_cp(cp, msg == MK_MHM_SS ? MK_CP_HARP_SS_MH_TYPE : MK_CP_HARP_MH_TYPE));
	m->msg = (uint8_t)msg;
}

/* Pad1 for one octet, PadN (zeros) for more. */
static void put_pad(struct mk_wr *w, size_t n)
{
	if (n == 0)
		return;
	if (n == 1) {
		mk_wr_u8(w, MK_MHOPT_PAD1);
		return;
	}
	mk_wr_u8(w, MK_MHOPT_PADN);
	mk_wr_u8(w, (uint8_t)(n - 2));
	mk_wr_zero(w, n - 2);
}

static uint8_t wire_type(const struct mk_mh_opt *o, const struct mk_codepoints *cp)
{
	switch (o->kind) {
	case MK_MHO_PAD1:
		return MK_MHOPT_PAD1;
	case MK_MHO_PADN:
		return MK_MHOPT_PADN;
	case MK_MHO_BRA:
		return MK_MHOPT_BRA;
	case MK_MHO_ALTCOA:
		return MK_MHOPT_ALTCOA;
	case MK_MHO_NONCE:
		return MK_MHOPT_NONCE;
	case MK_MHO_BAD:
		return MK_MHOPT_BAD;
	case MK_MHO_AUTH:
		return MK_MHOPT_AUTH;
	case MK_MHO_REPLAY:
		return MK_MHOPT_REPLAY;
	case MK_MHO_EXP:
		return MK_MHOPT_EXP;
	case MK_MHO_MHA:
		return (uint8_t)mk_cp(cp, MK_CP_MH_OPT_MHA);
	case MK_MHO_BCI:
		return (uint8_t)mk_cp(cp, MK_CP_HARP_OPT_BCI);
	default:
		return o->type;
	}
}

/* Data length of an option to build; checks what the wire can carry. */
static enum mk_err opt_data_len(const struct mk_mh_opt *o, bool verbatim, size_t *dlen)
{
	size_t n;

	switch (o->kind) {
	case MK_MHO_PAD1:
		n = 0;
		break;
	case MK_MHO_BRA:
	case MK_MHO_ALTCOA:
	case MK_MHO_NONCE:
	case MK_MHO_BAD:
	case MK_MHO_REPLAY:
		n = (size_t)rules[o->kind].len;
		break;
	case MK_MHO_AUTH:
		if (o->v.auth.len > 255 - AUTH_HDR)
			return MK_E_RANGE;
		if (o->v.auth.len && !o->v.auth.data)
			return MK_E_INVAL;
		if (!verbatim && o->v.auth.subtype == MK_MH_AUTH_MNHA &&
		    o->v.auth.len != MK_MH_MNHA_LEN)
			return MK_E_MH_OPT_BAD_LEN;
		n = AUTH_HDR + o->v.auth.len;
		break;
	case MK_MHO_MHA:
		if (o->v.mha.n == 0 && !verbatim)
			return MK_E_MH_MHA_EMPTY;
		if (o->v.mha.n > MK_MH_MHA_MAX)
			return MK_E_RANGE;
		if (o->v.mha.n && !o->v.mha.addrs)
			return MK_E_INVAL;
		n = 16 * o->v.mha.n;
		break;
	case MK_MHO_BCI:
		n = o->v.bci.full ? MK_MH_BCI_FULL : MK_MH_BCI_SHORT;
		break;
	case MK_MHO_PADN:
	case MK_MHO_EXP:
	case MK_MHO_UNKNOWN:
		if (o->v.raw.len > 255)
			return MK_E_RANGE;
		if (o->v.raw.len && !o->v.raw.data && o->kind != MK_MHO_PADN)
			return MK_E_INVAL;
		n = o->v.raw.len;
		break;
	default:
		return MK_E_INVAL;
	}
	*dlen = n;
	return MK_E_OK;
}

static void write_opt(struct mk_wr *w, const struct mk_codepoints *cp, const struct mk_mh_opt *o,
		      size_t dlen, uint8_t len_octet)
{
	mk_wr_u8(w, wire_type(o, cp));
	if (o->kind == MK_MHO_PAD1)
		return;
	mk_wr_u8(w, len_octet);
	switch (o->kind) {
	case MK_MHO_BRA:
		mk_wr_u16(w, o->v.bra);
		break;
	case MK_MHO_ALTCOA:
		mk_wr_bytes(w, o->v.altcoa.s6_addr, 16);
		break;
	case MK_MHO_NONCE:
		mk_wr_u16(w, o->v.nonce.home);
		mk_wr_u16(w, o->v.nonce.careof);
		break;
	case MK_MHO_BAD:
		mk_wr_bytes(w, o->v.bad, MK_MH_BAD_LEN);
		break;
	case MK_MHO_AUTH:
		mk_wr_u8(w, o->v.auth.subtype);
		mk_wr_u32(w, o->v.auth.spi);
		mk_wr_bytes(w, o->v.auth.data, o->v.auth.len);
		break;
	case MK_MHO_REPLAY:
		mk_wr_u64(w, o->v.replay);
		break;
	case MK_MHO_MHA:
		mk_wr_bytes(w, o->v.mha.addrs, dlen);
		break;
	case MK_MHO_BCI:
		if (!o->v.bci.full) {
			mk_wr_bytes(w, o->v.bci.hoa.s6_addr, 16);
			break;
		}
		mk_wr_u16(w, o->v.bci.flags);
		mk_wr_u16(w, o->v.bci.seq);
		mk_wr_bytes(w, o->v.bci.hoa.s6_addr, 16);
		mk_wr_bytes(w, o->v.bci.coa.s6_addr, 16);
		mk_wr_u16(w, o->v.bci.lifetime);
		mk_wr_u16(w, o->v.bci.reserved);
		break;
	default:
		if (o->v.raw.data)
			mk_wr_bytes(w, o->v.raw.data, dlen);
		else
			mk_wr_zero(w, dlen);
		break;
	}
}

static struct mk_status build_fixed(struct mk_wr *w, const struct mk_mh *in)
{
	switch (msg_case(in)) {
	case SLOT_HARP:
		mk_wr_u8(w, in->u.harp.type);
		mk_wr_u8(w, in->u.harp.group);
		mk_wr_u16(w, in->u.harp.seq);
		mk_wr_u8(w, in->u.harp.flags);
		mk_wr_u8(w, in->u.harp.status);
		mk_wr_u16(w, in->u.harp.pref);
		mk_wr_u16(w, in->u.harp.lifetime);
		mk_wr_u16(w, in->u.harp.hello);
		break;
	case SLOT_SS:
		mk_wr_u8(w, in->u.ss.type);
		mk_wr_u8(w, in->u.ss.flags);
		mk_wr_u16(w, in->u.ss.id);
		break;
	case MK_MH_BRR:
		mk_wr_u16(w, in->u.brr.reserved);
		break;
	case MK_MH_HOTI:
	case MK_MH_COTI:
		mk_wr_u16(w, in->u.testinit.reserved);
		mk_wr_bytes(w, in->u.testinit.cookie, 8);
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		mk_wr_u16(w, in->u.test.nonce_idx);
		mk_wr_bytes(w, in->u.test.cookie, 8);
		mk_wr_bytes(w, in->u.test.token, 8);
		break;
	case MK_MH_BU:
		mk_wr_u16(w, in->u.bu.seq);
		mk_wr_u16(w, in->u.bu.flags);
		mk_wr_u16(w, in->u.bu.lifetime);
		break;
	case MK_MH_BA:
		mk_wr_u8(w, in->u.ba.status);
		mk_wr_u8(w, in->u.ba.flags);
		mk_wr_u16(w, in->u.ba.seq);
		mk_wr_u16(w, in->u.ba.lifetime);
		break;
	case MK_MH_BE:
		mk_wr_u8(w, in->u.be.status);
		mk_wr_u8(w, in->u.be.reserved);
		mk_wr_bytes(w, in->u.be.hoa.s6_addr, 16);
		break;
	case MK_MH_HAS:
		if (in->u.has.n > MK_MH_HAS_MAX)
			return mk_fail(MK_E_RANGE, w->off);
		if (in->u.has.n && !in->u.has.addrs)
			return mk_fail(MK_E_INVAL, w->off);
		mk_wr_u8(w, in->u.has.n);
		mk_wr_u8(w, in->u.has.reserved);
		mk_wr_bytes(w, in->u.has.addrs, 16 * (size_t)in->u.has.n);
		break;
	default: /* Experimental MH, or a type mobkit does not decode */
		if (in->u.raw.len > MK_MH_MAX_LEN - 6)
			return mk_fail(MK_E_RANGE, w->off);
		if (in->u.raw.len && !in->u.raw.data)
			return mk_fail(MK_E_INVAL, w->off);
		mk_wr_bytes(w, in->u.raw.data, in->u.raw.len);
		break;
	}
	return mk_wr_status(w);
}

static struct mk_status build_opts(struct mk_wr *w, const struct mk_codepoints *cp,
				   const struct mk_mh *in)
{
	bool bad_seen = false, ni_seen = false;
	int auth_state = 0;
	size_t ni_at = 0;
	uint32_t msgbit = msg_bit(in);
	uint32_t mha = mk_cp(cp, MK_CP_MH_OPT_MHA);

	for (size_t i = 0; i < in->nopts; i++) {
		const struct mk_mh_opt *o = &in->opts[i];
		size_t here = w->off;

		if ((unsigned)o->kind >= MK_MHO__COUNT || o->kind == MK_MHO_PAD1 ||
		    o->kind == MK_MHO_PADN)
			return mk_fail(MK_E_INVAL, here);
		if (bad_seen)
			return mk_fail(MK_E_MH_BAD_NOT_LAST, here);
		if (auth_state == 2 || (auth_state == 1 && o->kind != MK_MHO_AUTH))
			return mk_fail(MK_E_MH_AUTH_NOT_LAST, here);
		if (!(rules[o->kind].msgs & msgbit))
			return mk_fail(MK_E_MH_OPT_NOT_ALLOWED, here);
		if (o->kind == MK_MHO_AUTH && o->v.auth.subtype == MK_MH_AUTH_MNAAA &&
		    in->type != MK_MH_BU)
			return mk_fail(MK_E_MH_OPT_NOT_ALLOWED, here);
		/* an "unknown" option must not carry a type the parser decodes */
		if (o->kind == MK_MHO_UNKNOWN &&
		    (std_opt_type(o->type) || o->type == MK_MHOPT_EXP || o->type == mha ||
		     (in->msg == MK_MHM_SS && o->type == mk_cp(cp, MK_CP_HARP_OPT_BCI))))
			return mk_fail(MK_E_INVAL, here);
		if (o->kind == MK_MHO_MHA && std_opt_type(mha))
			return mk_fail(MK_E_INVAL, here);

		size_t dlen;
		enum mk_err e = opt_data_len(o, false, &dlen);
		if (e != MK_E_OK)
			return mk_fail(e, here);

		size_t ax, ay;
		opt_align(o->kind, dlen, &ax, &ay);
		put_pad(w, (ay + ax - w->off % ax) % ax);
		size_t at = w->off;
		write_opt(w, cp, o, dlen, (uint8_t)dlen);
		if (!mk_wr_ok(w))
			return mk_wr_status(w);

		if (o->kind == MK_MHO_BAD)
			bad_seen = true;
		if (o->kind == MK_MHO_AUTH)
			auth_state = o->v.auth.subtype == MK_MH_AUTH_MNAAA ? 2 : 1;
		if (o->kind == MK_MHO_NONCE && !ni_seen) {
			ni_seen = true;
			ni_at = at;
		}
	}
	if (ni_seen && !bad_seen)
		return mk_fail(MK_E_MH_NI_WITHOUT_BAD, ni_at);
	return mk_wr_status(w);
}

static struct mk_status build_verbatim(struct mk_wr *w, const struct mk_codepoints *cp,
				       const struct mk_mh *in)
{
	for (size_t i = 0; i < in->nopts; i++) {
		const struct mk_mh_opt *o = &in->opts[i];
		size_t dlen;

		if ((unsigned)o->kind >= MK_MHO__COUNT)
			return mk_fail(MK_E_INVAL, w->off);
		enum mk_err e = opt_data_len(o, true, &dlen);
		if (e != MK_E_OK)
			return mk_fail(e, w->off);
		write_opt(w, cp, o, dlen, o->len ? o->len : (uint8_t)dlen);
	}
	return mk_wr_status(w);
}

struct mk_status mk_mh_build_ex(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
				unsigned flags, const struct mk_mh *in, size_t *outlen)
{
	if (outlen)
		*outlen = 0;
	if (!in || !outlen || (!buf && cap))
		return mk_fail(MK_E_INVAL, 0);
	if (in->nopts > MK_MH_MAX_OPTS)
		return mk_fail(MK_E_TOO_MANY, 0);

	struct mk_wr w;
	mk_wr_init(&w, buf, cap);
	mk_wr_u8(&w, in->proto);
	mk_wr_u8(&w, 0); /* Header Len, set at the end */
	mk_wr_u8(&w, in->type);
	mk_wr_u8(&w, in->reserved);
	mk_wr_u16(&w, 0); /* Checksum: mk_mh_cksum */

	struct mk_status st = build_fixed(&w, in);
	if (st.err != MK_E_OK)
		return st;
	if (in->nopts) {
		if (!msg_has_opts(in))
			return mk_fail(MK_E_INVAL, w.off);
		st = (flags & MK_MH_BUILD_VERBATIM) ? build_verbatim(&w, cp, in)
						    : build_opts(&w, cp, in);
		if (st.err != MK_E_OK)
			return st;
	}
	/* end on a multiple of 8: with padding options where options are
	 * allowed (after BAD, 8n+2 and 14 octets, nothing is needed), with zero
	 * octets after opaque data (Experimental MH, undecoded types) */
	if (msg_has_opts(in))
		put_pad(&w, (8 - w.off % 8) % 8);
	else
		mk_wr_zero(&w, (8 - w.off % 8) % 8);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	if (w.off > MK_MH_MAX_LEN)
		return mk_fail(MK_E_RANGE, 1);
	mk_wr_put8_at(&w, 1, (uint8_t)(w.off / 8 - 1));
	*outlen = w.off;
	return mk_ok();
}

struct mk_status mk_mh_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
			     const struct mk_mh *in, size_t *outlen)
{
	return mk_mh_build_ex(buf, cap, cp, 0, in, outlen);
}

/* --------------------------------------------------------------- checksum */

struct mk_status mk_mh_cksum(uint8_t *buf, size_t len, const struct in6_addr *src,
			     const struct in6_addr *dst)
{
	if (!buf || !src || !dst)
		return mk_fail(MK_E_INVAL, 0);
	if (len < 8)
		return mk_fail(MK_E_TRUNC, 0);
	mk_store16(buf + 4, 0);
	mk_store16(buf + 4, mk_csum6(src, dst, MK_MH_NEXTHDR, buf, len));
	return mk_ok();
}

struct mk_status mk_mh_cksum_check(const uint8_t *buf, size_t len, const struct in6_addr *src,
				   const struct in6_addr *dst)
{
	if (!buf || !src || !dst)
		return mk_fail(MK_E_INVAL, 0);
	if (len < 8)
		return mk_fail(MK_E_TRUNC, 0);
	if (!mk_csum6_ok(src, dst, MK_MH_NEXTHDR, buf, len))
		return mk_fail(MK_E_BAD_CKSUM, 4);
	return mk_ok();
}

bool mk_mh_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		    const struct in6_addr *dst)
{
	return mk_mh_cksum_check(buf, len, src, dst).err == MK_E_OK;
}

/* ------------------------------------------------- sequence and lifetime */

bool mk_mh_seq_newer(uint16_t seq, uint16_t last)
{
	uint16_t d = (uint16_t)(seq - last);
	return d != 0 && d < 0x8000;
}

uint16_t mk_mh_lifetime_units(uint32_t sec)
{
	if (sec == 0)
		return 0;
	uint32_t u = sec / 4 + (sec % 4 != 0);
	return u > 0xffff ? 0xffff : (uint16_t)u;
}

/* ------------------------------------------------------------------ names */

/* IANA "Mobility Header Types" (RFC 6275, 5568, 5096, 5142, 5847, 5846,
 * 6705, 7077, 7109, 7161) */
static const char *const type_names[] = {
	"Binding Refresh Request",
	"Home Test Init",
	"Care-of Test Init",
	"Home Test",
	"Care-of Test",
	"Binding Update",
	"Binding Acknowledgement",
	"Binding Error",
	"Fast Binding Update",
	"Fast Binding Acknowledgment",
	"Fast Neighbor Advertisement (deprecated)",
	"Experimental Mobility Header",
	"Home Agent Switch",
	"Heartbeat",
	"Handover Initiate",
	"Handover Acknowledge",
	"Binding Revocation",
	"Localized Routing Initiation",
	"Localized Routing Acknowledgment",
	"Update Notification",
	"Update Notification Acknowledgement",
	"Flow Binding",
	"Subscription Query",
	"Subscription Response",
};

static const char *const type_abbrevs[] = {
	"BRR", "HoTI", "CoTI", "HoT", "CoT", "BU", "BA", "BE", "FBU", "FBack", "FNA", "EMH",
	"HAS", "HB", "HI", "HAck", "BRI", "LRI", "LRA", "UPN", "UPA", "FB", "SQ", "SR",
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

const char *mk_mh_type_name(uint8_t type)
{
	return type < NELEM(type_names) ? type_names[type] : NULL;
}

const char *mk_mh_type_abbrev(uint8_t type)
{
	return type < NELEM(type_abbrevs) ? type_abbrevs[type] : NULL;
}

/* IANA "Mobility Options" 0..70; 71-255 unassigned */
static const char *const opt_names[] = {
	"Pad1",                                   /* 0  RFC 6275 */
	"PadN",                                   /* 1  RFC 6275 */
	"Binding Refresh Advice",                 /* 2  RFC 6275 */
	"Alternate Care-of Address",              /* 3  RFC 6275 */
	"Nonce Indices",                          /* 4  RFC 6275 */
	"Binding Authorization Data",             /* 5  RFC 6275 */
	"Mobile Network Prefix",                  /* 6  RFC 3963 */
	"Mobility Header Link-Layer Address",     /* 7  RFC 5568 */
	"MN-ID",                                  /* 8  RFC 4283 */
	"Mobility Message Authentication",        /* 9  RFC 4285 */
	"Mobility Message Replay Protection",     /* 10 RFC 4285 */
	"CGA Parameters Request",                 /* 11 RFC 4866 */
	"CGA Parameters",                         /* 12 RFC 4866 */
	"Signature",                              /* 13 RFC 4866 */
	"Permanent Home Keygen Token",            /* 14 RFC 4866 */
	"Care-of Test Init",                      /* 15 RFC 4866 */
	"Care-of Test",                           /* 16 RFC 4866 */
	"DNS-UPDATE-TYPE",                        /* 17 RFC 5026 */
	"Experimental Mobility Option",           /* 18 RFC 5096 */
	"Vendor Specific Mobility Option",        /* 19 RFC 5094 */
	"Service Selection Mobility Option",      /* 20 RFC 5149 */
	"Binding Authorization Data for FMIPv6",  /* 21 RFC 5568 */
	"Home Network Prefix",                    /* 22 RFC 5213 */
	"Handoff Indicator",                      /* 23 RFC 5213 */
	"Access Technology Type",                 /* 24 RFC 5213 */
	"Mobile Node Link-layer Identifier",      /* 25 RFC 5213 */
	"Link-local Address",                     /* 26 RFC 5213 */
	"Timestamp",                              /* 27 RFC 5213 */
	"Restart Counter",                        /* 28 RFC 5847 */
	"IPv4 Home Address",                      /* 29 RFC 5555 */
	"IPv4 Address Acknowledgement",           /* 30 RFC 5555 */
	"NAT Detection",                          /* 31 RFC 5555 */
	"IPv4 Care-of Address",                   /* 32 RFC 5555 */
	"GRE Key",                                /* 33 RFC 5845 */
	"Mobility Header IPv6 Address/Prefix",    /* 34 RFC 5568 */
	"Binding Identifier",                     /* 35 RFC 5648 */
	"IPv4 Home Address Request",              /* 36 RFC 5844 */
	"IPv4 Home Address Reply",                /* 37 RFC 5844 */
	"IPv4 Default-Router Address",            /* 38 RFC 5844 */
	"IPv4 DHCP Support Mode",                 /* 39 RFC 5844 */
	"Context Request",                        /* 40 RFC 5949 */
	"Local Mobility Anchor Address",          /* 41 RFC 5949 */
	"Mobile Node Link-local Address Interface Identifier", /* 42 RFC 5949 */
	"Transient Binding",                      /* 43 RFC 6058 */
	"Flow Summary",                           /* 44 RFC 6089 */
	"Flow Identification",                    /* 45 RFC 6089 */
	"Redirect-Capability",                    /* 46 RFC 6463 */
	"Redirect",                               /* 47 RFC 6463 */
	"Load Information",                       /* 48 RFC 6463 */
	"Alternate IPv4 Care-of Address",         /* 49 RFC 6463 */
	"Mobile Node Group Identifier",           /* 50 RFC 6602 */
	"MAG IPv6 Address",                       /* 51 RFC 6705 */
	"Access Network Identifier",              /* 52 RFC 6757 */
	"IPv4 Traffic Offload Selector",          /* 53 RFC 6909 */
	"Dynamic IP Multicast Selector",          /* 54 RFC 7028 */
	"Delegated Mobile Network Prefix",        /* 55 RFC 7148 */
	"Active Multicast Subscription IPv4",     /* 56 RFC 7161 */
	"Active Multicast Subscription IPv6",     /* 57 RFC 7161 */
	"Quality-of-Service",                     /* 58 RFC 7222 */
	"LMA User-Plane Address",                 /* 59 RFC 7389 */
	"Multicast Mobility",                     /* 60 RFC 7411 */
	"Multicast Acknowledgement",              /* 61 RFC 7411 */
	"LMA-Controlled MAG Parameters",          /* 62 RFC 8127 */
	"MAG Multipath-Binding",                  /* 63 RFC 8278 */
	"MAG Identifier",                         /* 64 RFC 8278 */
	"Anchored Prefix",                        /* 65 RFC 8885 */
	"Local Prefix",                           /* 66 RFC 8885 */
	"Previous MAAR",                          /* 67 RFC 8885 */
	"Serving MAAR",                           /* 68 RFC 8885 */
	"DLIF Link-Local Address",                /* 69 RFC 8885 */
	"DLIF Link-Layer Address",                /* 70 RFC 8885 */
};

const char *mk_mh_opt_name(uint8_t type)
{
	return type < NELEM(opt_names) ? opt_names[type] : NULL;
}

const char *mk_mh_opt_kind_name(enum mk_mh_opt_kind kind)
{
	static const char *const names[MK_MHO__COUNT] = {
		[MK_MHO_UNKNOWN] = "unknown option",
		[MK_MHO_PAD1] = "Pad1",
		[MK_MHO_PADN] = "PadN",
		[MK_MHO_BRA] = "Binding Refresh Advice",
		[MK_MHO_ALTCOA] = "Alternate Care-of Address",
		[MK_MHO_NONCE] = "Nonce Indices",
		[MK_MHO_BAD] = "Binding Authorization Data",
		[MK_MHO_AUTH] = "Mobility Message Authentication",
		[MK_MHO_REPLAY] = "Mobility Message Replay Protection",
		[MK_MHO_EXP] = "Experimental Mobility Option",
		[MK_MHO_MHA] = "Multiple Home Agents",
		[MK_MHO_BCI] = "Binding Cache Information",
	};
	return (unsigned)kind < MK_MHO__COUNT ? names[kind] : NULL;
}

/* IANA "Status Codes" of the BA: 0-6 accepted, 128-180 rejected */
static const char *const ba_accept[] = {
	"Binding Update accepted",                    /* 0 RFC 6275, 5213 */
	"Accepted but prefix discovery necessary",    /* 1 RFC 6275 */
	"GRE_KEY_OPTION_NOT_REQUIRED",                /* 2 RFC 5845 */
	"GRE_TUNNELING_BUT_TLV_HEADER_NOT_SUPPORTED", /* 3 RFC 5845 */
	"MCOA NOTCOMPLETE",                           /* 4 RFC 5648 */
	"MCOA RETURNHOME WO/NDP",                     /* 5 RFC 5648 */
	"PBU_ACCEPTED_TB_IGNORED_SETTINGSMISMATCH",   /* 6 RFC 6058 */
};

static const char *const ba_reject[] = {
	"Reason unspecified",                                  /* 128 RFC 6275 */
	"Administratively prohibited",                         /* 129 */
	"Insufficient resources",                              /* 130 */
	"Home registration not supported",                     /* 131 */
	"Not home subnet",                                     /* 132 */
	"Not home agent for this mobile node",                 /* 133 */
	"Duplicate Address Detection failed",                  /* 134 */
	"Sequence number out of window",                       /* 135 */
	"Expired home nonce index",                            /* 136 */
	"Expired care-of nonce index",                         /* 137 */
	"Expired nonces",                                      /* 138 */
	"Registration type change disallowed",                 /* 139 RFC 6275 */
	"Mobile Router Operation not permitted",               /* 140 RFC 3963 */
	"Invalid Prefix",                                      /* 141 */
	"Not Authorized for Prefix",                           /* 142 */
	"Forwarding Setup failed",                             /* 143 RFC 3963 */
	"MIPV6-ID-MISMATCH",                                   /* 144 RFC 4285 */
	"MIPV6-MESG-ID-REQD",                                  /* 145 */
	"MIPV6-AUTH-FAIL",                                     /* 146 RFC 4285 */
	"Permanent home keygen token unavailable",             /* 147 RFC 4866 */
	"CGA and signature verification failed",               /* 148 */
	"Permanent home keygen token exists",                  /* 149 */
	"Non-null home nonce index expected",                  /* 150 RFC 4866 */
	"SERVICE_AUTHORIZATION_FAILED",                        /* 151 RFC 5149 */
	"PROXY_REG_NOT_ENABLED",                               /* 152 RFC 5213 */
	"NOT_LMA_FOR_THIS_MOBILE_NODE",                        /* 153 */
	"MAG_NOT_AUTHORIZED_FOR_PROXY_REG",                    /* 154 */
	"NOT_AUTHORIZED_FOR_HOME_NETWORK_PREFIX",              /* 155 */
	"TIMESTAMP_MISMATCH",                                  /* 156 */
	"TIMESTAMP_LOWER_THAN_PREV_ACCEPTED",                  /* 157 */
	"MISSING_HOME_NETWORK_PREFIX_OPTION",                  /* 158 */
	"BCE_PBU_PREFIX_SET_DO_NOT_MATCH",                     /* 159 */
	"MISSING_MN_IDENTIFIER_OPTION",                        /* 160 */
	"MISSING_HANDOFF_INDICATOR_OPTION",                    /* 161 */
	"MISSING_ACCESS_TECH_TYPE_OPTION",                     /* 162 RFC 5213 */
	"GRE_KEY_OPTION_REQUIRED",                             /* 163 RFC 5845 */
	"MCOA MALFORMED",                                      /* 164 RFC 5648 */
	"MCOA NON-MCOA BINDING EXISTS",                        /* 165 */
	"MCOA PROHIBITED",                                     /* 166 */
	"MCOA UNKNOWN COA",                                    /* 167 */
	"MCOA BULK REGISTRATION PROHIBITED",                   /* 168 */
	"MCOA SIMULTANEOUS HOME AND FOREIGN PROHIBITED",       /* 169 RFC 5648 */
	"NOT_AUTHORIZED_FOR_IPV4_MOBILITY_SERVICE",            /* 170 RFC 5844 */
	"NOT_AUTHORIZED_FOR_IPV4_HOME_ADDRESS",                /* 171 */
	"NOT_AUTHORIZED_FOR_IPV6_MOBILITY_SERVICE",            /* 172 */
	"MULTIPLE_IPV4_HOME_ADDRESS_ASSIGNMENT_NOT_SUPPORTED", /* 173 RFC 5844 */
	"Invalid Care-of Address",                             /* 174 RFC 6275 */
	"INVALID_MOBILE_NODE_GROUP_IDENTIFIER",                /* 175 RFC 6602 */
	"REINIT_SA_WITH_HAC",                                  /* 176 RFC 6618 */
	"NOT_AUTHORIZED_FOR_DELEGATED_MNP",                    /* 177 RFC 7148 */
	"REQUESTED_DMNP_IN_USE",                               /* 178 RFC 7148 */
	"CANNOT_MEET_QOS_SERVICE_REQUEST",                     /* 179 RFC 7222 */
	"CANNOT_SUPPORT_MULTIPATH_BINDING",                    /* 180 RFC 8278 */
};

const char *mk_mh_ba_status_name(uint8_t status)
{
	if (status < NELEM(ba_accept))
		return ba_accept[status];
	if (status >= 128 && status - 128u < NELEM(ba_reject))
		return ba_reject[status - 128];
	return NULL;
}

/* IANA "Binding Error Status Codes", RFC 6275 6.1.9 */
const char *mk_mh_be_status_name(uint8_t status)
{
	switch (status) {
	case MK_BE_UNKNOWN_HAO:
		return "Unknown binding for Home Address destination option";
	case MK_BE_UNKNOWN_TYPE:
		return "Unrecognized MH Type value";
	default:
		return NULL;
	}
}

/* IANA "Subtype Field of the MN-HA and MN-AAA Authentication Mobility
 * Options", RFC 4285 */
const char *mk_mh_auth_subtype_name(uint8_t subtype)
{
	switch (subtype) {
	case MK_MH_AUTH_MNHA:
		return "MN-HA authentication mobility option";
	case MK_MH_AUTH_MNAAA:
		return "MN-AAA authentication mobility option";
	default:
		return NULL;
	}
}

struct flag_tok {
	uint16_t bit;
	const char *name, *mha_name, *desc;
};

/* IANA "Binding Update Flags" */
static const struct flag_tok bu_flags[] = {
	{ MK_BU_A, "A", "A(mha)", "Acknowledge (RFC 6275)" },
	{ MK_BU_H, "H", "H(mha)", "Home Registration (RFC 6275)" },
	{ MK_BU_L, "L", "L(mha)", "Link-Local Address Compatibility (RFC 6275)" },
	{ MK_BU_K, "K", "K(mha)", "Key Management Mobility Capability (RFC 6275)" },
	{ MK_BU_M, "M", "M(mha)", "MAP Registration (RFC 4140, HMIPv6)" },
	{ MK_BU_R, "R", "R(mha)", "Mobile Router (RFC 3963, NEMO)" },
	{ MK_BU_P, "P", "P(mha)", "Proxy Registration (RFC 5213)" },
	{ MK_BU_F, "F", "F(mha)", "Forcing UDP encapsulation (RFC 5555)" },
	{ MK_BU_T, "T", "T(mha)", "TLV-header format (RFC 5845)" },
	{ MK_BU_B, "B", "B(mha)", "Bulk Binding Update (RFC 6602)" },
	{ MK_BU_S, "S", "S(mha)", "Mobility Service Subscription (RFC 7161)" },
	{ MK_BU_D, "D", "D(mha)", "Distributed Mobility Management (RFC 8885)" },
};

/* IANA "Binding Acknowledgment Flags" */
static const struct flag_tok ba_flags[] = {
	{ MK_BA_K, "K", NULL, "Key Management Mobility Capability (RFC 6275)" },
	{ MK_BA_R, "R", NULL, "Mobile Router (RFC 3963)" },
	{ MK_BA_P, "P", NULL, "Proxy Registration (RFC 5213)" },
	{ MK_BA_T, "T", NULL, "TLV-header format (RFC 5845)" },
	{ MK_BA_B, "B", NULL, "Bulk Binding Update support (RFC 6602)" },
	{ MK_BA_S, "S", NULL, "Mobility Service Subscription (RFC 7161)" },
	{ MK_BA_D, "D", NULL, "Distributed Mobility Management (RFC 8885)" },
};

static const struct flag_tok *find_flag(const struct flag_tok *t, size_t n, uint16_t bit)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].bit == bit)
			return &t[i];
	return NULL;
}

const char *mk_mh_bu_flag_name(uint16_t bit, const struct mk_codepoints *cp)
{
	const struct flag_tok *f = find_flag(bu_flags, NELEM(bu_flags), bit);
	bool mha = bit != 0 && (bit & mk_cp(cp, MK_CP_BU_MHA_FLAG)) == bit;

	if (f)
		return mha ? f->mha_name : f->name;
	return mha ? "MHA" : NULL;
}

const char *mk_mh_bu_flag_desc(uint16_t bit, const struct mk_codepoints *cp)
{
	const struct flag_tok *f = find_flag(bu_flags, NELEM(bu_flags), bit);
	bool mha = bit != 0 && (bit & mk_cp(cp, MK_CP_BU_MHA_FLAG)) == bit;

	if (f && mha)
		return "Multiple Home Agents (paper), on the bit of an IANA flag";
	if (f)
		return f->desc;
	return mha ? "Multiple Home Agents (paper)" : NULL;
}

const char *mk_mh_ba_flag_name(uint8_t bit)
{
	const struct flag_tok *f = find_flag(ba_flags, NELEM(ba_flags), bit);
	return f ? f->name : NULL;
}

/* Append ",tok" (or "tok" first) to buf, truncating safely. */
static void append_tok(char *buf, size_t cap, size_t *used, const char *tok)
{
	if (cap == 0)
		return;
	int n = snprintf(buf + *used, cap - *used, "%s%s", *used ? "," : "", tok);
	if (n < 0)
		return;
	*used += (size_t)n;
	if (*used >= cap)
		*used = cap - 1;
}

char *mk_mh_bu_flags_str(uint16_t flags, const struct mk_codepoints *cp, char *buf, size_t cap)
{
	size_t used = 0;

	if (!buf || cap == 0)
		return buf;
	buf[0] = '\0';
	for (int b = 15; b >= 0; b--) {
		uint16_t bit = (uint16_t)(1u << b);
		if (!(flags & bit))
			continue;
		const char *name = mk_mh_bu_flag_name(bit, cp);
		char hex[8];
		if (!name) {
			snprintf(hex, sizeof hex, "0x%04x", (unsigned)bit);
			name = hex;
		}
		append_tok(buf, cap, &used, name);
	}
	if (flags == 0)
		append_tok(buf, cap, &used, "none");
	return buf;
}

char *mk_mh_ba_flags_str(uint8_t flags, char *buf, size_t cap)
{
	size_t used = 0;

	if (!buf || cap == 0)
		return buf;
	buf[0] = '\0';
	for (int b = 7; b >= 0; b--) {
		uint8_t bit = (uint8_t)(1u << b);
		if (!(flags & bit))
			continue;
		const char *name = mk_mh_ba_flag_name(bit);
		char hex[8];
		if (!name) {
			snprintf(hex, sizeof hex, "0x%02x", (unsigned)bit);
			name = hex;
		}
		append_tok(buf, cap, &used, name);
	}
	if (flags == 0)
		append_tok(buf, cap, &used, "none");
	return buf;
}
