/* stack/roles/mobile-node.c: the mobile node (RFC 6275 section 11).
 *
 * Movement: the kernel does SLAAC from the access router's advertisements;
 * mobd listens to netlink for address and default-route changes on the
 * interface and re-reads the addresses.  An address in the home prefix
 * means home; any other global address is a care-of address.  Each new
 * care-of address, and coming home, is told to the other roles
 * (mobd_coa_changed: the DNS updater publishes it).
 *
 * Away from home the home address lives on the TUN device and a rule sends
 * everything sourced from it to a table whose default route is the TUN:
 * applications keep using the home address, mobd reads their packets and
 * reverse-tunnels them to the home agent (RFC 6275 11.3.1); packets the
 * home agent tunnels to the care-of address come in through the capture
 * and are written to the TUN, where the kernel delivers them.
 *
 * Binding Update list: the core's (stack/core/bul.c), one entry so far, the
 * home registration, with its RFC 6275 11.8 retransmission schedule; each
 * retransmission carries a new sequence number. */
#include <arpa/inet.h>
#include <stddef.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "stack/roles/mn.h"
#include "stack/roles/roles.h"
#include "wire/icmp6.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"
#include "wire/rr.h"

#define MN_TABLE 135      /* routing table for packets from the home address */
#define MN_RULE_PRIO 135

static const char *const state_name[] = { "start", "home", "discovering", "registering",
					   "bound", "deregistering", "failed" };

static void set_state(struct mn *m, enum mn_state s)
{
	if (m->st != s)
		log_debug("state %s -> %s", state_name[m->st], state_name[s]);
	m->st = s;
}

/* ---- tunnel state in the kernel ---- */

static void tunnel(struct mobd *d, bool up)
{
	struct mn *m = MN(d);
	int r1 = 0, r2 = 0, r3 = 0;
	if (m->tunnel_up == up)
		return;
	if (up) {
		r1 = nl_addr(true, d->io.tun_ifindex, &m->hoa, 128, true);
		r2 = nl_route(true, d->io.tun_ifindex, &in6addr_any, 0, MN_TABLE, 0);
		r3 = nl_rule(true, &m->hoa, MN_TABLE, MN_RULE_PRIO);
		if (r3 == -EEXIST)
			r3 = 0;
	} else {
		r3 = nl_rule(false, &m->hoa, MN_TABLE, MN_RULE_PRIO);
		r2 = nl_route(false, d->io.tun_ifindex, &in6addr_any, 0, MN_TABLE, 0);
		r1 = nl_addr(false, d->io.tun_ifindex, &m->hoa, 128, false);
	}
	if (r1 || r2 || r3)
		log_info("tunnel %s: address %s, route %s, rule %s", up ? "up" : "down",
		     r1 ? strerror(-r1) : "ok", r2 ? strerror(-r2) : "ok", r3 ? strerror(-r3) : "ok");
	m->tunnel_up = up;
}

/* ---- Binding Update ---- */

static int send_bu(struct mobd *d, uint32_t lifetime)
{
	struct mn *m = MN(d);
	uint64_t t = now_ns();
	struct in6_addr list[MN_SEC_MAX + 1];
	size_t nl = mn_multi_list(d, list, MN_SEC_MAX + 1);
	m->bu->peer = m->ha;
	int r = msg_bu(d, &m->coa, &m->ha, &m->hoa, ++m->bu->seq, MK_BU_A | MK_BU_H, lifetime, d->c.spi,
		       d->c.key, d->c.keylen, list, nl);
	if (r == -1) {
		log_warnx("cannot build a Binding Update");
		return -1;
	}
	m->bu->sent_at = t;
	m->cnt.bu_tx++;
	if (r == -2) {
		m->cnt.send_fail++;
		m->send_failed = true;
		return -1;
	}
	m->send_failed = false;
	return 0;
}

static void start_dhaad(struct mobd *d);

static void bu_timer(void *arg)
{
	struct mobd *d = arg;
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN];
	switch (m->st) {
	case MN_REG:
	case MN_DEREG:
	case MN_FAILED:
		if (m->st == MN_FAILED)
			set_state(m, MN_REG);
		m->cnt.bu_retx++;
		if (bul_exhausted(m->bu) && m->st == MN_REG) {
			m->bu->tries++;
			/* the home agent stopped answering: look for another (RFC 6275 11.4.1) */
			log_info("no answer from %s after %u tries: home agent discovery",
			     mk_ip6_ntop(&m->ha, a), m->bu->tries);
			m->ha_silent = true;
			start_dhaad(d);
			return;
		}
		bul_backoff(m->bu);
		send_bu(d, m->st == MN_DEREG ? 0 : d->c.lifetime);
		ev_timer_arm(&m->t_bu, m->bu->timeout_ms);
		break;
	case MN_BOUND:
		/* refresh */
		set_state(m, MN_REG);
		bul_start(m->bu, false, 0);
		send_bu(d, d->c.lifetime);
		ev_timer_arm(&m->t_bu, m->bu->timeout_ms);
		break;
	default:
		break;
	}
}

