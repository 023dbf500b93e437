/* lib/wire/icmp6.h: the ICMPv6 codec for the messages mobility signalling
 * meets: Mobile IPv6's four (DHAAD Request/Reply, Mobile Prefix
 * Solicitation/Advertisement), the Router Advertisement with its Mobile
 * IPv6 options, the error messages probes get back, Echo, and the
 * multiple-home-agent paper's Home Agent Unreachable.
 *
 * Every message starts with the same 4 octets (RFC 4443 section 2.1):
 *
 *   0      Type      1  Code      2-3  Checksum
 *
 * Layouts (offsets from the start of the ICMPv6 message):
 *
 *   1   Destination Unreachable (RFC 4443 3.1)  4 Unused32, 8 invoking packet
 *   2   Packet Too Big          (RFC 4443 3.2)  4 MTU32,    8 invoking packet
 *   3   Time Exceeded           (RFC 4443 3.3)  4 Unused32, 8 invoking packet
 *   4   Parameter Problem       (RFC 4443 3.4)  4 Pointer32, 8 invoking packet
 *         codes: 0 erroneous header field, 1 unrecognised Next Header,
 *         2 unrecognised IPv6 option (name table has the later ones too)
 *   128/129 Echo Request/Reply  (RFC 4443 4.1)  4 Identifier16, 6 Seq16, 8 data
 *   134 Router Advertisement    (RFC 4861 4.2, RFC 6275 7.1)
 *         4 CurHopLimit8, 5 Flags8 (M 0x80, O 0x40, H 0x20 home agent,
 *         Prf 0x18 RFC 4191, P 0x04 RFC 4389), 6 RouterLifetime16 (s),
 *         8 ReachableTime32 (ms), 12 RetransTimer32 (ms), 16 ND options
 *   144 DHAAD Request           (RFC 6275 6.5)  4 Identifier16, 6 Reserved16
 *         (0x8000 of Reserved is NEMO's R "mobile router support", RFC 3963 7.1)
 *   145 DHAAD Reply             (RFC 6275 6.6)  4 Identifier16, 6 Reserved16
 *         (R 0x8000 as above), 8 N x 128-bit home agent addresses; N follows
 *         from the message length, which must be 8 + 16N
 *   146 Mobile Prefix Solicitation  (6275 6.7)  4 Identifier16, 6 Reserved16,
 *         8 ND options (none defined; unknown ones are skipped)
 *   147 Mobile Prefix Advertisement (6275 6.8)  4 Identifier16, 6 Flags16
 *         (M 0x8000, O 0x4000, the rest reserved), 8 ND options (one or
 *         more Prefix Information options with the R bit, RFC 6275 7.2)
 *
 * Home Agent Unreachable (multiple-home-agent paper, seed 003, Fig. 9).
 *   Its type is the codepoint MK_CP_ICMP6_HA_UNREACH: 201 (private
 *   experimentation, RFC 4443) under the default profile, 154 under the
 *   paper profile.  IANA gave 154 to FMIPv6 (RFC 5568), so under the
 *   default profile 154 is decoded as an opaque FMIPv6 message and named
 *   so; whichever type is in force parses as Home Agent Unreachable, even
 *   154.  The paper states the message's purpose (a home agent tells the
 *   others which home agents it found unreachable) and says the message
 *   follows the DHAAD message shape, but the figure with its layout was
 *   lost.  mobkit therefore DEFINES the layout as the DHAAD Reply's:
 *
 *     0 Type (codepoint)  1 Code = 0  2 Checksum
 *     4 Identifier16      6 Reserved16 (must be zero, ignored on receipt)
 *     8 N >= 1 unreachable home agents' 128-bit addresses (length 8 + 16N)
 *
 *   A message listing no address says nothing and is rejected
 *   (MK_E_ICMP6_HAU_EMPTY).
 *
 * ND options (RFC 4861 4.6): Type8, Length8 in units of 8 octets counting
 * Type and Length; Length 0 and an option running past the message are
 * errors; unknown options are skipped by receivers and listed here with
 * their raw contents.  Decoded options (their Length must be the one
 * shown, else MK_E_ICMP6_NDOPT_BADLEN):
 *   1/2 Source/Target Link-layer Address (any Length >= 1; raw octets)
 *   3   Prefix Information, Len 4: 2 PrefixLen8 (<= 128), 3 Flags8 (L 0x80,
 *       A 0x40, R 0x20 router address RFC 6275 7.2, low bits Reserved1),
 *       4 ValidLifetime32, 8 PreferredLifetime32, 12 Reserved2_32, 16 Prefix
 *   5   MTU, Len 1: 2 Reserved16, 4 MTU32
 *   7   Advertisement Interval (RFC 6275 7.3), Len 1: 2 Reserved16,
 *       4 Interval32 in milliseconds
 *   8   Home Agent Information (RFC 6275 7.4), Len 1: 2 Reserved16 (NEMO R
 *       0x8000, RFC 3963), 4 Preference16, 6 Lifetime16 in SECONDS.
 *       Preference is a 16-bit UNSIGNED integer in RFC 6275 (RFC 3775 said
 *       signed two's complement; Wireshark still prints it signed); mobkit
 *       keeps the raw uint16_t.  In a Router Advertisement, lifetime 0
 *       (MK_E_ICMP6_HAI_LIFETIME0) and the option without the H bit
 *       (MK_E_ICMP6_HAI_NO_H) are errors.  Other ND messages must ignore
 *       the option, so only its Length is checked there.
 *
 * Validation choices.  Errors (parse fails, offset = first rejected octet):
 * truncation (MK_E_TRUNC), Code != 0 where the RFC says the Code is 0 and
 * gives no "ignored on receipt" (Echo, RA, DHAAD, MPS, MPA, HA Unreachable:
 * MK_E_ICMP6_CODE), octets after a DHAAD Request (MK_E_TRAILING), address
 * list not a multiple of 16 octets, the ND option errors above, more than
 * MK_ICMP6_MAX_ADDRS addresses or MK_ICMP6_MAX_NDOPTS options
 * (MK_E_TOO_MANY).  Fields the RFCs say a sender MUST set but a receiver
 * MUST ignore (Reserved fields, the Packet Too Big Code) and SHOULD-level
 * sender rules do not fail the parse: they set bits in `warn` with the
 * offset of the first offending octet, and mk_icmp6_strict() turns the
 * first of them into an error a conformance verdict can print.  RA flag
 * bits and Prefix Information Reserved1 bits are not judged: later RFCs
 * keep assigning them.  In Destination Unreachable and Time Exceeded only
 * octets 5-7 of Unused are judged: RFC 4884 puts a length in octet 4.
 * The R flags of DHAAD (0x8000) and HAI (0x8000) are not reserved bits.
 * Unknown ND options are listed, not warned about: skipping them is what
 * the RFCs ask.  Code names are given for any code of an error message;
 * unknown codes are accepted there (the Code is the error's subtype).
 *
 * Parsing is lossless: every field, reserved ones included, is kept, so
 * mk_icmp6_build(mk_icmp6_parse(m)) gives back m with a zero checksum.
 * Variable-length data (invoking packet, echo data, option contents, raw
 * bodies) point into the parsed buffer.
 *
 * Checksum: the builder leaves it 0.  mk_icmp6_cksum() computes it over the
 * IPv6 pseudo-header with Next Header 58 (RFC 4443 2.3, RFC 8200 8.1);
 * which addresses to pass (the HAO home address as source, the RH2 home
 * address as destination) is the caller's choice.
 */
