/* capture/mobcap/mobcap.h: what mobcap's parts share.
 *
 * Sources (src.c) read pcap and pcapng files, or one live interface,
 * through libpcap with nanosecond timestamps, and merge several files by
 * timestamp (a k-way merge holding one packet per source: no per-packet
 * allocation).  A packet seen at two vantage points (the same IPv6 packet
 * but for the hop limit, within a second) is recognised as one; the offset
 * between two captures' clocks is estimated from such pairs.
 *
 * Lines (line.c) describe a packet of interest on one line: lib/wire's
 * describer for IPv6, mobility and TCP, and a DNS summary (UPDATE, AAAA and
 * CAAAA questions and answers with sections and TTLs) from lib/dns.
 *
 * Fields (fields.c) give the same packet as typed JSON members, one object
 * per layer, with a checksum verdict per layer at every depth. */
#ifndef MOBCAP_H
#define MOBCAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#include "wire/codepoints.h"
#include "wire/ip6ext.h"

struct mk_dns_msg;
struct mk_json;

#define MC_MAX_SOURCES 16
#define MC_SNAP 262144

struct mc_pkt {
	unsigned src;            /* index of the source */
	const char *src_name;
	uint64_t frame;          /* 1-based frame number in its source */
	uint64_t ts;             /* nanoseconds since the epoch */
	const uint8_t *data;     /* the frame as captured */
	size_t caplen, len;
	int dlt;
	long ip6_off;            /* -1: no IPv6 in this frame */
	/* set by the merger when another source saw the same packet */
	bool dup;
	unsigned dup_src;
	uint64_t dup_frame;
	int64_t dup_delta;       /* ts - ts of the first sighting */
};

struct mc_sources;

/* Open files (or iface if not NULL, live).  NULL with err on failure. */
struct mc_sources *mc_open(char **files, int nfiles, const char *iface, char *err,
			   size_t errlen);
/* The next packet in timestamp order: 1, 0 at the end of every source, -1
 * on a live capture error.  A damaged file ends its source with a message
 * in mc_warnings(), not the run. */
int mc_next(struct mc_sources *s, struct mc_pkt *p);
/* Per source: its name, frames read, and any error that ended it. */
void mc_report(struct mc_sources *s, FILE *out, bool json);
unsigned mc_nerrors(const struct mc_sources *s);
const char *mc_src_name(const struct mc_sources *s, unsigned i);
void mc_close(struct mc_sources *s);

/* The analyzers' open-addressed hash tables start small and grow:
 * mc_table_grow doubles tab (*n slots of sz octets; used() tells a taken
 * slot, hash() where an entry belongs) until every entry finds a free slot
 * within `probes` of its hash, up to max slots, and returns the new table
 * (tab freed, *n updated), or NULL (at max, or out of memory) with tab as
 * it was. */
void *mc_table_grow(void *tab, size_t *n, size_t max, size_t sz, unsigned probes,
		   uint64_t (*hash)(const void *e), bool (*used)(const void *e));

/* ---- lines ---- */

enum mc_interest {
	MC_NOT = 0,
	MC_MH,
	MC_ICMP6,
	MC_HAO_RH2,
	MC_TUNNEL,
	MC_TCP_MIGRATE,
	MC_DNS,
};

struct mc_line {
	enum mc_interest what;
	char text[2048];
	const char *cksum;       /* "ok", "bad", "partial", or NULL (none) */
	bool truncated;          /* snaplen cut */
	/* what was parsed on the way, for mc_fields */
	bool parsed;             /* h and c hold the packet's chain */
	struct mk_ip6 h;
	struct mk_ip6_chain c;
	const struct mk_dns_msg *dns; /* its DNS message, or NULL */
};

/* Describe p; what = MC_NOT for a packet of no interest (its text and
 * checksum are only made with all). */
void mc_describe(const struct mc_pkt *p, const struct mk_codepoints *cp, bool all, struct mc_line *l);
const char *mc_interest_name(enum mc_interest w);

/* ---- fields (fields.c): the typed JSON members of mobcap(1) ---- */

/* Checksum verdicts counted: [0] the packets' own, [1] inside tunnels. */
struct mc_tally {
	uint64_t ok[2], bad[2], partial[2];
};

/* "layers": [...] of p, described by l (mc_describe), into j; verdicts of
 * tunnelled packets counted in t (may be NULL). */
void mc_fields(struct mk_json *j, const struct mc_pkt *p, const struct mc_line *l,
	       const struct mk_codepoints *cp, struct mc_tally *t);
/* The verdict on a parsed packet's upper-layer checksum: "ok", "bad",
 * "partial" (offload not finished), NULL (none to judge). */
const char *mc_cksum_verdict(const uint8_t *ip, const struct mk_ip6 *h, const struct mk_ip6_chain *c);
void mc_tally_add(struct mc_tally *t, int inner, const char *verdict);
/* Count the verdicts of the packets tunnelled in ip (chain c), depth 0. */
void mc_tally_inner(struct mc_tally *t, const uint8_t *ip, const struct mk_ip6_chain *c, int depth);
/* "# checksums: ..." or {"checksums":...} */
void mc_tally_report(const struct mc_tally *t, FILE *out, bool json);

/* ---- latency (latency.c, one file per metric: latency.h) ---- */

enum mc_metric { MC_M_CONVERGENCE, MC_M_HANDOFF, MC_M_RECOVERY, MC_M_MIGRATE, MC_M_RTT, MC_M__COUNT };
enum mc_format { MC_FMT_TABLE, MC_FMT_JSON, MC_FMT_CSV };

#define MC_MAX_LABELS 64
#define MC_MAX_META 32

struct mc_lat_opts {
	enum mc_format format;
	const char *run;                       /* run id carried by every record */
	unsigned nlabels;                      /* --label ADDR=NAME */
	struct in6_addr label_addr[MC_MAX_LABELS];
	const char *label[MC_MAX_LABELS];
	unsigned nmeta;                        /* --meta KEY=VALUE (versions...) */
	const char *meta_key[MC_MAX_META], *meta_val[MC_MAX_META];
	bool by_path;                          /* rtt: only the via HA / direct table */
};

const char *mc_metric_name(enum mc_metric m);
int mc_metric_lookup(const char *s);
const char *mc_metric_absent_reason(enum mc_metric m);
/* One pass over s: records (JSON lines or CSV) as they complete, then the
 * summary (table or JSON) and the checksum verdicts of every IPv6 packet
 * read, tunnelled ones apart (JSON: always; table: when one is bad).
 * handoff takes every event of a move from one capture, its vantage point
 * (the one that saw the BU leave), and never a packet seen inside a tunnel
 * as a first packet from an address (mobcap(1)).
 * 0: records written; 3: no event of this metric (err says why); -1:
 * error (err). */
int mc_latency(struct mc_sources *s, enum mc_metric m, const struct mk_codepoints *cp,
	       const struct mc_lat_opts *o, FILE *out, char *err, size_t errlen);

#endif
