/* stack/core/conf.c: the configuration file (doc/mobd.conf.5 lists every
 * keyword).  One statement per line, words separated by blanks, '#' starts
 * a comment.
 *
 * Table-driven: a keyword is {name, multi, parser, field} in the core's
 * table (every role takes it) or in a role's (struct mobd_role.kws); the
 * role line says which roles run.  Every error names the file, the line and
 * the bad word; the whole file is read and every error reported before a
 * file with any error is refused as a whole.  A keyword given twice (except
 * the repeatable ones), a keyword of a role that is not configured, a NUL
 * byte and a prefix with host bits are errors too. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stack/core/core.h"

#define MAX_KWS  64
#define MAX_LINE 510 /* characters, the newline not counted */

struct mobd_conf_ctx {
	FILE *f;
	const char *path;
	unsigned ln, n;                  /* the current line; errors so far */
	const struct mobd_role *const *roles;
	size_t n_roles;
	const struct mobd_kw *kw[MAX_KWS];
	int kw_role[MAX_KWS];            /* index in roles, -1: the core's */
	unsigned seen[MAX_KWS];          /* the first line of each, 0: absent */
	size_t n_kw;
	unsigned role_ln;
};

bool in_prefix(const struct in6_addr *a, const struct in6_addr *p, unsigned plen)
{
	unsigned full = plen / 8, rest = plen % 8;
	if (memcmp(a->s6_addr, p->s6_addr, full) != 0)
		return false;
	if (rest) {
		uint8_t m = (uint8_t)(0xff << (8 - rest));
		return (a->s6_addr[full] & m) == (p->s6_addr[full] & m);
	}
	return true;
}

const struct mobd_key *conf_key_for(const struct mobd_conf *c, const struct in6_addr *hoa)
{
	const struct mobd_key *any = NULL;
	for (unsigned i = 0; i < c->n_keys; i++) {
		if (c->keys[i].any)
			any = &c->keys[i];
		else if (memcmp(&c->keys[i].hoa, hoa, 16) == 0)
			return &c->keys[i];
	}
	return any;
}

