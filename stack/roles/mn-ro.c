/* stack/roles/mn-ro.c: route optimization at the mobile node (RFC 6275
 * 5.2, 11.6, 11.7.2, 11.7.3, 11.8), an entry per correspondent in the core's
 * binding update list.
 *
 * When: a packet from a correspondent reaches the mobile node through the
 * home agent's tunnel and the policy (route-optimization never | always |
 * PREFIX...) names it.  Then:
 *
 *   return routability   HoTI from the home address, reverse-tunnelled
 *                        through the home agent; CoTI from the care-of
 *                        address, direct.  A home keygen token younger than
 *                        MAX_TOKEN_LIFETIME (210 s) is used again after a
 *                        move (5.2.7): then only the CoTI goes out.
 *   Binding Update       from the care-of address with the Home Address
 *                        option, A bit, Nonce Indices, Binding Authorization
 *                        Data (Kbm = SHA1(home token | care-of token));
 *                        the BA must carry a right authenticator.
 *   data                 while bound at the current care-of address, what
 *                        the applications send from the home address to the
 *                        correspondent leaves direct with the Home Address
 *                        option (the upper-layer checksum stays: its
 *                        pseudo-header names the home address, 6.3); packets
 *                        with a type 2 routing header to the care-of address
 *                        naming the home address go to the kernel as to the
 *                        home address (11.3.3), through the TUN.
 *   every move           bindings at the old care-of address are void: data
 *                        goes through the tunnel again until RR and the BU
 *                        are done from the new one; back home, a BU with
 *                        lifetime 0 from the home address (Kbm from the home
 *                        token alone, 5.2.6, 11.7.2).
 *
 * Fall-back to the tunnel (tried again after MN_RO_RETRY_S or the next
 * move): no HoT/CoT or BA after MN_RO_TRIES sends; a BA that refuses
 * (130, 131, 139 ...); BA 136-138 or BE 1 more than MN_RO_TRIES times in a
 * row.  Stop for good (RO_LEGACY, said in the log and in mobctl bul): an
 * ICMPv6 Parameter Problem to a HoTI, CoTI or BU (a node without Mobile
 * IPv6, such as this Linux kernel, answers so) or a Binding Error status 2
 * (it does not know the message).
 *
 * A correspondent that learnt the care-of address from DNS (the
 * server-mobility paper, issue 15: the server publishes a CAAAA record)
 * sends its very first packet to the care-of address with an RH2 naming
 * the home address, with no binding of ours.  Such a packet goes to the
 * kernel like any RH2 packet (11.3.3); then, by mn-dns-answer and whatever
 * route-optimization says (the correspondent already knows the care-of
 * address, from us):
 *   rr        (default, RFC 6275) return routability and the BU start at
 *             once; until the BA, the answers go through the tunnel;
 *   shortcut  (the paper) the answers go direct at once, with the Home
 *             Address option, and a BU without return routability (A bit,
 *             no Nonce Indices, no Binding Authorization Data) goes to the
 *             correspondent, which accepts it only for the binding it has
 *             from DNS (correspondent.c, dns_bu); no BA after MN_RO_TRIES
 *             sends, or a refusal: the tunnel.  The refresh is an ordinary
 *             one, with return routability.
 *   off       RFC 6275 alone: nothing starts, route-optimization decides.
 * mobctl bul says which (dns), how many packets went through the tunnel
 * before the first direct one and when that went (first_direct_ms). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "stack/roles/mn.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

#define MN_RO_TRIES   3                 /* sends of a HoTI/CoTI or BU before giving up */
#define MN_RO_RETRY_S 60                /* a fall-back is tried again after this */
#define NS_PER_S      1000000000ull
#define TOKEN_NS      ((uint64_t)MOBD_MAX_TOKEN_LIFETIME_S * NS_PER_S)

static const char *const ro_state_name[] = { "idle", "return-routability", "binding", "bound",
					     "deregistering", "fallback", "legacy" };

static bool is_home(const struct mn *m)
{
	return !memcmp(&m->coa, &m->hoa, 16);
}

static struct mn_ro *ro_find(struct mn *m, const struct in6_addr *cn)
{
	for (int i = 0; i < MN_RO_MAX; i++)
		if (m->ro[i].used && !memcmp(&m->ro[i].cn, cn, 16))
			return &m->ro[i];
	return NULL;
}

static void ro_timer(void *arg);

static void ro_free(struct mn_ro *r);

