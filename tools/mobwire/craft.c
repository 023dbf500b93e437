/* tools/mobwire/craft.c: one of every message mobkit speaks, built with
 * libmobkit from values written here, and for each the fields a decoder
 * must show.  The expectations come from the values we put in, so a test
 * that compares them with tshark's view checks our builders against an
 * independent decoder.
 *
 * Addresses (documentation prefix, RFC 3849):
 *   home link 2001:db8:1::/64: HA1 ::1, HA2 ::2, HA3 ::3, MN home address ::100
 *   foreign link 2001:db8:2::/64: MN care-of address ::100
 *   correspondent 2001:db8:3::1
 */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mobwire.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"
#include "wire/tcpopt.h"
#include "wire/udp.h"
#include "dns/dns.h"

static struct in6_addr A(const char *s)
{
	struct in6_addr a;
	inet_pton(AF_INET6, s, &a);
	return a;
}

#define HA1 A("2001:db8:1::1")
#define HA2 A("2001:db8:1::2")
#define HA3 A("2001:db8:1::3")
#define HOA A("2001:db8:1::100")
#define COA A("2001:db8:2::100")
#define CN A("2001:db8:3::1")
#define HA_ANYCAST A("2001:db8:1::fdff:ffff:ffff:fffe")
#define ALL_NODES A("ff02::1")
#define HA_LL A("fe80::1")

void mw_expect(struct mw_sample *s, const char *field, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(s->expect + s->elen, sizeof s->expect - s->elen, "%s\t", field);

	if (n < 0 || (size_t)n >= sizeof s->expect - s->elen)
		return;
	s->elen += (size_t)n;
	va_start(ap, fmt);
	n = vsnprintf(s->expect + s->elen, sizeof s->expect - s->elen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n + 1 >= sizeof s->expect - s->elen)
		return;
	s->elen += (size_t)n;
	s->expect[s->elen++] = '\n';
	s->expect[s->elen] = 0;
}

static void expect_addr(struct mw_sample *s, const char *field, struct in6_addr a)
{
	char b[INET6_ADDRSTRLEN];
	mw_expect(s, field, "%s", inet_ntop(AF_INET6, &a, b, sizeof b));
}

static void expect_hex(struct mw_sample *s, const char *field, const uint8_t *p, size_t n)
{
	char b[1024];
	size_t i;
	for (i = 0; i < n && 2 * i + 2 < sizeof b; i++)
		snprintf(b + 2 * i, 3, "%02x", p[i]);
	b[2 * i] = 0;
	mw_expect(s, field, "%s", b);
}

static int fail(const char *what, struct mk_status st)
{
	fprintf(stderr, "mobwire: craft %s: %s at offset %zu\n", what, mk_strerror(st.err), st.off);
	return -1;
}

/* Put a payload behind an IPv6 header (with HAO / RH2 when the addresses
 * are given) and fill the upper-layer checksum. */
static int wrap(struct mw_sample *s, uint8_t ulp, const uint8_t *pl, size_t plen,
		struct in6_addr src, struct in6_addr dst, const struct in6_addr *hao,
		const struct in6_addr *rh2)
{
	struct mk_status st =
		mk_pkt_assemble(s->pkt, sizeof s->pkt, &src, &dst, hao, rh2, ulp, pl, plen, &s->len);

	if (st.err != MK_E_OK)
		return fail(s->label, st);
	if (s->nested) {
		/* a decoder also shows the addresses of the packet carried inside */
		char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
		inet_ntop(AF_INET6, &src, a, sizeof a);
		inet_ntop(AF_INET6, &s->inner_src, b, sizeof b);
		mw_expect(s, "ipv6.src", "%s,%s", a, b);
		inet_ntop(AF_INET6, &dst, a, sizeof a);
		inet_ntop(AF_INET6, &s->inner_dst, b, sizeof b);
		mw_expect(s, "ipv6.dst", "%s,%s", a, b);
	} else {
		expect_addr(s, "ipv6.src", src);
		expect_addr(s, "ipv6.dst", dst);
	}
	if (hao)
		expect_addr(s, "ipv6.opt.mipv6.home_address", *hao);
	if (rh2) {
		mw_expect(s, "ipv6.routing.type", "2");
		mw_expect(s, "ipv6.routing.segleft", "1");
		expect_addr(s, "ipv6.routing.mipv6.home_address", *rh2);
	}
	return 0;
}

/* Build an MH; `post` (may be NULL) runs on the built MH before the packet
 * is assembled (for the BAD and MN-HA authenticators). */
