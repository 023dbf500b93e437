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

int main(void)
{
	tap_plan(40);
	setup();
	test_rr();
	test_bu();
	test_regtype();
	test_errors();
	cn_stop(&d);
	ev_fini();
	return tap_done();
}
