/* t/wire/mh.t.c: Mobility Header codec (lib/wire/mh.h).
 *
 * Golden octets are written by hand from the RFC 6275 / 5096 / 5142 / 4285
 * layouts (one comment per field); mobkit's MHA option follows mh.h. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "t/lib/tap.h"
#include "wire/mh.h"

/* 2001:db8:1::100 (home address) */
#define HOA_B 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00
/* 2001:db8:2::200 (care-of address) */
#define COA_B 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x00
/* 2001:db8:1::1 and 2001:db8:1::2 (home agents) */
#define HA1_B 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x01
#define HA2_B 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x02
#define COOKIE_B 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08
#define TOKEN_B 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7, 0xf8
#define AUTH_B 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab

static struct in6_addr hoa, coa, ha1, ha2;
static const uint8_t cookie[8] = { COOKIE_B };
static const uint8_t token[8] = { TOKEN_B };
static const uint8_t authv[12] = { AUTH_B };
static const uint8_t ha_pair[32] = { HA1_B, HA2_B };
static struct mk_codepoints paper;

static void addr(struct in6_addr *a, const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		tap_diag("bad test address %s", s);
}

/* Build `in`, compare with the golden octets, parse the golden octets and
 * check they give `in` back: 3 checks. */
static void golden(const char *what, const struct mk_codepoints *cp, unsigned pflags,
		   const struct mk_mh *in, const uint8_t *want, size_t wantlen)
{
	uint8_t out[MK_MH_MAX_LEN];
	size_t n = 0;
	struct mk_status st = mk_mh_build(out, sizeof out, cp, in, &n);

	if (!tap_ok(st.err == MK_E_OK && n == wantlen, "%s: builds %zu octets", what, wantlen))
		tap_diag("err %s at %zu, len %zu", mk_errname(st.err), st.off, n);
	tap_is_mem(out, want, wantlen, "%s: golden octets", what);

	struct mk_mh m;
	st = mk_mh_parse_ex(want, wantlen, cp, pflags, &m);
	if (!tap_ok(st.err == MK_E_OK && mk_mh_same(&m, in) && m.len == wantlen &&
			    m.hlen == wantlen / 8 - 1,
		    "%s: golden octets parse back to the same message", what))
		tap_diag("err %s at %zu", mk_errname(st.err), st.off);
}

/* Parse and expect an error code at an offset: 1 check. */
static void expect(const char *what, const uint8_t *b, size_t n, const struct mk_codepoints *cp,
		   unsigned flags, enum mk_err e, size_t off)
{
	struct mk_mh m;
	struct mk_status st = mk_mh_parse_ex(b, n, cp, flags, &m);

	if (!tap_ok(st.err == e && st.off == off, "%s: %s at offset %zu", what, mk_errname(e), off))
		tap_diag("got %s at %zu", mk_errname(st.err), st.off);
}

static struct mk_mh_opt *add(struct mk_mh *m, enum mk_mh_opt_kind k)
{
	struct mk_mh_opt *o = &m->opts[m->nopts++];
	memset(o, 0, sizeof *o);
	o->kind = k;
	return o;
}

static void test_messages(void)
{
	struct mk_mh m;

	static const uint8_t brr[] = {
		0x3b,       /* Payload Proto 59 */
		0x00,       /* Header Len 0: 8 octets */
		0x00,       /* MH Type 0: BRR */
		0x00,       /* Reserved */
		0x00, 0x00, /* Checksum, left 0 */
		0x00, 0x00, /* Reserved16 */
	};
	mk_mh_init(&m, MK_MH_BRR);
	golden("BRR", NULL, 0, &m, brr, sizeof brr);

	static const uint8_t hoti[] = {
		0x3b, 0x01, /* proto 59, Header Len 1: 16 octets */
		0x01, 0x00, /* HoTI, Reserved */
		0x00, 0x00, /* Checksum */
		0x00, 0x00, /* Reserved16 */
		COOKIE_B,   /* Home Init Cookie @8 */
	};
	mk_mh_init(&m, MK_MH_HOTI);
	memcpy(m.u.testinit.cookie, cookie, 8);
	golden("HoTI", NULL, 0, &m, hoti, sizeof hoti);

	static const uint8_t coti[] = {
		0x3b, 0x01, 0x02, 0x00, /* proto, HLen 1, CoTI, Reserved */
		0x00, 0x00, 0x00, 0x00, /* Checksum, Reserved16 */
		COOKIE_B,               /* Care-of Init Cookie @8 */
	};
	mk_mh_init(&m, MK_MH_COTI);
	memcpy(m.u.testinit.cookie, cookie, 8);
	golden("CoTI", NULL, 0, &m, coti, sizeof coti);

	static const uint8_t hot[] = {
		0x3b, 0x02, 0x03, 0x00, /* proto, HLen 2: 24 octets, HoT, Reserved */
		0x00, 0x00,             /* Checksum */
		0x12, 0x34,             /* Home Nonce Index @6 */
		COOKIE_B,               /* Home Init Cookie @8 */
		TOKEN_B,                /* Home Keygen Token @16 */
	};
	mk_mh_init(&m, MK_MH_HOT);
	m.u.test.nonce_idx = 0x1234;
	memcpy(m.u.test.cookie, cookie, 8);
	memcpy(m.u.test.token, token, 8);
	golden("HoT", NULL, 0, &m, hot, sizeof hot);

	static const uint8_t cot[] = {
		0x3b, 0x02, 0x04, 0x00, 0x00, 0x00, /* proto, HLen 2, CoT, Rsvd, Cksum */
		0x43, 0x21,                         /* Care-of Nonce Index */
		COOKIE_B, TOKEN_B,                  /* cookie @8, token @16 */
	};
	mk_mh_init(&m, MK_MH_COT);
	m.u.test.nonce_idx = 0x4321;
	memcpy(m.u.test.cookie, cookie, 8);
	memcpy(m.u.test.token, token, 8);
	golden("CoT", NULL, 0, &m, cot, sizeof cot);

	static const uint8_t bu[] = {
		0x3b, 0x01, 0x05, 0x00, /* proto, HLen 1: 16 octets, BU, Reserved */
		0x00, 0x00,             /* Checksum */
		0x01, 0x02,             /* Sequence 258 @6 */
		0xd0, 0x00,             /* Flags A|H|K @8 */
		0x00, 0x96,             /* Lifetime 150 units = 600 s @10 */
		0x01, 0x02, 0x00, 0x00, /* PadN, 2 data octets: end on 16 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 258;
	m.u.bu.flags = MK_BU_A | MK_BU_H | MK_BU_K;
	m.u.bu.lifetime = 150;
	golden("BU", NULL, 0, &m, bu, sizeof bu);

	static const uint8_t ba[] = {
		0x3b, 0x01, 0x06, 0x00, 0x00, 0x00, /* proto, HLen 1, BA, Rsvd, Cksum */
		0x00,                               /* Status 0: accepted @6 */
		0x80,                               /* Flags K @7 */
		0x01, 0x02,                         /* Sequence @8 */
		0x00, 0x96,                         /* Lifetime @10 */
		0x01, 0x02, 0x00, 0x00,             /* PadN(4) */
	};
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.flags = MK_BA_K;
	m.u.ba.seq = 258;
	m.u.ba.lifetime = 150;
	golden("BA", NULL, 0, &m, ba, sizeof ba);

	static const uint8_t be[] = {
		0x3b, 0x02, 0x07, 0x00, 0x00, 0x00, /* proto, HLen 2: 24, BE, Rsvd, Cksum */
		0x02,                               /* Status 2: unrecognised MH Type */
		0x00,                               /* Reserved */
		HOA_B,                              /* Home Address @8 */
	};
	mk_mh_init(&m, MK_MH_BE);
	m.u.be.status = MK_BE_UNKNOWN_TYPE;
	m.u.be.hoa = hoa;
	golden("BE", NULL, 0, &m, be, sizeof be);

	static const uint8_t has[] = {
		0x3b, 0x04, 0x0c, 0x00, 0x00, 0x00, /* proto, HLen 4: 40, HA Switch, Rsvd, Cksum */
		0x02,                               /* # of Addresses @6 */
		0x00,                               /* Reserved @7 */
		HA1_B,                              /* HA address 1 @8 */
		HA2_B,                              /* HA address 2 @24 */
	};
	mk_mh_init(&m, MK_MH_HAS);
	m.u.has.n = 2;
	m.u.has.addrs = ha_pair;
	golden("HA Switch (2 addresses)", NULL, 0, &m, has, sizeof has);

	static const uint8_t has0[] = {
		0x3b, 0x00, 0x0c, 0x00, 0x00, 0x00, /* HLen 0, HA Switch */
		0x00, 0x00,                         /* no address: run HA discovery */
	};
	mk_mh_init(&m, MK_MH_HAS);
	golden("HA Switch (0 addresses)", NULL, 0, &m, has0, sizeof has0);

	static const uint8_t has_bra[] = {
		0x3b, 0x03, 0x0c, 0x00, 0x00, 0x00, /* HLen 3: 32 */
		0x01, 0x00,                         /* 1 address, Reserved */
		HA1_B,                              /* @8 */
		0x02, 0x02, 0x00, 0x10,             /* @24 BRA (2n), 16 units */
		0x01, 0x02, 0x00, 0x00,             /* @28 PadN(4) */
	};
	mk_mh_init(&m, MK_MH_HAS);
	m.u.has.n = 1;
	m.u.has.addrs = ha_pair;
	add(&m, MK_MHO_BRA)->v.bra = 16;
	golden("HA Switch with BRA", NULL, 0, &m, has_bra, sizeof has_bra);

	/* Experimental MH: the padding is part of the opaque data when parsed */
	static const uint8_t exp_data[5] = { 0xd1, 0xd2, 0xd3, 0xd4, 0xd5 };
	static const uint8_t expmh[] = {
		0x3b, 0x01, 0x0b, 0x00, 0x00, 0x00, /* HLen 1, type 11, Rsvd, Cksum */
		0xd1, 0xd2, 0xd3, 0xd4, 0xd5,       /* opaque data @6 */
		0x00, 0x00, 0x00, 0x00, 0x00,       /* zero padding to 16 */
	};
	uint8_t out[MK_MH_MAX_LEN];
	size_t n;
	mk_mh_init(&m, MK_MH_EXP);
	m.u.raw.data = exp_data;
	m.u.raw.len = sizeof exp_data;
	struct mk_status st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_OK && n == sizeof expmh && memcmp(out, expmh, n) == 0,
	       "Experimental MH: golden octets (data padded with zeros to 16)");
	struct mk_mh p;
	st = mk_mh_parse(expmh, sizeof expmh, NULL, &p);
	tap_ok(st.err == MK_E_OK && p.type == MK_MH_EXP && p.u.raw.len == 10 &&
		       memcmp(p.u.raw.data, exp_data, 5) == 0 && p.nopts == 0,
	       "Experimental MH: parses to 10 octets of opaque data from offset 6");
	st = mk_mh_build(out, sizeof out, NULL, &p, &n);
	tap_ok(st.err == MK_E_OK && n == sizeof expmh && memcmp(out, expmh, n) == 0,
	       "Experimental MH: parsed message rebuilds to the same octets");

	static const uint8_t expmh0[] = {
		0x3b, 0x00, 0x0b, 0x00, 0x00, 0x00, /* HLen 0, type 11 */
		0x00, 0x00,                         /* 2 octets of padding */
	};
	mk_mh_init(&m, MK_MH_EXP);
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_OK && n == 8 && memcmp(out, expmh0, 8) == 0,
	       "Experimental MH without data: 8 octets, HLen 0");
}