static struct mn_ro *ro_new(struct mobd *d, const struct in6_addr *cn)
{
	struct mn *m = MN(d);
	for (int i = 0; i < MN_RO_MAX; i++) {
		struct mn_ro *r = &m->ro[i];
		if (r->used)
			continue;
		struct mobd_bule *e = bul_get(&m->bul, cn, false, true);
		if (!e)
			break;
		memset(r, 0, sizeof *r);
		r->used = true;
		r->cn = *cn;
		r->bu = e;
		r->d = d;
		r->t.cb = ro_timer;
		r->t.arg = r;
		return r;
	}
	/* full: an entry that holds no binding (a legacy correspondent, one
	 * fallen back) makes room; a legacy one forgotten is tried once more */
	for (int i = 0; i < MN_RO_MAX; i++) {
		struct mn_ro *r = &m->ro[i];
		if (r->st == RO_LEGACY || r->st == RO_IDLE || (r->st == RO_FALLBACK && !r->bound)) {
			ro_free(r);
			return ro_new(d, cn);
		}
	}
	m->cnt.ro_full++;
	return NULL;
}

static void ro_free(struct mn_ro *r)
{
	ev_timer_stop(&r->t);
	r->bu->used = false;
	r->used = false;
}

/* the policy: may this correspondent be route-optimized? */
static bool ro_wanted(const struct mobd *d, const struct in6_addr *cn)
{
	if (d->c.ro_mode == MN_RO_ALWAYS)
		return true;
	if (d->c.ro_mode == MN_RO_PREFIX)
		for (unsigned i = 0; i < d->c.n_ro_prefix; i++)
			if (in_prefix(cn, &d->c.ro_prefix[i], d->c.ro_plen[i]))
				return true;
	return false;
}

static void ro_log(const struct mn_ro *r, const char *what)
{
	char a[INET6_ADDRSTRLEN];
	log_info("route optimization with %s: %s", mk_ip6_ntop(&r->cn, a), what);
}

/* the tunnel carries the correspondent's traffic again: tried later
 * (RO_FALLBACK) or never again, the correspondent does not do Mobile IPv6
 * (RO_LEGACY); counted, said in the log and kept for mobctl bul */
static void give_up(struct mn_ro *r, enum ro_state st, const char *why)
{
	struct mn *m = MN(r->d);
	char msg[200];
	snprintf(r->why, sizeof r->why, "%s", why);
	r->st = st;
	r->bound = false;
	if (st == RO_LEGACY) {
		m->cnt.ro_legacy++;
		snprintf(msg, sizeof msg, "%s: no route optimization with it, the tunnel stays", why);
		ev_timer_stop(&r->t);
	} else {
		m->cnt.ro_fallback++;
		snprintf(msg, sizeof msg, "%s; through the home agent, tried again in %d s", why,
			 MN_RO_RETRY_S);
		ev_timer_arm(&r->t, (uint64_t)MN_RO_RETRY_S * 1000);
	}
	ro_log(r, msg);
}
#define fallback(r, why) give_up(r, RO_FALLBACK, why)
#define legacy(r, why) give_up(r, RO_LEGACY, why)

/* ---- sending ---- */

/* a HoTI (home) or CoTI with a fresh cookie: the HoTI from the home
 * address through the tunnel while away, direct at home */
static void send_testinit(struct mn_ro *r, bool home)
{
	struct mobd *d = r->d;
	struct mn *m = MN(d);
	uint8_t mh[64], pkt[256];
	size_t n, len;
	uint8_t *cookie = home ? r->hcookie : r->ccookie;
	int rc;
	if (getrandom(cookie, 8, 0) != 8)
		for (int i = 0; i < 8; i++)
			cookie[i] = (uint8_t)(now_ns() >> (i * 3));
	n = msg_testinit(&d->c.cp, home ? MK_MH_HOTI : MK_MH_COTI, cookie, mh, sizeof mh);
	if (!n)
		return;
	if (home && !is_home(m)) {
		if (mk_pkt_assemble(pkt, sizeof pkt, &m->hoa, &r->cn, NULL, NULL, MK_MH_NEXTHDR, mh, n,
				    &len).err != MK_E_OK)
			return;
		rc = msg_encap(d, &m->coa, &m->ha, pkt, len) < 0 ? -1 : 0;
	} else {
		rc = msg_send(d, home ? &m->hoa : &m->coa, &r->cn, NULL, NULL, MK_MH_NEXTHDR, mh, n);
	}
	if (rc != 0)
		m->cnt.send_fail++;
	if (home) {
		m->cnt.hoti_tx++;
		r->hoti_out = true;
	} else {
		m->cnt.coti_tx++;
		r->coti_out = true;
	}
}

