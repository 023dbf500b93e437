/* t/dns/update.t.c: CAAAA records (wire, ldns, both presentation forms),
 * RFC 2136 UPDATE messages, and TSIG, whose MAC is recomputed here by the
 * openssl command over the RFC 8945 4.3.3 digest input the test assembles
 * itself. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "dns/dns.h"
#include "t/lib/tap.h"
#include "t/lib/check.h"
#include "wire/cursor.h"

static const char *secret = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="; /* octets 0..31 */
static uint8_t coa[16], hoa[16];
static struct mk_dns_msg m;

static void test_caaaa(void)
{
	/* host.example. TYPE65280 IN TTL 0 RDLEN 16 2001:db8:2::100 */
	static const uint8_t golden[] = {
		4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
		0xff, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0x00, 0x10,
		0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,
	};
	struct mk_caaaa c = { .ttl = 0 };
	uint8_t b[128];
	size_t n;
	ldns_rr *rr = NULL, *rr2 = NULL;
	char s[256];
	uint8_t got[16];

	mk_dns_name_from_str("host.example.", c.owner, &c.owner_len);
	memcpy(c.coa, coa, 16);
	tap_ok(mk_caaaa_build(b, sizeof b, &c, NULL, &n).err == MK_E_OK && n == sizeof golden &&
		       memcmp(b, golden, n) == 0,
	       "CAAAA wire form: golden octets");
	struct mk_caaaa p;
	tap_ok(mk_caaaa_parse(golden, sizeof golden, &p, NULL).err == MK_E_OK &&
		       memcmp(p.coa, coa, 16) == 0 && p.owner_len == 14,
	       "CAAAA wire form parses back");
	struct mk_codepoints cp;
	mk_cp_profile(&cp, "default");
	mk_cp_set(&cp, "caaaa-type=65534");
	check_status(mk_caaaa_parse(golden, sizeof golden, &p, &cp), MK_E_CAAAA_TYPE, 14,
	       "another CAAAA codepoint in force");
	memcpy(b, golden, sizeof golden);
	b[23] = 15;
	check_status(mk_caaaa_parse(b, sizeof golden - 1, &p, NULL), MK_E_CAAAA_RDLEN, 22, "RDLENGTH 15");
	b[23] = 16;
	b[17] = 3;
	check_status(mk_caaaa_parse(b, sizeof golden, &p, NULL), MK_E_CAAAA_CLASS, 16, "class CH");

	tap_ok(mk_caaaa_rr_new(&rr, "host.example.", 0, coa, NULL).err == MK_E_OK, "CAAAA as an ldns_rr");
	tap_ok(mk_caaaa_rr_to_str(rr, MK_CAAAA_GENERIC, s, sizeof s, NULL).err == MK_E_OK, "generic form");
	tap_is_str(s, "host.example. 0 IN TYPE65280 \\# 16 20010db8000200000000000000000100",
		   "RFC 3597 generic presentation");
	/* ldns's own parser of the generic form, independent of ours */
	tap_ok(ldns_rr_new_frm_str(&rr2, s, 0, NULL, NULL) == LDNS_STATUS_OK &&
		       mk_caaaa_rr_get(rr2, got, NULL).err == MK_E_OK && memcmp(got, coa, 16) == 0,
	       "ldns reads our generic form back to the same care-of address");
	ldns_rr_free(rr2);
	rr2 = NULL;
	tap_ok(mk_caaaa_rr_to_str(rr, MK_CAAAA_NAMED, s, sizeof s, NULL).err == MK_E_OK, "named form");
	tap_is_str(s, "host.example. 0 IN CAAAA 2001:db8:2::100", "presentation as CAAAA <address>");
	tap_ok(mk_caaaa_rr_from_str(&rr2, "host.example. 30 IN CAAAA 2001:db8:2::100", NULL).err ==
			       MK_E_OK &&
		       mk_caaaa_rr_get(rr2, got, NULL).err == MK_E_OK && memcmp(got, coa, 16) == 0 &&
		       ldns_rr_ttl(rr2) == 30,
	       "named form parses, TTL 30");
	ldns_rr_free(rr2);
	rr2 = NULL;
	tap_ok(mk_caaaa_rr_from_str(&rr2, "host.example. TYPE65280 \\# 16 20010db8 0002000000000000 00000100",
				    NULL).err == MK_E_OK &&
		       mk_caaaa_rr_get(rr2, got, NULL).err == MK_E_OK && memcmp(got, coa, 16) == 0,
	       "generic form with the hex split in pieces parses");
	ldns_rr_free(rr2);
	rr2 = NULL;
	const char *t15 = "h.example. 0 IN TYPE65280 \\# 15 20010db800020000000000000000";
	check_status(mk_caaaa_rr_from_str(&rr2, t15, NULL), MK_E_CAAAA_RDLEN, 29, "generic form with length 15");
	check_status(mk_caaaa_rr_from_str(&rr2, "h.example. CAAAA 2001:db8::zz", NULL), MK_E_CAAAA_ADDR, 17,
	       "named form with a bad address");
	check_status(mk_caaaa_rr_from_str(&rr2, "h.example. 0 CH CAAAA 2001:db8::1", NULL), MK_E_CAAAA_CLASS, 13,
	       "class CH");
	check_status(mk_caaaa_rr_from_str(&rr2, "h.example. 0 IN TYPE28 \\# 16 20010db8000200000000000000000100",
				    NULL),
	       MK_E_CAAAA_TYPE, 16, "TYPE28 is not the CAAAA codepoint");
	tap_ok(rr2 == NULL, "nothing is returned on error");
	ldns_rr_free(rr);
}

