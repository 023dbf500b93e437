/* t/stack/correspondent.t.c: mobd's correspondent role (stack/roles/correspondent.c,
 * included whole so the test can read its nonces and age them) without a
 * network: packets go in through the core's intake, and what the role
 * sends is caught by wrapping lib/net's raw send (-Wl,--wrap).  The keygen
 * tokens and Kbm are recomputed here with OpenSSL's HMAC and SHA1 from the
 * formulas of RFC 6275 5.2.5, not with lib/wire's rr.c. */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "stack/roles/correspondent.c"
#include "t/lib/tap.h"

#include <fcntl.h>

/* ---- what the role sends: t/lib/roletest.h (sent, sent_len, n_sent) ---- */
#include "t/lib/roletest.h"

static struct mobd d;
static int tun_rd = -1; /* the TUN device: a pipe, its read end */
static struct in6_addr CNA, HOA, COA, HOA2;

/* hand pkt to the intake; returns how many packets the role sent */
static int deliver(const uint8_t *pkt, size_t len)
{
	n_sent = 0;
	intake_packet(&d, pkt, len);
	return n_sent;
}

/* the one packet sent, parsed: its chain and MH; false if not exactly one MH */
static bool answer_mh(struct mobd_pkt *p)
{
	if (n_sent != 1)
		return false;
	intake_parse(sent[0], sent_len[0], &mk_cp_default, p);
	return p->chain_ok && p->mh && p->cksum == 0 && p->st.err == MK_E_OK;
}

/* ---- the formulas, independently ---- */

static void keygen(const uint8_t kcn[20], const struct in6_addr *a, const uint8_t nonce[8], uint8_t which,
		   uint8_t tok[8])
{
	uint8_t in[25], md[20];
	unsigned mdlen = sizeof md;
	memcpy(in, a, 16);
	memcpy(in + 16, nonce, 8);
	in[24] = which;
	HMAC(EVP_sha1(), kcn, 20, in, sizeof in, md, &mdlen);
	memcpy(tok, md, 8);
}

static void kbm_of(const uint8_t ht[8], const uint8_t *ct, uint8_t kbm[20])
{
	uint8_t in[16];
	memcpy(in, ht, 8);
	if (ct)
		memcpy(in + 8, ct, 8);
	SHA1(in, ct ? 16 : 8, kbm);
}

/* Kbm for hoa at coa from the nonces of indices hi, ci (ci < 0: deregistration) */
static void kbm_for(uint16_t hi, int ci, const struct in6_addr *hoa, const struct in6_addr *coa,
		    uint8_t kbm[20])
{
	struct cn *s = CN(&d);
	uint8_t ht[8] = { 0 }, ct[8] = { 0 };
	for (unsigned i = 0; i < s->n_ring; i++) {
		if (s->ring[i].born && s->ring[i].idx == hi)
			keygen(s->ring[i].kcn, hoa, s->ring[i].nonce, 0, ht);
		if (ci >= 0 && s->ring[i].born && s->ring[i].idx == (uint16_t)ci)
			keygen(s->ring[i].kcn, coa, s->ring[i].nonce, 1, ct);
	}
	kbm_of(ht, ci >= 0 ? ct : NULL, kbm);
}

/* ---- packets ---- */

static size_t pkt_mh(uint8_t *pkt, const struct in6_addr *src, const struct in6_addr *hao,
		     const uint8_t *mh, size_t n)
{
	size_t len = 0;
	if (mk_pkt_assemble(pkt, 2048, src, &CNA, hao, NULL, MK_MH_NEXTHDR, mh, n, &len).err != MK_E_OK)
		tap_diag("packet not assembled");
	return len;
}

static size_t testinit(uint8_t *pkt, uint8_t type, const struct in6_addr *src,
		       const struct in6_addr *hao, const uint8_t cookie[8])
{
	uint8_t mh[64];
	size_t n = msg_testinit(&mk_cp_default, type, cookie, mh, sizeof mh);
	return pkt_mh(pkt, src, hao, mh, n);
}

/* a BU from coa (with a HAO when coa is not hoa) to the correspondent,
 * Nonce Indices hi/ci and BAD with kbm (none when !kbm) */
static size_t bu(uint8_t *pkt, const struct in6_addr *hoa, const struct in6_addr *coa, uint16_t seq,
		 uint16_t flags, uint32_t life, uint16_t hi, uint16_t ci, const uint8_t *kbm)
{
	uint8_t mh[128];
	struct mk_mh m;
	struct in6_addr badcoa = life ? *coa : *hoa;
	size_t n = 0;
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = seq;
	m.u.bu.flags = flags;
	m.u.bu.lifetime = mk_mh_lifetime_units(life);
	if (kbm) {
		m.opts[0].kind = MK_MHO_NONCE;
		m.opts[0].v.nonce.home = hi;
		m.opts[0].v.nonce.careof = ci;
		m.opts[1].kind = MK_MHO_BAD;
		m.nopts = 2;
	}
	if (mk_mh_build(mh, sizeof mh, &mk_cp_default, &m, &n).err != MK_E_OK ||
	    (kbm && mk_rr_bad_fill(mh, n, &mk_cp_default, kbm, &badcoa, &CNA).err != MK_E_OK))
		tap_diag("BU not built");
	return pkt_mh(pkt, coa, memcmp(coa, hoa, 16) ? hoa : NULL, mh, n);
}

