/* lib/dns/msg.c: a strict whole-message DNS parser that keeps the section
 * of every record (the server-mobility design returns the care-of address
 * as a CAAAA in the ADDITIONAL section), and an uncompressed re-encoder.
 * Written here rather than with ldns_wire2pkt because a conformance verdict
 * needs the offset and the class of the first malformation, and ldns
 * reports neither. */
#include <stdio.h>
#include <string.h>

#include "dns/dns.h"
#include "wire/cursor.h"

static struct mk_status skip_name(const uint8_t *b, size_t len, size_t off, size_t *next)
{
	uint8_t tmp[MK_DNS_NAME_MAX];
	size_t n;
	return mk_dns_name_read(b, len, off, tmp, &n, next, 0);
}

/* A name inside RDATA that must end inside it (at *p, which moves on). */
static struct mk_status rd_name(const uint8_t *b, size_t len, size_t *p, size_t rd_end,
				enum mk_err overrun, int uncompressed)
{
	size_t next;
	struct mk_status st;

	if (*p >= rd_end)
		return mk_fail(overrun, *p);
	if (uncompressed) {
		/* walk labels by hand: a pointer here is an error */
		size_t q = *p;
		while (q < rd_end && b[q] != 0) {
			if (b[q] & 0xc0)
				return mk_fail(overrun, q);
			q += 1 + (size_t)b[q];
		}
		if (q >= rd_end)
			return mk_fail(overrun, *p);
		if (q + 1 - *p > MK_DNS_NAME_MAX)
			return mk_fail(MK_E_DNS_NAME_LEN, *p);
		*p = q + 1;
		return mk_ok();
	}
	st = skip_name(b, rd_end, *p, &next);
	if (st.err == MK_E_TRUNC)
		return mk_fail(overrun, *p);
	if (st.err != MK_E_OK)
		return st;
	*p = next;
	return mk_ok();
}

static struct mk_status rdata(struct mk_dns_msg *m, struct mk_dns_rec *r,
			      const struct mk_codepoints *cp)
{
	const uint8_t *b = m->buf;
	size_t p = r->rdata_off, end = r->rdata_off + r->rdlen;
	size_t rdlen_off = r->name_end + 8;
	int meta_class = r->cls == MK_DNS_C_ANY || r->cls == MK_DNS_C_NONE;
	struct mk_status st;

	r->kind = MK_DNS_RD_RAW;
	if (r->type == mk_cp(cp, MK_CP_CAAAA_TYPE)) {
		if (r->cls != MK_DNS_C_IN && !meta_class)
			return mk_fail(MK_E_CAAAA_CLASS, r->name_end + 2);
		if (r->rdlen == 0 && meta_class) {
			r->kind = MK_DNS_RD_NONE;
			return mk_ok();
		}
		if (r->rdlen != 16)
			return mk_fail(MK_E_CAAAA_RDLEN, rdlen_off);
		r->kind = MK_DNS_RD_CAAAA;
		memcpy(r->rd.aaaa, b + p, 16);
		return mk_ok();
	}
	if (r->rdlen == 0 && meta_class && r->type != MK_DNS_T_TSIG && r->type != MK_DNS_T_SIG) {
		r->kind = MK_DNS_RD_NONE; /* UPDATE delete / prerequisite forms */
		return mk_ok();
	}
	switch (r->type) {
	case MK_DNS_T_A:
		if (r->rdlen != 4)
			return mk_fail(MK_E_DNS_A_RDLEN, rdlen_off);
		r->kind = MK_DNS_RD_A;
		memcpy(r->rd.a, b + p, 4);
		break;
	case MK_DNS_T_AAAA:
		if (r->rdlen != 16)
			return mk_fail(MK_E_DNS_AAAA_RDLEN, rdlen_off);
		r->kind = MK_DNS_RD_AAAA;
		memcpy(r->rd.aaaa, b + p, 16);
		break;
	case MK_DNS_T_CNAME:
		r->rd.cname_off = p;
		st = rd_name(b, m->len, &p, end, MK_E_DNS_CNAME_RDATA, 0);
		if (st.err != MK_E_OK)
			return st;
		if (p != end)
			return mk_fail(MK_E_DNS_CNAME_RDATA, p);
		r->kind = MK_DNS_RD_CNAME;
		break;
	case MK_DNS_T_SOA:
		r->rd.soa.mname_off = p;
		st = rd_name(b, m->len, &p, end, MK_E_DNS_SOA_RDATA, 0);
		if (st.err != MK_E_OK)
			return st;
		r->rd.soa.rname_off = p;
		st = rd_name(b, m->len, &p, end, MK_E_DNS_SOA_RDATA, 0);
		if (st.err != MK_E_OK)
			return st;
		if (end - p != 20)
			return mk_fail(MK_E_DNS_SOA_RDATA, p);
		r->rd.soa.serial = mk_load32(b + p);
		r->rd.soa.refresh = mk_load32(b + p + 4);
		r->rd.soa.retry = mk_load32(b + p + 8);
		r->rd.soa.expire = mk_load32(b + p + 12);
		r->rd.soa.minimum = mk_load32(b + p + 16);
		r->kind = MK_DNS_RD_SOA;
		break;
	case MK_DNS_T_TSIG:
		r->rd.tsig.alg_off = p;
		st = rd_name(b, m->len, &p, end, MK_E_DNS_TSIG_RDATA, 1);
		if (st.err != MK_E_OK)
			return st;
		if (end - p < 10)
			return mk_fail(MK_E_DNS_TSIG_RDATA, p);
		r->rd.tsig.time_signed = (uint64_t)mk_load16(b + p) << 32 | mk_load32(b + p + 2);
		r->rd.tsig.fudge = mk_load16(b + p + 6);
		r->rd.tsig.mac_len = mk_load16(b + p + 8);
		p += 10;
		if (end - p < (size_t)r->rd.tsig.mac_len + 6)
			return mk_fail(MK_E_DNS_TSIG_RDATA, p - 2);
		r->rd.tsig.mac_off = p;
		p += r->rd.tsig.mac_len;
		r->rd.tsig.orig_id = mk_load16(b + p);
		r->rd.tsig.error = mk_load16(b + p + 2);
		r->rd.tsig.other_len = mk_load16(b + p + 4);
		p += 6;
		if (end - p != r->rd.tsig.other_len)
			return mk_fail(MK_E_DNS_TSIG_RDATA, p - 2);
		r->kind = MK_DNS_RD_TSIG;
		break;
	case MK_DNS_T_SIG:
		if (r->rdlen < 19)
			return mk_fail(MK_E_DNS_SIG_RDATA, rdlen_off);
		r->rd.sig.covered = mk_load16(b + p);
		r->rd.sig.alg = b[p + 2];
		r->rd.sig.labels = b[p + 3];
		r->rd.sig.orig_ttl = mk_load32(b + p + 4);
		r->rd.sig.expiration = mk_load32(b + p + 8);
		r->rd.sig.inception = mk_load32(b + p + 12);
		r->rd.sig.keytag = mk_load16(b + p + 16);
		p += 18;
		r->rd.sig.signer_off = p;
		st = rd_name(b, m->len, &p, end, MK_E_DNS_SIG_RDATA, 1);
		if (st.err != MK_E_OK)
			return st;
		r->rd.sig.sig_off = p;
		r->rd.sig.sig_len = (uint16_t)(end - p);
		r->kind = MK_DNS_RD_SIG;
		break;
	case MK_DNS_T_OPT:
		r->kind = MK_DNS_RD_OPT;
		r->rd.opt.udp_size = r->cls;
		r->rd.opt.ext_rcode = (uint8_t)(r->ttl >> 24);
		r->rd.opt.version = (uint8_t)(r->ttl >> 16);
		r->rd.opt.flags = (uint16_t)r->ttl;
		break;
	default:
		break;
	}
	return mk_ok();
}

