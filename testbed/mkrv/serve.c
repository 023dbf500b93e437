/* testbed/mkrv/serve.c: `mkrv serve`, the mobile node's side of the
 * rendezvous solution (issue 17): a long-running SIP UA on libre that
 *
 *   - keeps the node's registration: every live address one contact
 *     sip:ID@[ADDR]:CPORT;dport=DPORT (the data port, the draft's "port
 *     info"), refreshed at 2/3 of the expiry, again at once on SIGHUP (the
 *     addresses re-read from -f FILE; one that left the file is withdrawn:
 *     its contact sent with expires=0), retried with back-off (1, 2, 4 ...
 *     30 s) while the server does not answer or refuses;
 *   - answers INVITEs that reach it (through Kamailio as proxy: the
 *     combined and server-central modes) with a minimal SDP body naming
 *     the data address: its own address the INVITE came to (header
 *     X-Mkrv-Data: direct, or none) or its TURN relay on coturn (X-Mkrv-Data:
 *     relay, -r SERVER: the allocation is made at start and kept; the
 *     offer's address gets a permission before the 200 goes out);
 *   - runs the echo data service: UDP, port DPORT on every address (the
 *     answer comes from the address the datagram went to), and the same
 *     echo on the relay.
 *
 * INVITE rather than MESSAGE: RFC 3428 forbids a body in a 2xx to MESSAGE,
 * and the answer must carry the data address; INVITE's offer/answer is
 * what the proxy and the registrar are built for.
 *
 * Output (stdout, one line each, key=value):
 *   serve ready id=ID addrs=A,B dport=P
 *   turn relay=[ADDR]:PORT | turn status=fail code=C
 *   reg status=CODE contacts=N | reg status=timeout retry_in=S
 *   call from=ADDR data=relay|direct answer=[ADDR]:PORT
 *   counters reg_sent= reg_ok= reg_refused= reg_timeouts= reg_lapsed=
 *            withdrawn= invites= answered_direct= answered_relay= rejected=
 *            echo_direct= echo_relay= turn_ok= turn_fail= sig_tx= sig_rx=
 * The counters line on SIGUSR1 and at exit (SIGTERM, SIGINT).
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "rv.h"

struct ctr {
	unsigned reg_sent, reg_ok, reg_refused, reg_timeouts, reg_lapsed, withdrawn;
	unsigned invites, answered_direct, answered_relay, rejected;
	unsigned echo_direct, echo_relay, turn_ok, turn_fail;
};

struct srv {
	const char *id, *password, *domain, *file;
	char route[128];
	unsigned expires, cport, dport, tmo;
	char addrs[MAXC][64];
	int naddr;
	char gone[MAXC][64];   /* to withdraw in the next REGISTER */
	int ngone;
	struct sip *sip;
	struct sip_auth *auth;
	struct sipsess_sock *ssock;
	struct sip_request *req;
	struct rv_sig sig;
	struct tmr reg_tmr, to_tmr, turn_tmr;
	uint32_t cseq;
	char callid[40], tag[20];
	int tries;
	unsigned backoff;
	uint64_t last_ok;      /* rv_now_us of the last 2xx, 0 none */
	int echofd;
	bool use_turn;
	struct sa turn_srv;
	struct udp_sock *tus;
	struct turnc *turnc;
	struct sa relay;
	bool relay_ok;
	struct sa perms[MAXC];
	int nperm;
	struct list calls;
	struct ctr c;
};

struct call {
	struct le le;
	struct srv *s;
	struct sipsess *sess;
	struct sa peer;
	bool relay, pending;
};

static void serve_usage(FILE *f)
{
	fputs("usage: mkrv serve [OPTS] -u ID -p PASSWORD [-f FILE] [ADDR...]\n"
	      "  the node's UA: registers ADDR... (or FILE's addresses, one a line; SIGHUP\n"
	      "  re-reads FILE and re-registers), answers INVITEs, echoes UDP on DPORT.\n"
	      "OPTS: -s SERVER (IPv6, required)  -P PORT (5060)  -d DOMAIN (example)\n"
	      "      -e SECONDS (expiry, 600)  -c PORT (SIP port on the addresses, 5060)\n"
	      "      -D PORT (echo data port, 7007)  -r TURNSERVER (IPv6; coturn, port 3478:\n"
	      "      a relay for the server-central mode)  -t SECONDS (a REGISTER without\n"
	      "      answer in this time is retried with back-off, 2)\n"
	      "Signals: SIGHUP re-register now, SIGUSR1 print the counters, SIGTERM end.\n"
	      "The password may come from MKRV_PASSWORD.  See doc/mkrv.1.\n",
	      f);
}

