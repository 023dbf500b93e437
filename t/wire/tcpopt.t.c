/* t/wire/tcpopt.t.c: TCP header, options and TCP Migrate (lib/wire/tcpopt.h).
 *
 * Golden octets are written from the RFC 9293 / RFC 7323 / RFC 2018 /
 * RFC 6994 / draft-snoeren-tcp-migrate-00 layouts by hand, one comment per
 * field.  The checksum is checked against a byte-by-byte RFC 1071 sum
 * written here, and the Migrate token and request against `openssl dgst
 * -sha1` run on a file holding the input octets assembled in this test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t/lib/tap.h"
#include "t/lib/check.h"
#include "t/lib/refcksum.h"
#include "wire/codepoints.h"
#include "wire/tcpopt.h"

static struct mk_codepoints cp_def, cp_paper;

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
	long n = tap_hex(h, out, cap);
	if (n < 0) {
		fprintf(stderr, "bad hex in test: %s\n", h);
		exit(2);
	}
	return (size_t)n;
}

/* A 20-octet header (SYN, ports 40000 -> 80) followed by the options in
 * hex (a multiple of 4) and no payload; returns the segment length. */
static size_t seg_with_opts(uint8_t *seg, const char *opts_hex, uint16_t flags)
{
	uint8_t opt[64];
	size_t ol = hex(opts_hex, opt, sizeof opt);
	static const uint8_t base[20] = {
		0x9c, 0x40,             /* sport 40000 */
		0x00, 0x50,             /* dport 80 */
		0x00, 0x00, 0x00, 0x01, /* seq 1 */
		0x00, 0x00, 0x00, 0x00, /* ack 0 */
		0x50, 0x02,             /* doff 5 (patched), flags SYN (patched) */
		0xff, 0xff,             /* window */
		0x00, 0x00,             /* checksum */
		0x00, 0x00,             /* urgent */
	};
	memcpy(seg, base, 20);
	seg[12] = (uint8_t)(((20 + ol) / 4) << 4 | ((flags >> 8) & 0x0f));
	seg[13] = (uint8_t)(flags & 0xff);
	memcpy(seg + 20, opt, ol);
	return 20 + ol;
}

static void parse_err(const struct mk_codepoints *cp, const char *opts_hex, enum mk_err err,
		      size_t off, const char *what)
{
	uint8_t seg[128];
	struct mk_tcp t;
	size_t n = seg_with_opts(seg, opts_hex, MK_TCP_SYN);
	struct mk_status st = mk_tcp_parse(seg, n, cp, &t);
	int ok = st.err == err && st.off == off;
	tap_ok(ok, "%s: %s at offset %zu", what, mk_errname(err), off);
	if (!ok)
		tap_diag("got %s at offset %zu", mk_errname(st.err), st.off);
}

/* Build a one-option list in `layout` and compare with the golden hex. */
static void golden_opt(const struct mk_codepoints *cp, const struct mk_tcpopt *o,
		       enum mk_tcpopt_layout layout, const char *want_hex, const char *what)
{
	uint8_t want[64], got[64];
	size_t wl = hex(want_hex, want, sizeof want), gl = 0;
	struct mk_status st = mk_tcpopts_build(got, sizeof got, cp, o, 1, layout, &gl);
	tap_ok(st.err == MK_E_OK && gl == wl && memcmp(got, want, wl) == 0, "%s golden octets", what);
	if (st.err != MK_E_OK || gl != wl) {
		tap_diag("err %s len %zu want %zu", mk_errname(st.err), gl, wl);
		tap_diag_hex("got", got, gl);
	}
}

/* Parse the options in hex and return the first non-NOP option. */
static struct mk_status parse1(const struct mk_codepoints *cp, const char *h, uint8_t *buf,
			       struct mk_tcpopts *out, const struct mk_tcpopt **first)
{
	size_t n = hex(h, buf, 64);
	struct mk_status st = mk_tcpopts_parse(buf, n, cp, out);
	*first = NULL;
	for (size_t i = 0; i < out->n; i++)
		if (out->o[i].type != MK_TCPOPT_NOP) {
			*first = &out->o[i];
			break;
		}
	return st;
}

/* SHA-1 of `in` computed by the openssl command, top 64 bits.  -1 if the
 * command is not available. */
static int openssl_sha1_top64(const uint8_t *in, size_t n, uint64_t *out)
{
	char hex[64], top[17], *end;

	if (openssl_dgst("sha1", NULL, 0, in, n, hex, sizeof hex) != 0 || strlen(hex) != 40)
		return -1;
	memcpy(top, hex, 16);
	top[16] = 0;
	*out = strtoull(top, &end, 16);
	return end == top + 16 ? 0 : -1;
}

