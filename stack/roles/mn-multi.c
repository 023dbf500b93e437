/* stack/roles/mn-multi.c: a mobile node registered with several home
 * agents at once (the multiple-home-agent paper, seeds/003), with
 * `home-agents N` (N >= 2).
 *
 * Away from home the mobile node registers with the home agent it uses
 * (mobile-node.c: the home registration, the tunnel) and with N - 1 more
 * from its last DHAAD reply, each with a binding update list entry of its
 * own (RFC 6275 11.8 retransmission, refresh).  Every BU carries the MHA
 * flag and the Multiple Home Agents option listing them all, the one in use
 * first, so each home agent knows its peers (ha-multi.c watches them).
 * Back home it deregisters from all (the paper's "Move 3").
 *
 * Home Agent Unreachable (icmp6-ha-unreachable) is believed only from a
 * home agent this node is registered with, naming another of them: the
 * named one is dropped (and left out of later DHAAD answers); if it was
 * the one in use, the sender takes its place at once (its binding is
 * already there, so the tunnel goes on through it), and a replacement is
 * registered from the DHAAD list, or a new DHAAD.  Anything else changes
 * nothing and is counted (hau_ignored). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "stack/roles/mn.h"
#include "wire/mh.h"

/* a DHAAD for home agents still missing: at most one in this many seconds
 * (the home link has no more of them than its last answer said) */
#define MN_DHAAD2_S 30

static struct mn_sec *sec_find(struct mn *m, const struct in6_addr *ha)
{
	for (int i = 0; i < MN_SEC_MAX; i++)
		if (m->sec[i].used && !memcmp(&m->sec[i].ha, ha, 16))
			return &m->sec[i];
	return NULL;
}

size_t mn_multi_list(struct mobd *d, struct in6_addr *out, size_t max)
{
	struct mn *m = MN(d);
	size_t n = 0;
	if (d->c.mn_has < 2 || !m->have_ha || !max)
		return 0;
	out[n++] = m->ha;
	for (int i = 0; i < MN_SEC_MAX && n < max; i++)
		if (m->sec[i].used && m->sec[i].st != SEC_DEREG)
			out[n++] = m->sec[i].ha;
	return n;
}

bool mn_multi_ours(struct mobd *d, const struct in6_addr *a)
{
	struct mn *m = MN(d);
	return (m->have_ha && !memcmp(a, &m->ha, 16)) || sec_find(m, a) != NULL;
}

static void sec_free(struct mn_sec *s)
{
	ev_timer_stop(&s->t);
	s->bu->used = false;
	s->used = false;
}

static void sec_send(struct mn_sec *s, uint32_t life)
{
	struct mobd *d = s->d;
	struct mn *m = MN(d);
	struct in6_addr list[MN_SEC_MAX + 1];
	size_t n = mn_multi_list(d, list, MN_SEC_MAX + 1);
	const struct in6_addr *src = life ? &m->coa : &m->hoa;
	s->bu->peer = s->ha;
	s->bu->sent_at = now_ns();
	int r = msg_bu(d, src, &s->ha, &m->hoa, ++s->bu->seq, MK_BU_A | MK_BU_H, life, d->c.spi,
		       d->c.key, d->c.keylen, list, n);
	m->cnt.mha_bu_tx++;
	if (r != 0)
		m->cnt.send_fail++;
}

static void sec_timer(void *arg)
{
	struct mn_sec *s = arg;
	struct mobd *d = s->d;
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN];
	switch (s->st) {
	case SEC_REG:
	case SEC_DEREG:
		if (bul_exhausted(s->bu)) {
			log_info("home agent %s: no answer, %s", mk_ip6_ntop(&s->ha, a),
				 s->st == SEC_REG ? "left out" : "deregistration given up");
			if (s->st == SEC_REG)
				m->cnt.ha_dropped++;
			sec_free(s);
			return;
		}
		bul_backoff(s->bu);
		sec_send(s, s->st == SEC_DEREG ? 0 : d->c.lifetime);
		ev_timer_arm(&s->t, s->bu->timeout_ms);
		break;
	case SEC_BOUND: /* refresh */
		s->st = SEC_REG;
		bul_start(s->bu, false, 0);
		sec_send(s, d->c.lifetime);
		ev_timer_arm(&s->t, s->bu->timeout_ms);
		break;
	}
}

