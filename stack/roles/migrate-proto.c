/* stack/roles/migrate-proto.c: the TCP Migrate shim's parts without I/O
 * (migrate.h): ECDH on sect193r1 with x-only public keys, the
 * Migrate-Permitted option added to and taken from the kernel's
 * handshake, and the judgement of a migrate SYN (draft-snoeren-tcp-
 * migrate-00 3.1-3.4; protocol-facts 5). */
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "stack/roles/migrate.h"

static const char *curve_name(unsigned curve)
{
	return curve == MIG_CURVE_SECT193R1 ? "sect193r1" : NULL;
}

int mig_key_new(unsigned curve, struct mig_key *k)
{
	const char *name = curve_name(curve);
	BIGNUM *x = NULL;
	memset(k, 0, sizeof *k);
	if (!name)
		return -1;
	EVP_PKEY *p = EVP_PKEY_Q_keygen(NULL, NULL, "EC", name);
	if (!p)
		return -1;
	if (!EVP_PKEY_get_bn_param(p, OSSL_PKEY_PARAM_EC_PUB_X, &x) ||
	    BN_bn2binpad(x, k->pub, MIG_KEYLEN) != MIG_KEYLEN) {
		BN_free(x);
		EVP_PKEY_free(p);
		return -1;
	}
	BN_free(x);
	k->pkey = p;
	return 0;
}

void mig_key_free(struct mig_key *k)
{
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
}

int mig_derive(const struct mig_key *ours, const uint8_t peer[MIG_KEYLEN], uint8_t k[MIG_KEYLEN])
{
	/* sect193r1's field elements are 25 octets: the compressed point is
	 * 0x02 | x; either y gives the same x(k*P) */
	uint8_t pt[1 + MIG_KEYLEN], sec[64];
	size_t sl = sizeof sec;
	int rc = -1;
	char group[] = "sect193r1";
	EVP_PKEY *pp = NULL;
	EVP_PKEY_CTX *fc = NULL, *dc = NULL;
	if (!ours->pkey)
		return -1;
	pt[0] = 0x02;
	memcpy(pt + 1, peer, MIG_KEYLEN);
	OSSL_PARAM ps[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group, 0),
		OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, pt, sizeof pt),
		OSSL_PARAM_construct_end(),
	};
	fc = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	if (!fc || EVP_PKEY_fromdata_init(fc) <= 0 ||
	    EVP_PKEY_fromdata(fc, &pp, EVP_PKEY_PUBLIC_KEY, ps) <= 0)
		goto out;
	dc = EVP_PKEY_CTX_new_from_pkey(NULL, ours->pkey, NULL);
	if (!dc || EVP_PKEY_derive_init(dc) <= 0 || EVP_PKEY_derive_set_peer(dc, pp) <= 0 ||
	    EVP_PKEY_derive(dc, sec, &sl) <= 0)
		goto out;
	if (mk_tcp_migrate_key(sec, sl, k).err == MK_E_OK)
		rc = 0;
out:
	EVP_PKEY_CTX_free(dc);
	EVP_PKEY_CTX_free(fc);
	EVP_PKEY_free(pp);
	return rc;
}

int mig_opts_add(const struct mk_codepoints *cp, const struct mk_tcpopts *in, unsigned curve,
		 const uint8_t pub[MIG_KEYLEN], struct mk_tcpopt *out, uint32_t *ts_saved,
		 unsigned *dropped)
{
	int n = 0, ts = -1;
	size_t packed;
	*dropped = 0;
	for (size_t i = 0; i < in->n && n < MK_TCPOPT_MAX - 1; i++) {
		/* padding is the builder's (AUTO layout); a Migrate-Permitted the
		 * kernel cannot have made is not copied */
		if (in->o[i].type == MK_TCPOPT_NOP || in->o[i].type == MK_TCPOPT_EOL ||
		    in->o[i].type == MK_TCPOPT_MIGPERM || in->o[i].type == MK_TCPOPT_MIGRATE)
			continue;
		if (in->o[i].type == MK_TCPOPT_TS)
			ts = n;
		out[n++] = in->o[i];
	}
	struct mk_tcpopt *mp = &out[n++];
	memset(mp, 0, sizeof *mp);
	mp->type = MK_TCPOPT_MIGPERM;
	mp->u.migperm.curve = (uint8_t)curve;
	if (curve != MIG_CURVE_NONE) {
		if (ts < 0)
			return -1;
		*ts_saved = out[ts].u.ts.val;
		mk_tcp_migperm_split(pub, mp->u.migperm.key, &out[ts].u.ts.val, &out[ts].u.ts.ecr);
	}
	/* protocol-facts 5: MSS 4 + WS 3 + SACKP 2 + TS 10 + MigPerm 20 = 39;
	 * the RFC 6994 form's ExID makes it 41: SACK-Permitted goes first (the
	 * connection loses selective acknowledgements, not its window), then
	 * Window Scale */
	static const enum mk_tcpopt_type drop_order[] = { MK_TCPOPT_SACKP, MK_TCPOPT_WS };
	for (size_t d = 0; d < 2; d++) {
		if (mk_tcpopts_space(cp, out, (size_t)n, &packed, NULL).err == MK_E_OK)
			return n;
		for (int i = 0; i < n; i++)
			if (out[i].type == drop_order[d]) {
				memmove(&out[i], &out[i + 1], (size_t)(n - i - 1) * sizeof out[0]);
				n--;
				*dropped |= 1u << drop_order[d];
				break;
			}
	}
	return mk_tcpopts_space(cp, out, (size_t)n, &packed, NULL).err == MK_E_OK ? n : -1;
}

