/* lib/dns/sig0.c: SIG(0) transaction signatures (RFC 2931).
 *
 * Why this is written here: ldns 1.8.3 signs and verifies RRsets and TSIG,
 * but has no SIG(0) at all (no function builds the SIG RR over a message, or
 * checks one).  What a library does well is still taken from one:
 *   - key files: ldns_rr_new_frm_str reads the KEY record of a K*.key file,
 *     ldns_key_new_frm_fp reads the K*.private file BIND's dnssec-keygen
 *     writes and gives an OpenSSL key;
 *   - the crypto: OpenSSL EVP (ECDSA P-256 with SHA-256, Ed25519), and
 *     OpenSSL's ECDSA_SIG to convert between DER and the r|s form of RFC
 *     6605.  ldns's own ldns_verify_rrsig_buffers_raw fails on ECDSA keys
 *     with OpenSSL 3 ("Error in SSL library"), so signatures are made and
 *     checked with EVP directly, for both algorithms alike.
 * What is ours: the SIG RR layout, the signed-data assembly (RFC 2931 3.1
 * and 3.2, as BIND's dns_dnssec_signmessage and dns_dnssec_verifymessage
 * do it), and the verifier's checks with their offsets (dns.h lists them).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "dns/dns.h"
#include "wire/cursor.h"

enum {
	SIG_FIXED = 18,         /* covered .. key tag */
	P256_COORD = 32,
	ED25519_PUB = 32,
};

const char *mk_sig0_alg_name(unsigned alg)
{
	static const char *const names[] = {
		[1] = "RSAMD5", [3] = "DSA", [5] = "RSASHA1", [6] = "DSA-NSEC3-SHA1",
		[7] = "RSASHA1-NSEC3-SHA1", [8] = "RSASHA256", [10] = "RSASHA512",
		[12] = "ECC-GOST", [13] = "ECDSAP256SHA256", [14] = "ECDSAP384SHA384",
		[15] = "ED25519", [16] = "ED448",
	};
	return alg < sizeof names / sizeof names[0] ? names[alg] : NULL;
}

static int alg_supported(unsigned alg)
{
	return alg == MK_SIG0_ALG_ECDSAP256SHA256 || alg == MK_SIG0_ALG_ED25519;
}

static size_t pub_len_for(unsigned alg)
{
	return alg == MK_SIG0_ALG_ECDSAP256SHA256 ? 2 * P256_COORD : ED25519_PUB;
}

uint16_t mk_dns_keytag(const uint8_t *rdata, size_t len)
{
	/* RFC 4034 appendix B; algorithm 1 (RSA/MD5) has its own rule (B.1) */
	if (len >= 4 && rdata[3] == 1)
		return len >= 7 ? (uint16_t)(rdata[len - 3] << 8 | rdata[len - 2]) : 0;
	uint32_t ac = 0;
	for (size_t i = 0; i < len; i++)
		ac += (i & 1) ? rdata[i] : (uint32_t)rdata[i] << 8;
	ac += ac >> 16 & 0xffff;
	return (uint16_t)(ac & 0xffff);
}

struct mk_status mk_sig0_key_rdata(const struct mk_sig0_key *k, uint8_t *buf, size_t cap,
				   size_t *outlen)
{
	*outlen = 0;
	if (cap < 4 + k->pub_len)
		return mk_fail(MK_E_NOSPACE, 0);
	mk_store16(buf, k->flags);
	buf[2] = MK_KEY_PROTOCOL_DNSSEC;
	buf[3] = k->alg;
	memcpy(buf + 4, k->pub, k->pub_len);
	*outlen = 4 + k->pub_len;
	return mk_ok();
}

static void set_keytag(struct mk_sig0_key *k)
{
	uint8_t rd[4 + sizeof k->pub];
	size_t n;

	mk_sig0_key_rdata(k, rd, sizeof rd, &n);
	k->keytag = mk_dns_keytag(rd, n);
}

static void lower_name(uint8_t *n, size_t len)
{
	for (size_t i = 0; i < len;) {
		size_t l = n[i];
		for (size_t j = i + 1; j <= i + l && j < len; j++)
			if (n[j] >= 'A' && n[j] <= 'Z')
				n[j] = (uint8_t)(n[j] + 32);
		i += 1 + l;
		if (l == 0)
			break;
	}
}

