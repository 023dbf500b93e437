/* probes/mobprobe/dns.c: the DNS probes.
 *
 *   caaaa   query a name server or resolver for CAAAA and AAAA and show
 *           each record with its section and TTL, and the rcode
 *   update  publish (replace) or withdraw AAAA/CAAAA by DNS UPDATE
 *           (RFC 2136), unsigned, TSIG (RFC 8945) or SIG(0) (RFC 2931),
 *           and check the response's TSIG
 *
 * Messages are built with ldns and lib/dns and go over a UDP socket; with
 * --pcap the exchange is captured on the route's interface as well.
 */
#include "mobprobe.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <net/if.h>
#include <netdb.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/dns.h"
#include "net/cap.h"

#define DNS_BUF 65535

struct dns_common {
	struct sockaddr_storage ss;
	socklen_t sl;
	unsigned long port;
	char server[INET6_ADDRSTRLEN + 8];
	int fd;
	struct mk_cap *cap;
};

/* "ADDR", "[ADDR]:PORT"; IPv6 or IPv4, numeric. */
static int dns_server(struct mp *m, const char *arg, struct dns_common *d)
{
	char host[INET6_ADDRSTRLEN + 8], portbuf[24];
	struct addrinfo hints = { .ai_flags = AI_NUMERICHOST, .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res;

	m->target = arg;
	if (arg[0] == '[') {
		const char *close = strchr(arg, ']');
		if (!close || (close[1] && close[1] != ':') || (size_t)(close - arg) > sizeof host)
			return mp_usage_error("bad server '%s': want ADDR or [ADDR]:PORT", arg);
		snprintf(host, sizeof host, "%.*s", (int)(close - arg - 1), arg + 1);
		if (close[1] == ':' && mp_ulong("the server port", close + 2, 1, 65535, &d->port) != 0)
			return -1;
	} else {
		snprintf(host, sizeof host, "%s", arg);
	}
	if (!d->port)
		d->port = 53;
	snprintf(portbuf, sizeof portbuf, "%lu", d->port);
	if (getaddrinfo(host, portbuf, &hints, &res) != 0)
		return mp_usage_error("bad server '%s': not a numeric IPv6 or IPv4 address", host);
	memcpy(&d->ss, res->ai_addr, res->ai_addrlen);
	d->sl = res->ai_addrlen;
	freeaddrinfo(res);
	snprintf(d->server, sizeof d->server, "%s", host);
	if (d->ss.ss_family == AF_INET6)
		m->dst = ((struct sockaddr_in6 *)&d->ss)->sin6_addr;
	return 0;
}

static int noop(void *arg, const uint8_t *p, size_t n, uint64_t ts)
{
	(void)arg, (void)p, (void)n, (void)ts;
	return 0;
}

static int dns_open(struct mp *m, struct dns_common *d)
{
	char err[512], filter[160], ifbuf[IF_NAMESIZE + 1] = "";

	if (m->verbose) {
		mk_cp_format(&m->cp, err, sizeof err);
		fprintf(m->json ? stderr : stdout, "  codepoints: %s\n", err);
	}
	d->fd = socket(d->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (d->fd < 0) {
		fprintf(stderr, "mobprobe: socket: %s\n", strerror(errno));
		return -1;
	}
	if (m->ifname && setsockopt(d->fd, SOL_SOCKET, SO_BINDTODEVICE, m->ifname,
				    (socklen_t)strlen(m->ifname)) != 0) {
		fprintf(stderr, "mobprobe: interface %s: %s\n", m->ifname, strerror(errno));
		return -1;
	}
	if (m->has_src && d->ss.ss_family == AF_INET6) {
		struct sockaddr_in6 b = { .sin6_family = AF_INET6, .sin6_addr = m->src };
		if (bind(d->fd, (struct sockaddr *)&b, sizeof b) != 0) {
			fprintf(stderr, "mobprobe: bind to -s: %s\n", strerror(errno));
			return -1;
		}
	}
	if (connect(d->fd, (struct sockaddr *)&d->ss, d->sl) != 0) {
		fprintf(stderr, "mobprobe: %s: %s\n", d->server, strerror(errno));
		return -1;
	}
	if (m->pcap_path) {
		const char *ifn = m->ifname;
		if (!ifn && d->ss.ss_family == AF_INET6) {
			struct in6_addr src;
			if (mp_route_source(&m->dst, NULL, &src, ifbuf, sizeof ifbuf) == 0)
				ifn = ifbuf;
		}
		snprintf(filter, sizeof filter, "udp port %lu and host %s", d->port, d->server);
		d->cap = mk_cap_open(ifn ? ifn : "any", filter, m->pcap_path, err, sizeof err);
		if (!d->cap) {
			fprintf(stderr, "mobprobe: %s\n", err);
			return -1;
		}
	}
	return 0;
}

static int dns_close(struct mp *m, struct dns_common *d)
{
	int rc = 0;
	if (d->fd >= 0)
		close(d->fd);
	if (d->cap) {
		/* give the last answer time to reach the capture */
		(void)mk_cap_wait(d->cap, mk_now_mono_ns() + 20000000u, noop, NULL);
		if (mk_cap_close(d->cap, NULL) != 0) {
			fprintf(stderr, "mobprobe: %s: could not complete the capture file\n",
				m->pcap_path);
			rc = -1;
		}
	}
	return rc;
}

/* -v: one line per DNS message, in the manner of the packet probes' "sent"
 * and "seen" lines.  lib/wire's describer stops at the UDP header, so the
 * DNS part is told here from lib/dns's parse: id, opcode, QR and rcode,
 * the flags, then every entry with its section (zone, prerequisite and
 * update for UPDATE), type, owner, TTL and AAAA/CAAAA address. */
static void dns_dump(const struct mp *m, const char *dir, const struct dns_common *d,
		     const uint8_t *buf, size_t len)
{
	static struct mk_dns_msg msg;
	static const struct { uint16_t bit; const char *name; } fl[] = {
		{ 0x0400, "aa" }, { 0x0200, "tc" }, { 0x0100, "rd" }, { 0x0080, "ra" },
		{ 0x0020, "ad" }, { 0x0010, "cd" },
	};
	char line[1024], name[MK_DNS_NAME_STR_MAX], a[INET6_ADDRSTRLEN];
	size_t n = 0;
	struct mk_status st;

	if (m->verbose < 1)
		return;
	n = mk_append(line, sizeof line, n, "%s %s port %lu UDP DNS",
		      strcmp(dir, "sent") == 0 ? "to" : "from", d->server, d->port);
	st = mk_dns_msg_parse(buf, len, &msg, &m->cp);
	if (st.err != MK_E_OK) {
		n = mk_append(line, sizeof line, n, " [%zu octets, %s at %zu]", len,
			      mk_strerror(st.err), st.off);
	} else {
		int upd = msg.opcode == MK_DNS_OP_UPDATE;
		const char *op = mk_dns_opcode_name(msg.opcode);
		n = mk_append(line, sizeof line, n, " id %u %s%s", msg.id, op ? op : "opcode",
			      (msg.flags & 0x8000) ? " response" : "");
		if (msg.flags & 0x8000) {
			char rcs[64];
			mk_dns_msg_rcode_str(&msg, rcs, sizeof rcs);
			n = mk_append(line, sizeof line, n, " %s", rcs);
		}
		for (size_t i = 0; i < sizeof fl / sizeof fl[0]; i++)
			if (msg.flags & fl[i].bit)
				n = mk_append(line, sizeof line, n, " %s", fl[i].name);
		for (unsigned i = 0; i < msg.nrec; i++) {
			const struct mk_dns_rec *r = &msg.rec[i];
			const char *tn = mk_dns_type_name(r->type, &m->cp);
			if (mk_dns_msg_name(&msg, r->off, name, sizeof name).err != MK_E_OK)
				snprintf(name, sizeof name, "?");
			n = mk_append(line, sizeof line, n, "%s %s: %s", i ? ";" : ",",
				      mk_dns_section_name(r->section, upd), name);
			if (tn)
				n = mk_append(line, sizeof line, n, " %s", tn);
			else
				n = mk_append(line, sizeof line, n, " TYPE%u", r->type);
			if (r->cls == 255 || r->cls == 254) /* RFC 2136 2.5: delete */
				n = mk_append(line, sizeof line, n, " %s", r->cls == 255 ? "ANY" : "NONE");
			if (r->section != MK_DNS_SEC_QUESTION && r->kind != MK_DNS_RD_OPT)
				n = mk_append(line, sizeof line, n, " ttl %u", r->ttl);
			if ((r->kind == MK_DNS_RD_AAAA || r->kind == MK_DNS_RD_CAAAA) && r->rdlen)
				n = mk_append(line, sizeof line, n, " %s",
					      mk_ip6_ntop(r->rd.aaaa, a));
			if (r->kind == MK_DNS_RD_TSIG && r->rd.tsig.error)
				n = mk_append(line, sizeof line, n, " error %u", r->rd.tsig.error);
		}
	}
	fprintf(m->json ? stderr : stdout, "  %s %s\n", dir, line);
}

/* Send q and wait for the response with the same ID; returns its length,
 * 0 on timeout, -1 on error. */
static long exchange(const struct mp *m, struct dns_common *d, const uint8_t *q, size_t qlen,
		     uint8_t *resp, struct mp_result *r)
{
	uint64_t deadline = mk_now_mono_ns() + (uint64_t)(m->timeout * 1e9);
	uint16_t id = (uint16_t)(q[0] << 8 | q[1]);

	r->t_sent = mk_now_real_ns();
	if (send(d->fd, q, qlen, 0) != (ssize_t)qlen) {
		fprintf(stderr, "mobprobe: send to %s: %s\n", d->server, strerror(errno));
		return -1;
	}
	dns_dump(m, "sent", d, q, qlen);
	for (;;) {
		uint64_t now = mk_now_mono_ns();
		if (now >= deadline)
			return 0;
		struct pollfd pfd = { .fd = d->fd, .events = POLLIN };
		int k = poll(&pfd, 1, (int)((deadline - now) / 1000000 + 1));
		if (k < 0 && errno != EINTR)
			return -1;
		if (k <= 0)
			continue;
		ssize_t n = recv(d->fd, resp, DNS_BUF, 0);
		if (n < 0) {
			if (errno == ECONNREFUSED) {
				r->t_answer = mk_now_real_ns();
				if (m->verbose)
					fprintf(m->json ? stderr : stdout,
						"  seen ICMP port unreachable for %s port %lu\n",
						d->server, d->port);
				return -2; /* ICMP port unreachable */
			}
			continue;
		}
		if (n >= 12 && (uint16_t)(resp[0] << 8 | resp[1]) == id && (resp[2] & 0x80)) {
			r->t_answer = mk_now_real_ns();
			dns_dump(m, "seen", d, resp, (size_t)n);
			return n;
		}
	}
}

static const char *rcode_class(unsigned rc)
{
	static char buf[32];
	const char *n = mk_dns_rcode_name(rc);
	size_t i;
	if (!n) {
		snprintf(buf, sizeof buf, "rcode-%u", rc);
		return buf;
	}
	for (i = 0; n[i] && i < sizeof buf - 1; i++)
		buf[i] = (char)(n[i] >= 'A' && n[i] <= 'Z' ? n[i] + 32 : n[i]);
	buf[i] = 0;
	return buf;
}

/* ======================= caaaa ======================= */

struct q_st {
	struct dns_common d;
	const char *name;
	int types;               /* 1 CAAAA, 2 AAAA, 3 both */
	bool no_rd;
	bool has_expect_addr, has_expect_ttl;
	struct in6_addr expect_addr;
	unsigned long expect_ttl;
};

enum { Q_TYPE = 512, Q_NORD, Q_PORT, Q_ADDR, Q_TTL };
static const struct option q_opts[] = {
	{ "type", required_argument, NULL, Q_TYPE },
	{ "no-rd", no_argument, NULL, Q_NORD },
	{ "port", required_argument, NULL, Q_PORT },
	{ "expect-addr", required_argument, NULL, Q_ADDR },
	{ "expect-ttl", required_argument, NULL, Q_TTL },
	{ NULL, 0, NULL, 0 },
};

static int q_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct q_st *s = vst;
	(void)m;
	switch (id) {
	case Q_TYPE:
		if (strcasecmp(arg, "caaaa") == 0)
			s->types = 1;
		else if (strcasecmp(arg, "aaaa") == 0)
			s->types = 2;
		else if (strcasecmp(arg, "both") == 0)
			s->types = 3;
		else
			return mp_usage_error("bad value '%s' for --type: want caaaa, aaaa or both", arg);
		return 0;
	case Q_NORD:
		s->no_rd = true;
		return 0;
	case Q_PORT:
		return mp_ulong("--port", arg, 1, 65535, &s->d.port);
	case Q_ADDR:
		s->has_expect_addr = true;
		return mp_addr("--expect-addr", arg, &s->expect_addr);
	case Q_TTL:
		s->has_expect_ttl = true;
		return mp_ulong("--expect-ttl", arg, 0, 0x7fffffff, &s->expect_ttl);
	}
	return -1;
}

/* Query one type; append its records to r.  Returns the rcode, -1 no answer. */
static int query_one(struct mp *m, struct q_st *s, uint16_t type, struct mp_result *r,
		     char *list, size_t lcap, size_t *lo, unsigned *n_addr, bool *addr_seen,
		     bool *ttl_bad)
{
	static uint8_t q[512], resp[DNS_BUF];
	static struct mk_dns_msg msg;
	size_t qlen;
	ldns_rdf *dn = ldns_dname_new_frm_str(s->name);
	ldns_pkt *p;
	char a[INET6_ADDRSTRLEN];

	if (!dn)
		return mp_usage_error("bad name '%s'", s->name), -2;
	p = ldns_pkt_query_new(dn, (ldns_rr_type)type, LDNS_RR_CLASS_IN, s->no_rd ? 0 : LDNS_RD);
	if (!p)
		return -2;
	ldns_pkt_set_id(p, (uint16_t)mp_rand(m));
	struct mk_status st = mk_dns_pkt_wire(p, q, sizeof q, &qlen);
	ldns_pkt_free(p);
	if (st.err != MK_E_OK)
		return mp_usage_error("cannot build the query: %s", mk_strerror(st.err)), -2;
	long n = exchange(m, &s->d, q, qlen, resp, r);
	if (n == -2) {
		r->cls = "port-unreachable";
		mp_summary(r, "ICMP port unreachable: nothing listens on %s port %lu", s->d.server,
			   s->d.port);
		return -3;
	}
	if (n <= 0)
		return n == 0 ? -1 : -2;
	st = mk_dns_msg_parse(resp, (size_t)n, &msg, &m->cp);
	if (st.err != MK_E_OK) {
		mp_issue(r, "response to the %s query does not parse: %s at %zu",
			 mk_dns_type_name(type, &m->cp), mk_strerror(st.err), st.off);
		return MK_DNS_R_FORMERR;
	}
	for (unsigned i = 0; i < msg.nrec; i++) {
		const struct mk_dns_rec *rec = &msg.rec[i];
		if (rec->kind != MK_DNS_RD_AAAA && rec->kind != MK_DNS_RD_CAAAA)
			continue;
		const char *tn = rec->kind == MK_DNS_RD_CAAAA ? "CAAAA" : "AAAA";
		inet_ntop(AF_INET6, rec->rd.aaaa, a, sizeof a);
		*lo += (size_t)snprintf(list + *lo, *lo < lcap ? lcap - *lo : 0, "%s%s %s ttl %u %s",
					*lo ? "; " : "", tn, a, rec->ttl,
					mk_dns_section_name(rec->section, 0));
		if (*lo >= lcap)
			*lo = lcap - 1;
		if (rec->section == MK_DNS_SEC_ANSWER && rec->type == type) {
			(*n_addr)++;
			if (s->has_expect_addr && memcmp(rec->rd.aaaa, &s->expect_addr, 16) == 0)
				*addr_seen = true;
			if (s->has_expect_ttl && rec->ttl != s->expect_ttl)
				*ttl_bad = true;
		}
	}
	return (int)mk_dns_msg_rcode(&msg);
}

static int q_run(struct mp *m, void *vst, int argc, char **argv)
{
	struct q_st *s = vst;
	int worst = MP_PASS;
	char sent[256];

	if (argc != 2)
		return mp_usage_error("caaaa needs a server and a name (%d arguments given)", argc),
		       MP_USAGE;
	if (dns_server(m, argv[0], &s->d) != 0)
		return MP_USAGE;
	s->name = argv[1];
	if (!s->types)
		s->types = 3;
	{
		ldns_rdf *dn = ldns_dname_new_frm_str(s->name);
		if (!dn)
			return mp_usage_error("bad name '%s': not a domain name", s->name), MP_USAGE;
		ldns_rdf_deep_free(dn);
	}
	if (dns_open(m, &s->d) != 0) {
		dns_close(m, &s->d);
		return MP_FAIL;
	}
	snprintf(sent, sizeof sent, "%s%s%s %s%s", (s->types & 1) ? "CAAAA" : "",
		 s->types == 3 ? "+" : "", (s->types & 2) ? "AAAA" : "", s->name,
		 s->no_rd ? " (RD clear)" : "");
	for (unsigned i = 0; i < m->count; i++) {
		struct mp_result r;
		char list[400] = "";
		size_t lo = 0;
		unsigned n_addr = 0;
		bool seen = false, ttl_bad = false;
		int rc_first = -1, rc;
		uint64_t start = mk_now_mono_ns();

		memset(&r, 0, sizeof r);
		m->probe_no = (int)i + 1;
		for (int t = 0; t < 2; t++) {
			if (!(s->types & (1 << t)))
				continue;
			uint16_t type = t == 0 ? (uint16_t)mk_cp(&m->cp, MK_CP_CAAAA_TYPE)
					       : MK_DNS_T_AAAA;
			uint64_t ts = r.t_sent;
			rc = query_one(m, s, type, &r, list, sizeof list, &lo, &n_addr, &seen,
				       &ttl_bad);
			if (ts)
				r.t_sent = ts; /* rtt from the first query */
			if (rc == -2) {
				dns_close(m, &s->d);
				return MP_USAGE;
			}
			if (rc == -3)
				break;
			mp_field_s(&r, t == 0 ? "rcode_caaaa" : "rcode_aaaa", "%s",
				   rc < 0 ? "none" : mk_dns_rcode_name((unsigned)rc));
			if (rc_first < 0 || (rc_first == 0 && rc > 0))
				rc_first = rc;
		}
		if (!r.cls) {
			if (rc_first < 0) {
				r.cls = "none";
			} else {
				r.cls = rc_first == 0 ? (n_addr ? "noerror" : "nodata")
						      : rcode_class((unsigned)rc_first);
				mp_field_s(&r, "rcode", "%s", mk_dns_rcode_name((unsigned)rc_first));
				mp_field_u(&r, "answers", n_addr);
				mp_field_s(&r, "records", "%s", list);
				mp_summary(&r, "%s, %u answer%s%s%s",
					   mk_dns_rcode_name((unsigned)rc_first), n_addr,
					   n_addr == 1 ? "" : "s", lo ? ": " : "", list);
				if (s->has_expect_addr && !seen) {
					char a[INET6_ADDRSTRLEN];
					mp_issue(&r, "no answer carries %s",
						 mk_ip6_ntop(&s->expect_addr, a));
				}
				if (ttl_bad)
					mp_issue(&r, "an answer's TTL is not %lu", s->expect_ttl);
			}
		}
		mp_judge(m, "noerror", &r);
		mp_report(m, sent, &r);
		if (r.verdict == MP_FAIL || (r.verdict == MP_NOANSWER && worst == MP_PASS))
			worst = r.verdict;
		if (i + 1 < m->count && m->rate > 0) {
			uint64_t next = start + (uint64_t)(1e9 / m->rate), now = mk_now_mono_ns();
			if (next > now)
				poll(NULL, 0, (int)((next - now) / 1000000));
		}
	}
	if (dns_close(m, &s->d) != 0)
		return MP_FAIL;
	return worst;
}

const struct mp_sub mp_sub_caaaa = {
	"caaaa", "caaaa [OPTIONS] SERVER NAME",
	"ask a name server or resolver for CAAAA and AAAA; records, sections, TTLs, rcode",
	q_opts, q_opt, q_run, sizeof(struct q_st),
	"  SERVER is ADDR or [ADDR]:PORT (IPv6 or IPv4)\n"
	"  --type caaaa|aaaa|both  what to ask (default both; CAAAA is caaaa-type)\n"
	"  --no-rd           clear Recursion Desired (for authoritative servers)\n"
	"  --port N          server port (default 53)\n"
	"  --expect-addr A   FAIL unless an answer-section record carries A\n"
	"  --expect-ttl N    FAIL if an answer-section record's TTL is not N\n",
	"noerror nodata RCODE port-unreachable malformed none"
};

/* ======================= update ======================= */

#define UPD_MAX 8

struct u_st {
	struct dns_common d;
	const char *zone, *name;
	struct in6_addr aaaa[UPD_MAX], caaaa[UPD_MAX];
	size_t n_aaaa, n_caaaa;
	const char *withdraw;        /* "aaaa", "caaaa", "all" */
	unsigned long ttl;
	const char *key_file, *sig0_file;
	bool corrupt;
};

enum { U_ZONE = 512, U_NAME, U_AAAA, U_CAAAA, U_WITHDRAW, U_TTL, U_KEY, U_SIG0, U_CORRUPT, U_PORT };
static const struct option u_opts[] = {
	{ "zone", required_argument, NULL, U_ZONE },
	{ "name", required_argument, NULL, U_NAME },
	{ "aaaa", required_argument, NULL, U_AAAA },
	{ "caaaa", required_argument, NULL, U_CAAAA },
	{ "withdraw", required_argument, NULL, U_WITHDRAW },
	{ "ttl", required_argument, NULL, U_TTL },
	{ "tsig-key", required_argument, NULL, U_KEY },
	{ "sig0-key", required_argument, NULL, U_SIG0 },
	{ "corrupt", no_argument, NULL, U_CORRUPT },
	{ "port", required_argument, NULL, U_PORT },
	{ NULL, 0, NULL, 0 },
};

static int u_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct u_st *s = vst;
	(void)m;
	switch (id) {
	case U_ZONE:
		s->zone = arg;
		return 0;
	case U_NAME:
		s->name = arg;
		return 0;
	case U_AAAA:
		if (s->n_aaaa == UPD_MAX)
			return mp_usage_error("too many --aaaa (at most %d)", UPD_MAX);
		return mp_addr("--aaaa", arg, &s->aaaa[s->n_aaaa++]);
	case U_CAAAA:
		if (s->n_caaaa == UPD_MAX)
			return mp_usage_error("too many --caaaa (at most %d)", UPD_MAX);
		return mp_addr("--caaaa", arg, &s->caaaa[s->n_caaaa++]);
	case U_WITHDRAW:
		if (strcasecmp(arg, "aaaa") && strcasecmp(arg, "caaaa") && strcasecmp(arg, "all"))
			return mp_usage_error("bad value '%s' for --withdraw: want aaaa, caaaa or all", arg);
		s->withdraw = arg;
		return 0;
	case U_TTL:
		return mp_ulong("--ttl", arg, 0, 0x7fffffff, &s->ttl);
	case U_KEY:
		s->key_file = arg;
		return 0;
	case U_SIG0:
		s->sig0_file = arg;
		return 0;
	case U_CORRUPT:
		s->corrupt = true;
		return 0;
	case U_PORT:
		return mp_ulong("--port", arg, 1, 65535, &s->d.port);
	}
	return -1;
}

