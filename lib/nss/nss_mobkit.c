/* lib/nss/nss_mobkit.c: libnss_mobkit.so.2, the glibc NSS "hosts" module
 * that gives unmodified programs (curl, nc, ssh, getent) the client side of
 * DNS-assisted server mobility (issue 15, server-mobility paper):
 *
 *   1. resolve NAME with mk_dns_lookup_mobile(): AAAA (home address) and
 *      CAAAA (care-of address, from the ANSWER of the CAAAA query or the
 *      ADDITIONAL of either answer) through one resolver;
 *   2. when a CAAAA exists, send the line "cn-bind HOA COA LIFETIME" to the
 *      local mobd's control socket and wait for "ok" at most 200 ms: the
 *      correspondent role then holds a binding from DNS and routes HOA into
 *      its TUN, so the program's first SYN to HOA leaves to COA with a type
 *      2 routing header;
 *   3. return the home address, whatever mobd said: without the binding the
 *      connection still works through the home agent (the fall-back).
 *
 * Why NSS, not a connect() wrapper or a resolver hook:
 *   - every dynamically linked program resolves through getaddrinfo /
 *     gethostbyname, which consult nsswitch.conf: one line there
 *     ("hosts: files mobkit dns") reaches all of them with no LD_PRELOAD
 *     in their environment, and it composes (files and dns stay in place);
 *   - the program must connect to the HOME address (the connection belongs
 *     to it; the route into mobd's TUN and RH2 do the rest), so nothing has
 *     to change at connect time: a connect() wrapper would have to map the
 *     address back to a name it never saw, and an LD_PRELOAD wrapper is lost
 *     on exec of setuid programs and under sanitizers;
 *   - a resolver hook (a local forwarding resolver that installs bindings
 *     as it answers) sees the CAAAA, but not which host asked, and runs as
 *     another daemon; the NSS module runs in the asking program, on its
 *     host, exactly when it resolves.
 * Limits:
 *   - static binaries do not load NSS modules (glibc warns, musl has none);
 *   - programs that do their own DNS (dig, host, nslookup, Go's pure
 *     resolver, browsers with DoH, c-ares / systemd-resolved clients that
 *     bypass nsswitch) never call it;
 *   - it answers AF_INET6 and AF_UNSPEC only (the CAAAA is an IPv6 design);
 *     AF_INET and names without an AAAA go on to the next source ("dns");
 *   - the name is asked as given: no search list or ndots of resolv.conf
 *     ("server" is "server.", which then falls to "dns", which applies them);
 *   - the binding is made at lookup time: a program that caches addresses
 *     (or a lookup whose answer mobd already holds) makes no new binding,
 *     and mobd's own lifetime (LIFETIME) bounds a stale one;
 *   - setuid programs: the environment (MOBKIT_CTL, MOBKIT_NSS_CONF,
 *     MOBKIT_NSS_DEBUG) is read with secure_getenv, so it is ignored there.
 *
 * Configuration: /etc/mobkit/nss.conf (or the file MOBKIT_NSS_CONF names),
 * one "KEY VALUE" a line, '#' comments:
 *   resolver ADDR|[ADDR]:PORT   default: the first nameserver of /etc/resolv.conf
 *   control PATH                mobd's control socket (default /run/mobd.sock;
 *                               MOBKIT_CTL in the environment wins)
 *   timeout MS                  the DNS lookup's timeout (default 2000)
 *   lifetime S                  the LIFETIME of cn-bind (default 60)
 *   codepoint caaaa-type=N      the CAAAA TYPE (doc/codepoints.md, default 65280)
 * Under `ip netns exec NS`, /etc/netns/NS/nsswitch.conf and resolv.conf
 * replace the host's, so a test enables the module in its namespaces only.
 * MOBKIT_NSS_DEBUG set: each failure (config, DNS, control socket) is told
 * on stderr; otherwise the module is silent.
 *
 * Built without sanitizers whatever SAN says: it is loaded into programs
 * that are not (their runtime must come first); the lookup it calls is the
 * one the ASan/UBSan unit tests and mobprobe lookup-mobile exercise. */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <nss.h>
#include <poll.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"

#define CONF_DEFAULT "/etc/mobkit/nss.conf"
#define CTL_DEFAULT "/run/mobd.sock"
enum { CTL_TIMEOUT_MS = 200, DNS_TIMEOUT_MS = 2000, LIFETIME_S = 60 };

