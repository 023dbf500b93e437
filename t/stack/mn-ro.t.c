/* t/stack/mn-ro.t.c: the mobile node's route optimization (stack/roles/mn-ro.c,
 * RFC 6275 5.2, 11.6-11.7) without a network.
 *
 * mn-ro.c is included whole (its statics: ro_find, ro_timer, ro_free); the
 * mobile node role (stack/roles/mobile-node.o) is linked beside it so that
 * packets go in the way mobd takes them: intake_packet -> mn_mh / mn_ip (the
 * home agent's tunnel, an RH2), the role's on_icmp6 (mn_icmp) for ICMPv6
 * from the raw ICMPv6 socket and on_tun (mn_tun) for what applications send.
 * The struct mn is made by hand (mn_start would need netlink): home address,
 * home agent, care-of address, tunnel up; a move is what away() / at_home()
 * do to it (m->coa, then mn_ro_moved), without their netlink calls.
 *
 * What goes out is caught by wrapping lib/net's raw send (t/lib/roletest.h,
 * -Wl,--wrap=mk_raw6_send): msg_send, msg_bu_rr and msg_encap all end there, so
 * msg_encap needs no stub (the caught packet is the outer one).  tun_write
 * writes to d.io.tun_fd, the write end of a pipe read here.  Timers are
 * driven by calling ro_timer, the entries' callback, by hand.
 *
 * The correspondent's messages (HoT, CoT, BA with a Binding Authorization
 * Data made with mk_rr_kbm / mk_rr_bad_fill, BE, BRR, Parameter Problem,
 * data with an RH2) are built here with lib/wire. */
#include "stack/roles/mn-ro.c"
#include "stack/roles/roles.h"
#include "t/lib/tap.h"
#include "wire/icmp6.h"

#include <errno.h>
#include <unistd.h>

/* ---- what mobd sends: t/lib/roletest.h (sent, sent_len, n_sent) ---- */
#include "t/lib/roletest.h"

static struct mobd d;
static struct mn *M;
static int tun_rd = -1; /* the TUN device: a pipe, its read end */
static struct in6_addr HOA, HA, COA, COA2, CNA, CNB, HOA2;

/* a caught packet, the tunnel taken off: its inner packet parsed (and the
 * outer header in *outer when encapsulated) */
struct caught {
	bool encap;
	struct mk_ip6 outer;
	struct mobd_pkt p;
	uint8_t buf[2048];
};

static bool catch_one(int i, struct caught *c)
{
	struct mk_ip6 o;
	struct mk_ip6_chain oc;
	size_t off, len;
	if (i >= n_sent || i >= MAX_SENT)
		return false;
	c->encap = false;
	if (mk_ip6_chain_parse(sent[i], sent_len[i], &o, &oc).err == MK_E_OK && oc.ulp == 41) {
		if (mk_ip6_decap(sent[i], sent_len[i], &c->outer, NULL, &off, &len).err != MK_E_OK)
			return false;
		c->encap = true;
	} else {
		off = 0;
		len = sent_len[i];
	}
	memcpy(c->buf, sent[i] + off, len);
	intake_parse(c->buf, len, &mk_cp_default, &c->p);
	return c->p.chain_ok;
}

/* the caught MH of type t (the first), or NULL */
static struct caught *caught_mh(uint8_t t)
{
	static struct caught c[MAX_SENT];
	for (int i = 0; i < n_sent && i < MAX_SENT; i++)
		if (catch_one(i, &c[i]) && c[i].p.mh && c[i].p.st.err == MK_E_OK && c[i].p.cksum == 0 &&
		    c[i].p.m.type == t)
			return &c[i];
	return NULL;
}

/* the caught MH of type t, which must be there */
static struct caught *must_mh(uint8_t t)
{
	struct caught *c = caught_mh(t);
	if (!c) {
		printf("Bail out! no MH type %u sent\n", t);
		exit(1);
	}
	return c;
}

/* ---- packets in ---- */

static int deliver(const uint8_t *pkt, size_t len)
{
	n_sent = 0;
	intake_packet(&d, pkt, len);
	return n_sent;
}

/* as the home agent tunnels it to the care-of address */
static int deliver_tunnelled(const uint8_t *inner, size_t len)
{
	static uint8_t out[4096];
	struct mk_ip6 o = { .hlim = 64, .src = HA, .dst = M->coa };
	size_t n = 0;
	if (mk_ip6_encap(out, sizeof out, &o, inner, len, &n).err != MK_E_OK)
		tap_diag("not encapsulated");
	return deliver(out, n);
}

static size_t pkt_of(uint8_t *pkt, const struct in6_addr *src, const struct in6_addr *dst,
		     const struct in6_addr *rh2, uint8_t ulp, const uint8_t *body, size_t n)
{
	size_t len = 0;
	if (mk_pkt_assemble(pkt, 2048, src, dst, NULL, rh2, ulp, body, n, &len).err != MK_E_OK)
		tap_diag("packet not assembled");
	return len;
}

/* a HoT (to the home address) or CoT (to dst) from cn */
static size_t test_pkt(uint8_t *pkt, uint8_t type, const struct in6_addr *cn, const struct in6_addr *dst,
		       uint16_t idx, const uint8_t cookie[8], const uint8_t token[8])
{
	uint8_t mh[64];
	size_t n = msg_test(&mk_cp_default, type, idx, cookie, token, mh, sizeof mh);
	return pkt_of(pkt, cn, dst, NULL, MK_MH_NEXTHDR, mh, n);
}

/* a BA from cn to `to` (an RH2 with the home address when it is not it),
 * a BAD made with kbm over to | cn when kbm */
static size_t ba_pkt(uint8_t *pkt, const struct in6_addr *cn, const struct in6_addr *to, uint8_t status,
		     uint16_t seq, uint32_t life, const uint8_t *kbm)
{
	uint8_t mh[64];
	struct mk_mh m;
	size_t n = 0;
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.status = status;
	m.u.ba.seq = seq;
	m.u.ba.lifetime = mk_mh_lifetime_units(life);
	if (kbm)
		m.opts[m.nopts++].kind = MK_MHO_BAD;
	if (mk_mh_build(mh, sizeof mh, &mk_cp_default, &m, &n).err != MK_E_OK ||
	    (kbm && mk_rr_bad_fill(mh, n, &mk_cp_default, kbm, to, cn).err != MK_E_OK))
		tap_diag("BA not built");
	return pkt_of(pkt, cn, to, memcmp(to, &HOA, 16) ? &HOA : NULL, MK_MH_NEXTHDR, mh, n);
}

static size_t be_pkt(uint8_t *pkt, const struct in6_addr *cn, uint8_t status)
{
	uint8_t mh[64];
	struct mk_mh m;
	size_t n = 0;
	mk_mh_init(&m, MK_MH_BE);
	m.u.be.status = status;
	m.u.be.hoa = HOA;
	if (mk_mh_build(mh, sizeof mh, &mk_cp_default, &m, &n).err != MK_E_OK)
		tap_diag("BE not built");
	return pkt_of(pkt, cn, &M->coa, NULL, MK_MH_NEXTHDR, mh, n);
}

/* an ICMPv6 Parameter Problem (code 1, pointer 6: the Next Header) quoting q */
static size_t pp_msg(uint8_t *buf, const uint8_t *q, size_t qlen)
{
	struct mk_icmp6 m;
	size_t n = 0;
	memset(&m, 0, sizeof m);
	m.kind = MK_ICMP6_K_PARAM_PROB;
	m.code = 1;
	m.u.err.word = 6;
	m.u.err.invoking = q;
	m.u.err.invoking_len = qlen;
	if (mk_icmp6_build(buf, 2048, &mk_cp_default, &m, &n).err != MK_E_OK)
		tap_diag("Parameter Problem not built");
	return n;
}

