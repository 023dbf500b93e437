/* lib/dns/dns.h: the whole API of libmobkit's DNS family: the CAAAA record,
 * RFC 2136 UPDATE messages, TSIG (through ldns), SIG(0) (written here) and a
 * response parser that keeps the section of every record.
 *
 * Unlike lib/wire, this family may use ldns and OpenSSL and may allocate
 * (through ldns, and for the SIG(0) digest input).  It is not the packet
 * fast path.  The wire-level parts (mk_dns_msg_parse, mk_caaaa_parse/build,
 * mk_sig0_verify) still take caller buffers, report errors with the offset
 * of the first rejected octet, and never trust a length.
 *
 * ---- CAAAA (server-mobility paper, section 3.1) -------------------------
 *
 *   owner  TYPE=mk_cp(cp, MK_CP_CAAAA_TYPE)  CLASS=IN  TTL=0  RDLENGTH=16
 *   RDATA: one 128-bit care-of address, network order (the same layout as
 *   AAAA).  The type is class-IN specific.  The default codepoint 65280 is
 *   the first RFC 6895 private-use TYPE; ldns does not know it, so an ldns_rr
 *   carries the RDATA as ONE rdf of type LDNS_RDF_TYPE_UNKNOWN, 16 octets
 *   (what ldns 1.8.3's own wire and "\#" parsers produce for unknown types).
 *   Presentation forms, both parsed back:
 *     generic (RFC 3597):  host.example. 0 IN TYPE65280 \# 16 20010db8...01
 *     named:               host.example. 0 IN CAAAA 2001:db8::1
 *   A CAAAA whose RDATA is not exactly 16 octets is rejected with
 *   MK_E_CAAAA_RDLEN (wire) or MK_E_CAAAA_RDLEN with the character offset of
 *   the length (text).
 *
 * ---- UPDATE (RFC 2136) ---------------------------------------------------
 *
 *   Header: opcode 5, QR=0, RD=0 (ldns_update_pkt_new sets RD=1; we clear
 *   it, RFC 2136 section 2.2 says zero).  Sections: Zone (1 entry: zone
 *   name, SOA, zone class) / Prerequisite / Update / Additional, which ldns
 *   keeps as question / answer / authority / additional.
 *
 *   Prerequisite RRs, all TTL 0 (section 2.4):
 *     name in use             ANY   ANY  RDLENGTH 0
 *     name not in use         NONE  ANY  RDLENGTH 0
 *     RRset exists            ANY   T    RDLENGTH 0
 *     RRset does not exist    NONE  T    RDLENGTH 0
 *     RRset exists (value)    zone  T    RDATA, one RR per value
 *   Update RRs (section 2.5):
 *     add                     zone  T    RDATA (AAAA and CAAAA added with TTL 0)
 *     delete RRset            ANY   T    TTL 0 RDLENGTH 0
 *     delete all RRsets       ANY   ANY  TTL 0 RDLENGTH 0
 *     delete one RR           NONE  T    TTL 0 RDATA
 *     replace RRset           delete RRset followed by the adds
 *   Meta types (ANY, AXFR, IXFR, MAILA, MAILB, OPT, TSIG, TKEY) are refused
 *   in additions (MK_E_UPDATE_META_TYPE).
 *
 * ---- TSIG (RFC 8945) through ldns ----------------------------------------
 *
 *   Signing: ldns_pkt_tsig_sign(); verification: ldns_pkt_tsig_verify()
 *   with the request MAC for responses.  Algorithms: hmac-sha256 (default),
 *   hmac-sha1, hmac-sha512, hmac-md5 (hmac-md5.sig-alg.reg.int.), also
 *   hmac-sha224.  hmac-sha384 is refused with MK_E_TSIG_ALG_UNSUPPORTED:
 *   ldns 1.8.3 (and 1.8.4, and HEAD) compares the name against the misspelt
 *   "hmac-shac384.", so it would sign nothing and verify nothing.  ldns does
 *   not check the time window; mk_tsig_verify does (fudge, RFC 8945 5.2.3).
 *   Keys: name + base64 secret, or a BIND key file as tsig-keygen writes:
 *     key "name" { algorithm hmac-sha256; secret "base64"; };
 *
 * ---- SIG(0) (RFC 2931), written here: ldns 1.8.3 has no SIG(0) API -------
 *
 *   Appended as the last RR of the additional section:
 *     owner root (one 0 octet), TYPE 24 (SIG), CLASS ANY, TTL 0, RDATA:
 *     type covered 0 (2) | algorithm (1) | labels 0 (1) | original TTL 0 (4)
 *     | expiration (4) | inception (4) | key tag (2) | signer name
 *     (uncompressed, lowercase) | signature
 *   Defaults: inception now-300, expiration now+300 (BIND's
 *   dns_dnssec_signmessage uses the TSIG fudge, 300).
 *   Signed data (RFC 2931 3.1, and BIND's dns_dnssec_signmessage /
 *   dns_dnssec_verifymessage, which interoperate with each other):
 *     SIG RDATA without the signature field
 *     | [responses only: the request exactly as it was received, all of it]
 *     | the message header with ARCOUNT NOT counting the SIG(0) RR
 *     | the rest of the message up to (not including) the SIG(0) RR.
 *   The signer signs the message before the RR is appended (so its ARCOUNT
 *   is the one without the SIG), then increments ARCOUNT.  The verifier
 *   copies the header and decrements ARCOUNT, as BIND does.
 *   Algorithms (via OpenSSL EVP): 13 ECDSAP256SHA256, signature r|s, 64
 *   octets (RFC 6605, not DER); 15 ED25519, 64 octets (RFC 8080).
 *   Key tag: RFC 4034 appendix B over the KEY RDATA (flags | protocol 3 |
 *   algorithm | public key).  Public key field: P-256 x|y (64 octets),
 *   Ed25519 the 32-octet key.  Keys load from BIND's
 *   `dnssec-keygen -T KEY -a ECDSAP256SHA256 -n HOST name` output (K*.key,
 *   K*.private with "PrivateKey: base64") or are generated with OpenSSL.
 *   The verifier checks, in order: a SIG(0) exists and is the last
 *   additional RR, owner root, class ANY, TTL 0, type covered 0, labels 0,
 *   algorithm = key's, signer = key's name, key tag = key's, inception <=
 *   expiration, now within [inception, expiration] (RFC 1982 serial
 *   comparison, like BIND), signature length, then the signature.
 *
 * ---- Response parsing -----------------------------------------------------
 *
 *   mk_dns_msg_parse() validates a whole message (names with compression
 *   pointers that must point backwards, label types, lengths, RDATA lengths
 *   of known types, TSIG/SIG(0) placement) and returns a flat list of
 *   records, each with its section, owner (offset into the message), type,
 *   class, TTL and RDATA decoded for A/AAAA/CAAAA/SOA/CNAME/TSIG/SIG (raw
 *   otherwise), plus the header, the EDNS extended RCODE and the TSIG error.
 *   The care-of address of the server-mobility design is found in the
 *   additional section: the section is kept for every record.
 *
 * ---- The client's lookup of a mobile server (lib/dns/mobile.c) -----------
 *
 *   mk_dns_lookup_mobile(): AAAA + CAAAA through one resolver over UDP, the
 *   care-of address with the section it came from; see its block below.
 *   It opens a socket and waits (poll): the one blocking call of the family,
 *   used by mobprobe lookup-mobile and the NSS module (lib/nss).
 */
