/* tools/mobwire/decode.c: one table row per captured IPv6 packet, decoded
 * with libmobkit's parsers, with the upper-layer checksum verified (the MH
 * checksum included, which tshark does not check). */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mobwire.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/tcpopt.h"
#include "wire/udp.h"
#include "dns/dns.h"
#include "util/fmt.h"

struct line {
	char b[1024];
	size_t n;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	if (l->n >= sizeof l->b - 1)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(l->b + l->n, sizeof l->b - l->n, fmt, ap);
	va_end(ap);
	if (n > 0)
		l->n = l->n + (size_t)n < sizeof l->b ? l->n + (size_t)n : sizeof l->b - 1;
}

static void addrs(struct line *l, const uint8_t *p, size_t n)
{
	char b[INET6_ADDRSTRLEN];
	for (size_t i = 0; i < n; i++)
		add(l, "%s%s", i ? "," : "", mk_ip6_ntop(p + 16 * i, b));
}

static void mh_opts(struct line *l, const struct mk_mh *m)
{
	char b[INET6_ADDRSTRLEN];

	for (size_t i = 0; i < m->nopts; i++) {
		const struct mk_mh_opt *o = &m->opts[i];
		add(l, " %s", mk_mh_opt_kind_name(o->kind));
		switch (o->kind) {
		case MK_MHO_BRA:
			add(l, "=%us", mk_mh_lifetime_sec(o->v.bra));
			break;
		case MK_MHO_ALTCOA:
			add(l, "=%s", mk_ip6_ntop(&o->v.altcoa, b));
			break;
		case MK_MHO_NONCE:
			add(l, "=%u/%u", o->v.nonce.home, o->v.nonce.careof);
			break;
		case MK_MHO_AUTH:
			add(l, "(subtype %u spi 0x%x)", o->v.auth.subtype, o->v.auth.spi);
			break;
		case MK_MHO_REPLAY:
			add(l, "=0x%016" PRIx64, o->v.replay);
			break;
		case MK_MHO_MHA:
			add(l, "=");
			addrs(l, o->v.mha.addrs, o->v.mha.n);
			break;
		case MK_MHO_UNKNOWN:
			add(l, "(type %u len %u)", o->type, o->len);
			break;
		case MK_MHO_EXP:
			add(l, "(%zu octets)", o->v.raw.len);
			break;
		default:
			break;
		}
	}
}

static struct mk_status mh_row(struct line *l, const uint8_t *p, size_t n,
			       const struct mk_codepoints *cp)
{
	struct mk_mh m;
	char f[128], b[INET6_ADDRSTRLEN];
	struct mk_status st = mk_mh_parse_ex(p, n, cp, MK_MH_PARSE_MHA_IF_FLAG, &m);

	if (st.err != MK_E_OK && st.err != MK_E_MH_UNKNOWN_TYPE)
		return st;
	const char *t = mk_mh_type_abbrev(m.type);
	if (t)
		add(l, "MH %s", t);
	else
		add(l, "MH type %u", m.type);
	switch (m.type) {
	case MK_MH_BU:
		add(l, " seq=%u flags=%s life=%us", m.u.bu.seq,
		    mk_mh_bu_flags_str(m.u.bu.flags, cp, f, sizeof f),
		    mk_mh_lifetime_sec(m.u.bu.lifetime));
		break;
	case MK_MH_BA: {
		const char *sn = mk_mh_ba_status_name(m.u.ba.status);
		add(l, " status=%u(%s) flags=%s seq=%u life=%us", m.u.ba.status, sn ? sn : "unassigned",
		    mk_mh_ba_flags_str(m.u.ba.flags, f, sizeof f), m.u.ba.seq,
		    mk_mh_lifetime_sec(m.u.ba.lifetime));
		break;
	}
	case MK_MH_BE: {
		const char *sn = mk_mh_be_status_name(m.u.be.status);
		add(l, " status=%u(%s) hoa=%s", m.u.be.status, sn ? sn : "unassigned",
		    mk_ip6_ntop(&m.u.be.hoa, b));
		break;
	}
	case MK_MH_HOTI:
	case MK_MH_COTI:
		add(l, " cookie=");
		for (int i = 0; i < 8; i++)
			add(l, "%02x", m.u.testinit.cookie[i]);
		break;
	case MK_MH_HOT:
	case MK_MH_COT:
		add(l, " nonce-index=%u", m.u.test.nonce_idx);
		break;
	case MK_MH_HAS:
		add(l, " ha=");
		addrs(l, m.u.has.addrs, m.u.has.n);
		break;
	case MK_MH_EXP:
		add(l, " %zu octets", m.u.raw.len);
		break;
	default:
		break;
	}
	mh_opts(l, &m);
	return st;
}

