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
 *   mkscene --migrate FILE [paper]    (see migrate_scene)
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
 *
 *   mkscene --ro FILE
 *   mkscene --recovery FILE   (recovery_scene: RFC 6275 and HA Reliability)
 *   mkscene --req FILE        (req_scene: TCP requests and replies, a client's view)
 *
 * writes the mobile node's capture of a move with route optimization (the
 * MN on CoA1, the routers crossed: 2 to the home agent, 3 to the
 * correspondents):
 *
 *   the move      t=0 first from CoA1, 10 BU, 25 BA, 40 tunnelled data
 *                 (40 ms: 10, 15, 15)
 *   via HA        echoes HoA > CN in the tunnel: 100/130, 200/234, 300/332
 *                 (30, 34, 32 ms; 6 hops: 4 inside, 2 outside)
 *   RR with CN    400 HoTI (tunnelled), 402 CoTI, 420 CoT, 431 HoT (tunnelled)
 *                 (to_rr 375, rr 31)
 *   RR with CN2   begun at 404, BU 410, BA 412, direct echo 413: the second
 *                 correspondent, not the record's
 *   BU to CN      435 BU (HAO, no H), 447 BA (RH2): bu_cn 12
 *   mixed         440 echo request in the tunnel, 449 its reply with an RH2
 *                 (9 ms; the first direct data: direct 2, to_direct 449)
 *   direct        echoes with HAO out, RH2 in: 450/460, 500/512, 600/611
 *                 (10, 12, 11 ms; 3 hops)
 *   back home     1000 first from the HoA, 1004 BU (lifetime 0), 1006 BA,
 *                 1010 data (10 ms: 4, 2, 4); 1100/1104 an echo on neither
 *                 path (4 ms)
 *   to CoA2       2000 CoTI (the first packet from CoA2), 2001 BU, 2012 CoT,
 *                 2016 BA, 2017 BU to CN, 2027 its BA, 2030 an echo request
 *                 from CN with an RH2 (30 ms: 1, 15, 14; to_rr -16: RR begun
 *                 before the BA, rr 12 with no HoTI, bu_cn 10, direct 3,
 *                 to_direct 30)
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

static size_t echo_msg(uint8_t *b, size_t cap, bool req, uint16_t seq)
{
	struct mk_icmp6 m = { .kind = req ? MK_ICMP6_K_ECHO_REQUEST : MK_ICMP6_K_ECHO_REPLY };
	size_t n;
	m.u.echo.id = 9;
	m.u.echo.seq = seq;
	if (mk_icmp6_build(b, cap, NULL, &m, &n).err != MK_E_OK)
		abort();
	return n;
}

static void echo(double ms, const char *s, const char *d, bool req, uint16_t seq)
{
	uint8_t b[64];
	size_t n = echo_msg(b, sizeof b, req, seq);
	pkt(ms, s, d, NULL, NULL, MK_NH_ICMPV6, b, n);
}

