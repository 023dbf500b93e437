/* stack/roles/home-agent.c: the home agent (RFC 6275 sections 9.5, 10).
 *
 * Binding cache: the core's (stack/core/bc.c) of max-bindings entries; a
 * new home address that finds it full is refused with BA status 130.
 * Lifetimes are checked by one sweep a second over the pool.
 *
 * Per accepted binding (unless kernel-state no): the home address in the
 * nftables set of mobd's table (stack/core/nft.c), sent in batches: the
 * ingress hook drops what the home link brings for it, after mobd's
 * capture saw it, and we encapsulate that to the care-of address
 * (tunnel_home); and one unsolicited Neighbor Advertisement so the home
 * link's neighbour caches stop pointing at the mobile node's old
 * link-layer address (RFC 6275 10.4.1); the Neighbor Solicitations for the
 * home address are answered by this home agent (ha_ns), not by a proxy
 * entry in the kernel.  No route per binding; the TUN device carries the
 * reverse tunnel's packets into the kernel (ha_ip).
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
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <netinet/icmp6.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "stack/roles/ha.h"
#include "stack/roles/roles.h"
#include "util/json.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"


/* a set element the kernel refused (nft.c retries a failed batch element
 * by element): said, and the count of home addresses in the set put right */
static void hoa_fail(void *arg, bool add, const struct in6_addr *a, int err)
{
	struct ha *h = arg;
	char b[INET6_ADDRSTRLEN];
	log_info("%s %s %s the home addresses' nftables set: %s", add ? "adding" : "removing",
		 mk_ip6_ntop(a, b), add ? "to" : "from", strerror(-err));
	if (add && h->cnt.kernel_hoas)
		h->cnt.kernel_hoas--;
	else if (!add)
		h->cnt.kernel_hoas++;
}

static void count_fails(struct ha *h, int n)
{
	if (n > 0)
		h->cnt.kernel_fail += (unsigned)n;
}

/* the set elements queued this loop turn go to the kernel in one batch */
static void kernel_flush_cb(void *arg)
{
	struct mobd *d = arg;
	count_fails(HA(d), nft_hoa_flush(hoa_fail, HA(d)));
}

/* Kernel state of a binding (kernel-state yes): the home address in the
 * nftables set (nft.c: queued, sent with the others of this loop turn in
 * one nf_tables batch at the end of it), so the ingress hook drops the
 * home link's packets to it and the capture's copy is tunnelled
 * (tunnel_home); the overriding unsolicited NA (RFC 6275 10.4.1); and,
 * instead of a proxy neighbour entry, this home agent answers the Neighbor
 * Solicitations for the home address itself (ha_ns).  Why no proxy entry:
 * the kernel's proxy table is 16 linear lists, adding one is linear in
 * their length (100k entries took 537 s here, 20k 2.7 s), which held
 * kernel-state yes at 1.8-2.0k BU/s.  Why no /128 route into the TUN (the
 * way before 2026-12): fib6_add cost more than a set element; the home
 * agent's CPU per BU with kernel-state yes was 11.4-15.6 us
 * with a route per binding (in netlink batches), 8.4-10.5 us with the set
 * element, beside 3.7-5.7 us cache-only (bench-mobd.sh, 20k and 100k
 * bindings; what is left is mostly the NA, a second packet per BU, and
 * about 1.3-1.8 us for the element).  A removal needs no wait: the
 * home agent's own packets (a deregistration's BA to the home address)
 * never pass the ingress hook.  At the stop nothing is removed: the set
 * goes with the table (nft_close). */
void ha_kernel_binding(struct mobd *d, const struct mobd_bce *e, bool add)
{
	struct ha *h = HA(d);
	if (!d->c.kernel_state || h->stopping)
		return;
	if (add)
		h->cnt.kernel_hoas++;
	else if (h->cnt.kernel_hoas)
		h->cnt.kernel_hoas--;
	count_fails(h, nft_hoa(add, &e->hoa, hoa_fail, h));
	if (!h->kernel_flush.linked)
		ev_timer_arm(&h->kernel_flush, 0);
	if (add)
		io_send_na(&d->io, &e->hoa, false);
}

/* a binding goes: the standby told (HA Reliability), its kernel state, then its entry */
void ha_binding_del(struct mobd *d, struct mobd_bce *e)
{
	ha_rel_changed(d, e, true);
	ha_kernel_binding(d, e, false);
	ha_multi_forget(d, e);
	bc_del(&HA(d)->bc, e);
}

static void sweep_cb(void *arg)
{
	struct mobd *d = arg;
	struct ha *h = HA(d);
	uint64_t now = now_ns();
	h->cnt.expired += bc_expire(&h->bc, now, ha_binding_del, d);
	for (unsigned i = 0; i < h->n_list; i++)
		if (h->list[i].expires && h->list[i].expires <= now) {
			h->list[i] = h->list[--h->n_list];
			i--;
		}
	log_rl_flush(&h->binding_log);
	ev_timer_arm(&h->sweep, 1000);
}

/* ---- sending ---- */

static void send_ba(struct mobd *d, const struct in6_addr *to, const struct in6_addr *hoa,
		    const struct in6_addr *coa, uint8_t status, uint16_t seq, uint32_t lifetime_s,
		    const struct mobd_key *key, uint64_t ts)
{
	struct ha *h = HA(d);
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
	struct ha *h = HA(d);
	msg_be_limited(d, &h->addr, to, hoa, status, &h->cnt.be_tx, &h->cnt.send_fail);
}

/* ICMPv6 Parameter Problem code 0 pointing at `pointer` (RFC 6275 9.2) */
static void send_pp(struct mobd *d, const struct mk_ip6 *ih, const uint8_t *pkt, size_t len,
		    uint32_t pointer)
{
	struct ha *h = HA(d);
	if (!err_allow(d))
		return;
	int r = msg_pp(d, &h->addr, &ih->src, pkt, len, pointer);
	if (r == -1)
		return;
	if (r == -2)
		h->cnt.send_fail++;
	h->cnt.pp_tx++;
}

