/* capture/mobcap/src.c: packet sources, the timestamp merge, and the
 * recognition of one packet seen at several vantage points (see mobcap.h). */
#include "mobcap.h"

#include <errno.h>
#include <inttypes.h>
#include <pcap/pcap.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "net/pcapio.h"
#include "util/json.h"

#define DEDUP_START 256              /* slots at first, power of two */
#define DEDUP_SLOTS 65536            /* at most, power of two */
#define DEDUP_WINDOW 1000000000ull   /* same packet within 1 s */

struct src {
	pcap_t *p;
	char *iobuf;                /* the stdio buffer libpcap reads through (files) */
	const char *name;
	int dlt;
	uint64_t frames;
	bool has_cur, done, live;
	struct pcap_pkthdr *h;
	const u_char *data;
	char err[PCAP_ERRBUF_SIZE + 128];
};

struct slot {
	uint64_t hash, ts, frame;
	unsigned src;
	bool used;
};

struct pair {
	uint64_t n;
	int64_t min;                 /* smallest ts(b) - ts(a), a first */
};

struct mc_sources {
	unsigned n;
	struct src s[MC_MAX_SOURCES];
	int last;                    /* source of the packet returned last, -1 none */
	struct slot *dedup;          /* only with two sources or more */
	size_t ndedup;               /* its slots */
	struct pair pairs[MC_MAX_SOURCES][MC_MAX_SOURCES];
};

static volatile sig_atomic_t g_stop;
static void on_sig(int sig)
{
	(void)sig;
	g_stop = 1;
}

/* A capture file through a stdio stream with a large buffer: libpcap's own
 * fopen reads 4 kB at a time, and on this kind of VM the read system calls
 * cost more than the decoding.  "-" is the standard input, as for libpcap. */
#define MC_IOBUF (1u << 20)
static pcap_t *open_file(struct src *x, const char *path, char *ebuf)
{
	bool in = strcmp(path, "-") == 0;
	FILE *f = in ? stdin : fopen(path, "rb");
	if (!f) {
		snprintf(ebuf, PCAP_ERRBUF_SIZE, "%s: %s", path, strerror(errno));
		return NULL;
	}
	x->iobuf = malloc(MC_IOBUF);
	if (x->iobuf)
		setvbuf(f, x->iobuf, _IOFBF, MC_IOBUF);
	pcap_t *p = pcap_fopen_offline_with_tstamp_precision(f, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p) {
		if (!in)
			fclose(f);
		free(x->iobuf);
		x->iobuf = NULL;
	}
	return p;
}

struct mc_sources *mc_open(char **files, int nfiles, const char *iface, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	struct mc_sources *s = calloc(1, sizeof *s);

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->last = -1;
	if (iface) {
		struct src *x = &s->s[0];
		x->p = pcap_create(iface, ebuf);
		if (!x->p || pcap_set_snaplen(x->p, MC_SNAP) || pcap_set_immediate_mode(x->p, 1) ||
		    pcap_set_tstamp_precision(x->p, PCAP_TSTAMP_PRECISION_NANO) ||
		    pcap_set_timeout(x->p, 200) || pcap_activate(x->p) < 0) {
			snprintf(err, errlen, "capture on %s: %s", iface, x->p ? pcap_geterr(x->p) : ebuf);
			if (x->p)
				pcap_close(x->p);
			free(s);
			return NULL;
		}
		x->name = iface;
		x->live = true;
		s->n = 1;
		signal(SIGINT, on_sig);
		signal(SIGTERM, on_sig);
	} else {
		if (nfiles > MC_MAX_SOURCES) {
			snprintf(err, errlen, "%d files: at most %d at once", nfiles, MC_MAX_SOURCES);
			free(s);
			return NULL;
		}
		for (int i = 0; i < nfiles; i++) {
			struct src *x = &s->s[i];
			x->p = open_file(x, files[i], ebuf);
			if (!x->p) {
				snprintf(err, errlen, "%s: %s", files[i], ebuf);
				s->n = (unsigned)i;
				mc_close(s);
				return NULL;
			}
			x->name = files[i];
			s->n = (unsigned)i + 1;
		}
	}
	for (unsigned i = 0; i < s->n; i++)
		s->s[i].dlt = pcap_datalink(s->s[i].p);
	if (s->n > 1) {
		s->ndedup = DEDUP_START;
		s->dedup = calloc(s->ndedup, sizeof *s->dedup);
		if (!s->dedup) {
			snprintf(err, errlen, "out of memory");
			mc_close(s);
			return NULL;
		}
		for (unsigned a = 0; a < s->n; a++)
			for (unsigned b = 0; b < s->n; b++)
				s->pairs[a][b].min = INT64_MAX;
	}
	return s;
}

