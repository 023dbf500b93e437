/* t/testbed/linkem_delay.t.c: linkem's delay accuracy, from pcap timestamps.
 *
 *   A (a0) ---veth--- (pa) L: linkem delay=10 (pb) ---veth--- (b0) B
 *
 * 20,000 UDP probes at 10,000 per second from A to B; tcpdump captures on
 * a0 and on b0 with nanosecond timestamps; each probe's one-way delay is its
 * b0 timestamp minus its a0 timestamp.  Issue 3 asks for the median within
 * 100 us of 10 ms and the 99th percentile within 500 us.  The figures are
 * printed as diagnostics either way.
 *
 * Three namespaces of our own (named after our PID), removed on every way
 * out; linkem and both tcpdumps are stopped by their PIDs. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "t/lib/scratch.h"
#include "t/lib/tap.h"

enum { NPROBES = 20000, PORT = 47999, GAP_NS = 100000 };

static char ns[3][40];
static pid_t pids[3];
static int nns;

static void teardown(void)
{
	for (int i = 0; i < 3; i++)
		if (pids[i] > 0) {
			kill(pids[i], SIGTERM);
			waitpid(pids[i], NULL, 0);
			pids[i] = 0;
		}
	for (int i = 0; i < nns; i++) {
		char cmd[160];
		snprintf(cmd, sizeof cmd, "ip netns del %s 2>/dev/null", ns[i]);
		if (system(cmd) != 0)
			fprintf(stderr, "# could not delete namespace %s\n", ns[i]);
	}
	nns = 0;
}

static void on_signal(int sig)
{
	teardown();
	scratch_cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	int r = system(cmd);
	if (r != 0)
		tap_diag("failed (%d): %s", r, cmd);
	return r;
}

/* Start argv inside namespace n (ip netns exec execs it: same PID). */
static pid_t spawn(const char *n, const char *log, char *const argv[])
{
	pid_t p = fork();
	if (p == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		char *full[24] = { "ip", "netns", "exec", (char *)n };
		int k = 4;
		for (int i = 0; argv[i] && k < 23; i++)
			full[k++] = argv[i];
		full[k] = NULL;
		execvp("ip", full);
		_exit(127);
	}
	return p;
}

/* Wait until file contains text (tcpdump's "listening on"), up to 5 s. */
static int wait_for(const char *file, const char *text)
{
	for (int i = 0; i < 100; i++) {
		char buf[4096] = "";
		FILE *f = fopen(file, "r");
		if (f) {
			size_t n = fread(buf, 1, sizeof buf - 1, f);
			buf[n] = 0;
			fclose(f);
			if (strstr(buf, text))
				return 0;
		}
		usleep(50000);
	}
	return -1;
}

static int setup(char *tcpdump_a, char *tcpdump_b)
{
	const char *tag[3] = { "A", "L", "B" };
	for (int i = 0; i < 3; i++) {
		snprintf(ns[i], sizeof ns[i], "mkt%ld%s", (long)getpid(), tag[i]);
		if (sh("ip netns add %s && ip -n %s link set lo up", ns[i], ns[i]) != 0)
			return -1;
		nns++;
	}
	if (sh("ip link add a0 netns %s type veth peer name pa netns %s", ns[0], ns[1]) ||
	    sh("ip link add b0 netns %s type veth peer name pb netns %s", ns[2], ns[1]))
		return -1;
	const char *ends[4][2] = { { ns[0], "a0" }, { ns[1], "pa" }, { ns[1], "pb" }, { ns[2], "b0" } };
	for (int i = 0; i < 4; i++)
		if (sh("ip netns exec %s ethtool -K %s tso off gso off gro off tx off rx off >/dev/null 2>&1;"
		       " ip -n %s link set %s up", ends[i][0], ends[i][1], ends[i][0], ends[i][1]))
			return -1;
	if (sh("ip -n %s addr add 2001:db8:77::1/64 dev a0 nodad && "
	       "ip -n %s addr add 2001:db8:77::2/64 dev b0 nodad && "
	       "ip -n %s link set a0 address 02:00:00:00:77:01 && "
	       "ip -n %s link set b0 address 02:00:00:00:77:02 && "
	       "ip -n %s neigh add 2001:db8:77::2 lladdr 02:00:00:00:77:02 dev a0 && "
	       "ip -n %s neigh add 2001:db8:77::1 lladdr 02:00:00:00:77:01 dev b0",
	       ns[0], ns[2], ns[0], ns[2], ns[0], ns[2]))
		return -1;

	char sock[300], log[300];
	snprintf(sock, sizeof sock, "%s/linkem.ctl", scratch_dir);
	snprintf(log, sizeof log, "%s/linkem.log", scratch_dir);
	char *le[] = { "bin/linkem", "-r", "50", "-c", sock, "pa", "pb", "delay=10", NULL };
	pids[0] = spawn(ns[1], log, le);
	const char *cap[2] = { tcpdump_a, tcpdump_b };
	const char *dev[2] = { "a0", "b0" };
	for (int i = 0; i < 2; i++) {
		char clog[300];
		snprintf(clog, sizeof clog, "%s.log", cap[i]);
		char *td[] = { "tcpdump", "-i", (char *)dev[i], "-n", "-s", "128", "-U", "--immediate-mode",
			       "--time-stamp-precision=nano", "-w", (char *)cap[i], "udp", "port", "47999",
			       NULL };
		pids[1 + i] = spawn(ns[2 * i], clog, td);
		if (wait_for(clog, "listening on") != 0) {
			tap_diag("tcpdump on %s did not start", dev[i]);
			return -1;
		}
	}
	for (int i = 0; i < 100; i++) {
		struct stat st;
		if (stat(sock, &st) == 0)
			return 0;
		usleep(50000);
	}
	tap_diag("linkem did not open its control socket");
	return -1;
}