/* ---- the tunnel, in batches ----
 *
 * What the capture brings for a bound home address (kernel-state yes: the
 * nftables set drops it at ingress; and RH2, HAO, MH to a home address) is
 * encapsulated into the send queue (io_send_queue) and sent with sendmmsg,
 * 64 at a time or at the end of the capture batch or loop turn (tx_flush,
 * a 0 ms timer); so is what the kernel routes into the TUN.  One queue,
 * so the order on the wire is the order seen.
 *
 * Measured (make bench, tools/bench-mobd.sh's forwarding part, 64-octet
 * UDP, this 2-core machine shared with other jobs; tunnel / plain kernel
 * forwarding in the same run): a raw socket sendto per packet 0.88, 0.64,
 * 0.76, 0.58, 0.60 (plain 90-125k pkt/s); sendmmsg of up to 64 1.00, 0.94,
 * 0.53, 1.03, 1.04, 0.71.  The plain path is bounded by the blaster, so
 * once mobd keeps up the ratio is about 1; the spread is the other jobs.
 * Since then the queue goes out on an AF_PACKET socket to a cached next
 * hop (io.c), and the packets come from the capture's PACKET_MMAP ring,
 * not one read(2) each from the TUN: the home agent's CPU per tunnelled
 * packet 5.6-6.4 us (before, kernel forwarding into the TUN: 6.3-7.4 us;
 * ratios of those runs, with a load average of 3.6-5 from other jobs,
 * 0.44-1.36 and 0.51-1.01: that spread is the load). */
static void tx_flush_cb(void *arg)
{
	struct mobd *d = arg;
	if (io_send_flush(&d->io) != 0)
		HA(d)->cnt.send_fail++;
}

/* fwd: the inner packet is forwarded by us, not by the kernel: its hop
 * limit goes down by one (tunnel_home checked it is above 1) */
static long encap_queue(struct mobd *d, const struct in6_addr *coa, const uint8_t *inner, size_t len,
			bool fwd)
{
	static uint8_t out[MOBD_PKT_MAX + 40]; /* one loop, one packet at a time */
	struct ha *h = HA(d);
	struct mk_ip6 outer = { .hlim = 64, .src = h->addr, .dst = *coa };
	size_t n;
	if (len + 40 > sizeof out)
		return msg_encap(d, &h->addr, coa, inner, len);
	if (mk_ip6_encap(out, sizeof out, &outer, inner, len, &n).err != MK_E_OK)
		return -1;
	if (fwd)
		out[40 + 7]--;
	if (io_send_queue(&d->io, out, n) != 0)
		return -1;
	if (!h->tx_flush.linked)
		ev_timer_arm(&h->tx_flush, 0);
	return (long)n;
}

/* ---- Neighbor Solicitations for the home addresses (RFC 6275 10.4.1) ----
 *
 * With kernel-state yes this home agent, not the kernel's proxy table,
 * defends the home addresses it holds on the home link: a Neighbor
 * Solicitation for one (target bound here, this home agent the active
 * one, not an HA Reliability standby) is answered with a Neighbor
 * Advertisement carrying the home agent's link-layer address: to the
 * soliciting node, Solicited set and Override clear (a proxy's answer,
 * RFC 4861 7.2.4, 7.2.8); to DAD (source ::) to all-nodes, Override set,
 * Solicited clear (RFC 4861 7.2.4).  Unbound targets are left to the
 * kernel.  The multicast solicitations (to the solicited-node address)
 * come from a packet socket of the home agent's own on the home link
 * (ETH_P_IPV6, a classic BPF filter that passes ICMPv6 type 135 right
 * after the IPv6 header, incoming only); the unicast ones to a bound home
 * address (neighbour unreachability detection by a node whose cache
 * points at this home agent) from the capture (tunnel_home): the home
 * addresses' nftables set drops them at ingress, and a packet socket
 * bound to one protocol sees frames after that hook (only ETH_P_ALL ones,
 * the capture's, see them before).  On hardware that filters multicast
 * the home link interface needs allmulticast (a veth does not filter).
 * Returns false if pkt is no NS. */
static bool ha_ns(struct mobd *d, const uint8_t *pkt, size_t len)
{
	struct ha *h = HA(d);
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	struct in6_addr t;
	if (mk_ip6_chain_parse(pkt, len, &ih, &c).err != MK_E_OK || c.ulp != 58 || c.ulp_len < 24 ||
	    pkt[c.ulp_off] != ND_NEIGHBOR_SOLICIT)
		return false;
	h->cnt.ns_rx++;
	memcpy(&t, pkt + c.ulp_off + 8, 16);
	if (!d->c.kernel_state || ih.hlim != 255 || pkt[c.ulp_off + 1] != 0 || t.s6_addr[0] == 0xff ||
	    mk_ip6_ulp_cksum(pkt, &ih, &c) != 0) {
		char a[INET6_ADDRSTRLEN];
		log_debug("NS for %s: hop limit %u, code %u, or checksum wrong: not answered",
		    mk_ip6_ntop(&t, a), ih.hlim, pkt[c.ulp_off + 1]);
		return true;
	}
	const struct mobd_bce *e = bc_find(&h->bc, &t);
	if (!e || !ha_multi_active(d, e) || ha_rel_standby(d))
		return true;
	bool dad = IN6_IS_ADDR_UNSPECIFIED(&ih.src);
	if (io_send_na_to(&d->io, dad ? NULL : &ih.src, &t, dad ? 0x20 : 0x40) == 0)
		h->cnt.na_tx++;
	else
		h->cnt.send_fail++;
	return true;
}

/* the packet socket's solicitations, a bounded batch per wakeup */
static void ns_cb(void *arg, uint32_t events)
{
	struct mobd *d = arg;
	uint8_t buf[1500];
	(void)events;
	for (int i = 0; i < 64; i++) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof from;
		ssize_t r = recvfrom(HA(d)->ns_fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
		if (r <= 0)
			break;
		if (from.sll_pkttype != PACKET_OUTGOING)
			ha_ns(d, buf, (size_t)r);
	}
}

/* a packet socket on the home link for Neighbor Solicitations: Next
 * Header 58 and ICMPv6 type 135 (no extension header: RFC 4861 messages
 * have none in practice); the descriptor, or -1 with err */
