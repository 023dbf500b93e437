/* t/wire/ip6ext.t.c: IPv6 header, extension-header chain, RH2, Home
 * Address option, IPv6-in-IPv6 and pseudo-header checksums.
 *
 * Golden octets are written from the RFC layouts by hand; the checksum of
 * the golden packets (0x8f25, 0x4e26) was computed outside this code base
 * with a ten-line RFC 1071 sum in perl, and is cross-checked here by a
 * separate word-by-word sum with the home address substituted by hand. */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "t/lib/tap.h"
#include "t/lib/check.h"
#include "t/lib/refcksum.h"
#include "wire/cursor.h"
#include "wire/ip6ext.h"

/* 2001:db8:1::100 home address, 2001:db8:1::1 home agent / CN,
 * 2001:db8:ff::beef care-of address */
#define HOA_HEX "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 01 00"
#define HA_HEX "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01"
#define COA_HEX "20 01 0d b8 00 ff 00 00 00 00 00 00 00 00 be ef"

static struct in6_addr HOA, HA, COA, MCAST;

static void addrs_init(void)
{
	inet_pton(AF_INET6, "2001:db8:1::100", &HOA);
	inet_pton(AF_INET6, "2001:db8:1::1", &HA);
	inet_pton(AF_INET6, "2001:db8:ff::beef", &COA);
	inet_pton(AF_INET6, "ff02::1", &MCAST);
}

static size_t hex(const char *h, uint8_t *out, size_t cap)
{
	long n = tap_hex(h, out, cap);
	if (n < 0) {
		tap_diag("bad hex in the test itself: %s", h);
		return 0;
	}
	return (size_t)n;
}

/* An IPv6 header written byte by byte, independent of mk_ip6_build. */
static void ip6hdr(uint8_t *b, uint16_t plen, uint8_t nh, const struct in6_addr *s,
		   const struct in6_addr *d)
{
	b[0] = 0x60;
	b[1] = b[2] = b[3] = 0;
	b[4] = (uint8_t)(plen >> 8);
	b[5] = (uint8_t)plen;
	b[6] = nh;
	b[7] = 64;
	memcpy(b + 8, s, 16);
	memcpy(b + 24, d, 16);
}

/* ---- IPv6 header ---- */

static void test_ip6_header(void)
{
	uint8_t want[40], buf[64];
	size_t n, wl;
	struct mk_ip6 h = { .tclass = 0x12, .flow = 0x3abcd, .plen = 24, .nh = 60, .hlim = 64 };
	struct mk_ip6 p;

	h.src = COA;
	h.dst = HA;
	wl = hex("61 23 ab cd"   /* version 6, tclass 0x12, flow 0x3abcd */
		 " 00 18"        /* payload length 24 */
		 " 3c"           /* next header 60 */
		 " 40 "          /* hop limit 64 */
		 COA_HEX " " HA_HEX, want, sizeof want);
	struct mk_status st = mk_ip6_build(buf, sizeof buf, &h, &n);
	tap_ok(st.err == MK_E_OK && n == 40, "IPv6 header builds to 40 octets");
	tap_is_mem(buf, want, wl, "IPv6 header golden bytes");

	uint8_t pkt[64 + 8];
	memcpy(pkt, want, 40);
	memset(pkt + 40, 0, 32);
	st = mk_ip6_parse(pkt, 64, &p);
	tap_ok(st.err == MK_E_OK && p.tclass == 0x12 && p.flow == 0x3abcd && p.plen == 24 &&
		       p.nh == 60 && p.hlim == 64 && !memcmp(&p.src, &COA, 16) &&
		       !memcmp(&p.dst, &HA, 16),
	       "IPv6 header round trip keeps every field");
	tap_is_int((long long)mk_ip6_end(&p), 64, "payload ends at 40 + plen");

	check_status(mk_ip6_parse(pkt, 0, &p), MK_E_TRUNC, 0, "empty buffer");
	check_status(mk_ip6_parse(pkt, 39, &p), MK_E_TRUNC, 24, "39-octet IPv6 header truncated");
	check_status(mk_ip6_parse(pkt, 63, &p), MK_E_IP6_PLEN, 4, "payload length 24 with 23 octets");
	tap_ok(mk_ip6_parse(pkt, 72, &p).err == MK_E_OK,
	       "octets past the payload (link padding) accepted");
	pkt[0] = 0x45;
	check_status(mk_ip6_parse(pkt, 64, &p), MK_E_IP6_VERSION, 0, "version 4");

	h.flow = 0x100000;
	n = 99;
	st = mk_ip6_build(buf, sizeof buf, &h, &n);
	tap_ok(st.err == MK_E_RANGE && st.off == 1 && n == 0,
	       "flow label of 21 bits rejected by the builder, outlen 0");
	h.flow = 0;
	n = 99;
	st = mk_ip6_build(buf, 39, &h, &n);
	tap_ok(st.err == MK_E_NOSPACE && n == 0, "IPv6 header into 39 octets: NOSPACE, outlen 0");
}

/* ---- RH2 ---- */

