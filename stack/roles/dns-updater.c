/* stack/roles/dns-updater.c: the DNS updater of a mobile server (issue 15,
 * the server-mobility paper, seeds/000 section 3.1), and of a node with
 * several addresses (issue 17, 'dns-record addrs', below).  It runs beside the
 * mobile-node role in one mobd: at every change of the care-of address
 * (the core's on_coa hook, which the mobile node calls) it sends one RFC
 * 2136 UPDATE to the configured name server that replaces the CAAAA rrset
 * of the configured name:
 *
 *   zone    dns-zone SOA IN
 *   update  dns-name ANY CAAAA  TTL 0, no RDATA    delete the rrset
 *           dns-name IN  CAAAA  TTL dns-ttl (0)    add the care-of address
 *
 * and leaves the AAAA (the home address) alone; back home it sends the
 * delete alone.  The CAAAA type is the codepoint caaaa-type.  Signed with
 * TSIG (a BIND key file, as tsig-keygen and mobbed write it) or SIG(0)
 * (dnssec-keygen's K*.key and K*.private), both from lib/dns.
 *
 * Non-blocking, in mobd's loop: each update has a UDP socket of its own,
 * bound to the address it publishes (the care-of address; the home
 * address at home) when the kernel lets it, so an answer to an update a
 * newer move superseded can never be taken for the new one's.  Each try is
 * built again (a new message ID, a new TSIG time) and sent; the wait after
 * try k (0-based) is dns-timeout << k, at most DU_WAIT_MAX_MS; after
 * dns-tries tries with no answer the outcome is "timeout".  An answer must
 * come from the server, parse, be an UPDATE response with the ID of one of
 * this update's tries and, when the update is TSIG-signed, carry a TSIG
 * that verifies against that try's MAC (RFC 8945 5.3); a NOERROR without
 * one is not believed.  Error answers a server could not sign (BADSIG,
 * BADKEY: it could not verify ours) are taken as they come.  SIG(0)
 * answers are not verified (the server's key is not configured here).
 *
 * What an answer does (the rcode is the TSIG error when one is set):
 *   NOERROR                               done
 *   SERVFAIL                              retried (the server's trouble)
 *   REFUSED, NOTAUTH, BADSIG, BADKEY,     dns-on-refused: retry or give-up
 *   BADTIME                               (the default)
 *   anything else (FORMERR, NOTZONE ...)  given up: sending it again
 *                                         cannot change the answer
 * A retry waits for the back-off of the try answered.
 *
 * An answer with TC set (to one of the update's tries, before any check
 * of its TSIG: a truncated answer need not carry one) moves the update to
 * TCP (RFC 2136 3.8, RFC 7766): the UDP socket is closed and each further
 * try, at once and then on the same back-off, is a new non-blocking TCP
 * connection from the same address carrying the message with its 2-octet
 * length; the answer read back is judged as above.  Its latency then runs
 * from the connect to the answer.
 *
 * Back home the delete goes from the home address while the deregistration
 * may be under way: an answer that comes before the home agent drops the
 * binding is tunnelled to the old care-of address and lost; the next try
 * gets it.
 *
 * dns-record addrs (issue 17, seeds/004 solution 1: a node with several
 * addresses at once registers them all under its ID): no mobile node
 * needed.  A netlink monitor (RTMGRP_IPV6_IFADDR) wakes the role at every
 * address change; it dumps the addresses of the dns-interface interfaces
 * (by name each time: a TUN device may come and go), keeps the usable ones
 * (DU_UNUSABLE), less those mobctl withdraw took out, sorted, and when that
 * set differs from the last update's it sends one UPDATE (superseding one
 * in flight, as a move does):
 *
 *   update  dns-name ANY AAAA  TTL 0                  delete the rrset
 *           dns-name IN  AAAA  TTL dns-ttl  ADDR      one per address
 *           _svc._proto.dns-name ANY SRV              each dns-srv: delete,
 *           _svc._proto.dns-name IN  SRV P W PORT dns-name   then add
 *
 * (no usable address: the deletes alone).  The socket is not bound there:
 * an address published may leave while the update is in flight.
 *
 * An update that fails (timeout, REFUSED ...) leaves the server with an
 * older set: a new one follows after the next back-off (dns-timeout
 * doubled once more than the last try's, at most 60 s; counter resent).
 *
 * Not done: an update in flight when mobd stops is abandoned (the CAAAA is
 * not withdrawn at SIGTERM). */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_addr.h>
#include <net/if.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dns/dns.h"
#include "stack/core/core.h"
#include "stack/roles/roles.h"

#define DU_MAX_TRIES   16
#define DU_WAIT_MAX_MS 60000u  /* the longest wait between two tries */
#define DU_DEF_TIMEOUT_MS 1000
#define DU_DEF_TRIES   4
/* dns-hold-empty: on a move the old address goes before the new one is
 * usable (SLAAC after the first RA, DAD): deleting the rrset meanwhile would
 * have resolvers cache the name's NODATA for the zone's negative TTL
 * (RFC 2308), far longer than the gap, where a stale address costs only
 * that gap */
#define DU_DEF_HOLD_EMPTY_MS 3000
#define DU_MSG_MAX     8192    /* an UPDATE: deletes, DU_ADDRS_MAX AAAA, the SRVs, a signature */
#define DU_ADDRS_MAX   16      /* dns-record addrs: the addresses published, at most */
#define DU_ANS_MAX     65535
#define DU_TCP_MAX     (2 + DU_ANS_MAX)

enum du_state { DU_IDLE, DU_FLIGHT, DU_DONE, DU_FAILED };
static const char *const du_state_name[] = { "idle", "in-flight", "done", "failed" };

/* what an answer's rcode makes of the update */
enum du_next { DU_NEXT_DONE, DU_NEXT_RETRY, DU_NEXT_GIVEUP };

struct du_try {
	uint16_t id;
	uint64_t sent;                   /* monotonic ns */
	uint8_t mac[64];                 /* its TSIG MAC: the answer's is made over it */
	size_t maclen;
};

#define DU_RC_N 24                   /* rcodes with a name (mk_dns_rcode_name) */

struct du {
	int fd;                          /* the update's socket, -1: none */
	bool tcp;                        /* a truncated answer came: tries over TCP */
	size_t tout, toff;               /* TCP: the try's octets and how many went */
	size_t tin;                      /* TCP: the answer's octets so far */
	bool tsent;
	struct mobd_timer t;
	struct mobd_timer rt;            /* dns-record addrs: a new update after a failed one */
	struct mobd_timer ht;            /* dns-record addrs: dns-hold-empty (armed: holding) */
	struct mk_tsig_key tsig;
	struct mk_sig0_key sig0;
	bool have_tsig, have_sig0;
	struct sockaddr_in6 server;
	/* the last update (the one in flight, or the last finished) */
	enum du_state st;
	bool home;
	struct in6_addr hoa, coa;
	/* dns-record addrs: the addresses of the last update (n_pub 0: a delete),
	 * those mobctl withdraw took out, the netlink monitor */
	struct in6_addr pub[DU_ADDRS_MAX], wd[DU_ADDRS_MAX];
	unsigned n_pub, n_wd;
	int nlfd;
	bool pub_valid;                  /* pub holds an update made (false: none yet) */
	unsigned tries;                  /* sent */
	struct du_try tr[DU_MAX_TRIES];
	uint64_t started;                /* the first send, monotonic ns */
	int last_rc;                     /* the last answer's rcode, -1: none yet */
	const char *outcome;             /* "NOERROR" ... "timeout"; NULL in flight */
	unsigned answered;               /* the try answered last, 1-based (0: none) */
	double latency_ms;               /* its send -> its answer */
	double total_ms;                 /* the first send -> the outcome */
	const char *answer_tsig;         /* "verified", "unsigned", "not asked" */
	uint8_t tq[2 + DU_MSG_MAX];      /* TCP: the try, its length first */
	uint8_t ta[DU_TCP_MAX];          /* TCP: the answer */
	struct {
		uint64_t updates, sent, retries, answers, bad_answers, stale_answers, truncated,
			send_fail, superseded, timeout, errors, withdrawn, resent, held_empty,
			held_empty_deleted, rc[DU_RC_N];
	} cnt;
};

