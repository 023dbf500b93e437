/* stack/roles/ha-multi.c: a home agent among several (the
 * multiple-home-agent paper, seeds/003).
 *
 * A mobile node registers with every home agent of its home link, each BU
 * carrying the MHA flag and the Multiple Home Agents option that lists them
 * all (doc/codepoints.md: bu-mha-flag, mh-opt-mha), the one it uses first.
 * The home agent listed first that is alive is the binding's active one:
 * it alone holds the kernel state (proxy neighbour entry, /128 route into
 * the TUN, the unsolicited NA) and tunnels; the others keep the binding as
 * backups, with no kernel state, so the home link has one answer to a
 * Neighbor Solicitation for the home address.
 *
 * Watching the peers (the paper's "ICMP Home Agent Unreachability
 * Detection", an improved NUD): while it holds bindings, every
 * ha-probe-interval ms the home agent sends each peer a bindings list an
 * ICMPv6 Echo Request; ha-probe-misses unanswered in a row make the peer
 * dead.  Then every mobile node whose binding lists it gets a Home Agent
 * Unreachable (icmp6-ha-unreachable) naming it, to its care-of address,
 * and the bindings for which this home agent is now the first alive are
 * taken over at once: kernel state added, the unsolicited NA with the
 * Override flag moving the home link's neighbour entries here.  A peer that
 * answers again is alive again (counted); the bindings stay here (it is
 * out of their lists) until the mobile node registers otherwise.
 *
 * Per binding: 4 octets (the list, a nibble per home agent: at most 8 of
 * the HA_PEERS_MAX peers a home agent knows), allocated with the cache and
 * touched only as bindings are made. */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "stack/roles/ha.h"
#include "wire/icmp6.h"

#define NIBBLES 8

static int peer_index(struct ha *h, const struct in6_addr *a, bool create)
{
	for (unsigned i = 0; i < h->n_peer; i++)
		if (!memcmp(&h->peer[i].addr, a, 16))
			return (int)i;
	if (!create || h->n_peer == HA_PEERS_MAX)
		return -1;
	struct hapeer *p = &h->peer[h->n_peer];
	memset(p, 0, sizeof *p);
	p->addr = *a;
	p->self = !memcmp(a, &h->addr, 16);
	p->last_seen = now_ns();
	return (int)h->n_peer++;
}

static size_t pool_idx(const struct ha *h, const struct mobd_bce *e)
{
	return (size_t)(e - h->bc.pool);
}

/* the first home agent of the list that is alive: its peer index, -1 none */
static int first_alive(const struct ha *h, uint32_t list)
{
	for (int k = 0; k < NIBBLES; k++) {
		unsigned n = (list >> (4 * k)) & 0xf;
		if (!n)
			break;
		if (!h->peer[n - 1].dead)
			return (int)n - 1;
	}
	return -1;
}

bool ha_multi_active(struct mobd *d, const struct mobd_bce *e)
{
	struct ha *h = HA(d);
	uint32_t list = h->mha ? h->mha[pool_idx(h, e)] : 0;
	if (!list)
		return true;
	int f = first_alive(h, list);
	return f < 0 || h->peer[f].self;
}

bool ha_multi_bu(struct mobd *d, struct mobd_bce *e, const struct mk_mh *m)
{
	struct ha *h = HA(d);
	size_t idx = pool_idx(h, e);
	const struct mk_mh_opt *o = mk_mh_find_opt(m, MK_MHO_MHA);
	uint32_t list = 0;
	int k = 0;
	if (!h->mha)
		return false;
	if (!(m->u.bu.flags & mk_cp(&d->c.cp, MK_CP_BU_MHA_FLAG)) || !o) {
		h->mha[idx] = 0;
		return false;
	}
	for (size_t i = 0; i < o->v.mha.n && k < NIBBLES; i++) {
		struct in6_addr a;
		memcpy(&a, o->v.mha.addrs + 16 * i, 16);
		int p = peer_index(h, &a, true);
		if (p < 0) {
			h->cnt.mha_full++;
			continue;
		}
		list |= (uint32_t)(p + 1) << (4 * k++);
	}
	h->mha[idx] = list;
	h->cnt.mha_bu++;
	bool backup = !ha_multi_active(d, e);
	if (backup)
		h->cnt.mha_backup++;
	if (!h->probe.due && h->n_peer > 1)
		ev_timer_arm(&h->probe, d->c.probe_ms);
	return backup;
}

void ha_multi_forget(struct mobd *d, const struct mobd_bce *e)
{
	struct ha *h = HA(d);
	if (h->mha)
		h->mha[pool_idx(h, e)] = 0;
}

static bool lists(uint32_t list, int peer)
{
	for (int k = 0; k < NIBBLES; k++) {
		unsigned n = (list >> (4 * k)) & 0xf;
		if (!n)
			return false;
		if ((int)n - 1 == peer)
			return true;
	}
	return false;
}

/* the list without peer p: a home agent declared dead stays out of the
 * bindings that listed it, so that its return does not hand them back to
 * it (it sends no NA then; the home link would still deliver here) until
 * the mobile node registers again with a list of its own */
static uint32_t without(uint32_t list, int p)
{
	uint32_t out = 0;
	int j = 0;
	for (int k = 0; k < NIBBLES; k++) {
		unsigned n = (list >> (4 * k)) & 0xf;
		if (!n)
			break;
		if ((int)n - 1 != p)
			out |= (uint32_t)n << (4 * j++);
	}
	return out;
}

