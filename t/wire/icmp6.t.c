/* t/wire/icmp6.t.c: the ICMPv6 codec (lib/wire/icmp6.h).
 *
 * Golden bytes are written here by hand from the RFC layouts (RFC 4443,
 * RFC 4861, RFC 6275 sections 6.5-6.8 and 7.1-7.4) and from mobkit's
 * definition of Home Agent Unreachable (icmp6.h), one comment per field.
 * The checksum is checked against a value computed by hand and against a
 * separate byte-wise summing loop written in this file. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "t/lib/tap.h"
#include "t/lib/refcksum.h"
#include "wire/codepoints.h"
#include "wire/icmp6.h"

static struct mk_icmp6 m, m2;
static uint8_t out[4096];
static struct mk_codepoints paper;

static struct in6_addr a6(const char *s)
{
	struct in6_addr a;
	if (inet_pton(AF_INET6, s, &a) != 1)
		memset(&a, 0xee, sizeof a);
	return a;
}

/* One check: parse fails with exactly err at off. */
static void expect_err(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
		       enum mk_err err, size_t off, const char *what)
{
	struct mk_status st = mk_icmp6_parse(buf, len, cp, &m);
	if (!tap_ok(st.err == err && st.off == off, "%s: %s at offset %zu", what,
		    mk_errname(err), off))
		tap_diag("got %s at offset %zu", mk_errname(st.err), st.off);
}

/* One check: build fails with err at off and *outlen = 0. */
static void expect_build_err(const struct mk_codepoints *cp, const struct mk_icmp6 *in,
			     size_t cap, enum mk_err err, size_t off, const char *what)
{
	size_t n = 12345;
	struct mk_status st = mk_icmp6_build(out, cap, cp, in, &n);
	if (!tap_ok(st.err == err && st.off == off && n == 0,
		    "%s: build fails with %s at offset %zu, length 0", what, mk_errname(err), off))
		tap_diag("got %s at offset %zu, length %zu", mk_errname(st.err), st.off, n);
}

/* Two checks: golden parses, and building the parse gives golden back. */
static void round_trip(const uint8_t *g, size_t len, const struct mk_codepoints *cp,
		       const char *what)
{
	struct mk_status st = mk_icmp6_parse(g, len, cp, &m2);
	tap_ok(st.err == MK_E_OK, "%s: golden bytes parse", what);
	size_t n = 0;
	st = mk_icmp6_build(out, sizeof out, cp, &m2, &n);
	tap_ok(st.err == MK_E_OK && n == len && memcmp(out, g, len) == 0,
	       "%s: build(parse(golden)) == golden", what);
}

/* One check: built bytes are the golden ones. */
static void built_is(const struct mk_codepoints *cp, const struct mk_icmp6 *in,
		     const uint8_t *g, size_t len, const char *what)
{
	size_t n = 0;
	struct mk_status st = mk_icmp6_build(out, sizeof out, cp, in, &n);
	if (st.err != MK_E_OK || n != len) {
		tap_ok(0, "%s: golden bytes", what);
		tap_diag("build: %s at %zu, length %zu (want %zu)", mk_errname(st.err), st.off, n, len);
		return;
	}
	tap_is_mem(out, g, len, "%s: golden bytes", what);
}

/* ---------------------------------------------------------------- */

static const uint8_t g_dhaad_req[] = {
	0x90,       /* Type 144: DHAAD Request */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum: left 0 by the builder */
	0x12, 0x34, /* Identifier 0x1234 */
	0x80, 0x00, /* Reserved, with NEMO's R flag 0x8000 (RFC 3963) */
};

static const uint8_t g_dhaad_rep[] = {
	0x91,       /* Type 145: DHAAD Reply */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum */
	0x12, 0x34, /* Identifier copied from the request */
	0x00, 0x00, /* Reserved */
	/* 8: Home Agent Address 1 = 2001:db8::1 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
	/* 24: Home Agent Address 2 = 2001:db8::2 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02,
};

static const uint8_t g_mps[] = {
	0x92,       /* Type 146: Mobile Prefix Solicitation */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum */
	0xab, 0xcd, /* Identifier */
	0x00, 0x00, /* Reserved */
};

static const uint8_t g_mpa[] = {
	0x93,       /* Type 147: Mobile Prefix Advertisement */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum */
	0xab, 0xcd, /* Identifier copied from the MPS */
	0xc0, 0x00, /* M 0x8000 | O 0x4000, Reserved 0 */
	/* 8: Prefix Information option (RFC 4861 4.6.2, RFC 6275 7.2) */
	0x03,                   /* Type 3 */
	0x04,                   /* Length 4 (32 octets) */
	0x40,                   /* Prefix Length 64 */
	0xe0,                   /* L 0x80 | A 0x40 | R 0x20, Reserved1 0 */
	0x00, 0x00, 0x0e, 0x10, /* Valid Lifetime 3600 s */
	0x00, 0x00, 0x07, 0x08, /* Preferred Lifetime 1800 s */
	0x00, 0x00, 0x00, 0x00, /* Reserved2 */
	/* 24: Prefix, a full router address because R is set: 2001:db8:0:1::1 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x01,
};

static const uint8_t g_ra[] = {
	0x86,                   /* Type 134: Router Advertisement */
	0x00,                   /* Code 0 */
	0x00, 0x00,             /* Checksum */
	0x40,                   /* Cur Hop Limit 64 */
	0x60,                   /* O 0x40 | H 0x20 (home agent, RFC 6275 7.1) */
	0x07, 0x08,             /* Router Lifetime 1800 s */
	0x00, 0x00, 0x75, 0x30, /* Reachable Time 30000 ms */
	0x00, 0x00, 0x03, 0xe8, /* Retrans Timer 1000 ms */
	/* 16: Source Link-layer Address option */
	0x01, 0x01,                         /* Type 1, Length 1 */
	0x02, 0x00, 0x5e, 0x00, 0x53, 0x01, /* 02:00:5e:00:53:01 */
	/* 24: Prefix Information option */
	0x03, 0x04,             /* Type 3, Length 4 */
	0x40,                   /* Prefix Length 64 */
	0xa0,                   /* L 0x80 | R 0x20 */
	0xff, 0xff, 0xff, 0xff, /* Valid Lifetime: infinity */
	0x00, 0x09, 0x3a, 0x80, /* Preferred Lifetime 604800 s */
	0x00, 0x00, 0x00, 0x00, /* Reserved2 */
	0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0, 0, 0x01,
	/* 56: MTU option */
	0x05, 0x01,             /* Type 5, Length 1 */
	0x00, 0x00,             /* Reserved */
	0x00, 0x00, 0x05, 0xdc, /* MTU 1500 */
	/* 64: Advertisement Interval option (RFC 6275 7.3) */
	0x07, 0x01,             /* Type 7, Length 1 */
	0x00, 0x00,             /* Reserved */
	0x00, 0x00, 0x0b, 0xb8, /* Advertisement Interval 3000 ms */
	/* 72: Home Agent Information option (RFC 6275 7.4) */
	0x08, 0x01,             /* Type 8, Length 1 */
	0x80, 0x00,             /* Reserved, NEMO R flag 0x8000 */
	0x00, 0x0a,             /* Home Agent Preference 10 */
	0x0e, 0x10,             /* Home Agent Lifetime 3600 s */
	/* 80: an unassigned option type, 200, Length 1: skipped and listed */
	0xc8, 0x01, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01,
};

