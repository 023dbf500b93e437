/* stack/roles/correspondent.c: the correspondent node (RFC 6275 sections
 * 5.2 and 9): return routability and the bindings it authorizes.
 *
 * Return routability keeps no state per mobile node (5.2.8): one secret
 * Kcn (20 random octets, regenerated every kcn-lifetime seconds) and a ring
 * of nonces, a new one every nonce-interval seconds, each with its index
 * (the previous index + 1) and the Kcn in force when it was made.  A nonce
 * is accepted until nonce-lifetime seconds after it was made
 * (MAX_NONCE_LIFETIME, 240 s), then forgotten; with the defaults (a nonce
 * every 30 s) a token stays good between MAX_TOKEN_LIFETIME (210 s) and
 * MAX_NONCE_LIFETIME after it was sent, as 5.2.7 suggests.  A flood of
 * HoTI/CoTI therefore costs answers, never memory.
 *
 *   HoTI from the home address    -> HoT to it (the home agent tunnels it):
 *       home keygen token    = First(64, HMAC_SHA1(Kcn, HoA | nonce | 0))
 *   CoTI from the care-of address -> CoT to it, direct:
 *       care-of keygen token = First(64, HMAC_SHA1(Kcn, CoA | nonce | 1))
 *   A HoTI or CoTI with a Home Address option is discarded (9.4.1, 9.4.2).
 *
 * Binding Update (9.5.1), in this order; "silently" means no answer:
 *   H bit set: not ours when a home agent role runs in this mobd, else BA
 *     131 (home registration not supported, 10.3.1);
 *   a home registration for the home address at the home agent role of
 *     this mobd: BA 139 (registration type change disallowed);
 *   a home or care-of address that is not unicast routable (multicast,
 *     unspecified, loopback, link-local): silently discarded, and so is
 *     any MH from such a source;
 *   no Binding Authorization Data or no Nonce Indices: silently discarded;
 *   a nonce index no longer known: BA 136 (home), 137 (care-of), 138
 *     (both); a deregistration (lifetime 0, or care-of = home address)
 *     needs only the home nonce (5.2.6);
 *   Kbm = SHA1(home token | care-of token) (SHA1(home token) for a
 *     deregistration); a wrong authenticator: silently discarded;
 *   sequence number not newer than the binding's: BA 135 with the last
 *     accepted number;
 *   accepted: the binding (the core's cache, cn-max-bindings entries; full:
 *     BA 130), lifetime at most cn-max-lifetime (MAX_RR_BINDING_LIFETIME,
 *     420 s); a BA 0 when the A bit asks.  BAs after a verified
 *     authenticator carry the Binding Authorization Data option.
 * Other packets to this node:
 *   a Home Address option without a binding for it from that care-of
 *     address: discarded, BE status 1 (9.3.1);
 *   an unknown MH type: BE status 2; a bad Payload Proto or Header Len:
 *     Parameter Problem; a bad checksum: silently discarded (9.2).
 *     With a home agent role in the same mobd these are its answers.
 * Every error answer passes the core's rate limit (error-rate,
 * error-burst); every refusal is counted by reason (mobctl counters).
 *
 * Route optimization of the data (9.3): while a binding lives, the kernel's
 * route to its home address goes into the TUN device; what this node's
 * applications send there leaves with a type 2 routing header to the
 * care-of address.  A packet from the care-of address with the home
 * address in its Home Address option goes to the kernel through the TUN as
 * from the home address, the option's Destination Options header removed;
 * the applications are unmodified programs.
 *
 * A binding that carried data since its BU gets one Binding Refresh
 * Request cn-refresh-request seconds before it expires (9.5.5).
 *
 * Bindings learnt from DNS (issue 15, the server-mobility paper; RFC 6275
 * has no such thing): "mobctl cn-bind HOA COA LIFETIME_S", sent by the
 * client host's name service when a name has a CAAAA record, makes an
 * entry of source "dns" (no return routability, lifetime at most
 * cn-dns-max-lifetime) and the route to HOA into the TUN, so an
 * unmodified client's very first SYN to the home address leaves to the
 * care-of address with an RH2; "cn-unbind HOA" removes it.  A packet from
 * COA with a Home Address option for HOA then passes 9.3.1 and goes to the
 * kernel as from HOA.  The care-of address in DNS may be stale or wrong:
 *   - the first packet sent on the binding starts a probe: no packet from
 *     COA (data with the HAO, a CoTI, a BU) within cn-dns-probe-timeout
 *     ms, or an ICMPv6 Destination Unreachable quoting one of our RH2
 *     packets to COA for HOA, and the binding goes (dns_coa_unreachable):
 *     the kernel's retransmission goes to the home address, through the
 *     home agent;
 *   - a BU with return routability replaces it (source "bu");
 *   - a BU without return routability (no Nonce Indices, no Binding
 *     Authorization Data: the paper's shortcut) is accepted only for a
 *     binding from DNS, from the same care-of address, and never beyond
 *     that binding's lifetime (see dns_bu for why that is safe). */
#include <arpa/inet.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "stack/roles/roles.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

#define CN_NONCES    64  /* the ring: nonce-lifetime / nonce-interval + 2 at most */
#define CN_NONCE_LEN 8   /* 64 bits, as 5.2.2 recommends */
#define CN_ADDRS     16
#define CN_USED      0x1 /* mobd_bce.mark: data went out with an RH2 since the BU */
#define CN_BRR_SENT  0x2 /* mobd_bce.mark: a Binding Refresh Request went out */
#define CN_DNS_HEARD 0x4 /* mobd_bce.mark: a binding from DNS: a packet came from its care-of address */
#define CN_DNS_PROBE 0x8 /* mobd_bce.mark: its first packet went; one from the care-of address is
                          * awaited until mobd_bce.last_ts (monotonic ns; no RFC 4285 timestamps
                          * here) */
#define CN_DNS_BU    0x10 /* mobd_bce.mark: an RR-less BU for it was accepted (its seq counts) */
#define NS_PER_MS    1000000ull

struct cn_nonce {
	uint64_t born;                   /* monotonic ns; 0: empty */
	uint16_t idx;
	uint8_t nonce[CN_NONCE_LEN];
	uint8_t kcn[MK_RR_KCN_LEN];      /* the Kcn in force when it was made */
};

