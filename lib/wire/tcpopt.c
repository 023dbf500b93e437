/* lib/wire/tcpopt.c: TCP header, TCP options, TCP Migrate.  See tcpopt.h
 * for the layouts and the choices made. */
#include "tcpopt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>

#include "cksum.h"
#include "cursor.h"

/* ---- small helpers ---- */

static void warn_at(struct mk_tcpopts *o, enum mk_tcp_warn w, size_t off)
{
	if (!(o->warn & (1u << w))) {
		o->warn |= 1u << w;
		o->warn_off[w] = off;
	}
}

/* A 32-bit RFC 6994 ExID we recognise (the parser then reads 4 octets). */
static bool exid32_known(uint32_t x)
{
	return x == MK_TCP_EXID_SMC;
}

static bool is_exp_kind(uint8_t kind)
{
	return kind == MK_TCPOPT_KIND_EXP1 || kind == MK_TCPOPT_KIND_EXP2;
}

/* Does an option of this kind (data d, length l) carry the codepoint
 * option (kid, xid) under cp?  ExID 0: any option of that kind. */
static bool cp_match(const struct mk_codepoints *cp, enum mk_cp_id kid, enum mk_cp_id xid,
		     uint8_t kind, const uint8_t *d, uint8_t l)
{
	if (kind != mk_cp(cp, kid))
		return false;
	uint32_t x = mk_cp(cp, xid);
	if (x == 0)
		return true;
	return l >= 4 && mk_load16(d) == x;
}

/* ---- option parser ---- */

static struct mk_status opts_parse(const uint8_t *buf, size_t len, size_t base,
				   const struct mk_codepoints *cp, struct mk_tcpopts *out)
{
	struct mk_rd r;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	r.base = base;
	while (mk_rd_ok(&r) && mk_rd_left(&r) > 0) {
		size_t at = r.off;
		size_t aoff = base + at;
		uint8_t kind = mk_rd_u8(&r);

		if (out->n >= MK_TCPOPT_MAX)
			return mk_fail(MK_E_TOO_MANY, aoff);
		struct mk_tcpopt *o = &out->o[out->n];
		memset(o, 0, sizeof *o);
		o->kind = kind;
		o->off = aoff;
		if (kind == MK_TCPOPT_KIND_EOL || kind == MK_TCPOPT_KIND_NOP) {
			o->type = kind == MK_TCPOPT_KIND_EOL ? MK_TCPOPT_EOL : MK_TCPOPT_NOP;
			o->len = 1;
			out->n++;
			if (kind == MK_TCPOPT_KIND_NOP)
				continue;
			/* RFC 9293 3.1: after EOL, header padding of zeros */
			while (mk_rd_left(&r) > 0) {
				size_t pat = r.off;
				if (mk_rd_u8(&r) != 0) {
					warn_at(out, MK_TCP_W_EOL_PAD, base + pat);
					break;
				}
			}
			break;
		}
		if (mk_rd_left(&r) == 0)
			return mk_fail(MK_E_TCP_OPT_NO_LEN, aoff);
		uint8_t l = mk_rd_u8(&r);
		if (l < 2)
			return mk_fail(MK_E_TCP_OPT_LEN_SHORT, aoff + 1);
		if ((size_t)(l - 2) > mk_rd_left(&r))
			return mk_fail(MK_E_TCP_OPT_OVERRUN, aoff + 1);
		const uint8_t *d = mk_rd_ptr(&r, (size_t)(l - 2));
		size_t dlen = (size_t)(l - 2);
		o->len = l;

		bool mig = cp_match(cp, MK_CP_TCP_MIGRATE_KIND, MK_CP_TCP_MIGRATE_EXID, kind, d, l);
		bool perm = cp_match(cp, MK_CP_TCP_MIGPERM_KIND, MK_CP_TCP_MIGPERM_EXID, kind, d, l);
		uint16_t xm = (uint16_t)mk_cp(cp, MK_CP_TCP_MIGRATE_EXID);
		uint16_t xp = (uint16_t)mk_cp(cp, MK_CP_TCP_MIGPERM_EXID);
		size_t mlen = 19u + (xm ? 2u : 0u);

		if (mig && (!perm || l == mlen)) {
			if (l != mlen)
				return mk_fail(MK_E_TCP_OPT_MIGRATE_LEN, aoff + 1);
			const uint8_t *b = d + (xm ? 2 : 0);
			o->type = MK_TCPOPT_MIGRATE;
			o->u.migrate.exid = xm;
			o->u.migrate.preload = (b[0] & 0x80) != 0;
			o->u.migrate.reqno = b[0] & 0x7f;
			o->u.migrate.token = mk_load64(b + 1);
			o->u.migrate.request = mk_load64(b + 9);
		} else if (perm) {
			size_t x = xp ? 2u : 0u;
			size_t coff = aoff + 2 + x;
			if (l != 3 + x && l != 20 + x)
				return mk_fail(MK_E_TCP_OPT_MIGPERM_LEN, aoff + 1);
			const uint8_t *b = d + x;
			o->type = MK_TCPOPT_MIGPERM;
			o->u.migperm.exid = xp;
			o->u.migperm.curve = b[0];
			if (l == 3 + x && b[0] != 0)
				return mk_fail(MK_E_TCP_OPT_MIGPERM_CURVE, coff);
			if (l == 20 + x) {
				if (b[0] == 0)
					return mk_fail(MK_E_TCP_OPT_MIGPERM_CURVE0, coff);
				memcpy(o->u.migperm.key, b + 1, MK_TCP_MIGPERM_KEYDATA);
			}
		} else if (is_exp_kind(kind)) {
			if (l < 4)
				return mk_fail(MK_E_TCP_OPT_EXP_LEN, aoff + 1);
			o->type = MK_TCPOPT_EXP;
			if (l >= 6 && exid32_known(mk_load32(d))) {
				o->u.exp.exid = mk_load32(d);
				o->u.exp.exid_len = 4;
			} else {
				o->u.exp.exid = mk_load16(d);
				o->u.exp.exid_len = 2;
			}
			o->u.exp.data = d + o->u.exp.exid_len;
			o->u.exp.dlen = dlen - o->u.exp.exid_len;
		} else {
			switch (kind) {
			case MK_TCPOPT_KIND_MSS:
				if (l != 4)
					return mk_fail(MK_E_TCP_OPT_MSS_LEN, aoff + 1);
				o->type = MK_TCPOPT_MSS;
				o->u.mss = mk_load16(d);
				break;
			case MK_TCPOPT_KIND_WS:
				if (l != 3)
					return mk_fail(MK_E_TCP_OPT_WS_LEN, aoff + 1);
				o->type = MK_TCPOPT_WS;
				o->u.ws = d[0];
				if (d[0] > 14)
					warn_at(out, MK_TCP_W_WS_SHIFT, aoff + 2);
				break;
			case MK_TCPOPT_KIND_SACKP:
				if (l != 2)
					return mk_fail(MK_E_TCP_OPT_SACKP_LEN, aoff + 1);
				o->type = MK_TCPOPT_SACKP;
				break;
			case MK_TCPOPT_KIND_SACK:
				if (l < 10 || (l - 2) % 8 != 0 || (l - 2) / 8 > MK_TCP_SACK_MAX)
					return mk_fail(MK_E_TCP_OPT_SACK_LEN, aoff + 1);
				o->type = MK_TCPOPT_SACK;
				o->u.sack.n = (uint8_t)((l - 2) / 8);
				for (size_t i = 0; i < o->u.sack.n; i++) {
					o->u.sack.blk[i].left = mk_load32(d + 8 * i);
					o->u.sack.blk[i].right = mk_load32(d + 8 * i + 4);
				}
				break;
			case MK_TCPOPT_KIND_TS:
				if (l != 10)
					return mk_fail(MK_E_TCP_OPT_TS_LEN, aoff + 1);
				o->type = MK_TCPOPT_TS;
				o->u.ts.val = mk_load32(d);
				o->u.ts.ecr = mk_load32(d + 4);
				break;
			default:
				o->type = MK_TCPOPT_RAW;
				o->u.raw.data = d;
				o->u.raw.dlen = dlen;
				break;
			}
		}
		out->n++;
	}
	return mk_rd_status(&r);
}