/* the BA sent: its status, seq and granted lifetime; whether its BAD
 * verifies with kbm (-1: no BAD) */
static bool ba(int *status, int *seq, int *life, int *bad_ok, const uint8_t *kbm)
{
	static struct mobd_pkt p;
	if (!answer_mh(&p) || p.m.type != MK_MH_BA)
		return false;
	*status = p.m.u.ba.status;
	*seq = p.m.u.ba.seq;
	*life = (int)mk_mh_lifetime_sec(p.m.u.ba.lifetime);
	*bad_ok = -1;
	if (mk_mh_find_opt(&p.m, MK_MHO_BAD))
		*bad_ok = kbm && mk_rr_bad_verify(p.mh, p.mhlen, &mk_cp_default, kbm, &p.ih.dst,
						  &p.ih.src).err == MK_E_OK;
	return true;
}

static void setup(void)
{
	char err[128];
	inet_pton(AF_INET6, "2001:db8:3::101", &CNA);
	inet_pton(AF_INET6, "2001:db8:1::77", &HOA);
	inet_pton(AF_INET6, "2001:db8:21::77", &COA);
	inet_pton(AF_INET6, "2001:db8:1::88", &HOA2);
	d.c.roles = MOBD_RB(MOBD_R_CN);
	d.c.cp = mk_cp_default;
	d.c.nonce_lifetime = 240;
	d.c.nonce_interval = 30;
	d.c.kcn_lifetime = 3600;
	d.c.cn_max_bindings = 2;
	d.c.cn_max_lifetime = MOBD_MAX_RR_BINDING_LIFETIME_S;
	d.c.cn_brr = 10;
	d.c.cn_dns_max_lifetime = MOBD_MAX_RR_BINDING_LIFETIME_S;
	d.c.cn_dns_probe_ms = 1000;
	d.c.err_rate = 0;
	if ((tun_rd = roletest_init(&d, &mobd_correspondent)) < 0 || cn_state(&d, err, sizeof err) != 0)
		tap_diag("setup: %s", err);
	CN(&d)->addrs[0] = CNA;
	CN(&d)->n_addrs = 1;
}

static void test_rr(void)
{
	struct cn *s = CN(&d);
	static struct mobd_pkt p;
	uint8_t pkt[2048], tok[8];
	const uint8_t cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
	const struct cn_nonce *n = &s->ring[s->cur];

	tap_is_int(deliver(pkt, testinit(pkt, MK_MH_HOTI, &HOA, NULL, cookie)), 1, "rr: a HoTI is answered");
	keygen(n->kcn, &HOA, n->nonce, 0, tok);
	tap_ok(answer_mh(&p) && p.m.type == MK_MH_HOT && !memcmp(&p.ih.dst, &HOA, 16) &&
		       !memcmp(&p.ih.src, &CNA, 16) && p.c.rh2 < 0 && p.c.hao < 0,
	       "rr: a HoT, from the HoTI's destination to the home address, no RH2, no HAO");
	tap_ok(!memcmp(p.m.u.test.cookie, cookie, 8) && p.m.u.test.nonce_idx == n->idx &&
		       !memcmp(p.m.u.test.token, tok, 8),
	       "rr: HoT: the cookie, the current nonce index, First(64, HMAC_SHA1(Kcn, HoA|nonce|0))");
	tap_is_int(deliver(pkt, testinit(pkt, MK_MH_COTI, &COA, NULL, cookie)), 1, "rr: a CoTI is answered");
	keygen(n->kcn, &COA, n->nonce, 1, tok);
	tap_ok(answer_mh(&p) && p.m.type == MK_MH_COT && !memcmp(&p.ih.dst, &COA, 16) &&
		       p.m.u.test.nonce_idx == n->idx && !memcmp(p.m.u.test.token, tok, 8),
	       "rr: a CoT to the care-of address, First(64, HMAC_SHA1(Kcn, CoA|nonce|1))");
	tap_is_int(deliver(pkt, testinit(pkt, MK_MH_HOTI, &COA, &HOA, cookie)), 0,
		   "rr: a HoTI with a Home Address option is discarded (9.4.1)");
	tap_is_int((long long)s->cnt.rr_hao, 1, "rr: and counted (rr_hao)");
	struct in6_addr mc, ll;
	inet_pton(AF_INET6, "ff02::1", &mc);
	inet_pton(AF_INET6, "fe80::1", &ll);
	tap_ok(deliver(pkt, testinit(pkt, MK_MH_HOTI, &mc, NULL, cookie)) == 0 &&
		       deliver(pkt, testinit(pkt, MK_MH_COTI, &ll, NULL, cookie)) == 0 && s->cnt.bad_src == 2,
	       "rr: a HoTI from a multicast, a CoTI from a link-local source: no answer, counted (bad_src)");

	/* 5.2.8: no state per mobile node, whatever the flood */
	size_t before = s->bc.n;
	unsigned ring = s->n_ring;
	bool all = true;
	for (int i = 0; i < 5000; i++) {
		struct in6_addr src = HOA;
		memcpy(src.s6_addr + 8, &i, sizeof i);
		all &= deliver(pkt, testinit(pkt, MK_MH_HOTI, &src, NULL, cookie)) == 1;
	}
	tap_ok(all && s->bc.n == before && s->n_ring == ring && s->cnt.hot_tx == 5001,
	       "rr: 5000 HoTIs from 5000 addresses: each answered, no binding, no nonce made");
}