static struct mk_status add_rrset(const struct mp *m, ldns_pkt *u, const char *owner,
				  uint16_t type, const struct in6_addr *addrs, size_t n,
				  uint32_t ttl)
{
	ldns_rr *rrs[UPD_MAX];
	struct mk_status st = mk_ok();
	size_t k;

	for (k = 0; k < n && st.err == MK_E_OK; k++) {
		if (type == MK_DNS_T_AAAA) {
			char txt[MK_DNS_NAME_STR_MAX + 80], a[INET6_ADDRSTRLEN];
			snprintf(txt, sizeof txt, "%s %u IN AAAA %s", owner, ttl,
				 mk_ip6_ntop(&addrs[k], a));
			if (ldns_rr_new_frm_str(&rrs[k], txt, 0, NULL, NULL) != LDNS_STATUS_OK)
				st = mk_fail(MK_E_DNS_LDNS, k);
		} else {
			st = mk_caaaa_rr_new(&rrs[k], owner, ttl, addrs[k].s6_addr, &m->cp);
		}
		if (st.err != MK_E_OK)
			break;
	}
	if (st.err == MK_E_OK)
		st = mk_update_replace_rrset(u, (const ldns_rr *const *)rrs, n);
	for (size_t i = 0; i < k; i++)
		ldns_rr_free(rrs[i]);
	return st;
}

