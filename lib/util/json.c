/* lib/util/json.c: streaming JSON writer (see json.h). */
#include "json.h"

#include <math.h>

static void key(struct mk_json *j, const char *k);

/* Runs of characters that need no escape go out in one fwrite: a line of
 * text is mostly such a run. */
static void put_str(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run = p;
	putc_unlocked('"', f);
	for (;; p++) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			continue;
		if (p > run)
			fwrite(run, 1, (size_t)(p - run), f);
		run = p + 1;
		switch (c) {
		case 0:
			putc_unlocked('"', f);
			return;
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default: fprintf(f, "\\u%04x", c);
		}
	}
}

static void key(struct mk_json *j, const char *k)
{
	if (j->comma[j->depth])
		putc_unlocked(',', j->f);
	j->comma[j->depth] = true;
	if (k) {
		put_str(j->f, k);
		putc_unlocked(':', j->f);
	}
}

void mk_json_begin(struct mk_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->comma[0] = false;
	j->close[0] = '}';
	putc_unlocked('{', f);
}

static void json_open(struct mk_json *j, const char *k, char o, char c)
{
	key(j, k);
	putc_unlocked(o, j->f);
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
		putc_unlocked(j->close[j->depth], j->f);
		j->depth--;
	}
}

void mk_json_finish(struct mk_json *j)
{
	while (j->depth > 0)
		mk_json_end(j);
	fputs("}\n", j->f);
}

void mk_json_str(struct mk_json *j, const char *k, const char *val)
{
	key(j, k);
	if (val)
		put_str(j->f, val);
	else
		fputs("null", j->f);
}

/* decimal without printf: numbers are on every line of a capture's output */
static void put_u(FILE *f, unsigned long long v, bool neg)
{
	char b[24];
	int i = sizeof b;
	do
		b[--i] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	if (neg)
		b[--i] = '-';
	fwrite(b + i, 1, sizeof b - (size_t)i, f);
}

void mk_json_int(struct mk_json *j, const char *k, long long val)
{
	key(j, k);
	put_u(j->f, val < 0 ? 0ull - (unsigned long long)val : (unsigned long long)val, val < 0);
}

void mk_json_uint(struct mk_json *j, const char *k, unsigned long long val)
{
	key(j, k);
	put_u(j->f, val, false);
}

void mk_json_num(struct mk_json *j, const char *k, double val, int decimals)
{
	key(j, k);
	if (isfinite(val))
		fprintf(j->f, "%.*f", decimals, val);
	else
		fputs("null", j->f);
}

void mk_json_bool(struct mk_json *j, const char *k, bool val)
{
	key(j, k);
	fputs(val ? "true" : "false", j->f);
}

void mk_json_null(struct mk_json *j, const char *k)
{
	key(j, k);
	fputs("null", j->f);
}

void mk_json_hex(struct mk_json *j, const char *k, const uint8_t *p, size_t n)
{
	key(j, k);
	putc_unlocked('"', j->f);
	for (size_t i = 0; i < n; i++)
		fprintf(j->f, "%02x", p[i]);
	putc_unlocked('"', j->f);
}