struct mk_status mk_tcpopts_parse(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
				  struct mk_tcpopts *out)
{
	return opts_parse(buf, len, 0, cp, out);
}

/* ---- option builder ---- */

size_t mk_tcpopt_wire_len(const struct mk_codepoints *cp, const struct mk_tcpopt *o)
{
	size_t n;

	switch (o->type) {
	case MK_TCPOPT_EOL:
	case MK_TCPOPT_NOP:
		return 1;
	case MK_TCPOPT_MSS:
		return 4;
	case MK_TCPOPT_WS:
		return 3;
	case MK_TCPOPT_SACKP:
		return 2;
	case MK_TCPOPT_SACK:
		if (o->u.sack.n < 1 || o->u.sack.n > MK_TCP_SACK_MAX)
			return 0;
		return 2 + 8u * o->u.sack.n;
	case MK_TCPOPT_TS:
		return 10;
	case MK_TCPOPT_MIGPERM:
		return (o->u.migperm.curve ? 20u : 3u) +
		       (mk_cp(cp, MK_CP_TCP_MIGPERM_EXID) ? 2u : 0u);
	case MK_TCPOPT_MIGRATE:
		return 19u + (mk_cp(cp, MK_CP_TCP_MIGRATE_EXID) ? 2u : 0u);
	case MK_TCPOPT_EXP:
		if (o->u.exp.exid_len != 2 && o->u.exp.exid_len != 4)
			return 0;
		if (o->u.exp.dlen > 255)
			return 0;
		n = 2u + o->u.exp.exid_len + o->u.exp.dlen;
		return n > 255 ? 0 : n;
	case MK_TCPOPT_RAW:
		if (o->u.raw.dlen > 253)
			return 0;
		return 2u + o->u.raw.dlen;
	default:
		return 0;
	}
}

/* The start offset modulo 4 the ALIGNED layout wants; -1 for anywhere. */
static int align_want(const struct mk_codepoints *cp, const struct mk_tcpopt *o)
{
	size_t l = mk_tcpopt_wire_len(cp, o);

	switch (o->type) {
	case MK_TCPOPT_MSS:
	case MK_TCPOPT_EXP:
	case MK_TCPOPT_RAW:
		return 0;
	case MK_TCPOPT_TS:
	case MK_TCPOPT_SACK:
		return 2;
	case MK_TCPOPT_WS:
	case MK_TCPOPT_MIGPERM:
	case MK_TCPOPT_MIGRATE:
		return (int)((4 - l % 4) % 4); /* end on a 4-octet boundary */
	default:
		return -1;
	}
}

