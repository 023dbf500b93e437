/* capture/mobcap/fields.c: every decoded field of a packet as typed, named
 * JSON members, for `mobcap decode --json` (in the manner of tshark -T ek;
 * the names are listed in mobcap(1)).
 *
 * A record's "layers" is an array of objects in wire order, one per header:
 * {"layer":"ipv6","depth":0,"ipv6.src":...}, {"layer":"ipv6.dstopts",...},
 * {"layer":"mh",...}; the packet inside an IPv6-in-IPv6 tunnel follows
 * with depth 1 (2 for a tunnel in a tunnel), and a quoted packet of an
 * ICMPv6 error is the array "icmpv6.invoking" inside the ICMPv6 layer.
 * Every upper layer with a checksum carries "<layer>.cksum" (the value as
 * received) and "<layer>.cksum.status" (ok, bad, partial) at every depth,
 * verified here with lib/wire's checksum functions.  Everything is parsed
 * with lib/wire and lib/dns and written from their results; the one
 * exception is a routing header of a type lib/wire does not decode (not
 * type 2), whose type and Segments Left octets the chain walker has checked
 * are there and are read as its describer reads them.
 */
#include "mobcap.h"

#include <string.h>

#include "dns/dns.h"
#include "util/fmt.h"
#include "util/json.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/tcpopt.h"
#include "wire/udp.h"

#define MAX_DEPTH 2 /* tunnels in tunnels, as lib/wire's describer */

struct fx {
	struct mk_json *j;
	const struct mk_codepoints *cp;
	struct mc_tally *t;
	const struct mk_dns_msg *dns; /* the outer packet's DNS, parsed by mc_describe */
	const char *outer;            /* the outer verdict, made by mc_describe */
};

static void addr(struct mk_json *j, const char *k, const void *a)
{
	char s[46];
	mk_json_str(j, k, mk_ip6_ntop(a, s));
}

static void err(struct mk_json *j, const char *k, struct mk_status st)
{
	char b[160];
	mk_append(b, sizeof b, 0, "%s at %zu", mk_strerror(st.err), st.off);
	mk_json_str(j, k, b);
}

static void hex_u(struct mk_json *j, const char *k, uint64_t v, unsigned octets)
{
	uint8_t b[8];
	for (unsigned i = 0; i < octets; i++)
		b[i] = (uint8_t)(v >> (8 * (octets - 1 - i)));
	mk_json_hex(j, k, b, octets);
}

static void layer(struct mk_json *j, const char *name, int depth)
{
	mk_json_obj(j, NULL);
	MK_JSON_K(j, "layer"), mk_json_str(j, NULL, name);
	MK_JSON_K(j, "depth"), mk_json_uint(j, NULL, (unsigned)depth);
}

/* the flags fields, each with its table of bit names */
enum flagset { FL_BU, FL_BA, FL_RA, FL_MPA, FL_DHAAD, FL_PI, FL_HAI, FL_TCP, FL_DNS };

static const char *dns_flag(unsigned b)
{
	switch (b) {
	case MK_DNS_F_QR: return "QR";
	case MK_DNS_F_AA: return "AA";
	case MK_DNS_F_TC: return "TC";
	case MK_DNS_F_RD: return "RD";
	case MK_DNS_F_RA: return "RA";
	case MK_DNS_F_AD: return "AD";
	case MK_DNS_F_CD: return "CD";
	default: return NULL;
	}
}

static const char *flag_name(enum flagset fs, unsigned b, const struct mk_codepoints *cp)
{
	switch (fs) {
	case FL_BU: return mk_mh_bu_flag_name((uint16_t)b, cp);
	case FL_BA: return mk_mh_ba_flag_name((uint8_t)b);
	case FL_RA: return mk_icmp6_ra_flag_name((uint8_t)b);
	case FL_MPA: return mk_icmp6_mpa_flag_name((uint16_t)b);
	case FL_DHAAD: return mk_icmp6_dhaad_flag_name((uint16_t)b);
	case FL_PI: return mk_nd_pi_flag_name((uint8_t)b);
	case FL_HAI: return mk_nd_hai_flag_name((uint16_t)b);
	case FL_TCP: return mk_tcp_flag_name((uint16_t)b);
	case FL_DNS: return dns_flag(b);
	}
	return NULL;
}

/* a flags field as the array of its set bits' names, most significant
 * first: the short name of the name tables ("H" of "H (home agent)"), a
 * bit without a name as "0x0004" */
static void flags(struct mk_json *j, const char *k, unsigned v, unsigned width, enum flagset fs,
		  const struct mk_codepoints *cp)
{
	mk_json_arr(j, k);
	for (unsigned b = 1u << (width - 1); b; b >>= 1) {
		if (!(v & b))
			continue;
		const char *n = flag_name(fs, b, cp), *sp;
		char h[32];
		if (!n) {
			mk_append(h, sizeof h, 0, width > 8 ? "0x%04x" : "0x%02x", b);
			n = h;
		} else if ((sp = strstr(n, " (")) != NULL && (size_t)(sp - n) < sizeof h) {
			memcpy(h, n, (size_t)(sp - n));
			h[sp - n] = 0;
			n = h;
		}
		mk_json_str(j, NULL, n);
	}
	mk_json_end(j);
}

/* a name from a table, left out when the table has none */
#define NAME(j, lit, n)                                                                            \
	do {                                                                                       \
		const char *name_ = (n);                                                           \
		if (name_)                                                                         \
			MK_JSON_K(j, lit), mk_json_str(j, NULL, name_);                            \
	} while (0)

/* ---- checksums ---- */

const char *mc_cksum_verdict(const uint8_t *ip, const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	int f = mk_ip6_cksum_field(c->ulp);
	if (f < 0 || (c->flags & (MK_IP6C_FRAG_HEAD | MK_IP6C_FRAG_TAIL | MK_IP6C_OPAQUE)) ||
	    c->ulp_len < (size_t)f + 2)
		return NULL;
	if (mk_ip6_ulp_cksum(ip, h, c) == 0)
		return "ok";
	return mk_ip6_ulp_cksum_partial(ip, h, c) ? "partial" : "bad";
}

void mc_tally_add(struct mc_tally *t, int inner, const char *v)
{
	if (!t || !v)
		return;
	if (v[0] == 'o')
		t->ok[inner]++;
	else if (v[0] == 'b')
		t->bad[inner]++;
	else
		t->partial[inner]++;
}

