/* capture/mobcap/m-migrate.c: `mobcap latency migrate` (mobcap(1)): the
 * first packet from the new address -> the first data byte acknowledged on
 * the connection a Migrate SYN moved (to_syn, handshake, to_data_acked):
 * the first ACK on the new 4-tuple that acknowledges a byte past what its
 * sender had acknowledged at the migration (the SYN/ACK's ack for the
 * mobile host's data, its seq for the fixed host's), so data that resumes
 * past a hole the move left counts once the hole is filled.  A RST on the
 * new 4-tuple does not end the record (the draft's MIGRATE-WAIT keeps the
 * connection; the shim keeps it from the kernel): it is counted (resets).
 *
 * A migration is followed by the 4-tuple of its Migrate SYN.  The shim
 * (mobd's migrate role) keeps the kernel seeing the original 4-tuple by a
 * stateless nftables rewrite at both ends, so on the wire (a router's
 * capture, or a host's own: AF_PACKET sees what leaves after POSTROUTING and
 * what comes in before PREROUTING) the migrated connection carries the new
 * tuple, the SYN's: that is the tuple followed here.
 *
 * "First from the new address" is its first sighting since the previous
 * migration (a Migrate SYN or its SYN/ACK bumps the epoch of lat_seen), so a
 * host coming back to an address it had before is timed from its return,
 * not from its first stay; segments of the last connections that offered
 * Migrate-Permitted or migrated (either 4-tuple, the Migrate SYN too) are
 * no sightings, so a late segment of an old 4-tuple after a move does not
 * count either (without other traffic from the new address, the Migrate SYN
 * is the start: to_syn 0).  A Migrate SYN repeated with the same ReqNo is a retransmission; one
 * with another ReqNo on the same 4-tuple is a new request, which ends the
 * first one's record (absent: superseded) and is timed from its start.
 *
 * Both codepoint profiles: a SYN whose options hold no Migrate under the
 * profile given (--profile, --codepoint) is read again under the other base
 * profile (default: RFC 6994 kind 253 with ExID 0x4d47; paper: raw kind 36);
 * their kinds do not collide. */
#include "latency.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "wire/tcpopt.h"

struct mig {
	struct in6_addr n, d;
	uint16_t sp, dp;
	uint8_t reqno;
	struct ref start, syn, synack, data, ack;
	uint32_t data_end;     /* an ACK at or past it acknowledges new data */
	uint32_t sa_seq, sa_ack; /* the SYN/ACK's: the peer's snd_una and rcv_nxt */
	unsigned resets;       /* RSTs on the new 4-tuple (the draft's MIGRATE-WAIT) */
	int data_from_n;       /* -1: no data yet */
	bool done;
};

/* the 4-tuples of the last connections that negotiated Migrate-Permitted
 * or migrated: their segments are not sightings of an address */
#define MIG_TUPLES 64
struct tuple {
	struct in6_addr a, b;
	uint16_t pa, pb;
};

struct migrate {
	struct lat_seen seen;  /* first sightings of each address, every capture together */
	struct mk_codepoints other; /* the other base profile */
	struct mig *mg;
	size_t nmg, mgcap;
	struct tuple tup[MIG_TUPLES];
	unsigned ntup;         /* tuples written (the ring holds the last MIG_TUPLES) */
};

static void tuple_add(struct migrate *M, const struct mk_ip6 *h, const struct mk_tcp *t)
{
	struct tuple *x = &M->tup[M->ntup++ % MIG_TUPLES];
	x->a = h->src;
	x->b = h->dst;
	x->pa = t->sport;
	x->pb = t->dport;
}

/* the segment (either way) belongs to a connection that negotiated or
 * migrated */