#define DU(d) ((struct du *)(d)->rs[MOBD_R_DU])

/* ---- pure parts (t/stack/dns-updater.t.c tests them) ---- */

/* the wait after try k (0-based): timeout_ms doubled k times, at most DU_WAIT_MAX_MS */
static unsigned du_wait_ms(unsigned timeout_ms, unsigned k)
{
	uint64_t w = timeout_ms;
	for (unsigned i = 0; i < k && w < DU_WAIT_MAX_MS; i++)
		w *= 2;
	return w < DU_WAIT_MAX_MS ? (unsigned)w : DU_WAIT_MAX_MS;
}

static enum du_next du_next_for(unsigned rc, bool retry_refused)
{
	switch (rc) {
	case MK_DNS_R_NOERROR:
		return DU_NEXT_DONE;
	case MK_DNS_R_SERVFAIL:
		return DU_NEXT_RETRY;
	case MK_DNS_R_REFUSED:
	case MK_DNS_R_NOTAUTH:
	case MK_DNS_R_BADSIG:
	case MK_DNS_R_BADKEY:
	case MK_DNS_R_BADTIME:
		return retry_refused ? DU_NEXT_RETRY : DU_NEXT_GIVEUP;
	default:
		return DU_NEXT_GIVEUP;
	}
}

static const char *du_rc_name(unsigned rc)
{
	const char *n = mk_dns_rcode_name(rc);
	return n ? n : "RCODE?";
}

/* the record type the updates replace, as the log and mobctl say it */
static const char *du_rr_type(const struct mobd_du_conf *c)
{
	return c->aaaa || c->addrs ? "AAAA" : "CAAAA";
}

/* dns-record addrs: the addresses to publish, from the n found on the
 * interfaces: those not withdrawn (mobctl withdraw), sorted, each once,
 * at most max; their count */
static unsigned du_addr_set(const struct in6_addr *in, unsigned n, const struct in6_addr *wd,
			    unsigned nwd, struct in6_addr *out, unsigned max)
{
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		bool skip = false;
		for (unsigned j = 0; j < nwd && !skip; j++)
			skip = !memcmp(&in[i], &wd[j], 16);
		for (unsigned j = 0; j < k && !skip; j++)
			skip = !memcmp(&in[i], &out[j], 16);
		if (skip)
			continue;
		/* insertion into the sorted prefix out[0..k); the largest drops at max */
		unsigned p = k;
		while (p > 0 && memcmp(&out[p - 1], &in[i], 16) > 0)
			p--;
		if (p == max)
			continue;
		if (k == max)
			k--;
		memmove(&out[p + 1], &out[p], (k - p) * sizeof *out);
		out[p] = in[i];
		k++;
	}
	return k;
}

/* the SRV record of s (RFC 2782): s->owner IN SRV PRIORITY WEIGHT PORT name */
static struct mk_status du_srv_rr(ldns_rr **rr, const struct mobd_du_srv *s, const char *name,
				  unsigned ttl)
{
	char text[700];
	snprintf(text, sizeof text, "%s %u IN SRV %u %u %u %s", s->owner, ttl, s->priority, s->weight,
		 s->port, name);
	*rr = NULL;
	if (ldns_rr_new_frm_str(rr, text, 0, NULL, NULL) != LDNS_STATUS_OK)
		return (struct mk_status){ MK_E_DNS_NAME_TEXT, 0 };
	return (struct mk_status){ MK_E_OK, 0 };
}

/* The UPDATE of c's name: the rrset replaced by the n addresses a (TTL
 * c->ttl); n = 0: the rrset deleted.  dns-record caaaa or aaaa: the CAAAA
 * (AAAA) rrset, n at most 1; addrs: the AAAA rrset and each dns-srv's SRV
 * (the SRVs deleted with no address left).  Signed with tk or sk (both
 * NULL: unsigned), message ID id, into buf; the TSIG MAC in mac (maclen 0
 * when not TSIG-signed). */
static struct mk_status du_build(const struct mobd_du_conf *c, const struct mk_codepoints *cp,
				 const struct mk_tsig_key *tk, const struct mk_sig0_key *sk,
				 const struct in6_addr *a, size_t n, uint16_t id, uint8_t *buf,
				 size_t cap, size_t *len, uint8_t *mac, size_t maccap, size_t *maclen)
{
	ldns_pkt *u = NULL;
	ldns_rr *rr = NULL;
	/* dns-record aaaa (a host moving with TCP Migrate, issue 16) and addrs
	 * (issue 17): the AAAA rrset instead, the same 16 octets of RDATA */
	bool aaaa = c->aaaa || c->addrs;
	uint16_t type = aaaa ? (uint16_t)LDNS_RR_TYPE_AAAA : (uint16_t)mk_cp(cp, MK_CP_CAAAA_TYPE);
	struct mk_status st = mk_update_new(&u, c->zone, id);

	*len = 0;
	*maclen = 0;
	if (st.err == MK_E_OK)
		st = mk_update_delete_rrset(u, c->name, type);
	for (size_t i = 0; i < n && st.err == MK_E_OK; i++) {
		st = mk_caaaa_rr_new(&rr, c->name, c->ttl, a[i].s6_addr, cp);
		if (st.err == MK_E_OK && aaaa)
			ldns_rr_set_type(rr, LDNS_RR_TYPE_AAAA);
		if (st.err == MK_E_OK)
			st = mk_update_add(u, rr);
		ldns_rr_free(rr);
		rr = NULL;
	}
	for (unsigned i = 0; c->addrs && i < c->n_srv && st.err == MK_E_OK; i++) {
		st = mk_update_delete_rrset(u, c->srv[i].owner, LDNS_RR_TYPE_SRV);
		if (st.err == MK_E_OK && n)
			st = du_srv_rr(&rr, &c->srv[i], c->name, c->ttl);
		if (st.err == MK_E_OK && n)
			st = mk_update_add(u, rr);
		ldns_rr_free(rr);
		rr = NULL;
	}
	if (st.err == MK_E_OK && tk)
		st = mk_tsig_sign(u, tk, 0, NULL, 0);
	if (st.err == MK_E_OK)
		st = mk_dns_pkt_wire(u, buf, cap, len);
	if (u)
		ldns_pkt_free(u);
	if (st.err == MK_E_OK && tk)
		st = mk_tsig_mac(buf, *len, mac, maccap, maclen);
	if (st.err == MK_E_OK && sk)
		st = mk_sig0_sign(buf, cap, *len, NULL, 0, sk, 0, len);
	if (st.err != MK_E_OK)
		*len = 0;
	return st;
}

/* ---- the update ---- */

static void du_close_fd(struct du *u)
{
	if (u->fd >= 0) {
		ev_del(u->fd);
		close(u->fd);
		u->fd = -1;
	}
}

static void du_close(struct du *u)
{
	ev_timer_stop(&u->t);
	du_close_fd(u);
}

/* the address published, for the log: "-" for a delete; dns-record addrs:
 * the first and how many more ("2001:db8:41::1 +1"), in INET6_ADDRSTRLEN */