static int ns_open(struct mobd *d, char *err, size_t errlen)
{
	static struct sock_filter code[] = {
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 6),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 3),
		BPF_STMT(BPF_LD | BPF_B | BPF_ABS, 40),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, ND_NEIGHBOR_SOLICIT, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, 1500),
		BPF_STMT(BPF_RET | BPF_K, 0),
	};
	struct sock_fprog prog = { sizeof code / sizeof code[0], code };
	struct sockaddr_ll sa = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
				  .sll_ifindex = d->io.ifindex };
	int fd = socket(AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	/* the filter before the bind: nothing else is queued meanwhile */
	if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		snprintf(err, errlen, "packet socket for Neighbor Solicitations: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* how tunnel_home sends: queued in the batch (TH_BATCH); forwarded by us
 * (TH_FWD: hop limit checked and decremented, the tunnel's MTU checked, a
 * Neighbor Solicitation not tunnelled) */
enum { TH_BATCH = 1, TH_FWD = 2 };

/* a packet we forward (TH_FWD) that cannot go: its hop limit (RFC 8200
 * 3: Time Exceeded, code 0) or its length beyond the tunnel's MTU (the
 * TUN device's, as when the kernel forwarded into it: Packet Too Big,
 * RFC 2473 7.1, RFC 8201); true if it was dropped */
static bool fwd_drop(struct mobd *d, const uint8_t *pkt, size_t len)
{
	struct ha *h = HA(d);
	struct in6_addr src;
	unsigned kind;
	uint32_t word = 0;
	if (pkt[7] <= 1) {
		h->cnt.fwd_hlim++;
		kind = MK_ICMP6_K_TIME_EXCEEDED;
	} else if (len > d->c.mtu) {
		h->cnt.fwd_too_big++;
		kind = MK_ICMP6_K_PKT_TOO_BIG;
		word = d->c.mtu;
	} else {
		return false;
	}
	memcpy(&src, pkt + 8, 16);
	if (!IN6_IS_ADDR_UNSPECIFIED(&src) && !IN6_IS_ADDR_MULTICAST(&src) && err_allow(d) &&
	    msg_icmp6_err(d, &h->addr, &src, kind, 0, word, pkt, len) == -2)
		h->cnt.send_fail++;
	return true;
}

/* a packet to a registered home address, tunnelled to its care-of address;
 * false without a binding.  What the home link brings for a bound home
 * address (kernel-state yes: the nftables set drops it at ingress, the
 * capture has it), the captured ones the table keeps from the kernel
 * anyway (a correspondent's HoT, BA or BRR, Next Header 135, or data with
 * an RH2 or a HAO), a reverse-tunnelled packet from one mobile node to
 * another, and what the kernel routes into the TUN */
static bool tunnel_home(struct mobd *d, const uint8_t *pkt, size_t len, unsigned how)
{
	struct ha *h = HA(d);
	struct in6_addr dst;
	memcpy(&dst, pkt + 24, 16);
	struct mobd_bce *e = bc_find(&h->bc, &dst);
	if (!e)
		return false;
	if (!ha_multi_active(d, e) || ha_rel_standby(d))
		return true; /* a backup or a standby: the active home agent tunnels */
	/* a unicast NS for a home address (neighbour unreachability
	 * detection): answered here, never tunnelled */
	if (pkt[6] == 58 && len >= 48 && pkt[40] == ND_NEIGHBOR_SOLICIT) {
		ha_ns(d, pkt, len);
		return true;
	}
	if ((how & TH_FWD) && fwd_drop(d, pkt, len))
		return true;
	long n = (how & TH_BATCH) ? encap_queue(d, &e->coa, pkt, len, how & TH_FWD)
				  : msg_encap(d, &h->addr, &e->coa, pkt, len);
	if (n < 0) {
		h->cnt.send_fail++;
		return true;
	}
	h->cnt.tun_out++;
	h->cnt.tun_out_bytes += (uint64_t)n;
	return true;
}

/* ---- Binding Update (RFC 6275 9.5.1, 10.3.1, 10.3.2) ---- */

static void on_bu(struct mobd *d, const struct mk_ip6 *ih, const struct mk_ip6_chain *c,
		  const uint8_t *pkt, const uint8_t *mhp, size_t mhlen, const struct mk_mh *m)
{
	struct ha *h = HA(d);
	struct in6_addr hoa;
	pkt_hoa(pkt, c, &ih->src, &hoa);
	struct in6_addr coa = ih->src;
	const struct mk_mh_opt *alt = mk_mh_find_opt(m, MK_MHO_ALTCOA);
	const struct mk_mh_opt *auth = mk_mh_find_opt(m, MK_MHO_AUTH);
	const struct mk_mh_opt *rp = mk_mh_find_opt(m, MK_MHO_REPLAY);
	const struct mobd_key *key = NULL;
	uint16_t seq = m->u.bu.seq;
	uint32_t life = mk_mh_lifetime_sec(m->u.bu.lifetime);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint64_t ts = rp ? rp->v.replay : 0;

	h->cnt.bu_rx++;
	if (ha_rel_standby(d)) {
		/* a standby of a redundant pair: the active one answers (ha-rel.c) */
		h->cnt.bu_standby++;
		return;
	}
	if (alt)
		coa = alt->v.altcoa;
	if (!(m->u.bu.flags & MK_BU_H)) {
		/* not a home registration: the correspondent role's when it runs
		 * in this mobd, else (no return routability here) ignored, 9.5.1 */
		h->cnt.ignored++;
		return;
	}
	if (!in_prefix(&hoa, &d->c.home_prefix, d->c.home_plen)) {
		send_ba(d, &ih->src, &hoa, &coa, MK_BA_NOT_HOME_SUBNET, seq, 0, NULL, 0);
		return;
	}
	for (unsigned i = 0; i < d->c.n_deny; i++)
		if (in_prefix(&hoa, &d->c.deny[i], d->c.deny_plen[i])) {
			/* the operator's policy (mn-deny) */
			send_ba(d, &ih->src, &hoa, &coa, MK_BA_PROHIBITED, seq, 0, NULL, 0);
			return;
		}
	key = conf_key_for(&d->c, &hoa);
	if (d->c.require_auth || (auth && key)) {
		if (!key) {
			h->cnt.auth_fail++;
			send_ba(d, &ih->src, &hoa, &coa, MK_BA_NOT_HA_FOR_MN, seq, 0, NULL, 0);
			return;
		}
		if (!auth || auth->v.auth.subtype != MK_MH_AUTH_MNHA || auth->v.auth.spi != key->spi ||
		    mk_rr_mnha_verify(mhp, mhlen, &d->c.cp, key->key, key->keylen, &coa, &hoa).err !=
			    MK_E_OK) {
			h->cnt.auth_fail++;
			log_debug("BU from %s for %s: authentication failed", mk_ip6_ntop(&ih->src, a),
			    mk_ip6_ntop(&hoa, b));
			send_ba(d, &ih->src, &hoa, &coa, MK_BA_AUTH_FAIL, seq, 0, NULL, 0);
			return;
		}
		if (!rp) {
			h->cnt.auth_fail++;
			send_ba(d, &ih->src, &hoa, &coa, MK_BA_MESG_ID_REQD, seq, 0, key, now_real_ntp());
			return;
		}
		uint64_t now = now_real_ntp(), win = (uint64_t)d->c.replay_window << 32;
		struct mobd_bce *old = bc_find(&h->bc, &hoa);
		if (ts + win < now || ts > now + win || (old && ts <= old->last_ts)) {
			h->cnt.auth_fail++;
			send_ba(d, &ih->src, &hoa, &coa, MK_BA_ID_MISMATCH, seq, 0, key, now);
			return;
		}
	}
	if (role_binding(d, MOBD_R_CN, &hoa)) {
		/* a correspondent's binding here: the H flag may not change (9.5.1) */
		send_ba(d, &ih->src, &hoa, &coa, MK_BA_REGTYPE_CHANGE, seq, 0, key, ts);
		return;
	}
	struct mobd_bce *e = bc_find(&h->bc, &hoa);
	if (e && !mk_mh_seq_newer(seq, e->seq)) {
		send_ba(d, &ih->src, &hoa, &coa, MK_BA_SEQ_OUT_OF_WIN, e->seq, 0, key, ts);
		return;
	}
	struct ha_bu reg = { *ih, hoa, coa, key, ts, life, seq, m->u.bu.flags, rp != NULL };
	if (!e && ha_dad_bu(d, &reg, m, pkt, c->end))
		return; /* a new home address: the BA waits for DAD (ha-dad.c) */
	if (life == 0 || memcmp(&coa, &hoa, 16) == 0) {
		if (!e) {
			send_ba(d, &ih->src, &hoa, &coa, MK_BA_NOT_HA_FOR_MN, seq, 0, key, ts);
			return;
		}
		if (log_rl_allow(&h->binding_log))
			log_info("deregistered %s (was at %s)", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&e->coa, b));
		ha_binding_del(d, e);
		h->cnt.bu_dereg++;
		/* the route into the TUN is gone: this BA reaches the home link */
		send_ba(d, &ih->src, &hoa, &coa, MK_BA_ACCEPTED, seq, 0, key, ts);
		return;
	}
	ha_bu_finish(d, &reg, m, MK_BA_ACCEPTED);
}

/* the end of a home registration: now (on_bu) or after DAD (ha-dad.c) */
void ha_bu_finish(struct mobd *d, const struct ha_bu *r, const struct mk_mh *m, uint8_t status)
{
	struct ha *h = HA(d);
	const struct mk_ip6 *ih = &r->ih;
	struct in6_addr hoa = r->hoa, coa = r->coa;
	const struct mobd_key *key = r->key;
	uint16_t seq = r->seq;
	uint32_t life = r->life;
	uint64_t ts = r->ts;
	bool rp = r->has_ts, ack = r->flags & MK_BU_A;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (status >= 128) {
		send_ba(d, &ih->src, &hoa, &coa, status, seq, 0, key, ts);
		return;
	}
	struct mobd_bce *e = bc_find(&h->bc, &hoa);
	bool fresh = !e;
	if (!e && !(e = bc_new(&h->bc, &hoa))) {
		send_ba(d, &ih->src, &hoa, &coa, MK_BA_RESOURCES, seq, 0, key, ts);
		return;
	}
	bool was_active = !fresh && ha_multi_active(d, e);
	bool moved = bc_accept(e, fresh, &coa, seq, m->u.bu.flags, &life, d->c.max_lifetime);
	if (rp)
		e->last_ts = ts;
	/* with several home agents only the active one holds kernel state (ha-multi.c) */
	bool backup = ha_multi_bu(d, e, m);
	if (!backup && !was_active)
		ha_kernel_binding(d, e, true);
	else if (backup && was_active)
		ha_kernel_binding(d, e, false);
	h->cnt.bu_accepted++;
	ha_rel_changed(d, e, false);
	if (moved && log_rl_allow(&h->binding_log))
		log_info("binding %s -> %s seq %u lifetime %u s", mk_ip6_ntop(&hoa, a), mk_ip6_ntop(&coa, b), seq, life);
	if (ack)
		send_ba(d, &ih->src, &hoa, &coa, MK_BA_ACCEPTED, seq, life, key, ts);
}

static bool ours(struct ha *h, const struct in6_addr *a)
{
	return memcmp(a, &h->addr, 16) == 0;
}

/* a Mobility Header, parsed once by the intake (every type: what is not a
 * BU is counted as ignored) */
static void ha_mh(struct mobd *d, const struct mobd_pkt *p)
{
	struct ha *h = HA(d);
	const struct mk_ip6 *ih = &p->ih;
	const struct mk_ip6_chain *c = &p->c;
	const uint8_t *pkt = p->pkt;
	size_t len = p->c.end;
	struct mk_status st = p->st;

	if (!p->chain_ok) {
		h->cnt.malformed++;
		return;
	}
	if (!ours(h, &ih->dst)) {
		tunnel_home(d, pkt, len, TH_BATCH | TH_FWD);
		return;
	}
	if (p->cksum == 1) {
		h->cnt.bad_cksum++;
		return; /* RFC 6275 9.2: silently discarded */
	}
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
		pkt_hoa(pkt, c, &in6addr_any, &hoa); /* :: without a HAO (RFC 6275 9.3.3) */
		send_be(d, &ih->src, &hoa, MK_BE_UNKNOWN_TYPE);
		return;
	}
	default: {
		char a[INET6_ADDRSTRLEN];
		h->cnt.malformed++;
		log_debug("MH from %s: %s at %zu: discarded", mk_ip6_ntop(&ih->src, a), mk_strerror(st.err), st.off);
		return;
	}
	}
	if (p->m.msg != MK_MHM_STD)
		ha_rel_mh(d, p); /* HARP, State Sync */
	else if (p->m.type == MK_MH_BU)
		on_bu(d, ih, c, pkt, p->mh, p->mhlen, &p->m);
	else
		h->cnt.ignored++;
}

