/* t/lib/check.h: checks the C unit tests share.
 *
 *   check_status()  one TAP line: the status is error e at offset off
 *   openssl_dgst()  a digest or HMAC computed by the `openssl` command, an
 *                   implementation apart from the library's own calls, for
 *                   known-answer tests
 *
 * Header-only, for test programs. */
#ifndef MK_T_CHECK_H
#define MK_T_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t/lib/tap.h"
#include "wire/err.h"

static inline int check_status(struct mk_status st, enum mk_err e, size_t off, const char *what)
{
	int ok = st.err == e && st.off == off;
	tap_ok(ok, "%s: %s at %zu", what, mk_errname(e), off);
	if (!ok)
		tap_diag("got %s (%s) at %zu", mk_errname(st.err), mk_strerror(st.err), st.off);
	return ok;
}

/* `openssl dgst -MD` of data[0..n), or its HMAC with key when key is not
 * NULL, as lowercase hex into hex[cap].  0 on success, -1 when openssl is
 * missing or fails, or cap is too small. */
static inline int openssl_dgst(const char *md, const uint8_t *key, size_t keylen,
			       const uint8_t *data, size_t n, char *hex, size_t cap)
{
	char path[] = "/tmp/mk-dgst-XXXXXX", cmd[768], khex[2 * 128 + 1], line[256];
	int fd = mkstemp(path);

	if (fd < 0 || keylen > 128)
		return -1;
	if (write(fd, data, n) != (ssize_t)n) {
		close(fd);
		unlink(path);
		return -1;
	}
	close(fd);
	if (key) {
		for (size_t i = 0; i < keylen; i++)
			snprintf(khex + 2 * i, 3, "%02x", key[i]);
		snprintf(cmd, sizeof cmd, "openssl dgst -%s -mac HMAC -macopt hexkey:%s -r %s 2>/dev/null",
			 md, keylen ? khex : "", path);
	} else {
		snprintf(cmd, sizeof cmd, "openssl dgst -%s -r %s 2>/dev/null", md, path);
	}
	FILE *p = popen(cmd, "r");
	int rc = -1;
	if (p) {
		if (fgets(line, sizeof line, p)) {
			size_t hl = strcspn(line, " \n");
			if (hl > 0 && hl < cap) {
				memcpy(hex, line, hl);
				hex[hl] = 0;
				rc = 0;
			}
		}
		if (pclose(p) != 0)
			rc = -1;
	}
	unlink(path);
	return rc;
}

#endif
