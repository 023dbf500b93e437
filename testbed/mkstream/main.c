/* testbed/mkstream/main.c: mkstream, a TCP stream with a checksum at both ends, for the
 * tests that move a mobile node under a live connection.
 *
 *   mkstream recv PORT            accept one connection, read to EOF
 *   mkstream send ADDR PORT BYTES RATE
 *                                 connect, send BYTES pseudo-random octets
 *                                 at RATE octets per second, close
 *
 * Both print "bytes N sha256 HEX" when the stream ends (exit 0), or one
 * line naming the failure (exit 1).  The receiver also prints its peer's
 * address first ("from ADDR").  Campaigns and tests use it; see
 * doc/mkstream.1. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static void done(EVP_MD_CTX *ctx, unsigned long long n)
{
	unsigned char h[32];
	unsigned hl = 0;
	EVP_DigestFinal_ex(ctx, h, &hl);
	printf("bytes %llu sha256 ", n);
	for (unsigned i = 0; i < hl; i++)
		printf("%02x", h[i]);
	printf("\n");
	fflush(stdout);
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A whole decimal number in [lo, hi] with nothing before or after it
 * (strtoull alone reads "-5" as 2^64 - 5 and "abc" as 0); otherwise one
 * line naming the value, and exit 2 before any socket exists. */
static unsigned long long number(const char *what, const char *s, unsigned long long lo,
				 unsigned long long hi)
{
	char *end = NULL;
	unsigned long long v = 0;
	errno = 0;
	if (*s >= '0' && *s <= '9')
		v = strtoull(s, &end, 10);
	if (!end || *end || errno || v < lo || v > hi) {
		fprintf(stderr, "mkstream: %s '%s': not a whole number from %llu to %llu\n", what, s, lo, hi);
		exit(2);
	}
	return v;
}

static EVP_MD_CTX *md;

static void free_md(void)
{
	EVP_MD_CTX_free(md);
}

int main(int argc, char **argv)
{
	md = EVP_MD_CTX_new();
	atexit(free_md);
	EVP_DigestInit_ex(md, EVP_sha256(), NULL);
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc == 3 && !strcmp(argv[1], "recv")) {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
		sa.sin6_port = htons((uint16_t)number("recv: port", argv[2], 1, 65535));
		int one = 1, s = socket(AF_INET6, SOCK_STREAM, 0);
		setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(s, (struct sockaddr *)&sa, sizeof sa) || listen(s, 1)) {
			printf("recv: bind/listen: %s\n", strerror(errno));
			return 1;
		}
		socklen_t l = sizeof sa;
		int c = accept(s, (struct sockaddr *)&sa, &l);
		char a[INET6_ADDRSTRLEN];
		if (c < 0) {
			printf("recv: accept: %s\n", strerror(errno));
			return 1;
		}
		printf("from %s\n", inet_ntop(AF_INET6, &sa.sin6_addr, a, sizeof a));
		unsigned long long n = 0;
		char buf[65536];
		ssize_t r;
		while ((r = read(c, buf, sizeof buf)) > 0) {
			EVP_DigestUpdate(md, buf, (size_t)r);
			n += (unsigned long long)r;
		}
		if (r < 0) {
			printf("recv: read after %llu octets: %s\n", n, strerror(errno));
			return 1;
		}
		done(md, n);
		return 0;
	}
	if (argc == 6 && !strcmp(argv[1], "send")) {
		struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
		if (inet_pton(AF_INET6, argv[2], &sa.sin6_addr) != 1) {
			fprintf(stderr, "mkstream: send: address '%s': not an IPv6 address\n", argv[2]);
			return 2;
		}
		sa.sin6_port = htons((uint16_t)number("send: port", argv[3], 1, 65535));
		/* at most 2^50 octets (a petabyte) at most a terabyte per second:
		 * beyond any test, far from where the arithmetic below wraps */
		unsigned long long total = number("send: bytes", argv[4], 0, 1ull << 50), n = 0;
		double rate = (double)number("send: rate", argv[5], 1, 1000000000000ull);
		int s = socket(AF_INET6, SOCK_STREAM, 0);
		if (connect(s, (struct sockaddr *)&sa, sizeof sa) != 0) {
			printf("send: connect: %s\n", strerror(errno));
			return 1;
		}
		uint64_t x = 0x9e3779b97f4a7c15ull;
		double t0 = now();
		char buf[1024];
		while (n < total) {
			size_t k = total - n < sizeof buf ? (size_t)(total - n) : sizeof buf;
			for (size_t i = 0; i < k; i++) {
				x ^= x << 13;
				x ^= x >> 7;
				x ^= x << 17;
				buf[i] = (char)x;
			}
			double due = t0 + (double)(n + k) / rate, t = now();
			if (due > t)
				usleep((useconds_t)((due - t) * 1e6));
			for (size_t off = 0; off < k;) {
				ssize_t w = write(s, buf + off, k - off);
				if (w < 0) {
					printf("send: write after %llu octets: %s\n", n + off, strerror(errno));
					return 1;
				}
				off += (size_t)w;
			}
			EVP_DigestUpdate(md, buf, k);
			n += k;
		}
		shutdown(s, SHUT_WR);
		while (read(s, buf, sizeof buf) > 0)
			;
		done(md, n);
		return 0;
	}
	if (argc == 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		printf("usage: mkstream recv PORT | mkstream send ADDR PORT BYTES RATE\n"
		       "a TCP stream with its SHA-256 at both ends (doc/mkstream.1)\n");
		return 0;
	}
	fprintf(stderr, "usage: mkstream recv PORT | mkstream send ADDR PORT BYTES RATE\n");
	return 2;
}