/* the Parameter Problem from src as the ICMPv6 socket hands it to the role */
static int deliver_icmp(const uint8_t *msg, size_t n, const struct in6_addr *src)
{
	n_sent = 0;
	mobd_mobile_node.on_icmp6(&d, msg, n, src, &M->coa);
	return n_sent;
}

/* an application's packet from the home address, as read from the TUN */
static int from_tun(const uint8_t *pkt, size_t len)
{
	n_sent = 0;
	mobd_mobile_node.on_tun(&d, pkt, len);
	return n_sent;
}

static ssize_t tun_read(uint8_t *buf, size_t cap)
{
	return read(tun_rd, buf, cap);
}

static bool tun_empty(void)
{
	uint8_t b[2048];
	return read(tun_rd, b, sizeof b) < 0 && errno == EAGAIN;
}

/* ---- the state ---- */

static struct mn_ro *ro_of(const struct in6_addr *cn)
{
	return ro_find(M, cn);
}

/* the entry of cn, which must be there: else the test cannot go on */
static struct mn_ro *must(const struct in6_addr *cn)
{
	struct mn_ro *r = ro_of(cn);
	if (!r) {
		char a[INET6_ADDRSTRLEN];
		printf("Bail out! no entry for %s\n", mk_ip6_ntop(cn, a));
		exit(1);
	}
	return r;
}

/* no correspondent, counters 0, away at COA with the tunnel up */
static void fresh(int mode)
{
	for (int i = 0; i < MN_RO_MAX; i++)
		if (M->ro[i].used)
			ro_free(&M->ro[i]);
	memset(&M->cnt, 0, sizeof M->cnt);
	M->coa = COA;
	M->have_coa = M->have_ha = M->tunnel_up = true;
	M->st = MN_BOUND;
	d.c.ro_mode = mode;
	uint8_t b[2048];
	while (read(tun_rd, b, sizeof b) > 0) /* what an earlier case left in the TUN */
		;
}

/* one return routability run as the correspondent would answer it */
struct rr {
	uint8_t ht[8], ct[8], kbm[20];
	uint16_t hi, ci, seq; /* the nonce indices, the BU's sequence number */
};

static const uint8_t HT[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };
static const uint8_t CT[8] = { 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28 };

/* the HoT for r's HoTI through the tunnel; how many packets mobd sent */
static int answer_hoti(const struct in6_addr *cn, const uint8_t tok[8], uint16_t idx)
{
	uint8_t pkt[2048];
	struct mn_ro *r = must(cn);
	return deliver_tunnelled(pkt, test_pkt(pkt, MK_MH_HOT, cn, &HOA, idx, r->hcookie, tok));
}

static int answer_coti(const struct in6_addr *cn, const uint8_t tok[8], uint16_t idx)
{
	uint8_t pkt[2048];
	struct mn_ro *r = must(cn);
	return deliver(pkt, test_pkt(pkt, MK_MH_COT, cn, &M->coa, idx, r->ccookie, tok));
}

/* the BU just caught: from the care-of address with the HAO, A, the nonce
 * indices of x and a BAD that verifies with x's Kbm; its seq in x->seq */
static bool bu_ok(const struct in6_addr *cn, struct rr *x)
{
	struct caught *c = caught_mh(MK_MH_BU);
	const struct mk_mh_opt *no;
	struct in6_addr hao;
	if (!c || c->encap || memcmp(&c->p.ih.src, &M->coa, 16) || memcmp(&c->p.ih.dst, cn, 16) ||
	    c->p.c.hao < 0)
		return false;
	memcpy(&hao, c->p.pkt + c->p.c.hao_off + 2, 16);
	no = mk_mh_find_opt(&c->p.m, MK_MHO_NONCE);
	x->seq = c->p.m.u.bu.seq;
	return !memcmp(&hao, &HOA, 16) && (c->p.m.u.bu.flags & MK_BU_A) && !(c->p.m.u.bu.flags & MK_BU_H) &&
	       no && no->v.nonce.home == x->hi && no->v.nonce.careof == x->ci &&
	       mk_rr_bad_verify(c->p.mh, c->p.mhlen, &mk_cp_default, x->kbm, &M->coa, cn).err == MK_E_OK;
}

/* mn_ro_seen, HoT, CoT: the BU caught and checked (bu_ok) */
static bool to_bu(const struct in6_addr *cn, struct rr *x)
{
	memcpy(x->ht, HT, 8);
	memcpy(x->ct, CT, 8);
	x->hi = 7;
	x->ci = 9;
	mk_rr_kbm(x->ht, x->ct, x->kbm);
	n_sent = 0;
	mn_ro_seen(&d, cn);
	if (n_sent != 2 || !ro_of(cn) || ro_of(cn)->st != RO_RR)
		return false;
	if (answer_hoti(cn, x->ht, x->hi) != 0 || answer_coti(cn, x->ct, x->ci) != 1)
		return false;
	return bu_ok(cn, x) && ro_of(cn)->st == RO_BU;
}

/* and the BA 0 that binds it */
static bool to_bound(const struct in6_addr *cn, struct rr *x)
{
	uint8_t pkt[2048];
	if (!to_bu(cn, x))
		return false;
	deliver(pkt, ba_pkt(pkt, cn, &M->coa, 0, x->seq, 300, x->kbm));
	return ro_of(cn)->st == RO_BOUND && ro_of(cn)->bound;
}

static void setup(void)
{
	inet_pton(AF_INET6, "2001:db8:1::77", &HOA);
	inet_pton(AF_INET6, "2001:db8:1::88", &HOA2);
	inet_pton(AF_INET6, "2001:db8:1::1", &HA);
	inet_pton(AF_INET6, "2001:db8:21::77", &COA);
	inet_pton(AF_INET6, "2001:db8:22::77", &COA2);
	inet_pton(AF_INET6, "2001:db8:3::101", &CNA);
	inet_pton(AF_INET6, "2001:db8:4::202", &CNB);
	d.c.roles = MOBD_RB(MOBD_R_MN);
	d.c.cp = mk_cp_default;
	d.c.lifetime = 600;
	d.c.err_rate = 0;
	if ((tun_rd = roletest_init(&d, &mobd_mobile_node)) < 0)
		tap_diag("setup: no pipe or no event loop");
	M = calloc(1, sizeof *M);
	d.rs[MOBD_R_MN] = M;
	M->nl_fd = -1;
	M->bu = bul_get(&M->bul, NULL, true, true);
	M->hoa = HOA;
	M->ha = HA;
	fresh(MN_RO_ALWAYS);
}

/* ---- the cases ---- */

