/* t/dns/sig0.t.c: SIG(0) (RFC 2931) keys, signing and every verifier check.
 *
 * Independent evidence, not our code checking itself:
 *   - key tags: the RFC 4034 5.4 example (60485), ldns_calc_keytag, and the
 *     tag BIND's dnssec-keygen puts in its file names;
 *   - signatures: the test assembles the signed data itself (RFC 2931 3.1:
 *     SIG RDATA less the signature | header with ARCOUNT less one | body)
 *     and checks Ed25519 signatures with ldns_verify_rrsig_buffers_raw, a
 *     crypto path sig0.c does not use.  (ldns 1.8.3 fails ECDSA there with
 *     OpenSSL 3; t/interop/sig0_bind.t has Net::DNS::SEC check ECDSA and
 *     BIND's nsupdate sign for our verifier.)
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/dns.h"
#include "t/lib/tap.h"
#include "t/lib/check.h"
#include "wire/cursor.h"

static uint8_t coa[16];
static const time_t T0 = 1795000000; /* a fixed "now" for the signer */

/* An UPDATE of example. replacing host.example.'s CAAAA, in wire form. */
static size_t make_update(uint8_t *buf, size_t cap, uint16_t id)
{
	ldns_pkt *u = NULL;
	size_t n = 0;

	if (mk_update_new(&u, "example.", id).err != MK_E_OK ||
	    mk_update_delete_rrset(u, "host.example.", MK_DNS_T_AAAA).err != MK_E_OK ||
	    mk_update_add_caaaa(u, "host.example.", coa, NULL).err != MK_E_OK ||
	    mk_dns_pkt_wire(u, buf, cap, &n).err != MK_E_OK)
		n = 0;
	ldns_pkt_free(u);
	return n;
}

static void test_keytag(void)
{
	/* RFC 4034 5.4: this DNSKEY has key tag 60485 */
	const char *rfc = "dskey.example.com. 86400 IN DNSKEY 256 3 5 "
			  "AQOeiiR0GOMYkDshWoSKz9XzfwJr1AYtsmx3TGkJaNXVbfi/2pHm822aJ5iI9BMzNXxe"
			  "YCmZDRD99WYwYqUSdjMmmAphXdvxegXd/M5+X7OrzKBaMbCVdFLUUh6DhweJBjEVv5f2"
			  "wwjM9XzcnOf+EPbtG9DMBmADjFDc2w/rljwvFw==";
	ldns_rr *rr = NULL;
	ldns_buffer *b = ldns_buffer_new(512);
	int ok = ldns_rr_new_frm_str(&rr, rfc, 0, NULL, NULL) == LDNS_STATUS_OK &&
		 ldns_rr_rdata2buffer_wire(b, rr) == LDNS_STATUS_OK;
	tap_ok(ok, "RFC 4034 5.4 DNSKEY parses with ldns");
	tap_is_int(ok ? mk_dns_keytag(ldns_buffer_begin(b), ldns_buffer_position(b)) : -1, 60485,
		   "key tag of the RFC 4034 5.4 example");
	ldns_rr_free(rr);
	ldns_buffer_free(b);

	tap_is_str(mk_sig0_alg_name(13), "ECDSAP256SHA256", "algorithm 13 name");
	tap_is_str(mk_sig0_alg_name(15), "ED25519", "algorithm 15 name");
	tap_ok(mk_sig0_alg_name(2) == NULL && mk_sig0_alg_name(200) == NULL, "unknown algorithms have no name");
}

