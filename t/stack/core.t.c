/* t/stack/core.t.c: the pieces of mobd's core (stack/core) that work
 * without a network: the configuration table (every error with file:line,
 * the whole file read before it is refused), the control socket (its
 * command table, and a client that sends half a line not holding up a
 * second one), the binding update list's RFC 6275 11.8 schedule, the
 * binding cache, the intake's one parse, the message builders of return
 * routability and the log line (role and peer). */
#include <arpa/inet.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "stack/core/core.h"
#include "t/lib/tap.h"
#include "wire/ip6ext.h"
#include "wire/mh.h"

/* ---- a role of the test's own: two keywords, a show ---- */

static void show_test(struct mobd *d, const char *what, bool json, FILE *f)
{
	(void)d;
	fprintf(f, json ? "{\"what\":\"%s\"}\n" : "what %s\n", what);
}

#define OFF(f) offsetof(struct mobd_conf, f)
static const struct mobd_kw kws_a[] = {
	{ "lifetime", false, conf_p_num, OFF(lifetime), 0, 4, 600, " seconds" },
	{ "ha", false, conf_p_addr, OFF(ha), OFF(has_ha), 0, 0, "" },
};
static const struct mobd_kw kws_b[] = {
	{ "max-bindings", false, conf_p_num, OFF(max_bindings), 0, 1, 100, "" },
};
#undef OFF
static const struct mobd_role role_a = { .name = "alpha", .title = "alpha node", .id = 0,
					 .kws = kws_a, .n_kws = 2, .show = show_test };
static const struct mobd_role role_b = { .name = "beta", .title = "beta node", .id = 1,
					 .kws = kws_b, .n_kws = 1, .show = show_test };
static const struct mobd_role *const roles[] = { &role_a, &role_b };

static char tmpdir[64];

/* load text as a file; the errors in errs (cap octets); returns conf_load's */
static int load(const char *text, size_t len, struct mobd_conf *c, char *errs, size_t cap)
{
	char path[128];
	snprintf(path, sizeof path, "%s/t.conf", tmpdir);
	FILE *f = fopen(path, "w");
	fwrite(text, 1, len, f);
	fclose(f);
	FILE *e = fmemopen(errs, cap, "w");
	int n = conf_load(path, c, e, roles, 2);
	fclose(e);
	return n;
}

static void test_conf(void)
{
	static struct mobd_conf c;
	char errs[4096];
	const char good[] = "role alpha\ninterface eth0\nlifetime 60\nha 2001:db8::1\n";
	tap_is_int(load(good, sizeof good - 1, &c, errs, sizeof errs), 0, "conf: a good file loads");
	tap_ok(c.roles == MOBD_RB(0) && c.lifetime == 60 && c.has_ha && !strcmp(c.iface, "eth0"),
	       "conf: the table's parsers filled role, number, address (and its flag), string");

	const char two[] = "role alpha beta\ninterface eth0\nmax-bindings 7\n";
	tap_is_int(load(two, sizeof two - 1, &c, errs, sizeof errs), 0, "conf: two roles on one line");
	tap_ok(c.roles == (MOBD_RB(0) | MOBD_RB(1)) && c.max_bindings == 7,
	       "conf: both roles set, the second role's keyword taken");

	const char bad[] = "role alpha\ninterface eth0\nlifetime 1\nlifetime 60\nmax-bindings 3\n"
			   "bogus 1\nha nowhere\nmtu\n";
	int n = load(bad, sizeof bad - 1, &c, errs, sizeof errs);
	tap_is_int(n, 6, "conf: six errors, all counted (the file read to its end)");
	tap_ok(strstr(errs, "t.conf:3: lifetime '1': expected 4..600 seconds") != NULL,
	       "conf: a number out of range, with file:line and the range");
	tap_ok(strstr(errs, "t.conf:4: 'lifetime' given twice (first at line 3)") != NULL,
	       "conf: a keyword given twice");
	tap_ok(strstr(errs, "t.conf:5: 'max-bindings' is a beta keyword; this file is for a alpha node "
			    "(role at line 1)") != NULL,
	       "conf: a keyword of a role not configured, named with its role");
	tap_ok(strstr(errs, "t.conf:6: unknown keyword 'bogus'") != NULL, "conf: an unknown keyword");
	tap_ok(strstr(errs, "t.conf:7: ha 'nowhere' is not an IPv6 address") != NULL,
	       "conf: a bad address");
	tap_ok(strstr(errs, "t.conf:8: 'mtu' takes 1 value, got 0") != NULL, "conf: a missing value");

	const char norole[] = "interface eth0\nrole gamma\n";
	n = load(norole, sizeof norole - 1, &c, errs, sizeof errs);
	tap_ok(n == 1 && strstr(errs, "t.conf:2: role 'gamma': expected alpha or beta") != NULL,
	       "conf: an unknown role names the known ones");
	const char nul[] = "role alpha\ninterface eth0\nlife\0time 5\n";
	n = load(nul, sizeof nul - 1, &c, errs, sizeof errs);
	tap_ok(n == 1 && strstr(errs, "t.conf:3: NUL byte at column 5") != NULL, "conf: a NUL byte");
}