void mn_register_now(struct mobd *d)
{
	struct mn *m = MN(d);
	mn_multi_choose(d);
	set_state(m, MN_REG);
	bul_start(m->bu, !m->ever_bound, d->c.firstreg_ms);
	send_bu(d, d->c.lifetime);
	ev_timer_arm(&m->t_bu, m->bu->timeout_ms);
	mn_multi_register(d);
}

/* ---- DHAAD (RFC 6275 11.4.1) ---- */

static void dhaad_send(struct mobd *d)
{
	struct mn *m = MN(d);
	int r = msg_dhaad_request(d, &m->coa, &d->c.home_prefix, m->dhaad_id);
	if (r == -1)
		return;
	m->cnt.dhaad_tx++;
	if (r == -2)
		m->cnt.send_fail++;
}

static void dhaad_timer(void *arg)
{
	struct mobd *d = arg;
	struct mn *m = MN(d);
	if (m->st != MN_DHAAD)
		return;
	if (++m->dhaad_tries > MOBD_DHAAD_RETRIES)
		m->dhaad_tries = MOBD_DHAAD_RETRIES; /* keep asking at the longest interval */
	dhaad_send(d);
	ev_timer_arm(&m->t_dhaad, (uint64_t)mobd_t(MOBD_INITIAL_DHAAD_TIMEOUT_MS) << m->dhaad_tries);
}

static void start_dhaad(struct mobd *d)
{
	struct mn *m = MN(d);
	uint16_t id;
	ev_timer_stop(&m->t_bu);
	set_state(m, MN_DHAAD);
	if (getrandom(&id, sizeof id, 0) != sizeof id)
		id = (uint16_t)now_ns();
	m->dhaad_id = id;
	m->dhaad_tries = 0;
	dhaad_send(d);
	ev_timer_arm(&m->t_dhaad, mobd_t(MOBD_INITIAL_DHAAD_TIMEOUT_MS));
}

static bool known_not_ha(const struct mn *m, const struct in6_addr *a)
{
	for (unsigned i = 0; i < m->n_not_ha && i < 8; i++)
		if (!memcmp(&m->not_ha[i], a, 16))
			return true;
	return false;
}

/* a DHAAD reply's address that can be a home agent: a unicast address in
 * the home prefix, not the bare prefix (Subnet-Router anycast) nor the
 * Home-Agents anycast address, not one that answered a BU with an error */
bool mn_may_be_ha(const struct mobd *d, const struct mn *m, const struct in6_addr *a)
{
	struct in6_addr any;
	bool host = false;
	ha_anycast(&d->c.home_prefix, &any);
	for (unsigned i = d->c.home_plen; i < 128 && !host; i++)
		host = a->s6_addr[i / 8] & (0x80u >> (i % 8));
	return host && a->s6_addr[0] != 0xff && memcmp(a, &any, 16) != 0 &&
	       in_prefix(a, &d->c.home_prefix, d->c.home_plen) && !known_not_ha(m, a);
}

/* An ICMPv6 error (Parameter Problem, Destination Unreachable) about the
 * BU in flight: its destination is no home agent (a router answering for a
 * prefix, a host without Mobile IPv6).  Drop it and go on at once with the
 * next home agent of the last DHAAD reply, or discovery. */
static void bu_icmp_error(struct mobd *d, const struct mk_icmp6 *r, const struct in6_addr *src)
{
	struct mn *m = MN(d);
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const uint8_t *p = r->u.err.invoking;
	if (m->st != MN_REG || !m->have_ha ||
	    mk_ip6_chain_parse(p, r->u.err.invoking_len, &ih, &c).err != MK_E_OK ||
	    c.ulp != MK_MH_NEXTHDR || c.ulp_len < 3 || p[c.ulp_off + 2] != MK_MH_BU ||
	    memcmp(&ih.src, &m->coa, 16) != 0 || memcmp(&ih.dst, &m->ha, 16) != 0)
		return;
	m->cnt.bu_icmp_err++;
	log_info("%s from %s to the BU for %s: not a home agent, dropped",
	     r->kind == MK_ICMP6_K_PARAM_PROB ? "Parameter Problem" : "Destination Unreachable",
	     mk_ip6_ntop(src, a), mk_ip6_ntop(&m->ha, b));
	mn_not_ha(m, &m->ha);
	ev_timer_stop(&m->t_bu);
	if (m->n_has) {
		m->ha = m->has[0];
		m->ha_idx = 0;
		log_info("next home agent: %s", mk_ip6_ntop(&m->ha, a));
		mn_register_now(d);
	} else {
		m->have_ha = false;
		start_dhaad(d);
	}
}

/* a is no home agent (it answered a BU with an error, or a peer said it is
 * unreachable): left out of the list and of later DHAAD replies */
