/* capture/mobcap/lat-records.c: the records of `mobcap latency` (JSON
 * lines or CSV, as each completes), their groups, and the summary (table
 * or JSON) written once the captures end.  What a metric adds to its
 * groups and to the summary comes from its hooks (latency.h). */
#include "latency.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "util/json.h"

const char *lat_base(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

void lat_ref_str(const struct lat *L, const struct ref *x, char *b, size_t n)
{
	snprintf(b, n, "%s#%" PRIu64, lat_base(mc_src_name(L->s, x->src)), x->frame);
}

int lat_cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* nearest rank: the smallest value with at least q of the sample at or below it */
double lat_pct(const double *v, size_t n, double q)
{
	size_t k = (size_t)ceil(q * (double)n);
	return v[k ? k - 1 : 0];
}

static void csv_str(FILE *f, const char *s)
{
	bool q = strpbrk(s, ",\"\n") != NULL;
	if (!q) {
		fputs(s, f);
		return;
	}
	putc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			putc('"', f);
		putc(*s, f);
	}
	putc('"', f);
}

static struct group *group_get(struct lat *L, const char *name, const struct rec *r)
{
	for (size_t i = 0; i < L->ng; i++)
		if (strcmp(L->g[i].name, name) == 0)
			return &L->g[i];
	if (!lat_grow((void **)&L->g, &L->gcap, L->ng, sizeof *L->g)) {
		L->oom = true;
		return NULL;
	}
	struct group *g = &L->g[L->ng++];
	memset(g, 0, sizeof *g);
	snprintf(g->name, sizeof g->name, "%s", name);
	if (r->path) {
		g->path = r->path;
		snprintf(g->pair, sizeof g->pair, "%s", r->pair);
	}
	return g;
}

static void group_add(struct lat *L, struct group *g, const struct rec *r)
{
	if (isnan(r->ms)) {
		unsigned k;
		g->absent++;
		for (k = 0; k < 3 && g->reason[k].n; k++)
			if (strcmp(g->reason[k].text, r->absent) == 0)
				break;
		if (k == 3)
			g->other_reasons++;
		else if (g->reason[k].n++ == 0)
			snprintf(g->reason[k].text, sizeof g->reason[k].text, "%s", r->absent);
	} else if (lat_grow((void **)&g->v, &g->cap, g->n, sizeof *g->v)) {
		g->v[g->n++] = r->ms;
	} else {
		L->oom = true;
	}
	if (L->mt->group_add)
		L->mt->group_add(L, g, r);
}

static void rec_json(struct lat *L, const struct rec *r)
{
	struct mk_json j;
	mk_json_begin(&j, L->out);
	mk_json_str(&j, "metric", L->mt->name);
	if (L->o->run)
		mk_json_str(&j, "run", L->o->run);
	mk_json_str(&j, "group", r->group);
	mk_json_str(&j, "subject", r->subject);
	mk_json_str(&j, "peer", r->peer);
	if (r->vantage)
		mk_json_str(&j, "vantage", r->vantage);
	if (r->path)
		mk_json_str(&j, "path", r->path);
	if (r->cn[0])
		mk_json_str(&j, "correspondent", r->cn);
	if (r->name)
		mk_json_str(&j, "name", r->name);
	if (isnan(r->ms)) {
		mk_json_null(&j, "latency_ms");
		mk_json_str(&j, "absent", r->absent);
	} else {
		mk_json_num(&j, "latency_ms", r->ms, 6);
	}
	if (r->nsteps) {
		mk_json_obj(&j, "steps_ms");
		for (unsigned i = 0; i < r->nsteps; i++)
			if (isnan(r->step[i].ms))
				mk_json_null(&j, r->step[i].k);
			else
				mk_json_num(&j, r->step[i].k, r->step[i].ms, 6);
		mk_json_end(&j);
	}
	for (unsigned i = 0; i < r->nextra; i++)
		mk_json_int(&j, r->extra[i].k, r->extra[i].v);
	mk_json_obj(&j, "packets");
	for (unsigned i = 0; i < r->nrefs; i++) {
		const struct ref *x = &r->ref[i].r;
		char ts[32];
		snprintf(ts, sizeof ts, "%" PRIu64 ".%09" PRIu64, x->ts / 1000000000u,
			 x->ts % 1000000000u);
		mk_json_obj(&j, r->ref[i].k);
		mk_json_str(&j, "file", lat_base(mc_src_name(L->s, x->src)));
		mk_json_uint(&j, "frame", x->frame);
		mk_json_str(&j, "ts", ts);
		mk_json_end(&j);
	}
	mk_json_end(&j);
	mk_json_str(&j, "codepoints", L->cpstr);
	if (L->o->nmeta) {
		mk_json_obj(&j, "meta");
		for (unsigned i = 0; i < L->o->nmeta; i++)
			mk_json_str(&j, L->o->meta_key[i], L->o->meta_val[i]);
		mk_json_end(&j);
	}
	mk_json_finish(&j);
}

