/* bench/mixgen.c: `mkbench mix FILE N`, the capture mobcap's benchmark
 * reads: N Ethernet frames mixing what a campaign records.  Per 100 frames:
 *
 *   60  bulk TCP data (512 octets of payload)    20  their ACKs
 *    4  DNS AAAA/CAAAA queries                    4  answers (AAAA + CAAAA)
 *    1  DNS UPDATE (TSIG-less)                    1  its NOERROR
 *    3  BU with a Home Address option             3  BA through an RH2
 *    2  IPv6-in-IPv6 (tunnelled TCP data)         2  ICMPv6 echo request/reply
 *
 * Every frame is built by lib/wire or ldns (never typed), once, then
 * written in that pattern with 10 us between timestamps; sequence numbers,
 * DNS IDs and echo sequences advance so that a latency pass pairs them. */
#include <arpa/inet.h>
#include <ldns/ldns.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "net/pcapio.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/tcpopt.h"
#include "wire/udp.h"

int mk_mixgen(int argc, char **argv);

struct tpl {
	uint8_t f[1024];
	size_t len;
	int seq_off;            /* offset of a 16-bit field to advance, -1 none */
	int cks_off;            /* of the checksum to adjust with it */
};

static struct in6_addr A(const char *s)
{
	struct in6_addr a;
	inet_pton(AF_INET6, s, &a);
	return a;
}

static int ip(struct tpl *t, const char *src, const char *dst, const char *hao, const char *rh2,
	      uint8_t ulp, const uint8_t *pl, size_t n)
{
	struct in6_addr s = A(src), d = A(dst), h, r;
	if (hao)
		h = A(hao);
	if (rh2)
		r = A(rh2);
	size_t e = mk_eth_ipv6(t->f, 1, 2), len;
	if (mk_pkt_assemble(t->f + e, sizeof t->f - e, &s, &d, hao ? &h : NULL, rh2 ? &r : NULL, ulp,
			    pl, n, &len).err != MK_E_OK)
		return -1;
	t->len = e + len;
	t->seq_off = t->cks_off = -1;
	return 0;
}

static int tcp(struct tpl *t, const char *src, const char *dst, uint16_t flags, size_t paylen)
{
	static uint8_t pay[512];
	uint8_t seg[600];
	size_t n;
	struct mk_tcp x = { .sport = 40000, .dport = 5001, .seq = 1000, .ack = 1, .flags = flags,
			    .window = 65535, .payload = pay, .payload_len = paylen };
	if (strcmp(src, "2001:db8:5::2") == 0)
		x.sport = 5001, x.dport = 40000; /* iperf's port: no application dissector reassembles it */
	memset(pay, 'x', sizeof pay);
	if (mk_tcp_build(seg, sizeof seg, NULL, &x, &n).err != MK_E_OK)
		return -1;
	return ip(t, src, dst, NULL, NULL, MK_NH_TCP, seg, n);
}

static int dns(struct tpl *t, const char *src, const char *dst, ldns_pkt *p, bool from_server)
{
	uint8_t w[512], dg[600];
	size_t n, dn;
	if (!p || mk_dns_pkt_wire(p, w, sizeof w, &n).err != MK_E_OK)
		return -1;
	ldns_pkt_free(p);
	struct mk_udp u = { .sport = from_server ? 53 : 33000, .dport = from_server ? 33000 : 53,
			    .payload = w, .payload_len = n };
	if (mk_udp_build(dg, sizeof dg, &u, &dn).err != MK_E_OK)
		return -1;
	return ip(t, src, dst, NULL, NULL, MK_NH_UDP, dg, dn);
}

static ldns_pkt *answer(uint16_t caaaa)
{
	ldns_pkt *p = ldns_pkt_query_new(ldns_dname_new_frm_str("mn.example."), LDNS_RR_TYPE_AAAA,
					 LDNS_RR_CLASS_IN, LDNS_RD);
	ldns_rr *a = NULL, *c = NULL;
	char txt[96];
	if (!p || ldns_rr_new_frm_str(&a, "mn.example. 0 IN AAAA 2001:db8:aa::1", 0, NULL, NULL) !=
			  LDNS_STATUS_OK)
		return NULL;
	snprintf(txt, sizeof txt, "mn.example. 0 IN TYPE%u \\# 16 20010db800cc00000000000000000001",
		 caaaa);
	if (ldns_rr_new_frm_str(&c, txt, 0, NULL, NULL) != LDNS_STATUS_OK)
		return NULL;
	ldns_pkt_set_qr(p, true);
	ldns_pkt_set_ra(p, true);
	ldns_pkt_push_rr(p, LDNS_SECTION_ANSWER, a);
	ldns_pkt_push_rr(p, LDNS_SECTION_ADDITIONAL, c);
	return p;
}

