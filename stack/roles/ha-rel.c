/* stack/roles/ha-rel.c: HA Reliability, hard switch
 * (draft-ietf-mip6-hareliability-06; shared/docs/protocol-facts.md 7).
 *
 * Two home agents of one home link form a redundant pair: `ha-reliability
 * active` on one, `ha-reliability standby` on the other, each naming the
 * other with `ha-peer`.
 *
 *   HA-HELLO   both send a HARP message of type 4 (HA-HELLO) to the peer
 *              every ha-hello-interval ms: A flag from the active one,
 *              Group ID 1, a 16-bit sequence number (the receiver drops
 *              what is not newer), HA Preference (`preference`), HA
 *              Lifetime (the dead interval, seconds, rounded up) and Hello
 *              Interval (ms: the draft names no unit).  A Hello with the R
 *              flag is answered at once; the standby sets R on its first.
 *   State Sync the active sends a State Sync REP with the A flag (ack
 *              requested) and one Binding Cache Information option (mh.h:
 *              the BU's flags and sequence number, home and care-of
 *              address, the remaining lifetime; 0 when the binding goes)
 *              for every binding made, refreshed or deleted; the standby
 *              stores it and answers SS-ACK with the same Identifier.  When
 *              the standby first hears the active (start, or after a
 *              silence) it sends SS-REQ with no option: the active answers
 *              with REPs listing every binding (24 to a message).
 *   standby    keeps the bindings in its cache with no kernel state (no
 *              proxy entry, no route, no NA: the active answers for the
 *              home addresses), never tunnels, leaves Binding Updates
 *              unanswered (counted bu_standby) and DHAAD requests too.
 *   switch     when no HA-HELLO with the A flag came for ha-dead-interval
 *              ms (and the active was heard at least once), the standby
 *              becomes active: kernel state for every binding it holds
 *              (ha_kernel_binding: proxy entry, route, overriding NA) and an
 *              RFC 5142 Home Agent Switch listing only itself to each mobile
 *              node's care-of address (type 2 routing header with the home
 *              address, as a BA), carrying the RFC 4285 replay and MN-HA
 *              authentication options made with the mobile node's key: the
 *              pair shares the security association, which is how the
 *              mobile node knows the switch is genuine.  The mobile node
 *              answers with a BU (mobile-node.c).  Home Agent Switch is
 *              sent again every second, three times at most, to a mobile
 *              node that has not sent a BU yet (draft-ietf-mip6-ha-switch:
 *              at most one a second).
 *
 * Only messages from ha-peer are believed (harp_refused, ss_refused): the
 * draft protects them with IPsec between the home agents, which this
 * kernel does not have, so the address is all there is.
 *
 * Not implemented (said in README too): virtual-HA (VHARP) mode, the
 * switch-over and switch-back exchanges (SWO/SWB/SW-COMP: a hard switch
 * needs none), ALL_HA_MULTICAST_ADDR (Hellos are unicast), the monitored
 * server and routing triggers, HA Rekey, the SS Status and AAA Info
 * options, more than one standby, and what happens when the old active
 * comes back (both say A: logged and counted, nothing resolved). */
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "stack/roles/ha.h"
#include "wire/mh.h"
#include "wire/rr.h"

#define HAREL_GROUP       1
#define HAREL_RETRY_MS    1000 /* Home Agent Switch again (MAX-HA-SWITCH-TRANSMIT-RATE 1/s) */
#define HAREL_SWITCH_MAX  3    /* transmissions of Home Agent Switch at most */
#define HAREL_BCI_PER_MSG 24   /* full BCI options in one State Sync REP (48 octets each) */
#define MARK_SWITCH       0x1  /* bce.mark: a Home Agent Switch is out, no BU yet */

bool ha_rel_standby(struct mobd *d)
{
	return HA(d)->rel.role == HAREL_STANDBY;
}

