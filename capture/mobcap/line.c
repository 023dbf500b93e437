/* capture/mobcap/line.c: which packets matter to mobility and one line for
 * each (see mobcap.h). */
#include "mobcap.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdarg.h>
#include <string.h>

#include "dns/dns.h"
#include "util/json.h"
#include "wire/describe.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/tcpopt.h"
#include "wire/udp.h"

const char *mc_interest_name(enum mc_interest w)
{
	static const char *n[] = { "other", "mh", "icmp6", "hao-rh2", "tunnel", "tcp-migrate", "dns" };
	return (unsigned)w < sizeof n / sizeof n[0] ? n[w] : "other";
}

__attribute__((format(printf, 3, 4))) static void add(char *b, size_t *o, const char *fmt, ...)
{
	size_t cap = sizeof ((struct mc_line *)0)->text;
	va_list ap;
	if (*o >= cap)
		return;
	va_start(ap, fmt);
	size_t k = mk_vappend(b, cap, *o, fmt, ap);
	va_end(ap);
	*o = k < cap ? k : cap;
}

static bool dns_interesting(const struct mk_dns_msg *m, uint16_t caaaa)
{
	if (m->opcode == MK_DNS_OP_UPDATE)
		return true;
	for (unsigned i = 0; i < m->nrec; i++)
		if (m->rec[i].type == MK_DNS_T_AAAA || m->rec[i].type == caaaa)
			return true;
	return false;
}

static void dns_line(const struct mk_dns_msg *m, const struct mk_codepoints *cp, char *b,
		     size_t *o)
{
	char name[MK_DNS_NAME_STR_MAX], rc[64];
	bool upd = m->opcode == MK_DNS_OP_UPDATE, resp = (m->flags & MK_DNS_F_QR) != 0;
	unsigned shown = 0, other = 0;

	mk_dns_msg_rcode_str(m, rc, sizeof rc);
	add(b, o, " DNS %s%s id %u", upd ? "UPDATE" : resp ? "response" : "query",
	    upd && resp ? " response" : "", m->id);
	if (resp)
		add(b, o, " %s", rc);
	for (unsigned i = 0; i < m->nrec; i++) {
		const struct mk_dns_rec *r = &m->rec[i];
		const char *tn = mk_dns_type_name(r->type, cp);
		if (mk_dns_msg_name(m, r->off, name, sizeof name).err != MK_E_OK)
			snprintf(name, sizeof name, "?");
		if (r->section == MK_DNS_SEC_QUESTION) {
			if (upd)
				add(b, o, " zone %s", name);
			else
				add(b, o, " %s %s", name, tn ? tn : "?");
			continue;
		}
		if (r->kind == MK_DNS_RD_TSIG) {
			add(b, o, " [TSIG %s%s]", name, m->tsig_error ? " error" : "");
			continue;
		}
		if (r->kind == MK_DNS_RD_SIG) {
			if (mk_dns_msg_name(m, r->rd.sig.signer_off, name, sizeof name).err != MK_E_OK)
				snprintf(name, sizeof name, "?");
			add(b, o, " [SIG(0) %s]", name);
			continue;
		}
		if (r->kind == MK_DNS_RD_OPT)
			continue;
		bool addr = r->kind == MK_DNS_RD_AAAA || r->kind == MK_DNS_RD_CAAAA;
		if (!addr && !upd) {
			other++;
			continue;
		}
		add(b, o, "%s", shown++ ? ";" : ":");
		if (upd && r->section == MK_DNS_SEC_AUTHORITY)
			add(b, o, " %s", r->cls == MK_DNS_C_ANY ? (r->type == MK_DNS_T_ANY ? "delete-name" : "delete-rrset")
					 : r->cls == MK_DNS_C_NONE ? "delete-rr" : "add");
		else if (upd && r->section == MK_DNS_SEC_ANSWER)
			add(b, o, " prereq");
		else
			add(b, o, " %s", mk_dns_section_name(r->section, upd));
		add(b, o, " %s %s", tn ? tn : "?", name);
		if (addr && r->rdlen == 16) {
			char a[INET6_ADDRSTRLEN];
			mk_ip6_ntop(r->rd.aaaa, a);
			add(b, o, " %s", a);
		}
		if (!(upd && r->cls != MK_DNS_C_IN))
			add(b, o, " ttl %u", r->ttl);
	}
	if (other)
		add(b, o, " (+%u other record%s)", other, other == 1 ? "" : "s");
}