static void test_golden_options(void)
{
	struct mk_tcpopt o;

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_MSS;
	o.u.mss = 1460;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED, "02 04 05b4" /* kind 2, len 4, 1460 */, "MSS 1460");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_WS;
	o.u.ws = 7;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED, "01 03 03 07" /* NOP, kind 3, len 3, shift 7 */,
		   "WScale 7 aligned (NOP WS)");
	golden_opt(NULL, &o, MK_TCPOPT_PACKED, "03 03 07 00" /* kind 3, len 3, shift 7, EOL */,
		   "WScale 7 packed (WS EOL)");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_SACKP;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED, "04 02 00 00" /* kind 4, len 2, EOL, pad */,
		   "SACK-Permitted");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_SACK;
	o.u.sack.n = 2;
	o.u.sack.blk[0].left = 0x01000000;
	o.u.sack.blk[0].right = 0x01000200;
	o.u.sack.blk[1].left = 0x02000000;
	o.u.sack.blk[1].right = 0x020005a0;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED,
		   "01 01"                     /* NOP NOP: blocks on 4-octet boundaries */
		   "05 12"                     /* kind 5, len 2+8*2 = 18 */
		   "01000000 01000200"         /* block 1 left, right */
		   "02000000 020005a0",        /* block 2 left, right */
		   "SACK two blocks (NOP NOP SACK)");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_TS;
	o.u.ts.val = 0x01020304;
	o.u.ts.ecr = 0x0a0b0c0d;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED,
		   "01 01 08 0a"  /* NOP NOP, kind 8, len 10 */
		   "01020304"     /* TSval */
		   "0a0b0c0d",    /* TSecr */
		   "Timestamps (NOP NOP TS)");

	/* Migrate-Permitted, secure, raw form (paper profile: kind 35) */
	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_MIGPERM;
	o.u.migperm.curve = 7;
	for (int i = 0; i < 17; i++)
		o.u.migperm.key[i] = (uint8_t)(0xa0 + i);
	golden_opt(&cp_paper, &o, MK_TCPOPT_ALIGNED,
		   "23 14 07"                              /* kind 35, len 20, Curve ID 7 */
		   "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0",   /* KeyData[17] */
		   "Migrate-Permitted secure, raw (paper)");
	/* the same under RFC 6994 (default: kind 253, ExID 0x4d50) */
	golden_opt(&cp_def, &o, MK_TCPOPT_ALIGNED,
		   "01 01"                                 /* NOP NOP: end on a boundary */
		   "fd 16 4d50 07"                         /* kind 253, len 22, ExID, Curve ID */
		   "a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0",   /* KeyData[17] */
		   "Migrate-Permitted secure, RFC 6994 (default)");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_MIGPERM; /* curve 0: insecure */
	golden_opt(&cp_paper, &o, MK_TCPOPT_ALIGNED, "01 23 03 00" /* NOP, kind 35, len 3, curve 0 */,
		   "Migrate-Permitted insecure, raw (paper)");
	golden_opt(&cp_def, &o, MK_TCPOPT_ALIGNED,
		   "01 01 01 fd 05 4d50 00" /* NOP x3, kind 253, len 5, ExID, curve 0 */,
		   "Migrate-Permitted insecure, RFC 6994 (default)");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_MIGRATE;
	o.u.migrate.preload = true;
	o.u.migrate.reqno = 5;
	o.u.migrate.token = 0x1122334455667788ull;
	o.u.migrate.request = 0x99aabbccddeeff00ull;
	golden_opt(&cp_paper, &o, MK_TCPOPT_ALIGNED,
		   "01"                /* the draft's pad octet */
		   "24 13"             /* kind 36, len 19 */
		   "85"                /* P=1, ReqNo 5 */
		   "1122334455667788"  /* Token */
		   "99aabbccddeeff00", /* Request */
		   "Migrate raw (paper), P=1 ReqNo 5");
	o.u.migrate.preload = false;
	golden_opt(&cp_def, &o, MK_TCPOPT_ALIGNED,
		   "01 01 01"          /* NOP x3: Token on a boundary */
		   "fd 15 4d47"        /* kind 253, len 21, ExID 0x4d47 */
		   "05"                /* P=0, ReqNo 5 */
		   "1122334455667788"  /* Token */
		   "99aabbccddeeff00", /* Request */
		   "Migrate RFC 6994 (default), P=0 ReqNo 5");

	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_EXP;
	o.kind = 254;
	o.u.exp.exid = MK_TCP_EXID_TFO;
	o.u.exp.exid_len = 2;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED, "fe 04 f989" /* kind 254, len 4, TFO ExID */,
		   "experimental TFO cookie request");

	static const uint8_t uto[2] = { 0x80, 0x3c };
	memset(&o, 0, sizeof o);
	o.type = MK_TCPOPT_RAW;
	o.kind = 28;
	o.u.raw.data = uto;
	o.u.raw.dlen = 2;
	golden_opt(NULL, &o, MK_TCPOPT_ALIGNED, "1c 04 803c" /* kind 28, len 4, G=1 60 min */,
		   "raw option (User Timeout)");
}

