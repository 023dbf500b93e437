/* stack/roles/migrate.c: mobd's role "migrate", the TCP Migrate shim
 * (draft-snoeren-tcp-migrate-00; issue 16).  It runs on both hosts; the
 * applications are unmodified and the kernel's TCP moves the data.
 *
 * Why a role of mobd and not a program of its own: it needs what the core
 * already has, the event loop, the control socket (mobctl migrate,
 * counters), nftables, netlink address events and the log, and a DNS
 * updater role can run beside it in the same daemon (the care-of hook,
 * mobd_coa_changed, is called on every move).
 *
 * Mechanism (what costs least per packet and keeps the kernel's TCP):
 *
 *   handshake  NFQUEUE, for the handshake packets only: nftables marks
 *              outgoing SYNs and SYN/ACKs, incoming SYNs, SYN/ACKs and RSTs,
 *              and incoming ACKs whose TSecr is 0 (the first ACK of a secure
 *              handshake, whose timestamp is mapped back); one ip6tables
 *              rule per hook queues the marked packets (this kernel has no
 *              nft queue expression, CONFIG_NFT_QUEUE unset, but has the
 *              xtables NFQUEUE target, which iptables-nft reaches through
 *              nft_compat).  Data packets never leave the kernel.
 *   migrate    raw IPv6 socket (SO_MARK, so our own packets are not queued)
 *              for the migrate SYN and its SYN/ACK, the RSTs and the
 *              duplicate ACKs injected into the local kernel.
 *   after      a stateless rewrite in nftables per migrated connection at
 *              both ends, four maps keyed by the 4-tuple: at the host that
 *              moved, outgoing saddr original -> new (output, a route chain
 *              after the queue) and incoming daddr new -> original
 *              (prerouting, priority -300, before conntrack); at its peer
 *              the peer's address the same way.  nft updates the TCP
 *              checksum (the pseudo-header) itself.  Neither the shim's own
 *              packets (marked) nor pure SYNs are rewritten: a migrate SYN
 *              leaves from, and is judged at, the addresses on the wire
 *              (a move back to the first address, a resent migrate SYN).
 *              The kernel keeps seeing the original 4-tuple; the moving host keeps its
 *              original address as a /128 on lo so that the rewritten
 *              packets are delivered locally.  A migration is one map
 *              element per direction: no rule is added per connection.
 *              The incoming rewrite from the peer's previous address is
 *              kept until its next migration (prev_rewrite()).
 *
 *   Forged migrate SYNs (a flood, tools/bench-migrate.sh, 300,000 with
 *   random tokens from mobprobe migsyn at its full rate, 2 cores shared,
 *   load average 0.8-1.6): every one that reaches the shim is refused and
 *   counted; the kernel drops the ones the queue cannot hold (4096 deep,
 *   never fail-open: a passed forged SYN would reach the kernel's TCP) and
 *   counts them, read into nfq_queue_dropped / nfq_user_dropped.  What
 *   the shim refused per second over what mobprobe offered, same run:
 *     as it was (the bench also ran a shim on the attacker, which took
 *       mobprobe's SYNs for its own: 242,000 never left M)     0.11-0.15
 *     the attacker without a shim: 107,287 reached the shim, 192,713
 *       dropped by the kernel, all at the netlink socket's receive
 *       buffer (user_dropped)                                  0.36
 *     receive buffer 8 MiB (SO_RCVBUFFORCE): the drops move to the full
 *       queue (queue_dropped), the rate stays                  0.35-0.37
 *     one verdict per run of packets with the same verdict
 *       (nfq_set_verdict_batch), not one per packet            0.42-0.43
 *     the token and the 4-tuple looked up in packed arrays, a migrate SYN
 *       before the 4-tuple (the scan of 1024 connection structs was 12 %
 *       of the shim's CPU in perf)                             0.46-0.48
 *     RSTs sent in one sendmmsg per read, not one sendto each  0.51-0.63
 *     (recvmmsg of 16 instead of recv each: 0.51-0.57, not kept)
 *   perf then: half of the shim's time is the RST's send (route lookup,
 *   veth, the attacker's receive in our softirq), a fifth the verdicts.
 *   Each measured with tools/bench-migrate.sh BENCH_MIG_PARTS=syn, twice.
 *
 *   Alternatives: a TUN translator would copy every data packet through
 *   user space twice; TCP_REPAIR needs the application's socket.  Figures
 *   (bulk stream through the shim beside without it, per SYN cost) are in
 *   doc/mobd.8 and the README.
 *
 * Handshake (draft 3.1, protocol-facts 5): Migrate-Permitted is added to the
 * kernel's SYN and SYN/ACK, insecure (Curve ID 0) or secure (ECDH on
 * sect193r1, the 25-octet x split: 17 octets in the option, 8 in TSval and
 * TSecr of the same SYN).  The kernel's own TSval is kept and restored in
 * the TSecr of what comes back (SYN/ACK at the initiator, first ACK at the
 * acceptor); the peer's key octets in TSval are replaced by 0 before our
 * kernel sees them (Linux's PAWS ignores a zero ts_recent), so neither
 * PAWS nor RTT measurement sees a key.  What does not fit in 40 octets is
 * dropped (migrate-proto.c): the RFC 6994 form needs 41 with SACK-Permitted,
 * so SACK-Permitted goes.
 *
 * Migration (draft 3.2-3.4): on a new address on the interface (netlink)
 * every migratable connection whose address is gone sends a migrate SYN
 * from the new address (seq = snd_una, from sock_diag's tcp_info:
 * ISN + bytes_acked, see snd_una()), Token, ReqNo+1, Request, no other option; the
 * peer finds it by token, checks ReqNo and Request, installs its rewrite
 * and answers SYN/ACK (seq = its snd_una, ack = its rcv_nxt); the mover
 * installs its rewrite on that SYN/ACK.  Both then inject three duplicate
 * ACKs into their own kernel (migrate-kick), so it retransmits what the
 * move lost at once instead of waiting out its RTO back-off.  Congestion
 * state: the shim cannot reset the kernel's cwnd from outside the
 * application's socket; the fast retransmit the duplicate ACKs cause halves
 * it, an RTO that fired during the move already reset it to one segment.
 *
 * Refusals: unknown token, a token of a connection that did not negotiate,
 * a connection not established, a ReqNo not newer, a Request that does not
 * verify: RST, the connection untouched, a counter per reason.  (The
 * migration last accepted, its SYN/ACK lost, resent from where the peer now
 * is with the same ReqNo and Request, is answered again: migsyn_dup.)  RST on
 * a migratable connection: MIGRATE-WAIT as far as a shim can: the RST is
 * kept from the kernel (so the connection survives for a migrate SYN),
 * further RSTs too, for migrate-wait ms; then RSTs reach the kernel again.
 * The kernel itself keeps sending and ACKing (the shim cannot silence
 * it).  Both hosts moving at once (a migrate SYN for a connection that is
 * itself migrating) is detected, logged and counted (both_moving); the
 * peer's migration is accepted, ours is sent again at once from our new
 * address to the peer's new one (t/stack/migrate.t checks it).  The paper
 * has no answer when neither migrate SYN can reach the other end (both
 * old addresses gone from the network): each gives up after MIG_TRIES. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <libmnl/libmnl.h>
#include <linux/inet_diag.h>
#include <linux/netfilter.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <net/if.h>
#include <libnetfilter_queue/libnetfilter_queue.h>
#include <nftables/libnftables.h>
#include <openssl/rand.h>
#include <spawn.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "stack/roles/migrate.h"
#include "stack/roles/roles.h"

extern char **environ;

#define MIG_MAX 1024
#define MIG_MARK 0x6d6967u    /* "mig": our own packets, never queued */
#define MIG_QMARK 0x6d690001u /* queue this one */
#define MIG_TICK_MS 100
#define MIG_TRIES 8
#define MIG_NFQ_RCVBUF (8 << 20)
#define MIG_PKT 128
#define MIG_RSTQ 64

struct mig_rst {
	uint8_t pkt[80];
	size_t len;
	struct sockaddr_in6 to;
};

enum mig_state {
	MS_SYN_SENT,   /* our kernel's SYN went out with Migrate-Permitted */
	MS_SYN_RCVD,   /* the peer's SYN came with it; our SYN/ACK went out */
	MS_EST,
	MS_MIGRATING,  /* our migrate SYN is out */
	MS_WAIT,       /* MIGRATE-WAIT */
};
static const char *const state_name[] = { "syn-sent", "syn-rcvd", "established", "migrating",
					  "migrate-wait" };

struct mig_conn {
	bool used;
	bool initiator;              /* our kernel sent the first SYN */
	bool negotiated;
	bool peer_without;           /* the peer did not echo Migrate-Permitted */
	bool ts_map;                 /* map the next TSecr 0 back to ts_saved */
	bool impossible_said;
	bool before;                 /* established before the shim started */
	bool has_prev;               /* prev_p's incoming rewrite is kept */
	uint8_t state, curve, reqno;
	uint8_t mig_reqno;           /* the ReqNo of the migrate SYN in flight */
	/* the 4-tuple the kernel knows (local, peer) and the one on the wire */
	struct in6_addr l0, p0, l, p;
	uint16_t lport, pport;
	uint32_t ni, na, ts_saved;
	uint8_t k[MIG_KEYLEN];
	uint64_t token;
	struct mig_key key;          /* ours, until K is made */
	unsigned migrations, tries;
	uint32_t mig_seq;
	struct in6_addr mig_to;
	struct in6_addr prev_p, prev_l; /* the peer's wire address before its
					 * last migration, ours then */
	uint64_t mig_due, wait_until, born;
	uint64_t mig_t0, last_ms_x1000; /* the last migration's time, us */
};