void mc_tally_inner(struct mc_tally *t, const uint8_t *ip, const struct mk_ip6_chain *c, int depth)
{
	struct mk_ip6 h;
	struct mk_ip6_chain ic;
	if (c->ulp != MK_NH_IPV6 || depth >= MAX_DEPTH || (c->flags & MK_IP6C_FRAG_HEAD))
		return;
	const uint8_t *in = ip + c->ulp_off;
	if (mk_ip6_chain_parse(in, c->ulp_len, &h, &ic).err != MK_E_OK)
		return;
	mc_tally_add(t, 1, mc_cksum_verdict(in, &h, &ic));
	mc_tally_inner(t, in, &ic, depth + 1);
}

/* LAYER.cksum: the checksum as received (if have), LAYER.cksum.status: the
 * verdict.  Quoted packets
 * (judge false) get no verdict; the outer one is mc_describe's. */
#define Q(lit) "\"" lit "\":", sizeof("\"" lit "\":") - 1
#define cksum(x, layer, ...) cksum_(x, Q(layer ".cksum"), Q(layer ".cksum.status"), __VA_ARGS__)

static void cksum_(struct fx *x, const char *k, size_t kn, const char *ks, size_t ksn, bool have,
		   uint16_t v, const uint8_t *ip, const struct mk_ip6 *h, const struct mk_ip6_chain *c,
		   int depth, bool judge)
{
	if (have)
		mk_json_key(x->j, k, kn), mk_json_uint(x->j, NULL, v);
	if (!judge)
		return;
	const char *vd = depth == 0 ? x->outer : mc_cksum_verdict(ip, h, c);
	if (vd)
		mk_json_key(x->j, ks, ksn), mk_json_str(x->j, NULL, vd);
	if (depth > 0)
		mc_tally_add(x->t, 1, vd);
}

/* ---- IPv6 and its extension headers ---- */

static void ip6_fields(struct mk_json *j, const struct mk_ip6 *h)
{
	MK_JSON_K(j, "ipv6.tclass"), mk_json_uint(j, NULL, h->tclass);
	MK_JSON_K(j, "ipv6.flow"), mk_json_uint(j, NULL, h->flow);
	MK_JSON_K(j, "ipv6.plen"), mk_json_uint(j, NULL, h->plen);
	MK_JSON_K(j, "ipv6.nxt"), mk_json_uint(j, NULL, h->nh);
	MK_JSON_K(j, "ipv6.hlim"), mk_json_uint(j, NULL, h->hlim);
	MK_JSON_K(j, "ipv6.src"), addr(j, NULL, &h->src);
	MK_JSON_K(j, "ipv6.dst"), addr(j, NULL, &h->dst);
}

static void opthdr(struct fx *x, const uint8_t *pkt, const struct mk_ip6_ext *e, bool hbh, int depth)
{
	struct mk_json *j = x->j;
	struct mk_ip6_opthdr o;
	const char *pre = hbh ? "ipv6.hopopts" : "ipv6.dstopts";
	char k[40];
	struct mk_status st = hbh ? mk_ip6_hbh_parse(pkt + e->off, e->len, &o)
				  : mk_ip6_dstopt_parse(pkt + e->off, e->len, &o);
	layer(j, pre, depth);
	mk_append(k, sizeof k, 0, "%s.nxt", pre);
	mk_json_uint(j, k, e->nh);
	mk_append(k, sizeof k, 0, "%s.len", pre);
	mk_json_uint(j, k, e->len);
	if (st.err != MK_E_OK) {
		mk_append(k, sizeof k, 0, "%s.error", pre);
		err(j, k, st);
	} else {
		mk_append(k, sizeof k, 0, "%s.opts", pre);
		mk_json_arr(j, k);
		for (unsigned i = 0; i < o.nopts && i < MK_IP6_MAX_OPTS; i++) {
			const struct mk_ip6_opt *op = &o.opt[i];
			mk_json_obj(j, NULL);
			MK_JSON_K(j, "ipv6.opt.type"), mk_json_uint(j, NULL, op->type);
			NAME(j, "ipv6.opt.name", mk_ip6_opt_name(op->type));
			MK_JSON_K(j, "ipv6.opt.len"), mk_json_uint(j, NULL, op->len);
			MK_JSON_K(j, "ipv6.opt.action"), mk_json_str(j, NULL,
				    mk_ip6_opt_action_name(mk_ip6_opt_action(op->type)));
			if (!hbh && op->type == MK_IP6OPT_HAO && o.hao_off)
				MK_JSON_K(j, "ipv6.opt.hao"), addr(j, NULL, &o.hoa);
			else
				MK_JSON_K(j, "ipv6.opt.data"), mk_json_hex(j, NULL, pkt + e->off + op->off + 2, op->len);
			mk_json_end(j);
		}
		mk_json_end(j);
		if (!hbh && o.hao_off)
			MK_JSON_K(j, "ipv6.hao"), addr(j, NULL, &o.hoa);
	}
	mk_json_end(j);
}

static void routing(struct fx *x, const uint8_t *pkt, const struct mk_ip6_ext *e, int depth)
{
	struct mk_json *j = x->j;
	const uint8_t *r = pkt + e->off; /* the walker checked the 4 fixed octets */
	layer(j, "ipv6.routing", depth);
	MK_JSON_K(j, "ipv6.routing.nxt"), mk_json_uint(j, NULL, e->nh);
	MK_JSON_K(j, "ipv6.routing.len"), mk_json_uint(j, NULL, e->len);
	if (r[2] == MK_RH_TYPE2) {
		struct mk_rh2 rh;
		struct mk_status st = mk_rh2_parse(r, e->len, &rh);
		MK_JSON_K(j, "ipv6.routing.type"), mk_json_uint(j, NULL, MK_RH_TYPE2);
		NAME(j, "ipv6.routing.type_name", mk_ip6_rh_type_name(MK_RH_TYPE2));
		if (st.err != MK_E_OK) {
			MK_JSON_K(j, "ipv6.routing.error"), err(j, NULL, st);
		} else {
			MK_JSON_K(j, "ipv6.routing.segleft"), mk_json_uint(j, NULL, rh.segleft);
			MK_JSON_K(j, "ipv6.rh2.reserved"), mk_json_uint(j, NULL, rh.reserved);
			MK_JSON_K(j, "ipv6.rh2.hoa"), addr(j, NULL, &rh.hoa);
		}
	} else {
		MK_JSON_K(j, "ipv6.routing.type"), mk_json_uint(j, NULL, r[2]);
		NAME(j, "ipv6.routing.type_name", mk_ip6_rh_type_name(r[2]));
		MK_JSON_K(j, "ipv6.routing.segleft"), mk_json_uint(j, NULL, r[3]);
		MK_JSON_K(j, "ipv6.routing.data"), mk_json_hex(j, NULL, r + 4, e->len - 4);
	}
	mk_json_end(j);
}

