/* stack/mobd/main.c: mobd, the reference Mobile IPv6 endpoint (home agent
 * or mobile node, from its config).  See doc/mobd.8 and doc/mobd.conf.5. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "mobd.h"

static const char usage_text[] =
	"usage: mobd [-d] [-v] [-n] -c FILE\n"
	"the reference Mobile IPv6 home agent or mobile node (the role comes from FILE)\n"
	"  -c, --config FILE   configuration (doc/mobd.conf.5)\n"
	"  -n, --check         check the configuration, print it as understood, exit\n"
	"  -d, --foreground    stay in the foreground, log to stderr (mobd never forks\n"
	"                      itself; -d is accepted for mip6d habits)\n"
	"  -v, --verbose       log every packet handled\n"
	"  -S, --control PATH  control socket (overrides the config's 'control')\n"
	"  -h, --help          this text\n"
	"state: mobctl [-S PATH] bc|bul|ha|counters|status [--json]\n"
	"SIGTERM or SIGINT: a mobile node deregisters, then everything mobd made is removed\n"
	"exit status: 0 stopped cleanly, 1 runtime failure, 2 usage or config error\n";

static struct mobd D;
static int ctl_fd = -1, sig_fd = -1;

void mobd_frame(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct mobd *d = (struct mobd *)user;
	if (h->caplen < 14 + 40 || bytes[12] != 0x86 || bytes[13] != 0xdd)
		return;
	if (d->c.role == ROLE_HA)
		ha_packet(d, bytes + 14, h->caplen - 14);
	else
		mn_packet(d, bytes + 14, h->caplen - 14);
}

static void pcap_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	(void)ev;
	/* a bounded batch per wakeup keeps the other descriptors served */
	if (pcap_dispatch(d->io.pcap, 256, mobd_frame, (u_char *)d) < 0)
		logm("capture: %s", pcap_geterr(d->io.pcap));
}

static void tun_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	uint8_t buf[65536];
	(void)ev;
	for (int i = 0; i < 256; i++) {
		ssize_t r = read(d->io.tun_fd, buf, sizeof buf);
		if (r <= 0)
			break;
		if ((buf[0] >> 4) != 6 || r < 40)
			continue;
		if (d->c.role == ROLE_HA)
			ha_tun_packet(d, buf, (size_t)r);
		else
			mn_tun_packet(d, buf, (size_t)r);
	}
}

static void icmp_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	uint8_t buf[2048];
	char cbuf[256];
	(void)ev;
	for (;;) {
		struct sockaddr_in6 from;
		struct iovec iov = { buf, sizeof buf };
		struct msghdr mh = { .msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov,
				     .msg_iovlen = 1, .msg_control = cbuf,
				     .msg_controllen = sizeof cbuf };
		struct in6_addr dst = IN6ADDR_ANY_INIT;
		ssize_t r = recvmsg(d->io.icmp_fd, &mh, 0);
		if (r <= 0)
			break;
		for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c))
			if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
				struct in6_pktinfo pi;
				memcpy(&pi, CMSG_DATA(c), sizeof pi);
				dst = pi.ipi6_addr;
			}
		if (d->c.role == ROLE_HA)
			ha_icmp(d, buf, (size_t)r, &from.sin6_addr, &dst);
		else
			mn_icmp(d, buf, (size_t)r, &from.sin6_addr, &dst);
	}
}

static void ctl_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	char line[256], *w[4], *save = NULL, *p;
	int c, n = 0;
	ssize_t r;
	(void)ev;
	c = accept4(ctl_fd, NULL, NULL, SOCK_CLOEXEC);
	if (c < 0)
		return;
	struct timeval tv = { 1, 0 };
	setsockopt(c, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	r = recv(c, line, sizeof line - 1, 0);
	if (r <= 0) {
		close(c);
		return;
	}
	line[r] = 0;
	for (p = strtok_r(line, " \t\r\n", &save); p && n < 4; p = strtok_r(NULL, " \t\r\n", &save))
		w[n++] = p;
	char *out = NULL;
	size_t outlen = 0;
	FILE *f = open_memstream(&out, &outlen);
	if (!f) {
		close(c);
		return;
	}
	bool json = n >= 2 && !strcmp(w[1], "json");
	if (n == 0)
		fprintf(f, "error: empty command\n");
	else if (!strcmp(w[0], "bc") || !strcmp(w[0], "bul") || !strcmp(w[0], "ha") ||
		 !strcmp(w[0], "counters") || !strcmp(w[0], "status")) {
		if (d->c.role == ROLE_HA)
			ha_show(d, w[0], json, f);
		else
			mn_show(d, w[0], json, f);
	} else
		fprintf(f, "error: unknown command '%s' (bc, bul, ha, counters, status)\n", w[0]);
	fclose(f);
	for (size_t off = 0; off < outlen;) {
		ssize_t k = send(c, out + off, outlen - off, MSG_NOSIGNAL);
		if (k <= 0)
			break;
		off += (size_t)k;
	}
	free(out);
	close(c);
}