/* ---- the control socket ---- */

static int client(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	snprintf(sa.sun_path, sizeof sa.sun_path, "%s", path);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0)
		return -1;
	return fd;
}

/* run the loop until fd has a whole answer (the peer closed) or 200 turns;
 * returns the answer's length in buf, -1 if it never ended */
static long answer(int fd, char *buf, size_t cap)
{
	size_t got = 0;
	for (int turn = 0; turn < 200; turn++) {
		ev_run_once(10);
		ssize_t r = recv(fd, buf + got, cap - 1 - got, MSG_DONTWAIT);
		if (r > 0)
			got += (size_t)r;
		else if (r == 0) {
			buf[got] = 0;
			return (long)got;
		}
	}
	return -1;
}

static void cmd_echo(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f)
{
	(void)args;
	d->roles[0]->show(d, cmd->name, json, f);
}

/* says the arguments it got, and json */
static void cmd_args(struct mobd *d, const struct mobd_cmd *cmd, bool json, const char *args, FILE *f)
{
	(void)d;
	(void)cmd;
	fprintf(f, "[%s] json=%d\n", args, json);
}

/* ctl_answer's answer to line, as a string (static) */
static const char *ask(struct mobd *d, const char *line)
{
	static char buf[256];
	size_t len = 0;
	char *a = ctl_answer(d, line, &len);
	snprintf(buf, sizeof buf, "%s", a ? a : "(none)");
	free(a);
	return buf;
}

static void test_ctl(void)
{
	static const struct mobd_cmd cmds[] = {
		{ "status", 0, "role, state", cmd_echo },
		{ "bc", MOBD_RB(1), "binding cache", cmd_echo }, /* beta's only */
		{ "say", 0, "its arguments", cmd_args },
	};
	static struct mobd d;
	char path[128], err[256], buf[4096];
	d.roles[0] = &role_a;
	d.n_roles = 1;
	snprintf(path, sizeof path, "%s/ctl.sock", tmpdir);
	tap_ok(ev_init() == 0, "ctl: the loop starts");
	tap_is_int(ctl_open(&d, path, cmds, 3, err, sizeof err), 0, "ctl: the socket opens");

	/* a slow client: connected, half a line, nothing more */
	int slow = client(path);
	tap_ok(slow >= 0 && send(slow, "sta", 3, 0) == 3, "ctl: a slow client sends half a line");
	int fast = client(path);
	tap_ok(fast >= 0 && send(fast, "status\n", 7, 0) == 7, "ctl: a second client sends a command");
	long n = answer(fast, buf, sizeof buf);
	tap_is_str(n > 0 ? buf : "", "what status\n", "ctl: the second is answered at once");
	char one;
	tap_ok(recv(slow, &one, 1, MSG_DONTWAIT) < 0, "ctl: the slow one is still open, unanswered");
	tap_ok(send(slow, "tus json\n", 9, 0) == 9 && answer(slow, buf, sizeof buf) > 0 &&
		       !strcmp(buf, "{\"what\":\"status\"}\n"),
	       "ctl: the slow one's line, once whole, is answered (json)");
	close(slow);
	close(fast);

	int k = client(path);
	send(k, "commands\n", 9, 0);
	answer(k, buf, sizeof buf);
	close(k);
	tap_ok(strstr(buf, "status") && !strstr(buf, "bc ") && strstr(buf, "commands"),
	       "ctl: 'commands' lists those of the running roles");
	k = client(path);
	send(k, "bc\n", 3, 0);
	answer(k, buf, sizeof buf);
	close(k);
	tap_is_str(buf, "error: unknown command 'bc' (status, say)\n",
		   "ctl: a command of a role not running is unknown");
	/* "NAME [json] [ARGS...]": the arguments as one string, outer blanks off */
	tap_is_str(ask(&d, "say\n"), "[] json=0\n", "ctl args: none: an empty string");
	tap_is_str(ask(&d, "say  2001:db8::1 2001:db8:2::5   60 \r\n"), "[2001:db8::1 2001:db8:2::5   60] json=0\n",
		   "ctl args: the rest of the line, inner blanks kept, outer ones and CR LF removed");
	tap_is_str(ask(&d, "say json a b\n"), "[a b] json=1\n", "ctl args: json first, then the arguments");
	tap_is_str(ask(&d, "say jsonx y\n"), "[jsonx y] json=0\n", "ctl args: a word that only starts with json is an argument");
	tap_is_str(ask(&d, "say json\nsecond line\n"), "[] json=1\n", "ctl args: only the first line counts");
	ctl_close();
	tap_ok(access(path, F_OK) != 0, "ctl: closing removes the socket file");
	ev_fini();
}

