/* fuzz/fz_ip6.c: the input is a whole IPv6 packet.
 *
 * Walk the chain; compute the pseudo-header addresses and verify the
 * checksum; run the strict verdict; rebuild every RH2, HAO and Fragment
 * header that parsed and check the rebuilt one parses to the same fields;
 * reassemble the packet with mk_pkt_build (IPv6 + RH2 + HAO + the same
 * upper layer), fix its checksum and require that it walks and verifies;
 * round-trip the packet through encapsulation; decapsulate when the chain
 * ends in 41 and walk the inner packet the same way (a few levels deep).
 * Any broken property aborts. */
#include <stdlib.h>
#include <string.h>

#include "wire/describe.h"
#include "wire/cursor.h"
#include "wire/ip6ext.h"

int mk_fuzz_ip6(const uint8_t *data, size_t size);

#define PKT_MAX (MK_IP6_HLEN + MK_IP6_MAX_PLEN + 64)

static uint8_t scratch[PKT_MAX];

static void touch_names(const uint8_t *data, size_t size)
{
	for (size_t i = 0; i < size && i < 4; i++) {
		(void)mk_ip6_nh_name(data[i]);
		(void)mk_ip6_rh_type_name(data[i]);
		(void)mk_ip6_opt_name(data[i]);
		(void)mk_ip6_opt_action_name(mk_ip6_opt_action(data[i]));
	}
}

static void check_ext_roundtrips(const uint8_t *pkt, const struct mk_ip6_chain *c)
{
	uint8_t b[64];
	size_t n;

	for (unsigned i = 0; i < c->n; i++) {
		const struct mk_ip6_ext *e = &c->ext[i];
		const uint8_t *p = pkt + e->off;

		if ((int)i == c->rh2) {
			struct mk_rh2 a, z;
			if (mk_rh2_parse(p, e->len, &a).err != MK_E_OK)
				abort();
			if (mk_rh2_build(b, sizeof b, &a, &n).err != MK_E_OK || n != MK_RH2_LEN)
				abort();
			if (memcmp(b, p, MK_RH2_LEN) != 0) /* every RH2 octet is a field */
				abort();
			if (mk_rh2_parse(b, n, &z).err != MK_E_OK || z.nh != a.nh ||
			    z.segleft != a.segleft || z.reserved != a.reserved ||
			    memcmp(&z.hoa, &a.hoa, 16) != 0)
				abort();
		}
		if ((int)i == c->hao) {
			struct mk_hao a, z;
			if (mk_hao_parse(p, e->len, &a).err != MK_E_OK)
				abort();
			if (memcmp(&a.hoa, pkt + c->hao_off + 2, 16) != 0)
				abort();
			if (mk_hao_build(b, sizeof b, &a, &n).err != MK_E_OK || n != MK_HAO_HDR_LEN)
				abort();
			if (mk_hao_parse(b, n, &z).err != MK_E_OK || z.nh != a.nh ||
			    memcmp(&z.hoa, &a.hoa, 16) != 0)
				abort();
		}
		if ((int)i == c->frag) {
			struct mk_ip6_frag a, z;
			if (mk_ip6_frag_parse(p, e->len, &a).err != MK_E_OK)
				abort();
			if (a.off != c->frag_off || a.more != c->frag_more || a.id != c->frag_id)
				abort();
			if (mk_ip6_frag_build(b, sizeof b, &a, &n).err != MK_E_OK ||
			    mk_ip6_frag_parse(b, n, &z).err != MK_E_OK || a.nh != z.nh ||
			    a.off != z.off || a.more != z.more || a.id != z.id)
				abort();
		}
		if (e->type == MK_NH_DSTOPTS || e->type == MK_NH_HOPOPTS) {
			struct mk_ip6_opthdr oh;
			struct mk_status st = e->type == MK_NH_DSTOPTS
						      ? mk_ip6_dstopt_parse(p, e->len, &oh)
						      : mk_ip6_hbh_parse(p, e->len, &oh);
			if (st.err != MK_E_OK || oh.len != e->len || oh.nh != e->nh)
				abort();
			for (unsigned k = 0; k < oh.nopts && k < MK_IP6_MAX_OPTS; k++) {
				(void)mk_ip6_opt_name(oh.opt[k].type);
				if (oh.opt[k].off + 2 + oh.opt[k].len > oh.len)
					abort();
			}
		}
	}
}