static void test_policy(void)
{
	struct in6_addr ll, mc, in, out;
	inet_pton(AF_INET6, "fe80::1", &ll);
	inet_pton(AF_INET6, "ff0e::101", &mc);
	inet_pton(AF_INET6, "2001:db8:3::5", &in);
	inet_pton(AF_INET6, "2001:db8:5::5", &out);

	fresh(MN_RO_NEVER);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	tap_ok(n_sent == 0 && !ro_of(&CNA), "policy never: no return routability, no entry");

	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	tap_ok(n_sent == 2 && ro_of(&CNA) && ro_of(&CNA)->st == RO_RR && M->cnt.hoti_tx == 1 &&
		       M->cnt.coti_tx == 1,
	       "policy always: HoTI and CoTI, the entry in return-routability");
	n_sent = 0;
	mn_ro_seen(&d, &HA);
	mn_ro_seen(&d, &ll);
	mn_ro_seen(&d, &mc);
	tap_ok(n_sent == 0 && !ro_of(&HA) && !ro_of(&ll) && !ro_of(&mc),
	       "policy always: never with the home agent, a link-local or a multicast address");
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	tap_is_int(n_sent, 0, "policy: a second packet while RR is under way starts nothing more");

	fresh(MN_RO_PREFIX);
	d.c.n_ro_prefix = 1;
	inet_pton(AF_INET6, "2001:db8:3::", &d.c.ro_prefix[0]);
	d.c.ro_plen[0] = 64;
	n_sent = 0;
	mn_ro_seen(&d, &in);
	int n_in = n_sent;
	n_sent = 0;
	mn_ro_seen(&d, &out);
	tap_ok(n_in == 2 && ro_of(&in) && n_sent == 0 && !ro_of(&out),
	       "policy 2001:db8:3::/64: RR with 2001:db8:3::5, not with 2001:db8:5::5");
	d.c.n_ro_prefix = 0;

	/* at home: nothing */
	fresh(MN_RO_ALWAYS);
	M->coa = HOA;
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	tap_ok(n_sent == 0 && !ro_of(&CNA), "policy: at home no route optimization is started");
	M->coa = COA;

	/* a tunnelled packet from the correspondent starts it (mn_ip), and
	 * reaches the TUN */
	fresh(MN_RO_ALWAYS);
	uint8_t pkt[2048], echo[8] = { 128, 0, 0, 0, 0, 1, 0, 1 }, got[2048];
	size_t len = pkt_of(pkt, &CNA, &HOA, NULL, 58, echo, sizeof echo);
	int ns = deliver_tunnelled(pkt, len);
	ssize_t gl = tun_read(got, sizeof got);
	tap_ok(ns == 2 && ro_of(&CNA) && gl == (ssize_t)len && !memcmp(got, pkt, len) && M->cnt.tun_in == 1,
	       "policy: the correspondent's packet through the tunnel: to the TUN as it was, and RR starts");
}

static void test_rr(void)
{
	struct caught *h, *c;
	uint8_t pkt[2048], bad[8];
	struct rr x;

	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	struct mn_ro *r = must(&CNA);
	h = caught_mh(MK_MH_HOTI);
	tap_ok(h && h->encap && !memcmp(&h->outer.src, &COA, 16) && !memcmp(&h->outer.dst, &HA, 16) &&
		       !memcmp(&h->p.ih.src, &HOA, 16) && !memcmp(&h->p.ih.dst, &CNA, 16) && h->p.c.hao < 0 &&
		       r && !memcmp(h->p.m.u.testinit.cookie, r->hcookie, 8),
	       "rr: the HoTI goes through the tunnel: outer CoA -> HA, inner HoA -> CN, its cookie kept");
	c = caught_mh(MK_MH_COTI);
	tap_ok(c && !c->encap && !memcmp(&c->p.ih.src, &COA, 16) && !memcmp(&c->p.ih.dst, &CNA, 16) &&
		       c->p.c.hao < 0 && !memcmp(c->p.m.u.testinit.cookie, r->ccookie, 8),
	       "rr: the CoTI goes direct from the care-of address, no Home Address option");

	/* HoTs and CoTs that must not count */
	memcpy(bad, r->hcookie, 8);
	bad[0] ^= 0xff;
	deliver_tunnelled(pkt, test_pkt(pkt, MK_MH_HOT, &CNA, &HOA, 7, bad, HT));
	tap_ok(M->cnt.rr_stale == 1 && !r->htok_ok && r->hoti_out && n_sent == 0,
	       "rr: a HoT with a wrong cookie: ignored (rr_stale)");
	deliver(pkt, test_pkt(pkt, MK_MH_HOT, &CNA, &HOA, 7, r->hcookie, HT));
	tap_ok(M->cnt.rr_stale == 2 && !r->htok_ok && n_sent == 0,
	       "rr: a HoT to the home address not through the tunnel: ignored (rr_stale)");
	deliver_tunnelled(pkt, test_pkt(pkt, MK_MH_COT, &CNA, &HOA, 9, r->ccookie, CT));
	int a = n_sent;
	deliver(pkt, test_pkt(pkt, MK_MH_COT, &CNA, &HOA, 9, r->ccookie, CT));
	tap_ok(M->cnt.rr_stale == 4 && !r->ctok_ok && a == 0 && n_sent == 0 && M->cnt.cot_rx == 0,
	       "rr: a CoT to the home address (tunnelled or not): ignored (rr_stale)");

	/* the right ones: a BU */
	memcpy(x.ht, HT, 8);
	memcpy(x.ct, CT, 8);
	x.hi = 7;
	x.ci = 9;
	mk_rr_kbm(HT, CT, x.kbm);
	tap_is_int(answer_hoti(&CNA, HT, 7), 0, "rr: the HoT alone: no BU yet");
	tap_is_int(answer_coti(&CNA, CT, 9), 1, "rr: HoT and CoT: one packet");
	tap_ok(bu_ok(&CNA, &x) && r->st == RO_BU && M->cnt.hot_rx == 1 && M->cnt.cot_rx == 1 &&
		       M->cnt.ro_bu_tx == 1,
	       "rr: a BU from the CoA, HAO = HoA, A bit, Nonce Indices 7/9, BAD verifies with SHA1(home|care-of token)");
	c = caught_mh(MK_MH_BU);
	tap_ok(c && mk_mh_lifetime_sec(c->p.m.u.bu.lifetime) == MOBD_MAX_RR_BINDING_LIFETIME_S,
	       "rr: lifetime 600 s configured, %d s (MAX_RR_BINDING_LIFETIME) asked", MOBD_MAX_RR_BINDING_LIFETIME_S);
	struct rr wrong = x;
	wrong.kbm[3] ^= 1;
	tap_ok(!bu_ok(&CNA, &wrong), "rr: (the same check of the BU fails with another Kbm)");
}

