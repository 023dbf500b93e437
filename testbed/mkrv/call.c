/* testbed/mkrv/call.c: `mkrv call`, the correspondent's side of the
 * rendezvous solution (issue 17), in the draft's three modes:
 *
 *   p2p       OPTIONS for sip:ID@DOMAIN to the server, which redirects
 *             (302) with the node's contacts; the data goes straight to a
 *             contact's address and data port (;dport=, else -D), chosen by
 *             --select: "order" tries the contacts in the 302's order (a
 *             contact that does not echo in -w ms is stale: counted, the
 *             next one tried), "rtt" probes them all at once and takes the
 *             first to echo (the lowest RTT).
 *   central   INVITE through the server as proxy (X-Mkrv-Mode: proxy, the
 *             dialog record-routed through it), X-Mkrv-Data: relay: the
 *             node answers with its TURN relay on the server's coturn; the
 *             data goes correspondent -> relay -> node.
 *   combined  INVITE through the proxy, X-Mkrv-Data: direct: the node
 *             answers with the address the INVITE reached; data direct.
 *
 * Data: UDP echo probes (16 bytes: "mkrv", a sequence number, the send
 * time) to the data address; N probes one after the other after the first
 * echo give the path RTT (their median).  One output line (see doc/mkrv.1):
 *   call mode=M id=ID status=S sip=CODE data=[ADDR]:PORT answer_ms=A
 *        first_byte_ms=F rtt_ms=R probes=GOT/N tried=T stale=K sig_tx=X sig_rx=Y
 * status: ok (data flowed: exit 0), no-answer (the server or the node did
 * not answer in -t s), refused (a SIP error answer: sip= its code),
 * no-data (signalling worked, no contact echoed); exit 1 for these.
 */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include "rv.h"

enum mode { P2P, CENTRAL, COMBINED };
enum phase { SIG, SELECT, MEASURE, BYE, DONE };

#define MAXP 100

struct cl {
	enum mode mode;
	bool by_rtt;
	const char *id, *domain, *from;
	char route[128];
	unsigned dport, tmo, nprobe, wait_ms;
	struct sip *sip;
	struct rv_sig sig;
	struct sip_request *req;
	struct sipsess_sock *ssock;
	struct sipsess *sess;
	char tag[20], callid[40];
	struct sa laddr;
	int fd;
	enum phase phase;
	uint64_t t0, t_ans, t_first;
	unsigned scode;
	struct sa cand[MAXC];
	int ncand, cur, tried, stale;
	unsigned rounds;
	struct sa chosen;
	bool have_chosen;
	unsigned sent, got;
	double rtt[MAXP];
	struct tmr guard, ptmr;
	const char *status;
};

static const char *mode_name[] = {"p2p", "central", "combined"};

static void call_usage(FILE *f)
{
	fputs("usage: mkrv call [OPTS] ID --mode p2p|central|combined [--select order|rtt]\n"
	      "  reach ID through the rendezvous server and echo data with it; one line\n"
	      "  \"call mode= id= status= sip= data= answer_ms= first_byte_ms= rtt_ms= probes=\n"
	      "  tried= stale= sig_tx= sig_rx=\"; exit 0 when data flowed.\n"
	      "OPTS: -s SERVER (IPv6, required)  -P PORT (5060)  -d DOMAIN (example)\n"
	      "      -b ADDR (own address)  -u NAME (From user, cn)  -D PORT (data port of a\n"
	      "      contact without ;dport=, 7007)  -n N (RTT probes, 5)  -w MS (wait for\n"
	      "      a contact's echo, 1000)  -t SECONDS (give up, 10)\n"
	      "See doc/mkrv.1.\n",
	      f);
}

static void bye_to(void *arg)
{
	struct cl *c = arg;
	c->phase = DONE;
	re_cancel();
}

static void finish(struct cl *c, const char *status)
{
	if (c->phase == DONE || c->phase == BYE)
		return;
	c->status = status;
	tmr_cancel(&c->ptmr);
	c->req = mem_deref(c->req);
	if (c->sess) {
		/* BYE through the dialog's route; its answer ends the run */
		c->phase = BYE;
		c->sess = mem_deref(c->sess);
		tmr_start(&c->guard, 1000, bye_to, c);
		return;
	}
	c->phase = DONE;
	re_cancel();
}

static void ms(uint64_t t, uint64_t t0)
{
	if (t)
		re_printf("%.3f", (double)(t - t0) / 1000.0);
	else
		re_printf("-");
}