#ifndef MK_DNS_DNS_H
#define MK_DNS_DNS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/socket.h>

#include <ldns/ldns.h>
#include <openssl/evp.h>

#include "wire/codepoints.h"
#include "wire/err.h"

/* ---- numbers (RFC 1035, 2136, 2931, 8945, 6891; IANA DNS parameters) ---- */

enum {
	MK_DNS_HDR_LEN = 12,
	MK_DNS_NAME_MAX = 255,        /* octets in wire form */
	MK_DNS_NAME_STR_MAX = 1024,   /* presentation, worst case \DDD escapes */

	MK_DNS_T_A = 1,
	MK_DNS_T_NS = 2,
	MK_DNS_T_CNAME = 5,
	MK_DNS_T_SOA = 6,
	MK_DNS_T_MX = 15,
	MK_DNS_T_TXT = 16,
	MK_DNS_T_SIG = 24,
	MK_DNS_T_KEY = 25,
	MK_DNS_T_AAAA = 28,
	MK_DNS_T_OPT = 41,
	MK_DNS_T_TKEY = 249,
	MK_DNS_T_TSIG = 250,
	MK_DNS_T_IXFR = 251,
	MK_DNS_T_AXFR = 252,
	MK_DNS_T_MAILB = 253,
	MK_DNS_T_MAILA = 254,
	MK_DNS_T_ANY = 255,

	MK_DNS_C_IN = 1,
	MK_DNS_C_CH = 3,
	MK_DNS_C_HS = 4,
	MK_DNS_C_NONE = 254,
	MK_DNS_C_ANY = 255,

	MK_DNS_OP_QUERY = 0,
	MK_DNS_OP_NOTIFY = 4,
	MK_DNS_OP_UPDATE = 5,