/* What a key file lacks, from where mk_tsig_key_parse_bind stopped: at 0
 * no `key "NAME"`, at the key's name no `algorithm`, else no `secret`. */
static const char *tsig_key_lacks(const char *text, size_t off)
{
	size_t i = off;

	if (off == 0)
		return "no key \"NAME\" { ... }; statement";
	if (i > 0 && text[i - 1] == '"')
		i--;
	while (i > 0 && isspace((unsigned char)text[i - 1]))
		i--;
	if (i >= 3 && strncmp(text + i - 3, "key", 3) == 0)
		return "no algorithm statement in the key (algorithm hmac-sha256;)";
	return "no secret statement in the key (secret \"BASE64\";)";
}

/* Read a TSIG key as tsig-keygen writes it.  A usage error names the file
 * and either the system's reason it cannot be read or what is wrong in it,
 * with the line. */
static int tsig_key_file(const char *path, struct mk_tsig_key *key)
{
	char text[4096];
	FILE *f = fopen(path, "r");
	size_t n;
	int e;

	if (!f)
		return mp_usage_error("bad --tsig-key '%s': %s", path, strerror(errno));
	n = fread(text, 1, sizeof text, f);
	e = ferror(f) ? errno : 0;
	fclose(f);
	if (e)
		return mp_usage_error("bad --tsig-key '%s': %s", path, strerror(e));
	if (n == sizeof text)
		return mp_usage_error("bad --tsig-key '%s': longer than %zu octets, not a key file",
				      path, sizeof text - 1);
	if (n == 0 || memchr(text, 0, n))
		return mp_usage_error("bad --tsig-key '%s': %s, not a key file", path,
				      n ? "a NUL octet" : "empty");
	text[n] = 0;
	struct mk_status st = mk_tsig_key_parse_bind(key, text);
	if (st.err == MK_E_OK)
		return 0;
	if (st.err == MK_E_TSIG_KEYFILE)
		return mp_usage_error("bad --tsig-key '%s': %s", path, tsig_key_lacks(text, st.off));
	unsigned line = 1;
	for (size_t i = 0; i < st.off && i < n; i++)
		line += text[i] == '\n';
	return mp_usage_error("bad --tsig-key '%s': line %u: %s", path, line, mk_strerror(st.err));
}