/* ---- the binding update list ---- */

static void test_bul(void)
{
	static struct mobd_bul l;
	struct in6_addr cn1, cn2;
	inet_pton(AF_INET6, "2001:db8:5::1", &cn1);
	inet_pton(AF_INET6, "2001:db8:5::2", &cn2);
	struct mobd_bule *h = bul_get(&l, NULL, true, true);
	struct mobd_bule *c1 = bul_get(&l, &cn1, false, true);
	tap_ok(h && c1 && h != c1, "bul: an entry for the home agent and one per correspondent");
	tap_ok(bul_get(&l, NULL, true, false) == h && bul_get(&l, &cn1, false, false) == c1 &&
		       bul_get(&l, &cn2, false, false) == NULL,
	       "bul: found again by kind and peer; an unknown peer is not made unless asked");

	unsigned want[] = { 1500, 3000, 6000, 12000, 24000, 32000, 32000 };
	unsigned got[7];
	got[0] = bul_start(h, true, 1500);
	bool ex_before = bul_exhausted(h);
	for (int i = 1; i < 7; i++)
		got[i] = bul_backoff(h);
	tap_is_mem(got, want, sizeof want, "bul: first registration 1.5 s, doubled, capped at 32 s");
	tap_ok(!ex_before && bul_exhausted(h) && h->tries == 6, "bul: exhausted at 32 s, six tries");
	tap_ok(bul_start(h, false, 1500) == 1000 && h->tries == 0,
	       "bul: a later registration starts at INITIAL_BINDACK_TIMEOUT (1 s)");
	tap_is_int((long long)bul_bound(h, 100, 0, 5), 80000, "bul: refresh at 80%% of the lifetime");
	tap_is_int((long long)bul_bound(h, 100, 20, 5), 20000, "bul: or at the refresh advice if sooner");
	tap_is_int((long long)bul_bound(h, 1, 0, 5), 1000, "bul: never sooner than 1 s");
	tap_ok(h->expires == 5 + 1000000000ull && h->granted == 1, "bul: expiry from the grant");
}

/* ---- the binding cache ---- */

static void test_bc(void)
{
	struct mobd_bc bc;
	struct in6_addr a[5];
	for (int i = 0; i < 5; i++) {
		char s[32];
		snprintf(s, sizeof s, "2001:db8:1::%x", i + 1);
		inet_pton(AF_INET6, s, &a[i]);
	}
	tap_ok(bc_init(&bc, 0) != 0, "bc: no room for any binding is refused");
	tap_is_int(bc_init(&bc, 4), 0, "bc: a pool of 4");
	bool ok = true;
	for (int i = 0; i < 4; i++)
		ok = ok && bc_new(&bc, &a[i]) != NULL;
	tap_ok(ok && bc.n == 4, "bc: four bindings");
	tap_ok(bc_new(&bc, &a[4]) == NULL, "bc: a fifth finds the pool full");
	ok = true;
	for (int i = 0; i < 4; i++)
		ok = ok && bc_find(&bc, &a[i]) && !memcmp(&bc_find(&bc, &a[i])->hoa, &a[i], 16);
	tap_ok(ok && !bc_find(&bc, &a[4]), "bc: each found by its home address, none other");
	bc_del(&bc, bc_find(&bc, &a[1]));
	tap_ok(!bc_find(&bc, &a[1]) && bc_find(&bc, &a[0]) && bc_find(&bc, &a[2]) && bc.n == 3,
	       "bc: a deleted one is gone, the others stay");
	struct mobd_bce *e = bc_new(&bc, &a[4]);
	tap_ok(e && e == &bc.pool[1] && bc.hwm == 4 && bc_find(&bc, &a[4]) == e,
	       "bc: the freed entry is used again, the pool does not grow");
	bc_free(&bc);
}

/* ---- the intake's parse ---- */

