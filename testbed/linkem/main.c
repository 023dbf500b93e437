/* testbed/linkem/main.c: the link emulator's I/O: AF_PACKET ports, the
 * learning switch, departures on a timerfd, and the control socket.
 * See linkem.h for the model and doc/linkem.1 for the command line. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <sys/timerfd.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "testbed/linkem/linkem.h"

static const char usage_text[] =
	"usage: linkem [-c CTLSOCK] [-p PIDFILE] [-n FRAMES] [-r PRIO] IFACE... [SETTING...]\n"
	"       linkem ctl CTLSOCK show\n"
	"       linkem ctl CTLSOCK set [from=IFACE] SETTING...\n"
	"       linkem ctl CTLSOCK add IFACE [SETTING...]\n"
	"       linkem ctl CTLSOCK del IFACE\n"
	"\n"
	"Joins the interfaces as one emulated Ethernet link (a learning switch) and\n"
	"delays, drops and rate-limits the frames crossing it.  Ports can be added\n"
	"and removed while it runs (a node moving between links).\n"
	"\n"
	"SETTING (per direction; a direction is named by its ingress interface):\n"
	"  delay=MS     one-way delay, milliseconds (decimals allowed)\n"
	"  jitter=MS    uniform in [-MS, +MS] around the delay; order is kept\n"
	"  loss=PCT     random loss, percent\n"
	"  rate=MBIT    serialisation rate, Mbit/s (0: unlimited)\n"
	"  queue=N      frames waiting per direction before tail drop (default 1000)\n"
	"\n"
	"  -c CTLSOCK   control socket (UNIX stream) for `linkem ctl`\n"
	"  -p PIDFILE   write the PID once the ports are open\n"
	"  -n FRAMES    frame buffers in the pool (default 16384)\n"
	"  -r PRIO      run SCHED_FIFO at PRIO (1-99) with memory locked: departures\n"
	"               stay on time when the machine is busy (linkem never spins),\n"
	"               and hold /dev/cpu_dma_latency at 0 so idle CPUs wake fast\n"
	"  -h, --help   this text\n"
	"\n"
	"SIGTERM or SIGINT: print the counters to stderr and exit 0.\n";

/* The kernel stamps received frames in CLOCK_REALTIME (SO_TIMESTAMPNS), and
 * so do the captures that judge linkem: departures are timed on the same
 * clock, with no conversion between clocks to add error.  A step of the
 * system clock while frames wait would move their departures with it; the
 * testbed runs no NTP. */
#define LE_CLOCK CLOCK_REALTIME
#define LE_SPIN_NS 200000ull /* wake this early and spin to the departure */

static struct le_port ports[LE_MAX_PORTS];
static int nports;
static struct le_frame *pool_free;
static struct {
	uint8_t mac[6];
	int8_t port; /* -1: empty */
} mac_table[LE_MAC_SLOTS];
static uint64_t rng = 0x9e3779b97f4a7c15ull;
static int epfd = -1;
static struct le_settings defaults = { .queue_max = 1000 };

static void die(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("linkem: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static uint64_t now_ns(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

static uint32_t rand32(void)
{
	/* xorshift64*: loss and jitter draws, not cryptography */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (uint32_t)((rng * 0x2545f4914f6cdd1dull) >> 32);
}

static unsigned mac_hash(const uint8_t *m)
{
	return (unsigned)(m[3] ^ m[4] * 7u ^ m[5] * 31u) % LE_MAC_SLOTS;
}

static void learn(const uint8_t *src, int port)
{
	if (src[0] & 1)
		return; /* group address as a source: never learn it */
	unsigned h = mac_hash(src);
	memcpy(mac_table[h].mac, src, 6);
	mac_table[h].port = (int8_t)port;
}

static int lookup(const uint8_t *dst)
{
	if (dst[0] & 1)
		return -1;
	unsigned h = mac_hash(dst);
	return mac_table[h].port >= 0 && memcmp(mac_table[h].mac, dst, 6) == 0 ? mac_table[h].port
										: -1;
}

static int open_port(struct le_port *p)
{
	int one = 1, buf = 4 << 20;
	int fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (fd < 0)
		return -1;
	struct sockaddr_ll a = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				 .sll_ifindex = p->ifindex };
	struct packet_mreq mr = { .mr_ifindex = p->ifindex, .mr_type = PACKET_MR_PROMISC };
	if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof one) != 0 ||
	    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr, sizeof mr) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0) {
		close(fd);
		return -1;
	}
	/* as root the limits do not apply; otherwise keep the default */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &buf, sizeof buf) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &buf, sizeof buf);
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &buf, sizeof buf);
	p->fd = fd;
	return 0;
}

