/* bench/netbench.c: UDP blaster and sink for linkem's throughput bench.
 *
 *   mkbench blast DST PORT SECONDS    send 64-octet UDP datagrams to DST as
 *                                     fast as sendmmsg allows (batches of 64)
 *   mkbench sink PORT SECONDS         count datagrams received; prints
 *                                     "received N in S s" when done
 *   mkbench pace DST PORT RATE SECONDS   send timed datagrams at RATE per s
 *   mkbench delay PORT SECONDS MS     their one-way delay minus MS: prints
 *                                     "delay N MEDIAN P1 P99 MIN MAX" (ns)
 *
 * Run each with `ip netns exec`; tools/bench-linkem.sh compares a plain
 * veth pair with the same pair joined through linkem at zero delay, and
 * times linkem at 10 ms against the same plain pair. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <endian.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

int mk_netbench(int argc, char **argv);

enum { BATCH = 64, PAYLOAD = 64 };

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static int blast(const char *dst, int port, double secs)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET6, dst, &to.sin6_addr) != 1) {
		fprintf(stderr, "mkbench: bad IPv6 address '%s'\n", dst);
		return 2;
	}
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	if (s < 0)
		return 2;
	static uint8_t pl[BATCH][PAYLOAD];
	struct iovec iov[BATCH];
	struct mmsghdr mm[BATCH];
	for (int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = pl[i], .iov_len = PAYLOAD };
		mm[i].msg_hdr = (struct msghdr){ .msg_name = &to, .msg_namelen = sizeof to,
						 .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	unsigned long long sent = 0;
	double t0 = mono(), t;
	while ((t = mono()) - t0 < secs) {
		int n = sendmmsg(s, mm, BATCH, 0);
		if (n > 0)
			sent += (unsigned)n;
		else if (errno != ENOBUFS && errno != EAGAIN)
			break;
	}
	printf("sent %llu in %.3f s\n", sent, t - t0);
	close(s);
	return 0;
}

static int sink_run(int port, double secs)
{
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int s = socket(AF_INET6, SOCK_DGRAM, 0), big = 8 << 20;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0)
		return 2;
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
	static uint8_t buf[BATCH][2048];
	struct iovec iov[BATCH];
	struct mmsghdr mm[BATCH];
	for (int i = 0; i < BATCH; i++) {
		iov[i] = (struct iovec){ .iov_base = buf[i], .iov_len = sizeof buf[i] };
		mm[i].msg_hdr = (struct msghdr){ .msg_iov = &iov[i], .msg_iovlen = 1 };
	}
	printf("ready\n");
	fflush(stdout);
	unsigned long long got = 0;
	double first = 0, last = 0, t0 = mono();
	while (mono() - t0 < secs) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		if (poll(&p, 1, 100) != 1)
			continue;
		int n = recvmmsg(s, mm, BATCH, MSG_DONTWAIT, NULL);
		if (n > 0) {
			last = mono();
			if (!got)
				first = last;
			got += (unsigned)n;
		}
	}
	printf("received %llu in %.3f s\n", got, last > first ? last - first : 0.0);
	close(s);
	return 0;
}


/* Payload of a timed datagram: sequence number and the CLOCK_REALTIME time
 * it was handed to the kernel, both big-endian. */
enum { TIMED_LEN = 12 };

static uint64_t realtime_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_REALTIME, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + (uint64_t)t.tv_nsec;
}

/* Send `rate` timed datagrams per second for secs seconds, paced on an
 * absolute clock: when a wake-up comes late, the datagrams due by then go
 * at once, each stamped as it is sent. */
