/* lib/wire/mh.h: the Mobility Header (IPv6 Next Header 135), its messages
 * and its mobility options: parse, build, checksum, names.
 *
 * Sources: RFC 6275 (BIS13 = draft-ietf-mext-rfc3775bis-13) sections 6.1,
 * 6.2, 9.2, 9.5.1; RFC 5096 (experimental message and option); RFC 5142
 * (Home Agent Switch); RFC 4285 (authentication and replay options); IANA
 * "Mobility IPv6 parameters" (via IANA-MH in docs/protocol-facts.md).
 *
 * ---- Common header (every message; offsets from the start of the MH) ----
 *
 *   0 Payload Proto (must be 59)  1 Header Len  2 MH Type  3 Reserved
 *   4 Checksum(16)                6 message data, then mobility options
 *
 *   Header Len counts 8-octet units after the first 8, so the MH is
 *   8 * (HeaderLen + 1) octets, always a multiple of 8.
 *
 * ---- Messages (fixed fields; "opts" = where options start) ----
 *
 *   type  message  fields                                         opts  min HLen
 *    0    BRR      Reserved16 @6                                     8   0
 *    1    HoTI     Reserved16 @6, Home Init Cookie64 @8             16   1
 *    2    CoTI     Reserved16 @6, Care-of Init Cookie64 @8          16   1
 *    3    HoT      Nonce Index16 @6, Cookie64 @8, Keygen Token64 @16 24   2
 *    4    CoT      same layout as HoT                               24   2
 *    5    BU       Seq16 @6, Flags16 @8, Lifetime16 @10             12   1
 *    6    BA       Status8 @6, Flags8 @7, Seq16 @8, Lifetime16 @10  12   1
 *    7    BE       Status8 @6, Reserved8 @7, Home Address128 @8     24   2
 *   11    Exp. MH  opaque data from @6 to the end (RFC 5096)        --   0
 *   12    HA Switch NumAddrs8 @6, Reserved8 @7, N x HA addr128 @8  8+16N 2N
 *
 *   Any other type is "unknown" to mobkit: mk_mh_parse reports
 *   MK_E_MH_UNKNOWN_TYPE at offset 2 (the receiver answers with a Binding
 *   Error, status 2) after filling the common header and u.raw.
 *   Lifetimes (BU, BA, BRA) count 4-second units.
 *
 * ---- Mobility options (Type8 | Len8 | Len octets of data) ----
 *
 *   type  option                      Len   alignment  allowed in
 *    0    Pad1 (one octet, no Len)    -     -          any message with options
 *    1    PadN                        any   -          idem; data must be zero
 *    2    Binding Refresh Advice      2     2n         BA, HA Switch
 *    3    Alternate Care-of Address   16    8n+6       BU
 *    4    Nonce Indices               4     2n         BU (and only with BAD)
 *    5    Binding Authorization Data  12    8n+2       BU, BA; LAST, nothing after it
 *    9    Mobility Message Auth.      >=5   4n+1       BU, BA (MN-AAA subtype: BU only);
 *         (RFC 4285: Subtype8, Mobility SPI32, Authentication Data;
 *          MN-HA subtype 1 carries 96 bits, so Len = 17.)  Only padding or
 *          a further authentication option may follow it; nothing may
 *          follow an MN-AAA (subtype 2) option but padding.
 *   10    Mobility Message Replay     8     8n+2       BU, BA
 *         Protection (RFC 4285: Timestamp64)
 *   18    Experimental Mobility Opt.  any   -          every message that has options
 *   cp    Multiple Home Agents (MHA)  16N   8n+6       BU
 *   other unknown: skipped, reported as MK_MHO_UNKNOWN with its raw data
 *
 *   Alignment is measured from the start of the MH (which is 8-aligned).
 *   The Experimental MH (type 11) carries no options.
 *
 * ---- The Multiple Home Agents option: mobkit's definition ----
 *
 *   The multiple-home-agents paper (seeds/003, Fig. 8) names the option but
 *   gives neither a number nor a layout.  mobkit defines it as
 *
 *       Type8 | Len8 (= 16 * N) | N x 128-bit home agent address,  N >= 1
 *
 *   aligned 8n+6 so the addresses are 8-aligned (like Alternate CoA), and
 *   valid in a Binding Update (the paper sends it in the BU together with
 *   the MHA flag).  At most 15 addresses fit (Len <= 255).
 *
 *   Its type is the codepoint MK_CP_MH_OPT_MHA (default and paper: 18), which
 *   is the RFC 5096 Experimental Mobility Option type.  The parser decides:
 *     - codepoint != 18: an option whose type equals the codepoint is MHA
 *       (unless the codepoint names an option mobkit decodes: 0-5, 9, 10,
 *       which always keep their RFC meaning), type 18 is Experimental;
 *     - codepoint == 18: type 18 is Experimental unless the caller asks,
 *       with mk_mh_parse_ex flags: MK_MH_PARSE_EXP_AS_MHA (always MHA) or
 *       MK_MH_PARSE_MHA_IF_FLAG (MHA only inside a BU whose Flags carry the
 *       MHA flag mk_cp(cp, MK_CP_BU_MHA_FLAG)).  mk_mh_parse uses flags 0.
 *   The builder writes MK_MHO_MHA with the codepoint's type.
 *
 * ---- draft-ietf-mip6-hareliability-06 (HA Reliability, HARP) ----
 *
 *   The draft leaves every number TBD: the MH types are the codepoints
 *   harp-mh-type and harp-ss-mh-type (doc/codepoints.md, default 240 and
 *   241), read only when the type is not one mobkit decodes above (so 0
 *   turns them off).  mk_mh_parse sets m->msg to MK_MHM_HARP or MK_MHM_SS;
 *   build one with mk_mh_init_harp (which sets the type from cp and msg).
 *
 *   HARP     Type8 @6 | GroupID8 @7 | Seq16 @8 | Flags8 @10 (A R V M,
 *            0x80..0x10, the rest reserved, kept) | Status8 @11 |
 *            HAPref16 @12 | HALifetime16 @14 | HelloInterval16 @16 |
 *            options @18.  min HLen 2.  Type: 0 SWO-REQ, 1 SWO-REP,
 *            2 SWB-REQ, 3 SWB-REP, 4 SW-COMP and HA-HELLO (the draft gives
 *            both 4; 4.3.2.1).  mobkit's HelloInterval unit: milliseconds
 *            (the draft names none).
 *   SS       Type8 @6 (0 REQ, 1 REP, 2 ACK) | Flags8 @7 (A 0x80: ack
 *            requested) | Identifier16 @8 (the draft: never 0;
 *            returned as read, mobd drops 0) | options @10.  min HLen 1.
 *   Binding Cache Information option (type: codepoint harp-opt-bci,
 *   default 240; only inside State Sync; the draft gives the lengths and
 *   alignments, its figure is lost, so the order of the fields is
 *   mobkit's):
 *            Len 16, 8n+6: Home Address (a request for that binding)
 *            Len 40, 8n+2: Flags16 (the BU's) | Seq16 | Home Address |
 *                          Care-of Address | Lifetime16 (4-second units,
 *                          remaining; 0: the binding is deleted) |
 *                          Reserved16
 *            any other Len: MK_E_MH_OPT_BAD_LEN.
 *   Options allowed in both: padding, Experimental, unknown (kept raw);
 *   the RFC 4285 authentication and replay options are allowed in the
 *   Home Agent Switch (type 12) too, so a new home agent can prove it
 *   shares the mobile node's security association (mobd's hard switch).
 *   Not implemented: the SS Status and AAA Info options (read as
 *   unknown), HA Rekey (harp-rekey-mh-type: a codepoint only, for the
 *   Wireshark plugin), VHARP.
 *
 * ---- BU / BA flags ----
 *
 *   BU Flags16: A 0x8000 H 0x4000 L 0x2000 K 0x1000 M 0x0800 R 0x0400
 *   P 0x0200 F 0x0100 T 0x0080 B 0x0040 S 0x0020 D 0x0010 (IANA), plus the
 *   paper's MHA flag = mk_cp(cp, MK_CP_BU_MHA_FLAG): default 0x0008 (an
 *   unassigned bit), paper 0x0800 (collides with M, HMIPv6): the formatter
 *   prints a colliding bit as "M(mha)".  BA Flags8: K 0x80 R 0x40 P 0x20
 *   T 0x10 B 0x08 S 0x04 D 0x02.  All 16 / 8 bits are kept as received.
 *
 * ---- Receiver checks mk_mh_parse makes, in order, with the offset ----
 *
 *   len < 8                                  MK_E_TRUNC             0
 *   8*(HeaderLen+1) > len                    MK_E_MH_OVERRUN        1
 *   Payload Proto != 59                      MK_E_MH_PROTO          0
 *   len > MH, remainder not a multiple of 8  MK_E_MH_NOT_MULT8      MH length
 *   len > MH, remainder a multiple of 8      MK_E_TRAILING          MH length
 *   type not handled                         MK_E_MH_UNKNOWN_TYPE   2
 *   HeaderLen below the type's minimum       MK_E_MH_HLEN_SHORT     1
 *   per option (offset of its Type octet unless said otherwise):
 *     Type or Len runs past the MH           MK_E_MH_OPT_OVERRUN
 *     anything after BAD: padding            MK_E_MH_PAD_AFTER_BAD
 *                         an option          MK_E_MH_BAD_NOT_LAST
 *     option after an auth. option           MK_E_MH_AUTH_NOT_LAST
 *     option not allowed in this message     MK_E_MH_OPT_NOT_ALLOWED
 *     misaligned                             MK_E_MH_OPT_MISALIGNED
 *     wrong Len                              MK_E_MH_OPT_BAD_LEN    Len octet
 *     MHA with Len 0                         MK_E_MH_MHA_EMPTY      Len octet
 *     PadN data not zero                     MK_E_MH_PADN_NONZERO   that octet
 *     more than MK_MH_MAX_OPTS options       MK_E_TOO_MANY
 *   Nonce Indices without BAD                MK_E_MH_NI_WITHOUT_BAD its Type
 *
 *   Reserved fields are returned, not checked (receivers ignore them).
 *   The checksum needs the IPv6 addresses: check it with mk_mh_cksum_ok /
 *   mk_mh_cksum_check.  Not checked here because it is not a wire rule: a
 *   BRA interval must be less than the BA Lifetime (RFC 6275 6.2.4).
 *
 * ---- Building ----
 *
 *   mk_mh_build writes the common header (Header Len computed, Checksum 0),
 *   the fixed fields and the options in the order given, inserting Pad1 /
 *   PadN so that each option lands on its alignment and padding the end
 *   to a multiple of 8 (nothing is ever needed, or written, after BAD).  It
 *   first applies the same rules as the parser (allowed, lengths, BAD and
 *   authentication last, NI with BAD); Pad1/PadN entries in in->opts are
 *   refused.  Error offsets are the output offset where the rejected item
 *   would have started.  MK_MH_BUILD_VERBATIM instead writes in->opts
 *   exactly as listed (Pad1/PadN included, nothing inserted, no rule
 *   checked, a non-zero opt.len overriding the Len octet) and only pads the
 *   end: for crafting malformed messages.  Fill the checksum with
 *   mk_mh_cksum after everything else (BAD included, see rr.h).
 *
 * Variable-length data (addresses of HA Switch and MHA, experimental and
 * unknown data, authentication data) is zero-copy: pointers into the
 * parsed buffer, or into caller memory when building.  Address lists are
 * packed 16-octet addresses (an array of struct in6_addr qualifies).
 */
