/*
 * ltl: the flush of a label's second into the worker's arena, the merge of
 * the workers' arenas, and the reading of one (second, label) record.
 */
#include "stats/ltl.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* A record in an arena: this header, then the counts of every kind, then
 * their bucket indexes, then padding to 4 bytes. */
struct ltl_rec {
	uint32_t sec, slot, n, failed, lost;
	uint32_t nb[LTL_KINDS];
	uint32_t body_lo, body_hi; /* 4-byte aligned: the arena's unit */
};

static uint64_t rec_body(const struct ltl_rec *h)
{
	return h->body_lo | (uint64_t)h->body_hi << 32;
}

#define ARENA_MIN ((size_t)1 << 20)
#define ARENA_MAX ((size_t)256 << 20)
/* a label's second at a few hundred distinct buckets of 6 bytes */
#define ARENA_PER_SLOT_SEC 2048u

uint64_t ltl_bucket_high_ns(unsigned idx)
{
	return hist_log_high(idx, LTL_SUB_BITS);
}

int ltl_init(struct ltl *l, unsigned nslots, unsigned nsec, bool service)
{
	size_t cap = (size_t)nslots * nsec * ARENA_PER_SLOT_SEC;
	memset(l, 0, sizeof(*l));
	if (nslots == 0 || nslots > LTL_MAX_SLOTS)
		return -EINVAL;
	cap = cap < ARENA_MIN ? ARENA_MIN : cap > ARENA_MAX ? ARENA_MAX : cap;
	l->cur = calloc(nslots, sizeof(*l->cur));
	l->active = calloc(nslots, sizeof(*l->active));
	l->buf = malloc(cap); /* untouched pages cost nothing */
	if (!l->cur || !l->active || !l->buf) {
		ltl_free(l);
		return -ENOMEM;
	}
	l->nslots = nslots;
	l->nsec = nsec ? nsec : 1;
	l->service = service;
	l->cap = cap;
	return 0;
}

void ltl_free(struct ltl *l)
{
	free(l->cur);
	free(l->active);
	free(l->buf);
	memset(l, 0, sizeof(*l));
}

static size_t rec_size(uint32_t nb)
{
	return (sizeof(struct ltl_rec) + (size_t)nb * 6 + 3) & ~(size_t)3;
}

/* Append slot's second; its counts are zeroed either way. The whole
 * array is scanned (4608 counts, once a second per label that had
 * responses) so the request path keeps no range of its own. */
static void flush_slot(struct ltl *l, unsigned slot)
{
	struct ltl_cur *c = &l->cur[slot];
	unsigned kinds = l->service ? 2u : 1u;
	uint32_t nb[LTL_KINDS] = {0, 0};
	struct ltl_rec *r;
	uint32_t *cnt;
	uint16_t *idx;

	for (unsigned k = 0; k < kinds; k++)
		for (unsigned i = 0; i < LTL_COUNTS; i++)
			nb[k] += c->lat[k][i] != 0;
	if (l->len + rec_size(nb[0] + nb[1]) > l->cap) {
		l->truncated = true;
		memset(c, 0, sizeof(*c));
		return;
	}
	r = (struct ltl_rec *)(void *)(l->buf + l->len);
	*r = (struct ltl_rec){.sec = l->sec,
			      .slot = slot,
			      .n = c->n,
			      .failed = c->failed,
			      .lost = c->lost,
			      .nb = {nb[0], nb[1]},
			      .body_lo = (uint32_t)c->body,
			      .body_hi = (uint32_t)(c->body >> 32)};
	cnt = (uint32_t *)(r + 1);
	idx = (uint16_t *)(cnt + nb[0] + nb[1]);
	for (unsigned k = 0; k < kinds; k++)
		for (unsigned i = 0; i < LTL_COUNTS; i++)
			if (c->lat[k][i]) {
				*cnt++ = c->lat[k][i];
				*idx++ = (uint16_t)i;
			}
	l->len += rec_size(nb[0] + nb[1]);
	memset(c, 0, sizeof(*c));
}

bool ltl_roll(struct ltl *l, uint64_t now_ns)
{
	uint64_t s;
	for (unsigned a = 0; a < l->nactive; a++)
		flush_slot(l, l->active[a]);
	l->nactive = 0;
	if (!l->cur || now_ns < l->origin_ns)
		return false;
	s = (now_ns - l->origin_ns) / 1000000000u;
	if (s >= l->nsec) {
		l->truncated = true;
		l->sec = l->nsec;
		l->sec_from_ns = UINT64_MAX; /* every later call comes here */
		return false;
	}
	l->sec = (uint32_t)s;
	l->sec_from_ns = l->origin_ns + s * 1000000000u;
	return true;
}