void mn_not_ha(struct mn *m, const struct in6_addr *a)
{
	struct in6_addr x = *a;
	m->not_ha[m->n_not_ha++ % 8] = x;
	unsigned k = 0;
	for (unsigned i = 0; i < m->n_has; i++)
		if (memcmp(&m->has[i], &x, 16) != 0)
			m->has[k++] = m->has[i];
	m->n_has = k;
}

static void mn_icmp(struct mobd *d, const uint8_t *buf, size_t len, const struct in6_addr *src,
	     const struct in6_addr *dst)
{
	struct mn *m = MN(d);
	static struct mk_icmp6 r;
	char a[INET6_ADDRSTRLEN];
	(void)dst;
	if (mk_icmp6_parse(buf, len, &d->c.cp, &r).err != MK_E_OK)
		return;
	if (r.kind == MK_ICMP6_K_PARAM_PROB || r.kind == MK_ICMP6_K_DST_UNREACH) {
		if (mn_ro_icmp(d, &r, src))
			return;
		bu_icmp_error(d, &r, src);
		return;
	}
	if (r.kind == MK_ICMP6_K_HA_UNREACH) {
		mn_multi_hau(d, &r, src);
		return;
	}
	/* a DHAAD for more home agents while registered (mn-multi.c) */
	bool more = r.kind == MK_ICMP6_K_DHAAD_REPLY && m->dhaad2_out && r.u.ident.id == m->dhaad2_id;
	if (!more && (r.kind != MK_ICMP6_K_DHAAD_REPLY || m->st != MN_DHAAD || r.u.ident.id != m->dhaad_id))
		return;
	m->cnt.dhaad_rx++;
	unsigned k = 0;
	for (size_t i = 0; i < r.n_addrs; i++)
		if (mn_may_be_ha(d, m, &r.addrs[i]))
			m->has[k++] = r.addrs[i];
		else
			m->cnt.dhaad_dropped++;
	if (!k && m->n_not_ha) {
		/* only addresses that failed before: try them again rather than none */
		m->n_not_ha = 0;
		for (size_t i = 0; i < r.n_addrs; i++)
			if (mn_may_be_ha(d, m, &r.addrs[i]))
				m->has[k++] = r.addrs[i];
	}
	if (!k)
		return;
	m->n_has = k;
	if (more) {
		m->dhaad2_out = false;
		log_info("home agent discovery: %u home agents", m->n_has);
		if (m->st == MN_BOUND || m->st == MN_REG)
			mn_register_now(d);
		return;
	}
	/* after a home agent failed, start with the next one in the list */
	unsigned pick = 0;
	if (m->have_ha)
		for (unsigned i = 0; i < m->n_has; i++)
			if (!memcmp(&m->has[i], &m->ha, 16) && (m->bu->last_status >= 128 || m->ha_silent)) {
				pick = (i + 1) % m->n_has;
				break;
			}
	m->ha_silent = false;
	m->ha = m->has[pick];
	m->ha_idx = pick;
	m->have_ha = true;
	ev_timer_stop(&m->t_dhaad);
	log_info("home agent discovery: %u home agents, using %s", m->n_has, mk_ip6_ntop(&m->ha, a));
	if (m->have_coa)
		mn_register_now(d);
}

/* ---- movement ---- */

static void at_home(struct mobd *d)
{
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN];
	bool moved = !m->have_coa || memcmp(&m->coa, &m->hoa, 16) != 0;
	tunnel(d, false);
	m->coa = m->hoa;
	m->have_coa = true;
	if (moved) {
		mn_ro_moved(d, true);
		mn_multi_home(d);
		mobd_coa_changed(d, &m->hoa, &m->hoa, true);
	}
	if (m->st == MN_HOME || m->st == MN_DEREG)
		return;
	m->cnt.home++;
	if ((m->st == MN_BOUND || m->st == MN_REG || m->st == MN_FAILED) && m->have_ha && m->ever_bound) {
		log_info("back home: deregistering with %s", mk_ip6_ntop(&m->ha, a));
		set_state(m, MN_DEREG);
		bul_start(m->bu, false, 0);
		send_bu(d, 0);
		ev_timer_arm(&m->t_bu, m->bu->timeout_ms);
		return;
	}
	log_info("at home (%s)", mk_ip6_ntop(&m->hoa, a));
	ev_timer_stop(&m->t_bu);
	ev_timer_stop(&m->t_dhaad);
	set_state(m, MN_HOME);
}

static void away(struct mobd *d, const struct in6_addr *coa)
{
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN];
	bool moved = !m->have_coa || memcmp(&m->coa, coa, 16) != 0;
	if (!moved) {
		/* same address; a route came back: resend what could not go out */
		if (m->st == MN_REG && m->send_failed) {
			send_bu(d, d->c.lifetime);
		} else if (m->st == MN_DHAAD && m->cnt.send_fail) {
			dhaad_send(d);
		}
		return;
	}
	m->coa = *coa;
	m->have_coa = true;
	m->cnt.moves++;
	log_info("care-of address %s", mk_ip6_ntop(coa, a));
	/* the home prefix is not on this link: an on-link route left from home
	 * would send the BU to the home agent into a Neighbor Solicitation */
	nl_route(false, d->io.ifindex, &d->c.home_prefix, d->c.home_plen, 254, 0);
	tunnel(d, true);
	mn_ro_moved(d, false);
	/* several home agents: their list first (once; later moves use it) */
	if (!m->have_ha || (d->c.mn_has > 1 && m->n_has < d->c.mn_has && !m->ever_bound))
		start_dhaad(d);
	else
		mn_register_now(d);
	mobd_coa_changed(d, &m->hoa, coa, false);
}

