/* lib/dns/tsig.c: TSIG (RFC 8945) through ldns: ldns computes and checks
 * the MAC; this file adds what ldns 1.8.3 leaves out: key files as BIND's
 * tsig-keygen writes them, the key-name and algorithm checks (BADKEY) with
 * their offsets, and the time window (BADTIME), which ldns does not test. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"

static const char *const alg_names[MK_TSIG__COUNT] = {
	[MK_TSIG_HMAC_MD5] = "hmac-md5.sig-alg.reg.int.",
	[MK_TSIG_HMAC_SHA1] = "hmac-sha1.",
	[MK_TSIG_HMAC_SHA224] = "hmac-sha224.",
	[MK_TSIG_HMAC_SHA256] = "hmac-sha256.",
	[MK_TSIG_HMAC_SHA384] = "hmac-sha384.",
	[MK_TSIG_HMAC_SHA512] = "hmac-sha512.",
};

const char *mk_tsig_alg_name(enum mk_tsig_alg a)
{
	return (unsigned)a < MK_TSIG__COUNT ? alg_names[a] : NULL;
}

int mk_tsig_alg_lookup(const char *name)
{
	size_t n = strlen(name);

	if (n && name[n - 1] == '.')
		n--;
	if (n == 8 && strncasecmp(name, "hmac-md5", 8) == 0)
		return MK_TSIG_HMAC_MD5;
	for (int a = 0; a < MK_TSIG__COUNT; a++)
		if (strlen(alg_names[a]) - 1 == n && strncasecmp(name, alg_names[a], n) == 0)
			return a;
	return -1;
}

struct mk_status mk_tsig_key_set(struct mk_tsig_key *k, const char *name, const char *alg,
				 const char *secret_b64)
{
	uint8_t w[MK_DNS_NAME_MAX], raw[512];
	size_t wl;
	int a = alg ? mk_tsig_alg_lookup(alg) : MK_TSIG_HMAC_SHA256;

	memset(k, 0, sizeof *k);
	if (mk_dns_name_from_str(name, w, &wl).err != MK_E_OK)
		return mk_fail(MK_E_DNS_NAME_TEXT, 0);
	if (a < 0)
		return mk_fail(MK_E_TSIG_ALG_UNKNOWN, 0);
	if (a == MK_TSIG_HMAC_SHA384)
		return mk_fail(MK_E_TSIG_ALG_UNSUPPORTED, 0);
	size_t sl = strlen(secret_b64);
	if (sl == 0 || sl >= sizeof k->secret || sl % 4 != 0 ||
	    sl / 4 * 3 > sizeof raw ||
	    EVP_DecodeBlock(raw, (const unsigned char *)secret_b64, (int)sl) < 0)
		return mk_fail(MK_E_TSIG_SECRET, 0);
	if (mk_dns_name_to_str(w, wl, k->name, sizeof k->name).err != MK_E_OK)
		return mk_fail(MK_E_DNS_NAME_TEXT, 0);
	k->alg = (enum mk_tsig_alg)a;
	memcpy(k->secret, secret_b64, sl + 1);
	return mk_ok();
}

/* Copy the token after `word` in text (quotes stripped, up to ';' or '}'). */
static int field(const char *text, const char *word, char *out, size_t cap, size_t *at)
{
	const char *p = text;
	size_t wl = strlen(word);

	while ((p = strstr(p, word)) != NULL) {
		if ((p == text || !isalnum((unsigned char)p[-1])) && isspace((unsigned char)p[wl]))
			break;
		p += wl;
	}
	if (!p)
		return -1;
	p += wl;
	while (isspace((unsigned char)*p))
		p++;
	*at = (size_t)(p - text);
	int quoted = *p == '"';
	if (quoted)
		p++;
	size_t n = 0;
	while (*p && n + 1 < cap && (quoted ? *p != '"' : (*p != ';' && *p != '{' && !isspace((unsigned char)*p))))
		out[n++] = *p++;
	out[n] = 0;
	if (quoted && *p != '"')
		return -1;
	return n ? 0 : -1;
}

struct mk_status mk_tsig_key_parse_bind(struct mk_tsig_key *k, const char *text)
{
	char name[MK_DNS_NAME_STR_MAX], alg[64], secret[512];
	size_t at = 0, nat, aat, sat;

	if (field(text, "key", name, sizeof name, &nat) != 0)
		return mk_fail(MK_E_TSIG_KEYFILE, at);
	if (field(text, "algorithm", alg, sizeof alg, &aat) != 0)
		return mk_fail(MK_E_TSIG_KEYFILE, nat);
	if (field(text, "secret", secret, sizeof secret, &sat) != 0)
		return mk_fail(MK_E_TSIG_KEYFILE, aat);
	struct mk_status st = mk_tsig_key_set(k, name, alg, secret);
	if (st.err == MK_E_DNS_NAME_TEXT)
		st.off = nat;
	else if (st.err == MK_E_TSIG_ALG_UNKNOWN || st.err == MK_E_TSIG_ALG_UNSUPPORTED)
		st.off = aat;
	else if (st.err == MK_E_TSIG_SECRET)
		st.off = sat;
	return st;
}

struct mk_status mk_tsig_key_load_bind(struct mk_tsig_key *k, const char *path)
{
	char text[4096];
	FILE *f = fopen(path, "r");