const char *ha_rel_state(struct mobd *d)
{
	struct harel *r = &HA(d)->rel;
	if (r->role == HAREL_OFF)
		return "off";
	if (r->role == HAREL_STANDBY)
		return "standby";
	return r->active_at ? "active (switched over)" : "active";
}

/* build m and send it to the peer; 0 or -1 */
static int send_peer(struct mobd *d, const struct mk_mh *m)
{
	struct ha *h = HA(d);
	uint8_t buf[MK_MH_MAX_LEN];
	size_t n;
	if (mk_mh_build(buf, sizeof buf, &d->c.cp, m, &n).err != MK_E_OK)
		return -1;
	if (msg_send(d, &h->addr, &d->c.harel_peer, NULL, NULL, MK_MH_NEXTHDR, buf, n) != 0) {
		h->cnt.send_fail++;
		return -1;
	}
	return 0;
}

static void send_hello(struct mobd *d, bool ask)
{
	struct ha *h = HA(d);
	struct mk_mh m;
	mk_mh_init_harp(&m, &d->c.cp, MK_MHM_HARP);
	m.u.harp.type = MK_HARP_HELLO;
	m.u.harp.group = HAREL_GROUP;
	m.u.harp.seq = ++h->rel.seq_tx;
	m.u.harp.flags = (h->rel.role == HAREL_ACTIVE ? MK_HARP_A : 0) | (ask ? MK_HARP_R : 0);
	m.u.harp.pref = (uint16_t)d->c.preference;
	m.u.harp.lifetime = (uint16_t)((d->c.dead_ms + 999) / 1000);
	m.u.harp.hello = (uint16_t)d->c.hello_ms;
	if (send_peer(d, &m) == 0)
		h->cnt.harp_hello_tx++;
}

static void hello_cb(void *arg)
{
	struct mobd *d = arg;
	send_hello(d, false);
	ev_timer_arm(&HA(d)->rel.hello, d->c.hello_ms);
}

/* a State Sync message of type t: its Identifier (never 0) */
static uint16_t ss_init(struct mobd *d, struct mk_mh *m, uint8_t t, uint8_t flags, uint16_t id)
{
	struct ha *h = HA(d);
	mk_mh_init_harp(m, &d->c.cp, MK_MHM_SS);
	m->u.ss.type = t;
	m->u.ss.flags = flags;
	if (!id && !(id = ++h->rel.ss_id))
		id = ++h->rel.ss_id;
	m->u.ss.id = id;
	return id;
}

/* a full Binding Cache Information option for e (lifetime 0: it goes) */
static void bci_put(struct mk_mh *m, const struct mobd_bce *e, bool gone)
{
	struct mk_mh_opt *o = &m->opts[m->nopts++];
	uint64_t now = now_ns();
	memset(o, 0, sizeof *o);
	o->kind = MK_MHO_BCI;
	o->v.bci.full = true;
	o->v.bci.flags = e->flags;
	o->v.bci.seq = e->seq;
	o->v.bci.hoa = e->hoa;
	o->v.bci.coa = e->coa;
	if (!gone && e->expires > now)
		o->v.bci.lifetime = mk_mh_lifetime_units((uint32_t)((e->expires - now + 999999999ull) / 1000000000ull));
}

static void send_ss(struct mobd *d, const struct mk_mh *m)
{
	if (send_peer(d, m) == 0)
		HA(d)->cnt.ss_tx++;
}

void ha_rel_changed(struct mobd *d, struct mobd_bce *e, bool gone)
{
	struct ha *h = HA(d);
	struct mk_mh m;
	if (h->rel.role != HAREL_ACTIVE)
		return;
	e->mark &= (uint8_t)~MARK_SWITCH; /* the mobile node answered (or its binding goes) */
	ss_init(d, &m, MK_SS_REP, MK_SS_A, 0);
	bci_put(&m, e, gone);
	send_ss(d, &m);
}

