/* stack/core/ev.c: the event loop (epoll for descriptors, one timerfd for
 * every timer) and the clocks; nothing else.
 *
 * Timers are few (a mobile node has a handful; a home agent one sweep for
 * its whole binding cache; a control connection one), so they live in a
 * plain list and the earliest is found by a scan. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>

#include "net/cap.h"
#include "stack/core/core.h"

#define EV_MAX_FDS (MOBD_CTL_MAX_CONNS + 16)

static int ev_epfd = -1, ev_tfd = -1;
static struct mobd_timer *ev_timers;
static struct {
	int fd;
	mobd_fd_cb cb;
	void *arg;
} ev_fds[EV_MAX_FDS];

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

static void rearm(void)
{
	uint64_t first = 0, now = now_ns();
	struct itimerspec its = { 0 };
	for (struct mobd_timer *t = ev_timers; t; t = t->next)
		if (!first || t->due < first)
			first = t->due;
	if (first) {
		uint64_t d = first > now ? first - now : 1;
		its.it_value.tv_sec = (time_t)(d / 1000000000ull);
		its.it_value.tv_nsec = (long)(d % 1000000000ull);
	}
	timerfd_settime(ev_tfd, 0, &its, NULL);
}

static void unlink_timer(struct mobd_timer *t)
{
	for (struct mobd_timer **p = &ev_timers; *p; p = &(*p)->next)
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
	t->next = ev_timers;
	ev_timers = t;
	t->linked = true;
	rearm();
}

static void run_timers(void)
{
	uint64_t exp;
	if (read(ev_tfd, &exp, sizeof exp) < 0 && errno != EAGAIN)
		return;
	for (;;) {
		uint64_t now = now_ns();
		struct mobd_timer *due = NULL;
		for (struct mobd_timer *t = ev_timers; t; t = t->next)
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
	ev_epfd = epoll_create1(EPOLL_CLOEXEC);
	ev_tfd = timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC);
	if (ev_epfd < 0 || ev_tfd < 0)
		return -1;
	struct epoll_event e = { .events = EPOLLIN, .data.fd = ev_tfd };
	return epoll_ctl(ev_epfd, EPOLL_CTL_ADD, ev_tfd, &e);
}

void ev_fini(void)
{
	if (ev_epfd >= 0)
		close(ev_epfd);
	if (ev_tfd >= 0)
		close(ev_tfd);
	ev_epfd = ev_tfd = -1;
	ev_timers = NULL;
	memset(ev_fds, 0, sizeof ev_fds);
}

int ev_add(int fd, mobd_fd_cb cb, void *arg)
{
	for (int i = 0; i < EV_MAX_FDS; i++)
		if (!ev_fds[i].cb) {
			struct epoll_event e = { .events = EPOLLIN, .data.fd = fd };
			if (epoll_ctl(ev_epfd, EPOLL_CTL_ADD, fd, &e) != 0)
				return -1;
			ev_fds[i].fd = fd;
			ev_fds[i].cb = cb;
			ev_fds[i].arg = arg;
			return 0;
		}
	errno = ENOSPC;
	return -1;
}

int ev_mod(int fd, uint32_t events)
{
	struct epoll_event e = { .events = events, .data.fd = fd };
	return epoll_ctl(ev_epfd, EPOLL_CTL_MOD, fd, &e);
}

void ev_del(int fd)
{
	for (int i = 0; i < EV_MAX_FDS; i++)
		if (ev_fds[i].cb && ev_fds[i].fd == fd) {
			epoll_ctl(ev_epfd, EPOLL_CTL_DEL, fd, NULL);
			ev_fds[i].cb = NULL;
		}
}

int ev_run_once(int timeout_ms)
{
	struct epoll_event ev[16];
	int n = epoll_wait(ev_epfd, ev, 16, timeout_ms);
	if (n < 0)
		return errno == EINTR ? 0 : -1;
	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;
		if (fd == ev_tfd) {
			run_timers();
			continue;
		}
		for (int k = 0; k < EV_MAX_FDS; k++)
			if (ev_fds[k].cb && ev_fds[k].fd == fd) {
				ev_fds[k].cb(ev_fds[k].arg, ev[i].events);
				break;
			}
	}
	return n;
}

int ev_run(volatile int *stop)
{
	while (!*stop)
		if (ev_run_once(-1) < 0)
			return -1;
	return 0;
}