struct mig_cnt {
	uint64_t syn_out, synack_out, syn_in, synack_in, first_ack_mapped, negotiated,
		not_negotiated, peer_without, curve_mismatch, key_fail, opt_nofit, sackp_dropped,
		ws_dropped, migsyn_tx, migsyn_rx, migsyn_dup, migsyn_refused, migsynack_tx, migsynack_rx, migrated_out,
		migrated_in, impossible, both_moving, rst_tx, rst_wait, rst_passed, kick_tx, gone,
		nfq_pkts, nfq_modified, nfq_ns, full, send_fail, nft_fail, diag_fail, give_up;
	/* the kernel's drops before the shim, read at show time from
	 * /proc/net/netfilter/nfnetlink_queue: the queue at its maxlen, the
	 * netlink socket's receive buffer full */
	uint64_t nfq_queue_dropped, nfq_user_dropped, nfq_dropped;
	uint64_t before_start; /* connections learned at start (not migratable) */
	uint64_t refused[MIG_R__COUNT];
};

struct mig {
	struct mobd *d;
	struct mig_conn c[MIG_MAX];
	struct nfq_handle *nfq;
	struct nfq_q_handle *qh;
	int nfq_fd, raw_fd, mon_fd, diag_fd, lo_index;
	bool nft_on, ipt_in, ipt_out;
	char table[32];
	struct nft_ctx *nft;
	char batch[4096];
	size_t blen;
	struct mobd_timer tick;
	uint64_t last_gc;
	struct mig_cnt cnt;
	/* what a packet is matched on, packed apart from the connections
	 * (a scan of c[] touched MIG_MAX structs of ~230 octets per packet:
	 * 12 % of the shim's CPU under a flood of forged migrate SYNs): the
	 * token (0: none yet) and a hash of the kernel's 4-tuple (0: slot
	 * free) of c[i] */
	uint64_t tok[MIG_MAX];
	uint32_t tup[MIG_MAX];
	bool in_read;    /* in nfq_read: RSTs wait in rq for one sendmmsg */
	unsigned rq_n;
	struct mig_rst rq[MIG_RSTQ];
	uint32_t vb_id;  /* the verdict batch: last id, verdict, packets */
	int vb_v;
	unsigned vb_n;
};

static struct mig mig_state;
#define MIG(d) ((struct mig *)(d)->rs[MOBD_R_MIG])

static char *a6(const struct in6_addr *a, char *b)
{
	inet_ntop(AF_INET6, a, b, INET6_ADDRSTRLEN);
	return b;
}

/* ---- nftables and ip6tables ---- */

static int run_argv(char *const argv[])
{
	pid_t pid;
	int st;
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	int r = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (r != 0)
		return -1;
	while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	return WIFEXITED(st) && WEXITSTATUS(st) == 0 ? 0 : -1;
}

static int ipt(bool add, const char *chain, unsigned queue)
{
	char q[16], m[16];
	snprintf(q, sizeof q, "%u", queue);
	snprintf(m, sizeof m, "0x%x", MIG_QMARK);
	char *argv[] = { "ip6tables", "-w", "-t", "mangle", add ? "-A" : "-D", (char *)chain,
			 "-m", "mark", "--mark", m, "-j", "NFQUEUE", "--queue-num", q,
			 "--queue-bypass", NULL };
	return run_argv(argv);
}

static int nft_setup(struct mig *m, char *err, size_t errlen)
{
	char cmd[3072];
	const char *t = m->table;
	snprintf(cmd, sizeof cmd,
		 "add table ip6 %s\n"
		 "add map ip6 %s lin { type ipv6_addr . inet_service . ipv6_addr . inet_service : ipv6_addr; }\n"
		 "add map ip6 %s lout { type ipv6_addr . inet_service . ipv6_addr . inet_service : ipv6_addr; }\n"
		 "add map ip6 %s pin { type ipv6_addr . inet_service . ipv6_addr . inet_service : ipv6_addr; }\n"
		 "add map ip6 %s pout { type ipv6_addr . inet_service . ipv6_addr . inet_service : ipv6_addr; }\n"
		 "add chain ip6 %s pre { type filter hook prerouting priority -300; policy accept; }\n"
		 "add rule ip6 %s pre meta l4proto tcp tcp flags & (syn|ack) != syn ip6 daddr set ip6 saddr . tcp sport . ip6 daddr . tcp dport map @lin\n"
		 "add rule ip6 %s pre meta l4proto tcp tcp flags & (syn|ack) != syn ip6 saddr set ip6 saddr . tcp sport . ip6 daddr . tcp dport map @pin\n"
		 "add chain ip6 %s qin { type filter hook input priority -200; policy accept; }\n"
		 "add rule ip6 %s qin meta mark != 0x%x tcp flags & (syn|rst) != 0 meta mark set 0x%x\n"
		 "add rule ip6 %s qin meta mark != 0x%x tcp flags & (syn|rst|fin|ack) == ack tcp option timestamp tsecr 0 meta mark set 0x%x\n"
		 "add chain ip6 %s qout { type filter hook output priority -200; policy accept; }\n"
		 "add rule ip6 %s qout meta mark != 0x%x tcp flags & (syn|rst) == syn meta mark set 0x%x\n"
		 "add chain ip6 %s out { type route hook output priority 100; policy accept; }\n"
		 "add rule ip6 %s out meta mark != 0x%x meta l4proto tcp ip6 saddr set ip6 saddr . tcp sport . ip6 daddr . tcp dport map @lout\n"
		 "add rule ip6 %s out meta mark != 0x%x meta l4proto tcp ip6 daddr set ip6 saddr . tcp sport . ip6 daddr . tcp dport map @pout\n",
		 t, t, t, t, t, t, t, t, t, t, MIG_MARK, MIG_QMARK, t, MIG_MARK, MIG_QMARK, t, t, MIG_MARK,
		 MIG_QMARK, t, t, MIG_MARK, t, MIG_MARK);
	if (nft_run(cmd, err, errlen) != 0)
		return -1;
	m->nft_on = true;
	if (ipt(true, "INPUT", m->d->c.mig.queue) != 0 ||
	    !(m->ipt_in = true) || ipt(true, "OUTPUT", m->d->c.mig.queue) != 0) {
		snprintf(err, errlen, "ip6tables: cannot add the NFQUEUE rules (is iptables installed?)");
		return -1;
	}
	m->ipt_out = true;
	return 0;
}

/* one element of a rewrite map: key (s, sp, d, dp) -> v; add or delete,
 * queued in the batch (nft_flush sends it) */
static void map_elem(struct mig *m, bool add, const char *map, const struct in6_addr *s, uint16_t sp,
		     const struct in6_addr *dd, uint16_t dp, const struct in6_addr *v)
{
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN], b3[INET6_ADDRSTRLEN];
	size_t room = sizeof m->batch - m->blen;
	int w;
	if (add)
		w = snprintf(m->batch + m->blen, room, "add element ip6 %s %s { %s . %u . %s . %u : %s }\n",
			     m->table, map, a6(s, b1), sp, a6(dd, b2), dp, a6(v, b3));
	else
		w = snprintf(m->batch + m->blen, room, "delete element ip6 %s %s { %s . %u . %s . %u }\n",
			     m->table, map, a6(s, b1), sp, a6(dd, b2), dp);
	if (w > 0 && (size_t)w < room)
		m->blen += (size_t)w;
	else
		m->cnt.nft_fail++;
}

/* the queued map changes in one nftables transaction, on the role's own
 * context.  With a libnftables context made per element (nft_run), four
 * before the SYN/ACK went, the migrate SYN -> SYN/ACK time at the mover
 * was 36.4 ms mean (max 65.9) on tcp-migrate with RTT ~4 ms; batched on one
 * context, 6.3 ms (max 8.6), 10 migrations each (t/stack/migrate.t) */
static int nft_flush(struct mig *m)
{
	int r = 0;
	if (!m->blen)
		return 0;
	if (!m->nft || nft_run_cmd_from_buffer(m->nft, m->batch) != 0) {
		const char *e = m->nft ? nft_ctx_get_error_buffer(m->nft) : "no nftables context";
		log_warnx("nftables: %.200s", e ? e : "failed");
		m->cnt.nft_fail++;
		r = -1;
	}
	m->blen = 0;
	m->batch[0] = 0;
	return r;
}

/* the rewrite of c from its wire 4-tuple (l, p) to the kernel's (l0, p0):
 * removed (add false) or (re)made */
