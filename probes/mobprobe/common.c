/* probes/mobprobe/common.c: results, expectations, output, the packet-probe
 * loop and its load mode. */
#include "mobprobe.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <ifaddrs.h>
#include <inttypes.h>
#include <math.h>
#include <net/if.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"
#include "net/cap.h"
#include "net/raw6.h"
#include "net/txring.h"
#include "util/json.h"
#include "wire/describe.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"

/* ---- results ---- */

static struct mp_field *field_new(struct mp_result *r, const char *key)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return &r->f[i];
	if (r->nfields == MP_FIELDS)
		return NULL;
	r->f[r->nfields].key = key;
	return &r->f[r->nfields++];
}

void mp_field_u(struct mp_result *r, const char *key, unsigned long long v)
{
	struct mp_field *f = field_new(r, key);
	if (f) {
		snprintf(f->val, sizeof f->val, "%llu", v);
		f->num = true;
	}
}

void mp_field_s(struct mp_result *r, const char *key, const char *fmt, ...)
{
	struct mp_field *f = field_new(r, key);
	va_list ap;

	if (!f)
		return;
	va_start(ap, fmt);
	vsnprintf(f->val, sizeof f->val, fmt, ap);
	va_end(ap);
	f->num = false;
}

const char *mp_field_get(const struct mp_result *r, const char *key)
{
	for (size_t i = 0; i < r->nfields; i++)
		if (strcmp(r->f[i].key, key) == 0)
			return r->f[i].val;
	return NULL;
}

void mp_summary(struct mp_result *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->summary, sizeof r->summary, fmt, ap);
	va_end(ap);
}

void mp_issue(struct mp_result *r, const char *fmt, ...)
{
	va_list ap;

	if (r->issue[0])
		return; /* the first problem is the one reported */
	va_start(ap, fmt);
	vsnprintf(r->issue, sizeof r->issue, fmt, ap);
	va_end(ap);
}

/* Does class `cls` satisfy one alternative `alt` (exact, or alt followed by
 * "-" as a prefix: "ba" accepts "ba-accepted")? */
static bool class_ok(const char *cls, const char *alt, size_t n)
{
	return strncmp(cls, alt, n) == 0 && (cls[n] == 0 || cls[n] == '-');
}

static bool expect_ok(const char *expect, const char *cls)
{
	const char *p = expect;

	for (;;) {
		size_t n = strcspn(p, "|");
		if (n && class_ok(cls, p, n))
			return true;
		if (!p[n])
			return false;
		p += n + 1;
	}
}

static bool detail_ok(const struct mp_result *r, const char *key, long want, char *why,
		      size_t cap)
{
	const char *v = mp_field_get(r, key);

	if (want < 0)
		return true;
	if (!v) {
		snprintf(why, cap, "expected %s %ld, the answer has no %s", key, want, key);
		return false;
	}
	if (strtol(v, NULL, 10) != want) {
		snprintf(why, cap, "expected %s %ld, got %s", key, want, v);
		return false;
	}
	return true;
}

void mp_judge(const struct mp *m, const char *def, struct mp_result *r)
{
	const char *expect = m->expect ? m->expect : def;
	char why[256];

	if (!r->cls)
		r->cls = "none";
	if (!expect_ok(expect, r->cls)) {
		r->verdict = strcmp(r->cls, "none") == 0 ? MP_NOANSWER : MP_FAIL;
		snprintf(r->reason, sizeof r->reason, "expected %s, got %s%s%s", expect, r->cls,
			 r->summary[0] ? ": " : "", r->summary);
		return;
	}
	if (r->issue[0]) {
		r->verdict = MP_FAIL;
		snprintf(r->reason, sizeof r->reason, "%s", r->issue);
		return;
	}
	if (!detail_ok(r, "status", m->expect_status, why, sizeof why) ||
	    !detail_ok(r, "code", m->expect_code, why, sizeof why) ||
	    !detail_ok(r, "pointer", m->expect_pointer, why, sizeof why)) {
		r->verdict = MP_FAIL;
		snprintf(r->reason, sizeof r->reason, "%s", why);
		return;
	}
	if (m->expect_rcode) {
		const char *rc = mp_field_get(r, "rcode");
		if (!rc || strcasecmp(rc, m->expect_rcode) != 0) {
			r->verdict = MP_FAIL;
			snprintf(r->reason, sizeof r->reason, "expected rcode %s, got %s",
				 m->expect_rcode, rc ? rc : "no rcode");
			return;
		}
	}
	r->verdict = MP_PASS;
	snprintf(r->reason, sizeof r->reason, "%s", expect);
}

