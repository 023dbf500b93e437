/* testbed/mkrv/rv.h: what mkrv's commands share (main.c: register,
 * withdraw, query, ping; serve.c: the node's long-running UA; call.c: the
 * correspondent's call in the three modes of the rendezvous solution). */
#ifndef MKRV_RV_H
#define MKRV_RV_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <re.h>

#define MAXC 16
#define RV_DPORT 7007    /* the echo data service's port */

bool rv_num(const char *s, unsigned lo, unsigned hi, unsigned *out);
bool rv_v6(const char *s);
bool rv_token(const char *s);
/* "mkrv: bad WHAT 'V'" on stderr; returns 2 (the usage-error exit) */
int rv_bad(const char *what, const char *v);
/* monotonic microseconds */
uint64_t rv_now_us(void);

/* A SIP stack with one UDP transport on each of the n addresses (port
 * port, 0: any), its messages counted in *tx / *rx (the trace handler). */
struct rv_sig {
	unsigned tx, rx;
	void (*on_rx)(const uint8_t *pkt, size_t len, void *arg);
	void *arg;
};
int rv_sip_alloc(struct sip **sipp, const struct sa *laddrs, int n, struct rv_sig *sig);
void rv_sip_free(struct sip **sipp);

/* OPTIONS for sip:ID@DOMAIN (ID NULL: sip:DOMAIN) through ROUTE */
int rv_options(struct sip_request **reqp, struct sip *sip, const char *route, const char *id,
	       const char *domain, const char *tag, const char *callid, uint32_t cseq,
	       sip_resp_h *resph, void *arg);

/* REGISTER sip:DOMAIN for ID through ROUTE, the Contact headers printed by
 * contacts(pf, carg) */
int rv_register(struct sip_request **reqp, struct sip *sip, const char *route,
		struct sip_auth *auth, const char *id, const char *domain, const char *tag,
		const char *callid, uint32_t cseq, re_printf_h *contacts, void *carg,
		sip_resp_h *resph, void *arg);

/* Signals to the re_main loop: a self-pipe (SIGHUP, SIGUSR1, SIGTERM,
 * SIGINT); h gets the signal number.  re_main must run with NULL, so that
 * libre installs no handlers of its own. */
int rv_signals(void (*h)(int sig, void *arg), void *arg);
void rv_signals_close(void);

/* The data service's minimal SDP body (RFC 4566): c= the address, m= an
 * "application PORT udp mkrv-echo" line. */
int rv_sdp(struct mbuf **mbp, const struct sa *data);
int rv_sdp_parse(struct sa *data, const struct sip_msg *msg);

int mkrv_serve(int argc, char **argv);
int mkrv_call(int argc, char **argv);

#endif
