/* capture/mobcap/latency.c: the latency metrics of DESIGN.md, computed from
 * packets (see mobcap.h and doc/mobcap.1 for the definitions).
 *
 * One pass over the merged captures.  Each metric keeps small tables of
 * what it is waiting for (updates and resolver streams, outstanding
 * requests, mobile nodes, migrated connections); a record is written when
 * its last event is seen or can no longer come.  Times are those of the
 * first vantage point that saw a packet (the merger marks later sightings
 * as duplicates), except for rtt, which times the reply where the request
 * was seen, so that two vantage points cannot shorten a round trip, and
 * handoff, which takes every event of a move from the one capture that saw
 * its BU leave (every capture's sightings, duplicates too, are followed
 * apart for it).
 *
 * A record whose events are incomplete is written with "absent" and the
 * reason; it never carries a zero latency, and the summary counts it apart.
 */
#include "mobcap.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"
#include "util/fmt.h"
#include "util/json.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/tcpopt.h"
#include "wire/udp.h"

#define NAMECAP 256
/* The two hash tables start small and double when an insertion finds its
 * neighbourhood full, up to their most: a capture of ten packets does not
 * pay for zeroing 5 MB (it did, 20 ms per input in the fuzz harness). */
#define TABLE_START 256   /* slots a table starts with, power of two */
#define RTT_SLOTS 65536   /* most outstanding requests, power of two */
#define ADDR_SLOTS 65536  /* most first sightings of source addresses */
#define MAX_ADDS 8      /* records one UPDATE adds that are followed */
#define TUN_SLOTS 512    /* tunnelled packets remembered (direct-mapped, power of two) */
#define TUN_WINDOW 1000000000ull /* a decapsulated copy follows within 1 s */
#define TUN_DIGEST 104   /* octets a digest covers: the header and 64 of payload */

const char *mc_metric_name(enum mc_metric m)
{
	static const char *n[] = { "convergence", "handoff", "recovery", "migrate", "rtt" };
	return (unsigned)m < sizeof n / sizeof n[0] ? n[m] : "?";
}

int mc_metric_lookup(const char *s)
{
	for (int m = 0; m < MC_M__COUNT; m++)
		if (strcmp(s, mc_metric_name((enum mc_metric)m)) == 0)
			return m;
	return -1;
}

/* ---- records ---------------------------------------------------------------- */

struct ref {
	bool set;
	unsigned src;
	uint64_t frame, ts;
};

#define MAXF 16
/* handoff: the route-optimization steps (mobcap(1)) */
#define RO_STEPS 5
static const char *const ro_steps[RO_STEPS] = { "to_rr", "rr", "bu_cn", "direct", "to_direct" };
struct rec {
	char group[160];
	char subject[64], peer[64];
	const char *name;          /* DNS name, or NULL */
	const char *vantage;       /* the file every event was taken from (handoff), or NULL */
	const char *path;          /* rtt: "tunnel", "direct", "mixed", or NULL (not classified) */
	char pair[128];            /* rtt: kind, requester > responder, when path is set */
	char cn[64];               /* handoff: the correspondent of the route optimization, or "" */
	double ms;                 /* NAN: absent */
	char absent[240];
	unsigned nsteps, nrefs, nextra;
	struct { const char *k; double ms; } step[MAXF];     /* NAN: not seen */
	struct { const char *k; struct ref r; } ref[MAXF];
	struct { const char *k; long long v; } extra[MAXF];
};

struct group {
	char name[160];
	char pair[128];            /* rtt: the pair, and its path (NULL: none) */
	const char *path;
	double *v;
	size_t n, cap;
	unsigned absent;
	long long stale, viol;
	struct { char text[240]; unsigned n; } reason[3]; /* the first distinct absent reasons */
	unsigned other_reasons;  /* absent records with yet another reason */
	unsigned ron;              /* handoff: records with route optimization, */
	struct { double *v; size_t n, cap; } ro[RO_STEPS]; /* and their steps seen */
};

struct addr_slot {         /* an address as one capture saw it (handoff), or as all did */
	struct in6_addr a;
	unsigned src;          /* the capture (handoff), 0 for the others */
	bool used;
	unsigned epoch;
	struct ref first_epoch, first;
};

struct rq {
	bool used;
	uint8_t kind;
	struct in6_addr a, b;  /* requester, responder */
	uint32_t id;
	uint8_t path;          /* the request's (rtt) */
	struct ref r;
};

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

struct mn {
	struct in6_addr hoa;
	bool away;             /* rtt: last seen away from home */
	/* handoff */
	bool have_coa;
	struct in6_addr coa;
	bool mv_on, mv_home, mv_ba_ok;
	struct in6_addr mv_coa;
	unsigned mv_src;       /* the move's vantage point: every event is taken there */
	uint8_t mv_hlim;       /* the hop limit of the BU there */
	struct ref mv_first, mv_bu, mv_ba;
	unsigned mv_tx, moves;
	int mv_status;
	struct in6_addr mv_ha;  /* where the move's BU went */
	struct ref mv_data;    /* the first data at the new address (resume) */
	bool ro_wait;          /* data seen: the record waits for route optimization */
	/* route optimization after the home registration, with one correspondent */
	bool ro_on, ro_ba_ok;
	struct in6_addr ro_cn;
	struct ref ro_hoti, ro_coti, ro_hot, ro_cot, ro_bu, ro_ba, ro_data;
	uint8_t ro_hck[8], ro_cck[8]; /* the cookies of the latest HoTI and CoTI */
	unsigned ro_cns;       /* correspondents the mobile node began RR or a BU with */
	struct in6_addr ro_other[4]; /* the others (ro_cns - 1 of them, at most 4 kept) */
	int ro_status;
	/* recovery */
	bool have_ha;
	struct in6_addr ha;
	struct ref last_fwd, unreach, rbu, rba;
	struct in6_addr rbu_ha;
};

struct tun_slot {         /* a packet seen inside a tunnel: its digest, when */
	uint64_t h, ts;
};

struct mig {
	struct in6_addr n, d;
	uint16_t sp, dp;
	struct ref start, syn, synack, data, ack;
	uint32_t data_end;
	int data_from_n;       /* -1: no data yet */
	bool done;
};

#define RO_PENDING 16
struct ro_pend {
	uint8_t type;
	struct in6_addr s, d;
	uint8_t cookie[8];
	struct ref r;          /* unset: none, or taken */
};

struct lat {
	enum mc_metric m;
	struct mc_sources *s;
	const struct mk_codepoints *cp;
	const struct mc_lat_opts *o;
	FILE *out;
	char cpstr[512];
	unsigned nrec;
	struct group *g;
	size_t ng, gcap;
	/* convergence */
	struct upd *u;
	size_t nu, ucap;
	struct key *k;
	size_t nk, kcap;
	struct stream *st;
	size_t nst, stcap;
	struct in6_addr *srv;      /* where UPDATEs went (distinct) */
	size_t nsrv, srvcap;
	/* rtt */
	struct rq *rq;
	size_t nrq;              /* its slots */
	/* handoff, recovery, migrate */
	struct addr_slot *as;
	size_t nas;              /* its slots */
	unsigned epoch;
	struct mn *mn;
	size_t nmn, mncap;
	struct mig *mg;
	size_t nmg, mgcap;
	/* handoff: digests of the packets seen inside tunnels lately, so that their
	 * copies a home agent decapsulates and forwards are known for what they are */
	struct tun_slot tun[TUN_SLOTS];
	struct ref end;            /* the packet that ended a wait (none: the capture) */
	bool oom;
	struct mc_tally tally;     /* checksum verdicts, tunnelled packets apart */
	/* handoff: the latest test messages (HoTI, CoTI, HoT, CoT) no move took */
	struct ro_pend pend[RO_PENDING];
	unsigned npend;
};

static bool grow(void **p, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 16;
	void *q = realloc(*p, nc * sz);
	if (!q)
		return false;
	*p = q;
	*cap = nc;
	return true;
}

static const char *label_of(const struct lat *L, const struct in6_addr *a, char *b)
{
	for (unsigned i = 0; i < L->o->nlabels; i++)
		if (memcmp(&L->o->label_addr[i], a, 16) == 0)
			return L->o->label[i];
	return mk_ip6_ntop(a, b);
}

static struct ref mkref(const struct mc_pkt *p)
{
	return (struct ref){ .set = true, .src = p->src, .frame = p->frame, .ts = p->ts };
}

static double ms_between(const struct ref *a, const struct ref *b)
{
	if (!a->set || !b->set)
		return NAN;
	return ((double)b->ts - (double)a->ts) / 1e6;
}