static int mh_packet(struct mw_sample *s, const struct mk_codepoints *cp, const struct mk_mh *m,
		     struct in6_addr src, struct in6_addr dst, const struct in6_addr *hao,
		     const struct in6_addr *rh2,
		     int (*post)(uint8_t *mh, size_t len, const struct mk_codepoints *cp))
{
	uint8_t mh[MK_MH_MAX_LEN];
	size_t n;
	struct mk_status st = mk_mh_build(mh, sizeof mh, cp, m, &n);

	if (st.err != MK_E_OK)
		return fail(s->label, st);
	if (post && post(mh, n, cp) != 0)
		return -1;
	mw_expect(s, "mip6.mhtype", "%u", m->type);
	mw_expect(s, "mip6.proto", "59");
	mw_expect(s, "mip6.hlen", "%zu", n / 8 - 1);
	return wrap(s, MK_MH_NEXTHDR, mh, n, src, dst, hao, rh2);
}

/* Option types in order, as tshark lists them (padding included). */
static void expect_bool(struct mw_sample *s, const char *field, unsigned v)
{
	mw_expect(s, field, "%s", v ? "1" : "0");
}

/* ---- Mobility Header ---- */

static const struct in6_addr mha_addrs[2] = { { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
						     0, 2 } } },
					      { { { 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
						     0, 3 } } } };

static void expect_bu_flags(struct mw_sample *s, uint16_t f)
{
	expect_bool(s, "mip6.bu.a_flag", f & MK_BU_A);
	expect_bool(s, "mip6.bu.h_flag", f & MK_BU_H);
	expect_bool(s, "mip6.bu.l_flag", f & MK_BU_L);
	expect_bool(s, "mip6.bu.k_flag", f & MK_BU_K);
}

/* BU to the home agent, from the care-of address with a Home Address
 * option; A H K + the multiple-home-agent flag, Alternate CoA and the
 * Multiple Home Agents option listing the backups. */
static int c_bu_home(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 7;
	m.u.bu.flags = (uint16_t)(MK_BU_A | MK_BU_H | MK_BU_K | mk_cp(cp, MK_CP_BU_MHA_FLAG));
	m.u.bu.lifetime = 150;
	m.opts[0].kind = MK_MHO_ALTCOA;
	m.opts[0].v.altcoa = COA;
	m.opts[1].kind = MK_MHO_MHA;
	m.opts[1].v.mha.addrs = (const uint8_t *)mha_addrs;
	m.opts[1].v.mha.n = 2;
	m.nopts = 2;
	mw_expect(s, "mip6.bu.seqnr", "7");
	mw_expect(s, "mip6.bu.lifetime", "150");
	expect_bu_flags(s, m.u.bu.flags);
	expect_addr(s, "mip6.acoa.acoa", COA);
	return mh_packet(s, cp, &m, COA, HA1, &hoa, NULL, NULL);
}

/* BA from the home agent to the care-of address through a type 2 routing
 * header: accepted, K flag, Binding Refresh Advice. */
static int c_ba_home(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;

	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.status = 0;
	m.u.ba.flags = MK_BA_K;
	m.u.ba.seq = 7;
	m.u.ba.lifetime = 150;
	m.opts[0].kind = MK_MHO_BRA;
	m.opts[0].v.bra = 100;
	m.nopts = 1;
	mw_expect(s, "mip6.ba.status", "0");
	expect_bool(s, "mip6.ba.k_flag", 1);
	mw_expect(s, "mip6.ba.seqnr", "7");
	mw_expect(s, "mip6.ba.lifetime", "150");
	mw_expect(s, "mip6.bra.interval", "100");
	return mh_packet(s, cp, &m, HA1, COA, NULL, &hoa, NULL);
}

static const uint8_t kbm_demo[MK_RR_KBM_LEN] = { 0x6b, 0x62, 0x6d, 0x2d, 0x64, 0x65, 0x6d, 0x6f, 0x2d,
						 0x6b, 0x65, 0x79, 0x2d, 0x30, 0x31, 0x32, 0x33,
						 0x34, 0x35, 0x36 };

static int fill_bad(uint8_t *mh, size_t len, const struct mk_codepoints *cp)
{
	struct in6_addr coa = COA, cn = CN;
	struct mk_status st = mk_rr_bad_fill(mh, len, cp, kbm_demo, &coa, &cn);
	return st.err == MK_E_OK ? 0 : fail("BAD", st);
}

/* Route-optimised BU to the correspondent: Nonce Indices and Binding
 * Authorization Data (computed from a fixed Kbm; last, unpadded). */
static int c_bu_cn(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 1000;
	m.u.bu.flags = MK_BU_A;
	m.u.bu.lifetime = 60;
	m.opts[0].kind = MK_MHO_NONCE;
	m.opts[0].v.nonce.home = 3;
	m.opts[0].v.nonce.careof = 4;
	m.opts[1].kind = MK_MHO_BAD;
	m.nopts = 2;
	mw_expect(s, "mip6.bu.seqnr", "1000");
	expect_bu_flags(s, m.u.bu.flags);
	mw_expect(s, "mip6.ni.hni", "3");
	mw_expect(s, "mip6.ni.cni", "4");
	return mh_packet(s, cp, &m, COA, CN, &hoa, NULL, fill_bad);
}