static void counters(const struct srv *s)
{
	const struct ctr *c = &s->c;
	re_printf("counters reg_sent=%u reg_ok=%u reg_refused=%u reg_timeouts=%u reg_lapsed=%u"
		  " withdrawn=%u invites=%u answered_direct=%u answered_relay=%u rejected=%u"
		  " echo_direct=%u echo_relay=%u turn_ok=%u turn_fail=%u sig_tx=%u sig_rx=%u\n",
		  c->reg_sent, c->reg_ok, c->reg_refused, c->reg_timeouts, c->reg_lapsed,
		  c->withdrawn, c->invites, c->answered_direct, c->answered_relay, c->rejected,
		  c->echo_direct, c->echo_relay, c->turn_ok, c->turn_fail, s->sig.tx, s->sig.rx);
	fflush(stdout);
}

/* ---- registration ------------------------------------------------------ */

static void reg_send(struct srv *s);

static void reg_tmr_h(void *arg)
{
	reg_send(arg);
}

static void reg_retry(struct srv *s, const char *why)
{
	s->backoff = s->backoff ? (s->backoff * 2 > 30 ? 30 : s->backoff * 2) : 1;
	re_printf("reg status=%s retry_in=%u\n", why, s->backoff);
	fflush(stdout);
	tmr_start(&s->reg_tmr, (uint64_t)s->backoff * 1000, reg_tmr_h, s);
}

static void reg_to_h(void *arg)
{
	struct srv *s = arg;

	s->req = mem_deref(s->req);
	s->c.reg_timeouts++;
	reg_retry(s, "timeout");
}

static int reg_contacts(struct re_printf *pf, void *arg)
{
	const struct srv *s = arg;
	int err = 0;

	for (int i = 0; i < s->naddr; i++)
		err |= re_hprintf(pf, "Contact: <sip:%s@[%s]:%u;dport=%u>;expires=%u\r\n", s->id,
				  s->addrs[i], s->cport, s->dport, s->expires);
	for (int i = 0; i < s->ngone; i++)
		err |= re_hprintf(pf, "Contact: <sip:%s@[%s]:%u;dport=%u>;expires=0\r\n", s->id,
				  s->gone[i], s->cport, s->dport);
	return err;
}

static bool count_h(const struct sip_hdr *hdr, const struct sip_msg *msg, void *arg)
{
	(void)hdr, (void)msg;
	(*(unsigned *)arg)++;
	return false;
}

static void reg_resp_h(int err, const struct sip_msg *msg, void *arg)
{
	struct srv *s = arg;
	unsigned n = 0;
	uint64_t now = rv_now_us();

	s->req = NULL;
	tmr_cancel(&s->to_tmr);
	if (err) {
		s->c.reg_timeouts++;
		reg_retry(s, "no-answer");
		return;
	}
	if (msg->scode < 200)
		return;
	if ((msg->scode == 401 || msg->scode == 407) && s->tries < 2) {
		if (!sip_auth_authenticate(s->auth, msg)) {
			s->tries++;
			s->cseq++;
			s->c.reg_sent++;
			tmr_start(&s->to_tmr, (uint64_t)s->tmo * 1000, reg_to_h, s);
			if (!rv_register(&s->req, s->sip, s->route, s->auth, s->id, s->domain, s->tag,
					 s->callid, s->cseq, reg_contacts, s, reg_resp_h, s))
				return;
			tmr_cancel(&s->to_tmr);
		}
	}
	if (msg->scode >= 300) {
		s->c.reg_refused++;
		re_printf("reg status=%u reason=\"%r\"\n", msg->scode, &msg->reason);
		reg_retry(s, "refused");
		return;
	}
	sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, count_h, &n);
	s->c.reg_ok++;
	/* the registration had lapsed: the last refresh came after the expiry
	 * (the node was stopped, or the server unreachable that long) */
	if (s->last_ok && now - s->last_ok > (uint64_t)s->expires * 1000000u)
		s->c.reg_lapsed++;
	s->last_ok = now;
	s->c.withdrawn += (unsigned)s->ngone;
	s->ngone = 0;
	s->backoff = 0;
	re_printf("reg status=%u contacts=%u\n", msg->scode, n);
	fflush(stdout);
	tmr_start(&s->reg_tmr, s->expires ? (uint64_t)s->expires * 2000 / 3 : 60000, reg_tmr_h, s);
}