static void rec_step(struct rec *r, const char *k, double ms)
{
	if (r->nsteps < MAXF)
		r->step[r->nsteps++].k = k, r->step[r->nsteps - 1].ms = ms;
}

static void rec_ref(struct rec *r, const char *k, const struct ref *x)
{
	if (x->set && r->nrefs < MAXF)
		r->ref[r->nrefs].k = k, r->ref[r->nrefs++].r = *x;
}

static void rec_extra(struct rec *r, const char *k, long long v)
{
	if (r->nextra < MAXF)
		r->extra[r->nextra].k = k, r->extra[r->nextra++].v = v;
}

static const char *base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static void csv_str(FILE *f, const char *s)
{
	bool q = strpbrk(s, ",\"\n") != NULL;
	if (!q) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static struct group *group_get(struct lat *L, const char *name, const struct rec *r)
{
	for (size_t i = 0; i < L->ng; i++)
		if (strcmp(L->g[i].name, name) == 0)
			return &L->g[i];
	if (!grow((void **)&L->g, &L->gcap, L->ng, sizeof *L->g)) {
		L->oom = true;
		return NULL;
	}
	struct group *g = &L->g[L->ng++];
	memset(g, 0, sizeof *g);
	snprintf(g->name, sizeof g->name, "%s", name);
	if (r->path) {
		g->path = r->path;
		snprintf(g->pair, sizeof g->pair, "%s", r->pair);
	}
	return g;
}

static void emit(struct lat *L, struct rec *r)
{
	if (isnan(r->ms))
		rec_ref(r, "ended_by", &L->end);
	struct group *g = group_get(L, r->group, r);
	L->nrec++;
	if (g) {
		if (isnan(r->ms)) {
			unsigned k;
			g->absent++;
			for (k = 0; k < 3 && g->reason[k].n; k++)
				if (strcmp(g->reason[k].text, r->absent) == 0)
					break;
			if (k == 3)
				g->other_reasons++;
			else if (g->reason[k].n++ == 0)
				snprintf(g->reason[k].text, sizeof g->reason[k].text, "%s", r->absent);
		} else if (grow((void **)&g->v, &g->cap, g->n, sizeof *g->v)) {
			g->v[g->n++] = r->ms;
		} else {
			L->oom = true;
		}
		if (r->cn[0])
			g->ron++;
		for (unsigned i = 0; i < r->nsteps && r->cn[0]; i++)
			for (unsigned k = 0; k < RO_STEPS; k++)
				if (strcmp(r->step[i].k, ro_steps[k]) == 0 && !isnan(r->step[i].ms)) {
					if (grow((void **)&g->ro[k].v, &g->ro[k].cap, g->ro[k].n, sizeof *g->ro[k].v))
						g->ro[k].v[g->ro[k].n++] = r->step[i].ms;
					else
						L->oom = true;
				}
		for (unsigned i = 0; i < r->nextra; i++) {
			if (strcmp(r->extra[i].k, "stale_after_noerror") == 0)
				g->stale += r->extra[i].v;
			if (strcmp(r->extra[i].k, "ttl_violations") == 0)
				g->viol += r->extra[i].v;
		}
	}
	FILE *f = L->out;
	if (L->o->format == MC_FMT_JSON) {
		struct mk_json j;
		mk_json_begin(&j, f);
		mk_json_str(&j, "metric", mc_metric_name(L->m));
		if (L->o->run)
			mk_json_str(&j, "run", L->o->run);
		mk_json_str(&j, "group", r->group);
		mk_json_str(&j, "subject", r->subject);
		mk_json_str(&j, "peer", r->peer);
		if (r->vantage)
			mk_json_str(&j, "vantage", r->vantage);
		if (r->path)
			mk_json_str(&j, "path", r->path);
		if (r->cn[0])
			mk_json_str(&j, "correspondent", r->cn);
		if (r->name)
			mk_json_str(&j, "name", r->name);
		if (isnan(r->ms)) {
			mk_json_null(&j, "latency_ms");
			mk_json_str(&j, "absent", r->absent);
		} else {
			mk_json_num(&j, "latency_ms", r->ms, 6);
		}
		if (r->nsteps) {
			mk_json_obj(&j, "steps_ms");
			for (unsigned i = 0; i < r->nsteps; i++)
				if (isnan(r->step[i].ms))
					mk_json_null(&j, r->step[i].k);
				else
					mk_json_num(&j, r->step[i].k, r->step[i].ms, 6);
			mk_json_end(&j);
		}
		for (unsigned i = 0; i < r->nextra; i++)
			mk_json_int(&j, r->extra[i].k, r->extra[i].v);
		mk_json_obj(&j, "packets");
		for (unsigned i = 0; i < r->nrefs; i++) {
			const struct ref *x = &r->ref[i].r;
			char ts[32];
			snprintf(ts, sizeof ts, "%" PRIu64 ".%09" PRIu64, x->ts / 1000000000u,
				 x->ts % 1000000000u);
			mk_json_obj(&j, r->ref[i].k);
			mk_json_str(&j, "file", base(mc_src_name(L->s, x->src)));
			mk_json_uint(&j, "frame", x->frame);
			mk_json_str(&j, "ts", ts);
			mk_json_end(&j);
		}
		mk_json_end(&j);
		mk_json_str(&j, "codepoints", L->cpstr);
		if (L->o->nmeta) {
			mk_json_obj(&j, "meta");
			for (unsigned i = 0; i < L->o->nmeta; i++)
				mk_json_str(&j, L->o->meta_key[i], L->o->meta_val[i]);
			mk_json_end(&j);
		}
		mk_json_finish(&j);
	} else if (L->o->format == MC_FMT_CSV) {
		if (L->nrec == 1)
			fputs("run,metric,group,subject,peer,name,latency_ms,absent,steps_ms,counts,packets,vantage,path\n", f);
		csv_str(f, L->o->run ? L->o->run : "");
		fprintf(f, ",%s,", mc_metric_name(L->m));
		csv_str(f, r->group);
		fprintf(f, ",%s,%s,", r->subject, r->peer);
		csv_str(f, r->name ? r->name : "");
		if (isnan(r->ms))
			fputs(",,", f), csv_str(f, r->absent);
		else
			fprintf(f, ",%.6f,", r->ms);
		putc(',', f);
		for (unsigned i = 0; i < r->nsteps; i++) {
			fprintf(f, "%s%s=", i ? ";" : "", r->step[i].k);
			if (!isnan(r->step[i].ms))
				fprintf(f, "%.6f", r->step[i].ms);
		}
		putc(',', f);
		for (unsigned i = 0; i < r->nextra; i++)
			fprintf(f, "%s%s=%lld", i ? ";" : "", r->extra[i].k, r->extra[i].v);
		putc(',', f);
		for (unsigned i = 0; i < r->nrefs; i++)
			fprintf(f, "%s%s=%s#%" PRIu64, i ? ";" : "", r->ref[i].k,
				base(mc_src_name(L->s, r->ref[i].r.src)), r->ref[i].r.frame);
		putc(',', f);
		if (r->vantage)
			csv_str(f, r->vantage);
		putc(',', f);
		if (r->path)
			fputs(r->path, f);
		putc('\n', f);
	}
}

static void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	r->ms = NAN;
}

static void ref_str(const struct lat *L, const struct ref *x, char *b, size_t n)
{
	snprintf(b, n, "%s#%" PRIu64, base(mc_src_name(L->s, x->src)), x->frame);
}

/* ---- first sightings of source addresses --------------------------------------- */

static uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

static uint64_t addr_key(const struct in6_addr *a, unsigned src)
{
	return hash_bytes(0xcbf29ce484222325ull, a, 16) + src * 0x9e3779b97f4a7c15ull;
}

static uint64_t addr_hash(const void *e)
{
	const struct addr_slot *x = e;
	return addr_key(&x->a, x->src);
}

static bool addr_used(const void *e)
{
	return ((const struct addr_slot *)e)->used;
}

/* the slot of address a as capture src saw it (src 0 where captures are not told apart) */
static struct addr_slot *addr_find(struct lat *L, const struct in6_addr *a, unsigned src, bool insert)
{
	uint64_t h = addr_key(a, src);
	struct addr_slot *t;
again:
	for (unsigned k = 0; k < 32; k++) {
		struct addr_slot *e = &L->as[(h + k) & (L->nas - 1)];
		if (e->used && e->src == src && memcmp(&e->a, a, 16) == 0)
			return e;
		if (!e->used) {
			if (!insert)
				return NULL;
			memset(e, 0, sizeof *e);
			e->used = true;
			e->a = *a;
			e->src = src;
			return e;
		}
	}
	if (insert && (t = mc_table_grow(L->as, &L->nas, ADDR_SLOTS, sizeof *t, 32, addr_hash, addr_used))) {
		L->as = t;
		goto again;
	}
	return NULL; /* a crowded neighbourhood in a full table: this address is not followed */
}