static int mh(struct tpl *t, int type)
{
	struct mk_mh m;
	uint8_t b[256];
	size_t n;
	mk_mh_init(&m, (uint8_t)type);
	if (type == MK_MH_BU) {
		m.u.bu.seq = 7;
		m.u.bu.flags = MK_BU_A | MK_BU_H;
		m.u.bu.lifetime = 60;
	} else {
		m.u.ba.seq = 7;
		m.u.ba.lifetime = 60;
	}
	if (mk_mh_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		return -1;
	if (type == MK_MH_BU)
		return ip(t, "2001:db8:2::100", "2001:db8:1::1", "2001:db8:1::100", NULL, MK_NH_MH, b, n);
	return ip(t, "2001:db8:1::1", "2001:db8:2::100", NULL, "2001:db8:1::100", MK_NH_MH, b, n);
}

static int echo(struct tpl *t, bool req)
{
	struct mk_icmp6 m = { .kind = req ? MK_ICMP6_K_ECHO_REQUEST : MK_ICMP6_K_ECHO_REPLY };
	uint8_t b[64];
	size_t n;
	m.u.echo.id = 77;
	if (mk_icmp6_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		return -1;
	return req ? ip(t, "2001:db8:5::1", "2001:db8:5::2", NULL, NULL, MK_NH_ICMPV6, b, n)
		   : ip(t, "2001:db8:5::2", "2001:db8:5::1", NULL, NULL, MK_NH_ICMPV6, b, n);
}

static int tunnel(struct tpl *t)
{
	struct tpl in;
	struct mk_ip6 outer = { .hlim = 64 };
	size_t n, e;
	if (tcp(&in, "2001:db8:5::2", "2001:db8:1::100", MK_TCP_ACK | MK_TCP_PSH, 512))
		return -1;
	outer.src = A("2001:db8:1::1");
	outer.dst = A("2001:db8:2::100");
	e = mk_eth_ipv6(t->f, 1, 2);
	if (mk_ip6_encap(t->f + e, sizeof t->f - e, &outer, in.f + 14, in.len - 14, &n).err != MK_E_OK)
		return -1;
	t->len = e + n;
	t->seq_off = t->cks_off = -1;
	return 0;
}

/* add k to a 16-bit field and fix the ones'-complement checksum (RFC 1624) */
static void bump(struct tpl *t, uint16_t k)
{
	if (t->seq_off < 0)
		return;
	uint8_t *f = t->f + t->seq_off, *c = t->f + t->cks_off;
	uint16_t old = (uint16_t)(f[0] << 8 | f[1]), nw = (uint16_t)(old + k);
	uint32_t s = (uint16_t) ~(c[0] << 8 | c[1]);
	s += (uint16_t)~old;
	s += nw;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	uint16_t cs = (uint16_t)~s;
	f[0] = (uint8_t)(nw >> 8), f[1] = (uint8_t)nw;
	c[0] = (uint8_t)(cs >> 8), c[1] = (uint8_t)cs;
}

/* the same for a 32-bit field (TCP sequence and acknowledgment numbers) */
static void bump32(struct tpl *t, int off, int cks_off, uint32_t k)
{
	uint8_t *f = t->f + off, *c = t->f + cks_off;
	uint32_t old = (uint32_t)f[0] << 24 | (uint32_t)f[1] << 16 | (uint32_t)f[2] << 8 | f[3];
	uint32_t nw = old + k;
	uint32_t s = (uint16_t) ~(c[0] << 8 | c[1]);
	s += (uint16_t)~(old >> 16);
	s += (uint16_t)~old;
	s += nw >> 16;
	s += nw & 0xffff;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	uint16_t cs = (uint16_t)~s;
	f[0] = (uint8_t)(nw >> 24), f[1] = (uint8_t)(nw >> 16), f[2] = (uint8_t)(nw >> 8), f[3] = (uint8_t)nw;
	c[0] = (uint8_t)(cs >> 8), c[1] = (uint8_t)cs;
}

int mk_mixgen(int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[1], "mix") != 0)
		return -1;
	long n = atol(argv[3]);
	enum { DATA, ACK, QUERY, ANSWER, UPDATE, UPDATE_OK, BU, BA, TUN, ECHOQ, ECHOR, NT };
	static struct tpl t[NT];
	uint16_t caaaa = (uint16_t)mk_cp(NULL, MK_CP_CAAAA_TYPE);
	ldns_pkt *u = NULL, *uo = NULL;
	uint8_t a16[16];
	memcpy(a16, A("2001:db8:aa::1").s6_addr, 16);
	if (mk_update_new(&u, "example.", 9).err != MK_E_OK ||
	    mk_update_add_aaaa(u, "mn.example.", a16).err != MK_E_OK ||
	    mk_update_new(&uo, "example.", 9).err != MK_E_OK)
		return 1;
	ldns_pkt_set_qr(uo, true);
	if (tcp(&t[DATA], "2001:db8:5::1", "2001:db8:5::2", MK_TCP_ACK | MK_TCP_PSH, 512) ||
	    tcp(&t[ACK], "2001:db8:5::2", "2001:db8:5::1", MK_TCP_ACK, 0) ||
	    dns(&t[QUERY], "2001:db8:4::101", "2001:db8:3::31",
		ldns_pkt_query_new(ldns_dname_new_frm_str("mn.example."), LDNS_RR_TYPE_AAAA,
				   LDNS_RR_CLASS_IN, LDNS_RD), false) ||
	    dns(&t[ANSWER], "2001:db8:3::31", "2001:db8:4::101", answer(caaaa), true) ||
	    dns(&t[UPDATE], "2001:db8:1::100", "2001:db8:3::53", u, false) ||
	    dns(&t[UPDATE_OK], "2001:db8:3::53", "2001:db8:1::100", uo, true) || mh(&t[BU], MK_MH_BU) ||
	    mh(&t[BA], MK_MH_BA) || tunnel(&t[TUN]) || echo(&t[ECHOQ], true) || echo(&t[ECHOR], false)) {
		fprintf(stderr, "mkbench: building the mix failed\n");
		return 1;
	}
	/* what advances: DNS IDs (UDP checksum), BU/BA sequence (MH checksum),
	 * echo sequence (ICMPv6 checksum) */
	const size_t ipo = 14, dnso = 14 + 40 + 8;
	t[QUERY].seq_off = t[ANSWER].seq_off = (int)dnso;
	t[QUERY].cks_off = t[ANSWER].cks_off = (int)(ipo + 40 + 6);
	t[UPDATE].seq_off = t[UPDATE_OK].seq_off = (int)dnso;
	t[UPDATE].cks_off = t[UPDATE_OK].cks_off = (int)(ipo + 40 + 6);
	t[BU].seq_off = (int)(ipo + 40 + 24 + 6);      /* after the HAO DestOpt */
	t[BU].cks_off = (int)(ipo + 40 + 24 + 4);
	t[BA].seq_off = (int)(ipo + 40 + 24 + 8);      /* after the RH2 */
	t[BA].cks_off = (int)(ipo + 40 + 24 + 4);
	t[ECHOQ].seq_off = t[ECHOR].seq_off = (int)(ipo + 40 + 6);
	t[ECHOQ].cks_off = t[ECHOR].cks_off = (int)(ipo + 40 + 2);
	static const unsigned char pat[100] = {
		/* 60 DATA, 20 ACK, 4+4 DNS, 1+1 UPDATE, 3+3 BU/BA, 2 TUN, 1+1 echo */
		QUERY, DATA, DATA, DATA, ANSWER, ACK, DATA, DATA, DATA, ACK, BU, DATA, DATA, BA,
		DATA, ACK, DATA, DATA, DATA, ACK, TUN, DATA, DATA, DATA, ACK, QUERY, DATA, DATA,
		ANSWER, ACK, DATA, DATA, DATA, ACK, UPDATE, DATA, DATA, UPDATE_OK, ACK, BU, DATA, DATA, BA,
		DATA, ACK, ECHOQ, DATA, DATA, ECHOR, DATA, ACK, QUERY, DATA, DATA, ANSWER, ACK, DATA,
		DATA, DATA, ACK, TUN, DATA, DATA, DATA, ACK, BU, DATA, DATA, BA, DATA, ACK, QUERY, DATA,
		DATA, ANSWER, ACK, DATA, DATA, DATA, ACK, DATA, DATA, DATA, ACK, DATA, DATA, DATA, ACK,
		DATA, DATA, DATA, ACK, DATA, DATA, DATA, ACK, DATA, DATA, DATA, ACK,
	};
	char err[PCAP_ERRBUF_SIZE + 64];
	struct mk_pcapw *w = mk_pcapw_open(argv[2], DLT_EN10MB, err, sizeof err);
	if (!w) {
		fprintf(stderr, "mkbench: %s\n", err);
		return 1;
	}
	for (long i = 0; i < n; i++) {
		struct tpl *x = &t[pat[i % 100]];
		if (mk_pcapw_write(w, (uint64_t)i * 10000, x->f, x->len) != 0)
			return 1;
		/* the bulk flow moves on like a real one: 512 octets per segment, each acknowledged */
		if (pat[i % 100] == DATA) {
			bump32(x, (int)(ipo + 40 + 4), (int)(ipo + 40 + 16), 512);
			bump32(&t[ACK], (int)(ipo + 40 + 8), (int)(ipo + 40 + 16), 512);
		}
		/* after an answer, it and its request move on together: they pair */
		if (pat[i % 100] == ANSWER || pat[i % 100] == UPDATE_OK || pat[i % 100] == BA ||
		    pat[i % 100] == ECHOR) {
			bump(&t[pat[i % 100] == ANSWER ? QUERY : pat[i % 100] == UPDATE_OK ? UPDATE
				: pat[i % 100] == BA ? BU : ECHOQ], 1);
			bump(x, 1);
		}
	}
	return mk_pcapw_close(w) ? 1 : 0;
}