int conf_hexkey(const char *s, uint8_t *out, size_t cap, size_t *len)
{
	size_t n = strlen(s);
	if (n == 0 || n % 2 || n / 2 > cap)
		return -1;
	for (size_t i = 0; i < n / 2; i++) {
		unsigned v;
		if (!isxdigit((unsigned char)s[2 * i]) || !isxdigit((unsigned char)s[2 * i + 1]) ||
		    sscanf(s + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (uint8_t)v;
	}
	*len = n / 2;
	return 0;
}

int conf_num(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
{
	char *e;
	errno = 0;
	unsigned long v = strtoul(s, &e, 10);
	if (errno || e == s || *e || s[0] == '-' || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

static int prefix(const char *s, struct in6_addr *p, unsigned *plen)
{
	char buf[64];
	const char *sl = strchr(s, '/');
	unsigned long l;
	if (!sl || (size_t)(sl - s) >= sizeof buf)
		return -1;
	memcpy(buf, s, (size_t)(sl - s));
	buf[sl - s] = 0;
	if (inet_pton(AF_INET6, buf, p) != 1 || conf_num(sl + 1, 1, 128, &l) != 0)
		return -1;
	*plen = (unsigned)l;
	return 0;
}

static void defaults(struct mobd_conf *c)
{
	memset(c, 0, sizeof *c);
	snprintf(c->tun, sizeof c->tun, "mip6");
	snprintf(c->ctl_path, sizeof c->ctl_path, "/run/mobd.sock");
	c->max_bindings = 1024;
	c->max_lifetime = 600;
	c->refresh = 0;
	c->preference = 0;
	c->replay_window = 7;
	c->kernel_state = true;
	c->ha_dad = true;
	c->ha_dad_ms = MOBD_RETRANS_TIMER_MS;
	c->lifetime = 120;
	c->nonce_lifetime = MOBD_MAX_NONCE_LIFETIME_S;
	c->nonce_interval = MOBD_MAX_NONCE_LIFETIME_S - MOBD_MAX_TOKEN_LIFETIME_S; /* 30 s: RFC 6275 5.2.7 */
	c->kcn_lifetime = 3600;
	c->cn_max_bindings = 1024;
	c->cn_max_lifetime = MOBD_MAX_RR_BINDING_LIFETIME_S;
	c->cn_brr = 10;
	c->cn_dns_max_lifetime = MOBD_MAX_RR_BINDING_LIFETIME_S;
	c->cn_dns_probe_ms = 1000;
	c->probe_ms = 1000;
	c->probe_misses = 3;
	c->mn_has = 1;
	c->firstreg_ms = MOBD_INITIAL_FIRSTREG_TIMEOUT_MS;
	c->mtu = 1460;
	c->err_rate = MOBD_ERR_RATE;
	c->err_burst = MOBD_ERR_BURST;
	c->time_scale = 1;
	c->cp = mk_cp_default;
	c->mig.curve = 1;
	c->mig.queue = 16;
	c->mig.wait_ms = 30000;
	c->mig.kick = true;
}

/* ---- errors ---- */

static void verr(struct mobd_conf_ctx *x, bool at_line, const char *fmt, va_list ap)
{
	fputs("mobd: ", x->f);
	if (at_line)
		fprintf(x->f, "%s:%u: ", x->path, x->ln);
	vfprintf(x->f, fmt, ap);
	fputc('\n', x->f);
	x->n++;
}

void conf_err(struct mobd_conf_ctx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(x, true, fmt, ap);
	va_end(ap);
}

void conf_bad(struct mobd_conf_ctx *x, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	verr(x, false, fmt, ap);
	va_end(ap);
}

const char *conf_path(const struct mobd_conf_ctx *x)
{
	return x->path;
}

bool conf_need(struct mobd_conf_ctx *x, char **w, int n, int cnt)
{
	if (n == cnt + 1)
		return true;
	conf_err(x, "'%s' takes %d value%s, got %d", w[0], cnt, cnt == 1 ? "" : "s", n - 1);
	return false;
}

unsigned conf_seen(const struct mobd_conf_ctx *x, const char *name)
{
	for (size_t k = 0; k < x->n_kw; k++)
		if (!strcmp(x->kw[k]->name, name))
			return x->seen[k];
	return 0;
}

/* a prefix whose address has bits set beyond its length: the masked form
 * in *masked, true */
static bool host_bits(const struct in6_addr *p, unsigned plen, struct in6_addr *masked)
{
	*masked = *p;
	for (unsigned i = plen; i < 128; i++)
		masked->s6_addr[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
	return memcmp(masked, p, 16) != 0;
}

bool conf_net_prefix(struct mobd_conf_ctx *x, const char *key, const char *s, struct in6_addr *p,
		     unsigned *plen)
{
	struct in6_addr m;
	char a[INET6_ADDRSTRLEN];
	if (prefix(s, p, plen) != 0) {
		conf_err(x, "%s '%s': expected ADDRESS/LENGTH", key, s);
		return false;
	}
	if (host_bits(p, *plen, &m)) {
		conf_err(x, "%s '%s' has host bits set (the prefix is %s/%u)", key, s,
			 mk_ip6_ntop(&m, a), *plen);
		return false;
	}
	return true;
}

/* ---- the generic parsers ---- */

#define FIELD(c, k, type) ((type *)((char *)(c) + (k)->field))
#define FLAG(c, k)                                                                             \
	do {                                                                                   \
		if ((k)->flag)                                                                 \
			*(bool *)((char *)(c) + (k)->flag) = true;                             \
	} while (0)

void conf_p_num(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c)
{
	unsigned long v;
	if (!conf_need(x, w, n, 1))
		return;
	if (conf_num(w[1], k->lo, k->hi, &v)) {
		conf_err(x, "%s '%s': expected %lu..%lu%s", w[0], w[1], k->lo, k->hi, k->unit);
		return;
	}
	*FIELD(c, k, unsigned) = (unsigned)v;
}

void conf_p_bool(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c)
{
	bool b;
	if (!conf_need(x, w, n, 1))
		return;
	if (!strcmp(w[1], "yes")) {
		b = true;
	} else if (!strcmp(w[1], "no")) {
		b = false;
	} else {
		conf_err(x, "%s '%s': expected yes or no", w[0], w[1]);
		return;
	}
	*FIELD(c, k, bool) = b;
	FLAG(c, k);
}

void conf_p_addr(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c)
{
	if (!conf_need(x, w, n, 1))
		return;
	if (inet_pton(AF_INET6, w[1], FIELD(c, k, struct in6_addr)) != 1) {
		conf_err(x, "%s '%s' is not an IPv6 address", w[0], w[1]);
		return;
	}
	FLAG(c, k);
}

/* the field is followed by its length: struct in6_addr, then unsigned */
void conf_p_prefix(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c)
{
	if (!conf_need(x, w, n, 1))
		return;
	if (conf_net_prefix(x, w[0], w[1], FIELD(c, k, struct in6_addr),
			    (unsigned *)((char *)c + k->field + sizeof(struct in6_addr))))
		FLAG(c, k);
}

void conf_p_str(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n, struct mobd_conf *c)
{
	if (!conf_need(x, w, n, 1))
		return;
	if (strlen(w[1]) > k->hi) {
		conf_err(x, "%s '%s' too long", k->unit, w[1]);
		return;
	}
	memcpy(FIELD(c, k, char), w[1], strlen(w[1]) + 1);
}

static void p_profile(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		      struct mobd_conf *c)
{
	(void)k;
	if (conf_need(x, w, n, 1) && mk_cp_profile(&c->cp, w[1]).err != MK_E_OK)
		conf_err(x, "profile '%s': expected default or paper", w[1]);
}

static void p_codepoint(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
			struct mobd_conf *c)
{
	(void)k;
	if (conf_need(x, w, n, 1) && mk_cp_set(&c->cp, w[1]).err != MK_E_OK)
		conf_err(x, "codepoint '%s': expected NAME=VALUE (mobwire codepoints)", w[1]);
}

/* "A or B" / "A and B": the roles' names (titles) joined */
static void role_list(const struct mobd_conf_ctx *x, unsigned mask, bool titles, const char *last,
		      char *out, size_t cap)
{
	size_t n = 0, k = 0, len = 0;
	for (size_t i = 0; i < x->n_roles; i++)
		n += !mask || (mask & MOBD_RB(x->roles[i]->id));
	out[0] = 0;
	for (size_t i = 0; i < x->n_roles; i++) {
		if (mask && !(mask & MOBD_RB(x->roles[i]->id)))
			continue;
		const char *sep = k == 0 ? "" : k + 1 == n ? last : ", ";
		len += (size_t)snprintf(out + len, len < cap ? cap - len : 0, "%s%s", sep,
					titles ? x->roles[i]->title : x->roles[i]->name);
		k++;
	}
}

static void p_role(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		   struct mobd_conf *c)
{
	char names[256];
	(void)k;
	x->role_ln = x->ln;
	if (n < 2) {
		conf_err(x, "'%s' takes at least 1 value, got 0", w[0]);
		return;
	}
	for (int i = 1; i < n; i++) {
		size_t r;
		for (r = 0; r < x->n_roles && strcmp(x->roles[r]->name, w[i]); r++)
			;
		if (r == x->n_roles) {
			role_list(x, 0, false, " or ", names, sizeof names);
			conf_err(x, "role '%s': expected %s", w[i], names);
			continue;
		}
		c->roles |= MOBD_RB(x->roles[r]->id);
	}
}

#define NUM(name, lo, hi, unit, field) { name, false, conf_p_num, offsetof(struct mobd_conf, field), 0, lo, hi, unit }
static const struct mobd_kw core_kws[] = {
	{ "role", false, p_role, 0, 0, 0, 0, "" },
	{ "interface", false, conf_p_str, offsetof(struct mobd_conf, iface), 0, 0, 15, "interface name" },
	{ "tun", false, conf_p_str, offsetof(struct mobd_conf, tun), 0, 0, 15, "tun name" },
	{ "control", false, conf_p_str, offsetof(struct mobd_conf, ctl_path), 0, 0, 107, "control path" },
	{ "home-prefix", false, conf_p_prefix, offsetof(struct mobd_conf, home_prefix),
	  offsetof(struct mobd_conf, has_prefix), 0, 0, "" },
	NUM("mtu", 1280, 65000, "", mtu),
	{ "profile", false, p_profile, 0, 0, 0, 0, "" },
	{ "codepoint", true, p_codepoint, 0, 0, 0, 0, "" },
	NUM("error-rate", 0, 1000000, " per second (0: no limit)", err_rate),
	NUM("error-burst", 1, 1000000, "", err_burst),
	NUM("time-scale", 1, 1000, " (RFC 6275 timers divided by it)", time_scale),
};
#undef NUM

/* the checks of the whole file, once every line is read */
static void whole_file(struct mobd_conf_ctx *x, struct mobd_conf *c)
{
	char names[256], mine[256];
	if (!c->roles) {
		if (!x->role_ln) { /* a bad role line was reported already */
			role_list(x, 0, false, "' or 'role ", names, sizeof names);
			conf_bad(x, "%s: no 'role %s' line", x->path, names);
		}
	} else {
		/* a keyword of a role that is not configured would be ignored:
		 * refuse it, in line order */
		role_list(x, c->roles, true, " and ", mine, sizeof mine);
		unsigned after = 0;
		for (;;) {
			size_t k = x->n_kw;
			for (size_t j = 0; j < x->n_kw; j++)
				if (x->seen[j] > after && x->kw_role[j] >= 0 &&
				    !(c->roles & MOBD_RB(x->roles[x->kw_role[j]]->id)) &&
				    (k == x->n_kw || x->seen[j] < x->seen[k]))
					k = j;
			if (k == x->n_kw)
				break;
			after = x->seen[k];
			conf_bad(x, "%s:%u: '%s' is a %s keyword; this file is for a %s (role at line %u)",
				 x->path, x->seen[k], x->kw[k]->name, x->roles[x->kw_role[k]]->name, mine,
				 x->role_ln);
		}
		/* roles that each own the TUN device cannot share a daemon */
		unsigned owners = 0;
		for (size_t i = 0; i < x->n_roles; i++)
			if ((c->roles & MOBD_RB(x->roles[i]->id)) && x->roles[i]->owns_tun)
				owners |= MOBD_RB(x->roles[i]->id);
		if (owners & (owners - 1)) {
			role_list(x, owners, false, " and ", names, sizeof names);
			conf_bad(x, "%s:%u: roles %s cannot run in one mobd: each needs the TUN device", x->path,
				 x->role_ln, names);
		}
	}
	if (!conf_seen(x, "interface"))
		conf_bad(x, "%s: no 'interface' line", x->path);
	for (size_t i = 0; i < x->n_roles; i++)
		if ((c->roles & MOBD_RB(x->roles[i]->id)) && x->roles[i]->conf_check)
			x->roles[i]->conf_check(x, c);
}

static void add_kws(struct mobd_conf_ctx *x, const struct mobd_kw *kws, size_t n, int role)
{
	for (size_t i = 0; i < n; i++)
		if (x->n_kw < MAX_KWS) {
			x->kw_role[x->n_kw] = role;
			x->kw[x->n_kw++] = &kws[i];
		} else {
			fatalx("more than %d configuration keywords", MAX_KWS);
		}
}

int conf_load(const char *path, struct mobd_conf *c, FILE *errf,
	      const struct mobd_role *const *roles, size_t n_roles)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	static struct mobd_conf tmp;
	static struct mobd_conf_ctx x;

	memset(&x, 0, sizeof x);
	x.f = errf;
	x.path = path;
	x.roles = roles;
	x.n_roles = n_roles;
	if (!f) {
		conf_bad(&x, "%s: %s", path, strerror(errno));
		return 1;
	}
	add_kws(&x, core_kws, sizeof core_kws / sizeof core_kws[0], -1);
	for (size_t i = 0; i < n_roles; i++)
		add_kws(&x, roles[i]->kws, roles[i]->n_kws, (int)i);
	defaults(&tmp);
	while ((len = getline(&line, &cap, f)) > 0) {
		char *w[8], *save = NULL, *p, *nul;
		int n = 0;
		x.ln++;
		if ((nul = memchr(line, 0, (size_t)len))) {
			conf_err(&x, "NUL byte at column %zu", (size_t)(nul - line) + 1);
			continue;
		}
		if (len > MAX_LINE + 1 || (len == MAX_LINE + 1 && line[len - 1] != '\n')) {
			conf_err(&x, "line longer than %d characters", MAX_LINE);
			continue;
		}
		if ((p = strchr(line, '#')))
			*p = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p && n < 8; p = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = p;
		if (n == 0)
			continue;
		size_t k;
		for (k = 0; k < x.n_kw && strcmp(x.kw[k]->name, w[0]); k++)
			;
		if (k == x.n_kw) {
			conf_err(&x, "unknown keyword '%s'", w[0]);
			continue;
		}
		if (x.seen[k] && !x.kw[k]->multi) {
			conf_err(&x, "'%s' given twice (first at line %u)", w[0], x.seen[k]);
			continue;
		}
		x.seen[k] = x.ln;
		x.kw[k]->parse(&x, x.kw[k], w, n, &tmp);
	}
	if (ferror(f))
		conf_bad(&x, "%s: read error: %s", path, strerror(errno));
	free(line);
	fclose(f);
	whole_file(&x, &tmp);
	if (x.n)
		return (int)x.n;
	*c = tmp;
	return 0;
}

void conf_print(const struct mobd_conf *c, FILE *f, const struct mobd_role *const *roles,
		size_t n_roles)
{
	char a[INET6_ADDRSTRLEN], cps[512];
	const char *sep = "";
	fputs("role ", f);
	for (size_t i = 0; i < n_roles; i++)
		if (c->roles & MOBD_RB(roles[i]->id)) {
			fprintf(f, "%s%s", sep, roles[i]->name);
			sep = " ";
		}
	fprintf(f, "\ninterface %s\ntun %s\ncontrol %s\n", c->iface, c->tun, c->ctl_path);
	if (c->has_prefix)
		fprintf(f, "home-prefix %s/%u\n", inet_ntop(AF_INET6, &c->home_prefix, a, sizeof a),
			c->home_plen);
	fprintf(f, "mtu %u\nerror-rate %u\nerror-burst %u\n", c->mtu, c->err_rate, c->err_burst);
	if (c->time_scale != 1)
		fprintf(f, "time-scale %u\n", c->time_scale);
	for (size_t i = 0; i < n_roles; i++)
		if ((c->roles & MOBD_RB(roles[i]->id)) && roles[i]->conf_print)
			roles[i]->conf_print(c, f);
	mk_cp_format(&c->cp, cps, sizeof cps);
	fprintf(f, "codepoints %s\n", cps);
}

void ha_anycast(const struct in6_addr *prefix, struct in6_addr *out)
{
	/* RFC 2526 / RFC 6275 10.5: the /64 prefix, then fdff:ffff:ffff:fffe */
	static const uint8_t tail[8] = { 0xfd, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe };
	*out = *prefix;
	memcpy(out->s6_addr + 8, tail, 8);
}