static void forward(int in, struct le_frame *f)
{
	int to = f->len >= 12 ? lookup(f->data) : -1;
	struct le_port *ip = &ports[in];

	ip->c.tx_frames++;
	for (int i = 0; i < nports; i++) {
		if (ports[i].fd < 0 || i == in || (to >= 0 && i != to))
			continue;
		if (send(ports[i].fd, f->data, f->len, MSG_DONTWAIT) == (ssize_t)f->len)
			ip->c.tx_copies++;
		else
			ip->c.sendfail++;
	}
}

/* Send every frame whose time has come; return the next deadline (0: none). */
static uint64_t depart_due(void)
{
	uint64_t now = now_ns(LE_CLOCK), next = 0;

	for (int i = 0; i < nports; i++) {
		struct le_port *p = &ports[i];
		if (p->fd < 0)
			continue;
		while (p->head && p->head->depart <= now) {
			struct le_frame *f = p->head;
			p->head = f->next;
			if (!p->head)
				p->tail = NULL;
			p->queued--;
			forward(i, f);
			f->next = pool_free;
			pool_free = f;
		}
		if (p->head && (!next || p->head->depart < next))
			next = p->head->depart;
	}
	return next;
}

static unsigned queued_frames(void)
{
	unsigned q = 0;
	for (int i = 0; i < nports; i++)
		q += ports[i].fd >= 0 ? ports[i].queued : 0;
	return q;
}

static void receive(int i)
{
	struct le_port *p = &ports[i];

	for (;;) {
		struct le_frame *f = pool_free;
		uint8_t scratch[LE_FRAME_MAX];
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec))];
			struct cmsghdr align;
		} cm;
		struct sockaddr_ll from;
		struct iovec iov = { .iov_base = f ? f->data : scratch, .iov_len = LE_FRAME_MAX };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
				     .msg_iovlen = 1, .msg_control = cm.buf,
				     .msg_controllen = sizeof cm.buf };
		ssize_t n = recvmsg(p->fd, &mh, MSG_DONTWAIT | MSG_TRUNC);
		if (n < 0)
			return; /* EAGAIN, or an error the next poll reports again */
		if (from.sll_pkttype == PACKET_OUTGOING)
			continue;
		p->c.rx++;
		if (!f) {
			p->c.nobuf++;
			continue;
		}
		if (n > LE_FRAME_MAX || n < 14) {
			p->c.sendfail++; /* oversize (offloads left on?) or runt */
			continue;
		}
		uint64_t arrival = 0;
		struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
		if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
			struct timespec ts;
			memcpy(&ts, CMSG_DATA(c), sizeof ts);
			arrival = (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
		}
		if (!arrival)
			arrival = now_ns(LE_CLOCK);
		learn(f->data + 6, i);
		if (p->set.loss_ppm && (uint64_t)rand32() * 1000000u < (uint64_t)p->set.loss_ppm << 32) {
			p->c.lost++;
			continue;
		}
		if (p->queued >= p->set.queue_max) {
			p->c.qdrop++;
			continue;
		}
		pool_free = f->next;
		f->len = (uint32_t)n;
		f->next = NULL;
		f->depart = le_departure(p, arrival, f->len, rand32());
		if (p->tail)
			p->tail->next = f;
		else
			p->head = f;
		p->tail = f;
		p->queued++;
	}
}