/* Read the next packet of one source into its current slot. */
static void advance(struct src *x)
{
	x->has_cur = false;
	while (!x->done) {
		int r = pcap_next_ex(x->p, &x->h, &x->data);
		if (r == 1) {
			x->frames++;
			x->has_cur = true;
			return;
		}
		if (r == 0 && x->live && !g_stop)
			continue; /* live timeout: keep waiting */
		if (r == PCAP_ERROR)
			snprintf(x->err, sizeof x->err, "after frame %" PRIu64 ": %s", x->frames,
				 pcap_geterr(x->p));
		x->done = true;
	}
}

static uint64_t fnv(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++) {
		if (i == 7)
			continue; /* the hop limit changes on the way */
		h = (h ^ p[i]) * 0x100000001b3ull;
	}
	return h;
}

void *mc_table_grow(void *tab, size_t *n, size_t max, size_t sz, unsigned probes,
		   uint64_t (*hash)(const void *e), bool (*used)(const void *e))
{
	for (size_t n2 = *n * 2; n2 <= max; n2 *= 2) {
		uint8_t *t = calloc(n2, sz);
		if (!t)
			return NULL;
		size_t i = 0;
		for (; i < *n; i++) {
			const uint8_t *e = (const uint8_t *)tab + i * sz;
			if (!used(e))
				continue;
			uint64_t h = hash(e);
			unsigned k = 0;
			while (k < probes && used(t + ((h + k) & (n2 - 1)) * sz))
				k++;
			if (k == probes)
				break; /* crowded even here: try twice the size */
			memcpy(t + ((h + k) & (n2 - 1)) * sz, e, sz);
		}
		if (i == *n) {
			free(tab);
			*n = n2;
			return t;
		}
		free(t);
	}
	return NULL;
}

static uint64_t slot_hash(const void *e)
{
	return ((const struct slot *)e)->hash;
}

static bool slot_used(const void *e)
{
	return ((const struct slot *)e)->used;
}

static void dedup(struct mc_sources *s, struct mc_pkt *p)
{
	if (!s->dedup || p->ip6_off < 0 || p->caplen < (size_t)p->ip6_off + 40)
		return;
	const uint8_t *ip = p->data + p->ip6_off;
	size_t n = p->caplen - (size_t)p->ip6_off;
	size_t want = 40 + ((size_t)ip[4] << 8 | ip[5]);
	if (want < n)
		n = want; /* link padding is not the packet */
	uint64_t h = fnv(ip, n) | 1;
	struct slot *free_slot = NULL;
	bool mixed;
again:
	mixed = false;
	for (unsigned k = 0; k < 8; k++) {
		struct slot *e = &s->dedup[(h + k) & (s->ndedup - 1)];
		bool fresh = e->used && p->ts >= e->ts && p->ts - e->ts < DEDUP_WINDOW;
		if (fresh && e->hash == h && e->src != p->src) {
			p->dup = true;
			p->dup_src = e->src;
			p->dup_frame = e->frame;
			p->dup_delta = (int64_t)(p->ts - e->ts);
			struct pair *pr = &s->pairs[e->src][p->src];
			pr->n++;
			if (p->dup_delta < pr->min)
				pr->min = p->dup_delta;
			return;
		}
		if (!fresh && !free_slot)
			free_slot = e;
		mixed |= e->hash != h;
	}
	/* Grown only if that can part the crowd: the same packet over and over
	 * from one source hashes to one place in a table of any size. */
	struct slot *t;
	if (!free_slot && mixed &&
	    (t = mc_table_grow(s->dedup, &s->ndedup, DEDUP_SLOTS, sizeof *t, 8, slot_hash, slot_used))) {
		s->dedup = t;
		goto again;
	}
	if (!free_slot)
		free_slot = &s->dedup[h & (s->ndedup - 1)];
	*free_slot = (struct slot){ .hash = h, .ts = p->ts, .frame = p->frame, .src = p->src,
				    .used = true };
}