static const uint8_t g_hau_default[] = {
	0xc9,       /* Type 201: Home Agent Unreachable, default profile */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum */
	0x00, 0x2a, /* Identifier 42 */
	0x00, 0x00, /* Reserved */
	/* 8: unreachable home agent 2001:db8::10 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	/* 24: unreachable home agent 2001:db8::11 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11,
};

static const uint8_t g_hau_paper[] = {
	0x9a,       /* Type 154: Home Agent Unreachable, paper profile */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum */
	0x00, 0x2a, /* Identifier 42 */
	0x00, 0x00, /* Reserved */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x10,
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x11,
};

static const uint8_t g_pp[] = {
	0x04,                   /* Type 4: Parameter Problem */
	0x02,                   /* Code 2: unrecognized IPv6 option */
	0x00, 0x00,             /* Checksum */
	0x00, 0x00, 0x00, 0x2e, /* Pointer 46: the HAO type octet */
	/* 8: invoking packet: IPv6 header ... */
	0x60, 0x00, 0x00, 0x00, /* version 6 */
	0x00, 0x18, 0x3c, 0x40, /* payload 24, next header 60 (DestOpt), hop limit 64 */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x99, /* src */
	0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, /* dst */
	/* ... and the first 8 octets of its Destination Options header */
	0x3b, 0x02, 0x01, 0x02, 0x00, 0x00, 0xc9, 0x10,
};

static const uint8_t g_du[] = {
	0x01,                   /* Type 1: Destination Unreachable */
	0x04,                   /* Code 4: port unreachable */
	0x00, 0x00,             /* Checksum */
	0x00, 0x00, 0x00, 0x00, /* Unused */
	0x60, 0x00, 0x00, 0x00, 0x00, 0x08, 0x11, 0x40, /* start of invoking packet */
};

static const uint8_t g_echo[] = {
	0x80,       /* Type 128: Echo Request */
	0x00,       /* Code 0 */
	0x00, 0x00, /* Checksum */
	0x00, 0x01, /* Identifier 1 */
	0x00, 0x02, /* Sequence Number 2 */
	'p', 'i', 'n', 'g', /* Data */
};

static const uint8_t g_ptb[] = {
	0x02,                   /* Type 2: Packet Too Big */
	0x00,                   /* Code 0 */
	0x00, 0x00,             /* Checksum */
	0x00, 0x00, 0x05, 0x00, /* MTU 1280 */
	0x60, 0x00, 0x00, 0x00, /* start of invoking packet */
};

static const uint8_t g_fmip[] = {
	0x9a,       /* Type 154: FMIPv6 (default profile: not decoded) */
	0x02,       /* Code */
	0x00, 0x00, /* Checksum */
	0x02, 0x00, 0x00, 0x07, /* Subtype 2 (RtSolPr), Reserved, Identifier */
};

/* ---------------------------------------------------------------- */

