/* bench/connbench.c: TCP for the migration shim's bench (tools/bench-migrate.sh):
 * many idle connections at once, for the memory a shim spends per
 * connection, and an unpaced bulk stream, for its cost per packet.
 *
 *   mkbench hold listen PORT N SECONDS        accept N connections on
 *                                             [::]:PORT and keep them
 *   mkbench hold connect ADDR PORT N SECONDS  open N connections to
 *                                             [ADDR]:PORT and keep them
 *
 *   mkbench bulk recv PORT                    accept one connection, read
 *                                             it to its end, print "bytes N"
 *   mkbench bulk send ADDR PORT BYTES         connect, write BYTES zero
 *                                             octets in 64 KiB writes, close,
 *                                             wait for the peer's close, print
 *                                             "bytes N seconds S" (connect to
 *                                             close, wall clock)
 *
 * (bulk is unpaced and cheap per octet, unlike mkstream's paced 1 KiB
 * writes with a digest, so the path, not the program, is what limits it.)
 *
 * hold prints "held N" once it has all N (connect: every handshake done;
 * listen: every connection accepted), then keeps them open for SECONDS or
 * until SIGTERM/SIGINT, and exits 0; 1 on a socket error (named), 2 usage.
 * The connections carry no data: what is measured is the state kept for
 * each, not traffic.  Run with `ip netns exec`. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int mk_connbench(int argc, char **argv);

static volatile sig_atomic_t stop;

static void on_sig(int s)
{
	(void)s;
	stop = 1;
}

static long num(const char *what, const char *s, long lo, long hi)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (*s == '\0' || *end || v < lo || v > hi) {
		fprintf(stderr, "mkbench hold: bad %s '%s' (%ld..%ld)\n", what, s, lo, hi);
		return -1;
	}
	return v;
}

static int hold_for(long n, double secs)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_sig;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	printf("held %ld\n", n);
	fflush(stdout);
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!stop) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 >= secs)
			break;
		usleep(50000);
	}
	return 0;
}

static double mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int bulk(int argc, char **argv)
{
	static char buf[65536];
	struct sockaddr_in6 a;
	long port;
	int one = 1;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	if (argc == 4 && strcmp(argv[2], "recv") == 0) {
		if ((port = num("port", argv[3], 1, 65535)) < 0)
			return 2;
		a.sin6_port = htons((uint16_t)port);
		int l = socket(AF_INET6, SOCK_STREAM, 0), c;
		if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
		    bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 1) != 0 || (c = accept(l, NULL, NULL)) < 0) {
			fprintf(stderr, "mkbench bulk: recv on port %ld: %s\n", port, strerror(errno));
			return 1;
		}
		unsigned long long n = 0;
		ssize_t r;
		while ((r = read(c, buf, sizeof buf)) > 0)
			n += (unsigned long long)r;
		if (r < 0) {
			fprintf(stderr, "mkbench bulk: read after %llu octets: %s\n", n, strerror(errno));
			return 1;
		}
		close(c);
		printf("bytes %llu\n", n);
		return 0;
	}
	if (argc == 6 && strcmp(argv[2], "send") == 0) {
		char *end;
		unsigned long long total = strtoull(argv[5], &end, 10), n = 0;
		if (inet_pton(AF_INET6, argv[3], &a.sin6_addr) != 1 || (port = num("port", argv[4], 1, 65535)) < 0 ||
		    *argv[5] == '\0' || *end) {
			fprintf(stderr, "mkbench bulk: bad address, port or byte count: %s %s %s\n", argv[3], argv[4], argv[5]);
			return 2;
		}
		a.sin6_port = htons((uint16_t)port);
		double t0 = mono();
		int s = socket(AF_INET6, SOCK_STREAM, 0);
		if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
			fprintf(stderr, "mkbench bulk: connect to [%s]:%ld: %s\n", argv[3], port, strerror(errno));
			return 1;
		}
		while (n < total) {
			size_t k = total - n < sizeof buf ? (size_t)(total - n) : sizeof buf;
			ssize_t w = write(s, buf, k);
			if (w < 0) {
				if (errno == EINTR)
					continue;
				fprintf(stderr, "mkbench bulk: write after %llu octets: %s\n", n, strerror(errno));
				return 1;
			}
			n += (unsigned long long)w;
		}
		shutdown(s, SHUT_WR);
		while (read(s, buf, sizeof buf) > 0)
			;
		printf("bytes %llu seconds %.6f\n", n, mono() - t0);
		return 0;
	}
	fprintf(stderr, "usage: mkbench bulk recv PORT | mkbench bulk send ADDR PORT BYTES\n");
	return 2;
}

int mk_connbench(int argc, char **argv)
{
	bool listen_mode;
	long port, n, secs;
	struct sockaddr_in6 a;
	int one = 1;

	if (argc >= 2 && strcmp(argv[1], "bulk") == 0)
		return bulk(argc, argv);
	if (argc < 2 || strcmp(argv[1], "hold") != 0)
		return -1;
	if (argc == 6 && strcmp(argv[2], "listen") == 0)
		listen_mode = true;
	else if (argc == 7 && strcmp(argv[2], "connect") == 0)
		listen_mode = false;
	else {
		fprintf(stderr, "usage: mkbench hold listen PORT N SECONDS | mkbench hold connect ADDR PORT N SECONDS\n");
		return 2;
	}
	int k = listen_mode ? 3 : 4;
	if ((port = num("port", argv[k], 1, 65535)) < 0 || (n = num("count", argv[k + 1], 1, 1000000)) < 0 ||
	    (secs = num("seconds", argv[k + 2], 1, 86400)) < 0)
		return 2;
	memset(&a, 0, sizeof a);
	a.sin6_family = AF_INET6;
	a.sin6_port = htons((uint16_t)port);
	if (!listen_mode && inet_pton(AF_INET6, argv[3], &a.sin6_addr) != 1) {
		fprintf(stderr, "mkbench hold: bad address '%s'\n", argv[3]);
		return 2;
	}
	struct rlimit rl = { (rlim_t)n + 64, (rlim_t)n + 64 };
	if (setrlimit(RLIMIT_NOFILE, &rl) != 0) {
		fprintf(stderr, "mkbench hold: cannot allow %ld descriptors: %s\n", n + 64, strerror(errno));
		return 1;
	}
	if (listen_mode) {
		int l = socket(AF_INET6, SOCK_STREAM, 0);
		if (l < 0 || setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) != 0 ||
		    bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 4096) != 0) {
			fprintf(stderr, "mkbench hold: listen on port %ld: %s\n", port, strerror(errno));
			return 1;
		}
		for (long i = 0; i < n; i++)
			if (accept(l, NULL, NULL) < 0) {
				fprintf(stderr, "mkbench hold: accept %ld: %s\n", i, strerror(errno));
				return 1;
			}
	} else {
		for (long i = 0; i < n; i++) {
			int s = socket(AF_INET6, SOCK_STREAM, 0);
			if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof a) != 0) {
				fprintf(stderr, "mkbench hold: connection %ld to [%s]:%ld: %s\n", i, argv[3], port,
					strerror(errno));
				return 1;
			}
		}
	}
	return hold_for(n, (double)secs);
}
