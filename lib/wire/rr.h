/* lib/wire/rr.h: Mobile IPv6 return routability and message authenticators
 * (OpenSSL libcrypto: HMAC-SHA1, SHA1).
 *
 * RFC 6275 5.2.5 / BIS13, as summarised in docs/protocol-facts.md section 2
 * ("|" is concatenation):
 *
 *   home keygen token    = First(64, HMAC_SHA1(Kcn, HoA | nonce | 0x00))
 *   care-of keygen token = First(64, HMAC_SHA1(Kcn, CoA | nonce | 0x01))
 *   Kbm                  = SHA1(home token | care-of token)
 *   Kbm (deregistration) = SHA1(home token)          (BU lifetime 0)
 *   BAD authenticator    = First(96, HMAC_SHA1(Kbm, CoA | CN | MH data))
 *
 *   Kcn is 20 octets; nonces may be any length (64 bits recommended; up to
 *   MK_RR_NONCE_MAX here).  MH data is the whole MH with Checksum = 0,
 *   including the BAD option's Type and Len octets and excluding only the
 *   12 authenticator octets (BAD is the last option, so that is everything
 *   but the last 12 octets).
 *   CoA is the address being registered: the Alternate CoA if the BU has
 *   one, else the IPv6 source; the home address for a deregistration
 *   (mk_rr_bad_coa picks it).  CN is the correspondent's address (or the
 *   home address in the RH2 when the CN is itself mobile).  The BA from the
 *   CN uses the same formula with the BA as MH data: CoA = the mobile
 *   node's care-of address (the BA's destination), CN = the BA's source.
 *
 * RFC 4285 MN-HA Mobility Message Authentication option (subtype 1):
 *
 *   Authentication Data = First(96, HMAC_SHA1(key, CoA | HoA | MH data))
 *
 *   where MH data runs from the start of the MH up to and including the
 *   option's Mobility SPI, with Checksum = 0.
 *
 * Order of work when sending: mk_mh_build (with a zero authenticator in
 * the BAD / auth option), then mk_rr_bad_fill or mk_rr_mnha_fill, then
 * mk_mh_cksum.  The fill and verify functions locate the option with
 * mk_mh_parse(buf, len, cp, ...); errors carry offsets into buf.
 */
#ifndef MK_WIRE_RR_H
#define MK_WIRE_RR_H

#include <netinet/in.h>
#include <stddef.h>
#include <stdint.h>

#include "codepoints.h"
#include "err.h"
#include "mh.h"

#define MK_RR_KCN_LEN   20
#define MK_RR_TOKEN_LEN 8
#define MK_RR_KBM_LEN   20
#define MK_RR_AUTH_LEN  12
#define MK_RR_NONCE_MAX 64

/* Keygen tokens.  MK_E_RANGE if nonce_len > MK_RR_NONCE_MAX,
 * MK_E_CRYPTO if libcrypto fails. */
struct mk_status mk_rr_home_keygen(const uint8_t kcn[MK_RR_KCN_LEN], const struct in6_addr *hoa,
				   const uint8_t *nonce, size_t nonce_len,
				   uint8_t token[MK_RR_TOKEN_LEN]);
struct mk_status mk_rr_careof_keygen(const uint8_t kcn[MK_RR_KCN_LEN], const struct in6_addr *coa,
				     const uint8_t *nonce, size_t nonce_len,
				     uint8_t token[MK_RR_TOKEN_LEN]);

/* Kbm; careof_token NULL means deregistration (SHA1 of the home token). */
struct mk_status mk_rr_kbm(const uint8_t home_token[MK_RR_TOKEN_LEN],
			   const uint8_t *careof_token, uint8_t kbm[MK_RR_KBM_LEN]);

/* The authenticator over CoA | CN | mhdata[0..n) (the caller has zeroed
 * the checksum and cut the authenticator off).  n <= MK_MH_MAX_LEN. */
struct mk_status mk_rr_authenticator(const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				     const struct in6_addr *cn, const uint8_t *mhdata, size_t n,
				     uint8_t auth[MK_RR_AUTH_LEN]);

/* The CoA that goes into the BAD of a BU: hoa if the lifetime is 0, else
 * the Alternate CoA option's address if present, else src. */
void mk_rr_bad_coa(const struct mk_mh *bu, const struct in6_addr *src, const struct in6_addr *hoa,
		   struct in6_addr *coa);

/* Compute and write the BAD authenticator of the BU/BA in mh[0..len).
 * Errors: the parse error of the message, MK_E_MH_BAD_MISSING (offset 0). */
struct mk_status mk_rr_bad_fill(uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				const struct in6_addr *cn);
/* MK_E_OK, or MK_E_MH_BAD_AUTH at the offset of the authenticator.  The
 * received Checksum field is ignored (treated as 0). */
struct mk_status mk_rr_bad_verify(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				  const uint8_t kbm[MK_RR_KBM_LEN], const struct in6_addr *coa,
				  const struct in6_addr *cn);

/* RFC 4285 MN-HA authenticator of the first subtype-1 option.
 * Errors: parse errors, MK_E_MH_MNHA_MISSING (offset 0), and for verify
 * MK_E_MH_MNHA_AUTH at the offset of the Authentication Data. */
struct mk_status mk_rr_mnha_fill(uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				 const uint8_t *key, size_t keylen, const struct in6_addr *coa,
				 const struct in6_addr *hoa);
struct mk_status mk_rr_mnha_verify(const uint8_t *mh, size_t len, const struct mk_codepoints *cp,
				   const uint8_t *key, size_t keylen, const struct in6_addr *coa,
				   const struct in6_addr *hoa);

#endif