static void test_rh2(void)
{
	uint8_t want[24], buf[32], b[24];
	size_t n, wl;
	struct mk_rh2 in = { .nh = 135, .segleft = 1 }, out;

	in.hoa = HOA;
	wl = hex("87"       /* next header 135 (MH) */
		 " 02"      /* Hdr Ext Len 2 */
		 " 02"      /* routing type 2 */
		 " 01"      /* segments left 1 */
		 " 00 00 00 00 " /* reserved */
		 HOA_HEX, want, sizeof want);
	struct mk_status st = mk_rh2_build(buf, sizeof buf, &in, &n);
	tap_ok(st.err == MK_E_OK && n == 24, "RH2 builds to 24 octets");
	tap_is_mem(buf, want, wl, "RH2 golden bytes");
	st = mk_rh2_parse_strict(want, sizeof want, &out);
	tap_ok(st.err == MK_E_OK && out.nh == 135 && out.segleft == 1 && out.reserved == 0 &&
		       !memcmp(&out.hoa, &HOA, 16),
	       "RH2 round trip (strict parse) keeps NH, SegLeft and HoA");

	memcpy(b, want, 24);
	b[1] = 3;
	check_status(mk_rh2_parse(b, 24, &out), MK_E_RH2_HDRLEN, 1, "RH2 Hdr Ext Len 3");
	memcpy(b, want, 24);
	b[2] = 0;
	check_status(mk_rh2_parse(b, 24, &out), MK_E_RH2_TYPE, 2, "routing type 0 parsed as RH2");
	memcpy(b, want, 24);
	b[3] = 2;
	check_status(mk_rh2_parse(b, 24, &out), MK_E_RH2_SEGLEFT, 3, "RH2 Segments Left 2");
	b[3] = 0;
	st = mk_rh2_parse(b, 24, &out);
	tap_ok(st.err == MK_E_OK && out.segleft == 0,
	       "RH2 Segments Left 0 (processed) accepted by the receiver parse, reported as 0");
	check_status(mk_rh2_parse_strict(b, 24, &out), MK_E_RH2_SEGLEFT, 3,
	       "RH2 Segments Left 0 rejected by the strict parse");
	memcpy(b, want, 24);
	b[6] = 0x05;
	st = mk_rh2_parse(b, 24, &out);
	tap_ok(st.err == MK_E_OK && out.reserved == 0x500,
	       "RH2 non-zero Reserved ignored by the receiver parse (RFC 6275 6.4), reported");
	check_status(mk_rh2_parse_strict(b, 24, &out), MK_E_RH2_RESERVED, 6,
	       "RH2 Reserved 00 00 05 00, strict");
	memcpy(b, want, 24);
	b[8] = 0xff;
	check_status(mk_rh2_parse(b, 24, &out), MK_E_RH2_HOA, 8, "RH2 multicast home address");
	memcpy(b, want, 24);
	memset(b + 8, 0, 16);
	check_status(mk_rh2_parse(b, 24, &out), MK_E_RH2_HOA, 8, "RH2 unspecified home address");
	check_status(mk_rh2_parse(want, 16, &out), MK_E_IP6_EXT_OVERRUN, 1, "RH2 cut at 16 octets");
	check_status(mk_rh2_parse(want, 3, &out), MK_E_TRUNC, 3, "RH2 cut at 3 octets");

	in.hoa = MCAST;
	n = 99;
	st = mk_rh2_build(buf, sizeof buf, &in, &n);
	tap_ok(st.err == MK_E_RH2_HOA && st.off == 8 && n == 0,
	       "RH2 builder refuses a multicast home address");
	in.hoa = HOA;
	in.segleft = 2;
	st = mk_rh2_build(buf, sizeof buf, &in, &n);
	tap_ok(st.err == MK_E_RH2_SEGLEFT && st.off == 3 && n == 0,
	       "RH2 builder refuses Segments Left 2");
}

/* ---- Destination Options / HAO ---- */