static size_t align_pad(int want, size_t off)
{
	if (want < 0)
		return 0;
	return ((size_t)want + 4 - off % 4) % 4;
}

/* Input checks of one option at index i, before any octet is written. */
static struct mk_status opt_check(const struct mk_codepoints *cp, const struct mk_tcpopt *o,
				  size_t i)
{
	if ((unsigned)o->type >= MK_TCPOPT__COUNT)
		return mk_fail(MK_E_TCP_OPT_BAD, i);
	switch (o->type) {
	case MK_TCPOPT_SACK:
		if (o->u.sack.n < 1 || o->u.sack.n > MK_TCP_SACK_MAX)
			return mk_fail(MK_E_RANGE, i);
		break;
	case MK_TCPOPT_MIGRATE:
		if (o->u.migrate.reqno > 127)
			return mk_fail(MK_E_RANGE, i);
		break;
	case MK_TCPOPT_EXP:
		if (!is_exp_kind(o->kind))
			return mk_fail(MK_E_TCP_OPT_BAD, i);
		if (o->u.exp.exid_len != 2 && o->u.exp.exid_len != 4)
			return mk_fail(MK_E_TCP_OPT_BAD, i);
		if (o->u.exp.exid_len == 2 && o->u.exp.exid > 0xffff)
			return mk_fail(MK_E_RANGE, i);
		if (o->u.exp.dlen && !o->u.exp.data)
			return mk_fail(MK_E_TCP_OPT_BAD, i);
		break;
	case MK_TCPOPT_RAW:
		if (o->kind == MK_TCPOPT_KIND_EOL || o->kind == MK_TCPOPT_KIND_NOP)
			return mk_fail(MK_E_TCP_OPT_BAD, i);
		if (o->u.raw.dlen && !o->u.raw.data)
			return mk_fail(MK_E_TCP_OPT_BAD, i);
		break;
	default:
		break;
	}
	if (mk_tcpopt_wire_len(cp, o) == 0)
		return mk_fail(MK_E_TCP_OPT_SPACE, i);
	return mk_ok();
}

struct mk_status mk_tcpopts_space(const struct mk_codepoints *cp, const struct mk_tcpopt *o,
				  size_t n, size_t *packed, size_t *aligned)
{
	size_t p = 0, a = 0;
	size_t first_over = n;

	for (size_t i = 0; i < n; i++) {
		struct mk_status st = opt_check(cp, &o[i], i);
		if (st.err != MK_E_OK)
			return st;
		size_t l = mk_tcpopt_wire_len(cp, &o[i]);
		p += l;
		a += align_pad(align_want(cp, &o[i]), a) + l;
		if (p > MK_TCPOPT_SPACE && first_over == n)
			first_over = i;
	}
	if (packed)
		*packed = p;
	if (aligned)
		*aligned = a;
	if (first_over < n)
		return mk_fail(MK_E_TCP_OPT_SPACE, first_over);
	return mk_ok();
}

static void opt_write(struct mk_wr *w, const struct mk_codepoints *cp, const struct mk_tcpopt *o)
{
	uint8_t l = (uint8_t)mk_tcpopt_wire_len(cp, o);
	uint16_t x;

	switch (o->type) {
	case MK_TCPOPT_EOL:
		mk_wr_u8(w, MK_TCPOPT_KIND_EOL);
		return;
	case MK_TCPOPT_NOP:
		mk_wr_u8(w, MK_TCPOPT_KIND_NOP);
		return;
	case MK_TCPOPT_MSS:
		mk_wr_u8(w, MK_TCPOPT_KIND_MSS);
		mk_wr_u8(w, l);
		mk_wr_u16(w, o->u.mss);
		return;
	case MK_TCPOPT_WS:
		mk_wr_u8(w, MK_TCPOPT_KIND_WS);
		mk_wr_u8(w, l);
		mk_wr_u8(w, o->u.ws);
		return;
	case MK_TCPOPT_SACKP:
		mk_wr_u8(w, MK_TCPOPT_KIND_SACKP);
		mk_wr_u8(w, l);
		return;
	case MK_TCPOPT_SACK:
		mk_wr_u8(w, MK_TCPOPT_KIND_SACK);
		mk_wr_u8(w, l);
		for (size_t i = 0; i < o->u.sack.n; i++) {
			mk_wr_u32(w, o->u.sack.blk[i].left);
			mk_wr_u32(w, o->u.sack.blk[i].right);
		}
		return;
	case MK_TCPOPT_TS:
		mk_wr_u8(w, MK_TCPOPT_KIND_TS);
		mk_wr_u8(w, l);
		mk_wr_u32(w, o->u.ts.val);
		mk_wr_u32(w, o->u.ts.ecr);
		return;
	case MK_TCPOPT_MIGPERM:
		x = (uint16_t)mk_cp(cp, MK_CP_TCP_MIGPERM_EXID);
		mk_wr_u8(w, (uint8_t)mk_cp(cp, MK_CP_TCP_MIGPERM_KIND));
		mk_wr_u8(w, l);
		if (x)
			mk_wr_u16(w, x);
		mk_wr_u8(w, o->u.migperm.curve);
		if (o->u.migperm.curve)
			mk_wr_bytes(w, o->u.migperm.key, MK_TCP_MIGPERM_KEYDATA);
		return;
	case MK_TCPOPT_MIGRATE:
		x = (uint16_t)mk_cp(cp, MK_CP_TCP_MIGRATE_EXID);
		mk_wr_u8(w, (uint8_t)mk_cp(cp, MK_CP_TCP_MIGRATE_KIND));
		mk_wr_u8(w, l);
		if (x)
			mk_wr_u16(w, x);
		mk_wr_u8(w, (uint8_t)((o->u.migrate.preload ? 0x80 : 0) | (o->u.migrate.reqno & 0x7f)));
		mk_wr_u64(w, o->u.migrate.token);
		mk_wr_u64(w, o->u.migrate.request);
		return;
	case MK_TCPOPT_EXP:
		mk_wr_u8(w, o->kind);
		mk_wr_u8(w, l);
		if (o->u.exp.exid_len == 4)
			mk_wr_u32(w, o->u.exp.exid);
		else
			mk_wr_u16(w, (uint16_t)o->u.exp.exid);
		mk_wr_bytes(w, o->u.exp.data, o->u.exp.dlen);
		return;
	case MK_TCPOPT_RAW:
		mk_wr_u8(w, o->kind);
		mk_wr_u8(w, l);
		mk_wr_bytes(w, o->u.raw.data, o->u.raw.dlen);
		return;
	default:
		mk_wr_fail(w, MK_E_TCP_OPT_BAD);
		return;
	}
}