/* The public key field of an OpenSSL key: P-256 x|y, Ed25519 raw. */
static int pub_of(EVP_PKEY *p, unsigned alg, uint8_t *out, size_t *outlen)
{
	if (alg == MK_SIG0_ALG_ED25519) {
		size_t n = ED25519_PUB;
		if (EVP_PKEY_get_raw_public_key(p, out, &n) != 1 || n != ED25519_PUB)
			return -1;
		*outlen = n;
		return 0;
	}
	/* uncompressed point 04|x|y (the keys ldns reads from K*.private are
	 * legacy EC_KEYs whose octet-string parameter is the compressed form) */
	unsigned char *pt = NULL;
	size_t n = EVP_PKEY_get1_encoded_public_key(p, &pt);
	int ok = pt && n == 1 + 2 * P256_COORD && pt[0] == 0x04;
	if (ok) {
		memcpy(out, pt + 1, 2 * P256_COORD);
		*outlen = 2 * P256_COORD;
	}
	OPENSSL_free(pt);
	return ok ? 0 : -1;
}

/* An OpenSSL public key from the KEY record's public key field. */
static EVP_PKEY *pkey_from_pub(unsigned alg, const uint8_t *pub, size_t len)
{
	if (alg == MK_SIG0_ALG_ED25519)
		return EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, NULL, pub, len);

	uint8_t pt[1 + 2 * P256_COORD];
	pt[0] = 0x04; /* uncompressed point */
	memcpy(pt + 1, pub, 2 * P256_COORD);
	char group[] = "prime256v1";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
		OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt),
		OSSL_PARAM_construct_end(),
	};
	EVP_PKEY *p = NULL;
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!c || EVP_PKEY_fromdata_init(c) != 1 ||
	    EVP_PKEY_fromdata(c, &p, EVP_PKEY_PUBLIC_KEY, params) != 1)
		p = NULL;
	EVP_PKEY_CTX_free(c);
	if (p) {
		/* fromdata does not check the point is on the curve */
		EVP_PKEY_CTX *v = EVP_PKEY_CTX_new_from_pkey(NULL, p, NULL);
		int ok = v && EVP_PKEY_public_check(v) == 1;
		EVP_PKEY_CTX_free(v);
		if (!ok) {
			EVP_PKEY_free(p);
			p = NULL;
		}
	}
	return p;
}

static struct mk_status set_name(struct mk_sig0_key *k, const char *name)
{
	struct mk_status st = mk_dns_name_from_str(name, k->name, &k->name_len);
	if (st.err == MK_E_OK)
		lower_name(k->name, k->name_len);
	return st;
}

void mk_sig0_key_free(struct mk_sig0_key *k)
{
	EVP_PKEY_free(k->pkey);
	memset(k, 0, sizeof *k);
}

struct mk_status mk_sig0_key_generate(struct mk_sig0_key *k, const char *name, unsigned alg)
{
	memset(k, 0, sizeof *k);
	if (!alg_supported(alg))
		return mk_fail(MK_E_SIG0_ALG_UNSUPPORTED, 0);
	struct mk_status st = set_name(k, name);
	if (st.err != MK_E_OK)
		return st;
	k->pkey = alg == MK_SIG0_ALG_ED25519 ? EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")
					     : EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	k->alg = (uint8_t)alg;
	k->flags = MK_KEY_FLAGS_HOST;
	if (!k->pkey || pub_of(k->pkey, alg, k->pub, &k->pub_len) != 0) {
		mk_sig0_key_free(k);
		return mk_fail(MK_E_CRYPTO, 0);
	}
	k->has_private = 1;
	set_keytag(k);
	return mk_ok();
}

/* First line that is neither blank nor a ';' comment; its offset in *at. */
static const char *first_rr_line(const char *text, char *line, size_t cap, size_t *at)
{
	const char *p = text;

	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		const char *q = p;
		while (q < p + n && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q < p + n && *q != ';') {
			if (n >= cap)
				return NULL;
			memcpy(line, p, n);
			line[n] = 0;
			*at = (size_t)(p - text);
			return line;
		}
		p += n + (e ? 1 : 0);
	}
	return NULL;
}

struct mk_status mk_sig0_key_parse_rr(struct mk_sig0_key *k, const char *text)
{
	char line[2048];
	size_t at = 0;
	ldns_rr *rr = NULL;
	uint8_t rd[4 + 512];
	size_t rdl = 0;