/* ---- packets seen inside tunnels (handoff) ------------------------------------------ */

/* A digest of an IPv6 packet but for its hop limit: its header and the first
 * octets of its payload (a TCP or UDP checksum among them), enough to know a
 * packet a home agent took out of a tunnel and forwarded. */
static uint64_t tun_digest(const uint8_t *ip, size_t n)
{
	size_t want = 40 + ((size_t)ip[4] << 8 | ip[5]);
	if (want < n)
		n = want; /* link padding is not the packet */
	if (n > TUN_DIGEST)
		n = TUN_DIGEST;
	uint64_t h = hash_bytes(0xcbf29ce484222325ull, ip, 7);
	return hash_bytes(h, ip + 8, n - 8);
}

static void tun_remember(struct lat *L, const uint8_t *inner, size_t n, uint64_t ts)
{
	if (n < 40)
		return;
	uint64_t h = tun_digest(inner, n);
	L->tun[h & (TUN_SLOTS - 1)] = (struct tun_slot){ .h = h, .ts = ts };
}

/* ip (n octets, not itself a tunnel) was seen inside a tunnel within the window */
static bool tun_seen(const struct lat *L, const uint8_t *ip, size_t n, uint64_t ts)
{
	uint64_t h = tun_digest(ip, n);
	const struct tun_slot *e = &L->tun[h & (TUN_SLOTS - 1)];
	return e->ts && e->h == h && ts >= e->ts && ts - e->ts < TUN_WINDOW;
}

/* The first sightings of a source address, by capture src.  With ip given
 * (handoff), a packet seen before inside a tunnel is not a sighting: it is
 * the copy a home agent decapsulated, not the node sending from there. */
static void addr_seen(struct lat *L, const struct in6_addr *a, unsigned src, const struct mc_pkt *p,
		      const uint8_t *ip, size_t n)
{
	static const struct in6_addr any;
	if (memcmp(a, &any, 16) == 0)
		return;
	struct addr_slot *e = addr_find(L, a, src, true);
	if (!e)
		return;
	bool fresh = !e->first_epoch.set || e->epoch != L->epoch;
	if ((fresh || !e->first.set) && ip && tun_seen(L, ip, n, p->ts))
		return;
	if (!e->first.set)
		e->first = mkref(p);
	if (fresh) {
		e->first_epoch = mkref(p);
		e->epoch = L->epoch;
	}
}

/* ---- convergence ------------------------------------------------------------------- */

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
	if (s->upd < 0)
		return;
	const struct upd *u = &L->u[s->upd];
	const struct key *k = &L->k[s->key];
	struct rec r;
	char a[INET6_ADDRSTRLEN], b[64], tn[16];
	const char *t = mk_dns_type_name(k->type, L->cp);

	rec_init(&r);
	if (!t)
		snprintf(tn, sizeof tn, "TYPE%u", k->type), t = tn;
	snprintf(r.group, sizeof r.group, "%s %s", label_of(L, &s->res, a), t);
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
		ref_str(L, &u->answer, b, sizeof b);
		snprintf(r.absent, sizeof r.absent, "the UPDATE was answered %s (%s): nothing new to converge to", rc, b);
	} else if (s->done) {
		r.ms = ms_between(&u->sent, &s->ans);
	} else if (!s->answers) {
		snprintf(r.absent, sizeof r.absent, "no answer from this resolver to this client after the UPDATE, %s", why_end);
	} else {
		snprintf(r.absent, sizeof r.absent, "no answer carried the new data %s", why_end);
	}
	emit(L, &r);
	s->upd = -1;
}