static void test_options(void)
{
	struct mk_mh m;
	struct mk_mh_opt *o;

	static const uint8_t bu_acoa[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, /* HLen 3: 32, BU */
		0x00, 0x07,                         /* Sequence 7 */
		0xc0, 0x00,                         /* Flags A|H */
		0x00, 0x10,                         /* Lifetime 16 */
		0x01, 0x00,                         /* @12 PadN(2): AltCoA at 8n+6 */
		0x03, 0x10,                         /* @14 Alternate CoA, Len 16 */
		COA_B,                              /* @16 address */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 7;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 16;
	add(&m, MK_MHO_ALTCOA)->v.altcoa = coa;
	golden("BU + Alternate CoA", NULL, 0, &m, bu_acoa, sizeof bu_acoa);

	static const uint8_t bu_cn[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, /* HLen 3: 32, BU */
		0x00, 0x09, 0x80, 0x00, 0x00, 0x20, /* Seq 9, Flags A, Lifetime 32 */
		0x04, 0x04, 0x00, 0x11, 0x00, 0x22, /* @12 Nonce Indices (2n): home 17, care-of 34 */
		0x05, 0x0c,                         /* @18 BAD (8n+2), Len 12 */
		AUTH_B,                             /* @20 authenticator, ends at 32 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 9;
	m.u.bu.flags = MK_BU_A;
	m.u.bu.lifetime = 32;
	o = add(&m, MK_MHO_NONCE);
	o->v.nonce.home = 0x11;
	o->v.nonce.careof = 0x22;
	memcpy(add(&m, MK_MHO_BAD)->v.bad, authv, 12);
	golden("BU to CN: Nonce Indices + BAD", NULL, 0, &m, bu_cn, sizeof bu_cn);

	static const uint8_t bu_all[] = {
		0x3b, 0x06, 0x05, 0x00, 0x00, 0x00, /* HLen 6: 56, BU */
		0x00, 0x09, 0x80, 0x00, 0x00, 0x20, /* Seq, Flags, Lifetime */
		0x01, 0x00,                         /* @12 PadN(2) */
		0x03, 0x10, COA_B,                  /* @14 Alternate CoA */
		0x04, 0x04, 0x00, 0x11, 0x00, 0x22, /* @32 Nonce Indices */
		0x01, 0x02, 0x00, 0x00,             /* @38 PadN(4): BAD at 42 = 8*5+2 */
		0x05, 0x0c, AUTH_B,                 /* @42 BAD, ends at 56 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 9;
	m.u.bu.flags = MK_BU_A;
	m.u.bu.lifetime = 32;
	add(&m, MK_MHO_ALTCOA)->v.altcoa = coa;
	o = add(&m, MK_MHO_NONCE);
	o->v.nonce.home = 0x11;
	o->v.nonce.careof = 0x22;
	memcpy(add(&m, MK_MHO_BAD)->v.bad, authv, 12);
	golden("BU: Alternate CoA + Nonce Indices + BAD", NULL, 0, &m, bu_all, sizeof bu_all);

	static const uint8_t bu_mha[] = {
		0x3b, 0x05, 0x05, 0x00, 0x00, 0x00, /* HLen 5: 48, BU */
		0x00, 0x01,                         /* Sequence 1 */
		0xc0, 0x08,                         /* Flags A|H + MHA (default 0x0008) */
		0x01, 0x00,                         /* Lifetime 256 */
		0x01, 0x00,                         /* @12 PadN(2) */
		0x12, 0x20,                         /* @14 MHA (type 18), Len 32 = 2 x 16 */
		HA1_B, HA2_B,                       /* @16, @32 home agents */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 1;
	m.u.bu.flags = MK_BU_A | MK_BU_H | 0x0008;
	m.u.bu.lifetime = 256;
	o = add(&m, MK_MHO_MHA);
	o->v.mha.addrs = ha_pair;
	o->v.mha.n = 2;
	golden("BU + Multiple Home Agents (2)", NULL, MK_MH_PARSE_EXP_AS_MHA, &m, bu_mha,
	       sizeof bu_mha);

	struct mk_mh p;
	struct mk_status st = mk_mh_parse(bu_mha, sizeof bu_mha, NULL, &p);
	tap_ok(st.err == MK_E_OK && p.nopts == 1 && p.opts[0].kind == MK_MHO_EXP &&
		       p.opts[0].v.raw.len == 32 && p.opts[0].off == 14,
	       "type 18 without a flag is the RFC 5096 Experimental option (32 octets at 14)");
	st = mk_mh_parse_ex(bu_mha, sizeof bu_mha, NULL, MK_MH_PARSE_MHA_IF_FLAG, &p);
	tap_ok(st.err == MK_E_OK && p.opts[0].kind == MK_MHO_MHA && p.opts[0].v.mha.n == 2 &&
		       memcmp(p.opts[0].v.mha.addrs + 16, ha_pair + 16, 16) == 0,
	       "MHA_IF_FLAG: BU with flag 0x0008 (default profile) reads type 18 as MHA");
	st = mk_mh_parse_ex(bu_mha, sizeof bu_mha, &paper, MK_MH_PARSE_MHA_IF_FLAG, &p);
	tap_ok(st.err == MK_E_OK && p.opts[0].kind == MK_MHO_EXP,
	       "MHA_IF_FLAG, paper profile: 0x0008 is not the MHA flag, so type 18 stays Experimental");
	uint8_t paperbu[sizeof bu_mha];
	memcpy(paperbu, bu_mha, sizeof bu_mha);
	paperbu[8] = 0xc8; /* Flags A|H|M: the paper's MHA bit 0x0800 */
	paperbu[9] = 0x00;
	st = mk_mh_parse_ex(paperbu, sizeof paperbu, &paper, MK_MH_PARSE_MHA_IF_FLAG, &p);
	tap_ok(st.err == MK_E_OK && p.opts[0].kind == MK_MHO_MHA && p.u.bu.flags == 0xc800,
	       "MHA_IF_FLAG, paper profile: flag 0x0800 makes type 18 an MHA option");

	/* an MHA codepoint of its own: decided by codepoint equality */
	struct mk_codepoints cp200 = mk_cp_default;
	st = mk_cp_set(&cp200, "mh-opt-mha=200");
	uint8_t bu200[sizeof bu_mha];
	memcpy(bu200, bu_mha, sizeof bu_mha);
	bu200[14] = 0xc8; /* option type 200 */
	uint8_t out[MK_MH_MAX_LEN];
	size_t n;
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 1;
	m.u.bu.flags = MK_BU_A | MK_BU_H | 0x0008;
	m.u.bu.lifetime = 256;
	o = add(&m, MK_MHO_MHA);
	o->v.mha.addrs = ha_pair;
	o->v.mha.n = 2;
	st = mk_mh_build(out, sizeof out, &cp200, &m, &n);
	tap_ok(st.err == MK_E_OK && n == sizeof bu200 && memcmp(out, bu200, n) == 0,
	       "mh-opt-mha=200: the builder writes type 200 for MHA");
	st = mk_mh_parse(bu200, sizeof bu200, &cp200, &p);
	tap_ok(st.err == MK_E_OK && p.opts[0].kind == MK_MHO_MHA && p.opts[0].v.mha.n == 2,
	       "mh-opt-mha=200: type 200 parses as MHA with no flag");
	st = mk_mh_parse(bu200, sizeof bu200, NULL, &p);
	tap_ok(st.err == MK_E_OK && p.opts[0].kind == MK_MHO_UNKNOWN && p.opts[0].type == 200 &&
		       p.opts[0].v.raw.len == 32,
	       "default profile: type 200 is an unknown option, skipped and reported");

	static const uint8_t bu_auth[] = {
		0x3b, 0x03, 0x05, 0x00, 0x00, 0x00, /* HLen 3: 32, BU */
		0x00, 0x02, 0xc0, 0x00, 0x00, 0x10, /* Seq 2, Flags A|H, Lifetime 16 */
		0x00,                               /* @12 Pad1: auth at 4n+1 */
		0x09, 0x11,                         /* @13 Mobility Message Auth, Len 17 */
		0x01,                               /* @15 Subtype 1: MN-HA */
		0x00, 0x00, 0x01, 0x00,             /* @16 Mobility SPI 256 (4-aligned) */
		AUTH_B,                             /* @20 96-bit authenticator, ends at 32 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 2;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 16;
	o = add(&m, MK_MHO_AUTH);
	o->v.auth.subtype = MK_MH_AUTH_MNHA;
	o->v.auth.spi = 256;
	o->v.auth.data = authv;
	o->v.auth.len = 12;
	golden("BU + MN-HA authentication", NULL, 0, &m, bu_auth, sizeof bu_auth);

	static const uint8_t bu_rp[] = {
		0x3b, 0x05, 0x05, 0x00, 0x00, 0x00, /* HLen 5: 48, BU */
		0x00, 0x02, 0xc0, 0x00, 0x00, 0x10, /* Seq, Flags, Lifetime */
		0x01, 0x04, 0x00, 0x00, 0x00, 0x00, /* @12 PadN(6): replay at 18 = 8*2+2 */
		0x0a, 0x08,                         /* @18 Replay Protection, Len 8 */
		0x00, 0x00, 0x00, 0x00, 0x5f, 0x5e, 0x10, 0x00, /* @20 timestamp */
		0x00,                               /* @28 Pad1: auth at 29 = 4*7+1 */
		0x09, 0x11, 0x01,                   /* @29 auth, Len 17, MN-HA */
		0x00, 0x00, 0x01, 0x00,             /* @32 SPI 256 */
		AUTH_B,                             /* @36 authenticator, ends at 48 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 2;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 16;
	add(&m, MK_MHO_REPLAY)->v.replay = 0x5f5e1000;
	o = add(&m, MK_MHO_AUTH);
	o->v.auth.subtype = MK_MH_AUTH_MNHA;
	o->v.auth.spi = 256;
	o->v.auth.data = authv;
	o->v.auth.len = 12;
	golden("BU + Replay Protection + MN-HA authentication", NULL, 0, &m, bu_rp,
	       sizeof bu_rp);

	static const uint8_t exp3[3] = { 0xaa, 0xbb, 0xcc };
	static const uint8_t bu_exp[] = {
		0x3b, 0x02, 0x05, 0x00, 0x00, 0x00, /* HLen 2: 24, BU */
		0x00, 0x03, 0x00, 0x00, 0x00, 0x00, /* Seq 3, no flags, Lifetime 0 */
		0x12, 0x03, 0xaa, 0xbb, 0xcc,       /* @12 Experimental option, Len 3 */
		0x01, 0x05, 0, 0, 0, 0, 0,          /* @17 PadN(7) to 24 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 3;
	o = add(&m, MK_MHO_EXP);
	o->v.raw.data = exp3;
	o->v.raw.len = 3;
	golden("BU + Experimental Mobility Option", NULL, 0, &m, bu_exp, sizeof bu_exp);

	static const uint8_t ba_bra[] = {
		0x3b, 0x01, 0x06, 0x00, 0x00, 0x00, /* HLen 1: 16, BA */
		0x00, 0x00, 0x00, 0x05, 0x01, 0x00, /* accepted, no flags, Seq 5, Lifetime 256 */
		0x02, 0x02, 0x00, 0x40,             /* @12 BRA (2n), refresh 64 units: no pad */
	};
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.seq = 5;
	m.u.ba.lifetime = 256;
	add(&m, MK_MHO_BRA)->v.bra = 64;
	golden("BA + Binding Refresh Advice", NULL, 0, &m, ba_bra, sizeof ba_bra);

	static const uint8_t ba_bad[] = {
		0x3b, 0x03, 0x06, 0x00, 0x00, 0x00, /* HLen 3: 32, BA */
		0x00, 0x00, 0x00, 0x09, 0x00, 0x20, /* accepted, Seq 9, Lifetime 32 */
		0x01, 0x04, 0x00, 0x00, 0x00, 0x00, /* @12 PadN(6) */
		0x05, 0x0c, AUTH_B,                 /* @18 BAD */
	};
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.seq = 9;
	m.u.ba.lifetime = 32;
	memcpy(add(&m, MK_MHO_BAD)->v.bad, authv, 12);
	golden("BA + BAD (from a CN)", NULL, 0, &m, ba_bad, sizeof ba_bad);

	static const uint8_t bu_2auth[] = {
		0x3b, 0x04, 0x05, 0x00, 0x00, 0x00, /* HLen 4: 40, BU */
		0x00, 0x02, 0xc0, 0x00, 0x00, 0x10,
		0x00,                               /* @12 Pad1 */
		0x09, 0x11, 0x01, 0, 0, 1, 0, AUTH_B, /* @13 MN-HA, ends at 32 */
		0x00,                               /* @32 Pad1 */
		0x09, 0x05, 0x02, 0, 0, 0, 5,       /* @33 MN-AAA, no data, ends at 40 */
	};
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 2;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 16;
	o = add(&m, MK_MHO_AUTH);
	o->v.auth.subtype = MK_MH_AUTH_MNHA;
	o->v.auth.spi = 256;
	o->v.auth.data = authv;
	o->v.auth.len = 12;
	o = add(&m, MK_MHO_AUTH);
	o->v.auth.subtype = MK_MH_AUTH_MNAAA;
	o->v.auth.spi = 5;
	golden("BU + MN-HA then MN-AAA (MN-AAA last)", NULL, 0, &m, bu_2auth, sizeof bu_2auth);

	static const uint8_t bu_unk[] = {
		0x3b, 0x01, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
		0xc8, 0x02, 0xab, 0xcd,             /* @12 unknown type 200, Len 2 */
	};
	st = mk_mh_parse(bu_unk, sizeof bu_unk, NULL, &p);
	tap_ok(st.err == MK_E_OK && p.nopts == 1 && p.opts[0].kind == MK_MHO_UNKNOWN &&
		       p.opts[0].type == 200 && p.opts[0].v.raw.len == 2 && p.opts[0].off == 12,
	       "unknown option type 200 is skipped and reported, not an error");
	st = mk_mh_build(out, sizeof out, NULL, &p, &n);
	tap_ok(st.err == MK_E_OK && n == sizeof bu_unk && memcmp(out, bu_unk, n) == 0,
	       "unknown option is rebuilt verbatim");
}

static void test_cksum(void)
{
	static const uint8_t bu[] = {
		0x3b, 0x01, 0x05, 0x00, 0x00, 0x00, 0x01, 0x02,
		0xd0, 0x00, 0x00, 0x96, 0x01, 0x02, 0x00, 0x00,
	};
	uint8_t b[sizeof bu];
	memcpy(b, bu, sizeof bu);

	/* independent RFC 1071 sum: pseudo-header (src, dst, length, 0, 135), MH */
	uint32_t s = 0;
	for (int i = 0; i < 16; i += 2)
		s += (uint32_t)(coa.s6_addr[i] << 8 | coa.s6_addr[i + 1]) +
		     (uint32_t)(ha1.s6_addr[i] << 8 | ha1.s6_addr[i + 1]);
	s += sizeof bu; /* upper-layer length (high 16 bits are zero) */
	s += 135;       /* next header */
	for (size_t i = 0; i < sizeof bu; i += 2)
		s += (uint32_t)(bu[i] << 8 | bu[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	uint16_t want = (uint16_t)~s;

	struct mk_status st = mk_mh_cksum(b, sizeof b, &coa, &ha1);
	tap_ok(st.err == MK_E_OK && b[4] == want >> 8 && b[5] == (want & 0xff),
	       "mk_mh_cksum writes the RFC 1071 sum over pseudo-header (NH 135) + MH (0x%04x)",
	       want);
	tap_ok(mk_mh_cksum_ok(b, sizeof b, &coa, &ha1), "checksum verifies");
	tap_ok(!mk_mh_cksum_ok(b, sizeof b, &hoa, &ha1),
	       "checksum fails with another source (a HAO home address must be substituted)");
	b[7] ^= 0x01; /* flip one bit of the sequence number */
	st = mk_mh_cksum_check(b, sizeof b, &coa, &ha1);
	tap_ok(st.err == MK_E_BAD_CKSUM && st.off == 4, "bad checksum after a flipped bit: BAD_CKSUM at 4");
	tap_ok(!mk_mh_cksum_ok(b, sizeof b, &coa, &ha1), "mk_mh_cksum_ok is false after a flipped bit");
	st = mk_mh_cksum(b, 7, &coa, &ha1);
	tap_ok(st.err == MK_E_TRUNC, "mk_mh_cksum refuses a 7-octet buffer");
}

static void test_malformed(void)
{
	static const uint8_t bu[] = {
		0x3b, 0x01, 0x05, 0x00, 0x00, 0x00, 0x01, 0x02,
		0xd0, 0x00, 0x00, 0x96, 0x01, 0x02, 0x00, 0x00,
	};
	uint8_t b[64];
	struct mk_mh m;
	struct mk_status st;

	expect("7 octets", bu, 7, NULL, 0, MK_E_TRUNC, 0);
	expect("empty", bu, 0, NULL, 0, MK_E_TRUNC, 0);

	memcpy(b, bu, 16);
	b[1] = 2; /* claims 24 octets */
	expect("Header Len beyond the buffer", b, 16, NULL, 0, MK_E_MH_OVERRUN, 1);

	memcpy(b, bu, 16);
	b[16] = b[17] = b[18] = 0;
	expect("19 octets delivered for a 16-octet MH", b, 19, NULL, 0, MK_E_MH_NOT_MULT8, 16);
	memset(b + 16, 0, 8);
	expect("24 octets delivered for a 16-octet MH", b, 24, NULL, 0, MK_E_TRAILING, 16);

	memcpy(b, bu, 16);
	b[0] = 6; /* TCP */
	expect("Payload Proto 6", b, 16, NULL, 0, MK_E_MH_PROTO, 0);

	memcpy(b, bu, 16);
	b[2] = 30;
	st = mk_mh_parse(b, 16, NULL, &m);
	tap_ok(st.err == MK_E_MH_UNKNOWN_TYPE && st.off == 2 && m.type == 30 && m.len == 16 &&
		       m.u.raw.len == 10,
	       "unknown MH Type 30: UNKNOWN_TYPE at 2, common header still filled");
	b[2] = 8;
	expect("MH Type 8 (FBU, not handled)", b, 16, NULL, 0, MK_E_MH_UNKNOWN_TYPE, 2);

	static const uint8_t bu_short[] = { 0x3b, 0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01 };
	expect("BU with Header Len 0", bu_short, 8, NULL, 0, MK_E_MH_HLEN_SHORT, 1);
	static const uint8_t hot_short[16] = { 0x3b, 0x01, 0x03 };
	expect("HoT with Header Len 1", hot_short, 16, NULL, 0, MK_E_MH_HLEN_SHORT, 1);
	static const uint8_t be_short[16] = { 0x3b, 0x01, 0x07, 0, 0, 0, 1 };
	expect("BE with Header Len 1", be_short, 16, NULL, 0, MK_E_MH_HLEN_SHORT, 1);
	static const uint8_t has_short[24] = { 0x3b, 0x02, 0x0c, 0, 0, 0, 2 };
	expect("HA Switch listing 2 addresses in 24 octets", has_short, 24, NULL, 0,
	       MK_E_MH_HLEN_SHORT, 1);

	/* options: BU header then options from 12 */
#define BUHDR(hl) 0x3b, (hl), 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0x80, 0x00, 0x00, 0x10
#define BAHDR(hl) 0x3b, (hl), 0x06, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10
	static const uint8_t o_over[] = { BUHDR(1), 0x01, 0x05, 0x00, 0x00 };
	expect("PadN Len 5 past the end", o_over, sizeof o_over, NULL, 0, MK_E_MH_OPT_OVERRUN, 12);
	static const uint8_t o_hdr[] = { BUHDR(1), 0x00, 0x00, 0x00, 0x12 };
	expect("option Type in the last octet, no Len", o_hdr, sizeof o_hdr, NULL, 0,
	       MK_E_MH_OPT_OVERRUN, 15);

	static const uint8_t mis_acoa[] = { BUHDR(3), 0x03, 0x10, COA_B, 0x01, 0x00 };
	expect("Alternate CoA at 12 (needs 8n+6)", mis_acoa, sizeof mis_acoa, NULL, 0,
	       MK_E_MH_OPT_MISALIGNED, 12);
	static const uint8_t mis_bad[] = { BAHDR(3), 0x05, 0x0c, AUTH_B, 0x01, 0x04, 0, 0, 0, 0 };
	expect("BAD at 12 (needs 8n+2)", mis_bad, sizeof mis_bad, NULL, 0, MK_E_MH_OPT_MISALIGNED,
	       12);
	static const uint8_t mis_ni[] = { BUHDR(2), 0x00, 0x04, 0x04, 0, 1, 0, 2,
					  0x01, 0x03, 0, 0, 0 };
	expect("Nonce Indices at 13 (needs 2n)", mis_ni, sizeof mis_ni, NULL, 0,
	       MK_E_MH_OPT_MISALIGNED, 13);
	static const uint8_t mis_bra[] = { BAHDR(2), 0x00, 0x02, 0x02, 0x00, 0x04,
					   0x01, 0x05, 0, 0, 0, 0, 0 };
	expect("BRA at 13 (needs 2n)", mis_bra, sizeof mis_bra, NULL, 0, MK_E_MH_OPT_MISALIGNED, 13);
	static const uint8_t mis_mha[] = { BUHDR(3), 0x12, 0x10, HA1_B, 0x01, 0x00 };
	expect("MHA at 12 (needs 8n+6)", mis_mha, sizeof mis_mha, NULL, MK_MH_PARSE_EXP_AS_MHA,
	       MK_E_MH_OPT_MISALIGNED, 12);
	st = mk_mh_parse(mis_mha, sizeof mis_mha, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.opts[0].kind == MK_MHO_EXP,
	       "the same octets are a valid Experimental option (no alignment) without the flag");
	static const uint8_t mis_auth[] = { BUHDR(3), 0x09, 0x11, 0x01, 0, 0, 1, 0, AUTH_B, 0x00 };
	expect("MN-HA auth at 12 (needs 4n+1)", mis_auth, sizeof mis_auth, NULL, 0,
	       MK_E_MH_OPT_MISALIGNED, 12);
	static const uint8_t mis_rp[] = { BUHDR(2), 0x0a, 0x08, 0, 0, 0, 0, 0, 0, 0, 1, 0x01, 0x00 };
	expect("Replay Protection at 12 (needs 8n+2)", mis_rp, sizeof mis_rp, NULL, 0,
	       MK_E_MH_OPT_MISALIGNED, 12);

	static const uint8_t padn[] = { BUHDR(1), 0x01, 0x02, 0x00, 0x07 };
	expect("PadN with a non-zero octet", padn, sizeof padn, NULL, 0, MK_E_MH_PADN_NONZERO, 15);

	static const uint8_t notlast[] = { BUHDR(4), 0x04, 0x04, 0, 1, 0, 2, 0x05, 0x0c, AUTH_B,
					   0x12, 0x00, 0x01, 0x04, 0, 0, 0, 0 };
	expect("Experimental option after BAD", notlast, sizeof notlast, NULL, 0,
	       MK_E_MH_BAD_NOT_LAST, 32);
	static const uint8_t padafter[] = { BUHDR(4), 0x04, 0x04, 0, 1, 0, 2, 0x05, 0x0c, AUTH_B,
					    0x01, 0x06, 0, 0, 0, 0, 0, 0 };
	expect("PadN after BAD", padafter, sizeof padafter, NULL, 0, MK_E_MH_PAD_AFTER_BAD, 32);
	static const uint8_t pad1after[] = { BUHDR(4), 0x04, 0x04, 0, 1, 0, 2, 0x05, 0x0c, AUTH_B,
					     0, 0, 0, 0, 0, 0, 0, 0 };
	expect("Pad1 after BAD", pad1after, sizeof pad1after, NULL, 0, MK_E_MH_PAD_AFTER_BAD, 32);

	static const uint8_t len_bra[] = { BAHDR(2), 0x02, 0x03, 0x00, 0x10, 0x00,
					   0x01, 0x05, 0, 0, 0, 0, 0 };
	expect("BRA with Len 3", len_bra, sizeof len_bra, NULL, 0, MK_E_MH_OPT_BAD_LEN, 13);
	static const uint8_t len_acoa[] = { BUHDR(3), 0x01, 0x00, 0x03, 0x0c, 0x20, 0x01, 0x0d, 0xb8,
					    0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 0, 0 };
	expect("Alternate CoA with Len 12", len_acoa, sizeof len_acoa, NULL, 0, MK_E_MH_OPT_BAD_LEN,
	       15);
	static const uint8_t len_bad[] = { BUHDR(3), 0x04, 0x04, 0, 1, 0, 2,
					   0x05, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00 };
	expect("BAD with Len 10", len_bad, sizeof len_bad, NULL, 0, MK_E_MH_OPT_BAD_LEN, 19);
	static const uint8_t len_ni[] = { BUHDR(1), 0x04, 0x02, 0x00, 0x01 };
	expect("Nonce Indices with Len 2", len_ni, sizeof len_ni, NULL, 0, MK_E_MH_OPT_BAD_LEN, 13);
	static const uint8_t len_rp[] = { BUHDR(2), 0x01, 0x04, 0, 0, 0, 0, 0x0a, 0x04, 1, 2, 3, 4 };
	expect("Replay Protection with Len 4", len_rp, sizeof len_rp, NULL, 0, MK_E_MH_OPT_BAD_LEN,
	       19);
	static const uint8_t len_auth[] = { BUHDR(3), 0x00, 0x09, 0x0a, 0x01, 0, 0, 1, 0,
					    1, 2, 3, 4, 5, 0x01, 0x05, 0, 0, 0, 0, 0 };
	expect("MN-HA auth with Len 10 (needs 17)", len_auth, sizeof len_auth, NULL, 0,
	       MK_E_MH_OPT_BAD_LEN, 14);

	static const uint8_t na_bra[] = { BUHDR(1), 0x02, 0x02, 0x00, 0x10 };
	expect("BRA in a BU", na_bra, sizeof na_bra, NULL, 0, MK_E_MH_OPT_NOT_ALLOWED, 12);
	static const uint8_t na_acoa[] = { BAHDR(3), 0x01, 0x00, 0x03, 0x10, COA_B };
	expect("Alternate CoA in a BA", na_acoa, sizeof na_acoa, NULL, 0, MK_E_MH_OPT_NOT_ALLOWED,
	       14);
	static const uint8_t na_ni[] = { BAHDR(3), 0x04, 0x04, 0, 1, 0, 2, 0x05, 0x0c, AUTH_B };
	expect("Nonce Indices in a BA", na_ni, sizeof na_ni, NULL, 0, MK_E_MH_OPT_NOT_ALLOWED, 12);
	static const uint8_t na_mha[] = { BAHDR(3), 0x01, 0x00, 0x12, 0x10, HA1_B };
	expect("MHA in a BA", na_mha, sizeof na_mha, NULL, MK_MH_PARSE_EXP_AS_MHA,
	       MK_E_MH_OPT_NOT_ALLOWED, 14);
	static const uint8_t na_aaa[] = { BAHDR(2), 0x00, 0x09, 0x05, 0x02, 0, 0, 0, 5,
					  0x01, 0x02, 0, 0 };
	expect("MN-AAA auth in a BA", na_aaa, sizeof na_aaa, NULL, 0, MK_E_MH_OPT_NOT_ALLOWED, 13);
	static const uint8_t na_has[] = { 0x3b, 0x03, 0x0c, 0, 0, 0, 0, 0, 0x01, 0x02, 0, 0,
					  0, 0, 0x03, 0x10, COA_B };
	expect("Alternate CoA in a HA Switch", na_has, sizeof na_has, NULL, 0,
	       MK_E_MH_OPT_NOT_ALLOWED, 14);
	static const uint8_t na_brr[] = { 0x3b, 0x02, 0x00, 0, 0, 0, 0, 0, 0x01, 0x00,
					  0x05, 0x0c, AUTH_B };
	expect("BAD in a BRR", na_brr, sizeof na_brr, NULL, 0, MK_E_MH_OPT_NOT_ALLOWED, 10);

	static const uint8_t mha0[] = { BUHDR(1), 0x01, 0x00, 0x12, 0x00 };
	expect("MHA with 0 addresses", mha0, sizeof mha0, NULL, MK_MH_PARSE_EXP_AS_MHA,
	       MK_E_MH_MHA_EMPTY, 15);
	uint8_t mha20[40] = { BUHDR(4), 0x01, 0x00, 0x12, 0x14 };
	mha20[36] = 0x01;
	mha20[37] = 0x02; /* PadN(4) at 36 */
	expect("MHA with Len 20 (not a multiple of 16)", mha20, sizeof mha20, NULL,
	       MK_MH_PARSE_EXP_AS_MHA, MK_E_MH_OPT_BAD_LEN, 15);

	static const uint8_t niwo[] = { BUHDR(2), 0x04, 0x04, 0, 1, 0, 2, 0x01, 0x04, 0, 0, 0, 0 };
	expect("Nonce Indices without BAD", niwo, sizeof niwo, NULL, 0, MK_E_MH_NI_WITHOUT_BAD, 12);

	static const uint8_t authnl[] = { BUHDR(4), 0x00, 0x09, 0x11, 0x01, 0, 0, 1, 0, AUTH_B,
					  0x12, 0x00, 0x01, 0x04, 0, 0, 0, 0 };
	expect("Experimental option after MN-HA auth", authnl, sizeof authnl, NULL, 0,
	       MK_E_MH_AUTH_NOT_LAST, 32);

	uint8_t many[80] = { BUHDR(9) };
	for (int i = 0; i < 33; i++)
		many[12 + 2 * i] = 0x12; /* 33 empty Experimental options */
	many[78] = 0x01;                 /* PadN(2) */
	expect("33 options (bound 32)", many, sizeof many, NULL, 0, MK_E_TOO_MANY, 12 + 32 * 2);
}

static void test_build_errors(void)
{
	uint8_t out[MK_MH_MAX_LEN];
	size_t n;
	struct mk_mh m;
	struct mk_status st;

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.lifetime = 1;
	n = 99;
	st = mk_mh_build(out, 10, NULL, &m, &n);
	tap_ok(st.err == MK_E_NOSPACE && n == 0, "build into 10 octets: NOSPACE, length 0");

	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_BAD);
	add(&m, MK_MHO_NONCE);
	n = 99;
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_MH_BAD_NOT_LAST && st.off == 32 && n == 0,
	       "build BAD then Nonce Indices: BAD_NOT_LAST where NI would start (32)");

	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_MHA);
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_MH_MHA_EMPTY && n == 0, "build MHA with no address: MHA_EMPTY");

	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_BRA);
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_MH_OPT_NOT_ALLOWED && st.off == 12 && n == 0,
	       "build BRA in a BU: NOT_ALLOWED at 12");

	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_NONCE);
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_MH_NI_WITHOUT_BAD && st.off == 12 && n == 0,
	       "build Nonce Indices without BAD: NI_WITHOUT_BAD at 12");

	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_PAD1);
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_INVAL && n == 0, "build with an explicit Pad1 (not verbatim): INVAL");

	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_UNKNOWN)->type = 3;
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_INVAL && n == 0, "build an 'unknown' option of type 3: INVAL");

	mk_mh_init(&m, MK_MH_EXP);
	add(&m, MK_MHO_EXP);
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_INVAL && n == 0, "build options in an Experimental MH: INVAL");

	mk_mh_init(&m, MK_MH_BA);
	struct mk_mh_opt *o = add(&m, MK_MHO_AUTH);
	o->v.auth.subtype = MK_MH_AUTH_MNAAA;
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_MH_OPT_NOT_ALLOWED && n == 0, "build MN-AAA auth in a BA: NOT_ALLOWED");

	/* verbatim: craft what the normal builder refuses */
	struct mk_mh p;
	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_ALTCOA)->v.altcoa = coa;
	st = mk_mh_build_ex(out, sizeof out, NULL, MK_MH_BUILD_VERBATIM, &m, &n);
	struct mk_status ps = mk_mh_parse(out, n, NULL, &p);
	tap_ok(st.err == MK_E_OK && n == 32 && out[12] == 0x03 && ps.err == MK_E_MH_OPT_MISALIGNED &&
		       ps.off == 12,
	       "verbatim build: Alternate CoA at 12, which the parser rejects as misaligned");
	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_PAD1);
	add(&m, MK_MHO_PADN)->v.raw.len = 1;
	o = add(&m, MK_MHO_NONCE);
	o->len = 2; /* wrong Len octet on purpose */
	st = mk_mh_build_ex(out, sizeof out, NULL, MK_MH_BUILD_VERBATIM, &m, &n);
	ps = mk_mh_parse(out, n, NULL, &p);
	tap_ok(st.err == MK_E_OK && out[12] == 0 && out[13] == 1 && out[14] == 1 && out[17] == 2 &&
		       ps.err == MK_E_MH_OPT_BAD_LEN && ps.off == 17,
	       "verbatim build: Pad1, PadN(3), Nonce Indices with Len 2 -> BAD_LEN at 17");
}

