/* capture/mobcap/latency.h: what the parts of `mobcap latency` share.
 *
 *   latency.c        the pass over the merged captures (mc_latency) and the
 *                    table of metrics
 *   lat-records.c    records (JSON lines or CSV), their groups and the
 *                    summaries (table or JSON)
 *   lat-tables.c     what more than one metric keeps: first sightings of
 *                    source addresses, digests of tunnelled packets, tables
 *                    by home address, address labels
 *   m-convergence.c, m-handoff.c, m-recovery.c, m-migrate.c, m-rtt.c
 *                    one metric each: its state, its packets, its records
 *
 * A metric is a table of hooks (struct lat_metric): the pass calls its
 * packet hook for every IPv6 packet that parses, its flush hook when the
 * captures end, and the summary calls its group hooks; its state is its
 * own (L->st, state_size octets, zeroed).  A record (struct rec) carries
 * the metric's steps, packets and counts by name, so a metric adds a step
 * in its own file alone (rec_step, rec_ref, rec_extra): JSON and CSV
 * records write it as it comes; a summary of steps is the metric's own
 * (group hooks, as handoff's route optimization).  Only mobcap's latency
 * files include this header. */
#ifndef MOBCAP_LATENCY_H
#define MOBCAP_LATENCY_H

#include <math.h>
#include <string.h>

#include "mobcap.h"

struct mk_json;

/* ---- events and records ---- */

struct ref {               /* one packet: its capture, frame and time */
	bool set;
	unsigned src;
	uint64_t frame, ts;
};

#define LAT_MAXF 16
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
	struct { const char *k; double ms; } step[LAT_MAXF];     /* NAN: not seen */
	struct { const char *k; struct ref r; } ref[LAT_MAXF];
	struct { const char *k; long long v; } extra[LAT_MAXF];
};

/* the records of one group, for the summary */
struct group {
	char name[160];
	char pair[128];            /* rtt: the pair, and its path (NULL: none) */
	const char *path;
	double *v;
	size_t n, cap;
	unsigned absent;
	struct { char text[240]; unsigned n; } reason[3]; /* the first distinct absent reasons */
	unsigned other_reasons;  /* absent records with yet another reason */
	void *x;                 /* the metric's own (its group_add makes it) */
};

struct lat;

struct lat_metric {
	const char *name;
	const char *absent;      /* why no record was written */
	size_t state_size;       /* its state at L->st, zeroed before start */
	/* false: out of memory (NULL: nothing to start) */
	bool (*start)(struct lat *L);
	/* an IPv6 packet that parsed (h, c), ip its first octet; with ulp
	 * set, only those whose upper layer is ulp (0, a hop-by-hop header,
	 * is never one: every packet) */
	uint8_t ulp;
	void (*packet)(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		       const struct mk_ip6 *h, const struct mk_ip6_chain *c);
	/* the captures ended: the records still open are written, why they
	 * could not complete in why */
	void (*flush)(struct lat *L, const char *why);
	/* free what start and packet took (the state itself is freed after) */
	void (*stop)(struct lat *L);
	/* summaries, each NULL for none: a record joins group g (g->x is the
	 * metric's); the members after the percentiles in a JSON summary line;
	 * the extra columns of the table, their header and each group's; what
	 * the table ends with, after the absent reasons; the table of
	 * --by-path; free g->x (NULL: free(g->x)) */
	void (*group_add)(struct lat *L, struct group *g, const struct rec *r);
	void (*group_json)(struct group *g, struct mk_json *j);
	const char *table_head;
	void (*table_row)(struct lat *L, const struct group *g);
	void (*table_tail)(struct lat *L);
	void (*by_path)(struct lat *L);
	const char *by_path_absent; /* why --by-path has no table */
	void (*group_free)(struct group *g);
};

extern const struct lat_metric lat_convergence, lat_handoff, lat_recovery, lat_migrate, lat_rtt;

struct lat {
	enum mc_metric m;
	const struct lat_metric *mt;
	void *st;                  /* the metric's state */
	struct mc_sources *s;
	const struct mk_codepoints *cp;
	const struct mc_lat_opts *o;
	FILE *out;
	char cpstr[512];
	unsigned nrec;
	struct group *g;
	size_t ng, gcap;
	struct ref end;            /* the packet that ended a wait (none: the capture) */
	bool oom;
	struct mc_tally tally;     /* checksum verdicts, tunnelled packets apart */
};

static inline struct ref mkref(const struct mc_pkt *p)
{
	return (struct ref){ .set = true, .src = p->src, .frame = p->frame, .ts = p->ts };
}

static inline double ms_between(const struct ref *a, const struct ref *b)
{
	if (!a->set || !b->set)
		return NAN;
	return ((double)b->ts - (double)a->ts) / 1e6;
}

static inline void rec_init(struct rec *r)
{
	memset(r, 0, sizeof *r);
	r->ms = NAN;
}