static int dcmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(struct cl *c)
{
	re_printf("call mode=%s id=%s status=%s sip=", mode_name[c->mode], c->id, c->status);
	if (c->scode)
		re_printf("%u", c->scode);
	else
		re_printf("-");
	if (c->have_chosen)
		re_printf(" data=%J", &c->chosen);
	else
		re_printf(" data=-");
	re_printf(" answer_ms=");
	ms(c->t_ans, c->t0);
	re_printf(" first_byte_ms=");
	ms(c->t_first, c->t0);
	re_printf(" rtt_ms=");
	if (c->got) {
		qsort(c->rtt, c->got, sizeof c->rtt[0], dcmp);
		re_printf("%.3f", c->got % 2 ? c->rtt[c->got / 2]
					    : (c->rtt[c->got / 2 - 1] + c->rtt[c->got / 2]) / 2);
	} else {
		re_printf("-");
	}
	re_printf(" probes=%u/%u tried=%d stale=%d sig_tx=%u sig_rx=%u\n", c->got, c->nprobe,
		  c->tried, c->stale, c->sig.tx, c->sig.rx);
}

/* ---- data: echo probes ------------------------------------------------- */

static void probe_send(struct cl *c, int idx, const struct sa *to)
{
	uint8_t b[16];
	uint32_t seq = ((uint32_t)idx << 24) | (c->sent++ & 0xffffff);
	uint64_t t = rv_now_us();

	memcpy(b, "mkrv", 4);
	memcpy(b + 4, &seq, 4);
	memcpy(b + 8, &t, 8);
	(void)sendto(c->fd, b, sizeof b, 0, &to->u.sa, to->len);
}

static void measure_next(struct cl *c);

static void select_tick(void *arg)
{
	struct cl *c = arg;
	unsigned per = c->wait_ms / 250 ? c->wait_ms / 250 : 1;

	if (c->by_rtt) {
		if (c->rounds++ >= per) {
			c->stale = c->ncand;
			finish(c, "no-data");
			return;
		}
		for (int i = 0; i < c->ncand; i++)
			probe_send(c, i, &c->cand[i]);
		c->tried = c->ncand;
	} else {
		if (c->rounds >= per) {
			/* this contact did not echo: stale, the next one */
			c->stale++;
			c->cur++;
			c->rounds = 0;
			if (c->cur >= c->ncand) {
				finish(c, "no-data");
				return;
			}
		}
		if (!c->rounds)
			c->tried++;
		c->rounds++;
		probe_send(c, c->cur, &c->cand[c->cur]);
	}
	tmr_start(&c->ptmr, c->wait_ms < 250 ? c->wait_ms : 250, select_tick, c);
}

static void measure_to(void *arg)
{
	measure_next(arg);
}

static void measure_next(struct cl *c)
{
	if (c->sent >= c->nprobe) {
		finish(c, "ok");
		return;
	}
	probe_send(c, 0, &c->chosen);
	tmr_start(&c->ptmr, 1000, measure_to, c);
}

static void data_start(struct cl *c)
{
	c->phase = SELECT;
	c->rounds = 0;
	c->cur = 0;
	select_tick(c);
}

static void data_h(int flags, void *arg)
{
	struct cl *c = arg;
	uint8_t b[64];
	struct sa from;
	uint32_t seq;
	uint64_t t, now;
	ssize_t n;
	(void)flags;

	for (;;) {
		sa_init(&from, AF_INET6);
		n = recvfrom(c->fd, b, sizeof b, MSG_DONTWAIT, &from.u.sa, &from.len);
		if (n < 0)
			return;
		if (n != 16 || memcmp(b, "mkrv", 4))
			continue;
		now = rv_now_us();
		memcpy(&seq, b + 4, 4);
		memcpy(&t, b + 8, 8);
		if (c->phase == SELECT) {
			int idx = (int)(seq >> 24);
			if (idx >= c->ncand)
				continue;
			c->chosen = c->cand[idx];
			c->have_chosen = true;
			c->t_first = now;
			c->phase = MEASURE;
			c->sent = 0;
			tmr_cancel(&c->ptmr);
			measure_next(c);
		} else if (c->phase == MEASURE) {
			/* the answer to the probe in flight (older ones: late, dropped) */
			if ((seq & 0xffffff) != c->sent - 1 || (seq >> 24) != 0)
				continue;
			if (c->got < MAXP)
				c->rtt[c->got++] = (double)(now - t) / 1000.0;
			measure_next(c);
		}
	}
}

/* ---- signalling ------------------------------------------------------- */

static bool contact_h(const struct sip_hdr *hdr, const struct sip_msg *msg, void *arg)
{
	struct cl *c = arg;
	struct sip_addr a;
	struct pl dp;
	unsigned port = c->dport;
	(void)msg;

	if (sip_addr_decode(&a, &hdr->val) || c->ncand == MAXC)
		return false;
	if (!msg_param_decode(&a.uri.params, "dport", &dp) && pl_u32(&dp) && pl_u32(&dp) < 65536)
		port = pl_u32(&dp);
	if (sa_set(&c->cand[c->ncand], &a.uri.host, (uint16_t)port) ||
	    sa_af(&c->cand[c->ncand]) != AF_INET6)
		return false;
	c->ncand++;
	return false;
}