int mc_next(struct mc_sources *s, struct mc_pkt *p)
{
	int best = -1;

	if (s->last < 0) {
		for (unsigned i = 0; i < s->n; i++)
			advance(&s->s[i]);
	} else {
		advance(&s->s[s->last]);
	}
	for (unsigned i = 0; i < s->n; i++) {
		struct src *x = &s->s[i];
		if (!x->has_cur)
			continue;
		if (best < 0)
			best = (int)i;
		else {
			const struct pcap_pkthdr *a = x->h, *b = s->s[best].h;
			if (a->ts.tv_sec < b->ts.tv_sec ||
			    (a->ts.tv_sec == b->ts.tv_sec && a->ts.tv_usec < b->ts.tv_usec))
				best = (int)i;
		}
	}
	s->last = best;
	if (best < 0)
		return 0;
	struct src *x = &s->s[best];
	memset(p, 0, sizeof *p);
	p->src = (unsigned)best;
	p->src_name = x->name;
	p->frame = x->frames;
	/* nanosecond precision: tv_usec holds nanoseconds */
	p->ts = (uint64_t)x->h->ts.tv_sec * 1000000000ull + (uint64_t)x->h->ts.tv_usec;
	p->data = x->data;
	p->caplen = x->h->caplen;
	p->len = x->h->len;
	p->dlt = x->dlt;
	p->ip6_off = mk_link_ip6_offset(x->dlt, x->data, x->h->caplen);
	dedup(s, p);
	return 1;
}

unsigned mc_nerrors(const struct mc_sources *s)
{
	unsigned n = 0;
	for (unsigned i = 0; i < s->n; i++)
		n += s->s[i].err[0] != 0;
	return n;
}

void mc_report(struct mc_sources *s, FILE *out, bool json)
{
	for (unsigned i = 0; i < s->n; i++) {
		const struct src *x = &s->s[i];
		if (json) {
			struct mk_json j;
			mk_json_begin(&j, out);
			mk_json_str(&j, "source", x->name);
			mk_json_uint(&j, "frames", x->frames);
			mk_json_str(&j, "linktype", pcap_datalink_val_to_name(x->dlt));
			if (x->err[0])
				mk_json_str(&j, "error", x->err);
			mk_json_finish(&j);
		} else {
			fprintf(out, "# %s: %" PRIu64 " frames, link type %s%s%s\n", x->name, x->frames,
				pcap_datalink_val_to_name(x->dlt) ? pcap_datalink_val_to_name(x->dlt)
								  : "unknown",
				x->err[0] ? "; ERROR " : "", x->err);
		}
	}
	if (!s->dedup)
		return;
	for (unsigned a = 0; a < s->n; a++)
		for (unsigned b = a + 1; b < s->n; b++) {
			const struct pair *ab = &s->pairs[a][b], *ba = &s->pairs[b][a];
			if (!ab->n && !ba->n)
				continue;
			/* NTP-style: each direction's smallest gap is path delay
			 * plus or minus the offset of b's clock against a's */
			bool both = ab->n && ba->n;
			double off = both ? ((double)ab->min - (double)ba->min) / 2 : 0;
			double path = both ? ((double)ab->min + (double)ba->min) / 2 : 0;
			if (json) {
				struct mk_json j;
				mk_json_begin(&j, out);
				mk_json_str(&j, "clock_a", s->s[a].name);
				mk_json_str(&j, "clock_b", s->s[b].name);
				mk_json_uint(&j, "seen_a_then_b", ab->n);
				mk_json_uint(&j, "seen_b_then_a", ba->n);
				if (ab->n)
					mk_json_int(&j, "min_gap_a_to_b_ns", ab->min);
				if (ba->n)
					mk_json_int(&j, "min_gap_b_to_a_ns", ba->min);
				if (both) {
					mk_json_num(&j, "offset_b_minus_a_ns", off, 0);
					mk_json_num(&j, "path_delay_ns", path, 0);
				}
				mk_json_finish(&j);
			} else if (both) {
				fprintf(out,
					"# clocks: %s - %s = %+.0f ns (from %" PRIu64 " + %" PRIu64
					" packets seen at both; one-way path %.0f ns)\n",
					s->s[b].name, s->s[a].name, off, ab->n, ba->n, path);
			} else {
				fprintf(out,
					"# clocks: %s vs %s: %" PRIu64 " packets seen at both, one direction only: smallest gap %" PRId64 " ns (path delay plus offset; the offset needs both directions)\n",
					s->s[a].name, s->s[b].name, ab->n + ba->n, ab->n ? ab->min : ba->min);
			}
		}
}

void mc_close(struct mc_sources *s)
{
	if (!s)
		return;
	for (unsigned i = 0; i < s->n; i++) {
		if (s->s[i].p)
			pcap_close(s->s[i].p); /* closes the stream: its buffer goes after */
		free(s->s[i].iobuf);
	}
	free(s->dedup);
	free(s);
}

const char *mc_src_name(const struct mc_sources *s, unsigned i)
{
	return i < s->n ? s->s[i].name : "?";
}