	if (!f)
		return mk_fail(MK_E_INVAL, 0);
	size_t n = fread(text, 1, sizeof text - 1, f);
	fclose(f);
	text[n] = 0;
	return mk_tsig_key_parse_bind(k, text);
}

/* The request MAC as the INT16_DATA rdf ldns wants (length-prefixed). */
static ldns_rdf *mac_rdf(const uint8_t *mac, size_t len)
{
	uint8_t b[2 + 512];

	if (!mac || len > 512)
		return NULL;
	b[0] = (uint8_t)(len >> 8);
	b[1] = (uint8_t)len;
	memcpy(b + 2, mac, len);
	return ldns_rdf_new_frm_data(LDNS_RDF_TYPE_INT16_DATA, 2 + len, b);
}

struct mk_status mk_tsig_sign(ldns_pkt *p, const struct mk_tsig_key *k, uint16_t fudge,
			      const uint8_t *req_mac, size_t req_mac_len)
{
	ldns_rdf *rm = req_mac ? mac_rdf(req_mac, req_mac_len) : NULL;

	if (req_mac && !rm)
		return mk_fail(MK_E_INVAL, 0);
	ldns_status s = ldns_pkt_tsig_sign(p, k->name, k->secret, fudge ? fudge : 300,
					   alg_names[k->alg], rm);
	ldns_rdf_deep_free(rm);
	return s == LDNS_STATUS_OK ? mk_ok() : mk_fail(MK_E_TSIG_SIGN, 0);
}

/* Parse msg into m and find its TSIG record. */
static struct mk_status find_tsig(const uint8_t *msg, size_t len, struct mk_dns_msg *m,
				  const struct mk_dns_rec **r)
{
	struct mk_status st = mk_dns_msg_parse(msg, len, m, NULL);

	if (st.err != MK_E_OK)
		return st;
	if (!m->has_tsig)
		return mk_fail(MK_E_TSIG_MISSING, len);
	*r = &m->rec[m->tsig_idx];
	return mk_ok();
}

struct mk_status mk_tsig_mac(const uint8_t *msg, size_t len, uint8_t *mac, size_t cap,
			     size_t *maclen)
{
	static struct mk_dns_msg m;
	const struct mk_dns_rec *r = NULL;
	struct mk_status st = find_tsig(msg, len, &m, &r);

	*maclen = 0;
	if (st.err != MK_E_OK)
		return st;
	if (r->rd.tsig.mac_len > cap)
		return mk_fail(MK_E_NOSPACE, r->rd.tsig.mac_off);
	memcpy(mac, msg + r->rd.tsig.mac_off, r->rd.tsig.mac_len);
	*maclen = r->rd.tsig.mac_len;
	return mk_ok();
}

struct mk_status mk_tsig_verify(const uint8_t *msg, size_t len, const struct mk_tsig_key *k,
				const uint8_t *req_mac, size_t req_mac_len, time_t now)
{
	static struct mk_dns_msg m;
	uint8_t kn[MK_DNS_NAME_MAX], on[MK_DNS_NAME_MAX], an[MK_DNS_NAME_MAX], kan[MK_DNS_NAME_MAX];
	size_t knl, onl, anl, kanl, next;
	const struct mk_dns_rec *r = NULL;
	struct mk_status st = find_tsig(msg, len, &m, &r);

	if (st.err != MK_E_OK)
		return st;
	if (mk_dns_name_from_str(k->name, kn, &knl).err != MK_E_OK ||
	    mk_dns_name_read(msg, len, r->off, on, &onl, &next, 1).err != MK_E_OK ||
	    !mk_dns_name_eq(kn, knl, on, onl))
		return mk_fail(MK_E_TSIG_KEYNAME, r->off);
	if (mk_dns_name_from_str(alg_names[k->alg], kan, &kanl).err != MK_E_OK ||
	    mk_dns_name_read(msg, len, r->rd.tsig.alg_off, an, &anl, &next, 1).err != MK_E_OK ||
	    !mk_dns_name_eq(kan, kanl, an, anl))
		return mk_fail(MK_E_TSIG_ALG_MISMATCH, r->rd.tsig.alg_off);

	ldns_pkt *p = NULL;
	if (ldns_wire2pkt(&p, msg, len) != LDNS_STATUS_OK)
		return mk_fail(MK_E_DNS_LDNS, 0);
	ldns_rdf *rm = req_mac ? mac_rdf(req_mac, req_mac_len) : NULL;
	bool good = ldns_pkt_tsig_verify(p, msg, len, k->name, k->secret, rm);
	ldns_rdf_deep_free(rm);
	ldns_pkt_free(p);
	if (!good)
		return mk_fail(MK_E_TSIG_BAD_MAC, r->rd.tsig.mac_off);
	/* RFC 8945 5.2.3: the time is checked after the MAC */
	int64_t t = (int64_t)(now ? now : time(NULL));
	int64_t d = t - (int64_t)r->rd.tsig.time_signed;
	if (d < 0)
		d = -d;
	if (d > r->rd.tsig.fudge)
		return mk_fail(MK_E_TSIG_TIME, r->rd.tsig.mac_off - 10);
	return mk_ok();
}
