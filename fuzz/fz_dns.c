/* fuzz/fz_dns.c: the DNS message parser, the re-encoder, names, CAAAA.
 *
 * Parse the input as a whole message; when it parses, re-encode it without
 * compression and require that the result parses to the same records
 * (section, type, class, TTL, decoded RDATA) and is a fixed point (encoding
 * the re-parse gives the same octets).  Every owner name is printed, and
 * the input is also tried as a lone CAAAA record and as a presentation
 * name.  SIG(0): a message that parses is verified (any error, no crash)
 * and, when it carries no signature yet, signed with an Ed25519 key; the
 * signed message must then verify. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "dns/dns.h"

int mk_fuzz_dns(const uint8_t *data, size_t size);

static volatile size_t sink;
static struct mk_dns_msg m1, m2;
static uint8_t b1[65536 + 4096], b2[65536 + 4096];
static struct mk_sig0_key key;
static int have_key;

/* the demonstration key of mobwire's dns-update-sig0 recipe */
static void load_key(void)
{
	if (have_key)
		return;
	if (mk_sig0_key_parse_rr(&key, "mobkit-demo-sig0. IN KEY 512 3 15 "
					"gkUl66M+NC8Scz5gQoK8pvlPmJwmuMJZ7Dkai+F/3cw=").err != MK_E_OK ||
	    mk_sig0_key_parse_private(&key, "Private-key-format: v1.3\nAlgorithm: 15 (ED25519)\n"
					    "PrivateKey: u1VYawX35PN1gLgKdZk9yNjjilhtZqOosMWDQiJ2wnw=\n")
		    .err != MK_E_OK)
		abort();
	have_key = 1;
}

/* Verify whatever signature is there; sign an unsigned message and require
 * the result to verify. */
static void sig0(const uint8_t *data, size_t size)
{
	const time_t now = 1795000000;
	size_t n;

	load_key();
	if (m1.has_sig0)
		sink += mk_sig0_verify(data, size, NULL, 0, &key, now, NULL).err;
	if (m1.has_tsig || m1.has_sig0 || size > sizeof b1 - 512)
		return;
	memcpy(b1, data, size);
	if (mk_sig0_sign(b1, sizeof b1, size, NULL, 0, &key, now, &n).err == MK_E_OK &&
	    mk_sig0_verify(b1, n, NULL, 0, &key, now, NULL).err != MK_E_OK)
		abort();
}

static void same(const struct mk_dns_msg *a, const struct mk_dns_msg *b)
{
	if (a->nrec != b->nrec || a->id != b->id || a->flags != b->flags ||
	    memcmp(a->count, b->count, sizeof a->count) != 0 || a->has_tsig != b->has_tsig ||
	    a->has_sig0 != b->has_sig0 || a->has_opt != b->has_opt)
		abort();
	for (unsigned i = 0; i < a->nrec; i++) {
		const struct mk_dns_rec *x = &a->rec[i], *y = &b->rec[i];
		if (x->section != y->section || x->kind != y->kind || x->type != y->type ||
		    x->cls != y->cls || x->ttl != y->ttl)
			abort();
		if ((x->kind == MK_DNS_RD_AAAA || x->kind == MK_DNS_RD_CAAAA) &&
		    memcmp(x->rd.aaaa, y->rd.aaaa, 16) != 0)
			abort();
		if (x->kind == MK_DNS_RD_RAW &&
		    (x->rdlen != y->rdlen || memcmp(a->buf + x->rdata_off, b->buf + y->rdata_off, x->rdlen)))
			abort();
	}
}

int mk_fuzz_dns(const uint8_t *data, size_t size)
{
	char s[MK_DNS_NAME_STR_MAX];
	size_t n1, n2;

	if (mk_dns_msg_parse(data, size, &m1, NULL).err == MK_E_OK) {
		for (unsigned i = 0; i < m1.nrec; i++) {
			if (mk_dns_msg_name(&m1, m1.rec[i].off, s, sizeof s).err != MK_E_OK)
				abort();
			sink += strlen(s);
			const char *t = mk_dns_type_name(m1.rec[i].type, NULL);
			sink += t ? strlen(t) : 0;
		}
		if (mk_dns_msg_rcode_str(&m1, s, sizeof s).err != MK_E_OK)
			abort();
		sink += mk_dns_msg_rcode(&m1);
		sig0(data, size);
		if (mk_dns_msg_build(b1, sizeof b1, &m1, &n1).err == MK_E_OK) {
			if (mk_dns_msg_parse(b1, n1, &m2, NULL).err != MK_E_OK)
				abort();
			same(&m1, &m2);
			if (mk_dns_msg_build(b2, sizeof b2, &m2, &n2).err != MK_E_OK || n1 != n2 ||
			    memcmp(b1, b2, n1) != 0)
				abort();
		}
	}
	struct mk_caaaa c;
	if (mk_caaaa_parse(data, size, &c, NULL).err == MK_E_OK) {
		if (mk_caaaa_build(b1, sizeof b1, &c, NULL, &n1).err != MK_E_OK || n1 != size ||
		    memcmp(b1, data, size) != 0)
			abort();
	}
	if (size < 1024) {
		char text[1024];
		uint8_t w[MK_DNS_NAME_MAX];
		size_t wl;
		if (size)
			memcpy(text, data, size);
		text[size] = 0;
		if (mk_dns_name_from_str(text, w, &wl).err == MK_E_OK &&
		    mk_dns_name_to_str(w, wl, s, sizeof s).err != MK_E_OK)
			abort();
	}
	return 0;
}

#ifdef MK_LIBFUZZER
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return mk_fuzz_dns(data, size);
}
#endif
