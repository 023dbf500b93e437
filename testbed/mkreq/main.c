/* testbed/mkreq/main.c: mkreq, request/response load over TCP for the
 * server-mobility campaigns (issue 15: "N clients connect at once and
 * exchange requests").
 *
 *   mkreq serve [OPTIONS] PORT     accept connections on PORT (any address,
 *                                  or --bind ADDR) until killed: on each,
 *                                  read a request of --request octets,
 *                                  answer --reply octets, again, until EOF
 *   mkreq run [OPTIONS] ADDR PORT N R
 *                                  open N connections to ADDR at once (all
 *                                  the connects issued before any is
 *                                  waited for), then on each, R exchanges
 *                                  one after the other (a request, the
 *                                  whole reply, --gap ms, the next), all N
 *                                  connections at the same time
 *
 * One process, one poll() loop, for either side.  The tool keeps no
 * clock of its own for the figures: RTTs come from captures (`mobcap
 * latency rtt` pairs each request segment with its reply segment).  `run`
 * prints "connections N exchanges X" (X = N * R) and exits 0 when every
 * exchange is done; one line naming the failure and exit 1 otherwise
 * (a connection refused or reset, a short reply, --timeout passed); exit 2
 * for bad arguments, before any socket exists.  See doc/mkreq.1. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONNS 4096
#define MAX_MSG 65536

static const char usage_text[] =
	"usage: mkreq serve [--bind ADDR] [--request BYTES] [--reply BYTES] PORT\n"
	"       mkreq run [--request BYTES] [--reply BYTES] [--gap MS] [--timeout S] ADDR PORT N R\n"
	"request/response load over TCP: N connections at once, R exchanges each (doc/mkreq.1)\n";

__attribute__((format(printf, 1, 2), noreturn))
static void usage_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("mkreq: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (mkreq --help)\n", stderr);
	exit(2);
}

/* A whole decimal number in [lo, hi] with nothing before or after it;
 * otherwise one line naming the value, exit 2. */
