/* fuzz/fz_tcp.c: TCP header and options (lib/wire/tcpopt.h).
 *
 * The input is a TCP segment, parsed under both codepoint profiles
 * (default: Migrate behind RFC 6994 ExIDs; paper: raw kinds 35/36).  What
 * parses is built again (packed: the same octets up to EOL) and parsed
 * again; the option list, fixed fields and payload must come back equal.
 * The options are also rebuilt in the AUTO layout (NOP alignment) and must
 * re-parse to the same options once NOP/EOL are set aside.  The first 40
 * octets are also parsed as a bare option area.  Every name table, the
 * formatters, the strict checks and the migrate-SYN check are touched. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wire/codepoints.h"
#include "wire/tcpopt.h"

int mk_fuzz_tcp(const uint8_t *data, size_t size);

static int opt_eq(const struct mk_tcpopt *a, const struct mk_tcpopt *b, int with_off)
{
	if (a->type != b->type || a->kind != b->kind || a->len != b->len)
		return 0;
	if (with_off && a->off != b->off)
		return 0;
	switch (a->type) {
	case MK_TCPOPT_MSS:
		return a->u.mss == b->u.mss;
	case MK_TCPOPT_WS:
		return a->u.ws == b->u.ws;
	case MK_TCPOPT_SACK:
		if (a->u.sack.n != b->u.sack.n)
			return 0;
		for (size_t i = 0; i < a->u.sack.n; i++)
			if (a->u.sack.blk[i].left != b->u.sack.blk[i].left ||
			    a->u.sack.blk[i].right != b->u.sack.blk[i].right)
				return 0;
		return 1;
	case MK_TCPOPT_TS:
		return a->u.ts.val == b->u.ts.val && a->u.ts.ecr == b->u.ts.ecr;
	case MK_TCPOPT_MIGPERM:
		return a->u.migperm.curve == b->u.migperm.curve &&
		       a->u.migperm.exid == b->u.migperm.exid &&
		       memcmp(a->u.migperm.key, b->u.migperm.key, sizeof a->u.migperm.key) == 0;
	case MK_TCPOPT_MIGRATE:
		return a->u.migrate.preload == b->u.migrate.preload &&
		       a->u.migrate.reqno == b->u.migrate.reqno &&
		       a->u.migrate.token == b->u.migrate.token &&
		       a->u.migrate.request == b->u.migrate.request &&
		       a->u.migrate.exid == b->u.migrate.exid;
	case MK_TCPOPT_EXP:
		return a->u.exp.exid == b->u.exp.exid && a->u.exp.exid_len == b->u.exp.exid_len &&
		       a->u.exp.dlen == b->u.exp.dlen &&
		       (a->u.exp.dlen == 0 || memcmp(a->u.exp.data, b->u.exp.data, a->u.exp.dlen) == 0);
	case MK_TCPOPT_RAW:
		return a->u.raw.dlen == b->u.raw.dlen &&
		       (a->u.raw.dlen == 0 || memcmp(a->u.raw.data, b->u.raw.data, a->u.raw.dlen) == 0);
	default:
		return 1;
	}
}

static int is_pad(const struct mk_tcpopt *o)
{
	return o->type == MK_TCPOPT_NOP || o->type == MK_TCPOPT_EOL;
}

/* The same options once NOP and EOL are set aside (offsets may differ). */
static int opts_eq_nopad(const struct mk_tcpopts *a, const struct mk_tcpopts *b)
{
	size_t i = 0, j = 0;
	for (;;) {
		while (i < a->n && is_pad(&a->o[i]))
			i++;
		while (j < b->n && is_pad(&b->o[j]))
			j++;
		if (i == a->n || j == b->n)
			return i == a->n && j == b->n;
		if (!opt_eq(&a->o[i], &b->o[j], 0))
			return 0;
		i++;
		j++;
	}
}

static int opts_eq(const struct mk_tcpopts *a, const struct mk_tcpopts *b)
{
	if (a->n != b->n)
		return 0;
	for (size_t i = 0; i < a->n; i++)
		if (!opt_eq(&a->o[i], &b->o[i], 1))
			return 0;
	return 1;
}

static void touch(const char *s)
{
	volatile size_t n = s ? strlen(s) : 0;
	(void)n;
}

static void touch_opts(const struct mk_codepoints *cp, const struct mk_tcpopts *os)
{
	char msg[256];

	for (size_t i = 0; i < os->n; i++) {
		mk_tcpopt_describe(msg, sizeof msg, cp, &os->o[i]);
		touch(mk_tcpopt_type_name(os->o[i].type));
		touch(mk_tcpopt_kind_name_cp(cp, os->o[i].kind));
		if (os->o[i].type == MK_TCPOPT_EXP)
			touch(mk_tcp_exid_name(os->o[i].u.exp.exid));
	}
	mk_tcpopts_space_fmt(msg, sizeof msg, cp, os->o, os->n);
	mk_tcpopts_space_fmt(msg, 8, cp, os->o, os->n);
}

