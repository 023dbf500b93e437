/* bench/mkbench.c: codec rates against a baseline measured in the same run.
 *
 *   mkbench gen FILE N    write N full BU packets (Ethernet, IPv6, HAO, MH)
 *   mkbench run FILE      measure, print one line per measurement
 *   mkbench loop FILE     only the baseline (libpcap empty loop) over FILE
 *   mkbench mix FILE N    the mixed capture of mobcap's benchmark (mixgen.c)
 *   mkbench blast|sink    the UDP pair of linkem's bench (netbench.c)
 *   mkbench pace|delay    timed datagrams for its delay accuracy
 *   mkbench hold|bulk     idle TCP connections, a bulk stream (connbench.c)
 *
 * Baseline: libpcap's pcap_loop over FILE with an empty callback.  Every
 * other figure is also given as a ratio to it (rate / baseline rate), so
 * numbers from different machines compare.  Each figure is the best of
 * three runs.  Output lines: "name<TAB>packets/s<TAB>ns/packet<TAB>ratio".
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "net/pcapio.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

static volatile size_t sink;

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static struct in6_addr A(const char *s)
{
	struct in6_addr a;
	inet_pton(AF_INET6, s, &a);
	return a;
}

static void bu_msg(struct mk_mh *m)
{
	mk_mh_init(m, MK_MH_BU);
	m->u.bu.seq = 7;
	m->u.bu.flags = MK_BU_A | MK_BU_H | MK_BU_K;
	m->u.bu.lifetime = 150;
	m->opts[0].kind = MK_MHO_ALTCOA;
	m->opts[0].v.altcoa = A("2001:db8:2::100");
	m->nopts = 1;
}

static void ba_msg(struct mk_mh *m)
{
	mk_mh_init(m, MK_MH_BA);
	m->u.ba.status = 0;
	m->u.ba.flags = MK_BA_K;
	m->u.ba.seq = 7;
	m->u.ba.lifetime = 150;
	m->opts[0].kind = MK_MHO_BRA;
	m->opts[0].v.bra = 100;
	m->nopts = 1;
}

/* The full packet: IPv6 from the CoA, Destination Options with the HAO,
 * the BU, checksum filled. */
static size_t full_packet(uint8_t *buf, size_t cap, const struct mk_mh *m)
{
	uint8_t mh[256];
	size_t n, len;
	struct mk_pkt p = { .ip = { .hlim = 64 }, .has_hao = true, .ulp = MK_MH_NEXTHDR };

	if (mk_mh_build(mh, sizeof mh, NULL, m, &n).err != MK_E_OK)
		return 0;
	p.ip.src = A("2001:db8:2::100");
	p.ip.dst = A("2001:db8:1::1");
	p.hao = A("2001:db8:1::100");
	p.payload = mh;
	p.payload_len = n;
	if (mk_pkt_build(buf, cap, &p, &len).err != MK_E_OK ||
	    mk_pkt_fix_cksum(buf, len).err != MK_E_OK)
		return 0;
	return len;
}

static int gen(const char *path, long n)
{
	char err[PCAP_ERRBUF_SIZE + 64];
	uint8_t fr[512];
	struct mk_mh m;
	struct mk_pcapw *w = mk_pcapw_open(path, DLT_EN10MB, err, sizeof err);

	if (!w) {
		fprintf(stderr, "mkbench: %s\n", err);
		return 1;
	}
	bu_msg(&m);
	size_t e = mk_eth_ipv6(fr, 1, 2);
	size_t len = full_packet(fr + e, sizeof fr - e, &m);
	if (!len)
		return 1;
	for (long i = 0; i < n; i++)
		if (mk_pcapw_write(w, (uint64_t)i * 1000, fr, e + len) != 0)
			return 1;
	return mk_pcapw_close(w) ? 1 : 0;
}

struct ctx {
	size_t n;
	size_t bad;
};

static void cb_empty(u_char *u, const struct pcap_pkthdr *h, const u_char *d)
{
	((struct ctx *)(void *)u)->n++;
}

static void cb_parse(u_char *u, const struct pcap_pkthdr *h, const u_char *d)
{
	struct ctx *c = (struct ctx *)(void *)u;
	struct mk_ip6 ip;
	struct mk_ip6_chain ch;
	struct mk_mh m;

	c->n++;
	if (mk_ip6_chain_parse(d + 14, h->caplen - 14, &ip, &ch).err != MK_E_OK ||
	    mk_mh_parse(d + 14 + ch.ulp_off, ch.ulp_len, NULL, &m).err != MK_E_OK ||
	    !mk_pkt_check_cksum(d + 14, h->caplen - 14, NULL))
		c->bad++;
}

/* Best of three passes of pcap_loop over the file: packets per second. */
static double pcap_rate(const char *path, pcap_handler cb, size_t *bad)
{
	double best = 0;
	for (int r = 0; r < 3; r++) {
		char err[PCAP_ERRBUF_SIZE];
		struct ctx c = { 0, 0 };
		pcap_t *p = pcap_open_offline(path, err);
		if (!p) {
			fprintf(stderr, "mkbench: %s\n", err);
			exit(1);
		}
		double t0 = now();
		pcap_loop(p, -1, cb, (u_char *)&c);
		double dt = now() - t0;
		pcap_close(p);
		if (c.n && c.n / dt > best)
			best = (double)c.n / dt;
		*bad = c.bad;
	}
	return best;
}