#ifndef MK_WIRE_MH_H
#define MK_WIRE_MH_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codepoints.h"
#include "err.h"

#define MK_MH_NEXTHDR     135   /* IPv6 Next Header value of the MH */
#define MK_MH_PROTO_NONE  59    /* IPPROTO_NONE: required Payload Proto */
#define MK_MH_MAX_LEN     2048  /* 8 * (255 + 1) */
#define MK_MH_MAX_OPTS    32    /* non-padding options kept per message */
#define MK_MH_MHA_MAX     15    /* 15 * 16 = 240 <= 255 */
#define MK_MH_HAS_MAX     127   /* 8 + 16 * 127 <= 2048 */
#define MK_MH_BAD_LEN     12    /* BAD authenticator octets */
#define MK_MH_MNHA_LEN    12    /* MN-HA authenticator octets (96 bits) */

/* MH Type values (IANA; RFC 6275, 5096, 5142) */
enum mk_mh_type {
	MK_MH_BRR = 0,
	MK_MH_HOTI = 1,
	MK_MH_COTI = 2,
	MK_MH_HOT = 3,
	MK_MH_COT = 4,
	MK_MH_BU = 5,
	MK_MH_BA = 6,
	MK_MH_BE = 7,
	MK_MH_EXP = 11,
	MK_MH_HAS = 12,
};