static struct mk_status icmp_row(struct line *l, const uint8_t *p, size_t n,
				 const struct mk_codepoints *cp)
{
	struct mk_icmp6 m;
	char b[INET6_ADDRSTRLEN];
	struct mk_status st = mk_icmp6_parse(p, n, cp, &m);

	if (st.err != MK_E_OK)
		return st;
	const char *tn = mk_icmp6_type_name(cp, m.type);
	add(l, "ICMPv6 %s", tn ? tn : "type");
	if (!tn)
		add(l, " %u", m.type);
	switch (m.kind) {
	case MK_ICMP6_K_DHAAD_REQUEST:
	case MK_ICMP6_K_DHAAD_REPLY:
	case MK_ICMP6_K_MPS:
	case MK_ICMP6_K_MPA:
	case MK_ICMP6_K_HA_UNREACH:
		add(l, " id=0x%04x", m.u.ident.id);
		break;
	case MK_ICMP6_K_PARAM_PROB: {
		const char *cn = mk_icmp6_code_name(m.type, m.code);
		add(l, " code=%u(%s) pointer=%" PRIu32 " invoking=%zu octets", m.code, cn ? cn : "?",
		    m.u.err.word, m.u.err.invoking_len);
		break;
	}
	case MK_ICMP6_K_RA:
		add(l, " flags=0x%02x%s life=%us", m.u.ra.flags, m.u.ra.flags & MK_ICMP6_RA_H ? "(H)" : "",
		    m.u.ra.router_lifetime);
		break;
	default:
		add(l, " code=%u", m.code);
		break;
	}
	if (m.n_addrs) {
		add(l, " ha=");
		addrs(l, (const uint8_t *)m.addrs, m.n_addrs);
	}
	for (size_t i = 0; i < m.n_opts; i++) {
		const struct mk_nd_opt *o = &m.opts[i];
		const char *on = mk_nd_opt_name(o->type);
		if (o->type == 3)
			add(l, " PI=%s/%u%s", mk_ip6_ntop(&o->u.pi.prefix, b), o->u.pi.prefix_len,
			    o->u.pi.flags & MK_ND_PI_R ? "(R)" : "");
		else if (o->type == 8)
			add(l, " HAI(pref=%u life=%us)", o->u.hai.pref, o->u.hai.lifetime);
		else
			add(l, " %s", on ? on : "opt?");
	}
	return st;
}