/* every binding (asked: none named), or those the request names */
static void answer_req(struct mobd *d, const struct mk_mh *req)
{
	struct ha *h = HA(d);
	struct mk_mh m;
	bool all = !mk_mh_find_opt(req, MK_MHO_BCI);
	ss_init(d, &m, MK_SS_REP, 0, req->u.ss.id);
	for (uint32_t k = 0; k < h->bc.hwm; k++) {
		const struct mobd_bce *e = &h->bc.pool[k];
		bool named = all;
		for (size_t i = 0; e->used && !named && i < req->nopts; i++)
			named = req->opts[i].kind == MK_MHO_BCI && !memcmp(&req->opts[i].v.bci.hoa, &e->hoa, 16);
		if (!e->used || !named)
			continue;
		bci_put(&m, e, false);
		if (m.nopts == HAREL_BCI_PER_MSG) {
			send_ss(d, &m);
			m.nopts = 0;
		}
	}
	if (m.nopts || all)
		send_ss(d, &m); /* the last (an empty one: no binding here) */
}

/* the standby stores what the active sent */
static void apply_rep(struct mobd *d, const struct mk_mh *rep)
{
	struct ha *h = HA(d);
	char a[INET6_ADDRSTRLEN];
	for (size_t i = 0; i < rep->nopts; i++) {
		const struct mk_mh_opt *o = &rep->opts[i];
		if (o->kind != MK_MHO_BCI)
			continue;
		if (!o->v.bci.full || !in_prefix(&o->v.bci.hoa, &d->c.home_prefix, d->c.home_plen)) {
			h->cnt.ss_refused++;
			continue;
		}
		struct mobd_bce *e = bc_find(&h->bc, &o->v.bci.hoa);
		uint32_t life = mk_mh_lifetime_sec(o->v.bci.lifetime);
		if (!life) {
			if (e) {
				log_info("synced: %s deleted", mk_ip6_ntop(&e->hoa, a));
				ha_binding_del(d, e);
			}
			h->cnt.ss_synced++;
			continue;
		}
		bool fresh = !e;
		if (!e && !(e = bc_new(&h->bc, &o->v.bci.hoa))) {
			h->cnt.ss_refused++;
			continue;
		}
		if (bc_accept(e, fresh, &o->v.bci.coa, o->v.bci.seq, o->v.bci.flags, &life, d->c.max_lifetime))
			log_info("synced: %s -> %s seq %u lifetime %u s", mk_ip6_ntop(&e->hoa, a),
				 inet_ntop(AF_INET6, &e->coa, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN),
				 e->seq, life);
		h->cnt.ss_synced++;
	}
}

/* RFC 5142 Home Agent Switch listing this home agent only, authenticated
 * with the mobile node's key (RFC 4285) when this home agent has one */
static void send_switch(struct mobd *d, const struct mobd_bce *e)
{
	struct ha *h = HA(d);
	const struct mobd_key *key = conf_key_for(&d->c, &e->hoa);
	uint8_t buf[256];
	struct mk_mh m;
	size_t n;
	mk_mh_init(&m, MK_MH_HAS);
	m.u.has.n = 1;
	m.u.has.addrs = h->addr.s6_addr;
	if (key)
		m.nopts = msg_auth_opts(&m, 0, key->spi, now_real_ntp());
	if (mk_mh_build(buf, sizeof buf, &d->c.cp, &m, &n).err != MK_E_OK ||
	    (key && mk_rr_mnha_fill(buf, n, &d->c.cp, key->key, key->keylen, &e->coa, &e->hoa).err != MK_E_OK))
		return;
	if (msg_send(d, &h->addr, &e->coa, NULL, &e->hoa, MK_MH_NEXTHDR, buf, n) != 0) {
		h->cnt.send_fail++;
		return;
	}
	h->cnt.has_tx++;
}

static void retry_cb(void *arg)
{
	struct mobd *d = arg;
	struct ha *h = HA(d);
	unsigned left = 0;
	for (uint32_t k = 0; k < h->bc.hwm; k++) {
		struct mobd_bce *e = &h->bc.pool[k];
		if (!e->used || !(e->mark & MARK_SWITCH))
			continue;
		send_switch(d, e);
		h->cnt.has_retx++;
		left++;
	}
	if (left && --h->rel.switch_tries > 1)
		ev_timer_arm(&h->rel.retry, HAREL_RETRY_MS);
}

