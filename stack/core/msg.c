/* stack/core/msg.c: the one set of message builders: every message a role
 * sends (BU, BA, BE, Parameter Problem, DHAAD, IPv6-in-IPv6, the RFC 4285
 * authentication options), built with lib/wire and sent whole through the
 * raw socket. */
#include <string.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

int msg_send(struct mobd *d, const struct in6_addr *src, const struct in6_addr *dst,
	     const struct in6_addr *hao, const struct in6_addr *rh2, uint8_t ulp,
	     const uint8_t *payload, size_t plen)
{
	uint8_t pkt[MOBD_PKT_MAX + 128];
	size_t len;
	if (mk_pkt_assemble(pkt, sizeof pkt, src, dst, hao, rh2, ulp, payload, plen, &len).err !=
	    MK_E_OK)
		return -1;
	return io_send(&d->io, pkt, len);
}

/* the token bucket of error answers (RFC 6275 9.3.3, 11.3.6): refilled at
 * error-rate per second up to error-burst; one token per answer */
bool err_allow(struct mobd *d)
{
	struct mobd_errlimit *b = &d->errlim;
	uint64_t now = now_ns();
	if (!d->c.err_rate) {
		b->sent++;
		return true;
	}
	if (!b->last) {
		b->tokens = d->c.err_burst;
	} else {
		b->tokens += (double)(now - b->last) * d->c.err_rate / 1e9;
		if (b->tokens > d->c.err_burst)
			b->tokens = d->c.err_burst;
	}
	b->last = now;
	if (b->tokens < 1) {
		b->suppressed++;
		return false;
	}
	b->tokens -= 1;
	b->sent++;
	return true;
}

size_t msg_auth_opts(struct mk_mh *m, size_t k, uint32_t spi, uint64_t ts)
{
	static const uint8_t zero12[MK_MH_MNHA_LEN]; /* filled by mk_rr_mnha_fill */
	m->opts[k].kind = MK_MHO_REPLAY;
	m->opts[k++].v.replay = ts;
	m->opts[k].kind = MK_MHO_AUTH;
	m->opts[k].v.auth.subtype = MK_MH_AUTH_MNHA;
	m->opts[k].v.auth.spi = spi;
	m->opts[k].v.auth.data = zero12;
	m->opts[k++].v.auth.len = MK_MH_MNHA_LEN;
	return k;
}

int msg_ba(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const struct in6_addr *hoa, const struct in6_addr *coa, uint8_t status, uint16_t seq,
	   uint32_t lifetime_s, unsigned bra_s, const struct mobd_key *key, uint64_t ts)
{
	uint8_t mhb[256];
	struct mk_mh m;
	size_t n, k = 0;
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.status = status;
	m.u.ba.seq = seq;
	m.u.ba.lifetime = mk_mh_lifetime_units(lifetime_s);
	if (status < 128 && bra_s && lifetime_s > bra_s) {
		m.opts[k].kind = MK_MHO_BRA;
		m.opts[k++].v.bra = mk_mh_lifetime_units(bra_s);
	}
	if (key)
		k = msg_auth_opts(&m, k, key->spi, ts);
	m.nopts = k;
	if (mk_mh_build(mhb, sizeof mhb, &d->c.cp, &m, &n).err != MK_E_OK ||
	    (key && mk_rr_mnha_fill(mhb, n, &d->c.cp, key->key, key->keylen, coa, hoa).err !=
			    MK_E_OK))
		return -1;
	/* to the source of the BU; an RH2 with the home address when it differs */
	return msg_send(d, src, to, NULL, memcmp(to, hoa, 16) ? hoa : NULL, MK_MH_NEXTHDR, mhb, n);
}

void pkt_hoa(const uint8_t *pkt, const struct mk_ip6_chain *c, const struct in6_addr *dflt,
	     struct in6_addr *out)
{
	if (c->hao >= 0)
		memcpy(out, pkt + c->hao_off + 2, 16); /* the HAO's address, after Type and Len */
	else
		*out = *dflt;
}

long msg_encap(struct mobd *d, const struct in6_addr *src, const struct in6_addr *dst,
	       const uint8_t *inner, size_t len)
{
	static uint8_t out[65536 + 40]; /* one loop, one packet at a time */
	struct mk_ip6 outer = { .hlim = 64, .src = *src, .dst = *dst };
	size_t n;
	if (mk_ip6_encap(out, sizeof out, &outer, inner, len, &n).err != MK_E_OK ||
	    io_send(&d->io, out, n) != 0)
		return -1;
	return (long)n;
}

const uint8_t *tun_inner(const uint8_t *pkt, const struct mk_ip6_chain *c, struct mk_ip6 *in,
			 size_t *il)
{
	const uint8_t *inner = pkt + c->ulp_off;
	if (mk_ip6_parse(inner, c->ulp_len, in).err != MK_E_OK)
		return NULL;
	*il = 40u + in->plen;
	return inner;
}