/* Reassemble the packet from what the walker found and check it. */
static void check_reassembly(const uint8_t *pkt, const struct mk_ip6 *h,
			     const struct mk_ip6_chain *c)
{
	struct mk_pkt spec;
	size_t n;

	memset(&spec, 0, sizeof spec);
	spec.ip = *h;
	spec.ulp = c->ulp;
	spec.payload = pkt + c->ulp_off;
	spec.payload_len = c->ulp_len;
	if (c->rh2 >= 0) {
		spec.has_rh2 = true;
		memcpy(&spec.rh2_hoa, pkt + c->rh2_hoa_off, 16);
	}
	if (c->hao >= 0) {
		spec.has_hao = true;
		memcpy(&spec.hao, pkt + c->hao_off + 2, 16);
	}
	size_t ext = (spec.has_rh2 ? MK_RH2_LEN : 0) + (spec.has_hao ? MK_HAO_HDR_LEN : 0);
	struct mk_status st = mk_pkt_build(scratch, sizeof scratch, &spec, &n);
	if (st.err != MK_E_OK) {
		if (st.err == MK_E_RANGE && c->ulp_len + ext > MK_IP6_MAX_PLEN)
			return;
		abort();
	}
	struct mk_ip6 h2;
	struct mk_ip6_chain c2;
	if (mk_ip6_chain_parse(scratch, n, &h2, &c2).err != MK_E_OK)
		abort();
	if (c2.ulp != c->ulp || c2.ulp_len != c->ulp_len ||
	    memcmp(scratch + c2.ulp_off, pkt + c->ulp_off, c->ulp_len) != 0)
		abort();
	if ((c2.rh2 >= 0) != (c->rh2 >= 0) || (c2.hao >= 0) != (c->hao >= 0))
		abort();
	if (mk_ip6_chain_strict(scratch, &c2).err != MK_E_OK)
		abort(); /* what we build is always in order and as sent */

	/* the same pseudo-header addresses (RH2 rebuilt with SegLeft 1) */
	struct in6_addr s1, d1, s2, d2;
	mk_ip6_pseudo_addrs(h, c, pkt, &s1, &d1);
	mk_ip6_pseudo_addrs(&h2, &c2, scratch, &s2, &d2);
	if (memcmp(&s1, &s2, 16) != 0)
		abort();
	if (c->rh2 < 0 || c->rh2_segleft == 1)
		if (memcmp(&d1, &d2, 16) != 0)
			abort();

	/* a fixed checksum must verify */
	st = mk_pkt_fix_cksum(scratch, n);
	if (st.err == MK_E_OK) {
		struct mk_status cs;
		if (!mk_pkt_check_cksum(scratch, n, &cs) || cs.err != MK_E_OK)
			abort();
		int fo = mk_ip6_cksum_field(c2.ulp);
		if (fo < 0)
			abort();
		/* one flipped bit in the upper layer's checksum field must fail */
		scratch[c2.ulp_off + (size_t)fo] ^= 0x10;
		if (mk_pkt_check_cksum(scratch, n, &cs))
			abort();
	} else if (st.err != MK_E_IP6_NO_CKSUM && st.err != MK_E_IP6_FRAGMENT &&
		   st.err != MK_E_TRUNC) {
		abort();
	}
}

static bool ip6_eq(const struct mk_ip6 *a, const struct mk_ip6 *b)
{
	return a->tclass == b->tclass && a->flow == b->flow && a->plen == b->plen &&
	       a->nh == b->nh && a->hlim == b->hlim && !memcmp(&a->src, &b->src, 16) &&
	       !memcmp(&a->dst, &b->dst, 16);
}