static int u_run(struct mp *m, void *vst, int argc, char **argv)
{
	struct u_st *s = vst;
	static uint8_t q[4096], resp[DNS_BUF];
	static struct mk_dns_msg msg;
	struct mk_tsig_key key;
	struct mk_sig0_key sk;
	uint8_t req_mac[128];
	size_t qlen, maclen = 0;
	struct mk_status st;
	char sent[512], privpath[1024];
	int worst = MP_PASS;
	bool have_sk = false;

	if (argc != 1)
		return mp_usage_error("update needs one server (%d arguments given)", argc), MP_USAGE;
	if (dns_server(m, argv[0], &s->d) != 0)
		return MP_USAGE;
	if (!s->zone || !s->name)
		return mp_usage_error("update needs --zone and --name"), MP_USAGE;
	if (!s->withdraw && !s->n_aaaa && !s->n_caaaa)
		return mp_usage_error("nothing to do: give --aaaa, --caaaa or --withdraw"), MP_USAGE;
	if (s->withdraw && (s->n_aaaa || s->n_caaaa))
		return mp_usage_error("--withdraw cannot be combined with --aaaa/--caaaa"), MP_USAGE;
	if (s->key_file && s->sig0_file)
		return mp_usage_error("give --tsig-key or --sig0-key, not both"), MP_USAGE;
	if (s->corrupt && !s->key_file && !s->sig0_file)
		return mp_usage_error("--corrupt needs a signature to corrupt (--tsig-key or --sig0-key)"), MP_USAGE;
	if (s->key_file && tsig_key_file(s->key_file, &key) != 0)
		return MP_USAGE;
	if (s->sig0_file) {
		size_t l = strlen(s->sig0_file);
		if (l < 5 || strcmp(s->sig0_file + l - 4, ".key") != 0 || l + 4 >= sizeof privpath)
			return mp_usage_error("bad --sig0-key '%s': want the K*.key file (K*.private beside it)", s->sig0_file), MP_USAGE;
		snprintf(privpath, sizeof privpath, "%.*s.private", (int)(l - 4), s->sig0_file);
		if (access(s->sig0_file, R_OK) != 0 || access(privpath, R_OK) != 0)
			return mp_usage_error("bad --sig0-key '%s': %s: %s", s->sig0_file,
					      access(s->sig0_file, R_OK) != 0 ? s->sig0_file : privpath,
					      strerror(errno)), MP_USAGE;
		st = mk_sig0_key_load_bind(&sk, s->sig0_file, privpath);
		if (st.err != MK_E_OK)
			return mp_usage_error("bad --sig0-key '%s': %s (at %zu)", s->sig0_file,
					      mk_strerror(st.err), st.off), MP_USAGE;
		have_sk = true;
	}
	{
		int o = snprintf(sent, sizeof sent, "UPDATE %s in %s:", s->name, s->zone);
		if (s->withdraw)
			o += snprintf(sent + o, sizeof sent - (size_t)o, " withdraw %s", s->withdraw);
		if (s->n_aaaa)
			o += snprintf(sent + o, sizeof sent - (size_t)o, " AAAA x%zu", s->n_aaaa);
		if (s->n_caaaa)
			o += snprintf(sent + o, sizeof sent - (size_t)o, " CAAAA x%zu", s->n_caaaa);
		if (!s->withdraw)
			o += snprintf(sent + o, sizeof sent - (size_t)o, " ttl %lu", s->ttl);
		snprintf(sent + o, sizeof sent - (size_t)o, ", %s%s",
			 s->key_file ? "TSIG " : s->sig0_file ? "SIG(0)" : "unsigned",
			 s->key_file ? key.name : "");
		if (s->corrupt)
			snprintf(sent + strlen(sent), sizeof sent - strlen(sent), " (corrupted)");
	}
	if (dns_open(m, &s->d) != 0) {
		dns_close(m, &s->d);
		if (have_sk)
			mk_sig0_key_free(&sk);
		return MP_FAIL;
	}
	for (unsigned i = 0; i < m->count; i++) {
		struct mp_result r;
		ldns_pkt *u = NULL;
		uint16_t ctype = (uint16_t)mk_cp(&m->cp, MK_CP_CAAAA_TYPE);

		memset(&r, 0, sizeof r);
		m->probe_no = (int)i + 1;
		st = mk_update_new(&u, s->zone, (uint16_t)mp_rand(m));
		if (st.err == MK_E_OK && s->withdraw) {
			if (strcasecmp(s->withdraw, "aaaa") == 0)
				st = mk_update_delete_rrset(u, s->name, MK_DNS_T_AAAA);
			else if (strcasecmp(s->withdraw, "caaaa") == 0)
				st = mk_update_delete_rrset(u, s->name, ctype);
			else {
				st = mk_update_delete_rrset(u, s->name, MK_DNS_T_AAAA);
				if (st.err == MK_E_OK)
					st = mk_update_delete_rrset(u, s->name, ctype);
			}
		}
		if (st.err == MK_E_OK && s->n_aaaa)
			st = add_rrset(m, u, s->name, MK_DNS_T_AAAA, s->aaaa, s->n_aaaa,
				       (uint32_t)s->ttl);
		if (st.err == MK_E_OK && s->n_caaaa)
			st = add_rrset(m, u, s->name, ctype, s->caaaa, s->n_caaaa, (uint32_t)s->ttl);
		if (st.err == MK_E_OK && s->key_file)
			st = mk_tsig_sign(u, &key, 0, NULL, 0);
		if (st.err == MK_E_OK)
			st = mk_dns_pkt_wire(u, q, sizeof q, &qlen);
		ldns_pkt_free(u);
		if (st.err == MK_E_OK && s->key_file)
			st = mk_tsig_mac(q, qlen, req_mac, sizeof req_mac, &maclen);
		if (st.err == MK_E_OK && have_sk)
			st = mk_sig0_sign(q, sizeof q, qlen, NULL, 0, &sk, 0, &qlen);
		if (st.err != MK_E_OK) {
			mp_usage_error("cannot build the UPDATE for '%s' in '%s': %s (at %zu)", s->name,
				       s->zone, mk_strerror(st.err), st.off);
			worst = MP_USAGE;
			break;
		}
		if (s->corrupt) {
			/* flip one bit of the signature: the last octet of the MAC
			 * (TSIG) or of the SIG(0) signature, which ends the message
			 * for SIG(0) and precedes TSIG's 6 trailing fields */
			if (s->key_file) {
				uint8_t *at = memmem(q, qlen, req_mac, maclen);
				if (at)
					at[maclen - 1] ^= 1;
			} else {
				q[qlen - 1] ^= 1;
			}
		}
		long n = exchange(m, &s->d, q, qlen, resp, &r);
		if (n == -1) {
			worst = MP_FAIL;
			break;
		}
		if (n == -2) {
			r.cls = "port-unreachable";
			mp_summary(&r, "ICMP port unreachable: nothing listens on %s port %lu",
				   s->d.server, s->d.port);
		} else if (n == 0) {
			r.cls = "none";
		} else if ((st = mk_dns_msg_parse(resp, (size_t)n, &msg, &m->cp)).err != MK_E_OK) {
			r.cls = "malformed";
			mp_summary(&r, "response does not parse: %s at %zu", mk_strerror(st.err), st.off);
		} else {
			char rcs[64];
			unsigned rc = mk_dns_msg_rcode(&msg);
			mk_dns_msg_rcode_str(&msg, rcs, sizeof rcs);
			r.cls = rcode_class(rc);
			mp_field_s(&r, "rcode", "%s", mk_dns_rcode_name(rc) ? mk_dns_rcode_name(rc) : "?");
			if (msg.opcode != MK_DNS_OP_UPDATE)
				mp_issue(&r, "response opcode %u is not UPDATE (RFC 2136 3.8)", msg.opcode);
			const char *tsig = "not asked";
			if (s->key_file) {
				if (!msg.has_tsig) {
					tsig = "absent";
					/* RFC 8945 5.3: a signed request that verified gets a
					 * signed response */
					if (rc == MK_DNS_R_NOERROR)
						mp_issue(&r, "NOERROR to a TSIG-signed UPDATE without a TSIG (RFC 8945 5.3)");
				} else {
					st = mk_tsig_verify(resp, (size_t)n, &key, req_mac, maclen, 0);
					tsig = st.err == MK_E_OK ? "verified" : mk_strerror(st.err);
					if (st.err != MK_E_OK && rc == MK_DNS_R_NOERROR && !s->corrupt)
						mp_issue(&r, "the response's TSIG does not verify: %s", tsig);
				}
				mp_field_s(&r, "tsig", "%s", tsig);
			}
			mp_summary(&r, "%s%s%s", rcs, s->key_file ? ", response TSIG " : "",
				   s->key_file ? tsig : "");
		}
		mp_judge(m, "noerror", &r);
		mp_report(m, sent, &r);
		if (r.verdict == MP_FAIL || (r.verdict == MP_NOANSWER && worst == MP_PASS))
			worst = r.verdict;
	}
	if (have_sk)
		mk_sig0_key_free(&sk);
	if (dns_close(m, &s->d) != 0)
		return MP_FAIL;
	return worst;
}