static void rewrite(struct mig *m, struct mig_conn *c, bool add)
{
	bool lmoved = memcmp(&c->l, &c->l0, 16) != 0, pmoved = memcmp(&c->p, &c->p0, 16) != 0;
	if (lmoved) {
		map_elem(m, add, "lin", &c->p, c->pport, &c->l, c->lport, &c->l0);
		map_elem(m, add, "lout", &c->l0, c->lport, &c->p0, c->pport, &c->l);
	}
	/* the second rule of a chain sees the first one's rewrite: pin is
	 * keyed by the kernel's own address (lin made it so), pout by the
	 * wire's (lout made it so).  Keyed by l0, pout missed every packet
	 * once both ends had moved. */
	if (pmoved) {
		map_elem(m, add, "pin", &c->p, c->pport, &c->l0, c->lport, &c->p0);
		map_elem(m, add, "pout", &c->l, c->lport, &c->p0, c->pport, &c->p);
	}
}

/* the incoming rewrite of c at the address it is migrating to, made when
 * the migrate SYN goes (or removed) */
static void lin_early(struct mig *m, struct mig_conn *c, bool add)
{
	if (memcmp(&c->mig_to, &c->l0, 16) && memcmp(&c->mig_to, &c->l, 16))
		map_elem(m, add, "lin", &c->p, c->pport, &c->mig_to, c->lport, &c->l0);
}

/* the incoming rewrite from where the peer was before its last migration
 * (prev_p, to our address then, prev_l), kept until its next one: a peer
 * that accepted our migrate SYN while it was itself moving (both ends at
 * once) keeps sending from its old address until our SYN/ACK reaches it,
 * and its packets then reached our kernel with a 4-tuple it does not
 * know, which answered RST (t/stack/migrate-both.t: 1 run in 6) */
static void prev_rewrite(struct mig *m, struct mig_conn *c, bool add)
{
	if (!c->has_prev)
		return;
	/* an element whose key is a current one's is that one (rewrite()
	 * adds and deletes it; a delete of what is gone fails the batch) */
	bool same_p = !memcmp(&c->prev_p, &c->p, 16);
	if (memcmp(&c->prev_l, &c->l0, 16) && !(same_p && !memcmp(&c->prev_l, &c->l, 16)))
		map_elem(m, add, "lin", &c->prev_p, c->pport, &c->prev_l, c->lport, &c->l0);
	if (memcmp(&c->prev_p, &c->p0, 16) && !same_p)
		map_elem(m, add, "pin", &c->prev_p, c->pport, &c->l0, c->lport, &c->p0);
	if (!add)
		c->has_prev = false;
}

/* ---- sock_diag: the kernel's view of a connection ---- */

static int diag_cb(const struct nlmsghdr *h, void *data)
{
	struct tcp_info *ti = data;
	const struct nlattr *a;
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY)
		return MNL_CB_OK;
	mnl_attr_for_each(a, h, sizeof(struct inet_diag_msg))
	{
		if (mnl_attr_get_type(a) == INET_DIAG_INFO) {
			size_t n = mnl_attr_get_payload_len(a);
			memcpy(ti, mnl_attr_get_payload(a), n < sizeof *ti ? n : sizeof *ti);
			ti->tcpi_state = ti->tcpi_state ? ti->tcpi_state : 1;
			return MNL_CB_STOP;
		}
	}
	return MNL_CB_OK;
}

/* the kernel's tcp_info of c (by its original 4-tuple): 0; -1 when the
 * kernel says it has no such socket; -2 when no answer came */
static int diag(struct mig *m, const struct mig_conn *c, struct tcp_info *ti)
{
	char buf[8192];
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_REQUEST;
	static unsigned seq_no;
	unsigned seq = ++seq_no;
	h->nlmsg_seq = seq;
	struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(h, sizeof *r);
	r->sdiag_family = AF_INET6;
	r->sdiag_protocol = IPPROTO_TCP;
	r->idiag_ext = 1u << (INET_DIAG_INFO - 1);
	r->idiag_states = ~0u;
	r->id.idiag_sport = htons(c->lport);
	r->id.idiag_dport = htons(c->pport);
	memcpy(r->id.idiag_src, &c->l0, 16);
	memcpy(r->id.idiag_dst, &c->p0, 16);
	r->id.idiag_cookie[0] = r->id.idiag_cookie[1] = INET_DIAG_NOCOOKIE;
	memset(ti, 0, sizeof *ti);
	bool gone = false;
	if (send(m->diag_fd, h, h->nlmsg_len, 0) < 0)
		return -2;
	ssize_t n = recv(m->diag_fd, buf, sizeof buf, 0);
	while (n > 0) {
		/* an answer to an earlier request (one that timed out) is skipped */
		int rc = mnl_cb_run(buf, (size_t)n, seq, 0, diag_cb, ti);
		if (rc < 0 && errno == EPROTO) {
			n = recv(m->diag_fd, buf, sizeof buf, 0);
			continue;
		}
		if (rc < 0)
			gone = errno == ENOENT;
		if (rc <= MNL_CB_STOP)
			break;
		n = recv(m->diag_fd, buf, sizeof buf, MSG_DONTWAIT);
	}
	return ti->tcpi_state ? 0 : gone ? -1 : -2;
}

/* ---- packets ---- */

static uint32_t local_iss(const struct mig_conn *c)
{
	return c->initiator ? c->ni : c->na;
}

static uint32_t remote_iss(const struct mig_conn *c)
{
	return c->initiator ? c->na : c->ni;
}

/* the kernel's snd_una and rcv_nxt from tcp_info: an initiator's
 * bytes_acked counts its SYN (the SYN/ACK's ack went through tcp_ack), an
 * acceptor's starts after it (its socket is made with snd_una = ISN + 1);
 * bytes_received never counts the peer's SYN.  One octet too far here
 * would have our injected ACKs acknowledge data the peer never got. */
static uint32_t snd_una(const struct mig_conn *c, const struct tcp_info *ti)
{
	return local_iss(c) + (c->initiator ? 0u : 1u) + (uint32_t)ti->tcpi_bytes_acked;
}

static uint32_t rcv_nxt(const struct mig_conn *c, const struct tcp_info *ti)
{
	return remote_iss(c) + 1u + (uint32_t)ti->tcpi_bytes_received;
}

/* one TCP segment from src to dst into pkt (IPv6 + TCP): its length, 0 if
 * it cannot be built */
static size_t tcp_pkt(struct mig *m, uint8_t *pkt, size_t cap, const struct in6_addr *src,
		      const struct in6_addr *dst, struct mk_tcp *seg)
{
	size_t tl;
	if (mk_tcp_build(pkt + 40, cap - 40, &m->d->c.cp, seg, &tl).err != MK_E_OK)
		return 0;
	mk_tcp_cksum_fill(pkt + 40, tl, src, dst);
	uint32_t v = htonl(6u << 28);
	uint16_t pl = htons((uint16_t)tl);
	memcpy(pkt, &v, 4);
	memcpy(pkt + 4, &pl, 2);
	pkt[6] = IPPROTO_TCP;
	pkt[7] = 64;
	memcpy(pkt + 8, src, 16);
	memcpy(pkt + 24, dst, 16);
	return 40 + tl;
}

/* one TCP segment from src to dst, sent on the raw socket (marked: never
 * queued); dst may be a local address (injected into our kernel) */
static int send_tcp(struct mig *m, const struct in6_addr *src, const struct in6_addr *dst,
		    struct mk_tcp *seg)
{
	uint8_t pkt[MIG_PKT];
	size_t n = tcp_pkt(m, pkt, sizeof pkt, src, dst, seg);
	if (!n)
		return -1;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_addr = *dst };
	if (sendto(m->raw_fd, pkt, n, 0, (struct sockaddr *)&to, sizeof to) < 0) {
		m->cnt.send_fail++;
		return -1;
	}
	return 0;
}

/* the RSTs queued while queued packets are read go in one sendmmsg(2) at
 * the end of the read (or when MIG_RSTQ are waiting) */
static void rst_flush(struct mig *m)
{
	struct mmsghdr mv[MIG_RSTQ];
	struct iovec iov[MIG_RSTQ];
	unsigned done = 0;
	for (unsigned i = 0; i < m->rq_n; i++) {
		iov[i] = (struct iovec){ m->rq[i].pkt, m->rq[i].len };
		mv[i] = (struct mmsghdr){ .msg_hdr = { .msg_name = &m->rq[i].to,
						       .msg_namelen = sizeof m->rq[i].to,
						       .msg_iov = &iov[i], .msg_iovlen = 1 } };
	}
	while (done < m->rq_n) {
		int r = sendmmsg(m->raw_fd, mv + done, m->rq_n - done, 0);
		if (r <= 0) {
			/* this one failed: counted, the rest tried */
			m->cnt.send_fail++;
			done++;
			continue;
		}
		m->cnt.rst_tx += (unsigned)r;
		done += (unsigned)r;
	}
	m->rq_n = 0;
}

static void send_rst(struct mig *m, const struct in6_addr *src, uint16_t sport,
		     const struct in6_addr *dst, uint16_t dport, uint32_t ack)
{
	struct mk_tcp seg = { .sport = sport, .dport = dport, .seq = 0, .ack = ack,
			      .flags = MK_TCP_RST | MK_TCP_ACK };
	if (!m->in_read) {
		if (send_tcp(m, src, dst, &seg) == 0)
			m->cnt.rst_tx++;
		return;
	}
	struct mig_rst *q = &m->rq[m->rq_n];
	q->len = tcp_pkt(m, q->pkt, sizeof q->pkt, src, dst, &seg);
	if (!q->len)
		return;
	q->to = (struct sockaddr_in6){ .sin6_family = AF_INET6, .sin6_addr = *dst };
	if (++m->rq_n == MIG_RSTQ)
		rst_flush(m);
}

