/* lib/util/fmt.h: the two formatters every line of mobkit's output is made
 * of: a printf-like appender and an IPv6 address formatter, both without
 * printf's per-call cost.  Pure like lib/wire (libc only, no allocation), so
 * the codecs may use it: the packet describer (lib/wire), the analyzers
 * (capture/), the probes, mobwire and the stack share it. */
#ifndef MK_UTIL_FMT_H
#define MK_UTIL_FMT_H

#include <stdarg.h>
#include <stddef.h>

/* Append printf-style to buf, which holds n octets (NUL-terminated, cut at
 * cap); returns the length the whole text needs, as snprintf does.  %s, %u,
 * %d and %zu are formatted here, anything else by vsnprintf. */
size_t mk_vappend(char *buf, size_t cap, size_t n, const char *fmt, va_list ap);
/* The same with its arguments inline. */
size_t mk_append(char *buf, size_t cap, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* An IPv6 address as inet_ntop writes it, into out[46]; returns out. */
char *mk_ip6_ntop(const void *addr, char *out);

#endif
