/* testbed/mksel/main.c: correspondent-side address selection for a node
 * with several addresses (issue 17, seeds/004 solution 1, doc/mksel.1).
 *
 *   mksel [OPTIONS] -s SERVER NAME
 *
 * Resolves NAME's AAAA rrset (and, with --srv, the SRV record
 * _service._proto.NAME for the port, RFC 2782) at SERVER with ldns, then
 * picks one address by a policy and connects to it over TCP:
 *
 *   race     RFC 8305 section 5: a connection attempt to each address in
 *            turn, the next one started a Connection Attempt Delay (-d,
 *            250 ms) after the previous unless one completed; the first
 *            to complete wins, the others are closed.  Candidates in the
 *            order the server answered (section 4's RFC 6724 sort left
 *            out: see the man page).
 *   probe    the RTT of each address, measured with TCP connections (SYN
 *            -> SYN/ACK, the minimum of -n rounds, all addresses at once in
 *            a round), the lowest picked; then a new connection to it.
 *   rfc6724  the order glibc's getaddrinfo gives NAME (its RFC 6724
 *            destination address sort, through the system's resolver
 *            configuration): the first is picked.
 *
 * Prints one line (key=value, or --json): see usage().  The times are the
 * tool's own monotonic clock (CLOCK_MONOTONIC): request = the first query
 * sent.  Exit 0 connected, 1 no connection, 2 usage, 3 the name did not
 * resolve (no answer, an error rcode, no AAAA, no SRV asked for). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <ldns/ldns.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"

#define MAXC 16                  /* candidates at most */

enum policy { P_RACE, P_PROBE, P_RFC6724 };
static const char *const policy_name[] = { "race", "probe", "rfc6724" };

enum cstate { C_IDLE, C_TRYING, C_OK, C_FAILED, C_CLOSED, C_PROBED };
static const char *const cstate_name[] = { "not-tried", "trying", "connected", "failed", "cancelled",
					   "probed" };

struct cand {
	struct in6_addr a;
	char s[INET6_ADDRSTRLEN];
	int fd;
	enum cstate st;
	double start_ms, ms;         /* its attempt's start; its time (-1: none) */
	int err;
};

static struct {
	enum policy policy;
	unsigned delay_ms, timeout_ms, rounds;
	long port;                   /* -1: from the SRV record */
	const char *srv;
	bool json, read_reply;
} o = { P_RACE, 250, 3000, 3, -1, NULL, false, false };

static struct cand c[MAXC];
static unsigned nc;
static double t0;                /* the request: the first query, ms */

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: mksel [OPTIONS] -s SERVER NAME\n"
		"Resolve NAME (AAAA, and SRV with --srv) at SERVER, pick an address by POLICY,\n"
		"connect to it over TCP; one line on stdout.\n"
		"\n"
		"  -s, --server ADDR|[ADDR]:PORT  the name server to ask (port default 53)\n"
		"  -P, --policy POLICY   race (RFC 8305 connection race, default), probe (lowest\n"
		"                        TCP connect RTT), rfc6724 (getaddrinfo's first)\n"
		"  -p, --port N          the TCP port to connect to (default: from --srv)\n"
		"  -S, --srv _svc._proto ask NAME's SRV record _svc._proto.NAME for the port\n"
		"  -d, --delay MS        race: Connection Attempt Delay (default 250)\n"
		"  -n, --rounds N        probe: rounds of RTT probes per address (default 3)\n"
		"  -t, --timeout MS      each DNS query, and connecting (default 3000)\n"
		"  -r, --read            read the peer's first line after connecting (reply=)\n"
		"  -j, --json            one JSON object instead of key=value\n"
		"  -h, --help            this text\n"
		"output (key=value, one line): policy name port chosen resolve_ms connect_ms\n"
		"  setup_ms [first_byte_ms reply] candidates=ADDR/STATE/MS,...  (MS '-': none)\n"
		"  times in ms from the first query (setup_ms: request -> connected)\n"
		"exit status: 0 connected, 1 no connection, 2 usage, 3 NAME did not resolve\n");
}

/* a usage error: one line naming the bad value (v NULL: none), exit 2 */
static int bad(const char *what, const char *v, const char *why)
{
	if (v)
		fprintf(stderr, "mksel: %s '%s': %s\n", what, v, why);
	else
		fprintf(stderr, "mksel: %s: %s\n", what, why);
	return 2;
}