static void test_hao(void)
{
	uint8_t want[24], buf[32], b[64];
	size_t n, wl;
	struct mk_hao in = { .nh = 135 }, out;
	struct mk_ip6_opthdr oh;

	in.hoa = HOA;
	wl = hex("87"            /* next header 135 */
		 " 02"           /* Hdr Ext Len 2: 24 octets */
		 " 01 02 00 00"  /* PadN, 2 zero octets */
		 " c9 10 "       /* HAO type 0xC9 at offset 6 (8n+6), length 16 */
		 HOA_HEX, want, sizeof want);
	struct mk_status st = mk_hao_build(buf, sizeof buf, &in, &n);
	tap_ok(st.err == MK_E_OK && n == 24, "HAO DestOpt builds to 24 octets");
	tap_is_mem(buf, want, wl, "canonical HAO DestOpt golden bytes");
	st = mk_hao_parse(want, 24, &out);
	tap_ok(st.err == MK_E_OK && out.nh == 135 && !memcmp(&out.hoa, &HOA, 16),
	       "HAO round trip keeps NH and home address");
	st = mk_ip6_dstopt_parse(want, 24, &oh);
	tap_ok(st.err == MK_E_OK && oh.len == 24 && oh.nopts == 1 && oh.opt[0].type == 0xc9 &&
		       oh.opt[0].len == 16 && oh.opt[0].off == 6 && oh.hao_off == 6,
	       "DestOpt walk: one non-pad option, the HAO at offset 6, PadN not listed");

	/* HAO preceded by PadN(0): lands at 8n+4 */
	wl = hex("87 02 01 00 c9 10 " HOA_HEX " 01 00", b, sizeof b);
	check_status(mk_ip6_dstopt_parse(b, wl, &oh), MK_E_HAO_ALIGN, 4, "HAO at offset 4 (8n+4)");
	/* PadN carrying 00 07 */
	memcpy(b, want, 24);
	b[5] = 0x07;
	check_status(mk_ip6_dstopt_parse(b, 24, &oh), MK_E_IP6_PADN_NONZERO, 5, "PadN with 00 07");
	/* PadN of 8 octets */
	wl = hex("3b 01 01 06 00 00 00 00 00 00 05 02 00 00 00 00", b, sizeof b);
	check_status(mk_ip6_dstopt_parse(b, wl, &oh), MK_E_IP6_PAD_RUN, 2, "PadN of 8 octets");
	/* 8 Pad1 in a row: the 8th at offset 9 */
	wl = hex("3b 01 00 00 00 00 00 00 00 00 05 02 00 00 00 00", b, sizeof b);
	check_status(mk_ip6_dstopt_parse(b, wl, &oh), MK_E_IP6_PAD_RUN, 9, "eight Pad1 in a row");
	/* 6 Pad1 is fine */
	wl = hex("3b 00 00 00 00 00 00 00", b, sizeof b);
	st = mk_ip6_dstopt_parse(b, wl, &oh);
	tap_ok(st.err == MK_E_OK && oh.nopts == 0 && oh.nh == 59,
	       "DestOpt of 6 Pad1 accepted, no options");
	/* two HAOs in one header, the second at 30 (also 8n+6) */
	wl = hex("87 05 01 02 00 00 c9 10 " HOA_HEX " 01 04 00 00 00 00 c9 10 " HA_HEX, b,
		 sizeof b);
	check_status(mk_ip6_dstopt_parse(b, wl, &oh), MK_E_HAO_DUP, 30, "second HAO in one header");
	/* HAO length 14 */
	wl = hex("87 02 01 02 00 00 c9 0e 20 01 0d b8 00 01 00 00 00 00 00 00 00 00 01 00", b,
		 sizeof b);
	check_status(mk_ip6_dstopt_parse(b, wl, &oh), MK_E_HAO_LEN, 7, "HAO length 14");
	/* option length runs past the header */
	memcpy(b, want, 24);
	b[7] = 0x20;
	check_status(mk_ip6_dstopt_parse(b, 24, &oh), MK_E_IP6_OPT_OVERRUN, 7,
	       "HAO length 32 in a 24-octet header");
	wl = hex("3b 00 01 03 00 00 00 05", b, sizeof b);
	check_status(mk_ip6_dstopt_parse(b, wl, &oh), MK_E_IP6_OPT_OVERRUN, 7,
	       "option type in the last octet, no length octet");
	/* header length past the buffer */
	check_status(mk_ip6_dstopt_parse(want, 16, &oh), MK_E_IP6_EXT_OVERRUN, 1,
	       "24-octet DestOpt in 16 octets");
	/* multicast home address */
	memcpy(b, want, 24);
	memcpy(b + 8, &MCAST, 16);
	check_status(mk_ip6_dstopt_parse(b, 24, &oh), MK_E_HAO_HOA, 8, "HAO with ff02::1");
	/* no HAO */
	wl = hex("3b 00 01 04 00 00 00 00", b, sizeof b);
	check_status(mk_hao_parse(b, wl, &out), MK_E_HAO_MISSING, 0, "mk_hao_parse on a DestOpt without HAO");
	/* in Hop-by-Hop, 0xC9 is just an unknown option */
	st = mk_ip6_hbh_parse(want, 24, &oh);
	tap_ok(st.err == MK_E_OK && oh.hao_off == 0 && oh.nopts == 1 && oh.opt[0].type == 0xc9,
	       "0xC9 in Hop-by-Hop is an unknown option, not a HAO");
	tap_ok(mk_ip6_opt_action(0xc9) == MK_OPT_DISCARD_ICMP_UC && !mk_ip6_opt_may_change(0xc9) &&
		       mk_ip6_opt_action(0x05) == MK_OPT_SKIP && mk_ip6_opt_may_change(0x26),
	       "option action bits: 0xC9 is 11 (ICMP unless multicast), 0x26 may change");

	in.hoa = in6addr_any;
	n = 99;
	st = mk_hao_build(buf, sizeof buf, &in, &n);
	tap_ok(st.err == MK_E_HAO_HOA && st.off == 8 && n == 0,
	       "HAO builder refuses the unspecified address");
}

/* ---- fragment header ---- */

static void test_frag(void)
{
	uint8_t want[8], buf[8];
	size_t n;
	struct mk_ip6_frag f = { .nh = 17, .off = 185, .more = true, .id = 0xdeadbeef }, g;

	hex("11"          /* next header UDP */
	    " 00"         /* reserved */
	    " 05 c9"      /* offset 185 (1480 octets) << 3 | M */
	    " de ad be ef", want, sizeof want);
	struct mk_status st = mk_ip6_frag_build(buf, sizeof buf, &f, &n);
	tap_ok(st.err == MK_E_OK && n == 8 && !memcmp(buf, want, 8), "Fragment header golden bytes");
	st = mk_ip6_frag_parse(want, 8, &g);
	tap_ok(st.err == MK_E_OK && g.nh == 17 && g.off == 185 && g.more && g.id == 0xdeadbeef,
	       "Fragment header round trip");
	f.off = 0x2000;
	st = mk_ip6_frag_build(buf, sizeof buf, &f, &n);
	tap_ok(st.err == MK_E_RANGE && n == 0, "fragment offset of 14 bits refused");
}

/* ---- golden full packet and checksums ---- */

/* BU: PayloadProto 59, HLen 1, type 5, reserved, checksum, seq 0x1234,
 * flags A|H, lifetime 0x96, PadN 4 */