static int port_index(const char *name)
{
	for (int i = 0; i < nports; i++)
		if (ports[i].fd >= 0 && strcmp(ports[i].name, name) == 0)
			return i;
	return -1;
}

/* Open iface as a port with settings s; its slot, or -1 with *why set. */
static int add_port(const char *name, const struct le_settings *s, const char **why)
{
	int slot = -1;

	*why = NULL;
	if (strlen(name) >= sizeof ports[0].name)
		return *why = "interface name too long", -1;
	if (port_index(name) >= 0)
		return *why = "interface already a port", -1;
	for (int i = 0; i < nports; i++)
		if (ports[i].fd < 0) {
			slot = i;
			break;
		}
	if (slot < 0 && nports == LE_MAX_PORTS)
		return *why = "no free port (at most 16)", -1;
	if (slot < 0)
		slot = nports;
	struct le_port *p = &ports[slot];
	memset(p, 0, sizeof *p);
	p->fd = -1;
	strcpy(p->name, name);
	p->ifindex = (int)if_nametoindex(name);
	if (!p->ifindex)
		return *why = "no such interface in this namespace", -1;
	p->set = *s;
	if (open_port(p) != 0)
		return *why = strerror(errno), -1;
	if (epfd >= 0) {
		struct epoll_event ev = { .events = EPOLLIN, .data.u32 = (uint32_t)slot };
		epoll_ctl(epfd, EPOLL_CTL_ADD, p->fd, &ev);
	}
	if (slot == nports)
		nports++;
	return slot;
}

/* Close port i: its waiting frames are dropped (counted as qdrop) and the
 * addresses learned on it forgotten. */
static void del_port(int i)
{
	struct le_port *p = &ports[i];

	if (epfd >= 0)
		epoll_ctl(epfd, EPOLL_CTL_DEL, p->fd, NULL);
	close(p->fd);
	p->fd = -1;
	while (p->head) {
		struct le_frame *f = p->head;
		p->head = f->next;
		f->next = pool_free;
		pool_free = f;
		p->c.qdrop++;
	}
	p->tail = NULL;
	p->queued = 0;
	for (int k = 0; k < LE_MAC_SLOTS; k++)
		if (mac_table[k].port == i)
			mac_table[k].port = -1;
}