const struct mp_sub mp_sub_update = {
	"update", "update [OPTIONS] SERVER --zone ZONE --name NAME (--aaaa A | --caaaa A | --withdraw T)",
	"publish or withdraw AAAA/CAAAA by DNS UPDATE, unsigned, TSIG or SIG(0)",
	u_opts, u_opt, u_run, sizeof(struct u_st),
	"  --zone ZONE       the zone (UPDATE's zone section)\n"
	"  --name NAME       the owner name to change\n"
	"  --aaaa A          replace the AAAA RRset with these addresses (repeat)\n"
	"  --caaaa A         replace the CAAAA RRset (type caaaa-type) (repeat)\n"
	"  --withdraw T      delete the aaaa, caaaa or all (both) RRsets instead\n"
	"  --ttl N           TTL of the new records (default 0, as the paper has it)\n"
	"  --tsig-key FILE   sign with TSIG; FILE as tsig-keygen writes it\n"
	"  --sig0-key K.key  sign with SIG(0) (K*.private beside it)\n"
	"  --corrupt         flip one bit of the signature (a forged update)\n"
	"  --port N          server port (default 53)\n",
	"noerror RCODE port-unreachable malformed none"
};

/* ======================= lookup-mobile ======================= */

/* The client's lookup of issue 15 as a tester sees it: what
 * mk_dns_lookup_mobile (and so libnss_mobkit.so.2) finds for a name. */