static void du_addr(const struct du *u, char *a)
{
	if (u->home) {
		snprintf(a, INET6_ADDRSTRLEN, "-");
	} else {
		mk_ip6_ntop(&u->coa, a);
		if (u->n_pub > 1) {
			size_t l = strlen(a);
			snprintf(a + l, INET6_ADDRSTRLEN - l, " +%u", u->n_pub - 1);
		}
	}
}

/* the outcome: rc (an answer's) or rc < 0 with name ("timeout") */
static void du_finish(struct mobd *d, int rc, const char *name)
{
	struct du *u = DU(d);
	char a[INET6_ADDRSTRLEN];
	du_close(u);
	u->outcome = rc >= 0 ? du_rc_name((unsigned)rc) : name;
	u->st = rc == MK_DNS_R_NOERROR ? DU_DONE : DU_FAILED;
	u->total_ms = (double)(now_ns() - u->started) / 1e6;
	if (rc >= 0 && rc < DU_RC_N)
		u->cnt.rc[rc]++;
	else if (rc < 0 && !strcmp(name, "timeout"))
		u->cnt.timeout++;
	else /* no socket, no message, an rcode without a name */
		u->cnt.errors++;
	du_addr(u, a);
	if (d->c.du.addrs && rc != MK_DNS_R_NOERROR) {
		/* the server holds an older set: a new update after the next back-off */
		u->pub_valid = false;
		ev_timer_arm(&u->rt, du_wait_ms(d->c.du.timeout_ms, u->tries));
	}
	if (rc == MK_DNS_R_NOERROR)
		log_info("%s %s %s%s: NOERROR in %.3f ms (try %u)", du_rr_type(&d->c.du), d->c.du.name,
			 u->home ? "deleted" : "-> ", u->home ? "" : a, u->latency_ms, u->answered);
	else if (rc >= 0)
		log_warnx("%s %s %s%s: %s after %u tr%s, given up", du_rr_type(&d->c.du), d->c.du.name,
			  u->home ? "delete" : "-> ", u->home ? "" : a, u->outcome, u->tries,
			  u->tries == 1 ? "y" : "ies");
	else
		log_warnx("%s %s %s%s: %s: no answer from %s to %u tr%s", du_rr_type(&d->c.du), d->c.du.name,
			  u->home ? "delete" : "-> ", u->home ? "" : a, name,
			  mk_ip6_ntop(&d->c.du.server, (char[INET6_ADDRSTRLEN]){ 0 }), u->tries,
			  u->tries == 1 ? "y" : "ies");
}

static void du_read(void *arg, uint32_t ev);
static void du_tcp_io(void *arg, uint32_t ev);

/* the update's socket: UDP, or (u->tcp) a TCP connection under way to the
 * server; bound to the address published when the kernel allows; 0 or -1 */