static void test_ba(void)
{
	uint8_t pkt[2048], wrong[20];
	struct rr x;
	struct caught *c;

	fresh(MN_RO_ALWAYS);
	tap_ok(to_bu(&CNA, &x), "ba: RR done, a BU out");
	struct mn_ro *r = must(&CNA);

	memcpy(wrong, x.kbm, 20);
	wrong[0] ^= 1;
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, x.seq, 300, wrong));
	tap_ok(M->cnt.ro_ba_bad == 1 && r->st == RO_BU && !r->bound && n_sent == 0,
	       "ba: a wrong authenticator: ignored, counted (ro_ba_bad), still waiting");
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, x.seq, 300, NULL));
	tap_ok(M->cnt.ro_ba_bad == 2 && r->st == RO_BU && !r->bound, "ba: status 0 without a BAD: ignored");
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, (uint16_t)(x.seq - 1), 300, x.kbm));
	tap_ok(r->st == RO_BU && !r->bound && M->cnt.ro_ba_rx == 0, "ba: the right BAD, an older seq: ignored");

	/* 135: resynchronised, a BU with its seq + 1 at once */
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, MK_BA_SEQ_OUT_OF_WIN, 40000, 0, x.kbm));
	c = caught_mh(MK_MH_BU);
	tap_ok(n_sent == 1 && c && c->p.m.u.bu.seq == 40001 && bu_ok(&CNA, &x) && r->st == RO_BU,
	       "ba: 135 with seq 40000: a new BU at once, seq 40001, same authenticator");
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, 40001, 300, x.kbm));
	tap_ok(r->st == RO_BOUND && r->bound && !memcmp(&r->bound_coa, &COA, 16) && r->bu->granted == 300 &&
		       M->cnt.ro_ba_rx == 2,
	       "ba: the right BA: bound at the care-of address, 300 s");
	tap_ok(r->t.linked && r->t.due > now_ns() + 200ull * NS_PER_S && r->t.due <= now_ns() + 240ull * NS_PER_S,
	       "ba: the refresh armed at 80%% of 300 s");

	/* 136 -> HoTI, 137 -> CoTI, 138 -> both; the fourth in a row: fall back */
	struct { uint8_t st; int hoti, coti; } k[] = {
		{ MK_BA_HOME_NONCE_EXP, 1, 0 }, { MK_BA_CAREOF_NONCE_EXP, 0, 1 }, { MK_BA_NONCES_EXP, 1, 1 } };
	fresh(MN_RO_ALWAYS);
	to_bu(&CNA, &x);
	r = must(&CNA);
	for (int i = 0; i < 3; i++) {
		uint64_t h0 = M->cnt.hoti_tx, c0 = M->cnt.coti_tx;
		deliver(pkt, ba_pkt(pkt, &CNA, &COA, k[i].st, x.seq, 0, NULL));
		bool only = n_sent == k[i].hoti + k[i].coti && (int)(M->cnt.hoti_tx - h0) == k[i].hoti &&
			    (int)(M->cnt.coti_tx - c0) == k[i].coti && r->st == RO_RR &&
			    (!k[i].hoti || (caught_mh(MK_MH_HOTI) && caught_mh(MK_MH_HOTI)->encap)) &&
			    (!k[i].coti || caught_mh(MK_MH_COTI));
		int got = 0;
		if (k[i].hoti)
			got = answer_hoti(&CNA, x.ht, x.hi);
		if (k[i].coti)
			got = answer_coti(&CNA, x.ct, x.ci);
		tap_ok(only && got == 1 && bu_ok(&CNA, &x) && r->st == RO_BU,
		       "ba: %u unauthenticated: %s again, then the BU", k[i].st,
		       k[i].hoti && k[i].coti ? "HoTI and CoTI" : k[i].hoti ? "the HoTI only" : "the CoTI only");
	}
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, MK_BA_HOME_NONCE_EXP, x.seq, 0, NULL));
	tap_ok(n_sent == 0 && r->st == RO_FALLBACK && !r->bound && M->cnt.ro_fallback == 1 &&
		       strstr(r->why, "136") && r->t.linked,
	       "ba: a fourth 136-138 in a row: fall back to the tunnel (%s), retried later", r->why);

	/* refusals */
	uint8_t refuse[] = { MK_BA_RESOURCES, MK_BA_REGTYPE_CHANGE };
	for (int i = 0; i < 2; i++) {
		fresh(MN_RO_ALWAYS);
		to_bu(&CNA, &x);
		r = must(&CNA);
		deliver(pkt, ba_pkt(pkt, &CNA, &COA, refuse[i], x.seq, 0, x.kbm));
		char want[8];
		snprintf(want, sizeof want, "%u", refuse[i]);
		tap_ok(n_sent == 0 && r->st == RO_FALLBACK && !r->bound && M->cnt.ro_fallback == 1 &&
			       strstr(r->why, want) && r->bu->last_status == refuse[i],
		       "ba: %u: fall back with the reason (%s)", refuse[i], r->why);
	}

	/* BA 0 granting no time at all (6.1.8: lifetime 0 deletes the binding) */
	fresh(MN_RO_ALWAYS);
	to_bu(&CNA, &x);
	r = must(&CNA);
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, x.seq, 0, x.kbm));
	tap_ok(!r->bound && r->st == RO_FALLBACK && r->t.linked && r->t.due > now_ns() + 2ull * NS_PER_S,
	       "ba: 0 with lifetime 0: not bound, fall back (%s), not refreshed a second later", r->why);
}

static void test_be(void)
{
	uint8_t pkt[2048];
	struct rr x;

	fresh(MN_RO_ALWAYS);
	to_bound(&CNA, &x);
	struct mn_ro *r = must(&CNA);
	uint16_t seq0 = x.seq;
	deliver(pkt, be_pkt(pkt, &CNA, MK_BE_UNKNOWN_HAO));
	struct caught *c = caught_mh(MK_MH_BU);
	tap_ok(!r->bound && r->st == RO_BU && c && bu_ok(&CNA, &x) && x.seq == (uint16_t)(seq0 + 1) &&
		       M->cnt.ro_be_rx == 1,
	       "be: status 1 while bound: not direct any more, registered again (tokens still fresh: the BU)");
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, x.seq, 300, x.kbm));
	tap_ok(r->st == RO_BOUND && r->bound, "be: and its BA binds again");
	/* with both tokens past MAX_TOKEN_LIFETIME: return routability first */
	if (r->htok_at > TOKEN_NS + NS_PER_S && r->ctok_at > TOKEN_NS + NS_PER_S) {
		r->htok_at -= TOKEN_NS + NS_PER_S;
		r->ctok_at -= TOKEN_NS + NS_PER_S;
	} else {
		r->htok_ok = r->ctok_ok = false;
	}
	deliver(pkt, be_pkt(pkt, &CNA, MK_BE_UNKNOWN_HAO));
	tap_ok(n_sent == 2 && caught_mh(MK_MH_HOTI) && caught_mh(MK_MH_COTI) && r->st == RO_RR && !r->bound,
	       "be: status 1 again, the tokens too old: HoTI and CoTI");
	answer_hoti(&CNA, x.ht, x.hi);
	answer_coti(&CNA, x.ct, x.ci);
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, bu_ok(&CNA, &x) ? x.seq : 0, 300, x.kbm));
	tap_ok(r->st == RO_BOUND && r->bound && r->retries == 0, "be: RR, BU, BA: bound again, the count of errors reset");

	deliver(pkt, be_pkt(pkt, &CNA, MK_BE_UNKNOWN_TYPE));
	tap_ok(n_sent == 0 && r->st == RO_LEGACY && !r->bound && M->cnt.ro_legacy == 1 && !r->t.linked,
	       "be: status 2: legacy (%s)", r->why);
	M->coa = COA2;
	n_sent = 0;
	mn_ro_moved(&d, false);
	mn_ro_ha_bound(&d);
	mn_ro_seen(&d, &CNA);
	tap_ok(n_sent == 0 && r->st == RO_LEGACY && r->used, "be: legacy stays after a move: nothing sent");
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	mobd_mobile_node.show(&d, "bul", true, f);
	fclose(f);
	tap_ok(out && strstr(out, "\"kind\":\"correspondent\",\"cn\":\"2001:db8:3::101\"") &&
		       strstr(out, "\"state\":\"legacy\"") && strstr(out, "\"direct\":false") &&
		       strstr(out, "\"reason\":\"Binding Error status 2"),
	       "be: mobctl bul: the correspondent legacy, not direct, with the reason");
	free(out);
	M->coa = COA;
}