/* three duplicate ACKs from the peer into our own kernel: it retransmits
 * what is outstanding at once */
static void kick(struct mig *m, struct mig_conn *c)
{
	struct tcp_info ti;
	if (!m->d->c.mig.kick || diag(m, c, &ti) != 0 || ti.tcpi_unacked == 0)
		return;
	struct mk_tcp seg = {
		.sport = c->pport, .dport = c->lport,
		.seq = rcv_nxt(c, &ti),
		.ack = snd_una(c, &ti),
		.flags = MK_TCP_ACK,
		.window = (uint16_t)(ti.tcpi_snd_wnd >> ti.tcpi_snd_wscale),
	};
	for (int i = 0; i < 3; i++)
		if (send_tcp(m, &c->p0, &c->l0, &seg) == 0)
			m->cnt.kick_tx++;
}

static uint32_t tup_hash(const struct in6_addr *l, uint16_t lp, const struct in6_addr *p, uint16_t pp)
{
	uint32_t a, b;
	memcpy(&a, l->s6_addr + 12, 4);
	memcpy(&b, p->s6_addr + 12, 4);
	uint32_t h = (a * 2654435761u) ^ (b * 2246822519u) ^ ((uint32_t)lp << 16 | pp);
	return h ? h : 1;
}

static struct mig_conn *conn_find(struct mig *m, const struct in6_addr *l, uint16_t lp,
				  const struct in6_addr *p, uint16_t pp)
{
	uint32_t h = tup_hash(l, lp, p, pp);
	for (int i = 0; i < MIG_MAX; i++) {
		if (m->tup[i] != h)
			continue;
		struct mig_conn *c = &m->c[i];
		if (c->used && c->lport == lp && c->pport == pp && !memcmp(&c->l0, l, 16) &&
		    !memcmp(&c->p0, p, 16))
			return c;
	}
	return NULL;
}

static void conn_token(struct mig *m, struct mig_conn *c)
{
	mk_tcp_migrate_token(c->ni, c->na, c->k, &c->token);
	m->tok[c - m->c] = c->token;
}

static struct mig_conn *conn_new(struct mig *m, const struct in6_addr *l, uint16_t lp,
				 const struct in6_addr *p, uint16_t pp)
{
	for (int i = 0; i < MIG_MAX; i++) {
		struct mig_conn *c = &m->c[i];
		if (c->used)
			continue;
		memset(c, 0, sizeof *c);
		c->used = true;
		c->l0 = c->l = *l;
		c->p0 = c->p = *p;
		c->lport = lp;
		c->pport = pp;
		c->born = now_ns();
		m->tup[i] = tup_hash(l, lp, p, pp);
		m->tok[i] = 0;
		return c;
	}
	m->cnt.full++;
	return NULL;
}

static bool addr_on_lo_needed(struct mig *m, const struct in6_addr *a, const struct mig_conn *skip)
{
	for (int i = 0; i < MIG_MAX; i++) {
		const struct mig_conn *c = &m->c[i];
		if (c->used && c != skip && !memcmp(&c->l0, a, 16) && memcmp(&c->l, &c->l0, 16))
			return true;
	}
	return false;
}

static void conn_free(struct mig *m, struct mig_conn *c)
{
	if (c->state == MS_MIGRATING)
		lin_early(m, c, false);
	rewrite(m, c, false);
	prev_rewrite(m, c, false);
	nft_flush(m);
	if (memcmp(&c->l, &c->l0, 16) && !addr_on_lo_needed(m, &c->l0, c))
		nl_addr(false, m->lo_index, &c->l0, 128, true);
	mig_key_free(&c->key);
	c->used = false;
	m->tup[c - m->c] = 0;
	m->tok[c - m->c] = 0;
}

/* K and the token, once both ISNs (and keys) are known */
static void conn_keyed(struct mig *m, struct mig_conn *c, const uint8_t peer[MIG_KEYLEN])
{
	memset(c->k, 0, sizeof c->k);
	if (c->curve != MIG_CURVE_NONE && mig_derive(&c->key, peer, c->k) != 0) {
		m->cnt.key_fail++;
		c->negotiated = false;
	}
	mig_key_free(&c->key);
	conn_token(m, c);
	if (c->negotiated)
		m->cnt.negotiated++;
	else
		m->cnt.not_negotiated++;
}

/* rebuild the segment at pkt (IPv6 + TCP) with the options o[n] into out;
 * its length, 0 if it cannot be built */
static size_t rebuild(struct mig *m, const uint8_t *pkt, struct mk_tcp *seg, const struct mk_tcpopt *o,
		      int n, uint8_t *out, size_t cap)
{
	struct in6_addr s, dd;
	size_t tl;
	memcpy(&s, pkt + 8, 16);
	memcpy(&dd, pkt + 24, 16);
	seg->opts.n = (size_t)n;
	memcpy(seg->opts.o, o, (size_t)n * sizeof o[0]);
	seg->layout = MK_TCPOPT_AUTO;
	seg->raw_opt = NULL;
	seg->raw_optlen = 0;
	if (n == 0) {
		/* no option at all: raw_opt empty */
		seg->raw_opt = (const uint8_t *)"";
	}
	if (mk_tcp_build(out + 40, cap - 40, &m->d->c.cp, seg, &tl).err != MK_E_OK)
		return 0;
	mk_tcp_cksum_fill(out + 40, tl, &s, &dd);
	memcpy(out, pkt, 40);
	uint16_t pl = htons((uint16_t)tl);
	memcpy(out + 4, &pl, 2);
	m->cnt.nfq_modified++;
	return 40 + tl;
}

/* draft 3.4: SYN/ACK with seq = our last acknowledged byte, ack = the
 * ack of the last data */
static void migsynack_send(struct mig *m, struct mig_conn *c)
{
	struct tcp_info ti;
	if (diag(m, c, &ti) != 0) {
		m->cnt.diag_fail++;
		return;
	}
	struct mk_tcp sa = {
		.sport = c->lport, .dport = c->pport,
		.seq = snd_una(c, &ti),
		.ack = rcv_nxt(c, &ti),
		.flags = MK_TCP_SYN | MK_TCP_ACK, .window = 65535,
	};
	if (send_tcp(m, &c->l, &c->p, &sa) == 0)
		m->cnt.migsynack_tx++;
}

static void migsyn_in(struct mig *m, const struct in6_addr *src, const struct in6_addr *dst,
		      const struct mk_tcp *seg)
{
	char b[INET6_ADDRSTRLEN];
	const struct mk_tcpopt *mo = NULL;
	struct mig_conn *c = NULL;
	m->cnt.migsyn_rx++;
	for (size_t i = 0; i < seg->opts.n; i++)
		if (seg->opts.o[i].type == MK_TCPOPT_MIGRATE)
			mo = &seg->opts.o[i];
	for (int i = 0; mo && i < MIG_MAX; i++)
		if (m->tok[i] == mo->u.migrate.token && m->c[i].used && m->c[i].token == mo->u.migrate.token &&
		    m->c[i].lport == seg->dport && !memcmp(&m->c[i].l, dst, 16)) {
			c = &m->c[i];
			break;
		}
	struct mig_judged j = { 0 };
	if (c) {
		j.negotiated = c->negotiated;
		j.established = c->state == MS_EST || c->state == MS_MIGRATING || c->state == MS_WAIT;
		j.ni = c->ni;
		j.na = c->na;
		memcpy(j.k, c->k, sizeof j.k);
		j.reqno = c->reqno;
	}
	enum mig_refuse r = mig_judge(c ? &j : NULL, seg);
	log_peer(src);
	if (r == MIG_R_OLD_REQNO &&
	    mig_is_dup(&j, seg, c->migrations > 0, !memcmp(&c->p, src, 16) && c->pport == seg->sport)) {
		/* our SYN/ACK was lost: the same migrate SYN again, from where the
		 * connection now is (src as on the wire: pure SYNs are not
		 * rewritten) */
		m->cnt.migsyn_dup++;
		migsynack_send(m, c);
		log_peer(NULL);
		return;
	}
	if (r != MIG_OK) {
		m->cnt.refused[r]++;
		if (log_verbose())
			log_debug("migrate SYN from %s port %u refused: %s", a6(src, b), seg->sport,
				  mig_refuse_name(r));
		send_rst(m, dst, seg->dport, src, seg->sport, seg->seq + 1);
		log_peer(NULL);
		return;
	}
	bool both = c->state == MS_MIGRATING;
	struct tcp_info ti;
	if (diag(m, c, &ti) != 0) {
		m->cnt.diag_fail++;
		send_rst(m, dst, seg->dport, src, seg->sport, seg->seq + 1);
		log_peer(NULL);
		return;
	}
	rewrite(m, c, false);
	if (both)
		lin_early(m, c, false);
	prev_rewrite(m, c, false);
	struct in6_addr was = c->p;
	c->p = *src;
	c->reqno = mo->u.migrate.reqno;
	if (c->state == MS_WAIT)
		c->state = MS_EST;
	rewrite(m, c, true);
	if (memcmp(&was, &c->p, 16)) {
		c->prev_p = was;
		c->prev_l = c->l;
		c->has_prev = true;
		prev_rewrite(m, c, true);
	}
	if (both) {
		/* outside the draft and the paper: both ends moved, and the peer's
		 * migrate SYN reached us at our old address (kept on lo) while
		 * ours, sent to the peer's old one, went unanswered.  The peer's
		 * is accepted (its SYN/ACK goes from our old address, where the
		 * peer still sees us); ours is sent again at once, to where the
		 * peer now is, with a ReqNo newer than the one just accepted */
		m->cnt.both_moving++;
		log_warnx("both ends of port %u <-> %u are moving at once: the peer's migration to %s is "
			  "accepted, ours is retried to it",
			  c->lport, c->pport, a6(src, b));
		c->mig_reqno = mk_tcp_reqno_next(c->reqno);
		c->tries = 0;
		c->mig_due = now_ns();
		lin_early(m, c, true);
	}
	nft_flush(m);
	migsynack_send(m, c);
	c->migrations++;
	m->cnt.migrated_in++;
	log_info("connection port %u <-> %u migrated: peer now at %s (ReqNo %u, migration %u)",
		 c->lport, c->pport, a6(src, b), c->reqno, c->migrations);
	kick(m, c);
	log_peer(NULL);
}