/* not a Mobility Header: a packet to a home address, a reverse-tunnelled
 * packet, or ignored */
static void ha_ip(struct mobd *d, const struct mobd_pkt *p)
{
	struct ha *h = HA(d);
	const uint8_t *pkt = p->pkt;
	struct mk_ip6 ih = p->ih;
	struct mk_ip6_chain c = p->c;
	if (!ours(h, &ih.dst)) {
		tunnel_home(d, pkt, p->c.end, TH_BATCH | TH_FWD);
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
		struct mobd_bce *e = bc_find(&h->bc, &in.src);
		if (!e || memcmp(&e->coa, &ih.src, 16) != 0) {
			h->cnt.rev_nobinding++;
			return;
		}
		/* to another mobile node bound here: no route takes it back
		 * out of the kernel, so it goes from here */
		if (tunnel_home(d, inner, il, TH_BATCH | TH_FWD) || tun_write(d, inner, il)) {
			h->cnt.tun_in++;
			h->cnt.tun_in_bytes += il;
		}
		return;
	}
	h->cnt.ignored++;
}

/* a packet the kernel routed into the TUN (mobd adds no route into it: an
 * operator's, for a prefix of home addresses, say): to a registered home
 * address */
static void ha_tun(struct mobd *d, const uint8_t *pkt, size_t len)
{
	if (!tunnel_home(d, pkt, len, TH_BATCH))
		HA(d)->cnt.tun_nobinding++;
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

static void ha_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src,
	     const struct in6_addr *dst)
{
	struct ha *h = HA(d);
	static struct mk_icmp6 m;
	if (ha_dad_icmp(d, buf, len, src))
		return; /* Neighbor Discovery: an answer to a DAD? (ha-dad.c) */
	if (ha_multi_icmp(d, buf, len, src))
		return; /* a peer home agent's answer to a probe */
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
				log_debug("RA from %s: R bit with %s/%u, not a router address: not a home agent",
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
		struct in6_addr addrs[MOBD_MAX_HAS + 1];
		struct halist sorted[MOBD_MAX_HAS + 1];
		if (memcmp(dst, &h->anycast, 16) != 0 || ha_rel_standby(d))
			return; /* RFC 6275 10.5: requests go to the Home-Agents anycast address;
				 * a standby leaves them to the active */
		h->cnt.dhaad_rx++;
		memcpy(sorted, h->list, sizeof sorted);
		qsort(sorted, h->n_list, sizeof sorted[0], by_pref);
		for (unsigned i = 0; i < h->n_list; i++)
			addrs[i] = sorted[i].addr;
		int r = msg_dhaad_reply(d, &h->addr, src, m.u.ident.id, addrs, h->n_list);
		if (r == -1)
			return;
		if (r == -2)
			h->cnt.send_fail++;
		h->cnt.dhaad_tx++;
	}
}