/* Send the probes from namespace A, paced on an absolute clock. */
static int send_probes(void)
{
	char path[96];
	snprintf(path, sizeof path, "/run/netns/%s", ns[0]);
	int self = open("/proc/self/ns/net", O_RDONLY), nsfd = open(path, O_RDONLY);
	if (self < 0 || nsfd < 0 || setns(nsfd, CLONE_NEWNET) != 0)
		return -1;
	int s = socket(AF_INET6, SOCK_DGRAM, 0);
	setns(self, CLONE_NEWNET);
	close(self);
	close(nsfd);
	if (s < 0)
		return -1;
	struct sockaddr_in6 to = { .sin6_family = AF_INET6, .sin6_port = htons(PORT) };
	inet_pton(AF_INET6, "2001:db8:77::2", &to.sin6_addr);
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	int sent = 0;
	for (uint32_t i = 0; i < NPROBES; i++) {
		uint8_t pl[32] = { 0 };
		uint32_t be = htonl(i);
		memcpy(pl, &be, 4);
		if (sendto(s, pl, sizeof pl, 0, (struct sockaddr *)&to, sizeof to) == sizeof pl)
			sent++;
		t.tv_nsec += GAP_NS;
		if (t.tv_nsec >= 1000000000) {
			t.tv_nsec -= 1000000000;
			t.tv_sec++;
		}
		while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, NULL) == EINTR)
			;
	}
	close(s);
	return sent;
}

/* Per-probe timestamps (ns since the epoch, 0 = not seen) from a capture. */
static int read_times(const char *file, uint64_t *t)
{
	char err[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_NANO, err);
	if (!p) {
		tap_diag("%s: %s", file, err);
		return -1;
	}
	struct pcap_pkthdr *h;
	const u_char *d;
	int n = 0;
	while (pcap_next_ex(p, &h, &d) == 1) {
		/* Ethernet 14 + IPv6 40 + UDP 8, then the sequence number */
		if (h->caplen < 14 + 40 + 8 + 4 || d[12] != 0x86 || d[13] != 0xdd || d[20] != 17)
			continue;
		uint32_t seq;
		memcpy(&seq, d + 62, 4);
		seq = ntohl(seq);
		if (seq < NPROBES && !t[seq]) {
			t[seq] = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
			n++;
		}
	}
	pcap_close(p);
	return n;
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

int main(void)
{
	static uint64_t ta[NPROBES], tb[NPROBES];
	static int64_t err[NPROBES];
	char capa[300], capb[300];

	if (geteuid() != 0)
		tap_skip_all("needs root for network namespaces");
	if (system("command -v ethtool >/dev/null && command -v tcpdump >/dev/null") != 0)
		tap_skip_all("ethtool or tcpdump missing (make deps installs them)");
	if (access("bin/linkem", X_OK) != 0)
		tap_skip_all("bin/linkem not built");
	if (scratch_init() != 0)
		tap_skip_all("cannot create a temporary directory");
	atexit(teardown); /* runs before scratch_cleanup (registered earlier) */
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	tap_plan(6);
	snprintf(capa, sizeof capa, "%s/a0.pcap", scratch_dir);
	snprintf(capb, sizeof capb, "%s/b0.pcap", scratch_dir);

	if (!tap_ok(setup(capa, capb) == 0, "namespaces, veths, linkem delay=10, tcpdump on both ends")) {
		tap_skip(5, "setup failed");
		return tap_done();
	}
	int sent = send_probes();
	tap_is_int(sent, NPROBES, "%d probes sent at 10,000 per second", NPROBES);
	usleep(300000); /* the last probes are 10 ms away; let the captures flush */
	for (int i = 1; i <= 2; i++) {
		kill(pids[i], SIGINT);
		waitpid(pids[i], NULL, 0);
		pids[i] = 0;
	}
	int na = read_times(capa, ta), nb = read_times(capb, tb);
	tap_ok(na == NPROBES && nb == NPROBES, "every probe captured on both sides (a0 %d, b0 %d)", na, nb);

	int n = 0;
	for (int i = 0; i < NPROBES; i++)
		if (ta[i] && tb[i])
			err[n++] = (int64_t)(tb[i] - ta[i]) - 10000000;
	if (n < NPROBES / 2) {
		tap_skip(3, "too few matched probes");
		return tap_done();
	}
	qsort(err, (size_t)n, sizeof err[0], cmp64);
	int64_t med = err[n / 2], p99 = err[(size_t)n * 99 / 100], mn = err[0], mx = err[n - 1];
	int64_t p01 = err[(size_t)n / 100];
	tap_diag("one-way delay - 10 ms over %d probes: min %+lld us, p1 %+lld, median %+lld, p99 %+lld, max %+lld",
		 n, (long long)mn / 1000, (long long)p01 / 1000, (long long)med / 1000,
		 (long long)p99 / 1000, (long long)mx / 1000);
	tap_ok(mn >= 0, "no probe arrives before its 10 ms (min %+lld ns)", (long long)mn);
	tap_ok(llabs(med) <= 100000, "median within 100 us of 10 ms (%+lld ns)", (long long)med);
	tap_ok(llabs(p99) <= 500000 && llabs(p01) <= 500000, "p1 and p99 within 500 us (%+lld, %+lld ns)",
	       (long long)p01, (long long)p99);
	return tap_done();
}