static int du_socket(struct mobd *d)
{
	struct du *u = DU(d);
	char a[INET6_ADDRSTRLEN];
	du_close_fd(u);
	u->fd = socket(AF_INET6, (u->tcp ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (u->fd < 0)
		return -1;
	struct sockaddr_in6 src = { .sin6_family = AF_INET6, .sin6_addr = u->home ? u->hoa : u->coa };
	if (d->c.du.addrs) /* from any address: one of those published may go meanwhile */
		src.sin6_addr = in6addr_any;
	if (bind(u->fd, (struct sockaddr *)&src, sizeof src) != 0)
		log_debug("UPDATE socket not bound to %s: %s", mk_ip6_ntop(&src.sin6_addr, a), strerror(errno));
	if (ev_add(u->fd, u->tcp ? du_tcp_io : du_read, d) != 0) {
		close(u->fd);
		u->fd = -1;
		return -1;
	}
	if (u->tcp) {
		u->toff = u->tin = 0;
		u->tsent = false;
		if ((connect(u->fd, (const struct sockaddr *)&u->server, sizeof u->server) != 0 &&
		     errno != EINPROGRESS) ||
		    ev_mod(u->fd, EPOLLOUT) != 0)
			return -1;
	}
	return 0;
}

static void du_send(struct mobd *d)
{
	struct du *u = DU(d);
	static uint8_t q[DU_MSG_MAX];
	size_t len;
	struct du_try *t = &u->tr[u->tries];
	if (getrandom(&t->id, sizeof t->id, 0) != sizeof t->id)
		t->id = (uint16_t)now_ns();
	struct mk_status st = du_build(&d->c.du, &d->c.cp, u->have_tsig ? &u->tsig : NULL,
				       u->have_sig0 ? &u->sig0 : NULL,
				       d->c.du.addrs ? u->pub : &u->coa,
				       d->c.du.addrs ? u->n_pub : !u->home, t->id, q, sizeof q, &len, t->mac, sizeof t->mac, &t->maclen);
	if (st.err != MK_E_OK) {
		log_warnx("cannot build the UPDATE of %s: %s (at %zu)", d->c.du.name,
			  mk_strerror(st.err), st.off);
		du_finish(d, -1, "error");
		return;
	}
	t->sent = now_ns();
	if (!u->tries)
		u->started = t->sent;
	u->tries++;
	u->cnt.sent++;
	bool fail;
	if (u->tcp) {
		/* a new connection per try; the message goes when it is up */
		u->tq[0] = (uint8_t)(len >> 8);
		u->tq[1] = (uint8_t)len;
		memcpy(u->tq + 2, q, len);
		u->tout = 2 + len;
		fail = du_socket(d) != 0;
	} else {
		fail = sendto(u->fd, q, len, MSG_DONTWAIT, (const struct sockaddr *)&u->server,
			      sizeof u->server) != (ssize_t)len;
	}
	if (fail) {
		u->cnt.send_fail++;
		log_warn("UPDATE of %s to %s over %s, try %u", d->c.du.name,
			 mk_ip6_ntop(&d->c.du.server, (char[INET6_ADDRSTRLEN]){ 0 }), u->tcp ? "TCP" : "UDP",
			 u->tries);
	} else {
		log_debug("UPDATE of %s %s, id %u, try %u of %u", d->c.du.name,
			  u->tcp ? "connecting over TCP" : "sent", t->id, u->tries, d->c.du.tries);
	}
	ev_timer_arm(&u->t, du_wait_ms(d->c.du.timeout_ms, u->tries - 1));
}

static void du_timer(void *arg)
{
	struct mobd *d = arg;
	struct du *u = DU(d);
	if (u->st != DU_FLIGHT)
		return;
	if (u->tries >= d->c.du.tries || u->tries >= DU_MAX_TRIES) {
		if (u->last_rc >= 0)
			du_finish(d, u->last_rc, NULL);
		else
			du_finish(d, -1, "timeout");
		return;
	}
	u->cnt.retries++;
	du_send(d);
}

/* one datagram from the server, at now (monotonic ns) */
static void du_answer(struct mobd *d, const uint8_t *buf, size_t len, uint64_t now)
{
	struct du *u = DU(d);
	static struct mk_dns_msg m;
	char a[INET6_ADDRSTRLEN];
	struct mk_status st;
	if (u->st != DU_FLIGHT)
		return;
	st = mk_dns_msg_parse(buf, len, &m, &d->c.cp);
	if (st.err != MK_E_OK || !(m.flags & MK_DNS_F_QR) || m.opcode != MK_DNS_OP_UPDATE) {
		u->cnt.bad_answers++;
		if (st.err != MK_E_OK)
			log_warnx("answer to the UPDATE of %s does not parse: %s at %zu, ignored",
				  d->c.du.name, mk_strerror(st.err), st.off);
		else
			log_warnx("answer to the UPDATE of %s is no UPDATE response (opcode %u%s), ignored",
				  d->c.du.name, m.opcode, m.flags & MK_DNS_F_QR ? "" : ", QR 0");
		return;
	}
	unsigned k;
	for (k = 0; k < u->tries && u->tr[k].id != m.id; k++)
		;
	if (k == u->tries) {
		u->cnt.stale_answers++;
		log_debug("answer with id %u: no try of this update, ignored", m.id);
		return;
	}
	if (m.flags & MK_DNS_F_TC) {
		u->cnt.truncated++;
		if (u->tcp) {
			u->cnt.bad_answers++;
			log_warnx("answer over TCP to the UPDATE of %s with TC set: ignored", d->c.du.name);
			return;
		}
		log_info("answer to the UPDATE of %s truncated (TC): tried again over TCP", d->c.du.name);
		u->tcp = true;
		du_close_fd(u);
		if (u->tries < d->c.du.tries && u->tries < DU_MAX_TRIES)
			du_send(d);
		return;
	}
	unsigned rc = mk_dns_msg_rcode(&m);
	const char *tsig = "not asked";
	if (u->have_tsig) {
		if (m.has_tsig && m.tsig_error == 0) {
			st = mk_tsig_verify(buf, len, &u->tsig, u->tr[k].mac, u->tr[k].maclen, 0);
			if (st.err != MK_E_OK) {
				u->cnt.bad_answers++;
				log_warnx("answer %s to the UPDATE of %s: its TSIG does not verify (%s), ignored",
					  du_rc_name(rc), d->c.du.name, mk_strerror(st.err));
				return;
			}
			tsig = "verified";
		} else if (rc == MK_DNS_R_NOERROR) {
			/* RFC 8945 5.3: the answer to a signed request that verified is signed */
			u->cnt.bad_answers++;
			log_warnx("NOERROR to the TSIG-signed UPDATE of %s without a TSIG: not believed",
				  d->c.du.name);
			return;
		} else {
			tsig = "unsigned";
		}
	}
	u->cnt.answers++;
	u->last_rc = (int)rc;
	u->answered = k + 1;
	u->latency_ms = (double)(now - u->tr[k].sent) / 1e6;
	u->answer_tsig = tsig;
	enum du_next next = du_next_for(rc, d->c.du.retry_refused);
	if (next == DU_NEXT_RETRY && u->tries < d->c.du.tries) {
		du_addr(u, a);
		log_info("%s %s %s%s: %s (try %u of %u), tried again", du_rr_type(&d->c.du), d->c.du.name,
			 u->home ? "delete" : "-> ", u->home ? "" : a, du_rc_name(rc), u->tries,
			 d->c.du.tries);
		return; /* the next try when this one's wait is over */
	}
	du_finish(d, (int)rc, NULL);
}

/* the TCP connection of a try: the message out once it is up, then the
 * answer in (its 2-octet length first); one answer per connection */
static void du_tcp_io(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	struct du *u = DU(d);
	int e = 0;
	socklen_t el = sizeof e;
	if (!u->tsent) {
		if (getsockopt(u->fd, SOL_SOCKET, SO_ERROR, &e, &el) != 0 || e) {
			errno = e;
			u->cnt.send_fail++;
			log_warn("UPDATE of %s: TCP to %s", d->c.du.name,
				 mk_ip6_ntop(&d->c.du.server, (char[INET6_ADDRSTRLEN]){ 0 }));
			du_close_fd(u); /* the next try when the wait is over */
			return;
		}
		while (u->toff < u->tout) {
			ssize_t w = send(u->fd, u->tq + u->toff, u->tout - u->toff, MSG_NOSIGNAL | MSG_DONTWAIT);
			if (w < 0 && errno == EAGAIN)
				return;
			if (w <= 0) {
				u->cnt.send_fail++;
				log_warn("UPDATE of %s over TCP", d->c.du.name);
				du_close_fd(u);
				return;
			}
			u->toff += (size_t)w;
		}
		u->tsent = true;
		ev_mod(u->fd, EPOLLIN);
		return;
	}
	if (!(ev & (EPOLLIN | EPOLLHUP | EPOLLERR)))
		return;
	ssize_t r = recv(u->fd, u->ta + u->tin, sizeof u->ta - u->tin, MSG_DONTWAIT);
	if (r < 0 && errno == EAGAIN)
		return;
	if (r <= 0) {
		log_warnx("UPDATE of %s: the TCP connection closed before an answer", d->c.du.name);
		du_close_fd(u);
		return;
	}
	u->tin += (size_t)r;
	if (u->tin < 2 || u->tin < 2u + (size_t)(u->ta[0] << 8 | u->ta[1]))
		return;
	size_t len = (size_t)(u->ta[0] << 8 | u->ta[1]);
	du_close_fd(u);
	du_answer(d, u->ta + 2, len, now_ns());
}

static void du_read(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	struct du *u = DU(d);
	static uint8_t buf[DU_ANS_MAX];
	(void)ev;
	while (u->fd >= 0) {
		struct sockaddr_in6 from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(u->fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (n < 0)
			break;
		if (fl < sizeof from || memcmp(&from.sin6_addr, &u->server.sin6_addr, 16) != 0 ||
		    from.sin6_port != u->server.sin6_port) {
			u->cnt.stale_answers++;
			continue;
		}
		du_answer(d, buf, (size_t)n, now_ns());
	}
}

/* a new update of what u holds (coa, home; dns-record addrs: pub),
 * superseding one in flight */
static void du_begin(struct mobd *d)
{
	struct du *u = DU(d);
	ev_timer_stop(&u->rt);
	u->st = DU_FLIGHT;
	u->tries = 0;
	u->last_rc = -1;
	u->answered = 0;
	u->latency_ms = u->total_ms = 0;
	u->outcome = NULL;
	u->answer_tsig = NULL;
	u->cnt.updates++;
	u->tcp = false;
	if (du_socket(d) != 0) {
		log_warn("UPDATE socket");
		du_finish(d, -1, "error");
		return;
	}
	du_send(d);
}

/* an update in flight that a newer one replaces: counted and said */
static void du_supersede(struct mobd *d)
{
	struct du *u = DU(d);
	char b[INET6_ADDRSTRLEN];
	if (u->st == DU_FLIGHT) {
		u->cnt.superseded++;
		du_addr(u, b);
		log_info("%s %s %s%s superseded after %u tr%s", du_rr_type(&d->c.du), d->c.du.name,
			 u->home ? "delete" : "-> ", u->home ? "" : b, u->tries,
			 u->tries == 1 ? "y" : "ies");
	}
	du_close(u);
}

/* the mobile node moved (or came home): a new update, superseding one in
 * flight; dns-record addrs follows the interfaces' addresses instead */
static void du_on_coa(struct mobd *d, const struct in6_addr *hoa, const struct in6_addr *coa,
		      bool at_home)
{
	struct du *u = DU(d);
	char a[INET6_ADDRSTRLEN];
	if (!u || d->c.du.addrs)
		return;
	du_supersede(d);
	u->hoa = *hoa;
	u->coa = *coa;
	u->home = at_home;
	log_info("%s %s: %s%s", du_rr_type(&d->c.du), d->c.du.name, at_home ? "at home, deleting it" : "-> ",
		 at_home ? "" : mk_ip6_ntop(coa, a));
	du_begin(d);
}

/* ---- dns-record addrs: the interfaces' usable addresses ---- */

/* An address is usable for new sessions when it is global (scope
 * universe) and neither tentative (DAD not done), nor DAD-failed, nor
 * deprecated (preferred lifetime run out: RFC 4862 5.5.4, kept for the
 * sessions that have it, not offered to new ones).  One that the kernel
 * deletes (valid lifetime out, the link left) is gone with it. */
#define DU_UNUSABLE (IFA_F_TENTATIVE | IFA_F_DADFAILED | IFA_F_DEPRECATED)

/* the usable addresses of the dns-interface interfaces, less the
 * withdrawn ones, sorted: into out, their count */
static unsigned du_scan(struct mobd *d, struct in6_addr *out)
{
	struct du *u = DU(d);
	struct in6_addr all[4 * DU_ADDRS_MAX];
	unsigned n = 0;
	for (unsigned i = 0; i < d->c.du.n_ifaces; i++) {
		int ix = (int)if_nametoindex(d->c.du.ifaces[i]);
		int k = ix ? nl_addrs_skip(ix, DU_UNUSABLE, all + n, DU_ADDRS_MAX) : 0;
		if (k > 0)
			n += (unsigned)k;
	}
	return du_addr_set(all, n, u->wd, u->n_wd, out, DU_ADDRS_MAX);
}

/* the set changed (or nothing published yet): one update replacing the
 * rrset; why says what made it, for the log.  hold: an address change,
 * which may leave no usable address for a moment: the rrset published is
 * kept dns-hold-empty ms, and deleted only if nothing usable came meanwhile
 * (mobctl withdraw of the last one deletes at once) */
static void du_sync_hold(struct mobd *d, const char *why, bool hold)
{
	struct du *u = DU(d);
	struct in6_addr now[DU_ADDRS_MAX];
	char list[DU_ADDRS_MAX * (INET6_ADDRSTRLEN + 1)] = "", a[INET6_ADDRSTRLEN];
	unsigned n = du_scan(d, now);
	if (!n && hold && u->pub_valid && u->n_pub && d->c.du.hold_empty_ms) {
		if (!u->ht.due) {
			u->cnt.held_empty++;
			ev_timer_arm(&u->ht, d->c.du.hold_empty_ms);
			log_info("%s %s (%s): no usable address, the rrset kept %u ms (dns-hold-empty)",
				 du_rr_type(&d->c.du), d->c.du.name, why, d->c.du.hold_empty_ms);
		}
		return;
	}
	ev_timer_stop(&u->ht); /* something usable came, or no hold here */
	if (u->pub_valid && n == u->n_pub && !memcmp(now, u->pub, n * sizeof *now))
		return;
	du_supersede(d);
	memcpy(u->pub, now, n * sizeof *now);
	u->n_pub = n;
	u->pub_valid = true;
	u->home = n == 0;
	u->coa = n ? now[0] : in6addr_any;
	for (unsigned i = 0; i < n; i++)
		snprintf(list + strlen(list), sizeof list - strlen(list), "%s%s", i ? " " : "",
			 mk_ip6_ntop(&now[i], a));
	log_info("%s %s (%s): %s%s", du_rr_type(&d->c.du), d->c.du.name, why,
		 n ? "-> " : "no usable address, deleting it", list);
	du_begin(d);
}

static void du_sync(struct mobd *d, const char *why)
{
	du_sync_hold(d, why, false);
}

/* dns-hold-empty ran out with still no usable address: delete */
static void du_hold_end(void *arg)
{
	struct mobd *d = arg;
	DU(d)->cnt.held_empty_deleted++;
	du_sync(d, "no usable address for dns-hold-empty");
}

static void du_retry(void *arg)
{
	struct mobd *d = arg;
	DU(d)->cnt.resent++;
	du_sync_hold(d, "again after a failed update", true);
}

static void du_nl(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	(void)ev;
	if (nl_monitor_read(DU(d)->nlfd, 0))
		du_sync_hold(d, "address change", true);
}

/* mobctl withdraw ADDR / restore ADDR: take an address out of the rrset
 * (it stays on the interface for the sessions using it) or put it back */
void du_cmd_withdraw(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args,
		     FILE *f)
{
	struct du *u = DU(d);
	struct in6_addr a;
	bool wd = !strcmp(cmd->name, "withdraw");
	unsigned i;
	(void)json;
	if (!d->c.du.addrs) {
		fprintf(f, "error: %s needs 'dns-record addrs'\n", cmd->name);
		return;
	}
	if (inet_pton(AF_INET6, args, &a) != 1) {
		fprintf(f, "error: usage: %s ADDR: '%s' is not an IPv6 address\n", cmd->name, args);
		return;
	}
	for (i = 0; i < u->n_wd && memcmp(&u->wd[i], &a, 16); i++)
		;
	if (wd && i == u->n_wd) {
		if (u->n_wd == DU_ADDRS_MAX) {
			fprintf(f, "error: %u addresses withdrawn already, the most\n", DU_ADDRS_MAX);
			return;
		}
		u->wd[u->n_wd++] = a;
	} else if (!wd && i < u->n_wd) {
		u->wd[i] = u->wd[--u->n_wd];
	} else {
		fprintf(f, "error: %s is %s\n", args, wd ? "withdrawn already" : "not withdrawn");
		return;
	}
	u->cnt.withdrawn += wd;
	du_sync(d, wd ? "withdrawn" : "restored");
	fputs("ok\n", f);
}

/* ---- start, stop, show ---- */

static int du_sig0_paths(const char *key, char *priv, size_t cap)
{
	size_t l = strlen(key);
	if (l < 5 || strcmp(key + l - 4, ".key") != 0 || l + 4 >= cap)
		return -1;
	snprintf(priv, cap, "%.*s.private", (int)(l - 4), key);
	return 0;
}

static int du_start(struct mobd *d, char *err, size_t errlen)
{
	const struct mobd_du_conf *c = &d->c.du;
	struct du *u = calloc(1, sizeof *u);
	char priv[300];
	struct mk_status st;
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	d->rs[MOBD_R_DU] = u;
	u->fd = -1;
	u->nlfd = -1;
	u->last_rc = -1;
	u->t.cb = du_timer;
	u->t.arg = d;
	u->rt.cb = du_retry;
	u->rt.arg = d;
	u->ht.cb = du_hold_end;
	u->ht.arg = d;
	u->server.sin6_family = AF_INET6;
	u->server.sin6_addr = c->server;
	u->server.sin6_port = htons((uint16_t)c->port);
	if (c->tsig_path[0]) {
		st = mk_tsig_key_load_bind(&u->tsig, c->tsig_path);
		if (st.err != MK_E_OK) {
			snprintf(err, errlen, "dns-tsig-key '%s': %s", c->tsig_path, mk_strerror(st.err));
			return -1;
		}
		u->have_tsig = true;
	}
	if (c->sig0_path[0]) {
		if (du_sig0_paths(c->sig0_path, priv, sizeof priv) != 0 ||
		    (st = mk_sig0_key_load_bind(&u->sig0, c->sig0_path, priv)).err != MK_E_OK) {
			snprintf(err, errlen, "dns-sig0-key '%s': cannot load it", c->sig0_path);
			return -1;
		}
		u->have_sig0 = true;
	}
	log_info("DNS updater: %s of %s in %s at %s port %u, %s%s", du_rr_type(c), c->name, c->zone,
		 mk_ip6_ntop(&c->server, (char[INET6_ADDRSTRLEN]){ 0 }), c->port,
		 u->have_tsig ? "TSIG " : u->have_sig0 ? "SIG(0)" : "unsigned",
		 u->have_tsig ? u->tsig.name : "");
	if (c->addrs) {
		/* subscribed before the first scan: no change falls between */
		u->nlfd = nl_monitor_open();
		if (u->nlfd < 0 || ev_add(u->nlfd, du_nl, d) != 0) {
			snprintf(err, errlen, "dns-record addrs: netlink monitor: %s", strerror(errno));
			return -1;
		}
		du_sync(d, "start");
	}
	return 0;
}

static void du_stop(struct mobd *d)
{
	struct du *u = DU(d);
	if (!u)
		return;
	du_close(u);
	ev_timer_stop(&u->rt);
	ev_timer_stop(&u->ht);
	if (u->nlfd >= 0) {
		ev_del(u->nlfd);
		close(u->nlfd);
	}
	if (u->have_sig0)
		mk_sig0_key_free(&u->sig0);
	free(u);
	d->rs[MOBD_R_DU] = NULL;
}

static void du_show_counters(const struct du *u, bool json, FILE *f)
{
#define C(name) { #name, u->cnt.name }
	const struct { const char *n; uint64_t v; } cs[] = {
		C(updates), C(sent), C(retries), C(answers), C(bad_answers), C(stale_answers),
		C(truncated), C(send_fail), C(superseded), C(withdrawn), C(resent), C(held_empty),
		C(held_empty_deleted),
	};
#undef C
	for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++)
		fprintf(f, json ? "%s\"%s\":%llu" : "%s%-14s %llu\n", json && i ? "," : "", cs[i].n,
			(unsigned long long)cs[i].v);
	/* outcomes: each rcode seen, and timeouts */
	fputs(json ? ",\"outcomes\":{" : "", f);
	bool first = true;
	for (unsigned k = 0; k < DU_RC_N; k++)
		if (u->cnt.rc[k]) {
			fprintf(f, json ? "%s\"%s\":%llu" : "%soutcome %-8s %llu\n", json && !first ? "," : "",
				du_rc_name(k), (unsigned long long)u->cnt.rc[k]);
			first = false;
		}
	if (u->cnt.timeout)
		fprintf(f, json ? "%s\"%s\":%llu" : "%soutcome %-8s %llu\n", json && !first ? "," : "",
			"timeout", (unsigned long long)u->cnt.timeout);
	first = first && !u->cnt.timeout;
	if (u->cnt.errors) /* no socket, a message that cannot be built */
		fprintf(f, json ? "%s\"%s\":%llu" : "%soutcome %-8s %llu\n", json && !first ? "," : "",
			"error", (unsigned long long)u->cnt.errors);
	fputs(json ? "}" : "", f);
}

/* dns-record addrs: the addresses published (by the last update), those
 * withdrawn, the SRV records; JSON: members, each followed by a comma */
static void du_show_list(const char *key, const struct in6_addr *a, unsigned n, bool json, FILE *f)
{
	char s[INET6_ADDRSTRLEN];
	fprintf(f, json ? "\"%s\":[" : "%s:", key);
	for (unsigned i = 0; i < n; i++)
		fprintf(f, json ? "%s\"%s\"" : "%s%s", json ? (i ? "," : "") : " ", mk_ip6_ntop(&a[i], s));
	fputs(json ? "]," : (n ? "\n" : " none\n"), f);
}

static void du_show_addrs(struct mobd *d, bool json, FILE *f)
{
	struct du *u = DU(d);
	const struct mobd_du_conf *c = &d->c.du;
	du_show_list("published", u->pub, u->n_pub, json, f);
	du_show_list("withdrawn", u->wd, u->n_wd, json, f);
	fputs(json ? "\"interfaces\":[" : "interfaces:", f);
	for (unsigned i = 0; i < c->n_ifaces; i++)
		fprintf(f, json ? "%s\"%s\"" : "%s%s", json ? (i ? "," : "") : " ", c->ifaces[i]);
	fputs(json ? "],\"srv\":[" : "\n", f);
	for (unsigned i = 0; i < c->n_srv; i++)
		fprintf(f, json ? "%s{\"owner\":\"%s\",\"priority\":%u,\"weight\":%u,\"port\":%u,\"target\":\"%s\"}"
				: "%ssrv %s %u %u %u %s\n",
			json && i ? "," : "", c->srv[i].owner, c->srv[i].priority, c->srv[i].weight,
			c->srv[i].port, c->name);
	fputs(json ? "]," : "", f);
}

static void du_show(struct mobd *d, const char *what, bool json, FILE *f)
{
	struct du *u = DU(d);
	const struct mobd_du_conf *c = &d->c.du;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN], s[INET6_ADDRSTRLEN];
	bool full = !strcmp(what, "updater"), counters = !strcmp(what, "counters");
	if (!full && !counters && strcmp(what, "status")) {
		fputs(json ? "[]\n" : "", f); /* no binding cache, update list, home agents */
		return;
	}
	mk_ip6_ntop(&c->server, s);
	if (json)
		fprintf(f, "{\"role\":\"dns-updater\",\"state\":\"%s\",\"name\":\"%s\",\"pid\":%d",
			du_state_name[u->st], c->name, (int)getpid());
	else
		fprintf(f, "dns-updater %s: %s, pid %d\n", c->name, du_state_name[u->st], (int)getpid());
	if (counters) {
		fputs(json ? "," : "", f);
		du_show_counters(u, json, f);
	}
	if (!full) {
		fputs(json ? "}\n" : "", f);
		return;
	}
	const char *sig = u->have_tsig ? "tsig" : u->have_sig0 ? "sig0" : "none";
	char key[MK_DNS_NAME_STR_MAX];
	if (u->have_tsig)
		snprintf(key, sizeof key, "%s", u->tsig.name);
	else if (u->have_sig0)
		mk_dns_name_to_str(u->sig0.name, u->sig0.name_len, key, sizeof key);
	else
		key[0] = 0;
	if (json)
		fprintf(f, ",\"record\":\"%s\",\"zone\":\"%s\",\"server\":\"%s\",\"port\":%u,\"signature\":\"%s\","
			   "\"key\":\"%s\",\"ttl\":%u,\"timeout_ms\":%u,\"tries_max\":%u,\"on_refused\":\"%s\",\"last\":",
			du_rr_type(c), c->zone, s, c->port, sig, key, c->ttl, c->timeout_ms, c->tries,
			c->retry_refused ? "retry" : "give-up");
	else
		fprintf(f, "record %s, zone %s, server %s port %u, %s%s%s, ttl %u, timeout %u ms, %u tries, on refused %s\n",
			du_rr_type(c), c->zone, s, c->port, sig, key[0] ? " key " : "", key, c->ttl, c->timeout_ms,
			c->tries, c->retry_refused ? "retry" : "give-up");
	if (u->st == DU_IDLE) {
		fputs(json ? "null," : "last: none\n", f);
	} else {
		const char *op = u->home ? "delete" : "replace";
		mk_ip6_ntop(&u->coa, a);
		mk_ip6_ntop(&u->hoa, b);
		if (json) {
			fprintf(f, "{\"op\":\"%s\",\"coa\":\"%s\",\"hoa\":\"%s\",\"at_home\":%s,\"tries\":%u,"
				   "\"transport\":\"%s\",",
				op, u->home ? "" : a, b, u->home ? "true" : "false", u->tries, u->tcp ? "tcp" : "udp");
			if (u->outcome)
				fprintf(f, "\"rcode\":\"%s\",", u->outcome);
			else
				fputs("\"rcode\":null,", f);
			if (u->answered)
				fprintf(f, "\"latency_ms\":%.3f,\"answered_try\":%u,\"tsig\":\"%s\",", u->latency_ms,
					u->answered, u->answer_tsig);
			else
				fputs("\"latency_ms\":null,\"answered_try\":null,\"tsig\":null,", f);
			if (u->outcome)
				fprintf(f, "\"total_ms\":%.3f},", u->total_ms);
			else
				fputs("\"total_ms\":null},", f);
		} else {
			fprintf(f, "last: %s %s%s%s, ", op, du_rr_type(c), u->home ? "" : " ", u->home ? "" : a);
			fprintf(f, "%s", u->outcome ? u->outcome : "in flight");
			if (u->answered)
				fprintf(f, ", latency %.3f ms (try %u), answer TSIG %s", u->latency_ms, u->answered,
					u->answer_tsig);
			fprintf(f, ", %u tr%s%s", u->tries, u->tries == 1 ? "y" : "ies", u->tcp ? " (TCP after a truncated answer)" : "");
			if (u->outcome)
				fprintf(f, ", total %.3f ms", u->total_ms);
			fputc('\n', f);
		}
	}
	if (c->addrs)
		du_show_addrs(d, json, f);
	if (json)
		fputs("\"counters\":{", f);
	du_show_counters(u, json, f);
	fputs(json ? "}}\n" : "", f);
}

/* ---- configuration ---- */

#define OFF(f) offsetof(struct mobd_conf, f)

/* "dns-server ADDRESS [PORT]": not ADDRESS#PORT, '#' starts a comment here */
static void p_server(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		     struct mobd_conf *c)
{
	unsigned long port = 53;
	(void)k;
	if (n != 2 && n != 3) {
		conf_err(x, "'%s' takes 1 or 2 values (ADDRESS [PORT]), got %d", w[0], n - 1);
		return;
	}
	if (inet_pton(AF_INET6, w[1], &c->du.server) != 1) {
		conf_err(x, "dns-server '%s' is not an IPv6 address", w[1]);
		return;
	}
	if (n == 3 && conf_num(w[2], 1, 65535, &port) != 0) {
		conf_err(x, "dns-server port '%s': expected 1..65535", w[2]);
		return;
	}
	c->du.port = (unsigned)port;
}

/* a domain name, kept in its absolute presentation form */
static void p_dname(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		    struct mobd_conf *c)
{
	uint8_t wire[MK_DNS_NAME_MAX];
	size_t wl;
	char *out = (char *)c + k->field;
	if (!conf_need(x, w, n, 1))
		return;
	if (mk_dns_name_from_str(w[1], wire, &wl).err != MK_E_OK ||
	    mk_dns_name_to_str(wire, wl, out, 256).err != MK_E_OK)
		conf_err(x, "%s '%s' is not a domain name", w[0], w[1]);
}

static void p_tsig(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		   struct mobd_conf *c)
{
	struct mk_tsig_key key;
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	if (strlen(w[1]) >= sizeof c->du.tsig_path) {
		conf_err(x, "dns-tsig-key '%s': path too long", w[1]);
		return;
	}
	FILE *f = fopen(w[1], "r");
	if (!f) {
		conf_err(x, "dns-tsig-key '%s': %s", w[1], strerror(errno));
		return;
	}
	fclose(f);
	struct mk_status st = mk_tsig_key_load_bind(&key, w[1]);
	if (st.err != MK_E_OK) {
		conf_err(x, "dns-tsig-key '%s': not a BIND key file (%s at offset %zu)", w[1],
			 mk_strerror(st.err), st.off);
		return;
	}
	snprintf(c->du.tsig_path, sizeof c->du.tsig_path, "%s", w[1]);
}

static void p_sig0(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		   struct mobd_conf *c)
{
	struct mk_sig0_key key;
	char priv[300];
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	if (strlen(w[1]) >= sizeof c->du.sig0_path || du_sig0_paths(w[1], priv, sizeof priv) != 0) {
		conf_err(x, "dns-sig0-key '%s': want the K*.key file (K*.private beside it)", w[1]);
		return;
	}
	for (int i = 0; i < 2; i++) {
		FILE *f = fopen(i ? priv : w[1], "r");
		if (!f) {
			conf_err(x, "dns-sig0-key '%s': %s: %s", w[1], i ? priv : w[1], strerror(errno));
			return;
		}
		fclose(f);
	}
	struct mk_status st = mk_sig0_key_load_bind(&key, w[1], priv);
	if (st.err != MK_E_OK) {
		conf_err(x, "dns-sig0-key '%s': %s (at %zu)", w[1], mk_strerror(st.err), st.off);
		return;
	}
	mk_sig0_key_free(&key);
	snprintf(c->du.sig0_path, sizeof c->du.sig0_path, "%s", w[1]);
}

static void p_refused(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		      struct mobd_conf *c)
{
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	if (!strcmp(w[1], "retry"))
		c->du.retry_refused = true;
	else if (!strcmp(w[1], "give-up"))
		c->du.retry_refused = false;
	else
		conf_err(x, "dns-on-refused '%s': expected retry or give-up", w[1]);
}

/* dns-record caaaa|aaaa|addrs: the record type the updates replace */
static void p_record(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		     struct mobd_conf *c)
{
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	c->du.aaaa = c->du.addrs = false;
	if (!strcmp(w[1], "aaaa") || !strcmp(w[1], "caaaa"))
		c->du.aaaa = w[1][0] == 'a';
	else if (!strcmp(w[1], "addrs"))
		c->du.addrs = true;
	else
		conf_err(x, "dns-record '%s': expected caaaa, aaaa or addrs", w[1]);
}

/* dns-interface IF [IF ...]: the interfaces whose addresses dns-record
 * addrs publishes (they need not exist yet: a TUN device comes later) */
static void p_ifaces(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		     struct mobd_conf *c)
{
	(void)k;
	if (n < 2 || n > 1 + MOBD_DU_IFACES) {
		conf_err(x, "'%s' takes 1 to %d interface names, got %d", w[0], MOBD_DU_IFACES, n - 1);
		return;
	}
	c->du.n_ifaces = 0;
	for (int i = 1; i < n; i++) {
		if (!w[i][0] || strlen(w[i]) >= sizeof c->du.ifaces[0] || strchr(w[i], '/')) {
			conf_err(x, "dns-interface '%s' is not an interface name", w[i]);
			return;
		}
		snprintf(c->du.ifaces[c->du.n_ifaces++], sizeof c->du.ifaces[0], "%s", w[i]);
	}
}

/* is label "_service._proto" (RFC 2782: each label begins with '_', letters,
 * digits and '-' after it)? */
static bool du_srv_label_ok(const char *l)
{
	int labels = 0;
	for (const char *p = l; *p; labels++) {
		if (*p != '_' || !p[1] || p[1] == '.')
			return false;
		for (p++; *p && *p != '.'; p++)
			if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
			      *p == '-'))
				return false;
		if (*p == '.')
			p++;
	}
	return labels == 2;
}

