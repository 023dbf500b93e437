/* stack/mobd/ha.c: the home agent (RFC 6275 sections 9.5, 10).
 *
 * Binding cache: a fixed pool of max-bindings entries allocated at start
 * (pages are touched only as entries are used) and a power-of-two bucket
 * array of 32-bit indexes; chains are linked through the pool.  It never
 * grows: a new home address that finds the pool full is refused with BA
 * status 130.  Lifetimes are checked by one sweep a second over the pool.
 *
 * Per accepted binding (unless kernel-state no): a proxy neighbour entry for
 * the home address on the home link (the kernel's proxy_ndp answers the
 * Neighbor Solicitations), a /128 route into the TUN device (the kernel
 * forwards the correspondents' packets there; we encapsulate them to the
 * care-of address) and one unsolicited Neighbor Advertisement so the home
 * link's neighbour caches stop pointing at the mobile node's old link-layer
 * address (RFC 6275 10.4.1).
 *
 * Authentication: this kernel has no ESP (and no xfrm mobility support), so
 * MN-HA signaling is protected with the RFC 4285 Mobility Message
 * Authentication option (MN-HA, HMAC-SHA1 truncated to 96 bits over
 * CoA | HoA | MH) and the Mobility Message Replay Protection timestamp.
 * Statuses (RFC 4285 4, 5): 146 MIPV6-AUTH-FAIL for a missing or wrong
 * authenticator, 145 MIPV6-MESG-ID-REQD for a missing timestamp, 144
 * MIPV6-ID-MISMATCH for a timestamp outside the window (the BA then carries
 * the home agent's own time). */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "mobd.h"
#include "util/json.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

/* BA statuses this home agent sends (RFC 6275 6.1.8, RFC 4285) */
#define ST_ACCEPTED        0
#define ST_UNSPEC          128
#define ST_PROHIBITED      129
#define ST_RESOURCES       130
#define ST_HOMEREG_NOTSUP  131
#define ST_NOT_HOME_SUBNET 132
#define ST_NOT_HA_FOR_MN   133
#define ST_SEQ_WINDOW      135
#define ST_ID_MISMATCH     144
#define ST_MESG_ID_REQD    145
#define ST_AUTH_FAIL       146

struct bce {
	struct in6_addr hoa, coa;
	uint64_t expires;      /* monotonic ns */
	uint64_t last_ts;      /* last accepted RFC 4285 timestamp */
	uint32_t next;         /* chain: pool index + 1, 0 ends */
	uint32_t granted;      /* seconds */
	uint16_t seq, flags;
	uint8_t used;
};

struct halist {
	struct in6_addr addr;
	unsigned pref;
	uint64_t expires;      /* 0: configured (never) */
	bool self;
};

struct ha {
	struct bce *pool;
	uint32_t *bucket;
	uint32_t mask;
	uint32_t free_head;    /* pool index + 1 of a freed entry, 0: none */
	uint32_t hwm;          /* entries ever used: the pool grows into its reserve */
	uint32_t n;
	struct in6_addr addr, anycast;
	struct halist list[MOBD_MAX_HAS + 1];
	unsigned n_list;
	struct mobd_timer sweep;
	char old_fwd[8];
	struct {
		uint64_t bu_rx, bu_accepted, bu_dereg, ba_tx, be_tx, pp_tx, bad_cksum, malformed,
			ignored, auth_fail, expired, tun_in, tun_in_bytes, tun_out, tun_out_bytes,
			tun_nobinding, rev_nobinding, dhaad_rx, dhaad_tx, ra_rx, ra_bad_addr, send_fail,
			kernel_fail;
		uint64_t ba[256];
	} cnt;
};

static uint32_t hash16(const struct in6_addr *a)
{
	uint64_t x, y;
	memcpy(&x, a->s6_addr, 8);
	memcpy(&y, a->s6_addr + 8, 8);
	x ^= y * 0x9e3779b97f4a7c15ull;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return (uint32_t)x;
}

static struct bce *bc_find(struct ha *h, const struct in6_addr *hoa)
{
	for (uint32_t i = h->bucket[hash16(hoa) & h->mask]; i; i = h->pool[i - 1].next)
		if (memcmp(&h->pool[i - 1].hoa, hoa, 16) == 0)
			return &h->pool[i - 1];
	return NULL;
}