#ifndef MK_WIRE_ICMP6_H
#define MK_WIRE_ICMP6_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "codepoints.h"
#include "err.h"

#define MK_ICMP6_NH 58 /* IPv6 Next Header value of ICMPv6 */

/* ICMPv6 types (IANA "ICMPv6 Parameters"). */
enum {
	MK_ICMP6_DST_UNREACH = 1,     /* RFC 4443 */
	MK_ICMP6_PKT_TOO_BIG = 2,     /* RFC 4443 */
	MK_ICMP6_TIME_EXCEEDED = 3,   /* RFC 4443 */
	MK_ICMP6_PARAM_PROB = 4,      /* RFC 4443 */
	MK_ICMP6_ECHO_REQUEST = 128,  /* RFC 4443 */
	MK_ICMP6_ECHO_REPLY = 129,    /* RFC 4443 */
	MK_ICMP6_ROUTER_SOL = 133,    /* RFC 4861 */
	MK_ICMP6_ROUTER_ADV = 134,    /* RFC 4861 */
	MK_ICMP6_DHAAD_REQUEST = 144, /* RFC 6275 */
	MK_ICMP6_DHAAD_REPLY = 145,   /* RFC 6275 */
	MK_ICMP6_MPS = 146,           /* RFC 6275 */
	MK_ICMP6_MPA = 147,           /* RFC 6275 */
	MK_ICMP6_EXP_MOBILITY = 150,  /* RFC 4065 */
	MK_ICMP6_FMIPV6 = 154,        /* RFC 5568 */
};