static struct mk_status tcp_row(struct line *l, const uint8_t *p, size_t n,
				const struct mk_codepoints *cp)
{
	struct mk_tcp t;
	char f[64], d[160];
	struct mk_status st = mk_tcp_parse(p, n, cp, &t);

	if (st.err != MK_E_OK)
		return st;
	mk_tcp_flags_fmt(f, sizeof f, t.flags);
	add(l, "TCP %u>%u %s seq=%" PRIu32, t.sport, t.dport, f, t.seq);
	for (size_t i = 0; i < t.opts.n; i++) {
		const struct mk_tcpopt *o = &t.opts.o[i];
		if (o->type == MK_TCPOPT_NOP || o->type == MK_TCPOPT_EOL)
			continue;
		mk_tcpopt_describe(d, sizeof d, cp, o);
		add(l, " [%s", d);
		switch (o->type) {
		case MK_TCPOPT_MSS:
			add(l, " mss=%u", o->u.mss);
			break;
		case MK_TCPOPT_WS:
			add(l, " shift=%u", o->u.ws);
			break;
		case MK_TCPOPT_TS:
			add(l, " val=%" PRIu32 " ecr=%" PRIu32, o->u.ts.val, o->u.ts.ecr);
			break;
		case MK_TCPOPT_MIGPERM:
			add(l, " curve=%u", o->u.migperm.curve);
			break;
		case MK_TCPOPT_MIGRATE:
			add(l, " P=%d reqno=%u token=%016" PRIx64 " request=%016" PRIx64,
			    o->u.migrate.preload, o->u.migrate.reqno, o->u.migrate.token,
			    o->u.migrate.request);
			break;
		default:
			break;
		}
		add(l, "]");
	}
	return st;
}

/* DNS on port 53: opcode, rcode, counts, every CAAAA with its section. */
static struct mk_status dns_row(struct line *l, const uint8_t *p, size_t n,
				const struct mk_codepoints *cp)
{
	static struct mk_dns_msg m;
	char b[INET6_ADDRSTRLEN], rc[64], name[MK_DNS_NAME_STR_MAX];
	struct mk_status st = mk_dns_msg_parse(p, n, &m, cp);

	if (st.err != MK_E_OK)
		return st;
	const char *op = mk_dns_opcode_name(m.opcode);
	int upd = m.opcode == MK_DNS_OP_UPDATE;
	mk_dns_msg_rcode_str(&m, rc, sizeof rc);
	add(l, " DNS %s%s id=0x%04x %s", op ? op : "opcode?", m.flags & MK_DNS_F_QR ? " response" : "",
	    m.id, rc);
	if (m.nrec && mk_dns_msg_name(&m, m.rec[0].off, name, sizeof name).err == MK_E_OK)
		add(l, " %s=%s", upd ? "zone" : "q", name);
	add(l, " %s=%u %s=%u %s=%u", upd ? "PR" : "AN", m.count[1], upd ? "UP" : "NS", m.count[2],
	    "AR", m.count[3]);
	for (unsigned i = 0; i < m.nrec; i++)
		if (m.rec[i].kind == MK_DNS_RD_CAAAA)
			add(l, " CAAAA(%s)=%s", mk_dns_section_name(m.rec[i].section, upd),
			    mk_ip6_ntop(m.rec[i].rd.aaaa, b));
	if (m.has_tsig)
		add(l, " TSIG");
	if (m.has_sig0) {
		const struct mk_dns_rec *r = &m.rec[m.sig0_idx];
		const char *an = mk_sig0_alg_name(r->rd.sig.alg);
		add(l, " SIG(0) %s tag=%u", an ? an : "alg?", r->rd.sig.keytag);
	}
	return st;
}

static struct mk_status udp_row(struct line *l, const uint8_t *p, size_t n,
				const struct mk_codepoints *cp)
{
	struct mk_udp u;
	struct mk_status st = mk_udp_parse(p, n, &u);

	if (st.err != MK_E_OK)
		return st;
	add(l, "UDP %u>%u %u octets", u.sport, u.dport, u.length);
	if (u.sport == 53 || u.dport == 53)
		return mk_status_shift(dns_row(l, u.payload, u.payload_len, cp), 8);
	return st;
}

void mw_decode_header(FILE *out)
{
	fprintf(out, "%4s  %-6s  %-17s  %-17s  %-22s  %s\n", "#", "verdict", "source", "destination",
		"extension headers", "message");
}

/* One packet: its chain, its message, its checksum. depth > 0 inside a
 * tunnel.  Returns 0 when everything verified. */