static void test_full_header(void)
{
	static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	struct in6_addr s6, d6;
	memcpy(s6.s6_addr, src, 16);
	memcpy(d6.s6_addr, dst, 16);

	struct mk_tcp t;
	memset(&t, 0, sizeof t);
	t.sport = 40000;
	t.dport = 80;
	t.seq = 0x11223344;
	t.ack = 0;
	t.flags = MK_TCP_SYN | MK_TCP_ECE | MK_TCP_CWR;
	t.window = 65535;
	t.layout = MK_TCPOPT_AUTO;
	t.opts.n = 4;
	t.opts.o[0].type = MK_TCPOPT_MSS;
	t.opts.o[0].u.mss = 1440;
	t.opts.o[1].type = MK_TCPOPT_SACKP;
	t.opts.o[2].type = MK_TCPOPT_TS;
	t.opts.o[2].u.ts.val = 0x01020304;
	t.opts.o[3].type = MK_TCPOPT_WS;
	t.opts.o[3].u.ws = 7;
	t.payload = (const uint8_t *)"GET";
	t.payload_len = 3;

	uint8_t want[64];
	size_t wl = hex("9c40"                 /* sport 40000 */
			"0050"                 /* dport 80 */
			"11223344"             /* seq */
			"00000000"             /* ack */
			"a0"                   /* data offset 10 (40 octets), reserved 0, AE 0 */
			"c2"                   /* CWR ECE SYN */
			"ffff"                 /* window */
			"0000"                 /* checksum (filled below) */
			"0000"                 /* urgent */
			"02 04 05a0"           /* MSS 1440 */
			"04 02"                /* SACK-Permitted */
			"08 0a 01020304 00000000" /* Timestamps at 4n+2 */
			"01 03 03 07"          /* NOP, WScale 7 */
			"474554",              /* payload "GET" */
			want, sizeof want);
	uint16_t ck = ref_cksum6(src, dst, 6, want, wl, 16);
	want[16] = (uint8_t)(ck >> 8);
	want[17] = (uint8_t)ck;

	uint8_t buf[128];
	size_t n = 0;
	struct mk_status st = mk_tcp_build(buf, sizeof buf, NULL, &t, &n);
	tap_is_int(st.err, MK_E_OK, "SYN with MSS, SACKP, TS, WS builds");
	st = mk_tcp_cksum_fill(buf, n, &s6, &d6);
	tap_ok(st.err == MK_E_OK && n == wl && memcmp(buf, want, wl) == 0,
	       "SYN golden octets, Linux option layout, checksum by RFC 1071 reference sum");
	if (n != wl || memcmp(buf, want, wl) != 0) {
		tap_diag_hex("got", buf, n);
		tap_diag_hex("want", want, wl);
	}
	tap_ok(mk_tcp_cksum_ok(buf, n, &s6, &d6), "checksum verifies");
	tap_is_int(mk_tcp_cksum(buf, n, &s6, &d6), ck, "mk_tcp_cksum ignores the stored checksum");
	buf[n - 1] ^= 0x01;
	tap_ok(!mk_tcp_cksum_ok(buf, n, &s6, &d6), "one flipped payload bit fails the checksum");
	buf[n - 1] ^= 0x01;

	struct mk_tcp p;
	st = mk_tcp_parse(buf, n, NULL, &p);
	tap_is_int(st.err, MK_E_OK, "SYN parses");
	tap_ok(p.sport == 40000 && p.dport == 80 && p.seq == 0x11223344 && p.ack == 0 &&
		       p.window == 65535 && p.urg == 0 && p.cksum == ck,
	       "SYN fixed fields round trip");
	tap_is_int(p.doff, 10, "data offset 10");
	tap_is_int(p.flags, MK_TCP_SYN | MK_TCP_ECE | MK_TCP_CWR, "flags CWR ECE SYN");
	tap_ok(p.payload_len == 3 && memcmp(p.payload, "GET", 3) == 0, "payload after options");
	tap_ok(p.opts.n == 5 && p.opts.o[0].type == MK_TCPOPT_MSS && p.opts.o[0].u.mss == 1440 &&
		       p.opts.o[1].type == MK_TCPOPT_SACKP && p.opts.o[2].type == MK_TCPOPT_TS &&
		       p.opts.o[2].u.ts.val == 0x01020304 && p.opts.o[2].off == 26 &&
		       p.opts.o[3].type == MK_TCPOPT_NOP && p.opts.o[4].type == MK_TCPOPT_WS &&
		       p.opts.o[4].u.ws == 7 && p.opts.o[4].off == 37,
	       "options parse in order with absolute offsets");
	tap_is_int(mk_tcp_strict(&p).err, MK_E_OK, "clean SYN has no warning");

	/* re-build the parsed segment verbatim */
	uint8_t again[128];
	size_t n2 = 0;
	st = mk_tcp_build(again, sizeof again, NULL, &p, &n2);
	mk_tcp_cksum_fill(again, n2, &s6, &d6);
	tap_ok(st.err == MK_E_OK && n2 == n && memcmp(again, buf, n) == 0,
	       "parse then build (packed) gives the same octets");

	/* AE flag and reserved bits */
	t.opts.n = 0;
	t.payload_len = 0;
	t.flags = MK_TCP_AE | MK_TCP_ACK;
	st = mk_tcp_build(buf, sizeof buf, NULL, &t, &n);
	tap_ok(st.err == MK_E_OK && n == 20 && buf[12] == 0x51 && buf[13] == 0x10,
	       "AE is the low bit of octet 12 (0x51 0x10)");
	t.flags = 0x1000;
	st = mk_tcp_build(buf, sizeof buf, NULL, &t, &n);
	tap_ok(st.err == MK_E_RANGE && st.off == 12 && n == 0, "flags above 12 bits refused at 12, outlen 0");
	t.flags = MK_TCP_ACK | 0x800;
	st = mk_tcp_build(buf, sizeof buf, NULL, &t, &n);
	mk_tcp_parse(buf, n, NULL, &p);
	st = mk_tcp_strict(&p);
	tap_ok(p.flags == (MK_TCP_ACK | 0x800) && st.err == MK_E_TCP_W_RESERVED && st.off == 12,
	       "reserved bit kept and reported by strict at offset 12");
	st = mk_tcp_build(buf, 19, NULL, &t, &n);
	tap_ok(st.err == MK_E_NOSPACE && n == 0, "header into 19 octets: NOSPACE, outlen 0");

	/* raw options for crafting */
	uint8_t raw[4] = { 0x02, 0x03, 0x05, 0x00 };
	t.flags = MK_TCP_SYN;
	t.raw_opt = raw;
	t.raw_optlen = 4;
	st = mk_tcp_build(buf, sizeof buf, NULL, &t, &n);
	tap_ok(st.err == MK_E_OK && n == 24 && buf[12] == 0x60 && memcmp(buf + 20, raw, 4) == 0,
	       "raw option octets copied verbatim (crafting a bad MSS)");
	t.raw_optlen = 3;
	st = mk_tcp_build(buf, sizeof buf, NULL, &t, &n);
	tap_ok(st.err == MK_E_RANGE && st.off == 20 && n == 0, "raw options not a multiple of 4 refused");
}

