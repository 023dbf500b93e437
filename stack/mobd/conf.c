/* stack/mobd/conf.c: the configuration file (doc/mobd.conf.5 lists every
 * keyword).  One statement per line, words separated by blanks, '#' starts
 * a comment.  Every error names the file, the line and the bad word; the
 * whole file is read and every error reported before a file with any error
 * is refused as a whole.  A keyword given twice (except the repeatable
 * ones), a keyword of the other role, a NUL byte and a prefix with host
 * bits are errors too. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mobd.h"

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

static int hexkey(const char *s, uint8_t *out, size_t cap, size_t *len)
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

static int num(const char *s, unsigned long lo, unsigned long hi, unsigned long *out)
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
	if (inet_pton(AF_INET6, buf, p) != 1 || num(sl + 1, 1, 128, &l) != 0)
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
	c->lifetime = 120;
	c->firstreg_ms = MOBD_INITIAL_FIRSTREG_TIMEOUT_MS;
	c->mtu = 1460;
	c->err_rate = MOBD_ERR_RATE;
	c->err_burst = MOBD_ERR_BURST;
	c->cp = mk_cp_default;
}

/* every keyword: which role takes it, whether it may repeat; a number's
 * range, unit and field (an unsigned in struct mobd_conf) */
enum { R_BOTH, R_HA, R_MN };
#define NUM(lo, hi, unit, field) true, lo, hi, unit, offsetof(struct mobd_conf, field)
#define NONE false, 0, 0, "", 0
static const struct kw {
	const char *name;
	int role;
	bool multi;
	bool num;
	unsigned long lo, hi;
	const char *unit;
	size_t off;
} kws[] = {
	{ "role", R_BOTH, false, NONE },
	{ "interface", R_BOTH, false, NONE },
	{ "tun", R_BOTH, false, NONE },
	{ "control", R_BOTH, false, NONE },
	{ "home-prefix", R_BOTH, false, NONE },
	{ "mtu", R_BOTH, false, NUM(1280, 65000, "", mtu) },
	{ "profile", R_BOTH, false, NONE },
	{ "codepoint", R_BOTH, true, NONE },
	{ "error-rate", R_BOTH, false, NUM(0, 1000000, " per second (0: no limit)", err_rate) },
	{ "error-burst", R_BOTH, false, NUM(1, 1000000, "", err_burst) },
	{ "address", R_HA, false, NONE },
	{ "max-bindings", R_HA, false, NUM(1, 16000000, "", max_bindings) },
	{ "max-lifetime", R_HA, false, NUM(4, MOBD_MAX_BINDING_LIFETIME_S, " seconds", max_lifetime) },
	{ "refresh", R_HA, false, NUM(0, MOBD_MAX_BINDING_LIFETIME_S, " seconds", refresh) },
	{ "preference", R_HA, false, NUM(0, 65535, "", preference) },
	{ "replay-window", R_HA, false, NUM(1, 3600, " seconds", replay_window) },
	{ "require-auth", R_HA, false, NONE },
	{ "kernel-state", R_HA, false, NONE },
	{ "home-agent", R_HA, true, NONE },
	{ "mn-deny", R_HA, true, NONE },
	{ "mn-key", R_HA, true, NONE },
	{ "home-address", R_MN, false, NONE },
	{ "ha", R_MN, false, NONE },
	{ "lifetime", R_MN, false, NUM(4, MOBD_MAX_BINDING_LIFETIME_S, " seconds", lifetime) },
	{ "firstreg-timeout", R_MN, false, NUM(100, 60000, " ms", firstreg_ms) },
	{ "key", R_MN, false, NONE },
};
#undef NUM
#undef NONE
#define N_KWS (sizeof kws / sizeof kws[0])

/* one error: "mobd: " and the message on its own line; counted */
struct errs {
	FILE *f;
	unsigned n;
};

