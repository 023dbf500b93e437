/* lib/util/json.c: streaming JSON writer (see json.h).
 *
 * Everything goes through the writer's own buffer and reaches the stream
 * in one fwrite per object (or per MK_JSON_BUF octets): a decoder writes
 * hundreds of small keys and values per packet, and stdio's per-call cost
 * (locking, the xsputn path) was most of the cost of its JSON output. */
#include "json.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void flush(struct mk_json *j)
{
	if (j->n)
		fwrite(j->buf, 1, j->n, j->f);
	j->n = 0;
}

static void out(struct mk_json *j, const char *s, size_t n)
{
	if (j->n + n > sizeof j->buf) {
		flush(j);
		if (n > sizeof j->buf) {
			fwrite(s, 1, n, j->f);
			return;
		}
	}
	memcpy(j->buf + j->n, s, n);
	j->n += n;
}

static void out_c(struct mk_json *j, char c)
{
	if (j->n == sizeof j->buf)
		flush(j);
	j->buf[j->n++] = c;
}

/* Octets written as they are: printable ASCII but '"' and '\\' (a table:
 * one load per octet, every key and value goes through it). */
static const unsigned char plain_tab[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, /* 0x70 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x80 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x90 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xa0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xb0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xc0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xd0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xe0 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0xf0 */
};

static inline bool plain(unsigned char c)
{
	return plain_tab[c];
}

/* True if none of the n octets needs an escape, eight at a time: a word
 * holds one if an octet has its top bit set, is below 0x20, or equals '"',
 * '\\' or 0x7f (the usual zero-octet tricks; only octets of the string are
 * read). */
static bool all_plain(const unsigned char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101ull, high = 0x8080808080808080ull;
	size_t i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w, q, b, d;
		memcpy(&w, p + i, 8);
		q = w ^ (ones * '"');
		b = w ^ (ones * '\\');
		d = w ^ (ones * 0x7f);
		if ((w | ((w - ones * 0x20) & ~w) | ((q - ones) & ~q) | ((b - ones) & ~b) |
		     ((d - ones) & ~d)) & high)
			return false;
	}
	for (; i < n; i++)
		if (!plain(p[i]))
			return false;
	return true;
}

/* A plain string (the usual case) is copied whole; otherwise octet by
 * octet, escaped where it has to be. */
static void put_str(struct mk_json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s);
	out_c(j, '"');
	if (all_plain(p, len)) {
		out(j, s, len);
		out_c(j, '"');
		return;
	}
	for (;;) {
		char *d = j->buf + j->n, *end = j->buf + sizeof j->buf;
		while (d < end && plain(*p))
			*d++ = (char)*p++;
		j->n = (size_t)(d - j->buf);
		if (d == end) {
			flush(j);
			continue;
		}
		unsigned char c = *p++;
		switch (c) {
		case 0:
			out_c(j, '"');
			return;
		case '"': out(j, "\\\"", 2); break;
		case '\\': out(j, "\\\\", 2); break;
		case '\n': out(j, "\\n", 2); break;
		case '\t': out(j, "\\t", 2); break;
		case '\r': out(j, "\\r", 2); break;
		default: {
			static const char hex[] = "0123456789abcdef";
			char u[6] = { '\\', 'u', '0', '0', hex[c >> 4], hex[c & 15] };
			out(j, u, sizeof u);
		}
		}
	}
}

static void key(struct mk_json *j, const char *k)
{
	if (j->comma[j->depth])
		out_c(j, ',');
	j->comma[j->depth] = true;
	if (k) {
		put_str(j, k);
		out_c(j, ':');
	}
}

void mk_json_key(struct mk_json *j, const char *quoted, size_t n)
{
	if (j->comma[j->depth])
		out_c(j, ',');
	j->comma[j->depth] = false; /* the value that follows (key NULL) adds none */
	out(j, quoted, n);
}

void mk_json_begin(struct mk_json *j, FILE *f)
{
	j->f = f;
	j->n = 0;
	j->depth = 0;
	j->comma[0] = false;
	j->close[0] = '}';
	out_c(j, '{');
}

static void json_open(struct mk_json *j, const char *k, char o, char c)
{
	key(j, k);
	out_c(j, o);
	if (j->depth + 1 < MK_JSON_DEPTH) {
		j->depth++;
		j->comma[j->depth] = false;
		j->close[j->depth] = c;
	}
}

void mk_json_obj(struct mk_json *j, const char *k)
{
	json_open(j, k, '{', '}');
}

void mk_json_arr(struct mk_json *j, const char *k)
{
	json_open(j, k, '[', ']');
}

void mk_json_end(struct mk_json *j)
{
	if (j->depth > 0) {
		out_c(j, j->close[j->depth]);
		j->depth--;
	}
}

void mk_json_finish(struct mk_json *j)
{
	while (j->depth > 0)
		mk_json_end(j);
	out(j, "}\n", 2);
	flush(j);
}

void mk_json_str(struct mk_json *j, const char *k, const char *val)
{
	key(j, k);
	if (val)
		put_str(j, val);
	else
		out(j, "null", 4);
}

/* decimal without printf: numbers are on every line of a capture's output */
static void put_u(struct mk_json *j, unsigned long long v, bool neg)
{
	char b[24];
	int i = sizeof b;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		b[--i] = '-';
	out(j, b + i, sizeof b - (size_t)i);
}

void mk_json_int(struct mk_json *j, const char *k, long long val)
{
	key(j, k);
	put_u(j, val < 0 ? 0ull - (unsigned long long)val : (unsigned long long)val, val < 0);
}

void mk_json_uint(struct mk_json *j, const char *k, unsigned long long val)
{
	key(j, k);
	put_u(j, val, false);
}

void mk_json_num(struct mk_json *j, const char *k, double val, int decimals)
{
	key(j, k);
	if (isfinite(val)) {
		char b[512]; /* DBL_MAX has 309 digits */
		int n = snprintf(b, sizeof b, "%.*f", decimals, val);
		if (n > 0 && (size_t)n < sizeof b)
			out(j, b, (size_t)n);
		else
			out(j, "null", 4);
	} else {
		out(j, "null", 4);
	}
}

void mk_json_bool(struct mk_json *j, const char *k, bool val)
{
	key(j, k);
	if (val)
		out(j, "true", 4);
	else
		out(j, "false", 5);
}

void mk_json_null(struct mk_json *j, const char *k)
{
	key(j, k);
	out(j, "null", 4);
}

void mk_json_hex(struct mk_json *j, const char *k, const uint8_t *p, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	key(j, k);
	out_c(j, '"');
	for (size_t i = 0; i < n; i++) {
		out_c(j, hex[p[i] >> 4]);
		out_c(j, hex[p[i] & 15]);
	}
	out_c(j, '"');
}
