/* lib/wire/ip6ext.h: the IPv6 header, its extension-header chain and the
 * Mobile IPv6 pieces that live in it (type 2 routing header, Home Address
 * destination option), IPv6-in-IPv6, and upper-layer checksums over the
 * pseudo-header with the Mobile IPv6 address rules.
 *
 * Offsets in every struct and every error are octets from the start of the
 * buffer the caller passed: for the chain walker that is the start of the
 * IPv6 header, for the single-header parsers the start of that header.
 *
 * IPv6 header (RFC 8200 section 3), 40 octets:
 *   0  Version(4)=6 | Traffic Class(8) | Flow Label(20)
 *   4  Payload Length(16)   6 Next Header(8)   7 Hop Limit(8)
 *   8  Source(128)          24 Destination(128)
 * The parser requires version 6 and 40 + Payload Length <= len; octets past
 * 40 + Payload Length are link padding (an Ethernet minimum frame): they are
 * accepted and the chain walker reports where the payload ends (c->end).
 * Jumbograms (RFC 2675: Payload Length 0 + Jumbo option) are not supported.
 *
 * Extension headers the walker steps over (RFC 8200 section 4):
 *   0 Hop-by-Hop, 60 Destination Options: NH, HdrExtLen, TLV options;
 *     length (HdrExtLen + 1) * 8.  Hop-by-Hop only directly after the IPv6
 *     header, else MK_E_IP6_HBH_NOT_FIRST at the Next Header octet that
 *     names it (where ICMPv6 Parameter Problem code 1 would point).
 *   43 Routing: NH, HdrExtLen, Type, SegmentsLeft, data; type 2 is decoded.
 *   44 Fragment: NH, Reserved8, FragOffset(13)|Res(2)|M(1), Identification32.
 *     A non-first fragment (offset != 0) ends the walk: no upper layer
 *     (c->ulp = 59, c->flags MK_IP6C_FRAG_TAIL, the data is the fragment).
 * It stops at:
 *   50 ESP, 51 AH: "stopped at ESP/AH, opaque" (c->flags MK_IP6C_OPAQUE,
 *     c->ulp = 50/51, the rest of the payload is the opaque part);
 *   59 No Next Header; 135 Mobility Header (terminal: the upper layer here,
 *     although IANA lists it as an extension header); 58, 6, 17, 41 and
 *     every other number (139 HIP, 140 Shim6, 253/254 are treated as upper
 *     layers too).
 * At most MK_IP6_MAX_EXT (16) extension headers: the 17th gives
 * MK_E_IP6_CHAIN_LONG at its offset.  A header whose HdrExtLen runs past
 * the payload gives MK_E_IP6_EXT_OVERRUN at its HdrExtLen octet; a payload
 * that ends inside the fixed part of a header gives MK_E_TRUNC.
 *
 * TLV options (RFC 8200 section 4.2): Type8, Len8, Data.  Pad1 (0) is one
 * octet, PadN (1) carries Len zero octets.  Receiver checks, as Linux
 * ip6_parse_tlv() does them: an option whose length runs past the header
 * (MK_E_IP6_OPT_OVERRUN at its length octet, or at its type octet if even
 * that is missing); a run of padding longer than 7 octets
 * (MK_E_IP6_PAD_RUN at the pad option that makes it 8); PadN data not
 * zero (MK_E_IP6_PADN_NONZERO at the first non-zero octet).  The top two
 * bits of an option type are the action for a node that does not know it
 * (mk_ip6_opt_action), bit 0x20 says the data may change en route.
 *
 * Home Address option (RFC 6275 section 6.3), only in Destination Options:
 *   Type 0xC9, Len 16, Home Address(128); alignment 8n+6 (the type octet
 *   sits at 6, 14, 22... from the start of the header); at most once per
 *   IPv6 header; a unicast routable address.  Errors: MK_E_HAO_DUP (type
 *   octet of the second), MK_E_HAO_ALIGN (type octet), MK_E_HAO_LEN
 *   (length octet), MK_E_HAO_HOA (first address octet) for a multicast or
 *   unspecified address.  Canonical 24-octet header we build:
 *     NH, 2, 0x01 0x02 0x00 0x00 (PadN, 2 zero octets), 0xC9, 0x10, HoA[16]
 *
 * Type 2 routing header (RFC 6275 section 6.4), 24 octets:
 *   NH, HdrExtLen=2, Type=2, SegmentsLeft=1, Reserved32, Home Address(128)
 * A receiver checks HdrExtLen (MK_E_RH2_HDRLEN at 1), Segments Left 0 or 1
 * (MK_E_RH2_SEGLEFT at 3: 1 as sent, 0 once processed) and a unicast home
 * address (MK_E_RH2_HOA at 8).  The RFC says the Reserved field "MUST be
 * ignored by the receiver": mk_rh2_parse() reports it, mk_rh2_parse_strict()
 * (the sender's rules, for conformance verdicts) also requires Segments
 * Left 1 and Reserved 0 (MK_E_RH2_RESERVED at its first non-zero octet).
 *
 * Order (RFC 8200 section 4.1; RFC 6275 section 6.3 for the HAO):
 *   IPv6, Hop-by-Hop, DestOpt (for the RH), Routing (RH2 after any other
 *   RH), DestOpt carrying the HAO, Fragment, AH, ESP, DestOpt (final), ULP
 * The walker records what it sees (c->hao_pos says whether the HAO's header
 * came before or after a routing header); mk_ip6_chain_strict() judges it.
 *
 * Upper-layer checksums (RFC 8200 section 8.1, RFC 6275 sections 6.1.1 and
 * 6.3): the pseudo-header source is the Home Address option's address if
 * the packet has one, else the IPv6 source; the destination is the final
 * destination: the home address inside an RH2 whose Segments Left is 1 (the
 * packet as sent), else (no RH2, or Segments Left 0: already processed and
 * swapped) the IPv6 destination.  Other routing types are not looked into.
 * The checksum covers the whole rest of the IPv6 payload from the upper
 * layer on (c->ulp_len), with its length in the pseudo-header.  Checksum
 * field offsets: MH 4, ICMPv6 2, TCP 16, UDP 6.  A UDP checksum that
 * computes to 0 is sent as 0xffff and a received 0 is rejected.
 */