static void test_bu(void)
{
	struct cn *s = CN(&d);
	uint8_t pkt[2048], kbm[20], wrong[20];
	int st, seq, life, bad_ok;
	uint16_t i0 = s->ring[s->cur].idx;

	kbm_for(i0, i0, &HOA, &COA, kbm);
	deliver(pkt, bu(pkt, &HOA, &COA, 10, MK_BU_A, 100, i0, i0, kbm));
	tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == 0 && seq == 10 && life == 100 && bad_ok == 1,
	       "bu: the right authenticator: BA 0, seq 10, 100 s, its own BAD verifies with Kbm");
	const struct mobd_bce *e = bc_find(&s->bc, &HOA);
	tap_ok(e && !memcmp(&e->coa, &COA, 16) && e->seq == 10 && e->granted == 100,
	       "bu: in the binding cache, home address -> care-of address");

	memcpy(wrong, kbm, 20);
	wrong[0] ^= 1;
	tap_is_int(deliver(pkt, bu(pkt, &HOA, &HOA2, 11, MK_BU_A, 100, i0, i0, wrong)), 0,
		   "bu: a wrong authenticator: silence (9.5.1)");
	e = bc_find(&s->bc, &HOA);
	tap_ok(s->cnt.bu_auth_fail == 1 && e && e->seq == 10 && !memcmp(&e->coa, &COA, 16),
	       "bu: counted (bu_auth_fail), the binding unchanged");
	tap_is_int(deliver(pkt, bu(pkt, &HOA, &COA, 12, MK_BU_A, 100, 0, 0, NULL)), 0,
		   "bu: no Binding Authorization Data: silence");
	tap_is_int((long long)s->cnt.bu_no_bad, 1, "bu: counted (bu_no_bad)");

	deliver(pkt, bu(pkt, &HOA, &COA, 10, MK_BU_A, 100, i0, i0, kbm));
	tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == MK_BA_SEQ_OUT_OF_WIN && seq == 10 && bad_ok == 1,
	       "bu: a replayed sequence number: BA 135 with the last accepted one, authenticated");
	deliver(pkt, bu(pkt, &HOA, &COA, 13, 0, 1000, i0, i0, kbm));
	e = bc_find(&s->bc, &HOA);
	tap_ok(n_sent == 0 && e && e->seq == 13 && e->granted == MOBD_MAX_RR_BINDING_LIFETIME_S,
	       "bu: no A bit: no BA; 1000 s asked, %d s (MAX_RR_BINDING_LIFETIME) granted",
	       MOBD_MAX_RR_BINDING_LIFETIME_S);

	/* nonces age: a new one every interval, the old ones forgotten after the lifetime */
	nonce_new(&d);
	uint16_t i1 = s->ring[s->cur].idx;
	tap_ok(i1 == (uint16_t)(i0 + 1), "nonce: the next index is the previous + 1");
	for (unsigned k = 0; k < s->n_ring; k++)
		if (s->ring[k].born && s->ring[k].idx == i0)
			s->ring[k].born -= 241ull * 1000000000ull;
	struct { uint16_t hi, ci; int want; const char *what; } ex[] = {
		{ i0, i1, MK_BA_HOME_NONCE_EXP, "home" },
		{ i1, i0, MK_BA_CAREOF_NONCE_EXP, "care-of" },
		{ i0, i0, MK_BA_NONCES_EXP, "both" },
	};
	for (int k = 0; k < 3; k++) {
		kbm_for(ex[k].hi, ex[k].ci, &HOA, &COA, kbm);
		deliver(pkt, bu(pkt, &HOA, &COA, 20, MK_BU_A, 100, ex[k].hi, ex[k].ci, kbm));
		tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == ex[k].want && seq == 20 && bad_ok == -1,
		       "nonce: %s index expired (241 s > 240 s): BA %d, unauthenticated", ex[k].what, ex[k].want);
	}
	e = bc_find(&s->bc, &HOA);
	tap_ok(e && e->seq == 13 && s->cnt.bu_nonce_exp == 3, "nonce: counted, the binding unchanged");

	/* a deregistration needs the home token only: Kbm = SHA1(home token) */
	kbm_for(i1, -1, &HOA, &HOA, kbm);
	deliver(pkt, bu(pkt, &HOA, &COA, 21, MK_BU_A, 0, i1, i0, kbm));
	tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == 0 && seq == 21 && bad_ok == 1 &&
		       !bc_find(&s->bc, &HOA) && s->cnt.bu_dereg == 1,
	       "bu: deregistration (lifetime 0, care-of index expired and ignored): BA 0, binding gone");

	/* the cache is full at cn-max-bindings (2) */
	struct in6_addr h[3] = { HOA, HOA2, HOA2 };
	h[2].s6_addr[15] = 0x99;
	for (int k = 0; k < 3; k++) {
		kbm_for(i1, i1, &h[k], &COA, kbm);
		deliver(pkt, bu(pkt, &h[k], &COA, 30, MK_BU_A, 60, i1, i1, kbm));
	}
	tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == MK_BA_RESOURCES && s->bc.n == 2,
	       "bu: a third home address with room for two: BA 130");
	deliver(pkt, bu(pkt, &HOA, &COA, 31, MK_BU_A | MK_BU_H, 60, 0, 0, NULL));
	tap_ok(ba(&st, &seq, &life, &bad_ok, NULL) && st == MK_BA_HOMEREG_NOTSUP && seq == 31,
	       "bu: a home registration to a correspondent alone: BA 131 (10.3.1)");
}

