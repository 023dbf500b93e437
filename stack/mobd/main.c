/* stack/mobd/main.c: mobd, the reference Mobile IPv6 endpoint: options,
 * -n, and the roles the configuration names, started on the core
 * (stack/core) in one loop.  See doc/mobd.8 and doc/mobd.conf.5. */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "stack/roles/roles.h"

static const char usage_text[] =
	"usage: mobd [-d] [-v] [-n] -c FILE\n"
	"the reference Mobile IPv6 home agent, mobile node or correspondent, a mobile\n"
	"server's DNS updater, or a TCP Migrate shim (the roles come from FILE; several\n"
	"may run in one mobd)\n"
	"  -c, --config FILE   configuration (doc/mobd.conf.5)\n"
	"  -n, --check         check the configuration, print it as understood, exit\n"
	"  -d, --foreground    log to stderr instead of syslog (mobd never forks itself)\n"
	"  -v, --verbose       log every packet handled\n"
	"  -S, --control PATH  control socket (overrides the config's 'control')\n"
	"  -h, --help          this text\n"
	"state: mobctl [-S PATH] [--json] commands|bc|bul|ha|counters|status|updater|migrate|cn-bind ...\n"
	"SIGTERM or SIGINT: a mobile node deregisters, then everything mobd made is removed\n"
	"exit status: 0 stopped cleanly, 1 runtime failure, 2 usage or config error\n";

/* every role this mobd knows, in the order they start: the DNS updater
 * before the mobile node, which tells it its first address as it starts */
static const struct mobd_role *const mobd_known[] = { &mobd_home_agent, &mobd_dns_updater,
								&mobd_mobile_node, &mobd_correspondent,
								&mobd_migrate };
#define N_KNOWN (sizeof mobd_known / sizeof mobd_known[0])

static struct mobd mobd_d;
static int mobd_sig_fd = -1;

/* Every running role answers.  With --json and several roles, one
 * document: the arrays (bc, bul, ha) joined into one, the objects
 * (counters, status) as {"roles": [each role's object]}. */
static void cmd_show(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args,
		     FILE *f)
{
	if (*args) {
		fprintf(f, "error: usage: %s takes no arguments (got '%s')\n", cmd->name, args);
		return;
	}
	if (!json || d->n_roles < 2) {
		for (unsigned i = 0; i < d->n_roles; i++)
			d->roles[i]->show(d, cmd->name, json, f);
		return;
	}
	bool first = true, array = false;
	for (unsigned i = 0; i < d->n_roles; i++) {
		char *buf = NULL;
		size_t len = 0;
		FILE *m = open_memstream(&buf, &len);
		if (!m)
			continue;
		d->roles[i]->show(d, cmd->name, json, m);
		fclose(m);
		while (len && (buf[len - 1] == '\n' || buf[len - 1] == ' '))
			buf[--len] = 0;
		if (i == 0)
			array = len && buf[0] == '[';
		if (array && len >= 2 && buf[0] == '[' && buf[len - 1] == ']') {
			/* the elements, without the brackets */
			if (len > 2) {
				fputs(first ? "[" : ",", f);
				fwrite(buf + 1, 1, len - 2, f);
				first = false;
			}
		} else if (!array && len) {
			fputs(first ? "{\"roles\":[" : ",", f);
			fwrite(buf, 1, len, f);
			first = false;
		}
		free(buf);
	}
	if (array)
		fputs(first ? "[]\n" : "]\n", f);
	else
		fputs(first ? "{\"roles\":[]}\n" : "]}\n", f);
}

/* the roles the command serves answer, alone */
static void cmd_role(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args,
		     FILE *f)
{
	if (*args) {
		fprintf(f, "error: usage: %s takes no arguments (got '%s')\n", cmd->name, args);
		return;
	}
	for (unsigned i = 0; i < d->n_roles; i++)
		if (cmd->roles & MOBD_RB(d->roles[i]->id))
			d->roles[i]->show(d, cmd->name, json, f);
}

static const struct mobd_cmd mobd_cmds[] = {
	{ "bc", 0, "binding cache", cmd_show },
	{ "bul", 0, "binding update list", cmd_show },
	{ "ha", 0, "home agent list, by preference", cmd_show },
	{ "counters", 0, "message, tunnel and error counters", cmd_show },
	{ "status", 0, "role, address, state", cmd_show },
	{ "updater", MOBD_RB(MOBD_R_DU), "DNS updates of the CAAAA: the last, counters", cmd_role },
	{ "cn-bind", MOBD_RB(MOBD_R_CN), "HOA COA LIFETIME_S: a binding learnt from DNS (correspondent)",
	  cn_cmd_bind },
	{ "cn-unbind", MOBD_RB(MOBD_R_CN), "HOA: remove the binding cn-bind made", cn_cmd_unbind },
	{ "withdraw", MOBD_RB(MOBD_R_DU), "ADDR: take ADDR out of the published AAAA rrset (dns-record addrs)",
	  du_cmd_withdraw },
	{ "restore", MOBD_RB(MOBD_R_DU), "ADDR: put a withdrawn ADDR back (dns-record addrs)", du_cmd_withdraw },
	{ "migrate", MOBD_RB(MOBD_R_MIG), "TCP Migrate connections: 4-tuples, negotiation, token, ReqNo, state",
	  mig_cmd_migrate },
};

