/* capture/mobcap/m-rtt.c: `mobcap latency rtt` (mobcap(1)): request ->
 * reply where the request was seen (ICMPv6 echo, DNS, BU/BA, HoTI/HoT,
 * CoTI/CoT, SYN/SYN-ACK, TCP data/TCP data), per pair and hop count;
 * echo, DNS, SYN and TCP data between a home address and a correspondent
 * classified by path (through the home agent or direct), and the table of
 * --by-path. */
#include "latency.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "util/fmt.h"
#include "wire/mh.h"
#include "wire/udp.h"

/* The request table starts small and doubles when an insertion finds its
 * neighbourhood full, up to its most (lat-tables.c says why). */
#define TABLE_START 256   /* slots it starts with, power of two */
#define RTT_SLOTS 65536   /* most outstanding requests, power of two */
/* the first RTT_HOAS home addresses are followed for their whereabouts (a
 * flood of HoTIs from random addresses costs no more) */
#define RTT_HOAS 256

struct rq {
	bool used;
	uint8_t kind;
	struct in6_addr a, b;  /* requester, responder */
	uint32_t id;
	uint8_t path;          /* the request's */
	struct ref r;
};

struct hoa_at {            /* a home address: last seen away from home? */
	struct in6_addr hoa;
	bool away;
};

struct rtt {
	struct rq *rq;
	size_t nrq;              /* its slots */
	struct hoa_at *mn;
	size_t nmn, mncap;
};

enum { RQ_ECHO = 1, RQ_DNS, RQ_BU, RQ_HOTI, RQ_COTI, RQ_SYN, RQ_DATA };
static const char *rq_name(unsigned k)
{
	static const char *n[] = { "?", "echo", "dns", "bu-ba", "hoti-hot", "coti-cot", "syn-synack", "tcp-data" };
	return k < sizeof n / sizeof n[0] ? n[k] : "?";
}

static uint64_t rq_hash_of(uint8_t kind, const struct in6_addr *a, const struct in6_addr *b,
			   uint32_t id)
{
	uint64_t h = hash_bytes(0xcbf29ce484222325ull ^ kind, a, 16);
	h = hash_bytes(h, b, 16);
	return hash_bytes(h, &id, 4);
}

static uint64_t rq_hash(const void *e)
{
	const struct rq *r = e;
	return rq_hash_of(r->kind, &r->a, &r->b, r->id);
}

static bool rq_used(const void *e)
{
	return ((const struct rq *)e)->used;
}

static struct rq *rq_slot(struct rtt *R, uint8_t kind, const struct in6_addr *a,
			  const struct in6_addr *b, uint32_t id, bool insert)
{
	uint64_t h = rq_hash_of(kind, a, b, id);
	struct rq *free_slot, *oldest, *t;
again:
	free_slot = oldest = NULL;
	for (unsigned k = 0; k < 8; k++) {
		struct rq *e = &R->rq[(h + k) & (R->nrq - 1)];
		if (!e->used) {
			if (!free_slot)
				free_slot = e;
			continue;
		}
		if (e->kind == kind && e->id == id && memcmp(&e->a, a, 16) == 0 &&
		    memcmp(&e->b, b, 16) == 0)
			return e;
		if (!oldest || e->r.ts < oldest->r.ts)
			oldest = e;
	}
	if (!insert)
		return NULL;
	if (free_slot)
		return free_slot;
	if ((t = mc_table_grow(R->rq, &R->nrq, RTT_SLOTS, sizeof *t, 8, rq_hash, rq_used))) {
		R->rq = t;
		goto again;
	}
	memset(oldest, 0, sizeof *oldest); /* a full neighbourhood forgets its oldest request */
	return oldest;
}

/* The path of an RTT sample between a mobile node and a correspondent
 * (mobcap(1)): through the home agent (tunnel), route optimized (direct),
 * one way each (mixed), or not classified (none). */
enum { PATH_NONE, PATH_TUNNEL, PATH_DIRECT, PATH_MIXED };
static const char *path_name(unsigned p)
{
	static const char *n[] = { NULL, "tunnel", "direct", "mixed" };
	return p < sizeof n / sizeof n[0] ? n[p] : NULL;
}

static const char *path_text(unsigned p)
{
	static const char *n[] = { "", "via HA", "direct", "mixed paths" };
	return p < sizeof n / sizeof n[0] ? n[p] : "";
}

/* a is a home address whose node is away (or, back, at home) */
static void rtt_away(struct lat *L, const struct in6_addr *a, bool away)
{
	struct rtt *R = L->st;
	struct hoa_at *x = lat_hoa_find(R->mn, R->nmn, sizeof *R->mn, a);
	if (!x && away && R->nmn < RTT_HOAS)
		x = lat_hoa_get(L, (void **)&R->mn, &R->nmn, &R->mncap, sizeof *R->mn, a);
	if (x)
		x->away = away;
}

