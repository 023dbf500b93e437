/* lib/wire/cursor.h: the read and write cursors every codec goes through.
 *
 * Modelled on Knot DNS's wire_ctx: a cursor over a caller-owned buffer with
 * a sticky error.  After the first short read, overrun or explicit failure,
 * every further call is a no-op (reads return 0, pointers NULL) and the
 * first error and its offset are kept, so a parser reads a whole structure
 * and checks once at the end.  No packet byte is touched except through
 * these helpers; multi-octet values go through memcpy + be*toh, never a
 * cast of a packet pointer.
 *
 * Offsets are relative to the cursor's buffer plus `base`, so a cursor over
 * a sub-buffer still reports offsets in the enclosing packet when the
 * caller sets base.
 */
#ifndef MK_WIRE_CURSOR_H
#define MK_WIRE_CURSOR_H

#include <endian.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "err.h"

/* ---- big-endian loads and stores on raw bytes ---- */

static inline uint16_t mk_load16(const uint8_t *p)
{
	uint16_t v;
	memcpy(&v, p, 2);
	return be16toh(v);
}

static inline uint32_t mk_load32(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return be32toh(v);
}

static inline uint64_t mk_load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return be64toh(v);
}

static inline void mk_store16(uint8_t *p, uint16_t v)
{
	v = htobe16(v);
	memcpy(p, &v, 2);
}

static inline void mk_store32(uint8_t *p, uint32_t v)
{
	v = htobe32(v);
	memcpy(p, &v, 4);
}

static inline void mk_store64(uint8_t *p, uint64_t v)
{
	v = htobe64(v);
	memcpy(p, &v, 8);
}

/* ---- read cursor ---- */

struct mk_rd {
	const uint8_t *buf;
	size_t len;
	size_t off;     /* next octet to read, relative to buf */
	size_t base;    /* added to offsets in errors */
	enum mk_err err;
	size_t err_off; /* base + offset of the first rejected octet */
};

static inline void mk_rd_init(struct mk_rd *r, const uint8_t *buf, size_t len)
{
	r->buf = buf;
	r->len = len;
	r->off = 0;
	r->base = 0;
	r->err = MK_E_OK;
	r->err_off = 0;
}

static inline bool mk_rd_ok(const struct mk_rd *r)
{
	return r->err == MK_E_OK;
}

static inline size_t mk_rd_left(const struct mk_rd *r)
{
	return r->err != MK_E_OK ? 0 : r->len - r->off;
}

/* Record an error at relative offset `at` unless one is already recorded. */
static inline void mk_rd_fail_at(struct mk_rd *r, enum mk_err e, size_t at)
{
	if (r->err == MK_E_OK) {
		r->err = e;
		r->err_off = r->base + at;
	}
}

static inline void mk_rd_fail(struct mk_rd *r, enum mk_err e)
{
	mk_rd_fail_at(r, e, r->off);
}

static inline struct mk_status mk_rd_status(const struct mk_rd *r)
{
	return r->err == MK_E_OK ? mk_ok() : mk_fail(r->err, r->err_off);
}

/* Pointer to the next n octets, advancing past them; NULL on short read. */
static inline const uint8_t *mk_rd_ptr(struct mk_rd *r, size_t n)
{
	if (r->err != MK_E_OK)
		return NULL;
	if (n > r->len - r->off) {
		mk_rd_fail(r, MK_E_TRUNC);
		return NULL;
	}
	const uint8_t *p = r->buf + r->off;
	r->off += n;
	return p;
}

/* Like mk_rd_ptr but does not advance. */
static inline const uint8_t *mk_rd_peek(struct mk_rd *r, size_t n)
{
	if (r->err != MK_E_OK || n > r->len - r->off)
		return NULL;
	return r->buf + r->off;
}

static inline uint8_t mk_rd_u8(struct mk_rd *r)
{
	const uint8_t *p = mk_rd_ptr(r, 1);
	return p ? p[0] : 0;
}

static inline uint16_t mk_rd_u16(struct mk_rd *r)
{
	const uint8_t *p = mk_rd_ptr(r, 2);
	return p ? mk_load16(p) : 0;
}

static inline uint32_t mk_rd_u32(struct mk_rd *r)
{
	const uint8_t *p = mk_rd_ptr(r, 4);
	return p ? mk_load32(p) : 0;
}

