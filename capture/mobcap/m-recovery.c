/* capture/mobcap/m-recovery.c: `mobcap latency recovery` (mobcap(1)): the
 * last packet a failed home agent forwarded to a mobile node -> the first
 * data packet tunnelled to it by another home agent (to_ha_unreachable,
 * to_bu, registration, resume)
 * and the steps the multiple-home-agent paper names (paper_steps).
 *
 * A mobile node is followed by its home address: the home agent that
 * tunnels its data, the last packet it forwarded, then a Home Agent
 * Unreachable, a home registration BU to another home agent and its BA;
 * data tunnelled from another home agent ends the recovery.  Its care-of
 * address is the outer destination of that data (and the source of its BUs):
 * DHAAD, Home Agent Unreachable and the Home Agent Switch go to (DHAAD
 * request: come from) a care-of address, so they count for the mobile node
 * at that address; for one whose care-of address is not known yet, for
 * every mobile node waiting for a home agent. */
#include "latency.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "wire/icmp6.h"
#include "wire/mh.h"

struct rmn {               /* a mobile node (the home address first: lat_hoa_get) */
	struct in6_addr hoa;
	bool have_ha;
	struct in6_addr ha;    /* the home agent that tunnels its data */
	struct ref last_fwd, unreach, rbu, rba;
	struct ref dreq, drep, hswitch; /* DHAAD request and reply, Home Agent Switch */
	struct in6_addr rbu_ha;
	bool have_coa;
	struct in6_addr coa;     /* where its tunnelled data went, its BUs came from */
};

struct recovery {
	struct rmn *mn;
	size_t nmn, mncap;
};

static struct rmn *mn_get(struct lat *L, const struct in6_addr *hoa)
{
	struct recovery *V = L->st;
	return lat_hoa_get(L, (void **)&V->mn, &V->nmn, &V->mncap, sizeof *V->mn, hoa);
}

/* The steps the multiple-home-agent paper (seeds/003, section IV) names,
 * after the events seen, with the failure at the last packet the old home
 * agent forwarded:
 *   a Home Agent Switch came (HA Reliability, E+G+H+I): E failure -> the
 *     switch at the mobile node, G the switch -> its BU, H the BU -> BA
 *     (the paper's "if the binding on the standby is not valid"; the draft's
 *     hard switch always has one), I the BA -> data through the new one;
 *   a Home Agent Unreachable came (multiple home agents, D): detection,
 *     failure -> the message (the paper counts it as no step: it is the
 *     probe interval times the misses), D the message -> data through the
 *     home agent that took over;
 *   else (RFC 6275, A+B+C+D): A failure -> the mobile node finds the home
 *     agent down (its DHAAD request; its BU elsewhere without one), B DHAAD
 *     request -> reply, C BU -> BA, D the BA -> data through the new one.
 * A step whose events were not both seen is null. */
static void paper_steps(struct rec *r, const struct rmn *x, const struct ref *data)
{
	static const struct ref none;
	const struct ref *d = data ? data : &none;
	if (x->hswitch.set) {
		rec_step(r, "E", ms_between(&x->last_fwd, &x->hswitch));
		rec_step(r, "G", ms_between(&x->hswitch, &x->rbu));
		rec_step(r, "H", ms_between(&x->rbu, &x->rba));
		/* the new one may deliver before the BA (it took over first): then
		 * from the switch or the BU */
		rec_step(r, "I", ms_between(x->rba.set ? &x->rba : x->rbu.set ? &x->rbu : &x->hswitch, d));
	} else if (x->unreach.set) {
		rec_step(r, "detection", ms_between(&x->last_fwd, &x->unreach));
		rec_step(r, "D", ms_between(&x->unreach, d));
	} else {
		rec_step(r, "A", ms_between(&x->last_fwd, x->dreq.set ? &x->dreq : &x->rbu));
		rec_step(r, "B", ms_between(&x->dreq, &x->drep));
		rec_step(r, "C", ms_between(&x->rbu, &x->rba));
		rec_step(r, "D", ms_between(&x->rba, d));
	}
}

