/*
 * theap: a binary min-heap of (deadline, index, generation) for timers of
 * varying length (think times, user spawns), where the FIFO queues of tq.h
 * do not fit. Storage is the caller's, sized at start; an entry whose
 * generation no longer matches its owner's is stale and skipped by the
 * caller (lazy deletion), so nothing is ever removed from the middle.
 */
#ifndef MCPL_CORE_USERS_THEAP_H
#define MCPL_CORE_USERS_THEAP_H

#include <stdbool.h>
#include <stdint.h>

struct theap_ent {
	uint64_t at_ns;
	uint32_t idx;
	uint32_t gen;
};

struct theap {
	struct theap_ent *e; /* caller's array of cap entries */
	unsigned len, cap;
};

static inline void theap_swap(struct theap_ent *a, struct theap_ent *b)
{
	struct theap_ent t = *a;
	*a = *b;
	*b = t;
}

/* Returns false when full. */
static inline bool theap_push(struct theap *h, uint64_t at_ns, uint32_t idx, uint32_t gen)
{
	unsigned i = h->len;
	if (i == h->cap)
		return false;
	h->e[h->len++] = (struct theap_ent){at_ns, idx, gen};
	while (i > 0 && h->e[(i - 1) / 2].at_ns > h->e[i].at_ns) {
		theap_swap(&h->e[(i - 1) / 2], &h->e[i]);
		i = (i - 1) / 2;
	}
	return true;
}

/* Earliest deadline, UINT64_MAX when empty. */
static inline uint64_t theap_next_ns(const struct theap *h)
{
	return h->len ? h->e[0].at_ns : UINT64_MAX;
}

/* Take the earliest entry if it is due by now_ns. Returns false otherwise. */
static inline bool theap_pop_due(struct theap *h, uint64_t now_ns, struct theap_ent *out)
{
	unsigned i = 0;
	if (!h->len || h->e[0].at_ns > now_ns)
		return false;
	*out = h->e[0];
	h->e[0] = h->e[--h->len];
	for (;;) {
		unsigned l = 2 * i + 1, r = l + 1, m = i;
		if (l < h->len && h->e[l].at_ns < h->e[m].at_ns)
			m = l;
		if (r < h->len && h->e[r].at_ns < h->e[m].at_ns)
			m = r;
		if (m == i)
			return true;
		theap_swap(&h->e[i], &h->e[m]);
		i = m;
	}
}

#endif
