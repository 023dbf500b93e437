/* lib/wire/tcpopt.h: the TCP header, TCP options and TCP Migrate.
 *
 * ---- Header (RFC 9293 3.1; AE from RFC 9768) ----
 *
 *   0       2       4               8               12  13  14      16      18      20
 *   | sport | dport |      seq      |      ack      |DO |FL | window| cksum | urgent| options...
 *
 *   octet 12: DataOffset(4) | Reserved(3) | AE(1)
 *   octet 13: CWR ECE URG ACK PSH RST SYN FIN
 *
 * `flags` below holds the low 12 bits of octets 12-13: the three reserved
 * bits are 0xE00 (kept as received; the builder sends what it is given, so
 * a probe can test that receivers ignore them), AE 0x100, CWR 0x80 ... FIN
 * 0x01.  Data Offset counts 32-bit words and must be 5..15 and fit in the
 * buffer; options are the octets 20..DataOffset*4.  The checksum covers the
 * IPv6 pseudo-header (RFC 8200 8.1, next header 6) and the whole segment.
 *
 * ---- Options (RFC 9293 3.2; IANA "TCP Option Kind Numbers") ----
 *
 *   kind 0 EOL (1 octet; ends the list, what follows is zero padding)
 *   kind 1 NOP (1 octet)
 *   kind 2 MSS        len 4   MSS16
 *   kind 3 WScale     len 3   shift8 (RFC 7323: a receiver clamps > 14 to 14)
 *   kind 4 SACK-Perm  len 2
 *   kind 5 SACK       len 2+8n, n = 1..4 blocks of (left32, right32)
 *   kind 8 Timestamps len 10  TSval32 TSecr32
 *   kind 253/254 (RFC 4727) as RFC 6994: len >= 4, ExID16 or ExID32, data
 *   other kinds: kept raw (kind, len, pointer to the len-2 data octets)
 *
 * A receiver's checks, each with its own error and the offset of the
 * octet it rejects: a kind in the last header octet with no length
 * (TCP_OPT_NO_LEN, offset of the kind), length < 2 (TCP_OPT_LEN_SHORT) or
 * past the header (TCP_OPT_OVERRUN), wrong length for a kind we decode
 * (TCP_OPT_*_LEN); those three name the length octet.  Linux only stops
 * parsing options on these (protocol-facts 4); we report them.  What a
 * receiver ignores or clamps is a warning (mk_tcp_strict): non-zero octets
 * after EOL, WScale > 14, SYN-only options without SYN, reserved bits.
 *
 * RFC 6994 ExIDs are 16 or 32 bits.  The parser reads a 32-bit ExID when
 * the first four octets match a known 32-bit ExID (0xE2D4C3D9 SMC-R),
 * otherwise a 16-bit one, and names the known experiments: 0xF989 TCP Fast
 * Open, 0xE2D4C3D9 SMC-R, 0xEB9F Linux BPF, 0xACCE AccECN (experimental).
 *
 * ---- TCP Migrate (draft-snoeren-tcp-migrate-00, never given a kind) ----
 *
 * Raw form on a kind of its own (codepoint ExID 0, profile "paper"):
 *   Migrate-Permitted  Kind, Len=3|20, CurveID8, KeyData[17]   (SYN, SYN/ACK)
 *   Migrate            Kind, Len=19, P(1)|ReqNo(7), Token64, Request64 (SYN)
 * RFC 6994 form (codepoint ExID != 0, profile "default", kind 253/254):
 *   Kind, Len=5|22,  ExID16, CurveID8, KeyData[17]
 *   Kind, Len=21,    ExID16, P|ReqNo, Token64, Request64
 * Kinds and ExIDs come from mk_cp(cp, MK_CP_TCP_MIGPERM_KIND/_EXID,
 * MK_CP_TCP_MIGRATE_KIND/_EXID).  The codepoints are matched before the
 * IANA kinds, so an override wins; if both options share kind and ExID the
 * length tells them apart (19/21 is Migrate).  Len 3 carries Curve ID 0
 * (insecure, NOT RECOMMENDED); Len 20 a non-zero Curve ID and the top 17
 * octets of the 25-octet public key, whose low 8 octets travel in the
 * Timestamps option of the same SYN: TSval = key[17..20], TSecr =
 * key[21..24] (mk_tcp_migperm_split/_join).
 *
 * Token and Request (SHA-1 through OpenSSL, all integers big-endian):
 *   Token   = SHA-1( Ni(4) | Na(4) | K(25) )                    octets 0..7
 *   Request = SHA-1( Ni(4) | Na(4) | K(25) | S(4) | ReqNo(1) )  octets 0..7
 * Ni, Na: ISNs of the original SYN and SYN/ACK; K: the ECDH shared secret
 * left-padded with zeros to 200 bits (all zero when insecure); S: sequence
 * number of the migrate SYN; ReqNo: the 7-bit value in one octet, its top
 * bit 0 (the P flag is not hashed).  Token is the 64 most significant bits
 * as the draft says; the draft does not say how Request is cut to its
 * 64-bit field: we take the 64 most significant bits, like Token.  The
 * 64-bit value is the first 8 digest octets read big-endian, so it goes on
 * the wire as those same 8 octets.  ReqNo increases modulo 128
 * (mk_tcp_reqno_newer: serial arithmetic, RFC 1982, on 7 bits).
 *
 * The migrating SYN must carry no option but Migrate; we allow NOP/EOL
 * padding (the draft's own figure puts one pad octet before the option).
 *
 * ---- Option-list builder ----
 *
 * mk_tcpopts_build writes a list in the caller's order.  Layouts:
 *   PACKED  no octet added between options (explicit NOP/EOL items kept);
 *           the list is then zero-padded (EOL + zeros) to a multiple of 4.
 *   ALIGNED NOPs before options so that their fields sit where stacks put
 *           them: MSS and 20-octet Migrate-Permitted start on a 4-octet
 *           boundary, Timestamps and SACK at 4n+2 (NOP NOP TS), WScale,
 *           Migrate and the other Migrate forms end on a boundary (NOP WS;
 *           one pad octet before Migrate as in the draft), SACK-Perm
 *           anywhere (SACKP TS packs as Linux sends it), EXP/raw start on a
 *           boundary; then zero padding.
 *   AUTO    ALIGNED if that fits in 40 octets, else PACKED.
 * The option-space check counts the packed octets: over 40 is refused
 * with TCP_OPT_SPACE and the offset = the index in the list of the first
 * option that does not fit (ALIGNED alone: the first whose padded end
 * passes 40).  mk_tcpopts_space_fmt writes the sum for a verdict:
 * "MSS(4)+WS(3)+SACKP(2)+TS(10)+MigPerm(22) = 41 > 40".
 * Builder errors report the index of the option they reject (not a byte
 * offset): TCP_OPT_SPACE, TCP_OPT_AFTER_EOL, TCP_OPT_BAD, RANGE (SACK
 * block count, ReqNo > 127, ExID too wide), NOSPACE (buffer cap).
 */