struct cn {
	struct mobd_bc bc;
	struct in6_addr addrs[CN_ADDRS]; /* this node's addresses on the interface */
	int n_addrs;
	uint8_t kcn[MK_RR_KCN_LEN];
	uint64_t kcn_born;
	struct cn_nonce ring[CN_NONCES];
	unsigned n_ring, cur;            /* slots in use; the newest */
	struct mobd_timer sweep, t_nonce, t_probe;
	unsigned n_probing;              /* bindings from DNS with CN_DNS_PROBE */
	struct {
		uint64_t hoti_rx, coti_rx, hot_tx, cot_tx, rr_hao, bu_rx, bu_accepted, bu_dereg,
			ba_tx, be_tx, pp_tx, bad_cksum, malformed, ignored, bu_home_reg, bu_no_bad,
			bu_auth_fail, bu_stale_seq, bu_nonce_exp, bu_full, hao_nobinding,
			unknown_type, expired, kcn_new, nonce_new, send_fail, ro_out, ro_out_bytes, ro_in,
			ro_in_bytes, ro_odd_hao, kernel_fail, brr_tx, bu_regtype, bad_src;
		/* bindings from DNS */
		uint64_t dns_bind, dns_rebind, dns_unbind, dns_refused, dns_kept_bu, dns_first_tx,
			dns_heard, dns_coa_unreachable, dns_icmp_unreach, dns_probe_timeout, dns_replaced,
			dns_bu_shortcut, dns_bu_mismatch, dns_expired;
		uint64_t ba[256];
	} cnt;
};

#define CN(d) ((struct cn *)(d)->rs[MOBD_R_CN])

static void random_fill(void *p, size_t n)
{
	if (getrandom(p, n, 0) != (ssize_t)n)
		fatal("getrandom");
}

/* ---- Kcn and nonces (5.2.7) ---- */

static void nonce_new(struct mobd *d)
{
	struct cn *s = CN(d);
	uint64_t now = now_ns();
	if (!s->kcn_born || now - s->kcn_born >= (uint64_t)d->c.kcn_lifetime * 1000000000ull) {
		random_fill(s->kcn, sizeof s->kcn);
		s->kcn_born = now;
		s->cnt.kcn_new++;
	}
	uint16_t idx = s->ring[s->cur].born ? (uint16_t)(s->ring[s->cur].idx + 1) : 0;
	if (!s->ring[s->cur].born)
		random_fill(&idx, sizeof idx);
	s->cur = (s->cur + 1) % s->n_ring;
	struct cn_nonce *n = &s->ring[s->cur];
	n->born = now;
	n->idx = idx;
	random_fill(n->nonce, sizeof n->nonce);
	memcpy(n->kcn, s->kcn, sizeof n->kcn);
	s->cnt.nonce_new++;
}

/* the nonce of index idx while it is accepted, else NULL */
static const struct cn_nonce *nonce_find(struct mobd *d, uint16_t idx)
{
	struct cn *s = CN(d);
	uint64_t now = now_ns(), life = (uint64_t)d->c.nonce_lifetime * 1000000000ull;
	for (unsigned i = 0; i < s->n_ring; i++) {
		const struct cn_nonce *n = &s->ring[i];
		if (n->born && n->idx == idx && now - n->born <= life)
			return n;
	}
	return NULL;
}

static void nonce_cb(void *arg)
{
	struct mobd *d = arg;
	nonce_new(d);
	ev_timer_arm(&CN(d)->t_nonce, (uint64_t)d->c.nonce_interval * 1000);
}

/* ---- addresses, expiry ---- */

/* a unicast routable source (9.5.1 asks it of a home address; HoT, CoT and
 * errors go nowhere else): not multicast, unspecified, loopback or link-local */
static bool routable(const struct in6_addr *a)
{
	return !IN6_IS_ADDR_MULTICAST(a) && !IN6_IS_ADDR_UNSPECIFIED(a) && !IN6_IS_ADDR_LOOPBACK(a) &&
	       !IN6_IS_ADDR_LINKLOCAL(a);
}

static bool ours(const struct cn *s, const struct in6_addr *a)
{
	for (int i = 0; i < s->n_addrs; i++)
		if (!memcmp(&s->addrs[i], a, 16))
			return true;
	return false;
}

/* ---- route optimization of the data (9.3.1, 9.3.2) ---- */

/* the kernel's route to a bound home address: into the TUN device while the
 * binding lives, so what this node's applications send there comes to
 * cn_tun (no TUN, as in the unit test: nothing to route); 0 or -errno */
static int ro_route(struct mobd *d, const struct in6_addr *hoa, bool add)
{
	char a[INET6_ADDRSTRLEN];
	if (d->io.tun_ifindex <= 0)
		return 0;
	int r = nl_route(add, d->io.tun_ifindex, hoa, 128, 254, 0);
	if (r && !(add && r == -EEXIST) && !(!add && r == -ESRCH)) {
		CN(d)->cnt.kernel_fail++;
		log_info("%s the route to %s: %s", add ? "adding" : "removing", mk_ip6_ntop(hoa, a),
			 strerror(-r));
		return r;
	}
	return 0;
}

/* a binding from DNS stops waiting for its care-of address to answer */
static void dns_probe_end(struct cn *s, struct mobd_bce *e)
{
	if (e->mark & CN_DNS_PROBE) {
		e->mark &= (uint8_t)~CN_DNS_PROBE;
		s->n_probing--;
	}
}

/* a binding goes: its route, then its entry */
static void binding_gone(struct mobd *d, struct mobd_bce *e)
{
	dns_probe_end(CN(d), e);
	ro_route(d, &e->hoa, false);
	bc_del(&CN(d)->bc, e);
}

static void binding_expired(struct mobd *d, struct mobd_bce *e)
{
	if (e->source == MOBD_BCE_DNS)
		CN(d)->cnt.dns_expired++;
	binding_gone(d, e);
}

/* ---- bindings from DNS: is the care-of address there? ---- */

/* a packet came from the care-of address of e, a binding from DNS */
static void dns_heard(struct cn *s, struct mobd_bce *e)
{
	if (e->source != MOBD_BCE_DNS || (e->mark & CN_DNS_HEARD))
		return;
	e->mark |= CN_DNS_HEARD;
	dns_probe_end(s, e);
	s->cnt.dns_heard++;
}

/* a packet from src without a Home Address option (a CoTI): the bindings
 * from DNS that wait for src have their answer (a scan, only while some
 * wait) */
static void dns_heard_from(struct cn *s, const struct in6_addr *src)
{
	for (uint32_t i = 0; i < s->bc.hwm && s->n_probing; i++) {
		struct mobd_bce *e = &s->bc.pool[i];
		if (e->used && (e->mark & CN_DNS_PROBE) && !memcmp(&e->coa, src, 16))
			dns_heard(s, e);
	}
}

/* the care-of address of a binding from DNS is unreachable: the binding
 * goes, so the kernel's next packet to the home address (the SYN's
 * retransmission) takes the ordinary route, through the home agent */