/* Parameter Problem codes (RFC 4443 3.4). */
enum {
	MK_ICMP6_PP_HEADER = 0,     /* erroneous header field encountered */
	MK_ICMP6_PP_NEXTHEADER = 1, /* unrecognized Next Header type */
	MK_ICMP6_PP_OPTION = 2,     /* unrecognized IPv6 option */
};

/* ND option types (IANA "IPv6 Neighbor Discovery Option Formats"). */
enum {
	MK_ND_OPT_SLLA = 1,   /* RFC 4861 */
	MK_ND_OPT_TLLA = 2,   /* RFC 4861 */
	MK_ND_OPT_PREFIX = 3, /* RFC 4861, R bit RFC 6275 */
	MK_ND_OPT_MTU = 5,    /* RFC 4861 */
	MK_ND_OPT_ADVINT = 7, /* RFC 6275 */
	MK_ND_OPT_HAINFO = 8, /* RFC 6275 */
};

/* Flags. */
#define MK_ICMP6_RA_M 0x80         /* managed address configuration */
#define MK_ICMP6_RA_O 0x40         /* other configuration */
#define MK_ICMP6_RA_H 0x20         /* home agent (RFC 6275 7.1) */
#define MK_ICMP6_RA_PRF 0x18       /* default router preference (RFC 4191) */
#define MK_ICMP6_RA_P 0x04         /* ND proxy (RFC 4389) */
#define MK_ICMP6_DHAAD_R 0x8000    /* NEMO mobile router support (RFC 3963) */
#define MK_ICMP6_MPA_M 0x8000      /* RFC 6275 6.8 */
#define MK_ICMP6_MPA_O 0x4000      /* RFC 6275 6.8 */
#define MK_ND_PI_L 0x80            /* on-link */
#define MK_ND_PI_A 0x40            /* autonomous address configuration */
#define MK_ND_PI_R 0x20            /* router address (RFC 6275 7.2) */
#define MK_ND_HAI_R 0x8000         /* NEMO mobile router support (RFC 3963) */

#define MK_ICMP6_MAX_ADDRS 64  /* home agent addresses kept per message */
#define MK_ICMP6_MAX_NDOPTS 64 /* ND options kept per message */
/* RFC 4443 2.4(c): an error message must not make the packet exceed the
 * IPv6 minimum MTU; with no extension headers that leaves this much room
 * for the invoking packet.  The builder does not truncate: callers do. */
#define MK_ICMP6_ERR_INVOKING_MAX (1280 - 40 - 8)

