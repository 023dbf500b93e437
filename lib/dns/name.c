/* lib/dns/name.c: domain names in wire and presentation form, and the name
 * tables of the DNS family.  Strict: compression pointers must point before
 * the name that uses them (which also rules out loops), label types 0x40
 * and 0x80 are refused, and a name is at most 255 octets uncompressed. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "dns/dns.h"
#include "wire/cursor.h"

struct mk_status mk_dns_name_read(const uint8_t *msg, size_t len, size_t off,
				  uint8_t out[MK_DNS_NAME_MAX], size_t *outlen, size_t *next,
				  int lower)
{
	size_t o = 0, p = off, limit = off; /* a pointer must go below limit */
	int jumped = 0;

	for (;;) {
		if (p >= len)
			return mk_fail(MK_E_TRUNC, p);
		uint8_t l = msg[p];
		if ((l & 0xc0) == 0xc0) {
			if (p + 1 >= len)
				return mk_fail(MK_E_TRUNC, p);
			size_t target = (size_t)(l & 0x3f) << 8 | msg[p + 1];
			if (target >= limit)
				return mk_fail(MK_E_DNS_PTR_FORWARD, p);
			/* the header is no name: following a pointer there would make
			 * names change with the counts (and a signer's ARCOUNT) */
			if (target < MK_DNS_HDR_LEN)
				return mk_fail(MK_E_DNS_PTR_HEADER, p);
			if (!jumped && next)
				*next = p + 2;
			jumped = 1;
			limit = target;
			p = target;
			continue;
		}
		if (l & 0xc0)
			return mk_fail(MK_E_DNS_LABEL_TYPE, p);
		if (o + 1 + l > MK_DNS_NAME_MAX)
			return mk_fail(MK_E_DNS_NAME_LEN, p);
		if (p + 1 + l > len)
			return mk_fail(MK_E_TRUNC, p);
		out[o++] = l;
		for (size_t i = 0; i < l; i++) {
			uint8_t c = msg[p + 1 + i];
			out[o++] = lower ? (uint8_t)tolower(c) : c;
		}
		p += 1 + (size_t)l;
		if (l == 0)
			break;
	}
	if (!jumped && next)
		*next = p;
	*outlen = o;
	return mk_ok();
}

struct mk_status mk_dns_name_to_str(const uint8_t *name, size_t len, char *out, size_t cap)
{
	size_t o = 0, p = 0;

	if (cap < 2)
		return mk_fail(MK_E_NOSPACE, 0);
	if (len == 0 || name[0] == 0) {
		strcpy(out, ".");
		return mk_ok();
	}
	while (p < len && name[p]) {
		uint8_t l = name[p];
		if (p + 1 + l > len)
			return mk_fail(MK_E_TRUNC, p);
		for (size_t i = 0; i < l; i++) {
			uint8_t c = name[p + 1 + i];
			char esc[5];
			if (c == '.' || c == '\\' || c == '"' || c == ';' || c == '(' || c == ')')
				snprintf(esc, sizeof esc, "\\%c", c);
			else if (c <= 0x20 || c >= 0x7f)
				snprintf(esc, sizeof esc, "\\%03u", c);
			else {
				esc[0] = (char)c;
				esc[1] = 0;
			}
			size_t el = strlen(esc);
			if (o + el + 2 > cap)
				return mk_fail(MK_E_NOSPACE, p);
			memcpy(out + o, esc, el);
			o += el;
		}
		out[o++] = '.';
		p += 1 + (size_t)l;
	}
	out[o] = 0;
	return mk_ok();
}

struct mk_status mk_dns_name_from_str(const char *s, uint8_t out[MK_DNS_NAME_MAX], size_t *outlen)
{
	size_t o = 0, i = 0, n = strlen(s);

