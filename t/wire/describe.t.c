/* t/wire/describe.t.c: mk_pkt_assemble, the one-line describer, the
 * checksum-offload test and the JSON writer. */
#include <arpa/inet.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"
#include "t/lib/tap.h"
#include "wire/cksum.h"
#include "wire/describe.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

static struct in6_addr A(const char *s)
{
	struct in6_addr a;
	inet_pton(AF_INET6, s, &a);
	return a;
}

static size_t app(char *b, size_t cap, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	n = mk_vappend(b, cap, n, fmt, ap);
	va_end(ap);
	return n;
}

static int has(const char *line, const char *want)
{
	int ok = strstr(line, want) != NULL;
	if (!ok)
		tap_diag("line: %s\nwant: %s", line, want);
	return ok;
}


/* A packet into a buffer: an ICMPv6 error quoting ql octets of q. */
static size_t quoting(uint8_t *out, size_t cap, const uint8_t *q, size_t ql)
{
	struct mk_icmp6 e = { .kind = MK_ICMP6_K_PARAM_PROB, .code = 2 };
	struct in6_addr cn = A("2001:db8:3::1"), coa = A("2001:db8:21::100");
	uint8_t ic[1280];
	size_t il, len = 0;

	e.u.err.word = 46;
	e.u.err.invoking = q;
	e.u.err.invoking_len = ql;
	if (mk_icmp6_build(ic, sizeof ic, NULL, &e, &il).err != MK_E_OK ||
	    mk_pkt_assemble(out, cap, &cn, &coa, NULL, NULL, MK_NH_ICMPV6, ic, il, &len).err != MK_E_OK)
		return 0;
	return len;
}

static int count_of(const char *line, const char *want)
{
	int k = 0;
	for (const char *p = line; (p = strstr(p, want)) != NULL; p++)
		k++;
	return k;
}