static struct bce *bc_new(struct mobd *d, const struct in6_addr *hoa)
{
	struct ha *h = d->role;
	uint32_t i;
	if (h->free_head) {
		i = h->free_head;
		h->free_head = h->pool[i - 1].next;
	} else if (h->hwm < d->c.max_bindings) {
		i = ++h->hwm; /* first use of this entry: its page is touched now */
	} else {
		return NULL;
	}
	struct bce *e = &h->pool[i - 1];
	memset(e, 0, sizeof *e);
	e->hoa = *hoa;
	e->used = 1;
	uint32_t b = hash16(hoa) & h->mask;
	e->next = h->bucket[b];
	h->bucket[b] = i;
	h->n++;
	return e;
}

static void kernel_binding(struct mobd *d, const struct bce *e, bool add)
{
	struct ha *h = d->role;
	char a[INET6_ADDRSTRLEN];
	int r1, r2;
	if (!d->c.kernel_state)
		return;
	r1 = nl_proxy(add, d->io.ifindex, &e->hoa);
	r2 = nl_route(add, d->io.tun_ifindex, &e->hoa, 128, 254, 0);
	if ((r1 && !(r1 == -ENOENT && !add)) || (r2 && !(r2 == -ESRCH && !add))) {
		h->cnt.kernel_fail++;
		logm("%s kernel state for %s: proxy %s, route %s", add ? "adding" : "removing",
		     mk_ip6_ntop(&e->hoa, a), r1 ? strerror(-r1) : "ok", r2 ? strerror(-r2) : "ok");
	}
	if (add)
		io_send_na(&d->io, &e->hoa, false);
}

static void bc_del(struct mobd *d, struct bce *e)
{
	struct ha *h = d->role;
	uint32_t idx = (uint32_t)(e - h->pool) + 1;
	kernel_binding(d, e, false);
	for (uint32_t *p = &h->bucket[hash16(&e->hoa) & h->mask]; *p; p = &h->pool[*p - 1].next)
		if (*p == idx) {
			*p = e->next;
			break;
		}
	e->used = 0;
	e->next = h->free_head;
	h->free_head = idx;
	h->n--;
}

static void sweep_cb(void *arg)
{
	struct mobd *d = arg;
	struct ha *h = d->role;
	uint64_t now = now_ns();
	char a[INET6_ADDRSTRLEN];
	for (uint32_t i = 0; i < h->hwm && h->n; i++) {
		struct bce *e = &h->pool[i];
		if (e->used && e->expires <= now) {
			dbg("binding for %s expired", mk_ip6_ntop(&e->hoa, a));
			h->cnt.expired++;
			bc_del(d, e);
		}
	}
	for (unsigned i = 0; i < h->n_list; i++)
		if (h->list[i].expires && h->list[i].expires <= now) {
			h->list[i] = h->list[--h->n_list];
			i--;
		}
	ev_timer_arm(&h->sweep, 1000);
}

/* ---- sending ---- */

static void send_pkt(struct mobd *d, const struct in6_addr *src, const struct in6_addr *dst,
		     const struct in6_addr *rh2, uint8_t ulp, const uint8_t *payload, size_t plen)
{
	struct ha *h = d->role;
	if (msg_send(d, src, dst, NULL, rh2, ulp, payload, plen) != 0)
		h->cnt.send_fail++;
}

static void send_ba(struct mobd *d, const struct in6_addr *to, const struct in6_addr *hoa,
		    const struct in6_addr *coa, uint8_t status, uint16_t seq, uint32_t lifetime_s,
		    const struct mobd_key *key, uint64_t ts)
{
	struct ha *h = d->role;
	if (status >= 128 && !err_allow(d))
		return;
	if (msg_ba(d, &h->addr, to, hoa, coa, status, seq, lifetime_s, d->c.refresh, key, ts) != 0) {
		h->cnt.send_fail++;
		return;
	}
	h->cnt.ba_tx++;
	h->cnt.ba[status]++;
}