static void dns_unreachable(struct mobd *d, struct mobd_bce *e, const char *why)
{
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	CN(d)->cnt.dns_coa_unreachable++;
	log_info("binding %s -> %s from DNS: %s; removed, %s is reached through its home agent",
		 mk_ip6_ntop(&e->hoa, a), mk_ip6_ntop(&e->coa, b), why, a);
	binding_gone(d, e);
}

static void probe_cb(void *arg)
{
	struct mobd *d = arg;
	struct cn *s = CN(d);
	uint64_t now = now_ns(), next = 0;
	char why[80];
	snprintf(why, sizeof why, "no answer from the care-of address within %u ms", d->c.cn_dns_probe_ms);
	for (uint32_t i = 0; i < s->bc.hwm && s->n_probing; i++) {
		struct mobd_bce *e = &s->bc.pool[i];
		if (!e->used || !(e->mark & CN_DNS_PROBE))
			continue;
		if (e->last_ts <= now) {
			s->cnt.dns_probe_timeout++;
			dns_unreachable(d, e, why);
		} else if (!next || e->last_ts < next) {
			next = e->last_ts;
		}
	}
	if (next)
		ev_timer_arm(&s->t_probe, (next - now) / NS_PER_MS + 1);
}

/* the first packet sent on a binding from DNS: the probe starts */
static void dns_first_tx(struct mobd *d, struct mobd_bce *e)
{
	struct cn *s = CN(d);
	s->cnt.dns_first_tx++;
	if (!d->c.cn_dns_probe_ms || (e->mark & (CN_DNS_HEARD | CN_DNS_PROBE)))
		return;
	e->mark |= CN_DNS_PROBE;
	e->last_ts = now_ns() + (uint64_t)d->c.cn_dns_probe_ms * NS_PER_MS;
	s->n_probing++;
	if (!s->t_probe.due || s->t_probe.due > e->last_ts)
		ev_timer_arm(&s->t_probe, d->c.cn_dns_probe_ms);
}

/* what the kernel routed into the TUN to a bound home address leaves with
 * a type 2 routing header (9.3.2): to the care-of address, the home address
 * in the RH2.  The upper-layer checksum stays: its pseudo-header already
 * names the home address, the final destination. */
static void cn_tun(struct mobd *d, const uint8_t *pkt, size_t len)
{
	struct cn *s = CN(d);
	static uint8_t out[65536 + 64];
	struct mk_ip6 ih;
	size_t n;
	if (mk_ip6_parse(pkt, len, &ih).err != MK_E_OK)
		return;
	struct mobd_bce *e = bc_find(&s->bc, &ih.dst);
	if (!e)
		return; /* not a mobile node's: another role's, or none */
	struct mk_pkt o = { .ip = ih, .has_rh2 = true, .rh2_hoa = ih.dst, .ulp = ih.nh,
			    .payload = pkt + 40, .payload_len = ih.plen };
	o.ip.dst = e->coa;
	if (mk_pkt_build(out, sizeof out, &o, &n).err != MK_E_OK || io_send(&d->io, out, n) != 0) {
		s->cnt.send_fail++;
		if (e->source == MOBD_BCE_DNS)
			dns_unreachable(d, e, "the kernel refused the packet to the care-of address");
		return;
	}
	s->cnt.ro_out++;
	s->cnt.ro_out_bytes += n;
	if (e->source == MOBD_BCE_DNS && !(e->mark & CN_USED))
		dns_first_tx(d, e);
	e->mark |= CN_USED;
}

/* a packet from a bound care-of address with its home address in the HAO
 * (hao_ok said so) goes to the kernel as from the home address, through the
 * TUN, its Destination Options header removed (9.3.1).  Only a header that
 * holds the HAO and its padding (24 octets) is removed; a packet with other
 * destination options is counted (ro_odd_hao) and dropped. */
static void ro_deliver(struct mobd *d, const struct mobd_pkt *p, const struct in6_addr *hoa)
{
	struct cn *s = CN(d);
	static uint8_t in[65536];
	size_t n = p->c.ext[p->c.hao].len != 24 ? 0
		   : pkt_strip_ext(p->pkt, &p->c, p->c.hao, 8, hoa, in, sizeof in);
	if (!n) {
		s->cnt.ro_odd_hao++;
		return;
	}
	if (!tun_write(d, in, n)) {
		s->cnt.send_fail++;
		return;
	}
	s->cnt.ro_in++;
	s->cnt.ro_in_bytes += n;
}

/* 9.5.5: a binding in use that expires within cn-brr seconds gets one
 * Binding Refresh Request, to the home address through an RH2 to the
 * care-of address, from this node's first address (the binding does not
 * keep the one its BU was sent to) */
static void brr_due(struct mobd *d, uint64_t now)
{
	struct cn *s = CN(d);
	uint8_t mhb[16];
	uint64_t before = (uint64_t)d->c.cn_brr * 1000000000ull;
	size_t n = msg_brr(&d->c.cp, mhb, sizeof mhb);
	if (!d->c.cn_brr || !n || s->n_addrs <= 0)
		return;
	for (uint32_t i = 0; i < s->bc.hwm && s->bc.n; i++) {
		struct mobd_bce *e = &s->bc.pool[i];
		if (!e->used || (e->mark & (CN_USED | CN_BRR_SENT)) != CN_USED || e->expires > now + before)
			continue;
		e->mark |= CN_BRR_SENT;
		if (msg_send(d, &s->addrs[0], &e->coa, NULL, &e->hoa, MK_MH_NEXTHDR, mhb, n) != 0)
			s->cnt.send_fail++;
		else
			s->cnt.brr_tx++;
	}
}

static void sweep_cb(void *arg)
{
	struct mobd *d = arg;
	struct cn *s = CN(d);
	s->cnt.expired += bc_expire(&s->bc, now_ns(), binding_expired, d);
	brr_due(d, now_ns());
	struct in6_addr now_addrs[CN_ADDRS];
	int n = nl_addrs(d->io.ifindex, now_addrs, CN_ADDRS);
	if (n > 0) { /* a failed dump keeps the last list */
		memcpy(s->addrs, now_addrs, (size_t)n * sizeof now_addrs[0]);
		s->n_addrs = n;
	}
	ev_timer_arm(&s->sweep, 1000);
}

/* ---- sending ---- */

/* a BA from cn (the BU's destination) to the BU's source, an RH2 with the
 * home address when they differ; with the Binding Authorization Data
 * option when kbm (5.2.6: CoA = the BA's destination, CN = its source) */
