/* tools/mobwire/decode.c: one table row per captured IPv6 packet: the
 * verdict, then libmobkit's one-line description (lib/wire/describe.h),
 * which verifies the upper-layer checksum at every depth (the MH checksum
 * included, which tshark does not check).  DNS on port 53 is decoded here:
 * lib/wire depends on nothing above it, lib/dns is above it. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mobwire.h"
#include "dns/dns.h"
#include "util/fmt.h"
#include "wire/describe.h"
#include "wire/ip6ext.h"
#include "wire/udp.h"

struct line {
	char b[2048];
	size_t n;
};

static void add(struct line *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	l->n = mk_vappend(l->b, sizeof l->b, l->n, fmt, ap);
	va_end(ap);
}

/* " | DNS UPDATE id 0x4d4b NOERROR zone example. PR 1 UP 2 AR 1 CAAAA(update)
 * 2001:db8:2::100 TSIG": opcode, rcode, counts, every CAAAA with its
 * section, the signature. */
static struct mk_status dns_row(struct line *l, const uint8_t *p, size_t n,
				const struct mk_codepoints *cp)
{
	static struct mk_dns_msg m;
	char b[INET6_ADDRSTRLEN], rc[64], name[MK_DNS_NAME_STR_MAX];
	struct mk_status st = mk_dns_msg_parse(p, n, &m, cp);

	if (st.err != MK_E_OK) {
		add(l, " | DNS [%s at %zu]", mk_strerror(st.err), st.off);
		return st;
	}
	const char *op = mk_dns_opcode_name(m.opcode);
	int upd = m.opcode == MK_DNS_OP_UPDATE;
	mk_dns_msg_rcode_str(&m, rc, sizeof rc);
	add(l, " | DNS %s%s id 0x%04x %s", op ? op : "opcode?",
	    m.flags & MK_DNS_F_QR ? " response" : "", m.id, rc);
	if (m.nrec && mk_dns_msg_name(&m, m.rec[0].off, name, sizeof name).err == MK_E_OK)
		add(l, " %s %s", upd ? "zone" : "q", name);
	add(l, " %s %u %s %u AR %u", upd ? "PR" : "AN", m.count[1], upd ? "UP" : "NS", m.count[2],
	    m.count[3]);
	for (unsigned i = 0; i < m.nrec; i++)
		if (m.rec[i].kind == MK_DNS_RD_CAAAA)
			add(l, " CAAAA(%s) %s", mk_dns_section_name(m.rec[i].section, upd),
			    mk_ip6_ntop(m.rec[i].rd.aaaa, b));
	if (m.has_tsig)
		add(l, " TSIG");
	if (m.has_sig0) {
		const struct mk_dns_rec *r = &m.rec[m.sig0_idx];
		const char *an = mk_sig0_alg_name(r->rd.sig.alg);
		add(l, " SIG(0) %s tag %u", an ? an : "alg?", r->rd.sig.keytag);
	}
	return st;
}

/* DNS in the innermost carried layer (not one an ICMPv6 error quotes), if
 * it is UDP to or from port 53.  Its parse error, offset in pkt. */
static struct mk_status dns_of(struct line *l, const uint8_t *pkt, const struct mk_pkt_summary *s,
			       const struct mk_codepoints *cp)
{
	unsigned i = s->n;
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	struct mk_udp u;

	while (i > 0 && s->layer[i - 1].via == MK_VIA_QUOTED)
		i--;
	if (i == 0 || s->layer[i - 1].ulp != MK_NH_UDP)
		return mk_ok();
	const struct mk_pkt_layer *L = &s->layer[i - 1];
	if (mk_ip6_chain_parse(pkt + L->off, L->len, &h, &c).err != MK_E_OK ||
	    (c.flags & (MK_IP6C_FRAG_HEAD | MK_IP6C_FRAG_TAIL)) ||
	    mk_udp_parse(pkt + L->off + c.ulp_off, c.ulp_len, &u).err != MK_E_OK ||
	    (u.sport != 53 && u.dport != 53))
		return mk_ok();
	return mk_status_shift(dns_row(l, u.payload, u.payload_len, cp),
			       L->off + c.ulp_off + (size_t)(u.payload - (pkt + L->off + c.ulp_off)));
}

void mw_decode_header(FILE *out)
{
	fprintf(out, "%4s  %-7s  %s\n", "#", "verdict", "packet");
}

int mw_decode_packet(FILE *out, unsigned no, const uint8_t *pkt, size_t len,
		     const struct mk_codepoints *cp, bool verbose)
{
	struct line l = { .n = 0 };
	struct mk_pkt_summary s;

	l.n = mk_pkt_describe_ex(pkt, len, cp, l.b, sizeof l.b, &s);
	if (l.n >= sizeof l.b)
		l.n = sizeof l.b - 1;
	struct mk_status dst = dns_of(&l, pkt, &s, cp);
	struct mk_status err = s.err.err != MK_E_OK ? s.err : dst;
	int bad = err.err != MK_E_OK;
	const char *verdict = !bad ? "ok" : err.err == MK_E_BAD_CKSUM ? "BADSUM" : "ERROR";
	fprintf(out, "%4u  %-7s  %s\n", no, verdict, l.b);
	if (bad)
		fprintf(out, "      %s at offset %zu: %s\n", mk_errname(err.err), err.off,
			mk_strerror(err.err));
	else if (verbose)
		fprintf(out, "      %zu octets\n", len);
	return bad;
}