void ltl_finish(struct ltl *l)
{
	if (!l->cur)
		return;
	for (unsigned a = 0; a < l->nactive; a++)
		flush_slot(l, l->active[a]);
	l->nactive = 0;
}

static const struct ltl_rec *rec_at(const uint8_t *buf, size_t off)
{
	return (const struct ltl_rec *)(const void *)(buf + off);
}

bool ltl_get(const struct ltl_run *r, unsigned sec, unsigned slot, struct ltl_view *v)
{
	const struct ltl_rec *h;
	const uint32_t *cnt;
	const uint16_t *idx;
	uint32_t off;
	if (sec >= r->nsec || slot >= r->nslots || !r->at)
		return false;
	off = r->at[(size_t)sec * r->nslots + slot];
	if (!off)
		return false;
	h = rec_at(r->buf, off - 1);
	cnt = (const uint32_t *)(h + 1);
	idx = (const uint16_t *)(cnt + h->nb[0] + h->nb[1]);
	*v = (struct ltl_view){.n = h->n,
			       .failed = h->failed,
			       .lost = h->lost,
			       .body = rec_body(h),
			       .nb = {h->nb[0], h->nb[1]},
			       .count = {cnt, cnt + h->nb[0]},
			       .idx = {idx, idx + h->nb[0]}};
	return true;
}

uint64_t ltl_percentile_ns(const struct ltl_view *v, unsigned k, double pct)
{
	uint64_t total = 0, seen = 0, want;
	if (k >= LTL_KINDS || !v->nb[k])
		return 0;
	for (uint32_t i = 0; i < v->nb[k]; i++)
		total += v->count[k][i];
	want = (uint64_t)ceil(pct / 100.0 * (double)total);
	if (want == 0)
		want = 1;
	for (uint32_t i = 0; i < v->nb[k]; i++) {
		seen += v->count[k][i];
		if (seen >= want)
			return ltl_bucket_high_ns(v->idx[k][i]);
	}
	return ltl_bucket_high_ns(v->idx[k][v->nb[k] - 1]);
}

void ltl_add_counts(const struct ltl_view *v, unsigned k, uint64_t *dense)
{
	if (k >= LTL_KINDS)
		return;
	for (uint32_t i = 0; i < v->nb[k]; i++)
		dense[v->idx[k][i]] += v->count[k][i];
}

/* The records of one second in one arena: [*from, end) after the call. */
static size_t sec_span(const struct ltl *p, size_t from, uint32_t sec)
{
	size_t off = from;
	while (off < p->len) {
		const struct ltl_rec *h = rec_at(p->buf, off);
		if (h->sec != sec)
			break;
		off += rec_size(h->nb[0] + h->nb[1]);
	}
	return off;
}

struct merge_acc {
	uint64_t n, failed, lost, body;
	uint32_t lo[LTL_KINDS], hi[LTL_KINDS];
	uint64_t c[LTL_KINDS][LTL_COUNTS];
};

static void acc_add(struct merge_acc *a, const struct ltl_rec *h)
{
	const uint32_t *cnt = (const uint32_t *)(h + 1);
	const uint16_t *idx = (const uint16_t *)(cnt + h->nb[0] + h->nb[1]);
	a->n += h->n;
	a->failed += h->failed;
	a->lost += h->lost;
	a->body += rec_body(h);
	for (unsigned k = 0; k < LTL_KINDS; k++)
		for (uint32_t i = 0; i < h->nb[k]; i++, cnt++, idx++) {
			a->c[k][*idx] += *cnt;
			if (*idx < a->lo[k])
				a->lo[k] = *idx;
			if (*idx >= a->hi[k])
				a->hi[k] = *idx + 1u;
		}
}

/* Write the accumulated (sec, slot) to out's buffer; counts above 2^32 - 1
 * in one bucket of one second cannot happen at any rate one box makes. */