static void send_ba(struct mobd *d, const struct in6_addr *cn, const struct in6_addr *to,
		    const struct in6_addr *hoa, uint8_t status, uint16_t seq, uint32_t lifetime_s,
		    const uint8_t *kbm)
{
	struct cn *s = CN(d);
	uint8_t mhb[64];
	struct mk_mh m;
	size_t n;
	if (status >= MK_BA_REJECT_MIN && !err_allow(d))
		return;
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.status = status;
	m.u.ba.seq = seq;
	m.u.ba.lifetime = mk_mh_lifetime_units(lifetime_s);
	if (kbm)
		m.opts[m.nopts++].kind = MK_MHO_BAD; /* authenticator zero until filled */
	if (mk_mh_build(mhb, sizeof mhb, &d->c.cp, &m, &n).err != MK_E_OK ||
	    (kbm && mk_rr_bad_fill(mhb, n, &d->c.cp, kbm, to, cn).err != MK_E_OK))
		return;
	if (msg_send(d, cn, to, NULL, memcmp(to, hoa, 16) ? hoa : NULL, MK_MH_NEXTHDR, mhb, n) != 0) {
		s->cnt.send_fail++;
		return;
	}
	s->cnt.ba_tx++;
	s->cnt.ba[status]++;
}

static void send_be(struct mobd *d, const struct in6_addr *cn, const struct in6_addr *to,
		    const struct in6_addr *hoa, uint8_t status)
{
	struct cn *s = CN(d);
	msg_be_limited(d, cn, to, hoa, status, &s->cnt.be_tx, &s->cnt.send_fail);
}

/* ---- return routability (9.4) ---- */

static void on_testinit(struct mobd *d, const struct mobd_pkt *p)
{
	struct cn *s = CN(d);
	bool home = p->m.type == MK_MH_HOTI;
	uint8_t token[MK_RR_TOKEN_LEN], mhb[64];
	const struct cn_nonce *n = &s->ring[s->cur];
	struct mk_status st;
	if (home)
		s->cnt.hoti_rx++;
	else
		s->cnt.coti_rx++;
	if (p->c.hao >= 0) {
		s->cnt.rr_hao++; /* 9.4.1, 9.4.2: MUST NOT carry a Home Address option */
		return;
	}
	if (home)
		st = mk_rr_home_keygen(n->kcn, &p->ih.src, n->nonce, sizeof n->nonce, token);
	else
		st = mk_rr_careof_keygen(n->kcn, &p->ih.src, n->nonce, sizeof n->nonce, token);
	size_t len = st.err != MK_E_OK ? 0 : msg_test(&d->c.cp, home ? MK_MH_HOT : MK_MH_COT, n->idx,
						       p->m.u.testinit.cookie, token, mhb, sizeof mhb);
	if (!len)
		return;
	/* to the HoTI's (CoTI's) source, from its destination (9.4.3, 9.4.4) */
	if (msg_send(d, &p->ih.dst, &p->ih.src, NULL, NULL, MK_MH_NEXTHDR, mhb, len) != 0) {
		s->cnt.send_fail++;
		return;
	}
	if (home)
		s->cnt.hot_tx++;
	else
		s->cnt.cot_tx++;
}

/* ---- Binding Update (9.5.1) ---- */

/* Kbm from the nonce indices of a BU, or the BA status that refuses it:
 * 136, 137, 138 for indices no longer known */
static uint8_t bu_kbm(struct mobd *d, const struct mk_mh_opt *ni, const struct in6_addr *hoa,
		      const struct in6_addr *coa, bool dereg, uint8_t kbm[MK_RR_KBM_LEN])
{
	const struct cn_nonce *h = nonce_find(d, ni->v.nonce.home);
	const struct cn_nonce *c = dereg ? NULL : nonce_find(d, ni->v.nonce.careof);
	uint8_t ht[MK_RR_TOKEN_LEN], ct[MK_RR_TOKEN_LEN];
	if (!h && !dereg && !c)
		return MK_BA_NONCES_EXP;
	if (!h)
		return MK_BA_HOME_NONCE_EXP;
	if (!dereg && !c)
		return MK_BA_CAREOF_NONCE_EXP;
	if (mk_rr_home_keygen(h->kcn, hoa, h->nonce, sizeof h->nonce, ht).err != MK_E_OK ||
	    (c && mk_rr_careof_keygen(c->kcn, coa, c->nonce, sizeof c->nonce, ct).err != MK_E_OK) ||
	    mk_rr_kbm(ht, c ? ct : NULL, kbm).err != MK_E_OK)
		return MK_BA_UNSPECIFIED;
	return MK_BA_ACCEPTED;
}

/* A BU without return routability (no Nonce Indices, no Binding
 * Authorization Data): the paper's shortcut, where the mobile server
 * answers a client's first SYN at once and tells it of the binding.  RFC
 * 6275 has no such case (9.5.1 discards it); here it is accepted only when
 * it changes nothing this node did not already believe.  The binding came
 * from DNS: the name's owner published HOA -> COA with a signed dynamic
 * update and this node sends to COA on that alone.  A BU from COA (source
 * address, and an Alternate Care-of Address if any, equal to the binding's)
 * with a Home Address option for HOA can send no traffic anywhere this node
 * was not already sending it: it cannot make a binding where there is none,
 * move one, or outlive the one from DNS (its lifetime is cut to what is
 * left), so whoever forges it gains nothing a forged CAAAA would not give.
 * What it brings: the proof that COA answers (the probe ends), the mobile
 * node's sequence number (later BUs must be newer), and a BA (without
 * Binding Authorization Data: there is no Kbm) so the mobile node knows
 * the binding holds.  Any other BU without authorization is discarded as
 * 9.5.1 says (bu_no_bad; dns_bu_mismatch when a binding from DNS names
 * another care-of address). */