#ifndef MK_WIRE_TCPOPT_H
#define MK_WIRE_TCPOPT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codepoints.h"
#include "err.h"

/* ---- flags (12 bits of octets 12-13) ---- */
#define MK_TCP_FIN 0x001
#define MK_TCP_SYN 0x002
#define MK_TCP_RST 0x004
#define MK_TCP_PSH 0x008
#define MK_TCP_ACK 0x010
#define MK_TCP_URG 0x020
#define MK_TCP_ECE 0x040
#define MK_TCP_CWR 0x080
#define MK_TCP_AE 0x100
#define MK_TCP_RESERVED 0xE00

/* ---- option kinds (IANA) ---- */
#define MK_TCPOPT_KIND_EOL 0
#define MK_TCPOPT_KIND_NOP 1
#define MK_TCPOPT_KIND_MSS 2
#define MK_TCPOPT_KIND_WS 3
#define MK_TCPOPT_KIND_SACKP 4
#define MK_TCPOPT_KIND_SACK 5
#define MK_TCPOPT_KIND_TS 8
#define MK_TCPOPT_KIND_EXP1 253
#define MK_TCPOPT_KIND_EXP2 254

/* RFC 6994 ExIDs seen in the wild (protocol-facts 4, 5) */
#define MK_TCP_EXID_TFO 0xF989u
#define MK_TCP_EXID_SMC 0xE2D4C3D9u
#define MK_TCP_EXID_BPF 0xEB9Fu
#define MK_TCP_EXID_ACCECN 0xACCEu