static struct mn_sec *sec_new(struct mobd *d, const struct in6_addr *ha)
{
	struct mn *m = MN(d);
	for (int i = 0; i < MN_SEC_MAX; i++) {
		struct mn_sec *s = &m->sec[i];
		if (s->used)
			continue;
		struct mobd_bule *e = bul_get(&m->bul, ha, false, true);
		if (!e)
			return NULL;
		memset(s, 0, sizeof *s);
		s->used = true;
		s->ha = *ha;
		s->bu = e;
		s->d = d;
		s->t.cb = sec_timer;
		s->t.arg = s;
		return s;
	}
	return NULL;
}

static unsigned sec_count(const struct mn *m)
{
	unsigned n = 0;
	for (int i = 0; i < MN_SEC_MAX; i++)
		n += m->sec[i].used && m->sec[i].st != SEC_DEREG;
	return n;
}

/* more home agents from the last DHAAD reply, or a new DHAAD */
static void choose(struct mobd *d)
{
	struct mn *m = MN(d);
	unsigned want = d->c.mn_has - 1;
	for (unsigned i = 0; i < m->n_has && sec_count(m) < want; i++) {
		const struct in6_addr *a = &m->has[i];
		if (!memcmp(a, &m->ha, 16) || sec_find(m, a) || !mn_may_be_ha(d, m, a))
			continue;
		sec_new(d, a);
	}
	uint64_t now = now_ns();
	if (sec_count(m) < want && !m->dhaad2_out &&
	    (!m->dhaad2_at || now - m->dhaad2_at >= (uint64_t)MN_DHAAD2_S * 1000000000ull)) {
		m->dhaad2_at = now;
		uint16_t id;
		if (getrandom(&id, sizeof id, 0) != sizeof id)
			id = (uint16_t)now_ns();
		m->dhaad2_id = id;
		m->dhaad2_out = true;
		if (msg_dhaad_request(d, &m->coa, &d->c.home_prefix, id) == 0)
			m->cnt.dhaad_tx++;
	}
}

void mn_multi_register(struct mobd *d)
{
	struct mn *m = MN(d);
	if (d->c.mn_has < 2 || !m->have_ha)
		return;
	for (int i = 0; i < MN_SEC_MAX; i++) {
		struct mn_sec *s = &m->sec[i];
		if (!s->used || s->st == SEC_DEREG)
			continue;
		s->st = SEC_REG;
		bul_start(s->bu, !s->bu->granted, d->c.firstreg_ms);
		sec_send(s, d->c.lifetime);
		ev_timer_arm(&s->t, s->bu->timeout_ms);
	}
}

void mn_multi_choose(struct mobd *d)
{
	struct mn *m = MN(d);
	if (d->c.mn_has < 2 || !m->have_ha)
		return;
	struct mn_sec *s = sec_find(m, &m->ha);
	if (s)
		sec_free(s); /* now the one in use */
	choose(d);
}

bool mn_multi_ba(struct mobd *d, const struct mobd_pkt *p)
{
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN];
	struct mn_sec *s = sec_find(m, &p->ih.src);
	if (!s)
		return false;
	const struct in6_addr *coa = s->st == SEC_DEREG ? &m->hoa : &m->coa;
	if (d->c.keylen &&
	    mk_rr_mnha_verify(p->mh, p->c.ulp_len, &d->c.cp, d->c.key, d->c.keylen, coa, &m->hoa).err !=
		    MK_E_OK &&
	    p->m.u.ba.status != MK_BA_SEQ_OUT_OF_WIN) {
		m->cnt.ba_bad++;
		return true;
	}
	m->cnt.mha_ba_rx++;
	uint8_t st = p->m.u.ba.status;
	if (st == MK_BA_SEQ_OUT_OF_WIN) {
		s->bu->seq = p->m.u.ba.seq;
		sec_send(s, s->st == SEC_DEREG ? 0 : d->c.lifetime);
		return true;
	}
	if (p->m.u.ba.seq != s->bu->seq)
		return true;
	s->bu->last_status = st;
	if (st >= MK_BA_REJECT_MIN || s->st == SEC_DEREG) {
		if (st >= MK_BA_REJECT_MIN) {
			log_info("home agent %s refused the registration: BA %u (%s)", mk_ip6_ntop(&s->ha, a), st,
				 mk_mh_ba_status_name(st));
			m->cnt.ha_dropped++;
		}
		sec_free(s);
		return true;
	}
	uint64_t refresh = bul_bound(s->bu, mk_mh_lifetime_sec(p->m.u.ba.lifetime), 0, now_ns());
	if (s->st != SEC_BOUND)
		log_info("also registered with home agent %s, %.1f ms after the BU", mk_ip6_ntop(&s->ha, a),
			 (double)(s->bu->bound_at - s->bu->sent_at) / 1e6);
	s->st = SEC_BOUND;
	ev_timer_arm(&s->t, refresh);
	return true;
}