static void test_dhaad(void)
{
	struct mk_icmp6 in;
	struct mk_status st;

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_DHAAD_REQUEST;
	in.u.ident.id = 0x1234;
	in.u.ident.reserved = MK_ICMP6_DHAAD_R;
	built_is(NULL, &in, g_dhaad_req, sizeof g_dhaad_req, "DHAAD Request");
	st = mk_icmp6_parse(g_dhaad_req, sizeof g_dhaad_req, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_DHAAD_REQUEST && m.type == 144 &&
	       m.u.ident.id == 0x1234 && (m.u.ident.reserved & MK_ICMP6_DHAAD_R),
	       "DHAAD Request parses: kind, type 144, identifier, R flag reported");
	tap_is_int(m.warn, 0, "DHAAD Request: the NEMO R flag is not a reserved-bit warning");
	round_trip(g_dhaad_req, sizeof g_dhaad_req, NULL, "DHAAD Request");

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_DHAAD_REPLY;
	in.u.ident.id = 0x1234;
	in.n_addrs = 2;
	in.addrs[0] = a6("2001:db8::1");
	in.addrs[1] = a6("2001:db8::2");
	built_is(NULL, &in, g_dhaad_rep, sizeof g_dhaad_rep, "DHAAD Reply with 2 home agents");
	st = mk_icmp6_parse(g_dhaad_rep, sizeof g_dhaad_rep, NULL, &m);
	struct in6_addr x = a6("2001:db8::2");
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_DHAAD_REPLY && m.n_addrs == 2 &&
	       memcmp(&m.addrs[1], &x, 16) == 0,
	       "DHAAD Reply parses: address count from the length, second address 2001:db8::2");
	round_trip(g_dhaad_rep, sizeof g_dhaad_rep, NULL, "DHAAD Reply");

	/* empty reply is legal */
	st = mk_icmp6_parse(g_dhaad_rep, 8, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.n_addrs == 0, "DHAAD Reply with no address parses (N = 0)");

	/* malformations */
	uint8_t b[1100];
	expect_err(b, 0, NULL, MK_E_TRUNC, 0, "empty buffer");
	expect_err(g_dhaad_req, 1, NULL, MK_E_TRUNC, 1, "1-octet message");
	expect_err(g_dhaad_req, 7, NULL, MK_E_TRUNC, 6, "DHAAD Request cut in Reserved");
	memcpy(b, g_dhaad_req, 8);
	b[1] = 1;
	expect_err(b, 8, NULL, MK_E_ICMP6_CODE, 1, "DHAAD Request with Code 1");
	memcpy(b, g_dhaad_req, 8);
	b[8] = 0;
	expect_err(b, 9, NULL, MK_E_TRAILING, 8, "DHAAD Request with a trailing octet");
	memcpy(b, g_dhaad_rep, sizeof g_dhaad_rep);
	expect_err(b, 8 + 16 + 4, NULL, MK_E_ICMP6_ADDR_LIST_LEN, 24,
		   "DHAAD Reply with 20 octets of addresses");
	b[1] = 3;
	expect_err(b, sizeof g_dhaad_rep, NULL, MK_E_ICMP6_CODE, 1, "DHAAD Reply with Code 3");
	memset(b, 0, sizeof b);
	b[0] = 145;
	expect_err(b, 8 + 16 * 65, NULL, MK_E_TOO_MANY, 8 + 16 * 64,
		   "DHAAD Reply with 65 addresses (bound 64)");
	st = mk_icmp6_parse(b, 8 + 16 * 64, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.n_addrs == 64, "DHAAD Reply with exactly 64 addresses parses");

	/* reserved bits: kept, warned, judged by strict */
	memcpy(b, g_dhaad_req, 8);
	b[7] = 0x01;
	st = mk_icmp6_parse(b, 8, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.u.ident.reserved == 0x8001 &&
	       m.warn == (1u << MK_ICMP6_W_RESERVED) && m.warn_off[MK_ICMP6_W_RESERVED] == 6,
	       "DHAAD Request reserved bit 0x0001: accepted, kept, warning at offset 6");
	st = mk_icmp6_strict(&m);
	tap_ok(st.err == MK_E_ICMP6_W_RESERVED && st.off == 6,
	       "strict check turns it into ICMP6_W_RESERVED at offset 6");
	st = mk_icmp6_parse(g_dhaad_req, 8, NULL, &m);
	st = mk_icmp6_strict(&m);
	tap_is_int(st.err, MK_E_OK, "strict check passes a clean DHAAD Request");
}

static void test_mobile_prefix(void)
{
	struct mk_icmp6 in;
	struct mk_status st;

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_MPS;
	in.u.ident.id = 0xabcd;
	built_is(NULL, &in, g_mps, sizeof g_mps, "Mobile Prefix Solicitation");
	st = mk_icmp6_parse(g_mps, sizeof g_mps, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_MPS && m.u.ident.id == 0xabcd &&
	       m.n_opts == 0, "MPS parses: identifier 0xabcd, no options");
	round_trip(g_mps, sizeof g_mps, NULL, "MPS");

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_MPA;
	in.u.ident.id = 0xabcd;
	in.u.ident.reserved = MK_ICMP6_MPA_M | MK_ICMP6_MPA_O;
	in.n_opts = 1;
	in.opts[0].type = MK_ND_OPT_PREFIX;
	in.opts[0].u.pi.prefix_len = 64;
	in.opts[0].u.pi.flags = MK_ND_PI_L | MK_ND_PI_A | MK_ND_PI_R;
	in.opts[0].u.pi.valid = 3600;
	in.opts[0].u.pi.preferred = 1800;
	in.opts[0].u.pi.prefix = a6("2001:db8:0:1::1");
	built_is(NULL, &in, g_mpa, sizeof g_mpa, "Mobile Prefix Advertisement with a PIO");
	st = mk_icmp6_parse(g_mpa, sizeof g_mpa, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_MPA &&
	       (m.u.ident.reserved & MK_ICMP6_MPA_M) && (m.u.ident.reserved & MK_ICMP6_MPA_O) &&
	       m.n_opts == 1 && m.opts[0].off == 8 && m.opts[0].u.pi.prefix_len == 64 &&
	       m.opts[0].u.pi.flags == 0xe0 && m.opts[0].u.pi.valid == 3600 &&
	       m.opts[0].u.pi.preferred == 1800 && m.warn == 0,
	       "MPA parses: M, O, one PIO at offset 8 with /64, L A R, 3600/1800, no warning");
	round_trip(g_mpa, sizeof g_mpa, NULL, "MPA");

	uint8_t b[64];
	memcpy(b, g_mpa, sizeof g_mpa);
	b[1] = 1;
	expect_err(b, sizeof g_mpa, NULL, MK_E_ICMP6_CODE, 1, "MPA with Code 1");
	memcpy(b, g_mpa, sizeof g_mpa);
	b[9] = 0;
	expect_err(b, sizeof g_mpa, NULL, MK_E_ICMP6_NDOPT_LEN0, 9, "MPA option with Length 0");
	b[9] = 5;
	expect_err(b, sizeof g_mpa, NULL, MK_E_ICMP6_NDOPT_OVERRUN, 9,
		   "MPA option Length 5 overruns the 40-octet message");
	b[9] = 3;
	expect_err(b, 8 + 24, NULL, MK_E_ICMP6_NDOPT_BADLEN, 9, "PIO with Length 3");
	memcpy(b, g_mpa, sizeof g_mpa);
	b[10] = 129;
	expect_err(b, sizeof g_mpa, NULL, MK_E_ICMP6_PREFIX_LEN, 10, "PIO with Prefix Length 129");

	/* MPA without PIO: parses, warning at 8 */
	st = mk_icmp6_parse(g_mpa, 8, NULL, &m);
	tap_ok(st.err == MK_E_OK && (m.warn & (1u << MK_ICMP6_W_MPA_NO_PREFIX)) &&
	       m.warn_off[MK_ICMP6_W_MPA_NO_PREFIX] == 8,
	       "MPA without a Prefix Information option: accepted, warning at offset 8");
	/* reserved bits of MPA */
	memcpy(b, g_mpa, sizeof g_mpa);
	b[6] = 0xe0;
	st = mk_icmp6_parse(b, sizeof g_mpa, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_RESERVED) &&
	       m.warn_off[MK_ICMP6_W_RESERVED] == 6,
	       "MPA with reserved bit 0x2000: accepted, reserved warning at 6");
	/* preferred > valid and reserved2 */
	memcpy(b, g_mpa, sizeof g_mpa);
	b[14] = 0x0f;  /* valid 0x00000f10 */
	b[18] = 0x10;  /* preferred 0x00001008 > valid */
	b[23] = 0x01;  /* Reserved2 = 1 */
	st = mk_icmp6_parse(b, sizeof g_mpa, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn_off[MK_ICMP6_W_PREFERRED_GT_VALID] == 16 &&
	       m.warn_off[MK_ICMP6_W_OPT_RESERVED] == 20 &&
	       m.warn == ((1u << MK_ICMP6_W_PREFERRED_GT_VALID) | (1u << MK_ICMP6_W_OPT_RESERVED)),
	       "PIO preferred > valid (warning at 16) and Reserved2 != 0 (warning at 20)");
	st = mk_icmp6_strict(&m);
	tap_ok(st.err == MK_E_ICMP6_W_PREFERRED_GT_VALID && st.off == 16,
	       "strict check reports the lowest offset first: preferred > valid at 16");
	/* HAI in an MPA is ignored by receivers: not judged */
	static const uint8_t mpa_hai[] = {
		0x93, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x08, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* HAI, lifetime 0 */
	};
	st = mk_icmp6_parse(mpa_hai, sizeof mpa_hai, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.n_opts == 1 && m.opts[0].u.hai.lifetime == 0,
	       "HAI with lifetime 0 in an MPA is ignored, not rejected (RFC 6275 7.4)");
}