int mig_opts_take(const struct mk_tcpopts *in, uint32_t tsecr, struct mk_tcpopt *out, int *curve,
		  uint8_t peer[MIG_KEYLEN])
{
	int n = 0, ts = -1;
	const struct mk_tcpopt *mp = NULL;
	for (size_t i = 0; i < in->n; i++) {
		if (in->o[i].type == MK_TCPOPT_NOP || in->o[i].type == MK_TCPOPT_EOL)
			continue;
		if (in->o[i].type == MK_TCPOPT_MIGPERM) {
			mp = &in->o[i];
			continue;
		}
		if (in->o[i].type == MK_TCPOPT_TS)
			ts = n;
		out[n++] = in->o[i];
	}
	*curve = mp ? mp->u.migperm.curve : -1;
	if (mp && mp->u.migperm.curve != MIG_CURVE_NONE && ts >= 0) {
		mk_tcp_migperm_join(mp->u.migperm.key, out[ts].u.ts.val, out[ts].u.ts.ecr, peer);
		out[ts].u.ts.val = 0;
		out[ts].u.ts.ecr = tsecr;
	} else if (mp && mp->u.migperm.curve != MIG_CURVE_NONE) {
		*curve = -2; /* secure without the key's low octets: unusable */
	}
	return n;
}

const char *mig_refuse_name(enum mig_refuse r)
{
	static const char *const names[MIG_R__COUNT] = {
		[MIG_OK] = "accepted",
		[MIG_R_MALFORMED] = "malformed",
		[MIG_R_UNKNOWN_TOKEN] = "unknown_token",
		[MIG_R_NOT_NEGOTIATED] = "not_negotiated",
		[MIG_R_STATE] = "state",
		[MIG_R_OLD_REQNO] = "old_reqno",
		[MIG_R_BAD_REQUEST] = "bad_request",
		[MIG_R_PRELOAD] = "preload",
	};
	return (unsigned)r < MIG_R__COUNT ? names[r] : "?";
}

/* the Migrate option of a well-formed migrate SYN, or NULL */
static const struct mk_tcpopt *migrate_opt(const struct mk_tcp *syn)
{
	if (mk_tcp_migrate_syn_check(syn, NULL).err != MK_E_OK)
		return NULL;
	for (size_t i = 0; i < syn->opts.n; i++)
		if (syn->opts.o[i].type == MK_TCPOPT_MIGRATE)
			return &syn->opts.o[i];
	return NULL;
}

enum mig_refuse mig_judge(const struct mig_judged *c, const struct mk_tcp *syn)
{
	const struct mk_tcpopt *mo = migrate_opt(syn);
	uint64_t req;
	if (!mo)
		return MIG_R_MALFORMED;
	if (!c)
		return MIG_R_UNKNOWN_TOKEN;
	if (!c->negotiated)
		return MIG_R_NOT_NEGOTIATED;
	if (!c->established)
		return MIG_R_STATE;
	if (!mk_tcp_reqno_newer(mo->u.migrate.reqno, c->reqno))
		return MIG_R_OLD_REQNO;
	if (mk_tcp_migrate_request(c->ni, c->na, c->k, syn->seq, mo->u.migrate.reqno, &req).err !=
		    MK_E_OK ||
	    req != mo->u.migrate.request)
		return MIG_R_BAD_REQUEST;
	if (mo->u.migrate.preload)
		return MIG_R_PRELOAD;
	return MIG_OK;
}

bool mig_is_dup(const struct mig_judged *c, const struct mk_tcp *syn, bool migrated,
		bool from_peer_now)
{
	const struct mk_tcpopt *mo = migrate_opt(syn);
	if (!c || !mo || !migrated || !from_peer_now || mo->u.migrate.reqno != c->reqno)
		return false;
	/* judged as the migration was, against the ReqNo before it */
	struct mig_judged j = *c;
	j.reqno = (uint8_t)((c->reqno + 127) & 127);
	return mig_judge(&j, syn) == MIG_OK;
}