/* BA from the correspondent: sequence number out of window (135). */
static int c_ba_cn(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;

	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.status = MK_BA_SEQ_OUT_OF_WIN;
	m.u.ba.seq = 999;
	mw_expect(s, "mip6.ba.status", "135");
	mw_expect(s, "mip6.ba.seqnr", "999");
	mw_expect(s, "mip6.ba.lifetime", "0");
	return mh_packet(s, cp, &m, CN, COA, NULL, &hoa, NULL);
}

static int c_brr(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;

	mk_mh_init(&m, MK_MH_BRR);
	return mh_packet(s, cp, &m, CN, COA, NULL, &hoa, NULL);
}

static const uint8_t cookie_h[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
static const uint8_t cookie_c[8] = { 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x17, 0x18 };
static const uint8_t token[8] = { 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8 };

static void expect_u64(struct mw_sample *s, const char *field, const uint8_t b[8])
{
	mw_expect(s, field, "0x%02x%02x%02x%02x%02x%02x%02x%02x", b[0], b[1], b[2], b[3], b[4], b[5],
		  b[6], b[7]);
}

/* HoTI from the home address, reverse-tunnelled through the home agent
 * (IPv6-in-IPv6, RFC 6275 5.2.5). */
static int c_hoti_tunnel(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct mw_sample in = { .label = "HoTI inner" };
	struct mk_ip6 outer = { .hlim = 64, .src = COA, .dst = HA1 };
	struct mk_status st;

	mk_mh_init(&m, MK_MH_HOTI);
	memcpy(m.u.testinit.cookie, cookie_h, 8);
	if (mh_packet(&in, cp, &m, HOA, CN, NULL, NULL, NULL) != 0)
		return -1;
	st = mk_ip6_encap(s->pkt, sizeof s->pkt, &outer, in.pkt, in.len, &s->len);
	if (st.err != MK_E_OK)
		return fail(s->label, st);
	mw_expect(s, "ipv6.nxt", "41,135");
	mw_expect(s, "ipv6.src", "2001:db8:2::100,2001:db8:1::100");
	mw_expect(s, "mip6.mhtype", "1");
	expect_u64(s, "mip6.hoti.cookie", cookie_h);
	return 0;
}

static int c_coti(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;

	mk_mh_init(&m, MK_MH_COTI);
	memcpy(m.u.testinit.cookie, cookie_c, 8);
	expect_u64(s, "mip6.coti.cookie", cookie_c);
	return mh_packet(s, cp, &m, COA, CN, NULL, NULL, NULL);
}

/* HoT and CoT: nonce index, cookie echoed from the init, keygen token. */
static int c_test(struct mw_sample *s, const struct mk_codepoints *cp, enum mk_mh_type type,
		  const char *name, uint16_t idx, const uint8_t cookie[8], struct in6_addr dst)
{
	struct mk_mh m;
	char f[32];

	mk_mh_init(&m, type);
	m.u.test.nonce_idx = idx;
	memcpy(m.u.test.cookie, cookie, 8);
	memcpy(m.u.test.token, token, 8);
	snprintf(f, sizeof f, "mip6.%s.nindex", name);
	mw_expect(s, f, "%u", idx);
	snprintf(f, sizeof f, "mip6.%s.cookie", name);
	expect_u64(s, f, cookie);
	/* Wireshark 4.0 files the CoT keygen token under mip6.hot.token too */
	expect_u64(s, "mip6.hot.token", token);
	return mh_packet(s, cp, &m, CN, dst, NULL, NULL, NULL);
}

static int c_hot(struct mw_sample *s, const struct mk_codepoints *cp)
{
	return c_test(s, cp, MK_MH_HOT, "hot", 3, cookie_h, HOA);
}

static int c_cot(struct mw_sample *s, const struct mk_codepoints *cp)
{
	return c_test(s, cp, MK_MH_COT, "cot", 4, cookie_c, COA);
}

static int c_be(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;

	mk_mh_init(&m, MK_MH_BE);
	m.u.be.status = MK_BE_UNKNOWN_HAO;
	m.u.be.hoa = HOA;
	mw_expect(s, "mip6.be.status", "1");
	expect_addr(s, "mip6.be.haddr", HOA);
	return mh_packet(s, cp, &m, CN, COA, NULL, NULL, NULL);
}

/* Home Agent Switch (RFC 5142): the home agent hands the mobile node two
 * other home agents. */
static int c_has(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;

	mk_mh_init(&m, MK_MH_HAS);
	m.u.has.n = 2;
	m.u.has.addrs = (const uint8_t *)mha_addrs;
	mw_expect(s, "mip6.has.num_addrs", "2");
	mw_expect(s, "mip6.has.address", "2001:db8:1::2,2001:db8:1::3");
	return mh_packet(s, cp, &m, HA1, COA, NULL, &hoa, NULL);
}

static const uint8_t exp_data[14] = "mobkit-exp-mh";

static int c_exp_mh(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;

	mk_mh_init(&m, MK_MH_EXP);
	m.u.raw.data = exp_data;
	m.u.raw.len = sizeof exp_data;
	/* the data runs to the end of the MH: ours, then the zero padding to 8n */
	uint8_t padded[24 - 6] = { 0 };
	memcpy(padded, exp_data, sizeof exp_data);
	expect_hex(s, "mip6.em.data", padded, sizeof padded);
	return mh_packet(s, cp, &m, COA, CN, NULL, NULL, NULL);
}

static const uint8_t mnha_key[20] = "mobkit-mn-ha-secret";

static int fill_mnha(uint8_t *mh, size_t len, const struct mk_codepoints *cp)
{
	struct in6_addr coa = COA, hoa = HOA;
	struct mk_status st = mk_rr_mnha_fill(mh, len, cp, mnha_key, sizeof mnha_key, &coa, &hoa);
	return st.err == MK_E_OK ? 0 : fail("MN-HA", st);
}

/* BU protected the RFC 4285 way: Replay Protection, then the MN-HA
 * Mobility Message Authentication option (SPI 0x100, HMAC-SHA1-96). */
static int c_bu_4285(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct in6_addr hoa = HOA;
	static const uint8_t zero12[MK_MH_MNHA_LEN];

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 8;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 150;
	m.opts[0].kind = MK_MHO_REPLAY;
	m.opts[0].v.replay = 0x0123456789abcdefULL;
	m.opts[1].kind = MK_MHO_AUTH;
	m.opts[1].v.auth.subtype = MK_MH_AUTH_MNHA;
	m.opts[1].v.auth.spi = 0x100;
	m.opts[1].v.auth.data = zero12;
	m.opts[1].v.auth.len = sizeof zero12;
	m.nopts = 2;
	mw_expect(s, "mip6.auth.subtype", "1");
	mw_expect(s, "mip6.auth.mobility_spi", "256");
	return mh_packet(s, cp, &m, COA, HA1, &hoa, NULL, fill_mnha);
}

/* ---- ICMPv6 ---- */

static int icmp_packet(struct mw_sample *s, const struct mk_codepoints *cp, const struct mk_icmp6 *m,
		       struct in6_addr src, struct in6_addr dst, const struct in6_addr *hao,
		       const struct in6_addr *rh2)
{
	uint8_t b[MW_PKT_MAX];
	size_t n;
	struct mk_status st = mk_icmp6_build(b, sizeof b, cp, m, &n);

	if (st.err != MK_E_OK)
		return fail(s->label, st);
	mw_expect(s, "icmpv6.type", "%u", b[0]);
	mw_expect(s, "icmpv6.code", "%u", m->code);
	return wrap(s, 58, b, n, src, dst, hao, rh2);
}

static int c_dhaad_req(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_DHAAD_REQUEST };

	m.u.ident.id = 0x1234;
	mw_expect(s, "icmpv6.mip6.identifier", "4660");
	return icmp_packet(s, cp, &m, COA, HA_ANYCAST, NULL, NULL);
}

