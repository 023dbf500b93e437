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
 * Arrival times are the kernel's receive timestamps (in each frame's slot of
 * the port's TPACKET_V2 receive ring), so the time linkem takes to read a
 * frame is not added to its delay; departures are timed with an absolute
 * timerfd on the same clock (CLOCK_REALTIME) with 1 ns timer slack.
 *
 * The event loop reads each port in bounded batches (le_round) and lets the
 * frames that are due leave after every batch, so a flooded port delays the
 * other ports and the departures by one batch at most; drops are counted
 * per direction and reason (le_counters) and shown on the control socket.
 */
#ifndef MK_LINKEM_H
#define MK_LINKEM_H

#include <stddef.h>
#include <stdint.h>

enum {
	LE_MAX_PORTS = 16,
	LE_FRAME_MAX = 2048,      /* veth MTU 1500 + header; offloads are off */
	LE_MAC_SLOTS = 256,
	LE_BATCH = 64,            /* frames read from one port, or sent to one, per call */
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
	uint32_t refs;            /* egress copies not yet sent */
	uint8_t data[LE_FRAME_MAX];
};

/* Per direction (ingress port).  Drops by reason: loss (drawn, as set),
 * rate (tail drop behind the rate limit: the emulated bottleneck's queue is
 * full), queue (tail drop with no rate backlog: more frames in flight than
 * queue= allows, or linkem fell behind), kernel (dropped by the kernel
 * before linkem read them: linkem did not keep up), nobuf (the frame pool
 * was empty); fail counts copies the egress port refused. */
struct le_counters {
	uint64_t rx, tx_frames, tx_copies;
	uint64_t drop_loss, drop_rate, drop_queue, drop_kernel, nobuf, sendfail;
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

/* What becomes of a frame arriving on p at `arrival`, with loss draw u in
 * [0, 2^32): it passes, or is dropped for loss, a full queue behind the rate
 * limit, or a full queue.  Counts the drop in p->c.  Pure, for the unit test. */
enum le_verdict { LE_PASS, LE_DROP_LOSS, LE_DROP_RATE, LE_DROP_QUEUE };
enum le_verdict le_admit(struct le_port *p, uint64_t arrival, uint32_t u);

/* Departure time of a frame of len octets arriving at `arrival` on port p,
 * with jitter draw u in [0, 2^32) (0x80000000 is no jitter): updates the
 * port's transmitter state.  Pure, for the unit test. */
uint64_t le_departure(struct le_port *p, uint64_t arrival, uint32_t len, uint32_t u);

/* The direction's FIFO: append a frame; take its head if it is due by now. */
void le_enqueue(struct le_port *p, struct le_frame *f);
struct le_frame *le_take_due(struct le_port *p, uint64_t now);

/* One pass of the event loop over the ports with frames waiting (ready[i]),
 * starting after the port that started the last pass (*turn), so no port is
 * always first.  rx reads at most `batch` frames of one port and returns how
 * many it read; depart sends the frames that are due, and runs after every
 * port's batch: a port flooded faster than linkem can read delays the other
 * ports and the departures by one batch, never more.  Returns the frames
 * read.  No I/O of its own, for the unit test. */
struct le_io {
	unsigned (*rx)(void *ctx, int port, unsigned max);
	void (*depart)(void *ctx);
	void *ctx;
};
unsigned le_round(const struct le_io *io, const unsigned char *ready, int nports, unsigned batch,
		  int *turn);

#endif