bool tun_write(struct mobd *d, const uint8_t *inner, size_t il)
{
	return write(d->io.tun_fd, inner, il) == (ssize_t)il;
}

int msg_bu(struct mobd *d, const struct in6_addr *coa, const struct in6_addr *dst,
	   const struct in6_addr *hoa, uint16_t seq, uint16_t flags, uint32_t lifetime_s,
	   uint32_t spi, const uint8_t *key, size_t keylen, const struct in6_addr *mha, size_t n_mha)
{
	uint8_t mhb[256], pkt[512];
	struct mk_mh b;
	size_t n, len, k = 0;
	bool home = !memcmp(coa, hoa, 16);
	mk_mh_init(&b, MK_MH_BU);
	b.u.bu.seq = seq;
	b.u.bu.flags = flags;
	b.u.bu.lifetime = mk_mh_lifetime_units(lifetime_s);
	if (n_mha) {
		/* the multiple-home-agent paper: the MHA flag and the list (before the
		 * authentication option, which comes last, RFC 4285) */
		b.u.bu.flags |= (uint16_t)mk_cp(&d->c.cp, MK_CP_BU_MHA_FLAG);
		b.opts[k].kind = MK_MHO_MHA;
		b.opts[k].v.mha.addrs = (const uint8_t *)mha;
		b.opts[k++].v.mha.n = n_mha;
	}
	if (keylen)
		k = msg_auth_opts(&b, k, spi, now_real_ntp());
	b.nopts = k;
	if (mk_mh_build(mhb, sizeof mhb, &d->c.cp, &b, &n).err != MK_E_OK ||
	    (keylen && mk_rr_mnha_fill(mhb, n, &d->c.cp, key, keylen, coa, hoa).err != MK_E_OK) ||
	    mk_pkt_assemble(pkt, sizeof pkt, coa, dst, home ? NULL : hoa, NULL, MK_MH_NEXTHDR, mhb,
			    n, &len).err != MK_E_OK)
		return -1;
	return io_send(&d->io, pkt, len) != 0 ? -2 : 0;
}

int msg_be(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const struct in6_addr *hoa, uint8_t status)
{
	uint8_t mhb[64];
	struct mk_mh m;
	size_t n;
	mk_mh_init(&m, MK_MH_BE);
	m.u.be.status = status;
	m.u.be.hoa = *hoa;
	if (mk_mh_build(mhb, sizeof mhb, &d->c.cp, &m, &n).err != MK_E_OK)
		return -1;
	return msg_send(d, src, to, NULL, NULL, MK_MH_NEXTHDR, mhb, n) != 0 ? -2 : 0;
}

int msg_icmp6_err(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
		  unsigned kind, uint8_t code, uint32_t word, const uint8_t *pkt, size_t len)
{
	uint8_t msg[1280];
	struct mk_icmp6 m;
	size_t n;
	memset(&m, 0, sizeof m);
	m.kind = (enum mk_icmp6_kind)kind;
	m.code = code;
	m.u.err.word = word;
	m.u.err.invoking = pkt;
	m.u.err.invoking_len = len < MK_ICMP6_ERR_INVOKING_MAX ? len : MK_ICMP6_ERR_INVOKING_MAX;
	if (mk_icmp6_build(msg, sizeof msg, &d->c.cp, &m, &n).err != MK_E_OK)
		return -1;
	return msg_send(d, src, to, NULL, NULL, MK_ICMP6_NH, msg, n) != 0 ? -2 : 0;
}

int msg_pp(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
	   const uint8_t *pkt, size_t len, uint32_t pointer)
{
	return msg_icmp6_err(d, src, to, MK_ICMP6_K_PARAM_PROB, MK_ICMP6_PP_HEADER, pointer, pkt, len);
}

int msg_dhaad_request(struct mobd *d, const struct in6_addr *src, const struct in6_addr *prefix,
		      uint16_t id)
{
	struct mk_icmp6 q;
	struct in6_addr any;
	uint8_t msg[16], pkt[128];
	size_t n, len;
	ha_anycast(prefix, &any);
	memset(&q, 0, sizeof q);
	q.kind = MK_ICMP6_K_DHAAD_REQUEST;
	q.u.ident.id = id;
	if (mk_icmp6_build(msg, sizeof msg, &d->c.cp, &q, &n).err != MK_E_OK ||
	    mk_pkt_assemble(pkt, sizeof pkt, src, &any, NULL, NULL, MK_ICMP6_NH, msg, n, &len).err !=
		    MK_E_OK)
		return -1;
	return io_send(&d->io, pkt, len) != 0 ? -2 : 0;
}