static void test_parse_options(void)
{
	uint8_t b[64];
	struct mk_tcpopts os;
	const struct mk_tcpopt *o;
	struct mk_status st;

	st = parse1(&cp_paper, "23 14 07 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_MIGPERM && o->u.migperm.curve == 7 &&
		       o->u.migperm.key[0] == 0xa0 && o->u.migperm.key[16] == 0xb0 &&
		       o->u.migperm.exid == 0,
	       "paper: kind 35 len 20 is a secure Migrate-Permitted");
	st = parse1(&cp_def, "23 14 07 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_RAW && o->kind == 35 &&
		       o->u.raw.dlen == 18 && o->u.raw.data == b + 2,
	       "default: kind 35 is an unknown option kept raw (zero copy)");
	st = parse1(&cp_def, "0101 fd16 4d50 07 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_MIGPERM && o->u.migperm.exid == 0x4d50 &&
		       o->u.migperm.curve == 7 && o->off == 2,
	       "default: kind 253 ExID 0x4d50 len 22 is Migrate-Permitted");
	st = parse1(&cp_paper, "0101 fd16 4d50 07 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_EXP && o->u.exp.exid == 0x4d50 &&
		       o->u.exp.exid_len == 2 && o->u.exp.dlen == 18 && !mk_tcp_exid_name(0x4d50),
	       "paper: the same octets are an unnamed experiment");
	st = parse1(&cp_def, "010101 fd15 4d47 85 1122334455667788 99aabbccddeeff00", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_MIGRATE && o->u.migrate.preload &&
		       o->u.migrate.reqno == 5 && o->u.migrate.token == 0x1122334455667788ull &&
		       o->u.migrate.request == 0x99aabbccddeeff00ull && o->u.migrate.exid == 0x4d47,
	       "default: Migrate decoded (P, ReqNo, Token, Request)");
	st = parse1(&cp_paper, "01 2413 05 1122334455667788 99aabbccddeeff00", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_MIGRATE && !o->u.migrate.preload &&
		       o->u.migrate.reqno == 5 && o->u.migrate.exid == 0,
	       "paper: raw Migrate decoded");
	st = parse1(&cp_def, "fe04 f989", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_EXP && o->u.exp.exid == 0xf989 &&
		       o->u.exp.exid_len == 2 && o->u.exp.dlen == 0,
	       "kind 254 ExID 0xF989 is an experiment");
	tap_is_str(mk_tcp_exid_name(o ? o->u.exp.exid : 0), "TCP Fast Open", "... named TCP Fast Open");
	st = parse1(&cp_def, "fe06 e2d4c3d9 0000", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_EXP && o->u.exp.exid == 0xe2d4c3d9 &&
		       o->u.exp.exid_len == 4 && o->u.exp.dlen == 0,
	       "kind 254 ExID 0xE2D4C3D9 read as a 32-bit ExID");
	tap_is_str(mk_tcp_exid_name(0xe2d4c3d9), "SMC-R", "... named SMC-R");
	char d[128];
	if (o)
		mk_tcpopt_describe(d, sizeof d, &cp_def, o);
	tap_is_str(d, "Exp-e2d4c3d9(6) kind 254 (RFC3692-style Experiment 2) ExID 0xe2d4c3d9 SMC-R",
		   "experiment described with kind and ExID names");
	st = parse1(&cp_def, "05 0a 00000001 00000002 0000", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_SACK && o->u.sack.n == 1 &&
		       o->u.sack.blk[0].left == 1 && o->u.sack.blk[0].right == 2,
	       "SACK one block");
	st = parse1(&cp_def, "00 00 00 00", b, &os, &o);
	tap_ok(st.err == MK_E_OK && os.n == 1 && os.o[0].type == MK_TCPOPT_EOL && os.warn == 0,
	       "EOL ends the list; zero padding is clean");

	/* both Migrate options on one raw kind: the length decides */
	struct mk_codepoints shared = cp_paper;
	mk_cp_set(&shared, "tcp-migrate-kind=35");
	st = parse1(&shared, "01 2313 05 1122334455667788 99aabbccddeeff00", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_MIGRATE,
	       "shared raw kind: length 19 is Migrate");
	st = parse1(&shared, "01 2303 00", b, &os, &o);
	tap_ok(st.err == MK_E_OK && o && o->type == MK_TCPOPT_MIGPERM,
	       "shared raw kind: length 3 is Migrate-Permitted");
}

static void test_malformed(void)
{
	uint8_t seg[64];
	struct mk_tcp t;
	struct mk_status st;

	size_t n = seg_with_opts(seg, "", MK_TCP_SYN);
	st = mk_tcp_parse(seg, n - 1, NULL, &t);
	tap_ok(st.err == MK_E_TRUNC && st.off == 18, "19-octet header: TRUNC at 18 (urgent pointer)");
	seg[12] = 0x40;
	st = mk_tcp_parse(seg, n, NULL, &t);
	tap_ok(st.err == MK_E_TCP_DOFF_SMALL && st.off == 12, "data offset 4: DOFF_SMALL at 12");
	seg[12] = 0x60;
	st = mk_tcp_parse(seg, n, NULL, &t);
	tap_ok(st.err == MK_E_TCP_DOFF_PAST_END && st.off == 12, "data offset 6 in 20 octets: DOFF_PAST_END at 12");
	tap_ok(t.sport == 40000 && t.doff == 6, "fixed fields filled despite the error");

	parse_err(NULL, "01 01 01 02", MK_E_TCP_OPT_NO_LEN, 23, "kind in the last header octet");
	parse_err(NULL, "02 01 0000", MK_E_TCP_OPT_LEN_SHORT, 21, "option length 1");
	parse_err(NULL, "1e 00 0000", MK_E_TCP_OPT_LEN_SHORT, 21, "option length 0");
	parse_err(NULL, "08 0a 0000", MK_E_TCP_OPT_OVERRUN, 21, "Timestamps overrunning a 4-octet area");
	parse_err(NULL, "0101 1e03", MK_E_TCP_OPT_OVERRUN, 23, "unknown kind overrunning by one");
	parse_err(NULL, "02 03 05 00", MK_E_TCP_OPT_MSS_LEN, 21, "MSS length 3");
	parse_err(NULL, "03 04 0700", MK_E_TCP_OPT_WS_LEN, 21, "WScale length 4");
	parse_err(NULL, "04 03 0000", MK_E_TCP_OPT_SACKP_LEN, 21, "SACK-Permitted length 3");
	parse_err(NULL, "05 06 00000000 0000", MK_E_TCP_OPT_SACK_LEN, 21, "SACK length 6");
	parse_err(NULL, "0101 05 0b 00000001 00000002 00 000000", MK_E_TCP_OPT_SACK_LEN, 23, "SACK length 11");
	parse_err(NULL, "08 08 00000000 0000", MK_E_TCP_OPT_TS_LEN, 21, "Timestamps length 8");
	parse_err(NULL, "fe 03 00 00", MK_E_TCP_OPT_EXP_LEN, 21, "experiment length 3");
	parse_err(&cp_def, "fd 06 4d50 0000 0000", MK_E_TCP_OPT_MIGPERM_LEN, 21,
		  "default: Migrate-Permitted length 6");
	parse_err(&cp_paper, "23 04 0000", MK_E_TCP_OPT_MIGPERM_LEN, 21, "paper: Migrate-Permitted length 4");
	parse_err(&cp_paper, "23 03 05 00", MK_E_TCP_OPT_MIGPERM_CURVE, 22,
		  "paper: insecure Migrate-Permitted with Curve ID 5");
	parse_err(&cp_def, "fd 05 4d50 07 000000", MK_E_TCP_OPT_MIGPERM_CURVE, 24,
		  "default: insecure Migrate-Permitted with Curve ID 7");
	parse_err(&cp_paper, "23 14 00 a0a1a2a3a4a5a6a7a8a9aaabacadaeafb0", MK_E_TCP_OPT_MIGPERM_CURVE0, 22,
		  "paper: secure Migrate-Permitted with Curve ID 0");
	parse_err(&cp_paper, "24 12 05 1122334455667788 99aabbccddeeff 0000", MK_E_TCP_OPT_MIGRATE_LEN, 21,
		  "paper: Migrate length 18");
	parse_err(&cp_def, "fd 13 4d47 05 1122334455667788 99aabbccddee 00", MK_E_TCP_OPT_MIGRATE_LEN, 21,
		  "default: Migrate length 19 without room for the ExID");

	/* more entries than a header can hold: only reachable standalone */
	uint8_t nops[41];
	memset(nops, 1, sizeof nops);
	struct mk_tcpopts os;
	st = mk_tcpopts_parse(nops, sizeof nops, NULL, &os);
	tap_ok(st.err == MK_E_TOO_MANY && st.off == 40, "41 NOPs: TOO_MANY at 40");

	/* warnings: what a receiver ignores */
	n = seg_with_opts(seg, "00 01 0000", MK_TCP_SYN);
	st = mk_tcp_parse(seg, n, NULL, &t);
	struct mk_status w = mk_tcp_strict(&t);
	tap_ok(st.err == MK_E_OK && w.err == MK_E_TCP_W_EOL_PAD && w.off == 21,
	       "non-zero octet after EOL: parses, strict says EOL_PAD at 21");
	n = seg_with_opts(seg, "01 03 03 0f", MK_TCP_SYN);
	st = mk_tcp_parse(seg, n, NULL, &t);
	w = mk_tcp_strict(&t);
	tap_ok(st.err == MK_E_OK && t.opts.o[1].u.ws == 15 && w.err == MK_E_TCP_W_WS_SHIFT && w.off == 23,
	       "WScale 15 kept, strict says WS_SHIFT at 23");
	n = seg_with_opts(seg, "02 04 05b4", MK_TCP_ACK);
	st = mk_tcp_parse(seg, n, NULL, &t);
	w = mk_tcp_strict(&t);
	tap_ok(st.err == MK_E_OK && w.err == MK_E_TCP_W_SYN_ONLY && w.off == 20,
	       "MSS without SYN: strict says SYN_ONLY at 20");
	n = seg_with_opts(seg, "02 04 05b4", MK_TCP_ACK | 0x200);
	mk_tcp_parse(seg, n, NULL, &t);
	w = mk_tcp_strict(&t);
	tap_ok(w.err == MK_E_TCP_W_RESERVED && w.off == 12 &&
		       (t.opts.warn & (1u << MK_TCP_W_SYN_ONLY)),
	       "two warnings: strict reports the lowest offset (reserved bits at 12)");
}