	/* RCODEs; 16 and up only through EDNS or the TSIG/SIG(0) error field */
	MK_DNS_R_NOERROR = 0,
	MK_DNS_R_FORMERR = 1,
	MK_DNS_R_SERVFAIL = 2,
	MK_DNS_R_NXDOMAIN = 3,
	MK_DNS_R_NOTIMP = 4,
	MK_DNS_R_REFUSED = 5,
	MK_DNS_R_YXDOMAIN = 6,
	MK_DNS_R_YXRRSET = 7,
	MK_DNS_R_NXRRSET = 8,
	MK_DNS_R_NOTAUTH = 9,
	MK_DNS_R_NOTZONE = 10,
	MK_DNS_R_BADSIG = 16,   /* also BADVERS for EDNS */
	MK_DNS_R_BADKEY = 17,
	MK_DNS_R_BADTIME = 18,
	MK_DNS_R_BADMODE = 19,
	MK_DNS_R_BADNAME = 20,
	MK_DNS_R_BADALG = 21,
	MK_DNS_R_BADTRUNC = 22,
	MK_DNS_R_BADCOOKIE = 23,
};

/* Header flag bits in the 16-bit flags word (RFC 1035 4.1.1, RFC 4035). */
#define MK_DNS_F_QR 0x8000u
#define MK_DNS_F_AA 0x0400u
#define MK_DNS_F_TC 0x0200u
#define MK_DNS_F_RD 0x0100u
#define MK_DNS_F_RA 0x0080u
#define MK_DNS_F_AD 0x0020u
#define MK_DNS_F_CD 0x0010u

/* ---- name tables (tcpdump tok style; NULL for values not in the table) ---- */

/* RFC 1035/2136/6891/8945/7873 RCODE names, 0..23: "NOERROR", "NOTAUTH",
 * "BADSIG" (16 is BADSIG for TSIG/SIG(0), BADVERS for EDNS). */
const char *mk_dns_rcode_name(unsigned rcode);
/* "QUERY", "IQUERY", "STATUS", "NOTIFY", "UPDATE", "DSO" (RFC 1035, 1996, 2136, 8490). */
const char *mk_dns_opcode_name(unsigned opcode);
/* TYPE mnemonic for the types this family handles; the CAAAA codepoint in
 * force (cp, NULL: default) is "CAAAA". */
const char *mk_dns_type_name(unsigned type, const struct mk_codepoints *cp);
/* "IN", "CH", "HS", "NONE", "ANY" (RFC 1035, 2136). */
const char *mk_dns_class_name(unsigned cls);
/* Section names; UPDATE messages use "zone", "prerequisite", "update". */
const char *mk_dns_section_name(unsigned section, int update);

/* ---- domain names (wire form, helpers shared by the family) ---- */

/* Read the possibly compressed name at msg[off] into out (uncompressed wire
 * form, lowercase if lower).  *next = offset just after the name in place
 * (after the first pointer).  Errors: MK_E_TRUNC, MK_E_DNS_LABEL_TYPE,
 * MK_E_DNS_NAME_LEN, MK_E_DNS_PTR_FORWARD (a pointer must point before the
 * name that uses it), MK_E_DNS_PTR_HEADER (msg is a DNS message: a pointer
 * into its 12-octet header is refused), offsets in msg. */
struct mk_status mk_dns_name_read(const uint8_t *msg, size_t len, size_t off,
				  uint8_t out[MK_DNS_NAME_MAX], size_t *outlen,
				  size_t *next, int lower);
/* Presentation form of an uncompressed wire name ("host.example.", "."),
 * with RFC 1035 escapes; MK_E_NOSPACE if cap is too small. */
struct mk_status mk_dns_name_to_str(const uint8_t *name, size_t len, char *out, size_t cap);
/* Parse a presentation name (absolute or not: a trailing dot is implied)
 * into uncompressed wire form.  MK_E_DNS_NAME_TEXT, MK_E_DNS_NAME_LEN. */
struct mk_status mk_dns_name_from_str(const char *s, uint8_t out[MK_DNS_NAME_MAX], size_t *outlen);
/* Case-insensitive equality of two uncompressed wire names. */
int mk_dns_name_eq(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen);

/* ---- CAAAA ---------------------------------------------------------------- */

struct mk_caaaa {
	uint8_t owner[MK_DNS_NAME_MAX]; /* uncompressed wire form */
	size_t owner_len;
	uint32_t ttl;                   /* the paper uses 0 */
	uint8_t coa[16];                /* the care-of address */
};

