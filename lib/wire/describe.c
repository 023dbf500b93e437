/* lib/wire/describe.c: one-line packet descriptions and their checksum
 * verdicts at every depth (see describe.h). */
#include "describe.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "icmp6.h"
#include "ip6ext.h"
#include "mh.h"
#include "tcpopt.h"
#include "udp.h"
#include "util/fmt.h"

struct out {
	char *buf;
	size_t cap, n;
	struct mk_pkt_summary *sum;
};

/* Where the IPv6 header being described sits. */
struct where {
	size_t off;   /* from the start of the outer packet */
	int depth;    /* 0 outer */
	uint8_t via;  /* enum mk_layer_via */
	bool carried; /* reached through tunnels only, no ICMPv6 quote on the way */
	bool cut;     /* quoted and shorter than its Payload Length says */
};

/* The largest quoted packet copied to be described past its cut: an
 * ICMPv6 error fits in the minimum MTU (RFC 4443 section 2.4 (c)). */
#define QUOTE_COPY 1280

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	o->n = mk_vappend(o->buf, o->cap, o->n, fmt, ap);
	va_end(ap);
}

static void addr(struct out *o, const void *a)
{
	char s[INET6_ADDRSTRLEN];
	mk_ip6_ntop(a, s);
	put(o, "%s", s);
}

/* n addresses of 16 octets, comma-separated */
static void addr_list(struct out *o, const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			put(o, ",");
		addr(o, a + 16 * i);
	}
}

static void err(struct out *o, const char *what, struct mk_status st)
{
	put(o, " [%s: %s at %zu]", what, mk_strerror(st.err), st.off);
}

/* The first fault of the packet as carried, offset from the outer start. */
static void fault(struct out *o, const struct where *w, struct mk_status st, size_t base)
{
	if (w->carried && st.err != MK_E_OK && o->sum->err.err == MK_E_OK)
		o->sum->err = mk_status_shift(st, base);
}

static void mh_opt(struct out *o, const struct mk_mh_opt *x)
{
	switch (x->kind) {
	case MK_MHO_BRA:
		put(o, "(%u s)", mk_mh_lifetime_sec(x->v.bra));
		break;
	case MK_MHO_ALTCOA:
		put(o, "(");
		addr(o, &x->v.altcoa);
		put(o, ")");
		break;
	case MK_MHO_NONCE:
		put(o, "(home %u care-of %u)", x->v.nonce.home, x->v.nonce.careof);
		break;
	case MK_MHO_AUTH:
		put(o, "(subtype %u spi 0x%" PRIx32 ")", x->v.auth.subtype, x->v.auth.spi);
		break;
	case MK_MHO_REPLAY:
		put(o, "(0x%016" PRIx64 ")", x->v.replay);
		break;
	case MK_MHO_MHA:
		put(o, "(");
		addr_list(o, x->v.mha.addrs, x->v.mha.n);
		put(o, ")");
		break;
	case MK_MHO_BCI:
		put(o, "(");
		addr(o, &x->v.bci.hoa);
		if (x->v.bci.full) {
			put(o, " -> ");
			addr(o, &x->v.bci.coa);
			put(o, " seq %u flags 0x%04x lifetime %u (%u s)", x->v.bci.seq, x->v.bci.flags,
			    x->v.bci.lifetime, mk_mh_lifetime_sec(x->v.bci.lifetime));
		}
		put(o, ")");
		break;
	case MK_MHO_EXP:
		put(o, "(%zu octets)", x->v.raw.len);
		break;
	case MK_MHO_UNKNOWN:
		put(o, "(type %u len %u)", x->type, x->len);
		break;
	default:
		break;
	}
}