static void dns_bu(struct mobd *d, const struct mobd_pkt *p, const struct in6_addr *hoa,
		   const struct in6_addr *coa, uint16_t seq, uint32_t life)
{
	struct cn *s = CN(d);
	struct mobd_bce *e = bc_find(&s->bc, hoa);
	uint64_t now = now_ns();
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (!e || e->source != MOBD_BCE_DNS || e->expires <= now) {
		s->cnt.bu_no_bad++; /* RR is the only other authorization: discarded */
		return;
	}
	if (memcmp(&e->coa, coa, 16) || memcmp(&e->coa, &p->ih.src, 16) || !life) {
		s->cnt.bu_no_bad++;
		s->cnt.dns_bu_mismatch++;
		log_debug("BU without return routability for %s from %s: the binding from DNS names %s: "
			  "discarded", mk_ip6_ntop(hoa, a), mk_ip6_ntop(&p->ih.src, b),
			  mk_ip6_ntop(&e->coa, (char[INET6_ADDRSTRLEN]){ 0 }));
		return;
	}
	if ((e->mark & CN_DNS_BU) && !mk_mh_seq_newer(seq, e->seq)) {
		s->cnt.bu_stale_seq++;
		send_ba(d, &p->ih.dst, &p->ih.src, hoa, MK_BA_SEQ_OUT_OF_WIN, e->seq, 0, NULL);
		return;
	}
	uint32_t left = (uint32_t)((e->expires - now) / 1000000000ull);
	left -= left % 4; /* a BA says 4 s units: never past what is left */
	if (life > left)
		life = left;
	e->seq = seq;
	e->flags = p->m.u.bu.flags;
	e->mark |= CN_DNS_BU;
	dns_heard(s, e);
	s->cnt.dns_bu_shortcut++;
	s->cnt.bu_accepted++;
	log_info("binding %s -> %s from DNS confirmed by a BU without return routability, seq %u, "
		 "%u s left", mk_ip6_ntop(hoa, a), mk_ip6_ntop(coa, b), seq, life);
	if (p->m.u.bu.flags & MK_BU_A)
		send_ba(d, &p->ih.dst, &p->ih.src, hoa, MK_BA_ACCEPTED, seq, life, NULL);
}

static void on_bu(struct mobd *d, const struct mobd_pkt *p)
{
	struct cn *s = CN(d);
	const struct mk_mh *m = &p->m;
	const struct mk_ip6 *ih = &p->ih;
	const struct mk_mh_opt *ni = mk_mh_find_opt(m, MK_MHO_NONCE);
	const struct mk_mh_opt *bad = mk_mh_find_opt(m, MK_MHO_BAD);
	const struct mk_mh_opt *alt = mk_mh_find_opt(m, MK_MHO_ALTCOA);
	struct in6_addr hoa, coa, badcoa;
	uint16_t seq = m->u.bu.seq;
	uint32_t life = mk_mh_lifetime_sec(m->u.bu.lifetime);
	uint8_t kbm[MK_RR_KBM_LEN];
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	if (m->u.bu.flags & MK_BU_H) {
		if (d->c.roles & MOBD_RB(MOBD_R_HA))
			return; /* the home agent's */
		s->cnt.bu_rx++;
		s->cnt.bu_home_reg++;
		pkt_hoa(p->pkt, &p->c, &ih->src, &hoa);
		send_ba(d, &ih->dst, &ih->src, &hoa, MK_BA_HOMEREG_NOTSUP, seq, 0, NULL);
		return;
	}
	s->cnt.bu_rx++;
	pkt_hoa(p->pkt, &p->c, &ih->src, &hoa);
	coa = alt ? alt->v.altcoa : ih->src;
	if (!routable(&hoa) || !routable(&coa)) {
		s->cnt.bad_src++;
		return;
	}
	if (!bad && !ni) {
		dns_bu(d, p, &hoa, &coa, seq, life); /* a binding from DNS's, or discarded */
		return;
	}
	if (!bad || !ni) {
		s->cnt.bu_no_bad++; /* RR is this node's only authorization: discarded */
		return;
	}
	bool dereg = life == 0 || !memcmp(&coa, &hoa, 16);
	uint8_t st = bu_kbm(d, ni, &hoa, &coa, dereg, kbm);
	if (st != MK_BA_ACCEPTED) {
		s->cnt.bu_nonce_exp++;
		log_debug("BU from %s for %s: nonce index %u/%u not known: status %u",
			  mk_ip6_ntop(&ih->src, a), mk_ip6_ntop(&hoa, b), ni->v.nonce.home,
			  ni->v.nonce.careof, st);
		send_ba(d, &ih->dst, &ih->src, &hoa, st, seq, 0, NULL);
		return;
	}
	mk_rr_bad_coa(m, &ih->src, &hoa, &badcoa);
	if (mk_rr_bad_verify(p->mh, p->mhlen, &d->c.cp, kbm, &badcoa, &ih->dst).err != MK_E_OK) {
		s->cnt.bu_auth_fail++;
		log_debug("BU from %s for %s: wrong authenticator: discarded", mk_ip6_ntop(&ih->src, a),
			  mk_ip6_ntop(&hoa, b));
		return;
	}
	if (role_binding(d, MOBD_R_HA, &hoa)) {
		/* a home registration here: the H flag may not change (9.5.1) */
		s->cnt.bu_regtype++;
		send_ba(d, &ih->dst, &ih->src, &hoa, MK_BA_REGTYPE_CHANGE, seq, 0, kbm);
		return;
	}
	struct mobd_bce *e = bc_find(&s->bc, &hoa);
	/* a binding from DNS has no sequence number of the mobile node's
	 * unless an RR-less BU gave it one */
	if (e && (e->source != MOBD_BCE_DNS || (e->mark & CN_DNS_BU)) && !mk_mh_seq_newer(seq, e->seq)) {
		s->cnt.bu_stale_seq++;
		send_ba(d, &ih->dst, &ih->src, &hoa, MK_BA_SEQ_OUT_OF_WIN, e->seq, 0, kbm);
		return;
	}
	bool ack = m->u.bu.flags & MK_BU_A;
	if (dereg) {
		if (e) {
			log_info("deregistered %s (was at %s)", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&e->coa, b));
			binding_gone(d, e);
		}
		s->cnt.bu_dereg++;
		if (ack)
			send_ba(d, &ih->dst, &ih->src, &hoa, MK_BA_ACCEPTED, seq, 0, kbm);
		return;
	}
	bool fresh = !e;
	if (!e && !(e = bc_new(&s->bc, &hoa))) {
		s->cnt.bu_full++;
		send_ba(d, &ih->dst, &ih->src, &hoa, MK_BA_RESOURCES, seq, 0, kbm);
		return;
	}
	if (e->source == MOBD_BCE_DNS) {
		/* return routability done: the binding is the BU's now */
		dns_probe_end(s, e);
		e->source = MOBD_BCE_BU;
		s->cnt.dns_replaced++;
		log_info("binding %s from DNS replaced by a BU with return routability",
			 mk_ip6_ntop(&hoa, a));
	}
	bool moved = bc_accept(e, fresh, &coa, seq, m->u.bu.flags, &life, d->c.cn_max_lifetime);
	e->mark = 0; /* a new lifetime: no refresh asked yet, not used yet */
	if (fresh)
		ro_route(d, &hoa, true);
	s->cnt.bu_accepted++;
	if (moved)
		log_info("binding %s -> %s seq %u lifetime %u s", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&coa, b),
			 seq, life);
	if (ack)
		send_ba(d, &ih->dst, &ih->src, &hoa, MK_BA_ACCEPTED, seq, life, kbm);
}

/* a Home Address option must name a binding from the packet's source
 * (9.3.1); true if it does (or there is none), else BE 1 and false */
