/* t/interop/sig0_bind.t.c: SIG(0) against two other implementations.
 *
 *   1. BIND's nsupdate signs an UPDATE with a key from dnssec-keygen and
 *      sends it to a UDP socket of ours on 127.0.0.1; our verifier accepts
 *      it with the public key from the K*.key file, and rejects it with one
 *      bit flipped in the update section, in the signature, or with another
 *      key.  (Both BIND algorithms: ECDSAP256SHA256 and ED25519.)
 *   2. Perl's Net::DNS::SEC verifies the UPDATEs libmobkit signs with the
 *      same key files, and rejects them with one bit flipped.
 *
 * Not tested against named: BIND 9.18.28 and later no longer verify SIG(0)
 * in named at all (CVE-2024-1975), so this machine's named (9.18.49) cannot
 * be an oracle for it; the test says so in a diagnostic.
 *
 * Everything lives in a temporary directory removed on every way out; the
 * only process started (nsupdate) is waited for, or killed by its PID. */
#include <arpa/inet.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dns/dns.h"
#include "t/lib/tap.h"
#include "t/lib/scratch.h"

static uint8_t coa[16];

/* First line of a command's stdout, or "" */
static void run_line(const char *cmd, char *out, size_t cap)
{
	FILE *p = popen(cmd, "r");
	out[0] = 0;
	if (p) {
		if (!fgets(out, (int)cap, p))
			out[0] = 0;
		pclose(p);
	}
	out[strcspn(out, "\n")] = 0;
}

/* dnssec-keygen a KEY for mn.example.; base receives "DIR/Kmn.example.+013+NNNNN" */
static int keygen(const char *alg, char *base, size_t cap)
{
	char cmd[512], name[256];
	snprintf(cmd, sizeof cmd,
		 "dnssec-keygen -q -K '%s' -T KEY -a %s -n HOST mn.example. 2>/dev/null", scratch_dir, alg);
	run_line(cmd, name, sizeof name);
	if (strncmp(name, "Kmn.example.+", 13) != 0)
		return -1;
	snprintf(base, cap, "%s/%s", scratch_dir, name);
	return 0;
}

/* Run nsupdate -k PRIVATE against 127.0.0.1:port where we listen; return
 * the first datagram it sends (the UPDATE). */