/* Which decoder handled the message. */
enum mk_icmp6_kind {
	MK_ICMP6_K_OTHER = 0,    /* not decoded: type, code and raw body */
	MK_ICMP6_K_DST_UNREACH,  /* u.err, word = Unused */
	MK_ICMP6_K_PKT_TOO_BIG,  /* u.err, word = MTU */
	MK_ICMP6_K_TIME_EXCEEDED, /* u.err, word = Unused */
	MK_ICMP6_K_PARAM_PROB,   /* u.err, word = Pointer */
	MK_ICMP6_K_ECHO_REQUEST, /* u.echo */
	MK_ICMP6_K_ECHO_REPLY,   /* u.echo */
	MK_ICMP6_K_RA,           /* u.ra, opts */
	MK_ICMP6_K_DHAAD_REQUEST, /* u.ident */
	MK_ICMP6_K_DHAAD_REPLY,  /* u.ident, addrs */
	MK_ICMP6_K_MPS,          /* u.ident, opts */
	MK_ICMP6_K_MPA,          /* u.ident (reserved = Flags16), opts */
	MK_ICMP6_K_HA_UNREACH,   /* u.ident, addrs */
	MK_ICMP6_K__COUNT
};

/* Warnings: sender rules a receiver does not enforce (see the top). */
enum mk_icmp6_warn {
	MK_ICMP6_W_RESERVED,      /* a message Reserved/Unused field is not 0 */
	MK_ICMP6_W_OPT_RESERVED,  /* an ND option Reserved field is not 0 */
	MK_ICMP6_W_CODE,          /* Code not 0 where the receiver ignores it */
	MK_ICMP6_W_PREFERRED_GT_VALID, /* PIO ignored (RFC 4862 5.5.3 c) */
	MK_ICMP6_W_MPA_NO_PREFIX, /* MPA without a Prefix Information option */
	MK_ICMP6_W_HA_NO_ROUTER_ADDR, /* RA with H set, no PIO with R (6275 7.2 MUST) */
	MK_ICMP6_W_HAI_DEFAULTS,  /* HAI with only defaults (6275 7.4 SHOULD NOT) */
	MK_ICMP6_W__COUNT
};

struct mk_nd_prefix {
	uint8_t prefix_len;
	uint8_t flags;      /* L A R + Reserved1, the whole octet */
	uint32_t valid;     /* seconds, 0xffffffff = infinity */
	uint32_t preferred;
	uint32_t reserved2;
	struct in6_addr prefix;
};

struct mk_nd_opt {
	uint8_t type;
	uint8_t len;           /* Length octet, in units of 8 octets (parse) */
	size_t off;            /* offset of the Type octet in the message (parse) */
	/* The octets after Type and Length.  Parse: always set (len*8-2
	 * octets).  Build: the contents of any type not decoded below; padded
	 * with zeros to a multiple of 8 octets. */
	const uint8_t *data;
	size_t data_len;
	union {
		struct mk_nd_prefix pi;                           /* 3 */
		struct { uint16_t reserved; uint32_t mtu; } mtu;  /* 5 */
		struct { uint16_t reserved; uint32_t interval_ms; } advint; /* 7 */
		struct { uint16_t reserved; uint16_t pref; uint16_t lifetime; } hai; /* 8 */
	} u;
};

struct mk_icmp6 {
	enum mk_icmp6_kind kind;
	uint8_t type;    /* parse: as received; build: only read for K_OTHER */
	uint8_t code;
	uint16_t cksum;  /* parse: as received; build: ignored (written as 0) */
	union {
		/* DU, PTB, TE, PP: the 32-bit word and the invoking packet */
		struct { uint32_t word; const uint8_t *invoking; size_t invoking_len; } err;
		struct { uint16_t id; uint16_t seq; const uint8_t *data; size_t data_len; } echo;
		struct {
			uint8_t cur_hop_limit;
			uint8_t flags;
			uint16_t router_lifetime;
			uint32_t reachable_ms;
			uint32_t retrans_ms;
		} ra;
		/* DHAAD Request/Reply, MPS, MPA, HA Unreachable */
		struct { uint16_t id; uint16_t reserved; } ident;
		struct { const uint8_t *body; size_t body_len; } other; /* from offset 4 */
	} u;
	size_t n_addrs;                       /* DHAAD Reply, HA Unreachable */
	struct in6_addr addrs[MK_ICMP6_MAX_ADDRS];
	size_t n_opts;                        /* RA, MPS, MPA */
	struct mk_nd_opt opts[MK_ICMP6_MAX_NDOPTS];
	uint32_t warn;                        /* bit (1u << MK_ICMP6_W_x) */
	size_t warn_off[MK_ICMP6_W__COUNT];   /* first offending octet of each */
};