/* The key as a KEY RR through ldns: its key tag must be ours. */
static void check_key_with_ldns(const struct mk_sig0_key *k, const char *what)
{
	char s[512];
	ldns_rr *rr = NULL;

	tap_ok(mk_sig0_key_to_str(k, s, sizeof s).err == MK_E_OK &&
		       ldns_rr_new_frm_str(&rr, s, 0, NULL, NULL) == LDNS_STATUS_OK,
	       "%s: presentation form parses with ldns", what);
	tap_is_int(rr ? ldns_calc_keytag(rr) : -1, k->keytag, "%s: ldns_calc_keytag agrees", what);
	ldns_rr_free(rr);

	struct mk_sig0_key p;
	tap_ok(mk_sig0_key_parse_rr(&p, s).err == MK_E_OK && p.alg == k->alg &&
		       p.flags == MK_KEY_FLAGS_HOST && p.pub_len == k->pub_len &&
		       memcmp(p.pub, k->pub, p.pub_len) == 0 && p.keytag == k->keytag &&
		       mk_dns_name_eq(p.name, p.name_len, k->name, k->name_len) && !p.has_private,
	       "%s: parses back to the same public key, no private part", what);
	mk_sig0_key_free(&p);
}

/* Independent Ed25519 check over the signed data the test assembles. */
static int ldns_verifies(const uint8_t *msg, size_t len, const struct mk_sig0_key *k)
{
	struct mk_dns_msg m;
	if (mk_dns_msg_parse(msg, len, &m, NULL).err != MK_E_OK || !m.has_sig0)
		return 0;
	const struct mk_dns_rec *r = &m.rec[m.sig0_idx];
	ldns_buffer *d = ldns_buffer_new(len);
	ldns_buffer_write(d, msg + r->rdata_off, r->rd.sig.sig_off - r->rdata_off);
	uint8_t hdr[12];
	memcpy(hdr, msg, 12);
	mk_store16(hdr + 10, (uint16_t)(mk_load16(hdr + 10) - 1));
	ldns_buffer_write(d, hdr, 12);
	ldns_buffer_write(d, msg + 12, r->off - 12);
	ldns_status s = ldns_verify_rrsig_buffers_raw((unsigned char *)msg + r->rd.sig.sig_off,
						      r->rd.sig.sig_len, d, (unsigned char *)k->pub,
						      k->pub_len, k->alg);
	ldns_buffer_free(d);
	return s == LDNS_STATUS_OK;
}