static unsigned long number(const char *what, const char *s, unsigned long lo, unsigned long hi)
{
	char *end = NULL;
	unsigned long v = 0;
	errno = 0;
	if (*s >= '0' && *s <= '9')
		v = strtoul(s, &end, 10);
	if (!end || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "mkreq: %s '%s': not a whole number from %lu to %lu\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void nonblock(int s)
{
	int fl = fcntl(s, F_GETFL);
	if (fl < 0 || fcntl(s, F_SETFL, fl | O_NONBLOCK) < 0) {
		printf("fcntl: %s\n", strerror(errno));
		exit(1);
	}
}

/* one connection, either side: how far its current request or reply is */
struct conn {
	int fd;
	bool connected;     /* run: the connect finished */
	bool sending;       /* run: writing a request; serve: writing a reply */
	size_t off;         /* octets of the current message done */
	unsigned long left; /* run: exchanges still to do */
	double next;        /* run: when the next request may start (--gap) */
};

static size_t req_len = 64, rep_len = 256;
static char buf[MAX_MSG];

/* ---- serve ---- */

static int serve(const char *bind_addr, unsigned port)
{
	static struct conn c[MAX_CONNS];
	static struct pollfd p[MAX_CONNS + 1];
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	size_t n = 0;
	int one = 1, ls;

	if (bind_addr && inet_pton(AF_INET6, bind_addr, &sa.sin6_addr) != 1)
		usage_fail("serve: --bind '%s': not an IPv6 address", bind_addr);
	ls = socket(AF_INET6, SOCK_STREAM, 0);
	if (ls < 0) {
		printf("serve: socket: %s\n", strerror(errno));
		return 1;
	}
	setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	/* the home address may sit on the mobile node's TUN or come later */
	setsockopt(ls, IPPROTO_IPV6, IPV6_FREEBIND, &one, sizeof one);
	if (bind(ls, (struct sockaddr *)&sa, sizeof sa) || listen(ls, 1024)) {
		printf("serve: bind/listen: %s\n", strerror(errno));
		return 1;
	}
	nonblock(ls);
	printf("listening on port %u, request %zu octets, reply %zu\n", port, req_len, rep_len);
	memset(buf, 'r', sizeof buf);
	for (;;) {
		p[0] = (struct pollfd){ .fd = ls, .events = POLLIN };
		for (size_t i = 0; i < n; i++)
			p[i + 1] = (struct pollfd){ .fd = c[i].fd, .events = c[i].sending ? POLLOUT : POLLIN };
		if (poll(p, n + 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			printf("serve: poll: %s\n", strerror(errno));
			return 1;
		}
		for (size_t i = n; i-- > 0;) {
			struct conn *k = &c[i];
			ssize_t r;
			if (!p[i + 1].revents)
				continue;
			if (k->sending) {
				r = write(k->fd, buf, rep_len - k->off);
				if (r > 0 && (k->off += (size_t)r) == rep_len)
					k->sending = false, k->off = 0;
			} else {
				r = read(k->fd, buf, req_len - k->off);
				if (r > 0 && (k->off += (size_t)r) == req_len)
					k->sending = true, k->off = 0;
			}
			if (r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR)) {
				close(k->fd); /* EOF or reset: the connection is done */
				c[i] = c[--n];
			}
		}
		if (p[0].revents & POLLIN) {
			int fd;
			while (n < MAX_CONNS && (fd = accept(ls, NULL, NULL)) >= 0) {
				nonblock(fd);
				setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
				c[n++] = (struct conn){ .fd = fd };
			}
		}
	}
}

/* ---- run ---- */

static int fail_run(unsigned long done, unsigned long total, const char *what, int err)
{
	printf("run: %s after %lu of %lu exchanges: %s\n", what, done, total, strerror(err));
	return 1;
}

static int run(const char *addr, unsigned port, unsigned long nconn, unsigned long rounds,
	       unsigned long gap_ms, unsigned long timeout_s)
{
	static struct conn c[MAX_CONNS];
	static struct pollfd p[MAX_CONNS];
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	unsigned long done = 0, total = nconn * rounds, open = nconn;
	double deadline = now() + (double)timeout_s;
	int one = 1;

	if (inet_pton(AF_INET6, addr, &sa.sin6_addr) != 1)
		usage_fail("run: address '%s': not an IPv6 address", addr);
	memset(buf, 'q', sizeof buf);
	/* every connect issued first: the N clients arrive at once */
	for (size_t i = 0; i < nconn; i++) {
		int fd = socket(AF_INET6, SOCK_STREAM, 0);
		if (fd < 0)
			return fail_run(done, total, "socket", errno);
		nonblock(fd);
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS)
			return fail_run(done, total, "connect", errno);
		c[i] = (struct conn){ .fd = fd, .left = rounds, .sending = true };
	}
	while (open > 0) {
		double t = now(), wake = deadline;
		if (t >= deadline) {
			printf("run: timeout (%lu s) after %lu of %lu exchanges\n", timeout_s, done, total);
			return 1;
		}
		for (size_t i = 0; i < nconn; i++) {
			struct conn *k = &c[i];
			if (k->fd < 0)
				continue;
			if (k->connected && k->sending && k->off == 0 && k->next > t) {
				if (k->next < wake)
					wake = k->next; /* in its gap */
				p[i] = (struct pollfd){ .fd = -1 };
				continue;
			}
			p[i] = (struct pollfd){ .fd = k->fd, .events = !k->connected || k->sending ? POLLOUT : POLLIN };
		}
		int ms = (int)((wake - t) * 1000) + 1;
		if (poll(p, nconn, ms) < 0 && errno != EINTR)
			return fail_run(done, total, "poll", errno);
		for (size_t i = 0; i < nconn; i++) {
			struct conn *k = &c[i];
			ssize_t r;
			if (k->fd < 0 || !p[i].revents)
				continue;
			if (!k->connected) {
				int err = 0;
				socklen_t l = sizeof err;
				getsockopt(k->fd, SOL_SOCKET, SO_ERROR, &err, &l);
				if (err)
					return fail_run(done, total, "connect", err);
				k->connected = true;
				continue;
			}
			if (k->sending) {
				r = write(k->fd, buf, req_len - k->off);
				if (r > 0 && (k->off += (size_t)r) == req_len)
					k->sending = false, k->off = 0;
			} else {
				r = read(k->fd, buf, rep_len - k->off);
				if (r == 0) {
					printf("run: connection %zu closed by the server after %lu of %lu exchanges\n", i, done, total);
					return 1;
				}
				if (r > 0 && (k->off += (size_t)r) == rep_len) {
					k->off = 0;
					done++;
					if (--k->left == 0) {
						close(k->fd);
						k->fd = -1;
						open--;
						continue;
					}
					k->sending = true;
					k->next = now() + (double)gap_ms / 1000;
				}
			}
			if (r < 0 && errno != EAGAIN && errno != EINTR)
				return fail_run(done, total, k->sending ? "write" : "read", errno);
		}
	}
	printf("connections %lu exchanges %lu\n", nconn, done);
	return 0;
}

int main(int argc, char **argv)
{
	const char *bind_addr = NULL;
	unsigned long gap = 0, timeout = 60;
	int i = 2;

	setvbuf(stdout, NULL, _IOLBF, 0);
	signal(SIGPIPE, SIG_IGN);
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		fputs(usage_text, stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "serve") && strcmp(argv[1], "run"))) {
		fputs(usage_text, stderr);
		return 2;
	}
	bool srv = !strcmp(argv[1], "serve");
	for (; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
		const char *o = argv[i];
		if (i + 1 >= argc)
			usage_fail("option '%s' needs a value", o);
		if (!strcmp(o, "--request"))
			req_len = number("--request", argv[i + 1], 1, MAX_MSG);
		else if (!strcmp(o, "--reply"))
			rep_len = number("--reply", argv[i + 1], 1, MAX_MSG);
		else if (srv && !strcmp(o, "--bind"))
			bind_addr = argv[i + 1];
		else if (!srv && !strcmp(o, "--gap"))
			gap = number("--gap", argv[i + 1], 0, 60000);
		else if (!srv && !strcmp(o, "--timeout"))
			timeout = number("--timeout", argv[i + 1], 1, 86400);
		else
			usage_fail("unknown option '%s'", o);
	}
	if (srv) {
		if (argc - i != 1)
			usage_fail("serve: expected PORT after the options, got %s", argc - i ? "more" : "nothing");
		return serve(bind_addr, (unsigned)number("port", argv[i], 1, 65535));
	}
	if (argc - i != 4)
		usage_fail("run: expected ADDR PORT N R after the options, got %s", argc - i < 4 ? "fewer" : "more");
	struct in6_addr a;
	if (inet_pton(AF_INET6, argv[i], &a) != 1)
		usage_fail("run: address '%s': not an IPv6 address", argv[i]);
	unsigned port = (unsigned)number("port", argv[i + 1], 1, 65535);
	unsigned long n = number("N (connections)", argv[i + 2], 1, MAX_CONNS);
	unsigned long r = number("R (exchanges per connection)", argv[i + 3], 1, 1000000);
	return run(argv[i], port, n, r, gap, timeout);
}