static struct mk_status describe_mh(struct out *o, const uint8_t *p, size_t n,
				    const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct mk_status st = mk_mh_parse_ex(p, n, cp, MK_MH_PARSE_MHA_IF_FLAG, &m);
	const char *ab;
	char fl[96];

	if (st.err == MK_E_MH_UNKNOWN_TYPE) {
		/* not a fault: a type mobkit does not decode */
		put(o, " MH type %u (%zu octets)", m.type, m.u.raw.len);
		return mk_ok();
	}
	if (st.err != MK_E_OK) {
		put(o, " MH");
		err(o, "MH", st);
		return st;
	}
	if (m.msg == MK_MHM_HARP) {
		static const char *const hn[] = { "SWO-REQ", "SWO-REP", "SWB-REQ", "SWB-REP", "HA-HELLO/SW-COMP" };
		uint8_t f = m.u.harp.flags;
		put(o, " MH HARP(%u) %s", m.type, m.u.harp.type < 5 ? hn[m.u.harp.type] : "type");
		if (m.u.harp.type >= 5)
			put(o, " %u", m.u.harp.type);
		put(o, " group %u seq %u flags %s%s%s%s%s status %u preference %u lifetime %u hello %u",
		    m.u.harp.group, m.u.harp.seq, f & MK_HARP_A ? "A" : "", f & MK_HARP_R ? "R" : "",
		    f & MK_HARP_V ? "V" : "", f & MK_HARP_M ? "M" : "",
		    f & (MK_HARP_A | MK_HARP_R | MK_HARP_V | MK_HARP_M) ? "" : "none", m.u.harp.status,
		    m.u.harp.pref, m.u.harp.lifetime, m.u.harp.hello);
	} else if (m.msg == MK_MHM_SS) {
		static const char *const sn[] = { "REQ", "REP", "ACK" };
		put(o, " MH StateSync(%u) %s", m.type, m.u.ss.type < 3 ? sn[m.u.ss.type] : "type");
		if (m.u.ss.type >= 3)
			put(o, " %u", m.u.ss.type);
		put(o, " id %u%s", m.u.ss.id, m.u.ss.flags & MK_SS_A ? " ack-requested" : "");
	}
	ab = m.msg == MK_MHM_STD ? mk_mh_type_abbrev(m.type) : "";
	if (m.msg == MK_MHM_STD) {
		put(o, " MH %s", ab ? ab : "type");
		if (!ab)
			put(o, " %u", m.type);
	}
	switch (m.type) {
	case MK_MH_BU:
		put(o, " seq %u flags %s lifetime %u (%u s)", m.u.bu.seq,
		    mk_mh_bu_flags_str(m.u.bu.flags, cp, fl, sizeof fl), m.u.bu.lifetime,
		    mk_mh_lifetime_sec(m.u.bu.lifetime));
		break;
	case MK_MH_BA: {
		const char *sn = mk_mh_ba_status_name(m.u.ba.status);
		put(o, " status %u (%s) seq %u lifetime %u (%u s)", m.u.ba.status, sn ? sn : "?",
		    m.u.ba.seq, m.u.ba.lifetime, mk_mh_lifetime_sec(m.u.ba.lifetime));
		if (m.u.ba.flags)
			put(o, " flags %s", mk_mh_ba_flags_str(m.u.ba.flags, fl, sizeof fl));
		break;
	}
	case MK_MH_BE: {
		const char *sn = mk_mh_be_status_name(m.u.be.status);
		put(o, " status %u (%s) hoa ", m.u.be.status, sn ? sn : "?");
		addr(o, &m.u.be.hoa);
		break;
	}
	case MK_MH_HOTI:
	case MK_MH_COTI:
		put(o, " cookie %02x%02x%02x%02x%02x%02x%02x%02x", m.u.testinit.cookie[0],
		    m.u.testinit.cookie[1], m.u.testinit.cookie[2], m.u.testinit.cookie[3],
		    m.u.testinit.cookie[4], m.u.testinit.cookie[5], m.u.testinit.cookie[6],
		    m.u.testinit.cookie[7]);
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		put(o, " nonce-index %u", m.u.test.nonce_idx);
		break;
	case MK_MH_HAS:
		put(o, " %u home agents", m.u.has.n);
		if (m.u.has.n) {
			put(o, " ");
			addr_list(o, m.u.has.addrs, m.u.has.n);
		}
		break;
	case MK_MH_EXP:
		put(o, " %zu octets", m.u.raw.len);
		break;
	default:
		break;
	}
	if (m.nopts) {
		put(o, " opts");
		for (size_t i = 0; i < m.nopts; i++) {
			const char *on = mk_mh_opt_kind_name(m.opts[i].kind);
			put(o, "%s%s", i ? "," : " ", on ? on : "?");
			mh_opt(o, &m.opts[i]);
		}
	}
	return st;
}

static void describe_nested(struct out *o, const uint8_t *pkt, size_t len,
			    const struct mk_codepoints *cp, struct where w);

static void nd_opts(struct out *o, const struct mk_icmp6 *m)
{
	for (size_t i = 0; i < m->n_opts; i++) {
		const struct mk_nd_opt *x = &m->opts[i];
		const char *on = mk_nd_opt_name(x->type);
		put(o, "%s%s", i ? "," : " opts ", on ? on : "option");
		if (x->type == 3) {
			put(o, "(");
			addr(o, &x->u.pi.prefix);
			put(o, "/%u%s)", x->u.pi.prefix_len, x->u.pi.flags & MK_ND_PI_R ? " R" : "");
		} else if (x->type == 8) {
			put(o, "(pref %u lifetime %u s)", x->u.hai.pref, x->u.hai.lifetime);
		} else if (!on) {
			put(o, "(type %u)", x->type);
		}
	}
}