/* One CAAAA RR in wire form with an uncompressed owner (name | type | class
 * | ttl | rdlength | rdata).  Errors: MK_E_CAAAA_TYPE (type is not the
 * codepoint in force), MK_E_CAAAA_CLASS (not IN), MK_E_CAAAA_RDLEN (not 16),
 * name errors, MK_E_TRUNC, MK_E_TRAILING. */
struct mk_status mk_caaaa_parse(const uint8_t *buf, size_t len, struct mk_caaaa *out,
				const struct mk_codepoints *cp);
struct mk_status mk_caaaa_build(uint8_t *buf, size_t cap, const struct mk_caaaa *in,
				const struct mk_codepoints *cp, size_t *outlen);

/* An ldns_rr for a CAAAA (owner in presentation form).  *out owned by caller. */
struct mk_status mk_caaaa_rr_new(ldns_rr **out, const char *owner, uint32_t ttl,
				 const uint8_t coa[16], const struct mk_codepoints *cp);
/* Check an ldns_rr is a CAAAA (type, class IN, RDATA exactly 16 octets
 * whatever rdf layout ldns chose) and copy the address out. */
struct mk_status mk_caaaa_rr_get(const ldns_rr *rr, uint8_t coa[16],
				 const struct mk_codepoints *cp);

enum mk_caaaa_form {
	MK_CAAAA_GENERIC,   /* name TTL IN TYPE65280 \# 16 <hex> (RFC 3597) */
	MK_CAAAA_NAMED,     /* name TTL IN CAAAA <address> */
};
/* Presentation of a CAAAA ldns_rr in one of the two forms, one line, single
 * spaces, no newline.  MK_E_NOSPACE if cap is too small. */
struct mk_status mk_caaaa_rr_to_str(const ldns_rr *rr, enum mk_caaaa_form form,
				    char *buf, size_t cap, const struct mk_codepoints *cp);
/* Parse either form ("owner [TTL] [IN] TYPEn \# 16 hex..." or
 * "owner [TTL] [IN] CAAAA address"); TTL defaults to 0.  Error offsets are
 * character offsets in text: MK_E_CAAAA_TEXT, MK_E_CAAAA_TYPE,
 * MK_E_CAAAA_CLASS, MK_E_CAAAA_RDLEN, MK_E_CAAAA_ADDR, MK_E_DNS_NAME_TEXT. */
struct mk_status mk_caaaa_rr_from_str(ldns_rr **out, const char *text,
				      const struct mk_codepoints *cp);

/* ---- UPDATE ---------------------------------------------------------------- */

/* New UPDATE for zone (presentation), class IN, the given message ID, RD
 * cleared.  Free with ldns_pkt_free(). */
struct mk_status mk_update_new(ldns_pkt **out, const char *zone, uint16_t id);

/* Update section.  rr/rrs are cloned; the caller keeps its own. */
struct mk_status mk_update_add(ldns_pkt *u, const ldns_rr *rr);
struct mk_status mk_update_add_aaaa(ldns_pkt *u, const char *owner, const uint8_t addr[16]);
struct mk_status mk_update_add_caaaa(ldns_pkt *u, const char *owner, const uint8_t coa[16],
				     const struct mk_codepoints *cp);
struct mk_status mk_update_delete_rrset(ldns_pkt *u, const char *owner, uint16_t type);
struct mk_status mk_update_delete_name(ldns_pkt *u, const char *owner);
struct mk_status mk_update_delete_rr(ldns_pkt *u, const ldns_rr *rr);
/* Delete the RRset of rrs[0]'s owner and type, then add every rr (all must
 * share owner and type). */
struct mk_status mk_update_replace_rrset(ldns_pkt *u, const ldns_rr *const *rrs, size_t n);

/* Prerequisite section. */
struct mk_status mk_update_prereq_name_in_use(ldns_pkt *u, const char *owner);
struct mk_status mk_update_prereq_name_not_in_use(ldns_pkt *u, const char *owner);
struct mk_status mk_update_prereq_rrset_exists(ldns_pkt *u, const char *owner, uint16_t type);
struct mk_status mk_update_prereq_rrset_not_exists(ldns_pkt *u, const char *owner, uint16_t type);
struct mk_status mk_update_prereq_rrset_value(ldns_pkt *u, const ldns_rr *rr);

/* Wire form of any ldns_pkt (with its TSIG if signed) into buf.  On error
 * *outlen = 0. */
struct mk_status mk_dns_pkt_wire(const ldns_pkt *p, uint8_t *buf, size_t cap, size_t *outlen);

/* ---- TSIG ------------------------------------------------------------------ */