/* a home agent role beside it, with one home registration */
static struct mobd_bce home_reg;
static const struct mobd_bce *home_binding(struct mobd *dd, const struct in6_addr *hoa)
{
	(void)dd;
	return memcmp(hoa, &home_reg.hoa, 16) ? NULL : &home_reg;
}
static const struct mobd_role fake_ha = { .name = "home-agent", .id = MOBD_R_HA, .binding = home_binding };

static void test_regtype(void)
{
	struct cn *s = CN(&d);
	uint8_t pkt[2048], kbm[20];
	int st, seq, life, bad_ok;
	uint16_t i = s->ring[s->cur].idx;
	inet_pton(AF_INET6, "2001:db8:1::99", &home_reg.hoa);
	d.roles[1] = &fake_ha;
	d.rs[MOBD_R_HA] = &home_reg;
	d.n_roles = 2;
	kbm_for(i, i, &home_reg.hoa, &COA, kbm);
	deliver(pkt, bu(pkt, &home_reg.hoa, &COA, 40, MK_BU_A, 60, i, i, kbm));
	tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == MK_BA_REGTYPE_CHANGE && bad_ok == 1 &&
		       !bc_find(&s->bc, &home_reg.hoa) && s->cnt.bu_regtype == 1,
	       "regtype: a home registration at the home agent role beside it: BA 139, no binding (9.5.1)");
	d.n_roles = 1;
	d.rs[MOBD_R_HA] = NULL;
}

