/* capture/mobcap/m-convergence.c: `mobcap latency convergence` (mobcap(1)):
 * a DNS UPDATE adding an AAAA or CAAAA record -> the first answer of each
 * resolver to each client that carries the new data; stale answers after
 * the server's NOERROR counted, and as TTL violations once the old data's
 * TTL has run out. */
#include "latency.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "util/fmt.h"
#include "util/json.h"
#include "wire/udp.h"

#define NAMECAP 256
#define MAX_ADDS 8      /* records one UPDATE adds that are followed */

struct upd {
	struct ref sent, answer;
	uint16_t id, sport;
	struct in6_addr src, dst;
	int rcode;             /* -1: no answer seen */
	unsigned nadd;
	struct { char name[NAMECAP]; uint16_t type; uint8_t addr[16]; uint32_t ttl; } add[MAX_ADDS];
};

struct key {               /* a (name, type) some UPDATE changed */
	char name[NAMECAP];
	uint16_t type;
	long upd;              /* the latest UPDATE that changed it */
	uint32_t prev_ttl;     /* TTL of what the UPDATE before it published */
	bool have_prev;
};

struct stream {            /* answers of one resolver to one client for one key */
	struct in6_addr res, cli;
	size_t key;
	long upd;              /* the UPDATE awaited, -1 none */
	uint32_t prev_ttl;
	bool have_prev, done;
	struct ref ans, first_stale;
	unsigned answers, stale, viol;
};

struct conv {
	struct upd *u;
	size_t nu, ucap;
	struct key *k;
	size_t nk, kcap;
	struct stream *st;
	size_t nst, stcap;
	struct in6_addr *srv;      /* where UPDATEs went (distinct) */
	size_t nsrv, srvcap;
};

struct conv_group {        /* a group's stale answers and TTL violations */
	long long stale, viol;
};

static void lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static bool rec_name(const struct mk_dns_msg *m, size_t off, char *b)
{
	if (mk_dns_msg_name(m, off, b, NAMECAP).err != MK_E_OK)
		return false;
	lower(b);
	return true;
}

static void conv_finish(struct lat *L, struct stream *s, const char *why_end)
{
	struct conv *C = L->st;
	if (s->upd < 0)
		return;
	const struct upd *u = &C->u[s->upd];
	const struct key *k = &C->k[s->key];
	struct rec r;
	char a[INET6_ADDRSTRLEN], b[64], tn[16];
	const char *t = mk_dns_type_name(k->type, L->cp);

	rec_init(&r);
	if (!t)
		snprintf(tn, sizeof tn, "TYPE%u", k->type), t = tn;
	snprintf(r.group, sizeof r.group, "%s %s", lat_label(L, &s->res, a), t);
	mk_ip6_ntop(&s->cli, r.subject);
	mk_ip6_ntop(&s->res, r.peer);
	r.name = k->name;
	rec_ref(&r, "update", &u->sent);
	rec_ref(&r, "update_answer", &u->answer);
	rec_ref(&r, "answer", &s->ans);
	rec_ref(&r, "first_stale", &s->first_stale);
	bool ok = u->rcode == 0 && u->answer.set;
	rec_step(&r, "update_to_noerror", ok ? ms_between(&u->sent, &u->answer) : NAN);
	rec_step(&r, "noerror_to_answer", ok ? ms_between(&u->answer, &s->ans) : NAN);
	rec_extra(&r, "round", s->upd + 1);
	rec_extra(&r, "answers", s->answers);
	if (ok) {
		rec_extra(&r, "stale_after_noerror", s->stale);
		rec_extra(&r, "ttl_violations", s->viol);
	}
	if (s->have_prev)
		rec_extra(&r, "previous_ttl", s->prev_ttl);
	if (u->rcode > 0) {
		char rc[32];
		snprintf(rc, sizeof rc, "%s", mk_dns_rcode_name((unsigned)u->rcode) ? mk_dns_rcode_name((unsigned)u->rcode) : "?");
		lat_ref_str(L, &u->answer, b, sizeof b);
		snprintf(r.absent, sizeof r.absent, "the UPDATE was answered %s (%s): nothing new to converge to", rc, b);
	} else if (s->done) {
		r.ms = ms_between(&u->sent, &s->ans);
	} else if (!s->answers) {
		snprintf(r.absent, sizeof r.absent, "no answer from this resolver to this client after the UPDATE, %s", why_end);
	} else {
		snprintf(r.absent, sizeof r.absent, "no answer carried the new data %s", why_end);
	}
	lat_emit(L, &r);
	s->upd = -1;
}