enum mk_tsig_alg {
	MK_TSIG_HMAC_MD5,
	MK_TSIG_HMAC_SHA1,
	MK_TSIG_HMAC_SHA224,
	MK_TSIG_HMAC_SHA256,
	MK_TSIG_HMAC_SHA384, /* known, refused: see the header comment */
	MK_TSIG_HMAC_SHA512,
	MK_TSIG__COUNT
};

/* "hmac-sha256." etc. as written in the TSIG RR (RFC 8945 6). */
const char *mk_tsig_alg_name(enum mk_tsig_alg a);
/* Accepts "hmac-sha256", "hmac-sha256.", any case, and "hmac-md5" for
 * hmac-md5.sig-alg.reg.int.; -1 if unknown. */
int mk_tsig_alg_lookup(const char *name);

struct mk_tsig_key {
	char name[MK_DNS_NAME_STR_MAX]; /* presentation, absolute */
	enum mk_tsig_alg alg;
	char secret[512];               /* base64, as ldns wants it */
};

/* alg NULL: hmac-sha256.  Errors: MK_E_DNS_NAME_TEXT, MK_E_TSIG_ALG_UNKNOWN,
 * MK_E_TSIG_ALG_UNSUPPORTED (hmac-sha384), MK_E_TSIG_SECRET (bad base64). */
struct mk_status mk_tsig_key_set(struct mk_tsig_key *k, const char *name, const char *alg,
				 const char *secret_b64);
/* The first key of a BIND key statement text (tsig-keygen output); error
 * offsets are character offsets: MK_E_TSIG_KEYFILE for syntax. */
struct mk_status mk_tsig_key_parse_bind(struct mk_tsig_key *k, const char *text);
/* Same from a file (MK_E_INVAL if it cannot be read). */
struct mk_status mk_tsig_key_load_bind(struct mk_tsig_key *k, const char *path);

/* Sign p with ldns_pkt_tsig_sign (time now, fudge 0 means 300).  req_mac
 * (NULL for a request) is the MAC of the request a response answers. */
struct mk_status mk_tsig_sign(ldns_pkt *p, const struct mk_tsig_key *k, uint16_t fudge,
			      const uint8_t *req_mac, size_t req_mac_len);
/* The MAC of a TSIG-signed message (for verifying the response to it). */
struct mk_status mk_tsig_mac(const uint8_t *msg, size_t len, uint8_t *mac, size_t cap,
			     size_t *maclen);
/* Verify the TSIG of wire message msg with key k (and the request MAC for a
 * response) at time now (0: time(NULL)).  Errors, with the offset of the
 * TSIG field at fault: MK_E_TSIG_MISSING, MK_E_TSIG_KEYNAME (BADKEY),
 * MK_E_TSIG_ALG_MISMATCH (BADKEY), MK_E_TSIG_BAD_MAC (BADSIG),
 * MK_E_TSIG_TIME (BADTIME), or a parse error of the message. */
struct mk_status mk_tsig_verify(const uint8_t *msg, size_t len, const struct mk_tsig_key *k,
				const uint8_t *req_mac, size_t req_mac_len, time_t now);

/* ---- SIG(0) ------------------------------------------------------------------ */

enum {
	MK_SIG0_ALG_ECDSAP256SHA256 = 13,
	MK_SIG0_ALG_ED25519 = 15,
	MK_SIG0_FUDGE = 300,
	MK_SIG0_SIGLEN = 64,           /* both algorithms */
	MK_KEY_FLAGS_HOST = 0x0200,    /* dnssec-keygen -n HOST: 512 */
	MK_KEY_PROTOCOL_DNSSEC = 3,
};

/* "ECDSAP256SHA256", "ED25519", and the other DNSSEC algorithm mnemonics
 * (RFC 8624 table); NULL if unknown. */
const char *mk_sig0_alg_name(unsigned alg);

struct mk_sig0_key {
	uint8_t alg;
	uint16_t flags;                  /* KEY flags (512 for -n HOST) */
	uint8_t name[MK_DNS_NAME_MAX];   /* key (signer) name, wire form, lowercase */
	size_t name_len;
	uint8_t pub[64];                 /* public key field of the KEY RDATA */
	size_t pub_len;
	uint16_t keytag;
	EVP_PKEY *pkey;                  /* public, or private when has_private */
	int has_private;
};

/* RFC 4034 appendix B key tag over a KEY/DNSKEY RDATA. */
uint16_t mk_dns_keytag(const uint8_t *rdata, size_t len);