static struct mk_status describe_icmp6(struct out *o, const uint8_t *p, size_t n,
				       const struct mk_codepoints *cp, const struct where *w, size_t at)
{
	struct mk_icmp6 m;
	struct mk_status st = mk_icmp6_parse(p, n, cp, &m);
	const char *tn, *cn;

	if (n < 4) {
		put(o, " ICMPv6 [truncated]");
		return st;
	}
	tn = mk_icmp6_type_name(cp, p[0]);
	put(o, " ICMPv6 %s", tn ? tn : "type");
	if (!tn)
		put(o, " %u", p[0]);
	if (st.err != MK_E_OK) {
		err(o, "ICMPv6", st);
		return st;
	}
	cn = mk_icmp6_code_name(m.type, m.code);
	if (m.code || cn)
		put(o, " code %u%s%s%s", m.code, cn ? " (" : "", cn ? cn : "", cn ? ")" : "");
	switch (m.kind) {
	case MK_ICMP6_K_PARAM_PROB:
		put(o, " pointer %u", m.u.err.word);
		/* fall through */
	case MK_ICMP6_K_DST_UNREACH:
	case MK_ICMP6_K_PKT_TOO_BIG:
	case MK_ICMP6_K_TIME_EXCEEDED:
		if (w->depth + 1 < MK_DESCRIBE_DEPTH && m.u.err.invoking_len >= MK_IP6_HLEN) {
			struct where q = { at + (size_t)(m.u.err.invoking - p), w->depth + 1,
					   MK_VIA_QUOTED, false, false };
			put(o, " for {");
			describe_nested(o, m.u.err.invoking, m.u.err.invoking_len, cp, q);
			put(o, " }");
		}
		break;
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		put(o, " id %u seq %u", m.u.echo.id, m.u.echo.seq);
		break;
	case MK_ICMP6_K_RA:
		put(o, " flags 0x%02x", m.u.ra.flags);
		if (m.u.ra.flags & (MK_ICMP6_RA_M | MK_ICMP6_RA_O | MK_ICMP6_RA_H))
			put(o, " (%s%s%s)", m.u.ra.flags & MK_ICMP6_RA_M ? "M" : "",
			    m.u.ra.flags & MK_ICMP6_RA_O ? "O" : "", m.u.ra.flags & MK_ICMP6_RA_H ? "H" : "");
		put(o, " lifetime %u", m.u.ra.router_lifetime);
		break;
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		put(o, " id %u", m.u.ident.id);
		break;
	default:
		break;
	}
	if (m.n_addrs) {
		put(o, " home agents ");
		addr_list(o, m.addrs[0].s6_addr, m.n_addrs);
	}
	nd_opts(o, &m);
	return st;
}

static struct mk_status describe_tcp(struct out *o, const uint8_t *p, size_t n,
				     const struct mk_codepoints *cp)
{
	struct mk_tcp t;
	struct mk_status st = mk_tcp_parse(p, n, cp, &t);
	char fl[64];

	if (n < MK_TCP_HDR_MIN) {
		put(o, " TCP [truncated]");
		return st;
	}
	mk_tcp_flags_fmt(fl, sizeof fl, t.flags);
	put(o, " TCP %u > %u [%s] seq %u", t.sport, t.dport, fl, t.seq);
	if (t.flags & MK_TCP_ACK)
		put(o, " ack %u", t.ack);
	if (st.err != MK_E_OK) {
		err(o, "TCP", st);
		return st;
	}
	size_t shown = 0;
	for (size_t i = 0; i < t.opts.n; i++) {
		const struct mk_tcpopt *x = &t.opts.o[i];
		const char *tn;
		if (x->type == MK_TCPOPT_NOP || x->type == MK_TCPOPT_EOL)
			continue;
		tn = mk_tcpopt_type_name(x->type);
		put(o, "%s%s", shown++ ? "," : " opts ", tn ? tn : "?");
		switch (x->type) {
		case MK_TCPOPT_MSS:
			put(o, "(%u)", x->u.mss);
			break;
		case MK_TCPOPT_WS:
			put(o, "(%u)", x->u.ws);
			break;
		case MK_TCPOPT_TS:
			put(o, "(%u/%u)", x->u.ts.val, x->u.ts.ecr);
			break;
		case MK_TCPOPT_MIGPERM:
			put(o, "(kind %u", x->kind);
			if (x->u.migperm.exid)
				put(o, " ExID 0x%04x", x->u.migperm.exid);
			put(o, " curve %u)", x->u.migperm.curve);
			break;
		case MK_TCPOPT_MIGRATE:
			put(o, "(kind %u", x->kind);
			if (x->u.migrate.exid)
				put(o, " ExID 0x%04x", x->u.migrate.exid);
			put(o, " P %u reqno %u token %016" PRIx64 " request %016" PRIx64 ")",
			    x->u.migrate.preload ? 1u : 0u, x->u.migrate.reqno, x->u.migrate.token,
			    x->u.migrate.request);
			break;
		case MK_TCPOPT_EXP:
			put(o, "(kind %u ExID 0x%0*" PRIx32 ")", x->kind, x->u.exp.exid_len * 2,
			    x->u.exp.exid);
			break;
		case MK_TCPOPT_RAW:
			put(o, "(kind %u len %u)", x->kind, x->len);
			break;
		default:
			break;
		}
	}
	if (t.payload_len)
		put(o, " len %zu", t.payload_len);
	return st;
}