static void send_bu(struct mn_ro *r)
{
	struct mobd *d = r->d;
	struct mn *m = MN(d);
	uint32_t life = r->dereg ? 0 : d->c.lifetime;
	if (life > MOBD_MAX_RR_BINDING_LIFETIME_S)
		life = MOBD_MAX_RR_BINDING_LIFETIME_S;
	r->rrless = false;
	if (mk_rr_kbm(r->htok, r->dereg ? NULL : r->ctok, r->kbm).err != MK_E_OK)
		return;
	r->bu->peer = r->cn;
	r->bu_coa = r->dereg ? m->hoa : m->coa;
	r->bu->sent_at = now_ns();
	int rc = msg_bu_rr(d, &r->bu_coa, &r->cn, &m->hoa, ++r->bu->seq, life, r->hidx, r->cidx, r->kbm);
	m->cnt.ro_bu_tx++;
	if (rc != 0)
		m->cnt.send_fail++;
	r->st = r->dereg ? RO_DEREG : RO_BU;
}

/* the shortcut's BU (mn-dns-answer shortcut): from the care-of address
 * with the Home Address option and the A bit, no return routability; the
 * correspondent accepts it only for the binding it has from DNS */
static void send_bu_rrless(struct mn_ro *r)
{
	struct mobd *d = r->d;
	struct mn *m = MN(d);
	uint32_t life = d->c.lifetime;
	if (life > MOBD_MAX_RR_BINDING_LIFETIME_S)
		life = MOBD_MAX_RR_BINDING_LIFETIME_S;
	r->rrless = true;
	r->dereg = false;
	r->bu->peer = r->cn;
	r->bu_coa = m->coa;
	r->bu->sent_at = now_ns();
	if (msg_bu(d, &m->coa, &r->cn, &m->hoa, ++r->bu->seq, MK_BU_A, life, 0, NULL, 0, NULL, 0) != 0)
		m->cnt.send_fail++;
	m->cnt.dns_bu_tx++;
	m->cnt.ro_bu_tx++;
	r->st = RO_BU;
}

/* the BU in flight again (a retransmission, BA 135) */
static void bu_again(struct mn_ro *r)
{
	if (r->rrless)
		send_bu_rrless(r);
	else
		send_bu(r);
}

/* return routability for the BU that follows (a deregistration at home):
 * the tokens that are missing or too old are asked for, then the BU */
static void rr_start(struct mn_ro *r)
{
	struct mobd *d = r->d;
	struct mn *m = MN(d);
	uint64_t now = now_ns();
	r->dereg = is_home(m);
	r->pending = false;
	if (r->htok_ok && now - r->htok_at > TOKEN_NS)
		r->htok_ok = false;
	if (r->ctok_ok && (now - r->ctok_at > TOKEN_NS || memcmp(&r->ctok_coa, &m->coa, 16) != 0))
		r->ctok_ok = false;
	r->hoti_out = r->coti_out = false;
	r->rr_at = now;
	r->rr_tries = 1;
	r->bu->tries = 0;
	if (!r->htok_ok)
		send_testinit(r, true);
	if (!r->dereg && !r->ctok_ok)
		send_testinit(r, false);
	if (!r->hoti_out && !r->coti_out) {
		r->rr_ms = 0;
		bul_start(r->bu, false, 0);
		send_bu(r);
		ev_timer_arm(&r->t, r->bu->timeout_ms);
		return;
	}
	r->st = RO_RR;
	ev_timer_arm(&r->t, mobd_t(MOBD_INITIAL_BINDACK_TIMEOUT_MS));
}

static void ro_timer(void *arg)
{
	struct mn_ro *r = arg;
	struct mobd *d = r->d;
	struct mn *m = MN(d);
	switch (r->st) {
	case RO_RR:
		if (r->rr_tries >= MN_RO_TRIES) {
			if (r->dereg) {
				ro_free(r);
				return;
			}
			fallback(r, r->hoti_out && r->coti_out ? "no HoT and no CoT"
				    : r->hoti_out		 ? "no HoT"
								 : "no CoT");
			return;
		}
		if (r->hoti_out)
			send_testinit(r, true);
		if (r->coti_out)
			send_testinit(r, false);
		ev_timer_arm(&r->t, (uint64_t)mobd_t(MOBD_INITIAL_BINDACK_TIMEOUT_MS) << r->rr_tries++);
		break;
	case RO_BU:
	case RO_DEREG:
		if (r->bu->tries + 1 >= MN_RO_TRIES) {
			if (r->st == RO_DEREG)
				ro_free(r);
			else
				fallback(r, "no Binding Acknowledgement");
			return;
		}
		bul_backoff(r->bu);
		bu_again(r);
		ev_timer_arm(&r->t, r->bu->timeout_ms);
		break;
	case RO_BOUND: /* refresh: new tokens as needed, a new BU */
	case RO_FALLBACK:
		if (!is_home(m) && m->tunnel_up)
			rr_start(r);
		break;
	default:
		break;
	}
}