static void acc_emit(struct merge_acc *a, struct ltl_run *out, uint32_t sec, uint32_t slot)
{
	uint32_t nb[LTL_KINDS] = {0, 0};
	struct ltl_rec *r;
	uint32_t *cnt;
	uint16_t *idx;
	for (unsigned k = 0; k < LTL_KINDS; k++)
		for (uint32_t i = a->lo[k]; i < a->hi[k]; i++)
			nb[k] += a->c[k][i] != 0;
	r = (struct ltl_rec *)(void *)(out->buf + out->len);
	*r = (struct ltl_rec){.sec = sec,
			      .slot = slot,
			      .n = (uint32_t)a->n,
			      .failed = (uint32_t)a->failed,
			      .lost = (uint32_t)a->lost,
			      .nb = {nb[0], nb[1]},
			      .body_lo = (uint32_t)a->body,
			      .body_hi = (uint32_t)(a->body >> 32)};
	cnt = (uint32_t *)(r + 1);
	idx = (uint16_t *)(cnt + nb[0] + nb[1]);
	for (unsigned k = 0; k < LTL_KINDS; k++)
		for (uint32_t i = a->lo[k]; i < a->hi[k]; i++)
			if (a->c[k][i]) {
				*cnt++ = (uint32_t)a->c[k][i];
				*idx++ = (uint16_t)i;
				a->c[k][i] = 0;
			}
	out->at[(size_t)sec * out->nslots + slot] = (uint32_t)out->len + 1;
	out->len += rec_size(nb[0] + nb[1]);
}

static void merge_slot(const struct ltl *parts, unsigned n, const size_t *from, const size_t *to,
		       uint32_t sec, uint32_t slot, struct merge_acc *a, struct ltl_run *out)
{
	a->n = a->failed = a->lost = a->body = 0;
	for (unsigned k = 0; k < LTL_KINDS; k++)
		a->lo[k] = LTL_COUNTS, a->hi[k] = 0;
	for (unsigned w = 0; w < n; w++)
		for (size_t off = from[w]; off < to[w];) {
			const struct ltl_rec *h = rec_at(parts[w].buf, off);
			if (h->slot == slot)
				acc_add(a, h);
			off += rec_size(h->nb[0] + h->nb[1]);
		}
	acc_emit(a, out, sec, slot);
}

static int merge_alloc(const struct ltl *parts, unsigned n, struct ltl_run *out, size_t **from,
		       size_t **to, struct merge_acc **a)
{
	size_t total = 0;
	memset(out, 0, sizeof(*out));
	out->nslots = parts[0].nslots;
	out->service = parts[0].service;
	for (unsigned w = 0; w < n; w++) {
		const struct ltl *p = &parts[w];
		size_t off = 0;
		out->truncated |= p->truncated;
		total += p->len;
		while (off < p->len) { /* the last record holds the highest second */
			const struct ltl_rec *h = rec_at(p->buf, off);
			if (h->sec + 1 > out->nsec)
				out->nsec = h->sec + 1;
			off += rec_size(h->nb[0] + h->nb[1]);
		}
	}
	out->buf = malloc(total ? total : 1);
	out->at = calloc((size_t)(out->nsec ? out->nsec : 1) * out->nslots, sizeof(*out->at));
	*from = calloc(n, sizeof(**from));
	*to = calloc(n, sizeof(**to));
	*a = calloc(1, sizeof(**a));
	return out->buf && out->at && *from && *to && *a ? 0 : -ENOMEM;
}

int ltl_merge(const struct ltl *parts, unsigned n, struct ltl_run *out)
{
	size_t *from = NULL, *to = NULL;
	struct merge_acc *a = NULL;
	uint8_t *seen = NULL;
	int r = n ? merge_alloc(parts, n, out, &from, &to, &a) : -EINVAL;

	if (r == 0 && !(seen = calloc(out->nslots, 1)))
		r = -ENOMEM;
	for (uint32_t sec = 0; r == 0 && sec < out->nsec; sec++) {
		memset(seen, 0, out->nslots);
		for (unsigned w = 0; w < n; w++)
			to[w] = sec_span(&parts[w], from[w], sec);
		/* merged records come in the order their slots first appear */
		for (unsigned w = 0; w < n; w++)
			for (size_t off = from[w]; off < to[w];) {
				const struct ltl_rec *h = rec_at(parts[w].buf, off);
				if (!seen[h->slot]) {
					seen[h->slot] = 1;
					merge_slot(parts, n, from, to, sec, h->slot, a, out);
				}
				off += rec_size(h->nb[0] + h->nb[1]);
			}
		for (unsigned w = 0; w < n; w++)
			from[w] = to[w];
	}
	free(seen);
	free(from);
	free(to);
	free(a);
	if (r < 0)
		ltl_run_free(out);
	return r;
}

void ltl_run_free(struct ltl_run *r)
{
	free(r->buf);
	free(r->at);
	memset(r, 0, sizeof(*r));
}