#define MK_TCP_HDR_MIN 20
#define MK_TCPOPT_SPACE 40     /* Data Offset 15 - 5 words */
#define MK_TCPOPT_MAX 40       /* one entry per octet at most */
#define MK_TCP_SACK_MAX 4
#define MK_TCP_MIGPERM_KEYDATA 17
#define MK_TCP_MIGRATE_KEYLEN 25 /* 200 bits */

enum mk_tcpopt_type {
	MK_TCPOPT_EOL,
	MK_TCPOPT_NOP,
	MK_TCPOPT_MSS,
	MK_TCPOPT_WS,
	MK_TCPOPT_SACKP,
	MK_TCPOPT_SACK,
	MK_TCPOPT_TS,
	MK_TCPOPT_MIGPERM,  /* kind/ExID from the codepoints */
	MK_TCPOPT_MIGRATE,  /* kind/ExID from the codepoints */
	MK_TCPOPT_EXP,      /* kind 253/254 with an ExID we do not decode */
	MK_TCPOPT_RAW,      /* any other kind: kind, len, data */
	MK_TCPOPT__COUNT
};

struct mk_tcp_sack_block {
	uint32_t left, right;
};

struct mk_tcpopt {
	enum mk_tcpopt_type type;
	uint8_t kind;   /* parse: as on the wire; build: used by EXP and RAW only */
	uint8_t len;    /* parse: length octet (1 for EOL/NOP); build: ignored */
	size_t off;     /* parse: offset of the kind octet; build: ignored */
	union {
		uint16_t mss;
		uint8_t ws;        /* shift count */
		struct {
			uint8_t n;
			struct mk_tcp_sack_block blk[MK_TCP_SACK_MAX];
		} sack;
		struct {
			uint32_t val, ecr;
		} ts;
		struct {
			uint8_t curve;   /* 0: insecure (len 3), else secure (len 20) */
			uint8_t key[MK_TCP_MIGPERM_KEYDATA];
			uint16_t exid;   /* parse: ExID seen (0 = raw form) */
		} migperm;
		struct {
			bool preload;    /* P */
			uint8_t reqno;   /* 0..127 */
			uint64_t token, request;
			uint16_t exid;   /* parse: ExID seen (0 = raw form) */
		} migrate;
		struct {
			uint32_t exid;
			uint8_t exid_len;      /* 2 or 4 */
			const uint8_t *data;   /* after the ExID */
			size_t dlen;
		} exp;
		struct {
			const uint8_t *data;   /* after kind and length */
			size_t dlen;
		} raw;
	} u;
};

enum mk_tcp_warn {
	MK_TCP_W_RESERVED,
	MK_TCP_W_EOL_PAD,
	MK_TCP_W_WS_SHIFT,
	MK_TCP_W_SYN_ONLY,
	MK_TCP_W__COUNT
};

struct mk_tcpopts {
	size_t n;
	struct mk_tcpopt o[MK_TCPOPT_MAX];
	uint32_t warn;                      /* bit (1u << MK_TCP_W_x) */
	size_t warn_off[MK_TCP_W__COUNT];   /* first offending octet of each */
};

