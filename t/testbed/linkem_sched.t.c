/* t/testbed/linkem_sched.t.c: linkem's settings parser and departure times
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

int main(void)
{
	test_parse();
	test_departure();
	return tap_done();
}
