/* lib/net/cap.c: live capture for probes (see cap.h). */
#include "cap.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pcapio.h"

struct mk_cap {
	pcap_t *p;
	pcap_dumper_t *d;
	int dlt;
	int fd;
	uint64_t seen;
	/* per dispatch */
	mk_cap_fn fn;
	void *arg;
	int stop;
	char err[PCAP_ERRBUF_SIZE + 64];
};

uint64_t mk_now_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t mk_now_real_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int fail_open(struct mk_cap *c, char *err, size_t errlen, const char *what)
{
	snprintf(err, errlen, "%s: %s", what, c->p ? pcap_geterr(c->p) : "no handle");
	if (c->d)
		pcap_dump_close(c->d);
	if (c->p)
		pcap_close(c->p);
	free(c);
	return -1;
}

static struct mk_cap *cap_open(const char *ifname, const char *filter, const char *dump_path,
				int bulk, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct mk_cap *c = calloc(1, sizeof *c);
	struct bpf_program prog;
	int rc;

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	ebuf[0] = 0;
	c->p = pcap_create(ifname ? ifname : "any", ebuf);
	if (!c->p) {
		snprintf(err, errlen, "capture on %s: %s", ifname ? ifname : "any", ebuf);
		free(c);
		return NULL;
	}
	pcap_set_snaplen(c->p, 65535);
	if (bulk)
		pcap_set_timeout(c->p, 1); /* ms: the V3 block retire timeout */
	else
		pcap_set_immediate_mode(c->p, 1);
	pcap_set_buffer_size(c->p, 32 << 20);
	pcap_set_tstamp_precision(c->p, PCAP_TSTAMP_PRECISION_NANO);
	rc = pcap_activate(c->p);
	if (rc < 0) {
		fail_open(c, err, errlen, ifname ? ifname : "any");
		return NULL;
	}
	if (filter && *filter) {
		if (pcap_compile(c->p, &prog, filter, 1, PCAP_NETMASK_UNKNOWN) != 0) {
			fail_open(c, err, errlen, "capture filter");
			return NULL;
		}
		rc = pcap_setfilter(c->p, &prog);
		pcap_freecode(&prog);
		if (rc != 0) {
			fail_open(c, err, errlen, "capture filter");
			return NULL;
		}
	}
	if (pcap_setnonblock(c->p, 1, ebuf) != 0) {
		fail_open(c, err, errlen, "non-blocking capture");
		return NULL;
	}
	c->fd = pcap_get_selectable_fd(c->p);
	c->dlt = pcap_datalink(c->p);
	if (dump_path) {
		c->d = pcap_dump_open(c->p, dump_path);
		if (!c->d) {
			fail_open(c, err, errlen, dump_path);
			return NULL;
		}
	}
	return c;
}

struct mk_cap *mk_cap_open(const char *ifname, const char *filter, const char *dump_path,
			   char *err, size_t errlen)
{
	return cap_open(ifname, filter, dump_path, 0, err, errlen);
}

struct mk_cap *mk_cap_open_bulk(const char *ifname, const char *filter, const char *dump_path,
				char *err, size_t errlen)
{
	return cap_open(ifname, filter, dump_path, 1, err, errlen);
}

static void on_frame(u_char *u, const struct pcap_pkthdr *h, const u_char *frame)
{
	struct mk_cap *c = (struct mk_cap *)u;
	long off;

	c->seen++;
	if (c->d)
		pcap_dump((u_char *)c->d, h, frame);
	if (c->stop)
		return;
	off = mk_link_ip6_offset(c->dlt, frame, h->caplen);
	if (off < 0 || (size_t)off >= h->caplen)
		return;
	/* nanosecond precision: tv_usec holds nanoseconds */
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000000000u + (uint64_t)h->ts.tv_usec;
	int r = c->fn(c->arg, frame + off, h->caplen - (size_t)off, ts);
	if (r) {
		c->stop = r;
		pcap_breakloop(c->p);
	}
}

int mk_cap_poll(struct mk_cap *c, mk_cap_fn fn, void *arg)
{
	c->fn = fn;
	c->arg = arg;
	c->stop = 0;
	for (;;) {
		int n = pcap_dispatch(c->p, -1, on_frame, (u_char *)c);
		if (c->stop)
			return c->stop;
		if (n == PCAP_ERROR) {
			snprintf(c->err, sizeof c->err, "capture: %s", pcap_geterr(c->p));
			return -1;
		}
		if (n <= 0)
			return 0;
	}
}

int mk_cap_wait(struct mk_cap *c, uint64_t deadline_ns, mk_cap_fn fn, void *arg)
{
	for (;;) {
		int r = mk_cap_poll(c, fn, arg);
		if (r != 0)
			return r;
		uint64_t now = mk_now_mono_ns();
		if (now >= deadline_ns)
			return 0;
		uint64_t left_ms = (deadline_ns - now + 999999) / 1000000;
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		/* wake at least every 50 ms: TPACKET_V3 blocks may be handed
		 * over without a wakeup of the descriptor */
		if (poll(&pfd, 1, (int)(left_ms < 50 ? left_ms : 50)) < 0 && errno != EINTR) {
			snprintf(c->err, sizeof c->err, "poll: %s", strerror(errno));
			return -1;
		}
	}
}

int mk_cap_close(struct mk_cap *c, struct mk_cap_stats *stats)
{
	int rc = 0;
	struct pcap_stat ps;

	if (!c)
		return 0;
	/* what arrived after the last wait is still part of the record */
	c->stop = 1; /* dump only: no callback */
	if (c->d) {
		while (pcap_dispatch(c->p, -1, on_frame, (u_char *)c) > 0)
			;
	}
	if (stats) {
		stats->seen = c->seen;
		stats->dropped = pcap_stats(c->p, &ps) == 0 ? ps.ps_drop : 0;
	}
	if (c->d) {
		if (pcap_dump_flush(c->d) != 0)
			rc = -1;
		pcap_dump_close(c->d);
	}
	pcap_close(c->p);
	free(c);
	return rc;
}

const char *mk_cap_error(struct mk_cap *c)
{
	return c->err;
}