static void evaluate(struct mobd *d)
{
	struct mn *m = MN(d);
	struct in6_addr as[32];
	int n = nl_addrs(d->io.ifindex, as, 32), i;
	if (n < 0)
		return;
	for (i = 0; i < n; i++)
		if (in_prefix(&as[i], &d->c.home_prefix, d->c.home_plen)) {
			at_home(d);
			return;
		}
	if (n == 0) {
		/* detached: keep everything until a new address comes */
		return;
	}
	for (i = 0; i < n; i++)
		if (m->have_coa && !memcmp(&as[i], &m->coa, 16)) {
			away(d, &as[i]);
			return;
		}
	away(d, &as[0]);
}

static void nl_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	struct mn *m = MN(d);
	(void)ev;
	if (nl_monitor_read(m->nl_fd, d->io.ifindex))
		evaluate(d);
}

/* ---- packets ---- */

static bool to_us(const struct mn *m, const struct mk_ip6 *ih)
{
	return (m->have_coa && !memcmp(&ih->dst, &m->coa, 16)) || !memcmp(&ih->dst, &m->hoa, 16);
}

/* ---- Home Agent Switch (RFC 5142; the hard switch of HA Reliability,
 * draft-ietf-mip6-hareliability-06) ----
 *
 * A new home agent is not yet this node's home agent, so its source
 * address proves nothing.  The pair shares the security association: with
 * a key configured, a Home Agent Switch is believed only with a valid
 * RFC 4285 MN-HA authenticator made with this node's SPI and key over
 * CoA | HoA | MH, and a replay timestamp within replay-window seconds and
 * newer than the last one believed; whoever sends it.  Without a key, only
 * from the home agent in use (RFC 5142's own rule).  The home agent listed
 * first that can be one (in the home prefix) becomes the home agent in use
 * and gets a BU at once; none listed: home agent discovery.  Anything else
 * changes nothing and is counted (has_refused). */
static void on_has(struct mobd *d, const struct mobd_pkt *p)
{
	struct mn *m = MN(d);
	const struct mk_mh *h = &p->m;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	const char *why = NULL;
	m->cnt.has_rx++;
	if (d->c.keylen) {
		const struct mk_mh_opt *auth = mk_mh_find_opt(h, MK_MHO_AUTH);
		const struct mk_mh_opt *rp = mk_mh_find_opt(h, MK_MHO_REPLAY);
		uint64_t now = now_real_ntp(), win = (uint64_t)d->c.replay_window << 32;
		if (!auth || auth->v.auth.subtype != MK_MH_AUTH_MNHA || auth->v.auth.spi != d->c.spi ||
		    mk_rr_mnha_verify(p->mh, p->mhlen, &d->c.cp, d->c.key, d->c.keylen, &m->coa, &m->hoa).err !=
			    MK_E_OK)
			why = "no valid MN-HA authenticator";
		else if (!rp || rp->v.replay + win < now || rp->v.replay > now + win ||
			 rp->v.replay <= m->has_last_ts)
			why = "replay timestamp missing, old or outside the window";
		else
			m->has_last_ts = rp->v.replay;
	} else if (!m->have_ha || memcmp(&p->ih.src, &m->ha, 16) != 0) {
		why = "not from the home agent in use (no key to authenticate it)";
	}
	if (!why && (m->st == MN_HOME || m->st == MN_DEREG || m->st == MN_START))
		why = "at home";
	const struct in6_addr *to = NULL;
	for (size_t i = 0; !why && i < h->u.has.n; i++) {
		struct in6_addr x;
		memcpy(&x, h->u.has.addrs + 16 * i, 16);
		if (mn_may_be_ha(d, m, &x)) {
			m->has[0] = x; /* keep it: to[] points into the packet no more */
			to = &m->has[0];
			break;
		}
	}
	if (!why && h->u.has.n && !to)
		why = "it lists no address that can be a home agent";
	if (why) {
		m->cnt.has_refused++;
		log_info("Home Agent Switch from %s: %s, ignored", mk_ip6_ntop(&p->ih.src, a), why);
		return;
	}
	m->cnt.has_ok++;
	if (!to) {
		log_info("Home Agent Switch from %s listing none: home agent discovery", mk_ip6_ntop(&p->ih.src, a));
		m->ha_silent = true;
		start_dhaad(d);
		return;
	}
	log_info("Home Agent Switch from %s: home agent %s -> %s", mk_ip6_ntop(&p->ih.src, a),
		 mk_ip6_ntop(&m->ha, b), inet_ntop(AF_INET6, to, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN));
	m->ha = *to;
	m->n_has = 1;
	m->ha_idx = 0;
	m->have_ha = true;
	ev_timer_stop(&m->t_dhaad);
	mn_register_now(d);
}