/* Parse one ICMPv6 message (buf = the ICMPv6 header, len = up to the end
 * of the IPv6 payload).  cp NULL = default profile.  The checksum is not
 * verified here (no addresses): use mk_icmp6_cksum_ok. */
struct mk_status mk_icmp6_parse(const uint8_t *buf, size_t len,
				const struct mk_codepoints *cp, struct mk_icmp6 *out);
/* Build from in->kind (and in->type for MK_ICMP6_K_OTHER), checksum 0.
 * Validates what the parser validates: a built message always parses. */
struct mk_status mk_icmp6_build(uint8_t *buf, size_t cap, const struct mk_codepoints *cp,
				const struct mk_icmp6 *in, size_t *outlen);
/* The first warning (lowest offset) as an error (MK_E_ICMP6_W_*); OK if
 * none.  For conformance verdicts that judge sender MUSTs. */
struct mk_status mk_icmp6_strict(const struct mk_icmp6 *m);
/* The error code a warning turns into under mk_icmp6_strict. */
enum mk_err mk_icmp6_warn_err(enum mk_icmp6_warn w);

/* Checksum over the pseudo-header (src, dst, length, 58) and the message,
 * taking octets 2-3 as zero whatever they hold: the value to store. */
uint16_t mk_icmp6_cksum(const uint8_t *buf, size_t len, const struct in6_addr *src,
			const struct in6_addr *dst);
/* Store that checksum at offset 2 (MK_E_TRUNC if len < 4). */
struct mk_status mk_icmp6_cksum_fill(uint8_t *buf, size_t len, const struct in6_addr *src,
				     const struct in6_addr *dst);
/* True if the message as received verifies. */
bool mk_icmp6_cksum_ok(const uint8_t *buf, size_t len, const struct in6_addr *src,
		       const struct in6_addr *dst);

/* The kind that type `type` parses as under cp. */
enum mk_icmp6_kind mk_icmp6_kind_of(const struct mk_codepoints *cp, uint8_t type);
/* The type a kind is built with under cp (-1 for K_OTHER or bad kind). */
int mk_icmp6_type_of(const struct mk_codepoints *cp, enum mk_icmp6_kind kind);

/* ---- name tables (NULL when the value has no name) ---- */
/* IANA name of an ICMPv6 type: 154 is "FMIPv6 Messages". */
const char *mk_icmp6_iana_type_name(uint8_t type);
/* Name under the codepoints in force: the HA Unreachable type says
 * "Home Agent Unreachable", anything else its IANA name. */
const char *mk_icmp6_type_name(const struct mk_codepoints *cp, uint8_t type);
/* Code names of Destination Unreachable, Time Exceeded, Parameter Problem. */
const char *mk_icmp6_code_name(uint8_t type, uint8_t code);
const char *mk_icmp6_kind_name(enum mk_icmp6_kind kind);
const char *mk_nd_opt_name(uint8_t type);
/* One flag bit (mask) of each flags field. */
const char *mk_icmp6_ra_flag_name(uint8_t mask);
const char *mk_icmp6_mpa_flag_name(uint16_t mask);
const char *mk_icmp6_dhaad_flag_name(uint16_t mask);
const char *mk_nd_pi_flag_name(uint8_t mask);
const char *mk_nd_hai_flag_name(uint16_t mask);
const char *mk_icmp6_warn_name(enum mk_icmp6_warn w);

#endif
