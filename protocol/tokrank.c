/*
 * tokrank: builds the rank table of protocol/tokrank.h from the length-
 * prefixed tokens that tools/tok/ranks.mjs generates; the lookup itself is
 * inline in the header.
 */
#include <errno.h>
#include <stdlib.h>

#include "protocol/tokrank.h"

int tokrank_init(struct tokrank *r, const unsigned char *blob, uint32_t count)
{
	size_t pos = 0, mask;
	r->blob = blob;
	r->count = count;
	r->bits = 1;
	while (((size_t)1 << r->bits) < 2 * (size_t)count)
		r->bits++;
	mask = ((size_t)1 << r->bits) - 1;
	r->off = malloc(count * sizeof(r->off[0]));
	r->slot = calloc(mask + 1, sizeof(r->slot[0]));
	if (!r->off || !r->slot)
		return -ENOMEM;
	for (uint32_t rank = 0; rank < count; rank++) {
		const unsigned char *p = blob + pos + 1;
		size_t n = blob[pos], i;
		uint64_t k[2], h;
		tokrank_key(p, n, n, k);
		h = tokrank_hash(p, n, k);
		for (i = h >> (64 - r->bits); r->slot[i].len; i = (i + 1) & mask)
			;
		r->slot[i] = (struct tokrank_slot){
		    .head = k[0], .rank = rank, .len = (uint8_t)n, .tag = (uint16_t)h};
		r->off[rank] = (uint32_t)(pos + 1);
		pos += 1 + n;
	}
	return 0;
}

uint32_t tokrank_find_long(const struct tokrank *r, const uint8_t *p, size_t n, size_t avail)
{
	uint64_t k[2], h;
	size_t mask = ((size_t)1 << r->bits) - 1;
	if (n > TOKRANK_MAX)
		return TOKRANK_NONE;
	tokrank_key(p, n, avail, k);
	h = tokrank_hash(p, n, k);
	for (size_t i = h >> (64 - r->bits);; i = (i + 1) & mask) {
		const struct tokrank_slot *s = &r->slot[i];
		if (!s->len)
			return TOKRANK_NONE;
		if (tokrank_slot_is(r, s, p, n, k, h))
			return s->rank;
	}
}

void tokrank_free(struct tokrank *r)
{
	free(r->off);
	free(r->slot);
	r->off = NULL;
	r->slot = NULL;
}