static void test_round_trip(unsigned alg, const char *what)
{
	struct mk_sig0_key k, pub;
	uint8_t msg[1024], orig[1024];
	size_t n, len = make_update(msg, sizeof msg, 0x5150);
	struct mk_sig0_info info;
	struct mk_dns_msg m;
	char s[512];

	memcpy(orig, msg, len);
	tap_ok(mk_sig0_key_generate(&k, "MN.Example.", alg).err == MK_E_OK && k.has_private &&
		       k.alg == alg && k.pub_len == (alg == 13 ? 64u : 32u),
	       "%s: key generated with OpenSSL", what);
	check_key_with_ldns(&k, what);
	mk_sig0_key_to_str(&k, s, sizeof s);
	mk_sig0_key_parse_rr(&pub, s);

	tap_ok(mk_sig0_sign(msg, sizeof msg, len, NULL, 0, &k, T0, &n).err == MK_E_OK &&
		       n == len + 11 + 18 + 12 + 64,
	       "%s: UPDATE signed, SIG RR of %zu octets appended", what, n - len);
	tap_ok(memcmp(msg, orig, 10) == 0 && mk_load16(msg + 10) == mk_load16(orig + 10) + 1 &&
		       memcmp(msg + 12, orig + 12, len - 12) == 0,
	       "%s: the message is unchanged but for ARCOUNT + 1", what);
	tap_ok(mk_dns_msg_parse(msg, n, &m, NULL).err == MK_E_OK && m.has_sig0 &&
		       m.sig0_idx == m.nrec - 1,
	       "%s: parses, the SIG(0) is the last record", what);
	const struct mk_dns_rec *r = &m.rec[m.sig0_idx];
	static const uint8_t signer[] = { 2, 'm', 'n', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0 };
	tap_ok(r->off == len && msg[len] == 0 && r->cls == MK_DNS_C_ANY && r->ttl == 0 &&
		       r->rd.sig.covered == 0 && r->rd.sig.alg == alg && r->rd.sig.labels == 0 &&
		       r->rd.sig.orig_ttl == 0 && r->rd.sig.inception == (uint32_t)T0 - 300 &&
		       r->rd.sig.expiration == (uint32_t)T0 + 300 && r->rd.sig.keytag == k.keytag &&
		       r->rd.sig.sig_len == 64 &&
		       memcmp(msg + r->rd.sig.signer_off, signer, sizeof signer) == 0,
	       "%s: root owner, class ANY, TTL 0, covered 0, labels 0, now +-300, lowercase signer",
	       what);
	if (alg == MK_SIG0_ALG_ED25519)
		tap_ok(ldns_verifies(msg, n, &pub), "%s: ldns verifies the signature over data the test assembled", what);
	tap_ok(mk_sig0_verify(msg, n, NULL, 0, &pub, T0 + 10, &info).err == MK_E_OK &&
		       info.rr_off == len && info.alg == alg && info.keytag == k.keytag &&
		       info.inception == (uint32_t)T0 - 300 && info.signer_len == sizeof signer,
	       "%s: verifies with the public key; info filled", what);

	/* a response to it, signed over the request too */
	uint8_t resp[1024];
	size_t rl = MK_DNS_HDR_LEN, rn;
	memcpy(resp, msg, 12);
	resp[2] |= 0x80; /* QR */
	memset(resp + 4, 0, 8);
	tap_ok(mk_sig0_sign(resp, sizeof resp, rl, msg, n, &k, T0, &rn).err == MK_E_OK,
	       "%s: response signed over the request", what);
	tap_ok(mk_sig0_verify(resp, rn, msg, n, &pub, T0, NULL).err == MK_E_OK,
	       "%s: response verifies with the request", what);
	check_status(mk_sig0_verify(resp, rn, NULL, 0, &pub, T0, NULL), MK_E_SIG0_BAD_SIGNATURE,
	       rn - 64, "response verified without the request");
	msg[n - 1] ^= 1;
	check_status(mk_sig0_verify(resp, rn, msg, n, &pub, T0, NULL), MK_E_SIG0_BAD_SIGNATURE,
	       rn - 64, "response verified against another request");
	msg[n - 1] ^= 1;

	/* signing errors: nothing written */
	uint8_t small[1024];
	memcpy(small, orig, len);
	check_status(mk_sig0_sign(small, len + 50, len, NULL, 0, &k, T0, &n), MK_E_NOSPACE, len,
	       "no room for the SIG RR");
	tap_ok(n == 0 && memcmp(small, orig, len) == 0, "%s: buffer unchanged on error", what);
	check_status(mk_sig0_sign(small, sizeof small, len, NULL, 0, &pub, T0, &n),
	       MK_E_SIG0_NO_PRIVATE, 0, "sign with a public-only key");
	mk_sig0_sign(small, sizeof small, len, NULL, 0, &k, T0, &n);
	check_status(mk_sig0_sign(small, sizeof small, n, NULL, 0, &k, T0, &n), MK_E_SIG0_SIGNED, len,
	       "sign a message that already ends in a SIG(0)");
	check_status(mk_sig0_sign(small, sizeof small, 11, NULL, 0, &k, T0, &n), MK_E_TRUNC, 11,
	       "sign 11 octets");
	mk_sig0_key_free(&pub);
	mk_sig0_key_free(&k);
}

/* Rebuild signed message msg (n octets) with the SIG RR's owner replaced by
 * a compression pointer to the zone name at offset 12. */
static size_t owner_pointer(const uint8_t *msg, size_t n, size_t rr, uint8_t *out)
{
	memcpy(out, msg, rr);
	out[rr] = 0xc0;
	out[rr + 1] = 12;
	memcpy(out + rr + 2, msg + rr + 1, n - rr - 1);
	return n + 1;
}