static void query_h(int err, const struct sip_msg *msg, void *arg)
{
	struct cl *c = arg;

	c->req = NULL;
	if (err) {
		finish(c, "no-answer");
		return;
	}
	if (msg->scode < 200)
		return;
	c->scode = msg->scode;
	c->t_ans = rv_now_us();
	if (msg->scode != 302) {
		finish(c, "refused");
		return;
	}
	sip_msg_hdr_apply(msg, true, SIP_HDR_CONTACT, contact_h, c);
	if (!c->ncand) {
		finish(c, "no-data");
		return;
	}
	data_start(c);
}

static int answer_h(const struct sip_msg *msg, void *arg)
{
	struct cl *c = arg;

	c->scode = msg->scode;
	c->t_ans = rv_now_us();
	if (rv_sdp_parse(&c->cand[0], msg))
		return EBADMSG;
	c->ncand = 1;
	return 0;
}

static void estab_h(const struct sip_msg *msg, void *arg)
{
	struct cl *c = arg;
	(void)msg;

	if (!c->ncand) {
		finish(c, "no-data");
		return;
	}
	data_start(c);
}

static void close_h(int err, const struct sip_msg *msg, void *arg)
{
	struct cl *c = arg;

	c->sess = mem_deref(c->sess);
	if (c->phase != SIG)
		return;
	if (msg) {
		c->scode = msg->scode;
		finish(c, "refused");
	} else {
		(void)err;
		finish(c, "no-answer");
	}
}

/* a received answer to our BYE ends the run */
static void rx_h(const uint8_t *pkt, size_t len, void *arg)
{
	struct cl *c = arg;
	const char *p = (const char *)pkt;

	if (c->phase != BYE || len < 8 || memcmp(pkt, "SIP/2.0 ", 8))
		return;
	if (!re_regex(p, len, "CSeq:[ \t]*[0-9]+[ \t]+BYE", NULL, NULL, NULL)) {
		c->phase = DONE;
		re_cancel();
	}
}

static void guard_h(void *arg)
{
	struct cl *c = arg;
	finish(c, c->phase == SIG ? "no-answer" : "no-data");
}

/* the correspondent takes no calls */
static void conn_none(const struct sip_msg *msg, void *arg)
{
	struct cl *c = arg;
	(void)sip_treply(NULL, c->sip, msg, 603, "Decline");
}

static int start(struct cl *c)
{
	if (c->mode == P2P)
		return rv_options(&c->req, c->sip, c->route, c->id, c->domain, c->tag, c->callid, 1,
				  query_h, c);
	{
		struct mbuf *desc = NULL;
		struct sa me = c->laddr;
		const char *routev[1] = {c->route};
		char to[160], from[160];
		int err;

		{
			struct sockaddr_in6 a;
			socklen_t al = sizeof a;
			if (!getsockname(c->fd, (struct sockaddr *)&a, &al))
				sa_set_port(&me, ntohs(a.sin6_port));
		}
		snprintf(to, sizeof to, "sip:%s@%s", c->id, c->domain);
		snprintf(from, sizeof from, "sip:%s@%s", c->from, c->domain);
		err = rv_sdp(&desc, &me);
		if (!err)
			err = sipsess_listen(&c->ssock, c->sip, 8, conn_none, c);
		if (!err)
			err = sipsess_connect(&c->sess, c->ssock, to, NULL, from, c->from, routev, 1,
					      "application/sdp", desc, NULL, NULL, false, NULL,
					      answer_h, NULL, estab_h, NULL, NULL, close_h, c,
					      "X-Mkrv-Mode: proxy\r\nX-Mkrv-Data: %s\r\n",
					      c->mode == CENTRAL ? "relay" : "direct");
		mem_deref(desc);
		return err;
	}
}