static int c_dhaad_rep(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_DHAAD_REPLY };

	m.u.ident.id = 0x1234;
	m.n_addrs = 3;
	m.addrs[0] = HA1;
	m.addrs[1] = HA2;
	m.addrs[2] = HA3;
	mw_expect(s, "icmpv6.mip6.identifier", "4660");
	mw_expect(s, "icmpv6.mip6.home_agent_address", "2001:db8:1::1,2001:db8:1::2,2001:db8:1::3");
	return icmp_packet(s, cp, &m, HA1, COA, NULL, NULL);
}

static int c_mps(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_MPS };
	struct in6_addr hoa = HOA;

	m.u.ident.id = 0x0042;
	mw_expect(s, "icmpv6.mip6.identifier", "66");
	return icmp_packet(s, cp, &m, COA, HA1, &hoa, NULL);
}

static void prefix_opt(struct mk_nd_opt *o, uint8_t flags)
{
	memset(o, 0, sizeof *o);
	o->type = 3;
	o->u.pi.prefix_len = 64;
	o->u.pi.flags = flags;
	o->u.pi.valid = 86400;
	o->u.pi.preferred = 14400;
	o->u.pi.prefix = HA1; /* with R set the full router address */
}

static void expect_prefix(struct mw_sample *s, uint8_t flags)
{
	mw_expect(s, "icmpv6.opt.prefix.length", "64");
	expect_bool(s, "icmpv6.opt.prefix.flag.l", flags & MK_ND_PI_L);
	expect_bool(s, "icmpv6.opt.prefix.flag.a", flags & MK_ND_PI_A);
	expect_bool(s, "icmpv6.opt.prefix.flag.r", flags & MK_ND_PI_R);
	mw_expect(s, "icmpv6.opt.prefix.valid_lifetime", "86400");
	mw_expect(s, "icmpv6.opt.prefix.preferred_lifetime", "14400");
	expect_addr(s, "icmpv6.opt.prefix", HA1);
}