/* a BA, a BE, or a home registration sent here by mistake (mh_types); one
 * that does not parse or has a wrong checksum is counted (mh_errors) */
static void mn_mh(struct mobd *d, const struct mobd_pkt *p)
{
	struct mn *m = MN(d);
	const struct mk_ip6 *ih = &p->ih;
	const struct mk_ip6_chain *c = &p->c;
	const uint8_t *pkt = p->pkt, *mhp = p->mh;
	char a[INET6_ADDRSTRLEN];
	if (!p->chain_ok || !to_us(m, ih))
		return;
	if (p->st.err != MK_E_OK || p->cksum != 0) {
		m->cnt.ba_bad++;
		return;
	}
	if (mn_ro_mh(d, p, false))
		return; /* from a correspondent */
	if (p->m.type == MK_MH_HAS) {
		on_has(d, p);
		return;
	}
	if (p->m.type == MK_MH_BU && (p->m.u.bu.flags & MK_BU_H)) {
		/* a mobile node is no home agent: RFC 6275 10.3.1, status 131 */
		struct in6_addr bhoa;
		pkt_hoa(pkt, c, &ih->src, &bhoa);
		if (err_allow(d) &&
		    msg_ba(d, &ih->dst, &ih->src, &bhoa, &ih->src, MK_BA_HOMEREG_NOTSUP, p->m.u.bu.seq, 0, 0, NULL, 0) == 0)
			m->cnt.ba_131_tx++;
		return;
	}
	if (p->m.type == MK_MH_BE) {
		m->cnt.be_rx++;
		log_info("Binding Error status %u from %s", p->m.u.be.status, mk_ip6_ntop(&ih->src, a));
		return;
	}
	if (p->m.type == MK_MH_BA && mn_multi_ba(d, p))
		return; /* from another home agent this node registers with */
	if (p->m.type != MK_MH_BA || !m->have_ha || memcmp(&ih->src, &m->ha, 16) != 0)
		return;
	if (d->c.keylen &&
	    mk_rr_mnha_verify(mhp, c->ulp_len, &d->c.cp, d->c.key, d->c.keylen, &m->coa, &m->hoa).err !=
		    MK_E_OK &&
	    p->m.u.ba.status != MK_BA_SEQ_OUT_OF_WIN) {
		/* RFC 4285: an unauthenticated BA is not believed (135 carries no secret) */
		m->cnt.ba_bad++;
		return;
	}
	m->cnt.ba_rx++;
	m->cnt.ba[p->m.u.ba.status]++;
	m->bu->last_status = p->m.u.ba.status;
	if (p->m.u.ba.status == MK_BA_SEQ_OUT_OF_WIN) {
		/* resynchronise (RFC 6275 11.7.3) and send again at once */
		m->bu->seq = p->m.u.ba.seq;
		log_info("BA 135: sequence number resynchronised to %u", m->bu->seq);
		send_bu(d, m->st == MN_DEREG ? 0 : d->c.lifetime);
		ev_timer_arm(&m->t_bu, m->bu->timeout_ms);
		return;
	}
	if (p->m.u.ba.seq != m->bu->seq)
		return; /* an answer to an older BU */
	if (p->m.u.ba.status >= MK_BA_REJECT_MIN) {
		log_info("BA status %u from %s: registration refused", p->m.u.ba.status, mk_ip6_ntop(&ih->src, a));
		set_state(m, MN_FAILED);
		if (p->m.u.ba.status == MK_BA_ID_MISMATCH || p->m.u.ba.status == MK_BA_MESG_ID_REQD) {
			ev_timer_arm(&m->t_bu, 1000);
		} else if (!d->c.has_ha && m->n_has > 1) {
			start_dhaad(d);
		} else {
			m->bu->timeout_ms = mobd_t(MOBD_MAX_BINDACK_TIMEOUT_MS);
			ev_timer_arm(&m->t_bu, m->bu->timeout_ms);
		}
		return;
	}
	if (m->st == MN_DEREG) {
		log_info("deregistered from %s: at home", mk_ip6_ntop(&m->ha, a));
		ev_timer_stop(&m->t_bu);
		set_state(m, MN_HOME);
		/* take the home address back on the home link (RFC 6275 11.5.4) */
		io_send_na(&d->io, &m->hoa, false);
		m->bu->granted = 0;
		return;
	}
	if (m->st != MN_REG)
		return;
	const struct mk_mh_opt *bra = mk_mh_find_opt(&p->m, MK_MHO_BRA);
	uint64_t refresh_ms = bul_bound(m->bu, mk_mh_lifetime_sec(p->m.u.ba.lifetime),
					bra ? mk_mh_lifetime_sec(bra->v.bra) : 0, now_ns());
	m->ever_bound = true;
	set_state(m, MN_BOUND);
	ev_timer_arm(&m->t_bu, refresh_ms);
	mn_ro_ha_bound(d);
	log_info("bound: %s via %s at %s, lifetime %u s, %.1f ms after the BU", mk_ip6_ntop(&m->hoa, a),
	     inet_ntop(AF_INET6, &m->ha, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN),
	     inet_ntop(AF_INET6, &m->coa, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN), m->bu->granted,
	     (double)(m->bu->bound_at - m->bu->sent_at) / 1e6);
}