struct mk_status mk_tcpopts_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
				  const struct mk_tcpopt *o, size_t n, enum mk_tcpopt_layout layout,
				  size_t *outlen)
{
	struct mk_status st;
	size_t packed, aligned;
	struct mk_wr w;

	*outlen = 0;
	if (n && !o)
		return mk_fail(MK_E_INVAL, 0);
	for (size_t i = 0; i + 1 < n; i++)
		if (o[i].type == MK_TCPOPT_EOL)
			return mk_fail(MK_E_TCP_OPT_AFTER_EOL, i + 1);
	st = mk_tcpopts_space(cp, o, n, &packed, &aligned);
	if (st.err != MK_E_OK)
		return st;
	bool align;
	switch (layout) {
	case MK_TCPOPT_PACKED:
		align = false;
		break;
	case MK_TCPOPT_ALIGNED:
		if (aligned > MK_TCPOPT_SPACE) {
			size_t a = 0;
			for (size_t i = 0; i < n; i++) {
				a += align_pad(align_want(cp, &o[i]), a) + mk_tcpopt_wire_len(cp, &o[i]);
				if (a > MK_TCPOPT_SPACE)
					return mk_fail(MK_E_TCP_OPT_SPACE, i);
			}
		}
		align = true;
		break;
	case MK_TCPOPT_AUTO:
		align = aligned <= MK_TCPOPT_SPACE;
		break;
	default:
		return mk_fail(MK_E_INVAL, 0);
	}

	mk_wr_init(&w, buf, cap);
	for (size_t i = 0; i < n; i++) {
		if (align) {
			size_t pad = align_pad(align_want(cp, &o[i]), w.off);
			for (size_t k = 0; k < pad; k++)
				mk_wr_u8(&w, MK_TCPOPT_KIND_NOP);
		}
		opt_write(&w, cp, &o[i]);
		if (!mk_wr_ok(&w))
			return mk_fail(w.err, i);
	}
	/* EOL and zero padding to a 32-bit boundary (RFC 9293 3.1) */
	mk_wr_zero(&w, (4 - w.off % 4) % 4);
	if (!mk_wr_ok(&w))
		return mk_fail(w.err, n);
	*outlen = w.off;
	return mk_ok();
}

/* ---- labels and descriptions ---- */