/* ---- what comes in ---- */

void mn_ro_seen(struct mobd *d, const struct in6_addr *cn)
{
	struct mn *m = MN(d);
	if (d->c.ro_mode == MN_RO_NEVER || is_home(m) || !m->have_coa)
		return;
	if ((m->have_ha && !memcmp(cn, &m->ha, 16)) || IN6_IS_ADDR_MULTICAST(cn) ||
	    IN6_IS_ADDR_LINKLOCAL(cn) || IN6_IS_ADDR_LOOPBACK(cn) || !ro_wanted(d, cn))
		return;
	struct mn_ro *r = ro_find(m, cn);
	if (!r) {
		if (!(r = ro_new(d, cn)))
			return;
		rr_start(r);
	} else if (r->st == RO_IDLE) {
		rr_start(r);
	}
}

static void got_token(struct mn_ro *r, const struct mk_mh *t, bool home)
{
	struct mn *m = MN(r->d);
	uint64_t now = now_ns();
	if (home) {
		memcpy(r->htok, t->u.test.token, 8);
		r->hidx = t->u.test.nonce_idx;
		r->htok_ok = true;
		r->htok_at = now;
		r->hoti_out = false;
		m->cnt.hot_rx++;
	} else {
		memcpy(r->ctok, t->u.test.token, 8);
		r->cidx = t->u.test.nonce_idx;
		r->ctok_ok = true;
		r->ctok_at = now;
		r->ctok_coa = m->coa;
		r->coti_out = false;
		m->cnt.cot_rx++;
	}
	if (r->hoti_out || r->coti_out)
		return;
	r->rr_ms = (double)(now - r->rr_at) / 1e6;
	bul_start(r->bu, false, 0);
	send_bu(r);
	ev_timer_arm(&r->t, r->bu->timeout_ms);
}

static void got_ba(struct mn_ro *r, const struct mobd_pkt *p)
{
	struct mobd *d = r->d;
	struct mn *m = MN(d);
	const struct mk_mh *b = &p->m;
	uint8_t st = b->u.ba.status;
	char why[96];
	bool has_bad = mk_mh_find_opt(b, MK_MHO_BAD) != NULL;
	/* 11.7.3: the authenticator must be right; a BA refusing for its
	 * nonces (136-138) cannot carry one, nor can the answer to an RR-less
	 * BU (there is no Kbm) */
	if (r->rrless ? has_bad
	    : has_bad ? mk_rr_bad_verify(p->mh, p->mhlen, &d->c.cp, r->kbm, &r->bu_coa, &r->cn).err !=
			      MK_E_OK
		    : !(st >= MK_BA_HOME_NONCE_EXP && st <= MK_BA_NONCES_EXP)) {
		m->cnt.ro_ba_bad++;
		return;
	}
	if (st == MK_BA_SEQ_OUT_OF_WIN) {
		r->bu->seq = b->u.ba.seq;
		m->cnt.ro_ba_rx++;
		bu_again(r);
		ev_timer_arm(&r->t, r->bu->timeout_ms);
		return;
	}
	if (b->u.ba.seq != r->bu->seq)
		return; /* an answer to an older BU */
	m->cnt.ro_ba_rx++;
	r->bu->last_status = st;
	r->bu_ms = (double)(now_ns() - r->bu->sent_at) / 1e6;
	if (st >= MK_BA_HOME_NONCE_EXP && st <= MK_BA_NONCES_EXP) {
		/* 11.7.3: the tokens the status names are asked for again */
		if (++r->retries > MN_RO_TRIES) {
			snprintf(why, sizeof why, "BA status %u (%s) %u times", st, mk_mh_ba_status_name(st),
				 r->retries - 1);
			fallback(r, why);
			return;
		}
		if (st != MK_BA_CAREOF_NONCE_EXP)
			r->htok_ok = false;
		if (st != MK_BA_HOME_NONCE_EXP)
			r->ctok_ok = false;
		rr_start(r);
		return;
	}
	if (st >= MK_BA_REJECT_MIN) {
		snprintf(why, sizeof why, "BA status %u (%s)", st, mk_mh_ba_status_name(st));
		if (r->st == RO_DEREG)
			ro_free(r);
		else
			fallback(r, why);
		return;
	}
	r->retries = 0;
	if (r->st == RO_DEREG) {
		ro_log(r, "deregistered (at home)");
		ro_free(r);
		return;
	}
	if (!b->u.ba.lifetime) {
		/* 6.1.8: lifetime 0 is no binding; taken as bound it was
		 * refreshed every second (the 1 s floor), for ever */
		fallback(r, "BA 0 with lifetime 0");
		return;
	}
	if (r->rrless) {
		m->cnt.dns_ba_rx++;
		r->rr_ms = 0; /* none */
	}
	uint64_t now = now_ns();
	uint64_t refresh_ms = bul_bound(r->bu, mk_mh_lifetime_sec(b->u.ba.lifetime), 0, now);
	r->st = RO_BOUND;
	r->bound = true;
	r->bound_coa = r->bu_coa;
	r->bound_until = r->bu->expires;
	r->why[0] = 0;
	char a[INET6_ADDRSTRLEN], msg[160];
	snprintf(msg, sizeof msg, "bound at %s, lifetime %u s, %s%.2f ms, BU -> BA %.2f ms",
		 mk_ip6_ntop(&r->bound_coa, a), r->bu->granted,
		 r->rrless ? "no return routability (mn-dns-answer shortcut) " : "return routability ",
		 r->rr_ms, r->bu_ms);
	ro_log(r, msg);
	ev_timer_arm(&r->t, refresh_ms);
}