static void test_errors(void)
{
	struct cn *s = CN(&d);
	static struct mobd_pkt p;
	uint8_t pkt[2048], body[8] = { 128, 0, 0, 0, 0, 1, 0, 1 };
	size_t len = 0;
	struct in6_addr stranger = HOA2;
	stranger.s6_addr[15] = 0x55;

	/* an Echo Request with a HAO no binding names */
	mk_pkt_assemble(pkt, sizeof pkt, &COA, &CNA, &stranger, NULL, 58, body, sizeof body, &len);
	deliver(pkt, len);
	tap_ok(answer_mh(&p) && p.m.type == MK_MH_BE && p.m.u.be.status == MK_BE_UNKNOWN_HAO &&
		       !memcmp(&p.m.u.be.hoa, &stranger, 16) && !memcmp(&p.ih.dst, &COA, 16),
	       "errors: a Home Address option without a binding: BE 1 naming it, to the source (9.3.1)");
	/* the binding of HOA is at COA: from another address it is no binding */
	mk_pkt_assemble(pkt, sizeof pkt, &HOA2, &CNA, &HOA, NULL, 58, body, sizeof body, &len);
	deliver(pkt, len);
	tap_ok(answer_mh(&p) && p.m.type == MK_MH_BE && s->cnt.hao_nobinding == 2,
	       "errors: a HAO for a binding from another care-of address: BE 1 too");
	mk_pkt_assemble(pkt, sizeof pkt, &COA, &CNA, &HOA, NULL, 58, body, sizeof body, &len);
	tap_is_int(deliver(pkt, len), 0, "errors: a HAO matching the binding: no error");
	uint8_t got[2048];
	ssize_t gl = read(tun_rd, got, sizeof got);
	struct mk_ip6 gi;
	struct mk_ip6_chain gc;
	struct mk_status cs;
	tap_ok(gl == (ssize_t)len - 24 && mk_ip6_chain_parse(got, (size_t)gl, &gi, &gc).err == MK_E_OK &&
		       gc.n == 0 && gc.ulp == 58 && !memcmp(&gi.src, &HOA, 16) &&
		       mk_pkt_check_cksum(got, (size_t)gl, &cs) && s->cnt.ro_in == 1,
	       "ro: to the kernel (TUN) from the home address, the HAO's header removed, checksum right (9.3.1)");
	body[0] = 129;
	mk_pkt_assemble(pkt, sizeof pkt, &CNA, &HOA, NULL, NULL, 58, body, sizeof body, &len);
	n_sent = 0;
	cn_tun(&d, pkt, len);
	intake_parse(sent[0], sent_len[0], &mk_cp_default, &p);
	tap_ok(n_sent == 1 && p.chain_ok && p.c.rh2 >= 0 && !memcmp(&p.ih.dst, &COA, 16) &&
		       !memcmp(sent[0] + p.c.rh2_hoa_off, &HOA, 16) && p.c.ulp == 58 &&
		       mk_pkt_check_cksum(sent[0], sent_len[0], &cs) && s->cnt.ro_out == 1,
	       "ro: from the TUN to the home address: to the care-of address with an RH2 naming it (9.3.2)");
	n_sent = 0;
	mk_pkt_assemble(pkt, sizeof pkt, &CNA, &stranger, NULL, NULL, 58, body, sizeof body, &len);
	cn_tun(&d, pkt, len);
	tap_is_int(n_sent, 0, "ro: to an address without a binding: not sent");

	/* 9.5.5: the binding in use, 10 s (cn-refresh-request) before it expires */
	const struct mobd_bce *used = bc_find(&s->bc, &HOA), *idle = bc_find(&s->bc, &HOA2);
	n_sent = 0;
	brr_due(&d, used->expires - 11000000000ull);
	int early = n_sent;
	brr_due(&d, used->expires - 9000000000ull);
	intake_parse(sent[0], sent_len[0], &mk_cp_default, &p);
	tap_ok(early == 0 && n_sent == 1 && p.chain_ok && p.st.err == MK_E_OK && p.m.type == MK_MH_BRR &&
		       !memcmp(&p.ih.dst, &COA, 16) && p.c.rh2 >= 0 &&
		       !memcmp(sent[0] + p.c.rh2_hoa_off, &HOA, 16),
	       "brr: 9 s before expiry (not 11), a BRR to the care-of address, RH2 naming the home address");
	n_sent = 0;
	brr_due(&d, idle->expires > used->expires ? idle->expires : used->expires);
	tap_ok(n_sent == 0 && s->cnt.brr_tx == 1,
	       "brr: one per lifetime, none for a binding that carried no data");
	body[0] = 128;

	uint8_t mh[16] = { 59, 1, 200, 0 };
	len = pkt_mh(pkt, &COA, NULL, mh, sizeof mh);
	deliver(pkt, len);
	tap_ok(answer_mh(&p) && p.m.type == MK_MH_BE && p.m.u.be.status == MK_BE_UNKNOWN_TYPE &&
		       s->cnt.unknown_type == 1,
	       "errors: MH type 200: BE 2 (9.2)");
	pkt[40 + 4] ^= 0x10;
	tap_ok(deliver(pkt, len) == 0 && s->cnt.bad_cksum == 1, "errors: a bad checksum: silence, counted");
	mh[0] = 6;
	mh[2] = MK_MH_BU;
	len = pkt_mh(pkt, &COA, NULL, mh, sizeof mh);
	deliver(pkt, len);
	tap_ok(n_sent == 1 && sent[0][40] == 4 && s->cnt.pp_tx == 1,
	       "errors: Payload Proto 6: Parameter Problem (9.2)");

	/* the rate limit: 2 error answers at once, then suppressed */
	d.c.err_rate = 1;
	d.c.err_burst = 2;
	mk_pkt_assemble(pkt, sizeof pkt, &COA, &CNA, &stranger, NULL, 58, body, sizeof body, &len);
	int answered = 0;
	for (int k = 0; k < 10; k++)
		answered += deliver(pkt, len);
	tap_ok(answered == 2 && d.errlim.suppressed == 8, "errors: error-rate 1 error-burst 2: 2 of 10 answered");
	d.c.err_rate = 0;

	/* bindings expire: the sweep, run by hand with its clock a lifetime on */
	uint32_t before = s->bc.n;
	const struct mobd_bce *e = bc_find(&s->bc, &HOA);
	unsigned gone = bc_expire(&s->bc, e ? e->expires : 0, NULL, &d);
	tap_ok(e && before == 2 && gone == 1 && !bc_find(&s->bc, &HOA) && bc_find(&s->bc, &HOA2),
	       "expiry: the binding whose lifetime ran out goes, the other stays");

	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	cn_show(&d, "counters", true, f);
	fclose(f);
	tap_ok(strstr(out, "\"role\":\"correspondent\"") && strstr(out, "\"bu_auth_fail\":1") &&
		       strstr(out, "\"ba_status\":{") && strstr(out, "\"136\":1") && out[olen - 2] == '}',
	       "show: counters as JSON, per reason and per BA status");
	free(out);
}

