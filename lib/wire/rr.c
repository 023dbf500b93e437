/* lib/wire/rr.c: return routability keys and MH authenticators (rr.h). */
#include "rr.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "cursor.h"

static bool hmac_sha1(const uint8_t *key, size_t keylen, const uint8_t *msg, size_t n,
		      uint8_t md[SHA_DIGEST_LENGTH])
{
	unsigned int mdlen = 0;

	if (keylen > 0x7fffffff)
		return false;
	if (!HMAC(EVP_sha1(), key, (int)keylen, msg, n, md, &mdlen))
		return false;
	return mdlen == SHA_DIGEST_LENGTH;
}

static struct mk_status keygen(const uint8_t *kcn, const struct in6_addr *addr,
			       const uint8_t *nonce, size_t nonce_len, uint8_t which,
			       uint8_t *token)
{
	uint8_t in[16 + MK_RR_NONCE_MAX + 1];
	uint8_t md[SHA_DIGEST_LENGTH];
	struct mk_wr w;

	if (!kcn || !addr || !token || (!nonce && nonce_len))
		return mk_fail(MK_E_INVAL, 0);
	if (nonce_len > MK_RR_NONCE_MAX)
		return mk_fail(MK_E_RANGE, 0);
	mk_wr_init(&w, in, sizeof in);
	mk_wr_bytes(&w, addr->s6_addr, 16);
	mk_wr_bytes(&w, nonce, nonce_len);
	mk_wr_u8(&w, which);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	if (!hmac_sha1(kcn, MK_RR_KCN_LEN, in, w.off, md))
		return mk_fail(MK_E_CRYPTO, 0);
	memcpy(token, md, MK_RR_TOKEN_LEN);
	return mk_ok();
}

struct mk_status mk_rr_home_keygen(const uint8_t kcn[MK_RR_KCN_LEN], const struct in6_addr *hoa,
				   const uint8_t *nonce, size_t nonce_len,
				   uint8_t token[MK_RR_TOKEN_LEN])
{
	return keygen(kcn, hoa, nonce, nonce_len, 0x00, token);
}

struct mk_status mk_rr_careof_keygen(const uint8_t kcn[MK_RR_KCN_LEN], const struct in6_addr *coa,
				     const uint8_t *nonce, size_t nonce_len,
				     uint8_t token[MK_RR_TOKEN_LEN])
{
	return keygen(kcn, coa, nonce, nonce_len, 0x01, token);
}

struct mk_status mk_rr_kbm(const uint8_t home_token[MK_RR_TOKEN_LEN],
			   const uint8_t *careof_token, uint8_t kbm[MK_RR_KBM_LEN])
{
	uint8_t in[2 * MK_RR_TOKEN_LEN];
	size_t n = MK_RR_TOKEN_LEN;

	if (!home_token || !kbm)
		return mk_fail(MK_E_INVAL, 0);
	memcpy(in, home_token, MK_RR_TOKEN_LEN);
	if (careof_token) {
		memcpy(in + MK_RR_TOKEN_LEN, careof_token, MK_RR_TOKEN_LEN);
		n += MK_RR_TOKEN_LEN;
	}
	if (!SHA1(in, n, kbm))
		return mk_fail(MK_E_CRYPTO, 0);
	return mk_ok();
}

/* First(96, HMAC_SHA1(key, a1 | a2 | mhdata)) with the MH checksum
 * (octets 4-5) taken as zero. */
static struct mk_status mac96(const uint8_t *key, size_t keylen, const struct in6_addr *a1,
			      const struct in6_addr *a2, const uint8_t *mhdata, size_t n,
			      uint8_t out[12])
{
	uint8_t in[32 + MK_MH_MAX_LEN];
	uint8_t md[SHA_DIGEST_LENGTH];
	struct mk_wr w;

	if (!key || !a1 || !a2 || !out || (!mhdata && n))
		return mk_fail(MK_E_INVAL, 0);
	if (n > MK_MH_MAX_LEN)
		return mk_fail(MK_E_RANGE, 0);
	mk_wr_init(&w, in, sizeof in);
	mk_wr_bytes(&w, a1->s6_addr, 16);
	mk_wr_bytes(&w, a2->s6_addr, 16);
	mk_wr_bytes(&w, mhdata, n);
	if (!mk_wr_ok(&w))
		return mk_wr_status(&w);
	if (n >= 6)
		mk_store16(in + 32 + 4, 0);
	if (!hmac_sha1(key, keylen, in, w.off, md))
		return mk_fail(MK_E_CRYPTO, 0);
	memcpy(out, md, 12);
	return mk_ok();
}

struct mk_status mk_rr_authenticator(const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				     const struct in6_addr *cn, const uint8_t *mhdata, size_t n,
				     uint8_t auth[MK_RR_AUTH_LEN])
{
	return mac96(kbm, MK_RR_KBM_LEN, coa, cn, mhdata, n, auth);
}