static inline uint64_t mk_rd_u64(struct mk_rd *r)
{
	const uint8_t *p = mk_rd_ptr(r, 8);
	return p ? mk_load64(p) : 0;
}

static inline void mk_rd_bytes(struct mk_rd *r, void *dst, size_t n)
{
	const uint8_t *p = mk_rd_ptr(r, n);
	if (p)
		memcpy(dst, p, n);
	else
		memset(dst, 0, n);
}

static inline void mk_rd_skip(struct mk_rd *r, size_t n)
{
	(void)mk_rd_ptr(r, n);
}

/* A sub-cursor over the next n octets (advancing the parent past them).
 * Errors in the child keep absolute offsets through `base`. */
static inline struct mk_rd mk_rd_sub(struct mk_rd *r, size_t n)
{
	struct mk_rd c;
	size_t at = r->off;
	const uint8_t *p = mk_rd_ptr(r, n);
	mk_rd_init(&c, p ? p : r->buf, p ? n : 0);
	c.base = r->base + at;
	if (!p) {
		c.err = r->err;
		c.err_off = r->err_off;
	}
	return c;
}

/* ---- write cursor ---- */

struct mk_wr {
	uint8_t *buf;
	size_t cap;
	size_t off; /* next octet to write; the length written so far */
	enum mk_err err;
	size_t err_off;
};

static inline void mk_wr_init(struct mk_wr *w, uint8_t *buf, size_t cap)
{
	w->buf = buf;
	w->cap = cap;
	w->off = 0;
	w->err = MK_E_OK;
	w->err_off = 0;
}

static inline bool mk_wr_ok(const struct mk_wr *w)
{
	return w->err == MK_E_OK;
}

static inline void mk_wr_fail(struct mk_wr *w, enum mk_err e)
{
	if (w->err == MK_E_OK) {
		w->err = e;
		w->err_off = w->off;
	}
}

static inline struct mk_status mk_wr_status(const struct mk_wr *w)
{
	return w->err == MK_E_OK ? mk_ok() : mk_fail(w->err, w->err_off);
}

/* Reserve the next n octets and return them for the caller to fill. */
static inline uint8_t *mk_wr_ptr(struct mk_wr *w, size_t n)
{
	if (w->err != MK_E_OK)
		return NULL;
	if (n > w->cap - w->off) {
		mk_wr_fail(w, MK_E_NOSPACE);
		return NULL;
	}
	uint8_t *p = w->buf + w->off;
	w->off += n;
	return p;
}

static inline void mk_wr_u8(struct mk_wr *w, uint8_t v)
{
	uint8_t *p = mk_wr_ptr(w, 1);
	if (p)
		p[0] = v;
}

static inline void mk_wr_u16(struct mk_wr *w, uint16_t v)
{
	uint8_t *p = mk_wr_ptr(w, 2);
	if (p)
		mk_store16(p, v);
}

static inline void mk_wr_u32(struct mk_wr *w, uint32_t v)
{
	uint8_t *p = mk_wr_ptr(w, 4);
	if (p)
		mk_store32(p, v);
}

static inline void mk_wr_u64(struct mk_wr *w, uint64_t v)
{
	uint8_t *p = mk_wr_ptr(w, 8);
	if (p)
		mk_store64(p, v);
}

static inline void mk_wr_bytes(struct mk_wr *w, const void *src, size_t n)
{
	uint8_t *p = mk_wr_ptr(w, n);
	if (p && n)
		memcpy(p, src, n);
}

static inline void mk_wr_zero(struct mk_wr *w, size_t n)
{
	uint8_t *p = mk_wr_ptr(w, n);
	if (p && n)
		memset(p, 0, n);
}

/* Overwrite an already written 16-bit field (lengths, checksums). */
static inline void mk_wr_put16_at(struct mk_wr *w, size_t at, uint16_t v)
{
	if (w->err == MK_E_OK && at + 2 <= w->off)
		mk_store16(w->buf + at, v);
}

static inline void mk_wr_put8_at(struct mk_wr *w, size_t at, uint8_t v)
{
	if (w->err == MK_E_OK && at < w->off)
		w->buf[at] = v;
}

#endif