static void recovery_finish(struct lat *L, struct rmn *x, const struct in6_addr *new_ha,
			    const struct ref *data, const char *why)
{
	struct rec r;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	rec_init(&r);
	snprintf(r.group, sizeof r.group, "%s from %s", lat_label(L, &x->hoa, a), lat_label(L, &x->ha, b));
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
	rec_ref(&r, "dhaad_request", &x->dreq);
	rec_ref(&r, "dhaad_reply", &x->drep);
	rec_ref(&r, "ha_switch", &x->hswitch);
	paper_steps(&r, x, data);
	if (data)
		r.ms = ms_between(&x->last_fwd, data);
	else
		snprintf(r.absent, sizeof r.absent,
			 "%s stopped forwarding (%s#%" PRIu64 ") and a BU went to %s, but no home agent delivered data %s",
			 mk_ip6_ntop(&x->ha, b), lat_base(mc_src_name(L->s, x->last_fwd.src)), x->last_fwd.frame,
			 mk_ip6_ntop(&x->rbu_ha, c), why);
	lat_emit(L, &r);
	memset(&x->unreach, 0, sizeof x->unreach);
	memset(&x->rbu, 0, sizeof x->rbu);
	memset(&x->rba, 0, sizeof x->rba);
	memset(&x->dreq, 0, sizeof x->dreq);
	memset(&x->drep, 0, sizeof x->drep);
	memset(&x->hswitch, 0, sizeof x->hswitch);
}

/* a home registration BU (h, ip, c) to another home agent, after the last
 * packet the one in use forwarded */
static void recovery_bu(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
			const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	struct in6_addr hoa = h->src;
	if (c->hao >= 0)
		memcpy(&hoa, ip + c->hao_off + 2, 16);
	struct rmn *x = mn_get(L, &hoa);
	if (x) {
		x->coa = h->src;
		x->have_coa = true;
	}
	if (x && x->have_ha && memcmp(&h->dst, &x->ha, 16) != 0 && x->last_fwd.set && !x->rbu.set) {
		x->rbu = mkref(p);
		x->rbu_ha = h->dst;
	}
}

/* its BA, accepted, from the home agent the BU went to */
static void recovery_ba(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
			const struct mk_ip6 *h, const struct mk_ip6_chain *c, const struct mk_mh *mh)
{
	struct in6_addr hoa = h->dst;
	if (c->rh2 >= 0)
		memcpy(&hoa, ip + c->rh2_hoa_off, 16);
	struct rmn *x = mn_get(L, &hoa);
	if (x && x->rbu.set && !x->rba.set && memcmp(&h->src, &x->rbu_ha, 16) == 0 &&
	    mh->u.ba.status < 128)
		x->rba = mkref(p);
}

/* data tunnelled (outer header h, inner packet ih) by a home agent: the one
 * in use, or another, which ends a recovery */
static void recovery_data(struct lat *L, const struct mc_pkt *p, const struct mk_ip6 *h,
			  const struct mk_ip6 *ih)
{
	struct rmn *x = mn_get(L, &ih->dst);
	if (!x)
		return;
	struct ref d = mkref(p);
	x->coa = h->dst;
	x->have_coa = true;
	if (x->have_ha && memcmp(&h->src, &x->ha, 16) != 0) {
		recovery_finish(L, x, &h->src, &d, "");
		x->ha = h->src;
	} else if (!x->have_ha) {
		x->have_ha = true;
		x->ha = h->src;
	}
	x->last_fwd = d;
	memset(&x->unreach, 0, sizeof x->unreach);
	memset(&x->rbu, 0, sizeof x->rbu);
	memset(&x->rba, 0, sizeof x->rba);
}