static const char *verdict_name(int v)
{
	return v == MP_PASS ? "PASS" : v == MP_FAIL ? "FAIL" : "NOANSWER";
}

void mp_report(const struct mp *m, const char *sent, const struct mp_result *r)
{
	double rtt = (r->t_sent && r->t_answer && r->t_answer >= r->t_sent)
			     ? (double)(r->t_answer - r->t_sent) / 1e6
			     : NAN;

	if (m->json) {
		struct mk_json j;
		mk_json_begin(&j, stdout);
		mk_json_str(&j, "probe", m->sub);
		mk_json_uint(&j, "n", (unsigned)m->probe_no);
		mk_json_str(&j, "target", m->target);
		mk_json_str(&j, "sent", sent);
		mk_json_obj(&j, "answer");
		mk_json_str(&j, "class", r->cls);
		if (r->summary[0])
			mk_json_str(&j, "summary", r->summary);
		for (size_t i = 0; i < r->nfields; i++) {
			if (r->f[i].num)
				mk_json_uint(&j, r->f[i].key, strtoull(r->f[i].val, NULL, 10));
			else
				mk_json_str(&j, r->f[i].key, r->f[i].val);
		}
		mk_json_end(&j);
		if (isfinite(rtt))
			mk_json_num(&j, "rtt_ms", rtt, 3);
		else
			mk_json_null(&j, "rtt_ms");
		mk_json_str(&j, "verdict", verdict_name(r->verdict));
		mk_json_str(&j, "reason", r->reason);
		mk_json_finish(&j);
	} else {
		printf("%s %s %s: %s", verdict_name(r->verdict), m->sub, m->target, sent);
		if (strcmp(r->cls, "none") == 0)
			printf(" -> no answer in %.3g s", m->timeout);
		else
			printf(" -> %s", r->summary[0] ? r->summary : r->cls);
		if (isfinite(rtt))
			printf(" (%.3f ms)", rtt);
		if (r->verdict != MP_PASS)
			printf("\n  reason: %s", r->reason);
		putchar('\n');
	}
	fflush(stdout);
}

/* ---- helpers ---- */