/* ---- bindings from DNS (issue 15): cn-bind, cn-unbind, the probe, the
 * RR-less BU, the replacement by an RR one ---- */

/* a control command's answer (static) */
static const char *ctl(void (*fn)(struct mobd *, const struct mobd_cmd *, bool, const char *, FILE *),
		       const char *args)
{
	static char buf[512];
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	fn(&d, NULL, false, args, f);
	fclose(f);
	snprintf(buf, sizeof buf, "%s", out ? out : "");
	free(out);
	return buf;
}

/* what the TUN pipe holds, thrown away */
static void tun_drain(void)
{
	uint8_t got[2048];
	while (read(tun_rd, got, sizeof got) > 0)
		;
}

/* an application's packet to HOA through the TUN: what went out, parsed
 * into *p; the count sent */
static int app_send(struct mobd_pkt *p)
{
	uint8_t pkt[256], body[8] = { 128, 0, 0, 0, 0, 2, 0, 1 };
	size_t len = 0;
	mk_pkt_assemble(pkt, sizeof pkt, &CNA, &HOA, NULL, NULL, 58, body, sizeof body, &len);
	n_sent = 0;
	cn_tun(&d, pkt, len);
	if (n_sent)
		intake_parse(sent[0], sent_len[0], &mk_cp_default, p);
	return n_sent;
}