/* our migrate SYN's answer: the rewrite made, the kernel kicked */
static void migsynack_in(struct mig *m, struct mig_conn *c)
{
	char b[INET6_ADDRSTRLEN];
	m->cnt.migsynack_rx++;
	rewrite(m, c, false);
	c->l = c->mig_to;
	if (memcmp(&c->l, &c->l0, 16))
		rewrite(m, c, true);
	nft_flush(m);
	c->reqno = c->mig_reqno;
	c->state = MS_EST;
	c->migrations++;
	c->last_ms_x1000 = (now_ns() - c->mig_t0) / 1000;
	m->cnt.migrated_out++;
	log_info("connection port %u <-> %u migrated to %s (ReqNo %u, migration %u, %.1f ms)", c->lport,
		 c->pport, a6(&c->l, b), c->reqno, c->migrations, (double)c->last_ms_x1000 / 1000.0);
	kick(m, c);
}

/* one queued packet: the verdict, and *olen > 0 when out holds a new one */
static int on_packet(struct mig *m, unsigned hook, const uint8_t *pkt, size_t len, uint8_t *out,
		     size_t cap, size_t *olen)
{
	struct mk_tcp seg;
	struct mk_tcpopt o[MK_TCPOPT_MAX];
	struct in6_addr src, dst;
	*olen = 0;
	m->cnt.nfq_pkts++;
	if (len < 60 || (pkt[0] >> 4) != 6 || pkt[6] != IPPROTO_TCP)
		return NF_ACCEPT;
	memcpy(&src, pkt + 8, 16);
	memcpy(&dst, pkt + 24, 16);
	if (mk_tcp_parse(pkt + 40, len - 40, &m->d->c.cp, &seg).err != MK_E_OK)
		return NF_ACCEPT;
	bool out_dir = hook == NF_INET_LOCAL_OUT;
	const struct in6_addr *l = out_dir ? &src : &dst, *p = out_dir ? &dst : &src;
	uint16_t lp = out_dir ? seg.sport : seg.dport, pp = out_dir ? seg.dport : seg.sport;
	uint16_t f = seg.flags & (MK_TCP_SYN | MK_TCP_ACK | MK_TCP_RST | MK_TCP_FIN);
	int n;
	if (f == MK_TCP_SYN && !out_dir) {
		/* a migrate SYN is judged by its token, before any 4-tuple lookup */
		for (size_t i = 0; i < seg.opts.n; i++)
			if (seg.opts.o[i].type == MK_TCPOPT_MIGRATE) {
				migsyn_in(m, &src, &dst, &seg);
				return NF_DROP;
			}
	}
	struct mig_conn *c = conn_find(m, l, lp, p, pp);

	if (!out_dir && (f & MK_TCP_RST) && c && c->state == MS_MIGRATING &&
	    seg.ack == c->mig_seq + 1) {
		/* the peer refused our migrate SYN (it came to the new address,
		 * which the early rewrite turned into the kernel's): never the
		 * kernel's; the next try goes with a newer ReqNo */
		m->cnt.migsyn_refused++;
		log_warnx("port %u <-> %u: the peer refused migrate SYN ReqNo %u", c->lport, c->pport,
			  c->mig_reqno);
		c->reqno = c->mig_reqno;
		c->mig_reqno = mk_tcp_reqno_next(c->reqno);
		return NF_DROP;
	}
	if (!out_dir && (f & MK_TCP_RST)) {
		if (!c || !c->negotiated || (c->state != MS_EST && c->state != MS_WAIT &&
					     c->state != MS_MIGRATING))
			return NF_ACCEPT;
		if (c->state == MS_WAIT && now_ns() >= c->wait_until) {
			m->cnt.rst_passed++;
			return NF_ACCEPT;
		}
		if (c->state != MS_WAIT) {
			c->state = MS_WAIT;
			c->wait_until = now_ns() + (uint64_t)m->d->c.mig.wait_ms * 1000000u;
			log_info("RST (seq %u ack %u) on migratable port %u <-> %u: MIGRATE-WAIT for %u ms",
				 seg.seq, seg.ack, c->lport, c->pport, m->d->c.mig.wait_ms);
		}
		m->cnt.rst_wait++;
		return NF_DROP;
	}
	if (f == MK_TCP_SYN && out_dir) {
		/* our kernel opens a connection */
		m->cnt.syn_out++;
		if (c && c->state != MS_SYN_SENT)
			conn_free(m, c), c = NULL;
		if (!c && !(c = conn_new(m, l, lp, p, pp)))
			return NF_ACCEPT;
		c->initiator = true;
		c->state = MS_SYN_SENT;
		c->ni = seg.seq;
		c->curve = (uint8_t)m->d->c.mig.curve;
		if (c->curve != MIG_CURVE_NONE && !c->key.pkey && mig_key_new(c->curve, &c->key) != 0) {
			m->cnt.key_fail++;
			c->curve = MIG_CURVE_NONE;
		}
		unsigned dropped;
		n = mig_opts_add(&m->d->c.cp, &seg.opts, c->curve, c->key.pub, o, &c->ts_saved, &dropped);
		if (n < 0 && c->curve != MIG_CURVE_NONE) {
			/* no Timestamps option to carry the key: insecure */
			c->curve = MIG_CURVE_NONE;
			n = mig_opts_add(&m->d->c.cp, &seg.opts, c->curve, c->key.pub, o, &c->ts_saved,
					 &dropped);
		}
		if (n < 0) {
			m->cnt.opt_nofit++;
			return NF_ACCEPT;
		}
		m->cnt.sackp_dropped += (dropped >> MK_TCPOPT_SACKP) & 1;
		m->cnt.ws_dropped += (dropped >> MK_TCPOPT_WS) & 1;
		*olen = rebuild(m, pkt, &seg, o, n, out, cap);
		return NF_ACCEPT;
	}
	if (f == MK_TCP_SYN && !out_dir) {
		/* the peer opens one */
		uint8_t peer[MIG_KEYLEN] = { 0 };
		int curve;
		m->cnt.syn_in++;
		n = mig_opts_take(&seg.opts, 0, o, &curve, peer);
		if (c)
			conn_free(m, c);
		if (!(c = conn_new(m, l, lp, p, pp)))
			return NF_ACCEPT;
		c->state = MS_SYN_RCVD;
		c->ni = seg.seq;
		c->negotiated = curve == MIG_CURVE_NONE || curve == MIG_CURVE_SECT193R1;
		c->curve = c->negotiated ? (uint8_t)curve : 0;
		if (curve >= 0 && !c->negotiated) {
			/* draft 3.1: the same Len and Curve ID or RST */
			m->cnt.curve_mismatch++;
			send_rst(m, &dst, seg.dport, &src, seg.sport, seg.seq + 1);
			conn_free(m, c);
			return NF_DROP;
		}
		if (c->negotiated && c->curve != MIG_CURVE_NONE) {
			if (mig_key_new(c->curve, &c->key) != 0) {
				m->cnt.key_fail++;
				c->negotiated = false;
			} else if (mig_derive(&c->key, peer, c->k) != 0) {
				m->cnt.key_fail++;
				c->negotiated = false;
			}
		}
		if (curve < 0)
			return NF_ACCEPT; /* nothing to take out */
		*olen = rebuild(m, pkt, &seg, o, n, out, cap);
		return NF_ACCEPT;
	}
	if (f == (MK_TCP_SYN | MK_TCP_ACK) && out_dir) {
		m->cnt.synack_out++;
		if (!c || c->state != MS_SYN_RCVD)
			return NF_ACCEPT;
		c->na = seg.seq;
		if (!c->negotiated) {
			/* not queued again: established from here on (a migrate SYN
			 * naming it is refused as not negotiated) */
			c->state = MS_EST;
			conn_keyed(m, c, NULL);
			return NF_ACCEPT;
		}
		unsigned dropped;
		n = mig_opts_add(&m->d->c.cp, &seg.opts, c->curve, c->key.pub, o, &c->ts_saved, &dropped);
		/* K was derived at the SYN: only the token is left */
		mig_key_free(&c->key);
		conn_token(m, c);
		if (n < 0) {
			m->cnt.opt_nofit++;
			c->negotiated = false;
			m->cnt.not_negotiated++;
			return NF_ACCEPT;
		}
		m->cnt.negotiated++;
		c->ts_map = c->curve != MIG_CURVE_NONE;
		/* the insecure variant's first ACK is not queued (its TSecr is the
		 * kernel's own): established at the SYN/ACK */
		if (!c->ts_map)
			c->state = MS_EST;
		m->cnt.sackp_dropped += (dropped >> MK_TCPOPT_SACKP) & 1;
		m->cnt.ws_dropped += (dropped >> MK_TCPOPT_WS) & 1;
		*olen = rebuild(m, pkt, &seg, o, n, out, cap);
		return NF_ACCEPT;
	}
	if (f == (MK_TCP_SYN | MK_TCP_ACK) && !out_dir) {
		m->cnt.synack_in++;
		/* the answer to our migrate SYN comes to the new address, which
		 * the incoming rewrite (made when the SYN went) has already turned
		 * into the kernel's own */
		/* (and when the peer has moved too, its address on the wire has
		 * become the kernel's as well: pin) */
		for (int i = 0; i < MIG_MAX; i++) {
			struct mig_conn *x = &m->c[i];
			if (!x->used || x->lport != lp || x->pport != pp ||
			    (memcmp(&x->p, p, 16) && memcmp(&x->p0, p, 16)) ||
			    (memcmp(&x->mig_to, l, 16) && memcmp(&x->l0, l, 16)))
				continue;
			if (x->state == MS_MIGRATING) {
				migsynack_in(m, x);
				return NF_DROP;
			}
			if (x->migrations && x->state != MS_SYN_SENT)
				return NF_DROP; /* a duplicate answer: the kernel never sees one */
		}
		if (!c || c->state != MS_SYN_SENT)
			return NF_ACCEPT;
		uint8_t peer[MIG_KEYLEN] = { 0 };
		int curve;
		bool ts_touched = c->curve != MIG_CURVE_NONE;
		n = mig_opts_take(&seg.opts, c->ts_saved, o, &curve, peer);
		c->na = seg.seq;
		c->state = MS_EST;
		if (curve < 0 && curve != -2) {
			c->peer_without = true;
			c->negotiated = false;
			m->cnt.peer_without++;
			log_info("port %u <-> %u: the peer did not echo Migrate-Permitted: not migratable",
				 c->lport, c->pport);
		} else if (curve != c->curve) {
			m->cnt.curve_mismatch++;
			c->negotiated = false;
		} else {
			c->negotiated = true;
		}
		conn_keyed(m, c, peer);
		if (ts_touched && curve < 0) {
			/* a peer without the shim echoed our key octets in TSecr */
			for (int i = 0; i < n; i++)
				if (o[i].type == MK_TCPOPT_TS) {
					o[i].u.ts.ecr = c->ts_saved;
				}
		}
		*olen = rebuild(m, pkt, &seg, o, n, out, cap);
		return NF_ACCEPT;
	}
	if (f == MK_TCP_ACK && !out_dir && c && c->ts_map) {
		/* the first ACK of a secure handshake echoes the 0 we gave its
		 * kernel: our kernel's own SYN/ACK TSval back */
		for (size_t i = 0; i < seg.opts.n; i++)
			if (seg.opts.o[i].type == MK_TCPOPT_TS && seg.opts.o[i].u.ts.ecr == 0) {
				memcpy(o, seg.opts.o, seg.opts.n * sizeof o[0]);
				o[i].u.ts.ecr = c->ts_saved;
				c->ts_map = false;
				if (c->state == MS_SYN_RCVD)
					c->state = MS_EST;
				m->cnt.first_ack_mapped++;
				*olen = rebuild(m, pkt, &seg, o, (int)seg.opts.n, out, cap);
				return NF_ACCEPT;
			}
	}
	if (f == MK_TCP_ACK && !out_dir && c && c->state == MS_SYN_RCVD)
		c->state = MS_EST;
	return NF_ACCEPT;
}

