/* fuzz/fz_icmp6.c: the ICMPv6 codec under libFuzzer.
 *
 * For each of the two codepoint profiles (HA Unreachable on 201, then on
 * 154): parse; a rejected input must report an offset inside the input
 * (or just past it for truncation).  An accepted one must build again,
 * byte for byte the same except the checksum (the parse is lossless), the
 * result must parse to the same structure, and its filled checksum must
 * verify.  Every name table is touched with the values seen. */
#include <stdlib.h>
#include <string.h>

#include "wire/codepoints.h"
#include "wire/icmp6.h"

int mk_fuzz_icmp6(const uint8_t *data, size_t size);

static struct mk_icmp6 a, b;
static uint8_t rebuilt[65536 + 64];
static volatile size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void names(const struct mk_codepoints *cp, const struct mk_icmp6 *m)
{
	touch(mk_icmp6_type_name(cp, m->type));
	touch(mk_icmp6_iana_type_name(m->type));
	touch(mk_icmp6_code_name(m->type, m->code));
	touch(mk_icmp6_kind_name(m->kind));
	for (unsigned bit = 0; bit < 16; bit++) {
		if (bit < 8) {
			touch(mk_icmp6_ra_flag_name((uint8_t)(1u << bit)));
			touch(mk_nd_pi_flag_name((uint8_t)(1u << bit)));
		}
		touch(mk_icmp6_mpa_flag_name((uint16_t)(1u << bit)));
		touch(mk_icmp6_dhaad_flag_name((uint16_t)(1u << bit)));
		touch(mk_nd_hai_flag_name((uint16_t)(1u << bit)));
	}
	for (size_t i = 0; i < m->n_opts; i++)
		touch(mk_nd_opt_name(m->opts[i].type));
	for (int w = 0; w < MK_ICMP6_W__COUNT; w++)
		if (m->warn & (1u << w)) {
			touch(mk_icmp6_warn_name((enum mk_icmp6_warn)w));
			touch(mk_strerror(mk_icmp6_warn_err((enum mk_icmp6_warn)w)));
		}
}

static int same_bytes(const uint8_t *x, size_t xn, const uint8_t *y, size_t yn)
{
	return xn == yn && (xn == 0 || memcmp(x, y, xn) == 0);
}

static int same_opt(const struct mk_nd_opt *x, const struct mk_nd_opt *y)
{
	if (x->type != y->type || x->len != y->len || x->off != y->off ||
	    !same_bytes(x->data, x->data_len, y->data, y->data_len))
		return 0;
	switch (x->type) {
	case MK_ND_OPT_PREFIX:
		return x->u.pi.prefix_len == y->u.pi.prefix_len && x->u.pi.flags == y->u.pi.flags &&
		       x->u.pi.valid == y->u.pi.valid && x->u.pi.preferred == y->u.pi.preferred &&
		       x->u.pi.reserved2 == y->u.pi.reserved2 &&
		       memcmp(&x->u.pi.prefix, &y->u.pi.prefix, 16) == 0;
	case MK_ND_OPT_MTU:
		return x->u.mtu.reserved == y->u.mtu.reserved && x->u.mtu.mtu == y->u.mtu.mtu;
	case MK_ND_OPT_ADVINT:
		return x->u.advint.reserved == y->u.advint.reserved &&
		       x->u.advint.interval_ms == y->u.advint.interval_ms;
	case MK_ND_OPT_HAINFO:
		return x->u.hai.reserved == y->u.hai.reserved && x->u.hai.pref == y->u.hai.pref &&
		       x->u.hai.lifetime == y->u.hai.lifetime;
	default:
		return 1;
	}
}

