/* lib/util/tap.c: TAP emitter for the C unit tests. */
#include "tap.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int planned = -1;
static int count;
static int failed;

void tap_plan(int n)
{
	planned = n;
	printf("1..%d\n", n);
	fflush(stdout);
}

void tap_skip_all(const char *reason)
{
	printf("1..0 # SKIP %s\n", reason);
	fflush(stdout);
	exit(0);
}

static int vreport(int cond, const char *fmt, va_list ap)
{
	count++;
	printf("%sok %d - ", cond ? "" : "not ", count);
	vprintf(fmt, ap);
	putchar('\n');
	if (!cond)
		failed++;
	fflush(stdout);
	return cond;
}

int tap_ok(int cond, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vreport(cond, fmt, ap);
	va_end(ap);
	return r;
}

int tap_is_int(long long got, long long want, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vreport(got == want, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: %lld (0x%llx)\n#     expected: %lld (0x%llx)\n", got,
		       (unsigned long long)got, want, (unsigned long long)want);
	return r;
}

int tap_is_str(const char *got, const char *want, const char *fmt, ...)
{
	va_list ap;
	int same = (got == NULL && want == NULL) ||
		   (got != NULL && want != NULL && strcmp(got, want) == 0);
	va_start(ap, fmt);
	int r = vreport(same, fmt, ap);
	va_end(ap);
	if (!r)
		printf("#          got: '%s'\n#     expected: '%s'\n", got ? got : "(null)",
		       want ? want : "(null)");
	return r;
}

void tap_diag_hex(const char *label, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i += 16) {
		printf("# %s %04zx:", label, i);
		for (size_t j = i; j < n && j < i + 16; j++)
			printf(" %02x", b[j]);
		putchar('\n');
	}
}

int tap_is_mem(const void *got, const void *want, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = vreport(memcmp(got, want, n) == 0, fmt, ap);
	va_end(ap);
	if (!r) {
		const uint8_t *g = got, *w = want;
		size_t i = 0;
		while (i < n && g[i] == w[i])
			i++;
		printf("#     first difference at offset %zu\n", i);
		tap_diag_hex("     got", got, n);
		tap_diag_hex("expected", want, n);
	}
	return r;
}

void tap_skip(int n, const char *reason)
{
	for (int i = 0; i < n; i++)
		printf("ok %d # SKIP %s\n", ++count, reason);
	fflush(stdout);
}

void tap_diag(const char *fmt, ...)
{
	va_list ap;
	fputs("# ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	fflush(stdout);
}

long tap_hex(const char *hex, uint8_t *out, size_t cap)
{
	size_t n = 0;
	int hi = -1;
	for (const char *s = hex; *s; s++) {
		if (isspace((unsigned char)*s) || *s == ':')
			continue;
		if (!isxdigit((unsigned char)*s))
			return -1;
		int v = isdigit((unsigned char)*s) ? *s - '0' : (tolower((unsigned char)*s) - 'a' + 10);
		if (hi < 0) {
			hi = v;
		} else {
			if (n >= cap)
				return -1;
			out[n++] = (uint8_t)(hi << 4 | v);
			hi = -1;
		}
	}
	return hi < 0 ? (long)n : -1;
}

int tap_done(void)
{
	if (planned < 0) {
		printf("1..%d\n", count);
		planned = count;
	}
	if (count != planned)
		printf("# planned %d tests but ran %d\n", planned, count);
	if (failed)
		printf("# failed %d of %d tests\n", failed, count);
	fflush(stdout);
	return (failed || count != planned) ? 1 : 0;
}
