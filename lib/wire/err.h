/* lib/wire/err.h: the one error enum of libmobkit.
 *
 * Every parser and builder returns a struct mk_status: an error code from
 * this enum and the byte offset (relative to the buffer the caller passed)
 * of the first byte that was rejected, so a verdict can say
 * "BU option at offset 18: PadN carries non-zero octets".
 *
 * The codes are listed per protocol family in err_*.def X-macro files; each
 * family owns its own .def so the list stays readable.  MK_E_OK is 0.
 */
#ifndef MK_WIRE_ERR_H
#define MK_WIRE_ERR_H

#include <stddef.h>
#include <stdint.h>

enum mk_err {
#define MK_ERR(name, text) MK_E_##name,
#include "err_common.def"
#include "err_ip6.def"
#include "err_mh.def"
#include "err_icmp6.def"
#include "err_tcp.def"
#include "err_dns.def"
#undef MK_ERR
	MK_E__COUNT
};

struct mk_status {
	enum mk_err err; /* MK_E_OK on success */
	size_t off;      /* offset of the first rejected byte */
};

/* "PadN carries non-zero octets" */
const char *mk_strerror(enum mk_err e);
/* "PADN_NONZERO" */
const char *mk_errname(enum mk_err e);

static inline struct mk_status mk_ok(void)
{
	struct mk_status s = { MK_E_OK, 0 };
	return s;
}

static inline struct mk_status mk_fail(enum mk_err e, size_t off)
{
	struct mk_status s = { e, off };
	return s;
}

/* Shift an error offset by the position of a sub-buffer in its packet. */
static inline struct mk_status mk_status_shift(struct mk_status s, size_t base)
{
	if (s.err != MK_E_OK)
		s.off += base;
	return s;
}

#endif