/* Mobility option Type values (IANA) */
enum mk_mh_opt_type {
	MK_MHOPT_PAD1 = 0,
	MK_MHOPT_PADN = 1,
	MK_MHOPT_BRA = 2,
	MK_MHOPT_ALTCOA = 3,
	MK_MHOPT_NONCE = 4,
	MK_MHOPT_BAD = 5,
	MK_MHOPT_AUTH = 9,    /* RFC 4285 AUTH-OPTION-TYPE */
	MK_MHOPT_REPLAY = 10, /* RFC 4285 MESG-ID-OPTION-TYPE */
	MK_MHOPT_EXP = 18,    /* RFC 5096 */
};

/* How an option was (or is to be) interpreted. */
enum mk_mh_opt_kind {
	MK_MHO_UNKNOWN = 0, /* skipped; v.raw holds its data, type its Type */
	MK_MHO_PAD1,        /* only in MK_MH_BUILD_VERBATIM input */
	MK_MHO_PADN,        /* idem; v.raw.len zero octets (or v.raw.data) */
	MK_MHO_BRA,
	MK_MHO_ALTCOA,
	MK_MHO_NONCE,
	MK_MHO_BAD,
	MK_MHO_AUTH,
	MK_MHO_REPLAY,
	MK_MHO_EXP,
	MK_MHO_MHA,
	MK_MHO_BCI,         /* Binding Cache Information (HARP State Sync) */
	MK_MHO__COUNT
};