static void rec_csv(struct lat *L, const struct rec *r)
{
	FILE *f = L->out;
	if (L->nrec == 1)
		fputs("run,metric,group,subject,peer,name,latency_ms,absent,steps_ms,counts,packets,vantage,path\n", f);
	csv_str(f, L->o->run ? L->o->run : "");
	fprintf(f, ",%s,", L->mt->name);
	csv_str(f, r->group);
	fprintf(f, ",%s,%s,", r->subject, r->peer);
	csv_str(f, r->name ? r->name : "");
	if (isnan(r->ms))
		fputs(",,", f), csv_str(f, r->absent);
	else
		fprintf(f, ",%.6f,", r->ms);
	putc(',', f);
	for (unsigned i = 0; i < r->nsteps; i++) {
		fprintf(f, "%s%s=", i ? ";" : "", r->step[i].k);
		if (!isnan(r->step[i].ms))
			fprintf(f, "%.6f", r->step[i].ms);
	}
	putc(',', f);
	for (unsigned i = 0; i < r->nextra; i++)
		fprintf(f, "%s%s=%lld", i ? ";" : "", r->extra[i].k, r->extra[i].v);
	putc(',', f);
	for (unsigned i = 0; i < r->nrefs; i++)
		fprintf(f, "%s%s=%s#%" PRIu64, i ? ";" : "", r->ref[i].k,
			lat_base(mc_src_name(L->s, r->ref[i].r.src)), r->ref[i].r.frame);
	putc(',', f);
	if (r->vantage)
		csv_str(f, r->vantage);
	putc(',', f);
	if (r->path)
		fputs(r->path, f);
	putc('\n', f);
}

void lat_emit(struct lat *L, struct rec *r)
{
	if (isnan(r->ms))
		rec_ref(r, "ended_by", &L->end);
	struct group *g = group_get(L, r->group, r);
	L->nrec++;
	if (g)
		group_add(L, g, r);
	if (L->o->format == MC_FMT_JSON)
		rec_json(L, r);
	else if (L->o->format == MC_FMT_CSV)
		rec_csv(L, r);
}

/* ---- the summary ---------------------------------------------------------------- */

static int cmp_group(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->name, ((const struct group *)b)->name);
}

static void summary_json(struct lat *L, struct group *g)
{
	struct mk_json j;
	mk_json_begin(&j, L->out);
	mk_json_str(&j, "summary", L->mt->name);
	if (L->o->run)
		mk_json_str(&j, "run", L->o->run);
	mk_json_str(&j, "group", g->name);
	if (g->path) {
		mk_json_str(&j, "pair", g->pair);
		mk_json_str(&j, "path", g->path);
	}
	mk_json_uint(&j, "n", g->n);
	mk_json_uint(&j, "absent", g->absent);
	if (g->n) {
		mk_json_num(&j, "min_ms", g->v[0], 6);
		mk_json_num(&j, "p50_ms", lat_pct(g->v, g->n, 0.5), 6);
		mk_json_num(&j, "p90_ms", lat_pct(g->v, g->n, 0.9), 6);
		mk_json_num(&j, "p99_ms", lat_pct(g->v, g->n, 0.99), 6);
		mk_json_num(&j, "max_ms", g->v[g->n - 1], 6);
	}
	if (L->mt->group_json)
		L->mt->group_json(g, &j);
	mk_json_finish(&j);
}

int lat_width(const struct lat *L, int w, const char *(*col)(const struct group *g))
{
	bool any = false;
	for (size_t i = 0; i < L->ng; i++) {
		const char *c = col ? col(&L->g[i]) : L->g[i].name;
		if (!c)
			continue;
		any = true;
		if ((int)strlen(c) > w)
			w = (int)strlen(c);
	}
	return any ? w : -1;
}

static int name_width(const struct lat *L)
{
	int w = lat_width(L, 10, NULL);
	return w < 0 ? 10 : w;
}

static void summary_row(struct lat *L, const struct group *g)
{
	int w = name_width(L);
	fprintf(L->out, "%-*s %6zu %6u", w, g->name, g->n, g->absent);
	if (g->n)
		fprintf(L->out, " %10.3f %10.3f %10.3f %10.3f %10.3f", g->v[0], lat_pct(g->v, g->n, 0.5),
			lat_pct(g->v, g->n, 0.9), lat_pct(g->v, g->n, 0.99), g->v[g->n - 1]);
	else
		fprintf(L->out, " %10s %10s %10s %10s %10s", "-", "-", "-", "-", "-");
	if (L->mt->table_row)
		L->mt->table_row(L, g);
	putc('\n', L->out);
}

void lat_summary(struct lat *L)
{
	qsort(L->g, L->ng, sizeof *L->g, cmp_group);
	if (L->o->by_path) {
		if (L->mt->by_path)
			L->mt->by_path(L);
		return;
	}
	if (L->o->format == MC_FMT_CSV)
		return;
	if (L->o->format == MC_FMT_TABLE)
		fprintf(L->out, "%-*s %6s %6s %10s %10s %10s %10s %10s%s\n", name_width(L), L->mt->name, "n",
			"absent", "min ms", "p50", "p90", "p99", "max", L->mt->table_head ? L->mt->table_head : "");
	for (size_t i = 0; i < L->ng; i++) {
		struct group *g = &L->g[i];
		if (g->n > 1)
			qsort(g->v, g->n, sizeof *g->v, lat_cmp_d);
		if (L->o->format == MC_FMT_JSON)
			summary_json(L, g);
		else
			summary_row(L, g);
	}
	if (L->o->format != MC_FMT_TABLE)
		return;
	for (size_t i = 0; i < L->ng; i++)
		for (unsigned k = 0; k < 3 && L->g[i].reason[k].n; k++)
			fprintf(L->out, "absent in %s: %u x %s%s\n", L->g[i].name, L->g[i].reason[k].n,
				L->g[i].reason[k].text,
				k == 2 && L->g[i].other_reasons ? " (other reasons: --json lists each)" : "");
	if (L->mt->table_tail)
		L->mt->table_tail(L);
}

void lat_groups_free(struct lat *L)
{
	for (size_t i = 0; i < L->ng; i++) {
		free(L->g[i].v);
		if (L->mt->group_free)
			L->mt->group_free(&L->g[i]);
		else
			free(L->g[i].x);
	}
	free(L->g);
}