static int same_msg(const struct mk_icmp6 *x, const struct mk_icmp6 *y)
{
	if (x->kind != y->kind || x->type != y->type || x->code != y->code || x->warn != y->warn)
		return 0;
	for (int w = 0; w < MK_ICMP6_W__COUNT; w++)
		if ((x->warn & (1u << w)) && x->warn_off[w] != y->warn_off[w])
			return 0;
	switch (x->kind) {
	case MK_ICMP6_K_DST_UNREACH:
	case MK_ICMP6_K_PKT_TOO_BIG:
	case MK_ICMP6_K_TIME_EXCEEDED:
	case MK_ICMP6_K_PARAM_PROB:
		if (x->u.err.word != y->u.err.word ||
		    !same_bytes(x->u.err.invoking, x->u.err.invoking_len, y->u.err.invoking,
				y->u.err.invoking_len))
			return 0;
		break;
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		if (x->u.echo.id != y->u.echo.id || x->u.echo.seq != y->u.echo.seq ||
		    !same_bytes(x->u.echo.data, x->u.echo.data_len, y->u.echo.data, y->u.echo.data_len))
			return 0;
		break;
	case MK_ICMP6_K_RA:
		if (memcmp(&x->u.ra, &y->u.ra, sizeof x->u.ra) != 0)
			return 0;
		break;
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		if (x->u.ident.id != y->u.ident.id || x->u.ident.reserved != y->u.ident.reserved)
			return 0;
		break;
	case MK_ICMP6_K_OTHER:
		if (!same_bytes(x->u.other.body, x->u.other.body_len, y->u.other.body,
				y->u.other.body_len))
			return 0;
		break;
	case MK_ICMP6_K__COUNT:
		return 0;
	}
	if (x->n_addrs != y->n_addrs || x->n_opts != y->n_opts)
		return 0;
	for (size_t i = 0; i < x->n_addrs; i++)
		if (memcmp(&x->addrs[i], &y->addrs[i], 16) != 0)
			return 0;
	for (size_t i = 0; i < x->n_opts; i++)
		if (!same_opt(&x->opts[i], &y->opts[i]))
			return 0;
	return 1;
}

static void one_profile(const struct mk_codepoints *cp, const uint8_t *data, size_t size)
{
	struct mk_status st = mk_icmp6_parse(data, size, cp, &a);
	size_t n = 0;

	if (size > 0) {
		touch(mk_icmp6_type_name(cp, data[0]));
		if (size > 1)
			touch(mk_icmp6_code_name(data[0], data[1]));
	}
	if (st.err != MK_E_OK) {
		touch(mk_strerror(st.err));
		touch(mk_errname(st.err));
		if (st.off > size)
			abort();
		return;
	}
	names(cp, &a);
	st = mk_icmp6_strict(&a);
	touch(mk_strerror(st.err));
	if (size > sizeof rebuilt)
		return;
	st = mk_icmp6_build(rebuilt, sizeof rebuilt, cp, &a, &n);
	if (st.err != MK_E_OK || n != size)
		abort();
	/* lossless: same octets, checksum field zero */
	if (rebuilt[2] != 0 || rebuilt[3] != 0 || memcmp(rebuilt, data, 2) != 0 ||
	    memcmp(rebuilt + 4, data + 4, size - 4) != 0)
		abort();
	st = mk_icmp6_parse(rebuilt, n, cp, &b);
	if (st.err != MK_E_OK || !same_msg(&a, &b))
		abort();
	/* too small a buffer fails cleanly with length 0 */
	size_t n2 = 1;
	st = mk_icmp6_build(rebuilt, n - 1, cp, &a, &n2);
	if (st.err == MK_E_OK || n2 != 0)
		abort();
	st = mk_icmp6_build(rebuilt, sizeof rebuilt, cp, &a, &n);
	/* the checksum: fill, verify, break */
	struct in6_addr src = { .s6_addr = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 } };
	struct in6_addr dst = { .s6_addr = { 0xfe, 0x80, [15] = 2 } };
	if (mk_icmp6_cksum_fill(rebuilt, n, &src, &dst).err != MK_E_OK ||
	    !mk_icmp6_cksum_ok(rebuilt, n, &src, &dst))
		abort();
	rebuilt[n - 1] ^= 0x01;
	if (mk_icmp6_cksum_ok(rebuilt, n, &src, &dst))
		abort();
}

int mk_fuzz_icmp6(const uint8_t *data, size_t size)
{
	static struct mk_codepoints paper;
	static int init;

	if (!init) {
		if (mk_cp_profile(&paper, "paper").err != MK_E_OK)
			abort();
		init = 1;
	}
	one_profile(NULL, data, size);
	one_profile(&paper, data, size);
	return 0;
}

#ifdef MK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return mk_fuzz_icmp6(data, size);
}
#endif
