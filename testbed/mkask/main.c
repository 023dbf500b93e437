/* testbed/mkask/main.c: a DNS client that asks continuously, for
 * measurement campaigns.
 *
 *   mkask [-i MS] [-d SEC] [-t TYPE]... [--caaaa-type N] [-p PORT] SERVER NAME
 *
 * Every interval it sends one query (RD set) per type to SERVER over UDP
 * from one socket, reads whatever answers have come, and at the end (the
 * duration, SIGINT or SIGTERM) prints one line: queries sent, answers
 * received and their RCODEs.  It judges nothing: the campaign captures the
 * packets and `mobcap latency convergence` reads the answers there, so the
 * client's own timing never enters a figure.  Queries are built by ldns.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <ldns/ldns.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"
#include "net/cap.h"
#include "wire/codepoints.h"

#define MAXT 4

static volatile sig_atomic_t g_stop;
static void on_sig(int s)
{
	(void)s;
	g_stop = 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mkask [OPTIONS] SERVER NAME\n"
		"Ask SERVER for NAME continuously (RD set), for DNS convergence campaigns.\n"
		"\n"
		"  -i, --interval MS     between rounds of queries (default 20)\n"
		"  -d, --duration SEC    stop after this long (default: until SIGINT/SIGTERM)\n"
		"  -t, --type TYPE       aaaa, caaaa or a number (repeat; default aaaa and caaaa)\n"
		"      --caaaa-type N    the CAAAA type code (default %u, the caaaa-type codepoint)\n"
		"  -p, --port N          server port (default 53)\n"
		"At the end: one line with queries sent, answers and their RCODEs.\n"
		"exit status: 0 done, 1 no answer at all, 2 usage\n",
		(unsigned)mk_cp(NULL, MK_CP_CAAAA_TYPE));
}

static int num(const char *s, const char *what, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || *end || end == s || v < lo || v > hi) {
		fprintf(stderr, "mkask: bad value '%s' for %s: want %ld..%ld\n", s, what, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "interval", required_argument, NULL, 'i' }, { "duration", required_argument, NULL, 'd' },
		{ "type", required_argument, NULL, 't' },     { "caaaa-type", required_argument, NULL, 'C' },
		{ "port", required_argument, NULL, 'p' },     { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	long interval = 20, duration = 0, port = 53, caaaa = (long)mk_cp(NULL, MK_CP_CAAAA_TYPE), v;
	const char *tname[MAXT];
	unsigned nt = 0;
	int c;

	while ((c = getopt_long(argc, argv, "i:d:t:p:h", opts, NULL)) != -1) {
		switch (c) {
		case 'i':
			if (num(optarg, "--interval", 1, 3600000, &interval))
				return 2;
			break;
		case 'd':
			if (num(optarg, "--duration", 1, 86400, &duration))
				return 2;
			break;
		case 'C':
			if (num(optarg, "--caaaa-type", 1, 65535, &caaaa))
				return 2;
			break;
		case 'p':
			if (num(optarg, "--port", 1, 65535, &port))
				return 2;
			break;
		case 't':
			if (nt == MAXT) {
				fprintf(stderr, "mkask: at most %d --type\n", MAXT);
				return 2;
			}
			tname[nt++] = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (argc - optind != 2) {
		fprintf(stderr, "mkask: want SERVER and NAME (%d arguments given)\n", argc - optind);
		return 2;
	}
	uint16_t types[MAXT];
	if (!nt) {
		tname[nt++] = "aaaa";
		tname[nt++] = "caaaa";
	}
	for (unsigned i = 0; i < nt; i++) {
		if (strcasecmp(tname[i], "aaaa") == 0)
			types[i] = MK_DNS_T_AAAA;
		else if (strcasecmp(tname[i], "caaaa") == 0)
			types[i] = (uint16_t)caaaa;
		else if (num(tname[i], "--type", 1, 65535, &v) == 0)
			types[i] = (uint16_t)v;
		else
			return 2;
	}
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET6, argv[optind], &sa.sin6_addr) != 1) {
		fprintf(stderr, "mkask: bad server '%s': not an IPv6 address\n", argv[optind]);
		return 2;
	}
	ldns_rdf *qn = ldns_dname_new_frm_str(argv[optind + 1]);
	if (!qn) {
		fprintf(stderr, "mkask: bad name '%s': not a domain name\n", argv[optind + 1]);
		return 2;
	}
	/* the queries, built once by ldns; only the ID changes */
	uint8_t q[MAXT][512];
	size_t qlen[MAXT];
	for (unsigned i = 0; i < nt; i++) {
		ldns_pkt *p = ldns_pkt_query_new(ldns_rdf_clone(qn), (ldns_rr_type)types[i],
						 LDNS_RR_CLASS_IN, LDNS_RD);
		struct mk_status st = p ? mk_dns_pkt_wire(p, q[i], sizeof q[i], &qlen[i])
					: (struct mk_status){ .err = MK_E_RANGE };
		ldns_pkt_free(p);
		if (st.err != MK_E_OK) {
			fprintf(stderr, "mkask: cannot build the query: %s\n", mk_strerror(st.err));
			return 2;
		}
	}
	ldns_rdf_deep_free(qn);
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		fprintf(stderr, "mkask: %s: %s\n", argv[optind], strerror(errno));
		return 1;
	}
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	uint64_t sent = 0, answers = 0, rcodes[16] = { 0 }, senderr = 0;
	uint64_t start = mk_now_mono_ns(), next = start;
	uint16_t id = (uint16_t)(getpid() ^ start);
	while (!g_stop) {
		uint64_t now = mk_now_mono_ns();
		if (duration && now - start >= (uint64_t)duration * 1000000000ull)
			break;
		if (now >= next) {
			for (unsigned i = 0; i < nt; i++) {
				id++;
				q[i][0] = (uint8_t)(id >> 8);
				q[i][1] = (uint8_t)id;
				if (send(fd, q[i], qlen[i], 0) < 0)
					senderr++;
				else
					sent++;
			}
			next += (uint64_t)interval * 1000000;
			if (next < now)
				next = now; /* fell behind: do not burst */
			continue;
		}
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		int ms = (int)((next - now + 999999) / 1000000);
		if (poll(&pf, 1, ms) > 0) {
			uint8_t b[4096];
			ssize_t n;
			while ((n = recv(fd, b, sizeof b, 0)) >= 4) {
				answers++;
				rcodes[b[3] & 0xf]++;
			}
		}
	}
	close(fd);
	printf("mkask %s %s: %" PRIu64 " queries, %" PRIu64 " answers", argv[optind], argv[optind + 1],
	       sent, answers);
	for (unsigned r = 0; r < 16; r++)
		if (rcodes[r])
			printf(" %s %" PRIu64, mk_dns_rcode_name(r) ? mk_dns_rcode_name(r) : "?", rcodes[r]);
	if (senderr)
		printf(", %" PRIu64 " send errors", senderr);
	putchar('\n');
	return answers ? 0 : 1;
}