bool mn_ro_mh(struct mobd *d, const struct mobd_pkt *p, bool tunnelled)
{
	struct mn *m = MN(d);
	const struct mk_mh *b = &p->m;
	if (!p->chain_ok || p->st.err != MK_E_OK || p->cksum != 0)
		return false;
	if (b->type != MK_MH_HOT && b->type != MK_MH_COT && b->type != MK_MH_BRR &&
	    b->type != MK_MH_BA && b->type != MK_MH_BE)
		return false;
	if (m->have_ha && !memcmp(&p->ih.src, &m->ha, 16) && !tunnelled)
		return false; /* the home agent's own */
	struct mn_ro *r = ro_find(m, &p->ih.src);
	if (!r)
		return false;
	switch (b->type) {
	case MK_MH_HOT:
		/* to the home address: through the tunnel, or direct at home */
		if (r->st == RO_RR && r->hoti_out && !memcmp(&p->ih.dst, &m->hoa, 16) &&
		    (tunnelled || is_home(m)) && !memcmp(b->u.test.cookie, r->hcookie, 8))
			got_token(r, b, true);
		else
			m->cnt.rr_stale++;
		return true;
	case MK_MH_COT:
		if (r->st == RO_RR && r->coti_out && !tunnelled && !memcmp(&p->ih.dst, &m->coa, 16) &&
		    !memcmp(b->u.test.cookie, r->ccookie, 8))
			got_token(r, b, false);
		else
			m->cnt.rr_stale++;
		return true;
	case MK_MH_BA:
		if (r->st == RO_BU || r->st == RO_DEREG)
			got_ba(r, p);
		return true;
	case MK_MH_BE:
		m->cnt.ro_be_rx++;
		if (b->u.be.status == MK_BE_UNKNOWN_TYPE) {
			legacy(r, "Binding Error status 2 (it does not know the Mobility Header type)");
		} else if (b->u.be.status == MK_BE_UNKNOWN_HAO && !memcmp(&b->u.be.hoa, &m->hoa, 16) &&
			   r->st != RO_LEGACY &&
			   r->st != RO_FALLBACK && !is_home(m)) {
			/* it lost our binding (11.3.6): register again */
			r->bound = false;
			if (++r->retries > MN_RO_TRIES)
				fallback(r, "Binding Error status 1 again and again");
			else if (r->st == RO_BOUND)
				rr_start(r);
		}
		return true;
	case MK_MH_BRR:
		m->cnt.brr_rx++;
		if (r->st == RO_BOUND)
			rr_start(r); /* 11.7.4: a Binding Refresh Request: a new BU */
		return true;
	default:
		return false;
	}
}

