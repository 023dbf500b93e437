/* stack/mobd/ev.c: the event loop (epoll for descriptors, one timerfd for
 * every timer), the clocks and the log.
 *
 * Timers are few (a mobile node has a handful; a home agent one sweep for
 * its whole binding cache), so they live in a plain list and the earliest
 * is found by a scan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "mobd.h"
#include "net/cap.h"

#define EV_MAX_FDS 16

static int epfd = -1, tfd = -1;
static struct mobd_timer *timers;
static struct {
	int fd;
	mobd_fd_cb cb;
	void *arg;
} fds[EV_MAX_FDS];

int mobd_verbose;

uint64_t now_ns(void)
{
	return mk_now_mono_ns();
}

uint64_t now_real_ntp(void)
{
	uint64_t ns = mk_now_real_ns();
	/* RFC 4285 5: 64-bit NTP-style timestamp, seconds since 1900 */
	return (ns / 1000000000ull + 2208988800ull) << 32 |
	       (((ns % 1000000000ull) << 32) / 1000000000ull);
}

static void vlog(const char *fmt, va_list ap)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	fprintf(stderr, "mobd %lld.%06ld ", (long long)ts.tv_sec, ts.tv_nsec / 1000);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void logm(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

void dbg(const char *fmt, ...)
{
	va_list ap;
	if (!mobd_verbose)
		return;
	va_start(ap, fmt);
	vlog(fmt, ap);
	va_end(ap);
}

static void rearm(void)
{
	uint64_t first = 0, now = now_ns();
	struct itimerspec its = { 0 };
	for (struct mobd_timer *t = timers; t; t = t->next)
		if (!first || t->due < first)
			first = t->due;
	if (first) {
		uint64_t d = first > now ? first - now : 1;
		its.it_value.tv_sec = (time_t)(d / 1000000000ull);
		its.it_value.tv_nsec = (long)(d % 1000000000ull);
	}
	timerfd_settime(tfd, 0, &its, NULL);
}

static void unlink_timer(struct mobd_timer *t)
{
	for (struct mobd_timer **p = &timers; *p; p = &(*p)->next)
		if (*p == t) {
			*p = t->next;
			break;
		}
	t->linked = false;
}

void ev_timer_stop(struct mobd_timer *t)
{
	if (!t->linked)
		return;
	unlink_timer(t);
	t->due = 0;
	rearm();
}

void ev_timer_arm(struct mobd_timer *t, uint64_t after_ms)
{
	if (t->linked)
		unlink_timer(t);
	t->due = now_ns() + after_ms * 1000000ull;
	t->next = timers;
	timers = t;
	t->linked = true;
	rearm();
}

static void run_timers(void)
{
	uint64_t exp;
	if (read(tfd, &exp, sizeof exp) < 0 && errno != EAGAIN)
		return;
	for (;;) {
		uint64_t now = now_ns();
		struct mobd_timer *due = NULL;
		for (struct mobd_timer *t = timers; t; t = t->next)
			if (t->due <= now && (!due || t->due < due->due))
				due = t;
		if (!due)
			break;
		unlink_timer(due);
		due->due = 0;
		due->cb(due->arg);
	}
	rearm();
}

int ev_init(void)
{
	epfd = epoll_create1(EPOLL_CLOEXEC);
	tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (epfd < 0 || tfd < 0)
		return -1;
	struct epoll_event e = { .events = EPOLLIN, .data.fd = tfd };
	return epoll_ctl(epfd, EPOLL_CTL_ADD, tfd, &e);
}

int ev_add(int fd, mobd_fd_cb cb, void *arg)
{
	for (int i = 0; i < EV_MAX_FDS; i++)
		if (!fds[i].cb) {
			struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };
			if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &e) != 0)
				return -1;
			fds[i].fd = fd;
			fds[i].cb = cb;
			fds[i].arg = arg;
			return 0;
		}
	errno = ENOSPC;
	return -1;
}

void ev_del(int fd)
{
	for (int i = 0; i < EV_MAX_FDS; i++)
		if (fds[i].cb && fds[i].fd == fd) {
			epoll_ctl(epfd, EPOLL_CTL_DEL, fd, NULL);
			fds[i].cb = NULL;
		}
}

int ev_run(volatile int *stop)
{
	struct epoll_event ev[16];
	while (!*stop) {
		int n = epoll_wait(epfd, ev, 16, -1);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (int i = 0; i < n; i++) {
			int fd = ev[i].data.fd;
			if (fd == tfd) {
				run_timers();
				continue;
			}
			for (int k = 0; k < EV_MAX_FDS; k++)
				if (fds[k].cb && fds[k].fd == fd) {
					fds[k].cb(fds[k].arg, ev[i].events);
					break;
				}
		}
	}
	return 0;
}