static void send_be(struct mobd *d, const struct in6_addr *to, const struct in6_addr *hoa,
		    uint8_t status)
{
	struct ha *h = d->role;
	uint8_t mhb[64];
	struct mk_mh m;
	size_t n;
	mk_mh_init(&m, MK_MH_BE);
	m.u.be.status = status;
	m.u.be.hoa = *hoa;
	if (!err_allow(d) || mk_mh_build(mhb, sizeof mhb, &d->c.cp, &m, &n).err != MK_E_OK)
		return;
	send_pkt(d, &h->addr, to, NULL, MK_MH_NEXTHDR, mhb, n);
	h->cnt.be_tx++;
}

/* ICMPv6 Parameter Problem code 0 pointing at `pointer` (RFC 6275 9.2) */
static void send_pp(struct mobd *d, const struct mk_ip6 *ih, const uint8_t *pkt, size_t len,
		    uint32_t pointer)
{
	struct ha *h = d->role;
	uint8_t msg[1280];
	struct mk_icmp6 m;
	size_t n;
	memset(&m, 0, sizeof m);
	m.kind = MK_ICMP6_K_PARAM_PROB;
	m.code = MK_ICMP6_PP_HEADER;
	m.u.err.word = pointer;
	m.u.err.invoking = pkt;
	m.u.err.invoking_len = len < MK_ICMP6_ERR_INVOKING_MAX ? len : MK_ICMP6_ERR_INVOKING_MAX;
	if (!err_allow(d) || mk_icmp6_build(msg, sizeof msg, &d->c.cp, &m, &n).err != MK_E_OK)
		return;
	send_pkt(d, &h->addr, &ih->src, NULL, MK_ICMP6_NH, msg, n);
	h->cnt.pp_tx++;
}

/* ---- Binding Update (RFC 6275 9.5.1, 10.3.1, 10.3.2) ---- */