static void reg_send(struct srv *s)
{
	tmr_cancel(&s->reg_tmr);
	s->req = mem_deref(s->req);
	s->tries = 0;
	s->cseq++;
	s->c.reg_sent++;
	tmr_start(&s->to_tmr, (uint64_t)s->tmo * 1000, reg_to_h, s);
	if (rv_register(&s->req, s->sip, s->route, s->auth, s->id, s->domain, s->tag, s->callid,
			s->cseq, reg_contacts, s, reg_resp_h, s)) {
		tmr_cancel(&s->to_tmr);
		s->c.reg_timeouts++;
		reg_retry(s, "send-error");
	}
}

static int auth_h(char **user, char **pass, const char *realm, void *arg)
{
	struct srv *s = arg;
	(void)realm;
	return re_sdprintf(user, "%s", s->id) | re_sdprintf(pass, "%s", s->password);
}

/* ---- the echo data service ---------------------------------------------- */

/* UDP echo on [::]:DPORT, answered from the address the datagram went to
 * (IPV6_PKTINFO), so that each of the node's addresses answers for itself */
static void echo_h(int flags, void *arg)
{
	struct srv *s = arg;
	uint8_t buf[2048];
	union {
		struct cmsghdr h;
		uint8_t b[CMSG_SPACE(sizeof(struct in6_pktinfo))];
	} cb;
	struct sockaddr_in6 from;
	struct iovec iov = {buf, sizeof buf};
	struct msghdr mh;
	ssize_t n;
	(void)flags;

	for (;;) {
		memset(&mh, 0, sizeof mh);
		mh.msg_name = &from;
		mh.msg_namelen = sizeof from;
		mh.msg_iov = &iov;
		mh.msg_iovlen = 1;
		mh.msg_control = cb.b;
		mh.msg_controllen = sizeof cb.b;
		iov.iov_len = sizeof buf;
		n = recvmsg(s->echofd, &mh, MSG_DONTWAIT);
		if (n < 0)
			return;
		iov.iov_len = (size_t)n;
		/* the received control message (the pktinfo) goes back as is:
		 * ipi6_addr the source of the answer */
		if (sendmsg(s->echofd, &mh, 0) == n)
			s->c.echo_direct++;
	}
}

static int echo_open(struct srv *s)
{
	struct sockaddr_in6 a;
	int on = 1;

	s->echofd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s->echofd < 0)
		return errno;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((uint16_t)s->dport);
	if (setsockopt(s->echofd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &on, sizeof on) ||
	    setsockopt(s->echofd, IPPROTO_IPV6, IPV6_FREEBIND, &on, sizeof on) ||
	    bind(s->echofd, (struct sockaddr *)&a, sizeof a))
		return errno;
	return fd_listen(s->echofd, FD_READ, echo_h, s);
}

/* ---- the TURN relay (server-central mode) ------------------------------- */

static void turn_start(struct srv *s);

static void turn_tmr_h(void *arg)
{
	turn_start(arg);
}

static void relay_recv_h(const struct sa *src, struct mbuf *mb, void *arg)
{
	struct srv *s = arg;

	struct mbuf *out;

	/* turnc has taken the Data indication apart: src is the peer */
	if (!s->turnc)
		return;
	/* udp_send through turnc's helper on the socket wraps the data in a
	 * Send indication, in place: room for its header in front (turnc_send
	 * as well would wrap it twice) */
	out = mbuf_alloc(256 + mbuf_get_left(mb));
	if (!out)
		return;
	out->pos = out->end = 128;
	if (!mbuf_write_mem(out, mbuf_buf(mb), mbuf_get_left(mb))) {
		out->pos = 128;
		if (!udp_send(s->tus, src, out))
			s->c.echo_relay++;
	}
	mem_deref(out);
}

static void turn_h(int err, uint16_t scode, const char *reason, const struct sa *relay_addr,
		   const struct sa *mapped_addr, const struct stun_msg *msg, void *arg)
{
	struct srv *s = arg;
	(void)mapped_addr, (void)msg;

	if (err || scode) {
		s->c.turn_fail++;
		s->relay_ok = false;
		re_printf("turn status=fail code=%u reason=\"%s\" err=%d\n", scode,
			  reason ? reason : "-", err);
		fflush(stdout);
		s->turnc = mem_deref(s->turnc);
		s->nperm = 0;
		tmr_start(&s->turn_tmr, 5000, turn_tmr_h, s);
		return;
	}
	if (!s->relay_ok) {
		s->c.turn_ok++;
		s->relay = *relay_addr;
		s->relay_ok = true;
		re_printf("turn relay=%J\n", relay_addr);
		fflush(stdout);
	}
}

