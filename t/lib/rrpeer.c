/* t/lib/rrpeer.c: a scripted mobile node's side of return routability, for
 * t/stack/cn.t (mobprobe sends a HoTI, a CoTI or a BU, but cannot carry the
 * keygen tokens of one answer into the next message's authenticator).  It
 * runs beside a registered mobile node (mobd on the same node keeps the
 * home registration and the tunnel), and keeps the last tokens across the
 * steps of its script:
 *
 *   rrpeer -i IFACE -h HOA -c COA -a HA CN STEP...
 *     hot          HoTI from HOA, reverse-tunnelled to HA (RFC 6275 5.2.3);
 *                  prints "hot idx N" (the HoT comes back through the
 *                  home agent's tunnel) or "hot none"
 *     cot          CoTI from COA, direct; "cot idx N" or "cot none"
 *     rr           hot, then cot
 *     bu SEQ       BU from COA with the HAO, A bit, lifetime (life), Nonce
 *                  Indices and the Binding Authorization Data from the last
 *                  tokens; prints "ba status S seq N lifetime L bad ok|wrong|none",
 *                  "be status S" or "none"
 *     badbu SEQ    the same with one authenticator bit changed
 *     dereg SEQ    lifetime 0, Kbm from the home token alone
 *     hao ADDR     an Echo Request from COA with a HAO naming ADDR; prints
 *                  "be status S hoa A" or "none"
 *     echo         an Echo Request from COA with a HAO naming HOA; prints
 *                  "echo-reply to A rh2 H" (H the RH2's address, or none) or
 *                  "none"
 *     life SEC     the lifetime of the BUs that follow (default 60)
 *     brr SEC      wait SEC seconds for a Binding Refresh Request; prints
 *                  "brr to A rh2 H" or "none"
 *     sleep MS
 *
 * Answers are captured with libpcap on IFACE (before nftables, so mobd's
 * table on this node does not hide them), each waited for at most 1.5 s.
 * Built from lib/wire like everything else; not installed.  Exit 0 when
 * the script ran (whatever the answers), 2 for a usage error. */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "net/raw6.h"
#include "util/fmt.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

static struct in6_addr hoa, coa, ha, cn;
static struct mk_raw6 out;
static pcap_t *cap;
static uint8_t home_tok[8], careof_tok[8];
static uint16_t home_idx, careof_idx;
static uint32_t bu_life = 60; /* seconds, the life step */

static uint64_t ms_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

static int send_pkt(const struct in6_addr *src, const struct in6_addr *dst, const struct in6_addr *hao,
		    uint8_t ulp, const uint8_t *body, size_t n, bool tunnel)
{
	uint8_t pkt[1024], outer[1100];
	size_t len, olen;
	if (mk_pkt_assemble(pkt, sizeof pkt, src, dst, hao, NULL, ulp, body, n, &len).err != MK_E_OK)
		return -1;
	if (!tunnel)
		return mk_raw6_send(&out, pkt, len);
	struct mk_ip6 o = { .hlim = 64, .src = coa, .dst = ha };
	if (mk_ip6_encap(outer, sizeof outer, &o, pkt, len, &olen).err != MK_E_OK)
		return -1;
	return mk_raw6_send(&out, outer, olen);
}

/* the next IPv6 packet to reach us before until (ms), decapsulated if
 * tunnelled, its chain parsed into *ih, *c; NULL at until */
static const uint8_t *next_pkt(uint64_t until, struct mk_ip6 *ih, struct mk_ip6_chain *c)
{
	while (ms_now() < until) {
		struct pcap_pkthdr *h;
		const u_char *fr;
		int r = pcap_next_ex(cap, &h, &fr);
		if (r < 0)
			return NULL;
		if (r == 0 || h->caplen < 14 + 40 || fr[12] != 0x86 || fr[13] != 0xdd)
			continue;
		const uint8_t *p = fr + 14;
		if (mk_ip6_chain_parse(p, h->caplen - 14, ih, c).err != MK_E_OK)
			continue;
		if (c->ulp == 41) {
			p += c->ulp_off;
			if (mk_ip6_chain_parse(p, c->ulp_len, ih, c).err != MK_E_OK)
				continue;
		}
		return p;
	}
	return NULL;
}