/* not a Mobility Header: what the home agent tunnels to the care-of
 * address, and what a correspondent sends direct with a type 2 routing
 * header (mn-ro.c) */
static void mn_ip(struct mobd *d, const struct mobd_pkt *p)
{
	struct mn *m = MN(d);
	const uint8_t *pkt = p->pkt;
	struct mk_ip6 ih = p->ih;
	struct mk_ip6_chain c = p->c;
	if (!to_us(m, &ih))
		return;
	if (mn_ro_rh2(d, p))
		return;
	if (c.ulp == 41 && mn_multi_ours(d, &ih.src)) {
		static struct mobd_pkt ip; /* one loop, one packet at a time */
		struct mk_ip6 in;
		size_t il;
		const uint8_t *inner = tun_inner(pkt, &c, &in, &il);
		if (!inner || memcmp(&in.dst, &m->hoa, 16) != 0) {
			m->cnt.tun_drop++;
			return;
		}
		/* a HoT, a BRR or an error about a HoTI through the tunnel: ours */
		intake_parse(inner, il, &d->c.cp, &ip);
		if (ip.chain_ok && ip.c.ulp == MK_MH_NEXTHDR && mn_ro_mh(d, &ip, true))
			return;
		if (ip.chain_ok && ip.c.ulp == 58 && ip.c.ulp_len >= 8 && inner[ip.c.ulp_off] == 4) {
			static struct mk_icmp6 r;
			if (mk_icmp6_parse(inner + ip.c.ulp_off, ip.c.ulp_len, &d->c.cp, &r).err == MK_E_OK &&
			    mn_ro_icmp(d, &r, &in.src))
				return;
		}
		if (tun_write(d, inner, il)) {
			m->cnt.tun_in++;
			m->cnt.tun_in_bytes += il;
		}
		mn_ro_seen(d, &in.src);
	}
}

static void mn_tun(struct mobd *d, const uint8_t *pkt, size_t len)
{
	struct mn *m = MN(d);
	struct mk_ip6 ih;
	if (!m->have_ha || !m->have_coa || !m->tunnel_up) {
		m->cnt.tun_drop++;
		return;
	}
	if (mk_ip6_parse(pkt, len, &ih).err == MK_E_OK && mn_ro_out(d, pkt, len, &ih))
		return;
	long n = msg_encap(d, &m->coa, &m->ha, pkt, len);
	if (n < 0) {
		m->cnt.tun_drop++;
		return;
	}
	m->cnt.tun_out++;
	m->cnt.tun_out_bytes += (uint64_t)n;
}

/* ---- start, stop, show ---- */

static int mn_start(struct mobd *d, char *err, size_t errlen)
{
	struct mn *m = calloc(1, sizeof *m);
	char a[INET6_ADDRSTRLEN];
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->rs[MOBD_R_MN] = m;
	m->nl_fd = -1;
	m->bu = bul_get(&m->bul, NULL, true, true);
	m->t_bu.cb = bu_timer;
	m->t_bu.arg = d;
	m->t_dhaad.cb = dhaad_timer;
	m->t_dhaad.arg = d;
	if (d->c.has_ha) {
		m->ha = d->c.ha;
		m->have_ha = true;
	}
	if (d->c.has_hoa) {
		m->hoa = d->c.hoa;
	} else {
		if (nl_addr_in_prefix(d->io.ifindex, &d->c.home_prefix, d->c.home_plen, &m->hoa) != 0) {
			snprintf(err, errlen,
				 "no home address: %s has no address in the home prefix (start at "
				 "home, or set 'home-address')",
				 d->c.iface);
			return -1;
		}
	}
	if (!d->io.others_alive) {
		/* the rule a mobile node killed without its cleanup left (its
		 * address and route went with its TUN) */
		unsigned k = 0;
		while (k < 16 && nl_rule(false, &m->hoa, MN_TABLE, MN_RULE_PRIO) == 0)
			k++;
		if (k)
			log_info("removed %u rule%s from %s (table %d) left by a mobd that is gone", k,
			     k == 1 ? "" : "s", mk_ip6_ntop(&m->hoa, a), MN_TABLE);
	}
	m->nl_fd = nl_monitor_open();
	if (m->nl_fd < 0 || ev_add(m->nl_fd, nl_cb, d) != 0) {
		snprintf(err, errlen, "netlink monitor: %s", strerror(errno));
		return -1;
	}
	log_info("mobile node, home address %s, home agent %s", mk_ip6_ntop(&m->hoa, a),
	     d->c.has_ha ? inet_ntop(AF_INET6, &d->c.ha, (char[INET6_ADDRSTRLEN]){ 0 }, INET6_ADDRSTRLEN)
			 : "(discovery)");
	evaluate(d);
	return 0;
}

