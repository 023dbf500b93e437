/* tools/mobwire/mobwire.h: shared between mobwire's craft and decode. */
#ifndef MOBWIRE_H
#define MOBWIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "wire/codepoints.h"

#define MW_PKT_MAX 2048

/* One crafted packet: a bare IPv6 packet, its label, and the fields a
 * decoder must show, written from the values we put in (never read back
 * from our own parser): "tshark-field\tvalue" lines. */
struct mw_sample {
	const char *label;
	uint8_t pkt[MW_PKT_MAX];
	size_t len;
	char expect[4096];
	size_t elen;
	bool nested;                  /* carries another IPv6 packet (ICMPv6 error) */
	struct in6_addr inner_src, inner_dst;
};

typedef int (*mw_craft_fn)(struct mw_sample *s, const struct mk_codepoints *cp);

struct mw_recipe {
	const char *name;     /* short name: "bu-hao" */
	const char *what;     /* one line */
	mw_craft_fn fn;
};

extern const struct mw_recipe mw_recipes[];
extern const size_t mw_nrecipes;

/* Record an expected tshark field value (printf-style). */
void mw_expect(struct mw_sample *s, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Decode one captured frame's IPv6 packet into a table row on out.
 * Returns 0 if it parsed and its checksums verified, 1 otherwise. */
int mw_decode_packet(FILE *out, unsigned no, const uint8_t *pkt, size_t len,
		     const struct mk_codepoints *cp, bool verbose);
void mw_decode_header(FILE *out);

#endif