static void pcap_cb(void *arg, uint32_t ev)
{
	(void)ev;
	cap_dispatch(arg, 256);
}

static void tun_cb(void *arg, uint32_t ev)
{
	(void)ev;
	intake_tun(arg);
}

static void icmp_cb(void *arg, uint32_t ev)
{
	(void)ev;
	intake_icmp6(arg);
}

static void sig_cb(void *arg, uint32_t ev)
{
	struct mobd *d = arg;
	struct signalfd_siginfo si;
	(void)ev;
	if (read(mobd_sig_fd, &si, sizeof si) == sizeof si) {
		log_info("signal %u: stopping", si.ssi_signo);
		d->stop = 1;
	}
}

/* the roles started, in reverse; then the system state and the socket */
static void teardown(struct mobd *d)
{
	while (d->n_roles) {
		/* still in the list while it stops: a mobile node waits for the BA
		 * of its deregistration there */
		d->roles[d->n_roles - 1]->stop(d);
		d->n_roles--;
	}
	sys_close(&d->io, &d->c);
	ctl_close();
}

int main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "config", required_argument, NULL, 'c' }, { "check", no_argument, NULL, 'n' },
		{ "foreground", no_argument, NULL, 'd' },   { "verbose", no_argument, NULL, 'v' },
		{ "control", required_argument, NULL, 'S' }, { "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct mobd *d = &mobd_d;
	const char *cfg = NULL, *ctl = NULL;
	bool check = false, fg = false, verbose = false;
	char err[512], names[128] = "";
	int o, rc = 0;

	while ((o = getopt_long(argc, argv, "c:ndvS:h", lo, NULL)) != -1) {
		switch (o) {
		case 'c': cfg = optarg; break;
		case 'n': check = true; break;
		case 'd': fg = true; break;
		case 'v': verbose = true; break;
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
	int nerr = conf_load(cfg, &d->c, stderr, mobd_known, N_KNOWN);
	if (nerr != 0) {
		fprintf(stderr, "mobd: %s refused: %d error%s\n", cfg, nerr, nerr == 1 ? "" : "s");
		return 2;
	}
	mobd_time_scale = d->c.time_scale;
	if (ctl) {
		if (strlen(ctl) >= sizeof d->c.ctl_path) {
			fprintf(stderr, "mobd: control path '%s' too long\n", ctl);
			return 2;
		}
		snprintf(d->c.ctl_path, sizeof d->c.ctl_path, "%s", ctl);
	}
	if (check) {
		conf_print(&d->c, stdout, mobd_known, N_KNOWN);
		return 0;
	}
	setvbuf(stderr, NULL, _IOLBF, 0);
	log_init(fg, verbose);
	for (size_t i = 0; i < N_KNOWN; i++)
		if (d->c.roles & MOBD_RB(mobd_known[i]->id))
			snprintf(names + strlen(names), sizeof names - strlen(names), "%s%s",
				 names[0] ? "+" : "", mobd_known[i]->name);
	log_role(names);

	sigset_t ss;
	sigemptyset(&ss);
	sigaddset(&ss, SIGTERM);
	sigaddset(&ss, SIGINT);
	sigprocmask(SIG_BLOCK, &ss, NULL);
	signal(SIGPIPE, SIG_IGN);
	mobd_sig_fd = signalfd(-1, &ss, SFD_NONBLOCK | SFD_CLOEXEC);

	if (ev_init() != 0 || mobd_sig_fd < 0) {
		fprintf(stderr, "mobd: event loop: %s\n", strerror(errno));
		return 1;
	}
	if (sys_open(&d->io, &d->c, err, sizeof err) != 0) {
		fprintf(stderr, "mobd: %s\n", err);
		sys_close(&d->io, &d->c);
		return 1;
	}
	if (ctl_open(d, d->c.ctl_path, mobd_cmds, sizeof mobd_cmds / sizeof mobd_cmds[0], err,
		     sizeof err) != 0) {
		fprintf(stderr, "mobd: %s\n", err);
		sys_close(&d->io, &d->c);
		return 1;
	}
	for (size_t i = 0; i < N_KNOWN; i++) {
		const struct mobd_role *r = mobd_known[i];
		if (!(d->c.roles & MOBD_RB(r->id)))
			continue;
		if (r->start(d, err, sizeof err) != 0) {
			fprintf(stderr, "mobd: %s\n", err);
			r->stop(d); /* what it made before it failed */
			teardown(d);
			return 1;
		}
		d->roles[d->n_roles++] = r;
	}
	ev_add(d->io.pcap_fd, pcap_cb, d);
	ev_add(d->io.tun_fd, tun_cb, d);
	ev_add(d->io.icmp_fd, icmp_cb, d);
	ev_add(mobd_sig_fd, sig_cb, d);
	for (unsigned i = 0; i < d->n_roles; i++)
		log_info("%s on %s, control %s", d->roles[i]->title, d->c.iface, d->c.ctl_path);
	if (ev_run(&d->stop) != 0) {
		log_warn("event loop");
		rc = 1;
	}
	teardown(d);
	log_info("stopped");
	return rc;
}
