/* t/testbed/linkem_sched.t.c: linkem's settings parser, departure times,
 * drop reasons and the bounded-batch event loop
 * (no I/O; the program's own sched.c is compiled in). */
#include <string.h>

#include "testbed/linkem/sched.c"
#include "t/lib/tap.h"

static void test_parse(void)
{
	struct le_settings s = { 0 };
	const char *bad = NULL;

	tap_ok(le_parse_setting("delay=10", &s, &bad) == 0 && s.delay_ns == 10000000, "delay=10 is 10 ms");
	tap_ok(le_parse_setting("delay=0.25", &s, &bad) == 0 && s.delay_ns == 250000, "delay=0.25 is 250 us");
	tap_ok(le_parse_setting("jitter=1.5", &s, &bad) == 0 && s.jitter_ns == 1500000, "jitter=1.5 ms");
	tap_ok(le_parse_setting("loss=0.5", &s, &bad) == 0 && s.loss_ppm == 5000, "loss=0.5 %% is 5000 ppm");
	tap_ok(le_parse_setting("rate=100", &s, &bad) == 0 && s.rate_bps == 100000000, "rate=100 Mbit/s");
	tap_ok(le_parse_setting("queue=64", &s, &bad) == 0 && s.queue_max == 64, "queue=64 frames");
	static const char *const wrong[] = { "delay=", "delay=-1", "delay=1e9", "delay=abc", "loss=101",
					     "queue=0", "queue=1.5", "speed=3", "delay", "delay=nan",
					     "rate=+5" };
	struct le_settings before = s;
	for (size_t i = 0; i < sizeof wrong / sizeof wrong[0]; i++)
		tap_ok(le_parse_setting(wrong[i], &s, &bad) == -1 && bad == wrong[i] &&
			       memcmp(&s, &before, sizeof s) == 0,
		       "'%s' refused, settings unchanged", wrong[i]);
}

static void test_departure(void)
{
	struct le_port p;

	memset(&p, 0, sizeof p);
	p.set.delay_ns = 10000000;
	tap_is_int((long long)le_departure(&p, 1000, 100, 0x80000000u), 10001000, "delay only: arrival + 10 ms");
	/* 10 Mbit/s: 1500 octets take 1.2 ms on the wire */
	memset(&p, 0, sizeof p);
	p.set.rate_bps = 10000000;
	tap_is_int((long long)le_departure(&p, 0, 1500, 0x80000000u), 1200000, "1500 octets at 10 Mbit/s: 1.2 ms");
	tap_is_int((long long)le_departure(&p, 0, 1500, 0x80000000u), 2400000,
		   "a second frame at the same instant waits for the first");
	tap_is_int((long long)le_departure(&p, 5000000, 1500, 0x80000000u), 6200000,
		   "an idle transmitter starts at the arrival");
	/* jitter: the extremes of the draw */
	memset(&p, 0, sizeof p);
	p.set.delay_ns = 10000000;
	p.set.jitter_ns = 1000000;
	tap_is_int((long long)le_departure(&p, 0, 100, 0), 9000000, "jitter draw 0: delay - jitter");
	memset(&p, 0, sizeof p);
	p.set.delay_ns = 10000000;
	p.set.jitter_ns = 1000000;
	uint64_t hi = le_departure(&p, 0, 100, 0xffffffffu);
	tap_ok(hi > 10999000 && hi <= 11000000, "jitter draw max: just under delay + jitter (%llu)",
	       (unsigned long long)hi);
	/* order is kept: a later frame with a smaller draw leaves no earlier */
	uint64_t next = le_departure(&p, 1000, 100, 0);
	tap_ok(next == hi, "a link keeps order: the next frame waits (%llu)", (unsigned long long)next);
	/* jitter larger than the delay never makes a negative delay */
	memset(&p, 0, sizeof p);
	p.set.delay_ns = 1000;
	p.set.jitter_ns = 5000;
	tap_is_int((long long)le_departure(&p, 7000, 100, 0), 7000, "delay - jitter < 0 leaves at once");
}

/* le_admit: the reason a frame is dropped, counted per direction */
static void test_admit(void)
{
	struct le_port p;

	memset(&p, 0, sizeof p);
	p.set.queue_max = 2;
	p.set.loss_ppm = 500000; /* 50 % */
	tap_is_int(le_admit(&p, 0, 0), LE_DROP_LOSS, "a draw under the loss rate is lost");
	tap_is_int(le_admit(&p, 0, 0xffffffffu), LE_PASS, "a draw over it passes");
	p.set.loss_ppm = 0;
	p.queued = 2;
	tap_is_int(le_admit(&p, 1000, 0), LE_DROP_QUEUE, "full queue, no rate limit: a queue drop");
	p.set.rate_bps = 1000000;
	p.tx_free = 5000;
	tap_is_int(le_admit(&p, 1000, 0), LE_DROP_RATE, "full queue behind the rate limit: a rate drop");
	p.tx_free = 500;
	tap_is_int(le_admit(&p, 1000, 0), LE_DROP_QUEUE, "full queue, transmitter idle: a queue drop");
	tap_ok(p.c.drop_loss == 1 && p.c.drop_queue == 2 && p.c.drop_rate == 1,
	       "counted by reason: loss 1, queue 2, rate 1 (%llu %llu %llu)",
	       (unsigned long long)p.c.drop_loss, (unsigned long long)p.c.drop_queue,
	       (unsigned long long)p.c.drop_rate);
}