/* dns-srv _service._proto PORT [PRIORITY WEIGHT]: an SRV record at
 * _service._proto.NAME pointing at NAME (dns-name) and PORT */
static void p_srv(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		  struct mobd_conf *c)
{
	unsigned long v[3] = { 0, 0, 0 };
	static const char *const what[] = { "PORT", "PRIORITY", "WEIGHT" };
	(void)k;
	if (n != 3 && n != 5) {
		conf_err(x, "'%s' takes _service._proto PORT [PRIORITY WEIGHT], got %d values", w[0], n - 1);
		return;
	}
	if (c->du.n_srv == MOBD_DU_SRVS) {
		conf_err(x, "dns-srv: at most %d", MOBD_DU_SRVS);
		return;
	}
	if (strlen(w[1]) >= sizeof c->du.srv[0].label || !du_srv_label_ok(w[1])) {
		conf_err(x, "dns-srv '%s': expected _service._proto (RFC 2782), e.g. _mkrv._tcp", w[1]);
		return;
	}
	for (int i = 2; i < n; i++)
		if (conf_num(w[i], i == 2 ? 1 : 0, 65535, &v[i - 2]) != 0) {
			conf_err(x, "dns-srv %s '%s': expected %d..65535", what[i - 2], w[i], i == 2 ? 1 : 0);
			return;
		}
	struct mobd_du_srv *s = &c->du.srv[c->du.n_srv++];
	snprintf(s->label, sizeof s->label, "%s", w[1]);
	s->port = (unsigned)v[0];
	s->priority = (unsigned)v[1];
	s->weight = (unsigned)v[2];
}