static size_t fmt_append(char *buf, size_t cap, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static size_t fmt_append(char *buf, size_t cap, size_t at, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	if (at < cap)
		n = vsnprintf(buf + at, cap - at, fmt, ap);
	else
		n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	return n < 0 ? at : at + (size_t)n;
}

/* "MSS", "Kind30", "Exp-f989" into a small buffer. */
static const char *opt_label(const struct mk_tcpopt *o, char *tmp, size_t cap)
{
	switch (o->type) {
	case MK_TCPOPT_EXP:
		snprintf(tmp, cap, "Exp-%04x", (unsigned)o->u.exp.exid);
		return tmp;
	case MK_TCPOPT_RAW:
		snprintf(tmp, cap, "Kind%u", (unsigned)o->kind);
		return tmp;
	default: {
		const char *s = mk_tcpopt_type_name(o->type);
		return s ? s : "?";
	}
	}
}

size_t mk_tcpopts_space_fmt(char *buf, size_t cap, const struct mk_codepoints *cp,
			    const struct mk_tcpopt *o, size_t n)
{
	size_t at = 0, sum = 0;
	char tmp[32];

	if (cap)
		buf[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		size_t l = mk_tcpopt_wire_len(cp, &o[i]);
		sum += l;
		at = fmt_append(buf, cap, at, "%s%s(%zu)", i ? "+" : "", opt_label(&o[i], tmp, sizeof tmp), l);
	}
	at = fmt_append(buf, cap, at, " = %zu %s %d", sum, sum > MK_TCPOPT_SPACE ? ">" : "<=",
			MK_TCPOPT_SPACE);
	return at;
}

size_t mk_tcpopt_describe(char *buf, size_t cap, const struct mk_codepoints *cp,
			  const struct mk_tcpopt *o)
{
	char tmp[32];
	size_t at = 0;
	uint8_t kind = o->kind;
	uint32_t exid = 0;
	int exid_digits = 0;

	if (cap)
		buf[0] = '\0';
	switch (o->type) {
	case MK_TCPOPT_EOL: kind = MK_TCPOPT_KIND_EOL; break;
	case MK_TCPOPT_NOP: kind = MK_TCPOPT_KIND_NOP; break;
	case MK_TCPOPT_MSS: kind = MK_TCPOPT_KIND_MSS; break;
	case MK_TCPOPT_WS: kind = MK_TCPOPT_KIND_WS; break;
	case MK_TCPOPT_SACKP: kind = MK_TCPOPT_KIND_SACKP; break;
	case MK_TCPOPT_SACK: kind = MK_TCPOPT_KIND_SACK; break;
	case MK_TCPOPT_TS: kind = MK_TCPOPT_KIND_TS; break;
	case MK_TCPOPT_MIGPERM:
		kind = (uint8_t)mk_cp(cp, MK_CP_TCP_MIGPERM_KIND);
		exid = mk_cp(cp, MK_CP_TCP_MIGPERM_EXID);
		exid_digits = exid ? 4 : 0;
		break;
	case MK_TCPOPT_MIGRATE:
		kind = (uint8_t)mk_cp(cp, MK_CP_TCP_MIGRATE_KIND);
		exid = mk_cp(cp, MK_CP_TCP_MIGRATE_EXID);
		exid_digits = exid ? 4 : 0;
		break;
	case MK_TCPOPT_EXP:
		exid = o->u.exp.exid;
		exid_digits = o->u.exp.exid_len == 4 ? 8 : 4;
		break;
	default:
		break;
	}
	at = fmt_append(buf, cap, at, "%s(%zu) kind %u", opt_label(o, tmp, sizeof tmp),
			mk_tcpopt_wire_len(cp, o), (unsigned)kind);
	const char *kn = mk_tcpopt_kind_name(kind);
	if (o->type == MK_TCPOPT_RAW || o->type == MK_TCPOPT_EXP)
		at = fmt_append(buf, cap, at, " (%s)", kn ? kn : "unassigned");
	if (exid_digits) {
		at = fmt_append(buf, cap, at, " ExID 0x%0*x", exid_digits, (unsigned)exid);
		const char *xn = o->type == MK_TCPOPT_EXP ? mk_tcp_exid_name(exid) : NULL;
		if (xn)
			at = fmt_append(buf, cap, at, " %s", xn);
	}
	return at;
}

/* ---- header ---- */

static bool syn_only(enum mk_tcpopt_type t)
{
	return t == MK_TCPOPT_MSS || t == MK_TCPOPT_WS || t == MK_TCPOPT_SACKP ||
	       t == MK_TCPOPT_MIGPERM || t == MK_TCPOPT_MIGRATE;
}

struct mk_status mk_tcp_parse(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
			      struct mk_tcp *out)
{
	struct mk_rd r;

	memset(out, 0, sizeof *out);
	mk_rd_init(&r, buf, len);
	out->sport = mk_rd_u16(&r);
	out->dport = mk_rd_u16(&r);
	out->seq = mk_rd_u32(&r);
	out->ack = mk_rd_u32(&r);
	uint8_t b12 = mk_rd_u8(&r);
	uint8_t b13 = mk_rd_u8(&r);
	out->window = mk_rd_u16(&r);
	out->cksum = mk_rd_u16(&r);
	out->urg = mk_rd_u16(&r);
	if (!mk_rd_ok(&r))
		return mk_rd_status(&r);
	out->doff = b12 >> 4;
	out->flags = (uint16_t)(((b12 & 0x0f) << 8) | b13);
	out->layout = MK_TCPOPT_PACKED;
	if (out->doff < 5)
		return mk_fail(MK_E_TCP_DOFF_SMALL, 12);
	size_t hlen = (size_t)out->doff * 4;
	if (hlen > len)
		return mk_fail(MK_E_TCP_DOFF_PAST_END, 12);
	out->raw_opt = buf + MK_TCP_HDR_MIN;
	out->raw_optlen = hlen - MK_TCP_HDR_MIN;
	out->payload = buf + hlen;
	out->payload_len = len - hlen;

	struct mk_status st = opts_parse(out->raw_opt, out->raw_optlen, MK_TCP_HDR_MIN, cp,
					 &out->opts);
	if (out->flags & MK_TCP_RESERVED)
		warn_at(&out->opts, MK_TCP_W_RESERVED, 12);
	if (st.err != MK_E_OK)
		return st;
	if (!(out->flags & MK_TCP_SYN))
		for (size_t i = 0; i < out->opts.n; i++)
			if (syn_only(out->opts.o[i].type)) {
				warn_at(&out->opts, MK_TCP_W_SYN_ONLY, out->opts.o[i].off);
				break;
			}
	return mk_ok();
}

struct mk_status mk_tcp_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
			      const struct mk_tcp *in, size_t *outlen)
{
	uint8_t opt[MK_TCPOPT_SPACE];
	const uint8_t *optp = opt;
	size_t optlen = 0;
	struct mk_wr w;

	*outlen = 0;
	if (in->flags > 0x0fff)
		return mk_fail(MK_E_RANGE, 12);
	if (in->opts.n > 0) {
		if (in->opts.n > MK_TCPOPT_MAX)
			return mk_fail(MK_E_TOO_MANY, MK_TCP_HDR_MIN);
		struct mk_status st = mk_tcpopts_build(opt, sizeof opt, cp, in->opts.o, in->opts.n,
						       in->layout, &optlen);
		if (st.err != MK_E_OK)
			return st; /* offset: index of the option */
	} else if (in->raw_optlen) {
		if (in->raw_optlen > MK_TCPOPT_SPACE || in->raw_optlen % 4)
			return mk_fail(MK_E_RANGE, MK_TCP_HDR_MIN);
		if (!in->raw_opt)
			return mk_fail(MK_E_INVAL, MK_TCP_HDR_MIN);
		optp = in->raw_opt;
		optlen = in->raw_optlen;
	}
	if (in->payload_len && !in->payload)
		return mk_fail(MK_E_INVAL, MK_TCP_HDR_MIN + optlen);
	if (in->payload_len > 65535 - MK_TCP_HDR_MIN - optlen)
		return mk_fail(MK_E_RANGE, MK_TCP_HDR_MIN + optlen);

	size_t doff = (MK_TCP_HDR_MIN + optlen) / 4;
	mk_wr_init(&w, buf, cap);
	mk_wr_u16(&w, in->sport);
	mk_wr_u16(&w, in->dport);
	mk_wr_u32(&w, in->seq);
	mk_wr_u32(&w, in->ack);
	mk_wr_u8(&w, (uint8_t)((doff << 4) | ((in->flags >> 8) & 0x0f)));
	mk_wr_u8(&w, (uint8_t)(in->flags & 0xff));
	mk_wr_u16(&w, in->window);
	mk_wr_u16(&w, 0);
	mk_wr_u16(&w, in->urg);
	mk_wr_bytes(&w, optp, optlen);
	mk_wr_bytes(&w, in->payload, in->payload_len);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	*outlen = w.off;
	return mk_ok();
}