int mkrv_call(int argc, char **argv)
{
	static const struct option lo[] = {{"mode", required_argument, NULL, 'm'},
					   {"select", required_argument, NULL, 'S'},
					   {"help", no_argument, NULL, 'h'},
					   {NULL, 0, NULL, 0}};
	struct cl *c;
	const char *server = NULL, *bind_s = NULL, *mode = NULL;
	unsigned sport = 5060;
	int o, err, ret = 2;

	c = calloc(1, sizeof *c);
	if (!c)
		return 1;
	c->domain = "example";
	c->from = "cn";
	c->dport = RV_DPORT;
	c->tmo = 10;
	c->nprobe = 5;
	c->wait_ms = 1000;
	c->fd = -1;
	optind = 2;
	while ((o = getopt_long(argc, argv, "s:P:d:b:u:D:n:w:t:h", lo, NULL)) != -1) {
		switch (o) {
		case 's': server = optarg; if (!rv_v6(optarg)) { ret = rv_bad("server address (want IPv6)", optarg); goto usage; } break;
		case 'P': if (!rv_num(optarg, 1, 65535, &sport)) { ret = rv_bad("server port", optarg); goto usage; } break;
		case 'd': c->domain = optarg; if (!rv_token(optarg)) { ret = rv_bad("domain", optarg); goto usage; } break;
		case 'b': bind_s = optarg; if (!rv_v6(optarg)) { ret = rv_bad("own address (want IPv6)", optarg); goto usage; } break;
		case 'u': c->from = optarg; if (!rv_token(optarg)) { ret = rv_bad("From user", optarg); goto usage; } break;
		case 'D': if (!rv_num(optarg, 1, 65535, &c->dport)) { ret = rv_bad("data port", optarg); goto usage; } break;
		case 'n': if (!rv_num(optarg, 1, MAXP, &c->nprobe)) { ret = rv_bad("probe count (1..100)", optarg); goto usage; } break;
		case 'w': if (!rv_num(optarg, 10, 60000, &c->wait_ms)) { ret = rv_bad("wait (10..60000 ms)", optarg); goto usage; } break;
		case 't': if (!rv_num(optarg, 1, 3600, &c->tmo)) { ret = rv_bad("timeout (1..3600 s)", optarg); goto usage; } break;
		case 'm': mode = optarg; break;
		case 'S':
			if (!strcmp(optarg, "rtt"))
				c->by_rtt = true;
			else if (strcmp(optarg, "order")) {
				ret = rv_bad("selection (order or rtt)", optarg);
				goto usage;
			}
			break;
		case 'h': call_usage(stdout); free(c); return 0;
		default: goto usage;
		}
	}
	if (!mode) {
		fprintf(stderr, "mkrv call: no --mode (p2p, central or combined)\n");
		goto usage;
	}
	if (!strcmp(mode, "p2p"))
		c->mode = P2P;
	else if (!strcmp(mode, "central"))
		c->mode = CENTRAL;
	else if (!strcmp(mode, "combined"))
		c->mode = COMBINED;
	else {
		ret = rv_bad("mode (p2p, central or combined)", mode);
		goto usage;
	}
	if (!server) {
		fprintf(stderr, "mkrv call: no server (-s ADDR)\n");
		goto usage;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "mkrv call: needs exactly one ID\n");
		goto usage;
	}
	c->id = argv[optind];
	if (!rv_token(c->id)) {
		ret = rv_bad("ID", c->id);
		goto usage;
	}
	snprintf(c->route, sizeof c->route, "sip:[%s]:%u;lr", server, sport);

	ret = 1;
	err = libre_init();
	if (err) {
		fprintf(stderr, "mkrv call: libre_init: %s\n", strerror(err));
		free(c);
		return 1;
	}
	tmr_init(&c->guard);
	tmr_init(&c->ptmr);
	rand_str(c->tag, sizeof c->tag);
	rand_str(c->callid, sizeof c->callid);
	if (bind_s) {
		sa_set_str(&c->laddr, bind_s, 0);
	} else if (net_default_source_addr_get(AF_INET6, &c->laddr)) {
		fprintf(stderr, "mkrv call: no IPv6 source address (use -b ADDR)\n");
		goto out;
	}
	sa_set_port(&c->laddr, 0);
	c->fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (c->fd < 0 || bind(c->fd, &c->laddr.u.sa, c->laddr.len) ||
	    fd_listen(c->fd, FD_READ, data_h, c)) {
		fprintf(stderr, "mkrv call: data socket: %s\n", strerror(errno));
		goto out;
	}
	c->sig.on_rx = rx_h;
	c->sig.arg = c;
	err = rv_sip_alloc(&c->sip, &c->laddr, 1, &c->sig);
	if (err) {
		re_fprintf(stderr, "mkrv call: SIP stack: %m\n", err);
		goto out;
	}
	tmr_start(&c->guard, (uint64_t)c->tmo * 1000, guard_h, c);
	c->t0 = rv_now_us();
	err = start(c);
	if (err) {
		re_fprintf(stderr, "mkrv call: cannot send: %m\n", err);
		goto out;
	}
	re_main(NULL);
	report(c);
	ret = c->status && !strcmp(c->status, "ok") ? 0 : 1;
out:
	tmr_cancel(&c->guard);
	tmr_cancel(&c->ptmr);
	c->req = mem_deref(c->req);
	c->sess = mem_deref(c->sess);
	c->ssock = mem_deref(c->ssock);
	rv_sip_free(&c->sip);
	if (c->fd >= 0) {
		fd_close(c->fd);
		close(c->fd);
	}
	libre_close();
	fflush(stdout);
	free(c);
	return ret;
usage:
	call_usage(stderr);
	free(c);
	return ret;
}