static const struct mobd_kw du_kws[] = {
	{ "dns-server", false, p_server, 0, 0, 0, 0, "" },
	{ "dns-zone", false, p_dname, OFF(du.zone), 0, 0, 0, "" },
	{ "dns-name", false, p_dname, OFF(du.name), 0, 0, 0, "" },
	{ "dns-tsig-key", false, p_tsig, 0, 0, 0, 0, "" },
	{ "dns-sig0-key", false, p_sig0, 0, 0, 0, 0, "" },
	{ "dns-ttl", false, conf_p_num, OFF(du.ttl), 0, 0, 2147483647, " seconds" },
	{ "dns-timeout", false, conf_p_num, OFF(du.timeout_ms), 0, 10, 60000, " ms" },
	{ "dns-tries", false, conf_p_num, OFF(du.tries), 0, 1, DU_MAX_TRIES, " tries" },
	{ "dns-on-refused", false, p_refused, 0, 0, 0, 0, "" },
	{ "dns-record", false, p_record, 0, 0, 0, 0, "" },
	{ "dns-interface", false, p_ifaces, 0, 0, 0, 0, "" },
	{ "dns-srv", true, p_srv, 0, 0, 0, 0, "" },
	{ "dns-hold-empty", false, conf_p_num, OFF(du.hold_empty_ms), 0, 0, 600000, " ms" },
};
#undef OFF