/* The upper-layer checksum of the packet described at w. */
static void verdict(struct out *o, const uint8_t *pkt, const struct mk_ip6 *h,
		    const struct mk_ip6_chain *c, bool parsed, const struct where *w,
		    struct mk_pkt_layer *L)
{
	int field = parsed ? mk_ip6_cksum_field(c->ulp) : 0;

	if (field < 0 || (parsed && (c->flags & MK_IP6C_FRAG_HEAD)))
		return;
	if (w->cut) {
		L->cksum = MK_CKV_CUT;
		put(o, " [cksum not judged (quoted, cut)]");
		return;
	}
	if (!parsed || c->ulp_len <= (size_t)field + 1)
		return;
	const uint8_t *f = pkt + c->ulp_off + field;
	if (c->ulp == MK_NH_UDP && f[0] == 0 && f[1] == 0) {
		L->cksum = MK_CKV_BAD;
		fault(o, w, mk_fail(MK_E_IP6_UDP_ZERO_CKSUM, c->ulp_off + (size_t)field), w->off);
	} else if (mk_ip6_ulp_cksum(pkt, h, c) == 0) {
		L->cksum = MK_CKV_OK;
	} else if (mk_ip6_ulp_cksum_partial(pkt, h, c)) {
		L->cksum = MK_CKV_PARTIAL;
	} else {
		L->cksum = MK_CKV_BAD;
		fault(o, w, mk_fail(MK_E_BAD_CKSUM, c->ulp_off + (size_t)field), w->off);
	}
	put(o, L->cksum == MK_CKV_OK	     ? " [cksum ok]"
	       : L->cksum == MK_CKV_PARTIAL ? " [cksum partial: offload]"
					    : " [cksum BAD]");
}

static void count(struct mk_cksum_count *k, uint8_t v)
{
	k->checked += v == MK_CKV_OK || v == MK_CKV_BAD || v == MK_CKV_PARTIAL;
	k->ok += v == MK_CKV_OK;
	k->bad += v == MK_CKV_BAD;
	k->partial += v == MK_CKV_PARTIAL;
	k->cut += v == MK_CKV_CUT;
}

