/* bench/netbench.c: UDP blaster and sink for linkem's throughput bench.
 *
 *   mkbench blast DST PORT SECONDS    send 64-octet UDP datagrams to DST as
 *                                     fast as sendmmsg allows (batches of 64)
 *   mkbench sink PORT SECONDS         count datagrams received; prints
 *                                     "received N in S s" when done
 *
 * Run each with `ip netns exec`; tools/bench.sh compares a plain veth pair
 * with the same pair joined through linkem at zero delay. */
#include <arpa/inet.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

int mk_netbench(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "blast") == 0)
		return blast(argv[2], atoi(argv[3]), atof(argv[4]));
	if (argc == 4 && strcmp(argv[1], "sink") == 0)
		return sink_run(atoi(argv[2]), atof(argv[3]));
	return -1;
}