/* verdicts in batches: a run of packets with the same verdict and no new
 * payload (the forged migrate SYNs of a flood: all NF_DROP) gets one
 * verdict message for the run's last id (NFQNL_MSG_VERDICT_BATCH covers
 * every earlier id still queued, and every earlier one we read has had
 * its verdict); a packet with a new payload, a change of verdict and the
 * end of a read send the run's.  Never fail-open: a packet the queue
 * cannot hold is dropped by the kernel (nfq_queue_dropped), not passed. */
static int verdict_flush(struct mig *m)
{
	int r = 0;
	if (m->vb_n)
		r = nfq_set_verdict_batch(m->qh, m->vb_id, m->vb_v);
	m->vb_n = 0;
	return r;
}

static int nfq_cb(struct nfq_q_handle *qh, struct nfgenmsg *msg, struct nfq_data *nfa, void *data)
{
	struct mig *m = data;
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	unsigned char *pkt;
	static uint8_t out[MOBD_PKT_MAX];
	size_t olen = 0;
	int r = 0;
	(void)msg;
	if (!ph)
		return 0;
	uint32_t id = ntohl(ph->packet_id);
	int len = nfq_get_payload(nfa, &pkt);
	/* nfq_ns: the time spent on queued packets here, verdict included:
	 * the shim's cost per handshake packet is nfq_ns / nfq_pkts */
	uint64_t t0 = now_ns();
	int v = len > 0 ? on_packet(m, ph->hook, pkt, (size_t)len, out, sizeof out, &olen) : NF_ACCEPT;
	if (m->vb_n && (olen || v != m->vb_v))
		r = verdict_flush(m);
	if (olen) {
		r |= nfq_set_verdict(qh, id, (uint32_t)v, (uint32_t)olen, out);
	} else {
		m->vb_id = id;
		m->vb_v = v;
		m->vb_n++;
	}
	m->cnt.nfq_ns += now_ns() - t0;
	return r;
}

/* up to 256 queued packets a read.  (recvmmsg(2) of 16 at a time instead
 * of one recv each: 0.57 and 0.51 refused / offered against 0.58 and 0.63
 * with recv, the same bench: no gain, not kept) */
static void nfq_read(void *arg, uint32_t ev)
{
	struct mig *m = arg;
	char buf[65536] __attribute__((aligned));
	ssize_t r;
	(void)ev;
	m->in_read = true;
	for (int i = 0; i < 256 && (r = recv(m->nfq_fd, buf, sizeof buf, MSG_DONTWAIT)) > 0; i++)
		nfq_handle_packet(m->nfq, buf, (int)r);
	uint64_t t0 = now_ns();
	verdict_flush(m);
	rst_flush(m);
	m->in_read = false;
	m->cnt.nfq_ns += now_ns() - t0;
}

/* ---- moves ---- */

static void migsyn_send(struct mig *m, struct mig_conn *c)
{
	struct tcp_info ti;
	if (diag(m, c, &ti) != 0) {
		m->cnt.diag_fail++;
		return;
	}
	uint8_t reqno = c->mig_reqno;
	uint64_t req;
	c->mig_seq = snd_una(c, &ti);
	mk_tcp_migrate_request(c->ni, c->na, c->k, c->mig_seq, reqno, &req);
	struct mk_tcp seg = { .sport = c->lport, .dport = c->pport, .seq = c->mig_seq,
			      .flags = MK_TCP_SYN, .window = 65535, .layout = MK_TCPOPT_ALIGNED };
	seg.opts.n = 1;
	seg.opts.o[0].type = MK_TCPOPT_MIGRATE;
	seg.opts.o[0].u.migrate.reqno = reqno;
	seg.opts.o[0].u.migrate.token = c->token;
	seg.opts.o[0].u.migrate.request = req;
	if (send_tcp(m, &c->mig_to, &c->p, &seg) == 0)
		m->cnt.migsyn_tx++;
}

/* the interface's addresses changed: every connection whose address is
 * gone moves to a new one */
