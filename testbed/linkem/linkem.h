/* testbed/linkem/linkem.h: a link emulator in user space.
 *
 * This kernel has no netem, so the testbed's links are emulated here: linkem
 * joins N interfaces (the link-side ends of veth pairs, in the link's own
 * namespace) as one Ethernet segment, a learning switch, and holds every
 * frame until its departure time:
 *
 *   departure = serialised(arrival) + delay + jitter
 *
 * where serialised() is the end of transmission at `rate` (a token-free
 * FIFO transmitter: a frame starts when the previous one of its direction
 * has left the wire) and jitter is uniform in [-jitter, +jitter].  Frames of
 * one direction never overtake each other (a link keeps order), so each
 * direction's queue is already sorted by departure time and a FIFO per
 * ingress port stands in for a timing wheel: the next deadline is the
 * smallest head of N queues, found in O(N) with no per-frame search.
 *
 * A direction is named by its ingress port: settings given "from=IFACE"
 * apply to frames arriving on IFACE (for a two-port link, one direction);
 * without from=, to every port.  Loss is drawn per frame at ingress.
 *
 * Arrival times are the kernel's receive timestamps (SO_TIMESTAMPNS), so the
 * time linkem takes to read a frame is not added to its delay; departures
 * are timed with an absolute timerfd on the same clock (CLOCK_REALTIME) with
 * 1 ns timer slack.
 */
#ifndef MK_LINKEM_H
#define MK_LINKEM_H

#include <stddef.h>
#include <stdint.h>

enum {
	LE_MAX_PORTS = 16,
	LE_FRAME_MAX = 2048,      /* veth MTU 1500 + header; offloads are off */
	LE_MAC_SLOTS = 256,
};

struct le_settings {
	uint64_t delay_ns;
	uint64_t jitter_ns;
	uint32_t loss_ppm;        /* frames lost per million */
	uint64_t rate_bps;        /* 0: unlimited */
	uint32_t queue_max;       /* frames waiting per direction before tail drop */
};

struct le_frame {
	struct le_frame *next;
	uint64_t depart;          /* CLOCK_REALTIME ns (see main.c) */
	uint32_t len;
	uint8_t data[LE_FRAME_MAX];
};

struct le_counters {
	uint64_t rx, tx_frames, tx_copies, lost, qdrop, nobuf, sendfail;
};

struct le_port {
	char name[32];
	int ifindex, fd;
	struct le_settings set;
	uint64_t tx_free;         /* when this direction's transmitter is free */
	uint64_t last_depart;
	struct le_frame *head, *tail;
	uint32_t queued;
	struct le_counters c;
};

/* Parse "delay=10 jitter=0.5 loss=1 rate=100 queue=1000" tokens (ms, ms,
 * percent, Mbit/s, frames) into s; unknown keys or bad values: -1 and
 * *bad points at the token. */
int le_parse_setting(const char *tok, struct le_settings *s, const char **bad);

/* Departure time of a frame of len octets arriving at `arrival` on port p,
 * with jitter draw u in [0, 2^32) (0x80000000 is no jitter): updates the
 * port's transmitter state.  Pure, for the unit test. */
uint64_t le_departure(struct le_port *p, uint64_t arrival, uint32_t len, uint32_t u);

#endif