/* ---- ha-bu-iface: the home agent on a router ----
 *
 * On a mobile router that anchors the addresses it gave out (issue 17,
 * the dmm topology's ANCHORS=router), the home link is the router's access
 * link, and what the home agent must take arrives on its uplink: the BUs
 * and the reverse tunnel from a care-of address beyond it, and the
 * correspondents' packets to a bound home address, which the router would
 * otherwise forward onto the (now empty) access link.  So each ha-bu-iface
 * gets what the home link has: a capture of its own (what is addressed to
 * this home agent with a first Next Header 41, 43, 60 or 135; with
 * kernel-state yes also what goes into the home prefix, not to us) and a
 * chain at its ingress in mobd's table, which drops only what is addressed
 * to this home agent (a router forwards other nodes' tunnels and MHs) and,
 * with kernel-state yes, what goes to a home address in the set "hoas".
 * The home link's chain is narrowed the same way: a mobile node on the
 * access link that registers with another router's home agent sends its
 * BUs and tunnel through this router (the single-interface home agent
 * drops every such packet its home link brings).
 * Why the set and not a /128 route per binding into the TUN: it is the
 * mechanism the home link already uses (one set, one rule more), it costs
 * no fib6 insertion per binding (see ha_kernel_binding), and the kernel
 * never forwards a packet to a bound address onto the access link.  What
 * it does not catch: packets the router itself originates to a bound home
 * address (no ingress); they go onto the access link as before.
 *
 * The unsolicited NA and the answers to Neighbor Solicitations stay on the
 * home link: a host still there reaches the home address through this
 * router (proxy ND is still right for it).  The router's own kernel is
 * such a host too: the NA to all-nodes, looped back, made its neighbour
 * entry for the home address on the access link point at its own
 * link-layer address (seen in t/testbed/dmm-anchor-mr.t, STALE).  A
 * mobile node coming home puts it right with its own NA (mobile-node.c;
 * the test's node is reached at once either way), a node that does not
 * would be unreachable from the router until the entry failed.  So here
 * multicast the home agent sends on the raw socket is not looped back:
 * the entry keeps the mobile node's address.
 * (The kernel forwards nothing to a bound home address anyway: the
 * ingress drops it.  What the router itself sends to one goes onto the
 * access link, as said above.) */
static void xcap_cb(void *arg, uint32_t ev)
{
	(void)ev;
	cap_dispatch_also(arg, 256);
}

