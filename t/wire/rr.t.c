/* t/wire/rr.t.c: return routability and authenticators (lib/wire/rr.h).
 *
 * Every expected value is computed independently by the openssl command
 * (`openssl dgst -sha1 [-mac HMAC -macopt hexkey:K] -r FILE`) over input
 * octets this test assembles itself from the RFC 6275 / RFC 4285 formulas;
 * none is copied from mobkit's output. */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "t/lib/tap.h"
#include "t/lib/check.h"
#include "wire/mh.h"
#include "wire/rr.h"

static struct in6_addr hoa, coa, cn, acoa;

static void hexstr(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

/* Run openssl over data; put the digest's hex in out.  key NULL: plain
 * SHA1, else HMAC-SHA1 with that key.  Returns 0 on success. */
static int openssl_sha1(const uint8_t *key, size_t keylen, const uint8_t *data, size_t n,
			char *out, size_t cap)
{
	return openssl_dgst("sha1", key, keylen, data, n, out, cap) == 0 && strlen(out) == 40 ? 0 : -1;
}

/* Compare our octets with the first n octets of openssl's digest. */
static int same_prefix(const uint8_t *ours, size_t n, const char *want_hex)
{
	char h[2 * 20 + 1];
	hexstr(ours, n, h);
	if (strncmp(h, want_hex, 2 * n) != 0) {
		tap_diag("ours:    %s", h);
		tap_diag("openssl: %.*s", (int)(2 * n), want_hex);
		return 0;
	}
	return 1;
}

static void addr(struct in6_addr *a, const char *s)
{
	if (inet_pton(AF_INET6, s, a) != 1)
		tap_diag("bad test address %s", s);
}

/* Build a BU to a CN with Nonce Indices + BAD (zero authenticator). */
static size_t build_bu(uint8_t *out, uint16_t lifetime, bool with_acoa)
{
	struct mk_mh m;
	size_t n = 0;

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 0x1234;
	m.u.bu.flags = MK_BU_A;
	m.u.bu.lifetime = lifetime;
	if (with_acoa) {
		m.opts[m.nopts].kind = MK_MHO_ALTCOA;
		m.opts[m.nopts++].v.altcoa = acoa;
	}
	m.opts[m.nopts].kind = MK_MHO_NONCE;
	m.opts[m.nopts].v.nonce.home = 3;
	m.opts[m.nopts++].v.nonce.careof = 4;
	m.opts[m.nopts++].kind = MK_MHO_BAD;
	if (mk_mh_build(out, MK_MH_MAX_LEN, NULL, &m, &n).err != MK_E_OK)
		tap_diag("cannot build the test BU");
	return n;
}

/* a1 | a2 | mh[0..n) with the checksum octets zeroed, assembled here. */
static size_t mac_input(uint8_t *in, const struct in6_addr *a1, const struct in6_addr *a2,
			const uint8_t *mh, size_t n)
{
	memcpy(in, a1->s6_addr, 16);
	memcpy(in + 16, a2->s6_addr, 16);
	memcpy(in + 32, mh, n);
	in[32 + 4] = in[32 + 5] = 0;
	return 32 + n;
}

int main(void)
{
	tap_plan(21);
	addr(&hoa, "2001:db8:1::100");
	addr(&coa, "2001:db8:2::200");
	addr(&cn, "2001:db8:3::300");
	addr(&acoa, "2001:db8:4::400");

	uint8_t kcn[MK_RR_KCN_LEN];
	for (int i = 0; i < MK_RR_KCN_LEN; i++)
		kcn[i] = (uint8_t)(0x30 + 7 * i);
	static const uint8_t nonce[8] = { 0xde, 0xad, 0xbe, 0xef, 0x01, 0x23, 0x45, 0x67 };
	uint8_t htok[8], ctok[8], kbm[20], kbm_dereg[20];
	struct mk_status st;
	char want[41];
	uint8_t in[32 + MK_MH_MAX_LEN];

	st = mk_rr_home_keygen(kcn, &hoa, nonce, sizeof nonce, htok);
	tap_ok(st.err == MK_E_OK, "home keygen token computed");
	st = mk_rr_careof_keygen(kcn, &coa, nonce, sizeof nonce, ctok);
	tap_ok(st.err == MK_E_OK, "care-of keygen token computed");
	st = mk_rr_home_keygen(kcn, &hoa, nonce, MK_RR_NONCE_MAX + 1, htok + 0);
	tap_ok(st.err == MK_E_RANGE, "nonce longer than MK_RR_NONCE_MAX: RANGE");
	mk_rr_home_keygen(kcn, &hoa, nonce, sizeof nonce, htok);
	mk_rr_kbm(htok, ctok, kbm);
	mk_rr_kbm(htok, NULL, kbm_dereg);

	if (system("openssl version >/dev/null 2>&1") != 0) {
		tap_skip(18, "openssl command not available for the known answers");
		return tap_done();
	}

	/* home token = First(64, HMAC_SHA1(Kcn, HoA | nonce | 0x00)) */
	memcpy(in, hoa.s6_addr, 16);
	memcpy(in + 16, nonce, 8);
	in[24] = 0x00;
	tap_ok(openssl_sha1(kcn, 20, in, 25, want, sizeof want) == 0 && same_prefix(htok, 8, want),
	       "home keygen token = first 64 bits of openssl HMAC-SHA1(Kcn, HoA|nonce|0x00)");
	/* care-of token: CoA and 0x01 */
	memcpy(in, coa.s6_addr, 16);
	in[24] = 0x01;
	tap_ok(openssl_sha1(kcn, 20, in, 25, want, sizeof want) == 0 && same_prefix(ctok, 8, want),
	       "care-of keygen token = first 64 bits of openssl HMAC-SHA1(Kcn, CoA|nonce|0x01)");
	/* Kbm = SHA1(home | care-of); deregistration: SHA1(home) */
	memcpy(in, htok, 8);
	memcpy(in + 8, ctok, 8);
	tap_ok(openssl_sha1(NULL, 0, in, 16, want, sizeof want) == 0 && same_prefix(kbm, 20, want),
	       "Kbm = openssl SHA1(home token | care-of token)");
	tap_ok(openssl_sha1(NULL, 0, htok, 8, want, sizeof want) == 0 &&
		       same_prefix(kbm_dereg, 20, want),
	       "deregistration Kbm = openssl SHA1(home token)");

	/* BAD over a built BU: CoA | CN | MH without the 12 authenticator octets */
	uint8_t bu[MK_MH_MAX_LEN];
	size_t n = build_bu(bu, 16, false);
	/* layout: NI at 12, BAD at 18, authenticator at 20..31 */
	st = mk_rr_bad_fill(bu, n, NULL, kbm, &coa, &cn);
	size_t k = mac_input(in, &coa, &cn, bu, 20);
	tap_ok(st.err == MK_E_OK && n == 32 && bu[18] == 0x05 && bu[19] == 12 &&
		       openssl_sha1(kbm, 20, in, k, want, sizeof want) == 0 &&
		       same_prefix(bu + 20, 12, want),
	       "BU BAD = first 96 bits of openssl HMAC-SHA1(Kbm, CoA|CN|MH[0..20))");
	tap_ok(mk_rr_bad_verify(bu, n, NULL, kbm, &coa, &cn).err == MK_E_OK, "BAD verifies");
	mk_mh_cksum(bu, n, &coa, &cn);
	tap_ok((bu[4] | bu[5]) != 0 && mk_rr_bad_verify(bu, n, NULL, kbm, &coa, &cn).err == MK_E_OK &&
		       mk_mh_cksum_ok(bu, n, &coa, &cn),
	       "after mk_mh_cksum the BAD still verifies (checksum hashed as 0) and so does the checksum");
	bu[7] ^= 0x01; /* flip a bit of the sequence number */
	st = mk_rr_bad_verify(bu, n, NULL, kbm, &coa, &cn);
	tap_ok(st.err == MK_E_MH_BAD_AUTH && st.off == 20,
	       "BAD verify fails after a flipped sequence bit: BAD_AUTH at 20");
	bu[7] ^= 0x01;
	bu[31] ^= 0x80; /* flip a bit of the authenticator */
	st = mk_rr_bad_verify(bu, n, NULL, kbm, &coa, &cn);
	tap_ok(st.err == MK_E_MH_BAD_AUTH && st.off == 20,
	       "BAD verify fails after a flipped authenticator bit");
	bu[31] ^= 0x80;
	st = mk_rr_bad_verify(bu, n, NULL, kbm, &cn, &cn);
	tap_ok(st.err == MK_E_MH_BAD_AUTH, "BAD verify fails with another CoA");

	/* with an Alternate CoA: BAD at 42, the CoA hashed is the alternate one */
	n = build_bu(bu, 16, true);
	struct mk_mh m;
	struct in6_addr bcoa;
	mk_mh_parse(bu, n, NULL, &m);
	mk_rr_bad_coa(&m, &coa, &hoa, &bcoa);
	st = mk_rr_bad_fill(bu, n, NULL, kbm, &bcoa, &cn);
	k = mac_input(in, &acoa, &cn, bu, 44);
	tap_ok(st.err == MK_E_OK && n == 56 && bu[42] == 0x05 &&
		       memcmp(&bcoa, &acoa, 16) == 0 &&
		       openssl_sha1(kbm, 20, in, k, want, sizeof want) == 0 &&
		       same_prefix(bu + 44, 12, want),
	       "BU with Alternate CoA: BAD over AltCoA|CN|MH[0..44) matches openssl");

	/* deregistration: lifetime 0, Kbm = SHA1(home token), CoA = HoA */
	n = build_bu(bu, 0, false);
	mk_mh_parse(bu, n, NULL, &m);
	mk_rr_bad_coa(&m, &coa, &hoa, &bcoa);
	st = mk_rr_bad_fill(bu, n, NULL, kbm_dereg, &bcoa, &cn);
	k = mac_input(in, &hoa, &cn, bu, 20);
	tap_ok(st.err == MK_E_OK && memcmp(&bcoa, &hoa, 16) == 0 &&
		       openssl_sha1(kbm_dereg, 20, in, k, want, sizeof want) == 0 &&
		       same_prefix(bu + 20, 12, want),
	       "deregistration BU: BAD with SHA1(home token) over HoA|CN|MH matches openssl");
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.lifetime = 5;
	mk_rr_bad_coa(&m, &coa, &hoa, &bcoa);
	tap_ok(memcmp(&bcoa, &coa, 16) == 0, "registration without Alternate CoA: BAD CoA is the source");

	/* BA from the CN: same formula over the BA */
	mk_mh_init(&m, MK_MH_BA);
	m.u.ba.seq = 0x1234;
	m.u.ba.lifetime = 100;
	m.opts[m.nopts++].kind = MK_MHO_BAD;
	mk_mh_build(bu, sizeof bu, NULL, &m, &n);
	st = mk_rr_bad_fill(bu, n, NULL, kbm, &coa, &cn);
	k = mac_input(in, &coa, &cn, bu, 20);
	tap_ok(st.err == MK_E_OK && n == 32 && bu[18] == 0x05 &&
		       openssl_sha1(kbm, 20, in, k, want, sizeof want) == 0 &&
		       same_prefix(bu + 20, 12, want) &&
		       mk_rr_bad_verify(bu, n, NULL, kbm, &coa, &cn).err == MK_E_OK,
	       "BA from a CN: BAD matches openssl and verifies");

	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.lifetime = 5;
	mk_mh_build(bu, sizeof bu, NULL, &m, &n);
	st = mk_rr_bad_fill(bu, n, NULL, kbm, &coa, &cn);
	tap_ok(st.err == MK_E_MH_BAD_MISSING && st.off == 0, "BU without BAD: BAD_MISSING");

	/* RFC 4285 MN-HA: First(96, HMAC_SHA1(key, CoA | HoA | MH up to the SPI)) */
	static const uint8_t key[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	mk_mh_init(&m, MK_MH_BU);
	m.u.bu.seq = 77;
	m.u.bu.flags = MK_BU_A | MK_BU_H;
	m.u.bu.lifetime = 100;
	static const uint8_t zero12[12];
	m.opts[0].kind = MK_MHO_AUTH;
	m.opts[0].v.auth.subtype = MK_MH_AUTH_MNHA;
	m.opts[0].v.auth.spi = 0x1000;
	m.opts[0].v.auth.data = zero12;
	m.opts[0].v.auth.len = 12;
	m.nopts = 1;
	mk_mh_build(bu, sizeof bu, NULL, &m, &n);
	/* layout: Pad1 at 12, option at 13, SPI 16..19, data at 20..31 */
	st = mk_rr_mnha_fill(bu, n, NULL, key, sizeof key, &coa, &hoa);
	k = mac_input(in, &coa, &hoa, bu, 20);
	tap_ok(st.err == MK_E_OK && n == 32 && bu[13] == 0x09 &&
		       openssl_sha1(key, 16, in, k, want, sizeof want) == 0 &&
		       same_prefix(bu + 20, 12, want),
	       "MN-HA authenticator = first 96 bits of openssl HMAC-SHA1(key, CoA|HoA|MH[0..20))");
	tap_ok(mk_rr_mnha_verify(bu, n, NULL, key, sizeof key, &coa, &hoa).err == MK_E_OK,
	       "MN-HA authenticator verifies");
	bu[11] ^= 0x04; /* flip a lifetime bit */
	st = mk_rr_mnha_verify(bu, n, NULL, key, sizeof key, &coa, &hoa);
	tap_ok(st.err == MK_E_MH_MNHA_AUTH && st.off == 20,
	       "MN-HA verify fails after a flipped bit: MNHA_AUTH at 20");
	return tap_done();
}