/* SIGTERM: deregister (RFC 6275 11.7.1, lifetime 0) and wait up to 1.5 s for the BA */
static void mn_stop(struct mobd *d)
{
	struct mn *m = MN(d);
	if (!m)
		return;
	if ((m->st == MN_BOUND || m->st == MN_REG) && m->have_ha && m->ever_bound) {
		set_state(m, MN_DEREG);
		send_bu(d, 0);
		uint64_t until = now_ns() + 1500000000ull;
		while (m->st == MN_DEREG && now_ns() < until) {
			struct pollfd p = { d->io.pcap_fd, POLLIN, 0 };
			if (poll(&p, 1, 50) > 0)
				cap_dispatch(d, -1);
		}
		log_info(m->st == MN_HOME ? "deregistered" : "no answer to the deregistration");
	}
	mn_ro_stop(d);
	mn_multi_stop(d);
	ev_timer_stop(&m->t_bu);
	ev_timer_stop(&m->t_dhaad);
	tunnel(d, false);
	if (m->nl_fd >= 0) {
		ev_del(m->nl_fd);
		close(m->nl_fd);
	}
	free(m);
	d->rs[MOBD_R_MN] = NULL;
}

static void mn_show(struct mobd *d, const char *what, bool json, FILE *f)
{
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], c[INET6_ADDRSTRLEN];
	uint64_t now = now_ns();
	unsigned left = m->st == MN_BOUND && m->bu->expires > now ? (unsigned)((m->bu->expires - now) / 1000000000ull) : 0;
	if (!strcmp(what, "bul")) {
		if (json)
			fprintf(f,
				"[{\"kind\":\"home\",\"hoa\":\"%s\",\"coa\":\"%s\",\"ha\":\"%s\",\"state\":\"%s\",\"seq\":%u,"
				"\"lifetime\":%u,\"remaining\":%u,\"retransmissions\":%u,"
				"\"last_status\":%u}",
				mk_ip6_ntop(&m->hoa, a), m->have_coa ? mk_ip6_ntop(&m->coa, b) : "",
				m->have_ha ? mk_ip6_ntop(&m->ha, c) : "", state_name[m->st], m->bu->seq, m->bu->granted,
				left, m->bu->tries, m->bu->last_status);
		else
			fprintf(f, "%s via %s to %s: %s, seq %u, lifetime %u s, remaining %u s, %u retransmissions\n",
				mk_ip6_ntop(&m->hoa, a), m->have_coa ? mk_ip6_ntop(&m->coa, b) : "-",
				m->have_ha ? mk_ip6_ntop(&m->ha, c) : "-", state_name[m->st], m->bu->seq, m->bu->granted,
				left, m->bu->tries);
		mn_multi_show(d, json, f);
		mn_ro_show(d, json, f, false);
		if (json)
			fputs("]\n", f);
	} else if (!strcmp(what, "bc")) {
		fputs(json ? "[]\n" : "", f); /* no correspondent role yet */
	} else if (!strcmp(what, "ha")) {
		if (json)
			fputc('[', f);
		for (unsigned i = 0; i < m->n_has; i++)
			fprintf(f, json ? "%s\"%s\"" : "%s%s\n", json && i ? "," : "", mk_ip6_ntop(&m->has[i], a));
		if (json)
			fputs("]\n", f);
	} else {
		bool status = !strcmp(what, "status");
#define C(name) { #name, &m->cnt.name }
		struct { const char *n; uint64_t *v; } cs[] = {
			C(bu_tx), C(bu_retx), C(ba_rx), C(ba_bad), C(be_rx), C(ba_131_tx), C(moves), C(home),
			C(tun_out), C(tun_out_bytes), C(tun_in), C(tun_in_bytes), C(tun_drop),
			C(dhaad_tx), C(dhaad_rx), C(send_fail), C(bu_icmp_err), C(dhaad_dropped),
			C(hoti_tx), C(coti_tx), C(hot_rx), C(cot_rx), C(rr_stale), C(ro_bu_tx), C(ro_ba_rx),
			C(ro_ba_bad), C(ro_be_rx), C(brr_rx), C(ro_out), C(ro_out_bytes), C(ro_in),
			C(ro_in_bytes), C(ro_in_bad), C(ro_fallback), C(ro_legacy), C(ro_full),
			C(dns_rh2), C(dns_rr), C(dns_shortcut), C(dns_bu_tx), C(dns_ba_rx),
			C(mha_bu_tx), C(mha_ba_rx), C(hau_rx), C(hau_ok), C(hau_ignored), C(ha_dropped),
			C(ha_promoted), C(has_rx), C(has_ok), C(has_refused),
			{ "err_sent", &d->errlim.sent }, { "err_suppressed", &d->errlim.suppressed },
		};
#undef C
		if (json) {
			fprintf(f, "{\"role\":\"mobile-node\",\"state\":\"%s\",\"hoa\":\"%s\",\"pid\":%d",
				state_name[m->st], mk_ip6_ntop(&m->hoa, a), (int)getpid());
			if (!status)
				for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
					fprintf(f, ",\"%s\":%llu", cs[i].n, (unsigned long long)*cs[i].v);
			fputs("}\n", f);
		} else {
			fprintf(f, "mobile node %s: %s, pid %d\n", mk_ip6_ntop(&m->hoa, a), state_name[m->st],
				(int)getpid());
			if (!status)
				for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
					fprintf(f, "%-14s %llu\n", cs[i].n, (unsigned long long)*cs[i].v);
		}
	}
}

