/* capture/mobcap/lat-tables.c: what more than one latency metric keeps
 * (latency.h): growing arrays, tables by home address, the first
 * sightings of source addresses and the digests of tunnelled packets. */
#include "latency.h"

#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"
#include "wire/ip6ext.h"

/* The address table starts small and doubles when an insertion finds its
 * neighbourhood full, up to its most: a capture of ten packets does not
 * pay for zeroing 5 MB (it did, 20 ms per input in the fuzz harness). */
#define TABLE_START 256   /* slots a table starts with, power of two */
#define ADDR_SLOTS 65536  /* most first sightings of source addresses */
#define TUN_WINDOW 1000000000ull /* a decapsulated copy follows within 1 s */
#define TUN_DIGEST 104   /* octets a digest covers: the header and 64 of payload */

bool lat_grow(void **p, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return true;
	size_t nc = *cap ? *cap * 2 : 16;
	void *q = realloc(*p, nc * sz);
	if (!q)
		return false;
	*p = q;
	*cap = nc;
	return true;
}

const char *lat_label(const struct lat *L, const struct in6_addr *a, char *b)
{
	for (unsigned i = 0; i < L->o->nlabels; i++)
		if (memcmp(&L->o->label_addr[i], a, 16) == 0)
			return L->o->label[i];
	return mk_ip6_ntop(a, b);
}

void *lat_hoa_get(struct lat *L, void **tab, size_t *n, size_t *cap, size_t sz,
		  const struct in6_addr *hoa)
{
	void *e = lat_hoa_find(*tab, *n, sz, hoa);
	if (e)
		return e;
	if (!lat_grow(tab, cap, *n, sz)) {
		L->oom = true;
		return NULL;
	}
	e = (uint8_t *)*tab + (*n)++ * sz;
	memset(e, 0, sz);
	memcpy(e, hoa, 16);
	return e;
}

/* ---- first sightings of source addresses --------------------------------------- */

static uint64_t addr_key(const struct in6_addr *a, unsigned src)
{
	return hash_bytes(0xcbf29ce484222325ull, a, 16) + src * 0x9e3779b97f4a7c15ull;
}

static uint64_t addr_hash(const void *e)
{
	const struct addr_slot *x = e;
	return addr_key(&x->a, x->src);
}

static bool addr_used(const void *e)
{
	return ((const struct addr_slot *)e)->used;
}

bool lat_seen_start(struct lat_seen *S)
{
	S->as = calloc(S->nas = TABLE_START, sizeof *S->as);
	return S->as != NULL;
}

void lat_seen_stop(struct lat_seen *S)
{
	free(S->as);
}

/* lat_seen_find, inlined in lat_seen_add (every packet of handoff and migrate) */
static inline struct addr_slot *seen_find(struct lat_seen *S, const struct in6_addr *a, unsigned src,
					  bool insert)
{
	uint64_t h = addr_key(a, src);
	struct addr_slot *t;
again:
	for (unsigned k = 0; k < 32; k++) {
		struct addr_slot *e = &S->as[(h + k) & (S->nas - 1)];
		if (e->used && e->src == src && memcmp(&e->a, a, 16) == 0)
			return e;
		if (!e->used) {
			if (!insert)
				return NULL;
			memset(e, 0, sizeof *e);
			e->used = true;
			e->a = *a;
			e->src = src;
			return e;
		}
	}
	if (insert && (t = mc_table_grow(S->as, &S->nas, ADDR_SLOTS, sizeof *t, 32, addr_hash, addr_used))) {
		S->as = t;
		goto again;
	}
	return NULL; /* a crowded neighbourhood in a full table: this address is not followed */
}

struct addr_slot *lat_seen_find(struct lat_seen *S, const struct in6_addr *a, unsigned src, bool insert)
{
	return seen_find(S, a, src, insert);
}

/* ---- packets seen inside tunnels (handoff) ------------------------------------------ */

/* A digest of an IPv6 packet but for its hop limit: its header and the first
 * octets of its payload (a TCP or UDP checksum among them), enough to know a
 * packet a home agent took out of a tunnel and forwarded. */
static uint64_t tun_digest(const uint8_t *ip, size_t n)
{
	size_t want = 40 + ((size_t)ip[4] << 8 | ip[5]);
	if (want < n)
		n = want; /* link padding is not the packet */
	if (n > TUN_DIGEST)
		n = TUN_DIGEST;
	uint64_t h = hash_bytes(0xcbf29ce484222325ull, ip, 7);
	return hash_bytes(h, ip + 8, n - 8);
}

void lat_tun_remember(struct lat_seen *S, const uint8_t *inner, size_t n, uint64_t ts)
{
	if (n < 40)
		return;
	uint64_t h = tun_digest(inner, n);
	S->tun[h & (LAT_TUN_SLOTS - 1)] = (struct tun_slot){ .h = h, .ts = ts };
}

/* ip (n octets, not itself a tunnel) was seen inside a tunnel within the window */
static bool tun_seen(const struct lat_seen *S, const uint8_t *ip, size_t n, uint64_t ts)
{
	uint64_t h = tun_digest(ip, n);
	const struct tun_slot *e = &S->tun[h & (LAT_TUN_SLOTS - 1)];
	return e->ts && e->h == h && ts >= e->ts && ts - e->ts < TUN_WINDOW;
}

/* The first sightings of a source address, by capture src.  With ip given
 * (handoff), a packet seen before inside a tunnel is not a sighting: it is
 * the copy a home agent decapsulated, not the node sending from there. */
void lat_seen_add(struct lat_seen *S, const struct in6_addr *a, unsigned src, const struct mc_pkt *p,
		  const uint8_t *ip, size_t n)
{
	static const struct in6_addr any;
	if (memcmp(a, &any, 16) == 0)
		return;
	struct addr_slot *e = seen_find(S, a, src, true);
	if (!e)
		return;
	bool fresh = !e->first_epoch.set || e->epoch != S->epoch;
	if ((fresh || !e->first.set) && ip && tun_seen(S, ip, n, p->ts))
		return;
	if (!e->first.set)
		e->first = mkref(p);
	if (fresh) {
		e->first_epoch = mkref(p);
		e->epoch = S->epoch;
	}
}