/* "set [from=IFACE] k=v..." or "show"; reply into out. */
static void control(char *line, char *out, size_t cap)
{
	char *tok[32];
	int nt = 0;

	for (char *t = strtok(line, " \t\r\n"); t && nt < 32; t = strtok(NULL, " \t\r\n"))
		tok[nt++] = t;
	if (nt == 1 && strcmp(tok[0], "show") == 0) {
		size_t o = 0;
		for (int i = 0; i < nports && o < cap; i++) {
			struct le_port *p = &ports[i];
			if (p->fd < 0)
				continue;
			int w = snprintf(out + o, cap - o,
					 "%s delay=%.3f jitter=%.3f loss=%.4f rate=%.3f queue=%u"
					 " rx=%llu tx=%llu copies=%llu lost=%llu qdrop=%llu nobuf=%llu"
					 " fail=%llu queued=%u\n",
					 p->name, p->set.delay_ns / 1e6, p->set.jitter_ns / 1e6,
					 p->set.loss_ppm / 1e4, p->set.rate_bps / 1e6, p->set.queue_max,
					 (unsigned long long)p->c.rx, (unsigned long long)p->c.tx_frames,
					 (unsigned long long)p->c.tx_copies, (unsigned long long)p->c.lost,
					 (unsigned long long)p->c.qdrop, (unsigned long long)p->c.nobuf,
					 (unsigned long long)p->c.sendfail, p->queued);
			if (w < 0)
				break;
			o += (size_t)w;
		}
		return;
	}
	if (nt >= 2 && strcmp(tok[0], "del") == 0) {
		int i = port_index(tok[1]);
		if (i < 0 || nt != 2)
			snprintf(out, cap, "error: no port '%s'\n", tok[1]);
		else {
			del_port(i);
			snprintf(out, cap, "ok\n");
		}
		return;
	}
	if (nt >= 2 && strcmp(tok[0], "add") == 0) {
		struct le_settings s = defaults;
		const char *why;
		for (int i = 2; i < nt; i++)
			if (le_parse_setting(tok[i], &s, &why) != 0) {
				snprintf(out, cap, "error: bad setting '%s'\n", why);
				return;
			}
		if (add_port(tok[1], &s, &why) < 0)
			snprintf(out, cap, "error: cannot add '%s': %s\n", tok[1], why);
		else
			snprintf(out, cap, "ok\n");
		return;
	}
	if (nt < 2 || strcmp(tok[0], "set") != 0) {
		snprintf(out, cap, "error: expected show, set [from=IFACE] SETTING..., add IFACE [SETTING...] or del IFACE\n");
		return;
	}
	int first = 1, only = -1;
	if (strncmp(tok[1], "from=", 5) == 0) {
		only = port_index(tok[1] + 5);
		if (only < 0) {
			snprintf(out, cap, "error: no port '%s'\n", tok[1] + 5);
			return;
		}
		first = 2;
	}
	/* parse against a copy so a bad token changes nothing */
	struct le_settings s = ports[only < 0 ? 0 : only].set;
	uint32_t mask = 0;
	for (int i = first; i < nt; i++) {
		const char *bad;
		struct le_settings probe = s;
		if (le_parse_setting(tok[i], &probe, &bad) != 0) {
			snprintf(out, cap, "error: bad setting '%s'\n", bad);
			return;
		}
		/* remember which fields the command names */
		mask |= (strncmp(tok[i], "delay=", 6) == 0) << 0;
		mask |= (strncmp(tok[i], "jitter=", 7) == 0) << 1;
		mask |= (strncmp(tok[i], "loss=", 5) == 0) << 2;
		mask |= (strncmp(tok[i], "rate=", 5) == 0) << 3;
		mask |= (strncmp(tok[i], "queue=", 6) == 0) << 4;
		s = probe;
	}
	for (int i = 0; i < nports; i++) {
		if (ports[i].fd < 0 || (only >= 0 && i != only))
			continue;
		struct le_settings *d = &ports[i].set;
		if (mask & 1)
			d->delay_ns = s.delay_ns;
		if (mask & 2)
			d->jitter_ns = s.jitter_ns;
		if (mask & 4)
			d->loss_ppm = s.loss_ppm;
		if (mask & 8)
			d->rate_bps = s.rate_bps;
		if (mask & 16)
			d->queue_max = s.queue_max;
	}
	snprintf(out, cap, "ok\n");
}

static void serve_control(int lfd)
{
	int c = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	struct timeval tv = { .tv_sec = 1 };
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	char line[1024], out[LE_MAX_PORTS * 256];
	size_t n = 0;
	while (n < sizeof line - 1) {
		ssize_t r = read(c, line + n, sizeof line - 1 - n);
		if (r <= 0)
			break;
		n += (size_t)r;
		if (memchr(line, '\n', n))
			break;
	}
	line[n] = 0;
	out[0] = 0;
	control(line, out, sizeof out);
	if (write(c, out, strlen(out)) < 0)
		fprintf(stderr, "linkem: control reply: %s\n", strerror(errno));
	close(c);
}