static int c_mpa(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_MPA };
	struct in6_addr hoa = HOA;

	m.u.ident.id = 0x0042;
	m.u.ident.reserved = MK_ICMP6_MPA_O;
	prefix_opt(&m.opts[0], MK_ND_PI_L | MK_ND_PI_A | MK_ND_PI_R);
	m.n_opts = 1;
	mw_expect(s, "icmpv6.mip6.identifier", "66");
	expect_bool(s, "icmpv6.mip6.flag.m", 0);
	expect_bool(s, "icmpv6.mip6.flag.o", 1);
	expect_prefix(s, m.opts[0].u.pi.flags);
	return icmp_packet(s, cp, &m, HA1, COA, NULL, &hoa);
}

/* Router Advertisement from a home agent: H bit, Home Agent Information
 * option (preference 10, lifetime 1800 s), prefix with the R bit; hop
 * limit 255 (RFC 4861 6.1.2). */
static int c_ra(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_RA };

	m.u.ra.cur_hop_limit = 64;
	m.u.ra.flags = MK_ICMP6_RA_H;
	m.u.ra.router_lifetime = 1800;
	m.n_opts = 2;
	memset(&m.opts[0], 0, sizeof m.opts[0]);
	m.opts[0].type = 8;
	m.opts[0].u.hai.pref = 10;
	m.opts[0].u.hai.lifetime = 1800;
	prefix_opt(&m.opts[1], MK_ND_PI_L | MK_ND_PI_A | MK_ND_PI_R);
	mw_expect(s, "icmpv6.nd.ra.cur_hop_limit", "64");
	expect_bool(s, "icmpv6.nd.ra.flag.h", 1);
	expect_bool(s, "icmpv6.nd.ra.flag.m", 0);
	mw_expect(s, "icmpv6.nd.ra.router_lifetime", "1800");
	mw_expect(s, "icmpv6.opt.home_agent_preference", "10");
	mw_expect(s, "icmpv6.opt.home_agent_lifetime", "1800");
	expect_prefix(s, m.opts[1].u.pi.flags);
	if (icmp_packet(s, cp, &m, HA_LL, ALL_NODES, NULL, NULL) != 0)
		return -1;
	s->pkt[7] = 255; /* the hop limit is not in the pseudo-header */
	mw_expect(s, "ipv6.hlim", "255");
	return 0;
}

/* Parameter Problem code 2 from a correspondent that does not know the
 * Home Address option, pointing at it inside the invoking BU. */
static int c_param_prob(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mw_sample bu = { .label = "invoking BU" };
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_PARAM_PROB, .code = 2 };

	if (c_bu_cn(&bu, cp) != 0)
		return -1;
	/* the HAO type octet in the invoking packet */
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	if (mk_ip6_chain_parse(bu.pkt, bu.len, &h, &c).err != MK_E_OK || c.hao < 0)
		return fail(s->label, mk_fail(MK_E_INVAL, 0));
	m.u.err.word = (uint32_t)c.hao_off;
	m.u.err.invoking = bu.pkt;
	m.u.err.invoking_len = bu.len;
	s->nested = true;
	s->inner_src = COA;
	s->inner_dst = CN;
	mw_expect(s, "icmpv6.pointer", "%zu", c.hao_off);
	return icmp_packet(s, cp, &m, CN, HOA, NULL, NULL);
}

/* Home Agent Unreachable (multiple-home-agent design; layout in
 * lib/wire/icmp6.h): HA2 tells the mobile node that HA1 is gone. */
static int c_ha_unreach(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_icmp6 m = { .kind = MK_ICMP6_K_HA_UNREACH };
	struct in6_addr hoa = HOA;

	m.u.ident.id = 0x0007;
	m.n_addrs = 1;
	m.addrs[0] = HA1;
	return icmp_packet(s, cp, &m, HA2, COA, NULL, &hoa);
}

/* ---- TCP ---- */

static int tcp_packet(struct mw_sample *s, const struct mk_codepoints *cp, struct mk_tcp *t,
		      struct in6_addr src, struct in6_addr dst)
{
	uint8_t b[MW_PKT_MAX];
	size_t n;
	struct mk_status st = mk_tcp_build(b, sizeof b, cp, t, &n);