enum mk_tcpopt_layout {
	MK_TCPOPT_AUTO,
	MK_TCPOPT_ALIGNED,
	MK_TCPOPT_PACKED,
};

struct mk_tcp {
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t doff;         /* parse: 32-bit words as received; build: ignored */
	uint16_t flags;       /* 12 bits, MK_TCP_* */
	uint16_t window;
	uint16_t cksum;       /* parse: as received; build: written as 0 */
	uint16_t urg;
	/* options: parse fills both; build uses opts when opts.n > 0, else
	 * copies raw_opt verbatim (a multiple of 4, at most 40 octets: for
	 * crafting malformed options) */
	struct mk_tcpopts opts;
	enum mk_tcpopt_layout layout; /* build */
	const uint8_t *raw_opt;
	size_t raw_optlen;
	const uint8_t *payload;
	size_t payload_len;
};

/* ---- header ---- */

/* Parse a segment (buf = the TCP header, len = to the end of the IPv6
 * payload).  cp NULL = default profile.  On an option error the fixed
 * fields in out are valid; the checksum is not verified here. */
struct mk_status mk_tcp_parse(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
			      struct mk_tcp *out);
/* Build header + options + payload with checksum 0 (mk_tcp_cksum_fill). */
struct mk_status mk_tcp_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
			      const struct mk_tcp *in, size_t *outlen);
/* The first warning (lowest offset) as an error (MK_E_TCP_W_*); OK if none. */
struct mk_status mk_tcp_strict(const struct mk_tcp *seg);
enum mk_err mk_tcp_warn_err(enum mk_tcp_warn w);

/* Checksum over the pseudo-header (src, dst, len, 6) and the segment,
 * taking octets 16-17 as zero: the value to store. */
uint16_t mk_tcp_cksum(const uint8_t *buf, size_t len, const struct in6_addr *src,
		      const struct in6_addr *dst);
/* Store it at offset 16 (MK_E_TRUNC if len < 20). */
struct mk_status mk_tcp_cksum_fill(uint8_t *buf, size_t len, const struct in6_addr *src,
				   const struct in6_addr *dst);
/* True if the segment as received verifies. */
bool mk_tcp_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		     const struct in6_addr *dst);

/* ---- options ---- */

/* Parse an options area (offsets relative to buf; mk_tcp_parse adds 20).
 * Stops after EOL.  Warnings EOL_PAD and WS_SHIFT are set here. */
struct mk_status mk_tcpopts_parse(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
				  struct mk_tcpopts *out);
/* Write n options (see the layouts above); *outlen is a multiple of 4. */
struct mk_status mk_tcpopts_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
				  const struct mk_tcpopt *o, size_t n, enum mk_tcpopt_layout layout,
				  size_t *outlen);
/* Octets one option takes on the wire, without padding (0 if it cannot be
 * encoded). */
size_t mk_tcpopt_wire_len(const struct mk_codepoints *cp, const struct mk_tcpopt *o);
/* Option-space check: the packed sum (and, if not NULL, the ALIGNED size
 * before final padding); TCP_OPT_SPACE with off = index of the first
 * option that does not fit in 40 octets. */
struct mk_status mk_tcpopts_space(const struct mk_codepoints *cp, const struct mk_tcpopt *o,
				  size_t n, size_t *packed, size_t *aligned);
/* "MSS(4)+WS(3)+SACKP(2)+TS(10)+MigPerm(22) = 41 > 40" (or "<= 40") into
 * buf, NUL-terminated, truncated to cap; returns the length it needed. */
size_t mk_tcpopts_space_fmt(char *buf, size_t cap, const struct mk_codepoints *cp,
			    const struct mk_tcpopt *o, size_t n);
/* "TS(10) kind 8 at offset 32", "EXP(4) kind 254 ExID 0xf989 TCP Fast Open"
 * into buf; returns the length it needed. */