enum mk_err mk_tcp_warn_err(enum mk_tcp_warn w)
{
	switch (w) {
	case MK_TCP_W_RESERVED: return MK_E_TCP_W_RESERVED;
	case MK_TCP_W_EOL_PAD: return MK_E_TCP_W_EOL_PAD;
	case MK_TCP_W_WS_SHIFT: return MK_E_TCP_W_WS_SHIFT;
	case MK_TCP_W_SYN_ONLY: return MK_E_TCP_W_SYN_ONLY;
	default: return MK_E_INVAL;
	}
}

struct mk_status mk_tcp_strict(const struct mk_tcp *seg)
{
	int best = -1;

	for (int w = 0; w < MK_TCP_W__COUNT; w++)
		if ((seg->opts.warn & (1u << w)) &&
		    (best < 0 || seg->opts.warn_off[w] < seg->opts.warn_off[best]))
			best = w;
	if (best < 0)
		return mk_ok();
	return mk_fail(mk_tcp_warn_err((enum mk_tcp_warn)best), seg->opts.warn_off[best]);
}

/* ---- checksum ---- */

uint16_t mk_tcp_cksum(const uint8_t *buf, size_t len, const struct in6_addr *src,
		      const struct in6_addr *dst)
{
	uint32_t s = mk_csum_pseudo6(src, dst, (uint32_t)len, IPPROTO_TCP);

	if (len < 18)
		return mk_csum_finish(mk_csum_add(s, buf, len));
	s = mk_csum_add(s, buf, 16);
	s = mk_csum_add(s, buf + 18, len - 18);
	return mk_csum_finish(s);
}

struct mk_status mk_tcp_cksum_fill(uint8_t *buf, size_t len, const struct in6_addr *src,
				   const struct in6_addr *dst)
{
	if (len < MK_TCP_HDR_MIN)
		return mk_fail(MK_E_TRUNC, len);
	mk_store16(buf + 16, mk_tcp_cksum(buf, len, src, dst));
	return mk_ok();
}

bool mk_tcp_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		     const struct in6_addr *dst)
{
	if (len < MK_TCP_HDR_MIN)
		return false;
	return mk_csum6_ok(src, dst, IPPROTO_TCP, buf, len);
}

/* ---- TCP Migrate ---- */

static struct mk_status sha1_top64(const uint8_t *in, size_t n, uint64_t *out)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;

	if (EVP_Digest(in, n, md, &mdlen, EVP_sha1(), NULL) != 1 || mdlen != 20)
		return mk_fail(MK_E_CRYPTO, 0);
	*out = mk_load64(md);
	return mk_ok();
}

/* Ni | Na | K into the first 33 octets of in. */
static void migrate_prefix(uint8_t in[33], uint32_t ni, uint32_t na, const uint8_t *k)
{
	mk_store32(in, ni);
	mk_store32(in + 4, na);
	if (k)
		memcpy(in + 8, k, MK_TCP_MIGRATE_KEYLEN);
	else
		memset(in + 8, 0, MK_TCP_MIGRATE_KEYLEN);
}