static void test_pp(void)
{
	uint8_t pkt[2048], msg[2048];
	size_t n;
	static struct caught keep;

	/* the HoTI, quoted by the correspondent, comes back through the tunnel */
	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	keep = *must_mh(MK_MH_HOTI);
	n = pp_msg(msg, keep.p.pkt, keep.p.len);
	int ns = deliver_tunnelled(pkt, pkt_of(pkt, &CNA, &HOA, NULL, 58, msg, n));
	struct mn_ro *r = must(&CNA);
	tap_ok(ns == 0 && r->st == RO_LEGACY && M->cnt.ro_legacy == 1 && strstr(r->why, "HoTI") && tun_empty(),
	       "pp: a Parameter Problem quoting our HoTI, through the tunnel: legacy (%s)", r->why);

	/* the CoTI, from the ICMPv6 socket */
	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	keep = *must_mh(MK_MH_COTI);
	n = pp_msg(msg, keep.p.pkt, keep.p.len);
	deliver_icmp(msg, n, &CNA);
	r = must(&CNA);
	tap_ok(r->st == RO_LEGACY && M->cnt.ro_legacy == 1 && strstr(r->why, "CoTI"),
	       "pp: a Parameter Problem quoting our CoTI: legacy (%s)", r->why);

	/* someone else's packets */
	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	keep = *must_mh(MK_MH_COTI);
	r = must(&CNA);
	uint8_t q[2048];
	memcpy(q, keep.p.pkt, keep.p.len);
	memcpy(q + 8, &HOA2, 16); /* a CoTI from another node */
	n = pp_msg(msg, q, keep.p.len);
	deliver_icmp(msg, n, &CNA);
	int a = r->st == RO_RR;
	memcpy(q, keep.p.pkt, keep.p.len);
	n = pp_msg(msg, q, keep.p.len);
	deliver_icmp(msg, n, &CNB); /* ours, but from another node than its destination */
	int b = r->st == RO_RR;
	uint8_t echo[8] = { 128, 0, 0, 0, 0, 1, 0, 1 };
	size_t ql = pkt_of(q, &COA, &CNA, NULL, 58, echo, sizeof echo);
	n = pp_msg(msg, q, ql);
	deliver_icmp(msg, n, &CNA); /* our packet, but no MH and no HAO */
	tap_ok(a && b && r->st == RO_RR && M->cnt.ro_legacy == 0 && n_sent == 0,
	       "pp: quoting another node's CoTI, ours from a third node, an echo of ours: nothing");

	/* the BU, from the care-of address with the Home Address option */
	struct rr x;
	fresh(MN_RO_ALWAYS);
	to_bu(&CNA, &x);
	keep = *must_mh(MK_MH_BU);
	n = pp_msg(msg, keep.p.pkt, keep.p.len);
	deliver_icmp(msg, n, &CNA);
	r = must(&CNA);
	tap_ok(r->st == RO_LEGACY && M->cnt.ro_legacy == 1 && strstr(r->why, "BU") && !r->t.linked,
	       "pp: a Parameter Problem quoting our BU: legacy (%s), no timer left", r->why);

	/* our data, direct with the Home Address option, refused: the tunnel */
	fresh(MN_RO_ALWAYS);
	to_bound(&CNA, &x);
	r = must(&CNA);
	uint8_t data[2048];
	size_t dl = pkt_of(data, &HOA, &CNA, NULL, 58, echo, sizeof echo);
	from_tun(data, dl);
	memcpy(q, sent[0], sent_len[0]);
	n = pp_msg(msg, q, sent_len[0]);
	deliver_icmp(msg, n, &CNA);
	int direct = M->cnt.ro_out == 1;
	from_tun(data, dl);
	tap_ok(direct && r->st == RO_LEGACY && strstr(r->why, "Home Address option") && !r->bound &&
		       catch_one(0, &keep) && keep.encap && M->cnt.ro_out == 1,
	       "pp: a Parameter Problem quoting our data with the HAO: legacy (%s), data through the tunnel", r->why);
}

static void test_timers(void)
{
	uint8_t pkt[2048];
	struct rr x;

	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	struct mn_ro *r = must(&CNA);
	tap_ok(r->t.linked && r->t.due > now_ns() + 900000000ull && r->t.due <= now_ns() + NS_PER_S,
	       "timers: the first wait is INITIAL_BINDACK_TIMEOUT (1 s)");
	int s[3];
	for (int i = 0; i < 3; i++) {
		n_sent = 0;
		ro_timer(r);
		s[i] = n_sent;
	}
	tap_ok(s[0] == 2 && s[1] == 2 && s[2] == 0 && M->cnt.hoti_tx == 3 && M->cnt.coti_tx == 3,
	       "timers: no answer: HoTI and CoTI sent again twice (3 tries), then nothing");
	tap_ok(r->st == RO_FALLBACK && M->cnt.ro_fallback == 1 && !strcmp(r->why, "no HoT and no CoT") &&
		       r->t.linked && r->t.due > now_ns() + 59ull * NS_PER_S,
	       "timers: fall back (%s), tried again in %d s", r->why, MN_RO_RETRY_S);
	n_sent = 0;
	ro_timer(r);
	tap_ok(n_sent == 2 && r->st == RO_RR, "timers: the retry: RR again");

	/* a CoT but no HoT */
	answer_coti(&CNA, CT, 9);
	ro_timer(r);
	int one = n_sent == 1 && caught_mh(MK_MH_HOTI) != NULL;
	ro_timer(r);
	ro_timer(r);
	tap_ok(one && r->st == RO_FALLBACK && !strcmp(r->why, "no HoT"),
	       "timers: the CoT came, the HoT not: only the HoTI again, then fall back (%s)", r->why);

	/* fallen back: the next move tries again once the home agent has the new address */
	M->coa = COA2;
	n_sent = 0;
	mn_ro_moved(&d, false);
	int at_move = n_sent;
	mn_ro_ha_bound(&d);
	struct caught *h = caught_mh(MK_MH_HOTI), *c = caught_mh(MK_MH_COTI);
	tap_ok(at_move == 0 && n_sent == 2 && r->st == RO_RR && h && h->encap && !memcmp(&h->outer.src, &COA2, 16) &&
		       c && !memcmp(&c->p.ih.src, &COA2, 16),
	       "timers: after a move, once registered at the new CoA: HoTI and CoTI from there");
	M->coa = COA;

	/* no BA: the BU 3 times, then fall back */
	fresh(MN_RO_ALWAYS);
	to_bu(&CNA, &x);
	r = must(&CNA);
	uint16_t seq0 = x.seq;
	int bus = 0;
	for (int i = 0; i < 3; i++) {
		n_sent = 0;
		ro_timer(r);
		bus += n_sent;
	}
	tap_ok(bus == 2 && M->cnt.ro_bu_tx == 3 && r->bu->seq == (uint16_t)(seq0 + 2) && r->st == RO_FALLBACK &&
		       !strcmp(r->why, "no Binding Acknowledgement"),
	       "timers: no BA: the BU sent 3 times (each a new seq), then fall back (%s)", r->why);
	/* a late BA after falling back: ignored */
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, 0, r->bu->seq, 300, x.kbm));
	tap_ok(r->st == RO_FALLBACK && !r->bound, "timers: a BA after the fall-back: ignored");
}