/* a Home Agent Unreachable naming peer p to the care-of address */
static void send_hau(struct mobd *d, const struct mobd_bce *e, const struct in6_addr *dead)
{
	struct ha *h = HA(d);
	static struct mk_icmp6 m;
	uint8_t buf[64];
	size_t n;
	memset(&m, 0, sizeof m);
	m.kind = MK_ICMP6_K_HA_UNREACH;
	if (getrandom(&m.u.ident.id, sizeof m.u.ident.id, 0) != sizeof m.u.ident.id)
		m.u.ident.id = (uint16_t)now_ns();
	m.addrs[0] = *dead;
	m.n_addrs = 1;
	if (mk_icmp6_build(buf, sizeof buf, &d->c.cp, &m, &n).err != MK_E_OK)
		return;
	if (msg_send(d, &h->addr, &e->coa, NULL, NULL, 58, buf, n) != 0) {
		h->cnt.send_fail++;
		return;
	}
	h->cnt.hau_tx++;
}

static void peer_failed(struct mobd *d, int p)
{
	struct ha *h = HA(d);
	char a[INET6_ADDRSTRLEN];
	unsigned told = 0, taken = 0;
	/* which bindings this home agent was a backup for, before */
	for (uint32_t k = 0; k < h->bc.hwm; k++) {
		struct mobd_bce *e = &h->bc.pool[k];
		if (!e->used || !lists(h->mha[k], p))
			continue;
		int before = first_alive(h, h->mha[k]);
		h->peer[p].dead = true;
		int after = first_alive(h, h->mha[k]);
		h->peer[p].dead = false;
		send_hau(d, e, &h->peer[p].addr);
		told++;
		if (before == p && after >= 0 && h->peer[after].self) {
			ha_kernel_binding(d, e, true);
			h->cnt.takeover++;
			taken++;
		}
		h->mha[k] = without(h->mha[k], p);
	}
	h->peer[p].dead = true;
	h->cnt.peer_dead++;
	log_info("home agent %s unreachable (%u probes unanswered): %u mobile nodes told, %u bindings taken over",
		 mk_ip6_ntop(&h->peer[p].addr, a), h->peer[p].misses, told, taken);
}

static void probe_cb(void *arg)
{
	struct mobd *d = arg;
	struct ha *h = HA(d);
	static struct mk_icmp6 m;
	uint8_t buf[64];
	size_t n;
	if (!h->bc.n)
		return; /* nothing to watch for: armed again by the next MHA binding */
	memset(&m, 0, sizeof m);
	m.kind = MK_ICMP6_K_ECHO_REQUEST;
	m.u.echo.id = h->probe_id;
	m.u.echo.seq = ++h->probe_seq;
	for (unsigned i = 0; i < h->n_peer; i++) {
		struct hapeer *p = &h->peer[i];
		if (p->self)
			continue;
		if (p->asked && !p->dead && ++p->misses >= d->c.probe_misses)
			peer_failed(d, (int)i);
		if (mk_icmp6_build(buf, sizeof buf, &d->c.cp, &m, &n).err != MK_E_OK)
			continue;
		if (msg_send(d, &h->addr, &p->addr, NULL, NULL, 58, buf, n) != 0)
			h->cnt.send_fail++;
		p->asked = true;
		h->cnt.probe_tx++;
	}
	ev_timer_arm(&h->probe, d->c.probe_ms);
}

bool ha_multi_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src)
{
	struct ha *h = HA(d);
	static struct mk_icmp6 m;
	char a[INET6_ADDRSTRLEN];
	if (len < 1 || buf[0] != 129 || mk_icmp6_parse(buf, len, &d->c.cp, &m).err != MK_E_OK ||
	    m.kind != MK_ICMP6_K_ECHO_REPLY || m.u.echo.id != h->probe_id)
		return false;
	int i = peer_index(h, src, false);
	if (i < 0)
		return true;
	struct hapeer *p = &h->peer[i];
	p->asked = false;
	p->misses = 0;
	p->last_seen = now_ns();
	h->cnt.probe_rx++;
	if (p->dead) {
		p->dead = false;
		h->cnt.peer_back++;
		log_info("home agent %s answers again", mk_ip6_ntop(&p->addr, a));
	}
	return true;
}

void ha_multi_show(struct mobd *d, const struct mobd_bce *e, FILE *f)
{
	struct ha *h = HA(d);
	char a[INET6_ADDRSTRLEN];
	uint32_t list = h->mha ? h->mha[pool_idx(h, e)] : 0;
	for (int k = 0; k < NIBBLES; k++) {
		unsigned n = (list >> (4 * k)) & 0xf;
		if (!n)
			break;
		fprintf(f, "%s\"%s\"", k ? "," : "", mk_ip6_ntop(&h->peer[n - 1].addr, a));
	}
}

int ha_multi_start(struct mobd *d, char *err, size_t errlen)
{
	struct ha *h = HA(d);
	h->mha = calloc(d->c.max_bindings ? d->c.max_bindings : 1, sizeof *h->mha);
	if (!h->mha) {
		snprintf(err, errlen, "cannot allocate the home agent lists of %u bindings", d->c.max_bindings);
		return -1;
	}
	if (getrandom(&h->probe_id, sizeof h->probe_id, 0) != sizeof h->probe_id)
		h->probe_id = (uint16_t)now_ns();
	h->probe.cb = probe_cb;
	h->probe.arg = d;
	return 0;
}

void ha_multi_stop(struct mobd *d)
{
	struct ha *h = HA(d);
	ev_timer_stop(&h->probe);
	free(h->mha);
	h->mha = NULL;
}