static int num(const char *s, const char *what, long lo, long hi, long *out)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (!*s || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "mksel: %s '%s': expected %ld..%ld\n", what, s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* ---- resolution ---- */

/* one query of name/type at the resolver: the answer (NULL: none, *rc -1) */
static ldns_pkt *ask(ldns_resolver *r, const char *name, ldns_rr_type t, int *rc)
{
	ldns_rdf *n = ldns_dname_new_frm_str(name);
	ldns_pkt *p = NULL;
	*rc = -1;
	if (!n)
		return NULL;
	if (ldns_resolver_send(&p, r, n, t, LDNS_RR_CLASS_IN, 0) != LDNS_STATUS_OK)
		p = NULL;
	ldns_rdf_deep_free(n);
	if (p)
		*rc = (int)ldns_pkt_get_rcode(p);
	return p;
}

/* NAME's addresses into c[], the port from the SRV (o.port < 0); 0, or 3
 * with a line on stderr */
static int resolve(const struct sockaddr_storage *ss, socklen_t sl, const char *name)
{
	ldns_resolver *r = ldns_resolver_new();
	ldns_rdf *ns = NULL;
	int rc, ret = 0;
	const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
	if (!r || ss->ss_family != AF_INET6 ||
	    !(ns = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_AAAA, 16, &s6->sin6_addr)) ||
	    ldns_resolver_push_nameserver(r, ns) != LDNS_STATUS_OK) {
		fprintf(stderr, "mksel: cannot set up the resolver\n");
		ldns_rdf_deep_free(ns);
		if (r)
			ldns_resolver_deep_free(r);
		return 3;
	}
	(void)sl;
	ldns_rdf_deep_free(ns);
	ldns_resolver_set_port(r, ntohs(s6->sin6_port));
	ldns_resolver_set_recursive(r, false);
	ldns_resolver_set_retry(r, 1);
	ldns_resolver_set_timeout(r, (struct timeval){ o.timeout_ms / 1000, (o.timeout_ms % 1000) * 1000 });
	ldns_pkt *p = ask(r, name, LDNS_RR_TYPE_AAAA, &rc);
	ldns_rr_list *l = p ? ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_AAAA, LDNS_SECTION_ANSWER) : NULL;
	for (size_t i = 0; l && i < ldns_rr_list_rr_count(l) && nc < MAXC; i++) {
		const ldns_rdf *d = ldns_rr_rdf(ldns_rr_list_rr(l, i), 0);
		if (!d || ldns_rdf_size(d) != 16)
			continue;
		memcpy(&c[nc].a, ldns_rdf_data(d), 16);
		inet_ntop(AF_INET6, &c[nc].a, c[nc].s, sizeof c[nc].s);
		c[nc].fd = -1;
		c[nc].ms = -1;
		nc++;
	}
	ldns_rr_list_deep_free(l);
	ldns_pkt_free(p);
	if (!nc) {
		fprintf(stderr, "mksel: %s: no AAAA (%s)\n", name,
			rc < 0 ? "no answer" : ldns_pkt_rcode2str((ldns_pkt_rcode)rc));
		ret = 3;
	}
	if (!ret && o.srv) {
		char q[600];
		snprintf(q, sizeof q, "%s.%s", o.srv, name);
		p = ask(r, q, LDNS_RR_TYPE_SRV, &rc);
		l = p ? ldns_pkt_rr_list_by_type(p, LDNS_RR_TYPE_SRV, LDNS_SECTION_ANSWER) : NULL;
		long best = 65536;
		for (size_t i = 0; l && i < ldns_rr_list_rr_count(l); i++) {
			const ldns_rr *rr = ldns_rr_list_rr(l, i);
			if (ldns_rr_rd_count(rr) != 4)
				continue;
			long prio = ldns_rdf2native_int16(ldns_rr_rdf(rr, 0));
			if (prio < best && o.port < 0) {
				best = prio;
				o.port = ldns_rdf2native_int16(ldns_rr_rdf(rr, 2));
			}
		}
		ldns_rr_list_deep_free(l);
		ldns_pkt_free(p);
		if (o.port <= 0) {
			fprintf(stderr, "mksel: %s: no SRV record (%s)\n", q,
				rc < 0 ? "no answer" : ldns_pkt_rcode2str((ldns_pkt_rcode)rc));
			ret = 3;
		}
	}
	ldns_resolver_deep_free(r);
	return ret;
}