int mp_usage_error(const char *fmt, ...)
{
	va_list ap;
	fputs("mobprobe: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* Does alternative `alt` (n octets) name one of the classes in `list`? */
static bool alt_in_list(const char *list, const char *alt, size_t n)
{
	for (const char *p = list; *p;) {
		size_t l = strcspn(p, " ");
		char c[48];
		if (l == 5 && strncmp(p, "RCODE", 5) == 0) {
			/* rcode-N, or an rcode name in lower case */
			if (n > 6 && strncmp(alt, "rcode-", 6) == 0 &&
			    strspn(alt + 6, "0123456789") == n - 6)
				return true;
			for (unsigned rc = 0; rc < 4096; rc++) {
				const char *name = mk_dns_rcode_name(rc);
				size_t k;
				if (!name)
					continue;
				for (k = 0; name[k] && k + 1 < sizeof c; k++)
					c[k] = (char)tolower((unsigned char)name[k]);
				c[k] = 0;
				if (class_ok(c, alt, n))
					return true;
			}
		} else if (l < sizeof c) {
			memcpy(c, p, l);
			c[l] = 0;
			if (class_ok(c, alt, n))
				return true;
		}
		p += l;
		p += strspn(p, " ");
	}
	return false;
}

int mp_check_expect(const char *expect, const char *classes)
{
	const char *p = expect;

	for (;;) {
		size_t n = strcspn(p, "|");
		if (n == 0)
			return mp_usage_error("bad value '%s' for --expect: an empty class "
					      "(want CLASS or CLASS|CLASS...)", expect);
		if (!alt_in_list(classes, p, n))
			return mp_usage_error("bad value '%s' for --expect: no class '%.*s' "
					      "(classes: %s)", expect, (int)n, p, classes);
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

int mp_check_rcode(const char *name)
{
	for (unsigned rc = 0; rc < 4096; rc++)
		if (mk_dns_rcode_name(rc) && strcasecmp(mk_dns_rcode_name(rc), name) == 0)
			return 0;
	return mp_usage_error("bad value '%s' for --expect-rcode: not an rcode name "
			      "(NOERROR, FORMERR, SERVFAIL, NXDOMAIN, NOTIMP, REFUSED, NOTAUTH, ...)",
			      name);
}

int mp_check_pcap_path(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	struct stat sb;

	if (!*path)
		return mp_usage_error("bad value '' for --pcap: an empty file name");
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return mp_usage_error("bad value '%s' for --pcap: a directory", path);
		if (access(path, W_OK) != 0)
			return mp_usage_error("bad value '%s' for --pcap: %s", path, strerror(errno));
		return 0;
	}
	if (errno != ENOENT)
		return mp_usage_error("bad value '%s' for --pcap: %s", path, strerror(errno));
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else if ((size_t)(slash - path) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	else
		return mp_usage_error("bad value '%s' for --pcap: name too long", path);
	if (stat(dir, &sb) != 0)
		return mp_usage_error("bad value '%s' for --pcap: directory %s: %s", path, dir,
				      strerror(errno));
	if (!S_ISDIR(sb.st_mode))
		return mp_usage_error("bad value '%s' for --pcap: %s is not a directory", path, dir);
	if (access(dir, W_OK | X_OK) != 0)
		return mp_usage_error("bad value '%s' for --pcap: directory %s: %s", path, dir,
				      strerror(errno));
	return 0;
}

int mp_addr(const char *opt, const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		return mp_usage_error("bad address '%s' for %s: not an IPv6 address", s, opt);
	return 0;
}

int mp_ulong(const char *opt, const char *s, unsigned long lo, unsigned long hi,
	     unsigned long *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (!*s || *end || errno || s[0] == '-' || v < lo || v > hi)
		return mp_usage_error("bad value '%s' for %s: want an integer %lu..%lu", s, opt,
				      lo, hi);
	*out = v;
	return 0;
}

uint64_t mp_rand(struct mp *m)
{
	/* splitmix64: reproducible with --seed */
	uint64_t z = (m->seed += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int mp_route_source(const struct in6_addr *dst, const char *ifname, struct in6_addr *src,
		    char *ifbuf, size_t ifcap)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons(9) };
	socklen_t sl = sizeof sa;
	struct ifaddrs *ifa, *i;
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	sa.sin6_addr = *dst;
	if (ifname) {
		sa.sin6_scope_id = if_nametoindex(ifname);
		(void)setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, ifname,
				 (socklen_t)strlen(ifname));
	}
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &sl) != 0) {
		close(fd);
		return -1;
	}
	close(fd);
	*src = sa.sin6_addr;
	if (ifbuf && !ifname) {
		ifbuf[0] = 0;
		if (getifaddrs(&ifa) != 0)
			return -1;
		for (i = ifa; i; i = i->ifa_next)
			if (i->ifa_addr && i->ifa_addr->sa_family == AF_INET6 &&
			    memcmp(&((struct sockaddr_in6 *)i->ifa_addr)->sin6_addr, src, 16) == 0) {
				snprintf(ifbuf, ifcap, "%s", i->ifa_name);
				break;
			}
		freeifaddrs(ifa);
		if (!ifbuf[0])
			return -1;
	}
	return 0;
}

void mp_dump_packet(const struct mp *m, const char *dir, const uint8_t *pkt, size_t len)
{
	char line[1024];

	if (m->verbose < 1)
		return;
	mk_pkt_describe(pkt, len, &m->cp, line, sizeof line);
	fprintf(m->json ? stderr : stdout, "  %s %s\n", dir, line);
}

/* ---- ICMPv6 errors quoting our probe ---- */

void mp_explain_offset(const uint8_t *pkt, size_t len, unsigned code, unsigned ptr, char *out,
		       size_t cap)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	const char *what = NULL;
	char buf[128];

	(void)mk_ip6_chain_parse(pkt, len, &h, &c);
	if (ptr == 6) {
		snprintf(buf, sizeof buf, "the Next Header of the IPv6 header (%u, %s)", pkt[6],
			 mk_ip6_nh_name(pkt[6]) ? mk_ip6_nh_name(pkt[6]) : "unassigned");
		what = buf;
	}
	for (unsigned i = 0; !what && i < c.n; i++) {
		const struct mk_ip6_ext *e = &c.ext[i];
		if (ptr < e->off || ptr >= e->off + e->len)
			continue;
		if (e->type == MK_NH_ROUTING && ptr == e->off + 2) {
			snprintf(buf, sizeof buf, "the Routing Type (%u) of the routing header",
				 pkt[ptr]);
		} else if (e->type == MK_NH_ROUTING && ptr == e->off + 3) {
			snprintf(buf, sizeof buf, "the Segments Left (%u) of the routing header",
				 pkt[ptr]);
		} else if ((e->type == MK_NH_DSTOPTS || e->type == MK_NH_HOPOPTS) &&
			   ptr >= e->off + 2) {
			const char *on = mk_ip6_opt_name(pkt[ptr]);
			if ((int)i == c.hao && ptr == c.hao_off)
				snprintf(buf, sizeof buf, "the Home Address option (0x%02x)",
					 pkt[ptr]);
			else
				snprintf(buf, sizeof buf, "option 0x%02x (%s) of the %s header",
					 pkt[ptr], on ? on : "unassigned",
					 e->type == MK_NH_DSTOPTS ? "Destination Options"
								  : "Hop-by-Hop");
		} else if (ptr == e->off) {
			snprintf(buf, sizeof buf, "the Next Header (%u, %s) of the %s header",
				 pkt[ptr], mk_ip6_nh_name(pkt[ptr]) ? mk_ip6_nh_name(pkt[ptr]) : "?",
				 mk_ip6_nh_name(e->type) ? mk_ip6_nh_name(e->type) : "extension");
		} else {
			snprintf(buf, sizeof buf, "octet %u of the %s header", ptr - (unsigned)e->off,
				 mk_ip6_nh_name(e->type) ? mk_ip6_nh_name(e->type) : "extension");
		}
		what = buf;
	}
	if (!what && ptr >= c.ulp_off && c.ulp_off)
		what = "the upper-layer message";
	if (!what)
		what = "a field we did not send";
	switch (code) {
	case MK_ICMP6_PP_OPTION:
		snprintf(out, cap, "the target does not recognise %s, code 2 at offset %u", what,
			 ptr);
		break;
	case MK_ICMP6_PP_NEXTHEADER:
		snprintf(out, cap, "the target does not recognise %s, code 1 at offset %u", what,
			 ptr);
		break;
	case MK_ICMP6_PP_HEADER:
		snprintf(out, cap, "the target rejects %s as erroneous, code 0 at offset %u", what,
			 ptr);
		break;
	default:
		snprintf(out, cap, "code %u at offset %u: %s", code, ptr, what);
	}
}