static int row(struct line *l, const uint8_t *pkt, size_t len, const struct mk_codepoints *cp,
	       char ext[96], size_t base, struct mk_status *err)
{
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	char b[INET6_ADDRSTRLEN];
	struct mk_status st = mk_ip6_chain_parse(pkt, len, &h, &c);

	if (st.err != MK_E_OK) {
		*err = mk_status_shift(st, base);
		return 1;
	}
	if (c.hao >= 0)
		snprintf(ext + strlen(ext), 96 - strlen(ext), "%sHAO %s", *ext ? " " : "",
			 mk_ip6_ntop(pkt + c.hao_off + 2, b));
	if (c.rh2 >= 0)
		snprintf(ext + strlen(ext), 96 - strlen(ext), "%sRH2 %s", *ext ? " " : "",
			 mk_ip6_ntop(pkt + c.rh2_hoa_off, b));
	const uint8_t *u = pkt + c.ulp_off;
	size_t un = c.ulp_len;
	switch (c.ulp) {
	case MK_MH_NEXTHDR:
		st = mh_row(l, u, un, cp);
		break;
	case 58:
		st = icmp_row(l, u, un, cp);
		break;
	case 6:
		st = tcp_row(l, u, un, cp);
		break;
	case 17:
		st = udp_row(l, u, un, cp);
		break;
	case 41: {
		add(l, "tunnel %s > ", mk_ip6_ntop(&h.src, b));
		add(l, "%s | ", mk_ip6_ntop(&h.dst, b));
		struct mk_ip6 ih;
		if (mk_ip6_parse(u, un, &ih).err == MK_E_OK) {
			add(l, "%s > ", mk_ip6_ntop(&ih.src, b));
			add(l, "%s ", mk_ip6_ntop(&ih.dst, b));
		}
		snprintf(ext + strlen(ext), 96 - strlen(ext), "%sIPv6-in-IPv6", *ext ? " " : "");
		return row(l, u, un, cp, ext, base + c.ulp_off, err);
	}
	case 59:
		add(l, "no next header");
		return 0;
	default: {
		const char *nn = mk_ip6_nh_name(c.ulp);
		add(l, "%s (not decoded)", nn ? nn : "protocol");
		return 0;
	}
	}
	if (st.err != MK_E_OK && st.err != MK_E_MH_UNKNOWN_TYPE) {
		*err = mk_status_shift(st, base + c.ulp_off);
		return 1;
	}
	if (!mk_pkt_check_cksum(pkt, len, &st)) {
		*err = mk_status_shift(st, base);
		return 1;
	}
	return 0;
}

int mw_decode_packet(FILE *out, unsigned no, const uint8_t *pkt, size_t len,
		     const struct mk_codepoints *cp, bool verbose)
{
	struct line l = { .n = 0 };
	char ext[96] = "", s[INET6_ADDRSTRLEN], d[INET6_ADDRSTRLEN];
	struct mk_status err = mk_ok();
	struct mk_ip6 h;
	int bad;

	l.b[0] = 0;
	bad = row(&l, pkt, len, cp, ext, 0, &err);
	if (mk_ip6_parse(pkt, len, &h).err != MK_E_OK) {
		strcpy(s, "?");
		strcpy(d, "?");
	} else {
		mk_ip6_ntop(&h.src, s);
		mk_ip6_ntop(&h.dst, d);
	}
	const char *verdict = !bad ? "ok" : err.err == MK_E_BAD_CKSUM ? "BADSUM" : "ERROR";
	fprintf(out, "%4u  %-7s  %-17s  %-17s  %-22s  %s\n", no, verdict, s, d, *ext ? ext : "-", l.b);
	if (bad)
		fprintf(out, "      %s at offset %zu: %s\n", mk_errname(err.err), err.off,
			mk_strerror(err.err));
	else if (verbose) {
		fprintf(out, "      %zu octets\n", len);
	}
	return bad;
}
