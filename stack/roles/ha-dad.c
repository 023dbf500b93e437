/* stack/roles/ha-dad.c: Duplicate Address Detection at the home agent
 * (RFC 6275 10.3.1; RFC 4862 5.4).
 *
 * Before it answers the first home registration for a home address (one
 * it holds no binding for) the home agent MUST check, by Duplicate Address
 * Detection on the home link, that no node there uses the address (and,
 * with the L flag, the link-local address of the same interface
 * identifier).  If one does, the BA says 134 (Duplicate Address Detection
 * failed) and no binding is made.  Refreshes and moves of a binding do not
 * wait.  The kernel cannot do this for us (the address is not its own), so:
 *
 *   - the home agent joins the address's solicited-node multicast group on
 *     the ICMPv6 socket, and sends one Neighbor Solicitation for it from
 *     the unspecified address to that group (RFC 4862 5.4.2,
 *     DupAddrDetectTransmits 1), with a Nonce option (RFC 7527) so that
 *     its own solicitation, looped back to the group it joined, is told
 *     from another node's;
 *   - it waits ha-dad-timeout ms (RetransTimer, 1000 by default, divided
 *     by time-scale);
 *   - a Neighbor Advertisement for the address (a node that has it
 *     answers to all-nodes), or a DAD Neighbor Solicitation for it from
 *     another node (one that is configuring it now), during the wait:
 *     duplicate, BA 134 at once;  nothing: the binding is made and the BA
 *     sent then.
 *
 * The BUs wait in a table of at most min(max-bindings, HA_DAD_MAX) entries,
 * each with a copy of its packet (the MHA option is read again when it is
 * bound); waiting entries count against max-bindings, and a BU that finds
 * the table full is refused with 130.  They are hashed on the low 24 bits
 * of the address (those of the solicited-node group: addresses that share
 * a group share a chain, so the group is left when the last goes), and
 * queued in the order they started: every wait is as long, so one timer
 * for the head of the queue serves them all and many addresses in DAD at
 * once do not block each other.  A BU for an address already in DAD joins
 * it (a newer sequence number replaces the BU waiting; an older or equal
 * one is dropped); a deregistration ends it.
 *
 * Not done: the hop limit of the NS/NA (RFC 4861 7.1.1/7.1.2: 255) is not
 * checked (the core's ICMPv6 intake does not pass it on); with multiple
 * home agents (ha-multi.c) only the one listed first runs DAD (a backup's
 * registration is the same mobile node's, already defended by the first). */
#include <errno.h>
#include <netinet/icmp6.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>

#include "stack/core/core.h"
#include "stack/roles/ha.h"
#include "wire/cursor.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

#define HA_DAD_MAX    1024
#define ND_OPT_NONCE  14   /* RFC 3971 5.3.2, used for DAD by RFC 7527 */
#define NONCE_LEN     6

struct dad_ent {
	struct ha_bu b;          /* the BU waiting (its latest one) */
	uint64_t due;            /* monotonic ns the wait ends */
	uint32_t hnext;          /* hash chain: pool index + 1, 0 ends */
	uint32_t qnext;          /* start queue, or free list: pool index + 1 */
	bool live;               /* in the hash: waiting; else answered or ended, still queued */
	bool ll;                 /* the link-local address too (L flag) */
	uint8_t nonce[NONCE_LEN];
	size_t len;
	uint8_t pkt[MOBD_PKT_MAX];
};

struct ha_dad {
	struct dad_ent *pool;
	uint32_t *bucket, mask, cap;
	uint32_t qhead, qtail;   /* pool index + 1, 0: empty */
	uint32_t free_head, hwm; /* freed entries; entries ever used */
	uint32_t n;              /* queued (live or not) */
	uint32_t waiting;        /* live: in the hash */
	struct mobd_timer t;
};

static uint32_t group_key(const struct in6_addr *a)
{
	return (uint32_t)a->s6_addr[13] << 16 | (uint32_t)a->s6_addr[14] << 8 | a->s6_addr[15];
}

/* ff02::1:ffXX:XXXX (RFC 4291 2.7.1) */
static void solicited_node(const struct in6_addr *a, struct in6_addr *g)
{
	memset(g, 0, sizeof *g);
	g->s6_addr[0] = 0xff;
	g->s6_addr[1] = 0x02;
	g->s6_addr[11] = 0x01;
	g->s6_addr[12] = 0xff;
	memcpy(g->s6_addr + 13, a->s6_addr + 13, 3);
}

