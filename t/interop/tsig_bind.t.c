/* t/interop/tsig_bind.t.c: BIND's named accepts the UPDATE libmobkit builds
 * and signs (TSIG hmac-sha256), answers with a TSIG our verifier accepts,
 * serves the CAAAA it stored, and refuses a wrong key with BADSIG.
 *
 * named runs as our child on 127.0.0.1 on a free port, from a temporary
 * directory; it is stopped by its PID and the directory removed on every
 * way out (exit, signal).  Loopback only; no namespaces needed. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "dns/dns.h"
#include "t/lib/tap.h"
#include "t/lib/scratch.h"

#define SECRET "bW9ia2l0LWludGVyb3AtdHNpZy1rZXktMzItb2N0ZXQ="

static int port;
static struct mk_dns_msg m;

static int free_port(void)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof a;
	int s = socket(AF_INET, SOCK_DGRAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) != 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	close(s);
	return ntohs(a.sin_port);
}

/* Send q, wait up to ms for one answer with the same ID. */
static ssize_t exchange(const uint8_t *q, size_t qn, uint8_t *r, size_t cap, int ms)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n = -1;

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (s < 0)
		return -1;
	if (sendto(s, q, qn, 0, (struct sockaddr *)&a, sizeof a) == (ssize_t)qn) {
		struct pollfd p = { .fd = s, .events = POLLIN };
		while (poll(&p, 1, ms) == 1) {
			n = recv(s, r, cap, 0);
			if (n >= 2 && r[0] == q[0] && r[1] == q[1])
				break;
			n = -1;
		}
	}
	close(s);
	return n;
}

static ssize_t query(const char *name, ldns_rr_type t, uint16_t id, uint8_t *r, size_t cap, int ms)
{
	ldns_pkt *q = NULL;
	uint8_t w[512];
	size_t n;

	if (ldns_pkt_query_new_frm_str(&q, name, t, LDNS_RR_CLASS_IN, 0) != LDNS_STATUS_OK)
		return -1;
	ldns_pkt_set_id(q, id);
	struct mk_status st = mk_dns_pkt_wire(q, w, sizeof w, &n);
	ldns_pkt_free(q);
	return st.err == MK_E_OK ? exchange(w, n, r, cap, ms) : -1;
}

static int start_named(void)
{
	char conf[2048], path[256];

	snprintf(conf, sizeof conf,
		 "options {\n directory \"%s\";\n listen-on port %d { 127.0.0.1; };\n"
		 " listen-on-v6 { none; };\n pid-file \"%s/named.pid\";\n"
		 " session-keyfile \"%s/session.key\";\n recursion no;\n dnssec-validation no;\n};\n"
		 "controls { };\n"
		 "key \"mk-key\" { algorithm hmac-sha256; secret \"" SECRET "\"; };\n"
		 "zone \"example\" { type primary; file \"%s/example.db\";"
		 " allow-update { key \"mk-key\"; }; };\n",
		 scratch_dir, port, scratch_dir, scratch_dir, scratch_dir);
	if (scratch_write("named.conf", conf) != 0 ||
	    scratch_write("example.db", "$TTL 60\n"
				     "@ IN SOA ns.example. admin.example. 1 3600 600 86400 60\n"
				     "@ IN NS ns.example.\n"
				     "ns IN AAAA ::1\n"
				     "server IN AAAA 2001:db8:1::100\n") != 0)
		return -1;
	snprintf(path, sizeof path, "%s/named.conf", scratch_dir);
	scratch_child = fork();
	if (scratch_child < 0)
		return -1;
	if (scratch_child == 0) {
		char log[256];
		snprintf(log, sizeof log, "%s/named.log", scratch_dir);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		execl("/usr/sbin/named", "named", "-g", "-n", "1", "-c", path, (char *)NULL);
		_exit(127);
	}
	/* ready when the SOA answers: poll, at most 15 s */
	uint8_t r[1024];
	for (int i = 0; i < 150; i++) {
		ssize_t n = query("example.", LDNS_RR_TYPE_SOA, (uint16_t)(100 + i), r, sizeof r, 100);
		if (n > 0 && mk_dns_msg_parse(r, (size_t)n, &m, NULL).err == MK_E_OK && m.rcode == 0 &&
		    m.count[1] == 1)
			return 0;
		if (waitpid(scratch_child, NULL, WNOHANG) == scratch_child) {
			scratch_child = -1;
			return -1;
		}
	}
	return -1;
}

static void show_log(void)
{
	char cmd[256];
	snprintf(cmd, sizeof cmd, "tail -15 '%s/named.log' | sed 's/^/# /'", scratch_dir);
	if (system(cmd) != 0)
		tap_diag("no named log");
}