int mp_icmp_error(const struct mp *m, const uint8_t *pkt, size_t len, const uint8_t *sent,
		  size_t sent_len, struct mp_result *r)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_icmp6 ic;
	char why[256];
	const char *name;

	if (mk_ip6_chain_parse(pkt, len, &h, &c).err != MK_E_OK || c.ulp != MK_NH_ICMPV6)
		return 0;
	if (mk_icmp6_parse(pkt + c.ulp_off, c.ulp_len, &m->cp, &ic).err != MK_E_OK)
		return 0;
	if (ic.type >= 128)
		return 0;
	/* the invoking packet must be ours: same addresses, same start */
	size_t n = ic.u.err.invoking_len < sent_len ? ic.u.err.invoking_len : sent_len;
	if (n < 40 || memcmp(ic.u.err.invoking + 8, sent + 8, 32) != 0)
		return 0;
	/* routers on the way decrement the Hop Limit (octet 7): the quote shows
	 * the packet as it arrived, so that octet may differ; nothing else may */
	if (memcmp(ic.u.err.invoking, sent, 7) != 0 ||
	    memcmp(ic.u.err.invoking + 8, sent + 8, n - 8) != 0 ||
	    ic.u.err.invoking[7] > sent[7])
		mp_issue(r, "the ICMPv6 error quotes our packet altered");
	mp_check_cksum(r, pkt, &h, &c, "ICMPv6");
	name = mk_icmp6_code_name(ic.type, ic.code);
	mp_field_u(r, "icmp6_type", ic.type);
	mp_field_u(r, "code", ic.code);
	if (ic.kind == MK_ICMP6_K_PARAM_PROB) {
		r->cls = "param-problem";
		mp_field_u(r, "pointer", ic.u.err.word);
		mp_explain_offset(sent, sent_len, ic.code, ic.u.err.word, why, sizeof why);
		mp_field_s(r, "meaning", "%s", why);
		mp_summary(r, "Parameter Problem: %s", why);
	} else {
		r->cls = ic.kind == MK_ICMP6_K_DST_UNREACH ? "dst-unreach" : "icmp-error";
		mp_summary(r, "ICMPv6 %s code %u (%s)",
			   mk_icmp6_type_name(&m->cp, ic.type) ? mk_icmp6_type_name(&m->cp, ic.type)
							       : "error",
			   ic.code, name ? name : "?");
	}
	return 1;
}