/* fe80::IID of a home address */
static void link_local(const struct in6_addr *a, struct in6_addr *ll)
{
	memset(ll, 0, sizeof *ll);
	ll->s6_addr[0] = 0xfe;
	ll->s6_addr[1] = 0x80;
	memcpy(ll->s6_addr + 8, a->s6_addr + 8, 8);
}

static bool covers(const struct dad_ent *e, const struct in6_addr *target)
{
	struct in6_addr ll;
	if (!memcmp(&e->b.hoa, target, 16))
		return true;
	link_local(&e->b.hoa, &ll);
	return e->ll && !memcmp(&ll, target, 16);
}

/* the waiting entry for target (a home address, or with the L flag its
 * link-local address), or NULL */
static struct dad_ent *find(struct ha_dad *t, const struct in6_addr *target)
{
	for (uint32_t i = t->bucket[group_key(target) & t->mask]; i; i = t->pool[i - 1].hnext)
		if (covers(&t->pool[i - 1], target))
			return &t->pool[i - 1];
	return NULL;
}

static void group(struct mobd *d, const struct in6_addr *a, bool join)
{
	struct ipv6_mreq mr = { .ipv6mr_interface = (unsigned)d->io.ifindex };
	solicited_node(a, &mr.ipv6mr_multiaddr);
	/* a group already joined (EADDRINUSE) is shared; one that cannot be
	 * (ENOBUFS: the socket's memberships) still hears NAs to all-nodes */
	if (setsockopt(d->io.icmp_fd, IPPROTO_IPV6, join ? IPV6_JOIN_GROUP : IPV6_LEAVE_GROUP, &mr,
		       sizeof mr) != 0 &&
	    errno != EADDRINUSE)
		log_debug("DAD: %s the solicited-node group: %s", join ? "joining" : "leaving",
			  strerror(errno));
}

/* an entry stops waiting: out of the hash, its group left when no other
 * waiting entry shares it; it stays queued until its due time */
static void unhash(struct mobd *d, struct ha_dad *t, struct dad_ent *e)
{
	uint32_t idx = (uint32_t)(e - t->pool) + 1, key = group_key(&e->b.hoa);
	bool shared = false;
	for (uint32_t *p = &t->bucket[key & t->mask]; *p; p = &t->pool[*p - 1].hnext)
		if (*p == idx) {
			*p = e->hnext;
			break;
		}
	e->hnext = 0;
	e->live = false;
	t->waiting--;
	for (uint32_t i = t->bucket[key & t->mask]; i && !shared; i = t->pool[i - 1].hnext)
		shared = group_key(&t->pool[i - 1].b.hoa) == key;
	if (!shared)
		group(d, &e->b.hoa, false);
}

/* one DAD Neighbor Solicitation for target: from ::, to its solicited-node
 * group, hop limit 255, with the entry's nonce */
static void send_ns(struct mobd *d, const struct dad_ent *e, const struct in6_addr *target)
{
	struct ha *h = HA(d);
	uint8_t msg[32], pkt[40 + sizeof msg];
	struct mk_wr w;
	struct mk_pkt p;
	size_t len;
	mk_wr_init(&w, msg, sizeof msg);
	mk_wr_u8(&w, ND_NEIGHBOR_SOLICIT);
	mk_wr_zero(&w, 7);      /* code, checksum (filled below), reserved */
	mk_wr_bytes(&w, target, 16);
	mk_wr_u8(&w, ND_OPT_NONCE);
	mk_wr_u8(&w, 1);        /* 8 octets */
	mk_wr_bytes(&w, e->nonce, NONCE_LEN);
	memset(&p, 0, sizeof p);
	p.ip.hlim = 255;
	solicited_node(target, &p.ip.dst);
	p.ulp = MK_ICMP6_NH;
	p.payload = msg;
	p.payload_len = sizeof msg;
	if (!mk_wr_ok(&w) || mk_pkt_build(pkt, sizeof pkt, &p, &len).err != MK_E_OK ||
	    mk_pkt_fix_cksum(pkt, len).err != MK_E_OK || io_send(&d->io, pkt, len) != 0) {
		h->cnt.send_fail++;
		return;
	}
	h->cnt.dad_ns_tx++;
}

static void arm(struct ha_dad *t)
{
	uint64_t now = now_ns();
	if (!t->qhead) {
		ev_timer_stop(&t->t);
		return;
	}
	uint64_t due = t->pool[t->qhead - 1].due;
	ev_timer_arm(&t->t, due > now ? (due - now + 999999) / 1000000 : 0);
}

/* the wait of the entries at the head of the queue is over: those still
 * waiting heard no answer, and are bound */