struct mk_status mk_dns_msg_parse(const uint8_t *buf, size_t len, struct mk_dns_msg *out,
				  const struct mk_codepoints *cp)
{
	struct mk_status st;
	size_t p = MK_DNS_HDR_LEN;

	memset(out, 0, offsetof(struct mk_dns_msg, rec));
	out->buf = buf;
	out->len = len;
	if (len < MK_DNS_HDR_LEN)
		return mk_fail(MK_E_TRUNC, 0);
	out->id = mk_load16(buf);
	out->flags = mk_load16(buf + 2);
	out->opcode = (uint8_t)(out->flags >> 11 & 0xf);
	out->rcode = out->flags & 0xf;
	for (int s = 0; s < 4; s++)
		out->count[s] = mk_load16(buf + 4 + 2 * s);

	for (unsigned s = 0; s < 4; s++) {
		for (unsigned i = 0; i < out->count[s]; i++) {
			if (out->nrec == MK_DNS_MAX_RR)
				return mk_fail(MK_E_TOO_MANY, p);
			struct mk_dns_rec *r = &out->rec[out->nrec];
			memset(r, 0, sizeof *r);
			r->section = (uint8_t)s;
			r->off = p;
			st = skip_name(buf, len, p, &r->name_end);
			if (st.err != MK_E_OK)
				return st;
			p = r->name_end;
			if (s == MK_DNS_SEC_QUESTION) {
				if (len - p < 4)
					return mk_fail(MK_E_TRUNC, p);
				r->type = mk_load16(buf + p);
				r->cls = mk_load16(buf + p + 2);
				r->kind = MK_DNS_RD_NONE;
				p += 4;
				out->nrec++;
				continue;
			}
			if (len - p < 10)
				return mk_fail(MK_E_TRUNC, p);
			r->type = mk_load16(buf + p);
			r->cls = mk_load16(buf + p + 2);
			r->ttl = mk_load32(buf + p + 4);
			r->rdlen = mk_load16(buf + p + 8);
			r->rdata_off = p + 10;
			if (len - r->rdata_off < r->rdlen)
				return mk_fail(MK_E_TRUNC, p + 8);
			st = rdata(out, r, cp);
			if (st.err != MK_E_OK)
				return st;
			p = r->rdata_off + r->rdlen;
			int last = s == MK_DNS_SEC_ADDITIONAL && i + 1 == out->count[s];
			if (r->type == MK_DNS_T_OPT) {
				if (s != MK_DNS_SEC_ADDITIONAL || out->has_opt || buf[r->off] != 0)
					return mk_fail(MK_E_DNS_OPT_PLACE, r->off);
				out->has_opt = 1;
				out->opt_idx = out->nrec;
				out->rcode = (uint16_t)(out->rcode | r->rd.opt.ext_rcode << 4);
			} else if (r->type == MK_DNS_T_TSIG) {
				if (!last)
					return mk_fail(MK_E_TSIG_NOT_LAST, r->off);
				out->has_tsig = 1;
				out->tsig_idx = out->nrec;
				out->tsig_error = r->rd.tsig.error;
			} else if (r->type == MK_DNS_T_SIG && r->rd.sig.covered == 0) {
				if (!last)
					return mk_fail(MK_E_SIG0_NOT_LAST, r->off);
				out->has_sig0 = 1;
				out->sig0_idx = out->nrec;
			}
			out->nrec++;
		}
	}
	if (p != len)
		return mk_fail(MK_E_TRAILING, p);
	return mk_ok();
}