static void on_bu(struct mobd *d, const struct mk_ip6 *ih, const struct mk_ip6_chain *c,
		  const uint8_t *pkt, const uint8_t *mhp, size_t mhlen, const struct mk_mh *m)
{
	struct ha *h = d->role;
	struct in6_addr hoa;
	pkt_hoa(pkt, c, &ih->src, &hoa);
	struct in6_addr coa = ih->src;
	const struct mk_mh_opt *alt = mk_mh_find_opt(m, MK_MHO_ALTCOA);
	const struct mk_mh_opt *auth = mk_mh_find_opt(m, MK_MHO_AUTH);
	const struct mk_mh_opt *rp = mk_mh_find_opt(m, MK_MHO_REPLAY);
	const struct mobd_key *key = NULL;
	uint16_t seq = m->u.bu.seq;
	uint32_t life = mk_mh_lifetime_sec(m->u.bu.lifetime);
	bool ack = m->u.bu.flags & MK_BU_A;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint64_t ts = rp ? rp->v.replay : 0;

	h->cnt.bu_rx++;
	if (alt)
		coa = alt->v.altcoa;
	if (!(m->u.bu.flags & MK_BU_H)) {
		/* not a home registration and no return-routability data: 9.5.1
		 * says silently ignore (this node has no correspondent role yet) */
		h->cnt.ignored++;
		return;
	}
	if (!in_prefix(&hoa, &d->c.home_prefix, d->c.home_plen)) {
		send_ba(d, &ih->src, &hoa, &coa, ST_NOT_HOME_SUBNET, seq, 0, NULL, 0);
		return;
	}
	for (unsigned i = 0; i < d->c.n_deny; i++)
		if (in_prefix(&hoa, &d->c.deny[i], d->c.deny_plen[i])) {
			/* the operator's policy (mn-deny) */
			send_ba(d, &ih->src, &hoa, &coa, ST_PROHIBITED, seq, 0, NULL, 0);
			return;
		}
	key = conf_key_for(&d->c, &hoa);
	if (d->c.require_auth || (auth && key)) {
		if (!key) {
			h->cnt.auth_fail++;
			send_ba(d, &ih->src, &hoa, &coa, ST_NOT_HA_FOR_MN, seq, 0, NULL, 0);
			return;
		}
		if (!auth || auth->v.auth.subtype != MK_MH_AUTH_MNHA || auth->v.auth.spi != key->spi ||
		    mk_rr_mnha_verify(mhp, mhlen, &d->c.cp, key->key, key->keylen, &coa, &hoa).err !=
			    MK_E_OK) {
			h->cnt.auth_fail++;
			dbg("BU from %s for %s: authentication failed", mk_ip6_ntop(&ih->src, a),
			    mk_ip6_ntop(&hoa, b));
			send_ba(d, &ih->src, &hoa, &coa, ST_AUTH_FAIL, seq, 0, NULL, 0);
			return;
		}
		if (!rp) {
			h->cnt.auth_fail++;
			send_ba(d, &ih->src, &hoa, &coa, ST_MESG_ID_REQD, seq, 0, key, now_real_ntp());
			return;
		}
		uint64_t now = now_real_ntp(), win = (uint64_t)d->c.replay_window << 32;
		struct bce *old = bc_find(h, &hoa);
		if (ts + win < now || ts > now + win || (old && ts <= old->last_ts)) {
			h->cnt.auth_fail++;
			send_ba(d, &ih->src, &hoa, &coa, ST_ID_MISMATCH, seq, 0, key, now);
			return;
		}
	}
	struct bce *e = bc_find(h, &hoa);
	if (e && !mk_mh_seq_newer(seq, e->seq)) {
		send_ba(d, &ih->src, &hoa, &coa, ST_SEQ_WINDOW, e->seq, 0, key, ts);
		return;
	}
	if (life == 0 || memcmp(&coa, &hoa, 16) == 0) {
		if (!e) {
			send_ba(d, &ih->src, &hoa, &coa, ST_NOT_HA_FOR_MN, seq, 0, key, ts);
			return;
		}
		logm("deregistered %s (was at %s)", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&e->coa, b));
		bc_del(d, e);
		h->cnt.bu_dereg++;
		/* the route into the TUN is gone: this BA reaches the home link */
		send_ba(d, &ih->src, &hoa, &coa, ST_ACCEPTED, seq, 0, key, ts);
		return;
	}
	bool fresh = !e;
	if (!e && !(e = bc_new(d, &hoa))) {
		send_ba(d, &ih->src, &hoa, &coa, ST_RESOURCES, seq, 0, key, ts);
		return;
	}
	if (life > d->c.max_lifetime)
		life = d->c.max_lifetime;
	life = mk_mh_lifetime_sec(mk_mh_lifetime_units(life)); /* what the BA can say */
	bool moved = fresh || memcmp(&e->coa, &coa, 16) != 0;
	e->coa = coa;
	e->seq = seq;
	e->flags = m->u.bu.flags;
	e->granted = life;
	e->expires = now_ns() + (uint64_t)life * 1000000000ull;
	if (rp)
		e->last_ts = ts;
	if (fresh)
		kernel_binding(d, e, true);
	h->cnt.bu_accepted++;
	if (moved)
		logm("binding %s -> %s seq %u lifetime %u s", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&coa, b), seq, life);
	if (ack)
		send_ba(d, &ih->src, &hoa, &coa, ST_ACCEPTED, seq, life, key, ts);
}

static void on_mh(struct mobd *d, const struct mk_ip6 *ih, const struct mk_ip6_chain *c,
		  const uint8_t *pkt, size_t len)
{
	struct ha *h = d->role;
	const uint8_t *mhp = pkt + c->ulp_off;
	size_t mhlen = c->ulp_len;
	struct mk_mh m;
	struct mk_status st;

	if (mhlen >= 8 && 8u * (mhp[1] + 1u) <= mhlen && mhp[1] + 1u > 0) {
		size_t l = 8u * (mhp[1] + 1u);
		struct mk_ip6_chain cc = *c;
		cc.ulp_len = l;
		if (mk_ip6_ulp_cksum(pkt, ih, &cc) != 0) {
			h->cnt.bad_cksum++;
			return; /* RFC 6275 9.2: silently discarded */
		}
	}
	st = mk_mh_parse(mhp, mhlen, &d->c.cp, &m);
	switch (st.err) {
	case MK_E_OK:
		break;
	case MK_E_MH_PROTO:
	case MK_E_MH_HLEN_SHORT:
		h->cnt.malformed++;
		send_pp(d, ih, pkt, len, (uint32_t)(c->ulp_off + st.off));
		return;
	case MK_E_MH_UNKNOWN_TYPE: {
		struct in6_addr hoa;
		h->cnt.malformed++;
		pkt_hoa(pkt, c, &ih->src, &hoa);
		send_be(d, &ih->src, &hoa, MK_BE_UNKNOWN_TYPE);
		return;
	}
	default: {
		char a[INET6_ADDRSTRLEN];
		h->cnt.malformed++;
		dbg("MH from %s: %s at %zu: discarded", mk_ip6_ntop(&ih->src, a), mk_strerror(st.err), st.off);
		return;
	}
	}
	if (m.type == MK_MH_BU)
		on_bu(d, ih, c, pkt, mhp, mhlen, &m);
	else
		h->cnt.ignored++;
}