static void test_intake(void)
{
	uint8_t mhb[64], pkt[256];
	struct mk_mh m;
	size_t n, len;
	struct in6_addr src, dst, hoa;
	static struct mobd_pkt p;
	inet_pton(AF_INET6, "2001:db8:21::5", &src);
	inet_pton(AF_INET6, "2001:db8:1::1", &dst);
	inet_pton(AF_INET6, "2001:db8:1::9", &hoa);
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 7;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	mk_mh_build(mhb, sizeof mhb, &mk_cp_default, &m, &n);
	mk_pkt_assemble(pkt, sizeof pkt, &src, &dst, &hoa, NULL, MK_MH_NEXTHDR, mhb, n, &len);
	intake_parse(pkt, len, &mk_cp_default, &p);
	tap_ok(p.chain_ok && p.c.hao >= 0 && p.cksum == 0 && p.st.err == MK_E_OK &&
		       p.m.type == MK_MH_BU && p.m.u.bu.seq == 7,
	       "intake: a BU with a Home Address option parsed once: chain, HAO, checksum, MH");
	pkt[len - 1] ^= 0x40;
	intake_parse(pkt, len, &mk_cp_default, &p);
	tap_is_int(p.cksum, 1, "intake: a changed octet is a wrong checksum");
	intake_parse(pkt, 30, &mk_cp_default, &p);
	tap_ok(!p.chain_ok, "intake: a truncated packet is a bad chain");
}

static void test_msg(void)
{
	uint8_t b[64], cookie[8] = { 1, 2, 3, 4, 5, 6, 7, 8 }, token[8] = { 9, 9, 9, 9, 8, 8, 8, 8 };
	struct mk_mh m;
	size_t n = msg_brr(&mk_cp_default, b, sizeof b);
	tap_ok(n == 8 && mk_mh_parse(b, n, &mk_cp_default, &m).err == MK_E_OK && m.type == MK_MH_BRR,
	       "msg: a Binding Refresh Request, 8 octets, parses back");
	n = msg_testinit(&mk_cp_default, MK_MH_COTI, cookie, b, sizeof b);
	tap_ok(n == 16 && mk_mh_parse(b, n, &mk_cp_default, &m).err == MK_E_OK &&
		       m.type == MK_MH_COTI && !memcmp(m.u.testinit.cookie, cookie, 8),
	       "msg: a CoTI with its cookie");
	n = msg_test(&mk_cp_default, MK_MH_HOT, 77, cookie, token, b, sizeof b);
	tap_ok(n == 24 && mk_mh_parse(b, n, &mk_cp_default, &m).err == MK_E_OK && m.type == MK_MH_HOT &&
		       m.u.test.nonce_idx == 77 && !memcmp(m.u.test.token, token, 8),
	       "msg: a HoT with nonce index, cookie and token");
	tap_ok(!msg_test(&mk_cp_default, MK_MH_HOTI, 1, cookie, token, b, sizeof b) &&
		       !msg_testinit(&mk_cp_default, MK_MH_BU, cookie, b, sizeof b),
	       "msg: a test builder asked for another type builds nothing");
}

/* a log line names the role and, while a packet is handled, its peer */
static void test_log(void)
{
	char path[128], line[512] = "";
	struct in6_addr peer;
	inet_pton(AF_INET6, "2001:db8:21::5", &peer);
	snprintf(path, sizeof path, "%s/log", tmpdir);
	fflush(stderr);
	int saved = dup(2);
	FILE *f = fopen(path, "w+");
	dup2(fileno(f), 2);
	log_init(true, false);
	log_role("home-agent");
	log_peer(&peer);
	log_info("binding %d", 1);
	log_peer(NULL);
	log_warnx("no peer");
	log_debug("not without -v");
	log_role(NULL);
	fflush(stderr);
	dup2(saved, 2);
	close(saved);
	rewind(f);
	size_t n = fread(line, 1, sizeof line - 1, f);
	line[n] = 0;
	fclose(f);
	tap_ok(strstr(line, " home-agent [2001:db8:21::5]: binding 1\n") != NULL,
	       "log: the role and the peer on the line");
	tap_ok(strstr(line, " home-agent: no peer\n") != NULL && !strstr(line, "without -v"),
	       "log: no peer outside a packet; debug only with -v");
}

int main(void)
{
	/* mkdtemp's template: the prefix, then six X */
	size_t pl = (size_t)snprintf(tmpdir, sizeof tmpdir, "/tmp/mk-core.");
	memset(tmpdir + pl, 'X', 6);
	tmpdir[pl + 6] = 0;
	if (!mkdtemp(tmpdir))
		return 1;
	tap_plan(53);
	test_conf();
	test_ctl();
	test_bul();
	test_bc();
	test_intake();
	test_msg();
	test_log();
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", tmpdir);
	return tap_done();
}