/* is name (wire) zone or below it? */
static bool du_in_zone(const char *name, const char *zone)
{
	uint8_t nw[MK_DNS_NAME_MAX], zw[MK_DNS_NAME_MAX];
	size_t nl, zl;
	if (mk_dns_name_from_str(name, nw, &nl).err != MK_E_OK ||
	    mk_dns_name_from_str(zone, zw, &zl).err != MK_E_OK)
		return false;
	for (size_t o = 0; o < nl; o += 1u + nw[o]) {
		if (mk_dns_name_eq(nw + o, nl - o, zw, zl))
			return true;
		if (!nw[o])
			break;
	}
	return false;
}

static void du_conf_check(struct mobd_conf_ctx *x, struct mobd_conf *c)
{
	static const char *const need[] = { "dns-server", "dns-zone", "dns-name" };
	for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!conf_seen(x, need[i]))
			conf_bad(x, "%s: a dns-updater needs '%s'", conf_path(x), need[i]);
	if (!conf_seen(x, "dns-timeout"))
		c->du.timeout_ms = DU_DEF_TIMEOUT_MS;
	if (!conf_seen(x, "dns-tries"))
		c->du.tries = DU_DEF_TRIES;
	if (!conf_seen(x, "dns-hold-empty"))
		c->du.hold_empty_ms = DU_DEF_HOLD_EMPTY_MS;
	if (c->du.name[0] && c->du.zone[0] && !du_in_zone(c->du.name, c->du.zone))
		conf_bad(x, "%s:%u: dns-name '%s' is not in dns-zone '%s'", conf_path(x),
			 conf_seen(x, "dns-name"), c->du.name, c->du.zone);
	if (conf_seen(x, "dns-tsig-key") && conf_seen(x, "dns-sig0-key"))
		conf_bad(x, "%s:%u: dns-sig0-key: give dns-tsig-key or dns-sig0-key, not both",
			 conf_path(x), conf_seen(x, "dns-sig0-key"));
	if (c->du.addrs) {
		/* dns-record addrs follows the interfaces itself: no other role needed */
		if (!c->du.n_ifaces) {
			snprintf(c->du.ifaces[0], sizeof c->du.ifaces[0], "%s", c->iface);
			c->du.n_ifaces = 1;
		}
		for (unsigned i = 0; i < c->du.n_srv; i++) {
			struct mobd_du_srv *s = &c->du.srv[i];
			uint8_t wire[MK_DNS_NAME_MAX];
			size_t wl;
			char owner[600];
			snprintf(owner, sizeof owner, "%s.%s", s->label, c->du.name);
			if (strlen(owner) >= sizeof s->owner || mk_dns_name_from_str(owner, wire, &wl).err != MK_E_OK)
				conf_bad(x, "%s: dns-srv '%s': %s is too long a name", conf_path(x), s->label, owner);
			else
				memcpy(s->owner, owner, strlen(owner) + 1);
		}
		return;
	}
	static const char *const only[] = { "dns-interface", "dns-srv", "dns-hold-empty" };
	for (size_t i = 0; i < sizeof only / sizeof only[0]; i++)
		if (conf_seen(x, only[i])) {
			conf_bad(x, "%s:%u: %s: only with 'dns-record addrs'", conf_path(x),
				 conf_seen(x, only[i]), only[i]);
			break;
		}
	if (!(c->roles & (MOBD_RB(MOBD_R_MN) | MOBD_RB(MOBD_R_MIG))))
		conf_bad(x, "%s: the dns-updater publishes a mobile node's care-of address: 'role "
			    "mobile-node dns-updater' (or a TCP Migrate host's address: 'role migrate "
			    "dns-updater'); 'dns-record addrs' publishes the interfaces' addresses alone",
			 conf_path(x));
}