/* RFC 4285 authentication option subtypes */
#define MK_MH_AUTH_MNHA  1
#define MK_MH_AUTH_MNAAA 2

/* BU flags (IANA "Binding Update Flags") */
#define MK_BU_A 0x8000 /* Acknowledge, RFC 6275 */
#define MK_BU_H 0x4000 /* Home Registration, RFC 6275 */
#define MK_BU_L 0x2000 /* Link-Local Address Compatibility, RFC 6275 */
#define MK_BU_K 0x1000 /* Key Management Mobility Capability, RFC 6275 */
#define MK_BU_M 0x0800 /* MAP Registration, RFC 4140 / 5380 */
#define MK_BU_R 0x0400 /* Mobile Router, RFC 3963 */
#define MK_BU_P 0x0200 /* Proxy Registration, RFC 5213 */
#define MK_BU_F 0x0100 /* Forcing UDP encapsulation, RFC 5555 */
#define MK_BU_T 0x0080 /* TLV-header format, RFC 5845 */
#define MK_BU_B 0x0040 /* Bulk Binding Update, RFC 6602 */
#define MK_BU_S 0x0020 /* Mobility Service Subscription, RFC 7161 */
#define MK_BU_D 0x0010 /* Distributed mobility (DMM), RFC 8885 */

/* BA flags (IANA "Binding Acknowledgment Flags") */
#define MK_BA_K 0x80
#define MK_BA_R 0x40
#define MK_BA_P 0x20
#define MK_BA_T 0x10
#define MK_BA_B 0x08
#define MK_BA_S 0x04
#define MK_BA_D 0x02

/* BA status values (RFC 6275 6.1.8, RFC 4285 8); their names are
 * mk_mh_ba_status_name's table (mh.c), the one both come from */
#define MK_BA_ACCEPTED          0
#define MK_BA_ACCEPTED_PD       1
#define MK_BA_REJECT_MIN        128 /* status >= 128: rejected */
#define MK_BA_UNSPECIFIED       128
#define MK_BA_PROHIBITED        129
#define MK_BA_RESOURCES         130
#define MK_BA_HOMEREG_NOTSUP    131
#define MK_BA_NOT_HOME_SUBNET   132
#define MK_BA_NOT_HA_FOR_MN     133
#define MK_BA_DAD_FAILED        134
#define MK_BA_SEQ_OUT_OF_WIN    135
#define MK_BA_HOME_NONCE_EXP    136
#define MK_BA_CAREOF_NONCE_EXP  137
#define MK_BA_NONCES_EXP        138
#define MK_BA_REGTYPE_CHANGE    139
#define MK_BA_ID_MISMATCH       144 /* RFC 4285: MIPV6-ID-MISMATCH */
#define MK_BA_MESG_ID_REQD      145 /* MIPV6-MESG-ID-REQD */
#define MK_BA_AUTH_FAIL         146 /* MIPV6-AUTH-FAIL */
/* BE status */
#define MK_BE_UNKNOWN_HAO     1
#define MK_BE_UNKNOWN_TYPE    2

/* draft-ietf-mip6-hareliability-06 (see above): which message a parsed
 * (or to-be-built) MH is when its type is a codepoint */