/* Build the UPDATE the server-mobility design sends when a server moves:
 * prerequisite that the name exists, replace its CAAAA, keep the AAAA. */
static ldns_pkt *make_update(void)
{
	ldns_pkt *u = NULL;
	ldns_rr *c = NULL;

	if (mk_update_new(&u, "example.", 0x4242).err != MK_E_OK)
		return NULL;
	mk_update_prereq_name_in_use(u, "host.example.");
	mk_caaaa_rr_new(&c, "host.example.", 0, coa, NULL);
	const ldns_rr *set[1] = { c };
	mk_update_replace_rrset(u, set, 1);
	mk_update_add_aaaa(u, "host.example.", hoa);
	ldns_rr_free(c);
	return u;
}

static void test_update(void)
{
	uint8_t w[1024];
	size_t n;
	ldns_pkt *u = make_update();

	if (!tap_ok(u != NULL, "UPDATE built"))
		return;
	tap_ok(mk_dns_pkt_wire(u, w, sizeof w, &n).err == MK_E_OK, "UPDATE on the wire (%zu octets)", n);
	tap_ok(mk_dns_msg_parse(w, n, &m, NULL).err == MK_E_OK, "our parser accepts it");
	tap_is_int(m.opcode, MK_DNS_OP_UPDATE, "opcode 5");
	tap_is_int(m.flags & MK_DNS_F_RD, 0, "RD is clear (RFC 2136 2.2)");
	tap_is_int(m.id, 0x4242, "message ID");
	tap_ok(m.count[0] == 1 && m.count[1] == 1 && m.count[2] == 3 && m.count[3] == 0,
	       "ZOCOUNT 1, PRCOUNT 1, UPCOUNT 3, ADCOUNT 0");
	tap_ok(m.rec[0].type == MK_DNS_T_SOA && m.rec[0].cls == MK_DNS_C_IN, "zone section: example. SOA IN");
	tap_ok(m.rec[1].type == MK_DNS_T_ANY && m.rec[1].cls == MK_DNS_C_ANY && m.rec[1].ttl == 0 &&
		       m.rec[1].rdlen == 0,
	       "prerequisite 'name is in use': ANY ANY TTL 0 RDLEN 0");
	tap_ok(m.rec[2].type == 65280 && m.rec[2].cls == MK_DNS_C_ANY && m.rec[2].ttl == 0 &&
		       m.rec[2].rdlen == 0,
	       "replace starts with 'delete RRset': CAAAA ANY TTL 0 RDLEN 0");
	tap_ok(m.rec[3].kind == MK_DNS_RD_CAAAA && m.rec[3].cls == MK_DNS_C_IN && m.rec[3].ttl == 0 &&
		       memcmp(m.rec[3].rd.aaaa, coa, 16) == 0,
	       "then adds the CAAAA, class IN, TTL 0");
	tap_ok(m.rec[4].kind == MK_DNS_RD_AAAA && memcmp(m.rec[4].rd.aaaa, hoa, 16) == 0 && m.rec[4].ttl == 0,
	       "and the AAAA with TTL 0");
	/* golden octets of the delete-RRset entry: owner, TYPE 65280, ANY, TTL 0, RDLEN 0 */
	static const uint8_t del[] = { 4, 'h', 'o', 's', 't', 7, 'e', 'x', 'a', 'm', 'p', 'l', 'e', 0,
				       0xff, 0x00, 0x00, 0xff, 0, 0, 0, 0, 0, 0 };
	uint8_t own[MK_DNS_NAME_MAX];
	size_t ol, next;
	mk_dns_name_read(w, n, m.rec[2].off, own, &ol, &next, 0);
	tap_ok(ol == 14 && memcmp(own, del, 14) == 0 && memcmp(w + next, del + 14, 10) == 0,
	       "delete-RRset entry: golden octets after its owner");
	ldns_pkt_free(u);

	/* refusals */
	mk_update_new(&u, "example.", 1);
	ldns_rr *any = NULL;
	ldns_rr_new_frm_str(&any, "host.example. 0 IN TXT \"x\"", 0, NULL, NULL);
	ldns_rr_set_type(any, LDNS_RR_TYPE_ANY);
	check_status(mk_update_add(u, any), MK_E_UPDATE_META_TYPE, 0, "adding type ANY");
	ldns_rr_set_type(any, LDNS_RR_TYPE_TXT);
	ldns_rr_set_class(any, LDNS_RR_CLASS_CH);
	check_status(mk_update_add(u, any), MK_E_UPDATE_CLASS, 0, "adding a CH record to an IN zone");
	ldns_rr *a1 = NULL, *a2 = NULL;
	ldns_rr_new_frm_str(&a1, "a.example. 0 IN AAAA 2001:db8::1", 0, NULL, NULL);
	ldns_rr_new_frm_str(&a2, "b.example. 0 IN AAAA 2001:db8::2", 0, NULL, NULL);
	const ldns_rr *two[2] = { a1, a2 };
	check_status(mk_update_replace_rrset(u, two, 2), MK_E_UPDATE_RRSET, 1, "replacing an RRset of two owners");
	tap_is_int(ldns_pkt_nscount(u), 0, "and nothing was added");
	ldns_rr_free(any);
	ldns_rr_free(a1);
	ldns_rr_free(a2);
	ldns_pkt_free(u);
}

