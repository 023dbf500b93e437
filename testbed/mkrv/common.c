/* testbed/mkrv/common.c: what mkrv's commands share (see rv.h). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "rv.h"

bool rv_num(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char *e;
	unsigned long v;

	if (!*s || *s == '-' || *s == '+')
		return false;
	errno = 0;
	v = strtoul(s, &e, 10);
	if (errno || *e || v < lo || v > hi)
		return false;
	*out = (unsigned)v;
	return true;
}

bool rv_v6(const char *s)
{
	struct in6_addr a;
	return inet_pton(AF_INET6, s, &a) == 1;
}

/* an ID or domain: letters, digits, '.', '-', '_' */
bool rv_token(const char *s)
{
	if (!*s || strlen(s) > 63)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '_'))
			return false;
	return true;
}

int rv_bad(const char *what, const char *v)
{
	fprintf(stderr, "mkrv: bad %s '%s' (see mkrv --help)\n", what, v);
	return 2;
}

uint64_t rv_now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

static void trace_h(bool tx, enum sip_transp tp, const struct sa *src, const struct sa *dst,
		    const uint8_t *pkt, size_t len, void *arg)
{
	struct rv_sig *sig = arg;
	(void)tp, (void)src, (void)dst;
	if (!sig)
		return;
	if (tx) {
		sig->tx++;
	} else {
		sig->rx++;
		if (sig->on_rx)
			sig->on_rx(pkt, len, sig->arg);
	}
}

int rv_sip_alloc(struct sip **sipp, const struct sa *laddrs, int n, struct rv_sig *sig)
{
	int err = sip_alloc(sipp, NULL, 32, 32, 32, "mkrv (mobkit, libre)", NULL, sig);

	for (int i = 0; !err && i < n; i++)
		err = sip_transp_add(*sipp, SIP_TRANSP_UDP, &laddrs[i]);
	if (!err)
		sip_set_trace_handler(*sipp, trace_h);
	if (err)
		rv_sip_free(sipp);
	return err;
}

void rv_sip_free(struct sip **sipp)
{
	if (*sipp) {
		sip_close(*sipp, true);
		*sipp = mem_deref(*sipp);
	}
}

static int route_decode(struct uri *u, const char *route)
{
	struct pl rpl;

	pl_set_str(&rpl, route);
	return uri_decode(u, &rpl) ? EINVAL : 0;
}

int rv_register(struct sip_request **reqp, struct sip *sip, const char *route,
		struct sip_auth *auth, const char *id, const char *domain, const char *tag,
		const char *callid, uint32_t cseq, re_printf_h *contacts, void *carg,
		sip_resp_h *resph, void *arg)
{
	struct uri ru;
	char ruri[160];

	if (route_decode(&ru, route))
		return EINVAL;
	snprintf(ruri, sizeof ruri, "sip:%s", domain);
	return sip_requestf(reqp, sip, true, "REGISTER", ruri, &ru, auth, NULL, resph, arg,
			    "To: <sip:%s@%s>\r\n"
			    "From: <sip:%s@%s>;tag=%s\r\n"
			    "Call-ID: %s\r\n"
			    "CSeq: %u REGISTER\r\n"
			    "%H"
			    "Content-Length: 0\r\n\r\n",
			    id, domain, id, domain, tag, callid, cseq, contacts, carg);
}

int rv_options(struct sip_request **reqp, struct sip *sip, const char *route, const char *id,
	       const char *domain, const char *tag, const char *callid, uint32_t cseq,
	       sip_resp_h *resph, void *arg)
{
	struct uri ruri_route;
	char ruri[160];

	if (route_decode(&ruri_route, route))
		return EINVAL;
	if (id)
		snprintf(ruri, sizeof ruri, "sip:%s@%s", id, domain);
	else
		snprintf(ruri, sizeof ruri, "sip:%s", domain);
	return sip_requestf(reqp, sip, true, "OPTIONS", ruri, &ruri_route, NULL, NULL, resph, arg,
			    "To: <%s>\r\n"
			    "From: <sip:mkrv@%s>;tag=%s\r\n"
			    "Call-ID: %s\r\n"
			    "CSeq: %u OPTIONS\r\n"
			    "Content-Length: 0\r\n\r\n",
			    ruri, domain, tag, callid, cseq);
}

static int sigfd[2] = {-1, -1};
static void (*sig_user)(int, void *);
static void *sig_arg;

static void sig_catch(int sig)
{
	int e = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sigfd[1], &c, 1) < 0) {
		/* the pipe is full: that signal is lost */
	}
	errno = e;
}

static void sig_read(int flags, void *arg)
{
	unsigned char c;
	(void)flags, (void)arg;
	while (read(sigfd[0], &c, 1) == 1)
		sig_user(c, sig_arg);
}

int rv_signals(void (*h)(int sig, void *arg), void *arg)
{
	struct sigaction sa;
	int sigs[] = {SIGHUP, SIGUSR1, SIGTERM, SIGINT};

	if (pipe(sigfd))
		return errno;
	fcntl(sigfd[0], F_SETFL, O_NONBLOCK);
	fcntl(sigfd[1], F_SETFL, O_NONBLOCK);
	sig_user = h;
	sig_arg = arg;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = sig_catch;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	return fd_listen(sigfd[0], FD_READ, sig_read, NULL);
}

void rv_signals_close(void)
{
	if (sigfd[0] >= 0) {
		fd_close(sigfd[0]);
		close(sigfd[0]);
		close(sigfd[1]);
		sigfd[0] = sigfd[1] = -1;
	}
}

int rv_sdp(struct mbuf **mbp, const struct sa *data)
{
	struct mbuf *mb = mbuf_alloc(256);
	int err;

	if (!mb)
		return ENOMEM;
	err = mbuf_printf(mb,
			  "v=0\r\n"
			  "o=mkrv 1 1 IN IP6 %j\r\n"
			  "s=mkrv\r\n"
			  "c=IN IP6 %j\r\n"
			  "t=0 0\r\n"
			  "m=application %u udp mkrv-echo\r\n",
			  data, data, sa_port(data));
	mb->pos = 0;
	if (err)
		mem_deref(mb);
	else
		*mbp = mb;
	return err;
}

int rv_sdp_parse(struct sa *data, const struct sip_msg *msg)
{
	struct pl body, addr, port;

	if (!msg || !msg->mb || !mbuf_get_left(msg->mb))
		return EBADMSG;
	body.p = (const char *)mbuf_buf(msg->mb);
	body.l = mbuf_get_left(msg->mb);
	if (re_regex(body.p, body.l, "c=IN IP6 [^ \r\n]+", &addr) ||
	    re_regex(body.p, body.l, "m=application [0-9]+ udp", &port))
		return EBADMSG;
	if (sa_set(data, &addr, (uint16_t)pl_u32(&port)) || sa_af(data) != AF_INET6 ||
	    !sa_port(data))
		return EBADMSG;
	return 0;
}