static void test_ra(void)
{
	struct mk_icmp6 in;
	struct mk_status st;
	static const uint8_t mac[] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	static const uint8_t unk[] = { 0xde, 0xad, 0xbe, 0xef, 0x00, 0x01 };

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_RA;
	in.u.ra.cur_hop_limit = 64;
	in.u.ra.flags = MK_ICMP6_RA_O | MK_ICMP6_RA_H;
	in.u.ra.router_lifetime = 1800;
	in.u.ra.reachable_ms = 30000;
	in.u.ra.retrans_ms = 1000;
	in.n_opts = 6;
	in.opts[0].type = MK_ND_OPT_SLLA;
	in.opts[0].data = mac;
	in.opts[0].data_len = 6;
	in.opts[1].type = MK_ND_OPT_PREFIX;
	in.opts[1].u.pi.prefix_len = 64;
	in.opts[1].u.pi.flags = MK_ND_PI_L | MK_ND_PI_R;
	in.opts[1].u.pi.valid = 0xffffffffu;
	in.opts[1].u.pi.preferred = 604800;
	in.opts[1].u.pi.prefix = a6("2001:db8:0:1::1");
	in.opts[2].type = MK_ND_OPT_MTU;
	in.opts[2].u.mtu.mtu = 1500;
	in.opts[3].type = MK_ND_OPT_ADVINT;
	in.opts[3].u.advint.interval_ms = 3000;
	in.opts[4].type = MK_ND_OPT_HAINFO;
	in.opts[4].u.hai.reserved = MK_ND_HAI_R;
	in.opts[4].u.hai.pref = 10;
	in.opts[4].u.hai.lifetime = 3600;
	in.opts[5].type = 200;
	in.opts[5].data = unk;
	in.opts[5].data_len = sizeof unk;
	built_is(NULL, &in, g_ra, sizeof g_ra, "RA with SLLA, PIO, MTU, AdvInt, HAI, unknown option");

	st = mk_icmp6_parse(g_ra, sizeof g_ra, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_RA && m.u.ra.cur_hop_limit == 64 &&
	       m.u.ra.flags == 0x60 && m.u.ra.router_lifetime == 1800 &&
	       m.u.ra.reachable_ms == 30000 && m.u.ra.retrans_ms == 1000,
	       "RA parses: hop limit 64, O|H, lifetime 1800, reachable 30000, retrans 1000");
	tap_ok(m.n_opts == 6 && m.opts[0].type == 1 && m.opts[0].off == 16 && m.opts[0].len == 1 &&
	       m.opts[0].data_len == 6 && memcmp(m.opts[0].data, mac, 6) == 0,
	       "RA option 1: SLLA at 16, Length 1, 6 octets 02:00:5e:00:53:01");
	tap_ok(m.opts[1].type == 3 && m.opts[1].off == 24 && m.opts[1].u.pi.flags == 0xa0 &&
	       m.opts[1].u.pi.valid == 0xffffffffu && m.opts[1].u.pi.preferred == 604800,
	       "RA option 2: PIO at 24, L|R, infinite valid, preferred 604800");
	tap_ok(m.opts[2].type == 5 && m.opts[2].off == 56 && m.opts[2].u.mtu.mtu == 1500,
	       "RA option 3: MTU 1500 at 56");
	tap_ok(m.opts[3].type == 7 && m.opts[3].off == 64 && m.opts[3].u.advint.interval_ms == 3000,
	       "RA option 4: Advertisement Interval 3000 ms at 64");
	tap_ok(m.opts[4].type == 8 && m.opts[4].off == 72 && m.opts[4].u.hai.reserved == 0x8000 &&
	       m.opts[4].u.hai.pref == 10 && m.opts[4].u.hai.lifetime == 3600,
	       "RA option 5: HAI at 72, R flag, preference 10, lifetime 3600 s");
	tap_ok(m.opts[5].type == 200 && m.opts[5].off == 80 && m.opts[5].data_len == 6 &&
	       memcmp(m.opts[5].data, unk, 6) == 0 && mk_nd_opt_name(200) == NULL,
	       "RA option 6: unknown type 200 at 80 skipped and listed with its 6 octets");
	tap_is_int(m.warn, 0, "RA golden carries no warning");
	round_trip(g_ra, sizeof g_ra, NULL, "RA");

	/* raw option padding */
	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_RA;
	in.n_opts = 1;
	in.opts[0].type = 200;
	in.opts[0].data = unk;
	in.opts[0].data_len = 3;
	static const uint8_t g_pad[] = {
		0x86, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
		0xc8, 0x01,             /* Type 200, Length 1 */
		0xde, 0xad, 0xbe,       /* the 3 data octets */
		0x00, 0x00, 0x00,       /* zero padding to 8 octets */
	};
	built_is(NULL, &in, g_pad, sizeof g_pad, "raw 3-octet option padded to Length 1");

	/* malformations, each on a copy of the golden RA */
	uint8_t b[1024];
	memcpy(b, g_ra, sizeof g_ra);
	b[1] = 1;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_CODE, 1, "RA with Code 1");
	expect_err(g_ra, 15, NULL, MK_E_TRUNC, 12, "RA cut inside Retrans Timer");
	memcpy(b, g_ra, sizeof g_ra);
	b[25] = 0;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_NDOPT_LEN0, 25, "RA PIO with Length 0");
	expect_err(g_ra, 25, NULL, MK_E_TRUNC, 25, "RA ending one octet into an option");
	expect_err(g_ra, 24 + 30, NULL, MK_E_ICMP6_NDOPT_OVERRUN, 25,
		   "RA cut inside the PIO: Length overruns the message");
	memcpy(b, g_ra, sizeof g_ra);
	b[57] = 2;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_NDOPT_BADLEN, 57, "MTU option with Length 2");
	memcpy(b, g_ra, sizeof g_ra);
	b[65] = 2;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_NDOPT_BADLEN, 65,
		   "Advertisement Interval option with Length 2");
	memcpy(b, g_ra, sizeof g_ra);
	b[73] = 2;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_NDOPT_BADLEN, 73, "HAI option with Length 2");
	memcpy(b, g_ra, sizeof g_ra);
	b[26] = 200;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_PREFIX_LEN, 26, "RA PIO with Prefix Length 200");
	memcpy(b, g_ra, sizeof g_ra);
	b[5] = 0x40; /* H cleared */
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_HAI_NO_H, 72, "HAI in an RA without the H bit");
	memcpy(b, g_ra, sizeof g_ra);
	b[78] = b[79] = 0;
	expect_err(b, sizeof g_ra, NULL, MK_E_ICMP6_HAI_LIFETIME0, 78, "HAI with lifetime 0");

	/* 65 options: the 65th is rejected at its offset */
	memset(b, 0, sizeof b);
	b[0] = 134;
	for (int i = 0; i < 65; i++) {
		b[16 + 8 * i] = 1;
		b[17 + 8 * i] = 1;
	}
	expect_err(b, 16 + 8 * 65, NULL, MK_E_TOO_MANY, 16 + 8 * 64, "RA with 65 options (bound 64)");

	/* warnings */
	memcpy(b, g_ra, sizeof g_ra);
	b[58] = 0x01; /* MTU Reserved */
	b[74] = 0x80;
	b[75] = 0x01; /* HAI reserved bit besides R */
	st = mk_icmp6_parse(b, sizeof g_ra, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_OPT_RESERVED) &&
	       m.warn_off[MK_ICMP6_W_OPT_RESERVED] == 58,
	       "RA with MTU and HAI reserved bits: accepted, first option-reserved warning at 58");
	memcpy(b, g_ra, sizeof g_ra);
	b[27] = 0x80; /* PIO without R */
	st = mk_icmp6_parse(b, sizeof g_ra, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_HA_NO_ROUTER_ADDR) &&
	       m.warn_off[MK_ICMP6_W_HA_NO_ROUTER_ADDR] == 5,
	       "RA with H but no PIO with R: accepted, warning at the flags octet (5)");
	memcpy(b, g_ra, sizeof g_ra);
	b[76] = b[77] = 0;    /* preference 0 */
	b[78] = 0x07;
	b[79] = 0x08;         /* lifetime 1800 = Router Lifetime */
	st = mk_icmp6_parse(b, sizeof g_ra, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_HAI_DEFAULTS) &&
	       m.warn_off[MK_ICMP6_W_HAI_DEFAULTS] == 72,
	       "HAI with preference 0 and lifetime = Router Lifetime: SHOULD-omit warning at 72");
	/* HA preference is a raw 16-bit unsigned value (RFC 6275 7.4) */
	memcpy(b, g_ra, sizeof g_ra);
	b[76] = 0xff;
	b[77] = 0xfe;
	st = mk_icmp6_parse(b, sizeof g_ra, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.opts[4].u.hai.pref == 0xfffe,
	       "HAI preference 0xfffe read as unsigned 65534");

	/* builder validation */
	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_RA;
	in.u.ra.router_lifetime = 1800;
	in.n_opts = 1;
	in.opts[0].type = MK_ND_OPT_HAINFO;
	in.opts[0].u.hai.lifetime = 100;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_HAI_NO_H, 16, "RA with HAI but no H");
	in.u.ra.flags = MK_ICMP6_RA_H;
	in.opts[0].u.hai.lifetime = 0;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_HAI_LIFETIME0, 22, "HAI lifetime 0");
	in.opts[0].type = MK_ND_OPT_PREFIX;
	in.opts[0].u.pi.prefix_len = 129;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_PREFIX_LEN, 18, "PIO prefix length 129");
	in.opts[0].u.pi.prefix_len = 64;
	expect_build_err(NULL, &in, 40, MK_E_NOSPACE, 32, "RA with a PIO into 40 octets");
	in.code = 1;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_CODE, 1, "RA with Code 1");
}