/* UPDATE example.: prerequisite server.example. exists, replace its CAAAA. */
static int signed_update(const struct mk_tsig_key *k, const uint8_t coa[16], uint16_t id, uint8_t *w,
			 size_t *n)
{
	ldns_pkt *u = NULL;
	ldns_rr *c = NULL;
	struct mk_status st = mk_update_new(&u, "example.", id);

	if (st.err == MK_E_OK)
		st = mk_update_prereq_name_in_use(u, "server.example.");
	if (st.err == MK_E_OK)
		st = mk_caaaa_rr_new(&c, "server.example.", 0, coa, NULL);
	if (st.err == MK_E_OK) {
		const ldns_rr *set[1] = { c };
		st = mk_update_replace_rrset(u, set, 1);
	}
	if (st.err == MK_E_OK)
		st = mk_tsig_sign(u, k, 300, NULL, 0);
	if (st.err == MK_E_OK)
		st = mk_dns_pkt_wire(u, w, 1024, n);
	ldns_rr_free(c);
	ldns_pkt_free(u);
	return st.err == MK_E_OK ? 0 : -1;
}

int main(void)
{
	struct mk_tsig_key k, bad;
	uint8_t w[1024], r[2048], coa[16], mac[64];
	size_t n, ml;
	ssize_t rn;

	if (access("/usr/sbin/named", X_OK) != 0) {
		tap_skip_all("BIND named not installed (make deps installs bind9)");
		return 0;
	}
	if (scratch_init() != 0) {
		tap_skip_all("cannot create a temporary directory");
		return 0;
	}
	port = free_port();

	tap_plan(11);
	inet_pton(AF_INET6, "2001:db8:2::100", coa);
	mk_tsig_key_set(&k, "mk-key", "hmac-sha256", SECRET);
	mk_tsig_key_set(&bad, "mk-key", "hmac-sha256", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");

	if (!tap_ok(port > 0 && start_named() == 0, "named started on 127.0.0.1 port %d", port)) {
		show_log();
		tap_skip(10, "named did not start");
		return tap_done();
	}

	tap_ok(signed_update(&k, coa, 0x5151, w, &n) == 0, "UPDATE built and TSIG-signed by libmobkit");
	mk_tsig_mac(w, n, mac, sizeof mac, &ml);
	rn = exchange(w, n, r, sizeof r, 5000);
	tap_ok(rn > 0 && mk_dns_msg_parse(r, (size_t)rn, &m, NULL).err == MK_E_OK, "named answered");
	tap_ok(rn > 0 && m.opcode == MK_DNS_OP_UPDATE && (m.flags & MK_DNS_F_QR) &&
		       mk_dns_msg_rcode(&m) == MK_DNS_R_NOERROR,
	       "named applied the UPDATE: NOERROR");
	tap_ok(rn > 0 && m.has_tsig, "named signed its response");
	struct mk_status st = rn > 0 ? mk_tsig_verify(r, (size_t)rn, &k, mac, ml, 0) : mk_fail(MK_E_INVAL, 0);
	tap_ok(st.err == MK_E_OK, "our verifier accepts named's TSIG (request MAC chained)");
	if (st.err != MK_E_OK)
		tap_diag("%s at %zu", mk_errname(st.err), st.off);

	rn = query("server.example.", (ldns_rr_type)65280, 0x5252, r, sizeof r, 5000);
	int found = 0;
	if (rn > 0 && mk_dns_msg_parse(r, (size_t)rn, &m, NULL).err == MK_E_OK)
		for (unsigned i = 0; i < m.nrec; i++)
			found |= m.rec[i].section == MK_DNS_SEC_ANSWER && m.rec[i].kind == MK_DNS_RD_CAAAA &&
				 memcmp(m.rec[i].rd.aaaa, coa, 16) == 0;
	tap_ok(found, "named serves the CAAAA with the care-of address");

	char cmd[256], out[256] = "";
	snprintf(cmd, sizeof cmd, "dig -p %d @127.0.0.1 +short server.example. TYPE65280 2>&1", port);
	FILE *p = popen(cmd, "r");
	if (p && fgets(out, sizeof out, p))
		out[strcspn(out, "\n")] = 0;
	if (p)
		pclose(p);
	tap_is_str(out, "\\# 16 20010DB8000200000000000000000100", "dig shows it in RFC 3597 form");

	tap_ok(signed_update(&bad, coa, 0x5353, w, &n) == 0, "UPDATE signed with a wrong secret");
	rn = exchange(w, n, r, sizeof r, 5000);
	tap_ok(rn > 0 && mk_dns_msg_parse(r, (size_t)rn, &m, NULL).err == MK_E_OK && m.rcode == MK_DNS_R_NOTAUTH,
	       "named refuses it: NOTAUTH");
	tap_ok(rn > 0 && m.has_tsig && m.tsig_error == MK_DNS_R_BADSIG, "with TSIG error BADSIG");
	return tap_done();
}