	memset(k, 0, sizeof *k);
	if (!first_rr_line(text, line, sizeof line, &at) ||
	    ldns_rr_new_frm_str(&rr, line, 0, NULL, NULL) != LDNS_STATUS_OK)
		return mk_fail(MK_E_SIG0_KEYFILE, at);
	ldns_rr_type t = ldns_rr_get_type(rr);
	ldns_buffer *b = ldns_buffer_new(sizeof rd);
	int ok = (t == LDNS_RR_TYPE_KEY || t == LDNS_RR_TYPE_DNSKEY) && b &&
		 ldns_rr_rdata2buffer_wire(b, rr) == LDNS_STATUS_OK &&
		 ldns_buffer_position(b) <= sizeof rd;
	if (ok) {
		rdl = ldns_buffer_position(b);
		memcpy(rd, ldns_buffer_begin(b), rdl);
		const ldns_rdf *o = ldns_rr_owner(rr);
		ok = ldns_rdf_size(o) <= MK_DNS_NAME_MAX;
		if (ok) {
			k->name_len = ldns_rdf_size(o);
			memcpy(k->name, ldns_rdf_data(o), k->name_len);
			lower_name(k->name, k->name_len);
		}
	}
	ldns_buffer_free(b);
	ldns_rr_free(rr);
	if (!ok)
		return mk_fail(MK_E_SIG0_KEYFILE, at);
	if (rdl < 4 || rd[2] != MK_KEY_PROTOCOL_DNSSEC)
		return mk_fail(MK_E_SIG0_KEY_RDATA, at);
	if (!alg_supported(rd[3]))
		return mk_fail(MK_E_SIG0_ALG_UNSUPPORTED, at);
	if (rdl - 4 != pub_len_for(rd[3]))
		return mk_fail(MK_E_SIG0_KEY_RDATA, at);
	k->flags = mk_load16(rd);
	k->alg = rd[3];
	k->pub_len = rdl - 4;
	memcpy(k->pub, rd + 4, k->pub_len);
	k->keytag = mk_dns_keytag(rd, rdl);
	k->pkey = pkey_from_pub(k->alg, k->pub, k->pub_len);
	if (!k->pkey) {
		mk_sig0_key_free(k);
		return mk_fail(MK_E_SIG0_KEY_RDATA, at);
	}
	return mk_ok();
}

struct mk_status mk_sig0_key_parse_private(struct mk_sig0_key *k, const char *text)
{
	if (!k->pkey)
		return mk_fail(MK_E_INVAL, 0);
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	if (!f)
		return mk_fail(MK_E_CRYPTO, 0);
	ldns_key *lk = NULL;
	ldns_status ls = ldns_key_new_frm_fp(&lk, f);
	fclose(f);
	if (ls != LDNS_STATUS_OK || !lk)
		return mk_fail(MK_E_SIG0_KEYFILE, 0);
	struct mk_status st = mk_ok();
	EVP_PKEY *p = ldns_key_evp_key(lk);
	uint8_t pub[sizeof k->pub];
	size_t pl = 0;
	if ((unsigned)ldns_key_algorithm(lk) != k->alg)
		st = mk_fail(MK_E_SIG0_ALG, 0);
	else if (!p || EVP_PKEY_up_ref(p) != 1)
		st = mk_fail(MK_E_CRYPTO, 0);
	else if (pub_of(p, k->alg, pub, &pl) != 0 || pl != k->pub_len ||
		 memcmp(pub, k->pub, pl) != 0) {
		EVP_PKEY_free(p);
		st = mk_fail(MK_E_SIG0_KEY_MISMATCH, 0);
	} else {
		EVP_PKEY_free(k->pkey);
		k->pkey = p;
		k->has_private = 1;
	}
	ldns_key_deep_free(lk);
	return st;
}

static int slurp(const char *path, char *buf, size_t cap)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	size_t n = fread(buf, 1, cap - 1, f);
	int full = n == cap - 1 && fgetc(f) != EOF;
	fclose(f);
	buf[n] = 0;
	return full ? -1 : 0;
}

