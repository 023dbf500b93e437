/* lib/wire/describe.c: one-line packet descriptions (see describe.h). */
#include "describe.h"

#include <arpa/inet.h>
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
};

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

static void err(struct out *o, const char *what, struct mk_status st)
{
	put(o, " [%s: %s at %zu]", what, mk_strerror(st.err), st.off);
}

static void describe_mh(struct out *o, const uint8_t *p, size_t n, const struct mk_codepoints *cp)
{
	struct mk_mh m;
	struct mk_status st = mk_mh_parse_ex(p, n, cp, MK_MH_PARSE_MHA_IF_FLAG, &m);
	const char *ab;
	char fl[96];

	if (st.err != MK_E_OK) {
		put(o, " MH");
		err(o, "MH", st);
		return;
	}
	ab = mk_mh_type_abbrev(m.type);
	put(o, " MH %s", ab ? ab : "type");
	if (!ab)
		put(o, " %u", m.type);
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
		break;
	default:
		break;
	}
	if (m.nopts) {
		put(o, " opts");
		for (size_t i = 0; i < m.nopts; i++) {
			const char *on = mk_mh_opt_kind_name(m.opts[i].kind);
			put(o, "%s%s", i ? "," : " ", on ? on : "?");
			if (m.opts[i].kind == MK_MHO_UNKNOWN)
				put(o, "(%u)", m.opts[i].type);
		}
	}
}

static void describe_icmp6(struct out *o, const uint8_t *p, size_t n,
			   const struct mk_codepoints *cp, int depth);
static void describe(struct out *o, const uint8_t *pkt, size_t len,
		     const struct mk_codepoints *cp, int depth);

static void describe_icmp6(struct out *o, const uint8_t *p, size_t n,
			   const struct mk_codepoints *cp, int depth)
{
	struct mk_icmp6 m;
	struct mk_status st = mk_icmp6_parse(p, n, cp, &m);
	const char *tn, *cn;

	if (n < 4) {
		put(o, " ICMPv6 [truncated]");
		return;
	}
	tn = mk_icmp6_type_name(cp, p[0]);
	put(o, " ICMPv6 %s", tn ? tn : "type");
	if (!tn)
		put(o, " %u", p[0]);
	if (st.err != MK_E_OK) {
		err(o, "ICMPv6", st);
		return;
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
		if (depth == 0 && m.u.err.invoking_len >= 40) {
			put(o, " for {");
			describe(o, m.u.err.invoking, m.u.err.invoking_len, cp, depth + 1);
			put(o, " }");
		}
		break;
	case MK_ICMP6_K_ECHO_REQUEST:
	case MK_ICMP6_K_ECHO_REPLY:
		put(o, " id %u seq %u", m.u.echo.id, m.u.echo.seq);
		break;
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
		put(o, " id %u", m.u.ident.id);
		break;
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_HA_UNREACH:
		put(o, " id %u", m.u.ident.id);
		for (size_t i = 0; i < m.n_addrs; i++) {
			put(o, i ? "," : " ");
			addr(o, &m.addrs[i]);
		}
		break;
	case MK_ICMP6_K_RA:
		put(o, " flags 0x%02x lifetime %u", m.u.ra.flags, m.u.ra.router_lifetime);
		break;
	default:
		break;
	}
}

static void describe_tcp(struct out *o, const uint8_t *p, size_t n, const struct mk_codepoints *cp)
{
	struct mk_tcp t;
	struct mk_status st = mk_tcp_parse(p, n, cp, &t);
	char fl[64];

	if (n < MK_TCP_HDR_MIN) {
		put(o, " TCP [truncated]");
		return;
	}
	mk_tcp_flags_fmt(fl, sizeof fl, t.flags);
	put(o, " TCP %u > %u [%s] seq %u", t.sport, t.dport, fl, t.seq);
	if (t.flags & MK_TCP_ACK)
		put(o, " ack %u", t.ack);
	if (st.err != MK_E_OK) {
		err(o, "TCP", st);
		return;
	}
	size_t shown = 0;
	for (size_t i = 0; i < t.opts.n; i++) {
		const struct mk_tcpopt *x = &t.opts.o[i];
		const char *tn;
		if (x->type == MK_TCPOPT_NOP || x->type == MK_TCPOPT_EOL)
			continue;
		tn = mk_tcpopt_type_name(x->type);
		put(o, "%s%s", shown++ ? "," : " opts ", tn ? tn : "?");
		if (x->type == MK_TCPOPT_MIGRATE)
			put(o, "(reqno %u)", x->u.migrate.reqno);
	}
	if (t.payload_len)
		put(o, " len %zu", t.payload_len);
}

static void describe(struct out *o, const uint8_t *pkt, size_t len,
		     const struct mk_codepoints *cp, int depth)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_status st = mk_ip6_chain_parse(pkt, len, &h, &c);

	if (len < MK_IP6_HLEN || (pkt[0] >> 4) != 6) {
		put(o, "not IPv6 (%zu octets)", len);
		return;
	}
	addr(o, &h.src);
	put(o, " > ");
	addr(o, &h.dst);
	if (st.err != MK_E_OK) {
		err(o, "IPv6", st);
		return;
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
	if (c.flags & (MK_IP6C_FRAG_TAIL | MK_IP6C_OPAQUE)) {
		put(o, " %s", mk_ip6_nh_name(c.ulp) ? mk_ip6_nh_name(c.ulp) : "payload");
		return;
	}
	const uint8_t *p = pkt + c.ulp_off;
	size_t n = c.ulp_len;
	switch (c.ulp) {
	case MK_NH_MH:
		describe_mh(o, p, n, cp);
		break;
	case MK_NH_ICMPV6:
		describe_icmp6(o, p, n, cp, depth);
		break;
	case MK_NH_TCP:
		describe_tcp(o, p, n, cp);
		break;
	case MK_NH_UDP: {
		struct mk_udp u;
		if (mk_udp_parse(p, n, &u).err == MK_E_OK)
			put(o, " UDP %u > %u len %zu", u.sport, u.dport, u.payload_len);
		else
			put(o, " UDP [truncated]");
		break;
	}
	case MK_NH_IPV6:
		if (depth < 2) {
			put(o, " IPv6-in-IPv6: ");
			describe(o, p, n, cp, depth + 1);
		}
		break;
	case MK_NH_NONE:
		put(o, " no next header");
		break;
	default:
		put(o, " %s (%u) len %zu",
		    mk_ip6_nh_name(c.ulp) ? mk_ip6_nh_name(c.ulp) : "protocol", c.ulp, n);
	}
	if (depth == 0 && mk_ip6_cksum_field(c.ulp) >= 0 && !(c.flags & MK_IP6C_FRAG_HEAD) &&
	    n > (size_t)mk_ip6_cksum_field(c.ulp) + 1)
		put(o, mk_ip6_ulp_cksum(pkt, &h, &c) == 0	 ? " [cksum ok]"
		       : mk_ip6_ulp_cksum_partial(pkt, &h, &c) ? " [cksum partial: offload]"
							 : " [cksum BAD]");
}

size_t mk_pkt_describe(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp, char *buf,
		       size_t cap)
{
	struct out o = { buf, cap, 0 };

	if (cap)
		buf[0] = 0;
	describe(&o, pkt, len, cp, 0);
	return o.n;
}