static void walk(const uint8_t *data, size_t size, int depth)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;

	struct mk_status st = mk_ip6_chain_parse(data, size, &h, &c);
	(void)mk_strerror(st.err);
	(void)mk_errname(st.err);
	if (st.err != MK_E_OK) {
		if (st.off > size)
			abort();
		return;
	}
	if (c.end > size || c.ulp_off + c.ulp_len != c.end || c.n > MK_IP6_MAX_EXT)
		abort();
	(void)mk_ip6_nh_name(c.ulp);
	(void)mk_ip6_hao_pos_name(c.hao_pos);

	/* header round trip */
	uint8_t hb[MK_IP6_HLEN];
	size_t n;
	struct mk_ip6 h2;
	if (mk_ip6_build(hb, sizeof hb, &h, &n).err != MK_E_OK || n != MK_IP6_HLEN ||
	    memcmp(hb, data, MK_IP6_HLEN) != 0)
		abort();
	if (mk_ip6_parse(data, size, &h2).err != MK_E_OK || !ip6_eq(&h, &h2))
		abort();

	struct in6_addr ps, pd;
	mk_ip6_pseudo_addrs(&h, &c, data, &ps, &pd);
	struct mk_status cs;
	bool good = mk_pkt_check_cksum(data, size, &cs);
	if (good != (cs.err == MK_E_OK) || cs.off > size)
		abort();
	st = mk_ip6_chain_strict(data, &c);
	(void)mk_strerror(st.err);

	check_ext_roundtrips(data, &c);
	check_reassembly(data, &h, &c);

	/* encapsulate the packet (without link padding) and get it back */
	if (c.end <= MK_IP6_MAX_PLEN) {
		struct mk_ip6 oh = h;
		size_t io, il;
		st = mk_ip6_encap(scratch, sizeof scratch, &oh, data, c.end, &n);
		if (st.err != MK_E_OK || n != MK_IP6_HLEN + c.end)
			abort();
		if (mk_ip6_decap(scratch, n, NULL, NULL, &io, &il).err != MK_E_OK ||
		    io != MK_IP6_HLEN || il != c.end || memcmp(scratch + io, data, il) != 0)
			abort();
	}

	if (c.ulp == MK_NH_IPV6 && depth < 4) {
		size_t io, il;
		st = mk_ip6_decap(data, size, NULL, NULL, &io, &il);
		if (st.err == MK_E_OK) {
			if (io != c.ulp_off || il != c.ulp_len)
				abort();
			walk(data + io, il, depth + 1);
		}
	}
}

int mk_fuzz_ip6(const uint8_t *data, size_t size)
{
	if (size > PKT_MAX)
		return 0;
	touch_names(data, size);
	/* the standalone header parsers on the raw input too */
	struct mk_rh2 rh;
	struct mk_hao hao;
	struct mk_ip6_opthdr oh;
	struct mk_ip6_frag fr;
	(void)mk_rh2_parse_strict(data, size, &rh);
	(void)mk_hao_parse(data, size, &hao);
	(void)mk_ip6_hbh_parse(data, size, &oh);
	(void)mk_ip6_frag_parse(data, size, &fr);
	walk(data, size, 0);
	/* the one-line describer (mobprobe -v, the analyzers) on anything:
	 * it must stay inside the input and the line, and end the line */
	char line[512];
	size_t need = mk_pkt_describe(data, size, NULL, line, sizeof line);
	if (strlen(line) >= sizeof line || (need < sizeof line && strlen(line) != need))
		abort();
	/* its structured result: the same verdicts with or without a line, layers
	 * inside the packet, counts that add up */
	struct mk_pkt_summary s1, s2;
	mk_pkt_describe_ex(data, size, NULL, line, sizeof line, &s1);
	mk_pkt_describe_ex(data, size, NULL, NULL, 0, &s2);
	if (s1.n > MK_DESCRIBE_DEPTH || s1.n != s2.n || s1.err.err != s2.err.err ||
	    s1.err.off != s2.err.off || memcmp(&s1.outer, &s2.outer, sizeof s1.outer) ||
	    memcmp(&s1.inner, &s2.inner, sizeof s1.inner))
		abort();
	for (unsigned i = 0; i < s1.n; i++)
		if (s1.layer[i].off > size || s1.layer[i].len > size - s1.layer[i].off ||
		    s1.layer[i].cksum != s2.layer[i].cksum)
			abort();
	const struct mk_cksum_count *c[2] = { &s1.outer, &s1.inner };
	for (int i = 0; i < 2; i++)
		if (c[i]->checked != c[i]->ok + c[i]->bad + c[i]->partial)
			abort();
	if (s1.err.err != MK_E_OK && s1.err.off > size)
		abort();
	return 0;
}

#ifdef MK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return mk_fuzz_ip6(data, size);
}
#endif