/* Option area alone: parse, build packed, parse again. */
static void fuzz_opts(const struct mk_codepoints *cp, const uint8_t *data, size_t size)
{
	static struct mk_tcpopts a, b;
	uint8_t out[MK_TCPOPT_SPACE + 4];
	size_t n = 0;

	if (size > MK_TCPOPT_SPACE)
		size = MK_TCPOPT_SPACE;
	struct mk_status st = mk_tcpopts_parse(data, size, cp, &a);
	touch(mk_strerror(st.err));
	if (st.err != MK_E_OK)
		return;
	touch_opts(cp, &a);
	st = mk_tcpopts_build(out, sizeof out, cp, a.o, a.n, MK_TCPOPT_PACKED, &n);
	if (st.err != MK_E_OK || n > MK_TCPOPT_SPACE)
		abort();
	/* the same octets up to and including EOL */
	size_t upto = 0;
	if (a.n)
		upto = a.o[a.n - 1].off + a.o[a.n - 1].len;
	if (upto && memcmp(out, data, upto) != 0)
		abort();
	st = mk_tcpopts_parse(out, n, cp, &b);
	if (st.err != MK_E_OK || !opts_eq_nopad(&a, &b))
		abort();
	for (size_t i = 0; i < a.n; i++)
		if (!opt_eq(&a.o[i], &b.o[i], 1))
			abort();

	st = mk_tcpopts_build(out, sizeof out, cp, a.o, a.n, MK_TCPOPT_AUTO, &n);
	if (st.err != MK_E_OK || n > MK_TCPOPT_SPACE || n % 4)
		abort();
	st = mk_tcpopts_parse(out, n, cp, &b);
	if (st.err != MK_E_OK || !opts_eq_nopad(&a, &b))
		abort();
}

static void fuzz_segment(const struct mk_codepoints *cp, const uint8_t *data, size_t size)
{
	static struct mk_tcp a, b;
	static uint8_t out[65536];
	static const struct in6_addr src = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } } };
	static const struct in6_addr dst = { { { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 } } };
	const struct mk_tcpopt *extra;
	char msg[128];
	size_t n = 0;

	struct mk_status st = mk_tcp_parse(data, size, cp, &a);
	touch(mk_strerror(st.err));
	touch(mk_errname(st.err));
	if (st.err != MK_E_OK)
		return;
	if (st.off > size)
		abort();
	touch_opts(cp, &a.opts);
	st = mk_tcp_strict(&a);
	touch(mk_strerror(st.err));
	st = mk_tcp_migrate_syn_check(&a, &extra);
	if (st.err == MK_E_TCP_MIGSYN_EXTRA_OPT && !extra)
		abort();
	mk_tcp_flags_fmt(msg, sizeof msg, a.flags);
	(void)mk_tcp_cksum_ok(data, size, &src, &dst);
	if (size > 65535)
		return;

	st = mk_tcp_build(out, sizeof out, cp, &a, &n);
	if (st.err != MK_E_OK)
		abort();
	if (mk_tcp_cksum_fill(out, n, &src, &dst).err != MK_E_OK || !mk_tcp_cksum_ok(out, n, &src, &dst))
		abort();
	st = mk_tcp_parse(out, n, cp, &b);
	if (st.err != MK_E_OK)
		abort();
	if (a.sport != b.sport || a.dport != b.dport || a.seq != b.seq || a.ack != b.ack ||
	    a.flags != b.flags || a.window != b.window || a.urg != b.urg)
		abort();
	if (!opts_eq(&a.opts, &b.opts))
		abort();
	if (a.payload_len != b.payload_len ||
	    (a.payload_len && memcmp(a.payload, b.payload, a.payload_len) != 0))
		abort();

	/* AUTO layout: same options, NOPs aside */
	a.layout = MK_TCPOPT_AUTO;
	if (a.opts.n) {
		st = mk_tcp_build(out, sizeof out, cp, &a, &n);
		if (st.err != MK_E_OK)
			abort();
		st = mk_tcp_parse(out, n, cp, &b);
		if (st.err != MK_E_OK || !opts_eq_nopad(&a.opts, &b.opts))
			abort();
	}
}

int mk_fuzz_tcp(const uint8_t *data, size_t size)
{
	struct mk_codepoints cps[2];
	char msg[64];

	mk_cp_profile(&cps[0], "default");
	mk_cp_profile(&cps[1], "paper");
	for (int i = 0; i < 2; i++) {
		fuzz_segment(&cps[i], data, size);
		fuzz_opts(&cps[i], data, size);
	}
	for (unsigned k = 0; k < 256; k++) {
		touch(mk_tcpopt_kind_name((uint8_t)k));
		touch(mk_tcpopt_kind_name_cp(&cps[1], (uint8_t)k));
	}
	for (unsigned t = 0; t <= MK_TCPOPT__COUNT; t++)
		touch(mk_tcpopt_type_name((enum mk_tcpopt_type)t));
	for (unsigned w = 0; w <= MK_TCP_W__COUNT; w++) {
		touch(mk_tcp_warn_name((enum mk_tcp_warn)w));
		touch(mk_strerror(mk_tcp_warn_err((enum mk_tcp_warn)w)));
	}
	for (unsigned m = 1; m < 0x1000; m <<= 1)
		touch(mk_tcp_flag_name((uint16_t)m));
	if (size >= 4) {
		touch(mk_tcp_exid_name((uint32_t)data[0] << 8 | data[1]));
		touch(mk_tcp_exid_name((uint32_t)data[0] << 24 | (uint32_t)data[1] << 16 |
				       (uint32_t)data[2] << 8 | data[3]));
	}
	if (size >= 2)
		mk_tcp_flags_fmt(msg, sizeof msg, (uint16_t)((data[0] << 8 | data[1]) & 0x0fff));
	return 0;
}

#ifdef MK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return mk_fuzz_tcp(data, size);
}
#endif