static bool rtt_is_away(struct lat *L, const struct in6_addr *a)
{
	struct rtt *R = L->st;
	const struct hoa_at *x = lat_hoa_find(R->mn, R->nmn, sizeof *R->mn, a);
	return x && x->away;
}

/* The mobility messages that tell where a home address is: a HoTI from it or
 * a HoT to it, a BU with a Home Address option: away; a BU from the address
 * itself (a deregistration, back home): at home. */
static void rtt_learn(struct lat *L, const uint8_t *ip, const struct mk_ip6 *h,
		      const struct mk_ip6_chain *c, const struct mk_mh *mh)
{
	struct in6_addr hoa;
	if (mh->type == MK_MH_HOTI)
		rtt_away(L, &h->src, true);
	else if (mh->type == MK_MH_HOT)
		rtt_away(L, &h->dst, true);
	else if (mh->type == MK_MH_BU && c->hao >= 0)
		memcpy(&hoa, ip + c->hao_off + 2, 16), rtt_away(L, &hoa, mh->u.bu.lifetime != 0);
	else if (mh->type == MK_MH_BU)
		rtt_away(L, &h->src, false);
}

/* TCP data: a request when it goes from the client's port to the server's,
 * the client's being the higher (an ephemeral port, 32768-60999 on Linux,
 * against a service's); its reply the first data segment the other way
 * whose acknowledgement is the request's last octet + 1.  So a reply is
 * not taken for a request (the next request acknowledges the reply but
 * goes client -> server), a pure ACK is no reply, and a retransmitted
 * request or a reply in several segments is timed from its first. */
static bool tcp_data_req(uint16_t sport, uint16_t dport)
{
	return sport > dport;
}