static void test_seq(void)
{
	int wrong = 0;
	for (unsigned s = 0; s <= 0xffff; s++) {
		bool want = s >= 16 && s <= 32782;
		if (mk_mh_seq_newer((uint16_t)s, 15) != want)
			wrong++;
	}
	tap_is_int(wrong, 0, "last=15: exactly 16..32782 are newer, 0..15 and 32783..65535 not");
	tap_ok(!mk_mh_seq_newer(0, 15) && !mk_mh_seq_newer(15, 15) && mk_mh_seq_newer(16, 15),
	       "last=15: 0 and 15 not newer, 16 newer");
	tap_ok(mk_mh_seq_newer(32782, 15) && !mk_mh_seq_newer(32783, 15) &&
		       !mk_mh_seq_newer(65535, 15),
	       "last=15: 32782 newer, 32783 and 65535 not");
	tap_ok(mk_mh_seq_newer(0, 65535) && mk_mh_seq_newer(32766, 65535) &&
		       !mk_mh_seq_newer(32767, 65535),
	       "wrap: after 65535, 0..32766 are newer, 32767 is not");
	tap_ok(mk_mh_seq_newer(100, 65000) && !mk_mh_seq_newer(65000, 100),
	       "wrap: 100 is newer than 65000, not the reverse");
	tap_ok(!mk_mh_seq_newer(32768, 0) && mk_mh_seq_newer(32767, 0) && !mk_mh_seq_newer(0, 0),
	       "last=0: 32767 newer, 32768 (half way) and 0 not");
}