void mn_multi_home(struct mobd *d)
{
	struct mn *m = MN(d);
	for (int i = 0; i < MN_SEC_MAX; i++) {
		struct mn_sec *s = &m->sec[i];
		if (!s->used)
			continue;
		if (!s->bu->granted && s->st != SEC_BOUND) {
			sec_free(s); /* never registered there */
			continue;
		}
		s->st = SEC_DEREG;
		bul_start(s->bu, false, 0);
		sec_send(s, 0);
		ev_timer_arm(&s->t, s->bu->timeout_ms);
	}
}

void mn_multi_hau(struct mobd *d, const struct mk_icmp6 *r, const struct in6_addr *src)
{
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	m->cnt.hau_rx++;
	/* only a registered home agent, about another registered one */
	struct mn_sec *from = sec_find(m, src);
	bool from_primary = m->have_ha && !memcmp(src, &m->ha, 16);
	if ((!from || from->st != SEC_BOUND) && !(from_primary && m->st == MN_BOUND)) {
		m->cnt.hau_ignored++;
		log_info("Home Agent Unreachable from %s: not a home agent this node is registered with, ignored",
			 mk_ip6_ntop(src, a));
		return;
	}
	bool changed = false;
	for (size_t i = 0; i < r->n_addrs; i++) {
		const struct in6_addr *dead = &r->addrs[i];
		struct mn_sec *s = sec_find(m, dead);
		bool primary = m->have_ha && !memcmp(dead, &m->ha, 16);
		if (!memcmp(dead, src, 16) || (!s && !primary)) {
			m->cnt.hau_ignored++;
			log_info("Home Agent Unreachable from %s naming %s: %s, ignored", mk_ip6_ntop(src, a),
				 mk_ip6_ntop(dead, b), !memcmp(dead, src, 16) ? "itself" : "not a home agent of ours");
			continue;
		}
		m->cnt.hau_ok++;
		m->cnt.ha_dropped++;
		mn_not_ha(m, dead);
		changed = true;
		if (s) {
			log_info("home agent %s unreachable (said %s): dropped", mk_ip6_ntop(dead, a),
				 mk_ip6_ntop(src, b));
			sec_free(s);
			continue;
		}
		/* the one in use: the sender takes its place, its binding already
		 * there; the old one's list entry goes */
		log_info("home agent %s unreachable (said %s): now using %s", mk_ip6_ntop(dead, a),
			 mk_ip6_ntop(src, b), mk_ip6_ntop(src, b));
		m->cnt.ha_promoted++;
		m->bu->used = false;
		m->bu = from->bu;
		m->bu->home = true;
		m->ha = from->ha;
		ev_timer_stop(&from->t);
		from->used = false;
		from = NULL;
	}
	if (changed)
		mn_register_now(d); /* the new list to all, a replacement chosen */
}

void mn_multi_stop(struct mobd *d)
{
	struct mn *m = MN(d);
	if (!m)
		return;
	for (int i = 0; i < MN_SEC_MAX; i++)
		if (m->sec[i].used) {
			if (m->sec[i].st == SEC_BOUND && memcmp(&m->coa, &m->hoa, 16))
				sec_send(&m->sec[i], 0); /* deregistered on the way out, no answer awaited */
			ev_timer_stop(&m->sec[i].t);
		}
}

void mn_multi_show(struct mobd *d, bool json, FILE *f)
{
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN];
	static const char *const nm[] = { "registering", "bound", "deregistering" };
	uint64_t now = now_ns();
	for (int i = 0; i < MN_SEC_MAX; i++) {
		const struct mn_sec *s = &m->sec[i];
		if (!s->used)
			continue;
		unsigned left = s->st == SEC_BOUND && s->bu->expires > now
					? (unsigned)((s->bu->expires - now) / 1000000000ull) : 0;
		if (json)
			fprintf(f, ",{\"kind\":\"home-agent\",\"ha\":\"%s\",\"state\":\"%s\",\"seq\":%u,"
				   "\"lifetime\":%u,\"remaining\":%u,\"last_status\":%u}",
				mk_ip6_ntop(&s->ha, a), nm[s->st], s->bu->seq, s->bu->granted, left,
				s->bu->last_status);
		else
			fprintf(f, "home agent %s (also registered): %s, seq %u, lifetime %u s, remaining %u s\n",
				mk_ip6_ntop(&s->ha, a), nm[s->st], s->bu->seq, s->bu->granted, left);
	}
}