#define BU_HEX "3b 01 05 00 00 00 12 34 c0 00 00 96 01 02 00 00"
/* BA: status 0, flags 0, seq 0x1234, lifetime 0x96, PadN 4 */
#define BA_HEX "3b 01 06 00 00 00 00 00 12 34 00 96 01 02 00 00"

static void test_full_packet(void)
{
	uint8_t want[80], mh[16], buf[128], b[128];
	size_t n, wl;
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_status st;

	hex(BU_HEX, mh, sizeof mh);
	wl = hex("60 00 00 00"       /* version 6 */
		 " 00 28"            /* payload length 40 = 24 + 16 */
		 " 3c"               /* next header 60: DestOpt */
		 " 40 "              /* hop limit 64 */
		 COA_HEX " " HA_HEX  /* from the care-of address to the home agent */
		 " 87 02 01 02 00 00 c9 10 " HOA_HEX /* DestOpt(HAO), NH 135 */
		 " 3b 01 05 00"      /* MH: proto 59, HLen 1, BU, reserved */
		 " 8f 25"            /* checksum, computed with the HoA as source */
		 " 12 34 c0 00 00 96 01 02 00 00",
		 want, sizeof want);
	tap_is_int((long long)wl, 80, "golden packet is 80 octets");

	struct mk_pkt spec = { .ip = { .hlim = 64 }, .has_hao = true, .ulp = 135,
			       .payload = mh, .payload_len = sizeof mh };
	spec.ip.src = COA;
	spec.ip.dst = HA;
	spec.hao = HOA;
	st = mk_pkt_build(buf, sizeof buf, &spec, &n);
	tap_ok(st.err == MK_E_OK && n == 80, "IPv6 + DestOpt(HAO) + BU builds to 80 octets");
	st = mk_pkt_fix_cksum(buf, n);
	tap_ok(st.err == MK_E_OK, "mk_pkt_fix_cksum succeeds");
	tap_is_mem(buf, want, 80, "full IPv6 + HAO + MH packet golden bytes");

	/* the HoA, not the IPv6 source, is in the pseudo-header */
	uint8_t mz[16];
	memcpy(mz, mh, 16);
	tap_is_int(ref_cksum6(&HOA, &HA, 135, mz, 16, REF_NO_SKIP), 0x8f25,
		   "reference sum with the HoA hand-substituted gives 0x8f25");
	tap_ok(ref_cksum6(&COA, &HA, 135, mz, 16, REF_NO_SKIP) != 0x8f25,
	       "reference sum with the care-of source would differ");

	st = mk_ip6_chain_parse(want, 80, &h, &c);
	struct in6_addr ps, pd;
	mk_ip6_pseudo_addrs(&h, &c, want, &ps, &pd);
	tap_ok(st.err == MK_E_OK && !memcmp(&ps, &HOA, 16) && !memcmp(&pd, &HA, 16),
	       "pseudo-header with HAO: source = HoA, destination = IPv6 destination");
	tap_ok(c.hao == 0 && c.hao_off == 46 && c.hao_pos == MK_HAO_NO_RH && c.ulp == 135 &&
		       c.ulp_off == 64 && c.ulp_len == 16 && c.ulp_nh_off == 40,
	       "chain: HAO at 46 in ext[0], MH at 64 (16 octets) named at 40");

	struct mk_status cs;
	tap_ok(mk_pkt_check_cksum(want, 80, &cs) && cs.err == MK_E_OK,
	       "golden packet checksum verifies");
	tap_is_int(mk_ip6_ulp_cksum(want, &h, &c), 0, "mk_ip6_ulp_cksum over the received MH is 0");
	memcpy(b, want, 80);
	b[70] ^= 0x01; /* one bit of the BU sequence number */
	tap_ok(!mk_pkt_check_cksum(b, 80, &cs), "flipped bit in the MH: check fails");
	check_status(cs, MK_E_BAD_CKSUM, 68, "flipped bit");
	memcpy(b, want, 80);
	b[63] ^= 0x80; /* one bit of the home address */
	tap_ok(!mk_pkt_check_cksum(b, 80, &cs) && cs.err == MK_E_BAD_CKSUM && cs.off == 68,
	       "flipped bit in the HAO's home address: check fails at 68");

	/* RH2, from the home agent to the care-of address: BA */
	uint8_t ba[16];
	hex(BA_HEX, ba, sizeof ba);
	struct mk_pkt bspec = { .ip = { .hlim = 64 }, .has_rh2 = true, .ulp = 135,
				.payload = ba, .payload_len = sizeof ba };
	bspec.ip.src = HA;
	bspec.ip.dst = COA;
	bspec.rh2_hoa = HOA;
	st = mk_pkt_build(buf, sizeof buf, &bspec, &n);
	tap_ok(st.err == MK_E_OK && n == 80 && mk_pkt_fix_cksum(buf, n).err == MK_E_OK,
	       "IPv6 + RH2 + BA builds and checksums");
	wl = hex("60 00 00 00 00 28 2b 40 " HA_HEX " " COA_HEX
		 " 87 02 02 01 00 00 00 00 " HOA_HEX
		 " 3b 01 06 00 4e 26 00 00 12 34 00 96 01 02 00 00", want, sizeof want);
	tap_is_mem(buf, want, wl, "IPv6 + RH2 + BA golden bytes (checksum with HoA as destination)");
	st = mk_ip6_chain_parse(buf, n, &h, &c);
	mk_ip6_pseudo_addrs(&h, &c, buf, &ps, &pd);
	tap_ok(!memcmp(&ps, &HA, 16) && !memcmp(&pd, &HOA, 16) && c.rh2 == 0 &&
		       c.rh2_segleft == 1 && c.rh2_hoa_off == 48,
	       "pseudo-header with RH2 SegLeft 1: destination = HoA in the RH2");
	tap_is_int(ref_cksum6(&HA, &HOA, 135, ba, 16, REF_NO_SKIP), 0x4e26,
		   "reference sum with the RH2's HoA as destination gives 0x4e26");
	/* as the mobile node sees it after processing the RH2: addresses
	 * swapped, Segments Left 0; the same checksum still verifies */
	memcpy(buf + 24, &HOA, 16);
	memcpy(buf + 48, &COA, 16);
	buf[43] = 0;
	st = mk_ip6_chain_parse(buf, n, &h, &c);
	mk_ip6_pseudo_addrs(&h, &c, buf, &ps, &pd);
	tap_ok(st.err == MK_E_OK && c.rh2_segleft == 0 && !memcmp(&pd, &HOA, 16),
	       "processed RH2 (SegLeft 0): destination = IPv6 destination (the HoA)");
	tap_ok(mk_pkt_check_cksum(buf, n, &cs), "processed packet verifies with the same checksum");
	check_status(mk_ip6_chain_strict(buf, &c), MK_E_RH2_SEGLEFT, 43,
	       "strict verdict on the processed RH2 (SegLeft 0)");

	/* ICMPv6 echo request with a HAO: checksum at offset 2 */
	uint8_t echo[12];
	hex("80 00 00 00 ab cd 00 01 61 62 63 64", echo, sizeof echo);
	struct mk_pkt espec = { .ip = { .hlim = 64 }, .has_hao = true, .ulp = 58,
				.payload = echo, .payload_len = sizeof echo };
	espec.ip.src = COA;
	espec.ip.dst = HA;
	espec.hao = HOA;
	st = mk_pkt_build(buf, sizeof buf, &espec, &n);
	st = mk_pkt_fix_cksum(buf, n);
	tap_is_int(mk_load16(buf + 64 + 2), ref_cksum6(&HOA, &HA, 58, echo, sizeof echo, REF_NO_SKIP),
		   "ICMPv6 checksum (offset 2) over the HoA pseudo-header matches the reference");

	/* UDP: a stored 0 is refused */
	uint8_t udp[12];
	hex("04 00 00 35 00 0c 00 00 de ad be ef", udp, sizeof udp);
	struct mk_pkt uspec = { .ip = { .hlim = 64 }, .ulp = 17, .payload = udp,
				.payload_len = sizeof udp };
	uspec.ip.src = COA;
	uspec.ip.dst = HA;
	st = mk_pkt_build(buf, sizeof buf, &uspec, &n);
	tap_ok(!mk_pkt_check_cksum(buf, n, &cs), "UDP with checksum 0: check fails");
	check_status(cs, MK_E_IP6_UDP_ZERO_CKSUM, 46, "UDP zero checksum");
	mk_pkt_fix_cksum(buf, n);
	tap_is_int(mk_load16(buf + 46), ref_cksum6(&COA, &HA, 17, udp, sizeof udp, REF_NO_SKIP),
		   "UDP checksum (offset 6) matches the reference");

	/* upper layer too short for its checksum field */
	ip6hdr(buf, 1, 58, &COA, &HA);
	buf[40] = 0x80;
	check_status(mk_pkt_fix_cksum(buf, 41), MK_E_TRUNC, 41,
	       "1-octet ICMPv6: checksum field would start past the payload end");
	ip6hdr(buf, 5, 135, &COA, &HA);
	check_status(mk_pkt_fix_cksum(buf, 48), MK_E_TRUNC, 44,
	       "5-octet MH: checksum field at 44 cut (link padding not used)");

	/* builder errors */
	n = 99;
	st = mk_pkt_build(buf, 70, &spec, &n);
	tap_ok(st.err == MK_E_NOSPACE && st.off == 64 && n == 0,
	       "full packet into 70 octets: NOSPACE at 64 (the payload), outlen 0");
	spec.payload_len = 65535 - 24 + 1;
	st = mk_pkt_build(buf, sizeof buf, &spec, &n);
	tap_ok(st.err == MK_E_RANGE && st.off == 4 && n == 0,
	       "payload that would overflow Payload Length: RANGE at 4");
	spec.payload_len = sizeof mh;
	spec.hao = MCAST;
	st = mk_pkt_build(buf, sizeof buf, &spec, &n);
	tap_ok(st.err == MK_E_HAO_HOA && st.off == 48 && n == 0,
	       "multicast HAO refused at 48 in the packet");
}