void mk_rr_bad_coa(const struct mk_mh *bu, const struct in6_addr *src, const struct in6_addr *hoa,
		   struct in6_addr *coa)
{
	const struct mk_mh_opt *alt = mk_mh_find_opt(bu, MK_MHO_ALTCOA);

	if (bu->type == MK_MH_BU && bu->u.bu.lifetime == 0)
		*coa = *hoa;
	else if (alt)
		*coa = alt->v.altcoa;
	else
		*coa = *src;
}

/* Parse mh, find its BAD option and compute the authenticator it should
 * carry: *auth_off is where the 12 octets go, auth what they must be. */
static struct mk_status bad_expected(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				     const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				     const struct in6_addr *cn, size_t *auth_off,
				     uint8_t auth[MK_RR_AUTH_LEN])
{
	struct mk_mh m;

	if (!mh)
		return mk_fail(MK_E_INVAL, 0);
	struct mk_status st = mk_mh_parse(mh, len, cp, &m);
	if (st.err != MK_E_OK)
		return st;
	const struct mk_mh_opt *o = mk_mh_find_opt(&m, MK_MHO_BAD);
	if (!o)
		return mk_fail(MK_E_MH_BAD_MISSING, 0);
	*auth_off = (size_t)o->off + 2;
	return mk_rr_authenticator(kbm, coa, cn, mh, *auth_off, auth);
}

struct mk_status mk_rr_bad_fill(uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				const struct in6_addr *cn)
{
	size_t at;
	uint8_t auth[MK_RR_AUTH_LEN];
	struct mk_status st = bad_expected(mh, len, cp, kbm, coa, cn, &at, auth);

	if (st.err != MK_E_OK)
		return st;
	memcpy(mh + at, auth, MK_RR_AUTH_LEN);
	return mk_ok();
}

struct mk_status mk_rr_bad_verify(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				  const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				  const struct in6_addr *cn)
{
	size_t at;
	uint8_t auth[MK_RR_AUTH_LEN];
	struct mk_status st = bad_expected(mh, len, cp, kbm, coa, cn, &at, auth);

	if (st.err != MK_E_OK)
		return st;
	if (CRYPTO_memcmp(auth, mh + at, MK_RR_AUTH_LEN) != 0)
		return mk_fail(MK_E_MH_BAD_AUTH, at);
	return mk_ok();
}

/* Offset of the first MN-HA Authentication Data (just after the SPI). */
static struct mk_status find_mnha(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				  size_t *data_off)
{
	struct mk_mh m;
	struct mk_status st = mk_mh_parse(mh, len, cp, &m);

	if (st.err != MK_E_OK)
		return st;
	for (size_t i = 0; i < m.nopts; i++) {
		const struct mk_mh_opt *o = &m.opts[i];
		if (o->kind == MK_MHO_AUTH && o->v.auth.subtype == MK_MH_AUTH_MNHA &&
		    o->v.auth.len == MK_MH_MNHA_LEN) {
			*data_off = (size_t)o->off + 7; /* Type, Len, Subtype, SPI32 */
			return mk_ok();
		}
	}
	return mk_fail(MK_E_MH_MNHA_MISSING, 0);
}

/* The MN-HA option's offset in mh and the authenticator it must carry. */
static struct mk_status mnha_auth(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				  const uint8_t *key, size_t keylen, const struct in6_addr *coa,
				  const struct in6_addr *hoa, size_t *at, uint8_t auth[MK_MH_MNHA_LEN])
{
	if (!mh)
		return mk_fail(MK_E_INVAL, 0);
	struct mk_status st = find_mnha(mh, len, cp, at);
	if (st.err == MK_E_OK)
		st = mac96(key, keylen, coa, hoa, mh, *at, auth);
	return st;
}

struct mk_status mk_rr_mnha_fill(uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				 const uint8_t *key, size_t keylen, const struct in6_addr *coa,
				 const struct in6_addr *hoa)
{
	size_t at;
	uint8_t auth[MK_MH_MNHA_LEN];
	struct mk_status st = mnha_auth(mh, len, cp, key, keylen, coa, hoa, &at, auth);

	if (st.err != MK_E_OK)
		return st;
	memcpy(mh + at, auth, MK_MH_MNHA_LEN);
	return mk_ok();
}

struct mk_status mk_rr_mnha_verify(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				   const uint8_t *key, size_t keylen, const struct in6_addr *coa,
				   const struct in6_addr *hoa)
{
	size_t at;
	uint8_t auth[MK_MH_MNHA_LEN];
	struct mk_status st = mnha_auth(mh, len, cp, key, keylen, coa, hoa, &at, auth);

	if (st.err != MK_E_OK)
		return st;
	if (CRYPTO_memcmp(auth, mh + at, MK_MH_MNHA_LEN) != 0)
		return mk_fail(MK_E_MH_MNHA_AUTH, at);
	return mk_ok();
}