static void fragment(struct fx *x, const uint8_t *pkt, const struct mk_ip6_ext *e, int depth)
{
	struct mk_json *j = x->j;
	struct mk_ip6_frag f;
	layer(j, "ipv6.fragment", depth);
	MK_JSON_K(j, "ipv6.fragment.nxt"), mk_json_uint(j, NULL, e->nh);
	if (mk_ip6_frag_parse(pkt + e->off, e->len, &f).err == MK_E_OK) {
		MK_JSON_K(j, "ipv6.fragment.offset"), mk_json_uint(j, NULL, f.off);
		MK_JSON_K(j, "ipv6.fragment.more"), mk_json_bool(j, NULL, f.more);
		MK_JSON_K(j, "ipv6.fragment.id"), mk_json_uint(j, NULL, f.id);
	}
	mk_json_end(j);
}

/* ---- Mobility Header ---- */

static void mh_opt(struct fx *x, const struct mk_mh_opt *o)
{
	struct mk_json *j = x->j;
	mk_json_obj(j, NULL);
	MK_JSON_K(j, "mh.opt.type"), mk_json_uint(j, NULL, o->type);
	NAME(j, "mh.opt.name", mk_mh_opt_kind_name(o->kind));
	MK_JSON_K(j, "mh.opt.len"), mk_json_uint(j, NULL, o->len);
	switch (o->kind) {
	case MK_MHO_BRA:
		MK_JSON_K(j, "mh.opt.bra.interval"), mk_json_uint(j, NULL, o->v.bra);
		MK_JSON_K(j, "mh.opt.bra.interval_s"), mk_json_uint(j, NULL, (unsigned)o->v.bra * 4u);
		break;
	case MK_MHO_ALTCOA:
		MK_JSON_K(j, "mh.opt.altcoa"), addr(j, NULL, &o->v.altcoa);
		break;
	case MK_MHO_NONCE:
		MK_JSON_K(j, "mh.opt.nonce.home"), mk_json_uint(j, NULL, o->v.nonce.home);
		MK_JSON_K(j, "mh.opt.nonce.careof"), mk_json_uint(j, NULL, o->v.nonce.careof);
		break;
	case MK_MHO_BAD:
		MK_JSON_K(j, "mh.opt.bad.authenticator"), mk_json_hex(j, NULL, o->v.bad, MK_MH_BAD_LEN);
		break;
	case MK_MHO_AUTH:
		MK_JSON_K(j, "mh.opt.auth.subtype"), mk_json_uint(j, NULL, o->v.auth.subtype);
		NAME(j, "mh.opt.auth.subtype_name", mk_mh_auth_subtype_name(o->v.auth.subtype));
		MK_JSON_K(j, "mh.opt.auth.spi"), mk_json_uint(j, NULL, o->v.auth.spi);
		MK_JSON_K(j, "mh.opt.auth.data"), mk_json_hex(j, NULL, o->v.auth.data, o->v.auth.len);
		break;
	case MK_MHO_REPLAY:
		/* RFC 4285: a 64-bit NTP timestamp, seconds since 1900 above */
		MK_JSON_K(j, "mh.opt.replay.seconds"), mk_json_uint(j, NULL, o->v.replay >> 32);
		MK_JSON_K(j, "mh.opt.replay.fraction"), mk_json_uint(j, NULL, o->v.replay & 0xffffffffu);
		MK_JSON_K(j, "mh.opt.replay.timestamp"), hex_u(j, NULL, o->v.replay, 8);
		break;
	case MK_MHO_MHA:
		MK_JSON_K(j, "mh.opt.mha.addrs"), mk_json_arr(j, NULL);
		for (size_t i = 0; i < o->v.mha.n; i++)
			addr(j, NULL, o->v.mha.addrs + 16 * i);
		mk_json_end(j);
		break;
	case MK_MHO_EXP:
	case MK_MHO_UNKNOWN:
	case MK_MHO_PADN:
		MK_JSON_K(j, "mh.opt.data"), mk_json_hex(j, NULL, o->v.raw.data, o->v.raw.len);
		break;
	default:
		break;
	}
	mk_json_end(j);
}