/* rfc6724: getaddrinfo's order of NAME; c[] reordered so, the addresses
 * getaddrinfo gives that DNS did not appended.  0, or 3 */
static int gai_order(const char *name)
{
	struct addrinfo h = { .ai_family = AF_INET6, .ai_socktype = SOCK_STREAM }, *res = NULL, *ai;
	struct cand out[MAXC];
	unsigned n = 0;
	int e = getaddrinfo(name, NULL, &h, &res);
	if (e) {
		fprintf(stderr, "mksel: getaddrinfo %s: %s\n", name, gai_strerror(e));
		return 3;
	}
	for (ai = res; ai && n < MAXC; ai = ai->ai_next) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		unsigned k;
		for (k = 0; k < n && memcmp(&out[k].a, a, 16); k++)
			;
		if (k < n)
			continue;
		memset(&out[n], 0, sizeof out[n]);
		out[n].a = *a;
		inet_ntop(AF_INET6, a, out[n].s, sizeof out[n].s);
		out[n].fd = -1;
		out[n].ms = -1;
		n++;
	}
	freeaddrinfo(res);
	memcpy(c, out, n * sizeof *out);
	nc = n;
	return n ? 0 : 3;
}

/* ---- connections ---- */

static int start(struct cand *x)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_addr = x->a,
				   .sin6_port = htons((uint16_t)o.port) };
	x->fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	x->start_ms = now_ms();
	x->ms = -1;
	if (x->fd < 0 || (connect(x->fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS)) {
		x->err = errno;
		x->st = C_FAILED;
		if (x->fd >= 0)
			close(x->fd);
		x->fd = -1;
		return -1;
	}
	x->st = C_TRYING;
	return 0;
}

static void cancel(struct cand *x)
{
	if (x->fd >= 0)
		close(x->fd);
	x->fd = -1;
	if (x->st == C_TRYING)
		x->st = C_CLOSED;
}

/* wait up to ms for the attempts under way; each that completes is
 * marked; returns the index of the first connected, -1 if none */
static int poll_some(double until)
{
	struct pollfd pf[MAXC];
	unsigned map[MAXC], n = 0;
	for (unsigned i = 0; i < nc; i++)
		if (c[i].st == C_TRYING) {
			pf[n] = (struct pollfd){ .fd = c[i].fd, .events = POLLOUT };
			map[n++] = i;
		}
	double left = until - now_ms();
	if (!n) {
		if (left > 0)
			poll(NULL, 0, (int)left + 1);
		return -1;
	}
	int r = poll(pf, n, left > 0 ? (int)left + 1 : 0);
	double t = now_ms();
	int won = -1;
	for (unsigned k = 0; r > 0 && k < n; k++) {
		if (!pf[k].revents)
			continue;
		struct cand *x = &c[map[k]];
		int err = 0;
		socklen_t el = sizeof err;
		getsockopt(x->fd, SOL_SOCKET, SO_ERROR, &err, &el);
		if (err) {
			x->err = err;
			x->st = C_FAILED;
			close(x->fd);
			x->fd = -1;
			continue;
		}
		x->st = C_OK;
		x->ms = t - x->start_ms;
		if (won < 0)
			won = (int)map[k];
	}
	return won;
}

static bool any_trying(void)
{
	for (unsigned i = 0; i < nc; i++)
		if (c[i].st == C_TRYING)
			return true;
	return false;
}

/* RFC 8305 section 5: the winner's index, -1 if none; the losers closed */
static int race(void)
{
	double deadline = now_ms() + o.timeout_ms;
	unsigned next = 0;
	int won = -1;
	while (won < 0 && now_ms() < deadline) {
		if (next < nc) {
			start(&c[next++]);
			/* the next attempt after the delay, or at once when this one failed
			 * (section 5: "as soon as" an attempt fails, the next may start) */
			double until = now_ms() + o.delay_ms;
			while (won < 0 && now_ms() < until && now_ms() < deadline && any_trying())
				won = poll_some(until < deadline ? until : deadline);
			continue;
		}
		if (!any_trying())
			break;
		won = poll_some(deadline);
	}
	for (unsigned i = 0; i < nc; i++)
		if ((int)i != won)
			cancel(&c[i]);
	return won;
}

