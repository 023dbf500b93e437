/* capture/mobcap/latency.c: the latency metrics of DESIGN.md, computed from
 * packets (see mobcap.h and doc/mobcap.1 for the definitions).
 *
 * One pass over the merged captures.  Each metric (m-*.c, a table of hooks:
 * latency.h) keeps small tables of what it is waiting for (updates and
 * resolver streams, outstanding requests, mobile nodes, migrated
 * connections); a record is written when its last event is seen or can no
 * longer come.  Times are those of the first vantage point that saw a
 * packet (the merger marks later sightings as duplicates), except for rtt,
 * which times the reply where the request was seen, so that two vantage
 * points cannot shorten a round trip, and handoff, which takes every event
 * of a move from the one capture that saw its BU leave (every capture's
 * sightings, duplicates too, are followed apart for it).
 *
 * A record whose events are incomplete is written with "absent" and the
 * reason; it never carries a zero latency, and the summary counts it apart
 * (lat-records.c).
 */
#include "latency.h"

#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"

static const struct lat_metric *const metrics[MC_M__COUNT] = {
	[MC_M_CONVERGENCE] = &lat_convergence,
	[MC_M_HANDOFF] = &lat_handoff,
	[MC_M_RECOVERY] = &lat_recovery,
	[MC_M_MIGRATE] = &lat_migrate,
	[MC_M_RTT] = &lat_rtt,
};

const char *mc_metric_name(enum mc_metric m)
{
	return (unsigned)m < MC_M__COUNT ? metrics[m]->name : "?";
}

int mc_metric_lookup(const char *s)
{
	for (int m = 0; m < MC_M__COUNT; m++)
		if (strcmp(s, mc_metric_name((enum mc_metric)m)) == 0)
			return m;
	return -1;
}

const char *mc_metric_absent_reason(enum mc_metric m)
{
	return (unsigned)m < MC_M__COUNT ? metrics[m]->absent : "unknown metric";
}

int mc_latency(struct mc_sources *s, enum mc_metric m, const struct mk_codepoints *cp,
	       const struct mc_lat_opts *o, FILE *out, char *err, size_t errlen)
{
	if ((unsigned)m >= MC_M__COUNT) {
		snprintf(err, errlen, "%s", mc_metric_absent_reason(m));
		return 3;
	}
	struct lat L = { .m = m, .mt = metrics[m], .s = s, .cp = cp, .o = o, .out = out };
	struct mc_pkt p;
	int r;

	mk_cp_format(cp, L.cpstr, sizeof L.cpstr);
	L.st = calloc(1, L.mt->state_size);
	if (!L.st || (L.mt->start && !L.mt->start(&L))) {
		if (L.st && L.mt->stop)
			L.mt->stop(&L);
		free(L.st);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while ((r = mc_next(s, &p)) == 1 && !L.oom) {
		struct mk_ip6 h;
		struct mk_ip6_chain c;
		if (p.ip6_off < 0)
			continue;
		const uint8_t *ip = p.data + p.ip6_off;
		size_t n = p.caplen - (size_t)p.ip6_off;
		if (mk_ip6_chain_parse(ip, n, &h, &c).err != MK_E_OK)
			continue; /* damaged or cut: no event is taken from it */
		mc_tally_add(&L.tally, 0, mc_cksum_verdict(ip, &h, &c));
		if (c.ulp == MK_NH_IPV6)
			mc_tally_inner(&L.tally, ip, &c, 0);
		if (!L.mt->ulp || c.ulp == L.mt->ulp)
			L.mt->packet(&L, &p, ip, &h, &c);
	}
	L.end.set = false;
	if (L.mt->flush)
		L.mt->flush(&L, "before the capture ended");
	int ret = L.nrec ? 0 : 3;
	bool classified = false;
	for (size_t i = 0; i < L.ng; i++)
		classified |= L.g[i].path != NULL;
	if (o->by_path && !classified)
		ret = 3;
	if (L.oom) {
		snprintf(err, errlen, "out of memory after %u records", L.nrec);
		ret = -1;
	} else if (r < 0) {
		snprintf(err, errlen, "live capture error");
		ret = -1;
	}
	if (ret >= 0) {
		if (ret == 0) {
			lat_summary(&L);
			if (o->format == MC_FMT_JSON ||
			    (o->format == MC_FMT_TABLE && (L.tally.bad[0] || L.tally.bad[1])))
				mc_tally_report(&L.tally, out, o->format == MC_FMT_JSON);
		} else if (L.nrec) {
			snprintf(err, errlen, "%s", L.mt->by_path_absent ? L.mt->by_path_absent : L.mt->absent);
		} else
			snprintf(err, errlen, "%s", L.mt->absent);
	}
	lat_groups_free(&L);
	if (L.mt->stop)
		L.mt->stop(&L);
	free(L.st);
	return ret;
}