struct mk_status mk_sig0_key_load_bind(struct mk_sig0_key *k, const char *key_path,
				       const char *private_path)
{
	char text[8192];

	memset(k, 0, sizeof *k);
	if (slurp(key_path, text, sizeof text) != 0)
		return mk_fail(MK_E_SIG0_KEYFILE, 0);
	struct mk_status st = mk_sig0_key_parse_rr(k, text);
	if (st.err != MK_E_OK || !private_path)
		return st;
	if (slurp(private_path, text, sizeof text) != 0)
		st = mk_fail(MK_E_SIG0_KEYFILE, 0);
	else
		st = mk_sig0_key_parse_private(k, text);
	OPENSSL_cleanse(text, sizeof text);
	if (st.err != MK_E_OK)
		mk_sig0_key_free(k);
	return st;
}

struct mk_status mk_sig0_key_to_str(const struct mk_sig0_key *k, char *buf, size_t cap)
{
	char name[MK_DNS_NAME_STR_MAX];
	unsigned char b64[4 * ((sizeof k->pub + 2) / 3) + 1];

	struct mk_status st = mk_dns_name_to_str(k->name, k->name_len, name, sizeof name);
	if (st.err != MK_E_OK)
		return st;
	EVP_EncodeBlock(b64, k->pub, (int)k->pub_len);
	int n = snprintf(buf, cap, "%s 0 IN KEY %u %u %u %s", name, k->flags,
			 MK_KEY_PROTOCOL_DNSSEC, k->alg, (const char *)b64);
	if (n < 0 || (size_t)n >= cap)
		return mk_fail(MK_E_NOSPACE, 0);
	return mk_ok();
}

/* ---- signatures ---- */

/* Sign data with k into sig[64] (r|s for ECDSA, RFC 6605 section 4). */
static int do_sign(const struct mk_sig0_key *k, const uint8_t *data, size_t n,
		   uint8_t sig[MK_SIG0_SIGLEN])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	uint8_t der[128];
	size_t dl = sizeof der;
	int ok = 0;

	if (!c)
		return -1;
	if (k->alg == MK_SIG0_ALG_ED25519) {
		dl = MK_SIG0_SIGLEN;
		ok = EVP_DigestSignInit(c, NULL, NULL, NULL, k->pkey) == 1 &&
		     EVP_DigestSign(c, sig, &dl, data, n) == 1 && dl == MK_SIG0_SIGLEN;
	} else if (EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, k->pkey) == 1 &&
		   EVP_DigestSign(c, der, &dl, data, n) == 1) {
		const unsigned char *p = der;
		ECDSA_SIG *es = d2i_ECDSA_SIG(NULL, &p, (long)dl);
		if (es) {
			const BIGNUM *r, *s;
			ECDSA_SIG_get0(es, &r, &s);
			ok = BN_bn2binpad(r, sig, P256_COORD) == P256_COORD &&
			     BN_bn2binpad(s, sig + P256_COORD, P256_COORD) == P256_COORD;
			ECDSA_SIG_free(es);
		}
	}
	EVP_MD_CTX_free(c);
	return ok ? 0 : -1;
}

/* 1 valid, 0 invalid, -1 library failure. */
static int do_verify(const struct mk_sig0_key *k, const uint8_t *data, size_t n,
		     const uint8_t sig[MK_SIG0_SIGLEN])
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	int r = -1;

	if (!c)
		return -1;
	if (k->alg == MK_SIG0_ALG_ED25519) {
		if (EVP_DigestVerifyInit(c, NULL, NULL, NULL, k->pkey) == 1)
			r = EVP_DigestVerify(c, sig, MK_SIG0_SIGLEN, data, n) == 1;
	} else {
		ECDSA_SIG *es = ECDSA_SIG_new();
		BIGNUM *br = BN_bin2bn(sig, P256_COORD, NULL);
		BIGNUM *bs = BN_bin2bn(sig + P256_COORD, P256_COORD, NULL);
		unsigned char *der = NULL;
		int dl = -1;
		if (es && br && bs && ECDSA_SIG_set0(es, br, bs) == 1) {
			br = bs = NULL; /* owned by es now */
			dl = i2d_ECDSA_SIG(es, &der);
		}
		if (dl > 0 && EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, k->pkey) == 1)
			r = EVP_DigestVerify(c, der, (size_t)dl, data, n) == 1;
		OPENSSL_free(der);
		BN_free(br);
		BN_free(bs);
		ECDSA_SIG_free(es);
	}
	EVP_MD_CTX_free(c);
	return r;
}

/* SIG RDATA without the signature | request | header (ARCOUNT given) |
 * body: the signed data of RFC 2931 3.1/3.2.  Heap: up to two messages. */