static void conv_update(struct lat *L, const struct mc_pkt *p, const struct mk_ip6 *h,
			const struct mk_udp *ud, const struct mk_dns_msg *m)
{
	struct conv *C = L->st;
	uint16_t caaaa = (uint16_t)mk_cp(L->cp, MK_CP_CAAAA_TYPE);
	if (!(m->flags & MK_DNS_F_QR)) {
		if (!lat_grow((void **)&C->u, &C->ucap, C->nu, sizeof *C->u)) {
			L->oom = true;
			return;
		}
		struct upd *u = &C->u[C->nu];
		memset(u, 0, sizeof *u);
		u->sent = mkref(p);
		u->id = m->id;
		u->sport = ud->sport;
		u->src = h->src;
		u->dst = h->dst;
		u->rcode = -1;
		for (unsigned i = 0; i < m->nrec && u->nadd < MAX_ADDS; i++) {
			const struct mk_dns_rec *x = &m->rec[i];
			if (x->section != MK_DNS_SEC_AUTHORITY || x->cls != MK_DNS_C_IN ||
			    (x->type != MK_DNS_T_AAAA && x->type != caaaa) || x->rdlen != 16)
				continue;
			if (!rec_name(m, x->off, u->add[u->nadd].name))
				continue;
			u->add[u->nadd].type = x->type;
			memcpy(u->add[u->nadd].addr, x->rd.aaaa, 16);
			u->add[u->nadd].ttl = x->ttl;
			u->nadd++;
		}
		if (!u->nadd)
			return; /* adds nothing followed: not a round */
		long ui = (long)C->nu++;
		size_t sv;
		for (sv = 0; sv < C->nsrv; sv++)
			if (memcmp(&C->srv[sv], &h->dst, 16) == 0)
				break;
		if (sv == C->nsrv) {
			if (!lat_grow((void **)&C->srv, &C->srvcap, C->nsrv, sizeof *C->srv)) {
				L->oom = true;
				return;
			}
			C->srv[C->nsrv++] = h->dst;
		}
		const char *why = "before the next UPDATE";
		L->end = u->sent;
		for (unsigned i = 0; i < u->nadd; i++) {
			size_t ki;
			for (ki = 0; ki < C->nk; ki++)
				if (C->k[ki].type == u->add[i].type && strcmp(C->k[ki].name, u->add[i].name) == 0)
					break;
			if (ki == C->nk) {
				if (!lat_grow((void **)&C->k, &C->kcap, C->nk, sizeof *C->k)) {
					L->oom = true;
					return;
				}
				memset(&C->k[ki], 0, sizeof C->k[ki]);
				memcpy(C->k[ki].name, u->add[i].name, NAMECAP);
				C->k[ki].type = u->add[i].type;
				C->k[ki].upd = -1;
				C->nk++;
			}
			struct key *k = &C->k[ki];
			if (k->upd >= 0) {
				const struct upd *pu = &C->u[k->upd];
				for (unsigned j = 0; j < pu->nadd; j++)
					if (pu->add[j].type == k->type && strcmp(pu->add[j].name, k->name) == 0)
						k->prev_ttl = pu->add[j].ttl, k->have_prev = true;
			}
			k->upd = ui;
			for (size_t si = 0; si < C->nst; si++) {
				struct stream *s = &C->st[si];
				if (s->key != ki)
					continue;
				conv_finish(L, s, why);
				memset(&s->ans, 0, sizeof s->ans);
				memset(&s->first_stale, 0, sizeof s->first_stale);
				s->upd = ui;
				s->done = false;
				s->answers = s->stale = s->viol = 0;
				s->prev_ttl = k->prev_ttl;
				s->have_prev = k->have_prev;
			}
		}
		return;
	}
	/* the server's answer to one of the UPDATEs */
	for (size_t i = C->nu; i-- > 0;) {
		struct upd *u = &C->u[i];
		if (u->id == m->id && u->sport == ud->dport && !u->answer.set &&
		    memcmp(&u->src, &h->dst, 16) == 0 && memcmp(&u->dst, &h->src, 16) == 0) {
			u->answer = mkref(p);
			u->rcode = (int)mk_dns_msg_rcode(m);
			return;
		}
	}
}

