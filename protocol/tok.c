/*
 * tiktoken's byte-pair encoding: each piece of the pattern split is looked
 * up whole, else merged pair by pair, lowest rank first and leftmost among
 * equals, exactly as tiktoken merges. Short pieces use the plain scan
 * (quadratic, but in cache); long ones a heap over a linked list, so a
 * megabyte run of one letter stays O(n log n).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/tok.h"
#include "protocol/tokpre.h"
#include "protocol/tokrank.h"

/*
 * The rank tables, generated into build/tok/tokdata.c by tools/tok/ranks.mjs:
 * for each rank in order, one length byte then the token's bytes.
 */
extern const unsigned char tokdata_cl100k[], tokdata_o200k[];
extern const size_t tokdata_cl100k_count, tokdata_o200k_count;

#define NONE	   TOKRANK_NONE
#define SHORT	   128	 /* pieces up to this long merge by plain scan */
#define WORK_BYTES 65536 /* work space allocated at open; grown only for longer pieces */
/* Text repeats its pieces (" the", "\n\t", " return"): the ids of short
 * ones are kept in a direct-mapped cache, so a repeat costs one multiply and
 * two word compares instead of the rank table's probes and the merge. Of a
 * source file's pieces 99.9 % are at most 16 bytes and 99 % have at most 3
 * tokens; a 32-byte entry holds those, 2 to a cache line. */
/* 32768 entries, 1 MB: fewer misses than 8192 (4.5 % fewer instructions on
 * 1.8 MB of sources), and half of a 2 MB L2 */
#define CACHE_BITS  15
#define CACHE_BYTES 16 /* pieces up to this long are cached: the key's two words */
#define CACHE_IDS   3  /* ... when they have at most this many tokens */

struct cached {
	uint64_t key[2];   /* the piece's bytes, zero-padded (tokrank_key) */
	uint8_t len, nids; /* len 0: empty */
	uint32_t ids[CACHE_IDS];
};

struct tok {
	enum tok_encoding enc;
	size_t (*split)(const uint8_t *s, size_t len, bool *bad);
	struct tokrank rank;	 /* over tokdata_*: length-prefixed tokens in rank order */
	uint32_t byte_rank[256]; /* each byte's rank: every byte is a token */
	/* pair_rank[a << 8 | b]: the rank of bytes a, b, or NONE (256 KB). Half of a source
	 * file's pieces are one or two bytes: they skip the cache's hash, and the
	 * merge's first pairs skip the rank table. */
	uint32_t pair_rank[1 << 16];
	uint8_t *buf;	      /* a piece with ill-formed UTF-8 replaced */
	size_t buf_cap;	      /* bytes */
	uint32_t *wk;	      /* the long merge's next, prev and pair-rank arrays */
	size_t wk_cap;	      /* entries */
	uint64_t *heap;	      /* the long merge's rank << 32 | start heap */
	size_t heap_cap;      /* entries */
	struct cached *cache; /* 1 << CACHE_BITS */
};

/* Where the ids go; with cap 0 only n counts. */
struct sink {
	uint32_t *ids;
	size_t cap;
	size_t n;
};

static inline void emit(struct sink *o, uint32_t id)
{
	if (o->n < o->cap)
		o->ids[o->n] = id;
	o->n++;
}

/* emit() for ids[0..n): counting (cap 0) costs one compare and an add. */
static inline void emit_n(struct sink *o, const uint32_t *ids, size_t n)
{
	if (o->n < o->cap) {
		size_t room = o->cap - o->n;
		for (size_t i = 0; i < n && i < room; i++)
			o->ids[o->n + i] = ids[i];
	}
	o->n += n;
}

/* The rank of p[0..n) (avail bytes from p may be read), or NONE. */
static inline uint32_t rank_of(const struct tok *t, const uint8_t *p, size_t n, size_t avail)
{
	return tokrank_find(&t->rank, p, n, avail);
}