static void turn_start(struct srv *s)
{
	struct sa laddr;
	int err;

	s->turnc = mem_deref(s->turnc);
	s->tus = mem_deref(s->tus);
	s->relay_ok = false;
	s->nperm = 0;
	sa_set_str(&laddr, s->addrs[0], 0);
	err = udp_listen(&s->tus, &laddr, relay_recv_h, s);
	if (!err)
		err = turnc_alloc(&s->turnc, NULL, IPPROTO_UDP, s->tus, 0, &s->turn_srv, s->id,
				  s->password, 600, turn_h, s);
	if (err) {
		s->c.turn_fail++;
		re_printf("turn status=fail code=0 reason=\"%m\" err=%d\n", err, err);
		fflush(stdout);
		tmr_start(&s->turn_tmr, 5000, turn_tmr_h, s);
	}
}

/* ---- calls ----------------------------------------------------------- */

static void call_destroy(void *arg)
{
	struct call *c = arg;
	list_unlink(&c->le);
	mem_deref(c->sess);
}

static void call_close_h(int err, const struct sip_msg *msg, void *arg)
{
	struct call *c = arg;
	(void)err, (void)msg;
	mem_deref(c);
}

static void call_estab_h(const struct sip_msg *msg, void *arg)
{
	(void)msg, (void)arg;
}

static void answer_send(struct call *c, const struct sa *data)
{
	struct srv *s = c->s;
	struct mbuf *desc = NULL;

	c->pending = false;
	if (rv_sdp(&desc, data) ||
	    sipsess_answer(c->sess, 200, "OK", desc, "Content-Type: application/sdp\r\n")) {
		s->c.rejected++;
		mem_deref(desc);
		mem_deref(c);
		return;
	}
	mem_deref(desc);
	if (c->relay)
		s->c.answered_relay++;
	else
		s->c.answered_direct++;
	re_printf("call from=%j data=%s answer=%J\n", &c->peer, c->relay ? "relay" : "direct", data);
	fflush(stdout);
}

static void perm_h(void *arg)
{
	struct srv *s = arg;
	struct le *le = list_head(&s->calls);

	while (le) {
		struct call *c = le->data;
		le = le->next;
		if (c->pending && c->relay) {
			if (s->nperm < MAXC)
				s->perms[s->nperm++] = c->peer;
			answer_send(c, &s->relay);
		}
	}
}

static bool have_perm(const struct srv *s, const struct sa *peer)
{
	for (int i = 0; i < s->nperm; i++)
		if (sa_cmp(&s->perms[i], peer, SA_ADDR))
			return true;
	return false;
}

static void conn_h(const struct sip_msg *msg, void *arg)
{
	struct srv *s = arg;
	const struct sip_hdr *h = sip_msg_xhdr(msg, "X-Mkrv-Data");
	struct call *c;
	struct sa offer, data;
	int err;

	s->c.invites++;
	if (rv_sdp_parse(&offer, msg)) {
		s->c.rejected++;
		(void)sip_treply(NULL, s->sip, msg, 488, "No usable offer");
		return;
	}
	c = mem_zalloc(sizeof *c, call_destroy);
	if (!c) {
		(void)sip_treply(NULL, s->sip, msg, 500, "No memory");
		return;
	}
	c->s = s;
	c->peer = offer;
	c->relay = h && !pl_strcasecmp(&h->val, "relay");
	if (c->relay && !s->relay_ok) {
		s->c.rejected++;
		mem_deref(c);
		(void)sip_treply(NULL, s->sip, msg, 503, "No relay");
		return;
	}
	list_append(&s->calls, &c->le, c);
	err = sipsess_accept(&c->sess, s->ssock, msg, 180, "Ringing", s->id,
			     "application/sdp", NULL, NULL, NULL, false, NULL, NULL,
			     call_estab_h, NULL, NULL, call_close_h, c, "");
	if (err) {
		s->c.rejected++;
		mem_deref(c);
		(void)sip_treply(NULL, s->sip, msg, 500, "Cannot accept");
		return;
	}
	c->pending = true;
	if (!c->relay) {
		data = msg->dst;
		sa_set_port(&data, (uint16_t)s->dport);
		answer_send(c, &data);
	} else if (have_perm(s, &c->peer)) {
		answer_send(c, &s->relay);
	} else if (turnc_add_perm(s->turnc, &c->peer, perm_h, s)) {
		s->c.rejected++;
		(void)sipsess_reject(c->sess, 503, "No permission", NULL);
		mem_deref(c);
	}
}