static void due_cb(void *arg)
{
	struct mobd *d = arg;
	struct ha *h = HA(d);
	struct ha_dad *t = h->dad;
	static struct mobd_pkt p;
	uint64_t now = now_ns();
	/* answers already queued on the ICMPv6 socket count, even when the
	 * loop comes to them after this timer */
	intake_icmp6(d);
	while (t->qhead && t->pool[t->qhead - 1].due <= now) {
		uint32_t idx = t->qhead;
		struct dad_ent *e = &t->pool[idx - 1];
		t->qhead = e->qnext;
		if (!t->qhead)
			t->qtail = 0;
		if (e->live) {
			unhash(d, t, e);
			h->cnt.dad_passed++;
			intake_parse(e->pkt, e->len, &d->c.cp, &p);
			log_peer(&e->b.ih.src);
			if (p.st.err == MK_E_OK && p.m.type == MK_MH_BU)
				ha_bu_finish(d, &e->b, &p.m, MK_BA_ACCEPTED);
			else /* it parsed when it came: cannot happen */
				ha_bu_finish(d, &e->b, NULL, MK_BA_UNSPECIFIED);
			log_peer(NULL);
		}
		e->qnext = t->free_head;
		t->free_head = idx;
		t->n--;
	}
	arm(t);
}

static struct dad_ent *new_ent(struct ha_dad *t)
{
	uint32_t idx;
	if (t->free_head) {
		idx = t->free_head;
		t->free_head = t->pool[idx - 1].qnext;
	} else if (t->hwm < t->cap) {
		idx = ++t->hwm;
	} else {
		return NULL;
	}
	struct dad_ent *e = &t->pool[idx - 1];
	memset(e, 0, offsetof(struct dad_ent, pkt));
	return e;
}

static void keep_bu(struct dad_ent *e, const struct ha_bu *b, const uint8_t *pkt, size_t len)
{
	e->b = *b;
	e->len = len;
	memcpy(e->pkt, pkt, len);
}

/* a backup's registration with multiple home agents: another home agent is
 * listed first (ha-multi.c) */
static bool mha_backup(struct mobd *d, const struct mk_mh *m)
{
	const struct mk_mh_opt *o = mk_mh_find_opt(m, MK_MHO_MHA);
	return (m->u.bu.flags & mk_cp(&d->c.cp, MK_CP_BU_MHA_FLAG)) && o && o->v.mha.n &&
	       memcmp(o->v.mha.addrs, &HA(d)->addr, 16) != 0;
}

bool ha_dad_bu(struct mobd *d, const struct ha_bu *b, const struct mk_mh *m, const uint8_t *pkt,
	       size_t len)
{
	struct ha *h = HA(d);
	struct ha_dad *t = h->dad;
	char a[INET6_ADDRSTRLEN];
	if (!t)
		return false;
	struct dad_ent *e = find(t, &b->hoa);
	bool dereg = b->life == 0 || !memcmp(&b->coa, &b->hoa, 16);
	if (e && dereg) {
		/* the mobile node gave up the registration: no binding, and
		 * (none was made) on_bu answers 133 */
		unhash(d, t, e);
		h->cnt.dad_cancelled++;
		log_info("DAD for %s ended: deregistered while it ran", mk_ip6_ntop(&b->hoa, a));
		return false;
	}
	if (e) {
		/* not a new DAD: the newest BU is the one answered when it ends */
		if (mk_mh_seq_newer(b->seq, e->b.seq) && len <= sizeof e->pkt) {
			keep_bu(e, b, pkt, len);
			if (!e->ll && (b->flags & MK_BU_L)) {
				/* the link-local address too, for the rest of the wait */
				struct in6_addr ll;
				e->ll = true;
				link_local(&b->hoa, &ll);
				send_ns(d, e, &ll);
			}
			h->cnt.dad_merged++;
		} else {
			h->cnt.dad_stale++;
		}
		return true;
	}
	if (dereg || mha_backup(d, m))
		return false;
	if (t->n >= t->cap || h->bc.n + t->waiting >= d->c.max_bindings || len > sizeof e->pkt ||
	    !(e = new_ent(t))) {
		h->cnt.dad_full++;
		ha_bu_finish(d, b, NULL, MK_BA_RESOURCES);
		return true;
	}
	keep_bu(e, b, pkt, len);
	e->ll = b->flags & MK_BU_L;
	e->live = true;
	e->due = now_ns() + (uint64_t)mobd_t(d->c.ha_dad_ms) * 1000000ull;
	if (getrandom(e->nonce, sizeof e->nonce, 0) != (ssize_t)sizeof e->nonce)
		memcpy(e->nonce, &e->due, sizeof e->nonce);
	uint32_t idx = (uint32_t)(e - t->pool) + 1, key = group_key(&b->hoa) & t->mask;
	e->hnext = t->bucket[key];
	t->bucket[key] = idx;
	if (t->qtail)
		t->pool[t->qtail - 1].qnext = idx;
	else
		t->qhead = idx;
	t->qtail = idx;
	t->n++;
	t->waiting++;
	h->cnt.dad_started++;
	group(d, &b->hoa, true);
	send_ns(d, e, &b->hoa);
	if (e->ll) {
		struct in6_addr ll;
		link_local(&b->hoa, &ll);
		send_ns(d, e, &ll);
	}
	log_debug("DAD for %s started%s: %u ms", mk_ip6_ntop(&b->hoa, a),
		  e->ll ? " (and its link-local address)" : "", mobd_t(d->c.ha_dad_ms));
	if (t->qhead == idx)
		arm(t);
	return true;
}