/* Expanded (uncompressed) name at msg offset off into the writer. */
static void put_name(struct mk_wr *w, const struct mk_dns_msg *m, size_t off)
{
	uint8_t n[MK_DNS_NAME_MAX];
	size_t nl, next;

	if (mk_dns_name_read(m->buf, m->len, off, n, &nl, &next, 0).err != MK_E_OK) {
		mk_wr_fail(w, MK_E_INVAL);
		return;
	}
	mk_wr_bytes(w, n, nl);
}

struct mk_status mk_dns_msg_build(uint8_t *buf, size_t cap, const struct mk_dns_msg *in,
				  size_t *outlen)
{
	struct mk_wr w;
	struct mk_status st;

	*outlen = 0;
	mk_wr_init(&w, buf, cap);
	mk_wr_u16(&w, in->id);
	mk_wr_u16(&w, in->flags);
	for (int s = 0; s < 4; s++)
		mk_wr_u16(&w, in->count[s]);
	for (unsigned i = 0; i < in->nrec; i++) {
		const struct mk_dns_rec *r = &in->rec[i];
		put_name(&w, in, r->off);
		mk_wr_u16(&w, r->type);
		mk_wr_u16(&w, r->cls);
		if (r->section == MK_DNS_SEC_QUESTION)
			continue;
		mk_wr_u32(&w, r->ttl);
		size_t rdlen_at = w.off;
		mk_wr_u16(&w, 0);
		size_t start = w.off;
		if (r->kind == MK_DNS_RD_CNAME) {
			put_name(&w, in, r->rd.cname_off);
		} else if (r->kind == MK_DNS_RD_SOA) {
			put_name(&w, in, r->rd.soa.mname_off);
			put_name(&w, in, r->rd.soa.rname_off);
			mk_wr_bytes(&w, in->buf + r->rdata_off + r->rdlen - 20, 20);
		} else {
			mk_wr_bytes(&w, in->buf + r->rdata_off, r->rdlen);
		}
		size_t n = w.off - start;
		if (n > 0xffff)
			mk_wr_fail(&w, MK_E_RANGE);
		else
			mk_wr_put16_at(&w, rdlen_at, (uint16_t)n);
	}
	st = mk_wr_status(&w);
	if (st.err == MK_E_OK)
		*outlen = w.off;
	return st;
}

struct mk_status mk_dns_msg_name(const struct mk_dns_msg *m, size_t off, char *out, size_t cap)
{
	uint8_t n[MK_DNS_NAME_MAX];
	size_t nl, next;
	struct mk_status st = mk_dns_name_read(m->buf, m->len, off, n, &nl, &next, 0);

	if (st.err != MK_E_OK)
		return st;
	return mk_dns_name_to_str(n, nl, out, cap);
}

unsigned mk_dns_msg_rcode(const struct mk_dns_msg *m)
{
	if (m->has_tsig && m->tsig_error)
		return m->tsig_error;
	return m->rcode;
}

struct mk_status mk_dns_msg_rcode_str(const struct mk_dns_msg *m, char *out, size_t cap)
{
	const char *h = mk_dns_rcode_name(m->rcode);
	char hb[16];
	int n;

	if (!h) {
		snprintf(hb, sizeof hb, "RCODE%u", m->rcode);
		h = hb;
	}
	if (m->has_tsig && m->tsig_error) {
		const char *t = mk_dns_rcode_name(m->tsig_error);
		n = snprintf(out, cap, "%s (TSIG %s)", h, t ? t : "error");
	} else
		n = snprintf(out, cap, "%s", h);
	return n < 0 || (size_t)n >= cap ? mk_fail(MK_E_NOSPACE, 0) : mk_ok();
}