/* a home registration (lifetime 0 and no HAO: from the home address, back home) */
static void bu_flags(double ms, const char *src, const char *dst, const char *hao, uint16_t seq,
		     uint16_t lifetime, uint16_t flags)
{
	struct mk_mh m;
	uint8_t b[64];
	size_t n;
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = seq;
	m.u.bu.flags = flags;
	m.u.bu.lifetime = lifetime;
	if (mk_mh_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		abort();
	pkt(ms, src, dst, hao, NULL, MK_NH_MH, b, n);
}

static void bu_from(double ms, const char *src, const char *ha, const char *hao, uint16_t seq,
		    uint16_t lifetime)
{
	bu_flags(ms, src, ha, hao, seq, lifetime, MK_BU_A | MK_BU_H);
}

/* a BU to a correspondent (no H flag), from coa with the home address */
static void bu_cn(double ms, const char *coa, const char *cn, uint16_t seq)
{
	bu_flags(ms, coa, cn, HOA, seq, 60, MK_BU_A);
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

static const struct mk_codepoints *tcp_cp; /* --migrate paper: the paper profile's kinds */
static uint8_t tcp_reqno;                  /* the ReqNo of the Migrate SYNs written */

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
		t.opts.o[0].u.migrate.reqno = tcp_reqno;
	}
	if (mk_tcp_build(b, cap, tcp_cp, &t, &n).err != MK_E_OK)
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

/* an IPv6 packet (s > d, its hop limit 64 - in_hops) inside a tunnel from
 * os to od (outer hop limit 64 - hops) */
static void tunnel_pl(double ms, const char *os, const char *od, const char *s, const char *d,
		      unsigned in_hops, uint8_t ulp, const uint8_t *pl, size_t n)
{
	uint8_t inner[512];
	struct mk_ip6 outer = { .hlim = (uint8_t)(64 - hops), .src = A(os), .dst = A(od) };
	size_t in = ip(s, d, NULL, NULL, ulp, pl, n, inner, sizeof inner);
	size_t e = mk_eth_ipv6(fr, 1, 2), len;
	inner[7] = (uint8_t)(inner[7] - in_hops);
	if (mk_ip6_encap(fr + e, sizeof fr - e, &outer, inner, in, &len).err != MK_E_OK)
		abort();
	out(ms, e + len);
}

/* a TCP segment of 100 octets from s to d (ports sp, dp, sequence seq) inside
 * a tunnel from os to od */
static void tunnel(double ms, const char *os, const char *od, const char *s, const char *d,
		   uint16_t sp, uint16_t dp, uint32_t seq)
{
	uint8_t seg[256];
	size_t n = tcp_seg(seg, sizeof seg, sp, dp, seq, 1, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tunnel_pl(ms, os, od, s, d, 0, MK_NH_TCP, seg, n);
}

/* data from the correspondent to the home address, tunnelled HA -> CoA */
static void tunnelled(double ms, const char *ha, const char *coa)
{
	tunnel(ms, ha, coa, "2001:db8:3::5", HOA, 80, 40000, 5000);
}

/* an ICMPv6 message of kind k (DHAAD, Home Agent Unreachable) with
 * identifier id and one address (none: NULL) */
static void icmp_addr(double ms, const char *s, const char *d, enum mk_icmp6_kind k, uint16_t id,
		      const char *addr)
{
	struct mk_icmp6 m;
	uint8_t b[64];
	size_t n;
	memset(&m, 0, sizeof m);
	m.kind = k;
	m.u.ident.id = id;
	if (addr) {
		m.n_addrs = 1;
		m.addrs[0] = A(addr);
	}
	if (mk_icmp6_build(b, sizeof b, NULL, &m, &n).err != MK_E_OK)
		abort();
	pkt(ms, s, d, NULL, NULL, MK_NH_ICMPV6, b, n);
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

/* --ro: an echo through the home agent's tunnel, then return routability,
 * the BU to the correspondent and the echo direct (HAO out, RH2 in), as the
 * mobile node's capture saw them; the routers crossed: 2 between the home
 * agent and CoA1, 3 between the correspondents and the home agent or CoA1
 * (a packet tunnelled to the mobile node: 3 inside, then 1 for the home
 * agent's forwarding, and 2 outside) */

/* HoTI, CoTI (cookie c), HoT, CoT (cookie c, nonce index 1) */
static size_t rr_msg(uint8_t *b, size_t cap, uint8_t type, uint8_t c)
{
	struct mk_mh m;
	size_t n;
	mk_mh_init(&m, type);
	if (type == MK_MH_HOTI || type == MK_MH_COTI)
		memset(m.u.testinit.cookie, c, 8);
	else
		memset(m.u.test.cookie, c, 8), m.u.test.nonce_idx = 1;
	if (mk_mh_build(b, cap, NULL, &m, &n).err != MK_E_OK)
		abort();
	return n;
}

/* one message of return routability between the mobile node at coa and a
 * correspondent: HoTI and HoT through the home agent ha's tunnel, CoTI and
 * CoT direct */
static void rr_one(double ms, uint8_t type, const char *coa, const char *ha, const char *cn, uint8_t c)
{
	uint8_t b[64];
	size_t n = rr_msg(b, sizeof b, type, c);
	hops = type == MK_MH_HOTI || type == MK_MH_COTI ? 0 : type == MK_MH_HOT ? 2 : 3;
	if (type == MK_MH_HOTI)
		tunnel_pl(ms, coa, ha, HOA, cn, 0, MK_NH_MH, b, n);
	else if (type == MK_MH_HOT)
		tunnel_pl(ms, ha, coa, cn, HOA, 4, MK_NH_MH, b, n);
	else if (type == MK_MH_COTI)
		pkt(ms, coa, cn, NULL, NULL, MK_NH_MH, b, n);
	else
		pkt(ms, cn, coa, NULL, NULL, MK_NH_MH, b, n);
}

static void ro_scene(void)
{
	const char *c1 = "2001:db8:21::100", *ha1 = "2001:db8:1::1", *cn = "2001:db8:3::5",
		   *cn2 = "2001:db8:3::6";
	const uint16_t ap = MK_TCP_ACK | MK_TCP_PSH;
	uint8_t b[256];
	size_t n;

	/* the move to CoA1 and the home registration */
	hops = 0, echo(0, c1, cn, true, 1);
	bu(10, c1, ha1, 1);
	hops = 2, ba(25, ha1, c1, 1, 0);
	tunnelled(40, ha1, c1);
	/* three echoes through the home agent: 30, 34, 32 ms */
	static const double via[3][2] = { { 100, 130 }, { 200, 234 }, { 300, 332 } };
	for (unsigned i = 0; i < 3; i++) {
		hops = 0, n = echo_msg(b, sizeof b, true, (uint16_t)(10 + i));
		tunnel_pl(via[i][0], c1, ha1, HOA, cn, 0, MK_NH_ICMPV6, b, n);
		hops = 2, n = echo_msg(b, sizeof b, false, (uint16_t)(10 + i));
		tunnel_pl(via[i][1], ha1, c1, cn, HOA, 4, MK_NH_ICMPV6, b, n);
	}
	/* return routability with cn: 400 HoTI .. 431 HoT (the later of HoT and CoT) */
	rr_one(400, MK_MH_HOTI, c1, ha1, cn, 0xa1);
	rr_one(402, MK_MH_COTI, c1, ha1, cn, 0xb1);
	/* a second correspondent, begun after cn and done before it: not the record's */
	rr_one(404, MK_MH_HOTI, c1, ha1, cn2, 0xa2);
	rr_one(405, MK_MH_COTI, c1, ha1, cn2, 0xb2);
	rr_one(408, MK_MH_COT, c1, ha1, cn2, 0xb2);
	rr_one(409, MK_MH_HOT, c1, ha1, cn2, 0xa2);
	hops = 0, bu_cn(410, c1, cn2, 30);
	hops = 3, ba(412, cn2, c1, 30, 0);
	hops = 0, n = echo_msg(b, sizeof b, true, 30);
	pkt(413, c1, cn2, HOA, NULL, MK_NH_ICMPV6, b, n);
	/* cn's CoT, then its HoT through the home agent */
	rr_one(420, MK_MH_COT, c1, ha1, cn, 0xb1);
	rr_one(431, MK_MH_HOT, c1, ha1, cn, 0xa1);
	/* the BU to cn and its BA: 12 ms */
	hops = 0, bu_cn(435, c1, cn, 20);
	/* an echo sent through the tunnel before the BA, answered direct by the
	 * correspondent, which has the binding since it sent the BA: mixed, 9 ms;
	 * its reply is the first direct data, 2 ms after the BA */
	n = echo_msg(b, sizeof b, true, 40);
	tunnel_pl(440, c1, ha1, HOA, cn, 0, MK_NH_ICMPV6, b, n);
	hops = 3, ba(447, cn, c1, 20, 0);
	n = echo_msg(b, sizeof b, false, 40);
	pkt(449, cn, c1, NULL, HOA, MK_NH_ICMPV6, b, n);
	/* three echoes direct: 10, 12, 11 ms */
	static const double dir[3][2] = { { 450, 460 }, { 500, 512 }, { 600, 611 } };
	for (unsigned i = 0; i < 3; i++) {
		hops = 0, n = echo_msg(b, sizeof b, true, (uint16_t)(13 + i));
		pkt(dir[i][0], c1, cn, HOA, NULL, MK_NH_ICMPV6, b, n);
		hops = 3, n = echo_msg(b, sizeof b, false, (uint16_t)(13 + i));
		pkt(dir[i][1], cn, c1, NULL, HOA, MK_NH_ICMPV6, b, n);
	}
	/* back home: no route optimization (10 ms: 4, 2, 4); an echo there is
	 * neither path (4 ms) */
	hops = 0, echo(1000, HOA, cn, true, 16);
	bu_from(1004, HOA, ha1, NULL, 2, 0);
	ba_to(1006, ha1, HOA, NULL, 2, 0);
	hops = 3, tcp(1010, cn, HOA, 80, 40000, 5100, 1, ap, 100, false);
	hops = 0, echo(1100, HOA, cn, true, 17);
	hops = 3, echo(1104, cn, HOA, false, 17);
	/* away again, to CoA2: return routability while registering, the home
	 * keygen token still valid (a CoTI only, RFC 6275 5.2.7): the CoTI is the
	 * first packet from CoA2, its CoT comes before the home agent's BA
	 * (detection 1, registration 15, resume 14: 30 ms; to_rr -16, rr 12,
	 * bu_cn 10, direct 3, to_direct 30) */
	const char *c2 = "2001:db8:22::100";
	rr_one(2000, MK_MH_COTI, c2, ha1, cn, 0xb3);
	hops = 0, bu(2001, c2, ha1, 3);
	rr_one(2012, MK_MH_COT, c2, ha1, cn, 0xb3);
	hops = 2, ba(2016, ha1, c2, 3, 0);
	hops = 0, bu_cn(2017, c2, cn, 21);
	hops = 3, ba(2027, cn, c2, 21, 0);
	n = echo_msg(b, sizeof b, true, 50);
	pkt(2030, cn, c2, NULL, HOA, MK_NH_ICMPV6, b, n);
}

/* --req: request/response over TCP as a client (a correspondent) saw it,
 * the server the mobile node at its home address: a HoTI from the home
 * address (it is away), a tunnelled request as at the mobile node (also
 * telling it away), three exchanges through the home agent (the
 * packets plain at the client: 40, 44, 42 ms; replies 4 hops), then three
 * direct, RH2 out and HAO in (20, 22, 21 ms; 3 hops), with what is no
 * pair: a pure ACK before a reply, the next request acknowledging the
 * reply, a reply's second segment, a retransmitted request (timed from
 * the first), a data segment acknowledging nothing asked. */
static void req_one(double ms, bool direct, bool req, uint32_t seq, uint32_t ack, size_t len)
{
	const char *cn = "2001:db8:3::5", *coa = "2001:db8:21::100";
	uint8_t b[256];
	size_t n = tcp_seg(b, sizeof b, req ? 45000 : 7000, req ? 7000 : 45000, seq, ack,
			   MK_TCP_ACK | (len ? MK_TCP_PSH : 0), len, false);
	if (req)
		hops = 0, pkt(ms, cn, direct ? coa : HOA, NULL, direct ? HOA : NULL, MK_NH_TCP, b, n);
	else
		hops = direct ? 3 : 4, pkt(ms, direct ? coa : HOA, cn, direct ? HOA : NULL, NULL, MK_NH_TCP, b, n);
}

static void req_scene(void)
{
	uint8_t b[64];
	size_t n = rr_msg(b, sizeof b, MK_MH_HOTI, 0xa1);
	hops = 3, pkt(0, HOA, "2001:db8:3::5", NULL, NULL, MK_NH_MH, b, n);
	/* what the mobile node's link would show: a request inside the home
	 * agent's tunnel (no reply: no pair), also telling the home address away */
	hops = 2, tunnel(50, "2001:db8:1::2", "2001:db8:21::100", "2001:db8:3::5", HOA, 45000, 7000, 900);
	/* through the home agent: 40, 44, 42 ms */
	req_one(100, false, true, 1000, 5000, 64);
	req_one(110, false, false, 5000, 1064, 0);   /* a pure ACK: no reply */
	req_one(140, false, false, 5000, 1064, 100);
	req_one(200, false, true, 1064, 5100, 64);   /* acknowledges the reply: a request */
	req_one(244, false, false, 5100, 1128, 100);
	req_one(245, false, false, 5200, 1128, 100); /* the reply's second segment */
	req_one(300, false, true, 1128, 5300, 64);
	req_one(310, false, true, 1128, 5300, 64);   /* retransmitted: timed from 300 */
	req_one(342, false, false, 5300, 1192, 100);
	req_one(350, false, false, 5400, 9999, 100); /* acknowledges nothing asked */
	/* direct: 20, 22, 21 ms */
	req_one(400, true, true, 1192, 5500, 64);
	req_one(420, true, false, 5500, 1256, 100);
	req_one(500, true, true, 1256, 5600, 64);
	req_one(522, true, false, 5600, 1320, 100);
	req_one(600, true, true, 1320, 5700, 64);
	req_one(621, true, false, 5700, 1384, 100);
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


/* --recovery: the two recoveries the main scene has not, with known steps
 * (the multiple-home-agent paper's, mobcap latency recovery):
 *   RFC 6275   t=0 last data from HA1, 3000 DHAAD Request, 3010 Reply,
 *              3020 BU to HA2, 3035 its BA, 3040 data from HA2
 *              (3040 ms: A 3000, B 10, C 15, D 5)
 *   HA Reliability  t=5000 last data from HA2, 5600 Home Agent Switch from
 *              HA1, 5601 BU to HA1, 5605 data from HA1 (before the BA),
 *              5612 its BA (605 ms: E 600, G 1, H none, I 4)
 *   a second mobile node (home address ::200, at 2001:db8:23::100), which
 *   the DHAAD above is not for: t=1000 last data from HA1, 4000 BU to
 *   HA2, 4012 its BA, 4020 data from HA2 (3020 ms: A 3000 to the BU, no
 *   B, C 12, D 8) */
static void recovery_scene(void)
{
	const char *c = "2001:db8:22::100", *ha1 = "2001:db8:1::2", *ha2 = "2001:db8:1::3";
	uint8_t b[128];
	size_t n;
	const char *c2 = "2001:db8:23::100", *hoa2 = "2001:db8:1::200";
	tunnelled(0, ha1, c);
	tunnel(1000, ha1, c2, "2001:db8:3::5", hoa2, 80, 40001, 1);
	icmp_addr(3000, c, "2001:db8:1::fdff:ffff:ffff:fffe", MK_ICMP6_K_DHAAD_REQUEST, 7, NULL);
	icmp_addr(3010, ha2, c, MK_ICMP6_K_DHAAD_REPLY, 7, ha2);
	bu(3020, c, ha2, 10);
	ba(3035, ha2, c, 10, 0);
	tunnelled(3040, ha2, c);
	bu_from(4000, c2, ha2, hoa2, 3, 60);
	ba_to(4012, ha2, c2, hoa2, 3, 0);
	tunnel(4020, ha2, c2, "2001:db8:3::5", hoa2, 80, 40001, 101);
	tunnelled(5000, ha2, c);
	struct mk_mh h;
	struct in6_addr a1 = A(ha1);
	mk_mh_init(&h, MK_MH_HAS);
	h.u.has.n = 1;
	h.u.has.addrs = a1.s6_addr;
	if (mk_mh_build(b, sizeof b, NULL, &h, &n).err != MK_E_OK)
		abort();
	pkt(5600, ha1, c, NULL, NULL, MK_NH_MH, b, n);
	bu(5601, c, ha1, 11);
	tunnelled(5605, ha1, c);
	ba(5612, ha1, c, 11, 0);
}
/* --migrate FILE [paper]: one connection whose mobile host moves a1 -> a2
 * -> a1 (the return is what a campaign cycling over links does), with the
 * Migrate option under the default or the paper profile:
 *   t=0 SYN a1:40001 > cn:80, 2 SYN/ACK, 3 ACK, 10 data, 15 its ACK
 *   to a2  1000 echo from a2 (first from it), 1003 Migrate SYN a2:40002,
 *          1005 a late segment from a1 (the old tuple, before the SYN/ACK),
 *          1009 SYN/ACK, 1010 ACK, 1011 data, 1021 its ACK (21 ms: 3, 6, 12)
 *   to a1  2000 echo from a1 (its first since it left), 2002 Migrate SYN
 *          a1:40003, 2002.5 the same SYN again (a retransmission), 2008
 *          SYN/ACK, 2009 a late segment on a2's old tuple (no sighting of
 *          a2: the tuple migrated), 2010 data, 2030 its ACK (30 ms: 2, 6, 22)
 *   to a2  3000 echo from a2, 3002 Migrate SYN a2:40004 ReqNo 3, never
 *          answered; 3102 one with ReqNo 4 on the same 4-tuple (a new
 *          request: the first is absent, superseded), 3108 SYN/ACK, 3110
 *          data, 3120 its ACK (120 ms from 3000: 102, 6, 12) */
static void migrate_scene(void)
{
	const char *a1 = "2001:db8:21::100", *a2 = "2001:db8:22::100", *cn = "2001:db8:3::5";
	tcp(0, a1, cn, 40001, 80, 7000, 0, MK_TCP_SYN, 0, false);
	tcp(2, cn, a1, 80, 40001, 9000, 7001, MK_TCP_SYN | MK_TCP_ACK, 0, false);
	tcp(3, a1, cn, 40001, 80, 7001, 9001, MK_TCP_ACK, 0, false);
	tcp(10, a1, cn, 40001, 80, 7001, 9001, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tcp(15, cn, a1, 80, 40001, 9001, 7101, MK_TCP_ACK, 0, false);
	echo(1000, a2, cn, true, 1);
	tcp(1003, a2, cn, 40002, 80, 7101, 0, MK_TCP_SYN, 0, true);
	tcp(1005, a1, cn, 40001, 80, 7101, 9001, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tcp(1009, cn, a2, 80, 40002, 9001, 7101, MK_TCP_SYN | MK_TCP_ACK, 0, false);
	tcp(1010, a2, cn, 40002, 80, 7101, 9001, MK_TCP_ACK, 0, false);
	tcp(1011, a2, cn, 40002, 80, 7101, 9001, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tcp(1021, cn, a2, 80, 40002, 9001, 7201, MK_TCP_ACK, 0, false);
	echo(2000, a1, cn, true, 2);
	tcp(2002, a1, cn, 40003, 80, 7201, 0, MK_TCP_SYN, 0, true);
	tcp(2002.5, a1, cn, 40003, 80, 7201, 0, MK_TCP_SYN, 0, true);
	tcp(2008, cn, a1, 80, 40003, 9001, 7201, MK_TCP_SYN | MK_TCP_ACK, 0, false);
	tcp(2009, a2, cn, 40002, 80, 7201, 9001, MK_TCP_ACK, 0, false); /* late, a2's old tuple */
	tcp(2010, a1, cn, 40003, 80, 7201, 9001, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tcp(2030, cn, a1, 80, 40003, 9001, 7301, MK_TCP_ACK, 0, false);
	echo(3000, a2, cn, true, 3);
	tcp_reqno = 3;
	tcp(3002, a2, cn, 40004, 80, 7301, 0, MK_TCP_SYN, 0, true);
	tcp_reqno = 4;
	tcp(3102, a2, cn, 40004, 80, 7301, 0, MK_TCP_SYN, 0, true);
	tcp(3108, cn, a2, 80, 40004, 9001, 7301, MK_TCP_SYN | MK_TCP_ACK, 0, false);
	tcp(3110, a2, cn, 40004, 80, 7301, 9001, MK_TCP_ACK | MK_TCP_PSH, 100, false);
	tcp(3120, cn, a2, 80, 40004, 9001, 7401, MK_TCP_ACK, 0, false);
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "--migrate")) {
		static struct mk_codepoints paper;
		char e[PCAP_ERRBUF_SIZE + 64];
		if (argc == 4 && (strcmp(argv[3], "paper") != 0 || mk_cp_profile(&paper, "paper").err != MK_E_OK)) {
			fprintf(stderr, "mkscene: bad profile '%s': want paper\n", argv[3]);
			return 2;
		}
		tcp_cp = argc == 4 ? &paper : NULL;
		if (!(w = mk_pcapw_open(argv[2], DLT_EN10MB, e, sizeof e))) {
			fprintf(stderr, "mkscene: %s\n", e);
			return 1;
		}
		migrate_scene();
		return mk_pcapw_close(w) ? 1 : 0;
	}
	char err[PCAP_ERRBUF_SIZE + 64];
	const char *c1 = "2001:db8:21::100", *c2 = "2001:db8:22::100", *c3 = "2001:db8:24::100";
	const char *ha1 = "2001:db8:1::1", *ha2 = "2001:db8:1::2", *cn = "2001:db8:3::5";

	if ((argc == 4 || argc == 5) && strcmp(argv[1], "--home") == 0)
		return home_files(argv, argc);
	/* the scenes of one file each */
	static const struct {
		const char *opt;
		void (*write)(void);
	} one[] = { { "--ro", ro_scene }, { "--req", req_scene }, { "--recovery", recovery_scene } };
	for (size_t i = 0; argc == 3 && i < sizeof one / sizeof one[0]; i++) {
		if (strcmp(argv[1], one[i].opt) != 0)
			continue;
		if (!(w = mk_pcapw_open(argv[2], DLT_EN10MB, err, sizeof err))) {
			fprintf(stderr, "mkscene: %s\n", err);
			return 1;
		}
		one[i].write();
		return mk_pcapw_close(w) ? 1 : 0;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: mkscene FILE\n       mkscene --home MN.pcap HA.pcap [SKEW_MS]\n       mkscene --ro FILE\n       mkscene --recovery FILE\n       mkscene --req FILE\n       mkscene --migrate FILE [paper]\n");
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
	icmp_addr(2500, ha2, c2, MK_ICMP6_K_HA_UNREACH, 0, ha1);
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
