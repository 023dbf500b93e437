/* capture/mobcap/m-handoff.c: `mobcap latency handoff` (mobcap(1)): the
 * first packet from a new care-of address -> the first data packet
 * delivered there (detection, registration, resume); after a move away,
 * the route optimization with the first correspondent (to_rr, rr, bu_cn,
 * direct, to_direct), and their p50/p90 per group in the summary.
 *
 * A move's events are all taken from one capture, its vantage point (see
 * vantage_take); every capture's sightings of source addresses, duplicates
 * too, are followed apart, and a packet seen inside a tunnel shortly
 * before is the copy a home agent forwarded, not a first packet. */
#include "latency.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "util/json.h"
#include "wire/mh.h"

/* the route-optimization steps (mobcap(1)) */
#define RO_STEPS 5
static const char *const ro_steps[RO_STEPS] = { "to_rr", "rr", "bu_cn", "direct", "to_direct" };

struct mn {                /* a mobile node (the home address first: lat_hoa_get) */
	struct in6_addr hoa;
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
};

#define RO_PENDING 16
struct ro_pend {
	uint8_t type;
	struct in6_addr s, d;
	uint8_t cookie[8];
	struct ref r;          /* unset: none, or taken */
};

struct handoff {
	struct lat_seen seen;  /* first sightings by capture; packets seen inside tunnels */
	struct mn *mn;
	size_t nmn, mncap;
	/* the latest test messages (HoTI, CoTI, HoT, CoT) no move took */
	struct ro_pend pend[RO_PENDING];
	unsigned npend;
};

struct ho_group {          /* a group's records with route optimization, and their steps seen */
	unsigned ron;
	struct { double *v; size_t n, cap; } ro[RO_STEPS];
};

static struct mn *mn_find(struct lat *L, const struct in6_addr *hoa)
{
	struct handoff *H = L->st;
	return lat_hoa_find(H->mn, H->nmn, sizeof *H->mn, hoa);
}