/* o.rounds rounds, all addresses at once: each one's minimum connect
 * time in c[].ms; the lowest's index, -1 if none answered */
static int probe(void)
{
	double best[MAXC];
	for (unsigned i = 0; i < nc; i++)
		best[i] = -1;
	for (unsigned r = 0; r < o.rounds; r++) {
		double deadline = now_ms() + o.timeout_ms;
		for (unsigned i = 0; i < nc; i++)
			start(&c[i]);
		while (any_trying() && now_ms() < deadline)
			poll_some(deadline);
		for (unsigned i = 0; i < nc; i++) {
			if (c[i].st == C_OK && (best[i] < 0 || c[i].ms < best[i]))
				best[i] = c[i].ms;
			cancel(&c[i]);
			if (c[i].st == C_OK)
				c[i].st = C_IDLE;
		}
	}
	int pick = -1;
	for (unsigned i = 0; i < nc; i++) {
		c[i].ms = best[i];
		c[i].st = best[i] < 0 ? C_FAILED : C_PROBED;
		if (best[i] >= 0 && (pick < 0 || best[i] < best[pick]))
			pick = (int)i;
	}
	return pick;
}

/* one connection to c[i] alone: true if it came up */
static bool connect_one(unsigned i, double *ms)
{
	double keep = c[i].ms;
	start(&c[i]);
	double deadline = now_ms() + o.timeout_ms;
	while (c[i].st == C_TRYING && now_ms() < deadline)
		poll_some(deadline);
	*ms = c[i].ms;
	if (c[i].st == C_TRYING)
		cancel(&c[i]);
	if (o.policy == P_PROBE) /* its figure stays the probe's RTT */
		c[i].ms = keep;
	return c[i].st == C_OK;
}

/* the peer's first line (printable, at most 127 octets), its arrival in *ms */
static void read_line(int fd, char *out, size_t cap, double *ms)
{
	size_t n = 0;
	double deadline = now_ms() + o.timeout_ms;
	*ms = -1;
	out[0] = 0;
	while (n + 1 < cap && now_ms() < deadline) {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, (int)(deadline - now_ms()) + 1) <= 0)
			break;
		char ch;
		ssize_t r = read(fd, &ch, 1);
		if (r <= 0)
			break;
		if (*ms < 0)
			*ms = now_ms() - t0;
		if (ch == '\n')
			break;
		out[n++] = (ch > 0x20 && ch < 0x7f && ch != ',' && ch != '"' && ch != '\\') ? ch : '_';
	}
	out[n] = 0;
}

/* ---- output ---- */

static void ms_str(double v, char *b, size_t cap)
{
	if (v < 0)
		snprintf(b, cap, "%s", o.json ? "null" : "-");
	else
		snprintf(b, cap, "%.3f", v);
}