/* exported: the four entry points glibc looks up (and nothing else, see
 * lib/nss/nss_mobkit.map) */
enum nss_status _nss_mobkit_gethostbyname4_r(const char *name, struct gaih_addrtuple **pat,
					     char *buffer, size_t buflen, int *errnop,
					     int *herrnop, int32_t *ttlp);
enum nss_status _nss_mobkit_gethostbyname3_r(const char *name, int af, struct hostent *host,
					     char *buffer, size_t buflen, int *errnop,
					     int *herrnop, int32_t *ttlp, char **canonp);
enum nss_status _nss_mobkit_gethostbyname2_r(const char *name, int af, struct hostent *host,
					     char *buffer, size_t buflen, int *errnop,
					     int *herrnop);
enum nss_status _nss_mobkit_gethostbyname_r(const char *name, struct hostent *host,
					    char *buffer, size_t buflen, int *errnop,
					    int *herrnop);

struct conf {
	struct sockaddr_storage res;
	socklen_t res_len;
	char control[sizeof(((struct sockaddr_un *)0)->sun_path)];
	unsigned timeout_ms, lifetime;
	struct mk_codepoints cp;
};

static void debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void debug(const char *fmt, ...)
{
	va_list ap;
	if (!secure_getenv("MOBKIT_NSS_DEBUG"))
		return;
	va_start(ap, fmt);
	fputs("nss_mobkit: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

static int read_conf(struct conf *c)
{
	const char *path = secure_getenv("MOBKIT_NSS_CONF");
	const char *ctl = secure_getenv("MOBKIT_CTL");
	char line[512], key[64], val[400];
	int have_res = 0, bad = 0;
	FILE *f;

	memset(c, 0, sizeof *c);
	snprintf(c->control, sizeof c->control, "%s", CTL_DEFAULT);
	c->timeout_ms = DNS_TIMEOUT_MS;
	c->lifetime = LIFETIME_S;
	mk_cp_profile(&c->cp, "default");
	f = fopen(path ? path : CONF_DEFAULT, "re");
	while (f && fgets(line, sizeof line, f)) {
		char *h = strchr(line, '#'), *end;
		unsigned long v;
		if (h)
			*h = 0;
		int n = sscanf(line, "%63s %399s", key, val);
		if (n <= 0)
			continue;
		if (n != 2) {
			debug("%s: '%s' has no value", path ? path : CONF_DEFAULT, key);
			bad = 1;
		} else if (strcmp(key, "resolver") == 0) {
			if (mk_dns_server_addr(val, &c->res, &c->res_len).err == MK_E_OK)
				have_res = 1;
			else
				bad = 1, debug("bad resolver '%s'", val);
		} else if (strcmp(key, "control") == 0) {
			if (strlen(val) < sizeof c->control)
				memcpy(c->control, val, strlen(val) + 1);
			else
				bad = 1, debug("control path '%s' too long", val);
		} else if (strcmp(key, "timeout") == 0 || strcmp(key, "lifetime") == 0) {
			errno = 0;
			v = strtoul(val, &end, 10);
			if (*end || errno || v == 0 || v > 3600000 || val[0] == '-')
				bad = 1, debug("bad %s '%s'", key, val);
			else if (key[0] == 't')
				c->timeout_ms = (unsigned)v;
			else
				c->lifetime = (unsigned)v;
		} else if (strcmp(key, "codepoint") == 0) {
			if (mk_cp_set(&c->cp, val).err != MK_E_OK)
				bad = 1, debug("bad codepoint '%s'", val);
		} else {
			bad = 1, debug("unknown setting '%s'", key);
		}
	}
	if (f)
		fclose(f);
	if (ctl && *ctl) {
		if (strlen(ctl) >= sizeof c->control)
			return debug("MOBKIT_CTL '%s' too long", ctl), -1;
		memcpy(c->control, ctl, strlen(ctl) + 1);
	}
	if (bad)
		return -1;
	if (!have_res && mk_dns_resolv_conf(NULL, &c->res, &c->res_len).err != MK_E_OK)
		return debug("no resolver: none in the configuration or /etc/resolv.conf"), -1;
	return 0;
}

static uint64_t ms_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* Send "cn-bind HOA COA LIFETIME" to mobd and wait for its one-line answer
 * at most CTL_TIMEOUT_MS.  0: "ok"; -1 otherwise (told under debug). */
static int ctl_bind(const struct conf *c, const uint8_t hoa[16], const uint8_t coa[16])
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	char h[INET6_ADDRSTRLEN], a[INET6_ADDRSTRLEN], line[160], ans[256];
	size_t got = 0;
	uint64_t deadline = ms_now() + CTL_TIMEOUT_MS;
	int fd, n;

	inet_ntop(AF_INET6, hoa, h, sizeof h);
	inet_ntop(AF_INET6, coa, a, sizeof a);
	n = snprintf(line, sizeof line, "cn-bind %s %s %u\n", h, a, c->lifetime);
	memcpy(sa.sun_path, c->control, strlen(c->control) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 ||
	    send(fd, line, (size_t)n, MSG_NOSIGNAL) != n) {
		debug("control socket %s: %s (no binding from DNS; via the home agent)",
		      c->control, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	for (;;) {
		uint64_t now = ms_now();
		if (memchr(ans, '\n', got) || got == sizeof ans - 1 || now >= deadline)
			break;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int k = poll(&p, 1, (int)(deadline - now));
		if (k < 0 && errno != EINTR)
			break;
		if (k <= 0)
			continue;
		ssize_t r = recv(fd, ans + got, sizeof ans - 1 - got, 0);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	ans[got] = 0;
	if (got >= 2 && strncmp(ans, "ok", 2) == 0 && (got == 2 || ans[2] == '\n' || ans[2] == ' '))
		return 0;
	ans[strcspn(ans, "\n")] = 0;
	debug("control socket %s: %s", c->control,
	      got ? ans : "no answer within 200 ms (no binding from DNS; via the home agent)");
	return -1;
}

/* The lookup and the binding; on NSS_STATUS_SUCCESS, r holds the home
 * addresses. */
static enum nss_status lookup(const char *name, struct mk_mobile *r, int *errnop, int *herrnop)
{
	struct conf c;
	int se;

	if (read_conf(&c) != 0) {
		*errnop = ENOENT;
		*herrnop = NO_RECOVERY;
		return NSS_STATUS_UNAVAIL;
	}
	struct mk_status st = mk_dns_lookup_mobile(name, (struct sockaddr *)&c.res, c.res_len,
						   &c.cp, c.timeout_ms, r, &se);
	if (st.err != MK_E_OK) {
		debug("%s: %s%s%s", name, mk_strerror(st.err), se ? ": " : "", se ? strerror(se) : "");
		*errnop = st.err == MK_E_DNS_NAME_TEXT ? ENOENT : (se ? se : EINVAL);
		*herrnop = st.err == MK_E_DNS_NAME_TEXT ? HOST_NOT_FOUND : NO_RECOVERY;
		return st.err == MK_E_DNS_NAME_TEXT ? NSS_STATUS_NOTFOUND : NSS_STATUS_UNAVAIL;
	}
	switch (r->result) {
	case MK_MOBILE_FOUND:
		break;
	case MK_MOBILE_NODATA:
		*errnop = 0;
		*herrnop = NO_DATA;
		return NSS_STATUS_NOTFOUND;
	case MK_MOBILE_NXDOMAIN:
		*errnop = ENOENT;
		*herrnop = HOST_NOT_FOUND;
		return NSS_STATUS_NOTFOUND;
	default:
		debug("%s: %s (rcode %u)", name, mk_mobile_result_name(r->result), r->rcode);
		*errnop = EAGAIN;
		*herrnop = TRY_AGAIN;
		return NSS_STATUS_UNAVAIL;
	}
	if (r->coa_from != MK_COA_NONE)
		(void)ctl_bind(&c, r->hoa[0], r->coa);
	else
		debug("%s: no CAAAA (%s): the home address, via the home agent", name,
		      r->caaaa_answered ? mk_dns_rcode_name(r->caaaa_rcode) : "no answer");
	return NSS_STATUS_SUCCESS;
}

/* Carve n octets aligned for pointers from the caller's buffer. */
static void *carve(char **p, size_t *left, size_t n)
{
	size_t pad = (size_t)(-(uintptr_t)*p & (sizeof(void *) - 1));
	if (*left < pad + n)
		return NULL;
	void *at = *p + pad;
	*p += pad + n;
	*left -= pad + n;
	return at;
}

static enum nss_status erange(int *errnop, int *herrnop)
{
	*errnop = ERANGE;
	*herrnop = NETDB_INTERNAL;
	return NSS_STATUS_TRYAGAIN;
}

static const char *canon_of(const struct mk_mobile *r, const char *name, size_t *len)
{
	const char *cn = r->canon[0] ? r->canon : name;
	*len = strlen(cn);
	if (*len > 1 && cn[*len - 1] == '.')
		(*len)--; /* "server.example", as getent and the resolver show it */
	return cn;
}

enum nss_status _nss_mobkit_gethostbyname4_r(const char *name, struct gaih_addrtuple **pat,
					     char *buffer, size_t buflen, int *errnop,
					     int *herrnop, int32_t *ttlp)
{
	struct mk_mobile r;
	enum nss_status s = lookup(name, &r, errnop, herrnop);
	size_t cl;

	if (s != NSS_STATUS_SUCCESS)
		return s;
	const char *cn = canon_of(&r, name, &cl);
	char *p = buffer, *cname = carve(&p, &buflen, cl + 1);
	if (!cname)
		return erange(errnop, herrnop);
	memcpy(cname, cn, cl);
	cname[cl] = 0;
	struct gaih_addrtuple *prev = NULL, *first = *pat;
	for (unsigned i = 0; i < r.n_hoa; i++) {
		struct gaih_addrtuple *t = (i == 0 && first) ? first : carve(&p, &buflen, sizeof *t);
		if (!t)
			return erange(errnop, herrnop);
		memset(t, 0, sizeof *t);
		t->name = i == 0 ? cname : NULL;
		t->family = AF_INET6;
		memcpy(t->addr, r.hoa[i], 16);
		if (prev)
			prev->next = t;
		else
			*pat = t;
		prev = t;
	}
	if (ttlp)
		*ttlp = (int32_t)r.hoa_ttl;
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_mobkit_gethostbyname3_r(const char *name, int af, struct hostent *host,
					     char *buffer, size_t buflen, int *errnop,
					     int *herrnop, int32_t *ttlp, char **canonp)
{
	if (af != AF_INET6) {
		*errnop = EAFNOSUPPORT;
		*herrnop = NO_DATA;
		return NSS_STATUS_NOTFOUND; /* the next source (dns) answers A */
	}
	struct mk_mobile r;
	enum nss_status s = lookup(name, &r, errnop, herrnop);
	size_t cl;

	if (s != NSS_STATUS_SUCCESS)
		return s;
	const char *cn = canon_of(&r, name, &cl);
	char *p = buffer;
	char *hname = carve(&p, &buflen, cl + 1);
	char **aliases = carve(&p, &buflen, sizeof(char *));
	char **list = carve(&p, &buflen, (r.n_hoa + 1) * sizeof(char *));
	char *addrs = carve(&p, &buflen, (size_t)r.n_hoa * 16);
	if (!hname || !aliases || !list || !addrs)
		return erange(errnop, herrnop);
	memcpy(hname, cn, cl);
	hname[cl] = 0;
	aliases[0] = NULL;
	for (unsigned i = 0; i < r.n_hoa; i++) {
		memcpy(addrs + 16 * i, r.hoa[i], 16);
		list[i] = addrs + 16 * i;
	}
	list[r.n_hoa] = NULL;
	host->h_name = hname;
	host->h_aliases = aliases;
	host->h_addrtype = AF_INET6;
	host->h_length = 16;
	host->h_addr_list = list;
	if (ttlp)
		*ttlp = (int32_t)r.hoa_ttl;
	if (canonp)
		*canonp = hname;
	return NSS_STATUS_SUCCESS;
}

enum nss_status _nss_mobkit_gethostbyname2_r(const char *name, int af, struct hostent *host,
					     char *buffer, size_t buflen, int *errnop,
					     int *herrnop)
{
	return _nss_mobkit_gethostbyname3_r(name, af, host, buffer, buflen, errnop, herrnop,
					    NULL, NULL);
}

/* gethostbyname() means AF_INET (without RES_USE_INET6, which glibc 2.36
 * no longer has): not ours, the next source answers. */
enum nss_status _nss_mobkit_gethostbyname_r(const char *name, struct hostent *host,
					    char *buffer, size_t buflen, int *errnop,
					    int *herrnop)
{
	return _nss_mobkit_gethostbyname3_r(name, AF_INET, host, buffer, buflen, errnop, herrnop,
					    NULL, NULL);
}