static void test_ha_unreach(void)
{
	struct mk_icmp6 in;
	struct mk_status st;

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_HA_UNREACH;
	in.u.ident.id = 42;
	in.n_addrs = 2;
	in.addrs[0] = a6("2001:db8::10");
	in.addrs[1] = a6("2001:db8::11");
	built_is(NULL, &in, g_hau_default, sizeof g_hau_default,
		 "HA Unreachable, default profile: type 201");
	built_is(&paper, &in, g_hau_paper, sizeof g_hau_paper,
		 "HA Unreachable, paper profile: type 154");

	st = mk_icmp6_parse(g_hau_default, sizeof g_hau_default, NULL, &m);
	struct in6_addr x = a6("2001:db8::11");
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_HA_UNREACH && m.type == 201 &&
	       m.u.ident.id == 42 && m.n_addrs == 2 && memcmp(&m.addrs[1], &x, 16) == 0,
	       "type 201 under default parses as HA Unreachable with 2 addresses");
	st = mk_icmp6_parse(g_hau_paper, sizeof g_hau_paper, &paper, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_HA_UNREACH && m.type == 154 &&
	       m.n_addrs == 2, "type 154 under the paper profile parses as HA Unreachable");
	st = mk_icmp6_parse(g_hau_paper, sizeof g_hau_paper, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_OTHER && m.u.other.body_len == 36,
	       "type 154 under default is an undecoded (FMIPv6) message");
	st = mk_icmp6_parse(g_hau_default, sizeof g_hau_default, &paper, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_OTHER,
	       "type 201 under the paper profile is an undecoded message");
	round_trip(g_hau_default, sizeof g_hau_default, NULL, "HA Unreachable (201)");
	round_trip(g_hau_paper, sizeof g_hau_paper, &paper, "HA Unreachable (154)");

	expect_err(g_hau_default, 8, NULL, MK_E_ICMP6_HAU_EMPTY, 8, "HA Unreachable with no address");
	expect_err(g_hau_paper, 8, &paper, MK_E_ICMP6_HAU_EMPTY, 8,
		   "HA Unreachable (154) with no address");
	expect_err(g_hau_default, 8 + 15, NULL, MK_E_ICMP6_ADDR_LIST_LEN, 8,
		   "HA Unreachable with 15 octets of address");
	expect_err(g_hau_default, 8 + 16 + 1, NULL, MK_E_ICMP6_ADDR_LIST_LEN, 24,
		   "HA Unreachable with 17 octets of addresses");
	uint8_t b[64];
	memcpy(b, g_hau_paper, sizeof g_hau_paper);
	b[1] = 2;
	expect_err(b, sizeof g_hau_paper, &paper, MK_E_ICMP6_CODE, 1,
		   "HA Unreachable (154, paper) with Code 2");
	st = mk_icmp6_parse(b, sizeof g_hau_paper, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_OTHER && m.code == 2,
	       "the same octets under default: FMIPv6 with Code 2 accepted as undecoded");
	memcpy(b, g_hau_default, sizeof g_hau_default);
	b[6] = 0x80;
	st = mk_icmp6_parse(b, sizeof g_hau_default, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_RESERVED),
	       "HA Unreachable Reserved 0x8000 is a reserved-bit warning (no R flag here)");

	in.n_addrs = 0;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_HAU_EMPTY, 8, "HA Unreachable, 0 addresses");
	in.n_addrs = MK_ICMP6_MAX_ADDRS + 1;
	expect_build_err(NULL, &in, sizeof out, MK_E_TOO_MANY, 8 + 16 * MK_ICMP6_MAX_ADDRS,
			 "HA Unreachable, 65 addresses");
	in.n_addrs = 2;
	expect_build_err(NULL, &in, 30, MK_E_NOSPACE, 24, "HA Unreachable into 30 octets");

	/* codepoint override onto a decoded type */
	struct mk_codepoints clash = mk_cp_default;
	st = mk_cp_set(&clash, "icmp6-ha-unreachable=144");
	tap_is_int(st.err, MK_E_OK, "override icmp6-ha-unreachable=144 accepted");
	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_DHAAD_REQUEST;
	expect_build_err(&clash, &in, sizeof out, MK_E_ICMP6_KIND, 0,
			 "DHAAD Request when HA Unreachable took type 144");
	expect_err(g_dhaad_req, sizeof g_dhaad_req, &clash, MK_E_ICMP6_HAU_EMPTY, 8,
		   "with the override, 144 parses as an (empty, so rejected) HA Unreachable");
}