static void addrs_changed(struct mig *m)
{
	struct in6_addr as[32];
	char b[INET6_ADDRSTRLEN];
	int n = nl_addrs(m->d->io.ifindex, as, 32);
	bool moved = false;
	if (n <= 0)
		return;
	for (int i = 0; i < MIG_MAX; i++) {
		struct mig_conn *c = &m->c[i];
		/* MIGRATE-WAIT is there to wait for a migration: it moves too */
		if (!c->used || (c->state != MS_EST && c->state != MS_MIGRATING && c->state != MS_WAIT))
			continue;
		const struct in6_addr *cur = c->state == MS_MIGRATING ? &c->mig_to : &c->l;
		bool here = false;
		for (int k = 0; k < n; k++)
			here = here || !memcmp(&as[k], cur, 16);
		if (here)
			continue;
		if (!c->negotiated) {
			m->cnt.impossible++;
			if (!c->impossible_said)
				log_warnx("port %u <-> %u: address %s gone, and migration is impossible (%s)",
					  c->lport, c->pport, a6(cur, b),
					  c->peer_without ? "the peer has no Migrate"
					  : c->before	  ? "opened before the shim started"
							  : "not negotiated");
			c->impossible_said = true;
			continue;
		}
		/* the kernel's address stays ours, on lo, for the rewritten packets */
		nl_addr(true, m->lo_index, &c->l0, 128, true);
		if (c->state == MS_MIGRATING) {
			/* a move before the answer to the last migrate SYN: the peer
			 * may have accepted it, so its ReqNo is spent (draft: a new
			 * request, a new ReqNo) */
			lin_early(m, c, false);
			c->reqno = c->mig_reqno;
		}
		c->mig_reqno = mk_tcp_reqno_next(c->reqno);
		c->mig_to = as[0];
		/* what the peer sends to the new address reaches the kernel from
		 * now on: the peer may switch (and resend) before its SYN/ACK
		 * reaches us */
		lin_early(m, c, true);
		nft_flush(m);
		c->state = MS_MIGRATING;
		c->tries = 0;
		c->mig_t0 = now_ns() / 1000;
		c->mig_t0 *= 1000;
		c->mig_due = now_ns();
		migsyn_send(m, c);
		c->tries = 1;
		c->mig_due = now_ns() + 200000000ull;
		moved = true;
	}
	if (moved)
		mobd_coa_changed(m->d, &as[0], &as[0], false);
}

static void mon_read(void *arg, uint32_t ev)
{
	struct mig *m = arg;
	(void)ev;
	if (nl_monitor_read(m->mon_fd, m->d->io.ifindex))
		addrs_changed(m);
}

static void tick_cb(void *arg)
{
	struct mig *m = arg;
	uint64_t now = now_ns();
	for (int i = 0; i < MIG_MAX; i++) {
		struct mig_conn *c = &m->c[i];
		if (!c->used)
			continue;
		if (c->state == MS_MIGRATING && now >= c->mig_due) {
			if (c->tries >= MIG_TRIES) {
				m->cnt.give_up++;
				lin_early(m, c, false);
				nft_flush(m);
				log_warnx("port %u <-> %u: no answer to %u migrate SYNs", c->lport, c->pport,
					  c->tries);
				c->state = MS_EST;
				continue;
			}
			migsyn_send(m, c);
			c->mig_due = now + (200000000ull << c->tries);
			c->tries++;
		}
	}
	if (now - m->last_gc >= 1000000000ull) {
		/* connections the kernel has closed */
		m->last_gc = now;
		for (int i = 0; i < MIG_MAX; i++) {
			struct mig_conn *c = &m->c[i];
			struct tcp_info ti;
			if (c->used && now - c->born > 5000000000ull && diag(m, c, &ti) == -1) {
				m->cnt.gone++;
				conn_free(m, c);
			}
		}
	}
	ev_timer_arm(&m->tick, MIG_TICK_MS);
}

/* ---- connections older than the shim ---- */

struct learn {
	struct mig *m;
	struct in6_addr as[32];
	int n;
	unsigned learned;
};

static int learn_cb(const struct nlmsghdr *h, void *data)
{
	struct learn *x = data;
	const struct inet_diag_msg *dm = mnl_nlmsg_get_payload(h);
	struct in6_addr l, p;
	bool ours = false;
	if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY || dm->idiag_family != AF_INET6)
		return MNL_CB_OK;
	memcpy(&l, dm->id.idiag_src, 16);
	memcpy(&p, dm->id.idiag_dst, 16);
	for (int k = 0; k < x->n; k++)
		ours = ours || !memcmp(&x->as[k], &l, 16);
	uint16_t lp = ntohs(dm->id.idiag_sport), pp = ntohs(dm->id.idiag_dport);
	if (!ours || conn_find(x->m, &l, lp, &p, pp))
		return MNL_CB_OK;
	struct mig_conn *c = conn_new(x->m, &l, lp, &p, pp);
	if (!c)
		return MNL_CB_OK;
	c->state = MS_EST;
	c->before = true;
	x->learned++;
	return MNL_CB_OK;
}

/* The kernel's established TCP connections on the interface's addresses
 * when the shim starts: their handshake went without Migrate-Permitted,
 * so they can never migrate; learned from sock_diag (one dump) so that
 * mobctl migrate lists them and a move says that migration is impossible
 * for them, instead of not knowing them.  (A handshake under way at start
 * is not learned: its SYN went before the queue rule.) */
static void learn_existing(struct mig *m)
{
	struct learn x = { .m = m };
	char buf[16384] __attribute__((aligned));
	x.n = nl_addrs(m->d->io.ifindex, x.as, 32);
	if (x.n <= 0)
		return;
	struct nlmsghdr *h = mnl_nlmsg_put_header(buf);
	h->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	h->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	h->nlmsg_seq = 0x6c65726e; /* "lern" */
	struct inet_diag_req_v2 *r = mnl_nlmsg_put_extra_header(h, sizeof *r);
	r->sdiag_family = AF_INET6;
	r->sdiag_protocol = IPPROTO_TCP;
	r->idiag_states = 1u << 1; /* TCP_ESTABLISHED */
	if (send(m->diag_fd, h, h->nlmsg_len, 0) < 0) {
		m->cnt.diag_fail++;
		return;
	}
	ssize_t n;
	while ((n = recv(m->diag_fd, buf, sizeof buf, 0)) > 0)
		if (mnl_cb_run(buf, (size_t)n, 0x6c65726e, 0, learn_cb, &x) <= MNL_CB_STOP)
			break;
	m->cnt.before_start = x.learned;
	if (x.learned)
		log_info("%u TCP connections older than the shim: not migratable (no Migrate-Permitted "
			 "in their handshake)",
			 x.learned);
}

/* ---- start, stop, show ---- */

