/* lib/util/json.c: streaming JSON writer (see json.h). */
#include "json.h"

#include <math.h>

static void key(struct mk_json *j, const char *k);

static void put_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (*p < 0x20 || *p >= 0x7f)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void key(struct mk_json *j, const char *k)
{
	if (j->comma[j->depth])
		fputc(',', j->f);
	j->comma[j->depth] = true;
	if (k) {
		put_str(j->f, k);
		fputc(':', j->f);
	}
}

void mk_json_begin(struct mk_json *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->comma[0] = false;
	j->close[0] = '}';
	fputc('{', f);
}

static void json_open(struct mk_json *j, const char *k, char o, char c)
{
	key(j, k);
	fputc(o, j->f);
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
		fputc(j->close[j->depth], j->f);
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

void mk_json_int(struct mk_json *j, const char *k, long long val)
{
	key(j, k);
	fprintf(j->f, "%lld", val);
}

void mk_json_uint(struct mk_json *j, const char *k, unsigned long long val)
{
	key(j, k);
	fprintf(j->f, "%llu", val);
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
	fputc('"', j->f);
	for (size_t i = 0; i < n; i++)
		fprintf(j->f, "%02x", p[i]);
	fputc('"', j->f);
}