static void test_errors_echo_other(void)
{
	struct mk_icmp6 in;
	struct mk_status st;

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_PARAM_PROB;
	in.code = MK_ICMP6_PP_OPTION;
	in.u.err.word = 46;
	in.u.err.invoking = g_pp + 8;
	in.u.err.invoking_len = sizeof g_pp - 8;
	built_is(NULL, &in, g_pp, sizeof g_pp, "Parameter Problem code 2, pointer 46");
	st = mk_icmp6_parse(g_pp, sizeof g_pp, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_PARAM_PROB && m.code == 2 &&
	       m.u.err.word == 46 && m.u.err.invoking == g_pp + 8 && m.u.err.invoking_len == 48,
	       "Parameter Problem parses: code 2, pointer 46, invoking packet = buf+8, 48 octets");
	tap_ok(m.u.err.invoking[46 - 0] == 0xc9,
	       "the pointer designates the HAO type 0xC9 in the invoking packet");
	round_trip(g_pp, sizeof g_pp, NULL, "Parameter Problem");
	expect_err(g_pp, 7, NULL, MK_E_TRUNC, 4, "Parameter Problem cut in the Pointer");
	st = mk_icmp6_parse(g_pp, 8, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.u.err.invoking_len == 0,
	       "Parameter Problem with an empty invoking packet parses");

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_DST_UNREACH;
	in.code = 4;
	in.u.err.invoking = g_du + 8;
	in.u.err.invoking_len = 8;
	built_is(NULL, &in, g_du, sizeof g_du, "Destination Unreachable, port unreachable");
	st = mk_icmp6_parse(g_du, sizeof g_du, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_DST_UNREACH && m.code == 4 &&
	       m.u.err.invoking_len == 8 && m.warn == 0,
	       "Destination Unreachable parses: code 4, 8 octets of invoking packet");
	round_trip(g_du, sizeof g_du, NULL, "Destination Unreachable");
	uint8_t b[64];
	memcpy(b, g_du, sizeof g_du);
	b[4] = 0x02; /* RFC 4884 length octet: not a warning */
	st = mk_icmp6_parse(b, sizeof g_du, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == 0, "DU with an RFC 4884 length octet: no warning");
	b[7] = 0x01;
	st = mk_icmp6_parse(b, sizeof g_du, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_RESERVED) &&
	       m.warn_off[MK_ICMP6_W_RESERVED] == 5, "DU with unused octet 7 set: warning at 5");

	st = mk_icmp6_parse(g_ptb, sizeof g_ptb, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_PKT_TOO_BIG && m.u.err.word == 1280,
	       "Packet Too Big parses: MTU 1280");
	round_trip(g_ptb, sizeof g_ptb, NULL, "Packet Too Big");
	memcpy(b, g_ptb, sizeof g_ptb);
	b[1] = 1;
	st = mk_icmp6_parse(b, sizeof g_ptb, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.warn == (1u << MK_ICMP6_W_CODE) &&
	       mk_icmp6_strict(&m).err == MK_E_ICMP6_W_CODE && mk_icmp6_strict(&m).off == 1,
	       "Packet Too Big Code 1: accepted (ignored on receipt), strict says W_CODE at 1");

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_ECHO_REQUEST;
	in.u.echo.id = 1;
	in.u.echo.seq = 2;
	in.u.echo.data = (const uint8_t *)"ping";
	in.u.echo.data_len = 4;
	built_is(NULL, &in, g_echo, sizeof g_echo, "Echo Request id 1 seq 2 \"ping\"");
	st = mk_icmp6_parse(g_echo, sizeof g_echo, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_ECHO_REQUEST && m.u.echo.id == 1 &&
	       m.u.echo.seq == 2 && m.u.echo.data_len == 4 && memcmp(m.u.echo.data, "ping", 4) == 0,
	       "Echo Request parses: id 1, seq 2, 4 data octets");
	round_trip(g_echo, sizeof g_echo, NULL, "Echo Request");
	memcpy(b, g_echo, sizeof g_echo);
	b[0] = 129;
	st = mk_icmp6_parse(b, sizeof g_echo, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_ECHO_REPLY, "type 129 parses as Echo Reply");
	b[1] = 9;
	expect_err(b, sizeof g_echo, NULL, MK_E_ICMP6_CODE, 1, "Echo Reply with Code 9");
	expect_err(g_echo, 5, NULL, MK_E_TRUNC, 4, "Echo Request cut in the Identifier");

	st = mk_icmp6_parse(g_fmip, sizeof g_fmip, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.kind == MK_ICMP6_K_OTHER && m.type == 154 && m.code == 2 &&
	       m.u.other.body == g_fmip + 4 && m.u.other.body_len == 4,
	       "FMIPv6 (154, default) kept raw: body = buf+4, 4 octets");
	round_trip(g_fmip, sizeof g_fmip, NULL, "undecoded FMIPv6 message");

	memset(&in, 0, sizeof in);
	in.kind = MK_ICMP6_K_OTHER;
	in.type = 144;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_KIND, 0, "raw message with type 144");
	in.type = 201;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_KIND, 0,
			 "raw message with type 201 under default (HA Unreachable's)");
	size_t n = 0;
	st = mk_icmp6_build(out, sizeof out, &paper, &in, &n);
	tap_ok(st.err == MK_E_OK && n == 4 && out[0] == 201,
	       "raw message with type 201 under the paper profile builds (4 octets)");
	in.kind = (enum mk_icmp6_kind)99;
	expect_build_err(NULL, &in, sizeof out, MK_E_ICMP6_KIND, 0, "kind 99");
}