/* the next MH (of type want, or a BE when be_too) to reach us: its parse in
 * *m, the MH in *mh; false after 1.5 s */
static bool wait_mh(uint8_t want, bool be_too, struct mk_mh *m, uint8_t *mh, size_t *mhlen)
{
	uint64_t until = ms_now() + 1500;
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	const uint8_t *p;
	while ((p = next_pkt(until, &ih, &c))) {
		if (c.ulp != MK_MH_NEXTHDR || c.ulp_len > 2048 ||
		    mk_mh_parse(p + c.ulp_off, c.ulp_len, NULL, m).err != MK_E_OK)
			continue;
		if (m->type == want || (be_too && m->type == MK_MH_BE)) {
			memcpy(mh, p + c.ulp_off, c.ulp_len);
			*mhlen = c.ulp_len;
			return true;
		}
	}
	return false;
}

static void test(bool home)
{
	uint8_t cookie[8], body[64], mh[2048];
	struct mk_mh m;
	size_t n, mhlen;
	for (int i = 0; i < 8; i++)
		cookie[i] = (uint8_t)rand();
	n = 0;
	struct mk_mh q;
	mk_mh_init(&q, home ? MK_MH_HOTI : MK_MH_COTI);
	memcpy(q.u.testinit.cookie, cookie, 8);
	if (mk_mh_build(body, sizeof body, NULL, &q, &n).err != MK_E_OK ||
	    send_pkt(home ? &hoa : &coa, &cn, NULL, MK_MH_NEXTHDR, body, n, home) != 0) {
		printf("%s send failed\n", home ? "hot" : "cot");
		return;
	}
	while (wait_mh(home ? MK_MH_HOT : MK_MH_COT, false, &m, mh, &mhlen)) {
		if (memcmp(m.u.test.cookie, cookie, 8))
			continue;
		memcpy(home ? home_tok : careof_tok, m.u.test.token, 8);
		*(home ? &home_idx : &careof_idx) = m.u.test.nonce_idx;
		printf("%s idx %u\n", home ? "hot" : "cot", m.u.test.nonce_idx);
		return;
	}
	printf("%s none\n", home ? "hot" : "cot");
}

static void bu(uint16_t seq, uint32_t life, bool spoil)
{
	uint8_t body[128], kbm[20], mh[2048];
	struct mk_mh b, m;
	size_t n = 0, mhlen;
	char a[INET6_ADDRSTRLEN];
	mk_mh_init(&b, MK_MH_BU);
	b.u.bu.seq = seq;
	b.u.bu.flags = MK_BU_A;
	b.u.bu.lifetime = mk_mh_lifetime_units(life);
	b.opts[0].kind = MK_MHO_NONCE;
	b.opts[0].v.nonce.home = home_idx;
	b.opts[0].v.nonce.careof = careof_idx;
	b.opts[1].kind = MK_MHO_BAD;
	b.nopts = 2;
	mk_rr_kbm(home_tok, life ? careof_tok : NULL, kbm);
	if (mk_mh_build(body, sizeof body, NULL, &b, &n).err != MK_E_OK ||
	    mk_rr_bad_fill(body, n, NULL, kbm, life ? &coa : &hoa, &cn).err != MK_E_OK) {
		printf("bu not built\n");
		return;
	}
	if (spoil)
		body[n - 1] ^= 1;
	if (send_pkt(&coa, &cn, &hoa, MK_MH_NEXTHDR, body, n, false) != 0) {
		printf("bu send failed\n");
		return;
	}
	if (!wait_mh(MK_MH_BA, true, &m, mh, &mhlen)) {
		printf("none\n");
	} else if (m.type == MK_MH_BE) {
		printf("be status %u hoa %s\n", m.u.be.status, mk_ip6_ntop(&m.u.be.hoa, a));
	} else {
		const char *v = "none";
		if (mk_mh_find_opt(&m, MK_MHO_BAD))
			v = mk_rr_bad_verify(mh, mhlen, NULL, kbm, &coa, &cn).err == MK_E_OK ? "ok" : "wrong";
		printf("ba status %u seq %u lifetime %u bad %s\n", m.u.ba.status, m.u.ba.seq,
		       mk_mh_lifetime_sec(m.u.ba.lifetime), v);
	}
}