	*outlen = 0;
	if (n == 0)
		return mk_fail(MK_E_DNS_NAME_TEXT, 0);
	if (strcmp(s, ".") == 0) {
		out[0] = 0;
		*outlen = 1;
		return mk_ok();
	}
	while (i < n) {
		size_t lpos = o++;
		uint8_t l = 0;
		if (s[i] == '.')
			return mk_fail(MK_E_DNS_NAME_TEXT, i); /* empty label */
		while (i < n && s[i] != '.') {
			unsigned c = (unsigned char)s[i++];
			if (c == '\\') {
				if (i < n && isdigit((unsigned char)s[i])) {
					if (i + 3 > n || !isdigit((unsigned char)s[i + 1]) ||
					    !isdigit((unsigned char)s[i + 2]))
						return mk_fail(MK_E_DNS_NAME_TEXT, i - 1);
					c = (unsigned)(s[i] - '0') * 100 + (unsigned)(s[i + 1] - '0') * 10 +
					    (unsigned)(s[i + 2] - '0');
					if (c > 255)
						return mk_fail(MK_E_DNS_NAME_TEXT, i - 1);
					i += 3;
				} else if (i < n) {
					c = (unsigned char)s[i++];
				} else
					return mk_fail(MK_E_DNS_NAME_TEXT, i - 1);
			}
			if (l == 63)
				return mk_fail(MK_E_DNS_NAME_TEXT, i - 1);
			if (o + 1 >= MK_DNS_NAME_MAX)
				return mk_fail(MK_E_DNS_NAME_LEN, i - 1);
			out[o++] = (uint8_t)c;
			l++;
		}
		out[lpos] = l;
		if (i < n)
			i++; /* the dot */
	}
	if (o + 1 > MK_DNS_NAME_MAX)
		return mk_fail(MK_E_DNS_NAME_LEN, n);
	out[o++] = 0;
	*outlen = o;
	return mk_ok();
}

int mk_dns_name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
	if (alen != blen)
		return 0;
	for (size_t i = 0; i < alen; i++)
		if (tolower(a[i]) != tolower(b[i]))
			return 0;
	return 1;
}

/* ---- name tables ---- */

const char *mk_dns_rcode_name(unsigned rcode)
{
	static const char *const n[] = {
		"NOERROR", "FORMERR", "SERVFAIL", "NXDOMAIN", "NOTIMP", "REFUSED", "YXDOMAIN",
		"YXRRSET", "NXRRSET", "NOTAUTH", "NOTZONE", "DSOTYPENI", NULL, NULL, NULL, NULL,
		"BADSIG", "BADKEY", "BADTIME", "BADMODE", "BADNAME", "BADALG", "BADTRUNC",
		"BADCOOKIE",
	};
	return rcode < sizeof n / sizeof n[0] ? n[rcode] : NULL;
}

const char *mk_dns_opcode_name(unsigned opcode)
{
	static const char *const n[] = { "QUERY", "IQUERY", "STATUS", NULL, "NOTIFY", "UPDATE", "DSO" };
	return opcode < sizeof n / sizeof n[0] ? n[opcode] : NULL;
}

const char *mk_dns_type_name(unsigned type, const struct mk_codepoints *cp)
{
	if (type == mk_cp(cp, MK_CP_CAAAA_TYPE))
		return "CAAAA";
	switch (type) {
	case MK_DNS_T_A: return "A";
	case MK_DNS_T_NS: return "NS";
	case MK_DNS_T_CNAME: return "CNAME";
	case MK_DNS_T_SOA: return "SOA";
	case MK_DNS_T_MX: return "MX";
	case MK_DNS_T_TXT: return "TXT";
	case MK_DNS_T_SIG: return "SIG";
	case MK_DNS_T_KEY: return "KEY";
	case MK_DNS_T_AAAA: return "AAAA";
	case MK_DNS_T_OPT: return "OPT";
	case MK_DNS_T_TKEY: return "TKEY";
	case MK_DNS_T_TSIG: return "TSIG";
	case MK_DNS_T_IXFR: return "IXFR";
	case MK_DNS_T_AXFR: return "AXFR";
	case MK_DNS_T_MAILB: return "MAILB";
	case MK_DNS_T_MAILA: return "MAILA";
	case MK_DNS_T_ANY: return "ANY";
	}
	return NULL;
}

const char *mk_dns_class_name(unsigned cls)
{
	switch (cls) {
	case MK_DNS_C_IN: return "IN";
	case 3: return "CH";
	case 4: return "HS";
	case MK_DNS_C_NONE: return "NONE";
	case MK_DNS_C_ANY: return "ANY";
	}
	return NULL;
}

const char *mk_dns_section_name(unsigned section, int update)
{
	static const char *const q[] = { "question", "answer", "authority", "additional" };
	static const char *const u[] = { "zone", "prerequisite", "update", "additional" };
	return section < 4 ? (update ? u : q)[section] : NULL;
}
