/* lib/wire/describe.h: one line of text for one IPv6 packet, tcpdump
 * style, for probes' -v output and analyzers' listings:
 *
 *   2001:db8:21::100 > 2001:db8:1::2 DST(HAO 2001:db8:1::100) MH BU seq 7
 *     flags A,H lifetime 60 (240 s) opts Alternate Care-of Address(2001:db8:21::100)
 *     [cksum ok]
 *   2001:db8:1::2 > 2001:db8:21::100 RH2(2001:db8:1::100, left 1) MH BA
 *     status 0 (Binding Update accepted) seq 7 lifetime 60 (240 s) [cksum ok]
 *   ... ICMPv6 Parameter Problem code 2 pointer 46 for { <the quoted
 *     packet described the same way, its own verdict> } [cksum ok]
 *   ... TCP 40000 > 80 [S] seq 16909060 opts MSS(1440),SACKP,TS(1000/0),...
 *   ... IPv6-in-IPv6: <inner packet described the same way, its own verdict>
 *
 * The upper-layer checksum (MH, ICMPv6, TCP, UDP) is verified at every
 * depth: the outer packet, a tunnelled (IPv6-in-IPv6) packet and a packet
 * quoted in an ICMPv6 error.  Each verdict follows what it judges:
 *   [cksum ok]  [cksum BAD]  [cksum partial: offload]
 *   [cksum not judged (quoted, cut)]   a quoted packet cut short (as
 *     ICMPv6 errors often quote them): its fields up to the cut are
 *     described, its checksum cannot be judged.
 * No verdict: no checksummed upper layer (IPv6-in-IPv6, no next header,
 * ESP/AH, other protocols), a fragment, or a layer that did not parse.
 *
 * Errors are written in the line ("[MH: truncated at 12]"), never fatal.
 * Pure: no I/O, no allocation.
 */
#ifndef MK_WIRE_DESCRIBE_H
#define MK_WIRE_DESCRIBE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "codepoints.h"
#include "err.h"
#include "util/fmt.h" /* mk_vappend, mk_ip6_ntop: moved there, kept visible here */

/* Writes a NUL-terminated line (truncated to cap); returns its length. */
size_t mk_pkt_describe(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp, char *buf,
		       size_t cap);

/* ---- the structured result ----
 *
 * What the line says, for programs that count: one entry per IPv6 header
 * described (layer[0] the outer packet, layer[1] the packet it tunnels or
 * quotes, ...), with its checksum verdict, and the counts over the outer
 * and over the inner layers.  Stable API: fields are only ever added at
 * the end of the structs. */

#define MK_DESCRIBE_DEPTH 3 /* IPv6 headers described: the outer one and two nested */

enum mk_cksum_verdict {
	MK_CKV_NONE = 0, /* nothing judged: no checksummed upper layer, a fragment, a parse error */
	MK_CKV_OK,       /* verifies */
	MK_CKV_BAD,      /* does not verify */
	MK_CKV_PARTIAL,  /* holds the pseudo-header sum only: left to offload, not judged bad */
	MK_CKV_CUT,      /* a quoted packet cut short: not judged */
};

enum mk_layer_via {
	MK_VIA_OUTER = 0, /* layer[0] */
	MK_VIA_TUNNEL,    /* the payload of an IPv6-in-IPv6 (Next Header 41) packet */
	MK_VIA_QUOTED,    /* the invoking packet of an ICMPv6 error */
};

struct mk_pkt_layer {
	uint8_t via;   /* enum mk_layer_via */
	uint8_t ulp;   /* upper-layer protocol reached (MK_NH_*); MK_NH_NONE if the chain did not parse */
	uint8_t cksum; /* enum mk_cksum_verdict */
	size_t off;    /* where this IPv6 header starts in the outer packet */
	size_t len;    /* octets of it present (a quoted packet may be cut) */
};

/* Counts of verdicts; checked = ok + bad + partial (a checksum computed). */
struct mk_cksum_count {
	unsigned checked, ok, bad, partial, cut;
};

struct mk_pkt_summary {
	unsigned n; /* layers described, 0 (not IPv6) .. MK_DESCRIBE_DEPTH */
	struct mk_pkt_layer layer[MK_DESCRIBE_DEPTH];
	struct mk_cksum_count outer; /* layer[0] */
	struct mk_cksum_count inner; /* layer[1..n-1]: tunnelled and quoted together */
	/* The first fault of the packet as carried (the outer layer and the
	 * layers it tunnels; what an ICMPv6 error quotes is reported in the
	 * line and in layer[], never here): a parse error, or MK_E_BAD_CKSUM
	 * at the checksum field; offsets from the start of the outer packet.
	 * MK_E_OK if none.  An unknown MH type is not a fault (it is shown as
	 * "MH type N"). */
	struct mk_status err;
};

/* mk_pkt_describe, and when sum is not NULL fills *sum (always, whatever
 * cap is: cap 0 and buf NULL describe into nothing and only count). */
size_t mk_pkt_describe_ex(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp,
			  char *buf, size_t cap, struct mk_pkt_summary *sum);

#endif