/* is a message to (from) care-of address a for mobile node x? */
static bool at_coa(const struct rmn *x, const struct in6_addr *a)
{
	return !x->have_coa || memcmp(&x->coa, a, 16) == 0;
}

static void recovery_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
			 const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	struct recovery *V = L->st;
	if (p->dup)
		return;
	L->end = mkref(p);
	if (c->ulp == MK_NH_MH) {
		struct mk_mh mh;
		if (mk_mh_parse(ip + c->ulp_off, c->ulp_len, L->cp, &mh).err != MK_E_OK)
			return;
		if (mh.type == MK_MH_BU && (mh.u.bu.flags & MK_BU_H))
			recovery_bu(L, p, ip, h, c);
		else if (mh.type == MK_MH_BA)
			recovery_ba(L, p, ip, h, c, &mh);
		else if (mh.type == MK_MH_HAS)
			for (size_t i = 0; i < V->nmn; i++)
				if (V->mn[i].last_fwd.set && !V->mn[i].hswitch.set && at_coa(&V->mn[i], &h->dst))
					V->mn[i].hswitch = mkref(p);
		return;
	}
	/* DHAAD (RFC 6275 10.5): the request from a care-of address, the reply to it */
	if (c->ulp == MK_NH_ICMPV6 && c->ulp_len >= 1) {
		enum mk_icmp6_kind k = mk_icmp6_kind_of(L->cp, ip[c->ulp_off]);
		if (k == MK_ICMP6_K_DHAAD_REQUEST || k == MK_ICMP6_K_DHAAD_REPLY) {
			for (size_t i = 0; i < V->nmn; i++) {
				struct rmn *x = &V->mn[i];
				struct ref *e = k == MK_ICMP6_K_DHAAD_REQUEST ? &x->dreq : &x->drep;
				if (!at_coa(x, k == MK_ICMP6_K_DHAAD_REQUEST ? &h->src : &h->dst))
					continue;
				if (x->last_fwd.set && !x->rbu.set && !e->set &&
				    (k == MK_ICMP6_K_DHAAD_REQUEST || x->dreq.set))
					*e = mkref(p);
			}
			return;
		}
	}
	if (c->ulp == MK_NH_ICMPV6 && c->ulp_len >= 1 &&
	    mk_icmp6_kind_of(L->cp, ip[c->ulp_off]) == MK_ICMP6_K_HA_UNREACH) {
		/* to the mobile node at its destination, waiting for its home agent */
		for (size_t i = 0; i < V->nmn; i++) {
			struct rmn *x = &V->mn[i];
			if (x->last_fwd.set && !x->unreach.set && at_coa(x, &h->dst))
				x->unreach = mkref(p);
		}
		return;
	}
	/* data tunnelled to a care-of address */
	if (c->ulp == MK_NH_IPV6) {
		struct mk_ip6 ih;
		struct mk_ip6_chain ic;
		if (mk_ip6_chain_parse(ip + c->ulp_off, c->ulp_len, &ih, &ic).err != MK_E_OK)
			return;
		if (lat_is_data(ic.ulp, ip + c->ulp_off + ic.ulp_off, ic.ulp_len))
			recovery_data(L, p, h, &ih);
	}
}

static void recovery_flush(struct lat *L, const char *why)
{
	struct recovery *V = L->st;
	for (size_t i = 0; i < V->nmn; i++)
		if (V->mn[i].rbu.set)
			recovery_finish(L, &V->mn[i], NULL, NULL, why);
}

static void recovery_stop(struct lat *L)
{
	free(((struct recovery *)L->st)->mn);
}

const struct lat_metric lat_recovery = {
	.name = "recovery",
	.absent = "no home agent stopped forwarding to a mobile node that then sent a BU elsewhere: no tunnelled data, or always from the same home agent",
	.state_size = sizeof(struct recovery),
	.packet = recovery_pkt,
	.flush = recovery_flush,
	.stop = recovery_stop,
};