static bool hao_ok(struct mobd *d, const struct mobd_pkt *p)
{
	struct cn *s = CN(d);
	struct in6_addr hoa;
	if (p->c.hao < 0)
		return true;
	pkt_hoa(p->pkt, &p->c, &p->ih.src, &hoa);
	struct mobd_bce *e = bc_find(&s->bc, &hoa);
	if (e && !memcmp(&e->coa, &p->ih.src, 16)) {
		dns_heard(s, e);
		return true;
	}
	s->cnt.hao_nobinding++;
	send_be(d, &p->ih.dst, &p->ih.src, &hoa, MK_BE_UNKNOWN_HAO);
	return false;
}

/* an MH that did not parse (9.2); the home agent answers these when it
 * runs in this mobd */
static void on_mh_error(struct mobd *d, const struct mobd_pkt *p)
{
	struct cn *s = CN(d);
	struct in6_addr hoa;
	if (p->cksum == 1) {
		s->cnt.bad_cksum++;
		return;
	}
	switch (p->st.err) {
	case MK_E_MH_PROTO:
	case MK_E_MH_HLEN_SHORT:
		s->cnt.malformed++;
		if (d->c.roles & MOBD_RB(MOBD_R_HA) || !err_allow(d))
			return;
		if (msg_pp(d, &p->ih.dst, &p->ih.src, p->pkt, p->c.end,
			   (uint32_t)(p->c.ulp_off + p->st.off)) == 0)
			s->cnt.pp_tx++;
		return;
	case MK_E_MH_UNKNOWN_TYPE:
		s->cnt.unknown_type++;
		if (d->c.roles & MOBD_RB(MOBD_R_HA))
			return;
		pkt_hoa(p->pkt, &p->c, &in6addr_any, &hoa); /* 9.3.3: :: without a HAO */
		send_be(d, &p->ih.dst, &p->ih.src, &hoa, MK_BE_UNKNOWN_TYPE);
		return;
	default:
		s->cnt.malformed++;
		return;
	}
}

static void cn_mh(struct mobd *d, const struct mobd_pkt *p)
{
	struct cn *s = CN(d);
	if (!p->chain_ok) {
		s->cnt.malformed++;
		return;
	}
	if (!ours(s, &p->ih.dst))
		return;
	if (!routable(&p->ih.src)) {
		s->cnt.bad_src++; /* nothing is answered to such a source */
		return;
	}
	if (p->cksum == 1 || p->st.err != MK_E_OK) {
		on_mh_error(d, p);
		return;
	}
	if (s->n_probing && p->c.hao < 0)
		dns_heard_from(s, &p->ih.src); /* a CoTI from a care-of address from DNS */
	switch (p->m.type) {
	case MK_MH_HOTI:
	case MK_MH_COTI:
		on_testinit(d, p);
		break;
	case MK_MH_BU:
		on_bu(d, p);
		break;
	default:
		if (hao_ok(d, p))
			s->cnt.ignored++;
		break;
	}
}

/* not a Mobility Header: data with a Home Address option is checked and,
 * from the binding's care-of address, delivered */
static void cn_ip(struct mobd *d, const struct mobd_pkt *p)
{
	struct cn *s = CN(d);
	struct in6_addr hoa;
	if (!p->chain_ok || !ours(s, &p->ih.dst))
		return;
	if (p->c.hao >= 0 && !routable(&p->ih.src)) {
		s->cnt.bad_src++;
		return;
	}
	if (!hao_ok(d, p))
		return;
	if (p->c.hao < 0) {
		s->cnt.ignored++;
		return;
	}
	pkt_hoa(p->pkt, &p->c, &p->ih.src, &hoa);
	ro_deliver(d, p, &hoa);
}

/* an ICMPv6 Destination Unreachable quoting a packet we sent on a binding
 * from DNS (to its care-of address, with an RH2 naming its home address):
 * the care-of address from DNS is not there, the binding goes.  Whoever
 * can forge it only sends the client through the home agent. */
static void cn_icmp6(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src,
		     const struct in6_addr *dst)
{
	struct cn *s = CN(d);
	static struct mk_icmp6 r;
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	struct in6_addr hoa;
	char why[96], a[INET6_ADDRSTRLEN];
	(void)dst;
	if (!len || buf[0] != 1 || mk_icmp6_parse(buf, len, &d->c.cp, &r).err != MK_E_OK ||
	    r.kind != MK_ICMP6_K_DST_UNREACH)
		return;
	if (mk_ip6_chain_parse(r.u.err.invoking, r.u.err.invoking_len, &ih, &c).err != MK_E_OK ||
	    c.rh2 < 0 || c.rh2_hoa_off + 16 > r.u.err.invoking_len)
		return;
	memcpy(&hoa, r.u.err.invoking + c.rh2_hoa_off, 16);
	struct mobd_bce *e = bc_find(&s->bc, &hoa);
	if (!e || e->source != MOBD_BCE_DNS || memcmp(&e->coa, &ih.dst, 16) || !ours(s, &ih.src))
		return;
	s->cnt.dns_icmp_unreach++;
	snprintf(why, sizeof why, "ICMPv6 Destination Unreachable code %u from %s", r.code,
		 mk_ip6_ntop(src, a));
	dns_unreachable(d, e, why);
}

/* ---- the control commands of bindings from DNS ---- */

/* the words of args into w[] (at most max, in buf): their count, max + 1
 * if there are more */
static int split_args(const char *args, char *buf, size_t cap, char **w, int max)
{
	char *save = NULL, *p;
	int n = 0;
	snprintf(buf, cap, "%s", args);
	for (p = strtok_r(buf, " \t", &save); p; p = strtok_r(NULL, " \t", &save)) {
		if (n == max)
			return max + 1;
		w[n++] = p;
	}
	return n;
}

/* an address argument: a unicast routable IPv6 address, else a usage
 * answer naming it; true if good */
static bool arg_addr(FILE *f, const char *usage, const char *what, const char *s, struct in6_addr *a)
{
	if (inet_pton(AF_INET6, s, a) != 1) {
		fprintf(f, "error: usage: %s: %s '%s' is not an IPv6 address\n", usage, what, s);
		return false;
	}
	if (!routable(a)) {
		fprintf(f, "error: usage: %s: %s '%s' is not a unicast routable address\n", usage, what, s);
		return false;
	}
	return true;
}