#ifndef MK_WIRE_IP6EXT_H
#define MK_WIRE_IP6EXT_H

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define MK_IP6_HLEN 40        /* fixed IPv6 header */
#define MK_IP6_MAX_PLEN 65535 /* largest Payload Length (no jumbograms) */
#define MK_IP6_MAX_EXT 16     /* extension headers the walker accepts */
#define MK_IP6_MAX_OPTS 16    /* non-pad options recorded per option header */
#define MK_IP6_FRAG_LEN 8     /* Fragment header */
#define MK_RH2_LEN 24         /* type 2 routing header */
#define MK_HAO_HDR_LEN 24     /* canonical Destination Options header with a HAO */
#define MK_IP6_PAD_RUN_MAX 7  /* longest padding run Linux accepts */

/* Next Header / protocol numbers (IANA "Assigned Internet Protocol Numbers") */
enum {
	MK_NH_HOPOPTS = 0,
	MK_NH_TCP = 6,
	MK_NH_UDP = 17,
	MK_NH_IPV6 = 41,
	MK_NH_ROUTING = 43,
	MK_NH_FRAGMENT = 44,
	MK_NH_ESP = 50,
	MK_NH_AH = 51,
	MK_NH_ICMPV6 = 58,
	MK_NH_NONE = 59,
	MK_NH_DSTOPTS = 60,
	MK_NH_MH = 135,
};

/* Option types (IANA "Destination Options and Hop-by-Hop Options") */
enum {
	MK_IP6OPT_PAD1 = 0x00,
	MK_IP6OPT_PADN = 0x01,
	MK_IP6OPT_HAO = 0xc9,
};

/* Routing types (IANA "Routing Types") */
enum {
	MK_RH_TYPE2 = 2,
};

/* ---- IPv6 header ---- */

struct mk_ip6 {
	uint8_t tclass;
	uint32_t flow;    /* 20 bits */
	uint16_t plen;
	uint8_t nh;
	uint8_t hlim;
	struct in6_addr src, dst;
};

/* Errors: MK_E_TRUNC (at the first field that does not fit),
 * MK_E_IP6_VERSION (0), MK_E_IP6_PLEN (4: payload runs past len). */
struct mk_status mk_ip6_parse(const uint8_t *buf, size_t len, struct mk_ip6 *out);
/* Writes the 40 octets as given (plen and nh included).  MK_E_RANGE (1)
 * if the flow label does not fit in 20 bits. */
struct mk_status mk_ip6_build(uint8_t *buf, size_t cap, const struct mk_ip6 *in, size_t *outlen);