static void test_data(void)
{
	uint8_t pkt[2048], echo[16] = { 128, 0, 0, 0, 0, 1, 0, 1, 'm', 'o', 'b', 'k', 'i', 't', 0, 0 };
	uint8_t got[2048];
	struct rr x;
	struct mk_status st;
	size_t len = pkt_of(pkt, &HOA, &CNA, NULL, 58, echo, sizeof echo);

	fresh(MN_RO_ALWAYS);
	tap_ok(from_tun(pkt, len) == 1 && catch_one(0, &(struct caught){ 0 }) && M->cnt.tun_out == 1 &&
		       M->cnt.ro_out == 0,
	       "data: not bound: through the tunnel");
	tap_ok(to_bound(&CNA, &x), "data: bound with the correspondent");
	struct mn_ro *r = must(&CNA);
	static struct caught c;
	from_tun(pkt, len);
	bool okc = n_sent == 1 && catch_one(0, &c);
	struct in6_addr hao;
	if (okc && c.p.c.hao >= 0)
		memcpy(&hao, c.p.pkt + c.p.c.hao_off + 2, 16);
	tap_ok(okc && !c.encap && !memcmp(&c.p.ih.src, &COA, 16) && !memcmp(&c.p.ih.dst, &CNA, 16) &&
		       c.p.c.hao >= 0 && !memcmp(&hao, &HOA, 16) && c.p.c.ulp == 58 &&
		       c.p.c.ulp_len == sizeof echo && M->cnt.ro_out == 1,
	       "data: bound: direct from the care-of address with a Home Address option naming the HoA");
	tap_ok(okc && !memcmp(c.p.pkt + c.p.c.ulp_off, pkt + 40, sizeof echo) &&
		       mk_pkt_check_cksum(c.p.pkt, c.p.len, &st),
	       "data: the ICMPv6 message unchanged, its checksum verifies with the HoA in the pseudo-header");

	/* a Hop-by-Hop header, a routing header: the tunnel */
	uint8_t hbh[2048];
	memcpy(hbh, pkt, 40);
	hbh[6] = 0;
	hbh[40] = 58;
	hbh[41] = 0;
	memcpy(hbh + 42, (uint8_t[]){ 1, 4, 0, 0, 0, 0 }, 6);
	memcpy(hbh + 48, pkt + 40, sizeof echo);
	hbh[5] = (uint8_t)(sizeof echo + 8);
	from_tun(hbh, len + 8);
	bool h1 = n_sent == 1 && catch_one(0, &c) && c.encap && c.p.ih.nh == 0;
	uint8_t rh[2048];
	size_t rl = pkt_of(rh, &HOA, &CNA, &COA2, 58, echo, sizeof echo);
	from_tun(rh, rl);
	bool r1 = n_sent == 1 && catch_one(0, &c) && c.encap && c.p.ih.nh == 43;
	tap_ok(h1 && r1 && M->cnt.ro_out == 1 && M->cnt.tun_out == 3,
	       "data: with a Hop-by-Hop header, with a routing header: through the tunnel");

	/* RH2 in */
	uint8_t in[2048];
	size_t il = pkt_of(in, &CNA, &COA, &HOA, 58, echo, sizeof echo);
	deliver(in, il);
	ssize_t gl = tun_read(got, sizeof got);
	struct mk_ip6 gi;
	struct mk_ip6_chain gc;
	tap_ok(gl == (ssize_t)il - 24 && mk_ip6_chain_parse(got, (size_t)gl, &gi, &gc).err == MK_E_OK && gc.n == 0 &&
		       gc.ulp == 58 && !memcmp(&gi.dst, &HOA, 16) && !memcmp(&gi.src, &CNA, 16) &&
		       mk_pkt_check_cksum(got, (size_t)gl, &st) && M->cnt.ro_in == 1 && M->cnt.ro_in_bad == 0,
	       "rh2: to the CoA naming the HoA: to the TUN as to the HoA, without the RH2, checksum right");
	il = pkt_of(in, &CNA, &COA, &HOA2, 58, echo, sizeof echo);
	deliver(in, il);
	bool w1 = M->cnt.ro_in_bad == 1 && tun_empty();
	il = pkt_of(in, &CNA, &COA, &HOA, 58, echo, sizeof echo);
	struct mk_ip6 ih;
	struct mk_ip6_chain ic;
	mk_ip6_chain_parse(in, il, &ih, &ic);
	in[ic.ext[ic.rh2].off + 3] = 0;
	deliver(in, il);
	bool w2 = M->cnt.ro_in_bad == 2 && tun_empty();
	il = pkt_of(in, &CNA, &HOA, &HOA, 58, echo, sizeof echo);
	deliver(in, il);
	bool w3 = M->cnt.ro_in_bad == 3 && tun_empty();
	tap_ok(w1 && w2 && w3 && M->cnt.ro_in == 1,
	       "rh2: another HoA in it, Segments Left 0, to the HoA rather than the CoA: dropped (ro_in_bad)");

	/* a move: the tunnel again until bound from the new care-of address */
	M->coa = COA2;
	mn_ro_moved(&d, false);
	struct caught *ct = caught_mh(MK_MH_COTI);
	tap_ok(n_sent == 1 && ct && !memcmp(&ct->p.ih.src, &COA2, 16) && !r->bound && r->st == RO_RR,
	       "move: the home token still fresh: only a CoTI, from the new CoA, at once");
	from_tun(pkt, len);
	tap_ok(n_sent == 1 && catch_one(0, &c) && c.encap && !memcmp(&c.outer.src, &COA2, 16) &&
		       M->cnt.ro_out == 1,
	       "move: data to the correspondent through the tunnel meanwhile");
	x.ct[0] ^= 0x5a;
	mk_rr_kbm(x.ht, x.ct, x.kbm);
	answer_coti(&CNA, x.ct, x.ci);
	tap_ok(bu_ok(&CNA, &x), "move: the CoT: a BU from the new CoA with the old home token");
	deliver(in, ba_pkt(in, &CNA, &COA2, 0, x.seq, 300, x.kbm));
	from_tun(pkt, len);
	tap_ok(r->bound && !memcmp(&r->bound_coa, &COA2, 16) && n_sent == 1 && catch_one(0, &c) && !c.encap &&
		       !memcmp(&c.p.ih.src, &COA2, 16) && M->cnt.ro_out == 2,
	       "move: bound at the new CoA: direct again from there");

	/* moving home */
	uint8_t kd[20];
	mk_rr_kbm(x.ht, NULL, kd);
	M->coa = HOA;
	M->tunnel_up = false;
	n_sent = 0;
	mn_ro_moved(&d, true);
	struct caught *b = caught_mh(MK_MH_BU);
	tap_ok(n_sent == 1 && b && !b->encap && !memcmp(&b->p.ih.src, &HOA, 16) && !memcmp(&b->p.ih.dst, &CNA, 16) &&
		       b->p.c.hao < 0 && mk_mh_lifetime_sec(b->p.m.u.bu.lifetime) == 0 &&
		       mk_rr_bad_verify(b->p.mh, b->p.mhlen, &mk_cp_default, kd, &HOA, &CNA).err == MK_E_OK &&
		       r->st == RO_DEREG,
	       "home: a lifetime 0 BU from the HoA, no HAO, BAD over Kbm = SHA1(home token)");
	uint16_t dseq = b->p.m.u.bu.seq;
	deliver(in, ba_pkt(in, &CNA, &HOA, 0, dseq, 0, kd));
	tap_ok(!ro_of(&CNA) && !bul_get(&M->bul, &CNA, false, false),
	       "home: its BA: the entry and its binding update list entry freed");
	M->tunnel_up = true;
	M->coa = COA;
}

/* back home while the correspondent may still hold a binding: after a
 * move whose RR waits for the home registration (the home token too old),
 * and after a fall-back while its binding lives on; an entry that never
 * had one is dropped without a word */
static void test_home(void)
{
	uint8_t pkt[2048];
	struct rr x;

	fresh(MN_RO_ALWAYS);
	to_bound(&CNA, &x);
	struct mn_ro *r = must(&CNA);
	if (r->htok_at > TOKEN_NS + NS_PER_S) /* the home token past MAX_TOKEN_LIFETIME */
		r->htok_at -= TOKEN_NS + NS_PER_S;
	else
		r->htok_ok = false;
	M->coa = COA2;
	n_sent = 0;
	mn_ro_moved(&d, false);
	tap_ok(n_sent == 0 && r->pending && !r->bound,
	       "home: moved with an old home token: RR waits for the home registration");
	M->coa = HOA;
	M->tunnel_up = false;
	n_sent = 0;
	mn_ro_moved(&d, true);
	struct caught *h = caught_mh(MK_MH_HOTI);
	tap_ok(ro_of(&CNA) && n_sent == 1 && h && !h->encap && !memcmp(&h->p.ih.src, &HOA, 16) && r->st == RO_RR &&
		       r->dereg,
	       "home: home before that, its binding (at the first CoA) still alive: a HoTI, direct from the HoA");
	uint8_t ht2[8] = { 0x31, 0x32, 0x33, 0x34, 0x35, 0x36, 0x37, 0x38 }, kd[20];
	mk_rr_kbm(ht2, NULL, kd);
	deliver(pkt, test_pkt(pkt, MK_MH_HOT, &CNA, &HOA, 12, ro_of(&CNA) ? r->hcookie : ht2, ht2));
	struct caught *b = caught_mh(MK_MH_BU);
	tap_ok(b && !memcmp(&b->p.ih.src, &HOA, 16) && b->p.c.hao < 0 && mk_mh_lifetime_sec(b->p.m.u.bu.lifetime) == 0 &&
		       mk_rr_bad_verify(b->p.mh, b->p.mhlen, &mk_cp_default, kd, &HOA, &CNA).err == MK_E_OK,
	       "home: its HoT, direct at home: the lifetime 0 BU on the new home token");

	/* fallen back (a refresh refused) with the binding granted before still running */
	fresh(MN_RO_ALWAYS);
	to_bound(&CNA, &x);
	r = must(&CNA);
	n_sent = 0;
	ro_timer(r); /* the refresh: a BU (the tokens are fresh) */
	deliver(pkt, ba_pkt(pkt, &CNA, &COA, MK_BA_RESOURCES, r->bu->seq, 0, x.kbm));
	bool fell = r->st == RO_FALLBACK && !r->bound;
	M->coa = HOA;
	M->tunnel_up = false;
	n_sent = 0;
	mn_ro_moved(&d, true);
	b = caught_mh(MK_MH_BU);
	tap_ok(fell && ro_of(&CNA) && n_sent == 1 && b && mk_mh_lifetime_sec(b->p.m.u.bu.lifetime) == 0,
	       "home: fallen back while the binding granted before lives on: deregistered too");

	/* never bound: nothing to undo */
	fresh(MN_RO_ALWAYS);
	n_sent = 0;
	mn_ro_seen(&d, &CNA);
	M->coa = HOA;
	M->tunnel_up = false;
	n_sent = 0;
	mn_ro_moved(&d, true);
	tap_ok(n_sent == 0 && !ro_of(&CNA) && !bul_get(&M->bul, &CNA, false, false),
	       "home: a correspondent RR had only started with: freed, nothing sent");
}