void cn_cmd_bind(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f)
{
	static const char usage[] = "cn-bind HOA COA LIFETIME_S";
	struct cn *s = CN(d);
	char buf[256], *w[3], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	struct in6_addr hoa, coa;
	unsigned long life;
	(void)cmd;
	(void)json;
	int n = split_args(args, buf, sizeof buf, w, 3);
	if (n != 3) {
		fprintf(f, "error: usage: %s: expected 3 arguments, got %s\n", usage,
			n > 3 ? "more" : n == 2 ? "2" : n == 1 ? "1" : "none");
		return;
	}
	if (!arg_addr(f, usage, "HOA", w[0], &hoa) || !arg_addr(f, usage, "COA", w[1], &coa))
		return;
	if (!memcmp(&hoa, &coa, 16)) {
		fprintf(f, "error: usage: %s: HOA and COA are the same address %s\n", usage, w[0]);
		return;
	}
	if (conf_num(w[2], 1, 0xffffffffUL, &life) != 0) {
		fprintf(f, "error: usage: %s: LIFETIME_S '%s': expected 1..4294967295 seconds\n", usage,
			w[2]);
		return;
	}
	if (ours(s, &hoa) || ours(s, &coa)) {
		s->cnt.dns_refused++;
		fprintf(f, "error: %s is an address of this node\n", ours(s, &hoa) ? w[0] : w[1]);
		return;
	}
	if (role_binding(d, MOBD_R_HA, &hoa)) {
		s->cnt.dns_refused++;
		fprintf(f, "error: %s has a home registration at this node's home agent\n", w[0]);
		return;
	}
	struct mobd_bce *e = bc_find(&s->bc, &hoa);
	if (e && e->source != MOBD_BCE_DNS) {
		/* the mobile node's own word (return routability) beats the name
		 * server's; it sends a new BU itself when it moves */
		if (!memcmp(&e->coa, &coa, 16)) {
			fputs("ok\n", f);
			return;
		}
		s->cnt.dns_kept_bu++;
		fprintf(f, "error: %s is bound by a Binding Update to %s: kept\n", w[0],
			mk_ip6_ntop(&e->coa, a));
		return;
	}
	bool fresh = !e;
	if (!e && !(e = bc_new(&s->bc, &hoa))) {
		s->cnt.dns_refused++;
		fprintf(f, "error: binding cache full (%u entries)\n", d->c.cn_max_bindings);
		return;
	}
	uint32_t l = life > d->c.cn_dns_max_lifetime ? d->c.cn_dns_max_lifetime : (uint32_t)life;
	if (fresh || memcmp(&e->coa, &coa, 16)) {
		/* a new care-of address: not heard from yet, no BU for it */
		dns_probe_end(s, e);
		e->mark = 0;
		e->seq = 0;
		e->flags = 0;
	}
	e->coa = coa;
	e->source = MOBD_BCE_DNS;
	e->granted = l;
	e->expires = now_ns() + (uint64_t)l * 1000000000ull;
	int r = fresh ? ro_route(d, &hoa, true) : 0;
	if (r) {
		s->cnt.dns_refused++;
		bc_del(&s->bc, e);
		fprintf(f, "error: the route to %s into the TUN: %s\n", w[0], strerror(-r));
		return;
	}
	if (fresh)
		s->cnt.dns_bind++;
	else
		s->cnt.dns_rebind++;
	log_info("binding %s -> %s from DNS, lifetime %u s", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&coa, b), l);
	fputs("ok\n", f);
}

void cn_cmd_unbind(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f)
{
	static const char usage[] = "cn-unbind HOA";
	struct cn *s = CN(d);
	char buf[256], *w[1], a[INET6_ADDRSTRLEN];
	struct in6_addr hoa;
	(void)cmd;
	(void)json;
	int n = split_args(args, buf, sizeof buf, w, 1);
	if (n != 1) {
		fprintf(f, "error: usage: %s: expected 1 argument, got %s\n", usage, n ? "more" : "none");
		return;
	}
	if (!arg_addr(f, usage, "HOA", w[0], &hoa))
		return;
	struct mobd_bce *e = bc_find(&s->bc, &hoa);
	if (!e) {
		fprintf(f, "error: no binding for %s\n", w[0]);
		return;
	}
	if (e->source != MOBD_BCE_DNS) {
		fprintf(f, "error: %s is bound by a Binding Update, not from DNS: kept\n", w[0]);
		return;
	}
	log_info("binding %s -> %s from DNS removed (cn-unbind)", w[0], mk_ip6_ntop(&e->coa, a));
	binding_gone(d, e);
	s->cnt.dns_unbind++;
	fputs("ok\n", f);
}

/* ---- start, stop, show ---- */

/* the state, the first nonce, the timers (no I/O: the unit test starts here) */
static int cn_state(struct mobd *d, char *err, size_t errlen)
{
	struct cn *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->rs[MOBD_R_CN] = s;
	if (bc_init(&s->bc, d->c.cn_max_bindings) != 0) {
		snprintf(err, errlen, "cannot allocate a binding cache of %u entries", d->c.cn_max_bindings);
		return -1;
	}
	s->n_ring = d->c.nonce_lifetime / d->c.nonce_interval + 2;
	s->cur = s->n_ring - 1;
	nonce_new(d);
	s->t_nonce.cb = nonce_cb;
	s->t_nonce.arg = d;
	ev_timer_arm(&s->t_nonce, (uint64_t)d->c.nonce_interval * 1000);
	s->t_probe.cb = probe_cb;
	s->t_probe.arg = d;
	s->sweep.cb = sweep_cb;
	s->sweep.arg = d;
	ev_timer_arm(&s->sweep, 1000);
	return 0;
}

static int cn_start(struct mobd *d, char *err, size_t errlen)
{
	if (cn_state(d, err, errlen) != 0)
		return -1;
	struct cn *s = CN(d);
	s->n_addrs = nl_addrs(d->io.ifindex, s->addrs, CN_ADDRS);
	if (s->n_addrs <= 0) {
		snprintf(err, errlen, "%s has no global address to be a correspondent on", d->c.iface);
		return -1;
	}
	log_info("correspondent on %s: %d address%s, a nonce every %u s accepted %u s, Kcn every %u s, "
		 "%u bindings at most",
		 d->c.iface, s->n_addrs, s->n_addrs == 1 ? "" : "es", d->c.nonce_interval,
		 d->c.nonce_lifetime, d->c.kcn_lifetime, d->c.cn_max_bindings);
	return 0;
}

static void cn_stop(struct mobd *d)
{
	struct cn *s = CN(d);
	if (!s)
		return;
	ev_timer_stop(&s->sweep);
	ev_timer_stop(&s->t_nonce);
	ev_timer_stop(&s->t_probe);
	for (uint32_t i = 0; s->bc.pool && i < s->bc.hwm && s->bc.n; i++)
		if (s->bc.pool[i].used)
			binding_gone(d, &s->bc.pool[i]);
	bc_free(&s->bc);
	explicit_bzero(s, sizeof *s); /* Kcn and the nonces */
	free(s);
	d->rs[MOBD_R_CN] = NULL;
}