/* Where the payload ends: octets at and past it are link padding. */
static inline size_t mk_ip6_end(const struct mk_ip6 *h)
{
	return MK_IP6_HLEN + (size_t)h->plen;
}

/* ---- Hop-by-Hop and Destination Options headers ---- */

struct mk_ip6_opt {
	uint8_t type;
	uint8_t len;      /* data octets */
	size_t off;       /* offset of the type octet; data at off + 2 */
};

struct mk_ip6_opthdr {
	uint8_t nh;
	size_t len;       /* (HdrExtLen + 1) * 8 */
	unsigned nopts;   /* non-pad options in the header */
	struct mk_ip6_opt opt[MK_IP6_MAX_OPTS]; /* the first MK_IP6_MAX_OPTS of them */
	size_t hao_off;   /* offset of the HAO type octet; 0: no HAO */
	struct in6_addr hoa;
};

/* Action for a node that does not recognise the option (RFC 8200 4.2). */
enum mk_ip6_opt_action {
	MK_OPT_SKIP = 0,          /* 00 skip over it */
	MK_OPT_DISCARD = 1,       /* 01 discard silently */
	MK_OPT_DISCARD_ICMP = 2,  /* 10 discard, Parameter Problem code 2 */
	MK_OPT_DISCARD_ICMP_UC = 3, /* 11 the same unless the destination is multicast */
};

static inline enum mk_ip6_opt_action mk_ip6_opt_action(uint8_t type)
{
	return (enum mk_ip6_opt_action)(type >> 6);
}

/* True if the option data may change en route (bit 0x20). */
static inline bool mk_ip6_opt_may_change(uint8_t type)
{
	return (type & 0x20) != 0;
}

/* Destination Options (60): TLV walk with the Home Address option rules. */
struct mk_status mk_ip6_dstopt_parse(const uint8_t *buf, size_t len, struct mk_ip6_opthdr *out);
/* Hop-by-Hop Options (0): the same walk; 0xC9 is just an unknown option. */
struct mk_status mk_ip6_hbh_parse(const uint8_t *buf, size_t len, struct mk_ip6_opthdr *out);

/* ---- Home Address option ---- */

struct mk_hao {
	uint8_t nh;               /* Next Header of the Destination Options header */
	struct in6_addr hoa;
};

/* The canonical 24-octet Destination Options header above.  MK_E_HAO_HOA
 * (8) for a multicast or unspecified home address. */
struct mk_status mk_hao_build(uint8_t *buf, size_t cap, const struct mk_hao *in, size_t *outlen);
/* A Destination Options header (any valid layout) that carries a HAO;
 * MK_E_HAO_MISSING (0) if it does not. */
struct mk_status mk_hao_parse(const uint8_t *buf, size_t len, struct mk_hao *out);

/* ---- type 2 routing header ---- */

struct mk_rh2 {
	uint8_t nh;
	uint8_t segleft;          /* 1 as sent, 0 once processed */
	uint32_t reserved;        /* 0 as sent; a receiver ignores it */
	struct in6_addr hoa;
};

/* Receiver's rules: HdrExtLen 2, Type 2, Segments Left 0 or 1, unicast HoA. */
struct mk_status mk_rh2_parse(const uint8_t *buf, size_t len, struct mk_rh2 *out);
/* Sender's rules: also Segments Left 1 and Reserved 0. */
struct mk_status mk_rh2_parse_strict(const uint8_t *buf, size_t len, struct mk_rh2 *out);
/* Segments Left must be 0 or 1 (MK_E_RH2_SEGLEFT, 3), the HoA unicast
 * (MK_E_RH2_HOA, 8).  Reserved is written as given: non-zero only for
 * probes that test that a receiver ignores it. */
struct mk_status mk_rh2_build(uint8_t *buf, size_t cap, const struct mk_rh2 *in, size_t *outlen);

/* ---- Fragment header ---- */

struct mk_ip6_frag {
	uint8_t nh;
	uint16_t off;             /* fragment offset, 8-octet units (13 bits) */
	bool more;                /* M flag */
	uint32_t id;
};

/* Reserved fields are ignored (RFC 8200 4.5). */
struct mk_status mk_ip6_frag_parse(const uint8_t *buf, size_t len, struct mk_ip6_frag *out);
/* MK_E_RANGE (2) if off does not fit in 13 bits. */
struct mk_status mk_ip6_frag_build(uint8_t *buf, size_t cap, const struct mk_ip6_frag *in,
				   size_t *outlen);