static int ctl_client(int argc, char **argv)
{
	if (argc < 4) {
		fputs(usage_text, stderr);
		return 2;
	}
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(argv[2]) >= sizeof a.sun_path)
		die("control socket path too long: %s", argv[2]);
	strcpy(a.sun_path, argv[2]);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0)
		die("cannot connect to %s: %s", argv[2], strerror(errno));
	char cmd[1024];
	size_t o = 0;
	for (int i = 3; i < argc; i++) {
		int w = snprintf(cmd + o, sizeof cmd - o, "%s%s", i > 3 ? " " : "", argv[i]);
		if (w < 0 || (size_t)w >= sizeof cmd - o)
			die("command too long");
		o += (size_t)w;
	}
	cmd[o++] = '\n';
	if (write(s, cmd, o) != (ssize_t)o)
		die("cannot send to %s: %s", argv[2], strerror(errno));
	shutdown(s, SHUT_WR);
	char buf[4096];
	ssize_t n;
	int err = 0, first = 1;
	while ((n = read(s, buf, sizeof buf)) > 0) {
		if (first && n >= 6 && strncmp(buf, "error:", 6) == 0)
			err = 1;
		first = 0;
		fwrite(buf, 1, (size_t)n, err ? stderr : stdout);
	}
	close(s);
	return err ? 2 : 0;
}

static int listen_control(const char *path)
{
	struct sockaddr_un a = { .sun_family = AF_UNIX };
	if (strlen(path) >= sizeof a.sun_path)
		die("control socket path too long: %s", path);
	strcpy(a.sun_path, path);
	unlink(path);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 || listen(s, 8) != 0)
		die("cannot listen on %s: %s", path, strerror(errno));
	return s;
}

static void print_counters(void)
{
	char out[LE_MAX_PORTS * 256], cmd[] = "show";
	control(cmd, out, sizeof out);
	fputs(out, stderr);
}