static void test_verifier_errors(void)
{
	struct mk_sig0_key k, other, ed;
	uint8_t msg[1024], t[1100];
	size_t len = make_update(msg, sizeof msg, 7), n;

	mk_sig0_key_generate(&k, "mn.example.", MK_SIG0_ALG_ECDSAP256SHA256);
	mk_sig0_key_generate(&other, "other.example.", MK_SIG0_ALG_ECDSAP256SHA256);
	mk_sig0_key_generate(&ed, "mn.example.", MK_SIG0_ALG_ED25519);

	check_status(mk_sig0_verify(msg, len, NULL, 0, &k, T0, NULL), MK_E_SIG0_MISSING, len,
	       "unsigned UPDATE");
	mk_sig0_sign(msg, sizeof msg, len, NULL, 0, &k, T0, &n);
	size_t rr = len, rd = len + 11, sig = n - 64;

#define TAMPER(stmt, e, off, what)                                                  \
	do {                                                                        \
		memcpy(t, msg, n);                                                  \
		stmt;                                                               \
		check_status(mk_sig0_verify(t, n, NULL, 0, &k, T0, NULL), e, off, what); \
	} while (0)

	TAMPER(mk_store16(t + rr + 3, MK_DNS_C_IN), MK_E_SIG0_CLASS, rr + 3, "class IN");
	TAMPER(mk_store32(t + rr + 5, 60), MK_E_SIG0_TTL, rr + 5, "TTL 60");
	TAMPER(mk_store16(t + rd, 1), MK_E_SIG0_COVERED, rd, "type covered A");
	TAMPER(t[rd + 3] = 2, MK_E_SIG0_LABELS, rd + 3, "labels 2");
	TAMPER(t[rd + 2] = 15, MK_E_SIG0_ALG, rd + 2, "algorithm 15 with an ECDSA key");
	TAMPER(t[rd + 2] = 8, MK_E_SIG0_ALG_UNSUPPORTED, rd + 2, "algorithm 8 (RSASHA256)");
	TAMPER(t[rd + 19] = 'n', MK_E_SIG0_SIGNER, rd + 18, "signer nn.example.");
	TAMPER(mk_store16(t + rd + 16, (uint16_t)(k.keytag + 1)), MK_E_SIG0_KEYTAG, rd + 16,
	       "key tag + 1");
	TAMPER(mk_store32(t + rd + 8, (uint32_t)T0 - 301), MK_E_SIG0_TIME_ORDER, rd + 8,
	       "expiration before inception");
	TAMPER(t[rr - 1] ^= 0x01, MK_E_SIG0_BAD_SIGNATURE, sig,
	       "one bit of the update section flipped");
	TAMPER(t[1] ^= 0x01, MK_E_SIG0_BAD_SIGNATURE, sig, "message ID changed");
	TAMPER(t[n - 1] ^= 0x80, MK_E_SIG0_BAD_SIGNATURE, sig, "one bit of the signature flipped");
	TAMPER(t[3] ^= 0x01, MK_E_SIG0_BAD_SIGNATURE, sig, "one header bit flipped");
	TAMPER(mk_store32(t + rd + 12, (uint32_t)T0 - 200), MK_E_SIG0_BAD_SIGNATURE, sig,
	       "inception moved: the SIG RDATA is signed too");
#undef TAMPER

	check_status(mk_sig0_verify(msg, n, NULL, 0, &k, T0 + 301, NULL), MK_E_SIG0_EXPIRED, rd + 8,
	       "verified 301 s after signing");
	check_status(mk_sig0_verify(msg, n, NULL, 0, &k, T0 - 301, NULL), MK_E_SIG0_NOT_YET, rd + 12,
	       "verified 301 s before signing");
	tap_ok(mk_sig0_verify(msg, n, NULL, 0, &k, T0 + 300, NULL).err == MK_E_OK &&
		       mk_sig0_verify(msg, n, NULL, 0, &k, T0 - 300, NULL).err == MK_E_OK,
	       "verifies at both ends of the window");
	check_status(mk_sig0_verify(msg, n, NULL, 0, &other, T0, NULL), MK_E_SIG0_SIGNER, rd + 18,
	       "verified with another name's key");
	check_status(mk_sig0_verify(msg, n, NULL, 0, &ed, T0, NULL), MK_E_SIG0_ALG, rd + 2,
	       "verified with an Ed25519 key of the same name");

	/* owner not the root: a pointer to the zone name */
	size_t tn = owner_pointer(msg, n, rr, t);
	check_status(mk_sig0_verify(t, tn, NULL, 0, &k, T0, NULL), MK_E_SIG0_OWNER, rr, "owner example.");
	/* signature one octet short */
	memcpy(t, msg, n);
	mk_store16(t + rr + 9, (uint16_t)(mk_load16(t + rr + 9) - 1));
	check_status(mk_sig0_verify(t, n - 1, NULL, 0, &k, T0, NULL), MK_E_SIG0_SIGLEN, sig,
	       "63-octet signature");
	/* a record after the SIG(0): the parser refuses it */
	memcpy(t, msg, n);
	static const uint8_t a_rr[] = { 0, 0, 1, 0, 1, 0, 0, 0, 0, 0, 4, 192, 0, 2, 1 };
	memcpy(t + n, a_rr, sizeof a_rr);
	mk_store16(t + 10, (uint16_t)(mk_load16(t + 10) + 1));
	check_status(mk_sig0_verify(t, n + sizeof a_rr, NULL, 0, &k, T0, NULL), MK_E_SIG0_NOT_LAST, rr,
	       "an A record after the SIG(0)");
	check_status(mk_sig0_verify(msg, n - 1, NULL, 0, &k, T0, NULL), MK_E_TRUNC, rr + 9,
	       "message cut by one octet");
	mk_sig0_key_free(&k);
	mk_sig0_key_free(&other);
	mk_sig0_key_free(&ed);
}