static void test_cksum(void)
{
	struct in6_addr s = a6("fe80::1"), d = a6("ff02::1");
	/* Echo Request id 1 seq 1 from fe80::1 to ff02::1.  By hand:
	 * fe80+0001 + ff02+0001 + 0008 + 003a + 8000+0000+0001+0001
	 * = 0x27dc8 -> 0x7dca -> ~ = 0x8235 */
	uint8_t e[8] = { 0x80, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x01 };

	tap_is_int(mk_icmp6_cksum(e, sizeof e, &s, &d), 0x8235,
		   "checksum of an 8-octet Echo Request matches the hand computation 0x8235");
	e[2] = 0x12;
	e[3] = 0x34;
	tap_is_int(mk_icmp6_cksum(e, sizeof e, &s, &d), 0x8235,
		   "checksum ignores what the Checksum field holds");
	mk_icmp6_cksum_fill(e, sizeof e, &s, &d);
	tap_ok(e[2] == 0x82 && e[3] == 0x35 && mk_icmp6_cksum_ok(e, sizeof e, &s, &d),
	       "cksum_fill stores 0x8235 at offset 2 and the message verifies");

	/* The golden RA, odd-length tail added, against the reference loop */
	uint8_t ra[sizeof g_ra + 3];
	memcpy(ra, g_ra, sizeof g_ra);
	struct in6_addr ha = a6("2001:db8:0:1::1"), mn = a6("2001:db8:77::5");
	uint16_t want = ref_cksum6(ha.s6_addr, mn.s6_addr, 58, ra, sizeof g_ra, 2);
	tap_is_int(mk_icmp6_cksum(ra, sizeof g_ra, &ha, &mn), want,
		   "RA checksum equals the independent byte-wise sum");
	ra[sizeof g_ra] = 0xc8;
	ra[sizeof g_ra + 1] = 0x01;
	ra[sizeof g_ra + 2] = 0x7f;
	want = ref_cksum6(ha.s6_addr, mn.s6_addr, 58, ra, sizeof ra, 2);
	tap_is_int(mk_icmp6_cksum(ra, sizeof ra, &ha, &mn), want,
		   "odd-length message checksum equals the independent sum");
	mk_icmp6_cksum_fill(ra, sizeof g_ra, &ha, &mn);
	tap_ok(mk_icmp6_cksum_ok(ra, sizeof g_ra, &ha, &mn), "filled RA verifies");
	ra[40] ^= 0x04;
	tap_ok(!mk_icmp6_cksum_ok(ra, sizeof g_ra, &ha, &mn), "one flipped bit in the RA is detected");
	ra[40] ^= 0x04;
	struct in6_addr coa = a6("2001:db8:99::5");
	tap_ok(!mk_icmp6_cksum_ok(ra, sizeof g_ra, &ha, &coa),
	       "a different pseudo-header destination (care-of instead of home address) is detected");
	tap_ok(!mk_icmp6_cksum_ok(ra, sizeof g_ra - 8, &ha, &mn),
	       "the same message cut by 8 octets does not verify");
	struct mk_status st = mk_icmp6_cksum_fill(ra, 3, &ha, &mn);
	tap_ok(st.err == MK_E_TRUNC && st.off == 3, "cksum_fill on 3 octets: MK_E_TRUNC at 3");

	/* A parsed message keeps the received checksum; build writes 0 */
	st = mk_icmp6_parse(ra, sizeof g_ra, NULL, &m);
	tap_ok(st.err == MK_E_OK && m.cksum == (uint16_t)(ra[2] << 8 | ra[3]),
	       "parse keeps the received checksum value");
}