static int mig_start(struct mobd *d, char *err, size_t errlen)
{
	struct mig *m = &mig_state;
	int one = 1;
	memset(m, 0, sizeof *m);
	m->d = d;
	m->nfq_fd = m->raw_fd = m->mon_fd = m->diag_fd = -1;
	d->rs[MOBD_R_MIG] = m;
	snprintf(m->table, sizeof m->table, "mobdmig_%d", (int)getpid());
	m->lo_index = (int)if_nametoindex("lo");
	m->raw_fd = socket(AF_INET6, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	unsigned mark = MIG_MARK;
	if (m->raw_fd < 0 || setsockopt(m->raw_fd, SOL_SOCKET, SO_MARK, &mark, sizeof mark) != 0) {
		snprintf(err, errlen, "migrate: raw socket: %s", strerror(errno));
		return -1;
	}
	m->diag_fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	struct timeval tv = { 0, 200000 };
	if (m->diag_fd < 0 || setsockopt(m->diag_fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
		snprintf(err, errlen, "migrate: sock_diag: %s", strerror(errno));
		return -1;
	}
	m->nfq = nfq_open();
	if (!m->nfq) {
		snprintf(err, errlen, "migrate: NFQUEUE: %s", strerror(errno));
		return -1;
	}
	m->qh = nfq_create_queue(m->nfq, (uint16_t)d->c.mig.queue, nfq_cb, m);
	/* 4096 queued packets (the kernel's default is 1024): a burst of
	 * forged migrate SYNs beyond it is dropped by the kernel, never
	 * accepted (no fail-open: the kernel would answer them itself) */
	if (!m->qh || nfq_set_mode(m->qh, NFQNL_COPY_PACKET, 0xffff) < 0 ||
	    nfq_set_queue_maxlen(m->qh, 4096) < 0) {
		snprintf(err, errlen, "migrate: NFQUEUE %u: %s", d->c.mig.queue, strerror(errno));
		return -1;
	}
	m->nfq_fd = nfq_fd(m->nfq);
	setsockopt(m->nfq_fd, SOL_NETLINK, NETLINK_NO_ENOBUFS, &one, sizeof one);
	/* the netlink socket's receive buffer: 8 MiB (SO_RCVBUFFORCE, root;
	 * else as much as rmem_max allows) */
	int rb = MIG_NFQ_RCVBUF;
	if (setsockopt(m->nfq_fd, SOL_SOCKET, SO_RCVBUFFORCE, &rb, sizeof rb) != 0)
		setsockopt(m->nfq_fd, SOL_SOCKET, SO_RCVBUF, &rb, sizeof rb);
	m->nft = nft_ctx_new(NFT_CTX_DEFAULT);
	if (!m->nft) {
		snprintf(err, errlen, "migrate: nftables: cannot create a context");
		return -1;
	}
	nft_ctx_buffer_error(m->nft);
	nft_ctx_buffer_output(m->nft);
	if (nft_setup(m, err, errlen) != 0)
		return -1;
	m->mon_fd = nl_monitor_open();
	if (m->mon_fd < 0) {
		snprintf(err, errlen, "migrate: netlink monitor: %s", strerror(-m->mon_fd));
		return -1;
	}
	learn_existing(m);
	ev_add(m->nfq_fd, nfq_read, m);
	ev_add(m->mon_fd, mon_read, m);
	m->tick.cb = tick_cb;
	m->tick.arg = m;
	ev_timer_arm(&m->tick, MIG_TICK_MS);
	return 0;
}

static void mig_stop(struct mobd *d)
{
	struct mig *m = MIG(d);
	char cmd[96], err[256];
	if (!m)
		return;
	ev_timer_stop(&m->tick);
	for (int i = 0; i < MIG_MAX; i++)
		if (m->c[i].used)
			conn_free(m, &m->c[i]);
	if (m->ipt_in)
		ipt(false, "INPUT", d->c.mig.queue);
	if (m->ipt_out)
		ipt(false, "OUTPUT", d->c.mig.queue);
	m->ipt_in = m->ipt_out = false;
	if (m->nft_on) {
		snprintf(cmd, sizeof cmd, "delete table ip6 %s\n", m->table);
		if (nft_run(cmd, err, sizeof err) != 0)
			log_warnx("%s", err);
		m->nft_on = false;
	}
	if (m->nft)
		nft_ctx_free(m->nft);
	m->nft = NULL;
	if (m->nfq_fd >= 0)
		ev_del(m->nfq_fd);
	if (m->qh)
		nfq_destroy_queue(m->qh);
	if (m->nfq)
		nfq_close(m->nfq);
	m->qh = NULL;
	m->nfq = NULL;
	m->nfq_fd = -1;
	if (m->mon_fd >= 0) {
		ev_del(m->mon_fd);
		close(m->mon_fd);
	}
	if (m->raw_fd >= 0)
		close(m->raw_fd);
	if (m->diag_fd >= 0)
		close(m->diag_fd);
	m->mon_fd = m->raw_fd = m->diag_fd = -1;
	d->rs[MOBD_R_MIG] = NULL;
}

static void show_conns(struct mig *m, bool json, FILE *f)
{
	char b1[INET6_ADDRSTRLEN], b2[INET6_ADDRSTRLEN], b3[INET6_ADDRSTRLEN], b4[INET6_ADDRSTRLEN];
	bool first = true;
	if (json)
		fputs("[", f);
	for (int i = 0; i < MIG_MAX; i++) {
		const struct mig_conn *c = &m->c[i];
		if (!c->used)
			continue;
		if (json)
			fprintf(f,
				"%s{\"local\":\"%s\",\"lport\":%u,\"peer\":\"%s\",\"pport\":%u,"
				"\"local_now\":\"%s\",\"peer_now\":\"%s\",\"initiator\":%s,"
				"\"negotiated\":%s,\"peer_without_shim\":%s,\"curve\":%u,"
				"\"token\":\"%016llx\",\"reqno\":%u,\"state\":\"%s\",\"migrations\":%u,"
				"\"last_migration_ms\":%.3f,\"migratable\":%s,\"before_shim\":%s}",
				first ? "" : ",", a6(&c->l0, b1), c->lport, a6(&c->p0, b2), c->pport,
				a6(&c->l, b3), a6(&c->p, b4), c->initiator ? "true" : "false",
				c->negotiated ? "true" : "false", c->peer_without ? "true" : "false", c->curve,
				(unsigned long long)c->token, c->reqno, state_name[c->state], c->migrations,
				(double)c->last_ms_x1000 / 1000.0, c->negotiated ? "true" : "false",
				c->before ? "true" : "false");
		else
			fprintf(f,
				"[%s]:%u <-> [%s]:%u now [%s] <-> [%s] %s curve %u token %016llx reqno %u "
				"%s migrations %u%s\n",
				a6(&c->l0, b1), c->lport, a6(&c->p0, b2), c->pport, a6(&c->l, b3),
				a6(&c->p, b4), c->negotiated ? "negotiated" : "not-negotiated", c->curve,
				(unsigned long long)c->token, c->reqno, state_name[c->state], c->migrations,
				c->negotiated	  ? ""
				: c->peer_without ? " (peer without Migrate: migration impossible)"
				: c->before	  ? " (opened before the shim started: migration impossible)"
						  : " (migration impossible)");
		first = false;
	}
	if (json)
		fputs("]\n", f);
}

/* the kernel's counters of our queue (this namespace's): a packet it
 * dropped never reached the shim, so it is counted here, not by us.
 * Line: queue portid waiting copy_mode copy_range queue_dropped
 * user_dropped id_sequence 1 */
static void nfq_drops(struct mig *m)
{
	FILE *f = fopen("/proc/net/netfilter/nfnetlink_queue", "r");
	unsigned q, portid, waiting, mode, range;
	unsigned long long qd, ud, idseq;
	if (!f)
		return;
	while (fscanf(f, "%u %u %u %u %u %llu %llu %llu %*u", &q, &portid, &waiting, &mode, &range, &qd,
		      &ud, &idseq) == 8)
		if (q == m->d->c.mig.queue) {
			m->cnt.nfq_queue_dropped = qd;
			m->cnt.nfq_user_dropped = ud;
			m->cnt.nfq_dropped = qd + ud;
		}
	fclose(f);
}

static void mig_show(struct mobd *d, const char *what, bool json, FILE *f)
{
	struct mig *m = MIG(d);
	if (!strcmp(what, "migrate")) {
		show_conns(m, json, f);
		return;
	}
	if (strcmp(what, "counters") && strcmp(what, "status")) {
		fputs(json ? "[]\n" : "", f);
		return;
	}
	unsigned n = 0;
	for (int i = 0; i < MIG_MAX; i++)
		n += m->c[i].used;
	nfq_drops(m);
#define C(name) { #name, &m->cnt.name }
	const struct { const char *n; const uint64_t *v; } cs[] = {
		C(syn_out), C(synack_out), C(syn_in), C(synack_in), C(first_ack_mapped), C(negotiated),
		C(not_negotiated), C(peer_without), C(curve_mismatch), C(key_fail), C(opt_nofit),
		C(sackp_dropped), C(ws_dropped), C(migsyn_tx), C(migsyn_rx), C(migsyn_dup), C(migsyn_refused), C(migsynack_tx),
		C(migsynack_rx), C(migrated_out), C(migrated_in), C(impossible), C(both_moving),
		C(rst_tx), C(rst_wait), C(rst_passed), C(kick_tx), C(gone), C(nfq_pkts),
		C(nfq_modified), C(nfq_ns), C(full), C(send_fail), C(nft_fail), C(diag_fail), C(give_up),
		C(nfq_queue_dropped), C(nfq_user_dropped), C(nfq_dropped), C(before_start),
	};
#undef C
	bool all = !strcmp(what, "counters");
	if (json)
		fprintf(f, "{\"role\":\"migrate\",\"connections\":%u,\"curve\":%u,\"pid\":%d", n,
			d->c.mig.curve, (int)getpid());
	else
		fprintf(f, "migrate, %u connections, curve %u, pid %d\n", n, d->c.mig.curve, (int)getpid());
	for (size_t i = 0; all && i < sizeof cs / sizeof cs[0]; i++)
		fprintf(f, json ? ",\"%s\":%llu" : "%-18s %llu\n", cs[i].n, (unsigned long long)*cs[i].v);
	for (int r = 1; all && r < MIG_R__COUNT; r++)
		fprintf(f, json ? ",\"refused_%s\":%llu" : "refused_%-10s %llu\n", mig_refuse_name(r),
			(unsigned long long)m->cnt.refused[r]);
	if (json)
		fputs("}\n", f);
}

/* ---- configuration ---- */

static void p_curve(struct mobd_conf_ctx *x, const struct mobd_kw *k, char **w, int n,
		    struct mobd_conf *c)
{
	(void)k;
	if (!conf_need(x, w, n, 1))
		return;
	if (!strcmp(w[1], "none") || !strcmp(w[1], "insecure"))
		c->mig.curve = MIG_CURVE_NONE;
	else if (!strcmp(w[1], "sect193r1"))
		c->mig.curve = MIG_CURVE_SECT193R1;
	else
		conf_err(x, "migrate-curve '%s': expected none or sect193r1", w[1]);
}

#define OFF(f) offsetof(struct mobd_conf, f)
static const struct mobd_kw mig_kws[] = {
	{ "migrate-curve", false, p_curve, 0, 0, 0, 0, "" },
	{ "migrate-queue", false, conf_p_num, OFF(mig.queue), 0, 0, 65535, "" },
	{ "migrate-wait", false, conf_p_num, OFF(mig.wait_ms), 0, 0, 600000, " ms" },
	{ "migrate-kick", false, conf_p_bool, OFF(mig.kick), 0, 0, 0, "" },
};
#undef OFF

static void mig_conf_print(const struct mobd_conf *c, FILE *f)
{
	fprintf(f, "migrate-curve %s\nmigrate-queue %u\nmigrate-wait %u\nmigrate-kick %s\n",
		c->mig.curve == MIG_CURVE_NONE ? "none" : "sect193r1", c->mig.queue, c->mig.wait_ms,
		c->mig.kick ? "yes" : "no");
}

const struct mobd_role mobd_migrate = {
	.name = "migrate",
	.title = "TCP Migrate shim",
	.id = MOBD_R_MIG,
	.kws = mig_kws,
	.n_kws = sizeof mig_kws / sizeof mig_kws[0],
	.conf_print = mig_conf_print,
	.start = mig_start,
	.stop = mig_stop,
	.show = mig_show,
};

void mig_cmd_migrate(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args,
		     FILE *f)
{
	if (*args) {
		fprintf(f, "error: usage: %s takes no arguments (got '%s')\n", cmd->name, args);
		return;
	}
	if (!MIG(d)) {
		fputs(json ? "[]\n" : "", f);
		return;
	}
	show_conns(MIG(d), json, f);
}
