/* testbed/linkem/sched.c: settings and departure times (no I/O). */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testbed/linkem/linkem.h"

/* A non-negative decimal number, whole string. */
static int number(const char *s, double max, double *out)
{
	char *end;

	if (!*s || *s == '-' || *s == '+')
		return -1;
	errno = 0;
	double v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int le_parse_setting(const char *tok, struct le_settings *s, const char **bad)
{
	const char *eq = strchr(tok, '=');
	double v;

	*bad = tok;
	if (!eq)
		return -1;
	size_t k = (size_t)(eq - tok);
	const char *val = eq + 1;
#define KEY(name) (k == sizeof name - 1 && strncmp(tok, name, k) == 0)
	if (KEY("delay") && number(val, 60e3, &v) == 0)
		s->delay_ns = (uint64_t)llround(v * 1e6);
	else if (KEY("jitter") && number(val, 60e3, &v) == 0)
		s->jitter_ns = (uint64_t)llround(v * 1e6);
	else if (KEY("loss") && number(val, 100, &v) == 0)
		s->loss_ppm = (uint32_t)llround(v * 1e4);
	else if (KEY("rate") && number(val, 1e6, &v) == 0)
		s->rate_bps = (uint64_t)llround(v * 1e6);
	else if (KEY("queue") && number(val, 1e6, &v) == 0 && v >= 1 && v == floor(v))
		s->queue_max = (uint32_t)v;
	else
		return -1;
#undef KEY
	return 0;
}

uint64_t le_departure(struct le_port *p, uint64_t arrival, uint32_t len, uint32_t u)
{
	const struct le_settings *s = &p->set;
	uint64_t start = arrival > p->tx_free ? arrival : p->tx_free;
	uint64_t tx = s->rate_bps ? (uint64_t)len * 8 * 1000000000ull / s->rate_bps : 0;
	uint64_t sent = start + tx;
	int64_t j = 0;

	p->tx_free = sent;
	if (s->jitter_ns)
		j = (int64_t)llround(((double)u / 4294967296.0 * 2.0 - 1.0) * (double)s->jitter_ns);
	int64_t d = (int64_t)s->delay_ns + j;
	uint64_t depart = sent + (d > 0 ? (uint64_t)d : 0);
	if (depart < p->last_depart)
		depart = p->last_depart; /* a link keeps order */
	p->last_depart = depart;
	return depart;
}

enum le_verdict le_admit(struct le_port *p, uint64_t arrival, uint32_t u)
{
	if (p->set.loss_ppm && (uint64_t)u * 1000000u < (uint64_t)p->set.loss_ppm << 32) {
		p->c.drop_loss++;
		return LE_DROP_LOSS;
	}
	if (p->queued < p->set.queue_max)
		return LE_PASS;
	if (p->set.rate_bps && p->tx_free > arrival) {
		p->c.drop_rate++;
		return LE_DROP_RATE;
	}
	p->c.drop_queue++;
	return LE_DROP_QUEUE;
}

void le_enqueue(struct le_port *p, struct le_frame *f)
{
	f->next = NULL;
	if (p->tail)
		p->tail->next = f;
	else
		p->head = f;
	p->tail = f;
	p->queued++;
}

struct le_frame *le_take_due(struct le_port *p, uint64_t now)
{
	struct le_frame *f = p->head;

	if (!f || f->depart > now)
		return NULL;
	p->head = f->next;
	if (!p->head)
		p->tail = NULL;
	p->queued--;
	return f;
}

unsigned le_round(const struct le_io *io, const unsigned char *ready, int nports, unsigned batch,
		  int *turn)
{
	unsigned got = 0;

	if (nports <= 0)
		return 0;
	int first = (*turn + 1) % nports;
	for (int k = 0; k < nports; k++) {
		int i = (first + k) % nports;
		if (!ready[i])
			continue;
		got += io->rx(io->ctx, i, batch);
		io->depart(io->ctx);
	}
	*turn = first;
	return got;
}