/* ---- the chain walker ---- */

struct mk_ip6_ext {
	uint8_t type;             /* 0, 43, 44 or 60 */
	uint8_t nh;               /* its Next Header field */
	size_t off;               /* offset of the header */
	size_t len;               /* its length in octets */
};

enum mk_hao_pos {
	MK_HAO_NONE = 0,          /* no Home Address option */
	MK_HAO_NO_RH,             /* HAO, no routing header in the packet */
	MK_HAO_AFTER_RH,          /* HAO in a DestOpt after the routing header (RFC 6275) */
	MK_HAO_BEFORE_RH,         /* HAO in a DestOpt before a routing header (misplaced) */
};

#define MK_IP6C_OPAQUE 0x1    /* stopped at ESP/AH: the rest is opaque */
#define MK_IP6C_FRAG_TAIL 0x2 /* non-first fragment: no upper layer */
#define MK_IP6C_FRAG_HEAD 0x4 /* first fragment of several: upper layer incomplete */

struct mk_ip6_chain {
	size_t end;               /* 40 + Payload Length: octets past it are padding */
	unsigned n;               /* extension headers in ext[] */
	struct mk_ip6_ext ext[MK_IP6_MAX_EXT];
	unsigned flags;           /* MK_IP6C_* */

	uint8_t ulp;              /* 58, 6, 17, 135, 41, 59 none, 50/51 opaque, other */
	size_t ulp_off;           /* where it starts */
	size_t ulp_len;           /* end - ulp_off */
	size_t ulp_nh_off;        /* the Next Header octet naming it (6: no ext header) */

	int rh;                   /* ext[] index of the first routing header, -1: none */
	int rh2;                  /* ext[] index of the type 2 routing header, -1: none */
	uint8_t rh2_segleft;
	size_t rh2_hoa_off;       /* offset of the RH2's home address */

	int hao;                  /* ext[] index of the DestOpt holding the HAO, -1: none */
	size_t hao_off;           /* offset of the HAO type octet */
	enum mk_hao_pos hao_pos;

	int frag;                 /* ext[] index of the Fragment header, -1: none */
	uint16_t frag_off;        /* 8-octet units */
	bool frag_more;
	uint32_t frag_id;
};

/* Parse the IPv6 header and walk its chain (see the top of this file).
 * Per header: the option rules, RH2 with mk_rh2_parse() (a second RH2 is
 * MK_E_RH2_DUP), a second HAO anywhere in the chain is MK_E_HAO_DUP.  On
 * error h and c hold what was read before it. */
struct mk_status mk_ip6_chain_parse(const uint8_t *pkt, size_t len, struct mk_ip6 *h,
				    struct mk_ip6_chain *c);

/* A strict verdict on a parsed chain, for conformance checks: the RH2 as a
 * sender builds it (Segments Left 1, Reserved 0), the HAO after any routing
 * header and before a Fragment header (MK_E_HAO_ORDER at its type octet),
 * and the RFC 8200 order with no repetition except a routing header
 * followed by an RH2 (MK_E_IP6_EXT_ORDER at the offending header). */
struct mk_status mk_ip6_chain_strict(const uint8_t *pkt, const struct mk_ip6_chain *c);

/* ---- checksums ---- */

/* Offset of the checksum field inside the upper layer: MH 4, ICMPv6 2,
 * TCP 16, UDP 6; -1 for anything else. */
int mk_ip6_cksum_field(uint8_t proto);

/* The pseudo-header addresses (rules at the top of this file).  pkt is the
 * packet c was parsed from. */
void mk_ip6_pseudo_addrs(const struct mk_ip6 *h, const struct mk_ip6_chain *c,
			 const uint8_t *pkt, struct in6_addr *src, struct in6_addr *dst);

/* One's-complement checksum of the upper layer (c->ulp over c->ulp_len
 * octets at c->ulp_off) with its pseudo-header, the checksum field as it
 * stands: with the field zeroed this is the value to store, on a received
 * packet 0 means it verifies.  For codecs (MH, ICMPv6, TCP) that check
 * their message inside a full packet. */
uint16_t mk_ip6_ulp_cksum(const uint8_t *pkt, const struct mk_ip6 *h,
			  const struct mk_ip6_chain *c);
/* True if the checksum field holds only the folded pseudo-header sum: a
 * packet captured before checksum offload finished it (CHECKSUM_PARTIAL,
 * as a veth or a sending host's own capture shows).  Not an error of the
 * sender; the checksum cannot be judged. */