/* ---- the packet-probe loop ---- */

static struct mk_raw6 g_raw = { .fd = -1 };

int mp_send_extra(const struct mp *m, const uint8_t *pkt, size_t len)
{
	mp_dump_packet(m, "sent", pkt, len);
	return mk_raw6_send(&g_raw, pkt, len);
}

struct wait_ctx {
	const struct mp *m;
	const struct mp_ops *ops;
	void *st;
	const uint8_t *sent;
	size_t sent_len;
	struct mp_result *r;
};

static int on_packet(void *arg, const uint8_t *pkt, size_t len, uint64_t ts)
{
	struct wait_ctx *w = arg;

	if (len == w->sent_len && memcmp(pkt, w->sent, len) == 0) {
		if (!w->r->t_sent)
			w->r->t_sent = ts;
		return 0;
	}
	mp_dump_packet(w->m, "seen", pkt, len);
	if (w->ops->match(w->m, w->st, pkt, len, w->r)) {
		w->r->t_answer = ts;
		return 1;
	}
	return 0;
}

/* Load mode: counters of answer classes. */
struct load_ctx {
	const struct mp *m;
	const struct mp_ops *ops;
	void *st;
	const char *cls[16];
	uint64_t n[16];
	uint64_t other;
};

static int on_load_packet(void *arg, const uint8_t *pkt, size_t len, uint64_t ts)
{
	struct load_ctx *l = arg;
	const char *c = l->ops->load_class(l->m, l->st, pkt, len);
	(void)ts;
	if (!c)
		return 0;
	for (unsigned i = 0; i < 16; i++) {
		if (!l->cls[i])
			l->cls[i] = c;
		if (strcmp(l->cls[i], c) == 0) {
			l->n[i]++;
			return 0;
		}
	}
	l->other++;
	return 0;
}