static void fill_syn_list(struct mk_tcpopt *o)
{
	memset(o, 0, 5 * sizeof *o);
	o[0].type = MK_TCPOPT_MSS;
	o[0].u.mss = 1460;
	o[1].type = MK_TCPOPT_WS;
	o[1].u.ws = 7;
	o[2].type = MK_TCPOPT_SACKP;
	o[3].type = MK_TCPOPT_TS;
	o[3].u.ts.val = 0x01020304;
	o[3].u.ts.ecr = 0x05060708;
	o[4].type = MK_TCPOPT_MIGPERM;
	o[4].u.migperm.curve = 1;
	for (int i = 0; i < 17; i++)
		o[4].u.migperm.key[i] = (uint8_t)(0x10 + i);
}

static void test_space(void)
{
	struct mk_tcpopt o[5];
	uint8_t buf[64];
	size_t n = 99, packed = 0, aligned = 0;
	char msg[128];
	struct mk_status st;

	fill_syn_list(o);
	st = mk_tcpopts_space(&cp_paper, o, 5, &packed, &aligned);
	tap_ok(st.err == MK_E_OK && packed == 39, "secure raw Migrate-Permitted SYN: 39 octets fit");
	mk_tcpopts_space_fmt(msg, sizeof msg, &cp_paper, o, 5);
	tap_is_str(msg, "MSS(4)+WS(3)+SACKP(2)+TS(10)+MigPerm(20) = 39 <= 40", "space sum printed (raw)");
	st = mk_tcpopts_build(buf, sizeof buf, &cp_paper, o, 5, MK_TCPOPT_AUTO, &n);
	uint8_t want[64];
	size_t wl = hex("02 04 05b4"             /* MSS 1460 */
			"01 03 03 07"            /* NOP, WScale 7 */
			"04 02"                  /* SACK-Permitted */
			"08 0a 01020304 05060708" /* Timestamps */
			"23 14 01"               /* Migrate-Permitted, kind 35, len 20, curve 1 */
			"101112131415161718191a1b1c1d1e1f20", /* KeyData */
			want, sizeof want);
	tap_ok(st.err == MK_E_OK && n == 40 && memcmp(buf, want, wl) == 0,
	       "AUTO layout: aligned form fits in exactly 40 octets (golden)");

	st = mk_tcpopts_space(&cp_def, o, 5, &packed, NULL);
	tap_ok(st.err == MK_E_TCP_OPT_SPACE && st.off == 4 && packed == 41,
	       "RFC 6994 Migrate-Permitted SYN: 41 octets refused, option 4 does not fit");
	mk_tcpopts_space_fmt(msg, sizeof msg, &cp_def, o, 5);
	tap_is_str(msg, "MSS(4)+WS(3)+SACKP(2)+TS(10)+MigPerm(22) = 41 > 40",
		   "refusal names the options and the sum");
	n = 99;
	st = mk_tcpopts_build(buf, sizeof buf, &cp_def, o, 5, MK_TCPOPT_PACKED, &n);
	tap_ok(st.err == MK_E_TCP_OPT_SPACE && st.off == 4 && n == 0,
	       "builder refuses it too (index 4, outlen 0)");
	tap_is_str(mk_strerror(st.err),
		   "TCP options exceed the 40 octets of option space: this option is the first that does not fit",
		   "refusal text");

	/* order MSS SACKP WS TS MigPerm: aligned needs 44, packed 39 */
	struct mk_tcpopt r[5] = { o[0], o[2], o[1], o[3], o[4] };
	st = mk_tcpopts_build(buf, sizeof buf, &cp_paper, r, 5, MK_TCPOPT_ALIGNED, &n);
	tap_ok(st.err == MK_E_TCP_OPT_SPACE && st.off == 4 && n == 0,
	       "ALIGNED layout that needs 44 octets refused at index 4");
	st = mk_tcpopts_build(buf, sizeof buf, &cp_paper, r, 5, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_OK && n == 40 && buf[0] == 2 && buf[4] == 4 && buf[6] == 3 &&
		       buf[9] == 8 && buf[19] == 35 && buf[39] == 0,
	       "AUTO falls back to packed: 39 octets and one EOL");

	/* builder input checks */
	struct mk_tcpopt b[2];
	memset(b, 0, sizeof b);
	b[0].type = MK_TCPOPT_SACK;
	st = mk_tcpopts_build(buf, sizeof buf, NULL, b, 1, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_RANGE && st.off == 0 && n == 0, "SACK with 0 blocks refused");
	b[0].type = MK_TCPOPT_MIGRATE;
	b[0].u.migrate.reqno = 128;
	st = mk_tcpopts_build(buf, sizeof buf, NULL, b, 1, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_RANGE && st.off == 0, "ReqNo 128 refused");
	b[0].type = MK_TCPOPT_EXP;
	b[0].kind = 30;
	b[0].u.exp.exid_len = 2;
	st = mk_tcpopts_build(buf, sizeof buf, NULL, b, 1, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_TCP_OPT_BAD && st.off == 0, "experiment on kind 30 refused");
	b[0].type = MK_TCPOPT_EOL;
	b[1].type = MK_TCPOPT_MSS;
	st = mk_tcpopts_build(buf, sizeof buf, NULL, b, 2, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_TCP_OPT_AFTER_EOL && st.off == 1, "MSS after EOL refused at index 1");
	b[0].type = MK_TCPOPT_RAW;
	b[0].kind = 1;
	st = mk_tcpopts_build(buf, sizeof buf, NULL, b, 1, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_TCP_OPT_BAD && st.off == 0, "raw option with kind 1 refused");
	st = mk_tcpopts_build(buf, 30, &cp_paper, o, 5, MK_TCPOPT_AUTO, &n);
	tap_ok(st.err == MK_E_NOSPACE && st.off == 4 && n == 0, "30-octet buffer: NOSPACE at index 4");
}