static ssize_t capture_nsupdate(const char *private_path, uint8_t *buf, size_t cap)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t al = sizeof a;
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	ssize_t n = -1;
	int in[2];

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof a) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &al) != 0 || pipe(in) != 0) {
		if (s >= 0)
			close(s);
		return -1;
	}
	scratch_child = fork();
	if (scratch_child == 0) {
		dup2(in[0], 0);
		close(in[1]);
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0) {
			dup2(null, 1);
			dup2(null, 2);
		}
		execlp("nsupdate", "nsupdate", "-r", "0", "-u", "3", "-t", "3", "-k", private_path,
		       (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	if (scratch_child > 0) {
		char script[512];
		int l = snprintf(script, sizeof script,
				 "server 127.0.0.1 %u\nzone example.\n"
				 "update delete host.example. AAAA\n"
				 "update add host.example. 0 AAAA 2001:db8:2::100\nsend\n",
				 ntohs(a.sin_port));
		if (write(in[1], script, (size_t)l) != l)
			tap_diag("could not write the nsupdate script");
	}
	close(in[1]);
	struct pollfd p = { .fd = s, .events = POLLIN };
	if (scratch_child > 0 && poll(&p, 1, 10000) == 1)
		n = recv(s, buf, cap, 0);
	close(s);
	scratch_stop_child();
	return n;
}

static void from_nsupdate(const char *alg, const char *base, const struct mk_sig0_key *other)
{
	char keyp[1100], privp[1100];
	uint8_t msg[4096], t[4096];
	struct mk_sig0_key k;
	struct mk_sig0_info info;
	struct mk_dns_msg *m = malloc(sizeof *m);

	snprintf(keyp, sizeof keyp, "%s.key", base);
	snprintf(privp, sizeof privp, "%s.private", base);
	if (!m || mk_sig0_key_load_bind(&k, keyp, NULL).err != MK_E_OK) {
		tap_skip(6, "cannot load the key");
		free(m);
		return;
	}
	ssize_t n = capture_nsupdate(privp, msg, sizeof msg);
	tap_ok(n > 0, "%s: nsupdate sent a datagram (%zd octets)", alg, n);
	if (n <= 0) {
		tap_skip(5, "nothing from nsupdate");
		mk_sig0_key_free(&k);
		free(m);
		return;
	}
	size_t len = (size_t)n;
	int parsed = mk_dns_msg_parse(msg, len, m, NULL).err == MK_E_OK;
	tap_ok(parsed && m->opcode == 5 && m->has_sig0 && m->count[MK_DNS_SEC_AUTHORITY] == 2,
	       "%s: an UPDATE with two updates, ending in a SIG(0)", alg);
	struct mk_status st = mk_sig0_verify(msg, len, NULL, 0, &k, 0, &info);
	tap_ok(st.err == MK_E_OK && info.keytag == k.keytag && info.alg == k.alg,
	       "%s: our verifier accepts nsupdate's SIG(0) (key tag %u)", alg, info.keytag);
	if (st.err != MK_E_OK)
		tap_diag("%s at %zu", mk_errname(st.err), st.off);

	/* one bit of the AAAA in the update section (just before the SIG RR) */
	memcpy(t, msg, len);
	t[info.rr_off - 1] ^= 1;
	st = mk_sig0_verify(t, len, NULL, 0, &k, 0, NULL);
	tap_ok(st.err == MK_E_SIG0_BAD_SIGNATURE, "%s: one flipped bit in the update: %s", alg,
	       mk_errname(st.err));
	memcpy(t, msg, len);
	t[len - 5] ^= 0x10;
	st = mk_sig0_verify(t, len, NULL, 0, &k, 0, NULL);
	tap_ok(st.err == MK_E_SIG0_BAD_SIGNATURE, "%s: one flipped bit in the signature: %s", alg,
	       mk_errname(st.err));
	st = mk_sig0_verify(msg, len, NULL, 0, other, 0, NULL);
	tap_ok(st.err != MK_E_OK, "%s: another key does not verify it: %s", alg, mk_errname(st.err));
	mk_sig0_key_free(&k);
	free(m);
}

/* Net::DNS::SEC verifies the message in file wire with the KEY in keyfile;
 * prints "ok" or the reason. */
static void perl_verify(const char *wire, const char *keyfile, char *out, size_t cap)
{
	char cmd[4096];
	snprintf(cmd, sizeof cmd,
		 "perl -MNet::DNS -MNet::DNS::SEC -e '"
		 "open my $f, q(<), $ARGV[0] or die; binmode $f; local $/; my $d = <$f>;"
		 "open my $k, q(<), $ARGV[1] or die; my ($line) = grep { !/^;/ && /\\S/ } <$k>;"
		 "my $key = Net::DNS::RR->new($line);"
		 "my $p = Net::DNS::Packet->new(\\$d) or die qq(parse\\n);"
		 "my $sig = $p->sigrr or die qq(no SIG\\n);"
		 "print $sig->verify($p, $key) ? qq(ok\\n) : $sig->vrfyerrstr, qq(\\n);"
		 "' '%s' '%s' 2>&1",
		 wire, keyfile);
	run_line(cmd, out, cap);
}

static void to_perl(const char *alg, const char *base)
{
	char keyp[1100], privp[1100], wire[600], res[512];
	uint8_t msg[1024];
	struct mk_sig0_key k;
	size_t n = 0, len;
	ldns_pkt *u = NULL;

	snprintf(keyp, sizeof keyp, "%s.key", base);
	snprintf(privp, sizeof privp, "%s.private", base);
	snprintf(wire, sizeof wire, "%s/update.bin", scratch_dir);
	if (mk_sig0_key_load_bind(&k, keyp, privp).err != MK_E_OK ||
	    mk_update_new(&u, "example.", 0x0513).err != MK_E_OK ||
	    mk_update_delete_rrset(u, "host.example.", MK_DNS_T_AAAA).err != MK_E_OK ||
	    mk_update_add_aaaa(u, "host.example.", coa).err != MK_E_OK ||
	    mk_dns_pkt_wire(u, msg, sizeof msg, &len).err != MK_E_OK ||
	    mk_sig0_sign(msg, sizeof msg, len, NULL, 0, &k, 0, &n).err != MK_E_OK) {
		tap_skip(2, "cannot build the signed UPDATE");
		ldns_pkt_free(u);
		return;
	}
	ldns_pkt_free(u);
	for (int flip = 0; flip < 2; flip++) {
		if (flip)
			msg[len - 1] ^= 1; /* last octet of the update's AAAA */
		FILE *f = fopen(wire, "wb");
		if (!f || fwrite(msg, 1, n, f) != n) {
			if (f)
				fclose(f);
			tap_skip(1, "cannot write the message");
			continue;
		}
		fclose(f);
		perl_verify(wire, keyp, res, sizeof res);
		if (!flip)
			tap_is_str(res, "ok", "%s: Net::DNS::SEC verifies our SIG(0)", alg);
		else
			tap_ok(strcmp(res, "ok") != 0 && res[0], "%s: ... and not with one flipped bit (%s)",
			       alg, res);
	}
	mk_sig0_key_free(&k);
}

int main(void)
{
	const char *algs[2] = { "ECDSAP256SHA256", "ED25519" };
	char base[2][512];
	struct mk_sig0_key other;

	inet_pton(AF_INET6, "2001:db8:2::100", coa);
	if (system("command -v nsupdate >/dev/null && command -v dnssec-keygen >/dev/null") != 0)
		tap_skip_all("nsupdate or dnssec-keygen missing (bind9-dnsutils, bind9-utils)");
	if (system("perl -MNet::DNS::SEC -e 1 2>/dev/null") != 0)
		tap_skip_all("Net::DNS::SEC missing (libnet-dns-sec-perl)");
	tap_plan(2 * 6 + 2 * 2);
	if (scratch_init() != 0) {
		tap_diag("mkdtemp failed");
		return 1;
	}
	tap_diag("named is not an oracle: BIND >= 9.18.28 does not verify SIG(0) (CVE-2024-1975)");

	mk_sig0_key_generate(&other, "mn.example.", MK_SIG0_ALG_ECDSAP256SHA256);
	for (int i = 0; i < 2; i++) {
		if (keygen(algs[i], base[i], sizeof base[i]) != 0) {
			tap_skip(8, "dnssec-keygen failed");
			continue;
		}
		from_nsupdate(algs[i], base[i], &other);
		to_perl(algs[i], base[i]);
	}
	mk_sig0_key_free(&other);
	return tap_done();
}