static bool ours(struct ha *h, const struct in6_addr *a)
{
	return memcmp(a, &h->addr, 16) == 0;
}

void ha_packet(struct mobd *d, const uint8_t *pkt, size_t len)
{
	struct ha *h = d->role;
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	if (mk_ip6_chain_parse(pkt, len, &ih, &c).err != MK_E_OK) {
		h->cnt.malformed++;
		return;
	}
	if (!ours(h, &ih.dst))
		return;
	if (c.ulp == MK_MH_NEXTHDR) {
		on_mh(d, &ih, &c, pkt, c.end);
		return;
	}
	if (c.ulp == 41) {
		/* reverse tunnel: outer from the care-of address, inner from the home address */
		struct mk_ip6 in;
		size_t il;
		const uint8_t *inner = tun_inner(pkt, &c, &in, &il);
		if (!inner) {
			h->cnt.malformed++;
			return;
		}
		struct bce *e = bc_find(h, &in.src);
		if (!e || memcmp(&e->coa, &ih.src, 16) != 0) {
			h->cnt.rev_nobinding++;
			return;
		}
		if (tun_write(d, inner, il)) {
			h->cnt.tun_in++;
			h->cnt.tun_in_bytes += il;
		}
		return;
	}
	h->cnt.ignored++;
}

/* a packet the kernel routed into the TUN: to a registered home address */
void ha_tun_packet(struct mobd *d, const uint8_t *pkt, size_t len)
{
	struct ha *h = d->role;
	struct in6_addr dst;
	memcpy(&dst, pkt + 24, 16);
	struct bce *e = bc_find(h, &dst);
	if (!e) {
		h->cnt.tun_nobinding++;
		return;
	}
	long n = msg_encap(d, &h->addr, &e->coa, pkt, len);
	if (n < 0) {
		h->cnt.send_fail++;
		return;
	}
	h->cnt.tun_out++;
	h->cnt.tun_out_bytes += (uint64_t)n;
}

/* ---- home agent list, DHAAD (RFC 6275 10.5) ---- */

static void list_put(struct ha *h, const struct in6_addr *a, unsigned pref, uint64_t expires,
		     bool self)
{
	for (unsigned i = 0; i < h->n_list; i++)
		if (memcmp(&h->list[i].addr, a, 16) == 0) {
			if (h->list[i].self)
				return;
			h->list[i].pref = pref;
			h->list[i].expires = expires;
			return;
		}
	if (h->n_list < MOBD_MAX_HAS + 1)
		h->list[h->n_list++] = (struct halist){ *a, pref, expires, self };
}

static int by_pref(const void *x, const void *y)
{
	const struct halist *a = x, *b = y;
	return a->pref != b->pref ? (a->pref < b->pref ? 1 : -1) : memcmp(&a->addr, &b->addr, 16);
}

/* RFC 6275 7.2: with the R bit, the Prefix field of a Prefix Information
 * option is the router's full address.  A home agent list takes only what
 * is one: inside the home prefix, with host bits beyond the option's prefix
 * length (a bare prefix is the Subnet-Router anycast address, RFC 4291
 * 2.6.1), not multicast, not the Home-Agents anycast address, not ours. */
static bool router_addr(struct ha *h, const struct mobd_conf *c, const struct mk_nd_prefix *pi)
{
	const struct in6_addr *a = &pi->prefix;
	unsigned plen = pi->prefix_len;
	bool host = false;
	if (plen >= 128 || a->s6_addr[0] == 0xff || !in_prefix(a, &c->home_prefix, c->home_plen) ||
	    !memcmp(a, &h->anycast, 16) || ours(h, a))
		return false;
	for (unsigned i = plen; i < 128 && !host; i++)
		host = a->s6_addr[i / 8] & (0x80u >> (i % 8));
	return host;
}