static void rtt_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		    const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	static struct mk_dns_msg m;
	struct rtt *R = L->st;
	uint8_t kind = 0;
	uint32_t id = 0;
	bool req = false;
	unsigned path = PATH_NONE, hops = 0;
	struct mk_ip6 ih;
	struct mk_ip6_chain ic;
	struct in6_addr src = h->src, dst = h->dst; /* the end points: home addresses for care-of */

	if (c->ulp == MK_NH_IPV6) {
		/* through a tunnel (a home agent's): time the packet inside */
		if (mk_ip6_chain_parse(ip + c->ulp_off, c->ulp_len, &ih, &ic).err != MK_E_OK)
			return;
		hops = (h->hlim <= 64 ? 64u : h->hlim <= 128 ? 128u : 255u) - h->hlim;
		/* a home agent's tunnel: the inner address in the outer end's
		 * /64 (the home link) is a home address, away */
		if (!p->dup && memcmp(&ih.dst, &h->src, 8) == 0 && memcmp(&ih.dst, &h->dst, 8) != 0)
			rtt_away(L, &ih.dst, true);
		if (!p->dup && memcmp(&ih.src, &h->dst, 8) == 0 && memcmp(&ih.src, &h->src, 8) != 0)
			rtt_away(L, &ih.src, true);
		ip += c->ulp_off;
		h = &ih;
		c = &ic;
		src = h->src;
		dst = h->dst;
		path = PATH_TUNNEL;
	} else if (c->hao >= 0 || c->rh2 >= 0) {
		if (c->hao >= 0)
			memcpy(&src, ip + c->hao_off + 2, 16);
		if (c->rh2 >= 0)
			memcpy(&dst, ip + c->rh2_hoa_off, 16);
		path = PATH_DIRECT;
	}
	const uint8_t *u = ip + c->ulp_off;
	if (c->flags & (MK_IP6C_FRAG_HEAD | MK_IP6C_FRAG_TAIL))
		return;
	if (c->ulp == MK_NH_ICMPV6 && c->ulp_len >= 8) {
		if (u[0] != 128 && u[0] != 129)
			return;
		kind = RQ_ECHO;
		req = u[0] == 128;
		id = (uint32_t)u[4] << 24 | (uint32_t)u[5] << 16 | (uint32_t)u[6] << 8 | u[7];
	} else if (c->ulp == MK_NH_UDP) {
		struct mk_udp ud;
		if (mk_udp_parse(u, c->ulp_len, &ud).err != MK_E_OK || ud.payload_len < 12 ||
		    (ud.sport != 53 && ud.dport != 53))
			return;
		if (mk_dns_msg_parse(ud.payload, ud.payload_len, &m, L->cp).err != MK_E_OK)
			return;
		kind = RQ_DNS;
		req = !(m.flags & MK_DNS_F_QR);
		uint16_t cport = req ? ud.sport : ud.dport;
		id = (uint32_t)m.id << 16 | cport;
	} else if (c->ulp == MK_NH_MH) {
		struct mk_mh mh;
		if (mk_mh_parse(u, c->ulp_len, L->cp, &mh).err != MK_E_OK)
			return;
		if (!p->dup)
			rtt_learn(L, ip, h, c, &mh);
		switch (mh.type) {
		case MK_MH_BU: kind = RQ_BU, req = true, id = mh.u.bu.seq; break;
		case MK_MH_BA: kind = RQ_BU, id = mh.u.ba.seq; break;
		case MK_MH_HOTI: kind = RQ_HOTI, req = true; break;
		case MK_MH_HOT: kind = RQ_HOTI; break;
		case MK_MH_COTI: kind = RQ_COTI, req = true; break;
		case MK_MH_COT: kind = RQ_COTI; break;
		default: return;
		}
		if (kind == RQ_HOTI || kind == RQ_COTI) {
			const uint8_t *ck = req ? mh.u.testinit.cookie : mh.u.test.cookie;
			id = (uint32_t)hash_bytes(0xcbf29ce484222325ull, ck, 8);
		}
		/* signalling is timed between the addresses it was sent between */
		src = h->src;
		dst = h->dst;
		path = PATH_NONE;
	} else if (c->ulp == MK_NH_TCP && c->ulp_len >= 20) {
		/* a SYN and its SYN-ACK, or a request and its reply on a
		 * connection (tcp_data_req): paired by sequence and
		 * acknowledgement numbers and the ports */
		uint8_t fl = u[13];
		size_t doff = (size_t)(u[12] >> 4) * 4;
		uint32_t seq = (uint32_t)u[4] << 24 | (uint32_t)u[5] << 16 | (uint32_t)u[6] << 8 | u[7];
		uint32_t ack = (uint32_t)u[8] << 24 | (uint32_t)u[9] << 16 | (uint32_t)u[10] << 8 | u[11];
		uint16_t sp = (uint16_t)(u[0] << 8 | u[1]), dp = (uint16_t)(u[2] << 8 | u[3]);
		uint32_t x;
		if (fl & 0x04)
			return;
		if (fl & 0x02) {
			kind = RQ_SYN;
			req = !(fl & 0x10);
			x = req ? seq : ack - 1;
		} else if (doff >= 20 && c->ulp_len > doff && (fl & 0x10)) {
			kind = RQ_DATA;
			req = tcp_data_req(sp, dp);
			x = req ? seq + (uint32_t)(c->ulp_len - doff) : ack;
		} else {
			return;
		}
		uint16_t cport = req ? sp : dp, sport = req ? dp : sp;
		id = (uint32_t)hash_bytes(0xcbf29ce484222325ull ^ x, &cport, 2) ^ sport;
	} else {
		return;
	}
	if (kind != RQ_BU && kind != RQ_HOTI && kind != RQ_COTI) {
		if (path == PATH_DIRECT && !p->dup)
			rtt_away(L, c->hao >= 0 ? &src : &dst, true);
		else if (path == PATH_NONE && (rtt_is_away(L, &src) || rtt_is_away(L, &dst)))
			path = PATH_TUNNEL; /* past the home agent, which took it out of the tunnel */
	}
	if (req) {
		if (p->dup)
			return; /* timed from the first vantage point */
		struct rq *e = rq_slot(R, kind, &src, &dst, id, true);
		if (e->used)
			return; /* a retransmission: the first one is timed */
		e->used = true;
		e->kind = kind;
		e->a = src;
		e->b = dst;
		e->id = id;
		e->path = (uint8_t)path;
		e->r = mkref(p);
		return;
	}
	struct rq *e = rq_slot(R, kind, &dst, &src, id, false);
	if (!e || e->r.src != p->src)
		return; /* only where the request was seen */
	struct rec r;
	struct ref rep = mkref(p);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	hops += (h->hlim <= 64 ? 64u : h->hlim <= 128 ? 128u : 255u) - h->hlim;
	if (e->path != path)
		path = (e->path | path) == PATH_TUNNEL ? PATH_TUNNEL : PATH_MIXED;
	rec_init(&r);
	if (path == PATH_NONE) {
		snprintf(r.group, sizeof r.group, "%s %s > %s (%u hops)", rq_name(kind), mk_ip6_ntop(&e->a, a),
			 lat_label(L, &e->b, b), hops);
	} else {
		snprintf(r.pair, sizeof r.pair, "%s %s > %s", rq_name(kind), mk_ip6_ntop(&e->a, a),
			 lat_label(L, &e->b, b));
		snprintf(r.group, sizeof r.group, "%s %s (%u hops)", r.pair, path_text(path), hops);
		r.path = path_name(path);
	}
	mk_ip6_ntop(&e->a, r.subject);
	mk_ip6_ntop(&e->b, r.peer);
	r.ms = ms_between(&e->r, &rep);
	rec_ref(&r, "request", &e->r);
	rec_ref(&r, "reply", &rep);
	rec_extra(&r, "hops", hops);
	lat_emit(L, &r);
	e->used = false;
}