static void hao_echo(const struct in6_addr *name)
{
	uint8_t body[8] = { 128, 0, 0, 0, 0x12, 0x34, 0, 1 }, mh[2048];
	struct mk_mh m;
	size_t mhlen;
	char a[INET6_ADDRSTRLEN];
	if (send_pkt(&coa, &cn, name, 58, body, sizeof body, false) != 0) {
		printf("hao send failed\n");
		return;
	}
	if (wait_mh(MK_MH_BE, true, &m, mh, &mhlen))
		printf("be status %u hoa %s\n", m.u.be.status, mk_ip6_ntop(&m.u.be.hoa, a));
	else
		printf("none\n");
}

/* an Echo Request from the home address, sent from COA with a HAO (route
 * optimization, RFC 6275 9.3.1); the Echo Reply must come to COA with an
 * RH2 naming the home address (9.3.2) */
static void echo_ro(void)
{
	uint8_t body[8] = { 128, 0, 0, 0, 0x43, 0x4e, 0, 7 };
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	const uint8_t *p;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (send_pkt(&coa, &cn, &hoa, 58, body, sizeof body, false) != 0) {
		printf("echo send failed\n");
		return;
	}
	uint64_t until = ms_now() + 1500;
	while ((p = next_pkt(until, &ih, &c))) {
		if (c.ulp != 58 || c.ulp_len < 8 || p[c.ulp_off] != 129 || memcmp(p + c.ulp_off + 4, body + 4, 4))
			continue;
		struct in6_addr rh2;
		if (c.rh2 >= 0)
			memcpy(&rh2, p + c.rh2_hoa_off, 16);
		printf("echo-reply to %s rh2 %s\n", mk_ip6_ntop(&ih.dst, a), c.rh2 >= 0 ? mk_ip6_ntop(&rh2, b) : "none");
		return;
	}
	printf("none\n");
}

/* a Binding Refresh Request within sec seconds: "brr to A rh2 H" or "none" */
static void wait_brr(unsigned sec)
{
	uint64_t until = ms_now() + sec * 1000ull;
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	struct mk_mh m;
	const uint8_t *p;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	while ((p = next_pkt(until, &ih, &c))) {
		struct in6_addr rh2;
		if (c.ulp != MK_MH_NEXTHDR || mk_mh_parse(p + c.ulp_off, c.ulp_len, NULL, &m).err != MK_E_OK ||
		    m.type != MK_MH_BRR)
			continue;
		if (c.rh2 >= 0)
			memcpy(&rh2, p + c.rh2_hoa_off, 16);
		printf("brr to %s rh2 %s\n", mk_ip6_ntop(&ih.dst, a), c.rh2 >= 0 ? mk_ip6_ntop(&rh2, b) : "none");
		return;
	}
	printf("none\n");
}

static int usage(const char *bad)
{
	if (bad)
		fprintf(stderr, "rrpeer: bad value '%s'\n", bad);
	else
		fprintf(stderr, "usage: rrpeer -i IFACE -h HOA -c COA -a HA CN STEP... (as root)\n");
	return 2;
}

