/*
 * tokrank: the rank of a byte string in a tiktoken rank table, for
 * protocol/tok's byte-pair merge. An open-addressing table whose slots hold
 * a token's first 8 bytes inline, so a lookup of a token up to 8 bytes long
 * (most of them: merges start from single bytes) compares one word and
 * touches one cache line. The lookup is inline: the merge calls it for
 * every pair.
 */
#ifndef MCPL_PROTOCOL_TOKRANK_H
#define MCPL_PROTOCOL_TOKRANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define TOKRANK_NONE UINT32_MAX
#define TOKRANK_MAX  255 /* the longest token the table can hold: the length byte's limit */

struct tokrank_slot {
	uint64_t head; /* the token's first 8 bytes, zero-padded (tokrank_key) */
	uint32_t rank;
	uint8_t len; /* bytes; 0: an empty slot */
	uint8_t pad;
	uint16_t
	    tag; /* 16 more bits of the hash: a longer token's bytes are compared only on a match */
};

struct tokrank {
	const unsigned char *blob; /* length-prefixed tokens in rank order (tokdata_*) */
	uint32_t count;		   /* ranks */
	uint32_t *off;		   /* off[r]: where rank r's bytes start in blob */
	struct tokrank_slot *slot; /* 1 << bits, at most half full */
	unsigned bits;
};

/*
 * Builds r over count tokens of blob (each a length byte then the bytes, in
 * rank order; blob is not copied and must outlive r). 0 or -ENOMEM.
 */
int tokrank_init(struct tokrank *r, const unsigned char *blob, uint32_t count);

/* Frees what tokrank_init allocated; a zeroed r is allowed. */
void tokrank_free(struct tokrank *r);

/* The first n (1..8) bytes of the word w as loaded from memory; the rest zero. */
static inline uint64_t tokrank_first(uint64_t w, size_t n)
{
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
	return w & (~0ull << (64 - 8 * n));
#else
	return w & (~0ull >> (64 - 8 * n));
#endif
}

/*
 * p[0..min(n, 16)) (n >= 1) zero-padded into two words. avail is how many
 * bytes from p may be read: with 16 of them, two fixed-size loads and a mask
 * replace a variable-length copy (only the end of a text lacks them).
 */
static inline void tokrank_key(const uint8_t *p, size_t n, size_t avail, uint64_t k[2])
{
	if (avail < 16) {
		k[0] = 0;
		k[1] = 0;
		memcpy(k, p, n < 16 ? n : 16);
		return;
	}
	memcpy(k, p, 16);
	if (n <= 8) {
		k[0] = tokrank_first(k[0], n);
		k[1] = 0;
	} else if (n < 16) {
		k[1] = tokrank_first(k[1], n - 8);
	}
}

/* A multiplicative hash of a key and its length; the high bits are the good ones. */
static inline uint64_t tokrank_mix(const uint64_t k[2], size_t n)
{
	return (k[0] ^ k[1] * 0xc4ceb9fe1a85ec53ull ^ n) * 0x9e3779b97f4a7c15ull;
}

/* The hash of p[0..n) given its key k: bytes past the first 16 folded in 8 at a time. */
static inline uint64_t tokrank_hash(const uint8_t *p, size_t n, const uint64_t k[2])
{
	uint64_t h = tokrank_mix(k, n), w;
	for (size_t i = 16; i < n; i += 8) {
		w = 0;
		memcpy(&w, p + i, n - i < 8 ? n - i : 8);
		h = (h ^ (h >> 29) ^ w) * 0xff51afd7ed558ccdull;
	}
	return h;
}

/* Whether slot s holds p[0..n) (key k, hash h); the bytes past 8 are compared in the blob. */
static inline bool tokrank_slot_is(const struct tokrank *r, const struct tokrank_slot *s,
				   const uint8_t *p, size_t n, const uint64_t k[2], uint64_t h)
{
	if (s->head != k[0] || s->len != n)
		return false;
	if (n <= 8)
		return true;
	return s->tag == (uint16_t)h && memcmp(r->blob + r->off[s->rank] + 8, p + 8, n - 8) == 0;
}

/* tokrank_find for the lookups its inline part does not do: longer than 8 bytes, or near the end.
 */
uint32_t tokrank_find_long(const struct tokrank *r, const uint8_t *p, size_t n, size_t avail);

/*
 * The rank of p[0..n) (n >= 1; avail bytes from p may be read), or
 * TOKRANK_NONE. Inline for most lookups (the merge's, of up to 8 bytes):
 * one word loaded and compared whole.
 */
static inline uint32_t tokrank_find(const struct tokrank *r, const uint8_t *p, size_t n,
				    size_t avail)
{
	uint64_t k[2];
	size_t mask = ((size_t)1 << r->bits) - 1;
	if (n > 8 || avail < 8)
		return tokrank_find_long(r, p, n, avail);
	memcpy(&k[0], p, 8);
	k[0] = tokrank_first(k[0], n);
	k[1] = 0;
	for (size_t i = tokrank_mix(k, n) >> (64 - r->bits);; i = (i + 1) & mask) {
		const struct tokrank_slot *s = &r->slot[i];
		if (s->head == k[0] && s->len == n)
			return s->rank;
		if (!s->len)
			return TOKRANK_NONE;
	}
}

/* Rank rank's bytes (rank < count); their length in *n. */
static inline const unsigned char *tokrank_bytes(const struct tokrank *r, uint32_t rank, size_t *n)
{
	const unsigned char *q = r->blob + r->off[rank];
	*n = q[-1];
	return q;
}

#endif