/* SIGTERM (mn_ro_stop): a bound correspondent gets a lifetime 0 BU, no
 * answer awaited; one still in RR nothing */
static void test_stop(void)
{
	struct rr x;
	uint8_t kd[20];

	fresh(MN_RO_ALWAYS);
	to_bound(&CNA, &x);
	mn_ro_seen(&d, &CNB);
	mk_rr_kbm(x.ht, NULL, kd);
	n_sent = 0;
	mn_ro_stop(&d);
	struct caught *b = caught_mh(MK_MH_BU);
	tap_ok(n_sent == 1 && b && !memcmp(&b->p.ih.dst, &CNA, 16) && !memcmp(&b->p.ih.src, &COA, 16) &&
		       b->p.c.hao >= 0 && mk_mh_lifetime_sec(b->p.m.u.bu.lifetime) == 0 &&
		       mk_rr_bad_verify(b->p.mh, b->p.mhlen, &mk_cp_default, kd, &HOA, &CNA).err == MK_E_OK &&
		       !must(&CNA)->t.linked && !must(&CNB)->t.linked,
	       "stop: one lifetime 0 BU, to the bound correspondent (BAD on the home token), timers stopped");
}

static void test_brr_full(void)
{
	uint8_t pkt[2048], mh[16];
	struct rr x;

	fresh(MN_RO_ALWAYS);
	to_bound(&CNA, &x);
	size_t n = msg_brr(&mk_cp_default, mh, sizeof mh);
	deliver(pkt, pkt_of(pkt, &CNA, &COA, &HOA, MK_MH_NEXTHDR, mh, n));
	uint16_t seq0 = x.seq;
	tap_ok(bu_ok(&CNA, &x) && x.seq == (uint16_t)(seq0 + 1) && M->cnt.brr_rx == 1,
	       "brr: a Binding Refresh Request (to the CoA, RH2): a new BU with the fresh tokens");

	/* the refresh timer while bound: a new BU, still direct meanwhile */
	struct mn_ro *r = must(&CNA);
	seq0 = x.seq;
	n_sent = 0;
	ro_timer(r);
	tap_ok(n_sent == 1 && bu_ok(&CNA, &x) && x.seq == (uint16_t)(seq0 + 1) && r->st == RO_BU && r->bound,
	       "refresh: the timer while bound: a new BU, the binding still used");
	/* a binding past its lifetime: the tunnel */
	uint8_t echo[8] = { 128, 0, 0, 0, 0, 1, 0, 1 }, data[2048];
	size_t dl = pkt_of(data, &HOA, &CNA, NULL, 58, echo, sizeof echo);
	r->bound_until = now_ns() - 1;
	static struct caught c;
	tap_ok(from_tun(data, dl) == 1 && catch_one(0, &c) && c.encap && M->cnt.ro_out == 0,
	       "refresh: the binding's lifetime over: data through the tunnel");

	fresh(MN_RO_ALWAYS);
	struct in6_addr cn;
	inet_pton(AF_INET6, "2001:db8:9::1", &cn);
	int made = 0;
	for (int i = 0; i < MN_RO_MAX + 1; i++) {
		cn.s6_addr[15] = (uint8_t)(i + 1);
		mn_ro_seen(&d, &cn);
		made += ro_of(&cn) != NULL;
	}
	tap_ok(made == MN_RO_MAX && M->cnt.ro_full == 1, "full: %d correspondents followed, the %dth counted (ro_full)",
	       MN_RO_MAX, MN_RO_MAX + 1);
	/* one of them turns out legacy: it makes room for the next */
	struct in6_addr first = cn;
	first.s6_addr[15] = 1;
	ro_of(&first)->st = RO_LEGACY;
	cn.s6_addr[15] = (uint8_t)(MN_RO_MAX + 2);
	mn_ro_seen(&d, &cn);
	tap_ok(ro_of(&cn) != NULL && ro_of(&first) == NULL && M->cnt.ro_full == 1,
	       "full: a legacy correspondent's entry makes room for a new one");
}

/* ---- an RH2 packet from a correspondent without a binding: it learnt the
 * care-of address from DNS (issue 15); mn-dns-answer rr and shortcut ---- */

/* the BU caught: RR-less (no options at all), from the CoA with the HAO
 * naming the HoA, A bit, to cn; its seq in *seq */
static bool bu_rrless(const struct in6_addr *cn, uint16_t *seq)
{
	struct caught *c = caught_mh(MK_MH_BU);
	struct in6_addr hao;
	if (!c || c->encap || memcmp(&c->p.ih.src, &M->coa, 16) || memcmp(&c->p.ih.dst, cn, 16) ||
	    c->p.c.hao < 0)
		return false;
	memcpy(&hao, c->p.pkt + c->p.c.hao_off + 2, 16);
	*seq = c->p.m.u.bu.seq;
	return !memcmp(&hao, &HOA, 16) && (c->p.m.u.bu.flags & MK_BU_A) && !(c->p.m.u.bu.flags & MK_BU_H) &&
	       c->p.m.nopts == 0 && mk_mh_lifetime_sec(c->p.m.u.bu.lifetime) == MOBD_MAX_RR_BINDING_LIFETIME_S;
}

