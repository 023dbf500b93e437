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
 * with lib/wire and lib/dns; nothing here reads packet octets itself but
 * through those parsers' results.
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
	mk_json_str(j, "layer", name);
	mk_json_uint(j, "depth", (unsigned)depth);
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

static void name_or_null(struct mk_json *j, const char *k, const char *n)
{
	if (n)
		mk_json_str(j, k, n);
}

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

/* k: the checksum as received (if have), ks: the verdict.  Quoted packets
 * (judge false) get no verdict; the outer one is mc_describe's. */
static void cksum(struct fx *x, const char *k, const char *ks, bool have, uint16_t v,
		  const uint8_t *ip, const struct mk_ip6 *h, const struct mk_ip6_chain *c, int depth,
		  bool judge)
{
	if (have)
		mk_json_uint(x->j, k, v);
	if (!judge)
		return;
	const char *vd = depth == 0 ? x->outer : mc_cksum_verdict(ip, h, c);
	if (vd)
		mk_json_str(x->j, ks, vd);
	if (depth > 0)
		mc_tally_add(x->t, 1, vd);
}

/* ---- IPv6 and its extension headers ---- */

static void ip6_fields(struct mk_json *j, const struct mk_ip6 *h)
{
	mk_json_uint(j, "ipv6.tclass", h->tclass);
	mk_json_uint(j, "ipv6.flow", h->flow);
	mk_json_uint(j, "ipv6.plen", h->plen);
	mk_json_uint(j, "ipv6.nxt", h->nh);
	mk_json_uint(j, "ipv6.hlim", h->hlim);
	addr(j, "ipv6.src", &h->src);
	addr(j, "ipv6.dst", &h->dst);
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
			mk_json_uint(j, "ipv6.opt.type", op->type);
			name_or_null(j, "ipv6.opt.name", mk_ip6_opt_name(op->type));
			mk_json_uint(j, "ipv6.opt.len", op->len);
			mk_json_str(j, "ipv6.opt.action",
				    mk_ip6_opt_action_name(mk_ip6_opt_action(op->type)));
			if (!hbh && op->type == MK_IP6OPT_HAO && o.hao_off)
				addr(j, "ipv6.opt.hao", &o.hoa);
			else
				mk_json_hex(j, "ipv6.opt.data", pkt + e->off + op->off + 2, op->len);
			mk_json_end(j);
		}
		mk_json_end(j);
		if (!hbh && o.hao_off)
			addr(j, "ipv6.hao", &o.hoa);
	}
	mk_json_end(j);
}

static void routing(struct fx *x, const uint8_t *pkt, const struct mk_ip6_ext *e, int depth)
{
	struct mk_json *j = x->j;
	const uint8_t *r = pkt + e->off; /* the walker checked the 4 fixed octets */
	layer(j, "ipv6.routing", depth);
	mk_json_uint(j, "ipv6.routing.nxt", e->nh);
	mk_json_uint(j, "ipv6.routing.len", e->len);
	if (r[2] == MK_RH_TYPE2) {
		struct mk_rh2 rh;
		struct mk_status st = mk_rh2_parse(r, e->len, &rh);
		mk_json_uint(j, "ipv6.routing.type", MK_RH_TYPE2);
		name_or_null(j, "ipv6.routing.type_name", mk_ip6_rh_type_name(MK_RH_TYPE2));
		if (st.err != MK_E_OK) {
			err(j, "ipv6.routing.error", st);
		} else {
			mk_json_uint(j, "ipv6.routing.segleft", rh.segleft);
			mk_json_uint(j, "ipv6.rh2.reserved", rh.reserved);
			addr(j, "ipv6.rh2.hoa", &rh.hoa);
		}
	} else {
		mk_json_uint(j, "ipv6.routing.type", r[2]);
		name_or_null(j, "ipv6.routing.type_name", mk_ip6_rh_type_name(r[2]));
		mk_json_uint(j, "ipv6.routing.segleft", r[3]);
		mk_json_hex(j, "ipv6.routing.data", r + 4, e->len - 4);
	}
	mk_json_end(j);
}