/* ---- configuration: the mobile node's keywords ---- */

static void p_key(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		  struct mobd_conf *c)
{
	unsigned long v;
	(void)k;
	if (!conf_need(x, w, n, 2))
		return;
	if (conf_num(w[1], 256, 0xffffffffUL, &v)) {
		conf_err(x, "SPI '%s': expected 256..4294967295", w[1]);
		return;
	}
	c->spi = (uint32_t)v;
	if (conf_hexkey(w[2], c->key, sizeof c->key, &c->keylen))
		conf_err(x, "key '%s': expected 1 to 64 octets in hex", w[2]);
}

#define OFF(f) offsetof(struct mobd_conf, f)
static const struct mobd_kw mn_kws[] = {
	{ "home-address", false, conf_p_addr, OFF(hoa), OFF(has_hoa), 0, 0, "" },
	{ "ha", false, conf_p_addr, OFF(ha), OFF(has_ha), 0, 0, "" },
	{ "lifetime", false, conf_p_num, OFF(lifetime), 0, 4, MOBD_MAX_BINDING_LIFETIME_S, " seconds" },
	{ "firstreg-timeout", false, conf_p_num, OFF(firstreg_ms), 0, 100, 60000, " ms" },
	{ "key", false, p_key, 0, 0, 0, 0, "" },
	{ "route-optimization", false, mn_ro_conf, 0, 0, 0, 0, "" },
	{ "mn-dns-answer", false, mn_ro_dns_conf, 0, 0, 0, 0, "" },
	{ "home-agents", false, conf_p_num, OFF(mn_has), 0, 1, MN_SEC_MAX + 1, " home agents" },
};
#undef OFF

static void mn_conf_check(struct mobd_conf_ctx *x, struct mobd_conf *c)
{
	if (!c->has_prefix && !c->has_hoa && !conf_seen(x, "home-prefix"))
		conf_bad(x, "%s: a mobile node needs 'home-prefix' or 'home-address'", conf_path(x));
	if (c->has_hoa && !c->has_prefix) {
		c->home_prefix = c->hoa;
		memset(c->home_prefix.s6_addr + 8, 0, 8);
		c->home_plen = 64;
		c->has_prefix = true;
	}
	if (c->has_hoa && c->has_prefix && !in_prefix(&c->hoa, &c->home_prefix, c->home_plen))
		conf_bad(x, "%s: home-address is not in home-prefix", conf_path(x));
}

static void mn_conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN];
	if (c->has_hoa)
		fprintf(f, "home-address %s\n", inet_ntop(AF_INET6, &c->hoa, a, sizeof a));
	else
		fprintf(f, "home-address (learned at start from the home link)\n");
	if (c->has_ha)
		fprintf(f, "ha %s\n", inet_ntop(AF_INET6, &c->ha, a, sizeof a));
	else
		fprintf(f, "ha (dynamic home agent address discovery)\n");
	fprintf(f, "lifetime %u\nfirstreg-timeout %u\n", c->lifetime, c->firstreg_ms);
	if (c->keylen)
		fprintf(f, "key %u (%zu-octet key)\n", c->spi, c->keylen);
	fprintf(f, "home-agents %u\n", c->mn_has);
	mn_ro_conf_print(c, f);
}

const struct mobd_role mobd_mobile_node = {
	.name = "mobile-node",
	.title = "mobile node",
	.id = MOBD_R_MN,
	.owns_tun = true,
	.mh_types = 1u << MK_MH_BU | 1u << MK_MH_BA | 1u << MK_MH_BE | 1u << MK_MH_HOT | 1u << MK_MH_COT |
		    1u << MK_MH_BRR | 1u << MK_MH_HAS,
	.mh_errors = true, /* counted as ba_bad */
	.kws = mn_kws,
	.n_kws = sizeof mn_kws / sizeof mn_kws[0],
	.conf_check = mn_conf_check,
	.conf_print = mn_conf_print,
	.start = mn_start,
	.stop = mn_stop,
	.on_mh = mn_mh,
	.on_ip = mn_ip,
	.on_icmp6 = mn_icmp,
	.on_tun = mn_tun,
	.show = mn_show,
};