static int bu_ifaces_open(struct mobd *d, char *err, size_t errlen)
{
	struct ha *h = HA(d);
	char f[512], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], p[INET6_ADDRSTRLEN];
	if (!d->c.n_bu_iface)
		return 0;
	if (nft_also(&d->io, NULL, &h->addr, d->c.kernel_state, err, errlen) != 0)
		return -1;
	if (io_raw_any(&d->io, err, errlen) != 0)
		return -1;
	int off = 0;
	if (setsockopt(d->io.raw.fd, IPPROTO_IPV6, IPV6_MULTICAST_LOOP, &off, sizeof off) != 0) {
		snprintf(err, errlen, "raw socket: IPV6_MULTICAST_LOOP: %s", strerror(errno));
		return -1;
	}
	mk_ip6_ntop(&h->addr, a);
	int n = snprintf(f, sizeof f, "ip6 and ((ip6 dst host %s and (" MOBD_CAP_BASE "))", a);
	if (d->c.kernel_state && n > 0 && (size_t)n < sizeof f)
		n += snprintf(f + n, sizeof f - (size_t)n,
			      " or (ip6 dst net %s/%u and not ip6 dst host %s and not ip6 dst host %s)",
			      mk_ip6_ntop(&d->c.home_prefix, p), d->c.home_plen, a, mk_ip6_ntop(&h->anycast, b));
	if (n > 0 && (size_t)n < sizeof f)
		snprintf(f + n, sizeof f - (size_t)n, ")");
	for (unsigned i = 0; i < d->c.n_bu_iface; i++) {
		const char *x = d->c.bu_iface[i];
		if (!if_nametoindex(x)) {
			snprintf(err, errlen, "ha-bu-iface '%s': %s", x, strerror(errno));
			return -1;
		}
		if (nft_also(&d->io, x, &h->addr, d->c.kernel_state, err, errlen) != 0 ||
		    cap_open_also(&d->io, x, f, err, errlen) != 0 ||
		    ev_add(d->io.xpcap_fd[d->io.n_xpcap - 1], xcap_cb, d) != 0)
			return -1;
	}
	return 0;
}

static void bu_ifaces_close(struct mobd *d)
{
	for (unsigned i = 0; i < d->io.n_xpcap; i++)
		if (d->io.xpcap_fd[i] >= 0)
			ev_del(d->io.xpcap_fd[i]);
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
				log_info("leftover proxy entry %s: %s", mk_ip6_ntop(&px[i], a), strerror(-r));
				return;
			}
			log_info("removed proxy entry %s left by a mobd that is gone", mk_ip6_ntop(&px[i], a));
		}
	} while (n == 256);
}