/* the active is silent: take over */
static void dead_cb(void *arg)
{
	struct mobd *d = arg;
	struct ha *h = HA(d);
	char a[INET6_ADDRSTRLEN];
	unsigned n = 0;
	if (h->rel.role != HAREL_STANDBY || !h->rel.peer_heard)
		return;
	h->rel.role = HAREL_ACTIVE;
	h->rel.active_at = now_ns();
	h->rel.peer_heard = false;
	h->cnt.switchover++;
	for (uint32_t k = 0; k < h->bc.hwm; k++) {
		struct mobd_bce *e = &h->bc.pool[k];
		if (!e->used)
			continue;
		ha_kernel_binding(d, e, true);
		e->mark |= MARK_SWITCH;
		send_switch(d, e);
		n++;
	}
	log_info("active home agent %s silent for %.0f ms: active now, %u bindings taken over, Home Agent Switch sent",
		 mk_ip6_ntop(&d->c.harel_peer, a), (double)(h->rel.active_at - h->rel.last_heard) / 1e6, n);
	h->rel.switch_tries = HAREL_SWITCH_MAX;
	if (n)
		ev_timer_arm(&h->rel.retry, HAREL_RETRY_MS);
	send_hello(d, false); /* with the A flag from now on */
}

static void on_hello(struct mobd *d, const struct mk_mh *m)
{
	struct ha *h = HA(d);
	struct harel *r = &h->rel;
	char a[INET6_ADDRSTRLEN];
	if (m->u.harp.group != HAREL_GROUP) {
		h->cnt.harp_refused++;
		return;
	}
	if (r->seq_valid && !mk_mh_seq_newer(m->u.harp.seq, r->seq_rx)) {
		h->cnt.harp_stale++;
		return;
	}
	r->seq_valid = true;
	r->seq_rx = m->u.harp.seq;
	r->last_heard = now_ns();
	h->cnt.harp_hello_rx++;
	bool active = m->u.harp.flags & MK_HARP_A;
	if (!r->peer_heard) {
		r->peer_heard = true;
		log_info("peer home agent %s heard (%s)", mk_ip6_ntop(&d->c.harel_peer, a),
			 active ? "active" : "standby");
		if (r->role == HAREL_STANDBY && active) {
			struct mk_mh q;
			ss_init(d, &q, MK_SS_REQ, 0, 0);
			send_ss(d, &q); /* every binding, please */
		}
	}
	if (r->role == HAREL_STANDBY && active)
		ev_timer_arm(&r->dead, d->c.dead_ms);
	else if (r->role == HAREL_ACTIVE && active)
		log_debug("peer %s says it is active too: not resolved (no switch-back)",
			  mk_ip6_ntop(&d->c.harel_peer, a));
	if (m->u.harp.flags & MK_HARP_R)
		send_hello(d, false);
}

void ha_rel_mh(struct mobd *d, const struct mobd_pkt *p)
{
	struct ha *h = HA(d);
	const struct mk_mh *m = &p->m;
	char a[INET6_ADDRSTRLEN];
	bool harp = m->msg == MK_MHM_HARP;
	if (h->rel.role == HAREL_OFF || memcmp(&p->ih.src, &d->c.harel_peer, 16) != 0) {
		if (harp)
			h->cnt.harp_refused++;
		else
			h->cnt.ss_refused++;
		log_debug("%s from %s: not the configured peer, ignored", harp ? "HARP" : "State Sync",
			  mk_ip6_ntop(&p->ih.src, a));
		return;
	}
	if (harp) {
		if (m->u.harp.type == MK_HARP_HELLO)
			on_hello(d, m);
		else
			h->cnt.ignored++; /* SWO/SWB: not in a hard switch */
		return;
	}
	if (!m->u.ss.id) {
		h->cnt.ss_refused++; /* the draft: never 0 */
		return;
	}
	h->cnt.ss_rx++;
	switch (m->u.ss.type) {
	case MK_SS_REQ:
		if (h->rel.role == HAREL_ACTIVE)
			answer_req(d, m);
		break;
	case MK_SS_REP:
		if (h->rel.role != HAREL_STANDBY)
			break;
		apply_rep(d, m);
		if (m->u.ss.flags & MK_SS_A) {
			struct mk_mh ack;
			ss_init(d, &ack, MK_SS_ACK, 0, m->u.ss.id);
			if (send_peer(d, &ack) == 0)
				h->cnt.ss_ack_tx++;
		}
		break;
	case MK_SS_ACK:
		h->cnt.ss_ack_rx++;
		break;
	default:
		h->cnt.ignored++;
		break;
	}
}