/* does a Neighbor Solicitation's option list carry this nonce? */
static bool has_nonce(struct mk_rd *r, const uint8_t nonce[NONCE_LEN])
{
	while (mk_rd_ok(r) && mk_rd_left(r) >= 8) {
		uint8_t type = mk_rd_u8(r), olen = mk_rd_u8(r);
		if (!olen)
			return false;
		const uint8_t *v = mk_rd_ptr(r, (size_t)olen * 8 - 2);
		if (v && type == ND_OPT_NONCE && olen == 1 && !memcmp(v, nonce, NONCE_LEN))
			return true;
	}
	return false;
}

bool ha_dad_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src)
{
	struct ha *h = HA(d);
	struct ha_dad *t = h->dad;
	struct mk_rd r;
	struct in6_addr target;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	if (len < 1 || (buf[0] != ND_NEIGHBOR_SOLICIT && buf[0] != ND_NEIGHBOR_ADVERT))
		return false;
	if (!t || !t->waiting)
		return true;
	mk_rd_init(&r, buf, len);
	uint8_t type = mk_rd_u8(&r), code = mk_rd_u8(&r);
	mk_rd_skip(&r, 6);
	mk_rd_bytes(&r, &target, 16);
	if (!mk_rd_ok(&r) || code != 0)
		return true; /* RFC 4861 7.1.1, 7.1.2: invalid, discarded */
	struct dad_ent *e = find(t, &target);
	if (!e)
		return true;
	if (type == ND_NEIGHBOR_SOLICIT) {
		/* address resolution (from a unicast source) says nothing; our
		 * own solicitation, looped back, carries our nonce */
		if (!IN6_IS_ADDR_UNSPECIFIED(src) || has_nonce(&r, e->nonce))
			return true;
	}
	log_info("duplicate address %s: %s from %s for %s: BA %u, no binding",
		 mk_ip6_ntop(&e->b.hoa, a),
		 type == ND_NEIGHBOR_ADVERT ? "a Neighbor Advertisement" : "another node's DAD solicitation",
		 mk_ip6_ntop(src, b), mk_ip6_ntop(&target, c), MK_BA_DAD_FAILED);
	h->cnt.dad_dup++;
	unhash(d, t, e);
	log_peer(&e->b.ih.src);
	ha_bu_finish(d, &e->b, NULL, MK_BA_DAD_FAILED);
	log_peer(src);
	return true;
}

int ha_dad_start(struct mobd *d, char *err, size_t errlen)
{
	struct ha *h = HA(d);
	struct ha_dad *t;
	uint32_t nb = 1;
	if (!d->c.ha_dad)
		return 0;
	if (!(t = calloc(1, sizeof *t))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	h->dad = t;
	t->cap = d->c.max_bindings < HA_DAD_MAX ? d->c.max_bindings : HA_DAD_MAX;
	while (nb < t->cap)
		nb <<= 1;
	t->mask = nb - 1;
	t->pool = calloc(t->cap, sizeof *t->pool);
	t->bucket = calloc(nb, sizeof *t->bucket);
	if (!t->pool || !t->bucket) {
		snprintf(err, errlen, "cannot allocate the DAD table of %u entries", t->cap);
		return -1;
	}
	t->t.cb = due_cb;
	t->t.arg = d;
	return 0;
}

void ha_dad_stop(struct mobd *d)
{
	struct ha *h = HA(d);
	struct ha_dad *t = h->dad;
	if (!t)
		return;
	ev_timer_stop(&t->t);
	free(t->pool);
	free(t->bucket);
	free(t);
	h->dad = NULL;
}