/* Grows *p to hold need entries of size elem; 0 or -ENOMEM. */
static int reserve(void **p, size_t *cap, size_t need, size_t elem)
{
	void *np;
	if (need <= *cap)
		return 0;
	if (need < *cap * 2)
		need = *cap * 2;
	np = realloc(*p, need * elem);
	if (!np)
		return -ENOMEM;
	*p = np;
	*cap = need;
	return 0;
}

/* bpe_short's keys hold a start in 7 bits, a rank in the other 25 (tables have < 2^18). */
_Static_assert(SHORT <= 128, "a start must fit in 7 bits");

/* A pair's scan key: rank above start, so the lowest key is the lowest rank, leftmost. */
static inline uint32_t pair_key(uint32_t rank, size_t start)
{
	return rank == NONE ? NONE : rank << 7 | (uint32_t)start;
}

/* The lowest of k[0..n) (n >= 1; k[n..n+3) readable, NONE): four chains of compares. */
static inline uint32_t scan_min(const uint32_t *k, size_t n)
{
	uint32_t m0 = NONE, m1 = NONE, m2 = NONE, m3 = NONE;
	for (size_t i = 0; i < n; i += 4) {
		m0 = k[i] < m0 ? k[i] : m0;
		m1 = k[i + 1] < m1 ? k[i + 1] : m1;
		m2 = k[i + 2] < m2 ? k[i + 2] : m2;
		m3 = k[i + 3] < m3 ? k[i + 3] : m3;
	}
	m0 = m1 < m0 ? m1 : m0;
	m2 = m3 < m2 ? m3 : m2;
	return m2 < m0 ? m2 : m0;
}

/* The lowest of the 8 keys at k: two chains of compares. */
static inline uint32_t min8(const uint32_t *k)
{
	uint32_t m0 = k[0], m1 = k[1];
	for (size_t i = 2; i < 8; i += 2) {
		m0 = k[i] < m0 ? k[i] : m0;
		m1 = k[i + 1] < m1 ? k[i + 1] : m1;
	}
	return m1 < m0 ? m1 : m0;
}

/*
 * The plain merge: after each merge, find the lowest pair key. Parts stay
 * where their first byte is (a list by nxt/prv), so nothing moves; a merged
 * part's key is NONE and its rank is the pair's, so no part is looked up
 * again at the end. Keys pack rank << 7 | start (ranks < 2^18, starts <
 * SHORT = 128), so the lowest is the lowest rank, leftmost, and a
 * branch-free scan finds it. Past 16 keys each block of 8 keeps its
 * minimum: a merge changes at most 3 keys, so it costs at most 3 blocks
 * rescanned and a scan of n / 8 minima, not of n keys.
 */
static inline __attribute__((always_inline)) void
bpe_scan(const struct tok *t, const uint8_t *p, size_t n, size_t avail, struct sink *o, bool small)
{
	uint32_t key[SHORT + 8];     /* key[i]: the pair of the part at i and the next, or NONE */
	uint32_t blk[SHORT / 8 + 3]; /* blk[b]: the lowest of key[8b..8b+8) */
	uint32_t pr[SHORT];	     /* pr[i]: the rank of the part at i */
	uint8_t nxt[SHORT], prv[SHORT];
	size_t i, j, h, nb = (n + 6) / 8; /* blocks over the n - 1 keys */
	for (i = 0; i < n; i++) {
		nxt[i] = (uint8_t)(i + 1);
		prv[i] = (uint8_t)(i - 1);
		pr[i] = t->byte_rank[p[i]];
	}
	for (i = 0; i + 1 < n; i++)
		key[i] = pair_key(t->pair_rank[p[i] << 8 | p[i + 1]], i);
	for (i = n - 1; i < 8 * nb; i++)
		key[i] = NONE;
	for (i = 0; i < nb && !small; i++)
		blk[i] = min8(key + 8 * i);
	for (i = nb; i < nb + 3; i++)
		blk[i] = NONE; /* scan_min's padding */
	for (;;) {
		uint32_t m = small ? scan_min(key, n - 1) : scan_min(blk, nb);
		if (m == NONE)
			break;
		i = m & 127;
		j = nxt[i];
		pr[i] = m >> 7;
		key[j] = NONE;
		nxt[i] = nxt[j];
		key[i] = NONE;
		if (nxt[i] < n) {
			prv[nxt[i]] = (uint8_t)i;
			key[i] = pair_key(rank_of(t, p + i, nxt[nxt[i]] - i, avail - i), i);
		}
		h = i; /* no part before the first */
		if (i > 0) {
			h = prv[i];
			key[h] = pair_key(rank_of(t, p + h, nxt[i] - h, avail - h), h);
		}
		if (small)
			continue;
		blk[i / 8] = min8(key + (i & ~(size_t)7));
		if (j + 1 < n && j / 8 != i / 8)
			blk[j / 8] = min8(key + (j & ~(size_t)7));
		if (h / 8 != i / 8)
			blk[h / 8] = min8(key + (h & ~(size_t)7));
	}
	for (i = 0; i < n; i = nxt[i])
		emit(o, pr[i]);
}

