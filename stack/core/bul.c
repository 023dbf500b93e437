/* stack/core/bul.c: the binding update list (RFC 6275 11.1), an entry per
 * home agent (the home registration) and per correspondent, and the
 * retransmission schedule of 11.8: the first registration waits
 * InitialBindackTimeoutFirstReg (configurable, 1.5 s by default), later
 * ones INITIAL_BINDACK_TIMEOUT (1 s); each retransmission doubles the wait
 * up to MAX_BINDACK_TIMEOUT (32 s).  Refresh at 80% of the granted lifetime
 * or at the Binding Refresh Advice interval, whichever comes first. */
#include <string.h>
#include <sys/random.h>

#include "stack/core/core.h"

struct mobd_bule *bul_get(struct mobd_bul *l, const struct in6_addr *peer, bool home, bool create)
{
	struct mobd_bule *free_e = NULL;
	for (unsigned i = 0; i < MOBD_BUL_MAX; i++) {
		struct mobd_bule *e = &l->e[i];
		if (!e->used) {
			if (!free_e)
				free_e = e;
			continue;
		}
		if (home ? e->home : (!e->home && peer && !memcmp(&e->peer, peer, 16)))
			return e;
	}
	if (!create || !free_e)
		return NULL;
	memset(free_e, 0, sizeof *free_e);
	free_e->used = true;
	free_e->home = home;
	if (peer)
		free_e->peer = *peer;
	/* a random first sequence number (RFC 6275 11.7.1 only asks that it grow) */
	if (getrandom(&free_e->seq, sizeof free_e->seq, 0) != sizeof free_e->seq)
		free_e->seq = (uint16_t)now_ns();
	return free_e;
}

unsigned mobd_time_scale = 1;

unsigned bul_start(struct mobd_bule *e, bool first_reg, unsigned firstreg_ms)
{
	e->tries = 0;
	e->timeout_ms = mobd_t(first_reg ? firstreg_ms : MOBD_INITIAL_BINDACK_TIMEOUT_MS);
	return e->timeout_ms;
}

bool bul_exhausted(const struct mobd_bule *e)
{
	return e->timeout_ms >= mobd_t(MOBD_MAX_BINDACK_TIMEOUT_MS);
}

unsigned bul_backoff(struct mobd_bule *e)
{
	e->tries++;
	unsigned max = mobd_t(MOBD_MAX_BINDACK_TIMEOUT_MS);
	e->timeout_ms = e->timeout_ms * 2 > max ? max : e->timeout_ms * 2;
	return e->timeout_ms;
}

uint64_t bul_bound(struct mobd_bule *e, uint32_t granted, uint32_t bra, uint64_t now)
{
	e->granted = granted;
	e->bra = bra;
	e->bound_at = now;
	e->expires = now + (uint64_t)granted * 1000000000ull;
	uint64_t refresh_ms = (uint64_t)granted * 800;
	if (bra && (uint64_t)bra * 1000 < refresh_ms)
		refresh_ms = (uint64_t)bra * 1000;
	if (refresh_ms < 1000)
		refresh_ms = 1000;
	return refresh_ms;
}