/* New key pair with OpenSSL; flags MK_KEY_FLAGS_HOST. */
struct mk_status mk_sig0_key_generate(struct mk_sig0_key *k, const char *name, unsigned alg);
/* Public key from a KEY (or DNSKEY) RR in presentation form, as in a K*.key
 * file ("; comments" lines skipped): "name [ttl] [IN] KEY flags 3 alg b64". */
struct mk_status mk_sig0_key_parse_rr(struct mk_sig0_key *k, const char *text);
/* Add the private key from K*.private text ("PrivateKey: base64"). */
struct mk_status mk_sig0_key_parse_private(struct mk_sig0_key *k, const char *text);
/* Load K*.key and, if private_path is not NULL, K*.private. */
struct mk_status mk_sig0_key_load_bind(struct mk_sig0_key *k, const char *key_path,
				       const char *private_path);
/* The KEY RDATA (flags | 3 | alg | public key). */
struct mk_status mk_sig0_key_rdata(const struct mk_sig0_key *k, uint8_t *buf, size_t cap,
				   size_t *outlen);
/* "name. 0 IN KEY 512 3 13 base64" (for a zone file). */
struct mk_status mk_sig0_key_to_str(const struct mk_sig0_key *k, char *buf, size_t cap);
void mk_sig0_key_free(struct mk_sig0_key *k);

/* Sign the message msg[0..len) in place: append the SIG(0) RR and increment
 * ARCOUNT.  buf has room for cap octets.  request/reqlen: for a response,
 * the request as received (NULL for a request).  now: 0 means time(NULL);
 * inception now-300, expiration now+300.  On error *outlen = 0 and buf is
 * unchanged. */
struct mk_status mk_sig0_sign(uint8_t *buf, size_t cap, size_t len,
			      const uint8_t *request, size_t reqlen,
			      const struct mk_sig0_key *k, time_t now, size_t *outlen);

struct mk_sig0_info {
	size_t rr_off;        /* offset of the SIG(0) RR in the message */
	uint8_t alg;
	uint16_t keytag;
	uint32_t inception, expiration;
	uint8_t signer[MK_DNS_NAME_MAX];
	size_t signer_len;
};

/* Verify the SIG(0) of msg with key k (public part suffices).  request as
 * for mk_sig0_sign (for a response: the request as it was sent).  now 0:
 * time(NULL).  info may be NULL; it is filled as far as parsing got.
 * Errors with offsets in msg: MK_E_SIG0_MISSING, MK_E_SIG0_NOT_LAST,
 * MK_E_SIG0_OWNER, MK_E_SIG0_CLASS, MK_E_SIG0_TTL, MK_E_SIG0_COVERED,
 * MK_E_SIG0_LABELS, MK_E_SIG0_ALG, MK_E_SIG0_SIGNER,
 * MK_E_SIG0_KEYTAG, MK_E_SIG0_TIME_ORDER, MK_E_SIG0_EXPIRED,
 * MK_E_SIG0_NOT_YET, MK_E_SIG0_SIGLEN, MK_E_SIG0_BAD_SIGNATURE, and parse
 * errors of the message. */
struct mk_status mk_sig0_verify(const uint8_t *msg, size_t len,
				const uint8_t *request, size_t reqlen,
				const struct mk_sig0_key *k, time_t now,
				struct mk_sig0_info *info);

/* ---- response (any message) parsing with sections ---- */

enum mk_dns_section {
	MK_DNS_SEC_QUESTION,   /* UPDATE: zone */
	MK_DNS_SEC_ANSWER,     /* UPDATE: prerequisite */
	MK_DNS_SEC_AUTHORITY,  /* UPDATE: update */
	MK_DNS_SEC_ADDITIONAL,
};

enum mk_dns_rd_kind {
	MK_DNS_RD_NONE,        /* question entries, empty RDATA */
	MK_DNS_RD_RAW,
	MK_DNS_RD_A,
	MK_DNS_RD_AAAA,
	MK_DNS_RD_CAAAA,
	MK_DNS_RD_SOA,
	MK_DNS_RD_CNAME,
	MK_DNS_RD_TSIG,
	MK_DNS_RD_SIG,
	MK_DNS_RD_OPT,
};

enum { MK_DNS_MAX_RR = 256 };