/* bpe_scan compiled twice: without the blocks for up to 16 keys, the most common. */
static void bpe_short(const struct tok *t, const uint8_t *p, size_t n, size_t avail, struct sink *o)
{
	if (n <= 17)
		bpe_scan(t, p, n, avail, o, true);
	else
		bpe_scan(t, p, n, avail, o, false);
}

static void heap_push(uint64_t *h, size_t *n, uint64_t v)
{
	size_t i = (*n)++;
	while (i > 0 && h[(i - 1) / 2] > v) {
		h[i] = h[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	h[i] = v;
}

static uint64_t heap_pop(uint64_t *h, size_t *n)
{
	uint64_t top = h[0], v = h[--*n];
	size_t i = 0;
	for (size_t c = 1; c < *n; c = 2 * i + 1) {
		if (c + 1 < *n && h[c + 1] < h[c])
			c++;
		if (h[c] >= v)
			break;
		h[i] = h[c];
		i = c;
	}
	h[i] = v;
	return top;
}

/* Pushes the pair starting at s (its part ends at nxt[s], the next at nxt[nxt[s]]). */
static void pair(const struct tok *t, const uint8_t *p, size_t n, uint32_t s, size_t *hn)
{
	uint32_t *nxt = t->wk, *pr = t->wk + 2 * n;
	pr[s] = nxt[s] < n ? rank_of(t, p + s, nxt[nxt[s]] - s, n - s) : NONE;
	if (pr[s] != NONE)
		heap_push(t->heap, hn, (uint64_t)pr[s] << 32 | s);
}

/*
 * The heap merge: parts are a linked list by start offset; the heap holds
 * (pair rank, start), so the lowest rank and then the leftmost comes out
 * first, as in the plain scan. Entries go stale when a neighbour merges;
 * a popped entry is used only if its part lives and its pair rank is current.
 */
static int bpe_long(struct tok *t, const uint8_t *p, size_t n, struct sink *o)
{
	uint32_t *nxt, *prv, *pr; /* nxt[s] == 0: s was merged into its left neighbour */
	size_t hn = 0;
	if (reserve((void **)&t->wk, &t->wk_cap, 3 * n, sizeof(uint32_t)) ||
	    reserve((void **)&t->heap, &t->heap_cap, 3 * n, sizeof(uint64_t)))
		return -ENOMEM;
	nxt = t->wk;
	prv = t->wk + n;
	pr = t->wk + 2 * n;
	for (uint32_t i = 0; i < n; i++) {
		nxt[i] = i + 1;
		prv[i] = i - 1;
	}
	for (uint32_t i = 0; i + 1 < n; i++)
		pair(t, p, n, i, &hn);
	while (hn) {
		uint64_t e = heap_pop(t->heap, &hn);
		uint32_t s = (uint32_t)e, gone, after;
		if (nxt[s] == 0 || pr[s] != e >> 32)
			continue;
		gone = nxt[s];
		after = nxt[gone];
		nxt[s] = after;
		nxt[gone] = 0;
		if (after < n)
			prv[after] = s;
		pair(t, p, n, s, &hn);
		if (s > 0)
			pair(t, p, n, prv[s], &hn);
	}
	for (uint32_t s = 0; s < n; s = nxt[s])
		emit(o, rank_of(t, p + s, nxt[s] - s, n - s));
	return 0;
}

static int piece_uncached(struct tok *t, const uint8_t *p, size_t n, size_t avail, struct sink *o)
{
	uint32_t r = rank_of(t, p, n, avail);
	if (r != NONE) {
		emit(o, r);
		return 0;
	}
	if (n <= SHORT) {
		bpe_short(t, p, n, avail, o);
		return 0;
	}
	return bpe_long(t, p, n, o);
}

/* Merges a short piece that missed the cache and keeps its ids in entry c. */
static __attribute__((noinline)) void piece_fill(struct tok *t, const uint8_t *p, size_t n,
						 size_t avail, const uint64_t k[2],
						 struct cached *c, struct sink *o)
{
	uint32_t ids[CACHE_IDS];
	struct sink mine = {ids, CACHE_IDS, 0};
	piece_uncached(t, p, n, avail, &mine); /* short: cannot fail */
	if (mine.n > CACHE_IDS) {
		piece_uncached(t, p, n, avail, o);
		return;
	}
	emit_n(o, ids, mine.n);
	c->key[0] = k[0];
	c->key[1] = k[1];
	c->len = (uint8_t)n;
	c->nids = (uint8_t)mine.n;
	memcpy(c->ids, ids, mine.n * sizeof(ids[0]));
}

/*
 * A piece's ids: one or two bytes from the tables, a short piece from
 * the cache, else merged. Inlined into the encode loop (forced: gcc would
 * not), as most pieces take one of the first two paths. avail is how many
 * bytes from p may be read (n or more).
 */
static inline __attribute__((always_inline)) int piece(struct tok *t, const uint8_t *p, size_t n,
						       size_t avail, struct sink *o)
{
	struct cached *c;
	uint64_t k[2];
	if (n <= 2) {
		uint32_t id = n == 1 ? t->byte_rank[p[0]] : t->pair_rank[p[0] << 8 | p[1]];
		if (id != NONE) {
			emit(o, id);
		} else {
			emit(o, t->byte_rank[p[0]]);
			emit(o, t->byte_rank[p[1]]);
		}
		return 0;
	}
	if (n > CACHE_BYTES)
		return piece_uncached(t, p, n, avail, o);
	tokrank_key(p, n, avail, k);
	c = &t->cache[tokrank_mix(k, n) >> (64 - CACHE_BITS)];
	if (c->key[0] == k[0] && c->key[1] == k[1] && c->len == n) {
		emit_n(o, c->ids, c->nids);
		return 0;
	}
	piece_fill(t, p, n, avail, k, c, o);
	return 0;
}

/* Copies p[0..n) into t->buf with each ill-formed subpart replaced by U+FFFD; its length. */
static int replace_bad(struct tok *t, const uint8_t *p, size_t n, size_t *m)
{
	size_t i, j = 0, w;
	uint32_t cp;
	if (reserve((void **)&t->buf, &t->buf_cap, 3 * n, 1))
		return -ENOMEM;
	for (i = 0; i < n; i += w) {
		bool bad = false;
		w = tokpre_utf8(p + i, n - i, &cp, &bad);
		if (bad) {
			memcpy(t->buf + j, "\xef\xbf\xbd", 3);
			j += 3;
		} else {
			memcpy(t->buf + j, p + i, w);
			j += w;
		}
	}
	*m = j;
	return 0;
}

/*
 * The encode loop for one encoding (enc is a constant in each caller, so
 * the pattern's ASCII fast path is inlined here: most pieces cost no call).
 */
static inline __attribute__((always_inline)) int
encode_with(struct tok *t, const char *utf8, size_t len, struct sink *o, enum tok_encoding enc)
{
	const uint8_t *s = (const uint8_t *)utf8;
	size_t pos, n, m;
	int rc;
	for (pos = 0; pos < len; pos += n) {
		bool bad = false;
		n = enc == TOK_CL100K_BASE ? tokpre_fast_cl100k(s + pos, len - pos)
					   : tokpre_fast_o200k(s + pos, len - pos);
		if (!n)
			n = t->split(s + pos, len - pos, &bad);
		if (bad) {
			rc = replace_bad(t, s + pos, n, &m);
			if (rc == 0)
				rc = piece(t, t->buf, m, t->buf_cap, o);
		} else {
			rc = piece(t, s + pos, n, len - pos, o);
		}
		if (rc)
			return rc;
	}
	return 0;
}

static int encode(struct tok *t, const char *utf8, size_t len, struct sink *o)
{
	if (t->enc == TOK_CL100K_BASE)
		return encode_with(t, utf8, len, o, TOK_CL100K_BASE);
	return encode_with(t, utf8, len, o, TOK_O200K_BASE);
}

int64_t tok_count(struct tok *t, const char *utf8, size_t len)
{
	struct sink o = {0};
	int rc = encode(t, utf8, len, &o);
	return rc ? rc : (int64_t)o.n;
}

int tok_encode(struct tok *t, const char *utf8, size_t len, uint32_t *ids, size_t cap, size_t *n)
{
	struct sink o = {ids, cap, 0};
	int rc = encode(t, utf8, len, &o);
	*n = o.n;
	if (rc)
		return rc;
	return o.n > cap ? -ENOSPC : 0;
}

int tok_decode(const struct tok *t, const uint32_t *ids, size_t n, char *out, size_t cap,
	       size_t *len)
{
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		const unsigned char *q;
		size_t m;
		if (ids[i] >= t->rank.count)
			return -EINVAL;
		q = tokrank_bytes(&t->rank, ids[i], &m);
		if (j + m <= cap)
			memcpy(out + j, q, m);
		j += m;
	}
	*len = j;
	return j > cap ? -ENOSPC : 0;
}

const char *tok_name(const struct tok *t)
{
	return t->enc == TOK_CL100K_BASE ? "cl100k_base" : "o200k_base";
}

struct tok *tok_open(enum tok_encoding enc)
{
	struct tok *t;
	if (enc != TOK_CL100K_BASE && enc != TOK_O200K_BASE) {
		errno = EINVAL;
		return NULL;
	}
	t = calloc(1, sizeof(*t));
	if (!t)
		goto out_nomem;
	t->enc = enc;
	t->split = enc == TOK_CL100K_BASE ? tokpre_cl100k : tokpre_o200k;
	t->cache = calloc((size_t)1 << CACHE_BITS, sizeof(*t->cache));
	if (!t->cache ||
	    tokrank_init(
		&t->rank, enc == TOK_CL100K_BASE ? tokdata_cl100k : tokdata_o200k,
		(uint32_t)(enc == TOK_CL100K_BASE ? tokdata_cl100k_count : tokdata_o200k_count)) ||
	    reserve((void **)&t->buf, &t->buf_cap, WORK_BYTES, 1) ||
	    reserve((void **)&t->wk, &t->wk_cap, WORK_BYTES, sizeof(uint32_t)))
		goto out_close;
	for (unsigned b = 0; b < 256; b++) {
		uint8_t c[8] = {(uint8_t)b}; /* 8 readable: tokrank_find's inline path */
		t->byte_rank[b] = tokrank_find(&t->rank, c, 1, sizeof(c));
	}
	for (unsigned ab = 0; ab < 1 << 16; ab++) {
		uint8_t two[8] = {(uint8_t)(ab >> 8), ab & 0xff};
		t->pair_rank[ab] = tokrank_find(&t->rank, two, 2, sizeof(two));
	}
	return t;
out_close:
	tok_close(t);
out_nomem:
	errno = ENOMEM;
	return NULL;
}

void tok_close(struct tok *t)
{
	if (!t)
		return;
	tokrank_free(&t->rank);
	free(t->buf);
	free(t->wk);
	free(t->heap);
	free(t->cache);
	free(t);
}