bool mn_ro_icmp(struct mobd *d, const struct mk_icmp6 *r0, const struct in6_addr *src)
{
	struct mn *m = MN(d);
	struct mk_ip6 ih;
	struct mk_ip6_chain c;
	const uint8_t *q = r0->u.err.invoking;
	char why[128];
	if (r0->kind != MK_ICMP6_K_PARAM_PROB ||
	    mk_ip6_chain_parse(q, r0->u.err.invoking_len, &ih, &c).err != MK_E_OK)
		return false;
	struct mn_ro *r = ro_find(m, &ih.dst);
	bool mine = !memcmp(&ih.src, &m->hoa, 16) || (m->have_coa && !memcmp(&ih.src, &m->coa, 16));
	uint8_t type = c.ulp == MK_MH_NEXTHDR && c.ulp_len >= 3 ? q[c.ulp_off + 2] : 0xff;
	if (!r || !mine || memcmp(src, &ih.dst, 16) != 0 ||
	    (c.ulp != MK_MH_NEXTHDR && c.hao < 0))
		return false;
	if (type != MK_MH_HOTI && type != MK_MH_COTI && type != MK_MH_BU && c.hao < 0)
		return false;
	snprintf(why, sizeof why, "Parameter Problem code %u pointer %u to our %s", r0->code,
		 r0->u.err.word,
		 type == MK_MH_HOTI ? "HoTI" : type == MK_MH_COTI ? "CoTI" : type == MK_MH_BU ? "BU"
											: "Home Address option");
	if (r->st != RO_LEGACY)
		legacy(r, why);
	return true;
}

/* a packet with an RH2 came from cn: if it has no binding of ours (it
 * learnt the care-of address from DNS), answer as mn-dns-answer says */
static void dns_rh2(struct mobd *d, const struct in6_addr *cn)
{
	struct mn *m = MN(d);
	uint64_t now = now_ns();
	if (d->c.mn_dns_answer == MN_DNS_OFF || (m->have_ha && !memcmp(cn, &m->ha, 16)) ||
	    IN6_IS_ADDR_MULTICAST(cn) || IN6_IS_ADDR_LINKLOCAL(cn) || IN6_IS_ADDR_LOOPBACK(cn))
		return;
	struct mn_ro *r = ro_find(m, cn);
	/* under way, bound, waiting for the home agent after a move, or a
	 * correspondent without Mobile IPv6: nothing new; a fall-back is tried
	 * again after MN_RO_RETRY_S */
	if (r && r->st != RO_IDLE &&
	    !(r->st == RO_FALLBACK && !r->bound && (!r->dns_at || now - r->dns_at > MN_RO_RETRY_S * NS_PER_S)))
		return;
	if (!r && !(r = ro_new(d, cn)))
		return;
	m->cnt.dns_rh2++;
	r->dns = 1 + (d->c.mn_dns_answer == MN_DNS_SHORTCUT ? MN_DNS_SHORTCUT : MN_DNS_RR);
	r->dns_at = now;
	r->first_direct = false;
	r->tunnelled_first = 0;
	r->first_direct_ms = 0;
	r->retries = 0;
	if (d->c.mn_dns_answer == MN_DNS_SHORTCUT) {
		/* direct at once (mn_ro_out), until the BA says how long, or the
		 * BU fails; the same wait as a BU's */
		m->cnt.dns_shortcut++;
		r->bound = true;
		r->bound_coa = m->coa;
		bul_start(r->bu, false, 0);
		r->bound_until = now + (uint64_t)MN_RO_TRIES * MOBD_MAX_BINDACK_TIMEOUT_MS * 1000000ull;
		r->rr_at = now;
		send_bu_rrless(r);
		ev_timer_arm(&r->t, r->bu->timeout_ms);
		ro_log(r, "an RH2 packet without a binding (DNS): answered direct, a BU without return "
			  "routability sent (mn-dns-answer shortcut)");
	} else {
		m->cnt.dns_rr++;
		ro_log(r, "an RH2 packet without a binding (DNS): return routability, the tunnel until "
			  "the BA (mn-dns-answer rr)");
		rr_start(r);
	}
}

bool mn_ro_rh2(struct mobd *d, const struct mobd_pkt *p)
{
	struct mn *m = MN(d);
	static uint8_t in[65536];
	struct in6_addr rh;
	if (!p->chain_ok || p->c.rh2 < 0)
		return false;
	memcpy(&rh, p->pkt + p->c.rh2_hoa_off, 16);
	/* 11.3.3: for our care-of address, naming our home address, one segment left */
	size_t n = 0;
	if (m->have_coa && !is_home(m) && !memcmp(&p->ih.dst, &m->coa, 16) &&
	    !memcmp(&rh, &m->hoa, 16) && p->c.rh2_segleft == 1 && p->c.rh == p->c.rh2)
		n = pkt_strip_ext(p->pkt, &p->c, p->c.rh2, 24, &m->hoa, in, sizeof in);
	/* before the kernel answers: the answer's way is chosen */
	if (n)
		dns_rh2(d, &p->ih.src);
	if (!n || !tun_write(d, in, n)) {
		m->cnt.ro_in_bad++;
		return true;
	}
	m->cnt.ro_in++;
	m->cnt.ro_in_bytes += n;
	return true;
}