static void conv_update(struct lat *L, const struct mc_pkt *p, const struct mk_ip6 *h,
			const struct mk_udp *ud, const struct mk_dns_msg *m)
{
	uint16_t caaaa = (uint16_t)mk_cp(L->cp, MK_CP_CAAAA_TYPE);
	if (!(m->flags & MK_DNS_F_QR)) {
		if (!grow((void **)&L->u, &L->ucap, L->nu, sizeof *L->u)) {
			L->oom = true;
			return;
		}
		struct upd *u = &L->u[L->nu];
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
		long ui = (long)L->nu++;
		size_t sv;
		for (sv = 0; sv < L->nsrv; sv++)
			if (memcmp(&L->srv[sv], &h->dst, 16) == 0)
				break;
		if (sv == L->nsrv) {
			if (!grow((void **)&L->srv, &L->srvcap, L->nsrv, sizeof *L->srv)) {
				L->oom = true;
				return;
			}
			L->srv[L->nsrv++] = h->dst;
		}
		const char *why = "before the next UPDATE";
		L->end = u->sent;
		for (unsigned i = 0; i < u->nadd; i++) {
			size_t ki;
			for (ki = 0; ki < L->nk; ki++)
				if (L->k[ki].type == u->add[i].type && strcmp(L->k[ki].name, u->add[i].name) == 0)
					break;
			if (ki == L->nk) {
				if (!grow((void **)&L->k, &L->kcap, L->nk, sizeof *L->k)) {
					L->oom = true;
					return;
				}
				memset(&L->k[ki], 0, sizeof L->k[ki]);
				memcpy(L->k[ki].name, u->add[i].name, NAMECAP);
				L->k[ki].type = u->add[i].type;
				L->k[ki].upd = -1;
				L->nk++;
			}
			struct key *k = &L->k[ki];
			if (k->upd >= 0) {
				const struct upd *pu = &L->u[k->upd];
				for (unsigned j = 0; j < pu->nadd; j++)
					if (pu->add[j].type == k->type && strcmp(pu->add[j].name, k->name) == 0)
						k->prev_ttl = pu->add[j].ttl, k->have_prev = true;
			}
			k->upd = ui;
			for (size_t si = 0; si < L->nst; si++) {
				struct stream *s = &L->st[si];
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
	for (size_t i = L->nu; i-- > 0;) {
		struct upd *u = &L->u[i];
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
	for (ki = 0; ki < L->nk; ki++)
		if (L->k[ki].type == qtype && strcmp(L->k[ki].name, qname) == 0)
			break;
	if (ki == L->nk || L->k[ki].upd < 0)
		return; /* no UPDATE changed this name and type (yet) */
	/* the update servers' own answers are not a resolver's */
	for (size_t i = 0; i < L->nsrv; i++)
		if (memcmp(&L->srv[i], &h->src, 16) == 0)
			return;
	struct stream *s = NULL;
	for (size_t i = 0; i < L->nst; i++)
		if (L->st[i].key == ki && memcmp(&L->st[i].res, &h->src, 16) == 0 &&
		    memcmp(&L->st[i].cli, &h->dst, 16) == 0) {
			s = &L->st[i];
			break;
		}
	if (!s) {
		if (!grow((void **)&L->st, &L->stcap, L->nst, sizeof *L->st)) {
			L->oom = true;
			return;
		}
		s = &L->st[L->nst++];
		memset(s, 0, sizeof *s);
		s->res = h->src;
		s->cli = h->dst;
		s->key = ki;
		s->upd = L->k[ki].upd;
		s->prev_ttl = L->k[ki].prev_ttl;
		s->have_prev = L->k[ki].have_prev;
	}
	if (s->upd < 0)
		return;
	const struct upd *u = &L->u[s->upd];
	const uint8_t *want = NULL;
	for (unsigned j = 0; j < u->nadd; j++)
		if (u->add[j].type == qtype && strcmp(u->add[j].name, qname) == 0)
			want = u->add[j].addr;
	bool carries = false;
	for (unsigned i = 0; i < m->nrec && want; i++) {
		const struct mk_dns_rec *x = &m->rec[i];
		if (x->section == MK_DNS_SEC_ANSWER && x->type == qtype && x->rdlen == 16 &&
		    memcmp(x->rd.aaaa, want, 16) == 0 && rec_name(m, x->off, name) &&
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

/* ---- rtt --------------------------------------------------------------------------- */

enum { RQ_ECHO = 1, RQ_DNS, RQ_BU, RQ_HOTI, RQ_COTI, RQ_SYN };
static const char *rq_name(unsigned k)
{
	static const char *n[] = { "?", "echo", "dns", "bu-ba", "hoti-hot", "coti-cot", "syn-synack" };
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

static struct rq *rq_slot(struct lat *L, uint8_t kind, const struct in6_addr *a,
			  const struct in6_addr *b, uint32_t id, bool insert)
{
	uint64_t h = rq_hash_of(kind, a, b, id);
	struct rq *free_slot, *oldest, *t;
again:
	free_slot = oldest = NULL;
	for (unsigned k = 0; k < 8; k++) {
		struct rq *e = &L->rq[(h + k) & (L->nrq - 1)];
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
	if ((t = mc_table_grow(L->rq, &L->nrq, RTT_SLOTS, sizeof *t, 8, rq_hash, rq_used))) {
		L->rq = t;
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

static struct mn *mn_get(struct lat *L, const struct in6_addr *hoa);

static struct mn *mn_find(struct lat *L, const struct in6_addr *hoa)
{
	for (size_t i = 0; i < L->nmn; i++)
		if (memcmp(&L->mn[i].hoa, hoa, 16) == 0)
			return &L->mn[i];
	return NULL;
}

/* rtt: a is a home address whose node is away (or, back, at home); the
 * first RTT_HOAS home addresses are followed (a flood of HoTIs from random
 * addresses costs no more) */
#define RTT_HOAS 256
static void rtt_away(struct lat *L, const struct in6_addr *a, bool away)
{
	struct mn *x = mn_find(L, a);
	if (!x && away && L->nmn < RTT_HOAS)
		x = mn_get(L, a);
	if (x)
		x->away = away;
}

static bool rtt_is_away(struct lat *L, const struct in6_addr *a)
{
	const struct mn *x = mn_find(L, a);
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

static void rtt_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		    const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	static struct mk_dns_msg m;
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
		uint8_t fl = u[13];
		if (!(fl & 0x02) || (fl & 0x04))
			return;
		kind = RQ_SYN;
		req = !(fl & 0x10);
		uint32_t seq = (uint32_t)u[4] << 24 | (uint32_t)u[5] << 16 | (uint32_t)u[6] << 8 | u[7];
		uint32_t ack = (uint32_t)u[8] << 24 | (uint32_t)u[9] << 16 | (uint32_t)u[10] << 8 | u[11];
		uint16_t sp = (uint16_t)(u[0] << 8 | u[1]), dp = (uint16_t)(u[2] << 8 | u[3]);
		uint32_t x = req ? seq : ack - 1;
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
		struct rq *e = rq_slot(L, kind, &src, &dst, id, true);
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
	struct rq *e = rq_slot(L, kind, &dst, &src, id, false);
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
			 label_of(L, &e->b, b), hops);
	} else {
		snprintf(r.pair, sizeof r.pair, "%s %s > %s", rq_name(kind), mk_ip6_ntop(&e->a, a),
			 label_of(L, &e->b, b));
		snprintf(r.group, sizeof r.group, "%s %s (%u hops)", r.pair, path_text(path), hops);
		r.path = path_name(path);
	}
	mk_ip6_ntop(&e->a, r.subject);
	mk_ip6_ntop(&e->b, r.peer);
	r.ms = ms_between(&e->r, &rep);
	rec_ref(&r, "request", &e->r);
	rec_ref(&r, "reply", &rep);
	rec_extra(&r, "hops", hops);
	emit(L, &r);
	e->used = false;
}

/* ---- handoff and recovery ---------------------------------------------------------------- */

static struct mn *mn_get(struct lat *L, const struct in6_addr *hoa)
{
	for (size_t i = 0; i < L->nmn; i++)
		if (memcmp(&L->mn[i].hoa, hoa, 16) == 0)
			return &L->mn[i];
	if (!grow((void **)&L->mn, &L->mncap, L->nmn, sizeof *L->mn)) {
		L->oom = true;
		return NULL;
	}
	struct mn *x = &L->mn[L->nmn++];
	memset(x, 0, sizeof *x);
	x->hoa = *hoa;
	x->mv_status = -1;
	return x;
}

static void ro_reset(struct mn *x)
{
	x->ro_wait = x->ro_on = x->ro_ba_ok = false;
	x->ro_cns = 0;
	x->ro_status = -1;
	memset(&x->mv_data, 0, sizeof x->mv_data);
	memset(&x->ro_hoti, 0, sizeof x->ro_hoti);
	x->ro_coti = x->ro_hot = x->ro_cot = x->ro_bu = x->ro_ba = x->ro_data = x->ro_hoti;
}

/* the earlier (later) of two events, either of which may be unseen */
static const struct ref *ref_first(const struct ref *a, const struct ref *b, bool later)
{
	if (!a->set || !b->set)
		return a->set ? a : b;
	return (a->ts > b->ts) == later ? a : b;
}

/* The route-optimization part of a move's record (mobcap(1)): RR, BU to the
 * correspondent, first direct data; nothing when the move had none. */
static void handoff_ro(const struct mn *x, struct rec *r)
{
	if (!x->ro_on)
		return;
	const struct ref *rr0 = ref_first(&x->ro_hoti, &x->ro_coti, false);
	/* done when each test sent is answered (a home keygen token still valid
	 * spares the HoTI after a move, RFC 6275 5.2.7) */
	bool done = (x->ro_hoti.set || x->ro_coti.set) && x->ro_hoti.set == x->ro_hot.set &&
		    x->ro_coti.set == x->ro_cot.set;
	const struct ref *rr1 = done ? ref_first(&x->ro_hot, &x->ro_cot, true) : NULL;
	mk_ip6_ntop(&x->ro_cn, r->cn);
	rec_ref(r, "hoti", &x->ro_hoti);
	rec_ref(r, "coti", &x->ro_coti);
	rec_ref(r, "hot", &x->ro_hot);
	rec_ref(r, "cot", &x->ro_cot);
	rec_ref(r, "bu_cn", &x->ro_bu);
	rec_ref(r, "ba_cn", &x->ro_ba);
	rec_ref(r, "direct_data", &x->ro_data);
	rec_step(r, ro_steps[0], ms_between(&x->mv_ba, rr0));
	rec_step(r, ro_steps[1], rr1 ? ms_between(rr0, rr1) : NAN);
	rec_step(r, ro_steps[2], x->ro_ba_ok ? ms_between(&x->ro_bu, &x->ro_ba) : NAN);
	rec_step(r, ro_steps[3], ms_between(&x->ro_ba, &x->ro_data));
	rec_step(r, ro_steps[4], ms_between(&x->mv_first, &x->ro_data));
	if (x->ro_ba.set)
		rec_extra(r, "ba_cn_status", x->ro_status);
	rec_extra(r, "correspondents", x->ro_cns);
}

static void handoff_finish(struct lat *L, struct mn *x, const char *why)
{
	struct rec r;
	char a[INET6_ADDRSTRLEN];
	const struct ref *data = x->mv_data.set ? &x->mv_data : NULL;
	if (!x->mv_on && !x->ro_wait)
		return;
	rec_init(&r);
	snprintf(r.group, sizeof r.group, "%s %s", label_of(L, &x->hoa, a),
		 x->mv_home ? "back home" : "to a foreign link");
	mk_ip6_ntop(&x->hoa, r.subject);
	mk_ip6_ntop(&x->mv_coa, r.peer);
	r.vantage = base(mc_src_name(L->s, x->mv_src));
	rec_ref(&r, "first_from_new_address", &x->mv_first);
	rec_ref(&r, "bu", &x->mv_bu);
	rec_ref(&r, "ba", &x->mv_ba);
	if (data)
		rec_ref(&r, "data", data);
	/* the BU itself as the first packet from the address: detection unseen */
	bool same = x->mv_first.src == x->mv_bu.src && x->mv_first.frame == x->mv_bu.frame;
	rec_step(&r, "detection", same ? NAN : ms_between(&x->mv_first, &x->mv_bu));
	rec_step(&r, "registration", x->mv_ba_ok ? ms_between(&x->mv_bu, &x->mv_ba) : NAN);
	rec_step(&r, "resume", data && x->mv_ba_ok ? ms_between(&x->mv_ba, data) : NAN);
	rec_extra(&r, "move", x->moves);
	rec_extra(&r, "bu_sent", x->mv_tx);
	if (x->mv_status >= 0)
		rec_extra(&r, "ba_status", x->mv_status);
	handoff_ro(x, &r);
	if (data && x->mv_ba_ok)
		r.ms = ms_between(&x->mv_first, data);
	else if (!x->mv_ba.set)
		snprintf(r.absent, sizeof r.absent, "no Binding Acknowledgement to the %u BU%s, %s",
			 x->mv_tx, x->mv_tx == 1 ? "" : "s", why);
	else if (!x->mv_ba_ok)
		snprintf(r.absent, sizeof r.absent, "the home agent refused the binding (BA status %d), %s",
			 x->mv_status, why);
	else
		snprintf(r.absent, sizeof r.absent, "no data packet delivered at the %s after the BA, %s",
			 x->mv_home ? "home address" : "care-of address", why);
	emit(L, &r);
	x->mv_on = false;
	x->ro_wait = false;
}

/* The first data at the new address: the record is written, or, for a
 * move away, held until the first direct data to or from the correspondent
 * of the route optimization (or the next move, or the end). */
static void handoff_data(struct lat *L, struct mn *x, const struct mc_pkt *p)
{
	x->mv_data = mkref(p);
	if (x->mv_home || x->ro_data.set) {
		handoff_finish(L, x, "");
		return;
	}
	x->mv_on = false;
	x->ro_wait = true;
}

/* x, seen in capture p->src, is away (its BU sent) and its record still
 * open: route optimization is followed */
static bool ro_open(const struct mn *x, const struct mc_pkt *p)
{
	return (x->mv_on || x->ro_wait) && !x->mv_home && p->src == x->mv_src;
}

/* a HoTI, CoTI or BU (first) from x to cn: is cn the correspondent followed? */
static bool ro_follow(struct mn *x, const struct in6_addr *cn)
{
	if (!x->ro_on) {
		x->ro_on = true;
		x->ro_cn = *cn;
		x->ro_cns = 1;
		return true;
	}
	if (memcmp(&x->ro_cn, cn, 16) == 0)
		return true;
	unsigned k;
	for (k = 0; k + 1 < x->ro_cns && k < 4; k++)
		if (memcmp(&x->ro_other[k], cn, 16) == 0)
			return false;
	if (k < 4)
		x->ro_other[k] = *cn;
	x->ro_cns++;
	return false;
}

/* A HoTI, CoTI, HoT or CoT (type) from s to d with cookie ck, at r, in x's
 * move: the first HoTI and CoTI to the correspondent followed, the answers
 * to the latest of them (by cookie) */
static void ro_test(struct mn *x, uint8_t type, const struct in6_addr *s, const struct in6_addr *d,
		    const uint8_t *ck, struct ref r)
{
	bool home = type == MK_MH_HOTI || type == MK_MH_HOT;
	if (type == MK_MH_HOTI || type == MK_MH_COTI) {
		struct ref *t = home ? &x->ro_hoti : &x->ro_coti;
		if (ro_follow(x, d)) {
			if (!t->set)
				*t = r;
			memcpy(home ? x->ro_hck : x->ro_cck, ck, 8);
		}
		return;
	}
	struct ref *t = home ? &x->ro_hot : &x->ro_cot;
	if ((home ? x->ro_hoti : x->ro_coti).set && !t->set && memcmp(s, &x->ro_cn, 16) == 0 &&
	    memcmp(ck, home ? x->ro_hck : x->ro_cck, 8) == 0)
		*t = r;
}

/* A move begins (or changes its vantage point): the test messages its
 * capture saw from its first packet on, before its BU, are its own: a
 * mobile node may run return routability while it registers */
static void ro_adopt(struct lat *L, struct mn *x)
{
	for (unsigned k = 0; k < RO_PENDING; k++) {
		struct ro_pend *e = &L->pend[(L->npend + k) % RO_PENDING];
		bool from = e->type == MK_MH_HOTI || e->type == MK_MH_COTI;
		const struct in6_addr *mine = e->type == MK_MH_HOTI || e->type == MK_MH_HOT ? &x->hoa : &x->mv_coa;
		if (!e->r.set || e->r.src != x->mv_src || e->r.ts < x->mv_first.ts ||
		    memcmp(from ? &e->s : &e->d, mine, 16) != 0)
			continue;
		ro_test(x, e->type, &e->s, &e->d, e->cookie, e->r);
		e->r.set = false;
	}
}

/* Return routability and the BU to a correspondent, and its BA, during x's
 * move (h and ip: the packet, a tunnelled one's inner packet) */
static void ro_mh(struct lat *L, const struct mc_pkt *p, const uint8_t *ip, const struct mk_ip6 *h,
		  const struct mk_ip6_chain *c, const struct mk_mh *mh)
{
	struct mn *x = NULL;
	struct in6_addr hoa;
	switch (mh->type) {
	case MK_MH_HOTI:
	case MK_MH_HOT:
		x = mn_find(L, mh->type == MK_MH_HOTI ? &h->src : &h->dst);
		break;
	case MK_MH_COTI:
	case MK_MH_COT:
		for (size_t i = 0; i < L->nmn && !x; i++)
			if (memcmp(&L->mn[i].mv_coa, mh->type == MK_MH_COTI ? &h->src : &h->dst, 16) == 0 &&
			    ro_open(&L->mn[i], p))
				x = &L->mn[i];
		break;
	case MK_MH_BU:
	case MK_MH_BA:
		if (mh->type == MK_MH_BU ? c->hao < 0 : c->rh2 < 0)
			return;
		memcpy(&hoa, ip + (mh->type == MK_MH_BU ? c->hao_off + 2 : c->rh2_hoa_off), 16);
		x = mn_find(L, &hoa);
		break;
	default:
		return;
	}
	bool test = mh->type != MK_MH_BU && mh->type != MK_MH_BA;
	const uint8_t *ck = mh->type == MK_MH_HOTI || mh->type == MK_MH_COTI ? mh->u.testinit.cookie
									  : mh->u.test.cookie;
	if (!x || !ro_open(x, p)) {
		if (test) { /* perhaps a move's, sent before its BU: kept a while */
			struct ro_pend *e = &L->pend[L->npend++ % RO_PENDING];
			*e = (struct ro_pend){ .type = mh->type, .s = h->src, .d = h->dst, .r = mkref(p) };
			memcpy(e->cookie, ck, 8);
		}
		return;
	}
	if (test) {
		ro_test(x, mh->type, &h->src, &h->dst, ck, mkref(p));
		return;
	}
	switch (mh->type) {
	case MK_MH_BU:
		if (memcmp(&h->src, &x->mv_coa, 16) == 0 && mh->u.bu.lifetime && ro_follow(x, &h->dst) &&
		    !x->ro_bu.set)
			x->ro_bu = mkref(p);
		break;
	case MK_MH_BA:
		if (x->ro_bu.set && !x->ro_ba_ok && memcmp(&h->src, &x->ro_cn, 16) == 0 &&
		    memcmp(&h->dst, &x->mv_coa, 16) == 0) {
			x->ro_ba = mkref(p);
			x->ro_status = mh->u.ba.status;
			x->ro_ba_ok = mh->u.ba.status < 128;
		}
		break;
	}
}

/* data with a Home Address option from x's care-of address to the
 * correspondent, or with an RH2 from it to the care-of address, after its BA */
static void ro_data(struct lat *L, const struct mc_pkt *p, const uint8_t *ip, const struct mk_ip6 *h,
		    const struct mk_ip6_chain *c)
{
	struct in6_addr hoa;
	bool out = c->hao >= 0;
	memcpy(&hoa, ip + (out ? c->hao_off + 2 : c->rh2_hoa_off), 16);
	struct mn *x = mn_find(L, &hoa);
	if (!x || !ro_open(x, p) || !x->ro_ba_ok || x->ro_data.set ||
	    memcmp(out ? &h->src : &h->dst, &x->mv_coa, 16) != 0 ||
	    memcmp(out ? &h->dst : &h->src, &x->ro_cn, 16) != 0)
		return;
	x->ro_data = mkref(p);
	if (x->ro_wait)
		handoff_finish(L, x, "");
}

static void recovery_finish(struct lat *L, struct mn *x, const struct in6_addr *new_ha,
			    const struct ref *data, const char *why)
{
	struct rec r;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	rec_init(&r);
	snprintf(r.group, sizeof r.group, "%s from %s", label_of(L, &x->hoa, a), label_of(L, &x->ha, b));
	mk_ip6_ntop(&x->hoa, r.subject);
	if (new_ha)
		mk_ip6_ntop(new_ha, r.peer);
	else if (x->rbu.set)
		mk_ip6_ntop(&x->rbu_ha, r.peer);
	rec_ref(&r, "last_forwarded", &x->last_fwd);
	rec_ref(&r, "ha_unreachable", &x->unreach);
	rec_ref(&r, "bu", &x->rbu);
	rec_ref(&r, "ba", &x->rba);
	if (data)
		rec_ref(&r, "data", data);
	rec_step(&r, "to_ha_unreachable", ms_between(&x->last_fwd, &x->unreach));
	rec_step(&r, "to_bu", ms_between(&x->last_fwd, &x->rbu));
	rec_step(&r, "registration", ms_between(&x->rbu, &x->rba));
	rec_step(&r, "resume", data ? ms_between(x->rba.set ? &x->rba : &x->last_fwd, data) : NAN);
	if (data)
		r.ms = ms_between(&x->last_fwd, data);
	else
		snprintf(r.absent, sizeof r.absent,
			 "%s stopped forwarding (%s#%" PRIu64 ") and a BU went to %s, but no home agent delivered data %s",
			 mk_ip6_ntop(&x->ha, b), base(mc_src_name(L->s, x->last_fwd.src)), x->last_fwd.frame,
			 mk_ip6_ntop(&x->rbu_ha, c), why);
	emit(L, &r);
	memset(&x->unreach, 0, sizeof x->unreach);
	memset(&x->rbu, 0, sizeof x->rbu);
	memset(&x->rba, 0, sizeof x->rba);
}

static bool is_data(uint8_t ulp, const uint8_t *u, size_t len)
{
	if (ulp == MK_NH_TCP || ulp == MK_NH_UDP)
		return true;
	return ulp == MK_NH_ICMPV6 && len >= 1 && (u[0] == 128 || u[0] == 129);
}

/* A move's events are all taken from one capture, its vantage point: the
 * one that saw the BU leave the mobile node.  That is the capture of the
 * BU's first sighting, unless another capture sees the same BU with a higher
 * hop limit (nearer its sender: the first sighting's clock is behind the
 * sender's) before the BA, and then that one.  So the home agent's capture,
 * given too, never lends a move its BA, its data or the packets it
 * decapsulated and forwarded from the home address. */
static void vantage_take(struct lat *L, struct mn *x, const struct mc_pkt *p, const struct mk_ip6 *h)
{
	x->mv_src = p->src;
	x->mv_hlim = h->hlim;
	x->mv_bu = mkref(p);
	struct addr_slot *e = addr_find(L, &h->src, p->src, false);
	x->mv_first = e && e->first_epoch.set ? e->first_epoch : x->mv_bu;
	ro_reset(x);
	ro_adopt(L, x);
}

static void mip_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		    const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	bool handoff = L->m == MC_M_HANDOFF;
	if (p->dup && !handoff)
		return;
	const char *why = "before the next move";
	L->end = mkref(p);
	if (handoff) {
		/* every capture's sightings, each apart: a move is timed at one */
		size_t n = p->caplen - (size_t)p->ip6_off;
		if (c->ulp == MK_NH_IPV6)
			tun_remember(L, ip + c->ulp_off, c->ulp_len, p->ts);
		addr_seen(L, &h->src, p->src, p, ip, n);
	}
	if (c->ulp == MK_NH_MH) {
		struct mk_mh mh;
		if (mk_mh_parse(ip + c->ulp_off, c->ulp_len, L->cp, &mh).err != MK_E_OK)
			return;
		if (handoff && !(mh.type == MK_MH_BU && (mh.u.bu.flags & MK_BU_H)))
			ro_mh(L, p, ip, h, c, &mh);
		if (mh.type == MK_MH_BU && (mh.u.bu.flags & MK_BU_H)) {
			struct in6_addr hoa = h->src;
			if (c->hao >= 0)
				memcpy(&hoa, ip + c->hao_off + 2, 16);
			struct mn *x = mn_get(L, &hoa);
			if (!x)
				return;
			if (L->m == MC_M_RECOVERY) {
				if (x->have_ha && memcmp(&h->dst, &x->ha, 16) != 0 && x->last_fwd.set &&
				    !x->rbu.set) {
					x->rbu = mkref(p);
					x->rbu_ha = h->dst;
				}
				return;
			}
			bool home = memcmp(&h->src, &hoa, 16) == 0 || mh.u.bu.lifetime == 0;
			bool same_coa = x->mv_on && memcmp(&x->mv_coa, &h->src, 16) == 0;
			if (p->dup) {
				/* another capture's sighting of a BU the move already has */
				if (same_coa && p->dup_src == x->mv_bu.src && p->dup_frame == x->mv_bu.frame) {
					if (h->hlim > x->mv_hlim && !x->mv_ba.set)
						vantage_take(L, x, p, h);
				} else if (same_coa && p->src == x->mv_src) {
					x->mv_tx++;
				}
				return;
			}
			if (same_coa) {
				if (p->src == x->mv_src)
					x->mv_tx++;
				return; /* a retransmission or a refresh during the move */
			}
			if (!x->mv_on && x->have_coa && memcmp(&x->coa, &h->src, 16) == 0)
				return; /* a refresh of the binding in force */
			handoff_finish(L, x, why);
			x->mv_on = true;
			x->mv_home = home;
			x->mv_coa = h->src;
			x->mv_ba_ok = false;
			x->mv_status = -1;
			x->mv_tx = 1;
			x->moves++;
			x->mv_ha = h->dst;
			memset(&x->mv_ba, 0, sizeof x->mv_ba);
			vantage_take(L, x, p, h);
			return;
		}
		if (mh.type == MK_MH_BA) {
			struct in6_addr hoa = h->dst;
			if (c->rh2 >= 0)
				memcpy(&hoa, ip + c->rh2_hoa_off, 16);
			struct mn *x = mn_get(L, &hoa);
			if (!x)
				return;
			if (L->m == MC_M_RECOVERY) {
				if (x->rbu.set && !x->rba.set && memcmp(&h->src, &x->rbu_ha, 16) == 0 &&
				    mh.u.ba.status < 128)
					x->rba = mkref(p);
				return;
			}
			if (!x->mv_on || p->src != x->mv_src || memcmp(&h->dst, &x->mv_coa, 16) != 0 ||
			    memcmp(&h->src, &x->mv_ha, 16) != 0 || x->mv_ba_ok)
				return;
			x->mv_ba = mkref(p);
			x->mv_status = mh.u.ba.status;
			if (mh.u.ba.status < 128) {
				x->mv_ba_ok = true;
				x->have_coa = true;
				x->coa = x->mv_coa;
				L->epoch++;
			}
		}
		return;
	}
	if (c->ulp == MK_NH_ICMPV6 && c->ulp_len >= 1 && L->m == MC_M_RECOVERY &&
	    mk_icmp6_kind_of(L->cp, ip[c->ulp_off]) == MK_ICMP6_K_HA_UNREACH) {
		for (size_t i = 0; i < L->nmn; i++) {
			struct mn *x = &L->mn[i];
			if (x->last_fwd.set && !x->unreach.set &&
			    (memcmp(&h->dst, &x->hoa, 16) == 0 || memcmp(&h->dst, &x->coa, 16) == 0 ||
			     !x->have_coa))
				x->unreach = mkref(p);
		}
		return;
	}
	/* data: tunnelled to a care-of address, through an RH2, or at home */
	struct in6_addr hoa;
	const struct in6_addr *outer_src = &h->src;
	bool tunnelled = false;
	if (c->ulp == MK_NH_IPV6) {
		struct mk_ip6 ih;
		struct mk_ip6_chain ic;
		if (mk_ip6_chain_parse(ip + c->ulp_off, c->ulp_len, &ih, &ic).err != MK_E_OK)
			return;
		if (handoff && ic.ulp == MK_NH_MH) {
			struct mk_mh mh;
			const uint8_t *in = ip + c->ulp_off;
			if (mk_mh_parse(in + ic.ulp_off, ic.ulp_len, L->cp, &mh).err == MK_E_OK)
				ro_mh(L, p, in, &ih, &ic, &mh);
			return;
		}
		if (!is_data(ic.ulp, ip + c->ulp_off + ic.ulp_off, ic.ulp_len))
			return;
		hoa = ih.dst;
		tunnelled = true;
	} else if (c->rh2 >= 0 || c->hao >= 0) {
		if (!is_data(c->ulp, ip + c->ulp_off, c->ulp_len))
			return;
		if (handoff)
			ro_data(L, p, ip, h, c);
		if (c->rh2 < 0)
			return; /* from a care-of address: not data delivered there */
		memcpy(&hoa, ip + c->rh2_hoa_off, 16);
	} else {
		if (!is_data(c->ulp, ip + c->ulp_off, c->ulp_len))
			return;
		hoa = h->dst;
	}
	struct mn *x = NULL;
	for (size_t i = 0; i < L->nmn; i++)
		if (memcmp(&L->mn[i].hoa, &hoa, 16) == 0)
			x = &L->mn[i];
	if (L->m == MC_M_RECOVERY) {
		if (!tunnelled)
			return;
		if (!x && !(x = mn_get(L, &hoa)))
			return;
		struct ref d = mkref(p);
		if (x->have_ha && memcmp(outer_src, &x->ha, 16) != 0) {
			recovery_finish(L, x, outer_src, &d, "");
			x->ha = *outer_src;
		} else if (!x->have_ha) {
			x->have_ha = true;
			x->ha = *outer_src;
		}
		x->last_fwd = d;
		memset(&x->unreach, 0, sizeof x->unreach);
		memset(&x->rbu, 0, sizeof x->rbu);
		memset(&x->rba, 0, sizeof x->rba);
		return;
	}
	if (!x || !x->mv_on || !x->mv_ba_ok || p->src != x->mv_src || memcmp(&h->dst, &x->mv_coa, 16) != 0)
		return;
	if (x->mv_home == (tunnelled || c->rh2 >= 0))
		return; /* at home data comes natively, away through the tunnel or RH2 */
	handoff_data(L, x, p);
}

/* ---- migrate --------------------------------------------------------------------------- */

static void mig_finish(struct lat *L, struct mig *g, const char *why)
{
	struct rec r;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (g->done)
		return;
	rec_init(&r);
	snprintf(r.group, sizeof r.group, "%s > %s port %u", label_of(L, &g->n, a), label_of(L, &g->d, b),
		 g->dp);
	mk_ip6_ntop(&g->n, r.subject);
	mk_ip6_ntop(&g->d, r.peer);
	rec_ref(&r, "first_from_new_address", &g->start);
	rec_ref(&r, "migrate_syn", &g->syn);
	rec_ref(&r, "synack", &g->synack);
	rec_ref(&r, "first_data", &g->data);
	rec_ref(&r, "data_acked", &g->ack);
	rec_step(&r, "to_syn", ms_between(&g->start, &g->syn));
	rec_step(&r, "handshake", ms_between(&g->syn, &g->synack));
	rec_step(&r, "to_data_acked", ms_between(g->synack.set ? &g->synack : &g->syn, &g->ack));
	if (g->ack.set)
		r.ms = ms_between(&g->start, &g->ack);
	else if (!g->synack.set)
		snprintf(r.absent, sizeof r.absent, "no SYN/ACK to the Migrate SYN, %s", why);
	else if (!g->data.set)
		snprintf(r.absent, sizeof r.absent, "no data on the migrated connection: %s", why);
	else
		snprintf(r.absent, sizeof r.absent, "the first data segment was not acknowledged, %s", why);
	emit(L, &r);
	g->done = true;
}

static void mig_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		    const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	static struct mk_tcp t;
	if (p->dup)
		return;
	addr_seen(L, &h->src, 0, p, NULL, 0);
	if (c->ulp != MK_NH_TCP || mk_tcp_parse(ip + c->ulp_off, c->ulp_len, L->cp, &t).err != MK_E_OK)
		return;
	bool syn = (t.flags & MK_TCP_SYN) && !(t.flags & MK_TCP_ACK);
	if (syn) {
		for (size_t i = 0; i < t.opts.n; i++) {
			if (t.opts.o[i].type != MK_TCPOPT_MIGRATE)
				continue;
			for (size_t j = 0; j < L->nmg; j++) {
				struct mig *g = &L->mg[j];
				if (!g->done && g->sp == t.sport && g->dp == t.dport &&
				    memcmp(&g->n, &h->src, 16) == 0 && memcmp(&g->d, &h->dst, 16) == 0)
					return; /* a retransmitted Migrate SYN */
			}
			if (!grow((void **)&L->mg, &L->mgcap, L->nmg, sizeof *L->mg)) {
				L->oom = true;
				return;
			}
			struct mig *g = &L->mg[L->nmg++];
			memset(g, 0, sizeof *g);
			g->n = h->src;
			g->d = h->dst;
			g->sp = t.sport;
			g->dp = t.dport;
			g->syn = mkref(p);
			g->data_from_n = -1;
			struct addr_slot *e = addr_find(L, &h->src, 0, false);
			g->start = e && e->first.set ? e->first : g->syn;
			return;
		}
		return;
	}
	for (size_t j = 0; j < L->nmg; j++) {
		struct mig *g = &L->mg[j];
		if (g->done)
			continue;
		bool from_n = g->sp == t.sport && g->dp == t.dport && memcmp(&g->n, &h->src, 16) == 0 &&
			      memcmp(&g->d, &h->dst, 16) == 0;
		bool to_n = g->sp == t.dport && g->dp == t.sport && memcmp(&g->n, &h->dst, 16) == 0 &&
			    memcmp(&g->d, &h->src, 16) == 0;
		if (!from_n && !to_n)
			continue;
		if (t.flags & MK_TCP_RST) {
			L->end = mkref(p);
			mig_finish(L, g, "the connection was reset");
			return;
		}
		if (to_n && (t.flags & MK_TCP_SYN) && !g->synack.set)
			g->synack = mkref(p);
		if (t.payload_len && g->data_from_n < 0) {
			g->data = mkref(p);
			g->data_end = t.seq + (uint32_t)t.payload_len;
			g->data_from_n = from_n;
		} else if (g->data_from_n >= 0 && from_n != (g->data_from_n == 1) &&
			   (t.flags & MK_TCP_ACK) && (int32_t)(t.ack - g->data_end) >= 0) {
			g->ack = mkref(p);
			mig_finish(L, g, "");
		}
		return;
	}
}

/* ---- the pass and the summary ---------------------------------------------------------------- */

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* nearest rank: the smallest value with at least q of the sample at or below it */
static double pct(const double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);
	return v[k ? k - 1 : 0];
}

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

/* rtt: the samples of every group of one pair and path, sorted into v (NULL
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
	qsort(v, *n, sizeof *v, cmp_d);
	return v;
}

/* rtt, table: per pair, the round trips through the home agent and direct
 * side by side (the hop counts of a path merged); nothing when no sample
 * has a path */
static void summary_by_path(struct lat *L)
{
	int w = 10;
	bool any = false;
	for (size_t i = 0; i < L->ng; i++)
		if (L->g[i].path) {
			any = true;
			if ((int)strlen(L->g[i].pair) > w)
				w = (int)strlen(L->g[i].pair);
		}
	if (!any)
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
				fprintf(L->out, " %5zu %8.3f %8.3f %8.3f %8.3f ", n, pct(v, n, 0.5), pct(v, n, 0.9),
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

/* handoff: the route-optimization steps of a group's records, p50 and p90
 * (nearest rank) of each; nothing for a group without route optimization */
static void summary_ro_json(struct group *g, struct mk_json *j)
{
	if (!g->ron)
		return;
	mk_json_uint(j, "ro_n", g->ron);
	for (unsigned q = 0; q < 2; q++) {
		mk_json_obj(j, q ? "ro_p90_ms" : "ro_p50_ms");
		for (unsigned k = 0; k < RO_STEPS; k++)
			if (g->ro[k].n)
				mk_json_num(j, ro_steps[k], pct(g->ro[k].v, g->ro[k].n, q ? 0.9 : 0.5), 6);
			else
				mk_json_null(j, ro_steps[k]);
		mk_json_end(j);
	}
}

static void summary_ro_table(struct lat *L)
{
	static const char *title = "route optimization (p50/p90 ms)";
	int w = (int)strlen(title);
	bool any = false;
	for (size_t i = 0; i < L->ng; i++)
		if (L->g[i].ron) {
			any = true;
			if ((int)strlen(L->g[i].name) > w)
				w = (int)strlen(L->g[i].name);
		}
	if (!any)
		return;
	fprintf(L->out, "\n%-*s %6s", w, title, "n");
	for (unsigned k = 0; k < RO_STEPS; k++)
		fprintf(L->out, " %19s", ro_steps[k]);
	putc('\n', L->out);
	for (size_t i = 0; i < L->ng; i++) {
		const struct group *g = &L->g[i];
		if (!g->ron)
			continue;
		fprintf(L->out, "%-*s %6u", w, g->name, g->ron);
		for (unsigned k = 0; k < RO_STEPS; k++) {
			char b[64] = "-";
			if (g->ro[k].n)
				snprintf(b, sizeof b, "%.3f/%.3f", pct(g->ro[k].v, g->ro[k].n, 0.5),
					 pct(g->ro[k].v, g->ro[k].n, 0.9));
			fprintf(L->out, " %19s", b);
		}
		putc('\n', L->out);
	}
}

static void summary(struct lat *L)
{
	qsort(L->g, L->ng, sizeof *L->g, cmp_group);
	if (L->o->by_path) {
		summary_by_path(L);
		return;
	}
	bool conv = L->m == MC_M_CONVERGENCE;
	if (L->o->format == MC_FMT_CSV)
		return;
	if (L->o->format == MC_FMT_TABLE) {
		int w = 10;
		for (size_t i = 0; i < L->ng; i++)
			if ((int)strlen(L->g[i].name) > w)
				w = (int)strlen(L->g[i].name);
		fprintf(L->out, "%-*s %6s %6s %10s %10s %10s %10s %10s%s\n", w, mc_metric_name(L->m), "n",
			"absent", "min ms", "p50", "p90", "p99", "max", conv ? "  stale violations" : "");
	}
	for (size_t i = 0; i < L->ng; i++) {
		struct group *g = &L->g[i];
		if (g->n > 1)
			qsort(g->v, g->n, sizeof *g->v, cmp_d);
		for (unsigned k = 0; k < RO_STEPS; k++)
			if (g->ro[k].n > 1)
				qsort(g->ro[k].v, g->ro[k].n, sizeof *g->ro[k].v, cmp_d);
		if (L->o->format == MC_FMT_JSON) {
			struct mk_json j;
			mk_json_begin(&j, L->out);
			mk_json_str(&j, "summary", mc_metric_name(L->m));
			if (L->o->run)
				mk_json_str(&j, "run", L->o->run);
			mk_json_str(&j, "group", g->name);
			if (g->path) {
				mk_json_str(&j, "pair", g->pair);
				mk_json_str(&j, "path", g->path);
			}
			mk_json_uint(&j, "n", g->n);
			mk_json_uint(&j, "absent", g->absent);
			if (g->n) {
				mk_json_num(&j, "min_ms", g->v[0], 6);
				mk_json_num(&j, "p50_ms", pct(g->v, g->n, 0.5), 6);
				mk_json_num(&j, "p90_ms", pct(g->v, g->n, 0.9), 6);
				mk_json_num(&j, "p99_ms", pct(g->v, g->n, 0.99), 6);
				mk_json_num(&j, "max_ms", g->v[g->n - 1], 6);
			}
			if (conv) {
				mk_json_int(&j, "stale_after_noerror", g->stale);
				mk_json_int(&j, "ttl_violations", g->viol);
			}
			summary_ro_json(g, &j);
			mk_json_finish(&j);
			continue;
		}
		int w = 10;
		for (size_t k = 0; k < L->ng; k++)
			if ((int)strlen(L->g[k].name) > w)
				w = (int)strlen(L->g[k].name);
		fprintf(L->out, "%-*s %6zu %6u", w, g->name, g->n, g->absent);
		if (g->n)
			fprintf(L->out, " %10.3f %10.3f %10.3f %10.3f %10.3f", g->v[0], pct(g->v, g->n, 0.5),
				pct(g->v, g->n, 0.9), pct(g->v, g->n, 0.99), g->v[g->n - 1]);
		else
			fprintf(L->out, " %10s %10s %10s %10s %10s", "-", "-", "-", "-", "-");
		if (conv)
			fprintf(L->out, "  %5lld %10lld", g->stale, g->viol);
		putc('\n', L->out);
	}
	if (L->o->format != MC_FMT_TABLE)
		return;
	for (size_t i = 0; i < L->ng; i++)
		for (unsigned k = 0; k < 3 && L->g[i].reason[k].n; k++)
			fprintf(L->out, "absent in %s: %u x %s%s\n", L->g[i].name, L->g[i].reason[k].n,
				L->g[i].reason[k].text,
				k == 2 && L->g[i].other_reasons ? " (other reasons: --json lists each)" : "");
	summary_ro_table(L);
	summary_by_path(L);
}

int mc_latency(struct mc_sources *s, enum mc_metric m, const struct mk_codepoints *cp,
	       const struct mc_lat_opts *o, FILE *out, char *err, size_t errlen)
{
	struct lat L = { .m = m, .s = s, .cp = cp, .o = o, .out = out };
	struct mc_pkt p;
	int r;

	mk_cp_format(cp, L.cpstr, sizeof L.cpstr);
	if (m == MC_M_RTT)
		L.rq = calloc(L.nrq = TABLE_START, sizeof *L.rq);
	if (m == MC_M_HANDOFF || m == MC_M_MIGRATE)
		L.as = calloc(L.nas = TABLE_START, sizeof *L.as);
	if ((m == MC_M_RTT && !L.rq) || ((m == MC_M_HANDOFF || m == MC_M_MIGRATE) && !L.as)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((r = mc_next(s, &p)) == 1 && !L.oom) {
		struct mk_ip6 h;
		struct mk_ip6_chain c;
		if (p.ip6_off < 0)
			continue;
		const uint8_t *ip = p.data + p.ip6_off;
		size_t n = p.caplen - (size_t)p.ip6_off;
		if (mk_ip6_chain_parse(ip, n, &h, &c).err != MK_E_OK)
			continue; /* damaged or cut: no event is taken from it */
		mc_tally_add(&L.tally, 0, mc_cksum_verdict(ip, &h, &c));
		if (c.ulp == MK_NH_IPV6)
			mc_tally_inner(&L.tally, ip, &c, 0);
		switch (m) {
		case MC_M_CONVERGENCE: conv_pkt(&L, &p, ip, &h, &c); break;
		case MC_M_RTT: rtt_pkt(&L, &p, ip, &h, &c); break;
		case MC_M_HANDOFF:
		case MC_M_RECOVERY: mip_pkt(&L, &p, ip, &h, &c); break;
		case MC_M_MIGRATE: mig_pkt(&L, &p, ip, &h, &c); break;
		default: break;
		}
	}
	const char *end = "before the capture ended";
	L.end.set = false;
	for (size_t i = 0; i < L.nst; i++)
		conv_finish(&L, &L.st[i], end);
	for (size_t i = 0; i < L.nmn; i++) {
		handoff_finish(&L, &L.mn[i], end);
		if (m == MC_M_RECOVERY && L.mn[i].rbu.set)
			recovery_finish(&L, &L.mn[i], NULL, NULL, end);
	}
	for (size_t i = 0; i < L.nmg; i++)
		mig_finish(&L, &L.mg[i], end);
	int ret = L.nrec ? 0 : 3;
	bool classified = false;
	for (size_t i = 0; i < L.ng; i++)
		classified |= L.g[i].path != NULL;
	if (o->by_path && !classified)
		ret = 3;
	if (L.oom) {
		snprintf(err, errlen, "out of memory after %u records", L.nrec);
		ret = -1;
	} else if (r < 0) {
		snprintf(err, errlen, "live capture error");
		ret = -1;
	}
	if (ret >= 0) {
		if (ret == 0) {
			summary(&L);
			if (o->format == MC_FMT_JSON ||
			    (o->format == MC_FMT_TABLE && (L.tally.bad[0] || L.tally.bad[1])))
				mc_tally_report(&L.tally, out, o->format == MC_FMT_JSON);
		} else if (L.nrec) {
			snprintf(err, errlen, "no echo, DNS or SYN round trip between a home address and a correspondent was classified (through the home agent or direct: mobcap(1))");
		} else
			snprintf(err, errlen, "%s", mc_metric_absent_reason(m));
	}
	for (size_t i = 0; i < L.ng; i++)
	{
		free(L.g[i].v);
		for (unsigned k = 0; k < RO_STEPS; k++)
			free(L.g[i].ro[k].v);
	}
	free(L.g);
	free(L.u);
	free(L.k);
	free(L.st);
	free(L.srv);
	free(L.rq);
	free(L.as);
	free(L.mn);
	free(L.mg);
	return ret;
}

const char *mc_metric_absent_reason(enum mc_metric m)
{
	switch (m) {
	case MC_M_CONVERGENCE:
		return "no DNS UPDATE adding an AAAA or CAAAA record, followed by resolver answers for that name, is in the captures";
	case MC_M_HANDOFF:
		return "no Binding Update with the H flag (a home registration) is in the captures";
	case MC_M_RECOVERY:
		return "no home agent stopped forwarding to a mobile node that then sent a BU elsewhere: no tunnelled data, or always from the same home agent";
	case MC_M_MIGRATE:
		return "no TCP SYN with a Migrate option is in the captures";
	case MC_M_RTT:
		return "no request was answered where it was seen (ICMPv6 echo, DNS, BU/BA, HoTI/HoT, CoTI/CoT, SYN/SYN-ACK)";
	default:
		return "unknown metric";
	}
}
