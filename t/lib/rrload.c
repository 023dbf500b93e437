/* t/lib/rrload.c: load for a correspondent node (RFC 6275 5.2, 9.4, 9.5):
 * many simulated mobile nodes doing return routability and the Binding
 * Update it authorizes, or a flood of HoTI/CoTI from random addresses.
 * Used by tools/bench-cn.sh (`make bench`) and t/stack/cn-flood.t; built
 * from lib/wire like rrpeer, not installed.
 *
 *   rrload -i IFACE -h HPREFIX -c CPREFIX [-n N] [-w WINDOW] [-l LIFE]
 *          [-T SECONDS] CN exchange
 *       N exchanges (default 100000), at most WINDOW (default 1024) under
 *       way at once.  Exchange k: a home address HPREFIX::/64 with random
 *       low 64 bits, a care-of address CPREFIX::/64 whose low 64 bits name
 *       the exchange (slot and generation, as do the cookies); HoTI from
 *       the home address and CoTI from the care-of address to CN (both
 *       direct: the home prefix is routed back to this node, no home agent
 *       is needed); the HoT and CoT give the tokens; Kbm and the Binding
 *       Authorization Data (lib/wire/rr, OpenSSL); the BU from the care-of
 *       address with the Home Address option, A bit, lifetime LIFE
 *       (default 420 s), Nonce Indices; the BA is checked (status, its own
 *       authenticator).  An exchange without its BA WAIT seconds (-W,
 *       default 2) after its HoTI is lost and its slot reused.  Stops after
 *       N exchanges or SECONDS.  Prints one line of KEY=VALUE:
 *         started completed refused badauth lost seconds rate cpu
 *       rate = completed / seconds (first HoTI to the last BA);
 *       cpu = this program's own CPU seconds (it must not be the bottleneck).
 *
 *   rrload -i IFACE -h HPREFIX -c CPREFIX [-n N] [-r RATE] [-w WINDOW] CN flood
 *       N messages (default 100000), alternately a HoTI from a random home
 *       address and a CoTI from a random care-of address, each with a
 *       random cookie, as fast as possible or RATE per second, and with -w
 *       never more than WINDOW of them unanswered (so that the
 *       correspondent takes in every one; what stays unanswered 1 s is
 *       written off); then counts the HoT and CoT that come back until
 *       none has for 1 s.  Prints
 *         sent seconds rate answered
 *
 * The prefixes are the upper 64 bits, written as an address (2001:db8:a::).
 * Frames go out through AF_PACKET (lib/net/txring: sendmmsg, past the
 * qdisc), the Ethernet header learnt from a first packet sent through the
 * kernel; answers are captured with libpcap (inbound, Mobility Header and
 * RH2 packets only).  This node must not own the prefixes; a blackhole route
 * for each makes its kernel drop what comes back silently (no Destination
 * Unreachable to the correspondent).
 * Exit 0 when the run took place, 1 on a failure to send or capture, 2 for
 * a usage error (nothing sent). */
#include <arpa/inet.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "net/raw6.h"
#include "net/txring.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

#define PKT_MAX 256

/* one exchange under way */
struct ex {
	struct in6_addr hoa, coa;
	uint32_t gen;            /* 0: the slot is free */
	uint8_t got;             /* G_HOT | G_COT | G_BU */
	uint16_t hidx, cidx;
	uint8_t htok[MK_RR_TOKEN_LEN], ctok[MK_RR_TOKEN_LEN];
	uint8_t kbm[MK_RR_KBM_LEN];
	uint64_t deadline;       /* ns */
};
enum { G_HOT = 1, G_COT = 2, G_BU = 4 };

static struct {
	struct in6_addr hpre, cpre, cn;
	unsigned long n;
	unsigned window, flood_window, life, wait_s, secs;
	double rate;
	struct mk_txring tx;
	pcap_t *cap;
	/* the batch being filled */
	uint8_t buf[MK_TX_BATCH][PKT_MAX];
	const uint8_t *pv[MK_TX_BATCH];
	size_t lens[MK_TX_BATCH];
	unsigned nq;
	bool send_err;
	/* exchanges */
	struct ex *ex;
	uint32_t *freel;
	unsigned nfree;
	uint32_t gen;
	unsigned long started, completed, refused, badauth, lost, answered, stray;
	uint64_t t_first, t_last;
	uint64_t rng;
} g;