static uint8_t *signed_data(const uint8_t *rd, size_t rdn, const uint8_t *req, size_t reqlen,
			    const uint8_t *msg, size_t body_end, uint16_t arcount, size_t *n)
{
	uint8_t *d = malloc(rdn + reqlen + body_end);
	if (!d)
		return NULL;
	memcpy(d, rd, rdn);
	if (reqlen)
		memcpy(d + rdn, req, reqlen);
	memcpy(d + rdn + reqlen, msg, body_end);
	mk_store16(d + rdn + reqlen + 10, arcount);
	*n = rdn + reqlen + body_end;
	return d;
}

/* RFC 1982 serial number arithmetic on 32-bit times, as BIND compares. */
static int serial_lt(uint32_t a, uint32_t b)
{
	return a != b && (int32_t)(a - b) < 0;
}

struct mk_status mk_sig0_sign(uint8_t *buf, size_t cap, size_t len,
			      const uint8_t *request, size_t reqlen,
			      const struct mk_sig0_key *k, time_t now, size_t *outlen)
{
	*outlen = 0;
	if (!k->has_private || !k->pkey)
		return mk_fail(MK_E_SIG0_NO_PRIVATE, 0);
	if (!alg_supported(k->alg))
		return mk_fail(MK_E_SIG0_ALG_UNSUPPORTED, 0);
	if (len < MK_DNS_HDR_LEN)
		return mk_fail(MK_E_TRUNC, len);
	struct mk_dns_msg *m = malloc(sizeof *m);
	if (!m)
		return mk_fail(MK_E_NOSPACE, 0);
	struct mk_status st = mk_dns_msg_parse(buf, len, m, NULL);
	int signed_already = st.err == MK_E_OK && (m->has_tsig || m->has_sig0);
	size_t at = signed_already ? m->rec[m->nrec - 1].off : 0;
	/* one more record must still fit the parser that will read it back */
	int full = st.err == MK_E_OK && m->nrec >= MK_DNS_MAX_RR;
	free(m);
	if (st.err != MK_E_OK)
		return st;
	if (signed_already)
		return mk_fail(MK_E_SIG0_SIGNED, at);
	uint16_t ar = mk_load16(buf + 10);
	if (ar == 0xffff || full)
		return mk_fail(MK_E_TOO_MANY, 10);
	size_t rdn = SIG_FIXED + k->name_len;
	size_t rrlen = 1 + 10 + rdn + MK_SIG0_SIGLEN;
	if (rrlen > cap || len > cap - rrlen || len + rrlen > 0xffff)
		return mk_fail(MK_E_NOSPACE, len);

	uint32_t t = (uint32_t)(now ? now : time(NULL));
	uint8_t rd[SIG_FIXED + MK_DNS_NAME_MAX];
	mk_store16(rd, 0);                       /* type covered */
	rd[2] = k->alg;
	rd[3] = 0;                               /* labels */
	mk_store32(rd + 4, 0);                   /* original TTL */
	mk_store32(rd + 8, t + MK_SIG0_FUDGE);   /* expiration */
	mk_store32(rd + 12, t - MK_SIG0_FUDGE);  /* inception */
	mk_store16(rd + 16, k->keytag);
	memcpy(rd + SIG_FIXED, k->name, k->name_len);

	size_t dn;
	uint8_t sig[MK_SIG0_SIGLEN];
	uint8_t *d = signed_data(rd, rdn, request, request ? reqlen : 0, buf, len, ar, &dn);
	if (!d)
		return mk_fail(MK_E_NOSPACE, 0);
	int r = do_sign(k, d, dn, sig);
	free(d);
	if (r != 0)
		return mk_fail(MK_E_CRYPTO, 0);

	uint8_t *p = buf + len;
	p[0] = 0;                                /* owner: root */
	mk_store16(p + 1, MK_DNS_T_SIG);
	mk_store16(p + 3, MK_DNS_C_ANY);
	mk_store32(p + 5, 0);                    /* TTL */
	mk_store16(p + 9, (uint16_t)(rdn + MK_SIG0_SIGLEN));
	memcpy(p + 11, rd, rdn);
	memcpy(p + 11 + rdn, sig, MK_SIG0_SIGLEN);
	mk_store16(buf + 10, (uint16_t)(ar + 1));
	*outlen = len + rrlen;
	return mk_ok();
}