/* A simulated link for le_round: port 0 is flooded (every read fills the
 * batch), port 1 has a few frames now and then; time advances one tick per
 * departure pass, and every frame is due one tick after it is read. */
enum { SIM_FRAMES = 4096, SIM_BATCH = 8 };
static struct sim {
	struct le_port port[2];
	struct le_frame *free;
	uint64_t now;
	unsigned pending1;      /* frames waiting on port 1 */
	unsigned maxask;        /* largest max an rx call was given */
	unsigned departed[2];
	char log[256];          /* 'r0' 'r1' 'd' in call order, per round */
	size_t loglen;
} sim;

static unsigned sim_rx(void *ctx, int port, unsigned max)
{
	struct sim *s = ctx;
	unsigned n = port == 0 ? max : (s->pending1 < max ? s->pending1 : max);

	if (max > s->maxask)
		s->maxask = max;
	if (port == 1)
		s->pending1 -= n;
	for (unsigned k = 0; k < n && s->free; k++) {
		struct le_frame *f = s->free;
		s->free = f->next;
		f->depart = s->now + 1;
		le_enqueue(&s->port[port], f);
	}
	if (s->loglen + 2 < sizeof s->log) {
		s->log[s->loglen++] = 'r';
		s->log[s->loglen++] = (char)('0' + port);
	}
	return n;
}

static void sim_depart(void *ctx)
{
	struct sim *s = ctx;

	s->now++;
	for (int i = 0; i < 2; i++) {
		struct le_frame *f;
		while ((f = le_take_due(&s->port[i], s->now))) {
			s->departed[i]++;
			f->next = s->free;
			s->free = f;
		}
	}
	if (s->loglen + 1 < sizeof s->log)
		s->log[s->loglen++] = 'd';
}

static void test_round(void)
{
	static struct le_frame pool[SIM_FRAMES];
	const struct le_io io = { .rx = sim_rx, .depart = sim_depart, .ctx = &sim };
	unsigned char ready[2] = { 1, 1 };
	int turn = 1;

	memset(&sim, 0, sizeof sim);
	for (int i = SIM_FRAMES - 1; i >= 0; i--) {
		pool[i].next = sim.free;
		sim.free = &pool[i];
	}
	sim.pending1 = 3;
	unsigned got = le_round(&io, ready, 2, SIM_BATCH, &turn);
	sim.log[sim.loglen] = 0;
	tap_is_int(got, SIM_BATCH + 3, "one round under a flood reads one batch of the flood and port 1's 3 frames");
	tap_is_str(sim.log, "r0dr1d", "each port's batch is followed by a departure pass");
	tap_ok(sim.maxask <= SIM_BATCH, "no read asks for more than a batch (%u)", sim.maxask);

	/* many rounds: the flood never stops, port 1 gets 2 frames a round */
	unsigned firsts[2] = { 0, 0 };
	int starved = 0;
	for (int r = 0; r < 100; r++) {
		unsigned before1 = sim.departed[1], before0 = sim.departed[0];
		sim.pending1 += 2;
		sim.loglen = 0;
		le_round(&io, ready, 2, SIM_BATCH, &turn);
		firsts[sim.log[1] - '0']++;
		/* what port 1 had at the start of the round has left by the next one */
		if (sim.pending1 != 0 || sim.departed[0] == before0 || (r > 0 && sim.departed[1] == before1))
			starved++;
	}
	tap_is_int(starved, 0, "over 100 flooded rounds, every round reads port 1 and sends frames of both");
	tap_ok(firsts[0] == 50 && firsts[1] == 50, "the port read first alternates (%u, %u)", firsts[0], firsts[1]);
	tap_ok(sim.port[0].queued <= SIM_BATCH && sim.port[1].queued <= 2,
	       "queues stay within a batch: the flood does not pile up (%u, %u)", sim.port[0].queued,
	       sim.port[1].queued);
	ready[0] = 0;
	sim.loglen = 0;
	sim.pending1 = 1;
	le_round(&io, ready, 2, SIM_BATCH, &turn);
	sim.log[sim.loglen] = 0;
	tap_is_str(sim.log, "r1d", "a port with nothing waiting is not read");
}

/* The FIFO: frames leave in order, none before its time */
static void test_fifo(void)
{
	struct le_port p;
	struct le_frame f[3];

	memset(&p, 0, sizeof p);
	for (int i = 0; i < 3; i++) {
		f[i].depart = 100u * (unsigned)(i + 1);
		le_enqueue(&p, &f[i]);
	}
	tap_ok(le_take_due(&p, 99) == NULL, "nothing leaves before its time");
	struct le_frame *a = le_take_due(&p, 250), *b = le_take_due(&p, 250), *c = le_take_due(&p, 250);
	tap_ok(a == &f[0] && b == &f[1] && c == NULL && p.queued == 1, "due frames leave in order, the rest wait");
	tap_ok(le_take_due(&p, 300) == &f[2] && !p.head && !p.tail && p.queued == 0, "the queue empties");
}

int main(void)
{
	test_parse();
	test_departure();
	test_admit();
	test_fifo();
	test_round();
	return tap_done();
}