int msg_dhaad_reply(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
		    uint16_t id, const struct in6_addr *addrs, size_t n_addrs)
{
	static struct mk_icmp6 r;
	uint8_t out[1280];
	size_t n;
	memset(&r, 0, sizeof r);
	r.kind = MK_ICMP6_K_DHAAD_REPLY;
	r.u.ident.id = id;
	for (size_t i = 0; i < n_addrs && i < MK_ICMP6_MAX_ADDRS; i++)
		r.addrs[r.n_addrs++] = addrs[i];
	if (mk_icmp6_build(out, sizeof out, &d->c.cp, &r, &n).err != MK_E_OK)
		return -1;
	return msg_send(d, src, to, NULL, NULL, MK_ICMP6_NH, out, n) != 0 ? -2 : 0;
}

/* ---- return routability and refresh (RFC 6275 6.1.2-6.1.6): built only;
 * the roles send them with msg_send, through the home agent or direct ---- */

static size_t mh_out(const struct mk_codepoints *cp, const struct mk_mh *m, uint8_t *buf, size_t cap)
{
	size_t n;
	return mk_mh_build(buf, cap, cp, m, &n).err == MK_E_OK ? n : 0;
}

size_t msg_brr(const struct mk_codepoints *cp, uint8_t *buf, size_t cap)
{
	struct mk_mh m;
	mk_mh_init(&m, MK_MH_BRR);
	return mh_out(cp, &m, buf, cap);
}

size_t msg_testinit(const struct mk_codepoints *cp, uint8_t type, const uint8_t cookie[8],
		    uint8_t *buf, size_t cap)
{
	struct mk_mh m;
	if (type != MK_MH_HOTI && type != MK_MH_COTI)
		return 0;
	mk_mh_init(&m, type);
	memcpy(m.u.testinit.cookie, cookie, 8);
	return mh_out(cp, &m, buf, cap);
}

size_t msg_test(const struct mk_codepoints *cp, uint8_t type, uint16_t nonce_idx,
		const uint8_t cookie[8], const uint8_t token[8], uint8_t *buf, size_t cap)
{
	struct mk_mh m;
	if (type != MK_MH_HOT && type != MK_MH_COT)
		return 0;
	mk_mh_init(&m, type);
	m.u.test.nonce_idx = nonce_idx;
	memcpy(m.u.test.cookie, cookie, 8);
	memcpy(m.u.test.token, token, 8);
	return mh_out(cp, &m, buf, cap);
}

int msg_be_limited(struct mobd *d, const struct in6_addr *src, const struct in6_addr *to,
		   const struct in6_addr *hoa, uint8_t status, uint64_t *tx, uint64_t *fail)
{
	if (!err_allow(d))
		return 1;
	int r = msg_be(d, src, to, hoa, status);
	if (r == -1)
		return -1;
	if (r == -2)
		(*fail)++;
	(*tx)++;
	return r;
}

int msg_bu_rr(struct mobd *d, const struct in6_addr *src, const struct in6_addr *cn,
	      const struct in6_addr *hoa, uint16_t seq, uint32_t lifetime_s, uint16_t home_idx,
	      uint16_t careof_idx, const uint8_t kbm[20])
{
	uint8_t mhb[128];
	struct mk_mh b;
	size_t n;
	bool home = !memcmp(src, hoa, 16);
	mk_mh_init(&b, MK_MH_BU);
	b.u.bu.seq = seq;
	b.u.bu.flags = MK_BU_A;
	b.u.bu.lifetime = mk_mh_lifetime_units(lifetime_s);
	b.opts[0].kind = MK_MHO_NONCE;
	b.opts[0].v.nonce.home = home_idx;
	b.opts[0].v.nonce.careof = careof_idx;
	b.opts[1].kind = MK_MHO_BAD;
	b.nopts = 2;
	/* the authenticator covers the care-of address, which is the home
	 * address for a deregistration (5.2.6) */
	if (mk_mh_build(mhb, sizeof mhb, &d->c.cp, &b, &n).err != MK_E_OK ||
	    mk_rr_bad_fill(mhb, n, &d->c.cp, kbm, lifetime_s ? src : hoa, cn).err != MK_E_OK)
		return -1;
	return msg_send(d, src, cn, home ? NULL : hoa, NULL, MK_MH_NEXTHDR, mhb, n) != 0 ? -2 : 0;
}

size_t pkt_strip_ext(const uint8_t *pkt, const struct mk_ip6_chain *c, int idx, size_t addr_off,
		     const struct in6_addr *a, uint8_t *out, size_t cap)
{
	const struct mk_ip6_ext *x = &c->ext[idx];
	size_t end = c->end, head = x->off, tail = x->off + x->len;
	if (end > cap || end < tail || end - x->len < 40)
		return 0;
	memcpy(out, pkt, head);
	memcpy(out + head, pkt + tail, end - tail);
	/* the Next Header that named the removed header */
	out[idx == 0 ? 6 : c->ext[idx - 1].off] = x->nh;
	uint16_t plen = (uint16_t)(end - x->len - 40);
	out[4] = (uint8_t)(plen >> 8);
	out[5] = (uint8_t)plen;
	memcpy(out + addr_off, a, 16);
	return end - x->len;
}