int ha_rel_start(struct mobd *d, char *err, size_t errlen)
{
	struct ha *h = HA(d);
	char a[INET6_ADDRSTRLEN];
	h->rel.role = d->c.harel;
	if (h->rel.role == HAREL_OFF)
		return 0;
	if (!memcmp(&d->c.harel_peer, &h->addr, 16)) {
		snprintf(err, errlen, "ha-peer %s is this home agent's own address", mk_ip6_ntop(&h->addr, a));
		return -1;
	}
	h->rel.hello.cb = hello_cb;
	h->rel.hello.arg = d;
	h->rel.dead.cb = dead_cb;
	h->rel.dead.arg = d;
	h->rel.retry.cb = retry_cb;
	h->rel.retry.arg = d;
	send_hello(d, true);
	ev_timer_arm(&h->rel.hello, d->c.hello_ms);
	log_info("HA reliability: %s, peer %s, hello every %u ms, dead after %u ms",
		 ha_rel_state(d), mk_ip6_ntop(&d->c.harel_peer, a), d->c.hello_ms, d->c.dead_ms);
	return 0;
}

void ha_rel_stop(struct mobd *d)
{
	struct ha *h = HA(d);
	ev_timer_stop(&h->rel.hello);
	ev_timer_stop(&h->rel.dead);
	ev_timer_stop(&h->rel.retry);
	h->rel.role = HAREL_OFF; /* bindings deleted from now on are not synced */
}

/* ---- configuration ---- */

void ha_rel_conf_mode(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		      struct mobd_conf *c)
{
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	if (!strcmp(w[1], "active"))
		c->harel = HAREL_ACTIVE;
	else if (!strcmp(w[1], "standby"))
		c->harel = HAREL_STANDBY;
	else
		conf_err(x, "ha-reliability '%s': expected active or standby", w[1]);
}

void ha_rel_conf_check(struct mobd_conf_ctx *x, struct mobd_conf *c)
{
	if (!c->harel) {
		if (c->has_harel_peer || c->hello_ms || c->dead_ms)
			conf_bad(x, "%s: ha-peer, ha-hello-interval and ha-dead-interval need ha-reliability",
				 conf_path(x));
		return;
	}
	if (!c->has_harel_peer)
		conf_bad(x, "%s: ha-reliability needs ha-peer (the other home agent)", conf_path(x));
	if (!c->hello_ms)
		c->hello_ms = 1000;
	if (!c->dead_ms)
		c->dead_ms = 3 * c->hello_ms;
	if (c->dead_ms <= c->hello_ms)
		conf_bad(x, "%s: ha-dead-interval %u must be longer than ha-hello-interval %u", conf_path(x),
			 c->dead_ms, c->hello_ms);
}

void ha_rel_conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN];
	if (!c->harel)
		return;
	fprintf(f, "ha-reliability %s\nha-peer %s\nha-hello-interval %u\nha-dead-interval %u\n",
		c->harel == HAREL_ACTIVE ? "active" : "standby",
		inet_ntop(AF_INET6, &c->harel_peer, a, sizeof a), c->hello_ms, c->dead_ms);
}