/* ---- chain walker ---- */

static void test_chain(void)
{
	uint8_t p[512];
	size_t n, o;
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_status st;

	/* IPv6 + HbH(8) + DestOpt(8) + RH2(24) + DestOpt(HAO)(24) + Frag(8, atomic) + MH BRR(8) */
	o = 40;
	o += hex("3c 00 01 04 00 00 00 00", p + o, 8);          /* HbH, NH 60 */
	o += hex("2b 00 01 04 00 00 00 00", p + o, 8);          /* DestOpt, NH 43 */
	o += hex("3c 02 02 01 00 00 00 00 " HOA_HEX, p + o, 24); /* RH2, NH 60 */
	o += hex("2c 02 01 02 00 00 c9 10 " HOA_HEX, p + o, 24); /* DestOpt(HAO), NH 44 */
	o += hex("87 00 00 00 11 22 33 44", p + o, 8);          /* Frag: off 0, M 0 */
	o += hex("3b 00 00 00 00 00 00 00", p + o, 8);          /* MH BRR */
	ip6hdr(p, (uint16_t)(o - 40), 0, &HA, &COA);
	n = o;
	st = mk_ip6_chain_parse(p, n, &h, &c);
	tap_ok(st.err == MK_E_OK && c.n == 5, "chain of HbH, DestOpt, RH2, DestOpt, Frag parses: 5 headers");
	tap_ok(c.ext[0].type == 0 && c.ext[0].off == 40 && c.ext[0].len == 8 &&
		       c.ext[1].type == 60 && c.ext[1].off == 48 && c.ext[2].type == 43 &&
		       c.ext[2].off == 56 && c.ext[2].len == 24 && c.ext[3].type == 60 &&
		       c.ext[3].off == 80 && c.ext[3].len == 24 && c.ext[4].type == 44 &&
		       c.ext[4].off == 104 && c.ext[4].len == 8 && c.ext[4].nh == 135,
	       "chain: types, offsets and lengths of every header");
	tap_ok(c.ulp == 135 && c.ulp_off == 112 && c.ulp_len == 8 && c.ulp_nh_off == 104 &&
		       c.end == 120 && c.flags == 0,
	       "chain: MH upper layer at 112, 8 octets, named by the Fragment header at 104");
	tap_ok(c.rh == 2 && c.rh2 == 2 && c.rh2_segleft == 1 && c.rh2_hoa_off == 64 &&
		       c.hao == 3 && c.hao_off == 86 && c.hao_pos == MK_HAO_AFTER_RH,
	       "chain: RH2 in ext[2] (HoA at 64), HAO at 86 in ext[3] after the RH");
	tap_ok(c.frag == 4 && c.frag_off == 0 && !c.frag_more && c.frag_id == 0x11223344,
	       "chain: atomic fragment, id 0x11223344");
	tap_ok(mk_ip6_chain_strict(p, &c).err == MK_E_OK, "strict: RFC 8200 / RFC 6275 order accepted");
	tap_ok(mk_pkt_fix_cksum(p, n).err == MK_E_OK && mk_pkt_check_cksum(p, n, NULL),
	       "checksum fixed and verified through the long chain (atomic fragment)");
	uint8_t mz[8];
	memcpy(mz, p + 112, 8);
	mz[4] = mz[5] = 0;
	tap_is_int(mk_load16(p + 116), ref_cksum6(&HOA, &HOA, 135, mz, 8, REF_NO_SKIP),
		   "pseudo-header from both HAO (source) and RH2 (destination)");

	/* link padding past the payload */
	memset(p + n, 0, 6);
	st = mk_ip6_chain_parse(p, n + 6, &h, &c);
	tap_ok(st.err == MK_E_OK && c.end == 120 && c.ulp_len == 8,
	       "6 octets of link padding: payload still ends at 120");

	/* plain ICMPv6 */
	ip6hdr(p, 8, 58, &COA, &HA);
	hex("80 00 00 00 00 01 00 01", p + 40, 8);
	st = mk_ip6_chain_parse(p, 48, &h, &c);
	tap_ok(st.err == MK_E_OK && c.n == 0 && c.ulp == 58 && c.ulp_off == 40 && c.ulp_len == 8 &&
		       c.ulp_nh_off == 6 && c.hao == -1 && c.rh2 == -1 && c.frag == -1 &&
		       c.hao_pos == MK_HAO_NONE,
	       "no extension headers: ICMPv6 at 40 named at 6");

	/* No Next Header */
	ip6hdr(p, 0, 59, &COA, &HA);
	st = mk_ip6_chain_parse(p, 40, &h, &c);
	tap_ok(st.err == MK_E_OK && c.ulp == 59 && c.ulp_off == 40 && c.ulp_len == 0,
	       "No Next Header: upper layer 59, nothing after");

	/* stop at ESP behind a HAO */
	ip6hdr(p, 24 + 16, 60, &COA, &HA);
	hex("32 02 01 02 00 00 c9 10 " HOA_HEX, p + 40, 24);
	hex("00 00 10 01 00 00 00 07 aa bb cc dd ee ff 00 11", p + 64, 16);
	st = mk_ip6_chain_parse(p, 80, &h, &c);
	tap_ok(st.err == MK_E_OK && c.ulp == 50 && (c.flags & MK_IP6C_OPAQUE) && c.ulp_off == 64 &&
		       c.ulp_len == 16 && c.n == 1,
	       "stopped at ESP, opaque: 16 octets at 64");
	tap_ok(mk_ip6_chain_strict(p, &c).err == MK_E_OK, "strict: HAO DestOpt before ESP accepted");
	check_status(mk_pkt_fix_cksum(p, 80), MK_E_IP6_NO_CKSUM, 40, "checksum behind ESP");
	/* AH */
	ip6hdr(p, 16, 51, &COA, &HA);
	st = mk_ip6_chain_parse(p, 56, &h, &c);
	tap_ok(st.err == MK_E_OK && c.ulp == 51 && (c.flags & MK_IP6C_OPAQUE) && c.ulp_off == 40,
	       "stopped at AH, opaque");

	/* non-first fragment */
	ip6hdr(p, 8 + 16, 44, &COA, &HA);
	hex("11 00 05 c9 de ad be ef", p + 40, 8);
	memset(p + 48, 0xab, 16);
	st = mk_ip6_chain_parse(p, 64, &h, &c);
	tap_ok(st.err == MK_E_OK && (c.flags & MK_IP6C_FRAG_TAIL) && c.ulp == 59 &&
		       c.ulp_off == 48 && c.ulp_len == 16 && c.frag == 0 && c.frag_off == 185 &&
		       c.frag_more && c.frag_id == 0xdeadbeef && c.ext[0].nh == 17,
	       "non-first fragment: no upper layer, offset 185, M, id, NH 17 kept");
	check_status(mk_pkt_fix_cksum(p, 64), MK_E_IP6_FRAGMENT, 42, "checksum of a non-first fragment");
	/* first fragment */
	hex("3a 00 00 01 00 00 00 09", p + 40, 8);
	hex("80 00 00 00 00 01 00 01", p + 48, 8);
	st = mk_ip6_chain_parse(p, 64, &h, &c);
	tap_ok(st.err == MK_E_OK && (c.flags & MK_IP6C_FRAG_HEAD) && c.ulp == 58 && c.ulp_off == 48,
	       "first fragment: ICMPv6 upper layer found, flagged incomplete");
	struct mk_status cs;
	tap_ok(!mk_pkt_check_cksum(p, 64, &cs) && cs.err == MK_E_IP6_FRAGMENT && cs.off == 42,
	       "checksum of a first fragment refused at 42");

	/* 16 DestOpt headers are fine, 17 are too many */
	for (int k = 0; k < 17; k++)
		hex(k == 16 ? "3b 00 01 04 00 00 00 00" : "3c 00 01 04 00 00 00 00", p + 40 + 8 * k,
		    8);
	p[40 + 8 * 15] = 59;
	ip6hdr(p, 16 * 8, 60, &COA, &HA);
	st = mk_ip6_chain_parse(p, 40 + 16 * 8, &h, &c);
	tap_ok(st.err == MK_E_OK && c.n == 16 && c.ulp == 59, "16 extension headers accepted");
	p[40 + 8 * 15] = 60;
	ip6hdr(p, 17 * 8, 60, &COA, &HA);
	st = mk_ip6_chain_parse(p, 40 + 17 * 8, &h, &c);
	check_status(st, MK_E_IP6_CHAIN_LONG, 168, "17 extension headers");

	/* HbH after a DestOpt */
	ip6hdr(p, 16, 60, &COA, &HA);
	hex("00 00 01 04 00 00 00 00 3b 00 01 04 00 00 00 00", p + 40, 16);
	check_status(mk_ip6_chain_parse(p, 56, &h, &c), MK_E_IP6_HBH_NOT_FIRST, 40,
	       "Hop-by-Hop after a DestOpt");

	/* extension header longer than the payload */
	ip6hdr(p, 8, 60, &COA, &HA);
	hex("3b 03 01 04 00 00 00 00", p + 40, 8);
	memset(p + 48, 0, 32);
	check_status(mk_ip6_chain_parse(p, 80, &h, &c), MK_E_IP6_EXT_OVERRUN, 41,
	       "DestOpt of 32 octets in an 8-octet payload (padding after it ignored)");
	ip6hdr(p, 0, 60, &COA, &HA);
	check_status(mk_ip6_chain_parse(p, 48, &h, &c), MK_E_TRUNC, 40,
	       "Next Header 60 with an empty payload");
	ip6hdr(p, 4, 44, &COA, &HA);
	check_status(mk_ip6_chain_parse(p, 48, &h, &c), MK_E_TRUNC, 44,
	       "Fragment header cut at 4 octets (Identification missing)");

	/* malformations inside the chain keep packet offsets */
	ip6hdr(p, 24, 60, &COA, &HA);
	hex("3b 02 01 00 c9 10 " HOA_HEX " 01 00", p + 40, 24);
	check_status(mk_ip6_chain_parse(p, 64, &h, &c), MK_E_HAO_ALIGN, 44, "misaligned HAO in a packet");
	ip6hdr(p, 48, 43, &COA, &HA);
	hex("2b 02 02 01 00 00 00 00 " HOA_HEX, p + 40, 24);
	hex("3b 02 02 01 00 00 00 00 " HOA_HEX, p + 64, 24);
	check_status(mk_ip6_chain_parse(p, 88, &h, &c), MK_E_RH2_DUP, 66, "two RH2");
	ip6hdr(p, 40, 43, &COA, &HA);
	hex("3b 04 02 01 00 00 00 00 " HOA_HEX " 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00",
	    p + 40, 40);
	check_status(mk_ip6_chain_parse(p, 80, &h, &c), MK_E_RH2_HDRLEN, 41, "RH2 with Hdr Ext Len 4");
	ip6hdr(p, 48, 60, &COA, &HA);
	hex("3c 02 01 02 00 00 c9 10 " HOA_HEX, p + 40, 24);
	hex("3b 02 01 02 00 00 c9 10 " HOA_HEX, p + 64, 24);
	check_status(mk_ip6_chain_parse(p, 88, &h, &c), MK_E_HAO_DUP, 70, "HAO in two DestOpt headers");

	/* HAO before the routing header */
	ip6hdr(p, 48 + 8, 60, &HA, &COA);
	hex("2b 02 01 02 00 00 c9 10 " HOA_HEX, p + 40, 24);
	hex("87 02 02 01 00 00 00 00 " HOA_HEX, p + 64, 24);
	hex("3b 00 00 00 00 00 00 00", p + 88, 8);
	st = mk_ip6_chain_parse(p, 96, &h, &c);
	tap_ok(st.err == MK_E_OK && c.hao_pos == MK_HAO_BEFORE_RH,
	       "HAO DestOpt before the RH2: parsed, reported before-rh");
	check_status(mk_ip6_chain_strict(p, &c), MK_E_HAO_ORDER, 46, "strict: HAO before the RH");
	/* Fragment before a routing header */
	ip6hdr(p, 16, 44, &COA, &HA);
	hex("2b 00 00 00 00 00 00 01", p + 40, 8);
	hex("3b 00 00 00 00 00 00 00", p + 48, 8);
	st = mk_ip6_chain_parse(p, 56, &h, &c);
	tap_ok(st.err == MK_E_OK && c.rh == 1 && c.rh2 == -1, "Fragment then type 0 routing header parses");
	check_status(mk_ip6_chain_strict(p, &c), MK_E_IP6_EXT_ORDER, 48, "strict: routing header after Fragment");
}

