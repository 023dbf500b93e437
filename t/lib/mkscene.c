/* t/lib/mkscene.c: write a capture whose latencies are known by
 * construction, for t/capture/scenes.t.
 *
 *   mkscene FILE
 *
 * Every packet is built by lib/wire (mk_pkt_assemble, mk_ip6_encap, the MH,
 * ICMPv6 and TCP builders) and stamped at a chosen millisecond, so the test
 * can hold mobcap latency to exact figures until the reference stack
 * (issue 6) makes live handoffs:
 *
 *   handoff 1     t=0 first packet from CoA1, 10 BU, 25 BA, 40 tunnelled data
 *                 (40 ms: detection 10, registration 15, resume 15)
 *   handoff 2     t=1000 first from CoA2, 1005 BU, 1020 BU again, 1030 BA,
 *                 1032 data (32 ms: 5, 25, 2; two BUs)
 *   recovery      t=2000 last data from HA1, 2500 Home Agent Unreachable,
 *                 2510 BU to HA2, 2530 BA, 2540 data from HA2
 *                 (540 ms: 500, 510, 20, 10)
 *   migrate       t=3000 first from the new address, 3004 Migrate SYN,
 *                 3010 SYN/ACK, 3012 data (100 octets), 3020 its ACK
 *                 (20 ms: 4, 6, 10)
 *   rtt           t=4000 echo request, 4007.5 its reply (7.5 ms)
 *   a BU refused  t=5000 first from CoA3, 5001 BU, 5003 BA status 129
 *                 (absent: refused)
 *
 *   mkscene --home MN.pcap HA.pcap [SKEW_MS]
 *
 * writes what the mobile node's and the home agent's captures (the HA on
 * the home link) saw of two moves, each packet stamped per capture and its
 * hop limit lowered by the routers it crossed to reach it:
 *
 *   away          MN: t=0 first from CoA1, 10 BU, 25 BA, 40 tunnelled data
 *                 (40 ms: 10, 15, 15); HA: 10.5 BU, 24.5 BA, 39.5 data
 *   away traffic  MN: 100 reverse-tunnelled data from the home address;
 *                 HA: 100.5 the tunnel, 100.6 its inner packet forwarded
 *   back home     MN: 1000 first from the home address, 1004 BU
 *                 (lifetime 0), 1006 BA, 1010 data (10 ms: 4, 2, 4);
 *                 HA: 1000.1, 1004.1, 1005.9, 1009.9
 *
 * SKEW_MS is added to every stamp of the HA's capture (its clock).
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net/pcapio.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/tcpopt.h"

#define HOA "2001:db8:1::100"

static struct mk_pcapw *w;
static uint8_t fr[2048];
static unsigned hops;     /* routers the packet crossed before the capture: its hop limit less */
static int side;          /* --home: 0 writing the mobile node's capture, 1 the home agent's */
static double skew;       /* --home: milliseconds added to the home agent's clock */

static struct in6_addr A(const char *s)
{
	struct in6_addr a;
	if (inet_pton(AF_INET6, s, &a) != 1)
		abort();
	return a;
}

static void out(double ms, size_t len)
{
	if (ms < 0)
		return; /* not seen at this vantage point */
	if (mk_pcapw_write(w, (uint64_t)(ms * 1e6 + 1e9), fr, len) != 0)
		abort();
}

/* IPv6 (with hao/rh2 if given) around a payload, at time ms */
static size_t ip(const char *s, const char *d, const char *hao, const char *rh2, uint8_t ulp,
		 const uint8_t *pl, size_t n, uint8_t *buf, size_t cap)
{
	struct in6_addr S = A(s), D = A(d), H, R;
	size_t len;
	if (hao)
		H = A(hao);
	if (rh2)
		R = A(rh2);
	if (mk_pkt_assemble(buf, cap, &S, &D, hao ? &H : NULL, rh2 ? &R : NULL, ulp, pl, n, &len).err !=
	    MK_E_OK)
		abort();
	return len;
}

static void pkt(double ms, const char *s, const char *d, const char *hao, const char *rh2,
		uint8_t ulp, const uint8_t *pl, size_t n)
{
	size_t e = mk_eth_ipv6(fr, 1, 2);
	size_t len = ip(s, d, hao, rh2, ulp, pl, n, fr + e, sizeof fr - e);
	fr[e + 7] = (uint8_t)(fr[e + 7] - hops);
	out(ms, e + len);
}

