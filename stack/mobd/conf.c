/* stack/mobd/conf.c: the configuration file (doc/mobd.conf.5 lists every
 * keyword).  One statement per line, words separated by blanks, '#' starts
 * a comment.  Every error names the file, the line and the bad word; a
 * file with any error is refused as a whole. */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
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
	c->cp = mk_cp_default;
}

#define BAD(...)                                                                          \
	do {                                                                              \
		snprintf(err, errlen, __VA_ARGS__);                                       \
		goto fail;                                                                \
	} while (0)

int conf_load(const char *path, struct mobd_conf *c, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	char line[512];
	unsigned ln = 0;
	bool require_set = false;
	struct mobd_conf tmp;

	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	defaults(&tmp);
	while (fgets(line, sizeof line, f)) {
		char *w[8], *save = NULL, *p;
		int n = 0;
		unsigned long v;
		ln++;
		if (!strchr(line, '\n') && !feof(f))
			BAD("%s:%u: line longer than %zu characters", path, ln, sizeof line - 2);
		if ((p = strchr(line, '#')))
			*p = 0;
		for (p = strtok_r(line, " \t\r\n", &save); p && n < 8; p = strtok_r(NULL, " \t\r\n", &save))
			w[n++] = p;
		if (n == 0)
			continue;
#define NEED(k)                                                                        \
	if (n != (k) + 1)                                                              \
	BAD("%s:%u: '%s' takes %d value%s, got %d", path, ln, w[0], k, (k) == 1 ? "" : "s", n - 1)
		if (!strcmp(w[0], "role")) {
			NEED(1);
			if (!strcmp(w[1], "home-agent"))
				tmp.role = ROLE_HA;
			else if (!strcmp(w[1], "mobile-node"))
				tmp.role = ROLE_MN;
			else
				BAD("%s:%u: role '%s': expected home-agent or mobile-node", path, ln, w[1]);
		} else if (!strcmp(w[0], "interface")) {
			NEED(1);
			if (strlen(w[1]) >= 16)
				BAD("%s:%u: interface name '%s' too long", path, ln, w[1]);
			snprintf(tmp.iface, sizeof tmp.iface, "%s", w[1]);
		} else if (!strcmp(w[0], "tun")) {
			NEED(1);
			if (strlen(w[1]) >= 16)
				BAD("%s:%u: tun name '%s' too long", path, ln, w[1]);
			snprintf(tmp.tun, sizeof tmp.tun, "%s", w[1]);
		} else if (!strcmp(w[0], "control")) {
			NEED(1);
			if (strlen(w[1]) >= sizeof tmp.ctl_path)
				BAD("%s:%u: control path '%s' too long", path, ln, w[1]);
			snprintf(tmp.ctl_path, sizeof tmp.ctl_path, "%s", w[1]);
		} else if (!strcmp(w[0], "home-prefix")) {
			NEED(1);
			if (prefix(w[1], &tmp.home_prefix, &tmp.home_plen) != 0)
				BAD("%s:%u: home-prefix '%s': expected ADDRESS/LENGTH", path, ln, w[1]);
			tmp.has_prefix = true;
		} else if (!strcmp(w[0], "address")) {
			NEED(1);
			if (inet_pton(AF_INET6, w[1], &tmp.addr) != 1)
				BAD("%s:%u: address '%s' is not an IPv6 address", path, ln, w[1]);
			tmp.has_addr = true;
		} else if (!strcmp(w[0], "max-bindings")) {
			NEED(1);
			if (num(w[1], 1, 16000000, &v))
				BAD("%s:%u: max-bindings '%s': expected 1..16000000", path, ln, w[1]);
			tmp.max_bindings = (unsigned)v;
		} else if (!strcmp(w[0], "max-lifetime")) {
			NEED(1);
			if (num(w[1], 4, MOBD_MAX_BINDING_LIFETIME_S, &v))
				BAD("%s:%u: max-lifetime '%s': expected 4..262140 seconds", path, ln, w[1]);
			tmp.max_lifetime = (unsigned)v;
		} else if (!strcmp(w[0], "refresh")) {
			NEED(1);
			if (num(w[1], 0, MOBD_MAX_BINDING_LIFETIME_S, &v))
				BAD("%s:%u: refresh '%s': expected 0..262140 seconds", path, ln, w[1]);
			tmp.refresh = (unsigned)v;
		} else if (!strcmp(w[0], "preference")) {
			NEED(1);
			if (num(w[1], 0, 65535, &v))
				BAD("%s:%u: preference '%s': expected 0..65535", path, ln, w[1]);
			tmp.preference = (unsigned)v;
		} else if (!strcmp(w[0], "replay-window")) {
			NEED(1);
			if (num(w[1], 1, 3600, &v))
				BAD("%s:%u: replay-window '%s': expected 1..3600 seconds", path, ln, w[1]);
			tmp.replay_window = (unsigned)v;
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
				tmp.require_auth = b;
				require_set = true;
			} else {
				tmp.kernel_state = b;
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
			if (tmp.n_peers == MOBD_MAX_HAS)
				BAD("%s:%u: more than %d home-agent lines", path, ln, MOBD_MAX_HAS);
			tmp.peers[tmp.n_peers] = a;
			tmp.peer_pref[tmp.n_peers++] = (unsigned)v;
		} else if (!strcmp(w[0], "mn-deny")) {
		NEED(1);
		if (tmp.n_deny == MOBD_MAX_HAS)
			BAD("%s:%u: more than %d mn-deny lines", path, ln, MOBD_MAX_HAS);
		if (prefix(w[1], &tmp.deny[tmp.n_deny], &tmp.deny_plen[tmp.n_deny]) != 0)
			BAD("%s:%u: mn-deny '%s': expected ADDRESS/LENGTH", path, ln, w[1]);
		tmp.n_deny++;
	} else if (!strcmp(w[0], "mn-key")) {
			struct mobd_key *k = &tmp.keys[tmp.n_keys];
			NEED(3);
			if (tmp.n_keys == MOBD_MAX_KEYS)
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
			tmp.n_keys++;
		} else if (!strcmp(w[0], "home-address")) {
			NEED(1);
			if (inet_pton(AF_INET6, w[1], &tmp.hoa) != 1)
				BAD("%s:%u: home-address '%s' is not an IPv6 address", path, ln, w[1]);
			tmp.has_hoa = true;
		} else if (!strcmp(w[0], "ha")) {
			NEED(1);
			if (inet_pton(AF_INET6, w[1], &tmp.ha) != 1)
				BAD("%s:%u: ha '%s' is not an IPv6 address", path, ln, w[1]);
			tmp.has_ha = true;
		} else if (!strcmp(w[0], "lifetime")) {
			NEED(1);
			if (num(w[1], 4, MOBD_MAX_BINDING_LIFETIME_S, &v))
				BAD("%s:%u: lifetime '%s': expected 4..262140 seconds", path, ln, w[1]);
			tmp.lifetime = (unsigned)v;
		} else if (!strcmp(w[0], "firstreg-timeout")) {
			NEED(1);
			if (num(w[1], 100, 60000, &v))
				BAD("%s:%u: firstreg-timeout '%s': expected 100..60000 ms", path, ln, w[1]);
			tmp.firstreg_ms = (unsigned)v;
		} else if (!strcmp(w[0], "key")) {
			NEED(2);
			if (num(w[1], 256, 0xffffffffUL, &v))
				BAD("%s:%u: SPI '%s': expected 256..4294967295", path, ln, w[1]);
			tmp.spi = (uint32_t)v;
			if (hexkey(w[2], tmp.key, sizeof tmp.key, &tmp.keylen))
				BAD("%s:%u: key '%s': expected 1 to 64 octets in hex", path, ln, w[2]);
		} else if (!strcmp(w[0], "mtu")) {
			NEED(1);
			if (num(w[1], 1280, 65000, &v))
				BAD("%s:%u: mtu '%s': expected 1280..65000", path, ln, w[1]);
			tmp.mtu = (unsigned)v;
		} else if (!strcmp(w[0], "profile")) {
			NEED(1);
			if (mk_cp_profile(&tmp.cp, w[1]).err != MK_E_OK)
				BAD("%s:%u: profile '%s': expected default or paper", path, ln, w[1]);
		} else if (!strcmp(w[0], "codepoint")) {
			NEED(1);
			if (mk_cp_set(&tmp.cp, w[1]).err != MK_E_OK)
				BAD("%s:%u: codepoint '%s': expected NAME=VALUE (mobwire codepoints)", path,
				    ln, w[1]);
		} else {
			BAD("%s:%u: unknown keyword '%s'", path, ln, w[0]);
		}
	}
	if (ferror(f))
		BAD("%s: read error", path);
	if (tmp.role == ROLE_NONE)
		BAD("%s: no 'role home-agent' or 'role mobile-node' line", path);
	if (!tmp.iface[0])
		BAD("%s: no 'interface' line", path);
	if (tmp.role == ROLE_HA && !tmp.has_prefix)
		BAD("%s: a home agent needs 'home-prefix'", path);
	if (tmp.role == ROLE_MN && !tmp.has_prefix && !tmp.has_hoa)
		BAD("%s: a mobile node needs 'home-prefix' or 'home-address'", path);
	if (tmp.role == ROLE_MN && tmp.has_hoa && !tmp.has_prefix) {
		tmp.home_prefix = tmp.hoa;
		memset(tmp.home_prefix.s6_addr + 8, 0, 8);
		tmp.home_plen = 64;
		tmp.has_prefix = true;
	}
	if (tmp.role == ROLE_MN && tmp.has_hoa && !in_prefix(&tmp.hoa, &tmp.home_prefix, tmp.home_plen))
		BAD("%s: home-address is not in home-prefix", path);
	if (tmp.role == ROLE_HA && !require_set)
		tmp.require_auth = tmp.n_keys > 0;
	if (tmp.refresh && tmp.refresh >= tmp.max_lifetime)
		BAD("%s: refresh %u must be less than max-lifetime %u (RFC 6275 6.2.4)", path,
		    tmp.refresh, tmp.max_lifetime);
	fclose(f);
	*c = tmp;
	return 0;
fail:
	fclose(f);
	return -1;
}

void conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN], cps[512];
	fprintf(f, "role %s\ninterface %s\ntun %s\ncontrol %s\n",
		c->role == ROLE_HA ? "home-agent" : "mobile-node", c->iface, c->tun, c->ctl_path);
	if (c->has_prefix)
		fprintf(f, "home-prefix %s/%u\n", inet_ntop(AF_INET6, &c->home_prefix, a, sizeof a),
			c->home_plen);
	fprintf(f, "mtu %u\n", c->mtu);
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