static void test_dns(void)
{
	struct cn *s = CN(&d);
	static struct mobd_pkt p;
	uint8_t pkt[2048], kbm[20];
	int st, seq, life, bad_ok;
	char args[160], a[INET6_ADDRSTRLEN];
	struct in6_addr COA3;
	inet_pton(AF_INET6, "2001:db8:22::33", &COA3);
	/* from test_errors: HOA2 bound by a BU at COA, room for one more */

	tap_is_str(ctl(cn_cmd_bind, "2001:db8:1::77"),
		   "error: usage: cn-bind HOA COA LIFETIME_S: expected 3 arguments, got 1\n",
		   "dns: cn-bind with one argument: a usage error");
	tap_ok(!strcmp(ctl(cn_cmd_bind, "2001:db8:1::77 nowhere 60"),
		       "error: usage: cn-bind HOA COA LIFETIME_S: COA 'nowhere' is not an IPv6 address\n") &&
		       strstr(ctl(cn_cmd_bind, "ff02::1 2001:db8:21::77 60"), "HOA 'ff02::1' is not a unicast routable") &&
		       strstr(ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:21::77 0"), "LIFETIME_S '0'") &&
		       strstr(ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:1::77 60"), "the same address") &&
		       s->bc.n == 1,
	       "dns: a COA that is no address, a multicast HOA, lifetime 0, HOA = COA: usage errors naming "
	       "them, no binding");
	tap_is_str(ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:3::101 60"),
		   "error: 2001:db8:3::101 is an address of this node\n", "dns: a COA of this node: refused");
	snprintf(args, sizeof args, "%s 2001:db8:22::33 60", mk_ip6_ntop(&HOA2, a));
	tap_ok(!strncmp(ctl(cn_cmd_bind, args), "error: 2001:db8:1::88 is bound by a Binding Update to", 53) &&
		       s->cnt.dns_kept_bu == 1 && !memcmp(&bc_find(&s->bc, &HOA2)->coa, &COA, 16),
	       "dns: a binding made by a BU with another care-of address: kept, an error (dns_kept_bu)");

	d.c.cn_dns_max_lifetime = 300;
	tap_is_str(ctl(cn_cmd_bind, " 2001:db8:1::77\t2001:db8:21::77 100000 "), "ok\n",
		   "dns: cn-bind HOA COA LIFETIME_S: ok");
	struct mobd_bce *e = bc_find(&s->bc, &HOA);
	tap_ok(e && e->source == MOBD_BCE_DNS && !memcmp(&e->coa, &COA, 16) && e->granted == 300 &&
		       s->cnt.dns_bind == 1,
	       "dns: a binding of source dns, HOA -> COA, lifetime cut to cn-dns-max-lifetime (300 s)");
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	bc_show(&s->bc, false, f);
	bc_show(&s->bc, true, f);
	fclose(f);
	tap_ok(strstr(out, "2001:db8:1::77 via 2001:db8:21::77 seq 0 lifetime 300 s remaining 299 s source dns\n") &&
		       strstr(out, "\"coa\":\"2001:db8:21::77\",\"seq\":0,\"flags\":0,\"lifetime\":300,"
				   "\"remaining\":299,\"source\":\"dns\"") &&
		       strstr(out, "\"source\":\"bu\""),
	       "dns: mobctl bc says source dns (text and JSON), source bu for the BU's");
	free(out);

	/* the first packet: to the care-of address with an RH2, the probe starts */
	tap_ok(app_send(&p) == 1 && p.chain_ok && p.c.rh2 >= 0 && !memcmp(&p.ih.dst, &COA, 16) &&
		       !memcmp(sent[0] + p.c.rh2_hoa_off, &HOA, 16) && s->cnt.dns_first_tx == 1 &&
		       s->n_probing == 1 && (e->mark & CN_DNS_PROBE) && s->t_probe.linked,
	       "dns: the first packet to HOA: to COA with an RH2 naming HOA; the probe waits for COA");
	app_send(&p);
	tap_ok(s->cnt.dns_first_tx == 1 && s->n_probing == 1, "dns: the second packet starts nothing more");
	size_t len = 0;
	uint8_t body[8] = { 129, 0, 0, 0, 0, 2, 0, 1 };
	mk_pkt_assemble(pkt, sizeof pkt, &COA, &CNA, &HOA, NULL, 58, body, sizeof body, &len);
	tap_ok(deliver(pkt, len) == 0 && s->cnt.ro_in == 2 && s->cnt.dns_heard == 1 && s->n_probing == 0 &&
		       (e->mark & CN_DNS_HEARD),
	       "dns: a packet from COA with a HAO for HOA: accepted (9.3.1), to the kernel; COA heard");
	tun_drain();

	/* no answer from a new care-of address within cn-dns-probe-timeout */
	d.c.cn_dns_probe_ms = 500;
	tap_is_str(ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:22::33 60"), "ok\n", "dns: cn-bind to another COA: ok");
	tap_ok(s->cnt.dns_rebind == 1 && !memcmp(&e->coa, &COA3, 16) && !(e->mark & CN_DNS_HEARD) &&
		       app_send(&p) == 1 && !memcmp(&p.ih.dst, &COA3, 16) && s->n_probing == 1 &&
		       e->last_ts > now_ns() + 400000000ull,
	       "dns: the binding names the new COA, not heard from; its first packet starts a 500 ms probe");
	probe_cb(&d);
	tap_ok(bc_find(&s->bc, &HOA) == e && s->cnt.dns_coa_unreachable == 0 && s->t_probe.linked,
	       "dns: before the deadline the probe keeps the binding and waits again");
	e->last_ts = now_ns() - 1;
	probe_cb(&d);
	tap_ok(!bc_find(&s->bc, &HOA) && s->cnt.dns_coa_unreachable == 1 && s->cnt.dns_probe_timeout == 1 &&
		       s->n_probing == 0 && app_send(&p) == 0,
	       "dns: no packet from COA by the deadline: the binding goes (dns_coa_unreachable), the next "
	       "packet to HOA is the kernel's (through the home agent)");

	/* an ICMPv6 Destination Unreachable quoting our RH2 packet */
	ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:22::33 60");
	app_send(&p);
	uint8_t icmp[1280];
	struct in6_addr router;
	inet_pton(AF_INET6, "2001:db8:a1::1", &router);
	icmp[0] = 1; /* Destination Unreachable, code 3: address unreachable */
	icmp[1] = 3;
	memset(icmp + 2, 0, 6);
	memcpy(icmp + 8, sent[0], sent_len[0]);
	size_t ilen = 8 + sent_len[0];
	icmp[8 + 24 + 15] ^= 1; /* a packet to another care-of address */
	cn_icmp6(&d, icmp, ilen, &router, &CNA);
	tap_ok(bc_find(&s->bc, &HOA) && s->cnt.dns_icmp_unreach == 0,
	       "dns: Destination Unreachable quoting a packet to another address: the binding stays");
	icmp[8 + 24 + 15] ^= 1;
	cn_icmp6(&d, icmp, ilen, &router, &CNA);
	tap_ok(!bc_find(&s->bc, &HOA) && s->cnt.dns_icmp_unreach == 1 && s->cnt.dns_coa_unreachable == 2 &&
		       s->n_probing == 0,
	       "dns: Destination Unreachable quoting our RH2 packet to COA for HOA: the binding goes");

	/* the paper's shortcut: a BU without return routability */
	ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:21::77 60");
	app_send(&p);
	deliver(pkt, bu(pkt, &HOA, &COA3, 7, MK_BU_A, 400, 0, 0, NULL));
	tap_ok(n_sent == 0 && s->cnt.dns_bu_mismatch == 1 && !memcmp(&bc_find(&s->bc, &HOA)->coa, &COA, 16),
	       "dns: an RR-less BU from another care-of address than DNS said: silence, nothing changed");
	deliver(pkt, bu(pkt, &HOA2, &COA, 7, MK_BU_A, 400, 0, 0, NULL));
	tap_ok(n_sent == 0 && s->cnt.bu_no_bad == 3, "dns: an RR-less BU for a binding made by a BU: silence");
	deliver(pkt, bu(pkt, &HOA, &COA, 7, MK_BU_A, 400, 0, 0, NULL));
	e = bc_find(&s->bc, &HOA);
	bool got_ba = ba(&st, &seq, &life, &bad_ok, NULL);
	tap_ok(got_ba && st == 0 && seq == 7 && life <= 60 && life >= 56 &&
		       bad_ok == -1 && e->source == MOBD_BCE_DNS && e->seq == 7 && (e->mark & CN_DNS_HEARD) &&
		       s->n_probing == 0 && s->cnt.dns_bu_shortcut == 1 && e->granted == 60,
	       "dns: an RR-less BU from the COA DNS said: BA 0 (no BAD), lifetime %d s (no more than is left), "
	       "the binding's own unchanged, COA heard", life);
	deliver(pkt, bu(pkt, &HOA, &COA, 7, MK_BU_A, 400, 0, 0, NULL));
	tap_ok(ba(&st, &seq, &life, &bad_ok, NULL) && st == MK_BA_SEQ_OUT_OF_WIN && seq == 7,
	       "dns: the same RR-less BU again: BA 135");

	/* return routability: the binding is the BU's */
	uint16_t i = s->ring[s->cur].idx;
	kbm_for(i, i, &HOA, &COA3, kbm);
	deliver(pkt, bu(pkt, &HOA, &COA3, 8, MK_BU_A, 100, i, i, kbm));
	e = bc_find(&s->bc, &HOA);
	tap_ok(ba(&st, &seq, &life, &bad_ok, kbm) && st == 0 && bad_ok == 1 && e && e->source == MOBD_BCE_BU &&
		       !memcmp(&e->coa, &COA3, 16) && e->granted == 100 && s->cnt.dns_replaced == 1,
	       "dns: a BU with return routability replaces the binding from DNS (source bu, its COA)");
	tap_ok(!strncmp(ctl(cn_cmd_unbind, "2001:db8:1::77"), "error: 2001:db8:1::77 is bound by a Binding Update", 50) &&
		       bc_find(&s->bc, &HOA),
	       "dns: cn-unbind of a binding made by a BU: an error, kept");
	tap_ok(!strcmp(ctl(cn_cmd_unbind, "2001:db8:1::1234"), "error: no binding for 2001:db8:1::1234\n") &&
		       !strncmp(ctl(cn_cmd_unbind, ""), "error: usage: cn-unbind HOA: expected 1 argument", 48),
	       "dns: cn-unbind of an unknown address, or without one: errors");
	/* the cache is full (2): HOA and HOA2 */
	tap_is_str(ctl(cn_cmd_bind, "2001:db8:1::1234 2001:db8:21::77 60"), "error: binding cache full (2 entries)\n",
		   "dns: a full binding cache: an error");
	kbm_for(i, -1, &HOA, &HOA, kbm);
	deliver(pkt, bu(pkt, &HOA, &COA3, 9, 0, 0, i, i, kbm));
	tap_ok(!bc_find(&s->bc, &HOA) && !strcmp(ctl(cn_cmd_bind, "2001:db8:1::77 2001:db8:21::77 60"), "ok\n") &&
		       !strcmp(ctl(cn_cmd_unbind, "2001:db8:1::77"), "ok\n") && !bc_find(&s->bc, &HOA) &&
		       s->cnt.dns_unbind == 1 && s->cnt.dns_bind == 4,
	       "dns: cn-unbind of a binding from DNS: ok, gone");

	out = NULL;
	f = open_memstream(&out, &olen);
	cn_show(&d, "counters", true, f);
	fclose(f);
	tap_ok(strstr(out, "\"dns_coa_unreachable\":2") && strstr(out, "\"dns_bu_shortcut\":1") &&
		       strstr(out, "\"dns_probe_timeout\":1"),
	       "dns: mobctl counters has each outcome");
	free(out);
}

int main(void)
{
	tap_plan(66);
	setup();
	test_rr();
	test_bu();
	test_regtype();
	test_errors();
	test_dns();
	cn_stop(&d);
	ev_fini();
	return tap_done();
}