void mc_describe(const struct mc_pkt *p, const struct mk_codepoints *cp, bool all, struct mc_line *l)
{
	static struct mk_dns_msg msg; /* large: not on the stack, not per packet */
	struct mk_ip6 *hp = &l->h;
	struct mk_ip6_chain *cp6 = &l->c;
	size_t o = 0;
	char *b = l->text;

	l->what = MC_NOT;
	l->cksum = NULL;
	l->truncated = false;
	l->parsed = false;
	l->dns = NULL;
	b[0] = 0;
	if (p->ip6_off < 0) {
		add(b, &o, "not IPv6 (link type %d, %zu octets)", p->dlt, p->caplen);
		return;
	}
	const uint8_t *ip = p->data + p->ip6_off;
	size_t n = p->caplen - (size_t)p->ip6_off;
	/* cut by the snaplen: the IPv6 packet itself is incomplete (a frame whose
	 * recorded length only counts octets outside the packet is not) */
	l->truncated = n < 6 || n < 40 + ((size_t)ip[4] << 8 | ip[5]);
	struct mk_status st = mk_ip6_chain_parse(ip, n, hp, cp6);
	l->parsed = st.err == MK_E_OK;

	if (st.err != MK_E_OK) {
		/* a damaged packet that was heading for mobility is shown, flagged */
		if (n >= 7 && (ip[6] == MK_NH_MH || ip[6] == MK_NH_DSTOPTS || ip[6] == MK_NH_ROUTING ||
			       ip[6] == MK_NH_IPV6))
			l->what = MC_MH;
	} else if (cp6->ulp == MK_NH_MH) {
		l->what = MC_MH;
	} else if (cp6->hao >= 0 || cp6->rh2 >= 0) {
		l->what = MC_HAO_RH2;
	} else if (cp6->ulp == MK_NH_IPV6) {
		l->what = MC_TUNNEL;
	} else if (cp6->ulp == MK_NH_ICMPV6 && cp6->ulp_len >= 4) {
		uint8_t t = ip[cp6->ulp_off];
		enum mk_icmp6_kind k = mk_icmp6_kind_of(cp, t);
		if (t < 128 || k == MK_ICMP6_K_DHAAD_REQUEST || k == MK_ICMP6_K_DHAAD_REPLY ||
		    k == MK_ICMP6_K_MPS || k == MK_ICMP6_K_MPA || k == MK_ICMP6_K_HA_UNREACH ||
		    (k == MK_ICMP6_K_RA && cp6->ulp_len > 5 && (ip[cp6->ulp_off + 5] & MK_ICMP6_RA_H)))
			l->what = MC_ICMP6;
	} else if (cp6->ulp == MK_NH_TCP && cp6->ulp_len >= 20 && (ip[cp6->ulp_off + 12] >> 4) > 5) {
		static struct mk_tcp t; /* options only: a bare header has no Migrate */
		if (mk_tcp_parse(ip + cp6->ulp_off, cp6->ulp_len, cp, &t).err == MK_E_OK)
			for (size_t i = 0; i < t.opts.n; i++)
				if (t.opts.o[i].type == MK_TCPOPT_MIGRATE ||
				    t.opts.o[i].type == MK_TCPOPT_MIGPERM)
					l->what = MC_TCP_MIGRATE;
	} else if (cp6->ulp == MK_NH_UDP && !(cp6->flags & (MK_IP6C_FRAG_HEAD | MK_IP6C_FRAG_TAIL))) {
		struct mk_udp u;
		if (mk_udp_parse(ip + cp6->ulp_off, cp6->ulp_len, &u).err == MK_E_OK &&
		    (u.sport == 53 || u.dport == 53)) {
			char a[INET6_ADDRSTRLEN];
			struct mk_status ds = mk_dns_msg_parse(u.payload, u.payload_len, &msg, cp);
			if (ds.err == MK_E_OK && dns_interesting(&msg, (uint16_t)mk_cp(cp, MK_CP_CAAAA_TYPE))) {
				l->what = MC_DNS;
				l->dns = &msg;
				add(b, &o, "%s", mk_ip6_ntop(&hp->src, a));
				add(b, &o, " > %s", mk_ip6_ntop(&hp->dst, a));
				dns_line(&msg, cp, b, &o);
			} else if (ds.err != MK_E_OK && u.payload_len >= 3 &&
				   ((u.payload[2] >> 3) & 0xf) == MK_DNS_OP_UPDATE) {
				l->what = MC_DNS;
				add(b, &o, "%s > ", mk_ip6_ntop(&hp->src, a));
				add(b, &o, "%s DNS UPDATE [malformed: %s at %zu]",
				    mk_ip6_ntop(&hp->dst, a), mk_strerror(ds.err), ds.off);
			}
		}
	}
	if (l->what == MC_NOT && !all)
		return; /* not of interest: neither checksum nor line */
	if (st.err == MK_E_OK && !l->truncated)
		l->cksum = mc_cksum_verdict(ip, hp, cp6);
	if (l->what == MC_DNS) {
		if (l->cksum)
			add(b, &o, " [cksum %s]", strcmp(l->cksum, "bad") == 0 ? "BAD" : l->cksum);
	} else {
		o = mk_pkt_describe(ip, n, cp, b, sizeof l->text);
		if (o >= sizeof l->text)
			o = sizeof l->text - 1;
	}
	if (l->truncated)
		add(b, &o, " [snaplen: %zu of %zu octets]", p->caplen, p->len);
}

void mc_tally_report(const struct mc_tally *t, FILE *out, bool json)
{
	if (json) {
		static const char *k[2] = { "checksums", "checksums_inner" };
		struct mk_json j;
		mk_json_begin(&j, out);
		for (int i = 0; i < 2; i++) {
			mk_json_obj(&j, k[i]);
			mk_json_uint(&j, "ok", t->ok[i]);
			mk_json_uint(&j, "bad", t->bad[i]);
			mk_json_uint(&j, "partial", t->partial[i]);
			mk_json_end(&j);
		}
		mk_json_finish(&j);
		return;
	}
	fprintf(out,
		"# checksums: %" PRIu64 " ok, %" PRIu64 " bad, %" PRIu64 " partial; inside tunnels: %" PRIu64
		" ok, %" PRIu64 " bad, %" PRIu64 " partial\n",
		t->ok[0], t->bad[0], t->partial[0], t->ok[1], t->bad[1], t->partial[1]);
}