static bool ro_out_direct(struct mobd *d, struct mn_ro *r, const uint8_t *pkt, const struct mk_ip6 *ih)
{
	struct mn *m = MN(d);
	static uint8_t out[65536 + 64];
	size_t n;
	if (!r || !r->bound || memcmp(&r->bound_coa, &m->coa, 16) != 0 || now_ns() >= r->bound_until)
		return false;
	/* the Destination Options header goes first after the IPv6 header: not
	 * before a Hop-by-Hop header, and a packet with a routing header or
	 * destination options of its own goes through the tunnel */
	if (ih->nh == 0 || ih->nh == 43 || ih->nh == 60 || memcmp(&ih->src, &m->hoa, 16) != 0)
		return false;
	struct mk_pkt o = { .ip = *ih, .has_hao = true, .hao = m->hoa, .ulp = ih->nh,
			    .payload = pkt + 40, .payload_len = ih->plen };
	o.ip.src = m->coa;
	if (mk_pkt_build(out, sizeof out, &o, &n).err != MK_E_OK || io_send(&d->io, out, n) != 0) {
		m->cnt.send_fail++;
		return false;
	}
	m->cnt.ro_out++;
	m->cnt.ro_out_bytes += n;
	return true;
}

bool mn_ro_out(struct mobd *d, const uint8_t *pkt, size_t len, const struct mk_ip6 *ih)
{
	struct mn_ro *r = ro_find(MN(d), &ih->dst);
	(void)len;
	bool direct = ro_out_direct(d, r, pkt, ih);
	/* after an RH2 packet from DNS: which packet went direct first */
	if (r && r->dns && !r->first_direct) {
		if (direct) {
			r->first_direct = true;
			r->first_direct_ms = (double)(now_ns() - r->dns_at) / 1e6;
		} else {
			r->tunnelled_first++;
		}
	}
	return direct;
}

void mn_ro_moved(struct mobd *d, bool home)
{
	struct mn *m = MN(d);
	for (int i = 0; i < MN_RO_MAX; i++) {
		struct mn_ro *r = &m->ro[i];
		if (!r->used || r->st == RO_LEGACY)
			continue;
		/* a binding it granted and that has not run out is one, whatever
		 * came since: a move that cleared bound, a refused refresh */
		bool had = r->bound || r->st == RO_BU || r->st == RO_DEREG ||
			   (r->bu->granted && now_ns() < r->bu->expires);
		r->bound = false;
		r->retries = 0;
		if (home) {
			/* 11.7.2: a correspondent that may hold a binding gets a
			 * deregistration from the home address */
			if (had)
				rr_start(r);
			else
				ro_free(r);
		} else if (r->st != RO_IDLE && (ro_wanted(d, &r->cn) || r->dns)) {
			/* (one that began with an RH2 from DNS follows us too: its
			 * correspondent sends straight to the care-of address) */
			/* a fresh home token: only the CoTI, at once; else the HoTI
			 * waits until the home agent tunnels to the new address */
			ev_timer_stop(&r->t);
			if (r->htok_ok && now_ns() - r->htok_at <= TOKEN_NS)
				rr_start(r);
			else
				r->pending = true;
		}
	}
}

void mn_ro_stop(struct mobd *d)
{
	struct mn *m = MN(d);
	if (!m)
		return;
	for (int i = 0; i < MN_RO_MAX; i++) {
		struct mn_ro *r = &m->ro[i];
		if (!r->used)
			continue;
		/* a binding we hold the home token for: deregistered on the way
		 * out (no answer awaited); else it expires at the correspondent */
		if (r->bound && r->htok_ok && now_ns() - r->htok_at <= TOKEN_NS) {
			r->dereg = true;
			if (mk_rr_kbm(r->htok, NULL, r->kbm).err == MK_E_OK)
				msg_bu_rr(d, &m->coa, &r->cn, &m->hoa, ++r->bu->seq, 0, r->hidx, r->cidx,
					  r->kbm);
		}
		ev_timer_stop(&r->t);
	}
}