static const struct mobd_bce *cn_binding(struct mobd *d, const struct in6_addr *hoa)
{
	return bc_find(&CN(d)->bc, hoa);
}

static void cn_show(struct mobd *d, const char *what, bool json, FILE *f)
{
	struct cn *s = CN(d);
	if (!strcmp(what, "bc")) {
		bc_show(&s->bc, json, f);
		return;
	}
	if (strcmp(what, "counters") && strcmp(what, "status")) {
		fputs(json ? "[]\n" : "", f); /* no binding update list, no home agent list */
		return;
	}
#define C(name) { #name, &s->cnt.name }
	const struct { const char *n; const uint64_t *v; } cs[] = {
		C(hoti_rx), C(coti_rx), C(hot_tx), C(cot_tx), C(rr_hao), C(bu_rx), C(bu_accepted),
		C(bu_dereg), C(ba_tx), C(be_tx), C(pp_tx), C(bad_cksum), C(malformed), C(ignored),
		C(bu_home_reg), C(bu_no_bad), C(bu_auth_fail), C(bu_stale_seq), C(bu_nonce_exp),
		C(bu_full), C(hao_nobinding), C(unknown_type), C(expired), C(kcn_new), C(nonce_new),
		C(send_fail), C(ro_out), C(ro_out_bytes), C(ro_in), C(ro_in_bytes), C(ro_odd_hao),
		C(kernel_fail), C(brr_tx), C(bu_regtype), C(bad_src),
		C(dns_bind), C(dns_rebind), C(dns_unbind), C(dns_refused), C(dns_kept_bu), C(dns_first_tx),
		C(dns_heard), C(dns_coa_unreachable), C(dns_icmp_unreach), C(dns_probe_timeout),
		C(dns_replaced), C(dns_bu_shortcut), C(dns_bu_mismatch), C(dns_expired), { "err_sent", &d->errlim.sent }, { "err_suppressed", &d->errlim.suppressed },
	};
#undef C
	bool all = !strcmp(what, "counters");
	unsigned idx = s->ring[s->cur].idx;
	if (json)
		fprintf(f, "{\"role\":\"correspondent\",\"bindings\":%u,\"max_bindings\":%u,"
			   "\"nonce_index\":%u,\"pid\":%d",
			s->bc.n, d->c.cn_max_bindings, idx, (int)getpid());
	else
		fprintf(f, "correspondent, %u bindings of %u, nonce index %u, pid %d\n", s->bc.n,
			d->c.cn_max_bindings, idx, (int)getpid());
	for (size_t i = 0; all && i < sizeof cs / sizeof cs[0]; i++)
		fprintf(f, json ? ",\"%s\":%llu" : "%-16s %llu\n", cs[i].n, (unsigned long long)*cs[i].v);
	if (json && all)
		fputs(",\"ba_status\":{", f);
	for (int k = 0, first = 1; all && k < 256; k++)
		if (s->cnt.ba[k]) {
			fprintf(f, json ? "%s\"%d\":%llu" : "%sba_status_%-6d %llu\n", json && !first ? "," : "",
				k, (unsigned long long)s->cnt.ba[k]);
			first = 0;
		}
	if (json)
		fputs(all ? "}}\n" : "}\n", f);
}

/* ---- configuration: the correspondent's keywords ---- */

#define OFF(f) offsetof(struct mobd_conf, f)
#define NUM(name, lo, hi, unit, f) { name, false, conf_p_num, OFF(f), 0, lo, hi, unit }
static const struct mobd_kw cn_kws[] = {
	NUM("nonce-lifetime", 1, 3600, " seconds", nonce_lifetime),
	NUM("nonce-interval", 1, 3600, " seconds", nonce_interval),
	NUM("kcn-lifetime", 1, 86400, " seconds", kcn_lifetime),
	NUM("cn-max-bindings", 1, 16000000, "", cn_max_bindings),
	NUM("cn-max-lifetime", 4, MOBD_MAX_RR_BINDING_LIFETIME_S, " seconds", cn_max_lifetime),
	NUM("cn-refresh-request", 0, MOBD_MAX_RR_BINDING_LIFETIME_S, " seconds (0: none)", cn_brr),
	NUM("cn-dns-max-lifetime", 1, 86400, " seconds", cn_dns_max_lifetime),
	NUM("cn-dns-probe-timeout", 0, 60000, " ms (0: none)", cn_dns_probe_ms),
};
#undef NUM
#undef OFF

static void cn_conf_check(struct mobd_conf_ctx *x, struct mobd_conf *c)
{
	if (c->nonce_interval > c->nonce_lifetime)
		conf_bad(x, "%s: nonce-interval %u is longer than nonce-lifetime %u", conf_path(x),
			 c->nonce_interval, c->nonce_lifetime);
	else if (c->nonce_lifetime / c->nonce_interval + 2 > CN_NONCES)
		conf_bad(x, "%s: nonce-lifetime %u / nonce-interval %u keeps more than %d nonces",
			 conf_path(x), c->nonce_lifetime, c->nonce_interval, CN_NONCES - 2);
}

static void cn_conf_print(const struct mobd_conf *c, FILE *f)
{
	fprintf(f, "nonce-lifetime %u\nnonce-interval %u\nkcn-lifetime %u\ncn-max-bindings %u\n"
		   "cn-max-lifetime %u\ncn-refresh-request %u\ncn-dns-max-lifetime %u\ncn-dns-probe-timeout %u\n",
		c->nonce_lifetime, c->nonce_interval, c->kcn_lifetime, c->cn_max_bindings,
		c->cn_max_lifetime, c->cn_brr, c->cn_dns_max_lifetime, c->cn_dns_probe_ms);
}

const struct mobd_role mobd_correspondent = {
	.name = "correspondent",
	.title = "correspondent",
	.id = MOBD_R_CN,
	.owns_tun = false,
	.mh_all = true,    /* HoTI, CoTI, BU; any other type with a Home Address option is checked */
	.mh_errors = true, /* 9.2 answers, unless a home agent role gives them */
	.kws = cn_kws,
	.n_kws = sizeof cn_kws / sizeof cn_kws[0],
	.conf_check = cn_conf_check,
	.conf_print = cn_conf_print,
	.start = cn_start,
	.stop = cn_stop,
	.on_mh = cn_mh,
	.on_ip = cn_ip,
	.on_icmp6 = cn_icmp6, /* Destination Unreachable for a care-of address from DNS */
	.on_tun = cn_tun,
	.show = cn_show,
	.binding = cn_binding,
};