/* ---- the SIP stack, rebuilt when the addresses change -------------------- */

static void stack_down(struct srv *s)
{
	struct le *le;

	tmr_cancel(&s->to_tmr);
	s->req = mem_deref(s->req);
	while ((le = list_head(&s->calls)))
		mem_deref(le->data);
	s->ssock = mem_deref(s->ssock);
	s->auth = mem_deref(s->auth);
	rv_sip_free(&s->sip);
}

static int stack_up(struct srv *s)
{
	struct sa la[MAXC];
	int err;

	for (int i = 0; i < s->naddr; i++)
		sa_set_str(&la[i], s->addrs[i], (uint16_t)s->cport);
	err = rv_sip_alloc(&s->sip, la, s->naddr, &s->sig);
	if (!err)
		err = sip_auth_alloc(&s->auth, auth_h, s, false);
	if (!err)
		err = sipsess_listen(&s->ssock, s->sip, 32, conn_h, s);
	if (err)
		re_fprintf(stderr, "mkrv serve: SIP stack on the addresses: %m\n", err);
	return err;
}

/* FILE's addresses (one a line, '#' comments) into s->addrs; those that
 * left go to s->gone.  0, or an error (the old list kept). */
static int addrs_read(struct srv *s)
{
	char line[128], now[MAXC][64];
	int n = 0;
	FILE *f = fopen(s->file, "r");

	if (!f) {
		fprintf(stderr, "mkrv serve: cannot read %s: %s\n", s->file, strerror(errno));
		return errno;
	}
	while (fgets(line, sizeof line, f)) {
		char *p = line + strspn(line, " \t");
		p[strcspn(p, " \t\r\n#")] = 0;
		if (!*p)
			continue;
		if (!rv_v6(p) || n == MAXC) {
			fprintf(stderr, "mkrv serve: %s: bad address '%s' (or more than %d)\n",
				s->file, p, MAXC);
			fclose(f);
			return EINVAL;
		}
		snprintf(now[n++], sizeof now[0], "%s", p);
	}
	fclose(f);
	if (!n) {
		fprintf(stderr, "mkrv serve: %s: no address\n", s->file);
		return EINVAL;
	}
	for (int i = 0; i < s->naddr; i++) {
		bool kept = false;
		for (int j = 0; j < n; j++)
			kept |= !strcmp(s->addrs[i], now[j]);
		if (!kept && s->ngone < MAXC)
			memcpy(s->gone[s->ngone++], s->addrs[i], sizeof s->gone[0]);
	}
	memcpy(s->addrs, now, sizeof now);
	s->naddr = n;
	return 0;
}

static void ready(const struct srv *s)
{
	re_printf("serve ready id=%s addrs=", s->id);
	for (int i = 0; i < s->naddr; i++)
		re_printf("%s%s", i ? "," : "", s->addrs[i]);
	re_printf(" dport=%u\n", s->dport);
	fflush(stdout);
}

static void sig_h(int sig, void *arg)
{
	struct srv *s = arg;
	char before[MAXC][64];
	int nbefore = s->naddr;

	switch (sig) {
	case SIGUSR1:
		counters(s);
		break;
	case SIGHUP:
		memcpy(before, s->addrs, sizeof before);
		if (s->file && addrs_read(s))
			break;
		if (s->naddr != nbefore || memcmp(before, s->addrs, sizeof before)) {
			bool first = strcmp(before[0], s->addrs[0]) != 0;
			stack_down(s);
			if (stack_up(s)) {
				re_cancel();
				break;
			}
			if (first && s->use_turn)
				turn_start(s);
			ready(s);
		}
		s->backoff = 0;
		reg_send(s);
		break;
	default:
		re_cancel();
	}
}