void mn_ro_show(struct mobd *d, bool json, FILE *f, bool first)
{
	static const char *const dns_name[] = { "", "rr", "shortcut" };
	struct mn *m = MN(d);
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	uint64_t now = now_ns();
	for (int i = 0; i < MN_RO_MAX; i++) {
		const struct mn_ro *r = &m->ro[i];
		if (!r->used)
			continue;
		unsigned left = r->bound && r->bound_until > now ? (unsigned)((r->bound_until - now) / NS_PER_S) : 0;
		const char *dns = dns_name[r->dns < 3 ? r->dns : 0];
		if (json) {
			fprintf(f,
				"%s{\"kind\":\"correspondent\",\"cn\":\"%s\",\"coa\":\"%s\",\"state\":\"%s\","
				"\"direct\":%s,\"seq\":%u,\"lifetime\":%u,\"remaining\":%u,\"last_status\":%u,"
				"\"rr_ms\":%.3f,\"bu_ms\":%.3f,\"reason\":\"%s\",\"dns\":\"%s\","
				"\"tunnelled_first\":%u,\"first_direct_ms\":%.3f}",
				first ? "" : ",", mk_ip6_ntop(&r->cn, a),
				r->bound ? mk_ip6_ntop(&r->bound_coa, b) : "", ro_state_name[r->st],
				r->bound ? "true" : "false", r->bu->seq, r->bu->granted, left, r->bu->last_status,
				r->rr_ms, r->bu_ms, r->why, dns, r->tunnelled_first,
				r->first_direct ? r->first_direct_ms : -1.0);
			first = false;
		} else {
			fprintf(f, "correspondent %s: %s%s%s, seq %u, lifetime %u s, remaining %u s, RR %.2f ms, BU %.2f ms%s%s",
				mk_ip6_ntop(&r->cn, a), ro_state_name[r->st], r->bound ? " at " : "",
				r->bound ? mk_ip6_ntop(&r->bound_coa, b) : "", r->bu->seq, r->bu->granted, left,
				r->rr_ms, r->bu_ms, r->why[0] ? ": " : "", r->why);
			if (r->dns && r->first_direct)
				fprintf(f, "; after its RH2 from DNS (%s): %u through the tunnel, direct after %.2f ms",
					dns, r->tunnelled_first, r->first_direct_ms);
			else if (r->dns)
				fprintf(f, "; after its RH2 from DNS (%s): %u through the tunnel, none direct yet",
					dns, r->tunnelled_first);
			fputc('\n', f);
		}
	}
}

/* ---- configuration ---- */

void mn_ro_conf(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		struct mobd_conf *c)
{
	(void)k;
	if (n < 2) {
		conf_err(x, "'%s' takes never, always or one or more prefixes", w[0]);
		return;
	}
	if (n == 2 && !strcmp(w[1], "never")) {
		c->ro_mode = MN_RO_NEVER;
		return;
	}
	if (n == 2 && !strcmp(w[1], "always")) {
		c->ro_mode = MN_RO_ALWAYS;
		return;
	}
	c->ro_mode = MN_RO_PREFIX;
	for (int i = 1; i < n; i++) {
		if (c->n_ro_prefix >= 8) {
			conf_err(x, "'%s': at most 8 prefixes", w[0]);
			return;
		}
		if (!strchr(w[i], '/')) {
			conf_err(x, "%s '%s': expected never, always or ADDRESS/LENGTH", w[0], w[i]);
			return;
		}
		if (conf_net_prefix(x, w[0], w[i], &c->ro_prefix[c->n_ro_prefix], &c->ro_plen[c->n_ro_prefix]))
			c->n_ro_prefix++;
	}
}

void mn_ro_dns_conf(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		    struct mobd_conf *c)
{
	(void)k;
	if (n == 2 && !strcmp(w[1], "rr"))
		c->mn_dns_answer = MN_DNS_RR;
	else if (n == 2 && !strcmp(w[1], "off"))
		c->mn_dns_answer = MN_DNS_OFF;
	else if (n == 2 && !strcmp(w[1], "shortcut"))
		c->mn_dns_answer = MN_DNS_SHORTCUT;
	else
		conf_err(x, "%s '%s': expected rr, shortcut or off", w[0], n > 1 ? w[1] : "");
}

void mn_ro_conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN];
	fputs("route-optimization", f);
	if (c->ro_mode == MN_RO_NEVER)
		fputs(" never", f);
	else if (c->ro_mode == MN_RO_ALWAYS)
		fputs(" always", f);
	for (unsigned i = 0; i < c->n_ro_prefix; i++)
		fprintf(f, " %s/%u", inet_ntop(AF_INET6, &c->ro_prefix[i], a, sizeof a), c->ro_plen[i]);
	fputc('\n', f);
	fprintf(f, "mn-dns-answer %s\n",
		c->mn_dns_answer == MN_DNS_SHORTCUT ? "shortcut" : c->mn_dns_answer == MN_DNS_OFF ? "off" : "rr");
}

void mn_ro_ha_bound(struct mobd *d)
{
	struct mn *m = MN(d);
	for (int i = 0; i < MN_RO_MAX; i++)
		if (m->ro[i].used && m->ro[i].pending) {
			m->ro[i].pending = false;
			rr_start(&m->ro[i]);
		}
}