static int pace(const char *dst, int port, double rate, double secs)
{
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port) };
	if (inet_pton(AF_INET6, dst, &to.sin6_addr) != 1 || port < 1 || port > 65535 || !(rate >= 1 && rate <= 1e7) ||
	    !(secs > 0 && secs < 3600)) {
		fprintf(stderr, "mkbench: pace: bad address, port, rate or duration\n");
		return 2;
	}
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	if (s < 0)
		return 2;
	uint64_t total = (uint64_t)(rate * secs), sent = 0;
	double gap = 1e9 / rate;
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t start = (uint64_t)t0.tv_sec * 1000000000ull + (uint64_t)t0.tv_nsec;
	for (uint64_t i = 0; i < total;) {
		uint64_t due = start + (uint64_t)((double)i * gap);
		struct timespec w = { .tv_sec = (time_t)(due / 1000000000ull), .tv_nsec = (long)(due % 1000000000ull) };
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &w, NULL) == EINTR)
			;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		uint64_t m = (uint64_t)now.tv_sec * 1000000000ull + (uint64_t)now.tv_nsec;
		do {
			uint8_t pl[TIMED_LEN];
			uint32_t seq = htonl((uint32_t)i);
			uint64_t ts = htobe64(realtime_ns());
			memcpy(pl, &seq, 4);
			memcpy(pl + 4, &ts, 8);
			if (sendto(s, pl, sizeof pl, 0, (struct sockaddr *)&to, sizeof to) == sizeof pl)
				sent++;
			i++;
		} while (i < total && start + (uint64_t)((double)i * gap) <= m);
	}
	printf("sent %llu of %llu\n", (unsigned long long)sent, (unsigned long long)total);
	close(s);
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* Receive timed datagrams for secs seconds; each one's error is its kernel
 * receive time (SO_TIMESTAMPNS) minus its send time minus delay_ms.  Prints
 * "delay N MEDIAN P1 P99 MIN MAX" (ns) when done. */
static int delay_sink(int port, double secs, double delay_ms)
{
	if (port < 1 || port > 65535 || !(secs > 0 && secs < 3600) || !(delay_ms >= 0 && delay_ms < 60000)) {
		fprintf(stderr, "mkbench: delay: bad port, duration or delay\n");
		return 2;
	}
	struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port),
				  .sin6_addr = IN6ADDR_ANY_INIT };
	int s = socket(AF_INET6, SOCK_DGRAM, 0), big = 8 << 20, one = 1;
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    setsockopt(s, SOL_SOCKET, SO_TIMESTAMPNS, &one, sizeof one) != 0)
		return 2;
	setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof big);
	size_t cap = 4u << 20, n = 0;
	int64_t *err = malloc(cap * sizeof *err);
	if (!err)
		return 2;
	int64_t delay = (int64_t)(delay_ms * 1e6);
	printf("ready\n");
	fflush(stdout);
	double t0 = mono();
	while (mono() - t0 < secs && n < cap) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		if (poll(&p, 1, 100) != 1)
			continue;
		uint8_t pl[64];
		union {
			char buf[CMSG_SPACE(sizeof(struct timespec))];
			struct cmsghdr align;
		} cm;
		struct iovec iov = { .iov_base = pl, .iov_len = sizeof pl };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cm.buf,
				     .msg_controllen = sizeof cm.buf };
		ssize_t r;
		while (n < cap && (r = recvmsg(s, &mh, MSG_DONTWAIT)) >= 0) {
			struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
			if (r == TIMED_LEN && c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SO_TIMESTAMPNS) {
				struct timespec ts;
				uint64_t sent;
				memcpy(&ts, CMSG_DATA(c), sizeof ts);
				memcpy(&sent, pl + 4, 8);
				int64_t rx = (int64_t)ts.tv_sec * 1000000000ll + ts.tv_nsec;
				err[n++] = rx - (int64_t)be64toh(sent) - delay;
			}
			mh.msg_controllen = sizeof cm.buf;
		}
	}
	close(s);
	if (!n) {
		printf("delay 0 0 0 0 0 0\n");
		free(err);
		return 0;
	}
	qsort(err, n, sizeof *err, cmp_i64);
	printf("delay %zu %lld %lld %lld %lld %lld\n", n, (long long)err[n / 2], (long long)err[n / 100],
	       (long long)err[n * 99 / 100], (long long)err[0], (long long)err[n - 1]);
	free(err);
	return 0;
}

int mk_netbench(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "blast") == 0)
		return blast(argv[2], atoi(argv[3]), atof(argv[4]));
	if (argc == 4 && strcmp(argv[1], "sink") == 0)
		return sink_run(atoi(argv[2]), atof(argv[3]));
	if (argc == 6 && strcmp(argv[1], "pace") == 0)
		return pace(argv[2], atoi(argv[3]), atof(argv[4]), atof(argv[5]));
	if (argc == 5 && strcmp(argv[1], "delay") == 0)
		return delay_sink(atoi(argv[2]), atof(argv[3]), atof(argv[4]));
	return -1;
}