static bool tuple_known(const struct migrate *M, const struct mk_ip6 *h, const struct mk_tcp *t)
{
	unsigned n = M->ntup < MIG_TUPLES ? M->ntup : MIG_TUPLES;
	for (unsigned i = 0; i < n; i++) {
		const struct tuple *x = &M->tup[i];
		if ((x->pa == t->sport && x->pb == t->dport && memcmp(&x->a, &h->src, 16) == 0 &&
		     memcmp(&x->b, &h->dst, 16) == 0) ||
		    (x->pb == t->sport && x->pa == t->dport && memcmp(&x->b, &h->src, 16) == 0 &&
		     memcmp(&x->a, &h->dst, 16) == 0))
			return true;
	}
	return false;
}

static void mig_finish(struct lat *L, struct mig *g, const char *why)
{
	struct rec r;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (g->done)
		return;
	rec_init(&r);
	snprintf(r.group, sizeof r.group, "%s > %s port %u", lat_label(L, &g->n, a), lat_label(L, &g->d, b),
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
	rec_extra(&r, "resets", g->resets);
	if (g->ack.set)
		r.ms = ms_between(&g->start, &g->ack);
	else if (!g->synack.set && g->resets)
		snprintf(r.absent, sizeof r.absent, "the Migrate SYN was answered with RST (refused), %s", why);
	else if (!g->synack.set)
		snprintf(r.absent, sizeof r.absent, "no SYN/ACK to the Migrate SYN, %s", why);
	else if (!g->data.set)
		snprintf(r.absent, sizeof r.absent, "no data on the migrated connection%s, %s",
			 g->resets ? " after a RST" : "", why);
	else
		snprintf(r.absent, sizeof r.absent, "no new data acknowledged on the migrated connection%s, %s",
			 g->resets ? " after a RST" : "", why);
	lat_emit(L, &r);
	g->done = true;
}

static bool mig_perm(const struct mk_tcp *t)
{
	for (size_t i = 0; i < t->opts.n; i++)
		if (t->opts.o[i].type == MK_TCPOPT_MIGPERM)
			return true;
	return false;
}

static const struct mk_tcpopt *mig_opt(const struct mk_tcp *t)
{
	for (size_t i = 0; i < t->opts.n; i++)
		if (t->opts.o[i].type == MK_TCPOPT_MIGRATE)
			return &t->opts.o[i];
	return NULL;
}

static void mig_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		    const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	static struct mk_tcp t;
	struct migrate *M = L->st;
	const struct mk_tcpopt *mo = NULL;
	if (p->dup)
		return;
	if (c->ulp != MK_NH_TCP || mk_tcp_parse(ip + c->ulp_off, c->ulp_len, L->cp, &t).err != MK_E_OK) {
		lat_seen_add(&M->seen, &h->src, 0, p, NULL, 0);
		return;
	}
	/* a segment of a migratable connection is no sighting of its address:
	 * its old 4-tuple can still carry a late segment after a move, which
	 * would time the host's return there from that segment */
	bool syn = (t.flags & MK_TCP_SYN) && !(t.flags & MK_TCP_ACK);
	if (syn) {
		mo = mig_opt(&t);
		if (!mo && mk_tcp_parse(ip + c->ulp_off, c->ulp_len, &M->other, &t).err == MK_E_OK)
			mo = mig_opt(&t);
		if (!mo && mig_perm(&t)) /* the original 4-tuple of a migratable connection */
			tuple_add(M, h, &t);
	}
	if (!tuple_known(M, h, &t) && !mo)
		lat_seen_add(&M->seen, &h->src, 0, p, NULL, 0);
	if (syn) {
		if (mo) {
			struct ref start = { 0 };
			for (size_t j = 0; j < M->nmg; j++) {
				struct mig *g = &M->mg[j];
				if (g->done || g->sp != t.sport || g->dp != t.dport ||
				    memcmp(&g->n, &h->src, 16) != 0 || memcmp(&g->d, &h->dst, 16) != 0)
					continue;
				if (g->reqno == mo->u.migrate.reqno)
					return; /* a retransmitted Migrate SYN */
				/* a newer request on the same 4-tuple: the move is timed
				 * from the first one's start */
				char why[64];
				snprintf(why, sizeof why, "superseded by a Migrate SYN with ReqNo %u",
					 mo->u.migrate.reqno);
				start = g->start;
				L->end = mkref(p);
				mig_finish(L, g, why);
			}
			if (!lat_grow((void **)&M->mg, &M->mgcap, M->nmg, sizeof *M->mg)) {
				L->oom = true;
				return;
			}
			struct mig *g = &M->mg[M->nmg++];
			memset(g, 0, sizeof *g);
			g->n = h->src;
			g->d = h->dst;
			g->sp = t.sport;
			g->dp = t.dport;
			tuple_add(M, h, &t);
			g->reqno = mo->u.migrate.reqno;
			g->syn = mkref(p);
			g->data_from_n = -1;
			struct addr_slot *e = lat_seen_find(&M->seen, &h->src, 0, false);
			g->start = start.set ? start
				   : e && e->first_epoch.set && e->epoch == M->seen.epoch ? e->first_epoch
											: g->syn;
			M->seen.epoch++;
			return;
		}
		return;
	}
	for (size_t j = 0; j < M->nmg; j++) {
		struct mig *g = &M->mg[j];
		if (g->done)
			continue;
		bool from_n = g->sp == t.sport && g->dp == t.dport && memcmp(&g->n, &h->src, 16) == 0 &&
			      memcmp(&g->d, &h->dst, 16) == 0;
		bool to_n = g->sp == t.dport && g->dp == t.sport && memcmp(&g->n, &h->dst, 16) == 0 &&
			    memcmp(&g->d, &h->src, 16) == 0;
		if (!from_n && !to_n)
			continue;
		if (t.flags & MK_TCP_RST) {
			/* a RST on a migratable connection puts it in MIGRATE-WAIT,
			 * where a migration may still complete: counted, not the end */
			g->resets++;
			return;
		}
		if (to_n && (t.flags & MK_TCP_SYN) && !g->synack.set) {
			g->synack = mkref(p);
			g->sa_seq = t.seq;
			g->sa_ack = t.ack;
			M->seen.epoch++; /* the old tuple is rewritten from here on */
		}
		if (t.payload_len && g->data_from_n < 0) {
			g->data = mkref(p);
			g->data_from_n = from_n;
			/* data is delivered again when the receiver acknowledges a
			 * byte past what it had at the migration (the SYN/ACK: the
			 * peer's rcv_nxt for the mobile host's data, its snd_una for
			 * its own), even if this segment lies past a hole the move
			 * made; without a SYN/ACK seen, this segment's end */
			g->data_end = g->synack.set ? (from_n ? g->sa_ack : g->sa_seq) + 1
						    : t.seq + (uint32_t)t.payload_len;
		} else if (g->data_from_n >= 0 && from_n != (g->data_from_n == 1) &&
			   (t.flags & MK_TCP_ACK) && (int32_t)(t.ack - g->data_end) >= 0) {
			g->ack = mkref(p);
			mig_finish(L, g, "");
		}
		return;
	}
}

static void mig_flush(struct lat *L, const char *why)
{
	struct migrate *M = L->st;
	for (size_t i = 0; i < M->nmg; i++)
		mig_finish(L, &M->mg[i], why);
}

static bool mig_start(struct lat *L)
{
	struct migrate *M = L->st;
	bool paper = L->cp && L->cp->profile && strcmp(L->cp->profile, "paper") == 0;
	(void)mk_cp_profile(&M->other, paper ? "default" : "paper");
	return lat_seen_start(&M->seen);
}

static void mig_stop(struct lat *L)
{
	struct migrate *M = L->st;
	lat_seen_stop(&M->seen);
	free(M->mg);
}

const struct lat_metric lat_migrate = {
	.name = "migrate",
	.absent = "no TCP SYN with a Migrate option is in the captures",
	.state_size = sizeof(struct migrate),
	.start = mig_start,
	.packet = mig_pkt,
	.flush = mig_flush,
	.stop = mig_stop,
};
