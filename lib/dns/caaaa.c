/* lib/dns/caaaa.c: the CAAAA record of the server-mobility design (one
 * care-of address, the AAAA layout) on the codepoint in force.  ldns does
 * not know the type: its RDATA is one LDNS_RDF_TYPE_UNKNOWN rdf of 16
 * octets, which is what ldns's own wire and "\#" parsers make of it. */
#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "wire/cursor.h"

struct mk_status mk_caaaa_parse(const uint8_t *buf, size_t len, struct mk_caaaa *out,
				const struct mk_codepoints *cp)
{
	size_t next;
	struct mk_status st = mk_dns_name_read(buf, len, 0, out->owner, &out->owner_len, &next, 0);

	if (st.err != MK_E_OK)
		return st;
	/* the RR stands alone: a pointer could only point into itself */
	if (next != out->owner_len)
		return mk_fail(MK_E_DNS_PTR_FORWARD, next - 2);
	if (len - next < 10)
		return mk_fail(MK_E_TRUNC, next);
	if (mk_load16(buf + next) != mk_cp(cp, MK_CP_CAAAA_TYPE))
		return mk_fail(MK_E_CAAAA_TYPE, next);
	if (mk_load16(buf + next + 2) != MK_DNS_C_IN)
		return mk_fail(MK_E_CAAAA_CLASS, next + 2);
	out->ttl = mk_load32(buf + next + 4);
	uint16_t rdlen = mk_load16(buf + next + 8);
	if (rdlen != 16)
		return mk_fail(MK_E_CAAAA_RDLEN, next + 8);
	if (len - next - 10 < 16)
		return mk_fail(MK_E_TRUNC, next + 10);
	memcpy(out->coa, buf + next + 10, 16);
	if (len != next + 26)
		return mk_fail(MK_E_TRAILING, next + 26);
	return mk_ok();
}

struct mk_status mk_caaaa_build(uint8_t *buf, size_t cap, const struct mk_caaaa *in,
				const struct mk_codepoints *cp, size_t *outlen)
{
	struct mk_wr w;
	uint8_t chk[MK_DNS_NAME_MAX];
	size_t cl, next;

	*outlen = 0;
	if (in->owner_len == 0 || in->owner_len > MK_DNS_NAME_MAX)
		return mk_fail(MK_E_DNS_NAME_LEN, 0);
	struct mk_status st = mk_dns_name_read(in->owner, in->owner_len, 0, chk, &cl, &next, 0);
	if (st.err != MK_E_OK)
		return st;
	if (next != in->owner_len)
		return mk_fail(MK_E_DNS_NAME_TEXT, next);
	mk_wr_init(&w, buf, cap);
	mk_wr_bytes(&w, in->owner, in->owner_len);
	mk_wr_u16(&w, (uint16_t)mk_cp(cp, MK_CP_CAAAA_TYPE));
	mk_wr_u16(&w, MK_DNS_C_IN);
	mk_wr_u32(&w, in->ttl);
	mk_wr_u16(&w, 16);
	mk_wr_bytes(&w, in->coa, 16);
	st = mk_wr_status(&w);
	if (st.err == MK_E_OK)
		*outlen = w.off;
	return st;
}

struct mk_status mk_caaaa_rr_new(ldns_rr **out, const char *owner, uint32_t ttl,
				 const uint8_t coa[16], const struct mk_codepoints *cp)
{
	ldns_rdf *o = NULL, *rd = NULL;
	ldns_rr *rr = NULL;

	*out = NULL;
	if (ldns_str2rdf_dname(&o, owner) != LDNS_STATUS_OK)
		return mk_fail(MK_E_DNS_NAME_TEXT, 0);
	rd = ldns_rdf_new_frm_data(LDNS_RDF_TYPE_UNKNOWN, 16, coa);
	rr = ldns_rr_new();
	if (!rd || !rr) {
		ldns_rdf_deep_free(o);
		ldns_rdf_deep_free(rd);
		ldns_rr_free(rr);
		return mk_fail(MK_E_DNS_LDNS, 0);
	}
	ldns_rr_set_owner(rr, o);
	ldns_rr_set_type(rr, (ldns_rr_type)mk_cp(cp, MK_CP_CAAAA_TYPE));
	ldns_rr_set_class(rr, LDNS_RR_CLASS_IN);
	ldns_rr_set_ttl(rr, ttl);
	ldns_rr_push_rdf(rr, rd);
	*out = rr;
	return mk_ok();
}

struct mk_status mk_caaaa_rr_get(const ldns_rr *rr, uint8_t coa[16], const struct mk_codepoints *cp)
{
	size_t n = 0;

	if ((unsigned)ldns_rr_get_type(rr) != mk_cp(cp, MK_CP_CAAAA_TYPE))
		return mk_fail(MK_E_CAAAA_TYPE, 0);
	if (ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN)
		return mk_fail(MK_E_CAAAA_CLASS, 0);
	/* whatever rdf layout ldns chose, the RDATA octets must be 16 */
	for (size_t i = 0; i < ldns_rr_rd_count(rr); i++) {
		const ldns_rdf *f = ldns_rr_rdf(rr, i);
		if (n + ldns_rdf_size(f) > 16)
			return mk_fail(MK_E_CAAAA_RDLEN, 0);
		memcpy(coa + n, ldns_rdf_data(f), ldns_rdf_size(f));
		n += ldns_rdf_size(f);
	}
	if (n != 16)
		return mk_fail(MK_E_CAAAA_RDLEN, 0);
	return mk_ok();
}