static void sleep_until(uint64_t t_mono)
{
	if (mk_now_mono_ns() >= t_mono)
		return; /* behind schedule: no system call */
	struct timespec ts = { .tv_sec = (time_t)(t_mono / 1000000000u),
			       .tv_nsec = (long)(t_mono % 1000000000u) };
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

/* Load mode sends on an AF_PACKET socket (lib/net/txring.c has the figures
 * that chose sendmmsg with the qdisc bypassed over the TX ring): the first
 * probe goes through the raw socket, so the kernel resolves the next hop,
 * and the Ethernet header it got is put on every frame after it.  --tx
 * raw keeps every packet on the raw socket (routing and ND per packet); the
 * default falls back to it when the interface is not Ethernet or no header
 * was learnt.  With --pcap the qdisc is not bypassed, so that the capture
 * sees the frames sent. */
#define LOAD_BATCH MK_TX_BATCH

/* CPU time of this process, user and system (the receiving namespace's
 * softirq work on a veth runs in the sender's system calls and counts). */
static uint64_t cpu_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Send k packets on the ring or the raw socket; how many went, -1 error. */
static int load_send(struct mk_txring *ring, const uint8_t *const *pv, const size_t *lens,
		     unsigned k)
{
	int done = 0;

	if (ring)
		return mk_txring_send_batch(ring, pv, lens, k);
	while ((unsigned)done < k) {
		unsigned c = k - (unsigned)done < MK_RAW6_BATCH ? k - (unsigned)done : MK_RAW6_BATCH;
		int n = mk_raw6_send_batch(&g_raw, pv + done, lens + done, c);
		if (n < 0)
			return done ? done : -1;
		done += n;
		if ((unsigned)n < c)
			break;
	}
	return done;
}

/* Open the AF_PACKET sender --tx asks for (after sending probe 0 to learn
 * the header); returns it, or NULL for the raw socket; *fatal when nothing
 * more should be sent. */
static struct mk_txring *load_ring(const struct mp *m, struct mk_txring *ring,
				   const uint8_t *pkt, size_t len, const char **how, int *fatal)
{
	uint8_t eth[14];
	char err[256];
	int mode = m->pcap_path ? 0 : MK_TX_BYPASS;

	*fatal = 0;
	if (m->tx && strcmp(m->tx, "ring") == 0)
		mode |= MK_TX_RING;
	int lr = mk_raw6_learn_eth(&g_raw, m->ifname, pkt, len, 1000, eth);
	if (lr < 0) {
		fprintf(stderr, "mobprobe: send: %s\n", strerror(errno));
		*fatal = 1;
		return NULL;
	}
	if (lr == 0 && mk_txring_open(ring, m->ifname, eth, mode, err, sizeof err) == 0) {
		static const char *const names[] = {
			"AF_PACKET sendmmsg", "AF_PACKET TX ring",
			"AF_PACKET sendmmsg, qdisc bypass", "AF_PACKET TX ring, qdisc bypass",
		};
		*how = names[mode];
		return ring;
	}
	if (lr != 0)
		snprintf(err, sizeof err, "no Ethernet header learnt on %s", m->ifname);
	if (m->tx) { /* asked for by name: no silent fallback */
		fprintf(stderr, "mobprobe: --tx %s: %s\n", m->tx, err);
		*fatal = 1;
		return NULL;
	}
	if (m->verbose)
		fprintf(m->json ? stderr : stdout, "  tx: %s; the raw socket instead\n", err);
	return NULL;
}

static int run_load(struct mp *m, const struct mp_ops *ops, void *st, struct mk_cap *cap)
{
	static uint8_t pkts[LOAD_BATCH][MP_PKT_MAX];
	const uint8_t *pv[LOAD_BATCH];
	size_t lens[LOAD_BATCH];
	char desc[256], first[256] = "";
	struct load_ctx l = { .m = m, .ops = ops, .st = st };
	struct mk_txring ring_st = { .fd = -1 }, *ring = NULL;
	const char *how = "raw socket sendmmsg";
	uint64_t sent = 0, sent0, t0, t1, c0, c1;
	double per_batch_ns;
	unsigned batch = LOAD_BATCH;
	struct mk_cap_stats cs;

	/* small rates: smaller batches keep the spacing even */
	if (m->rate < 2000)
		batch = 1;
	else if (m->rate < 50000)
		batch = 8;
	else if (m->rate < 1e6)
		batch = MK_RAW6_BATCH;
	per_batch_ns = 1e9 * batch / m->rate;
	if (!m->tx || strcmp(m->tx, "raw") != 0) {
		int fatal;
		if (ops->build(m, st, 0, pkts[0], &lens[0], first, sizeof first) != 0)
			return MP_USAGE;
		ring = load_ring(m, &ring_st, pkts[0], lens[0], &how, &fatal);
		if (fatal)
			return MP_FAIL;
		sent = 1;
	}
	sent0 = sent;
	c0 = cpu_ns();
	t0 = mk_now_mono_ns();
	while (sent < m->count) {
		unsigned k = (unsigned)(m->count - sent < batch ? m->count - sent : batch);
		for (unsigned i = 0; i < k; i++) {
			if (ops->build(m, st, (unsigned)(sent + i), pkts[i], &lens[i], desc,
				       first[0] ? 0 : sizeof desc) != 0) {
				if (ring)
					mk_txring_close(ring);
				return MP_USAGE;
			}
			if (!first[0])
				snprintf(first, sizeof first, "%s", desc);
			pv[i] = pkts[i];
		}
		int n = load_send(ring, pv, lens, k);
		if (n < 0) {
			fprintf(stderr, "mobprobe: send: %s\n", strerror(errno));
			if (ring)
				mk_txring_close(ring);
			return MP_FAIL;
		}
		sent += (unsigned)n;
		if (ops->load_class && mk_cap_poll(cap, on_load_packet, &l) < 0) {
			if (ring)
				mk_txring_close(ring);
			return MP_FAIL;
		}
		if (isfinite(per_batch_ns) && m->rate > 0)
			sleep_until(t0 + (uint64_t)(per_batch_ns * (double)((sent - sent0) / batch)));
	}
	if (ring) {
		if (mk_txring_drain(ring) != 0)
			fprintf(stderr, "mobprobe: TX ring: %s\n", strerror(errno));
		sent -= ring->rejected;
		mk_txring_close(ring);
	}
	t1 = mk_now_mono_ns();
	c1 = cpu_ns();
	if (ops->load_class)
		(void)mk_cap_wait(cap, mk_now_mono_ns() + (uint64_t)(m->timeout * 1e9),
				  on_load_packet, &l);
	(void)mk_cap_close(cap, &cs);
	double secs = (double)(t1 - t0) / 1e9;
	double achieved = secs > 0 ? (double)(sent - sent0) / secs : 0;
	double cpu = (double)(c1 - c0) / 1e9;
	if (m->json) {
		struct mk_json j;
		mk_json_begin(&j, stdout);
		mk_json_str(&j, "probe", m->sub);
		mk_json_str(&j, "mode", "load");
		mk_json_str(&j, "target", m->target);
		mk_json_str(&j, "first", first);
		mk_json_uint(&j, "sent", sent);
		mk_json_num(&j, "seconds", secs, 6);
		mk_json_num(&j, "rate_target", m->rate, 0);
		mk_json_num(&j, "rate_achieved", achieved, 0);
		mk_json_uint(&j, "batch", batch);
		mk_json_str(&j, "tx", how);
		mk_json_num(&j, "cpu_seconds", cpu, 6);
		mk_json_obj(&j, "answers");
		for (unsigned i = 0; i < 16 && l.cls[i]; i++)
			mk_json_uint(&j, l.cls[i], l.n[i]);
		mk_json_end(&j);
		mk_json_uint(&j, "capture_dropped", cs.dropped);
		mk_json_finish(&j);
	} else {
		printf("LOAD %s %s: %" PRIu64 " sent in %.3f s: %.0f pkt/s (asked %.0f), batches of %u, %s\n",
		       m->sub, m->target, sent, secs, achieved, m->rate, batch, how);
		printf("  cpu %.3f s: %.0f pkt per cpu-second\n", cpu,
		       cpu > 0 ? (double)(sent - sent0) / cpu : 0);
		printf("  first: %s\n  answers:", first);
		if (!l.cls[0])
			printf(" none");
		for (unsigned i = 0; i < 16 && l.cls[i]; i++)
			printf(" %s=%" PRIu64, l.cls[i], l.n[i]);
		printf("\n  capture dropped %" PRIu64 "\n", cs.dropped);
	}
	return MP_PASS;
}

int mp_run(struct mp *m, const struct mp_ops *ops, void *st)
{
	char err[512], filter[512], ifbuf[IF_NAMESIZE + 1];
	uint8_t pkt[MP_PKT_MAX];
	size_t len;
	char desc[512];
	struct mk_cap *cap;
	int worst = MP_PASS;

	if (!m->has_src || !m->ifname) {
		struct in6_addr src;
		if (mp_route_source(&m->dst, m->ifname, &src, ifbuf, sizeof ifbuf) != 0) {
			fprintf(stderr, "mobprobe: no route to %s (give -i and -s)\n", m->target);
			return MP_USAGE;
		}
		if (!m->has_src) {
			m->src = src;
			m->has_src = true;
		}
		if (!m->ifname)
			m->ifname = ifbuf;
	}
	if (m->verbose) {
		mk_cp_format(&m->cp, err, sizeof err);
		fprintf(m->json ? stderr : stdout, "  codepoints: %s\n", err);
	}
	/* Build the first probe before anything is opened: a usage error
	 * must not leave a capture file or a packet behind. */
	if (ops->build(m, st, 0, pkt, &len, desc, sizeof desc) != 0)
		return MP_USAGE;
	/* load mode: a rate, and answers the probe can classify */
	bool load = m->rate > 0 && ops->load_class;
	ops->filter(m, st, filter, sizeof filter);
	if (load && !m->pcap_path) {
		/* load mode keeps no record: let the kernel's filter drop our
		 * own packets instead of copying each one to us */
		char a[INET6_ADDRSTRLEN];
		snprintf(filter, sizeof filter, "ip6 and src host %s", mk_ip6_ntop(&m->dst, a));
	}
	/* load mode counts the answers, it does not time them */
	cap = load ? mk_cap_open_bulk(m->ifname, filter, m->pcap_path, err, sizeof err)
		   : mk_cap_open(m->ifname, filter, m->pcap_path, err, sizeof err);
	if (!cap) {
		fprintf(stderr, "mobprobe: %s\n", err);
		return MP_FAIL;
	}
	if (mk_raw6_open(&g_raw, m->ifname, err, sizeof err) != 0) {
		fprintf(stderr, "mobprobe: %s\n", err);
		mk_cap_close(cap, NULL);
		return MP_FAIL;
	}
	if (load) {
		int rc = run_load(m, ops, st, cap);
		mk_raw6_close(&g_raw);
		return rc;
	}
	unsigned nsteps = ops->steps ? ops->steps(m, st) : 1;
	for (unsigned i = 0; i < m->count; i++) {
		struct mp_result r;
		uint64_t start = mk_now_mono_ns();
		bool early = false, stop = false;
		memset(&r, 0, sizeof r);
		m->probe_no = (int)i + 1;
		for (unsigned k = 0; k < nsteps; k++) {
			uint64_t t0 = k ? mk_now_mono_ns() : start;
			m->step = k;
			if ((i > 0 || k > 0) && ops->build(m, st, i, pkt, &len, desc, sizeof desc) != 0) {
				worst = MP_USAGE;
				stop = true;
				break;
			}
			/* a probe that sends nothing (listen): the wait is timed
			 * from its start, by the clock of the capture timestamps */
			uint64_t listen_from = len ? 0 : mk_now_real_ns();
			if (len)
				mp_dump_packet(m, "sent", pkt, len);
			if (len && mk_raw6_send(&g_raw, pkt, len) != 0) {
				fprintf(stderr, "mobprobe: send to %s: %s\n", m->target, strerror(errno));
				worst = MP_FAIL;
				stop = true;
				break;
			}
			r.cls = NULL;
			r.t_sent = listen_from;
			r.t_answer = 0;
			struct wait_ctx w = { m, ops, st, pkt, len, &r };
			int got = mk_cap_wait(cap, t0 + (uint64_t)(m->timeout * 1e9), on_packet, &w);
			if (got < 0) {
				fprintf(stderr, "mobprobe: %s\n", mk_cap_error(cap));
				worst = MP_FAIL;
				stop = true;
				break;
			}
			if (!got)
				r.cls = "none";
			if (k + 1 < nsteps && !ops->step_ok(m, st, &r)) {
				early = true;
				break;
			}
		}
		if (stop)
			break;
		if (ops->after)
			ops->after(m, st, &r);
		mp_judge(m, ops->def_expect, &r);
		if (early && r.verdict == MP_PASS) {
			/* an expectation meant for the last exchange (none, say) does
			 * not pass a probe that stopped before it */
			r.verdict = strcmp(r.cls, "none") == 0 ? MP_NOANSWER : MP_FAIL;
			snprintf(r.reason, sizeof r.reason, "the probe stopped at exchange %u of %u: %s",
				 m->step + 1, nsteps, r.summary[0] ? r.summary : r.cls);
		}
		mp_report(m, desc, &r);
		if (r.verdict == MP_FAIL || (r.verdict == MP_NOANSWER && worst == MP_PASS))
			worst = r.verdict;
		if (i + 1 < m->count && m->rate > 0)
			sleep_until(start + (uint64_t)(1e9 / m->rate));
	}
	mk_raw6_close(&g_raw);
	if (mk_cap_close(cap, NULL) != 0) {
		fprintf(stderr, "mobprobe: %s: could not complete the capture file\n", m->pcap_path);
		return MP_FAIL;
	}
	return worst;
}

void mp_check_cksum(struct mp_result *r, const uint8_t *pkt, const struct mk_ip6 *h,
		    const struct mk_ip6_chain *c, const char *what)
{
	if (mk_ip6_ulp_cksum(pkt, h, c) == 0)
		return;
	if (mk_ip6_ulp_cksum_partial(pkt, h, c)) {
		/* captured before the sender's checksum offload ran (veth,
		 * or our own host): the field is not final, nothing to judge */
		mp_field_s(r, "cksum", "partial (offload), not judged");
		return;
	}
	mp_issue(r, "%s checksum of the answer is wrong", what);
}
