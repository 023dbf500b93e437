/* lib/util/fmt.c: text formatting for lines of output (see fmt.h). */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* printf's %s, %u, %d and %zu without printf; any other conversion falls
 * back to vsnprintf.  The lines of a capture are made of these, and
 * vsnprintf's setup cost dominated mobcap's time per line. */
size_t mk_vappend(char *buf, size_t cap, size_t n, const char *fmt, va_list ap)
{
	const char *f;
	for (f = fmt; *f; f++) {
		if (*f != '%')
			continue;
		if (f[1] == 's' || f[1] == 'u' || f[1] == 'd' || (f[1] == 'z' && f[2] == 'u')) {
			f += f[1] == 'z' ? 2 : 1;
			continue;
		}
		int k = vsnprintf(buf + (n < cap ? n : cap), n < cap ? cap - n : 0, fmt, ap);
		return k > 0 ? n + (size_t)k : n;
	}
#define APPEND(c)                      \
	do {                           \
		if (n + 1 < cap)       \
			buf[n] = (c);  \
		n++;                   \
	} while (0)
	for (f = fmt; *f; f++) {
		if (*f != '%') {
			APPEND(*f);
			continue;
		}
		char d[24];
		int i = sizeof d;
		unsigned long long v;
		bool neg = false;
		switch (*++f) {
		case 's':
			for (const char *s = va_arg(ap, const char *); *s; s++)
				APPEND(*s);
			continue;
		case 'd': {
			int x = va_arg(ap, int);
			neg = x < 0;
			v = neg ? 0ull - (unsigned long long)(long long)x : (unsigned long long)x;
			break;
		}
		case 'u':
			v = va_arg(ap, unsigned);
			break;
		default: /* 'z' 'u' */
			f++;
			v = va_arg(ap, size_t);
			break;
		}
		do
			d[--i] = (char)('0' + v % 10);
		while ((v /= 10) != 0);
		if (neg)
			d[--i] = '-';
		for (; i < (int)sizeof d; i++)
			APPEND(d[i]);
	}
#undef APPEND
	if (cap)
		buf[n < cap ? n : cap - 1] = 0;
	return n;
}

/* inet_ntop(AF_INET6) without its sprintf per group (it was a tenth of
 * mobcap's time per line); the same text as glibc's, which t/wire/describe.t
 * checks on a million addresses: RFC 5952 (lowercase, the longest run of
 * two or more zero groups as "::", the first on a tie) and glibc's dotted
 * quad for ::a.b.c.d and ::ffff:a.b.c.d. */
char *mk_ip6_ntop(const void *addr, char *out)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *a = addr;
	uint16_t w[8];
	int best = -1, blen = 0, cur = -1, clen = 0;
	char *o = out;

	for (int i = 0; i < 8; i++) {
		w[i] = (uint16_t)(a[2 * i] << 8 | a[2 * i + 1]);
		if (w[i] == 0) {
			if (cur < 0)
				cur = i, clen = 0;
			if (++clen > blen)
				best = cur, blen = clen;
		} else {
			cur = -1;
		}
	}
	if (blen < 2)
		best = -1;
	for (int i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + blen) {
			if (i == best)
				*o++ = ':';
			continue;
		}
		if (i)
			*o++ = ':';
		if (i == 6 && best == 0 && (blen == 6 || (blen == 5 && w[5] == 0xffff))) {
			for (int k = 12; k < 16; k++) {
				unsigned v = a[k];
				if (v >= 100)
					*o++ = (char)('0' + v / 100);
				if (v >= 10)
					*o++ = (char)('0' + v / 10 % 10);
				*o++ = (char)('0' + v % 10);
				if (k < 15)
					*o++ = '.';
			}
			*o = 0;
			return out;
		}
		int sh = 12;
		while (sh > 0 && !(w[i] >> sh))
			sh -= 4;
		for (; sh >= 0; sh -= 4)
			*o++ = hex[(w[i] >> sh) & 0xf];
	}
	if (best >= 0 && best + blen == 8)
		*o++ = ':';
	*o = 0;
	return out;
}

size_t mk_append(char *buf, size_t cap, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	n = mk_vappend(buf, cap, n, fmt, ap);
	va_end(ap);
	return n;
}