/* Checksums inside tunnels and quotes, and the structured result. */
static void nested(void)
{
	uint8_t mh[64], in[256], pkt[512], bu[256];
	size_t n, il, len, bl;
	char line[1024];
	struct mk_mh m;
	struct mk_pkt_summary s;
	struct in6_addr hoa = A("2001:db8:1::100"), cn = A("2001:db8:3::1"),
			coa = A("2001:db8:21::100"), ha = A("2001:db8:1::2");
	struct mk_ip6 outer = { .hlim = 64, .src = coa, .dst = ha };
	static const uint8_t cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };

	/* a HoTI from the home address, reverse-tunnelled through the HA */
	mk_mh_init(&m, MK_MH_HOTI);
	memcpy(m.u.testinit.cookie, cookie, 8);
	tap_ok(mk_mh_build(mh, sizeof mh, NULL, &m, &n).err == MK_E_OK &&
		       mk_pkt_assemble(in, sizeof in, &hoa, &cn, NULL, NULL, MK_NH_MH, mh, n, &il).err ==
			       MK_E_OK &&
		       mk_ip6_encap(pkt, sizeof pkt, &outer, in, il, &len).err == MK_E_OK,
	       "tunnelled HoTI built (IPv6-in-IPv6)");
	mk_pkt_describe_ex(pkt, len, NULL, line, sizeof line, &s);
	tap_ok(has(line, "2001:db8:21::100 > 2001:db8:1::2 IPv6-in-IPv6: 2001:db8:1::100 > "
			 "2001:db8:3::1 MH HoTI cookie 0102030405060708 [cksum ok]"),
	       "tunnelled HoTI, good: the inner MH checksum is judged ok");
	tap_ok(s.n == 2 && s.layer[0].via == MK_VIA_OUTER && s.layer[0].ulp == MK_NH_IPV6 &&
		       s.layer[0].cksum == MK_CKV_NONE && s.layer[1].via == MK_VIA_TUNNEL &&
		       s.layer[1].ulp == MK_NH_MH && s.layer[1].cksum == MK_CKV_OK &&
		       s.layer[1].off == 40 && s.layer[1].len == il,
	       "summary: two layers, the outer carries no checksum, the tunnelled one ok");
	tap_ok(s.outer.checked == 0 && s.inner.checked == 1 && s.inner.ok == 1 && s.inner.bad == 0 &&
		       s.err.err == MK_E_OK,
	       "summary counts: 1 inner checksum checked, ok; no fault");

	pkt[40 + 40 + 4] ^= 0x10; /* the inner MH checksum */
	mk_pkt_describe_ex(pkt, len, NULL, line, sizeof line, &s);
	tap_ok(has(line, "MH HoTI cookie 0102030405060708 [cksum BAD]"),
	       "tunnelled HoTI, inner MH checksum corrupt: the inner verdict is BAD");
	tap_ok(s.layer[1].cksum == MK_CKV_BAD && s.inner.bad == 1 && s.inner.checked == 1 &&
		       s.outer.bad == 0 && s.err.err == MK_E_BAD_CKSUM && s.err.off == 84,
	       "summary: inner bad counted, the fault is the inner checksum field (offset 84)");
	tap_ok(mk_pkt_describe_ex(pkt, len, NULL, NULL, 0, &s) > 0 && s.inner.bad == 1,
	       "no buffer: only counts, the same verdicts");

	/* a Parameter Problem quoting the whole BU, then the same quote cut */
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 7;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	tap_ok(mk_mh_build(mh, sizeof mh, NULL, &m, &n).err == MK_E_OK &&
		       mk_pkt_assemble(bu, sizeof bu, &coa, &ha, &hoa, NULL, MK_NH_MH, mh, n, &bl).err ==
			       MK_E_OK,
	       "BU with HAO built");
	len = quoting(pkt, sizeof pkt, bu, bl);
	mk_pkt_describe_ex(pkt, len, NULL, line, sizeof line, &s);
	tap_ok(has(line, "ICMPv6 Parameter Problem code 2 (unrecognized IPv6 option encountered) "
			 "pointer 46 for {2001:db8:21::100 > 2001:db8:1::2 DST(HAO 2001:db8:1::100) "
			 "MH BU seq 7 flags A,H lifetime 0 (0 s) [cksum ok] } [cksum ok]"),
	       "quoted whole: ok at both depths");
	if (s.n != 2 || s.layer[1].off != 48)
		tap_diag("n %u layer[1].off %zu", s.n, s.layer[1].off);
	tap_ok(s.n == 2 && s.layer[1].via == MK_VIA_QUOTED && s.layer[1].off == 48 &&
		       s.outer.ok == 1 && s.inner.ok == 1,
	       "summary: outer ok, quoted ok at offset 48");

	bu[40 + 24 + 4] ^= 1;
	len = quoting(pkt, sizeof pkt, bu, bl);
	mk_pkt_describe_ex(pkt, len, NULL, line, sizeof line, &s);
	tap_ok(has(line, "[cksum BAD] } [cksum ok]") && s.inner.bad == 1 && s.err.err == MK_E_OK,
	       "quoted whole, its MH checksum corrupt: BAD inside, counted, not a fault of the error");

	len = quoting(pkt, sizeof pkt, bu, 40 + 24 + 6);
	mk_pkt_describe_ex(pkt, len, NULL, line, sizeof line, &s);
	tap_ok(has(line, "DST(HAO 2001:db8:1::100) MH [MH: packet truncated: field runs past the end of the buffer at 0] "
			 "[cksum not judged (quoted, cut)] } [cksum ok]"),
	       "quoted cut inside the MH: described to the cut, not judged");
	tap_ok(s.layer[1].cksum == MK_CKV_CUT && s.inner.cut == 1 && s.inner.checked == 0 &&
		       s.inner.bad == 0 && s.outer.ok == 1 && s.err.err == MK_E_OK,
	       "summary: the cut quote counted as cut, neither checked nor bad");
	len = quoting(pkt, sizeof pkt, bu, 40 + 10);
	mk_pkt_describe_ex(pkt, len, NULL, line, sizeof line, &s);
	tap_ok(has(line, "[cksum not judged (quoted, cut)] } [cksum ok]") && count_of(line, "BAD") == 0,
	       "quoted cut inside the extension headers: not judged, never BAD");
}
int main(void)
{
	uint8_t mh[64], pkt[256];
	size_t n, len;
	char line[1024];
	struct mk_mh m;
	struct in6_addr src = A("2001:db8:21::100"), dst = A("2001:db8:1::2"),
			hoa = A("2001:db8:1::100");
	struct mk_ip6 h;
	struct mk_ip6_chain c;

	tap_plan(39);

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 7;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 15;
	tap_is_int(mk_mh_build(mh, sizeof mh, NULL, &m, &n).err, MK_E_OK, "BU built");
	tap_is_int(mk_pkt_assemble(pkt, sizeof pkt, &src, &dst, &hoa, NULL, MK_NH_MH, mh, n, &len).err,
		   MK_E_OK, "mk_pkt_assemble: IPv6 + HAO + BU");
	tap_is_int((long long)len, 40 + 24 + (long long)n, "its length is 40 + 24 + the MH");
	tap_ok(mk_pkt_check_cksum(pkt, len, NULL), "its MH checksum verifies (pseudo-header from the HAO)");
	tap_is_int(pkt[7], 64, "hop limit 64");

	mk_pkt_describe(pkt, len, NULL, line, sizeof line);
	tap_ok(has(line, "2001:db8:21::100 > 2001:db8:1::2 DST(HAO 2001:db8:1::100) MH BU seq 7 flags A,H lifetime 15 (60 s)"),
	       "described: addresses, HAO, BU fields");
	tap_ok(has(line, "[cksum ok]"), "a good checksum is marked ok");

	/* a checksum holding only the folded pseudo-header sum: offload */
	tap_is_int(mk_ip6_chain_parse(pkt, len, &h, &c).err, MK_E_OK, "chain parses");
	{
		struct in6_addr s, d;
		mk_ip6_pseudo_addrs(&h, &c, pkt, &s, &d);
		uint32_t sum = mk_csum_pseudo6(&s, &d, (uint32_t)c.ulp_len, c.ulp);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		pkt[c.ulp_off + 4] = (uint8_t)(sum >> 8);
		pkt[c.ulp_off + 5] = (uint8_t)sum;
	}
	tap_ok(mk_ip6_ulp_cksum_partial(pkt, &h, &c), "pseudo-header-only checksum: partial");
	mk_pkt_describe(pkt, len, NULL, line, sizeof line);
	tap_ok(has(line, "[cksum partial: offload]"), "described as left to offload");
	pkt[c.ulp_off + 5] ^= 1;
	tap_ok(!mk_ip6_ulp_cksum_partial(pkt, &h, &c), "one bit off: not partial");
	mk_pkt_describe(pkt, len, NULL, line, sizeof line);
	tap_ok(has(line, "[cksum BAD]"), "and described as bad");

	mk_pkt_describe(pkt, 30, NULL, line, sizeof line);
	tap_ok(has(line, "not IPv6 (30 octets)"), "a short buffer is said to be short, no crash");
	size_t need = mk_pkt_describe(pkt, len, NULL, line, 10);
	tap_ok(strlen(line) == 9 && need > 9, "truncated to the buffer, the full length returned");

	/* JSON */
	char *buf = NULL;
	size_t blen = 0;
	FILE *f = open_memstream(&buf, &blen);
	struct mk_json j;
	mk_json_begin(&j, f);
	mk_json_str(&j, "probe", "bu \"x\"\n");
	mk_json_obj(&j, "answer");
	mk_json_uint(&j, "status", 0);
	mk_json_arr(&j, "addrs");
	mk_json_str(&j, NULL, "a");
	mk_json_str(&j, NULL, "b");
	mk_json_end(&j);
	mk_json_num(&j, "rtt", 1.5, 3);
	mk_json_finish(&j);
	fclose(f);
	tap_is_str(buf, "{\"probe\":\"bu \\\"x\\\"\\n\",\"answer\":{\"status\":0,\"addrs\":[\"a\",\"b\"],\"rtt\":1.500}}\n",
		   "JSON: escapes, nesting, commas, finish closes what is open");
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &blen);
	mk_json_begin(&j, f);
	mk_json_num(&j, "x", 0.0 / 0.0, 2);
	mk_json_hex(&j, "h", (const uint8_t *)"\x01\xab", 2);
	mk_json_finish(&j);
	fclose(f);
	tap_is_str(buf, "{\"x\":null,\"h\":\"01ab\"}\n", "JSON: NaN is null, hex strings");
	free(buf);

	/* mk_ip6_ntop against the C library, on addresses rich in zero groups */
	{
		unsigned long bad = 0, seed = 1;
		char want[INET6_ADDRSTRLEN], got[INET6_ADDRSTRLEN];
		for (long i = 0; i < 1000000; i++) {
			uint8_t a[16];
			for (int k = 0; k < 8; k++) {
				seed = seed * 6364136223846793005ul + 1442695040888963407ul;
				unsigned r = (unsigned)(seed >> 33);
				uint16_t v = (r & 3) == 0 ? (uint16_t)(r >> 8) : (r & 3) == 1 ? (uint16_t)(r >> 28) : 0;
				if (k == 5 && (r & 0x30) == 0x30)
					v = 0xffff;
				a[2 * k] = (uint8_t)(v >> 8), a[2 * k + 1] = (uint8_t)v;
			}
			inet_ntop(AF_INET6, a, want, sizeof want);
			mk_ip6_ntop(a, got);
			if (strcmp(want, got) != 0 && bad++ < 3)
				tap_diag("inet_ntop %s, mk_ip6_ntop %s", want, got);
		}
		tap_is_int((long long)bad, 0, "mk_ip6_ntop writes what inet_ntop writes (1M addresses)");
		mk_ip6_ntop(A("::ffff:192.0.2.1").s6_addr, got);
		tap_is_str(got, "::ffff:192.0.2.1", "mk_ip6_ntop: IPv4-mapped as a dotted quad");
	}
	{
		char b[16] = "ab";
		size_t k = app(b, sizeof b, 2, "%s-%u-%d-%zu", "x", 42u, -7, (size_t)9);
		tap_is_str(b, "abx-42--7-9", "mk_vappend: s, u, d and zu conversions without printf");
		k = app(b, sizeof b, k, "%s%02x", "0123456789", 10u);
		tap_is_int((long long)k, 23, "mk_vappend: the length needed past the end, like snprintf");
		tap_is_str(b, "abx-42--7-90123", "mk_vappend: cut at the buffer, NUL-terminated");
	}
	nested();
	/* draft-ietf-mip6-hareliability-06: HARP and State Sync on their codepoints */
	{
		struct in6_addr ha1 = A("2001:db8:1::1"), ha2 = A("2001:db8:1::2");
		mk_mh_init_harp(&m, NULL, MK_MHM_HARP);
		m.u.harp.type = MK_HARP_HELLO;
		m.u.harp.group = 1;
		m.u.harp.seq = 9;
		m.u.harp.flags = MK_HARP_A;
		m.u.harp.hello = 500;
		mk_mh_build(mh, sizeof mh, NULL, &m, &n);
		mk_pkt_assemble(pkt, sizeof pkt, &ha1, &ha2, NULL, NULL, MK_NH_MH, mh, n, &len);
		mk_pkt_describe(pkt, len, NULL, line, sizeof line);
		tap_ok(has(line, "MH HARP(240) HA-HELLO/SW-COMP group 1 seq 9 flags A status 0 preference 0 lifetime 0 hello 500") &&
			       has(line, "[cksum ok]"),
		       "described: HARP HA-HELLO with its fields");
		mk_mh_init_harp(&m, NULL, MK_MHM_SS);
		m.u.ss.type = MK_SS_REP;
		m.u.ss.id = 3;
		m.opts[0].kind = MK_MHO_BCI;
		m.opts[0].v.bci.full = true;
		m.opts[0].v.bci.hoa = hoa;
		m.opts[0].v.bci.coa = src;
		m.opts[0].v.bci.seq = 4;
		m.opts[0].v.bci.lifetime = 15;
		m.nopts = 1;
		tap_is_int(mk_mh_build(mh, sizeof mh, NULL, &m, &n).err, MK_E_OK, "State Sync REP built");
		mk_pkt_assemble(pkt, sizeof pkt, &ha1, &ha2, NULL, NULL, MK_NH_MH, mh, n, &len);
		mk_pkt_describe(pkt, len, NULL, line, sizeof line);
		tap_ok(has(line, "MH StateSync(241) REP id 3 opts Binding Cache Information(2001:db8:1::100 -> 2001:db8:21::100 seq 4 flags 0x0000 lifetime 15 (60 s))"),
		       "described: State Sync with its Binding Cache Information");
		struct mk_codepoints off;
		mk_cp_profile(&off, "default");
		mk_cp_set(&off, "harp-ss-mh-type=0");
		mk_pkt_describe(pkt, len, &off, line, sizeof line);
		tap_ok(has(line, "MH type 241 ("), "harp-ss-mh-type=0: an MH of type 241, not decoded");
	}

	return tap_done();
}