struct mk_dns_rec {
	uint8_t section;        /* enum mk_dns_section */
	uint8_t kind;           /* enum mk_dns_rd_kind */
	uint16_t type, cls;
	uint32_t ttl;           /* 0 for questions */
	size_t off;             /* offset of the record (its owner name) */
	size_t name_end;        /* offset just after the owner name */
	size_t rdata_off;       /* RDATA in the message (raw, zero copy) */
	uint16_t rdlen;
	union {
		uint8_t a[4];
		uint8_t aaaa[16];           /* AAAA and CAAAA */
		struct {
			size_t mname_off, rname_off;
			uint32_t serial, refresh, retry, expire, minimum;
		} soa;
		size_t cname_off;           /* target name, may be compressed */
		struct {
			size_t alg_off;
			uint64_t time_signed;   /* 48 bits */
			uint16_t fudge;
			size_t mac_off;
			uint16_t mac_len;
			uint16_t orig_id, error, other_len;
		} tsig;
		struct {
			uint16_t covered;
			uint8_t alg, labels;
			uint32_t orig_ttl, expiration, inception;
			uint16_t keytag;
			size_t signer_off;      /* uncompressed in the RDATA */
			size_t sig_off;
			uint16_t sig_len;
		} sig;
		struct {
			uint16_t udp_size;      /* the class field */
			uint8_t ext_rcode, version;
			uint16_t flags;
		} opt;
	} rd;
};

struct mk_dns_msg {
	const uint8_t *buf;     /* the parsed message; records point into it */
	size_t len;
	uint16_t id, flags;     /* flags: the whole second 16-bit word */
	uint8_t opcode;
	uint16_t rcode;         /* header RCODE, extended by OPT when present */
	uint16_t count[4];      /* QD/AN/NS/AR (ZO/PR/UP/AD) */
	int has_opt, has_tsig, has_sig0;
	uint16_t tsig_error;    /* TSIG error field (BADSIG 16, BADKEY 17, BADTIME 18) */
	unsigned opt_idx, tsig_idx, sig0_idx;
	unsigned nrec;
	struct mk_dns_rec rec[MK_DNS_MAX_RR];
};

/* Parse and validate a whole DNS message (cp: which TYPE is CAAAA).
 * Errors: MK_E_TRUNC, MK_E_TRAILING, MK_E_TOO_MANY (more than
 * MK_DNS_MAX_RR entries), name errors, MK_E_DNS_A_RDLEN,
 * MK_E_DNS_AAAA_RDLEN, MK_E_CAAAA_RDLEN, MK_E_DNS_SOA_RDATA,
 * MK_E_DNS_CNAME_RDATA, MK_E_DNS_TSIG_RDATA, MK_E_TSIG_NOT_LAST,
 * MK_E_DNS_SIG_RDATA, MK_E_SIG0_NOT_LAST, MK_E_DNS_OPT_PLACE. */
struct mk_status mk_dns_msg_parse(const uint8_t *buf, size_t len, struct mk_dns_msg *out,
				  const struct mk_codepoints *cp);
/* Re-encode a parsed message without name compression (owner names, the
 * names in SOA/CNAME RDATA and in questions are expanded; other RDATA is
 * copied as it was). */
struct mk_status mk_dns_msg_build(uint8_t *buf, size_t cap, const struct mk_dns_msg *in,
				  size_t *outlen);
/* Presentation of the (possibly compressed) name at msg offset off. */
struct mk_status mk_dns_msg_name(const struct mk_dns_msg *m, size_t off, char *out, size_t cap);
/* The rcode to report: the TSIG error when the message carries a TSIG with
 * a non-zero error, else the (extended) header rcode. */
unsigned mk_dns_msg_rcode(const struct mk_dns_msg *m);
/* "NOERROR", or "NOTAUTH (TSIG BADSIG)" when a TSIG error is set. */
struct mk_status mk_dns_msg_rcode_str(const struct mk_dns_msg *m, char *out, size_t cap);


/* ---- the client's lookup of a mobile server (issue 15, "the client") ----
 *
 * mk_dns_lookup_mobile() asks a resolver, over UDP, for the AAAA and the
 * CAAAA of a name at once (two queries, RD set, EDNS 1232, random IDs, the
 * unanswered ones sent again at half the timeout) and folds the answers:
 *   home addresses   the AAAA RRset in the ANSWER of the AAAA query (after
 *                    the CNAME chain there, at most 8 links)
 *   care-of address  a CAAAA owned by the name (or its canonical name):
 *                      in the ADDITIONAL of the AAAA answer   (the paper's
 *                        semantics, served by mobbed's kresd-caaaa), or
 *                      in the ANSWER of the CAAAA query       (a plain
 *                        server: unbound, BIND...), or
 *                      in the ADDITIONAL of the CAAAA answer  (the paper's
 *                        literal wording, section 3.1)
 *                    the first one seen in that order of preference; a
 *                    CAAAA of another owner is ignored.
 * It returns as soon as the AAAA answer carries the care-of address, or
 * when both answers are in, or at the timeout (then what came is kept: an
 * AAAA answer without a CAAAA answer is MK_MOBILE_FOUND with
 * caaaa_answered 0, which the caller treats as "no CAAAA").  Responses
 * are matched by source (connected socket), ID, QR, and question.
 * Local failures (bad name, socket) come back as the mk_status; what the
 * DNS said is in the struct. */