struct mk_status mk_caaaa_rr_to_str(const ldns_rr *rr, enum mk_caaaa_form form, char *buf,
				    size_t cap, const struct mk_codepoints *cp)
{
	uint8_t coa[16];
	char a[INET6_ADDRSTRLEN];
	struct mk_status st = mk_caaaa_rr_get(rr, coa, cp);
	int n;

	if (st.err != MK_E_OK)
		return st;
	char *owner = ldns_rdf2str(ldns_rr_owner(rr));
	if (!owner)
		return mk_fail(MK_E_DNS_LDNS, 0);
	if (form == MK_CAAAA_NAMED) {
		inet_ntop(AF_INET6, coa, a, sizeof a);
		n = snprintf(buf, cap, "%s %u IN CAAAA %s", owner, ldns_rr_ttl(rr), a);
	} else {
		char hex[33];
		for (int i = 0; i < 16; i++)
			snprintf(hex + 2 * i, 3, "%02x", coa[i]);
		n = snprintf(buf, cap, "%s %u IN TYPE%u \\# 16 %s", owner, ldns_rr_ttl(rr),
			     (unsigned)mk_cp(cp, MK_CP_CAAAA_TYPE), hex);
	}
	free(owner);
	return n < 0 || (size_t)n >= cap ? mk_fail(MK_E_NOSPACE, 0) : mk_ok();
}

/* Next whitespace-separated token of s at *i: its start and length. */
static size_t token(const char *s, size_t *i, size_t *start)
{
	while (s[*i] && isspace((unsigned char)s[*i]))
		(*i)++;
	*start = *i;
	while (s[*i] && !isspace((unsigned char)s[*i]))
		(*i)++;
	return *i - *start;
}

static int tok_is(const char *s, size_t st, size_t n, const char *w)
{
	return strlen(w) == n && strncasecmp(s + st, w, n) == 0;
}

static int hexval(int c)
{
	return isdigit(c) ? c - '0' : isxdigit(c) ? tolower(c) - 'a' + 10 : -1;
}

struct mk_status mk_caaaa_rr_from_str(ldns_rr **out, const char *text, const struct mk_codepoints *cp)
{
	size_t i = 0, st0, n;
	char owner[MK_DNS_NAME_STR_MAX], word[64];
	uint32_t ttl = 0;
	uint8_t coa[16];

	*out = NULL;
	n = token(text, &i, &st0);
	if (n == 0 || n >= sizeof owner)
		return mk_fail(MK_E_CAAAA_TEXT, st0);
	memcpy(owner, text + st0, n);
	owner[n] = 0;
	uint8_t wire[MK_DNS_NAME_MAX];
	size_t wl;
	if (mk_dns_name_from_str(owner, wire, &wl).err != MK_E_OK)
		return mk_fail(MK_E_DNS_NAME_TEXT, st0);

	n = token(text, &i, &st0);
	if (n && isdigit((unsigned char)text[st0])) {
		char *end;
		unsigned long v = strtoul(text + st0, &end, 10);
		if ((size_t)(end - text) != st0 + n || v > 0x7fffffffUL)
			return mk_fail(MK_E_CAAAA_TEXT, st0);
		ttl = (uint32_t)v;
		n = token(text, &i, &st0);
	}
	if (n && (tok_is(text, st0, n, "IN") || tok_is(text, st0, n, "CH") ||
		  tok_is(text, st0, n, "HS") || tok_is(text, st0, n, "ANY"))) {
		if (!tok_is(text, st0, n, "IN"))
			return mk_fail(MK_E_CAAAA_CLASS, st0);
		n = token(text, &i, &st0);
	}
	if (n == 0 || n >= sizeof word)
		return mk_fail(MK_E_CAAAA_TEXT, st0);
	memcpy(word, text + st0, n);
	word[n] = 0;
	size_t type_at = st0;

	if (strcasecmp(word, "CAAAA") == 0) {
		n = token(text, &i, &st0);
		if (n == 0 || n >= sizeof word)
			return mk_fail(MK_E_CAAAA_ADDR, st0);
		memcpy(word, text + st0, n);
		word[n] = 0;
		if (inet_pton(AF_INET6, word, coa) != 1)
			return mk_fail(MK_E_CAAAA_ADDR, st0);
	} else if (strncasecmp(word, "TYPE", 4) == 0 && isdigit((unsigned char)word[4])) {
		char *end;
		unsigned long t = strtoul(word + 4, &end, 10);
		if (*end || t != mk_cp(cp, MK_CP_CAAAA_TYPE))
			return mk_fail(MK_E_CAAAA_TYPE, type_at);
		n = token(text, &i, &st0);
		if (!tok_is(text, st0, n, "\\#"))
			return mk_fail(MK_E_CAAAA_TEXT, st0);
		n = token(text, &i, &st0);
		size_t len_at = st0;
		if (!tok_is(text, st0, n, "16"))
			return mk_fail(MK_E_CAAAA_RDLEN, len_at);
		/* hex may be split into several tokens (RFC 3597 5) */
		size_t got = 0;
		int hi = -1;
		while ((n = token(text, &i, &st0)) > 0) {
			for (size_t k = 0; k < n; k++) {
				int v = hexval((unsigned char)text[st0 + k]);
				if (v < 0)
					return mk_fail(MK_E_CAAAA_TEXT, st0 + k);
				if (hi < 0) {
					hi = v;
					continue;
				}
				if (got == 16)
					return mk_fail(MK_E_CAAAA_RDLEN, len_at);
				coa[got++] = (uint8_t)(hi << 4 | v);
				hi = -1;
			}
		}
		if (got != 16 || hi >= 0)
			return mk_fail(MK_E_CAAAA_RDLEN, len_at);
	} else {
		return mk_fail(MK_E_CAAAA_TYPE, type_at);
	}
	if (token(text, &i, &st0) != 0)
		return mk_fail(MK_E_CAAAA_TEXT, st0);
	return mk_caaaa_rr_new(out, owner, ttl, coa, cp);
}