static void test_names(void)
{
	char buf[64];

	tap_is_str(mk_mh_bu_flags_str(0xf008, NULL, buf, sizeof buf), "A,H,L,K,MHA",
		   "BU flags A|H|L|K|0x0008, default profile");
	tap_is_str(mk_mh_bu_flags_str(0xc800, &paper, buf, sizeof buf), "A,H,M(mha)",
		   "BU flags A|H|0x0800, paper profile: M is the MHA flag");
	tap_is_str(mk_mh_bu_flags_str(0x0800, NULL, buf, sizeof buf), "M",
		   "BU flag 0x0800, default profile: HMIPv6 M");
	tap_is_str(mk_mh_bu_flags_str(0x0008, &paper, buf, sizeof buf), "0x0008",
		   "BU flag 0x0008, paper profile: unassigned");
	tap_is_str(mk_mh_bu_flags_str(0x0004, NULL, buf, sizeof buf), "0x0004",
		   "BU flag 0x0004: unassigned, printed in hex");
	tap_is_str(mk_mh_bu_flags_str(0xfff0, NULL, buf, sizeof buf), "A,H,L,K,M,R,P,F,T,B,S,D",
		   "BU: every IANA flag in order");
	tap_is_str(mk_mh_bu_flags_str(0, NULL, buf, sizeof buf), "none", "BU flags 0: none");
	tap_is_str(mk_mh_bu_flags_str(0xc000, NULL, buf, 4), "A,H", "BU flags truncated to cap");
	tap_is_str(mk_mh_ba_flags_str(0xfe, buf, sizeof buf), "K,R,P,T,B,S,D",
		   "BA: every IANA flag in order");
	tap_is_str(mk_mh_ba_flags_str(0x81, buf, sizeof buf), "K,0x01", "BA flag 0x01 unassigned");
	tap_ok(mk_mh_bu_flag_name(0x0008, NULL) && !strcmp(mk_mh_bu_flag_name(0x0008, NULL), "MHA") &&
		       mk_mh_bu_flag_desc(0x0008, NULL) && !mk_mh_bu_flag_name(0x0008, &paper) &&
		       !strcmp(mk_mh_bu_flag_name(0x0800, &paper), "M(mha)"),
	       "single BU flag names follow the profile");

	tap_is_str(mk_mh_ba_status_name(0), "Binding Update accepted", "BA status 0");
	tap_is_str(mk_mh_ba_status_name(1), "Accepted but prefix discovery necessary", "BA status 1");
	tap_is_str(mk_mh_ba_status_name(6), "PBU_ACCEPTED_TB_IGNORED_SETTINGSMISMATCH", "BA status 6");
	tap_is_str(mk_mh_ba_status_name(128), "Reason unspecified", "BA status 128");
	tap_is_str(mk_mh_ba_status_name(135), "Sequence number out of window", "BA status 135");
	tap_is_str(mk_mh_ba_status_name(139), "Registration type change disallowed", "BA status 139");
	tap_is_str(mk_mh_ba_status_name(146), "MIPV6-AUTH-FAIL", "BA status 146 (RFC 4285)");
	tap_is_str(mk_mh_ba_status_name(174), "Invalid Care-of Address", "BA status 174");
	tap_is_str(mk_mh_ba_status_name(180), "CANNOT_SUPPORT_MULTIPATH_BINDING", "BA status 180");
	int named = 0;
	for (int s = 0; s < 256; s++)
		named += mk_mh_ba_status_name((uint8_t)s) != NULL;
	tap_ok(named == 7 + 53 && !mk_mh_ba_status_name(7) && !mk_mh_ba_status_name(127) &&
		       !mk_mh_ba_status_name(181),
	       "BA status: 0..6 and 128..180 named, 7..127 and 181..255 not");
	tap_ok(mk_mh_be_status_name(1) && mk_mh_be_status_name(2) && !mk_mh_be_status_name(0) &&
		       !mk_mh_be_status_name(3) &&
		       !strcmp(mk_mh_be_status_name(2), "Unrecognized MH Type value"),
	       "BE status 1 and 2 named, others not");
	tap_ok(!strcmp(mk_mh_type_name(5), "Binding Update") &&
		       !strcmp(mk_mh_type_name(12), "Home Agent Switch") &&
		       !strcmp(mk_mh_type_abbrev(1), "HoTI") && !mk_mh_type_name(24),
	       "MH type names (IANA 0..23)");
	tap_ok(!strcmp(mk_mh_opt_name(18), "Experimental Mobility Option") &&
		       !strcmp(mk_mh_opt_name(10), "Mobility Message Replay Protection") &&
		       !strcmp(mk_mh_opt_name(70), "DLIF Link-Layer Address") && !mk_mh_opt_name(71) &&
		       !strcmp(mk_mh_opt_kind_name(MK_MHO_MHA), "Multiple Home Agents") &&
		       mk_mh_auth_subtype_name(1) && !mk_mh_auth_subtype_name(3),
	       "option names (IANA 0..70), kinds, auth subtypes");
	tap_is_str(mk_strerror(MK_E_MH_PADN_NONZERO), "PadN carries non-zero octets",
		   "error text of PADN_NONZERO");
}