struct mk_status mk_tcp_migrate_token(uint32_t ni, uint32_t na,
				      const uint8_t k[MK_TCP_MIGRATE_KEYLEN], uint64_t *token)
{
	uint8_t in[33];

	*token = 0;
	migrate_prefix(in, ni, na, k);
	return sha1_top64(in, sizeof in, token);
}

struct mk_status mk_tcp_migrate_request(uint32_t ni, uint32_t na,
					const uint8_t k[MK_TCP_MIGRATE_KEYLEN], uint32_t s,
					uint8_t reqno, uint64_t *request)
{
	uint8_t in[38];

	*request = 0;
	if (reqno > 127)
		return mk_fail(MK_E_RANGE, 0);
	migrate_prefix(in, ni, na, k);
	mk_store32(in + 33, s);
	in[37] = reqno;
	return sha1_top64(in, sizeof in, request);
}

struct mk_status mk_tcp_migrate_key(const uint8_t *secret, size_t n,
				    uint8_t k[MK_TCP_MIGRATE_KEYLEN])
{
	memset(k, 0, MK_TCP_MIGRATE_KEYLEN);
	if (n > MK_TCP_MIGRATE_KEYLEN)
		return mk_fail(MK_E_RANGE, 0);
	if (n)
		memcpy(k + MK_TCP_MIGRATE_KEYLEN - n, secret, n);
	return mk_ok();
}

void mk_tcp_migperm_split(const uint8_t pub[MK_TCP_MIGRATE_KEYLEN],
			  uint8_t keydata[MK_TCP_MIGPERM_KEYDATA], uint32_t *tsval,
			  uint32_t *tsecr)
{
	memcpy(keydata, pub, MK_TCP_MIGPERM_KEYDATA);
	*tsval = mk_load32(pub + 17);
	*tsecr = mk_load32(pub + 21);
}

void mk_tcp_migperm_join(const uint8_t keydata[MK_TCP_MIGPERM_KEYDATA], uint32_t tsval,
			 uint32_t tsecr, uint8_t pub[MK_TCP_MIGRATE_KEYLEN])
{
	memcpy(pub, keydata, MK_TCP_MIGPERM_KEYDATA);
	mk_store32(pub + 17, tsval);
	mk_store32(pub + 21, tsecr);
}

bool mk_tcp_reqno_newer(uint8_t a, uint8_t b)
{
	unsigned d = (unsigned)(a - b) & 0x7fu;
	return d != 0 && d < 64;
}

uint8_t mk_tcp_reqno_next(uint8_t r)
{
	return (uint8_t)((r + 1) & 0x7f);
}

struct mk_status mk_tcp_migrate_syn_check(const struct mk_tcp *seg,
					  const struct mk_tcpopt **extra)
{
	const struct mk_tcpopt *mig = NULL;

	if (extra)
		*extra = NULL;
	if (!(seg->flags & MK_TCP_SYN))
		return mk_fail(MK_E_TCP_MIGSYN_NOT_SYN, 13);
	for (size_t i = 0; i < seg->opts.n; i++) {
		const struct mk_tcpopt *o = &seg->opts.o[i];
		if (o->type == MK_TCPOPT_NOP || o->type == MK_TCPOPT_EOL)
			continue;
		if (o->type == MK_TCPOPT_MIGRATE && !mig) {
			mig = o;
			continue;
		}
		if (extra)
			*extra = o;
		return mk_fail(MK_E_TCP_MIGSYN_EXTRA_OPT, o->off);
	}
	if (!mig)
		return mk_fail(MK_E_TCP_MIGSYN_NO_MIGRATE, MK_TCP_HDR_MIN);
	return mk_ok();
}

/* ---- name tables ---- */

/* IANA "TCP Option Kind Numbers" (tcp-parameters), as mirrored by PyPCAPKit
 * pcapkit/const/tcp/option.py; RFCs in the comments. */
const char *mk_tcpopt_kind_name(uint8_t kind)
{
	switch (kind) {
	case 0: return "End of Option List";                          /* RFC 9293 */
	case 1: return "No-Operation";                                /* RFC 9293 */
	case 2: return "Maximum Segment Size";                        /* RFC 9293 */
	case 3: return "Window Scale";                                /* RFC 7323 */
	case 4: return "SACK Permitted";                              /* RFC 2018 */
	case 5: return "SACK";                                        /* RFC 2018 */
	case 6: return "Echo (obsolete)";                             /* RFC 1072, 6247 */
	case 7: return "Echo Reply (obsolete)";                       /* RFC 1072, 6247 */
	case 8: return "Timestamps";                                  /* RFC 7323 */
	case 9: return "Partial Order Connection Permitted (obsolete)"; /* RFC 1693 */
	case 10: return "Partial Order Service Profile (obsolete)";   /* RFC 1693 */
	case 11: return "CC (obsolete)";                              /* RFC 1644 */
	case 12: return "CC.NEW (obsolete)";                          /* RFC 1644 */
	case 13: return "CC.ECHO (obsolete)";                         /* RFC 1644 */
	case 14: return "TCP Alternate Checksum Request (obsolete)";  /* RFC 1146 */
	case 15: return "TCP Alternate Checksum Data (obsolete)";     /* RFC 1146 */
	case 16: return "Skeeter";                                    /* Stev Knowles */
	case 17: return "Bubba";                                      /* Stev Knowles */
	case 18: return "Trailer Checksum Option";
	case 19: return "MD5 Signature Option (obsolete)";            /* RFC 2385 */
	case 20: return "SCPS Capabilities";
	case 21: return "Selective Negative Acknowledgements";
	case 22: return "Record Boundaries";
	case 23: return "Corruption experienced";
	case 24: return "SNAP";
	case 25: return "Unassigned (released 2000-12-18)";
	case 26: return "TCP Compression Filter";
	case 27: return "Quick-Start Response";                        /* RFC 4782 */
	case 28: return "User Timeout Option";                        /* RFC 5482 */
	case 29: return "TCP Authentication Option (TCP-AO)";         /* RFC 5925 */
	case 30: return "Multipath TCP (MPTCP)";                      /* RFC 8684 */
	case 34: return "TCP Fast Open Cookie";                       /* RFC 7413 */
	case 69: return "Encryption Negotiation (TCP-ENO)";           /* RFC 8547 */
	case 172: return "Accurate ECN Order 0 (AccECN0)";            /* RFC 9768 */
	case 174: return "Accurate ECN Order 1 (AccECN1)";            /* RFC 9768 */
	case 253: return "RFC3692-style Experiment 1";                /* RFC 4727 */
	case 254: return "RFC3692-style Experiment 2";                /* RFC 4727 */
	default: return NULL;
	}
}