static void test_names(void)
{
	tap_is_str(mk_icmp6_type_name(NULL, 154), "FMIPv6 Messages",
		   "type 154 under the default profile is FMIPv6 Messages");
	tap_is_str(mk_icmp6_type_name(&paper, 154), "Home Agent Unreachable",
		   "type 154 under the paper profile is Home Agent Unreachable");
	tap_is_str(mk_icmp6_iana_type_name(154), "FMIPv6 Messages", "IANA name of 154");
	tap_is_str(mk_icmp6_type_name(NULL, 201), "Home Agent Unreachable",
		   "type 201 under the default profile is Home Agent Unreachable");
	tap_is_str(mk_icmp6_type_name(&paper, 201), "Private experimentation",
		   "type 201 under the paper profile is private experimentation");
	tap_is_str(mk_icmp6_type_name(NULL, 200), "Private experimentation", "type 200 name");
	tap_is_str(mk_icmp6_type_name(NULL, 150), "Experimental Mobility", "type 150 name");
	tap_is_str(mk_icmp6_type_name(NULL, 144), "Home Agent Address Discovery Request",
		   "type 144 name");
	tap_is_str(mk_icmp6_type_name(NULL, 147), "Mobile Prefix Advertisement", "type 147 name");
	tap_ok(mk_icmp6_type_name(NULL, 170) == NULL, "unassigned type 170 has no name");
	tap_is_str(mk_icmp6_code_name(4, 0), "erroneous header field encountered", "PP code 0 name");
	tap_is_str(mk_icmp6_code_name(4, 1), "unrecognized Next Header type encountered",
		   "PP code 1 name");
	tap_is_str(mk_icmp6_code_name(4, 2), "unrecognized IPv6 option encountered",
		   "PP code 2 name");
	tap_is_str(mk_icmp6_code_name(1, 4), "port unreachable", "DU code 4 name");
	tap_ok(mk_icmp6_code_name(144, 0) == NULL, "no code names for DHAAD");
	tap_is_str(mk_nd_opt_name(3), "Prefix Information", "ND option 3 name");
	tap_is_str(mk_nd_opt_name(7), "Advertisement Interval", "ND option 7 name");
	tap_is_str(mk_nd_opt_name(8), "Home Agent Information", "ND option 8 name");
	tap_is_str(mk_icmp6_ra_flag_name(MK_ICMP6_RA_H), "H (home agent)", "RA flag 0x20 name");
	tap_is_str(mk_nd_pi_flag_name(MK_ND_PI_R), "R (router address)", "PIO flag 0x20 name");
	tap_ok(mk_icmp6_mpa_flag_name(MK_ICMP6_MPA_M) && mk_icmp6_dhaad_flag_name(0x8000) &&
	       mk_nd_hai_flag_name(0x8000) && !mk_icmp6_dhaad_flag_name(0x4000),
	       "MPA, DHAAD and HAI flag names exist for their bits only");
	int all = 1;
	for (int k = 0; k < MK_ICMP6_K__COUNT; k++)
		all &= mk_icmp6_kind_name((enum mk_icmp6_kind)k) != NULL;
	for (int w = 0; w < MK_ICMP6_W__COUNT; w++)
		all &= mk_icmp6_warn_name((enum mk_icmp6_warn)w) != NULL &&
		       mk_icmp6_warn_err((enum mk_icmp6_warn)w) != MK_E_INVAL;
	tap_ok(all, "every kind and warning has a name and a strict error code");
	tap_is_str(mk_strerror(MK_E_ICMP6_HAI_NO_H),
		   "Home Agent Information option in a Router Advertisement without the H bit",
		   "error text of ICMP6_HAI_NO_H");
}

int main(void)
{
	mk_cp_profile(&paper, "paper");
	tap_plan(161);
	test_dhaad();
	test_mobile_prefix();
	test_ra();
	test_ha_unreach();
	test_errors_echo_other();
	test_cksum();
	test_names();
	return tap_done();
}