static inline void rec_step(struct rec *r, const char *k, double ms)
{
	if (r->nsteps < LAT_MAXF)
		r->step[r->nsteps++].k = k, r->step[r->nsteps - 1].ms = ms;
}

static inline void rec_ref(struct rec *r, const char *k, const struct ref *x)
{
	if (x->set && r->nrefs < LAT_MAXF)
		r->ref[r->nrefs].k = k, r->ref[r->nrefs++].r = *x;
}

static inline void rec_extra(struct rec *r, const char *k, long long v)
{
	if (r->nextra < LAT_MAXF)
		r->extra[r->nextra].k = k, r->extra[r->nextra++].v = v;
}

/* ---- lat-records.c ---- */

/* r complete (or absent, ended by L->end): counted in its group, written */
void lat_emit(struct lat *L, struct rec *r);
/* the file name of a capture's path */
const char *lat_base(const char *path);
/* "file#frame" of x */
void lat_ref_str(const struct lat *L, const struct ref *x, char *b, size_t n);
/* nearest rank: the smallest value of sorted v with at least q of the
 * sample at or below it; n > 0 */
double lat_pct(const double *v, size_t n, double q);
/* the widest of w and the strlen of col(g) over the groups (col NULL: their
 * names); -1 when col gives NULL for every group */
int lat_width(const struct lat *L, int w, const char *(*col)(const struct group *g));
/* qsort's comparison of doubles */
int lat_cmp_d(const void *a, const void *b);
/* the summary, table or JSON (by the options), once the captures end */
void lat_summary(struct lat *L);
void lat_groups_free(struct lat *L);

/* ---- lat-tables.c ---- */

/* make room for element n of *p (*cap of sz octets): false when out of memory */
bool lat_grow(void **p, size_t *cap, size_t n, size_t sz);
/* the label given for address a (--label), or a as text in b */
const char *lat_label(const struct lat *L, const struct in6_addr *a, char *b);

static inline uint64_t hash_bytes(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ull;
	return h;
}

/* Tables of entries by home address: each entry (sz octets) begins with
 * its struct in6_addr.  find: the entry of hoa among n, or NULL; get: that,
 * or a new one, zeroed but for hoa, at the end (NULL and L->oom when out of
 * memory).  find is inline: handoff and rtt look for every data packet's. */
static inline void *lat_hoa_find(void *tab, size_t n, size_t sz, const struct in6_addr *hoa)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t *e = (uint8_t *)tab + i * sz;
		if (memcmp(e, hoa, 16) == 0)
			return e;
	}
	return NULL;
}
void *lat_hoa_get(struct lat *L, void **tab, size_t *n, size_t *cap, size_t sz,
		  const struct in6_addr *hoa);

/* a TCP or UDP segment, or an echo request or reply, of ulp (u, len octets) */
static inline bool lat_is_data(uint8_t ulp, const uint8_t *u, size_t len)
{
	if (ulp == MK_NH_TCP || ulp == MK_NH_UDP)
		return true;
	return ulp == MK_NH_ICMPV6 && len >= 1 && (u[0] == 128 || u[0] == 129);
}

/* First sightings of source addresses (handoff, migrate), by capture or
 * for all captures (src 0), and the digests of packets seen lately inside
 * tunnels (handoff) */
struct addr_slot {         /* an address as one capture saw it (handoff), or as all did */
	struct in6_addr a;
	unsigned src;          /* the capture (handoff), 0 for the others */
	bool used;
	unsigned epoch;
	struct ref first_epoch, first;
};

#define LAT_TUN_SLOTS 512  /* tunnelled packets remembered (direct-mapped, power of two) */
struct tun_slot {          /* a packet seen inside a tunnel: its digest, when */
	uint64_t h, ts;
};

struct lat_seen {
	struct addr_slot *as;
	size_t nas;                /* its slots */
	unsigned epoch;            /* first_epoch: the first sighting since epoch was bumped */
	struct tun_slot tun[LAT_TUN_SLOTS];
};

/* false: out of memory */
bool lat_seen_start(struct lat_seen *S);
void lat_seen_stop(struct lat_seen *S);
/* the slot of address a as capture src saw it (src 0 where captures are
 * not told apart), made with insert; NULL: none (or no room) */
struct addr_slot *lat_seen_find(struct lat_seen *S, const struct in6_addr *a, unsigned src, bool insert);
/* a sighting of source address a in capture src at p; with ip given
 * (n octets), a packet seen before inside a tunnel is not one */
void lat_seen_add(struct lat_seen *S, const struct in6_addr *a, unsigned src, const struct mc_pkt *p,
		  const uint8_t *ip, size_t n);
/* inner (n octets) was seen inside a tunnel at ts */
void lat_tun_remember(struct lat_seen *S, const uint8_t *inner, size_t n, uint64_t ts);

#endif