void ha_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src,
	     const struct in6_addr *dst)
{
	struct ha *h = d->role;
	static struct mk_icmp6 m;
	if (mk_icmp6_parse(buf, len, &d->c.cp, &m).err != MK_E_OK)
		return;
	if (m.kind == MK_ICMP6_K_RA && (m.u.ra.flags & MK_ICMP6_RA_H)) {
		unsigned pref = 0, life = m.u.ra.router_lifetime;
		h->cnt.ra_rx++;
		for (size_t i = 0; i < m.n_opts; i++)
			if (m.opts[i].type == MK_ND_OPT_HAINFO) {
				pref = m.opts[i].u.hai.pref;
				life = m.opts[i].u.hai.lifetime;
			}
		for (size_t i = 0; i < m.n_opts; i++) {
			if (m.opts[i].type != MK_ND_OPT_PREFIX || !(m.opts[i].u.pi.flags & MK_ND_PI_R))
				continue;
			if (!router_addr(h, &d->c, &m.opts[i].u.pi)) {
				char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
				h->cnt.ra_bad_addr++;
				dbg("RA from %s: R bit with %s/%u, not a router address: not a home agent",
				    mk_ip6_ntop(src, a), mk_ip6_ntop(&m.opts[i].u.pi.prefix, b),
				    m.opts[i].u.pi.prefix_len);
				continue;
			}
			if (life == 0) {
				for (unsigned k = 0; k < h->n_list; k++)
					if (!h->list[k].self &&
					    !memcmp(&h->list[k].addr, &m.opts[i].u.pi.prefix, 16))
						h->list[k] = h->list[--h->n_list];
			} else {
				list_put(h, &m.opts[i].u.pi.prefix, pref,
					 now_ns() + (uint64_t)life * 1000000000ull, false);
			}
		}
		return;
	}
	if (m.kind == MK_ICMP6_K_DHAAD_REQUEST) {
		struct mk_icmp6 r;
		uint8_t out[1280];
		size_t n, k = 0;
		struct halist sorted[MOBD_MAX_HAS + 1];
		if (memcmp(dst, &h->anycast, 16) != 0)
			return; /* RFC 6275 10.5: requests go to the Home-Agents anycast address */
		h->cnt.dhaad_rx++;
		memcpy(sorted, h->list, sizeof sorted);
		qsort(sorted, h->n_list, sizeof sorted[0], by_pref);
		memset(&r, 0, sizeof r);
		r.kind = MK_ICMP6_K_DHAAD_REPLY;
		r.u.ident.id = m.u.ident.id;
		for (unsigned i = 0; i < h->n_list && k < MK_ICMP6_MAX_ADDRS; i++)
			r.addrs[k++] = sorted[i].addr;
		r.n_addrs = k;
		if (mk_icmp6_build(out, sizeof out, &d->c.cp, &r, &n).err != MK_E_OK)
			return;
		send_pkt(d, &h->addr, src, NULL, MK_ICMP6_NH, out, n);
		h->cnt.dhaad_tx++;
	}
}

/* ---- start, stop, show ---- */

/* proxy entries for home addresses a home agent killed without its cleanup
 * left on the home link (no live mobd here: sys_open looked); this one
 * has no bindings yet, so every entry in the home prefix is a leftover */
static void proxy_leftovers(struct mobd *d)
{
	struct in6_addr px[256];
	char a[INET6_ADDRSTRLEN];
	int n;
	do {
		n = nl_proxies(d->io.ifindex, &d->c.home_prefix, d->c.home_plen, px, 256);
		for (int i = 0; i < n; i++) {
			int r = nl_proxy(false, d->io.ifindex, &px[i]);
			if (r != 0) {
				logm("leftover proxy entry %s: %s", mk_ip6_ntop(&px[i], a), strerror(-r));
				return;
			}
			logm("removed proxy entry %s left by a mobd that is gone", mk_ip6_ntop(&px[i], a));
		}
	} while (n == 256);
}