enum mk_mobile_result {
	MK_MOBILE_FOUND,      /* AAAA answered with at least one home address */
	MK_MOBILE_NODATA,     /* NOERROR, no AAAA for the name */
	MK_MOBILE_NXDOMAIN,
	MK_MOBILE_RCODE,      /* another rcode (SERVFAIL, REFUSED...) in rcode */
	MK_MOBILE_TIMEOUT,    /* no answer to the AAAA query within the timeout */
	MK_MOBILE_MALFORMED,  /* the AAAA answer does not parse (parse_err) */
	MK_MOBILE_TRUNCATED,  /* TC set and no usable answer (no TCP retry here) */
};

enum mk_mobile_coa {
	MK_COA_NONE,               /* no CAAAA: fall back through the home agent */
	MK_COA_ADDITIONAL_AAAA,    /* ADDITIONAL of the AAAA answer (paper) */
	MK_COA_ANSWER_CAAAA,       /* ANSWER of the CAAAA query */
	MK_COA_ADDITIONAL_CAAAA,   /* ADDITIONAL of the CAAAA answer (paper) */
};

enum { MK_MOBILE_MAX_HOA = 8 };

struct mk_mobile {
	enum mk_mobile_result result;
	unsigned rcode;                 /* of the AAAA answer (extended) */
	unsigned n_hoa;
	uint8_t hoa[MK_MOBILE_MAX_HOA][16];
	uint32_t hoa_ttl;               /* smallest TTL of the AAAA RRset */
	enum mk_mobile_coa coa_from;
	uint8_t coa[16];
	uint32_t coa_ttl;
	int aaaa_answered, caaaa_answered;
	unsigned caaaa_rcode;
	struct mk_status parse_err;     /* the first answer that did not parse */
	char canon[MK_DNS_NAME_STR_MAX];/* the name the AAAA belongs to */
	uint64_t elapsed_ns;            /* first query sent -> done */
};

/* "found", "nodata", "nxdomain", "rcode", "timeout", "malformed", "truncated" */
const char *mk_mobile_result_name(enum mk_mobile_result r);
/* "none", "additional-of-aaaa", "answer-of-caaaa", "additional-of-caaaa" */
const char *mk_mobile_coa_name(enum mk_mobile_coa c);

/* name: presentation; resolver: sockaddr_in6 or sockaddr_in (port in it);
 * cp: which TYPE is CAAAA (NULL: default); timeout_ms > 0.  Errors:
 * MK_E_DNS_NAME_TEXT, MK_E_INVAL (resolver family, timeout),
 * MK_E_DNS_SOCKET (errno in *sys_errno if not NULL). */
struct mk_status mk_dns_lookup_mobile(const char *name, const struct sockaddr *resolver,
				      socklen_t resolver_len, const struct mk_codepoints *cp,
				      unsigned timeout_ms, struct mk_mobile *out, int *sys_errno);

/* The folding step alone (the unit tests feed it crafted answers): one
 * response resp[0..len) to the query for qname (wire form) and qtype
 * (AAAA or the CAAAA codepoint) updates *out.  msg is scratch space.
 * Returns the parse status; a response that is not the answer to that
 * question (ID aside) is MK_E_INVAL and changes nothing. */
struct mk_status mk_mobile_digest(struct mk_mobile *out, const uint8_t *qname, size_t qname_len,
				  uint16_t qtype, const uint8_t *resp, size_t len,
				  struct mk_dns_msg *msg, const struct mk_codepoints *cp);
/* Start state for mk_mobile_digest: everything unanswered, result TIMEOUT. */
void mk_mobile_init(struct mk_mobile *out);

/* Parse "ADDR" or "[ADDR]:PORT" (numeric IPv6 or IPv4; port default 53)
 * into ss.  MK_E_INVAL on anything else. */
struct mk_status mk_dns_server_addr(const char *s, struct sockaddr_storage *ss, socklen_t *len);
/* The first "nameserver" of a resolv.conf (path NULL: /etc/resolv.conf) that
 * mk_dns_server_addr takes (a scoped "fe80::1%eth0" is not).  MK_E_INVAL if
 * the file cannot be read or names none. */
struct mk_status mk_dns_resolv_conf(const char *path, struct sockaddr_storage *ss, socklen_t *len);

#endif