struct lm_st {
	const char *resolver;
	bool has_expect_coa;
	struct in6_addr expect_coa;
	const char *expect_section;
};

enum { LM_RESOLVER = 512, LM_COA, LM_SECTION };
static const struct option lm_opts[] = {
	{ "resolver", required_argument, NULL, LM_RESOLVER },
	{ "expect-coa", required_argument, NULL, LM_COA },
	{ "expect-section", required_argument, NULL, LM_SECTION },
	{ NULL, 0, NULL, 0 },
};

static int lm_opt(struct mp *m, void *vst, int id, const char *arg)
{
	struct lm_st *s = vst;
	struct sockaddr_storage ss;
	socklen_t sl;
	(void)m;
	switch (id) {
	case LM_RESOLVER:
		if (mk_dns_server_addr(arg, &ss, &sl).err != MK_E_OK)
			return mp_usage_error("bad value '%s' for --resolver: want ADDR or [ADDR]:PORT "
					      "(numeric IPv6 or IPv4)", arg);
		s->resolver = arg;
		return 0;
	case LM_COA:
		s->has_expect_coa = true;
		return mp_addr("--expect-coa", arg, &s->expect_coa);
	case LM_SECTION:
		for (int c = MK_COA_NONE; c <= MK_COA_ADDITIONAL_CAAAA; c++)
			if (strcmp(arg, mk_mobile_coa_name((enum mk_mobile_coa)c)) == 0) {
				s->expect_section = arg;
				return 0;
			}
		return mp_usage_error("bad value '%s' for --expect-section: want none, "
				      "additional-of-aaaa, answer-of-caaaa or additional-of-caaaa", arg);
	}
	return -1;
}

