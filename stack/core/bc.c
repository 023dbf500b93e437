/* stack/core/bc.c: the binding cache (RFC 6275 9.1), one for every role
 * that keeps bindings.  A fixed pool of max entries allocated at start
 * (calloc: pages are touched only as entries are used) and a power-of-two
 * bucket array of 32-bit indexes; chains are linked through the pool, freed
 * entries through a free list.  It never grows: a new home address that
 * finds the pool full gets NULL (the home agent answers status 130). */
#include <stdlib.h>
#include <string.h>

#include "stack/core/core.h"

static uint32_t hash16(const struct in6_addr *a)
{
	uint64_t x, y;
	memcpy(&x, a->s6_addr, 8);
	memcpy(&y, a->s6_addr + 8, 8);
	x ^= y * 0x9e3779b97f4a7c15ull;
	x ^= x >> 31;
	x *= 0xbf58476d1ce4e5b9ull;
	x ^= x >> 29;
	return (uint32_t)x;
}

int bc_init(struct mobd_bc *bc, uint32_t max)
{
	uint32_t nb = 1;
	memset(bc, 0, sizeof *bc);
	if (!max)
		return -1;
	while (nb < max)
		nb <<= 1;
	bc->mask = nb - 1;
	bc->max = max;
	bc->pool = calloc(max, sizeof *bc->pool);
	bc->bucket = calloc(nb, sizeof *bc->bucket);
	if (!bc->pool || !bc->bucket) {
		bc_free(bc);
		return -1;
	}
	return 0;
}

void bc_free(struct mobd_bc *bc)
{
	free(bc->pool);
	free(bc->bucket);
	memset(bc, 0, sizeof *bc);
}

struct mobd_bce *bc_find(const struct mobd_bc *bc, const struct in6_addr *hoa)
{
	for (uint32_t i = bc->bucket[hash16(hoa) & bc->mask]; i; i = bc->pool[i - 1].next)
		if (memcmp(&bc->pool[i - 1].hoa, hoa, 16) == 0)
			return &bc->pool[i - 1];
	return NULL;
}

struct mobd_bce *bc_new(struct mobd_bc *bc, const struct in6_addr *hoa)
{
	uint32_t i;
	if (bc->free_head) {
		i = bc->free_head;
		bc->free_head = bc->pool[i - 1].next;
	} else if (bc->hwm < bc->max) {
		i = ++bc->hwm; /* first use of this entry: its page is touched now */
	} else {
		return NULL;
	}
	struct mobd_bce *e = &bc->pool[i - 1];
	memset(e, 0, sizeof *e);
	e->hoa = *hoa;
	e->used = 1;
	uint32_t b = hash16(hoa) & bc->mask;
	e->next = bc->bucket[b];
	bc->bucket[b] = i;
	bc->n++;
	return e;
}

void bc_del(struct mobd_bc *bc, struct mobd_bce *e)
{
	uint32_t idx = (uint32_t)(e - bc->pool) + 1;
	for (uint32_t *p = &bc->bucket[hash16(&e->hoa) & bc->mask]; *p; p = &bc->pool[*p - 1].next)
		if (*p == idx) {
			*p = e->next;
			break;
		}
	e->used = 0;
	e->next = bc->free_head;
	bc->free_head = idx;
	bc->n--;
}

void bc_show(const struct mobd_bc *bc, bool json, FILE *f)
{
	uint64_t now = now_ns();
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];
	bool first = true;
	if (json)
		fputc('[', f);
	for (uint32_t i = 0; i < bc->hwm && bc->n; i++) {
		const struct mobd_bce *e = &bc->pool[i];
		if (!e->used)
			continue;
		unsigned left = e->expires > now ? (unsigned)((e->expires - now) / 1000000000ull) : 0;
		if (json)
			fprintf(f,
				"%s{\"hoa\":\"%s\",\"coa\":\"%s\",\"seq\":%u,\"flags\":%u,"
				"\"lifetime\":%u,\"remaining\":%u,\"source\":\"%s\"}",
				first ? "" : ",", mk_ip6_ntop(&e->hoa, a), mk_ip6_ntop(&e->coa, b), e->seq, e->flags,
				e->granted, left, e->source == MOBD_BCE_DNS ? "dns" : "bu");
		else
			fprintf(f, "%s via %s seq %u lifetime %u s remaining %u s%s\n", mk_ip6_ntop(&e->hoa, a),
				mk_ip6_ntop(&e->coa, b), e->seq, e->granted, left,
				e->source == MOBD_BCE_DNS ? " source dns" : "");
		first = false;
	}
	if (json)
		fputs("]\n", f);
}

unsigned bc_expire(struct mobd_bc *bc, uint64_t now, void (*gone)(struct mobd *d, struct mobd_bce *e),
		   struct mobd *d)
{
	char a[INET6_ADDRSTRLEN];
	unsigned n = 0;
	for (uint32_t i = 0; i < bc->hwm && bc->n; i++) {
		struct mobd_bce *e = &bc->pool[i];
		if (e->used && e->expires <= now) {
			log_debug("binding for %s expired", mk_ip6_ntop(&e->hoa, a));
			if (gone)
				gone(d, e);
			else
				bc_del(bc, e);
			n++;
		}
	}
	return n;
}

bool bc_accept(struct mobd_bce *e, bool fresh, const struct in6_addr *coa, uint16_t seq,
	       uint16_t flags, uint32_t *life, uint32_t max)
{
	uint32_t l = *life > max ? max : *life;
	l = mk_mh_lifetime_sec(mk_mh_lifetime_units(l));
	if (l > max) /* rounded up to a 4 s unit past the limit: one unit less */
		l -= 4;
	bool moved = fresh || memcmp(&e->coa, coa, 16) != 0;
	e->coa = *coa;
	e->seq = seq;
	e->flags = flags;
	e->granted = l;
	e->expires = now_ns() + (uint64_t)l * 1000000000ull;
	*life = l;
	return moved;
}