static void test_dns(void)
{
	uint8_t in[2048], pkt[2048], got[2048];
	uint8_t echo[16] = { 128, 0, 0, 0, 0, 1, 0, 1, 'm', 'o', 'b', 'k', 'i', 't', 0, 0 };
	uint8_t reply[16] = { 129, 0, 0, 0, 0, 1, 0, 1, 'm', 'o', 'b', 'k', 'i', 't', 0, 0 };
	static struct caught c;
	struct rr x;
	uint16_t seq = 0;

	/* rr (the default, RFC 6275): whatever route-optimization says */
	fresh(MN_RO_NEVER);
	d.c.mn_dns_answer = MN_DNS_RR;
	size_t il = pkt_of(in, &CNB, &COA, &HOA, 58, echo, sizeof echo);
	deliver(in, il);
	struct mn_ro *r = ro_of(&CNB);
	struct caught *hoti = caught_mh(MK_MH_HOTI), *coti = caught_mh(MK_MH_COTI);
	tap_ok(tun_read(got, sizeof got) == (ssize_t)il - 24 && r && r->dns == 1 + MN_DNS_RR && r->st == RO_RR &&
		       n_sent == 2 && hoti && hoti->encap && coti && !coti->encap && M->cnt.dns_rh2 == 1 &&
		       M->cnt.dns_rr == 1,
	       "dns rr: an RH2 packet from a correspondent without a binding (route-optimization never): "
	       "to the kernel, and return routability starts (HoTI tunnelled, CoTI direct)");
	size_t rl = pkt_of(pkt, &HOA, &CNB, NULL, 58, reply, sizeof reply);
	from_tun(pkt, rl);
	tap_ok(n_sent == 1 && catch_one(0, &c) && c.encap && r->tunnelled_first == 1 && !r->first_direct,
	       "dns rr: the answer goes through the tunnel until the BA");
	memcpy(x.ht, HT, 8);
	memcpy(x.ct, CT, 8);
	x.hi = 3;
	x.ci = 4;
	mk_rr_kbm(x.ht, x.ct, x.kbm);
	answer_hoti(&CNB, x.ht, x.hi);
	answer_coti(&CNB, x.ct, x.ci);
	bool bu1 = bu_ok(&CNB, &x);
	deliver(in, ba_pkt(in, &CNB, &COA, 0, x.seq, 300, x.kbm));
	from_tun(pkt, rl);
	tap_ok(bu1 && r->st == RO_BOUND && n_sent == 1 && catch_one(0, &c) && !c.encap && c.p.c.hao >= 0 &&
		       r->first_direct && r->tunnelled_first == 1 && r->first_direct_ms >= 0,
	       "dns rr: HoT, CoT, BU with return routability, BA 0: the next answer direct with the HAO");
	deliver(in, pkt_of(in, &CNB, &COA, &HOA, 58, echo, sizeof echo));
	tun_read(got, sizeof got);
	tap_ok(n_sent == 0 && M->cnt.dns_rh2 == 1 && r->st == RO_BOUND,
	       "dns rr: its RH2 packets once bound start nothing");
	char *out = NULL;
	size_t olen = 0;
	FILE *f = open_memstream(&out, &olen);
	mn_ro_show(&d, true, f, true);
	fclose(f);
	tap_ok(strstr(out, "\"dns\":\"rr\",\"tunnelled_first\":1,\"first_direct_ms\":") != NULL,
	       "dns rr: mobctl bul says dns rr, 1 packet through the tunnel before the first direct one");
	free(out);

	/* shortcut (the paper): direct at once, an RR-less BU */
	fresh(MN_RO_NEVER);
	d.c.mn_dns_answer = MN_DNS_SHORTCUT;
	d.c.lifetime = 600;
	deliver(in, pkt_of(in, &CNA, &COA, &HOA, 58, echo, sizeof echo));
	r = ro_of(&CNA);
	tap_ok(tun_read(got, sizeof got) > 0 && r && r->dns == 1 + MN_DNS_SHORTCUT && n_sent == 1 &&
		       bu_rrless(&CNA, &seq) && r->st == RO_BU && r->bound && M->cnt.dns_shortcut == 1 &&
		       M->cnt.dns_bu_tx == 1 && M->cnt.hoti_tx == 0 && M->cnt.coti_tx == 0,
	       "dns shortcut: the RH2 packet: a BU from the CoA with the HAO and A bit, no Nonce Indices, "
	       "no Binding Authorization Data (no HoTI, no CoTI)");
	rl = pkt_of(pkt, &HOA, &CNA, NULL, 58, reply, sizeof reply);
	from_tun(pkt, rl);
	tap_ok(n_sent == 1 && catch_one(0, &c) && !c.encap && !memcmp(&c.p.ih.src, &COA, 16) && c.p.c.hao >= 0 &&
		       r->first_direct && r->tunnelled_first == 0,
	       "dns shortcut: the first answer goes direct from the CoA with the HAO, before any BA");
	uint8_t fake[20] = { 1 };
	deliver(in, ba_pkt(in, &CNA, &COA, 0, seq, 60, fake));
	bool bad_refused = M->cnt.ro_ba_bad == 1 && r->st == RO_BU;
	deliver(in, ba_pkt(in, &CNA, &COA, 0, seq, 60, NULL));
	tap_ok(bad_refused && r->st == RO_BOUND && r->bound && M->cnt.dns_ba_rx == 1 && r->bu->granted == 60 &&
		       r->t.linked && r->t.due <= now_ns() + 60ull * 1000000000ull,
	       "dns shortcut: a BA with a BAD is refused (there is no Kbm); BA 0 without one: bound for the "
	       "60 s granted, refreshed before");
	from_tun(pkt, rl);
	tap_ok(n_sent == 1 && catch_one(0, &c) && !c.encap && M->cnt.ro_out == 2,
	       "dns shortcut: bound: direct");
	/* the refresh: with return routability, as any */
	n_sent = 0;
	ro_timer(r);
	tap_ok(n_sent == 2 && caught_mh(MK_MH_HOTI) && caught_mh(MK_MH_COTI) && r->st == RO_RR,
	       "dns shortcut: the refresh runs return routability (HoTI, CoTI)");

	/* no BA: the tunnel */
	fresh(MN_RO_NEVER);
	deliver(in, pkt_of(in, &CNA, &COA, &HOA, 58, echo, sizeof echo));
	tun_read(got, sizeof got);
	r = ro_of(&CNA);
	bool all_rrless = r && bu_rrless(&CNA, &seq);
	for (int i = 0; i < 3 && r && r->st == RO_BU; i++) {
		n_sent = 0;
		ro_timer(r);
		if (r->st == RO_BU)
			all_rrless &= bu_rrless(&CNA, &seq);
	}
	from_tun(pkt, rl);
	tap_ok(all_rrless && r->st == RO_FALLBACK && !r->bound && M->cnt.dns_bu_tx == MN_RO_TRIES &&
		       n_sent == 1 && catch_one(0, &c) && c.encap,
	       "dns shortcut: no BA after %d RR-less BUs: fall-back, the answers through the tunnel", MN_RO_TRIES);
	deliver(in, pkt_of(in, &CNA, &COA, &HOA, 58, echo, sizeof echo));
	tun_read(got, sizeof got);
	tap_ok(n_sent == 0 && M->cnt.dns_rh2 == 1,
	       "dns shortcut: after the fall-back, more RH2 packets start nothing before %d s", MN_RO_RETRY_S);

	/* a move: it follows us (route-optimization never notwithstanding) */
	fresh(MN_RO_NEVER);
	deliver(in, pkt_of(in, &CNA, &COA, &HOA, 58, echo, sizeof echo));
	tun_read(got, sizeof got);
	r = ro_of(&CNA);
	deliver(in, ba_pkt(in, &CNA, &COA, 0, r->bu->seq, 60, NULL));
	M->coa = COA2;
	n_sent = 0;
	mn_ro_moved(&d, false);
	bool waits = n_sent == 0 && r->pending && !r->bound;
	mn_ro_ha_bound(&d);
	tap_ok(waits && n_sent == 2 && caught_mh(MK_MH_HOTI) && caught_mh(MK_MH_COTI) && r->st == RO_RR,
	       "dns: after a move, return routability from the new CoA once the home agent has it");
	/* off: RFC 6275 alone, route-optimization decides */
	fresh(MN_RO_NEVER);
	d.c.mn_dns_answer = MN_DNS_OFF;
	deliver(in, pkt_of(in, &CNB, &COA, &HOA, 58, echo, sizeof echo));
	tap_ok(tun_read(got, sizeof got) > 0 && n_sent == 0 && !ro_of(&CNB) && M->cnt.dns_rh2 == 0,
	       "dns off: the RH2 packet to the kernel, nothing started");
	M->coa = COA;
	d.c.mn_dns_answer = MN_DNS_RR;
}

int main(void)
{
	tap_plan(89);
	setup();
	test_policy();
	test_rr();
	test_ba();
	test_be();
	test_pp();
	test_timers();
	test_data();
	test_home();
	test_brr_full();
	test_dns();
	test_stop();
	fresh(MN_RO_ALWAYS);
	free(M);
	ev_fini();
	return tap_done();
}