enum op { PARSE_BU, BUILD_BU, PARSE_BA, BUILD_BA, PARSE_FULL, BUILD_FULL };

static size_t one(enum op op, const uint8_t *msg, size_t len, const struct mk_mh *in, uint8_t *out)
{
	struct mk_mh m;
	struct mk_ip6 ip;
	struct mk_ip6_chain ch;
	size_t n = 0;

	switch (op) {
	case PARSE_BU:
	case PARSE_BA:
		return mk_mh_parse(msg, len, NULL, &m).err == MK_E_OK ? 1 + m.nopts : 0;
	case BUILD_BU:
	case BUILD_BA:
		mk_mh_build(out, 256, NULL, in, &n);
		return n;
	case PARSE_FULL:
		if (mk_ip6_chain_parse(msg, len, &ip, &ch).err != MK_E_OK ||
		    mk_mh_parse(msg + ch.ulp_off, ch.ulp_len, NULL, &m).err != MK_E_OK ||
		    !mk_pkt_check_cksum(msg, len, NULL))
			return 0;
		return 1 + m.nopts;
	case BUILD_FULL:
		return full_packet(out, 512, in);
	}
	return 0;
}

static double mem_rate(enum op op, const uint8_t *msg, size_t len, const struct mk_mh *in, long iters)
{
	uint8_t out[512];
	double best = 0;

	for (int r = 0; r < 3; r++) {
		size_t acc = 0;
		double t0 = now();
		for (long i = 0; i < iters; i++)
			acc += one(op, msg, len, in, out);
		double dt = now() - t0;
		sink = acc;
		if (acc == 0) {
			fprintf(stderr, "mkbench: operation %d failed\n", (int)op);
			exit(1);
		}
		if ((double)iters / dt > best)
			best = (double)iters / dt;
	}
	return best;
}

static void line(const char *name, double rate, double base)
{
	printf("%s\t%.0f\t%.1f\t%.3f\n", name, rate, 1e9 / rate, rate / base);
}

static int run(const char *path, long iters)
{
	struct mk_mh bu, ba;
	uint8_t bu_w[256], ba_w[256], full[512];
	size_t bun, ban, fulln, bad;

	bu_msg(&bu);
	ba_msg(&ba);
	if (mk_mh_build(bu_w, sizeof bu_w, NULL, &bu, &bun).err != MK_E_OK ||
	    mk_mh_build(ba_w, sizeof ba_w, NULL, &ba, &ban).err != MK_E_OK ||
	    !(fulln = full_packet(full, sizeof full, &bu)))
		return 1;

	double base = pcap_rate(path, cb_empty, &bad);
	printf("# name\tpackets/s\tns/packet\tratio to libpcap empty loop\n");
	line("libpcap-empty-loop", base, base);
	double pf = pcap_rate(path, cb_parse, &bad);
	if (bad) {
		fprintf(stderr, "mkbench: %zu packets of %s did not parse\n", bad, path);
		return 1;
	}
	line("pcap-loop+parse-full", pf, base);
	line("parse-bu", mem_rate(PARSE_BU, bu_w, bun, NULL, iters), base);
	line("build-bu", mem_rate(BUILD_BU, NULL, 0, &bu, iters), base);
	line("parse-ba", mem_rate(PARSE_BA, ba_w, ban, NULL, iters), base);
	line("build-ba", mem_rate(BUILD_BA, NULL, 0, &ba, iters), base);
	line("parse-full-ipv6-hao-mh", mem_rate(PARSE_FULL, full, fulln, NULL, iters), base);
	line("build-full-ipv6-hao-mh", mem_rate(BUILD_FULL, NULL, 0, &bu, iters), base);
	return 0;
}

int mk_netbench(int argc, char **argv);
int mk_floodbench(int argc, char **argv);
int mk_mixgen(int argc, char **argv);
int mk_connbench(int argc, char **argv);

int main(int argc, char **argv)
{
	int r = mk_netbench(argc, argv);
	if (r < 0)
		r = mk_floodbench(argc, argv);
	if (r < 0)
		r = mk_mixgen(argc, argv);
	if (r < 0)
		r = mk_connbench(argc, argv);
	if (r >= 0)
		return r;
	if (argc == 3 && strcmp(argv[1], "loop") == 0) {
		size_t bad;
		printf("libpcap-empty-loop\t%.0f\n", pcap_rate(argv[2], cb_empty, &bad));
		return 0;
	}
	if (argc == 4 && strcmp(argv[1], "gen") == 0)
		return gen(argv[2], atol(argv[3]));
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "run") == 0)
		return run(argv[2], argc == 4 ? atol(argv[3]) : 2000000);
	fprintf(stderr, "usage: mkbench gen FILE N | mkbench run FILE [ITERATIONS] | mkbench loop FILE\n"
		"       mkbench mix FILE N\n"
		"       mkbench blast DST PORT SECONDS | mkbench sink PORT SECONDS\n"
		"       mkbench pace DST PORT RATE SECONDS | mkbench delay PORT SECONDS MS\n"
		"       mkbench hold listen PORT N SECONDS | mkbench hold connect ADDR PORT N SECONDS\n"
		"       mkbench bulk recv PORT | mkbench bulk send ADDR PORT BYTES\n");
	return 2;
}
