/* stack/core/log.c: the log, the OpenBSD way (rad, ospf6d): syslog with
 * the daemon facility unless in the foreground (-d), then stderr with a
 * timestamp.  Every line names the role ("home-agent", "mobile-node";
 * "mobd" outside any) and, while a packet is handled, its peer.
 *
 *   log_warn   something failed: the message and strerror(errno)
 *   log_warnx  something failed or a peer did something wrong
 *   log_info   what an operator wants to read (bindings, moves)
 *   log_debug  every packet handled (-v)
 *   fatal(x)   a state that cannot happen: log and exit 1 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>

#include "stack/core/core.h"

static bool log_fg = true, log_v;
static const char *log_rolename = "mobd";
/* the peer as given; its text made only when a line is written (one
 * inet_ntop per packet was measurable at 300k BU/s) */
static struct in6_addr log_peeraddr;
static bool log_peerset;
static char log_peerbuf[INET6_ADDRSTRLEN];

void log_init(bool foreground, bool verbose)
{
	log_fg = foreground;
	log_v = verbose;
	if (!foreground)
		openlog("mobd", LOG_PID | LOG_NDELAY, LOG_DAEMON);
}

bool log_verbose(void)
{
	return log_v;
}

void log_role(const char *name)
{
	log_rolename = name ? name : "mobd";
}

const char *log_role_name(void)
{
	return log_rolename;
}

void log_peer(const struct in6_addr *peer)
{
	log_peerset = peer != NULL;
	if (peer)
		log_peeraddr = *peer;
}

static void vlog(int pri, const char *fmt, va_list ap, const char *tail)
{
	char msg[1024];
	vsnprintf(msg, sizeof msg, fmt, ap);
	if (!log_peerset || !inet_ntop(AF_INET6, &log_peeraddr, log_peerbuf, sizeof log_peerbuf))
		log_peerbuf[0] = 0;
	const char *po = log_peerbuf[0] ? " [" : "", *pc = log_peerbuf[0] ? "]" : "";
	if (!log_fg) {
		syslog(pri, "%s%s%s%s: %s%s%s", log_rolename, po, log_peerbuf, pc, msg,
		       tail ? ": " : "", tail ? tail : "");
		return;
	}
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "mobd %lld.%06ld %s%s%s%s: %s%s%s\n", (long long)ts.tv_sec,
		ts.tv_nsec / 1000, log_rolename, po, log_peerbuf, pc, msg, tail ? ": " : "",
		tail ? tail : "");
}

#define LOGF(fn, pri, tail_expr, cond)                                                         \
	void fn(const char *fmt, ...)                                                          \
	{                                                                                      \
		va_list ap;                                                                    \
		const char *tail = tail_expr;                                                  \
		if (!(cond))                                                                   \
			return;                                                                \
		va_start(ap, fmt);                                                             \
		vlog(pri, fmt, ap, tail);                                                      \
		va_end(ap);                                                                    \
	}
LOGF(log_warn, LOG_WARNING, strerror(errno), true)
LOGF(log_warnx, LOG_WARNING, NULL, true)
LOGF(log_info, LOG_INFO, NULL, true)
LOGF(log_debug, LOG_DEBUG, NULL, log_v)
#undef LOGF

void fatal(const char *fmt, ...)
{
	va_list ap;
	const char *tail = strerror(errno);
	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, tail);
	va_end(ap);
	exit(1);
}

void fatalx(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(LOG_CRIT, fmt, ap, NULL);
	va_end(ap);
	exit(1);
}

void log_rl_flush(struct mobd_logrl *rl)
{
	bool set = log_peerset;
	if (!rl->held)
		return;
	/* the summary is no packet's: said without the current peer */
	log_peerset = false;
	log_info("%llu more %s lines suppressed (at most %u a second)",
		 (unsigned long long)rl->held, rl->what, rl->per_sec);
	log_peerset = set;
	rl->held = 0;
}

bool log_rl_allow(struct mobd_logrl *rl)
{
	uint64_t sec = now_ns() / 1000000000ull;
	if (sec != rl->sec) {
		log_rl_flush(rl);
		rl->sec = sec;
		rl->n = 0;
	}
	if (rl->n < rl->per_sec) {
		rl->n++;
		return true;
	}
	rl->held++;
	rl->suppressed++;
	return false;
}