	if (st.err != MK_E_OK)
		return fail(s->label, st);
	mw_expect(s, "tcp.srcport", "%u", t->sport);
	mw_expect(s, "tcp.dstport", "%u", t->dport);
	mw_expect(s, "tcp.seq_raw", "%u", t->seq);
	expect_bool(s, "tcp.flags.syn", t->flags & MK_TCP_SYN);
	return wrap(s, 6, b, n, src, dst, NULL, NULL);
}

/* The Migrate option's kind is among the kinds tshark lists ("~"), and
 * its ExID when the RFC 6994 form is in force. */
static void expect_migrate_kind(struct mw_sample *s, const struct mk_codepoints *cp, enum mk_cp_id kind,
				enum mk_cp_id exid)
{
	mw_expect(s, "tcp.option_kind", "~%u", (unsigned)mk_cp(cp, kind));
	if (mk_cp(cp, exid))
		mw_expect(s, "tcp.options.experimental.exid", "0x%04x", (unsigned)mk_cp(cp, exid));
}

/* SYN offering migration: MSS, SACK-permitted, timestamps, window scale
 * and an insecure Migrate-Permitted (curve 0). */
static int c_syn_migperm(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_tcp t = { .sport = 40000, .dport = 80, .seq = 0x01020304, .flags = MK_TCP_SYN,
			    .window = 65535, .layout = MK_TCPOPT_AUTO };
	struct mk_tcpopt *o = t.opts.o;

	o[0].type = MK_TCPOPT_MSS;
	o[0].u.mss = 1440;
	o[1].type = MK_TCPOPT_SACKP;
	o[2].type = MK_TCPOPT_TS;
	o[2].u.ts.val = 1000;
	o[3].type = MK_TCPOPT_WS;
	o[3].u.ws = 7;
	o[4].type = MK_TCPOPT_MIGPERM;
	o[4].u.migperm.curve = 0;
	t.opts.n = 5;
	mw_expect(s, "tcp.options.mss_val", "1440");
	mw_expect(s, "tcp.options.wscale.shift", "7");
	mw_expect(s, "tcp.options.timestamp.tsval", "1000");
	expect_migrate_kind(s, cp, MK_CP_TCP_MIGPERM_KIND, MK_CP_TCP_MIGPERM_EXID);
	return tcp_packet(s, cp, &t, HOA, CN);
}

/* The migrate SYN from the new address: Migrate option only, with the
 * token and request computed as the draft says (insecure key). */
static int c_syn_migrate(struct mw_sample *s, const struct mk_codepoints *cp)
{
	struct mk_tcp t = { .sport = 40000, .dport = 80, .seq = 0x0a0b0c0d, .flags = MK_TCP_SYN,
			    .window = 65535, .layout = MK_TCPOPT_AUTO };
	static const uint8_t k0[MK_TCP_MIGRATE_KEYLEN];
	uint64_t tok, req;

	if (mk_tcp_migrate_token(0x01020304, 0x55667788, k0, &tok).err != MK_E_OK ||
	    mk_tcp_migrate_request(0x01020304, 0x55667788, k0, t.seq, 1, &req).err != MK_E_OK)
		return fail(s->label, mk_fail(MK_E_INVAL, 0));
	t.opts.o[0].type = MK_TCPOPT_MIGRATE;
	t.opts.o[0].u.migrate.reqno = 1;
	t.opts.o[0].u.migrate.token = tok;
	t.opts.o[0].u.migrate.request = req;
	t.opts.n = 1;
	expect_migrate_kind(s, cp, MK_CP_TCP_MIGRATE_KIND, MK_CP_TCP_MIGRATE_EXID);
	return tcp_packet(s, cp, &t, COA, CN);
}


/* ---- DNS over UDP (server mobility, dynamic DNS) ---- */

#define MN_DNS A("2001:db8:3::53")

static int udp_packet(struct mw_sample *s, uint16_t sport, uint16_t dport, const uint8_t *pl,
		      size_t plen, struct in6_addr src, struct in6_addr dst)
{
	uint8_t b[MW_PKT_MAX];
	size_t n;
	struct mk_udp u = { .sport = sport, .dport = dport, .payload = pl, .payload_len = plen };
	struct mk_status st = mk_udp_build(b, sizeof b, &u, &n);

	if (st.err != MK_E_OK)
		return fail(s->label, st);
	mw_expect(s, "udp.srcport", "%u", sport);
	mw_expect(s, "udp.dstport", "%u", dport);
	return wrap(s, 17, b, n, src, dst, NULL, NULL);
}

static const char *const tsig_secret = "bW9ia2l0LWRlbW8tdHNpZy1rZXktMzItb2N0ZXRzISE="; /* demo only */

/* The UPDATE a moving server sends its name server: the name must exist,
 * its CAAAA is replaced by the new care-of address.  Unsigned. */