static int lm_run(struct mp *m, void *vst, int argc, char **argv)
{
	struct lm_st *s = vst;
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t wire[MK_DNS_NAME_MAX];
	size_t wl;
	int worst = MP_PASS;

	if (argc != 1)
		return mp_usage_error("lookup-mobile needs one name (%d arguments given)", argc),
		       MP_USAGE;
	if (mk_dns_name_from_str(argv[0], wire, &wl).err != MK_E_OK)
		return mp_usage_error("bad name '%s': not a domain name", argv[0]), MP_USAGE;
	if (s->resolver)
		mk_dns_server_addr(s->resolver, &ss, &sl);
	else if (mk_dns_resolv_conf(NULL, &ss, &sl).err != MK_E_OK)
		return mp_usage_error("no --resolver, and /etc/resolv.conf names no numeric "
				      "nameserver"), MP_USAGE;
	m->target = argv[0];
	for (unsigned i = 0; i < m->count; i++) {
		struct mp_result r;
		struct mk_mobile mb;
		char a[INET6_ADDRSTRLEN], hoas[MK_MOBILE_MAX_HOA * (INET6_ADDRSTRLEN + 1)] = "";
		int se;
		uint64_t start = mk_now_mono_ns();

		memset(&r, 0, sizeof r);
		m->probe_no = (int)i + 1;
		r.t_sent = mk_now_real_ns();
		struct mk_status st = mk_dns_lookup_mobile(argv[0], (struct sockaddr *)&ss, sl, &m->cp,
							   (unsigned)(m->timeout * 1000 + 0.5), &mb,
							   &se);
		if (st.err != MK_E_OK) {
			fprintf(stderr, "mobprobe: lookup-mobile: %s%s%s\n", mk_strerror(st.err),
				se ? ": " : "", se ? strerror(se) : "");
			return MP_FAIL;
		}
		if (mb.aaaa_answered)
			r.t_answer = r.t_sent + mb.elapsed_ns;
		for (unsigned k = 0, o = 0; k < mb.n_hoa; k++)
			o += (unsigned)snprintf(hoas + o, sizeof hoas - o, "%s%s", k ? "," : "",
						mk_ip6_ntop(mb.hoa[k], a));
		switch (mb.result) {
		case MK_MOBILE_FOUND:
			r.cls = mb.coa_from != MK_COA_NONE ? "coa" : "home-only";
			break;
		case MK_MOBILE_RCODE:
			r.cls = rcode_class(mb.rcode);
			break;
		case MK_MOBILE_TIMEOUT:
			r.cls = "none";
			break;
		default:
			r.cls = mk_mobile_result_name(mb.result);
		}
		mp_field_s(&r, "result", "%s", mk_mobile_result_name(mb.result));
		mp_field_s(&r, "rcode", "%s", mb.aaaa_answered ? mk_dns_rcode_name(mb.rcode) : "none");
		mp_field_s(&r, "hoa", "%s", hoas);
		mp_field_u(&r, "hoa_ttl", mb.hoa_ttl);
		mp_field_s(&r, "coa", "%s", mb.coa_from != MK_COA_NONE ? mk_ip6_ntop(mb.coa, a) : "");
		mp_field_u(&r, "coa_ttl", mb.coa_ttl);
		mp_field_s(&r, "section", "%s", mk_mobile_coa_name(mb.coa_from));
		mp_field_s(&r, "rcode_caaaa", "%s",
			   mb.caaaa_answered ? mk_dns_rcode_name(mb.caaaa_rcode) : "none");
		if (mb.canon[0])
			mp_field_s(&r, "canonical", "%s", mb.canon);
		if (mb.result == MK_MOBILE_FOUND && mb.coa_from != MK_COA_NONE)
			mp_summary(&r, "HoA %s ttl %u, CoA %s ttl %u from the %s", hoas, mb.hoa_ttl,
				   mk_ip6_ntop(mb.coa, a), mb.coa_ttl, mk_mobile_coa_name(mb.coa_from));
		else if (mb.result == MK_MOBILE_FOUND)
			mp_summary(&r, "HoA %s ttl %u, no CAAAA (CAAAA query: %s)", hoas, mb.hoa_ttl,
				   mb.caaaa_answered ? mk_dns_rcode_name(mb.caaaa_rcode)
						     : "no answer");
		else if (mb.result == MK_MOBILE_MALFORMED)
			mp_summary(&r, "the AAAA answer does not parse: %s at %zu",
				   mk_strerror(mb.parse_err.err), mb.parse_err.off);
		else if (mb.aaaa_answered)
			mp_summary(&r, "%s, no home address", mk_dns_rcode_name(mb.rcode));
		if (s->has_expect_coa &&
		    (mb.coa_from == MK_COA_NONE || memcmp(mb.coa, &s->expect_coa, 16) != 0))
			mp_issue(&r, "the care-of address is not %s", mk_ip6_ntop(&s->expect_coa, a));
		if (s->expect_section && strcmp(s->expect_section, mk_mobile_coa_name(mb.coa_from)))
			mp_issue(&r, "the care-of address came from %s, not %s",
				 mk_mobile_coa_name(mb.coa_from), s->expect_section);
		mp_judge(m, "coa|home-only", &r);
		mp_report(m, "AAAA+CAAAA", &r);
		if (r.verdict == MP_FAIL || (r.verdict == MP_NOANSWER && worst == MP_PASS))
			worst = r.verdict;
		if (i + 1 < m->count && m->rate > 0) {
			uint64_t next = start + (uint64_t)(1e9 / m->rate), now = mk_now_mono_ns();
			if (next > now)
				poll(NULL, 0, (int)((next - now) / 1000000));
		}
	}
	return worst;
}

const struct mp_sub mp_sub_lookup_mobile = {
	"lookup-mobile", "lookup-mobile [--resolver ADDR] [OPTIONS] NAME",
	"the client's lookup of a mobile server: HoA (AAAA), CoA (CAAAA), its section, TTLs",
	lm_opts, lm_opt, lm_run, sizeof(struct lm_st),
	"  --resolver ADDR   the resolver, ADDR or [ADDR]:PORT (default: the first\n"
	"                    nameserver of /etc/resolv.conf)\n"
	"  --expect-coa A    FAIL unless the care-of address found is A\n"
	"  --expect-section S  FAIL unless the care-of address came from S: none,\n"
	"                    additional-of-aaaa, answer-of-caaaa, additional-of-caaaa\n"
	"  the timeout (--timeout) covers both queries; the unanswered ones are sent\n"
	"  again at half of it.  Classes: coa (HoA and CoA), home-only (HoA, no CAAAA)\n",
	"coa home-only nodata nxdomain RCODE malformed truncated none"
};