int mkrv_serve(int argc, char **argv)
{
	static const struct option lo[] = {{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0}};
	struct srv *s;
	const char *server = NULL, *turn = NULL;
	unsigned sport = 5060;
	int c, err, ret = 1;

	s = calloc(1, sizeof *s);
	if (!s)
		return 1;
	s->domain = "example";
	s->expires = 600;
	s->cport = 5060;
	s->dport = RV_DPORT;
	s->tmo = 2;
	s->echofd = -1;
	optind = 2;
	while ((c = getopt_long(argc, argv, "s:P:d:e:c:D:r:t:u:p:f:h", lo, NULL)) != -1) {
		switch (c) {
		case 's': server = optarg; if (!rv_v6(optarg)) { ret = rv_bad("server address (want IPv6)", optarg); goto usage; } break;
		case 'P': if (!rv_num(optarg, 1, 65535, &sport)) { ret = rv_bad("server port", optarg); goto usage; } break;
		case 'd': s->domain = optarg; if (!rv_token(optarg)) { ret = rv_bad("domain", optarg); goto usage; } break;
		case 'e': if (!rv_num(optarg, 1, 86400, &s->expires)) { ret = rv_bad("expiry (1..86400 s)", optarg); goto usage; } break;
		case 'c': if (!rv_num(optarg, 1, 65535, &s->cport)) { ret = rv_bad("SIP port", optarg); goto usage; } break;
		case 'D': if (!rv_num(optarg, 1, 65535, &s->dport)) { ret = rv_bad("data port", optarg); goto usage; } break;
		case 'r': turn = optarg; if (!rv_v6(optarg)) { ret = rv_bad("TURN server (want IPv6)", optarg); goto usage; } break;
		case 't': if (!rv_num(optarg, 1, 60, &s->tmo)) { ret = rv_bad("timeout (1..60 s)", optarg); goto usage; } break;
		case 'u': s->id = optarg; if (!rv_token(optarg)) { ret = rv_bad("ID", optarg); goto usage; } break;
		case 'p': s->password = optarg; break;
		case 'f': s->file = optarg; break;
		case 'h': serve_usage(stdout); free(s); return 0;
		default: ret = 2; goto usage;
		}
	}
	if (!s->password)
		s->password = getenv("MKRV_PASSWORD");
	if (!server || !s->id || !s->password) {
		fprintf(stderr, "mkrv serve: needs -s SERVER, -u ID and -p PASSWORD (or MKRV_PASSWORD)\n");
		ret = 2;
		goto usage;
	}
	if (s->file && optind < argc) {
		fprintf(stderr, "mkrv serve: -f FILE or ADDR..., not both\n");
		ret = 2;
		goto usage;
	}
	for (int i = optind; i < argc; i++) {
		if (!rv_v6(argv[i])) {
			ret = rv_bad("address (want IPv6)", argv[i]);
			goto usage;
		}
		if (s->naddr == MAXC) {
			fprintf(stderr, "mkrv serve: at most %d addresses\n", MAXC);
			ret = 2;
			goto usage;
		}
		snprintf(s->addrs[s->naddr++], sizeof s->addrs[0], "%s", argv[i]);
	}
	if (s->file && addrs_read(s)) {
		ret = 2;
		goto usage;
	}
	s->ngone = 0;
	if (!s->naddr) {
		fprintf(stderr, "mkrv serve: no address (ADDR... or -f FILE)\n");
		ret = 2;
		goto usage;
	}
	snprintf(s->route, sizeof s->route, "sip:[%s]:%u;lr", server, sport);
	if (turn) {
		s->use_turn = true;
		sa_set_str(&s->turn_srv, turn, 3478);
	}

	err = libre_init();
	if (err) {
		fprintf(stderr, "mkrv serve: libre_init: %s\n", strerror(err));
		free(s);
		return 1;
	}
	list_init(&s->calls);
	tmr_init(&s->reg_tmr);
	tmr_init(&s->to_tmr);
	tmr_init(&s->turn_tmr);
	rand_str(s->callid, sizeof s->callid);
	rand_str(s->tag, sizeof s->tag);
	err = echo_open(s);
	if (err) {
		re_fprintf(stderr, "mkrv serve: echo service on port %u: %m\n", s->dport, err);
		goto out;
	}
	if (stack_up(s) || rv_signals(sig_h, s))
		goto out;
	ready(s);
	if (s->use_turn)
		turn_start(s);
	reg_send(s);
	re_main(NULL);
	ret = 0;
	counters(s);
out:
	tmr_cancel(&s->reg_tmr);
	tmr_cancel(&s->to_tmr);
	tmr_cancel(&s->turn_tmr);
	stack_down(s);
	s->turnc = mem_deref(s->turnc);
	s->tus = mem_deref(s->tus);
	if (s->echofd >= 0) {
		fd_close(s->echofd);
		close(s->echofd);
	}
	rv_signals_close();
	libre_close();
	fflush(stdout);
	free(s);
	return ret;
usage:
	serve_usage(stderr);
	free(s);
	return ret;
}