/* HMAC-SHA256 of data by `openssl dgst` with the key of octets 0..31, as
 * lowercase hex; -1 if missing. */
static int openssl_hmac(const uint8_t *data, size_t n, char *hex, size_t cap)
{
	uint8_t key[32];

	for (int i = 0; i < 32; i++)
		key[i] = (uint8_t)i;
	return openssl_dgst("sha256", key, sizeof key, data, n, hex, cap) == 0 && strlen(hex) == 64 ? 0 : -1;
}

static void test_tsig(void)
{
	struct mk_tsig_key k;
	uint8_t w0[1024], w1[1024], mac[64];
	size_t n0, n1, ml;
	ldns_pkt *u = make_update();

	tap_ok(mk_tsig_key_set(&k, "mk-key", NULL, secret).err == MK_E_OK && k.alg == MK_TSIG_HMAC_SHA256,
	       "key defaults to hmac-sha256");
	check_status(mk_tsig_key_set(&k, "mk-key", "hmac-sha384", secret), MK_E_TSIG_ALG_UNSUPPORTED, 0,
	       "hmac-sha384 refused (ldns 1.8.3 misspells it)");
	check_status(mk_tsig_key_set(&k, "mk-key", "hmac-foo", secret), MK_E_TSIG_ALG_UNKNOWN, 0, "unknown algorithm");
	check_status(mk_tsig_key_set(&k, "mk-key", NULL, "not base64!"), MK_E_TSIG_SECRET, 0, "bad secret");
	const char *conf = "key \"mk-key\" {\n\talgorithm hmac-sha256;\n\tsecret \"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=\";\n};\n";
	tap_ok(mk_tsig_key_parse_bind(&k, conf).err == MK_E_OK && strcmp(k.name, "mk-key.") == 0 &&
		       strcmp(k.secret, secret) == 0,
	       "BIND key statement parsed");

	mk_dns_pkt_wire(u, w0, sizeof w0, &n0);
	tap_ok(mk_tsig_sign(u, &k, 300, NULL, 0).err == MK_E_OK, "UPDATE signed");
	tap_ok(mk_dns_pkt_wire(u, w1, sizeof w1, &n1).err == MK_E_OK, "signed UPDATE on the wire");
	tap_ok(mk_dns_msg_parse(w1, n1, &m, NULL).err == MK_E_OK && m.has_tsig, "it carries a TSIG, last");
	tap_ok(mk_tsig_mac(w1, n1, mac, sizeof mac, &ml).err == MK_E_OK && ml == 32, "32-octet MAC");
	tap_ok(mk_tsig_verify(w1, n1, &k, NULL, 0, 0).err == MK_E_OK, "our verifier accepts it");

	/* RFC 8945 4.3.3: message before the TSIG, then the TSIG variables */
	const struct mk_dns_rec *t = &m.rec[m.tsig_idx];
	uint8_t d[2048];
	size_t dn = 0;
	memcpy(d, w0, n0);
	dn = n0;
	static const uint8_t kname[] = { 6, 'm', 'k', '-', 'k', 'e', 'y', 0 };
	static const uint8_t aname[] = { 11, 'h', 'm', 'a', 'c', '-', 's', 'h', 'a', '2', '5', '6', 0 };
	memcpy(d + dn, kname, sizeof kname);
	dn += sizeof kname;
	d[dn++] = 0;
	d[dn++] = 255; /* class ANY */
	memset(d + dn, 0, 4);
	dn += 4; /* TTL */
	memcpy(d + dn, aname, sizeof aname);
	dn += sizeof aname;
	memcpy(d + dn, w1 + t->rd.tsig.mac_off - 10, 8); /* time signed, fudge as sent */
	dn += 8;
	memset(d + dn, 0, 4); /* error 0, other len 0 */
	dn += 4;
	char hex[256], ours[65];
	for (size_t i = 0; i < 32; i++)
		snprintf(ours + 2 * i, 3, "%02x", mac[i]);
	if (openssl_hmac(d, dn, hex, sizeof hex) != 0)
		tap_skip(1, "openssl command not available");
	else
		tap_is_str(ours, hex, "MAC = HMAC-SHA256 over the RFC 8945 digest input, by openssl dgst");

	size_t flip = m.rec[4].rdata_off + 15; /* last octet of the AAAA */
	w1[flip] ^= 1;
	check_status(mk_tsig_verify(w1, n1, &k, NULL, 0, 0), MK_E_TSIG_BAD_MAC, t->rd.tsig.mac_off,
	       "one flipped bit in the message: BADSIG");
	w1[flip] ^= 1;
	check_status(mk_tsig_verify(w1, n1, &k, NULL, 0, time(NULL) + 1000), MK_E_TSIG_TIME,
	       t->rd.tsig.mac_off - 10, "verified 1000 s later: BADTIME");
	struct mk_tsig_key other;
	mk_tsig_key_set(&other, "other-key", NULL, secret);
	check_status(mk_tsig_verify(w1, n1, &other, NULL, 0, 0), MK_E_TSIG_KEYNAME, t->off, "another key name: BADKEY");
	mk_tsig_key_set(&other, "mk-key", "hmac-sha1", secret);
	check_status(mk_tsig_verify(w1, n1, &other, NULL, 0, 0), MK_E_TSIG_ALG_MISMATCH, t->rd.tsig.alg_off,
	       "another algorithm: BADKEY");
	mk_tsig_key_set(&other, "mk-key", NULL, "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHiA=");
	check_status(mk_tsig_verify(w1, n1, &other, NULL, 0, 0), MK_E_TSIG_BAD_MAC, t->rd.tsig.mac_off,
	       "another secret: BADSIG");
	check_status(mk_tsig_verify(w0, n0, &k, NULL, 0, 0), MK_E_TSIG_MISSING, n0, "unsigned message");
	ldns_pkt_free(u);
}

int main(void)
{
	inet_pton(AF_INET6, "2001:db8:2::100", coa);
	inet_pton(AF_INET6, "2001:db8:1::100", hoa);
	tap_plan(52);
	test_caaaa();
	test_update();
	test_tsig();
	return tap_done();
}