static void __attribute__((format(printf, 2, 3))) bad(struct errs *e, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mobd: ", e->f);
	vfprintf(e->f, fmt, ap);
	fputc('\n', e->f);
	va_end(ap);
	e->n++;
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

/* ADDRESS/LENGTH with no host bits; a message into e otherwise */
static bool net_prefix(struct errs *e, const char *path, unsigned ln, const char *key,
		       const char *s, struct in6_addr *p, unsigned *plen)
{
	struct in6_addr m;
	char a[INET6_ADDRSTRLEN];
	if (prefix(s, p, plen) != 0) {
		bad(e, "%s:%u: %s '%s': expected ADDRESS/LENGTH", path, ln, key, s);
		return false;
	}
	if (host_bits(p, *plen, &m)) {
		bad(e, "%s:%u: %s '%s' has host bits set (the prefix is %s/%u)", path, ln, key, s,
		    mk_ip6_ntop(&m, a), *plen);
		return false;
	}
	return true;
}

#define MAX_LINE 510 /* characters, the newline not counted */

/* one statement (w[0..n-1]) into tmp; errors go to e */
static void statement(struct errs *e, const char *path, unsigned ln, char **w, int n,
		      const struct kw *kw, struct mobd_conf *tmp, bool *require_set)
{
	unsigned long v;
#define BAD(...)                                                                               \
	do {                                                                                   \
		bad(e, __VA_ARGS__);                                                           \
		return;                                                                        \
	} while (0)
#define NEED(cnt)                                                                              \
	if (n != (cnt) + 1)                                                                    \
	BAD("%s:%u: '%s' takes %d value%s, got %d", path, ln, w[0], cnt, (cnt) == 1 ? "" : "s", n - 1)
	if (kw->num) {
		NEED(1);
		if (num(w[1], kw->lo, kw->hi, &v))
			BAD("%s:%u: %s '%s': expected %lu..%lu%s", path, ln, w[0], w[1], kw->lo, kw->hi,
			    kw->unit);
		*(unsigned *)((char *)tmp + kw->off) = (unsigned)v;
	} else if (!strcmp(w[0], "role")) {
		NEED(1);
		if (!strcmp(w[1], "home-agent"))
			tmp->role = ROLE_HA;
		else if (!strcmp(w[1], "mobile-node"))
			tmp->role = ROLE_MN;
		else
			BAD("%s:%u: role '%s': expected home-agent or mobile-node", path, ln, w[1]);
	} else if (!strcmp(w[0], "interface")) {
		NEED(1);
		if (strlen(w[1]) >= 16)
			BAD("%s:%u: interface name '%s' too long", path, ln, w[1]);
		snprintf(tmp->iface, sizeof tmp->iface, "%s", w[1]);
	} else if (!strcmp(w[0], "tun")) {
		NEED(1);
		if (strlen(w[1]) >= 16)
			BAD("%s:%u: tun name '%s' too long", path, ln, w[1]);
		snprintf(tmp->tun, sizeof tmp->tun, "%s", w[1]);
	} else if (!strcmp(w[0], "control")) {
		NEED(1);
		if (strlen(w[1]) >= sizeof tmp->ctl_path)
			BAD("%s:%u: control path '%s' too long", path, ln, w[1]);
		snprintf(tmp->ctl_path, sizeof tmp->ctl_path, "%s", w[1]);
	} else if (!strcmp(w[0], "home-prefix")) {
		NEED(1);
		if (net_prefix(e, path, ln, w[0], w[1], &tmp->home_prefix, &tmp->home_plen))
			tmp->has_prefix = true;
	} else if (!strcmp(w[0], "address")) {
		NEED(1);
		if (inet_pton(AF_INET6, w[1], &tmp->addr) != 1)
			BAD("%s:%u: address '%s' is not an IPv6 address", path, ln, w[1]);
		tmp->has_addr = true;
	} else if (!strcmp(w[0], "require-auth") || !strcmp(w[0], "kernel-state")) {
		NEED(1);
		bool b;
		if (!strcmp(w[1], "yes"))
			b = true;
		else if (!strcmp(w[1], "no"))
			b = false;
		else
			BAD("%s:%u: %s '%s': expected yes or no", path, ln, w[0], w[1]);
		if (w[0][0] == 'r') {
			tmp->require_auth = b;
			*require_set = true;
		} else {
			tmp->kernel_state = b;
		}
	} else if (!strcmp(w[0], "home-agent")) {
		struct in6_addr a;
		if (n != 2 && !(n == 4 && !strcmp(w[2], "preference")))
			BAD("%s:%u: expected 'home-agent ADDRESS [preference N]'", path, ln);
		if (inet_pton(AF_INET6, w[1], &a) != 1)
			BAD("%s:%u: home-agent '%s' is not an IPv6 address", path, ln, w[1]);
		v = 0;
		if (n == 4 && num(w[3], 0, 65535, &v))
			BAD("%s:%u: preference '%s': expected 0..65535", path, ln, w[3]);
		if (tmp->n_peers == MOBD_MAX_HAS)
			BAD("%s:%u: more than %d home-agent lines", path, ln, MOBD_MAX_HAS);
		tmp->peers[tmp->n_peers] = a;
		tmp->peer_pref[tmp->n_peers++] = (unsigned)v;
	} else if (!strcmp(w[0], "mn-deny")) {
		NEED(1);
		if (tmp->n_deny == MOBD_MAX_HAS)
			BAD("%s:%u: more than %d mn-deny lines", path, ln, MOBD_MAX_HAS);
		if (net_prefix(e, path, ln, w[0], w[1], &tmp->deny[tmp->n_deny],
			       &tmp->deny_plen[tmp->n_deny]))
			tmp->n_deny++;
	} else if (!strcmp(w[0], "mn-key")) {
		struct mobd_key *k = &tmp->keys[tmp->n_keys];
		NEED(3);
		if (tmp->n_keys == MOBD_MAX_KEYS)
			BAD("%s:%u: more than %d mn-key lines", path, ln, MOBD_MAX_KEYS);
		memset(k, 0, sizeof *k);
		if (!strcmp(w[1], "*"))
			k->any = true;
		else if (inet_pton(AF_INET6, w[1], &k->hoa) != 1)
			BAD("%s:%u: mn-key '%s': expected a home address or *", path, ln, w[1]);
		if (num(w[2], 256, 0xffffffffUL, &v))
			BAD("%s:%u: SPI '%s': expected 256..4294967295 (0-255 are reserved, RFC 4285)",
			    path, ln, w[2]);
		k->spi = (uint32_t)v;
		if (hexkey(w[3], k->key, sizeof k->key, &k->keylen))
			BAD("%s:%u: key '%s': expected 1 to 64 octets in hex", path, ln, w[3]);
		tmp->n_keys++;
	} else if (!strcmp(w[0], "home-address")) {
		NEED(1);
		if (inet_pton(AF_INET6, w[1], &tmp->hoa) != 1)
			BAD("%s:%u: home-address '%s' is not an IPv6 address", path, ln, w[1]);
		tmp->has_hoa = true;
	} else if (!strcmp(w[0], "ha")) {
		NEED(1);
		if (inet_pton(AF_INET6, w[1], &tmp->ha) != 1)
			BAD("%s:%u: ha '%s' is not an IPv6 address", path, ln, w[1]);
		tmp->has_ha = true;
	} else if (!strcmp(w[0], "key")) {
		NEED(2);
		if (num(w[1], 256, 0xffffffffUL, &v))
			BAD("%s:%u: SPI '%s': expected 256..4294967295", path, ln, w[1]);
		tmp->spi = (uint32_t)v;
		if (hexkey(w[2], tmp->key, sizeof tmp->key, &tmp->keylen))
			BAD("%s:%u: key '%s': expected 1 to 64 octets in hex", path, ln, w[2]);
	} else if (!strcmp(w[0], "profile")) {
		NEED(1);
		if (mk_cp_profile(&tmp->cp, w[1]).err != MK_E_OK)
			BAD("%s:%u: profile '%s': expected default or paper", path, ln, w[1]);
	} else if (!strcmp(w[0], "codepoint")) {
		NEED(1);
		if (mk_cp_set(&tmp->cp, w[1]).err != MK_E_OK)
			BAD("%s:%u: codepoint '%s': expected NAME=VALUE (mobwire codepoints)", path, ln,
			    w[1]);
	}
#undef NEED
#undef BAD
}

/* the line of keyword name's first occurrence, 0 if absent */
static unsigned seen_at(const unsigned *seen, const char *name)
{
	for (size_t k = 0; k < N_KWS; k++)
		if (!strcmp(kws[k].name, name))
			return seen[k];
	return 0;
}

/* the checks of the whole file, once every line is read */
static void whole_file(struct errs *e, const char *path, struct mobd_conf *tmp,
		       const unsigned *seen, bool require_set)
{
	unsigned role_ln = seen_at(seen, "role"), prefix_ln = seen_at(seen, "home-prefix");
	if (tmp->role == ROLE_NONE) {
		if (!role_ln) /* a bad role line was reported already */
			bad(e, "%s: no 'role home-agent' or 'role mobile-node' line", path);
	} else {
		/* a keyword of the other role would be ignored: refuse it */
		int other = tmp->role == ROLE_HA ? R_MN : R_HA;
		unsigned after = 0;
		for (;;) { /* in line order */
			size_t k = N_KWS;
			for (size_t j = 0; j < N_KWS; j++)
				if (seen[j] > after && kws[j].role == other &&
				    (k == N_KWS || seen[j] < seen[k]))
					k = j;
			if (k == N_KWS)
				break;
			after = seen[k];
			bad(e, "%s:%u: '%s' is a %s keyword; this file is for a %s (role at line %u)",
			    path, seen[k], kws[k].name,
			    other == R_HA ? "home-agent" : "mobile-node",
			    tmp->role == ROLE_HA ? "home agent" : "mobile node", role_ln);
		}
	}
	if (!seen_at(seen, "interface"))
		bad(e, "%s: no 'interface' line", path);
	if (tmp->role == ROLE_HA && !tmp->has_prefix && !prefix_ln)
		bad(e, "%s: a home agent needs 'home-prefix'", path);
	if (tmp->role == ROLE_MN && !tmp->has_prefix && !tmp->has_hoa && !prefix_ln)
		bad(e, "%s: a mobile node needs 'home-prefix' or 'home-address'", path);
	if (tmp->role == ROLE_MN && tmp->has_hoa && !tmp->has_prefix) {
		tmp->home_prefix = tmp->hoa;
		memset(tmp->home_prefix.s6_addr + 8, 0, 8);
		tmp->home_plen = 64;
		tmp->has_prefix = true;
	}
	if (tmp->role == ROLE_MN && tmp->has_hoa && tmp->has_prefix &&
	    !in_prefix(&tmp->hoa, &tmp->home_prefix, tmp->home_plen))
		bad(e, "%s: home-address is not in home-prefix", path);
	if (tmp->role == ROLE_HA && !require_set)
		tmp->require_auth = tmp->n_keys > 0;
	if (tmp->role == ROLE_HA && tmp->refresh && tmp->refresh >= tmp->max_lifetime)
		bad(e, "%s: refresh %u must be less than max-lifetime %u (RFC 6275 6.2.4)", path,
		    tmp->refresh, tmp->max_lifetime);
}

int conf_load(const char *path, struct mobd_conf *c, FILE *errf)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned ln = 0, seen[N_KWS] = { 0 };
	bool require_set = false;
	struct mobd_conf tmp;
	struct errs e = { errf, 0 };

	if (!f) {
		bad(&e, "%s: %s", path, strerror(errno));
		return 1;
	}
	defaults(&tmp);
	while ((len = getline(&line, &cap, f)) > 0) {
		char *w[8], *save = NULL, *p, *nul;
		int n = 0;
		ln++;
		if ((nul = memchr(line, 0, (size_t)len))) {
			bad(&e, "%s:%u: NUL byte at column %zu", path, ln, (size_t)(nul - line) + 1);
			continue;
		}
		if (len > MAX_LINE + 1 || (len == MAX_LINE + 1 && line[len - 1] != '\n')) {
			bad(&e, "%s:%u: line longer than %d characters", path, ln, MAX_LINE);
			continue;
		}
		if ((p = strchr(line, '#')))
			*p = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p && n < 8; p = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = p;
		if (n == 0)
			continue;
		size_t k;
		for (k = 0; k < N_KWS && strcmp(kws[k].name, w[0]); k++)
			;
		if (k == N_KWS) {
			bad(&e, "%s:%u: unknown keyword '%s'", path, ln, w[0]);
			continue;
		}
		if (seen[k] && !kws[k].multi) {
			bad(&e, "%s:%u: '%s' given twice (first at line %u)", path, ln, w[0], seen[k]);
			continue;
		}
		seen[k] = ln;
		statement(&e, path, ln, w, n, &kws[k], &tmp, &require_set);
	}
	if (ferror(f))
		bad(&e, "%s: read error: %s", path, strerror(errno));
	free(line);
	fclose(f);
	whole_file(&e, path, &tmp, seen, require_set);
	if (e.n)
		return (int)e.n;
	*c = tmp;
	return 0;
}

void conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN], cps[512];
	fprintf(f, "role %s\ninterface %s\ntun %s\ncontrol %s\n",
		c->role == ROLE_HA ? "home-agent" : "mobile-node", c->iface, c->tun, c->ctl_path);
	if (c->has_prefix)
		fprintf(f, "home-prefix %s/%u\n", inet_ntop(AF_INET6, &c->home_prefix, a, sizeof a),
			c->home_plen);
	fprintf(f, "mtu %u\nerror-rate %u\nerror-burst %u\n", c->mtu, c->err_rate, c->err_burst);
	if (c->role == ROLE_HA) {
		if (c->has_addr)
			fprintf(f, "address %s\n", inet_ntop(AF_INET6, &c->addr, a, sizeof a));
		fprintf(f, "max-bindings %u\nmax-lifetime %u\nrefresh %u\npreference %u\n"
			   "replay-window %u\nrequire-auth %s\nkernel-state %s\n",
			c->max_bindings, c->max_lifetime, c->refresh, c->preference, c->replay_window,
			c->require_auth ? "yes" : "no", c->kernel_state ? "yes" : "no");
		for (unsigned i = 0; i < c->n_peers; i++)
			fprintf(f, "home-agent %s preference %u\n",
				inet_ntop(AF_INET6, &c->peers[i], a, sizeof a), c->peer_pref[i]);
		for (unsigned i = 0; i < c->n_deny; i++)
			fprintf(f, "mn-deny %s/%u\n", inet_ntop(AF_INET6, &c->deny[i], a, sizeof a),
				c->deny_plen[i]);
		for (unsigned i = 0; i < c->n_keys; i++)
			fprintf(f, "mn-key %s %u (%zu-octet key)\n",
				c->keys[i].any ? "*" : inet_ntop(AF_INET6, &c->keys[i].hoa, a, sizeof a),
				c->keys[i].spi, c->keys[i].keylen);
	} else {
		if (c->has_hoa)
			fprintf(f, "home-address %s\n", inet_ntop(AF_INET6, &c->hoa, a, sizeof a));
		else
			fprintf(f, "home-address (learned at start from the home link)\n");
		if (c->has_ha)
			fprintf(f, "ha %s\n", inet_ntop(AF_INET6, &c->ha, a, sizeof a));
		else
			fprintf(f, "ha (dynamic home agent address discovery)\n");
		fprintf(f, "lifetime %u\nfirstreg-timeout %u\n", c->lifetime, c->firstreg_ms);
		if (c->keylen)
			fprintf(f, "key %u (%zu-octet key)\n", c->spi, c->keylen);
	}
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