/* ---- IPv6-in-IPv6 ---- */

static void test_tunnel(void)
{
	uint8_t inner[80], buf[256], want[40];
	size_t n, io, il;
	struct mk_ip6 oh = { .hlim = 64 };
	struct mk_status st;

	hex("60 00 00 00 00 28 3c 40 " COA_HEX " " HA_HEX
	    " 87 02 01 02 00 00 c9 10 " HOA_HEX
	    " 3b 01 05 00 8f 25 12 34 c0 00 00 96 01 02 00 00", inner, sizeof inner);
	oh.src = HA;
	oh.dst = COA;
	st = mk_ip6_encap(buf, sizeof buf, &oh, inner, sizeof inner, &n);
	tap_ok(st.err == MK_E_OK && n == 120, "encapsulation of an 80-octet packet: 120 octets");
	hex("60 00 00 00 00 50 29 40 " HA_HEX " " COA_HEX, want, sizeof want);
	tap_is_mem(buf, want, 40, "outer header golden bytes: plen 80, NH 41");
	tap_is_mem(buf + 40, inner, 80, "inner packet copied unchanged");
	st = mk_ip6_decap(buf, n, NULL, NULL, &io, &il);
	tap_ok(st.err == MK_E_OK && io == 40 && il == 80 && !memcmp(buf + io, inner, 80),
	       "decapsulation returns the inner packet");

	/* in place: the inner packet already at buf + 40 */
	memset(buf, 0xee, 40);
	memcpy(buf + 40, inner, 80);
	st = mk_ip6_encap(buf, 120, &oh, buf + 40, 80, &n);
	tap_ok(st.err == MK_E_OK && n == 120 && !memcmp(buf, want, 40) &&
		       !memcmp(buf + 40, inner, 80),
	       "in-place encapsulation");

	struct mk_ip6 h;
	struct mk_ip6_chain c;
	st = mk_ip6_decap(inner, sizeof inner, &h, &c, &io, &il);
	check_status(st, MK_E_IP6_NOT_TUNNEL, 40, "decapsulating a packet whose chain ends in MH");
	tap_ok(c.ulp == 135 && io == 0 && il == 0, "failed decapsulation still fills the outer chain, zero slice");
	buf[40] = 0x40;
	check_status(mk_ip6_decap(buf, 120, NULL, NULL, &io, &il), MK_E_IP6_VERSION, 40,
	       "inner packet of version 4");
	check_status(mk_ip6_encap(buf, sizeof buf, &oh, buf + 40, 80, &n), MK_E_IP6_VERSION, 40,
	       "encapsulating a version-4 packet");
	n = 99;
	st = mk_ip6_encap(buf, 100, &oh, inner, 80, &n);
	tap_ok(st.err == MK_E_NOSPACE && st.off == 40 && n == 0, "encapsulation into 100 octets: NOSPACE");
}