static void teardown(void)
{
	if (D.c.role == ROLE_HA)
		ha_stop(&D);
	else
		mn_stop(&D);
	sys_close(&D.io, &D.c);
	close(ctl_fd);
	unlink(D.c.ctl_path);
}

static void sig_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	struct signalfd_siginfo si;
	(void)ev;
	if (read(sig_fd, &si, sizeof si) == sizeof si) {
		logm("signal %u: stopping", si.ssi_signo);
		d->stop = 1;
	}
}

static int ctl_open(const char *path, char *err, size_t errlen)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		snprintf(err, errlen, "control socket: %s", strerror(errno));
		return -1;
	}
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	/* a socket file with no listener behind it is a leftover: replace it */
	int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (probe >= 0) {
		if (connect(probe, (struct sockaddr *)&sa, sizeof sa) == 0) {
			close(probe);
			close(fd);
			snprintf(err, errlen, "control socket %s: another mobd is listening", path);
			return -1;
		}
		close(probe);
	}
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(fd, 8) != 0) {
		snprintf(err, errlen, "control socket %s: %s", path, strerror(errno));
		close(fd);
		return -1;
	}
	chmod(path, 0600);
	return fd;
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' }, { "check", no_argument, NULL, 'n' },
		{ "foreground", no_argument, NULL, 'd' },   { "verbose", no_argument, NULL, 'v' },
		{ "control", required_argument, NULL, 'S' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *cfg = NULL, *ctl = NULL;
	bool check = false;
	char err[512];
	int o, rc = 0;

	while ((o = getopt_long(argc, argv, "c:ndvS:h", lo, NULL)) != -1) {
		switch (o) {
		case 'c': cfg = optarg; break;
		case 'n': check = true; break;
		case 'd': break;
		case 'v': mobd_verbose = 1; break;
		case 'S': ctl = optarg; break;
		case 'h': fputs(usage_text, stdout); return 0;
		default: fputs(usage_text, stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "mobd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (!cfg) {
		fprintf(stderr, "mobd: no configuration (-c FILE)\n");
		return 2;
	}
	int nerr = conf_load(cfg, &D.c, stderr);
	if (nerr != 0) {
		fprintf(stderr, "mobd: %s refused: %d error%s\n", cfg, nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	if (ctl) {
		if (strlen(ctl) >= sizeof D.c.ctl_path) {
			fprintf(stderr, "mobd: control path '%s' too long\n", ctl);
			return 2;
		}
		snprintf(D.c.ctl_path, sizeof D.c.ctl_path, "%s", ctl);
	}
	if (check) {
		conf_print(&D.c, stdout);
		return 0;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);

	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	sig_fd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);

	if (ev_init() != 0 || sig_fd < 0) {
		fprintf(stderr, "mobd: event loop: %s\n", strerror(errno));
		return 1;
	}
	if (sys_open(&D.io, &D.c, err, sizeof err) != 0) {
		fprintf(stderr, "mobd: %s\n", err);
		sys_close(&D.io, &D.c);
		return 1;
	}
	ctl_fd = ctl_open(D.c.ctl_path, err, sizeof err);
	if (ctl_fd < 0) {
		fprintf(stderr, "mobd: %s\n", err);
		sys_close(&D.io, &D.c);
		return 1;
	}
	int r = D.c.role == ROLE_HA ? ha_start(&D, err, sizeof err) : mn_start(&D, err, sizeof err);
	if (r != 0) {
		fprintf(stderr, "mobd: %s\n", err);
		teardown();
		return 1;
	}
	ev_add(D.io.pcap_fd, pcap_cb, &D);
	ev_add(D.io.tun_fd, tun_cb, &D);
	ev_add(D.io.icmp_fd, icmp_cb, &D);
	ev_add(ctl_fd, ctl_cb, &D);
	ev_add(sig_fd, sig_cb, &D);
	logm("%s on %s, control %s", D.c.role == ROLE_HA ? "home agent" : "mobile node", D.c.iface,
	     D.c.ctl_path);
	if (ev_run(&D.stop) != 0) {
		logm("event loop: %s", strerror(errno));
		rc = 1;
	}
	teardown();
	logm("stopped");
	return rc;
}
