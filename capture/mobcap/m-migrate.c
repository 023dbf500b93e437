/* capture/mobcap/m-migrate.c: `mobcap latency migrate` (mobcap(1)): the
 * first packet from the new address -> the first data byte acknowledged on
 * the connection a Migrate SYN moved (to_syn, handshake, to_data_acked). */
#include "latency.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "wire/tcpopt.h"

struct mig {
	struct in6_addr n, d;
	uint16_t sp, dp;
	struct ref start, syn, synack, data, ack;
	uint32_t data_end;
	int data_from_n;       /* -1: no data yet */
	bool done;
};

struct migrate {
	struct lat_seen seen;  /* first sightings of each address, every capture together */
	struct mig *mg;
	size_t nmg, mgcap;
};

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
	if (g->ack.set)
		r.ms = ms_between(&g->start, &g->ack);
	else if (!g->synack.set)
		snprintf(r.absent, sizeof r.absent, "no SYN/ACK to the Migrate SYN, %s", why);
	else if (!g->data.set)
		snprintf(r.absent, sizeof r.absent, "no data on the migrated connection: %s", why);
	else
		snprintf(r.absent, sizeof r.absent, "the first data segment was not acknowledged, %s", why);
	lat_emit(L, &r);
	g->done = true;
}

static void mig_pkt(struct lat *L, const struct mc_pkt *p, const uint8_t *ip,
		    const struct mk_ip6 *h, const struct mk_ip6_chain *c)
{
	static struct mk_tcp t;
	struct migrate *M = L->st;
	if (p->dup)
		return;
	lat_seen_add(&M->seen, &h->src, 0, p, NULL, 0);
	if (c->ulp != MK_NH_TCP || mk_tcp_parse(ip + c->ulp_off, c->ulp_len, L->cp, &t).err != MK_E_OK)
		return;
	bool syn = (t.flags & MK_TCP_SYN) && !(t.flags & MK_TCP_ACK);
	if (syn) {
		for (size_t i = 0; i < t.opts.n; i++) {
			if (t.opts.o[i].type != MK_TCPOPT_MIGRATE)
				continue;
			for (size_t j = 0; j < M->nmg; j++) {
				struct mig *g = &M->mg[j];
				if (!g->done && g->sp == t.sport && g->dp == t.dport &&
				    memcmp(&g->n, &h->src, 16) == 0 && memcmp(&g->d, &h->dst, 16) == 0)
					return; /* a retransmitted Migrate SYN */
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
			g->syn = mkref(p);
			g->data_from_n = -1;
			struct addr_slot *e = lat_seen_find(&M->seen, &h->src, 0, false);
			g->start = e && e->first.set ? e->first : g->syn;
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

static void mig_flush(struct lat *L, const char *why)
{
	struct migrate *M = L->st;
	for (size_t i = 0; i < M->nmg; i++)
		mig_finish(L, &M->mg[i], why);
}

static bool mig_start(struct lat *L)
{
	return lat_seen_start(&((struct migrate *)L->st)->seen);
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