static bool rtt_start(struct lat *L)
{
	struct rtt *R = L->st;
	R->rq = calloc(R->nrq = TABLE_START, sizeof *R->rq);
	return R->rq != NULL;
}

static void rtt_stop(struct lat *L)
{
	struct rtt *R = L->st;
	free(R->rq);
	free(R->mn);
}

/* ---- the table by path ---- */

/* the samples of every group of one pair and path, sorted into v (NULL
 * when there are none); *n their number */
static double *path_values(const struct lat *L, const char *pair, const char *path, size_t *n)
{
	size_t k = 0;
	*n = 0;
	for (size_t i = 0; i < L->ng; i++)
		if (L->g[i].path == path && strcmp(L->g[i].pair, pair) == 0)
			*n += L->g[i].n;
	double *v = *n ? malloc(*n * sizeof *v) : NULL;
	if (!v)
		return NULL;
	for (size_t i = 0; i < L->ng; i++)
		if (L->g[i].path == path && strcmp(L->g[i].pair, pair) == 0 && L->g[i].n) {
			memcpy(v + k, L->g[i].v, L->g[i].n * sizeof *v);
			k += L->g[i].n;
		}
	qsort(v, *n, sizeof *v, lat_cmp_d);
	return v;
}

/* table: per pair, the round trips through the home agent and direct side
 * by side (the hop counts of a path merged); nothing when no sample has a
 * path */
static const char *pair_of(const struct group *g)
{
	return g->path ? g->pair : NULL;
}

static void summary_by_path(struct lat *L)
{
	int w = lat_width(L, 10, pair_of);
	if (w < 0)
		return;
	fprintf(L->out, "%s%-*s  %-42s  %-42s  %s\n", L->o->by_path ? "" : "\n", w, "rtt by path", "via HA (ms)", "direct (ms)", "mixed");
	fprintf(L->out, "%-*s ", w, "pair");
	for (unsigned k = 0; k < 2; k++)
		fprintf(L->out, " %5s %8s %8s %8s %8s ", "n", "p50", "p90", "min", "max");
	fprintf(L->out, " %5s\n", "n");
	for (size_t i = 0; i < L->ng; i++) {
		const struct group *g = &L->g[i];
		size_t j;
		if (!g->path)
			continue;
		for (j = 0; j < i; j++)
			if (L->g[j].path && strcmp(L->g[j].pair, g->pair) == 0)
				break;
		if (j < i)
			continue; /* the pair has its line */
		fprintf(L->out, "%-*s ", w, g->pair);
		for (unsigned k = 0; k < 2; k++) {
			size_t n;
			const char *pn = path_name(k ? PATH_DIRECT : PATH_TUNNEL);
			double *v = path_values(L, g->pair, pn, &n);
			if (v)
				fprintf(L->out, " %5zu %8.3f %8.3f %8.3f %8.3f ", n, lat_pct(v, n, 0.5), lat_pct(v, n, 0.9),
					v[0], v[n - 1]);
			else /* none (or no memory to sort them) */
				fprintf(L->out, " %5zu %8s %8s %8s %8s ", n, "-", "-", "-", "-");
			free(v);
		}
		size_t nm = 0;
		for (j = 0; j < L->ng; j++)
			if (L->g[j].path == path_name(PATH_MIXED) && strcmp(L->g[j].pair, g->pair) == 0)
				nm += L->g[j].n;
		fprintf(L->out, " %5zu\n", nm);
	}
}

const struct lat_metric lat_rtt = {
	.name = "rtt",
	.absent = "no request was answered where it was seen (ICMPv6 echo, DNS, BU/BA, HoTI/HoT, CoTI/CoT, SYN/SYN-ACK, TCP data/TCP data)",
	.state_size = sizeof(struct rtt),
	.start = rtt_start,
	.packet = rtt_pkt,
	.stop = rtt_stop,
	.table_tail = summary_by_path,
	.by_path = summary_by_path,
	.by_path_absent = "no echo, DNS, SYN or TCP data round trip between a home address and a correspondent was classified (through the home agent or direct: mobcap(1))",
};
