/* fuzz/fz_mh.c: Mobility Header parser, builder, checksum, BAD.
 *
 * For both codepoint profiles and each way of reading the shared option
 * type 18 (Experimental / MHA), parse the input; when it parses, rebuild
 * it from the struct and require that the rebuild succeeds, is no longer
 * than the input (the builder pads minimally), parses again to the same
 * message, and is a fixed point (building the re-parse gives the same
 * octets).  Every name table is touched, and a message with a BAD has its
 * authenticator filled and verified. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "wire/mh.h"
#include "wire/rr.h"

int mk_fuzz_mh(const uint8_t *data, size_t size);

static volatile size_t sink;

static void touch(const char *s)
{
	if (s)
		sink += strlen(s);
}

static void touch_names(const struct mk_mh *m, const struct mk_codepoints *cp)
{
	char buf[96];

	touch(mk_mh_type_name(m->type));
	touch(mk_mh_type_abbrev(m->type));
	switch (m->type) {
	case MK_MH_BU:
		touch(mk_mh_bu_flags_str(m->u.bu.flags, cp, buf, sizeof buf));
		for (int b = 0; b < 16; b++) {
			touch(mk_mh_bu_flag_name((uint16_t)(1u << b), cp));
			touch(mk_mh_bu_flag_desc((uint16_t)(1u << b), cp));
		}
		sink += mk_mh_lifetime_sec(m->u.bu.lifetime);
		sink += mk_mh_seq_newer(m->u.bu.seq, (uint16_t)m->u.bu.lifetime);
		break;
	case MK_MH_BA:
		touch(mk_mh_ba_status_name(m->u.ba.status));
		touch(mk_mh_ba_flags_str(m->u.ba.flags, buf, sizeof buf));
		for (int b = 0; b < 8; b++)
			touch(mk_mh_ba_flag_name((uint8_t)(1u << b)));
		break;
	case MK_MH_BE:
		touch(mk_mh_be_status_name(m->u.be.status));
		break;
	default:
		break;
	}
	for (size_t i = 0; i < m->nopts; i++) {
		const struct mk_mh_opt *o = &m->opts[i];
		touch(mk_mh_opt_name(o->type));
		touch(mk_mh_opt_kind_name(o->kind));
		if (o->kind == MK_MHO_AUTH)
			touch(mk_mh_auth_subtype_name(o->v.auth.subtype));
	}
}

static void round_trip(const uint8_t *data, size_t size, const struct mk_codepoints *cp,
		       unsigned flags)
{
	struct mk_mh m, m2, m3;
	static uint8_t out[MK_MH_MAX_LEN], out2[MK_MH_MAX_LEN];
	size_t n = 0, n2 = 0;

	struct mk_status st = mk_mh_parse_ex(data, size, cp, flags, &m);
	touch(mk_strerror(st.err));
	touch(mk_errname(st.err));
	if (st.err == MK_E_MH_UNKNOWN_TYPE) {
		touch(mk_mh_type_name(m.type));
		return;
	}
	if (st.err != MK_E_OK)
		return;
	if (st.off != 0 || m.len != size)
		abort();
	touch_names(&m, cp);

	st = mk_mh_build(out, sizeof out, cp, &m, &n);
	if (st.err != MK_E_OK || n == 0 || n % 8 != 0 || n > size)
		abort();
	st = mk_mh_parse_ex(out, n, cp, flags, &m2);
	if (st.err != MK_E_OK || !mk_mh_same(&m, &m2))
		abort();
	st = mk_mh_build(out2, sizeof out2, cp, &m2, &n2);
	if (st.err != MK_E_OK || n2 != n || memcmp(out, out2, n) != 0)
		abort();
	st = mk_mh_parse_ex(out2, n2, cp, flags, &m3);
	if (st.err != MK_E_OK || !mk_mh_same(&m2, &m3))
		abort();

	/* checksum and BAD on the canonical copy */
	struct in6_addr a = { 0 }, b = { 0 };
	a.s6_addr[15] = 1;
	b.s6_addr[15] = 2;
	if (mk_mh_find_opt(&m2, MK_MHO_BAD)) {
		static const uint8_t kbm[MK_RR_KBM_LEN];
		if (mk_rr_bad_fill(out, n, cp, kbm, &a, &b).err != MK_E_OK ||
		    mk_rr_bad_verify(out, n, cp, kbm, &a, &b).err != MK_E_OK)
			abort();
	}
	if (mk_mh_cksum(out, n, &a, &b).err != MK_E_OK || !mk_mh_cksum_ok(out, n, &a, &b))
		abort();
}

int mk_fuzz_mh(const uint8_t *data, size_t size)
{
	static struct mk_codepoints prof[2];
	static int loaded;
	static const unsigned flags[] = { 0, MK_MH_PARSE_EXP_AS_MHA, MK_MH_PARSE_MHA_IF_FLAG };

	if (!loaded) {
		if (mk_cp_profile(&prof[0], "default").err != MK_E_OK ||
		    mk_cp_profile(&prof[1], "paper").err != MK_E_OK)
			abort();
		loaded = 1;
	}
	if (!data)
		size = 0;
	for (int p = 0; p < 2; p++)
		for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++)
			round_trip(data, size, &prof[p], flags[f]);

	/* name tables over every value, driven a little by the input */
	uint8_t v = size ? data[0] : 0;
	char buf[96] = { 0 };
	touch(mk_mh_ba_status_name(v));
	touch(mk_mh_be_status_name(v));
	touch(mk_mh_auth_subtype_name(v));
	touch(mk_mh_opt_name(v));
	touch(mk_mh_type_name(v));
	touch(mk_mh_opt_kind_name((enum mk_mh_opt_kind)(v % (MK_MHO__COUNT + 1))));
	if (size >= 4) {
		uint16_t x = (uint16_t)(data[0] << 8 | data[1]);
		uint16_t y = (uint16_t)(data[2] << 8 | data[3]);
		touch(mk_mh_bu_flags_str(x, &prof[size & 1], buf, (size_t)data[2] % sizeof buf));
		touch(mk_mh_ba_flags_str(data[3], buf, sizeof buf));
		/* exactly one of "x newer than y", "y newer than x", equal, half way */
		int c = mk_mh_seq_newer(x, y) + mk_mh_seq_newer(y, x);
		if (c > 1 || (c == 0 && x != y && (uint16_t)(x - y) != 0x8000))
			abort();
		sink += mk_mh_lifetime_units((uint32_t)x * y);
	}
	return 0;
}

#ifdef MK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return mk_fuzz_mh(data, size);
}
#endif