static void describe(struct out *o, const uint8_t *pkt, size_t len,
		     const struct mk_codepoints *cp, const struct where *w)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_status st = mk_ip6_chain_parse(pkt, len, &h, &c);

	if (len < MK_IP6_HLEN || (pkt[0] >> 4) != 6) {
		put(o, "not IPv6 (%zu octets)", len);
		fault(o, w, st, w->off);
		return;
	}
	struct mk_pkt_layer *L = &o->sum->layer[w->depth];
	*L = (struct mk_pkt_layer){ w->via, MK_NH_NONE, MK_CKV_NONE, w->off, len };
	o->sum->n = (unsigned)w->depth + 1;
	addr(o, &h.src);
	put(o, " > ");
	addr(o, &h.dst);
	if (st.err != MK_E_OK) {
		err(o, "IPv6", st);
		fault(o, w, st, w->off);
		verdict(o, pkt, &h, &c, false, w, L);
		goto done;
	}
	for (unsigned i = 0; i < c.n; i++) {
		const struct mk_ip6_ext *e = &c.ext[i];
		if ((int)i == c.rh2) {
			put(o, " RH2(");
			addr(o, pkt + c.rh2_hoa_off);
			put(o, ", left %u)", c.rh2_segleft);
		} else if ((int)i == c.hao) {
			put(o, " DST(HAO ");
			addr(o, pkt + c.hao_off + 2);
			put(o, ")");
		} else if (e->type == MK_NH_ROUTING) {
			put(o, " RH(type %u, left %u)", pkt[e->off + 2], pkt[e->off + 3]);
		} else if (e->type == MK_NH_FRAGMENT) {
			put(o, " FRAG(off %u%s)", c.frag_off, c.frag_more ? ", more" : "");
		} else {
			put(o, " %s", e->type == MK_NH_HOPOPTS ? "HBH" : "DST");
		}
	}
	L->ulp = c.ulp;
	if (c.flags & (MK_IP6C_FRAG_TAIL | MK_IP6C_OPAQUE)) {
		put(o, " %s", mk_ip6_nh_name(c.ulp) ? mk_ip6_nh_name(c.ulp) : "payload");
		goto done;
	}
	const uint8_t *p = pkt + c.ulp_off;
	size_t n = c.ulp_len;
	struct mk_status us = mk_ok();
	switch (c.ulp) {
	case MK_NH_MH:
		us = describe_mh(o, p, n, cp);
		break;
	case MK_NH_ICMPV6:
		us = describe_icmp6(o, p, n, cp, w, w->off + c.ulp_off);
		break;
	case MK_NH_TCP:
		us = describe_tcp(o, p, n, cp);
		break;
	case MK_NH_UDP: {
		struct mk_udp u;
		us = mk_udp_parse(p, n, &u);
		if (us.err == MK_E_OK)
			put(o, " UDP %u > %u len %zu", u.sport, u.dport, u.payload_len);
		else
			put(o, " UDP [truncated]");
		break;
	}
	case MK_NH_IPV6:
		if (w->depth + 1 < MK_DESCRIBE_DEPTH) {
			struct where in = { w->off + c.ulp_off, w->depth + 1, MK_VIA_TUNNEL, w->carried,
					    w->cut };
			put(o, " IPv6-in-IPv6: ");
			describe_nested(o, p, n, cp, in);
		}
		break;
	case MK_NH_NONE:
		put(o, " no next header");
		break;
	default:
		put(o, " %s (%u) len %zu",
		    mk_ip6_nh_name(c.ulp) ? mk_ip6_nh_name(c.ulp) : "protocol", c.ulp, n);
	}
	fault(o, w, us, w->off + c.ulp_off);
	verdict(o, pkt, &h, &c, true, w, L);
done:
	count(w->depth ? &o->sum->inner : &o->sum->outer, L->cksum);
}

/* A tunnelled or quoted packet.  Under a quote, one shorter than its
 * Payload Length says is cut, not wrong: it is described from a copy whose
 * Payload Length ends at the cut, and its checksum is not judged. */
static void describe_nested(struct out *o, const uint8_t *pkt, size_t len,
			    const struct mk_codepoints *cp, struct where w)
{
	uint8_t copy[QUOTE_COPY];

	if (w.carried || len < MK_IP6_HLEN || (pkt[0] >> 4) != 6 ||
	    MK_IP6_HLEN + (((size_t)pkt[4] << 8) | pkt[5]) <= len) {
		describe(o, pkt, len, cp, &w);
		return;
	}
	w.cut = true;
	if (len > sizeof copy)
		len = sizeof copy;
	memcpy(copy, pkt, len);
	copy[4] = (uint8_t)((len - MK_IP6_HLEN) >> 8);
	copy[5] = (uint8_t)(len - MK_IP6_HLEN);
	describe(o, copy, len, cp, &w);
}

size_t mk_pkt_describe_ex(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp,
			  char *buf, size_t cap, struct mk_pkt_summary *sum)
{
	struct mk_pkt_summary own;
	char none[1];
	struct out o = { buf, cap, 0, sum ? sum : &own };
	struct where w = { 0, 0, MK_VIA_OUTER, true, false };

	if (!buf || !cap) {
		o.buf = none;
		o.cap = 0;
	}
	memset(o.sum, 0, sizeof *o.sum);
	if (o.cap)
		o.buf[0] = 0;
	describe(&o, pkt, len, cp, &w);
	return o.n;
}

size_t mk_pkt_describe(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp, char *buf,
		       size_t cap)
{
	return mk_pkt_describe_ex(pkt, len, cp, buf, cap, NULL);
}