/* Build each option under a profile, parse it back and compare. */
static void test_round_trips(const struct mk_codepoints *cp, const char *pname)
{
	struct mk_tcpopt o[8];
	static const uint8_t data[3] = { 1, 2, 3 };
	uint8_t buf[64];
	size_t n = 0;
	struct mk_tcpopts p;

	memset(o, 0, sizeof o);
	o[0].type = MK_TCPOPT_MIGPERM;
	o[0].u.migperm.curve = 9;
	memset(o[0].u.migperm.key, 0x5a, 17);
	o[1].type = MK_TCPOPT_TS;
	o[1].u.ts.val = 7;
	o[1].u.ts.ecr = 8;
	struct mk_status st = mk_tcpopts_build(buf, sizeof buf, cp, o, 2, MK_TCPOPT_AUTO, &n);
	st = st.err == MK_E_OK ? mk_tcpopts_parse(buf, n, cp, &p) : st;
	const struct mk_tcpopt *m = NULL, *ts = NULL;
	for (size_t i = 0; i < p.n; i++) {
		if (p.o[i].type == MK_TCPOPT_MIGPERM)
			m = &p.o[i];
		if (p.o[i].type == MK_TCPOPT_TS)
			ts = &p.o[i];
	}
	tap_ok(st.err == MK_E_OK && m && m->u.migperm.curve == 9 && m->u.migperm.key[16] == 0x5a &&
		       ts && ts->u.ts.val == 7 && ts->u.ts.ecr == 8 &&
		       m->u.migperm.exid == mk_cp(cp, MK_CP_TCP_MIGPERM_EXID),
	       "%s: secure Migrate-Permitted + TS round trip", pname);

	memset(o, 0, sizeof o);
	o[0].type = MK_TCPOPT_MIGPERM;
	st = mk_tcpopts_build(buf, sizeof buf, cp, o, 1, MK_TCPOPT_PACKED, &n);
	st = st.err == MK_E_OK ? mk_tcpopts_parse(buf, n, cp, &p) : st;
	tap_ok(st.err == MK_E_OK && p.n >= 1 && p.o[0].type == MK_TCPOPT_MIGPERM &&
		       p.o[0].u.migperm.curve == 0 && p.o[0].len == (mk_cp(cp, MK_CP_TCP_MIGPERM_EXID) ? 5 : 3),
	       "%s: insecure Migrate-Permitted round trip", pname);

	memset(o, 0, sizeof o);
	o[0].type = MK_TCPOPT_MIGRATE;
	o[0].u.migrate.preload = true;
	o[0].u.migrate.reqno = 127;
	o[0].u.migrate.token = 0xfedcba9876543210ull;
	o[0].u.migrate.request = 0x0123456789abcdefull;
	st = mk_tcpopts_build(buf, sizeof buf, cp, o, 1, MK_TCPOPT_AUTO, &n);
	st = st.err == MK_E_OK ? mk_tcpopts_parse(buf, n, cp, &p) : st;
	m = NULL;
	for (size_t i = 0; i < p.n; i++)
		if (p.o[i].type == MK_TCPOPT_MIGRATE)
			m = &p.o[i];
	tap_ok(st.err == MK_E_OK && n % 4 == 0 && m && m->u.migrate.preload && m->u.migrate.reqno == 127 &&
		       m->u.migrate.token == 0xfedcba9876543210ull &&
		       m->u.migrate.request == 0x0123456789abcdefull && (m->off + m->len) % 4 == 0,
	       "%s: Migrate round trip, option ends on a 4-octet boundary", pname);

	memset(o, 0, sizeof o);
	o[0].type = MK_TCPOPT_SACK;
	o[0].u.sack.n = 4;
	for (int i = 0; i < 4; i++) {
		o[0].u.sack.blk[i].left = (uint32_t)(1000 * i);
		o[0].u.sack.blk[i].right = (uint32_t)(1000 * i + 500);
	}
	o[1].type = MK_TCPOPT_EXP;
	o[1].kind = 253;
	o[1].u.exp.exid = 0x1234;
	o[1].u.exp.exid_len = 2;
	o[1].u.exp.data = data;
	o[1].u.exp.dlen = 0; /* keep within 40: 34 + 4 */
	st = mk_tcpopts_build(buf, sizeof buf, cp, o, 2, MK_TCPOPT_PACKED, &n);
	st = st.err == MK_E_OK ? mk_tcpopts_parse(buf, n, cp, &p) : st;
	tap_ok(st.err == MK_E_OK && n == 40 && p.o[0].type == MK_TCPOPT_SACK && p.o[0].u.sack.n == 4 &&
		       p.o[0].u.sack.blk[3].right == 3500 && p.o[1].type == MK_TCPOPT_EXP &&
		       p.o[1].u.exp.exid == 0x1234,
	       "%s: four SACK blocks + experiment fill 38 octets packed", pname);

	memset(o, 0, sizeof o);
	o[0].type = MK_TCPOPT_RAW;
	o[0].kind = 30;
	o[0].u.raw.data = data;
	o[0].u.raw.dlen = 3;
	o[1].type = MK_TCPOPT_NOP;
	o[2].type = MK_TCPOPT_EOL;
	st = mk_tcpopts_build(buf, sizeof buf, cp, o, 3, MK_TCPOPT_PACKED, &n);
	st = st.err == MK_E_OK ? mk_tcpopts_parse(buf, n, cp, &p) : st;
	tap_ok(st.err == MK_E_OK && n == 8 && p.n == 3 && p.o[0].type == MK_TCPOPT_RAW &&
		       p.o[0].kind == 30 && p.o[0].u.raw.dlen == 3 &&
		       memcmp(p.o[0].u.raw.data, data, 3) == 0 && p.o[1].type == MK_TCPOPT_NOP &&
		       p.o[2].type == MK_TCPOPT_EOL,
	       "%s: raw + NOP + EOL packed round trip", pname);
}