static struct mk_status caaaa_update(ldns_pkt **u, const struct mk_codepoints *cp)
{
	ldns_rr *c = NULL;
	uint8_t coa[16];
	struct in6_addr a = COA;

	memcpy(coa, &a, 16);
	struct mk_status st = mk_update_new(u, "example.", 0x4d4b);
	if (st.err == MK_E_OK)
		st = mk_update_prereq_name_in_use(*u, "server.example.");
	if (st.err == MK_E_OK)
		st = mk_caaaa_rr_new(&c, "server.example.", 0, coa, cp);
	if (st.err == MK_E_OK) {
		const ldns_rr *set[1] = { c };
		st = mk_update_replace_rrset(*u, set, 1);
	}
	ldns_rr_free(c);
	return st;
}

static void expect_caaaa_update(struct mw_sample *s, const struct mk_codepoints *cp, unsigned sigtype)
{
	mw_expect(s, "dns.id", "0x4d4b");
	mw_expect(s, "dns.flags.opcode", "5");
	mw_expect(s, "dns.count.zones", "1");
	mw_expect(s, "dns.count.prerequisites", "1");
	mw_expect(s, "dns.count.updates", "2");
	mw_expect(s, "dns.resp.type", "255,%u,%u,%u", (unsigned)mk_cp(cp, MK_CP_CAAAA_TYPE),
		  (unsigned)mk_cp(cp, MK_CP_CAAAA_TYPE), sigtype);
}

/* ... signed with TSIG hmac-sha256 */
static int c_dns_update(struct mw_sample *s, const struct mk_codepoints *cp)
{
	ldns_pkt *u = NULL;
	struct mk_tsig_key k;
	uint8_t w[1024];
	size_t n;
	struct mk_status st = caaaa_update(&u, cp);

	if (st.err == MK_E_OK)
		st = mk_tsig_key_set(&k, "mobkit-demo", NULL, tsig_secret);
	if (st.err == MK_E_OK)
		st = mk_tsig_sign(u, &k, 300, NULL, 0);
	if (st.err == MK_E_OK)
		st = mk_dns_pkt_wire(u, w, sizeof w, &n);
	ldns_pkt_free(u);
	if (st.err != MK_E_OK)
		return fail(s->label, st);
	expect_caaaa_update(s, cp, MK_DNS_T_TSIG);
	mw_expect(s, "dns.tsig.algorithm_name", "hmac-sha256");
	return udp_packet(s, 40053, 53, w, n, HOA, MN_DNS);
}

/* A demonstration Ed25519 key made by `dnssec-keygen -T KEY -a ED25519 -n
 * HOST mobkit-demo-sig0.`; published here, so it protects nothing. */
static const char sig0_demo_key[] =
	"mobkit-demo-sig0. IN KEY 512 3 15 gkUl66M+NC8Scz5gQoK8pvlPmJwmuMJZ7Dkai+F/3cw=\n";
static const char sig0_demo_private[] =
	"Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n"
	"PrivateKey: u1VYawX35PN1gLgKdZk9yNjjilhtZqOosMWDQiJ2wnw=\n";

/* ... signed with SIG(0), Ed25519 (the key tag is 5562) */
static int c_dns_update_sig0(struct mw_sample *s, const struct mk_codepoints *cp)
{
	ldns_pkt *u = NULL;
	struct mk_sig0_key k;
	uint8_t w[1024];
	size_t len = 0, n = 0;
	struct mk_status st = mk_sig0_key_parse_rr(&k, sig0_demo_key);

	if (st.err == MK_E_OK)
		st = mk_sig0_key_parse_private(&k, sig0_demo_private);
	if (st.err == MK_E_OK)
		st = caaaa_update(&u, cp);
	if (st.err == MK_E_OK)
		st = mk_dns_pkt_wire(u, w, sizeof w, &len);
	if (st.err == MK_E_OK)
		st = mk_sig0_sign(w, sizeof w, len, NULL, 0, &k, 0, &n);
	ldns_pkt_free(u);
	mk_sig0_key_free(&k);
	if (st.err != MK_E_OK)
		return fail(s->label, st);
	expect_caaaa_update(s, cp, MK_DNS_T_SIG);
	mw_expect(s, "dns.count.add_rr", "1");
	mw_expect(s, "dns.rrsig.algorithm", "15");
	mw_expect(s, "dns.rrsig.key_tag", "5562");
	mw_expect(s, "dns.rrsig.signers_name", "mobkit-demo-sig0");
	return udp_packet(s, 40055, 53, w, n, HOA, MN_DNS);
}

/* The answer a correspondent gets (server-mobility design): the home
 * address in the answer, the care-of address as a CAAAA in the
 * ADDITIONAL section. */