bool mk_ip6_ulp_cksum_partial(const uint8_t *pkt, const struct mk_ip6 *h,
			      const struct mk_ip6_chain *c);

/* Walk the chain of a built packet and store the upper-layer checksum.
 * Errors: those of mk_ip6_chain_parse; MK_E_IP6_FRAGMENT (the Fragment
 * header's offset field) for a fragment; MK_E_IP6_NO_CKSUM (the Next
 * Header octet naming the upper layer) if it is not MH, ICMPv6, TCP or
 * UDP, or is behind ESP/AH; MK_E_TRUNC if the upper layer is too short to
 * hold its checksum field (at the field, or at the end of the payload if
 * the field would start past it). */
struct mk_status mk_pkt_fix_cksum(uint8_t *buf, size_t len);
/* Verify it: true if it does.  *st (may be NULL) gets the reason:
 * MK_E_BAD_CKSUM or MK_E_IP6_UDP_ZERO_CKSUM at the checksum field's
 * offset, or any error of mk_pkt_fix_cksum. */
bool mk_pkt_check_cksum(const uint8_t *buf, size_t len, struct mk_status *st);

/* ---- assembly ---- */

struct mk_pkt {
	struct mk_ip6 ip;          /* plen and nh are computed */
	bool has_rh2;              /* add an RH2 (Segments Left 1) with rh2_hoa */
	struct in6_addr rh2_hoa;
	bool has_hao;              /* add the canonical DestOpt with a HAO */
	struct in6_addr hao;
	uint8_t ulp;               /* protocol number of payload */
	const uint8_t *payload;    /* upper-layer message; may lie inside buf */
	size_t payload_len;
};

/* IPv6 header, RH2, DestOpt(HAO) (RFC 6275 6.3: after the routing header),
 * then the payload, with every Next Header and the Payload Length set.  The
 * checksum is left as the payload has it: call mk_pkt_fix_cksum().
 * MK_E_RANGE (4) if the payload length would not fit. */
struct mk_status mk_pkt_build(uint8_t *buf, size_t cap, const struct mk_pkt *in, size_t *outlen);

/* mk_pkt_build then mk_pkt_fix_cksum, for the usual packet: hop limit 64,
 * traffic class and flow label 0; hao and rh2 may be NULL. */
struct mk_status mk_pkt_assemble(uint8_t *buf, size_t cap, const struct in6_addr *src,
				 const struct in6_addr *dst, const struct in6_addr *hao,
				 const struct in6_addr *rh2, uint8_t ulp, const uint8_t *payload,
				 size_t plen, size_t *outlen);

/* ---- IPv6-in-IPv6 (RFC 2473) ---- */

/* Outer header (in->plen and in->nh are ignored: 41 and inner_len) followed
 * by the inner packet, which may already lie at buf + 40.  The inner packet
 * must parse as IPv6 (its error, shifted by 40, otherwise). */
struct mk_status mk_ip6_encap(uint8_t *buf, size_t cap, const struct mk_ip6 *outer,
			      const uint8_t *inner, size_t inner_len, size_t *outlen);
/* Walk the outer chain, which must end in Next Header 41
 * (MK_E_IP6_NOT_TUNNEL at the Next Header octet that ends it), and check
 * that the inner packet parses as IPv6 (its errors in pkt's offsets).  The
 * inner packet is pkt[*inner_off .. *inner_off + *inner_len).  outer and oc
 * may be NULL. */
struct mk_status mk_ip6_decap(const uint8_t *pkt, size_t len, struct mk_ip6 *outer,
			      struct mk_ip6_chain *oc, size_t *inner_off, size_t *inner_len);

/* ---- name tables (NULL if unknown) ---- */

/* Next Header / protocol numbers (IANA protocol-numbers). */
const char *mk_ip6_nh_name(uint8_t nh);
/* Routing types (IANA ipv6-parameters, "Routing Types"). */
const char *mk_ip6_rh_type_name(uint8_t type);
/* Hop-by-Hop and Destination option types (IANA ipv6-parameters). */
const char *mk_ip6_opt_name(uint8_t type);
/* "skip", "discard", "discard+icmp", "discard+icmp-unless-multicast". */
const char *mk_ip6_opt_action_name(enum mk_ip6_opt_action a);
/* "no-hao", "no-rh", "after-rh", "before-rh". */
const char *mk_ip6_hao_pos_name(enum mk_hao_pos p);

#endif