static void test_key_text_errors(void)
{
	struct mk_sig0_key k;
	const char *ec = "mn.example. IN KEY 512 3 13 "
			 "M5U4XLS+y3jfKRSWXFyyiW5+gtDtnuXJSyZsHAYiijA618S+PZPlFoVy "
			 "AUD8Ku+Go9KPBPyvUdHozaigTTYOZg==";
	tap_ok(mk_sig0_key_parse_rr(&k, ec).err == MK_E_OK && k.keytag == 817,
	       "dnssec-keygen's Kmn.example.+013+00817.key: key tag 817");
	mk_sig0_key_free(&k);
	check_status(mk_sig0_key_parse_rr(&k, "; comment only\n\n"), MK_E_SIG0_KEYFILE, 0, "no record");
	check_status(mk_sig0_key_parse_rr(&k, "; c\nmn.example. IN KEY 512 2 13 "
					"M5U4XLS+y3jfKRSWXFyyiW5+gtDtnuXJSyZsHAYiijA618S+PZPlFoVy"
					"AUD8Ku+Go9KPBPyvUdHozaigTTYOZg=="),
	       MK_E_SIG0_KEY_RDATA, 4, "protocol 2");
	check_status(mk_sig0_key_parse_rr(&k, "mn.example. IN KEY 512 3 8 AwEAAQ=="),
	       MK_E_SIG0_ALG_UNSUPPORTED, 0, "RSASHA256 key");
	check_status(mk_sig0_key_parse_rr(&k, "mn.example. IN KEY 512 3 15 AAECAwQF"),
	       MK_E_SIG0_KEY_RDATA, 0, "Ed25519 key of 6 octets");
	/* x|y with y changed: not a point on P-256 */
	check_status(mk_sig0_key_parse_rr(&k, "mn.example. IN KEY 512 3 13 "
					"M5U4XLS+y3jfKRSWXFyyiW5+gtDtnuXJSyZsHAYiijA618S+PZPlFoVy"
					"AUD8Ku+Go9KPBPyvUdHozaigTTYOZw=="),
	       MK_E_SIG0_KEY_RDATA, 0, "P-256 point not on the curve");
	check_status(mk_sig0_key_parse_rr(&k, "mn.example. IN A 192.0.2.1"), MK_E_SIG0_KEYFILE, 0,
	       "an A record");
	check_status(mk_sig0_key_generate(&k, "mn.example.", 8), MK_E_SIG0_ALG_UNSUPPORTED, 0,
	       "generate RSASHA256");
}