static void mh(struct fx *x, const uint8_t *pkt, const struct mk_ip6 *h, const struct mk_ip6_chain *c,
	       int depth, bool judge)
{
	struct mk_json *j = x->j;
	static struct mk_mh m; /* the largest of the parsed messages: not on the stack */
	struct mk_status st = mk_mh_parse_ex(pkt + c->ulp_off, c->ulp_len, x->cp, MK_MH_PARSE_MHA_IF_FLAG, &m);
	const char *ab;

	layer(j, "mh", depth);
	if (st.err != MK_E_OK && c->ulp_len < 8) {
		MK_JSON_K(j, "mh.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	MK_JSON_K(j, "mh.proto"), mk_json_uint(j, NULL, m.proto);
	MK_JSON_K(j, "mh.hlen"), mk_json_uint(j, NULL, m.hlen);
	MK_JSON_K(j, "mh.type"), mk_json_uint(j, NULL, m.type);
	ab = mk_mh_type_abbrev(m.type);
	NAME(j, "mh.type_name", ab ? ab : mk_mh_type_name(m.type));
	cksum(x, "mh", true, m.cksum, pkt, h, c, depth, judge);
	if (st.err != MK_E_OK) {
		MK_JSON_K(j, "mh.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	switch (m.type) {
	case MK_MH_BU:
		MK_JSON_K(j, "mh.seq"), mk_json_uint(j, NULL, m.u.bu.seq);
		MK_JSON_K(j, "mh.flags"), flags(j, NULL, m.u.bu.flags, 16, FL_BU, x->cp);
		MK_JSON_K(j, "mh.flags_raw"), mk_json_uint(j, NULL, m.u.bu.flags);
		MK_JSON_K(j, "mh.lifetime"), mk_json_uint(j, NULL, m.u.bu.lifetime);
		MK_JSON_K(j, "mh.lifetime_s"), mk_json_uint(j, NULL, mk_mh_lifetime_sec(m.u.bu.lifetime));
		break;
	case MK_MH_BA:
		MK_JSON_K(j, "mh.status"), mk_json_uint(j, NULL, m.u.ba.status);
		NAME(j, "mh.status_name", mk_mh_ba_status_name(m.u.ba.status));
		MK_JSON_K(j, "mh.flags"), flags(j, NULL, m.u.ba.flags, 8, FL_BA, x->cp);
		MK_JSON_K(j, "mh.flags_raw"), mk_json_uint(j, NULL, m.u.ba.flags);
		MK_JSON_K(j, "mh.seq"), mk_json_uint(j, NULL, m.u.ba.seq);
		MK_JSON_K(j, "mh.lifetime"), mk_json_uint(j, NULL, m.u.ba.lifetime);
		MK_JSON_K(j, "mh.lifetime_s"), mk_json_uint(j, NULL, mk_mh_lifetime_sec(m.u.ba.lifetime));
		break;
	case MK_MH_BE:
		MK_JSON_K(j, "mh.status"), mk_json_uint(j, NULL, m.u.be.status);
		NAME(j, "mh.status_name", mk_mh_be_status_name(m.u.be.status));
		MK_JSON_K(j, "mh.hoa"), addr(j, NULL, &m.u.be.hoa);
		break;
	case MK_MH_HOTI:
	case MK_MH_COTI:
		MK_JSON_K(j, "mh.cookie"), mk_json_hex(j, NULL, m.u.testinit.cookie, 8);
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		MK_JSON_K(j, "mh.nonce_index"), mk_json_uint(j, NULL, m.u.test.nonce_idx);
		MK_JSON_K(j, "mh.cookie"), mk_json_hex(j, NULL, m.u.test.cookie, 8);
		MK_JSON_K(j, "mh.token"), mk_json_hex(j, NULL, m.u.test.token, 8);
		break;
	case MK_MH_HAS:
		MK_JSON_K(j, "mh.has.addrs"), mk_json_arr(j, NULL);
		for (unsigned i = 0; i < m.u.has.n; i++)
			addr(j, NULL, m.u.has.addrs + 16 * i);
		mk_json_end(j);
		break;
	case MK_MH_BRR:
		break;
	default:
		MK_JSON_K(j, "mh.data"), mk_json_hex(j, NULL, m.u.raw.data, m.u.raw.len);
		break;
	}
	MK_JSON_K(j, "mh.opts"), mk_json_arr(j, NULL);
	for (size_t i = 0; i < m.nopts; i++)
		mh_opt(x, &m.opts[i]);
	mk_json_end(j);
	mk_json_end(j);
}

/* ---- ICMPv6 ---- */

static void layers(struct fx *x, const uint8_t *pkt, size_t len, int depth, bool judge,
		   const struct mk_ip6 *ph, const struct mk_ip6_chain *pc);

static void nd_opt(struct mk_json *j, const struct mk_nd_opt *o)
{
	mk_json_obj(j, NULL);
	MK_JSON_K(j, "icmpv6.opt.type"), mk_json_uint(j, NULL, o->type);
	NAME(j, "icmpv6.opt.name", mk_nd_opt_name(o->type));
	MK_JSON_K(j, "icmpv6.opt.len"), mk_json_uint(j, NULL, o->len);
	switch (o->type) {
	case MK_ND_OPT_PREFIX:
		MK_JSON_K(j, "icmpv6.opt.prefix.length"), mk_json_uint(j, NULL, o->u.pi.prefix_len);
		MK_JSON_K(j, "icmpv6.opt.prefix.flags"), flags(j, NULL, o->u.pi.flags, 8, FL_PI, NULL);
		MK_JSON_K(j, "icmpv6.opt.prefix.valid_lifetime"), mk_json_uint(j, NULL, o->u.pi.valid);
		MK_JSON_K(j, "icmpv6.opt.prefix.preferred_lifetime"), mk_json_uint(j, NULL, o->u.pi.preferred);
		MK_JSON_K(j, "icmpv6.opt.prefix"), addr(j, NULL, &o->u.pi.prefix);
		break;
	case MK_ND_OPT_MTU:
		MK_JSON_K(j, "icmpv6.opt.mtu"), mk_json_uint(j, NULL, o->u.mtu.mtu);
		break;
	case MK_ND_OPT_ADVINT:
		MK_JSON_K(j, "icmpv6.opt.adv_interval_ms"), mk_json_uint(j, NULL, o->u.advint.interval_ms);
		break;
	case MK_ND_OPT_HAINFO:
		MK_JSON_K(j, "icmpv6.opt.hai.flags"), flags(j, NULL, o->u.hai.reserved, 16, FL_HAI, NULL);
		MK_JSON_K(j, "icmpv6.opt.hai.preference"), mk_json_uint(j, NULL, o->u.hai.pref);
		MK_JSON_K(j, "icmpv6.opt.hai.lifetime"), mk_json_uint(j, NULL, o->u.hai.lifetime);
		break;
	default:
		MK_JSON_K(j, "icmpv6.opt.data"), mk_json_hex(j, NULL, o->data, o->data_len);
		break;
	}
	mk_json_end(j);
}

static void icmp6(struct fx *x, const uint8_t *pkt, const struct mk_ip6 *h,
		  const struct mk_ip6_chain *c, int depth, bool judge)
{
	struct mk_json *j = x->j;
	static struct mk_icmp6 m[MAX_DEPTH + 2]; /* large; one per nesting level of quoted packets */
	struct mk_icmp6 *mm = &m[depth < MAX_DEPTH + 1 ? depth : MAX_DEPTH + 1];
	struct mk_status st = mk_icmp6_parse(pkt + c->ulp_off, c->ulp_len, x->cp, mm);

	layer(j, "icmpv6", depth);
	if (c->ulp_len < 4) {
		MK_JSON_K(j, "icmpv6.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	/* the parser reads type, code, then the checksum, before it may fail */
	MK_JSON_K(j, "icmpv6.type"), mk_json_uint(j, NULL, mm->type);
	NAME(j, "icmpv6.type_name", mk_icmp6_type_name(x->cp, mm->type));
	MK_JSON_K(j, "icmpv6.code"), mk_json_uint(j, NULL, mm->code);
	NAME(j, "icmpv6.code_name", mk_icmp6_code_name(mm->type, mm->code));
	cksum(x, "icmpv6", st.err == MK_E_OK || st.off >= 4, mm->cksum,
	      pkt, h, c, depth, judge);
	if (st.err != MK_E_OK) {
		MK_JSON_K(j, "icmpv6.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	switch (mm->kind) {
	case MK_ICMP6_K_PARAM_PROB:
		MK_JSON_K(j, "icmpv6.pointer"), mk_json_uint(j, NULL, mm->u.err.word);
		goto invoking;
	case MK_ICMP6_K_PKT_TOO_BIG:
		MK_JSON_K(j, "icmpv6.mtu"), mk_json_uint(j, NULL, mm->u.err.word);
		goto invoking;
	case MK_ICMP6_K_DST_UNREACH:
	case MK_ICMP6_K_TIME_EXCEEDED:
		MK_JSON_K(j, "icmpv6.unused"), mk_json_uint(j, NULL, mm->u.err.word);
	invoking:
		MK_JSON_K(j, "icmpv6.invoking_len"), mk_json_uint(j, NULL, mm->u.err.invoking_len);
		if (depth < MAX_DEPTH && mm->u.err.invoking_len >= MK_IP6_HLEN) {
			MK_JSON_K(j, "icmpv6.invoking"), mk_json_arr(j, NULL);
			/* a quoted packet: its checksums are not this packet's */
			layers(x, mm->u.err.invoking, mm->u.err.invoking_len, depth + 1, false, NULL, NULL);
			mk_json_end(j);
		}
		break;
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		MK_JSON_K(j, "icmpv6.echo.id"), mk_json_uint(j, NULL, mm->u.echo.id);
		MK_JSON_K(j, "icmpv6.echo.seq"), mk_json_uint(j, NULL, mm->u.echo.seq);
		MK_JSON_K(j, "icmpv6.echo.data_len"), mk_json_uint(j, NULL, mm->u.echo.data_len);
		break;
	case MK_ICMP6_K_RA:
		MK_JSON_K(j, "icmpv6.ra.cur_hop_limit"), mk_json_uint(j, NULL, mm->u.ra.cur_hop_limit);
		MK_JSON_K(j, "icmpv6.ra.flags"), flags(j, NULL, mm->u.ra.flags, 8, FL_RA, NULL);
		MK_JSON_K(j, "icmpv6.ra.router_lifetime"), mk_json_uint(j, NULL, mm->u.ra.router_lifetime);
		MK_JSON_K(j, "icmpv6.ra.reachable_ms"), mk_json_uint(j, NULL, mm->u.ra.reachable_ms);
		MK_JSON_K(j, "icmpv6.ra.retrans_ms"), mk_json_uint(j, NULL, mm->u.ra.retrans_ms);
		break;
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		MK_JSON_K(j, "icmpv6.id"), mk_json_uint(j, NULL, mm->u.ident.id);
		if (mm->kind == MK_ICMP6_K_MPA)
			MK_JSON_K(j, "icmpv6.mpa.flags"), flags(j, NULL, mm->u.ident.reserved, 16, FL_MPA, NULL);
		else if (mm->kind == MK_ICMP6_K_DHAAD_REQUEST || mm->kind == MK_ICMP6_K_DHAAD_REPLY)
			MK_JSON_K(j, "icmpv6.dhaad.flags"), flags(j, NULL, mm->u.ident.reserved, 16, FL_DHAAD, NULL);
		else
			MK_JSON_K(j, "icmpv6.reserved"), mk_json_uint(j, NULL, mm->u.ident.reserved);
		break;
	default:
		MK_JSON_K(j, "icmpv6.data"), mk_json_hex(j, NULL, mm->u.other.body, mm->u.other.body_len);
		break;
	}
	if (mm->kind == MK_ICMP6_K_DHAAD_REPLY || mm->kind == MK_ICMP6_K_HA_UNREACH) {
		MK_JSON_K(j, "icmpv6.addrs"), mk_json_arr(j, NULL);
		for (size_t i = 0; i < mm->n_addrs; i++)
			addr(j, NULL, &mm->addrs[i]);
		mk_json_end(j);
	}
	if (mm->kind == MK_ICMP6_K_RA || mm->kind == MK_ICMP6_K_MPS || mm->kind == MK_ICMP6_K_MPA) {
		MK_JSON_K(j, "icmpv6.opts"), mk_json_arr(j, NULL);
		for (size_t i = 0; i < mm->n_opts; i++)
			nd_opt(j, &mm->opts[i]);
		mk_json_end(j);
	}
	mk_json_end(j);
}

/* ---- TCP ---- */

static void tcp_opt(struct fx *x, const struct mk_tcpopt *o)
{
	struct mk_json *j = x->j;
	mk_json_obj(j, NULL);
	MK_JSON_K(j, "tcp.opt.kind"), mk_json_uint(j, NULL, o->kind);
	NAME(j, "tcp.opt.name", mk_tcpopt_type_name(o->type));
	MK_JSON_K(j, "tcp.opt.len"), mk_json_uint(j, NULL, o->len);
	switch (o->type) {
	case MK_TCPOPT_MSS:
		MK_JSON_K(j, "tcp.opt.mss"), mk_json_uint(j, NULL, o->u.mss);
		break;
	case MK_TCPOPT_WS:
		MK_JSON_K(j, "tcp.opt.ws"), mk_json_uint(j, NULL, o->u.ws);
		break;
	case MK_TCPOPT_SACK:
		MK_JSON_K(j, "tcp.opt.sack"), mk_json_arr(j, NULL);
		for (unsigned i = 0; i < o->u.sack.n && i < MK_TCP_SACK_MAX; i++) {
			mk_json_obj(j, NULL);
			MK_JSON_K(j, "left"), mk_json_uint(j, NULL, o->u.sack.blk[i].left);
			MK_JSON_K(j, "right"), mk_json_uint(j, NULL, o->u.sack.blk[i].right);
			mk_json_end(j);
		}
		mk_json_end(j);
		break;
	case MK_TCPOPT_TS:
		MK_JSON_K(j, "tcp.opt.ts.val"), mk_json_uint(j, NULL, o->u.ts.val);
		MK_JSON_K(j, "tcp.opt.ts.ecr"), mk_json_uint(j, NULL, o->u.ts.ecr);
		break;
	case MK_TCPOPT_MIGPERM:
		MK_JSON_K(j, "tcp.opt.migperm.exid"), mk_json_uint(j, NULL, o->u.migperm.exid);
		MK_JSON_K(j, "tcp.opt.migperm.curve"), mk_json_uint(j, NULL, o->u.migperm.curve);
		if (o->u.migperm.curve)
			MK_JSON_K(j, "tcp.opt.migperm.keydata"), mk_json_hex(j, NULL, o->u.migperm.key, MK_TCP_MIGPERM_KEYDATA);
		break;
	case MK_TCPOPT_MIGRATE:
		MK_JSON_K(j, "tcp.opt.migrate.exid"), mk_json_uint(j, NULL, o->u.migrate.exid);
		MK_JSON_K(j, "tcp.opt.migrate.preload"), mk_json_bool(j, NULL, o->u.migrate.preload);
		MK_JSON_K(j, "tcp.opt.migrate.reqno"), mk_json_uint(j, NULL, o->u.migrate.reqno);
		/* 64-bit values as hex strings: JSON readers keep 53 bits of a number */
		MK_JSON_K(j, "tcp.opt.migrate.token"), hex_u(j, NULL, o->u.migrate.token, 8);
		MK_JSON_K(j, "tcp.opt.migrate.request"), hex_u(j, NULL, o->u.migrate.request, 8);
		break;
	case MK_TCPOPT_EXP:
		MK_JSON_K(j, "tcp.opt.exp.exid"), mk_json_uint(j, NULL, o->u.exp.exid);
		NAME(j, "tcp.opt.exp.name", mk_tcp_exid_name(o->u.exp.exid));
		MK_JSON_K(j, "tcp.opt.exp.data"), mk_json_hex(j, NULL, o->u.exp.data, o->u.exp.dlen);
		break;
	case MK_TCPOPT_RAW:
		MK_JSON_K(j, "tcp.opt.data"), mk_json_hex(j, NULL, o->u.raw.data, o->u.raw.dlen);
		break;
	default:
		break;
	}
	mk_json_end(j);
}

static void tcp(struct fx *x, const uint8_t *pkt, const struct mk_ip6 *h, const struct mk_ip6_chain *c,
		int depth, bool judge)
{
	struct mk_json *j = x->j;
	static struct mk_tcp t;
	struct mk_status st = mk_tcp_parse(pkt + c->ulp_off, c->ulp_len, x->cp, &t);

	layer(j, "tcp", depth);
	if (c->ulp_len < MK_TCP_HDR_MIN) {
		MK_JSON_K(j, "tcp.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	MK_JSON_K(j, "tcp.srcport"), mk_json_uint(j, NULL, t.sport);
	MK_JSON_K(j, "tcp.dstport"), mk_json_uint(j, NULL, t.dport);
	MK_JSON_K(j, "tcp.seq"), mk_json_uint(j, NULL, t.seq);
	MK_JSON_K(j, "tcp.ack"), mk_json_uint(j, NULL, t.ack);
	MK_JSON_K(j, "tcp.hdr_len"), mk_json_uint(j, NULL, (unsigned)t.doff * 4u);
	MK_JSON_K(j, "tcp.flags"), flags(j, NULL, t.flags, 12, FL_TCP, NULL);
	MK_JSON_K(j, "tcp.flags_raw"), mk_json_uint(j, NULL, t.flags);
	MK_JSON_K(j, "tcp.window"), mk_json_uint(j, NULL, t.window);
	cksum(x, "tcp", true, t.cksum, pkt, h, c, depth, judge);
	MK_JSON_K(j, "tcp.urg"), mk_json_uint(j, NULL, t.urg);
	if (st.err != MK_E_OK) {
		MK_JSON_K(j, "tcp.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	MK_JSON_K(j, "tcp.len"), mk_json_uint(j, NULL, t.payload_len);
	MK_JSON_K(j, "tcp.opts"), mk_json_arr(j, NULL);
	for (size_t i = 0; i < t.opts.n; i++)
		if (t.opts.o[i].type != MK_TCPOPT_NOP && t.opts.o[i].type != MK_TCPOPT_EOL)
			tcp_opt(x, &t.opts.o[i]);
	mk_json_end(j);
	mk_json_end(j);
}

/* ---- UDP and DNS ---- */

static void dns_name(struct mk_json *j, const char *k, const struct mk_dns_msg *m, size_t off)
{
	char n[MK_DNS_NAME_STR_MAX];
	if (mk_dns_msg_name(m, off, n, sizeof n).err == MK_E_OK)
		mk_json_str(j, k, n);
	else
		mk_json_null(j, k);
}

static void dns_rr(struct fx *x, const struct mk_dns_msg *m, const struct mk_dns_rec *r, bool upd)
{
	struct mk_json *j = x->j;
	char a[46];
	mk_json_obj(j, NULL);
	dns_name(j, "dns.rr.name", m, r->off);
	MK_JSON_K(j, "dns.rr.type"), mk_json_uint(j, NULL, r->type);
	NAME(j, "dns.rr.type_name", mk_dns_type_name(r->type, x->cp));
	if (r->kind != MK_DNS_RD_OPT) {
		MK_JSON_K(j, "dns.rr.class"), mk_json_uint(j, NULL, r->cls);
		NAME(j, "dns.rr.class_name", mk_dns_class_name(r->cls));
	}
	if (r->section == MK_DNS_SEC_QUESTION) {
		mk_json_end(j);
		return;
	}
	if (upd && r->section == MK_DNS_SEC_AUTHORITY)
		MK_JSON_K(j, "dns.rr.op"), mk_json_str(j, NULL, r->cls == MK_DNS_C_ANY ? (r->type == MK_DNS_T_ANY ? "delete-name" : "delete-rrset")
					    : r->cls == MK_DNS_C_NONE ? "delete-rr" : "add");
	if (r->kind != MK_DNS_RD_OPT)
		MK_JSON_K(j, "dns.rr.ttl"), mk_json_uint(j, NULL, r->ttl);
	MK_JSON_K(j, "dns.rr.rdlen"), mk_json_uint(j, NULL, r->rdlen);
	switch (r->kind) {
	case MK_DNS_RD_A:
		mk_append(a, sizeof a, 0, "%u.%u.%u.%u", r->rd.a[0], r->rd.a[1], r->rd.a[2], r->rd.a[3]);
		MK_JSON_K(j, "dns.rr.a"), mk_json_str(j, NULL, a);
		break;
	case MK_DNS_RD_AAAA:
		MK_JSON_K(j, "dns.rr.aaaa"), addr(j, NULL, r->rd.aaaa);
		break;
	case MK_DNS_RD_CAAAA:
		MK_JSON_K(j, "dns.rr.caaaa"), addr(j, NULL, r->rd.aaaa);
		break;
	case MK_DNS_RD_SOA:
		dns_name(j, "dns.rr.soa.mname", m, r->rd.soa.mname_off);
		dns_name(j, "dns.rr.soa.rname", m, r->rd.soa.rname_off);
		MK_JSON_K(j, "dns.rr.soa.serial"), mk_json_uint(j, NULL, r->rd.soa.serial);
		MK_JSON_K(j, "dns.rr.soa.refresh"), mk_json_uint(j, NULL, r->rd.soa.refresh);
		MK_JSON_K(j, "dns.rr.soa.retry"), mk_json_uint(j, NULL, r->rd.soa.retry);
		MK_JSON_K(j, "dns.rr.soa.expire"), mk_json_uint(j, NULL, r->rd.soa.expire);
		MK_JSON_K(j, "dns.rr.soa.minimum"), mk_json_uint(j, NULL, r->rd.soa.minimum);
		break;
	case MK_DNS_RD_CNAME:
		dns_name(j, "dns.rr.cname", m, r->rd.cname_off);
		break;
	case MK_DNS_RD_TSIG:
		dns_name(j, "dns.rr.tsig.alg", m, r->rd.tsig.alg_off);
		MK_JSON_K(j, "dns.rr.tsig.time_signed"), mk_json_uint(j, NULL, r->rd.tsig.time_signed);
		MK_JSON_K(j, "dns.rr.tsig.fudge"), mk_json_uint(j, NULL, r->rd.tsig.fudge);
		MK_JSON_K(j, "dns.rr.tsig.mac"), mk_json_hex(j, NULL, m->buf + r->rd.tsig.mac_off, r->rd.tsig.mac_len);
		MK_JSON_K(j, "dns.rr.tsig.orig_id"), mk_json_uint(j, NULL, r->rd.tsig.orig_id);
		MK_JSON_K(j, "dns.rr.tsig.error"), mk_json_uint(j, NULL, r->rd.tsig.error);
		NAME(j, "dns.rr.tsig.error_name", r->rd.tsig.error ? mk_dns_rcode_name(r->rd.tsig.error) : NULL);
		break;
	case MK_DNS_RD_SIG:
		MK_JSON_K(j, "dns.rr.sig.covered"), mk_json_uint(j, NULL, r->rd.sig.covered);
		MK_JSON_K(j, "dns.rr.sig.alg"), mk_json_uint(j, NULL, r->rd.sig.alg);
		NAME(j, "dns.rr.sig.alg_name", mk_sig0_alg_name(r->rd.sig.alg));
		MK_JSON_K(j, "dns.rr.sig.labels"), mk_json_uint(j, NULL, r->rd.sig.labels);
		MK_JSON_K(j, "dns.rr.sig.orig_ttl"), mk_json_uint(j, NULL, r->rd.sig.orig_ttl);
		MK_JSON_K(j, "dns.rr.sig.expiration"), mk_json_uint(j, NULL, r->rd.sig.expiration);
		MK_JSON_K(j, "dns.rr.sig.inception"), mk_json_uint(j, NULL, r->rd.sig.inception);
		MK_JSON_K(j, "dns.rr.sig.keytag"), mk_json_uint(j, NULL, r->rd.sig.keytag);
		dns_name(j, "dns.rr.sig.signer", m, r->rd.sig.signer_off);
		MK_JSON_K(j, "dns.rr.sig.signature"), mk_json_hex(j, NULL, m->buf + r->rd.sig.sig_off, r->rd.sig.sig_len);
		break;
	case MK_DNS_RD_OPT:
		MK_JSON_K(j, "dns.rr.opt.udp_size"), mk_json_uint(j, NULL, r->rd.opt.udp_size);
		MK_JSON_K(j, "dns.rr.opt.ext_rcode"), mk_json_uint(j, NULL, r->rd.opt.ext_rcode);
		MK_JSON_K(j, "dns.rr.opt.version"), mk_json_uint(j, NULL, r->rd.opt.version);
		MK_JSON_K(j, "dns.rr.opt.flags"), mk_json_uint(j, NULL, r->rd.opt.flags);
		break;
	default:
		MK_JSON_K(j, "dns.rr.rdata"), mk_json_hex(j, NULL, m->buf + r->rdata_off, r->rdlen);
		break;
	}
	mk_json_end(j);
}

static void dns(struct fx *x, const struct mk_dns_msg *m, int depth)
{
	struct mk_json *j = x->j;
	bool upd = m->opcode == MK_DNS_OP_UPDATE;
	static const char *sec[2][4] = {
		{ "dns.question", "dns.answer", "dns.authority", "dns.additional" },
		{ "dns.zone", "dns.prerequisite", "dns.update", "dns.additional" },
	};
	char rc[64];

	layer(j, "dns", depth);
	MK_JSON_K(j, "dns.id"), mk_json_uint(j, NULL, m->id);
	MK_JSON_K(j, "dns.qr"), mk_json_bool(j, NULL, (m->flags & MK_DNS_F_QR) != 0);
	MK_JSON_K(j, "dns.opcode"), mk_json_uint(j, NULL, m->opcode);
	NAME(j, "dns.opcode_name", mk_dns_opcode_name(m->opcode));
	MK_JSON_K(j, "dns.flags"), flags(j, NULL, m->flags & 0x87f0u & ~MK_DNS_F_QR, 16, FL_DNS, NULL);
	MK_JSON_K(j, "dns.rcode"), mk_json_uint(j, NULL, m->rcode);
	if (mk_dns_msg_rcode_str(m, rc, sizeof rc).err == MK_E_OK)
		MK_JSON_K(j, "dns.rcode_name"), mk_json_str(j, NULL, rc);
	for (unsigned s = 0; s < 4; s++)
		mk_json_uint(j, s == 0 ? "dns.count.qd" : s == 1 ? "dns.count.an" : s == 2 ? "dns.count.ns" : "dns.count.ar",
			     m->count[s]);
	for (unsigned s = 0; s < 4; s++) {
		bool open = false;
		for (unsigned i = 0; i < m->nrec; i++) {
			if (m->rec[i].section != s)
				continue;
			if (!open)
				mk_json_arr(j, sec[upd][s]);
			open = true;
			dns_rr(x, m, &m->rec[i], upd);
		}
		if (open)
			mk_json_end(j);
	}
	if (m->has_tsig)
		MK_JSON_K(j, "dns.tsig_error"), mk_json_uint(j, NULL, m->tsig_error);
	mk_json_end(j);
}

static void udp(struct fx *x, const uint8_t *pkt, const struct mk_ip6 *h, const struct mk_ip6_chain *c,
		int depth, bool judge)
{
	struct mk_json *j = x->j;
	struct mk_udp u;
	struct mk_status st = mk_udp_parse(pkt + c->ulp_off, c->ulp_len, &u);

	layer(j, "udp", depth);
	if (st.err != MK_E_OK) {
		MK_JSON_K(j, "udp.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	MK_JSON_K(j, "udp.srcport"), mk_json_uint(j, NULL, u.sport);
	MK_JSON_K(j, "udp.dstport"), mk_json_uint(j, NULL, u.dport);
	MK_JSON_K(j, "udp.length"), mk_json_uint(j, NULL, u.length);
	cksum(x, "udp", true, u.cksum, pkt, h, c, depth, judge);
	mk_json_end(j);
	if (u.sport != 53 && u.dport != 53)
		return;
	if (depth == 0 && x->dns) {
		dns(x, x->dns, depth);
		return;
	}
	static struct mk_dns_msg m; /* large: not on the stack */
	st = mk_dns_msg_parse(u.payload, u.payload_len, &m, x->cp);
	if (st.err == MK_E_OK) {
		dns(x, &m, depth);
	} else {
		layer(j, "dns", depth);
		MK_JSON_K(j, "dns.error"), err(j, NULL, st);
		mk_json_end(j);
	}
}

/* ---- the walk ---- */

/* ph/pc: the packet already parsed by the caller (or NULL) */
static void layers(struct fx *x, const uint8_t *pkt, size_t len, int depth, bool judge,
		   const struct mk_ip6 *ph, const struct mk_ip6_chain *pc)
{
	struct mk_json *j = x->j;
	struct mk_ip6 hb;
	struct mk_ip6_chain cb;
	struct mk_status st = mk_ok();
	const struct mk_ip6 *h = ph;
	const struct mk_ip6_chain *c = pc;

	if (!ph || !pc) {
		st = mk_ip6_chain_parse(pkt, len, &hb, &cb);
		h = &hb;
		c = &cb;
	}
	layer(j, "ipv6", depth);
	if (len >= MK_IP6_HLEN && (pkt[0] >> 4) == 6)
		ip6_fields(j, h);
	if (st.err != MK_E_OK) {
		MK_JSON_K(j, "ipv6.error"), err(j, NULL, st);
		mk_json_end(j);
		return;
	}
	mk_json_end(j);
	for (unsigned i = 0; i < c->n; i++) {
		const struct mk_ip6_ext *e = &c->ext[i];
		switch (e->type) {
		case MK_NH_HOPOPTS: opthdr(x, pkt, e, true, depth); break;
		case MK_NH_DSTOPTS: opthdr(x, pkt, e, false, depth); break;
		case MK_NH_ROUTING: routing(x, pkt, e, depth); break;
		case MK_NH_FRAGMENT: fragment(x, pkt, e, depth); break;
		default: break;
		}
	}
	if (c->flags & (MK_IP6C_FRAG_TAIL | MK_IP6C_OPAQUE)) {
		layer(j, "payload", depth);
		MK_JSON_K(j, "payload.proto"), mk_json_uint(j, NULL, c->ulp);
		NAME(j, "payload.proto_name", mk_ip6_nh_name(c->ulp));
		MK_JSON_K(j, "payload.len"), mk_json_uint(j, NULL, c->ulp_len);
		mk_json_end(j);
		return;
	}
	switch (c->ulp) {
	case MK_NH_MH: mh(x, pkt, h, c, depth, judge); break;
	case MK_NH_ICMPV6: icmp6(x, pkt, h, c, depth, judge); break;
	case MK_NH_TCP: tcp(x, pkt, h, c, depth, judge); break;
	case MK_NH_UDP: udp(x, pkt, h, c, depth, judge); break;
	case MK_NH_IPV6:
		if (depth < MAX_DEPTH)
			layers(x, pkt + c->ulp_off, c->ulp_len, depth + 1, judge, NULL, NULL);
		break;
	case MK_NH_NONE:
		break;
	default:
		layer(j, "payload", depth);
		MK_JSON_K(j, "payload.proto"), mk_json_uint(j, NULL, c->ulp);
		NAME(j, "payload.proto_name", mk_ip6_nh_name(c->ulp));
		MK_JSON_K(j, "payload.len"), mk_json_uint(j, NULL, c->ulp_len);
		mk_json_end(j);
	}
}

void mc_fields(struct mk_json *j, const struct mc_pkt *p, const struct mc_line *l,
	       const struct mk_codepoints *cp, struct mc_tally *t)
{
	struct fx x = { .j = j, .cp = cp, .t = t, .dns = l->dns, .outer = l->cksum };
	MK_JSON_K(j, "layers"), mk_json_arr(j, NULL);
	if (p->ip6_off >= 0) {
		const uint8_t *ip = p->data + p->ip6_off;
		size_t n = p->caplen - (size_t)p->ip6_off;
		/* the outer verdict is mc_describe's (l->cksum): judged once, not
		 * for a packet the snaplen cut */
		layers(&x, ip, n, 0, !l->truncated, l->parsed ? &l->h : NULL, l->parsed ? &l->c : NULL);
	}
	mk_json_end(j);
}
