/* lib/util/tap.h: a small TAP (Test Anything Protocol) emitter for the C
 * unit tests under t/.  prove runs the resulting binaries.
 *
 *   tap_plan(12);
 *   tap_ok(len == 24, "RH2 is 24 octets");
 *   tap_is_int(st.err, MK_E_TRUNC, "short RH2 rejected as truncated");
 *   tap_is_mem(buf, golden, sizeof golden, "BU golden bytes");
 *   return tap_done();
 *
 * Every check prints "ok N - what it checks" or "not ok N - ..." followed by
 * diagnostics (# got/# expected, a hex diff for memory).  tap_done() returns
 * the exit status: non-zero if any check failed or the plan was not met.
 */
#ifndef MK_UTIL_TAP_H
#define MK_UTIL_TAP_H

#include <stddef.h>
#include <stdint.h>

void tap_plan(int n);
void tap_skip_all(const char *reason);
int tap_ok(int cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int tap_is_int(long long got, long long want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tap_is_str(const char *got, const char *want, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int tap_is_mem(const void *got, const void *want, size_t n, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void tap_skip(int n, const char *reason);
void tap_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tap_diag_hex(const char *label, const void *p, size_t n);
/* Parse a hex string ("0a 1b2c" whitespace allowed) into out; returns length
 * or -1 on a bad character or overflow. */
long tap_hex(const char *hex, uint8_t *out, size_t cap);
int tap_done(void);

#endif