static void test_crypto(void)
{
	uint8_t k[25];
	static const uint8_t secret[24] = {
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
		0x76, 0x54, 0x32, 0x10, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	};
	struct mk_status st = mk_tcp_migrate_key(secret, sizeof secret, k);
	tap_ok(st.err == MK_E_OK && k[0] == 0 && k[1] == 0x01 && k[24] == 0x77,
	       "192-bit secret left-padded to 200 bits");
	st = mk_tcp_migrate_key(secret, 26, k);
	tap_ok(st.err == MK_E_RANGE, "secret over 25 octets refused");
	mk_tcp_migrate_key(secret, sizeof secret, k);

	/* independent inputs, written octet by octet */
	uint8_t tin[33] = {
		0xde, 0xad, 0xbe, 0xef,  /* Ni = 0xdeadbeef */
		0x01, 0x02, 0x03, 0x04,  /* Na = 0x01020304 */
		0x00,                    /* K: one zero octet of left padding, */
		0x01, 0x23, 0x45, 0x67, 0x89, 0xab, 0xcd, 0xef, 0xfe, 0xdc, 0xba, 0x98,
		0x76, 0x54, 0x32, 0x10, 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
	};
	uint8_t rin[38];
	memcpy(rin, tin, 33);
	rin[33] = 0x00; rin[34] = 0x10; rin[35] = 0x00; rin[36] = 0x01; /* S = 0x00100001 */
	rin[37] = 0x05;                                                  /* ReqNo 5 */
	uint8_t zin[33] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x02, 0x03, 0x04 }; /* K all zero */

	uint64_t want_t, want_r, want_z, got;
	if (openssl_sha1_top64(tin, sizeof tin, &want_t) != 0 ||
	    openssl_sha1_top64(rin, sizeof rin, &want_r) != 0 ||
	    openssl_sha1_top64(zin, sizeof zin, &want_z) != 0) {
		tap_skip(3, "openssl command not available");
	} else {
		st = mk_tcp_migrate_token(0xdeadbeef, 0x01020304, k, &got);
		tap_ok(st.err == MK_E_OK && got == want_t,
		       "Token = top 64 bits of SHA-1(Ni|Na|K), checked with openssl dgst");
		if (got != want_t)
			tap_diag("got %016llx want %016llx", (unsigned long long)got,
				 (unsigned long long)want_t);
		st = mk_tcp_migrate_request(0xdeadbeef, 0x01020304, k, 0x00100001, 5, &got);
		tap_ok(st.err == MK_E_OK && got == want_r,
		       "Request = top 64 bits of SHA-1(Ni|Na|K|S|ReqNo), checked with openssl dgst");
		if (got != want_r)
			tap_diag("got %016llx want %016llx", (unsigned long long)got,
				 (unsigned long long)want_r);
		st = mk_tcp_migrate_token(0xdeadbeef, 0x01020304, NULL, &got);
		tap_ok(st.err == MK_E_OK && got == want_z, "insecure Token (K = 0) checked with openssl dgst");
	}
	st = mk_tcp_migrate_request(1, 2, NULL, 3, 128, &got);
	tap_ok(st.err == MK_E_RANGE && got == 0, "Request with ReqNo 128 refused");

	/* public key split between KeyData and the Timestamps option */
	uint8_t pub[25], kd[17], back[25];
	for (int i = 0; i < 25; i++)
		pub[i] = (uint8_t)(i + 1);
	uint32_t tsval, tsecr;
	mk_tcp_migperm_split(pub, kd, &tsval, &tsecr);
	tap_ok(kd[0] == 1 && kd[16] == 17 && tsval == 0x12131415 && tsecr == 0x16171819,
	       "key split: top 17 octets in KeyData, then TSval, then TSecr (least significant)");
	mk_tcp_migperm_join(kd, tsval, tsecr, back);
	tap_is_mem(back, pub, 25, "key join restores the 25 octets");

	tap_ok(mk_tcp_reqno_newer(1, 0) && mk_tcp_reqno_newer(0, 127) && mk_tcp_reqno_newer(63, 0),
	       "ReqNo 1>0, 0>127 (wrap), 63>0");
	tap_ok(!mk_tcp_reqno_newer(0, 1) && !mk_tcp_reqno_newer(5, 5) && !mk_tcp_reqno_newer(64, 0) &&
		       !mk_tcp_reqno_newer(127, 0),
	       "ReqNo not newer: 0 vs 1, equal, half-way, 127 vs 0");
	tap_ok(mk_tcp_reqno_next(127) == 0 && mk_tcp_reqno_next(5) == 6, "ReqNo next wraps at 128");
}