static int ha_start(struct mobd *d, char *err, size_t errlen)
{
	struct ha *h = calloc(1, sizeof *h);
	char p[160], a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->rs[MOBD_R_HA] = h;
	if (bc_init(&h->bc, d->c.max_bindings) != 0) {
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

	/* kernel state in batches: the home addresses' set and its drop rule,
	 * the capture widened to the packets that rule drops (into the home
	 * prefix, not to this home agent or the Home-Agents anycast address;
	 * tunnel_home takes the ones to a bound home address); the tunnelled
	 * packets */
	h->ns_fd = -1;
	h->kernel_flush.cb = kernel_flush_cb;
	h->kernel_flush.arg = d;
	h->tx_flush.cb = tx_flush_cb;
	h->tx_flush.arg = d;
	if (d->c.kernel_state) {
		char also[200];
		snprintf(also, sizeof also, "ip6 dst net %s/%u and not ip6 dst host %s and not ip6 dst host %s",
			 inet_ntop(AF_INET6, &d->c.home_prefix, p, sizeof p), d->c.home_plen,
			 mk_ip6_ntop(&h->addr, a), inet_ntop(AF_INET6, &h->anycast, b, sizeof b));
		if (nft_hoa_open(&d->io, d->c.max_bindings, err, errlen) != 0 || cap_filter(&d->io, also, err, errlen) != 0)
			return -1;
		h->ns_fd = ns_open(d, err, errlen);
		if (h->ns_fd < 0 || ev_add(h->ns_fd, ns_cb, d) != 0)
			return -1;
	}
	if (bu_ifaces_open(d, err, errlen) != 0)
		return -1;

	/* forwarding between the home link and the TUN (no proxy ND: ha_ns) */
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
	struct ipv6_mreq mr = { .ipv6mr_multiaddr = h->anycast,
				.ipv6mr_interface = (unsigned)d->io.ifindex };
	if (setsockopt(d->io.icmp_fd, IPPROTO_IPV6, IPV6_JOIN_ANYCAST, &mr, sizeof mr) != 0) {
		snprintf(err, errlen, "cannot join the Home-Agents anycast address %s: %s",
			 mk_ip6_ntop(&h->anycast, a), strerror(errno));
		return -1;
	}
	if (ha_multi_start(d, err, errlen) != 0)
		return -1;
	if (ha_rel_start(d, err, errlen) != 0)
		return -1;
	if (ha_dad_start(d, err, errlen) != 0)
		return -1;
	h->binding_log = (struct mobd_logrl){ .what = "binding", .per_sec = HA_LOG_BINDINGS };
	h->sweep.cb = sweep_cb;
	h->sweep.arg = d;
	ev_timer_arm(&h->sweep, 1000);
	log_info("home agent %s for %s/%u, %u bindings at most, authentication %s", mk_ip6_ntop(&h->addr, a),
	     inet_ntop(AF_INET6, &d->c.home_prefix, p, sizeof p), d->c.home_plen, d->c.max_bindings,
	     d->c.require_auth ? "required (RFC 4285)" : "not required");
	return 0;
}

static void ha_stop(struct mobd *d)
{
	struct ha *h = HA(d);
	if (!h)
		return;
	ev_timer_stop(&h->sweep);
	ha_rel_stop(d);
	ha_dad_stop(d);
	ev_timer_stop(&h->kernel_flush);
	ev_timer_stop(&h->tx_flush);
	io_send_flush(&d->io);
	h->stopping = true; /* the set goes with the table (sys_close) */
	if (h->bc.pool)
		for (uint32_t i = 0; i < h->bc.hwm && h->bc.n; i++)
			if (h->bc.pool[i].used)
				ha_binding_del(d, &h->bc.pool[i]);
	bu_ifaces_close(d);
	if (h->ns_fd >= 0) {
		ev_del(h->ns_fd);
		close(h->ns_fd);
	}
	nft_hoa_close();
	ha_multi_stop(d);
	if (h->old_fwd[0] == '0')
		sys_sysctl("/proc/sys/net/ipv6/conf/all/forwarding", "0");
	bc_free(&h->bc);
	free(h);
	d->rs[MOBD_R_HA] = NULL;
}

static const struct mobd_bce *ha_binding(struct mobd *d, const struct in6_addr *hoa)
{
	return bc_find(&HA(d)->bc, hoa);
}

static void ha_show(struct mobd *d, const char *what, bool json, FILE *f)
{
	struct ha *h = HA(d);
	char a[INET6_ADDRSTRLEN];
	if (!strcmp(what, "bc")) {
		bc_show(&h->bc, json, f);
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
		uint64_t cap_drop = cap_drops(&d->io);
#define C(name) { #name, &h->cnt.name }
		struct { const char *n; uint64_t *v; } cs[] = {
			C(bu_rx), C(bu_accepted), C(bu_dereg), C(ba_tx), C(be_tx), C(pp_tx),
			C(bad_cksum), C(malformed), C(ignored), C(auth_fail), C(expired), C(tun_in),
			C(tun_in_bytes), C(tun_out), C(tun_out_bytes), C(tun_nobinding),
			C(rev_nobinding), C(dhaad_rx), C(dhaad_tx), C(ra_rx), C(ra_bad_addr), C(send_fail),
			C(kernel_fail), C(kernel_hoas), C(fwd_hlim), C(fwd_too_big), C(ns_rx), C(na_tx),
			C(mha_bu), C(mha_backup), C(probe_tx), C(probe_rx), C(peer_dead), C(peer_back),
			C(hau_tx), C(takeover), C(mha_full),
			C(harp_hello_tx), C(harp_hello_rx), C(harp_refused), C(harp_stale), C(ss_tx),
			C(ss_rx), C(ss_ack_tx), C(ss_ack_rx), C(ss_synced), C(ss_refused), C(switchover),
			C(has_tx), C(has_retx), C(bu_standby),
			C(dad_started), C(dad_passed), C(dad_dup), C(dad_merged), C(dad_stale),
			C(dad_cancelled), C(dad_full), C(dad_ns_tx),
			/* the core's: binding lines held back, capture ring drops, batched sending */
			{ "log_suppressed", &h->binding_log.suppressed }, { "cap_drop", &cap_drop },
			{ "tx_batches", &d->io.tx_batches }, { "tx_batched", &d->io.tx_batched },
			{ "tx_batch_fail", &d->io.tx_batch_fail }, { "tx_direct", &d->io.tx_direct },
		};
#undef C
		if (json) {
			fprintf(f, "{\"role\":\"home-agent\",\"address\":\"%s\",\"bindings\":%u,"
				   "\"max_bindings\":%u,\"pid\":%d",
				mk_ip6_ntop(&h->addr, a), h->bc.n, d->c.max_bindings, (int)getpid());
			fprintf(f, ",\"ha_reliability\":\"%s\"", ha_rel_state(d));
			if (d->c.kernel_state && status)
				fprintf(f, ",\"kernel_hoas\":%llu,\"kernel_fail\":%llu",
					(unsigned long long)h->cnt.kernel_hoas,
					(unsigned long long)h->cnt.kernel_fail);
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
			fprintf(f, "home agent %s, %u bindings of %u, pid %d\n", mk_ip6_ntop(&h->addr, a), h->bc.n,
				d->c.max_bindings, (int)getpid());
			if (d->c.harel)
				fprintf(f, "HA reliability: %s\n", ha_rel_state(d));
			if (d->c.kernel_state)
				fprintf(f, "kernel state: %llu home addresses in the nftables set, %llu failures\n",
					(unsigned long long)h->cnt.kernel_hoas,
					(unsigned long long)h->cnt.kernel_fail);
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

/* ---- configuration: the home agent's keywords ---- */

static void p_peer(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		   struct mobd_conf *c)
{
	struct in6_addr a;
	unsigned long v = 0;
	(void)k;
	if (n != 2 && !(n == 4 && !strcmp(w[2], "preference"))) {
		conf_err(x, "expected 'home-agent ADDRESS [preference N]'");
		return;
	}
	if (inet_pton(AF_INET6, w[1], &a) != 1) {
		conf_err(x, "home-agent '%s' is not an IPv6 address", w[1]);
		return;
	}
	if (n == 4 && conf_num(w[3], 0, 65535, &v)) {
		conf_err(x, "preference '%s': expected 0..65535", w[3]);
		return;
	}
	if (c->n_peers == MOBD_MAX_HAS) {
		conf_err(x, "more than %d home-agent lines", MOBD_MAX_HAS);
		return;
	}
	c->peers[c->n_peers] = a;
	c->peer_pref[c->n_peers++] = (unsigned)v;
}

static void p_deny(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		   struct mobd_conf *c)
{
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	if (c->n_deny == MOBD_MAX_HAS) {
		conf_err(x, "more than %d mn-deny lines", MOBD_MAX_HAS);
		return;
	}
	if (conf_net_prefix(x, w[0], w[1], &c->deny[c->n_deny], &c->deny_plen[c->n_deny]))
		c->n_deny++;
}

/* ha-bu-iface IFACE...: further interfaces (a router's uplinks) on which
 * the home agent takes what comes for it (bu_ifaces_open) */
static void p_bu_iface(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		       struct mobd_conf *c)
{
	(void)k;
	if (n < 2) {
		conf_err(x, "expected 'ha-bu-iface INTERFACE...'");
		return;
	}
	for (int i = 1; i < n; i++) {
		if (!*w[i] || strlen(w[i]) >= sizeof c->bu_iface[0] || strchr(w[i], '/') || strchr(w[i], '"')) {
			conf_err(x, "ha-bu-iface '%s': not an interface name (at most %zu characters)", w[i],
				 sizeof c->bu_iface[0] - 1);
			return;
		}
		if (c->n_bu_iface == MOBD_MAX_BU_IFACES) {
			conf_err(x, "ha-bu-iface '%s': more than %d interfaces", w[i], MOBD_MAX_BU_IFACES);
			return;
		}
		snprintf(c->bu_iface[c->n_bu_iface++], sizeof c->bu_iface[0], "%s", w[i]);
	}
}

static void p_mnkey(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		    struct mobd_conf *c)
{
	struct mobd_key *key = &c->keys[c->n_keys];
	unsigned long v;
	(void)k;
	if (!conf_need(x, w, n, 3))
		return;
	if (c->n_keys == MOBD_MAX_KEYS) {
		conf_err(x, "more than %d mn-key lines", MOBD_MAX_KEYS);
		return;
	}
	memset(key, 0, sizeof *key);
	if (!strcmp(w[1], "*")) {
		key->any = true;
	} else if (inet_pton(AF_INET6, w[1], &key->hoa) != 1) {
		conf_err(x, "mn-key '%s': expected a home address or *", w[1]);
		return;
	}
	if (conf_num(w[2], 256, 0xffffffffUL, &v)) {
		conf_err(x, "SPI '%s': expected 256..4294967295 (0-255 are reserved, RFC 4285)", w[2]);
		return;
	}
	key->spi = (uint32_t)v;
	if (conf_hexkey(w[3], key->key, sizeof key->key, &key->keylen)) {
		conf_err(x, "key '%s': expected 1 to 64 octets in hex", w[3]);
		return;
	}
	c->n_keys++;
}

#define OFF(f) offsetof(struct mobd_conf, f)
#define NUM(name, lo, hi, unit, f) { name, false, conf_p_num, OFF(f), 0, lo, hi, unit }
static const struct mobd_kw ha_kws[] = {
	{ "address", false, conf_p_addr, OFF(addr), OFF(has_addr), 0, 0, "" },
	NUM("max-bindings", 1, 16000000, "", max_bindings),
	NUM("max-lifetime", 4, MOBD_MAX_BINDING_LIFETIME_S, " seconds", max_lifetime),
	NUM("refresh", 0, MOBD_MAX_BINDING_LIFETIME_S, " seconds", refresh),
	NUM("preference", 0, 65535, "", preference),
	NUM("replay-window", 1, 3600, " seconds", replay_window),
	{ "require-auth", false, conf_p_bool, OFF(require_auth), OFF(require_auth_set), 0, 0, "" },
	{ "kernel-state", false, conf_p_bool, OFF(kernel_state), 0, 0, 0, "" },
	{ "ha-dad", false, conf_p_bool, OFF(ha_dad), 0, 0, 0, "" },
	{ "ha-dad-timeout", false, conf_p_num, OFF(ha_dad_ms), 0, 1, 60000, " ms" },
	{ "ha-probe-interval", false, conf_p_num, OFF(probe_ms), 0, 100, 60000, " ms" },
	{ "ha-probe-misses", false, conf_p_num, OFF(probe_misses), 0, 1, 100, "" },
	{ "home-agent", true, p_peer, 0, 0, 0, 0, "" },
	{ "ha-reliability", false, ha_rel_conf_mode, 0, 0, 0, 0, "" },
	{ "ha-peer", false, conf_p_addr, OFF(harel_peer), OFF(has_harel_peer), 0, 0, "" },
	NUM("ha-hello-interval", 50, 60000, " ms", hello_ms),
	NUM("ha-dead-interval", 100, 600000, " ms", dead_ms),
	{ "mn-deny", true, p_deny, 0, 0, 0, 0, "" },
	{ "mn-key", true, p_mnkey, 0, 0, 0, 0, "" },
	{ "ha-bu-iface", true, p_bu_iface, 0, 0, 0, 0, "" },
};
#undef NUM
#undef OFF

static void ha_conf_check(struct mobd_conf_ctx *x, struct mobd_conf *c)
{
	if (!c->has_prefix && !conf_seen(x, "home-prefix"))
		conf_bad(x, "%s: a home agent needs 'home-prefix'", conf_path(x));
	if (!c->require_auth_set)
		c->require_auth = c->n_keys > 0;
	if (c->refresh && c->refresh >= c->max_lifetime)
		conf_bad(x, "%s: refresh %u must be less than max-lifetime %u (RFC 6275 6.2.4)",
			 conf_path(x), c->refresh, c->max_lifetime);
	for (unsigned i = 0; i < c->n_bu_iface; i++) {
		if (!strcmp(c->bu_iface[i], c->iface))
			conf_bad(x, "%s: ha-bu-iface '%s' is the home link ('interface')", conf_path(x),
				 c->bu_iface[i]);
		for (unsigned j = 0; j < i; j++)
			if (!strcmp(c->bu_iface[i], c->bu_iface[j]))
				conf_bad(x, "%s: ha-bu-iface '%s' given twice", conf_path(x), c->bu_iface[i]);
	}
	ha_rel_conf_check(x, c);
}

static void ha_conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN];
	if (c->has_addr)
		fprintf(f, "address %s\n", inet_ntop(AF_INET6, &c->addr, a, sizeof a));
	fprintf(f, "max-bindings %u\nmax-lifetime %u\nrefresh %u\npreference %u\n"
		   "replay-window %u\nrequire-auth %s\nkernel-state %s\n",
		c->max_bindings, c->max_lifetime, c->refresh, c->preference, c->replay_window,
		c->require_auth ? "yes" : "no", c->kernel_state ? "yes" : "no");
	fprintf(f, "ha-dad %s\nha-dad-timeout %u\n", c->ha_dad ? "yes" : "no", c->ha_dad_ms);
	fprintf(f, "ha-probe-interval %u\nha-probe-misses %u\n", c->probe_ms, c->probe_misses);
	ha_rel_conf_print(c, f);
	for (unsigned i = 0; i < c->n_bu_iface; i++)
		fprintf(f, "ha-bu-iface %s\n", c->bu_iface[i]);
	for (unsigned i = 0; i < c->n_peers; i++)
		fprintf(f, "home-agent %s preference %u\n",
			inet_ntop(AF_INET6, &c->peers[i], a, sizeof a), c->peer_pref[i]);
	for (unsigned i = 0; i < c->n_deny; i++)
		fprintf(f, "mn-deny %s/%u\n", inet_ntop(AF_INET6, &c->deny[i], a, sizeof a),
			c->deny_plen[i]);
	for (unsigned i = 0; i < c->n_keys; i++)
		fprintf(f, "mn-key %s %u (%zu-octet key)\n",
			c->keys[i].any ? "*" : inet_ntop(AF_INET6, &c->keys[i].hoa, a, sizeof a),
			c->keys[i].spi, c->keys[i].keylen);
}

const struct mobd_role mobd_home_agent = {
	.name = "home-agent",
	.title = "home agent",
	.id = MOBD_R_HA,
	.owns_tun = true,
	.mh_all = true, /* a BU is handled; every other type counted as ignored */
	.mh_errors = true,
	.kws = ha_kws,
	.n_kws = sizeof ha_kws / sizeof ha_kws[0],
	.conf_check = ha_conf_check,
	.conf_print = ha_conf_print,
	.start = ha_start,
	.stop = ha_stop,
	.on_mh = ha_mh,
	.on_ip = ha_ip,
	.on_icmp6 = ha_icmp,
	.on_tun = ha_tun,
	.show = ha_show,
	.binding = ha_binding,
};