static struct mk_status verify_parsed(const struct mk_dns_msg *m, const uint8_t *request,
				      size_t reqlen, const struct mk_sig0_key *k, time_t now,
				      struct mk_sig0_info *info)
{
	const uint8_t *b = m->buf;
	const struct mk_dns_rec *r = m->nrec ? &m->rec[m->nrec - 1] : NULL;

	if (!r || r->section != MK_DNS_SEC_ADDITIONAL || r->type != MK_DNS_T_SIG)
		return mk_fail(MK_E_SIG0_MISSING, m->len);
	size_t rd = r->rdata_off;
	info->rr_off = r->off;
	info->alg = r->rd.sig.alg;
	info->keytag = r->rd.sig.keytag;
	info->inception = r->rd.sig.inception;
	info->expiration = r->rd.sig.expiration;
	info->signer_len = r->rd.sig.sig_off - r->rd.sig.signer_off;
	memcpy(info->signer, b + r->rd.sig.signer_off, info->signer_len);

	if (b[r->off] != 0)
		return mk_fail(MK_E_SIG0_OWNER, r->off);
	if (r->cls != MK_DNS_C_ANY)
		return mk_fail(MK_E_SIG0_CLASS, r->name_end + 2);
	if (r->ttl != 0)
		return mk_fail(MK_E_SIG0_TTL, r->name_end + 4);
	if (r->rd.sig.covered != 0)
		return mk_fail(MK_E_SIG0_COVERED, rd);
	if (r->rd.sig.labels != 0)
		return mk_fail(MK_E_SIG0_LABELS, rd + 3);
	if (r->rd.sig.alg != k->alg)
		return mk_fail(alg_supported(r->rd.sig.alg) ? MK_E_SIG0_ALG
							    : MK_E_SIG0_ALG_UNSUPPORTED, rd + 2);
	if (!mk_dns_name_eq(info->signer, info->signer_len, k->name, k->name_len))
		return mk_fail(MK_E_SIG0_SIGNER, r->rd.sig.signer_off);
	if (r->rd.sig.keytag != k->keytag)
		return mk_fail(MK_E_SIG0_KEYTAG, rd + 16);
	uint32_t exp = r->rd.sig.expiration, inc = r->rd.sig.inception;
	uint32_t t = (uint32_t)(now ? now : time(NULL));
	if (serial_lt(exp, inc))
		return mk_fail(MK_E_SIG0_TIME_ORDER, rd + 8);
	if (serial_lt(exp, t))
		return mk_fail(MK_E_SIG0_EXPIRED, rd + 8);
	if (serial_lt(t, inc))
		return mk_fail(MK_E_SIG0_NOT_YET, rd + 12);
	if (r->rd.sig.sig_len != MK_SIG0_SIGLEN)
		return mk_fail(MK_E_SIG0_SIGLEN, r->rd.sig.sig_off);

	size_t dn;
	uint8_t *d = signed_data(b + rd, r->rd.sig.sig_off - rd, request, request ? reqlen : 0,
				 b, r->off, (uint16_t)(m->count[MK_DNS_SEC_ADDITIONAL] - 1), &dn);
	if (!d)
		return mk_fail(MK_E_NOSPACE, 0);
	int v = do_verify(k, d, dn, b + r->rd.sig.sig_off);
	free(d);
	if (v < 0)
		return mk_fail(MK_E_CRYPTO, r->rd.sig.sig_off);
	if (v == 0)
		return mk_fail(MK_E_SIG0_BAD_SIGNATURE, r->rd.sig.sig_off);
	return mk_ok();
}

struct mk_status mk_sig0_verify(const uint8_t *msg, size_t len,
				const uint8_t *request, size_t reqlen,
				const struct mk_sig0_key *k, time_t now,
				struct mk_sig0_info *info)
{
	struct mk_sig0_info scratch;
	struct mk_dns_msg *m = malloc(sizeof *m);

	if (!info)
		info = &scratch;
	memset(info, 0, sizeof *info);
	if (!m)
		return mk_fail(MK_E_NOSPACE, 0);
	struct mk_status st = mk_dns_msg_parse(msg, len, m, NULL);
	if (st.err == MK_E_OK)
		st = k->pkey ? verify_parsed(m, request, reqlen, k, now, info)
			     : mk_fail(MK_E_INVAL, 0);
	free(m);
	return st;
}