static void test_migrate_syn(void)
{
	struct mk_tcp t, p;
	uint8_t buf[128];
	size_t n;
	const struct mk_tcpopt *extra;
	struct mk_status st;

	for (int prof = 0; prof < 2; prof++) {
		const struct mk_codepoints *cp = prof ? &cp_paper : &cp_def;
		memset(&t, 0, sizeof t);
		t.flags = MK_TCP_SYN;
		t.seq = 1000;
		t.layout = MK_TCPOPT_AUTO;
		t.opts.n = 1;
		t.opts.o[0].type = MK_TCPOPT_MIGRATE;
		t.opts.o[0].u.migrate.reqno = 1;
		mk_tcp_build(buf, sizeof buf, cp, &t, &n);
		st = mk_tcp_parse(buf, n, cp, &p);
		st = st.err == MK_E_OK ? mk_tcp_migrate_syn_check(&p, &extra) : st;
		tap_ok(st.err == MK_E_OK && extra == NULL, "%s: migrate SYN with only Migrate (and pad) accepted",
		       prof ? "paper" : "default");
	}
	t.opts.n = 2;
	t.opts.o[1].type = MK_TCPOPT_TS;
	mk_tcp_build(buf, sizeof buf, &cp_paper, &t, &n);
	mk_tcp_parse(buf, n, &cp_paper, &p);
	st = mk_tcp_migrate_syn_check(&p, &extra);
	/* NOP Migrate(19) = 20..39, then NOP NOP TS at 42 */
	tap_ok(st.err == MK_E_TCP_MIGSYN_EXTRA_OPT && st.off == 42 && extra && extra->type == MK_TCPOPT_TS,
	       "migrate SYN with a Timestamps option refused at the TS kind octet (42)");
	char d[96] = "";
	if (extra)
		mk_tcpopt_describe(d, sizeof d, &cp_paper, extra);
	tap_is_str(d, "TS(10) kind 8", "the extra option is named");
	p.flags = MK_TCP_SYN | MK_TCP_ACK;
	p.opts.n = 2; /* NOP, Migrate */
	tap_is_int(mk_tcp_migrate_syn_check(&p, NULL).err, MK_E_OK, "SYN/ACK bit does not matter, only SYN");
	p.flags = MK_TCP_ACK;
	st = mk_tcp_migrate_syn_check(&p, NULL);
	tap_ok(st.err == MK_E_TCP_MIGSYN_NOT_SYN && st.off == 13, "Migrate without SYN refused at 13");
	p.flags = MK_TCP_SYN;
	p.opts.o[1].type = MK_TCPOPT_NOP;
	st = mk_tcp_migrate_syn_check(&p, NULL);
	tap_ok(st.err == MK_E_TCP_MIGSYN_NO_MIGRATE && st.off == 20, "SYN without Migrate refused");
}

static void test_names(void)
{
	char b[64];

	tap_is_str(mk_tcpopt_kind_name(2), "Maximum Segment Size", "kind 2 name");
	tap_is_str(mk_tcpopt_kind_name(30), "Multipath TCP (MPTCP)", "kind 30 name");
	tap_is_str(mk_tcpopt_kind_name(34), "TCP Fast Open Cookie", "kind 34 name");
	tap_is_str(mk_tcpopt_kind_name(69), "Encryption Negotiation (TCP-ENO)", "kind 69 name");
	tap_is_str(mk_tcpopt_kind_name(174), "Accurate ECN Order 1 (AccECN1)", "kind 174 name");
	tap_is_str(mk_tcpopt_kind_name(254), "RFC3692-style Experiment 2", "kind 254 name");
	tap_ok(mk_tcpopt_kind_name(35) == NULL && mk_tcpopt_kind_name(173) == NULL,
	       "kinds 35 and 173 have no IANA name");
	tap_is_str(mk_tcpopt_kind_name_cp(&cp_paper, 35), "Migrate-Permitted", "paper: kind 35 is Migrate-Permitted");
	tap_is_str(mk_tcpopt_kind_name_cp(&cp_paper, 36), "Migrate", "paper: kind 36 is Migrate");
	tap_ok(mk_tcpopt_kind_name_cp(&cp_def, 35) == NULL, "default: kind 35 has no name");
	tap_is_str(mk_tcpopt_kind_name_cp(&cp_def, 253), "RFC3692-style Experiment 1",
		   "default: kind 253 keeps its IANA name (Migrate sits behind an ExID)");
	tap_is_str(mk_tcp_flag_name(MK_TCP_AE), "AE", "AE flag name");
	tap_ok(mk_tcp_flag_name(0x800) == NULL && mk_tcp_flag_name(0x3) == NULL,
	       "reserved and multi-bit masks have no flag name");
	mk_tcp_flags_fmt(b, sizeof b, MK_TCP_SYN | MK_TCP_ECE | MK_TCP_CWR);
	tap_is_str(b, "SYN|ECE|CWR", "flags formatted");
	mk_tcp_flags_fmt(b, sizeof b, MK_TCP_SYN | MK_TCP_ACK | 0x800);
	tap_is_str(b, "SYN|ACK|RSV(0x800)", "reserved bits formatted");
	mk_tcp_flags_fmt(b, sizeof b, 0);
	tap_is_str(b, "none", "no flags");
	size_t need = mk_tcp_flags_fmt(b, 4, MK_TCP_FIN | MK_TCP_SYN | MK_TCP_RST);
	tap_ok(need == 11 && strcmp(b, "FIN") == 0, "truncated format reports the length needed");
	tap_is_str(mk_tcpopt_type_name(MK_TCPOPT_MIGPERM), "MigPerm", "type name");
	tap_is_str(mk_errname(MK_E_TCP_OPT_OVERRUN), "TCP_OPT_OVERRUN", "error name");
	tap_is_str(mk_tcp_warn_name(MK_TCP_W_WS_SHIFT), "wscale-shift", "warning name");
}

int main(void)
{
	mk_cp_profile(&cp_def, "default");
	mk_cp_profile(&cp_paper, "paper");
	tap_plan(139);
	test_golden_options();
	test_full_header();
	test_parse_options();
	test_malformed();
	test_space();
	test_round_trips(&cp_def, "default");
	test_round_trips(&cp_paper, "paper");
	test_crypto();
	test_migrate_syn();
	test_names();
	return tap_done();
}