static struct mn *mn_get(struct lat *L, const struct in6_addr *hoa)
{
	struct handoff *H = L->st;
	size_t n = H->nmn;
	struct mn *x = lat_hoa_get(L, (void **)&H->mn, &H->nmn, &H->mncap, sizeof *H->mn, hoa);
	if (x && H->nmn > n)
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
	snprintf(r.group, sizeof r.group, "%s %s", lat_label(L, &x->hoa, a),
		 x->mv_home ? "back home" : "to a foreign link");
	mk_ip6_ntop(&x->hoa, r.subject);
	mk_ip6_ntop(&x->mv_coa, r.peer);
	r.vantage = lat_base(mc_src_name(L->s, x->mv_src));
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
	lat_emit(L, &r);
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
	struct handoff *H = L->st;
	for (unsigned k = 0; k < RO_PENDING; k++) {
		struct ro_pend *e = &H->pend[(H->npend + k) % RO_PENDING];
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
	struct handoff *H = L->st;
	struct mn *x = NULL;
	struct in6_addr hoa;
	switch (mh->type) {
	case MK_MH_HOTI:
	case MK_MH_HOT:
		x = mn_find(L, mh->type == MK_MH_HOTI ? &h->src : &h->dst);
		break;
	case MK_MH_COTI:
	case MK_MH_COT:
		for (size_t i = 0; i < H->nmn && !x; i++)
			if (memcmp(&H->mn[i].mv_coa, mh->type == MK_MH_COTI ? &h->src : &h->dst, 16) == 0 &&
			    ro_open(&H->mn[i], p))
				x = &H->mn[i];
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
			struct ro_pend *e = &H->pend[H->npend++ % RO_PENDING];
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

/* A move's events are all taken from one capture, its vantage point: the
 * one that saw the BU leave the mobile node.  That is the capture of the
 * BU's first sighting, unless another capture sees the same BU with a higher
 * hop limit (nearer its sender: the first sighting's clock is behind the
 * sender's) before the BA, and then that one.  So the home agent's capture,
 * given too, never lends a move its BA, its data or the packets it
 * decapsulated and forwarded from the home address. */
static void vantage_take(struct lat *L, struct mn *x, const struct mc_pkt *p, const struct mk_ip6 *h)
{
	struct handoff *H = L->st;
	x->mv_src = p->src;
	x->mv_hlim = h->hlim;
	x->mv_bu = mkref(p);
	struct addr_slot *e = lat_seen_find(&H->seen, &h->src, p->src, false);
	x->mv_first = e && e->first_epoch.set ? e->first_epoch : x->mv_bu;
	ro_reset(x);
	ro_adopt(L, x);
}

/* a home registration BU (h, ip, c), in any capture */
static void handoff_bu(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		       const struct mk_ip6 *h, const struct mk_ip6_chain *c, const struct mk_mh *mh)
{
	struct in6_addr hoa = h->src;
	if (c->hao >= 0)
		memcpy(&hoa, ip + c->hao_off + 2, 16);
	struct mn *x = mn_get(L, &hoa);
	if (!x)
		return;
	bool home = memcmp(&h->src, &hoa, 16) == 0 || mh->u.bu.lifetime == 0;
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
	handoff_finish(L, x, "before the next move");
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
}

/* a BA (h, ip, c) to the move's care-of address, from its home agent, at
 * its vantage point */
static void handoff_ba(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		       const struct mk_ip6 *h, const struct mk_ip6_chain *c, const struct mk_mh *mh)
{
	struct handoff *H = L->st;
	struct in6_addr hoa = h->dst;
	if (c->rh2 >= 0)
		memcpy(&hoa, ip + c->rh2_hoa_off, 16);
	struct mn *x = mn_get(L, &hoa);
	if (!x || !x->mv_on || p->src != x->mv_src || memcmp(&h->dst, &x->mv_coa, 16) != 0 ||
	    memcmp(&h->src, &x->mv_ha, 16) != 0 || x->mv_ba_ok)
		return;
	x->mv_ba = mkref(p);
	x->mv_status = mh->u.ba.status;
	if (mh->u.ba.status < 128) {
		x->mv_ba_ok = true;
		x->have_coa = true;
		x->coa = x->mv_coa;
		H->seen.epoch++;
	}
}

static void handoff_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
			const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	struct handoff *H = L->st;
	L->end = mkref(p);
	/* every capture's sightings, each apart: a move is timed at one */
	size_t n = p->caplen - (size_t)p->ip6_off;
	if (c->ulp == MK_NH_IPV6)
		lat_tun_remember(&H->seen, ip + c->ulp_off, c->ulp_len, p->ts);
	lat_seen_add(&H->seen, &h->src, p->src, p, ip, n);
	if (c->ulp == MK_NH_MH) {
		struct mk_mh mh;
		if (mk_mh_parse(ip + c->ulp_off, c->ulp_len, L->cp, &mh).err != MK_E_OK)
			return;
		if (mh.type == MK_MH_BU && (mh.u.bu.flags & MK_BU_H)) {
			handoff_bu(L, p, ip, h, c, &mh);
			return;
		}
		ro_mh(L, p, ip, h, c, &mh);
		if (mh.type == MK_MH_BA)
			handoff_ba(L, p, ip, h, c, &mh);
		return;
	}
	/* data: tunnelled to a care-of address, through an RH2, or at home */
	struct in6_addr hoa;
	bool tunnelled = false;
	if (c->ulp == MK_NH_IPV6) {
		struct mk_ip6 ih;
		struct mk_ip6_chain ic;
		if (mk_ip6_chain_parse(ip + c->ulp_off, c->ulp_len, &ih, &ic).err != MK_E_OK)
			return;
		if (ic.ulp == MK_NH_MH) {
			struct mk_mh mh;
			const uint8_t *in = ip + c->ulp_off;
			if (mk_mh_parse(in + ic.ulp_off, ic.ulp_len, L->cp, &mh).err == MK_E_OK)
				ro_mh(L, p, in, &ih, &ic, &mh);
			return;
		}
		if (!lat_is_data(ic.ulp, ip + c->ulp_off + ic.ulp_off, ic.ulp_len))
			return;
		hoa = ih.dst;
		tunnelled = true;
	} else if (c->rh2 >= 0 || c->hao >= 0) {
		if (!lat_is_data(c->ulp, ip + c->ulp_off, c->ulp_len))
			return;
		ro_data(L, p, ip, h, c);
		if (c->rh2 < 0)
			return; /* from a care-of address: not data delivered there */
		memcpy(&hoa, ip + c->rh2_hoa_off, 16);
	} else {
		if (!lat_is_data(c->ulp, ip + c->ulp_off, c->ulp_len))
			return;
		hoa = h->dst;
	}
	struct mn *x = mn_find(L, &hoa);
	if (!x || !x->mv_on || !x->mv_ba_ok || p->src != x->mv_src || memcmp(&h->dst, &x->mv_coa, 16) != 0)
		return;
	if (x->mv_home == (tunnelled || c->rh2 >= 0))
		return; /* at home data comes natively, away through the tunnel or RH2 */
	handoff_data(L, x, p);
}

static void handoff_flush(struct lat *L, const char *why)
{
	struct handoff *H = L->st;
	for (size_t i = 0; i < H->nmn; i++)
		handoff_finish(L, &H->mn[i], why);
}

static bool handoff_start(struct lat *L)
{
	return lat_seen_start(&((struct handoff *)L->st)->seen);
}

static void handoff_stop(struct lat *L)
{
	struct handoff *H = L->st;
	lat_seen_stop(&H->seen);
	free(H->mn);
}

/* ---- the summary: route optimization per group ---- */

static void ho_group_add(struct lat *L, struct group *g, const struct rec *r)
{
	if (!r->cn[0])
		return;
	if (!g->x && !(g->x = calloc(1, sizeof(struct ho_group)))) {
		L->oom = true;
		return;
	}
	struct ho_group *x = g->x;
	x->ron++;
	for (unsigned i = 0; i < r->nsteps; i++)
		for (unsigned k = 0; k < RO_STEPS; k++)
			if (strcmp(r->step[i].k, ro_steps[k]) == 0 && !isnan(r->step[i].ms)) {
				if (lat_grow((void **)&x->ro[k].v, &x->ro[k].cap, x->ro[k].n, sizeof *x->ro[k].v))
					x->ro[k].v[x->ro[k].n++] = r->step[i].ms;
				else
					L->oom = true;
			}
}

static void ho_group_sort(struct ho_group *x)
{
	for (unsigned k = 0; k < RO_STEPS; k++)
		if (x->ro[k].n > 1)
			qsort(x->ro[k].v, x->ro[k].n, sizeof *x->ro[k].v, lat_cmp_d);
}

/* the route-optimization steps of a group's records, p50 and p90 (nearest
 * rank) of each; nothing for a group without route optimization */
static void ho_group_json(struct group *g, struct mk_json *j)
{
	struct ho_group *x = g->x;
	if (!x)
		return;
	ho_group_sort(x);
	mk_json_uint(j, "ro_n", x->ron);
	for (unsigned q = 0; q < 2; q++) {
		mk_json_obj(j, q ? "ro_p90_ms" : "ro_p50_ms");
		for (unsigned k = 0; k < RO_STEPS; k++)
			if (x->ro[k].n)
				mk_json_num(j, ro_steps[k], lat_pct(x->ro[k].v, x->ro[k].n, q ? 0.9 : 0.5), 6);
			else
				mk_json_null(j, ro_steps[k]);
		mk_json_end(j);
	}
}

static const char *ro_name(const struct group *g)
{
	return g->x ? g->name : NULL;
}

static void ho_table(struct lat *L)
{
	static const char *title = "route optimization (p50/p90 ms)";
	int w = lat_width(L, (int)strlen(title), ro_name);
	if (w < 0)
		return;
	fprintf(L->out, "\n%-*s %6s", w, title, "n");
	for (unsigned k = 0; k < RO_STEPS; k++)
		fprintf(L->out, " %19s", ro_steps[k]);
	putc('\n', L->out);
	for (size_t i = 0; i < L->ng; i++) {
		struct ho_group *x = L->g[i].x;
		if (!x)
			continue;
		ho_group_sort(x);
		fprintf(L->out, "%-*s %6u", w, L->g[i].name, x->ron);
		for (unsigned k = 0; k < RO_STEPS; k++) {
			char b[64] = "-";
			if (x->ro[k].n)
				snprintf(b, sizeof b, "%.3f/%.3f", lat_pct(x->ro[k].v, x->ro[k].n, 0.5),
					 lat_pct(x->ro[k].v, x->ro[k].n, 0.9));
			fprintf(L->out, " %19s", b);
		}
		putc('\n', L->out);
	}
}

static void ho_group_free(struct group *g)
{
	struct ho_group *x = g->x;
	if (!x)
		return;
	for (unsigned k = 0; k < RO_STEPS; k++)
		free(x->ro[k].v);
	free(x);
}

const struct lat_metric lat_handoff = {
	.name = "handoff",
	.absent = "no Binding Update with the H flag (a home registration) is in the captures",
	.state_size = sizeof(struct handoff),
	.start = handoff_start,
	.packet = handoff_pkt,
	.flush = handoff_flush,
	.stop = handoff_stop,
	.group_add = ho_group_add,
	.group_json = ho_group_json,
	.table_tail = ho_table,
	.group_free = ho_group_free,
};
