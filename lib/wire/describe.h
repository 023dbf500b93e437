/* lib/wire/describe.h: one line of text for one IPv6 packet, tcpdump
 * style, for probes' -v output and analyzers' listings:
 *
 *   2001:db8:21::100 > 2001:db8:1::2 DST(HAO 2001:db8:1::100) MH BU seq 7
 *     flags A,H lifetime 60 (240 s) opts AltCoA [cksum ok]
 *   2001:db8:1::2 > 2001:db8:21::100 RH2(2001:db8:1::100, left 1) MH BA
 *     status 0 (Binding Update accepted) seq 7 lifetime 60
 *   ... ICMPv6 Parameter Problem code 2 pointer 46
 *   ... TCP 40000 > 80 [S] seq 16909060 opts MSS,SACKP,TS,WS,MigPerm
 *   ... IPv6-in-IPv6: <inner packet described the same way>
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
#include "util/fmt.h" /* mk_vappend, mk_ip6_ntop: moved there, kept visible here */

/* Writes a NUL-terminated line (truncated to cap); returns its length. */
size_t mk_pkt_describe(const uint8_t *pkt, size_t len, const struct mk_codepoints *cp, char *buf,
		       size_t cap);

#endif