/* Keys made by BIND's dnssec-keygen, read from its files. */
static void test_bind_files(void)
{
	char dir[] = "/tmp/mk-sig0-t.XXXXXX", cmd[512], path[600], priv[600];
	const char *algs[2] = { "ECDSAP256SHA256", "ED25519" };

	if (!mkdtemp(dir)) {
		tap_skip(9, "mkdtemp failed");
		return;
	}
	struct mk_sig0_key keys[2];
	memset(keys, 0, sizeof keys);
	unsigned tags[2] = { 0, 0 };
	int made = 0;
	for (int i = 0; i < 2; i++) {
		snprintf(cmd, sizeof cmd,
			 "dnssec-keygen -q -K %s -T KEY -a %s -n HOST mn.example. 2>/dev/null", dir,
			 algs[i]);
		FILE *p = popen(cmd, "r");
		char base[256] = "";
		if (p) {
			if (!fgets(base, sizeof base, p))
				base[0] = 0;
			pclose(p);
		}
		base[strcspn(base, "\n")] = 0;
		/* Kmn.example.+013+00817 */
		const char *plus = strrchr(base, '+');
		if (!plus) {
			tap_skip(4, "dnssec-keygen did not run (bind9-utils missing?)");
			continue;
		}
		tags[i] = (unsigned)atoi(plus + 1);
		snprintf(path, sizeof path, "%s/%s.key", dir, base);
		snprintf(priv, sizeof priv, "%s/%s.private", dir, base);
		struct mk_status st = mk_sig0_key_load_bind(&keys[i], path, priv);
		tap_ok(st.err == MK_E_OK && keys[i].has_private, "%s: K*.key and K*.private load",
		       algs[i]);
		tap_is_int(keys[i].keytag, tags[i], "%s: key tag = dnssec-keygen's (%u)", algs[i],
			   tags[i]);
		uint8_t msg[1024];
		size_t len = make_update(msg, sizeof msg, 9), n = 0;
		tap_ok(mk_sig0_sign(msg, sizeof msg, len, NULL, 0, &keys[i], 0, &n).err == MK_E_OK &&
			       mk_sig0_verify(msg, n, NULL, 0, &keys[i], 0, NULL).err == MK_E_OK,
		       "%s: signs with BIND's private key and verifies", algs[i]);
		if (i == 1 && made) {
			/* the ECDSA public key with the Ed25519 private file */
			struct mk_sig0_key mix;
			snprintf(path, sizeof path, "%s/Kmn.example.+013+%05u.key", dir, tags[0]);
			check_status(mk_sig0_key_load_bind(&mix, path, priv), MK_E_SIG0_ALG, 0,
			       "ECDSA KEY with an Ed25519 private file");
		} else {
			/* another ECDSA key's private part with this public key */
			char cmd2[512], other[256] = "";
			snprintf(cmd2, sizeof cmd2,
				 "dnssec-keygen -q -K %s -T KEY -a ECDSAP256SHA256 -n HOST x.example. "
				 "2>/dev/null", dir);
			FILE *p2 = popen(cmd2, "r");
			if (p2) {
				if (!fgets(other, sizeof other, p2))
					other[0] = 0;
				pclose(p2);
			}
			other[strcspn(other, "\n")] = 0;
			snprintf(priv, sizeof priv, "%s/%s.private", dir, other);
			struct mk_sig0_key mix;
			check_status(mk_sig0_key_load_bind(&mix, path, priv), MK_E_SIG0_KEY_MISMATCH, 0,
			       "KEY with another key's private file");
		}
		made++;
	}
	mk_sig0_key_free(&keys[0]);
	mk_sig0_key_free(&keys[1]);
	check_status(mk_sig0_key_load_bind(&keys[0], "/nonexistent/K.key", NULL), MK_E_SIG0_KEYFILE, 0,
	       "missing key file");
	snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
	if (system(cmd) != 0)
		tap_diag("could not remove %s", dir);
}

int main(void)
{
	inet_pton(AF_INET6, "2001:db8:2::100", coa);
	test_keytag();
	test_round_trip(MK_SIG0_ALG_ECDSAP256SHA256, "ECDSAP256SHA256");
	test_round_trip(MK_SIG0_ALG_ED25519, "ED25519");
	test_verifier_errors();
	test_key_text_errors();
	test_bind_files();
	return tap_done();
}