enum mk_mh_msg {
	MK_MHM_STD = 0, /* the type says it (RFC types, or undecoded) */
	MK_MHM_HARP,    /* type == harp-mh-type */
	MK_MHM_SS,      /* type == harp-ss-mh-type */
};
/* HARP message Type */
#define MK_HARP_SWO_REQ  0
#define MK_HARP_SWO_REP  1
#define MK_HARP_SWB_REQ  2
#define MK_HARP_SWB_REP  3
#define MK_HARP_SW_COMP  4
#define MK_HARP_HELLO    4 /* the draft gives HA-HELLO the value of SW-COMP (4.3.2.1) */
/* HARP flags */
#define MK_HARP_A 0x80 /* the sender is the active home agent */
#define MK_HARP_R 0x40 /* a Hello is requested in reply */
#define MK_HARP_V 0x20 /* VHARP capable */
#define MK_HARP_M 0x10 /* VHARP mode */
/* HARP status */
#define MK_HARP_ST_SUCCESS      0
#define MK_HARP_ST_UNSPECIFIED  128
#define MK_HARP_ST_PROHIBITED   129
#define MK_HARP_ST_NOT_ACTIVE   130
#define MK_HARP_ST_NOT_STANDBY  131
#define MK_HARP_ST_NOT_SAME_SET 132
/* State Sync Type and flag */
#define MK_SS_REQ 0
#define MK_SS_REP 1
#define MK_SS_ACK 2
#define MK_SS_A   0x80 /* acknowledgement requested */
/* Binding Cache Information option lengths */
#define MK_MH_BCI_SHORT 16
#define MK_MH_BCI_FULL  40

struct mk_mh_opt {
	enum mk_mh_opt_kind kind;
	uint8_t type;  /* wire Type (parse); the Type to write for UNKNOWN */
	uint8_t len;   /* wire Len (parse); VERBATIM build: non-zero overrides */
	uint16_t off;  /* offset of the Type octet in the MH (parse) */
	union {
		uint16_t bra;           /* refresh interval, 4-second units */
		struct in6_addr altcoa;
		struct {
			uint16_t home, careof;
		} nonce;
		uint8_t bad[MK_MH_BAD_LEN];
		struct {
			uint8_t subtype;
			uint32_t spi;
			const uint8_t *data; /* authentication data */
			size_t len;
		} auth;
		uint64_t replay;        /* RFC 4285 timestamp */
		struct {
			const uint8_t *addrs; /* n x 16 octets */
			size_t n;
		} mha;
		struct {
			bool full;          /* Len 40; else Len 16: hoa only */
			uint16_t flags, seq, lifetime, reserved;
			struct in6_addr hoa, coa;
		} bci;
		struct {
			const uint8_t *data;
			size_t len;
		} raw;                  /* EXP, UNKNOWN, PADN */
	} v;
};

struct mk_mh {
	uint8_t proto;     /* Payload Proto; mk_mh_init sets 59 */
	uint8_t hlen;      /* Header Len (parse; computed by build) */
	uint8_t type;      /* MH Type */
	uint8_t msg;       /* enum mk_mh_msg: set by parse; MK_MHM_HARP or _SS to build one */
	uint8_t reserved;  /* octet 3 */
	uint16_t cksum;    /* as received (parse); build writes 0 */
	size_t len;        /* MH length in octets (parse) */
	union {
		struct {
			uint16_t reserved;
		} brr;
		struct {
			uint16_t reserved;
			uint8_t cookie[8];
		} testinit;        /* HoTI, CoTI */
		struct {
			uint16_t nonce_idx;
			uint8_t cookie[8];
			uint8_t token[8];
		} test;            /* HoT, CoT */
		struct {
			uint16_t seq, flags, lifetime;
		} bu;
		struct {
			uint8_t status, flags;
			uint16_t seq, lifetime;
		} ba;
		struct {
			uint8_t status, reserved;
			struct in6_addr hoa;
		} be;
		struct {
			uint8_t n, reserved;
			const uint8_t *addrs; /* n x 16 octets */
		} has;
		struct {
			uint8_t type, group;
			uint16_t seq;
			uint8_t flags, status;
			uint16_t pref, lifetime, hello;
		} harp;
		struct {
			uint8_t type, flags;
			uint16_t id;
		} ss;
		struct {
			const uint8_t *data;
			size_t len;
		} raw;             /* Experimental MH; any type mobkit does not decode */
	} u;
	size_t opts_off;   /* offset of the first option (parse) */
	size_t nopts;
	struct mk_mh_opt opts[MK_MH_MAX_OPTS];
	size_t pad_octets; /* Pad1/PadN octets seen (parse) */
};

/* ---- parse ---- */