const char *mk_tcpopt_kind_name_cp(const struct mk_codepoints *cp, uint8_t kind)
{
	bool perm = mk_cp(cp, MK_CP_TCP_MIGPERM_EXID) == 0 &&
		    kind == mk_cp(cp, MK_CP_TCP_MIGPERM_KIND);
	bool mig = mk_cp(cp, MK_CP_TCP_MIGRATE_EXID) == 0 &&
		   kind == mk_cp(cp, MK_CP_TCP_MIGRATE_KIND);

	/* draft-snoeren-tcp-migrate-00 */
	if (perm && mig)
		return "Migrate-Permitted/Migrate";
	if (perm)
		return "Migrate-Permitted";
	if (mig)
		return "Migrate";
	return mk_tcpopt_kind_name(kind);
}

const char *mk_tcpopt_type_name(enum mk_tcpopt_type t)
{
	switch (t) {
	case MK_TCPOPT_EOL: return "EOL";
	case MK_TCPOPT_NOP: return "NOP";
	case MK_TCPOPT_MSS: return "MSS";
	case MK_TCPOPT_WS: return "WS";
	case MK_TCPOPT_SACKP: return "SACKP";
	case MK_TCPOPT_SACK: return "SACK";
	case MK_TCPOPT_TS: return "TS";
	case MK_TCPOPT_MIGPERM: return "MigPerm";
	case MK_TCPOPT_MIGRATE: return "Migrate";
	case MK_TCPOPT_EXP: return "Exp";
	case MK_TCPOPT_RAW: return "Raw";
	default: return NULL;
	}
}

/* RFC 6994 ExIDs: IANA "TCP Experimental Option Experiment Identifiers"
 * and the unregistered ones Linux matches (protocol-facts 4, 5). */
const char *mk_tcp_exid_name(uint32_t exid)
{
	switch (exid) {
	case MK_TCP_EXID_TFO: return "TCP Fast Open";           /* RFC 7413 */
	case MK_TCP_EXID_SMC: return "SMC-R";                   /* RFC 7609 */
	case MK_TCP_EXID_BPF: return "Linux BPF (unregistered)";
	case MK_TCP_EXID_ACCECN: return "AccECN (experimental)";
	default: return NULL;
	}
}

/* RFC 9293 3.1; ECE/CWR RFC 3168; AE RFC 9768. */
const char *mk_tcp_flag_name(uint16_t mask)
{
	switch (mask) {
	case MK_TCP_FIN: return "FIN";
	case MK_TCP_SYN: return "SYN";
	case MK_TCP_RST: return "RST";
	case MK_TCP_PSH: return "PSH";
	case MK_TCP_ACK: return "ACK";
	case MK_TCP_URG: return "URG";
	case MK_TCP_ECE: return "ECE";
	case MK_TCP_CWR: return "CWR";
	case MK_TCP_AE: return "AE";
	default: return NULL;
	}
}

size_t mk_tcp_flags_fmt(char *buf, size_t cap, uint16_t flags)
{
	size_t at = 0;
	bool first = true;

	if (cap)
		buf[0] = '\0';
	for (uint16_t m = 1; m <= MK_TCP_AE; m <<= 1) {
		if (!(flags & m))
			continue;
		at = fmt_append(buf, cap, at, "%s%s", first ? "" : "|", mk_tcp_flag_name(m));
		first = false;
	}
	if (flags & ~0x1ffu) {
		at = fmt_append(buf, cap, at, "%sRSV(0x%03x)", first ? "" : "|",
				(unsigned)(flags & ~0x1ffu));
		first = false;
	}
	if (first)
		at = fmt_append(buf, cap, at, "none");
	return at;
}

const char *mk_tcp_warn_name(enum mk_tcp_warn w)
{
	switch (w) {
	case MK_TCP_W_RESERVED: return "reserved-bits";
	case MK_TCP_W_EOL_PAD: return "eol-padding";
	case MK_TCP_W_WS_SHIFT: return "wscale-shift";
	case MK_TCP_W_SYN_ONLY: return "syn-only-option";
	default: return NULL;
	}
}