static uint64_t ns_now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint64_t rnd64(void) /* xorshift64*: random enough for addresses and cookies */
{
	g.rng ^= g.rng >> 12;
	g.rng ^= g.rng << 25;
	g.rng ^= g.rng >> 27;
	return g.rng * 0x2545f4914f6cdd1dull;
}

static void put64(struct in6_addr *a, const struct in6_addr *prefix, uint64_t low)
{
	*a = *prefix;
	for (int i = 0; i < 8; i++)
		a->s6_addr[15 - i] = (uint8_t)(low >> (8 * i));
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

static void flush(void)
{
	if (g.nq && mk_txring_send_batch(&g.tx, g.pv, g.lens, g.nq) < 0 && !g.send_err) {
		fprintf(stderr, "rrload: send: %s\n", strerror(errno));
		g.send_err = true;
	}
	g.nq = 0;
}

/* an MH packet into the batch (sent when the batch is full or at flush) */
static void queue(const struct in6_addr *src, const struct in6_addr *hao, const uint8_t *mh, size_t n)
{
	if (g.nq == MK_TX_BATCH)
		flush();
	if (mk_pkt_assemble(g.buf[g.nq], PKT_MAX, src, &g.cn, hao, NULL, MK_MH_NEXTHDR, mh, n, &g.lens[g.nq])
		    .err != MK_E_OK)
		return;
	g.pv[g.nq] = g.buf[g.nq];
	g.nq++;
}

static void queue_testinit(bool home, const struct in6_addr *src, uint64_t cookie)
{
	struct mk_mh m;
	uint8_t mh[32];
	size_t n;
	mk_mh_init(&m, home ? MK_MH_HOTI : MK_MH_COTI);
	for (int i = 0; i < 8; i++)
		m.u.testinit.cookie[i] = (uint8_t)(cookie >> (56 - 8 * i));
	if (mk_mh_build(mh, sizeof mh, NULL, &m, &n).err == MK_E_OK)
		queue(src, NULL, mh, n);
}

/* ---- exchanges ---- */

static uint64_t tag(uint32_t slot, uint32_t gen)
{
	return (uint64_t)slot << 32 | gen;
}

static void ex_start(uint64_t now)
{
	uint32_t slot = g.freel[--g.nfree];
	struct ex *e = &g.ex[slot];
	if (++g.gen == 0)
		g.gen = 1;
	memset(e, 0, sizeof *e);
	e->gen = g.gen;
	e->deadline = now + (uint64_t)g.wait_s * 1000000000ull;
	put64(&e->hoa, &g.hpre, rnd64());
	put64(&e->coa, &g.cpre, tag(slot, e->gen));
	queue_testinit(true, &e->hoa, tag(slot, e->gen));
	queue_testinit(false, &e->coa, tag(slot, e->gen));
	g.started++;
	if (!g.t_first)
		g.t_first = now;
}

static void ex_end(struct ex *e)
{
	e->gen = 0;
	g.freel[g.nfree++] = (uint32_t)(e - g.ex);
}

/* the exchange a tag names, if it is still under way */
static struct ex *ex_of(uint64_t t)
{
	uint32_t slot = (uint32_t)(t >> 32), gen = (uint32_t)t;
	if (slot >= g.window || !gen || g.ex[slot].gen != gen)
		return NULL;
	return &g.ex[slot];
}

static void send_bu(struct ex *e)
{
	struct mk_mh b;
	uint8_t mh[128];
	size_t n;
	mk_mh_init(&b, MK_MH_BU);
	b.u.bu.seq = (uint16_t)e->gen;
	b.u.bu.flags = MK_BU_A;
	b.u.bu.lifetime = mk_mh_lifetime_units(g.life);
	b.opts[0].kind = MK_MHO_NONCE;
	b.opts[0].v.nonce.home = e->hidx;
	b.opts[0].v.nonce.careof = e->cidx;
	b.opts[1].kind = MK_MHO_BAD;
	b.nopts = 2;
	if (mk_rr_kbm(e->htok, e->ctok, e->kbm).err != MK_E_OK ||
	    mk_mh_build(mh, sizeof mh, NULL, &b, &n).err != MK_E_OK ||
	    mk_rr_bad_fill(mh, n, NULL, e->kbm, &e->coa, &g.cn).err != MK_E_OK)
		return;
	e->got |= G_BU;
	queue(&e->coa, &e->hoa, mh, n);
}

static void on_answer(const struct mk_ip6 *ih, const struct mk_ip6_chain *c, const uint8_t *p, const struct mk_mh *m)
{
	struct ex *e;
	if (m->type == MK_MH_HOT || m->type == MK_MH_COT) {
		bool home = m->type == MK_MH_HOT;
		g.answered++;
		if (!g.ex || !(e = ex_of(get64(m->u.test.cookie))) || (e->got & (home ? G_HOT : G_COT)) ||
		    memcmp(&ih->dst, home ? &e->hoa : &e->coa, 16)) {
			g.stray++;
			return;
		}
		memcpy(home ? e->htok : e->ctok, m->u.test.token, MK_RR_TOKEN_LEN);
		*(home ? &e->hidx : &e->cidx) = m->u.test.nonce_idx;
		e->got |= home ? G_HOT : G_COT;
		if ((e->got & (G_HOT | G_COT)) == (G_HOT | G_COT))
			send_bu(e);
		return;
	}
	if (m->type != MK_MH_BA || !g.ex)
		return;
	/* to the care-of address, the home address in the RH2 */
	if (!(e = ex_of(get64(ih->dst.s6_addr + 8))) || memcmp(&ih->dst, &e->coa, 16) || !(e->got & G_BU) ||
	    c->rh2 < 0 || memcmp(p + c->rh2_hoa_off, &e->hoa, 16)) {
		g.stray++;
		return;
	}
	if (m->u.ba.status != 0)
		g.refused++;
	else if (mk_rr_bad_verify(p + c->ulp_off, c->ulp_len, NULL, e->kbm, &e->coa, &ih->src).err != MK_E_OK)
		g.badauth++;
	else
		g.completed++;
	g.t_last = ns_now();
	ex_end(e);
}

static void on_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *fr)
{
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	struct mk_mh m;
	(void)user;
	if (h->caplen < 14 + 40 || fr[12] != 0x86 || fr[13] != 0xdd)
		return;
	const uint8_t *p = fr + 14;
	if (mk_ip6_chain_parse(p, h->caplen - 14, &ih, &c).err != MK_E_OK || c.ulp != MK_MH_NEXTHDR ||
	    mk_mh_parse(p + c.ulp_off, c.ulp_len, NULL, &m).err != MK_E_OK)
		return;
	on_answer(&ih, &c, p, &m);
}