int main(int argc, char **argv)
{
	const char *ctl = NULL, *pidfile = NULL;
	long nframes = 16384;
	int rtprio = 0;
	const char *ifs[LE_MAX_PORTS];
	int nifs = 0;

	if (argc > 1 && strcmp(argv[1], "ctl") == 0)
		return ctl_client(argc, argv);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			fputs(usage_text, stdout);
			return 0;
		} else if (strcmp(a, "-c") == 0 && i + 1 < argc) {
			ctl = argv[++i];
		} else if (strcmp(a, "-p") == 0 && i + 1 < argc) {
			pidfile = argv[++i];
		} else if (strcmp(a, "-n") == 0 && i + 1 < argc) {
			char *end;
			nframes = strtol(argv[++i], &end, 10);
			if (*end || nframes < 16 || nframes > 1 << 20)
				die("-n %s: expected a number of frames from 16 to 1048576", argv[i]);
		} else if (strcmp(a, "-r") == 0 && i + 1 < argc) {
			char *end;
			rtprio = (int)strtol(argv[++i], &end, 10);
			if (*end || rtprio < 1 || rtprio > 99)
				die("-r %s: expected a SCHED_FIFO priority from 1 to 99", argv[i]);
		} else if (a[0] == '-') {
			fprintf(stderr, "linkem: unknown option '%s'\n%s", a, usage_text);
			return 2;
		} else if (strchr(a, '=')) {
			const char *bad;
			if (le_parse_setting(a, &defaults, &bad) != 0)
				die("bad setting '%s' (see --help)", bad);
		} else {
			if (nifs == LE_MAX_PORTS)
				die("at most %d interfaces", LE_MAX_PORTS);
			ifs[nifs++] = a;
		}
	}
	if (nifs < 1) {
		fprintf(stderr, "linkem: need at least one interface\n%s", usage_text);
		return 2;
	}
	for (int i = 0; i < LE_MAC_SLOTS; i++)
		mac_table[i].port = -1;
	for (int i = 0; i < nifs; i++) {
		const char *why;
		if (add_port(ifs[i], &defaults, &why) < 0)
			die("%s: %s", ifs[i], why);
	}
	struct le_frame *pool = calloc((size_t)nframes, sizeof *pool);
	if (!pool)
		die("cannot allocate %ld frame buffers", nframes);
	for (long i = nframes - 1; i >= 0; i--) {
		pool[i].next = pool_free;
		pool_free = &pool[i];
	}
	rng ^= now_ns(CLOCK_REALTIME) ^ (uint64_t)getpid() << 32;
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	if (rtprio) {
		struct sched_param sp = { .sched_priority = rtprio };
		if (sched_setscheduler(0, SCHED_FIFO, &sp) != 0 || mlockall(MCL_CURRENT | MCL_FUTURE) != 0)
			die("-r %d: %s", rtprio, strerror(errno));
		/* Keep idle CPUs out of deep idle (PM QoS, held while the fd is open):
		 * on this testbed's VMs the haltpoll idle driver made a timer wake-up
		 * of an idle vCPU take milliseconds (p99 of the delay error 1.8-6.5 ms
		 * instead of 55-150 us).  Idle CPUs then poll; no task is slowed. */
		int qos = open("/dev/cpu_dma_latency", O_WRONLY | O_CLOEXEC);
		int32_t zero = 0;
		if (qos < 0 || write(qos, &zero, sizeof zero) != sizeof zero)
			fprintf(stderr, "linkem: /dev/cpu_dma_latency: %s (timing less exact)\n",
				strerror(errno));
	}

	int ep = epfd = epoll_create1(EPOLL_CLOEXEC);
	int tfd = timerfd_create(LE_CLOCK, TFD_NONBLOCK | TFD_CLOEXEC);
	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	int sfd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);
	int lfd = ctl ? listen_control(ctl) : -1;
	if (ep < 0 || tfd < 0 || sfd < 0)
		die("epoll/timerfd/signalfd: %s", strerror(errno));
	struct epoll_event ev = { .events = EPOLLIN };
	for (int i = 0; i < nports; i++) {
		ev.data.u32 = (uint32_t)i;
		epoll_ctl(ep, EPOLL_CTL_ADD, ports[i].fd, &ev);
	}
	ev.data.u32 = 100;
	epoll_ctl(ep, EPOLL_CTL_ADD, tfd, &ev);
	ev.data.u32 = 101;
	epoll_ctl(ep, EPOLL_CTL_ADD, sfd, &ev);
	if (lfd >= 0) {
		ev.data.u32 = 102;
		epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	}
	if (pidfile) {
		FILE *f = fopen(pidfile, "w");
		if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f) != 0)
			die("cannot write %s", pidfile);
	}

	uint64_t armed = 0;
	for (;;) {
		struct epoll_event evs[LE_MAX_PORTS + 3];
		int n = epoll_wait(ep, evs, LE_MAX_PORTS + 3, -1);
		if (n < 0 && errno != EINTR)
			die("epoll_wait: %s", strerror(errno));
		for (int k = 0; k < n; k++) {
			uint32_t id = evs[k].data.u32;
			if (id < (uint32_t)nports) {
				if (ports[id].fd >= 0)
					receive((int)id);
			} else if (id == 100) {
				uint64_t x;
				if (read(tfd, &x, sizeof x) < 0 && errno != EAGAIN)
					die("timerfd: %s", strerror(errno));
				armed = 0;
			} else if (id == 101) {
				print_counters();
				if (ctl)
					unlink(ctl);
				return 0;
			} else if (id == 102) {
				serve_control(lfd);
			}
		}
		uint64_t next = depart_due();
		/* A timer wakes this process tens of microseconds late on a virtual
		 * machine, later after a longer sleep; so on a quiet link (a frame
		 * or two in flight, a ping) it is armed LE_SPIN_NS early and the
		 * last stretch is spun on the clock: departures then keep to the
		 * configured delay within a few microseconds.  A busy link is not
		 * spun for: spinning there takes the CPU from the senders. */
		bool spin = queued_frames() <= 2;
		while (spin && next && next - LE_SPIN_NS <= now_ns(LE_CLOCK)) {
			while (now_ns(LE_CLOCK) < next)
				;
			next = depart_due();
		}
		uint64_t at = spin ? next - LE_SPIN_NS : next;
		if (next && at != armed) {
			struct itimerspec it = { .it_value = { .tv_sec = (time_t)(at / 1000000000ull),
							       .tv_nsec = (long)(at % 1000000000ull) } };
			timerfd_settime(tfd, TFD_TIMER_ABSTIME, &it, NULL);
			armed = at;
		}
	}
}