int ha_start(struct mobd *d, char *err, size_t errlen)
{
	struct ha *h = calloc(1, sizeof *h);
	char p[160], a[INET6_ADDRSTRLEN];
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->role = h;
	uint32_t nb = 1;
	while (nb < d->c.max_bindings)
		nb <<= 1;
	h->mask = nb - 1;
	h->pool = calloc(d->c.max_bindings, sizeof *h->pool);
	h->bucket = calloc(nb, sizeof *h->bucket);
	if (!h->pool || !h->bucket) {
		snprintf(err, errlen, "cannot allocate a binding cache of %u entries", d->c.max_bindings);
		return -1;
	}
	if (d->c.has_addr) {
		h->addr = d->c.addr;
	} else {
		if (nl_addr_in_prefix(d->io.ifindex, &d->c.home_prefix, d->c.home_plen, &h->addr) != 0) {
			snprintf(err, errlen, "no address of %s is in the home prefix (set 'address')",
				 d->c.iface);
			return -1;
		}
	}
	ha_anycast(&d->c.home_prefix, &h->anycast);
	if (d->c.kernel_state && !d->io.others_alive)
		proxy_leftovers(d);
	list_put(h, &h->addr, d->c.preference, 0, true);
	for (unsigned i = 0; i < d->c.n_peers; i++)
		list_put(h, &d->c.peers[i], d->c.peer_pref[i], 0, false);

	/* forwarding between the home link and the TUN; proxy ND on the home link */
	int fd = open("/proc/sys/net/ipv6/conf/all/forwarding", 0);
	if (fd >= 0) {
		ssize_t r = read(fd, h->old_fwd, sizeof h->old_fwd - 1);
		h->old_fwd[r > 0 ? r : 0] = 0;
		close(fd);
	}
	if (sys_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "1") != 0) {
		snprintf(err, errlen, "cannot enable IPv6 forwarding: %s", strerror(errno));
		return -1;
	}
	snprintf(p, sizeof p, "/proc/sys/net/ipv6/conf/%s/proxy_ndp", d->c.iface);
	sys_sysctl(p, "1");
	struct ipv6_mreq mr = { .ipv6mr_multiaddr = h->anycast,
				.ipv6mr_interface = (unsigned)d->io.ifindex };
	if (setsockopt(d->io.icmp_fd, IPPROTO_IPV6, IPV6_JOIN_ANYCAST, &mr, sizeof mr) != 0) {
		snprintf(err, errlen, "cannot join the Home-Agents anycast address %s: %s",
			 mk_ip6_ntop(&h->anycast, a), strerror(errno));
		return -1;
	}
	h->sweep.cb = sweep_cb;
	h->sweep.arg = d;
	ev_timer_arm(&h->sweep, 1000);
	logm("home agent %s for %s/%u, %u bindings at most, authentication %s", mk_ip6_ntop(&h->addr, a),
	     inet_ntop(AF_INET6, &d->c.home_prefix, p, sizeof p), d->c.home_plen, d->c.max_bindings,
	     d->c.require_auth ? "required (RFC 4285)" : "not required");
	return 0;
}

void ha_stop(struct mobd *d)
{
	struct ha *h = d->role;
	if (!h)
		return;
	ev_timer_stop(&h->sweep);
	if (h->pool)
		for (uint32_t i = 0; i < h->hwm && h->n; i++)
			if (h->pool[i].used)
				bc_del(d, &h->pool[i]);
	if (h->old_fwd[0] == '0')
		sys_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "0");
	free(h->pool);
	free(h->bucket);
	free(h);
	d->role = NULL;
}

static void show_bc(struct mobd *d, bool json, FILE *f)
{
	struct ha *h = d->role;
	uint64_t now = now_ns();
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (json)
		fputc('[', f);
	bool first = true;
	for (uint32_t i = 0; i < h->hwm && h->n; i++) {
		const struct bce *e = &h->pool[i];
		if (!e->used)
			continue;
		unsigned left = e->expires > now ? (unsigned)((e->expires - now) / 1000000000ull) : 0;
		if (json)
			fprintf(f,
				"%s{\"hoa\":\"%s\",\"coa\":\"%s\",\"seq\":%u,\"flags\":%u,"
				"\"lifetime\":%u,\"remaining\":%u}",
				first ? "" : ",", mk_ip6_ntop(&e->hoa, a), mk_ip6_ntop(&e->coa, b), e->seq, e->flags,
				e->granted, left);
		else
			fprintf(f, "%s via %s seq %u lifetime %u s remaining %u s\n", mk_ip6_ntop(&e->hoa, a),
				mk_ip6_ntop(&e->coa, b), e->seq, e->granted, left);
		first = false;
	}
	if (json)
		fputs("]\n", f);
}