static void print(const char *name, int chosen, double resolve_ms, double connect_ms, double setup_ms,
		  double fb_ms, const char *reply)
{
	char r[32], cm[32], s[32], fb[32], m[32];
	ms_str(resolve_ms, r, sizeof r);
	ms_str(connect_ms, cm, sizeof cm);
	ms_str(setup_ms, s, sizeof s);
	ms_str(fb_ms, fb, sizeof fb);
	const char *ch = chosen >= 0 ? c[chosen].s : (o.json ? NULL : "-");
	if (o.json) {
		printf("{\"policy\":\"%s\",\"name\":\"%s\",\"port\":%ld,", policy_name[o.policy], name, o.port);
		if (ch)
			printf("\"chosen\":\"%s\",", ch);
		else
			printf("\"chosen\":null,");
		printf("\"resolve_ms\":%s,\"connect_ms\":%s,\"setup_ms\":%s", r, cm, s);
		if (o.read_reply)
			printf(",\"first_byte_ms\":%s,\"reply\":\"%s\"", fb, reply);
		printf(",\"candidates\":[");
		for (unsigned i = 0; i < nc; i++) {
			ms_str(c[i].ms, m, sizeof m);
			printf("%s{\"addr\":\"%s\",\"state\":\"%s\",\"ms\":%s}", i ? "," : "", c[i].s,
			       cstate_name[c[i].st], m);
		}
		printf("]}\n");
		return;
	}
	printf("policy=%s name=%s port=%ld chosen=%s resolve_ms=%s connect_ms=%s setup_ms=%s",
	       policy_name[o.policy], name, o.port, ch, r, cm, s);
	if (o.read_reply)
		printf(" first_byte_ms=%s reply=%s", fb, reply[0] ? reply : "-");
	printf(" candidates=");
	for (unsigned i = 0; i < nc; i++) {
		ms_str(c[i].ms, m, sizeof m);
		printf("%s%s/%s/%s", i ? "," : "", c[i].s, cstate_name[c[i].st], m);
	}
	printf("\n");
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "server", required_argument, 0, 's' }, { "policy", required_argument, 0, 'P' },
		{ "port", required_argument, 0, 'p' },	 { "srv", required_argument, 0, 'S' },
		{ "delay", required_argument, 0, 'd' },	 { "rounds", required_argument, 0, 'n' },
		{ "timeout", required_argument, 0, 't' }, { "read", no_argument, 0, 'r' },
		{ "json", no_argument, 0, 'j' },	 { "help", no_argument, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	const char *server = NULL;
	long v;
	int ch;
	while ((ch = getopt_long(argc, argv, "s:P:p:S:d:n:t:rjh", lo, NULL)) != -1) {
		switch (ch) {
		case 's':
			server = optarg;
			break;
		case 'P':
			for (v = 0; v < 3 && strcmp(optarg, policy_name[v]); v++)
				;
			if (v == 3)
				return bad("--policy", optarg, "expected race, probe or rfc6724");
			o.policy = (enum policy)v;
			break;
		case 'p':
			if (num(optarg, "--port", 1, 65535, &o.port))
				return 2;
			break;
		case 'S':
			if (optarg[0] != '_' || !strchr(optarg, '.') || strlen(optarg) > 120)
				return bad("--srv", optarg, "expected _service._proto (RFC 2782), e.g. _mkrv._tcp");
			o.srv = optarg;
			break;
		case 'd':
			if (num(optarg, "--delay", 10, 60000, &v))
				return 2;
			o.delay_ms = (unsigned)v;
			break;
		case 'n':
			if (num(optarg, "--rounds", 1, 100, &v))
				return 2;
			o.rounds = (unsigned)v;
			break;
		case 't':
			if (num(optarg, "--timeout", 10, 600000, &v))
				return 2;
			o.timeout_ms = (unsigned)v;
			break;
		case 'r':
			o.read_reply = true;
			break;
		case 'j':
			o.json = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "mksel: %s\n", optind == argc ? "no NAME given" : "one NAME only");
		usage(stderr);
		return 2;
	}
	const char *name = argv[optind];
	uint8_t wire[MK_DNS_NAME_MAX];
	size_t wl;
	if (mk_dns_name_from_str(name, wire, &wl).err != MK_E_OK)
		return bad("NAME", name, "not a domain name");
	struct sockaddr_storage ss;
	socklen_t sl;
	if (!server)
		return bad("--server", NULL, "not given (the name server to ask)");
	if (mk_dns_server_addr(server, &ss, &sl).err != MK_E_OK || ss.ss_family != AF_INET6)
		return bad("--server", server, "expected an IPv6 address or [ADDR]:PORT");
	if (o.port < 0 && !o.srv)
		return bad("--port", NULL, "no --port and no --srv: which port to connect to?");

	t0 = now_ms();
	int rc = resolve(&ss, sl, name);
	double resolve_ms = now_ms() - t0;
	if (rc)
		return rc;
	if (o.policy == P_RFC6724 && (rc = gai_order(name)) != 0)
		return rc;
	double tc = now_ms();
	int chosen = -1;
	double connect_ms = -1;
	if (o.policy == P_RACE) {
		chosen = race();
	} else {
		if (o.policy == P_PROBE)
			chosen = probe();
		else
			chosen = 0;
		if (chosen >= 0 && !connect_one((unsigned)chosen, &connect_ms))
			chosen = -1;
	}
	double setup_ms = -1, fb_ms = -1;
	char reply[128] = "";
	if (chosen >= 0) {
		double t = now_ms();
		connect_ms = t - tc;
		setup_ms = t - t0;
		if (o.read_reply)
			read_line(c[chosen].fd, reply, sizeof reply, &fb_ms);
		close(c[chosen].fd);
		c[chosen].fd = -1;
	}
	print(name, chosen, resolve_ms, connect_ms, setup_ms, fb_ms, reply);
	return chosen >= 0 ? 0 : 1;
}