size_t mk_tcpopt_describe(char *buf, size_t cap, const struct mk_codepoints *cp,
			  const struct mk_tcpopt *o);

/* ---- TCP Migrate ---- */

/* Token = top 64 bits of SHA-1(Ni | Na | K); k NULL = all zeros. */
struct mk_status mk_tcp_migrate_token(uint32_t ni, uint32_t na,
				      const uint8_t k[MK_TCP_MIGRATE_KEYLEN], uint64_t *token);
/* Request = top 64 bits of SHA-1(Ni | Na | K | S | ReqNo); MK_E_RANGE if
 * reqno > 127. */
struct mk_status mk_tcp_migrate_request(uint32_t ni, uint32_t na,
					const uint8_t k[MK_TCP_MIGRATE_KEYLEN], uint32_t s,
					uint8_t reqno, uint64_t *request);
/* K from an ECDH secret of n <= 25 octets, left-padded with zeros
 * (MK_E_RANGE if longer). */
struct mk_status mk_tcp_migrate_key(const uint8_t *secret, size_t n,
				    uint8_t k[MK_TCP_MIGRATE_KEYLEN]);
/* Split a 25-octet public key into KeyData[17] and the Timestamps values,
 * and join them back. */
void mk_tcp_migperm_split(const uint8_t pub[MK_TCP_MIGRATE_KEYLEN],
			  uint8_t keydata[MK_TCP_MIGPERM_KEYDATA], uint32_t *tsval,
			  uint32_t *tsecr);
void mk_tcp_migperm_join(const uint8_t keydata[MK_TCP_MIGPERM_KEYDATA], uint32_t tsval,
			 uint32_t tsecr, uint8_t pub[MK_TCP_MIGRATE_KEYLEN]);
/* ReqNo a is newer than b modulo 128 (0 < a-b mod 128 < 64). */
bool mk_tcp_reqno_newer(uint8_t a, uint8_t b);
/* The next ReqNo: (r + 1) mod 128. */
uint8_t mk_tcp_reqno_next(uint8_t r);
/* A parsed migrate SYN: SYN set (TCP_MIGSYN_NOT_SYN, offset 13), exactly
 * one Migrate option (TCP_MIGSYN_NO_MIGRATE, offset 20), nothing else but
 * NOP/EOL (TCP_MIGSYN_EXTRA_OPT at the extra option's kind octet; *extra,
 * if not NULL, points at it for mk_tcpopt_describe). */
struct mk_status mk_tcp_migrate_syn_check(const struct mk_tcp *seg,
					  const struct mk_tcpopt **extra);

/* ---- name tables (NULL when the value has no name) ---- */
/* IANA name of an option kind (0-30, 34, 69, 172, 174, 253, 254). */
const char *mk_tcpopt_kind_name(uint8_t kind);
/* Name under the codepoints in force: the raw-form Migrate kinds say
 * "Migrate-Permitted"/"Migrate", anything else its IANA name. */
const char *mk_tcpopt_kind_name_cp(const struct mk_codepoints *cp, uint8_t kind);
/* Short name of a decoded type: "MSS", "WS", "SACKP", "TS", "MigPerm"... */
const char *mk_tcpopt_type_name(enum mk_tcpopt_type t);
/* Known RFC 6994 ExIDs (16- or 32-bit). */
const char *mk_tcp_exid_name(uint32_t exid);
/* One flag bit: "SYN", "AE"...; NULL for reserved bits and non-single bits. */
const char *mk_tcp_flag_name(uint16_t mask);
/* "SYN|ACK|ECE", "none", reserved bits as "RSV(0x800)"; returns the length
 * it needed. */
size_t mk_tcp_flags_fmt(char *buf, size_t cap, uint16_t flags);
const char *mk_tcp_warn_name(enum mk_tcp_warn w);

#endif