static void test_names(void)
{
	tap_is_str(mk_ip6_nh_name(135), "Mobility Header", "next header 135 name");
	tap_is_str(mk_ip6_nh_name(60), "IPv6-Opts", "next header 60 name");
	tap_ok(mk_ip6_nh_name(41) && mk_ip6_nh_name(0) && mk_ip6_nh_name(43) && mk_ip6_nh_name(44) &&
		       mk_ip6_nh_name(50) && mk_ip6_nh_name(51) && mk_ip6_nh_name(58) &&
		       mk_ip6_nh_name(59) && mk_ip6_nh_name(6) && mk_ip6_nh_name(17) &&
		       !mk_ip6_nh_name(200),
	       "next-header names for every number the walker knows, NULL for 200");
	tap_is_str(mk_ip6_rh_type_name(2), "type-2", "routing type 2 name");
	tap_is_str(mk_ip6_opt_name(0xc9), "Home Address", "option 0xC9 name");
	tap_ok(mk_ip6_opt_name(0) && mk_ip6_opt_name(1) && !mk_ip6_opt_name(0x42),
	       "Pad1/PadN named, 0x42 unknown");
	tap_is_str(mk_ip6_opt_action_name(mk_ip6_opt_action(0xc9)), "discard+icmp-unless-multicast",
		   "action name of 0xC9");
	tap_is_str(mk_strerror(MK_E_IP6_PADN_NONZERO), "PadN carries non-zero octets",
		   "error text of PadN");
}

int main(void)
{
	addrs_init();
	tap_plan(129);
	test_ip6_header();
	test_rh2();
	test_hao();
	test_frag();
	test_full_packet();
	test_chain();
	test_tunnel();
	test_names();
	return tap_done();
}