static void conv_answer(struct lat *L, const struct mc_pkt *p, const struct mk_ip6 *h,
			const struct mk_dns_msg *m)
{
	struct conv *C = L->st;
	char qname[NAMECAP], name[NAMECAP];
	int q = -1;
	for (unsigned i = 0; i < m->nrec; i++)
		if (m->rec[i].section == MK_DNS_SEC_QUESTION) {
			q = (int)i;
			break;
		}
	if (q < 0 || !rec_name(m, m->rec[q].off, qname))
		return;
	uint16_t qtype = m->rec[q].type;
	size_t ki;
	for (ki = 0; ki < C->nk; ki++)
		if (C->k[ki].type == qtype && strcmp(C->k[ki].name, qname) == 0)
			break;
	if (ki == C->nk || C->k[ki].upd < 0)
		return; /* no UPDATE changed this name and type (yet) */
	/* the update servers' own answers are not a resolver's */
	for (size_t i = 0; i < C->nsrv; i++)
		if (memcmp(&C->srv[i], &h->src, 16) == 0)
			return;
	struct stream *s = NULL;
	for (size_t i = 0; i < C->nst; i++)
		if (C->st[i].key == ki && memcmp(&C->st[i].res, &h->src, 16) == 0 &&
		    memcmp(&C->st[i].cli, &h->dst, 16) == 0) {
			s = &C->st[i];
			break;
		}
	if (!s) {
		if (!lat_grow((void **)&C->st, &C->stcap, C->nst, sizeof *C->st)) {
			L->oom = true;
			return;
		}
		s = &C->st[C->nst++];
		memset(s, 0, sizeof *s);
		s->res = h->src;
		s->cli = h->dst;
		s->key = ki;
		s->upd = C->k[ki].upd;
		s->prev_ttl = C->k[ki].prev_ttl;
		s->have_prev = C->k[ki].have_prev;
	}
	if (s->upd < 0)
		return;
	const struct upd *u = &C->u[s->upd];
	const uint8_t *want = NULL;
	for (unsigned j = 0; j < u->nadd; j++)
		if (u->add[j].type == qtype && strcmp(u->add[j].name, qname) == 0)
			want = u->add[j].addr;
	/* in ANSWER, or in ADDITIONAL: the server-mobility paper's semantics (a
	 * resolver such as kresd-caaaa answers a CAAAA query with the record there) */
	bool carries = false;
	for (unsigned i = 0; i < m->nrec && want; i++) {
		const struct mk_dns_rec *x = &m->rec[i];
		if ((x->section == MK_DNS_SEC_ANSWER || x->section == MK_DNS_SEC_ADDITIONAL) && x->type == qtype &&
		    x->rdlen == 16 && memcmp(x->rd.aaaa, want, 16) == 0 && rec_name(m, x->off, name) &&
		    strcmp(name, qname) == 0)
			carries = true;
	}
	s->answers++;
	if (carries && !s->done) {
		s->done = true;
		s->ans = mkref(p);
		return;
	}
	if (carries || u->rcode != 0 || !u->answer.set || p->ts <= u->answer.ts)
		return;
	/* after the server said NOERROR, an answer without the new data is
	 * stale; it violates the TTL once the old data's TTL has run out */
	s->stale++;
	if (!s->first_stale.set)
		s->first_stale = mkref(p);
	uint64_t ttl_ns = (uint64_t)(s->have_prev ? s->prev_ttl : 0) * 1000000000ull;
	if (p->ts > u->answer.ts + ttl_ns)
		s->viol++;
}

static void conv_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		     const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	static struct mk_dns_msg m;
	struct mk_udp ud;
	if (p->dup || c->ulp != MK_NH_UDP || (c->flags & (MK_IP6C_FRAG_HEAD | MK_IP6C_FRAG_TAIL)))
		return;
	if (mk_udp_parse(ip + c->ulp_off, c->ulp_len, &ud).err != MK_E_OK ||
	    (ud.sport != 53 && ud.dport != 53))
		return;
	if (mk_dns_msg_parse(ud.payload, ud.payload_len, &m, L->cp).err != MK_E_OK)
		return;
	if (m.opcode == MK_DNS_OP_UPDATE)
		conv_update(L, p, h, &ud, &m);
	else if (m.opcode == MK_DNS_OP_QUERY && (m.flags & MK_DNS_F_QR))
		conv_answer(L, p, h, &m);
}

static void conv_flush(struct lat *L, const char *why)
{
	struct conv *C = L->st;
	for (size_t i = 0; i < C->nst; i++)
		conv_finish(L, &C->st[i], why);
}

static void conv_stop(struct lat *L)
{
	struct conv *C = L->st;
	free(C->u);
	free(C->k);
	free(C->st);
	free(C->srv);
}

/* ---- the summary: stale answers and TTL violations per group ---- */

static void conv_group_add(struct lat *L, struct group *g, const struct rec *r)
{
	if (!g->x && !(g->x = calloc(1, sizeof(struct conv_group)))) {
		L->oom = true;
		return;
	}
	struct conv_group *x = g->x;
	for (unsigned i = 0; i < r->nextra; i++) {
		if (strcmp(r->extra[i].k, "stale_after_noerror") == 0)
			x->stale += r->extra[i].v;
		if (strcmp(r->extra[i].k, "ttl_violations") == 0)
			x->viol += r->extra[i].v;
	}
}

static const struct conv_group *conv_group(const struct group *g)
{
	static const struct conv_group none;
	return g->x ? g->x : &none;
}

static void conv_group_json(struct group *g, struct mk_json *j)
{
	mk_json_int(j, "stale_after_noerror", conv_group(g)->stale);
	mk_json_int(j, "ttl_violations", conv_group(g)->viol);
}

static void conv_table_row(struct lat *L, const struct group *g)
{
	fprintf(L->out, "  %5lld %10lld", conv_group(g)->stale, conv_group(g)->viol);
}

const struct lat_metric lat_convergence = {
	.name = "convergence",
	.absent = "no DNS UPDATE adding an AAAA or CAAAA record, followed by resolver answers for that name, is in the captures",
	.state_size = sizeof(struct conv),
	.ulp = MK_NH_UDP,
	.packet = conv_pkt,
	.flush = conv_flush,
	.stop = conv_stop,
	.group_add = conv_group_add,
	.group_json = conv_group_json,
	.table_head = "  stale violations",
	.table_row = conv_table_row,
};