static void echo(double ms, const char *s, const char *d, bool req, uint16_t seq)
{
	struct mk_icmp6 m = { .kind = req ? MK_ICMP6_K_ECHO_REQUEST : MK_ICMP6_K_ECHO_REPLY };
	uint8_t b[64];
	size_t n;
	m.u.echo.id = 9;
	m.u.echo.seq = seq;
	if (mk_icmp6_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		abort();
	pkt(ms, s, d, NULL, NULL, MK_NH_ICMPV6, b, n);
}

/* a home registration (lifetime 0 and no HAO: from the home address, back home) */
static void bu_from(double ms, const char *src, const char *ha, const char *hao, uint16_t seq,
		    uint16_t lifetime)
{
	struct mk_mh m;
	uint8_t b[64];
	size_t n;
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = seq;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = lifetime;
	if (mk_mh_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		abort();
	pkt(ms, src, ha, hao, NULL, MK_NH_MH, b, n);
}

static void bu(double ms, const char *coa, const char *ha, uint16_t seq)
{
	bu_from(ms, coa, ha, HOA, seq, 60);
}

/* rh2 NULL: to the home address, back home */
static void ba_to(double ms, const char *ha, const char *dst, const char *rh2, uint16_t seq,
		  uint8_t status)
{
	struct mk_mh m;
	uint8_t b[64];
	size_t n;
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.seq = seq;
	m.u.ba.status = status;
	m.u.ba.lifetime = 60;
	if (mk_mh_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		abort();
	pkt(ms, ha, dst, NULL, rh2, MK_NH_MH, b, n);
}

static void ba(double ms, const char *ha, const char *coa, uint16_t seq, uint8_t status)
{
	ba_to(ms, ha, coa, HOA, seq, status);
}

static size_t tcp_seg(uint8_t *b, size_t cap, uint16_t sp, uint16_t dp, uint32_t seq, uint32_t ack,
		      uint16_t flags, size_t paylen, bool migrate)
{
	static const uint8_t pay[100];
	struct mk_tcp t = { .sport = sp, .dport = dp, .seq = seq, .ack = ack, .flags = flags,
			    .window = 65535, .payload = pay, .payload_len = paylen };
	size_t n;
	if (migrate) {
		t.opts.n = 1;
		t.opts.o[0].type = MK_TCPOPT_MIGRATE;
		t.opts.o[0].u.migrate.token = 0x0102030405060708ull;
	}
	if (mk_tcp_build(b, cap, NULL, &t, &n).err != MK_E_OK)
		abort();
	return n;
}

static void tcp(double ms, const char *s, const char *d, uint16_t sp, uint16_t dp, uint32_t seq,
		uint32_t ack, uint16_t flags, size_t paylen, bool migrate)
{
	uint8_t b[256];
	size_t n = tcp_seg(b, sizeof b, sp, dp, seq, ack, flags, paylen, migrate);
	pkt(ms, s, d, NULL, NULL, MK_NH_TCP, b, n);
}

/* a TCP segment of 100 octets from s to d (ports sp, dp, sequence seq) inside
 * a tunnel from os to od */
static void tunnel(double ms, const char *os, const char *od, const char *s, const char *d,
		   uint16_t sp, uint16_t dp, uint32_t seq)
{
	uint8_t seg[256], inner[512];
	struct mk_ip6 outer = { .hlim = (uint8_t)(64 - hops), .src = A(os), .dst = A(od) };
	size_t n = tcp_seg(seg, sizeof seg, sp, dp, seq, 1, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	size_t in = ip(s, d, NULL, NULL, MK_NH_TCP, seg, n, inner, sizeof inner);
	size_t e = mk_eth_ipv6(fr, 1, 2), len;
	if (mk_ip6_encap(fr + e, sizeof fr - e, &outer, inner, in, &len).err != MK_E_OK)
		abort();
	out(ms, e + len);
}

/* data from the correspondent to the home address, tunnelled HA -> CoA */
static void tunnelled(double ms, const char *ha, const char *coa)
{
	tunnel(ms, ha, coa, "2001:db8:3::5", HOA, 80, 40000, 5000);
}

/* --home: the stamp of a packet in the capture being written, and the
 * routers it crossed to get there; a negative time: not seen there */
static double at(double mn_ms, unsigned mn_hops, double ha_ms, unsigned ha_hops)
{
	hops = side ? ha_hops : mn_hops;
	if (side == 0)
		return mn_ms;
	return ha_ms < 0 ? ha_ms : ha_ms + skew;
}

/* one move away and one back home, as the mobile node's and the home
 * agent's captures saw them (the HA on the home link) */
static void home_scene(void)
{
	const char *c1 = "2001:db8:21::100", *ha1 = "2001:db8:1::1", *cn = "2001:db8:3::5";
	const uint16_t ap = MK_TCP_ACK | MK_TCP_PSH;

	/* away: the first packet from CoA1 goes to the correspondent, not by the home link */
	echo(at(0, 0, -1, 0), c1, cn, true, 1);
	bu(at(10, 0, 10.5, 2), c1, ha1, 1);
	ba(at(25, 2, 24.5, 0), ha1, c1, 1, 0);
	tunnelled(at(40, 2, 39.5, 0), ha1, c1);
	/* reverse-tunnelled data, which the HA decapsulates and forwards from the home address */
	tunnel(at(100, 0, 100.5, 2), c1, ha1, HOA, cn, 40000, 80, 1);
	tcp(at(-1, 0, 100.6, 1), HOA, cn, 40000, 80, 1, 1, ap, 100, false);
	/* back home, both on the home link */
	echo(at(1000, 0, 1000.1, 0), HOA, cn, true, 2);
	bu_from(at(1004, 0, 1004.1, 0), HOA, ha1, NULL, 2, 0);
	ba_to(at(1006, 0, 1005.9, 0), ha1, HOA, NULL, 2, 0);
	tcp(at(1010, 2, 1009.9, 2), cn, HOA, 80, 40000, 5100, 1, ap, 100, false);
}

static int home_files(char **argv, int argc)
{
	char err[PCAP_ERRBUF_SIZE + 64], *end;
	if (argc == 5) {
		skew = strtod(argv[4], &end);
		if (*end || end == argv[4]) {
			fprintf(stderr, "mkscene: bad SKEW_MS: %s\n", argv[4]);
			return 2;
		}
	}
	for (side = 0; side < 2; side++) {
		w = mk_pcapw_open(argv[2 + side], DLT_EN10MB, err, sizeof err);
		if (!w) {
			fprintf(stderr, "mkscene: %s\n", err);
			return 1;
		}
		home_scene();
		if (mk_pcapw_close(w))
			return 1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE + 64];
	const char *c1 = "2001:db8:21::100", *c2 = "2001:db8:22::100", *c3 = "2001:db8:24::100";
	const char *ha1 = "2001:db8:1::1", *ha2 = "2001:db8:1::2", *cn = "2001:db8:3::5";

	if ((argc == 4 || argc == 5) && strcmp(argv[1], "--home") == 0)
		return home_files(argv, argc);
	if (argc != 2) {
		fprintf(stderr, "usage: mkscene FILE\n       mkscene --home MN.pcap HA.pcap [SKEW_MS]\n");
		return 2;
	}
	w = mk_pcapw_open(argv[1], DLT_EN10MB, err, sizeof err);
	if (!w) {
		fprintf(stderr, "mkscene: %s\n", err);
		return 1;
	}
	/* handoff 1 */
	echo(0, c1, cn, true, 1);
	bu(10, c1, ha1, 1);
	ba(25, ha1, c1, 1, 0);
	tunnelled(40, ha1, c1);
	/* handoff 2, with a retransmitted BU */
	echo(1000, c2, cn, true, 2);
	bu(1005, c2, ha1, 2);
	bu(1020, c2, ha1, 3);
	ba(1030, ha1, c2, 3, 0);
	tunnelled(1032, ha1, c2);
	/* recovery: HA1 falls silent, HA2 takes over */
	tunnelled(2000, ha1, c2);
	{
		struct mk_icmp6 m = { .kind = MK_ICMP6_K_HA_UNREACH };
		uint8_t b[64];
		size_t n;
		m.n_addrs = 1;
		m.addrs[0] = A(ha1);
		if (mk_icmp6_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
			abort();
		pkt(2500, ha2, c2, NULL, NULL, MK_NH_ICMPV6, b, n);
	}
	bu(2510, c2, ha2, 4);
	ba(2530, ha2, c2, 4, 0);
	tunnelled(2540, ha2, c2);
	/* migrate */
	const char *nw = "2001:db8:23::100";
	echo(3000, nw, cn, true, 3);
	tcp(3004, nw, cn, 40001, 80, 7000, 0, MK_TCP_SYN, 0, true);
	tcp(3010, cn, nw, 80, 40001, 9000, 7001, MK_TCP_SYN | MK_TCP_ACK, 0, false);
	tcp(3011, nw, cn, 40001, 80, 7001, 9001, MK_TCP_ACK, 0, false);
	tcp(3012, nw, cn, 40001, 80, 7001, 9001, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tcp(3020, cn, nw, 80, 40001, 9001, 7101, MK_TCP_ACK, 0, false);
	/* rtt */
	echo(4000, cn, ha1, true, 4);
	echo(4007.5, ha1, cn, false, 4);
	/* a refused binding */
	echo(5000, c3, cn, true, 5);
	bu(5001, c3, ha2, 5);
	ba(5003, ha2, c3, 5, 129);
	return mk_pcapw_close(w) ? 1 : 0;
}