static int c_dns_response(struct mw_sample *s, const struct mk_codepoints *cp)
{
	ldns_pkt *p = ldns_pkt_new();
	ldns_rr *q = NULL, *an = NULL, *ad = NULL;
	uint8_t w[1024], coa[16];
	size_t n;
	struct in6_addr a = COA;

	memcpy(coa, &a, 16);
	if (!p || ldns_rr_new_question_frm_str(&q, "server.example. IN AAAA", NULL, NULL) != LDNS_STATUS_OK ||
	    ldns_rr_new_frm_str(&an, "server.example. 60 IN AAAA 2001:db8:1::100", 0, NULL, NULL) !=
		    LDNS_STATUS_OK ||
	    mk_caaaa_rr_new(&ad, "server.example.", 0, coa, cp).err != MK_E_OK) {
		ldns_pkt_free(p);
		ldns_rr_free(q);
		ldns_rr_free(an);
		return fail(s->label, mk_fail(MK_E_DNS_LDNS, 0));
	}
	ldns_pkt_set_id(p, 0x4d4c);
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_aa(p, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_QUESTION, q);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, an);
	ldns_pkt_push_rr(p, LDNS_SECTION_ADDITIONAL, ad);
	struct mk_status st = mk_dns_pkt_wire(p, w, sizeof w, &n);
	ldns_pkt_free(p);
	if (st.err != MK_E_OK)
		return fail(s->label, st);
	mw_expect(s, "dns.id", "0x4d4c");
	mw_expect(s, "dns.count.answers", "1");
	mw_expect(s, "dns.count.add_rr", "1");
	mw_expect(s, "dns.resp.type", "28,%u", (unsigned)mk_cp(cp, MK_CP_CAAAA_TYPE));
	mw_expect(s, "dns.aaaa", "2001:db8:1::100");
	return udp_packet(s, 53, 40054, w, n, MN_DNS, CN);
}

const struct mw_recipe mw_recipes[] = {
	{ "bu-home-hao", "BU to the HA from the CoA: HAO, A H K + MHA flag, Alt-CoA, MHA option", c_bu_home },
	{ "ba-home-rh2", "BA from the HA through an RH2: accepted, K, Binding Refresh Advice", c_ba_home },
	{ "bu-cn-bad", "route-optimised BU to the CN: Nonce Indices, Binding Authorization Data", c_bu_cn },
	{ "ba-cn-135", "BA from the CN: status 135 (sequence number out of window)", c_ba_cn },
	{ "bu-rfc4285", "BU with RFC 4285 replay protection and MN-HA authentication", c_bu_4285 },
	{ "brr-rh2", "Binding Refresh Request from the CN through an RH2", c_brr },
	{ "hoti-tunnel", "HoTI reverse-tunnelled through the HA (IPv6-in-IPv6)", c_hoti_tunnel },
	{ "coti", "CoTI from the CoA", c_coti },
	{ "hot", "HoT to the home address", c_hot },
	{ "cot", "CoT to the CoA", c_cot },
	{ "be", "Binding Error: unknown binding for the Home Address option", c_be },
	{ "ha-switch", "Home Agent Switch (RFC 5142) naming two other HAs", c_has },
	{ "exp-mh", "RFC 5096 experimental Mobility Header message", c_exp_mh },
	{ "dhaad-request", "DHAAD Request to the home agents' anycast address", c_dhaad_req },
	{ "dhaad-reply", "DHAAD Reply listing three home agents", c_dhaad_rep },
	{ "mps-hao", "Mobile Prefix Solicitation with a HAO", c_mps },
	{ "mpa-rh2", "Mobile Prefix Advertisement through an RH2, prefix with R", c_mpa },
	{ "ra-ha", "Router Advertisement: H bit, Home Agent Information, prefix with R", c_ra },
	{ "param-prob-hao", "Parameter Problem code 2 pointing at the HAO of a BU", c_param_prob },
	{ "ha-unreachable", "Home Agent Unreachable: HA2 reports HA1 (codepoint type)", c_ha_unreach },
	{ "syn-migperm", "TCP SYN with MSS, SACK-perm, TS, WS and Migrate-Permitted", c_syn_migperm },
	{ "syn-migrate", "TCP migrate SYN: Migrate option, token and request", c_syn_migrate },
	{ "dns-update-tsig", "DNS UPDATE replacing a server's CAAAA, prerequisite, TSIG hmac-sha256", c_dns_update },
	{ "dns-update-sig0", "the same UPDATE signed with SIG(0), Ed25519 (RFC 2931, RFC 8080)", c_dns_update_sig0 },
	{ "dns-response-caaaa", "DNS response: AAAA answer, CAAAA care-of address in ADDITIONAL", c_dns_response },
};
const size_t mw_nrecipes = sizeof mw_recipes / sizeof mw_recipes[0];