static void du_conf_print(const struct mobd_conf *c, FILE *f)
{
	char a[INET6_ADDRSTRLEN];
	fprintf(f, "dns-server %s %u\ndns-zone %s\ndns-name %s\ndns-record %s\n",
		inet_ntop(AF_INET6, &c->du.server, a, sizeof a), c->du.port, c->du.zone, c->du.name,
		c->du.addrs ? "addrs" : c->du.aaaa ? "aaaa" : "caaaa");
	if (c->du.addrs) {
		fputs("dns-interface", f);
		for (unsigned i = 0; i < c->du.n_ifaces; i++)
			fprintf(f, " %s", c->du.ifaces[i]);
		fputc('\n', f);
		for (unsigned i = 0; i < c->du.n_srv; i++)
			fprintf(f, "dns-srv %s %u %u %u\n", c->du.srv[i].label, c->du.srv[i].port,
				c->du.srv[i].priority, c->du.srv[i].weight);
		fprintf(f, "dns-hold-empty %u\n", c->du.hold_empty_ms);
	}
	if (c->du.tsig_path[0])
		fprintf(f, "dns-tsig-key %s\n", c->du.tsig_path);
	else if (c->du.sig0_path[0])
		fprintf(f, "dns-sig0-key %s\n", c->du.sig0_path);
	else
		fprintf(f, "dns-tsig-key (none: updates unsigned)\n");
	fprintf(f, "dns-ttl %u\ndns-timeout %u\ndns-tries %u\ndns-on-refused %s\n", c->du.ttl,
		c->du.timeout_ms, c->du.tries, c->du.retry_refused ? "retry" : "give-up");
}

const struct mobd_role mobd_dns_updater = {
	.name = "dns-updater",
	.title = "DNS updater",
	.id = MOBD_R_DU,
	.owns_tun = false,
	.kws = du_kws,
	.n_kws = sizeof du_kws / sizeof du_kws[0],
	.conf_check = du_conf_check,
	.conf_print = du_conf_print,
	.start = du_start,
	.stop = du_stop,
	.show = du_show,
	.on_coa = du_on_coa,
};