static void test_lifetime(void)
{
	tap_ok(mk_mh_lifetime_sec(150) == 600 && mk_mh_lifetime_sec(0xffff) == 262140,
	       "lifetime units to seconds (x4)");
	tap_ok(mk_mh_lifetime_units(0) == 0 && mk_mh_lifetime_units(1) == 1 &&
		       mk_mh_lifetime_units(4) == 1 && mk_mh_lifetime_units(5) == 2 &&
		       mk_mh_lifetime_units(600) == 150,
	       "seconds to units: 0 stays 0, others round up");
	tap_ok(mk_mh_lifetime_units(262140) == 0xffff && mk_mh_lifetime_units(262141) == 0xffff &&
		       mk_mh_lifetime_units(0xffffffffu) == 0xffff,
	       "seconds to units: capped at 0xffff");
}

/* draft-ietf-mip6-hareliability-06 (mh.h): HARP, State Sync, the Binding
 * Cache Information option, and RFC 4285 options in the HA Switch */
static void test_harp(void)
{
	struct mk_mh m, p;
	struct mk_mh_opt *o;
	struct mk_codepoints cp;
	struct mk_status st;
	uint8_t out[MK_MH_MAX_LEN];
	size_t n;

	static const uint8_t hello[] = {
		0x3b, 2, 240, 0, 0, 0, /* proto, HLen 2, type harp-mh-type (240), rsvd, cksum */
		4, 7,                  /* HA-HELLO, group 7 */
		0x01, 0x2c,            /* seq 300 */
		0xc0, 0,               /* flags A R, status 0 */
		0x00, 0x0a,            /* preference 10 */
		0x00, 0x3c,            /* lifetime 60 */
		0x03, 0xe8,            /* hello interval 1000 */
		1, 4, 0, 0, 0, 0,      /* PadN to 24 */
	};
	mk_mh_init_harp(&m, NULL, MK_MHM_HARP);
	m.u.harp.type = MK_HARP_HELLO;
	m.u.harp.group = 7;
	m.u.harp.seq = 300;
	m.u.harp.flags = MK_HARP_A | MK_HARP_R;
	m.u.harp.pref = 10;
	m.u.harp.lifetime = 60;
	m.u.harp.hello = 1000;
	tap_ok(m.type == 240 && m.msg == MK_MHM_HARP, "HARP: mk_mh_init_harp takes harp-mh-type (240)");
	golden("HARP HA-HELLO", NULL, 0, &m, hello, sizeof hello);
	golden("HARP HA-HELLO, paper profile (the same number)", &paper, 0, &m, hello, sizeof hello);

	static const uint8_t ssrep[] = {
		0x3b, 6, 241, 0, 0, 0, /* HLen 6, type harp-ss-mh-type (241) */
		1, 0x80, 0x12, 0x34,   /* SS-REP, A (ack requested), id 0x1234 */
		240, 40,               /* Binding Cache Information, full (8n+2) */
		0xc0, 0x00, 0x00, 0x07, /* flags A H, seq 7 */
		HOA_B, COA_B,
		0x00, 0x3c, 0x00, 0x00, /* lifetime 60 units, reserved */
		1, 2, 0, 0,            /* PadN to 56 */
	};
	mk_mh_init_harp(&m, NULL, MK_MHM_SS);
	m.u.ss.type = MK_SS_REP;
	m.u.ss.flags = MK_SS_A;
	m.u.ss.id = 0x1234;
	o = add(&m, MK_MHO_BCI);
	o->v.bci.full = true;
	o->v.bci.flags = 0xc000;
	o->v.bci.seq = 7;
	o->v.bci.hoa = hoa;
	o->v.bci.coa = coa;
	o->v.bci.lifetime = 60;
	golden("State Sync REP with a full Binding Cache Information", NULL, 0, &m, ssrep, sizeof ssrep);

	static const uint8_t ssreq[] = {
		0x3b, 3, 241, 0, 0, 0,
		0, 0x80, 0x00, 0x01,   /* SS-REQ, A, id 1 */
		1, 2, 0, 0,            /* PadN: the short option goes at 8n+6 */
		240, 16, HOA_B,        /* Binding Cache Information, home address only */
	};
	mk_mh_init_harp(&m, NULL, MK_MHM_SS);
	m.u.ss.type = MK_SS_REQ;
	m.u.ss.flags = MK_SS_A;
	m.u.ss.id = 1;
	o = add(&m, MK_MHO_BCI);
	o->v.bci.hoa = hoa;
	golden("State Sync REQ with a short Binding Cache Information", NULL, 0, &m, ssreq, sizeof ssreq);

	/* every cut of the messages fails, none reads past its length */
	int cut_ok = 1;
	for (size_t k = 0; k < sizeof hello; k++)
		if (mk_mh_parse(hello, k, NULL, &p).err == MK_E_OK)
			cut_ok = 0;
	for (size_t k = 0; k < sizeof ssrep; k++)
		if (mk_mh_parse(ssrep, k, NULL, &p).err == MK_E_OK)
			cut_ok = 0;
	tap_ok(cut_ok, "HARP, State Sync: no truncation parses");
	/* Header Len too short for the fixed part */
	uint8_t b[64];
	memcpy(b, hello, 16);
	b[1] = 1;
	expect("HARP with Header Len 1", b, 16, NULL, 0, MK_E_MH_HLEN_SHORT, 1);
	/* a BCI of another length */
	memcpy(b, ssrep, sizeof ssrep);
	b[11] = 36;
	b[48] = 1; /* the rest: PadN of 2 (zeros follow) */
	b[49] = 2;
	expect("BCI with Len 36", b, sizeof ssrep, NULL, 0, MK_E_MH_OPT_BAD_LEN, 11);
	/* the short form at the full form's alignment */
	static const uint8_t misal[] = { 0x3b, 3, 241, 0, 0, 0, 0, 0, 0, 1, 240, 16, HOA_B, 1, 2, 0, 0 };
	expect("short BCI at 8n+2", misal, sizeof misal, NULL, 0, MK_E_MH_OPT_MISALIGNED, 10);
	/* type 240 as an option of the HARP message is not BCI (State Sync only) */
	static const uint8_t inharp[] = { 0x3b, 2, 240, 0, 0, 0, 4, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
					  240, 4, 1, 2, 3, 4 };
	st = mk_mh_parse(inharp, sizeof inharp, NULL, &p);
	tap_ok(st.err == MK_E_OK && p.msg == MK_MHM_HARP && p.nopts == 1 &&
		       p.opts[0].kind == MK_MHO_UNKNOWN && p.opts[0].type == 240,
	       "option 240 in a HARP message: unknown, kept");
	/* BCI in a BU: not allowed */
	mk_mh_init(&m, MK_MH_BU);
	add(&m, MK_MHO_BCI)->v.bci.hoa = hoa;
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_MH_OPT_NOT_ALLOWED, "BCI in a BU: not built (%s)", mk_errname(st.err));

	/* codepoints: 0 turns HARP off, an override moves it, RFC types win */
	mk_cp_profile(&cp, "default");
	mk_cp_set(&cp, "harp-mh-type=0");
	st = mk_mh_parse(hello, sizeof hello, &cp, &p);
	tap_ok(st.err == MK_E_MH_UNKNOWN_TYPE && p.msg == MK_MHM_STD,
	       "harp-mh-type=0: type 240 is unknown (%s)", mk_errname(st.err));
	mk_cp_set(&cp, "harp-mh-type=210");
	memcpy(b, hello, sizeof hello);
	b[2] = 210;
	st = mk_mh_parse(b, sizeof hello, &cp, &p);
	tap_ok(st.err == MK_E_OK && p.msg == MK_MHM_HARP && p.u.harp.hello == 1000,
	       "harp-mh-type=210: type 210 is HARP");
	mk_cp_set(&cp, "harp-mh-type=5");
	static const uint8_t bu[] = { 0x3b, 1, 5, 0, 0, 0, 0, 1, 0xc0, 0, 0, 1, 1, 2, 0, 0 };
	st = mk_mh_parse(bu, sizeof bu, &cp, &p);
	tap_ok(st.err == MK_E_OK && p.msg == MK_MHM_STD && p.u.bu.seq == 1,
	       "harp-mh-type=5: a BU stays a BU");

	/* RFC 4285 options in the HA Switch (mobd's hard switch) */
	mk_mh_init(&m, MK_MH_HAS);
	m.u.has.n = 1;
	m.u.has.addrs = ha_pair;
	o = add(&m, MK_MHO_REPLAY);
	o->v.replay = 0x0102030405060708ull;
	o = add(&m, MK_MHO_AUTH);
	o->v.auth.subtype = MK_MH_AUTH_MNHA;
	o->v.auth.spi = 0x1234;
	o->v.auth.data = authv;
	o->v.auth.len = sizeof authv;
	st = mk_mh_build(out, sizeof out, NULL, &m, &n);
	tap_ok(st.err == MK_E_OK, "HA Switch with replay and MN-HA options builds (%s)", mk_errname(st.err));
	st = mk_mh_parse(out, n, NULL, &p);
	tap_ok(st.err == MK_E_OK && mk_mh_same(&p, &m) && out[26] == MK_MHOPT_REPLAY,
	       "... and parses back the same");
	tap_ok(!strcmp(mk_mh_opt_kind_name(MK_MHO_BCI), "Binding Cache Information"),
	       "option kind name: Binding Cache Information");
}

int main(void)
{
	tap_plan(196);
	addr(&hoa, "2001:db8:1::100");
	addr(&coa, "2001:db8:2::200");
	addr(&ha1, "2001:db8:1::1");
	addr(&ha2, "2001:db8:1::2");
	if (mk_cp_profile(&paper, "paper").err != MK_E_OK)
		tap_diag("cannot load the paper profile");

	test_messages();
	test_options();
	test_cksum();
	test_malformed();
	test_build_errors();
	test_seq();
	test_names();
	test_lifetime();
	test_harp();
	return tap_done();
}