#define MK_MH_PARSE_EXP_AS_MHA  0x1 /* type 18 is MHA when the MHA codepoint is 18 */
#define MK_MH_PARSE_MHA_IF_FLAG 0x2 /* ... only in a BU carrying the MHA flag */

/* Parse one MH occupying exactly buf[0..len).  cp NULL means defaults. */
struct mk_status mk_mh_parse(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
			     struct mk_mh *out);
struct mk_status mk_mh_parse_ex(const uint8_t *buf, size_t len, const struct mk_codepoints *cp,
				unsigned flags, struct mk_mh *out);

/* First option of a kind, or NULL. */
const struct mk_mh_opt *mk_mh_find_opt(const struct mk_mh *m, enum mk_mh_opt_kind kind);

/* Same message: proto, type, reserved, fixed fields, non-padding options
 * with their values and data (not offsets, lengths, padding, checksum). */
bool mk_mh_same(const struct mk_mh *a, const struct mk_mh *b);

/* ---- build ---- */

#define MK_MH_BUILD_VERBATIM 0x1

/* Zero *m, set proto 59 and type. */
void mk_mh_init(struct mk_mh *m, uint8_t type);
/* Zero *m, set proto 59, msg (MK_MHM_HARP or MK_MHM_SS) and its type from cp. */
void mk_mh_init_harp(struct mk_mh *m, const struct mk_codepoints *cp, enum mk_mh_msg msg);
struct mk_status mk_mh_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
			     const struct mk_mh *in, size_t *outlen);
struct mk_status mk_mh_build_ex(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
				unsigned flags, const struct mk_mh *in, size_t *outlen);

/* ---- checksum (pseudo-header with Next Header 135) ----
 * src/dst are the pseudo-header addresses: the caller substitutes the HAO
 * home address / RH2 final destination (mk_ip6_pseudo_addrs in ip6ext.h). */
struct mk_status mk_mh_cksum(uint8_t *buf, size_t len, const struct in6_addr *src,
			     const struct in6_addr *dst);
bool mk_mh_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		    const struct in6_addr *dst);
/* MK_E_OK, or MK_E_BAD_CKSUM at offset 4 (MK_E_TRUNC at 0 if len < 8). */
struct mk_status mk_mh_cksum_check(const uint8_t *buf, size_t len, const struct in6_addr *src,
				   const struct in6_addr *dst);

/* ---- sequence numbers and lifetimes (RFC 6275 9.5.1, 6.1.7) ----
 * seq is newer than last iff (seq - last) mod 2^16 is in 1..32767: with
 * last = 15, 0..15 and 32783..65535 are not newer, 16..32782 are. */
bool mk_mh_seq_newer(uint16_t seq, uint16_t last);

static inline uint32_t mk_mh_lifetime_sec(uint16_t units)
{
	return (uint32_t)units * 4u;
}

/* Seconds to 4-second units: 0 stays 0 (deletion), anything else is
 * rounded up (1..4 s -> 1) and capped at 0xffff (262140 s). */
uint16_t mk_mh_lifetime_units(uint32_t sec);

/* ---- names (NULL when the value is unassigned / unknown) ---- */

const char *mk_mh_type_name(uint8_t type);          /* IANA MH types 0..23 */
const char *mk_mh_type_abbrev(uint8_t type);        /* "BU", "HoTI", ... or NULL */
const char *mk_mh_opt_name(uint8_t type);           /* IANA option types 0..70 */
const char *mk_mh_opt_kind_name(enum mk_mh_opt_kind kind);
const char *mk_mh_ba_status_name(uint8_t status);   /* 0..6, 128..180 */
const char *mk_mh_be_status_name(uint8_t status);   /* 1, 2 */
const char *mk_mh_auth_subtype_name(uint8_t subtype);
/* One flag bit: "A" .. "D", "MHA", or "M(mha)" where the MHA flag is M. */
const char *mk_mh_bu_flag_name(uint16_t bit, const struct mk_codepoints *cp);
const char *mk_mh_bu_flag_desc(uint16_t bit, const struct mk_codepoints *cp);
const char *mk_mh_ba_flag_name(uint8_t bit);
/* Comma-separated flag names, most significant first: "A,H,K,MHA",
 * "A,H,M(mha)", unassigned bits as "0x0004"; "none" for 0.  Always
 * NUL-terminated (truncated to cap); returns buf. */
char *mk_mh_bu_flags_str(uint16_t flags, const struct mk_codepoints *cp, char *buf, size_t cap);
char *mk_mh_ba_flags_str(uint8_t flags, char *buf, size_t cap);

#endif