static bool num(const char *s, unsigned long max, unsigned long *v)
{
	char *e;
	*v = strtoul(s, &e, 10);
	return *s && !*e && *v <= max;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE + 64];
	const char *iface = NULL;
	int o;
	struct in6_addr *want[] = { &hoa, &coa, &ha };
	bool got[3] = { false, false, false };
	while ((o = getopt(argc, argv, "i:h:c:a:")) != -1) {
		int k = o == 'h' ? 0 : o == 'c' ? 1 : o == 'a' ? 2 : -1;
		if (o == 'i') {
			iface = optarg;
		} else if (k >= 0) {
			if (inet_pton(AF_INET6, optarg, want[k]) != 1)
				return usage(optarg);
			got[k] = true;
		} else {
			return usage(NULL);
		}
	}
	if (!iface || !got[0] || !got[1] || !got[2] || optind + 1 >= argc)
		return usage(NULL);
	if (inet_pton(AF_INET6, argv[optind], &cn) != 1)
		return usage(argv[optind]);
	for (int i = optind + 1; i < argc; i++) {
		unsigned long v;
		const char *s = argv[i];
		if (!strcmp(s, "hot") || !strcmp(s, "cot") || !strcmp(s, "rr") || !strcmp(s, "echo"))
			continue;
		if (i + 1 >= argc)
			return usage(s);
		struct in6_addr x;
		if ((!strcmp(s, "bu") || !strcmp(s, "badbu") || !strcmp(s, "dereg")) && num(argv[i + 1], 65535, &v))
			i++;
		else if (!strcmp(s, "sleep") && num(argv[i + 1], 600000, &v))
			i++;
		else if ((!strcmp(s, "life") || !strcmp(s, "brr")) && num(argv[i + 1], 262140, &v))
			i++;
		else if (!strcmp(s, "hao") && inet_pton(AF_INET6, argv[i + 1], &x) == 1)
			i++;
		else
			return usage(argv[i + 1]);
	}
	cap = pcap_create(iface, err);
	if (!cap || pcap_set_snaplen(cap, 4096) || pcap_set_immediate_mode(cap, 1) ||
	    pcap_set_timeout(cap, 50) || pcap_activate(cap) < 0 || pcap_setdirection(cap, PCAP_D_IN)) {
		fprintf(stderr, "rrpeer: capture on %s: %s\n", iface, cap ? pcap_geterr(cap) : err);
		return 1;
	}
	if (mk_raw6_open(&out, iface, err, sizeof err) != 0) {
		fprintf(stderr, "rrpeer: %s\n", err);
		return 1;
	}
	srand((unsigned)getpid());
	setvbuf(stdout, NULL, _IOLBF, 0);
	for (int i = optind + 1; i < argc; i++) {
		const char *s = argv[i];
		if (!strcmp(s, "hot") || !strcmp(s, "rr"))
			test(true);
		if (!strcmp(s, "cot") || !strcmp(s, "rr"))
			test(false);
		if (!strcmp(s, "bu") || !strcmp(s, "badbu"))
			bu((uint16_t)atoi(argv[++i]), bu_life, s[0] == 'b' && s[1] == 'a');
		else if (!strcmp(s, "dereg"))
			bu((uint16_t)atoi(argv[++i]), 0, false);
		else if (!strcmp(s, "echo"))
			echo_ro();
		else if (!strcmp(s, "life"))
			bu_life = (uint32_t)atoi(argv[++i]);
		else if (!strcmp(s, "brr"))
			wait_brr((unsigned)atoi(argv[++i]));
		else if (!strcmp(s, "sleep"))
			usleep((useconds_t)atoi(argv[++i]) * 1000);
		else if (!strcmp(s, "hao")) {
			struct in6_addr x;
			inet_pton(AF_INET6, argv[++i], &x);
			hao_echo(&x);
		}
	}
	pcap_close(cap);
	mk_raw6_close(&out);
	return 0;
}