void ha_show(struct mobd *d, const char *what, bool json, FILE *f)
{
	struct ha *h = d->role;
	char a[INET6_ADDRSTRLEN];
	if (!strcmp(what, "bc")) {
		show_bc(d, json, f);
	} else if (!strcmp(what, "bul")) {
		fputs(json ? "[]\n" : "", f); /* a home agent has no binding update list */
	} else if (!strcmp(what, "ha")) {
		struct halist s[MOBD_MAX_HAS + 1];
		memcpy(s, h->list, sizeof s);
		qsort(s, h->n_list, sizeof s[0], by_pref);
		if (json)
			fputc('[', f);
		for (unsigned i = 0; i < h->n_list; i++) {
			uint64_t now = now_ns();
			unsigned left = s[i].expires > now ? (unsigned)((s[i].expires - now) / 1000000000ull) : 0;
			if (json)
				fprintf(f, "%s{\"addr\":\"%s\",\"preference\":%u,\"source\":\"%s\",\"remaining\":%u}",
					i ? "," : "", mk_ip6_ntop(&s[i].addr, a), s[i].pref,
					s[i].self ? "self" : s[i].expires ? "ra" : "config", left);
			else
				fprintf(f, "%s preference %u %s\n", mk_ip6_ntop(&s[i].addr, a), s[i].pref,
					s[i].self ? "(this home agent)" : s[i].expires ? "(router advertisement)" : "(configured)");
		}
		if (json)
			fputs("]\n", f);
	} else if (!strcmp(what, "counters") || !strcmp(what, "status")) {
		bool status = !strcmp(what, "status");
#define C(name) { #name, &h->cnt.name }
		struct { const char *n; uint64_t *v; } cs[] = {
			C(bu_rx), C(bu_accepted), C(bu_dereg), C(ba_tx), C(be_tx), C(pp_tx),
			C(bad_cksum), C(malformed), C(ignored), C(auth_fail), C(expired), C(tun_in),
			C(tun_in_bytes), C(tun_out), C(tun_out_bytes), C(tun_nobinding),
			C(rev_nobinding), C(dhaad_rx), C(dhaad_tx), C(ra_rx), C(ra_bad_addr), C(send_fail),
			C(kernel_fail),
		};
#undef C
		if (json) {
			fprintf(f, "{\"role\":\"home-agent\",\"address\":\"%s\",\"bindings\":%u,"
				   "\"max_bindings\":%u,\"pid\":%d",
				mk_ip6_ntop(&h->addr, a), h->n, d->c.max_bindings, (int)getpid());
			if (!status) {
				for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
					fprintf(f, ",\"%s\":%llu", cs[i].n, (unsigned long long)*cs[i].v);
				fputs(",\"ba_status\":{", f);
				bool first = true;
				for (int s = 0; s < 256; s++)
					if (h->cnt.ba[s]) {
						fprintf(f, "%s\"%d\":%llu", first ? "" : ",", s,
							(unsigned long long)h->cnt.ba[s]);
						first = false;
					}
				fputc('}', f);
				fprintf(f, ",\"err_sent\":%llu,\"err_suppressed\":%llu",
					(unsigned long long)d->errlim.sent,
					(unsigned long long)d->errlim.suppressed);
			}
			fputs("}\n", f);
		} else {
			fprintf(f, "home agent %s, %u bindings of %u, pid %d\n", mk_ip6_ntop(&h->addr, a), h->n,
				d->c.max_bindings, (int)getpid());
			if (!status) {
				for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
					fprintf(f, "%-16s %llu\n", cs[i].n, (unsigned long long)*cs[i].v);
				for (int s = 0; s < 256; s++)
					if (h->cnt.ba[s])
						fprintf(f, "ba_status_%-6d %llu\n", s,
							(unsigned long long)h->cnt.ba[s]);
				fprintf(f, "%-16s %llu\n%-16s %llu\n", "err_sent",
					(unsigned long long)d->errlim.sent, "err_suppressed",
					(unsigned long long)d->errlim.suppressed);
			}
		}
	}
}