/* wait at most ms for the capture, then take what it has */
static void receive(int ms)
{
	struct pollfd pf = { .fd = pcap_get_selectable_fd(g.cap), .events = POLLIN };
	if (poll(&pf, 1, ms) > 0 || ms == 0)
		pcap_dispatch(g.cap, -1, on_frame, NULL);
}

static int run_exchanges(void)
{
	g.ex = calloc(g.window, sizeof *g.ex);
	g.freel = calloc(g.window, sizeof *g.freel);
	if (!g.ex || !g.freel) {
		fprintf(stderr, "rrload: out of memory\n");
		return 1;
	}
	for (unsigned i = 0; i < g.window; i++)
		g.freel[g.nfree++] = g.window - 1 - i;
	uint64_t t0 = ns_now(), end = g.secs ? t0 + (uint64_t)g.secs * 1000000000ull : UINT64_MAX;
	uint64_t next_sweep = t0;
	for (;;) {
		uint64_t now = ns_now();
		bool more = g.started < g.n && now < end;
		while (more && g.nfree && g.started < g.n)
			ex_start(now);
		flush();
		if (!more && g.nfree == g.window)
			break;
		if (g.send_err)
			return 1;
		receive(g.nfree && more ? 0 : 1); /* block only when nothing can start */
		flush();
		if (now >= next_sweep) { /* lost exchanges free their slots */
			for (unsigned i = 0; i < g.window; i++)
				if (g.ex[i].gen && g.ex[i].deadline <= now) {
					g.lost++;
					ex_end(&g.ex[i]);
				}
			next_sweep = now + 50000000ull;
		}
	}
	double secs = g.t_last > g.t_first ? (double)(g.t_last - g.t_first) * 1e-9 : 0;
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("started=%lu completed=%lu refused=%lu badauth=%lu lost=%lu seconds=%.3f rate=%.0f cpu=%.3f\n",
	       g.started, g.completed, g.refused, g.badauth, g.lost, secs, secs > 0 ? (double)g.completed / secs : 0,
	       (double)ru.ru_utime.tv_sec + (double)ru.ru_stime.tv_sec +
		       ((double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_usec) * 1e-6);
	free(g.ex);
	free(g.freel);
	return 0;
}

static int run_flood(void)
{
	uint64_t t0 = ns_now();
	unsigned long sent = 0, written_off = 0;
	while (sent < g.n) {
		/* closed loop (-w): at most WINDOW not answered; what stays
		 * unanswered for 1 s is written off */
		uint64_t stuck = 0;
		while (g.flood_window && sent - g.answered - written_off >= g.flood_window) {
			flush();
			unsigned long before = g.answered;
			receive(1);
			uint64_t now = ns_now();
			if (g.answered != before || !stuck)
				stuck = now;
			else if (now - stuck > 1000000000ull)
				written_off = sent - g.answered;
		}
		if (g.rate > 0) { /* paced: never ahead of RATE per second */
			uint64_t due = t0 + (uint64_t)((double)sent / g.rate * 1e9);
			uint64_t now = ns_now();
			if (due > now) {
				flush();
				struct timespec ts = { 0, (long)(due - now) };
				nanosleep(&ts, NULL);
			}
		}
		struct in6_addr src;
		bool home = !(sent & 1);
		put64(&src, home ? &g.hpre : &g.cpre, rnd64());
		queue_testinit(home, &src, rnd64());
		sent++;
		if (g.nq == MK_TX_BATCH)
			flush();
		if (g.send_err)
			return 1;
		if ((sent & 1023) == 0)
			receive(0);
	}
	flush();
	(void)mk_txring_drain(&g.tx);
	double secs = (double)(ns_now() - t0) * 1e-9;
	unsigned long last;
	do {
		last = g.answered;
		uint64_t until = ns_now() + 1000000000ull;
		while (ns_now() < until)
			receive(100);
	} while (g.answered != last);
	printf("sent=%lu seconds=%.3f rate=%.0f answered=%lu\n", sent, secs, secs > 0 ? (double)sent / secs : 0,
	       g.answered);
	return g.send_err;
}

static int usage(const char *what, const char *bad)
{
	bool help = what && !strcmp(what, "help");
	if (bad)
		fprintf(stderr, "rrload: bad %s '%s'\n", what, bad);
	else
		fprintf(help ? stdout : stderr,
			"usage: rrload -i IFACE -h HPREFIX -c CPREFIX [-n N] [-w WINDOW] [-l LIFE] [-W WAIT]\n"
			"              [-T SECONDS] CN exchange\n"
			"       rrload -i IFACE -h HPREFIX -c CPREFIX [-n N] [-r RATE] [-w WINDOW] CN flood\n"
			"(as root; see the comment at the top of t/lib/rrload.c)\n");
	return help ? 0 : 2;
}

static bool num(const char *s, unsigned long lo, unsigned long hi, unsigned long *v)
{
	char *e;
	errno = 0;
	*v = strtoul(s, &e, 10);
	return *s && !*e && !errno && *v >= lo && *v <= hi;
}

static bool prefix64(const char *s, struct in6_addr *a)
{
	static const uint8_t zero[8];
	return inet_pton(AF_INET6, s, a) == 1 && !memcmp(a->s6_addr + 8, zero, 8);
}

int main(int argc, char **argv)
{
	char err[PCAP_ERRBUF_SIZE + 256];
	const char *iface = NULL;
	unsigned long v;
	bool hp = false, cp = false;
	int o;
	g.n = 100000;
	g.window = 1024;
	g.life = 420;
	g.wait_s = 2;
	if (argc == 2 && !strcmp(argv[1], "--help"))
		return usage("help", NULL);
	while ((o = getopt(argc, argv, "i:h:c:n:w:l:W:T:r:")) != -1) {
		switch (o) {
		case 'i': iface = optarg; break;
		case 'h': if (!(hp = prefix64(optarg, &g.hpre))) return usage("home prefix (upper 64 bits)", optarg); break;
		case 'c': if (!(cp = prefix64(optarg, &g.cpre))) return usage("care-of prefix (upper 64 bits)", optarg); break;
		case 'n': if (!num(optarg, 1, 100000000, &v)) return usage("count", optarg); g.n = v; break;
		case 'w': if (!num(optarg, 1, 1u << 20, &v)) return usage("window", optarg); g.window = g.flood_window = (unsigned)v; break;
		case 'l': if (!num(optarg, 4, 262140, &v)) return usage("lifetime", optarg); g.life = (unsigned)v; break;
		case 'W': if (!num(optarg, 1, 600, &v)) return usage("wait", optarg); g.wait_s = (unsigned)v; break;
		case 'T': if (!num(optarg, 1, 86400, &v)) return usage("seconds", optarg); g.secs = (unsigned)v; break;
		case 'r': if (!num(optarg, 1, 100000000, &v)) return usage("rate", optarg); g.rate = (double)v; break;
		default: return usage(NULL, NULL);
		}
	}
	if (!iface || !hp || !cp || optind + 2 != argc)
		return usage(NULL, NULL);
	if (inet_pton(AF_INET6, argv[optind], &g.cn) != 1)
		return usage("correspondent address", argv[optind]);
	const char *mode = argv[optind + 1];
	if (strcmp(mode, "exchange") && strcmp(mode, "flood"))
		return usage("mode (exchange or flood)", mode);
	if (getrandom(&g.rng, sizeof g.rng, 0) != sizeof g.rng || !g.rng)
		g.rng = (uint64_t)ns_now() | 1;

	struct bpf_program prog;
	g.cap = pcap_create(iface, err);
	if (!g.cap || pcap_set_snaplen(g.cap, 512) || pcap_set_buffer_size(g.cap, 64 << 20) ||
	    pcap_set_timeout(g.cap, 1) || pcap_activate(g.cap) < 0 || pcap_setdirection(g.cap, PCAP_D_IN) ||
	    pcap_compile(g.cap, &prog, "ip6 and (ip6[6] == 135 or ip6[6] == 43)", 1, PCAP_NETMASK_UNKNOWN) ||
	    pcap_setfilter(g.cap, &prog) || pcap_setnonblock(g.cap, 1, err)) {
		fprintf(stderr, "rrload: capture on %s: %s\n", iface, g.cap ? pcap_geterr(g.cap) : err);
		return 1;
	}
	pcap_freecode(&prog);

	/* the Ethernet header: learnt from a first HoTI sent through the kernel */
	struct mk_raw6 raw;
	uint8_t eth[14], first[PKT_MAX], mh[32];
	size_t n, len;
	struct mk_mh m;
	struct in6_addr src;
	mk_mh_init(&m, MK_MH_HOTI);
	put64(&src, &g.hpre, rnd64());
	if (mk_raw6_open(&raw, iface, err, sizeof err) != 0) {
		fprintf(stderr, "rrload: %s\n", err);
		return 1;
	}
	/* three tries: the first may wait for neighbour discovery */
	int learnt = -1;
	if (mk_mh_build(mh, sizeof mh, NULL, &m, &n).err == MK_E_OK &&
	    mk_pkt_assemble(first, sizeof first, &src, &g.cn, NULL, NULL, MK_MH_NEXTHDR, mh, n, &len).err == MK_E_OK)
		for (int i = 0; i < 3 && learnt != 0; i++)
			learnt = mk_raw6_learn_eth(&raw, iface, first, len, 1000, eth);
	if (learnt != 0) {
		fprintf(stderr, "rrload: no Ethernet header learnt for %s on %s\n", argv[optind], iface);
		return 1;
	}
	mk_raw6_close(&raw);
	if (mk_txring_open(&g.tx, iface, eth, MK_TX_BYPASS, err, sizeof err) != 0) {
		fprintf(stderr, "rrload: %s\n", err);
		return 1;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	int rc = !strcmp(mode, "flood") ? run_flood() : run_exchanges();
	mk_txring_close(&g.tx);
	pcap_close(g.cap);
	return rc;
}