static void fragment(struct fx *x, const uint8_t *pkt, const struct mk_ip6_ext *e, int depth)
{
	struct mk_json *j = x->j;
	struct mk_ip6_frag f;
	layer(j, "ipv6.fragment", depth);
	mk_json_uint(j, "ipv6.fragment.nxt", e->nh);
	if (mk_ip6_frag_parse(pkt + e->off, e->len, &f).err == MK_E_OK) {
		mk_json_uint(j, "ipv6.fragment.offset", f.off);
		mk_json_bool(j, "ipv6.fragment.more", f.more);
		mk_json_uint(j, "ipv6.fragment.id", f.id);
	}
	mk_json_end(j);
}

/* ---- Mobility Header ---- */

static void mh_opt(struct fx *x, const struct mk_mh_opt *o)
{
	struct mk_json *j = x->j;
	mk_json_obj(j, NULL);
	mk_json_uint(j, "mh.opt.type", o->type);
	name_or_null(j, "mh.opt.name", mk_mh_opt_kind_name(o->kind));
	mk_json_uint(j, "mh.opt.len", o->len);
	switch (o->kind) {
	case MK_MHO_BRA:
		mk_json_uint(j, "mh.opt.bra.interval", o->v.bra);
		mk_json_uint(j, "mh.opt.bra.interval_s", (unsigned)o->v.bra * 4u);
		break;
	case MK_MHO_ALTCOA:
		addr(j, "mh.opt.altcoa", &o->v.altcoa);
		break;
	case MK_MHO_NONCE:
		mk_json_uint(j, "mh.opt.nonce.home", o->v.nonce.home);
		mk_json_uint(j, "mh.opt.nonce.careof", o->v.nonce.careof);
		break;
	case MK_MHO_BAD:
		mk_json_hex(j, "mh.opt.bad.authenticator", o->v.bad, MK_MH_BAD_LEN);
		break;
	case MK_MHO_AUTH:
		mk_json_uint(j, "mh.opt.auth.subtype", o->v.auth.subtype);
		name_or_null(j, "mh.opt.auth.subtype_name", mk_mh_auth_subtype_name(o->v.auth.subtype));
		mk_json_uint(j, "mh.opt.auth.spi", o->v.auth.spi);
		mk_json_hex(j, "mh.opt.auth.data", o->v.auth.data, o->v.auth.len);
		break;
	case MK_MHO_REPLAY:
		/* RFC 4285: a 64-bit NTP timestamp, seconds since 1900 above */
		mk_json_uint(j, "mh.opt.replay.seconds", o->v.replay >> 32);
		mk_json_uint(j, "mh.opt.replay.fraction", o->v.replay & 0xffffffffu);
		hex_u(j, "mh.opt.replay.timestamp", o->v.replay, 8);
		break;
	case MK_MHO_MHA:
		mk_json_arr(j, "mh.opt.mha.addrs");
		for (size_t i = 0; i < o->v.mha.n; i++)
			addr(j, NULL, o->v.mha.addrs + 16 * i);
		mk_json_end(j);
		break;
	case MK_MHO_EXP:
	case MK_MHO_UNKNOWN:
	case MK_MHO_PADN:
		mk_json_hex(j, "mh.opt.data", o->v.raw.data, o->v.raw.len);
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
		err(j, "mh.error", st);
		mk_json_end(j);
		return;
	}
	mk_json_uint(j, "mh.proto", m.proto);
	mk_json_uint(j, "mh.hlen", m.hlen);
	mk_json_uint(j, "mh.type", m.type);
	ab = mk_mh_type_abbrev(m.type);
	name_or_null(j, "mh.type_name", ab ? ab : mk_mh_type_name(m.type));
	cksum(x, "mh.cksum", "mh.cksum.status", true, m.cksum, pkt, h, c, depth, judge);
	if (st.err != MK_E_OK) {
		err(j, "mh.error", st);
		mk_json_end(j);
		return;
	}
	switch (m.type) {
	case MK_MH_BU:
		mk_json_uint(j, "mh.seq", m.u.bu.seq);
		flags(j, "mh.flags", m.u.bu.flags, 16, FL_BU, x->cp);
		mk_json_uint(j, "mh.flags_raw", m.u.bu.flags);
		mk_json_uint(j, "mh.lifetime", m.u.bu.lifetime);
		mk_json_uint(j, "mh.lifetime_s", mk_mh_lifetime_sec(m.u.bu.lifetime));
		break;
	case MK_MH_BA:
		mk_json_uint(j, "mh.status", m.u.ba.status);
		name_or_null(j, "mh.status_name", mk_mh_ba_status_name(m.u.ba.status));
		flags(j, "mh.flags", m.u.ba.flags, 8, FL_BA, x->cp);
		mk_json_uint(j, "mh.flags_raw", m.u.ba.flags);
		mk_json_uint(j, "mh.seq", m.u.ba.seq);
		mk_json_uint(j, "mh.lifetime", m.u.ba.lifetime);
		mk_json_uint(j, "mh.lifetime_s", mk_mh_lifetime_sec(m.u.ba.lifetime));
		break;
	case MK_MH_BE:
		mk_json_uint(j, "mh.status", m.u.be.status);
		name_or_null(j, "mh.status_name", mk_mh_be_status_name(m.u.be.status));
		addr(j, "mh.hoa", &m.u.be.hoa);
		break;
	case MK_MH_HOTI:
	case MK_MH_COTI:
		mk_json_hex(j, "mh.cookie", m.u.testinit.cookie, 8);
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		mk_json_uint(j, "mh.nonce_index", m.u.test.nonce_idx);
		mk_json_hex(j, "mh.cookie", m.u.test.cookie, 8);
		mk_json_hex(j, "mh.token", m.u.test.token, 8);
		break;
	case MK_MH_HAS:
		mk_json_arr(j, "mh.has.addrs");
		for (unsigned i = 0; i < m.u.has.n; i++)
			addr(j, NULL, m.u.has.addrs + 16 * i);
		mk_json_end(j);
		break;
	case MK_MH_BRR:
		break;
	default:
		mk_json_hex(j, "mh.data", m.u.raw.data, m.u.raw.len);
		break;
	}
	mk_json_arr(j, "mh.opts");
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
	mk_json_uint(j, "icmpv6.opt.type", o->type);
	name_or_null(j, "icmpv6.opt.name", mk_nd_opt_name(o->type));
	mk_json_uint(j, "icmpv6.opt.len", o->len);
	switch (o->type) {
	case MK_ND_OPT_PREFIX:
		mk_json_uint(j, "icmpv6.opt.prefix.length", o->u.pi.prefix_len);
		flags(j, "icmpv6.opt.prefix.flags", o->u.pi.flags, 8, FL_PI, NULL);
		mk_json_uint(j, "icmpv6.opt.prefix.valid_lifetime", o->u.pi.valid);
		mk_json_uint(j, "icmpv6.opt.prefix.preferred_lifetime", o->u.pi.preferred);
		addr(j, "icmpv6.opt.prefix", &o->u.pi.prefix);
		break;
	case MK_ND_OPT_MTU:
		mk_json_uint(j, "icmpv6.opt.mtu", o->u.mtu.mtu);
		break;
	case MK_ND_OPT_ADVINT:
		mk_json_uint(j, "icmpv6.opt.adv_interval_ms", o->u.advint.interval_ms);
		break;
	case MK_ND_OPT_HAINFO:
		flags(j, "icmpv6.opt.hai.flags", o->u.hai.reserved, 16, FL_HAI, NULL);
		mk_json_uint(j, "icmpv6.opt.hai.preference", o->u.hai.pref);
		mk_json_uint(j, "icmpv6.opt.hai.lifetime", o->u.hai.lifetime);
		break;
	default:
		mk_json_hex(j, "icmpv6.opt.data", o->data, o->data_len);
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
		err(j, "icmpv6.error", st);
		mk_json_end(j);
		return;
	}
	/* the parser reads type, code, then the checksum, before it may fail */
	mk_json_uint(j, "icmpv6.type", mm->type);
	name_or_null(j, "icmpv6.type_name", mk_icmp6_type_name(x->cp, mm->type));
	mk_json_uint(j, "icmpv6.code", mm->code);
	name_or_null(j, "icmpv6.code_name", mk_icmp6_code_name(mm->type, mm->code));
	cksum(x, "icmpv6.cksum", "icmpv6.cksum.status", st.err == MK_E_OK || st.off >= 4, mm->cksum,
	      pkt, h, c, depth, judge);
	if (st.err != MK_E_OK) {
		err(j, "icmpv6.error", st);
		mk_json_end(j);
		return;
	}
	switch (mm->kind) {
	case MK_ICMP6_K_PARAM_PROB:
		mk_json_uint(j, "icmpv6.pointer", mm->u.err.word);
		goto invoking;
	case MK_ICMP6_K_PKT_TOO_BIG:
		mk_json_uint(j, "icmpv6.mtu", mm->u.err.word);
		goto invoking;
	case MK_ICMP6_K_DST_UNREACH:
	case MK_ICMP6_K_TIME_EXCEEDED:
		mk_json_uint(j, "icmpv6.unused", mm->u.err.word);
	invoking:
		mk_json_uint(j, "icmpv6.invoking_len", mm->u.err.invoking_len);
		if (depth < MAX_DEPTH && mm->u.err.invoking_len >= MK_IP6_HLEN) {
			mk_json_arr(j, "icmpv6.invoking");
			/* a quoted packet: its checksums are not this packet's */
			layers(x, mm->u.err.invoking, mm->u.err.invoking_len, depth + 1, false, NULL, NULL);
			mk_json_end(j);
		}
		break;
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		mk_json_uint(j, "icmpv6.echo.id", mm->u.echo.id);
		mk_json_uint(j, "icmpv6.echo.seq", mm->u.echo.seq);
		mk_json_uint(j, "icmpv6.echo.data_len", mm->u.echo.data_len);
		break;
	case MK_ICMP6_K_RA:
		mk_json_uint(j, "icmpv6.ra.cur_hop_limit", mm->u.ra.cur_hop_limit);
		flags(j, "icmpv6.ra.flags", mm->u.ra.flags, 8, FL_RA, NULL);
		mk_json_uint(j, "icmpv6.ra.router_lifetime", mm->u.ra.router_lifetime);
		mk_json_uint(j, "icmpv6.ra.reachable_ms", mm->u.ra.reachable_ms);
		mk_json_uint(j, "icmpv6.ra.retrans_ms", mm->u.ra.retrans_ms);
		break;
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		mk_json_uint(j, "icmpv6.id", mm->u.ident.id);
		if (mm->kind == MK_ICMP6_K_MPA)
			flags(j, "icmpv6.mpa.flags", mm->u.ident.reserved, 16, FL_MPA, NULL);
		else if (mm->kind == MK_ICMP6_K_DHAAD_REQUEST || mm->kind == MK_ICMP6_K_DHAAD_REPLY)
			flags(j, "icmpv6.dhaad.flags", mm->u.ident.reserved, 16, FL_DHAAD, NULL);
		else
			mk_json_uint(j, "icmpv6.reserved", mm->u.ident.reserved);
		break;
	default:
		mk_json_hex(j, "icmpv6.data", mm->u.other.body, mm->u.other.body_len);
		break;
	}
	if (mm->kind == MK_ICMP6_K_DHAAD_REPLY || mm->kind == MK_ICMP6_K_HA_UNREACH) {
		mk_json_arr(j, "icmpv6.addrs");
		for (size_t i = 0; i < mm->n_addrs; i++)
			addr(j, NULL, &mm->addrs[i]);
		mk_json_end(j);
	}
	if (mm->kind == MK_ICMP6_K_RA || mm->kind == MK_ICMP6_K_MPS || mm->kind == MK_ICMP6_K_MPA) {
		mk_json_arr(j, "icmpv6.opts");
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
	mk_json_uint(j, "tcp.opt.kind", o->kind);
	name_or_null(j, "tcp.opt.name", mk_tcpopt_type_name(o->type));
	mk_json_uint(j, "tcp.opt.len", o->len);
	switch (o->type) {
	case MK_TCPOPT_MSS:
		mk_json_uint(j, "tcp.opt.mss", o->u.mss);
		break;
	case MK_TCPOPT_WS:
		mk_json_uint(j, "tcp.opt.ws", o->u.ws);
		break;
	case MK_TCPOPT_SACK:
		mk_json_arr(j, "tcp.opt.sack");
		for (unsigned i = 0; i < o->u.sack.n && i < MK_TCP_SACK_MAX; i++) {
			mk_json_obj(j, NULL);
			mk_json_uint(j, "left", o->u.sack.blk[i].left);
			mk_json_uint(j, "right", o->u.sack.blk[i].right);
			mk_json_end(j);
		}
		mk_json_end(j);
		break;
	case MK_TCPOPT_TS:
		mk_json_uint(j, "tcp.opt.ts.val", o->u.ts.val);
		mk_json_uint(j, "tcp.opt.ts.ecr", o->u.ts.ecr);
		break;
	case MK_TCPOPT_MIGPERM:
		mk_json_uint(j, "tcp.opt.migperm.exid", o->u.migperm.exid);
		mk_json_uint(j, "tcp.opt.migperm.curve", o->u.migperm.curve);
		if (o->u.migperm.curve)
			mk_json_hex(j, "tcp.opt.migperm.keydata", o->u.migperm.key, MK_TCP_MIGPERM_KEYDATA);
		break;
	case MK_TCPOPT_MIGRATE:
		mk_json_uint(j, "tcp.opt.migrate.exid", o->u.migrate.exid);
		mk_json_bool(j, "tcp.opt.migrate.preload", o->u.migrate.preload);
		mk_json_uint(j, "tcp.opt.migrate.reqno", o->u.migrate.reqno);
		/* 64-bit values as hex strings: JSON readers keep 53 bits of a number */
		hex_u(j, "tcp.opt.migrate.token", o->u.migrate.token, 8);
		hex_u(j, "tcp.opt.migrate.request", o->u.migrate.request, 8);
		break;
	case MK_TCPOPT_EXP:
		mk_json_uint(j, "tcp.opt.exp.exid", o->u.exp.exid);
		name_or_null(j, "tcp.opt.exp.name", mk_tcp_exid_name(o->u.exp.exid));
		mk_json_hex(j, "tcp.opt.exp.data", o->u.exp.data, o->u.exp.dlen);
		break;
	case MK_TCPOPT_RAW:
		mk_json_hex(j, "tcp.opt.data", o->u.raw.data, o->u.raw.dlen);
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
		err(j, "tcp.error", st);
		mk_json_end(j);
		return;
	}
	mk_json_uint(j, "tcp.srcport", t.sport);
	mk_json_uint(j, "tcp.dstport", t.dport);
	mk_json_uint(j, "tcp.seq", t.seq);
	mk_json_uint(j, "tcp.ack", t.ack);
	mk_json_uint(j, "tcp.hdr_len", (unsigned)t.doff * 4u);
	flags(j, "tcp.flags", t.flags, 12, FL_TCP, NULL);
	mk_json_uint(j, "tcp.flags_raw", t.flags);
	mk_json_uint(j, "tcp.window", t.window);
	cksum(x, "tcp.cksum", "tcp.cksum.status", true, t.cksum, pkt, h, c, depth, judge);
	mk_json_uint(j, "tcp.urg", t.urg);
	if (st.err != MK_E_OK) {
		err(j, "tcp.error", st);
		mk_json_end(j);
		return;
	}
	mk_json_uint(j, "tcp.len", t.payload_len);
	mk_json_arr(j, "tcp.opts");
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
	mk_json_uint(j, "dns.rr.type", r->type);
	name_or_null(j, "dns.rr.type_name", mk_dns_type_name(r->type, x->cp));
	if (r->kind != MK_DNS_RD_OPT) {
		mk_json_uint(j, "dns.rr.class", r->cls);
		name_or_null(j, "dns.rr.class_name", mk_dns_class_name(r->cls));
	}
	if (r->section == MK_DNS_SEC_QUESTION) {
		mk_json_end(j);
		return;
	}
	if (upd && r->section == MK_DNS_SEC_AUTHORITY)
		mk_json_str(j, "dns.rr.op", r->cls == MK_DNS_C_ANY ? (r->type == MK_DNS_T_ANY ? "delete-name" : "delete-rrset")
					    : r->cls == MK_DNS_C_NONE ? "delete-rr" : "add");
	if (r->kind != MK_DNS_RD_OPT)
		mk_json_uint(j, "dns.rr.ttl", r->ttl);
	mk_json_uint(j, "dns.rr.rdlen", r->rdlen);
	switch (r->kind) {
	case MK_DNS_RD_A:
		mk_append(a, sizeof a, 0, "%u.%u.%u.%u", r->rd.a[0], r->rd.a[1], r->rd.a[2], r->rd.a[3]);
		mk_json_str(j, "dns.rr.a", a);
		break;
	case MK_DNS_RD_AAAA:
		addr(j, "dns.rr.aaaa", r->rd.aaaa);
		break;
	case MK_DNS_RD_CAAAA:
		addr(j, "dns.rr.caaaa", r->rd.aaaa);
		break;
	case MK_DNS_RD_SOA:
		dns_name(j, "dns.rr.soa.mname", m, r->rd.soa.mname_off);
		dns_name(j, "dns.rr.soa.rname", m, r->rd.soa.rname_off);
		mk_json_uint(j, "dns.rr.soa.serial", r->rd.soa.serial);
		mk_json_uint(j, "dns.rr.soa.refresh", r->rd.soa.refresh);
		mk_json_uint(j, "dns.rr.soa.retry", r->rd.soa.retry);
		mk_json_uint(j, "dns.rr.soa.expire", r->rd.soa.expire);
		mk_json_uint(j, "dns.rr.soa.minimum", r->rd.soa.minimum);
		break;
	case MK_DNS_RD_CNAME:
		dns_name(j, "dns.rr.cname", m, r->rd.cname_off);
		break;
	case MK_DNS_RD_TSIG:
		dns_name(j, "dns.rr.tsig.alg", m, r->rd.tsig.alg_off);
		mk_json_uint(j, "dns.rr.tsig.time_signed", r->rd.tsig.time_signed);
		mk_json_uint(j, "dns.rr.tsig.fudge", r->rd.tsig.fudge);
		mk_json_hex(j, "dns.rr.tsig.mac", m->buf + r->rd.tsig.mac_off, r->rd.tsig.mac_len);
		mk_json_uint(j, "dns.rr.tsig.orig_id", r->rd.tsig.orig_id);
		mk_json_uint(j, "dns.rr.tsig.error", r->rd.tsig.error);
		name_or_null(j, "dns.rr.tsig.error_name", r->rd.tsig.error ? mk_dns_rcode_name(r->rd.tsig.error) : NULL);
		break;
	case MK_DNS_RD_SIG:
		mk_json_uint(j, "dns.rr.sig.covered", r->rd.sig.covered);
		mk_json_uint(j, "dns.rr.sig.alg", r->rd.sig.alg);
		name_or_null(j, "dns.rr.sig.alg_name", mk_sig0_alg_name(r->rd.sig.alg));
		mk_json_uint(j, "dns.rr.sig.labels", r->rd.sig.labels);
		mk_json_uint(j, "dns.rr.sig.orig_ttl", r->rd.sig.orig_ttl);
		mk_json_uint(j, "dns.rr.sig.expiration", r->rd.sig.expiration);
		mk_json_uint(j, "dns.rr.sig.inception", r->rd.sig.inception);
		mk_json_uint(j, "dns.rr.sig.keytag", r->rd.sig.keytag);
		dns_name(j, "dns.rr.sig.signer", m, r->rd.sig.signer_off);
		mk_json_hex(j, "dns.rr.sig.signature", m->buf + r->rd.sig.sig_off, r->rd.sig.sig_len);
		break;
	case MK_DNS_RD_OPT:
		mk_json_uint(j, "dns.rr.opt.udp_size", r->rd.opt.udp_size);
		mk_json_uint(j, "dns.rr.opt.ext_rcode", r->rd.opt.ext_rcode);
		mk_json_uint(j, "dns.rr.opt.version", r->rd.opt.version);
		mk_json_uint(j, "dns.rr.opt.flags", r->rd.opt.flags);
		break;
	default:
		mk_json_hex(j, "dns.rr.rdata", m->buf + r->rdata_off, r->rdlen);
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
	mk_json_uint(j, "dns.id", m->id);
	mk_json_bool(j, "dns.qr", (m->flags & MK_DNS_F_QR) != 0);
	mk_json_uint(j, "dns.opcode", m->opcode);
	name_or_null(j, "dns.opcode_name", mk_dns_opcode_name(m->opcode));
	flags(j, "dns.flags", m->flags & 0x87f0u & ~MK_DNS_F_QR, 16, FL_DNS, NULL);
	mk_json_uint(j, "dns.rcode", m->rcode);
	if (mk_dns_msg_rcode_str(m, rc, sizeof rc).err == MK_E_OK)
		mk_json_str(j, "dns.rcode_name", rc);
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
		mk_json_uint(j, "dns.tsig_error", m->tsig_error);
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
		err(j, "udp.error", st);
		mk_json_end(j);
		return;
	}
	mk_json_uint(j, "udp.srcport", u.sport);
	mk_json_uint(j, "udp.dstport", u.dport);
	mk_json_uint(j, "udp.length", u.length);
	cksum(x, "udp.cksum", "udp.cksum.status", true, u.cksum, pkt, h, c, depth, judge);
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
		err(j, "dns.error", st);
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
		err(j, "ipv6.error", st);
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
		mk_json_uint(j, "payload.proto", c->ulp);
		name_or_null(j, "payload.proto_name", mk_ip6_nh_name(c->ulp));
		mk_json_uint(j, "payload.len", c->ulp_len);
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
		mk_json_uint(j, "payload.proto", c->ulp);
		name_or_null(j, "payload.proto_name", mk_ip6_nh_name(c->ulp));
		mk_json_uint(j, "payload.len", c->ulp_len);
		mk_json_end(j);
	}
}

void mc_fields(struct mk_json *j, const struct mc_pkt *p, const struct mc_line *l,
	       const struct mk_codepoints *cp, struct mc_tally *t)
{
	struct fx x = { .j = j, .cp = cp, .t = t, .dns = l->dns, .outer = l->cksum };
	mk_json_arr(j, "layers");
	if (p->ip6_off >= 0) {
		const uint8_t *ip = p->data + p->ip6_off;
		size_t n = p->caplen - (size_t)p->ip6_off;
		/* the outer verdict is mc_describe's (l->cksum): judged once, not
		 * for a packet the snaplen cut */
		layers(&x, ip, n, 0, !l->truncated, l->parsed ? &l->h : NULL, l->parsed ? &l->c : NULL);
	}
	mk_json_end(j);
}
