/*
 * mseries: the shards' seconds read back and added. Each label's second
 * comes with its 2-significant-digit histogram (a shard writes them), so
 * the merged second's percentiles are those of every response in it; the
 * records are added in order of the merged second, as a worker fills its
 * per-second timeline, and merged with ltl_merge.
 */
#include "stats/mseries.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"
#include "stats/hdr.h"
#include "stats/ltl.h"
#include "stats/tline.h"

/* One label's second of one shard, placed on the merge's seconds. */
struct rec {
	unsigned sec, slot;
	const char *p;
	size_t n;
	const char *path;
};

struct acc {
	struct rec *recs;
	size_t nrec, cap;
	unsigned nsec;
};

static int by_second(const void *a, const void *b)
{
	const struct rec *x = a, *y = b;
	return x->sec < y->sec ? -1 : x->sec > y->sec;
}

static unsigned offset_of(const struct mshard_set *m, const struct mshard_doc *d)
{
	double off = llround(d->measured_s - m->t0);
	return off < 0 ? 0 : off > MSHARD_MAX_SECONDS ? MSHARD_MAX_SECONDS : (unsigned)off;
}

static int push(struct acc *a, struct rec r)
{
	if (a->nrec == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 256;
		struct rec *p = realloc(a->recs, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		a->recs = p;
		a->cap = cap;
	}
	a->recs[a->nrec++] = r;
	if (r.sec + 1 > a->nsec)
		a->nsec = r.sec + 1;
	return 0;
}

/* Every label's seconds of one shard. */
static int collect(const struct mshard_set *m, const struct mshard_doc *d, struct acc *a)
{
	struct jsc_val arr, l, tl, row;
	size_t pos = 0;
	unsigned off = offset_of(m, d);
	char name[128];
	if (jsc_get(d->text, d->len, "labels", &arr) != 0 || arr.type != JSC_ARRAY)
		return 0;
	while (jsc_next(&arr, &pos, NULL, &l) == 0) {
		size_t at = 0;
		int slot;
		if (!mshard_str_at(l.ptr, l.len, "label", name, sizeof(name)) ||
		    (slot = mshard_label(m, name)) < 0 || jsc_get(l.ptr, l.len, "timeline", &tl) ||
		    tl.type != JSC_ARRAY)
			continue;
		while (jsc_next(&tl, &at, NULL, &row) == 0) {
			uint64_t s = off + mshard_u64_at(row.ptr, row.len, "second");
			struct rec r = {(unsigned)s, (unsigned)slot, row.ptr, row.len, d->path};
			if (s < MSHARD_MAX_SECONDS && push(a, r) < 0)
				return -ENOMEM;
		}
	}
	return 0;
}

/* The merged seconds' counts: each shard's timeline rows added. */
static void add_seconds(const struct mshard_set *m, const struct mshard_doc *d,
			struct tline_sec *tl, unsigned nsec)
{
	struct jsc_val arr, row, ec, k, v;
	size_t pos = 0;
	unsigned off = offset_of(m, d);
	if (jsc_get(d->text, d->len, "timeline", &arr) != 0 || arr.type != JSC_ARRAY)
		return;
	while (jsc_next(&arr, &pos, NULL, &row) == 0) {
		uint64_t s = off + mshard_u64_at(row.ptr, row.len, "second");
		size_t at = 0;
		if (s >= nsec)
			continue;
		struct tline_sec *o = &tl[s];
		o->responses += mshard_u64_at(row.ptr, row.len, "requests");
		o->errors += mshard_u64_at(row.ptr, row.len, "errors");
		o->sent += mshard_u64_at(row.ptr, row.len, "sent");
		o->dropped += mshard_u64_at(row.ptr, row.len, "dropped");
		o->users += mshard_u64_at(row.ptr, row.len, "users");
		o->scheduled += mshard_u64_at(row.ptr, row.len, "scheduled");
		o->on_time += mshard_u64_at(row.ptr, row.len, "on_time");
		if (jsc_get(row.ptr, row.len, "errors_by_class", &ec) || ec.type != JSC_OBJECT)
			continue;
		while (jsc_next(&ec, &at, &k, &v) == 0) {
			int64_t c;
			for (unsigned e = 0; e < TLINE_ERR_KINDS; e++)
				if (k.len == strlen(tline_err_key(e)) &&
				    !memcmp(k.ptr, tline_err_key(e), k.len) && !jsc_int(&v, &c) &&
				    c > 0)
					o->errs[e] += (uint64_t)c;
		}
	}
}

/* One histogram of a record added into kind k of its row. */
static int add_kind(const struct rec *r, const char *key, struct ltl_cur *c, unsigned k,
		    uint64_t *dense, uint64_t want, char *why, size_t wl)
{
	struct jsc_val v;
	uint64_t total;
	if (jsc_get(r->p, r->n, key, &v) != 0 || v.type != JSC_STRING ||
	    hdr_decode_counts_base64(v.ptr, v.len, LTL_DIGITS, dense, LTL_COUNTS, &total) < 0 ||
	    total != want) {
		snprintf(
		    why, wl,
		    "%s: second %u of a label has no %s of its %llu requests, or a damaged one",
		    r->path, r->sec, key, (unsigned long long)want);
		return -EINVAL;
	}
	for (unsigned i = 0; i < LTL_COUNTS; i++)
		c->lat[k][i] += (uint32_t)dense[i];
	return 0;
}

static int add_records(struct mshard_set *m, struct acc *a, struct ltl *l, char *why, size_t wl)
{
	uint64_t *dense = malloc(LTL_COUNTS * sizeof(*dense));
	int r = dense ? 0 : -ENOMEM;
	if (a->nrec)
		qsort(a->recs, a->nrec, sizeof(*a->recs), by_second);
	for (size_t i = 0; r == 0 && i < a->nrec; i++) {
		const struct rec *x = &a->recs[i];
		struct ltl_cur *c = ltl_slot(l, x->slot, (uint64_t)x->sec * 1000000000u);
		uint64_t n = mshard_u64_at(x->p, x->n, "requests");
		if (!c)
			continue;
		if (n > UINT32_MAX - c->n) {
			snprintf(why, wl, "%s: a second with more requests than a merge can add",
				 x->path);
			r = -EINVAL;
			break;
		}
		c->n += (uint32_t)n;
		c->failed += (uint32_t)mshard_u64_at(x->p, x->n, "failed");
		c->lost += (uint32_t)mshard_u64_at(x->p, x->n, "lost");
		uint64_t body = mshard_u64_at(x->p, x->n, "body_bytes");
		c->body += body;
		m->slots[x->slot].body_bytes += body;
		m->total->body_bytes += body;
		if (n == 0)
			continue;
		r = add_kind(x, "histogram", c, 0, dense, n, why, wl);
		if (r == 0 && l->service)
			r = add_kind(x, "uncorrected_histogram", c, 1, dense, n, why, wl);
	}
	free(dense);
	return r;
}

/* A second's p50/p99/top over every label (slots hold no split values). */
static void second_pcts(const struct ltl_run *run, unsigned s, uint64_t *dense, struct tline_sec *o)
{
	struct ltl_view v;
	uint64_t total = 0, seen = 0, p50 = (uint64_t)-1, p99 = (uint64_t)-1;
	memset(dense, 0, LTL_COUNTS * sizeof(*dense));
	for (unsigned k = 0; k < run->nslots; k++)
		if (ltl_get(run, s, k, &v)) {
			ltl_add_counts(&v, 0, dense);
			total += v.n;
		}
	for (unsigned i = 0; i < LTL_COUNTS && total; i++) {
		if (!dense[i])
			continue;
		seen += dense[i];
		if (p50 == (uint64_t)-1 && seen * 100 >= total * 50)
			p50 = ltl_bucket_high_ns(i);
		if (p99 == (uint64_t)-1 && seen * 100 >= total * 99)
			p99 = ltl_bucket_high_ns(i);
		o->max_bucket_ns = ltl_bucket_high_ns(i);
	}
	o->p50_ns = total ? p50 : 0;
	o->p99_ns = total ? p99 : 0;
}

void mseries_generator(const struct mshard_set *m, struct result *res)
{
	for (unsigned i = 0; i < m->n; i++) {
		const struct mshard_doc *d = &m->docs[i];
		struct jsc_val v;
		double busy = 0, wait = 0, steal = 0;
		char reason[200];
		if (!d->ran)
			continue;
		res->threads += (unsigned)mshard_u64_at(d->text, d->len, "threads");
		if (mshard_num_at(d->text, d->len, "generator.busiest_thread_busy_pct", &busy))
			res->busiest_busy_pct = fmax(res->busiest_busy_pct, busy);
		/* the steal of the shard that waited most (a part of its wait) */
		if (mshard_num_at(d->text, d->len, "client.cpu_wait_pct", &wait) &&
		    wait > res->busiest_wait_pct) {
			res->busiest_wait_pct = wait;
			res->busiest_steal_pct =
			    mshard_num_at(d->text, d->len, "client.cpu_steal_pct", &steal) ? steal
											   : 0;
		}
		if (res->saturated || jsc_get(d->text, d->len, "generator.saturated", &v) != 0 ||
		    v.type != JSC_TRUE)
			continue;
		res->saturated = true;
		if (!mshard_str_at(d->text, d->len, "generator.reason", reason, sizeof(reason)))
			snprintf(reason, sizeof(reason), "the generator missed its schedule");
		snprintf(res->saturation, sizeof(res->saturation), "shard %u: %s", d->index,
			 reason);
	}
}

static int build(struct mshard_set *m, struct result *res, struct acc *a, char *why, size_t wl)
{
	struct ltl l;
	uint64_t *dense;
	int r = 0;
	for (unsigned i = 0; r == 0 && i < m->n; i++)
		if (m->docs[i].ran)
			r = collect(m, &m->docs[i], a);
	if (m->tl_len > a->nsec)
		a->nsec = m->tl_len;
	if (r < 0 || a->nsec == 0)
		return r;
	res->timeline = calloc(a->nsec, sizeof(*res->timeline));
	dense = malloc(LTL_COUNTS * sizeof(*dense));
	if (!res->timeline || !dense ||
	    ltl_init(&l, m->nlabels ? m->nlabels : 1, a->nsec, m->open_loop) < 0) {
		free(dense);
		return -ENOMEM;
	}
	res->timeline_len = a->nsec;
	for (unsigned i = 0; i < m->n; i++)
		if (m->docs[i].ran)
			add_seconds(m, &m->docs[i], res->timeline, a->nsec);
	r = add_records(m, a, &l, why, wl);
	ltl_finish(&l);
	if (r == 0)
		r = ltl_merge(&l, 1, &res->ltl);
	ltl_free(&l);
	for (unsigned s = 0; r == 0 && s < a->nsec; s++)
		second_pcts(&res->ltl, s, dense, &res->timeline[s]);
	free(dense);
	return r;
}

int mseries_build(struct mshard_set *m, struct result *res, char *why, size_t wl)
{
	struct acc a = {0};
	int r;
	memset(res, 0, sizeof(*res));
	res->total = m->total;
	res->slots = m->slots;
	res->nslots = m->nlabels;
	res->started_at = (time_t)m->t0;
	res->elapsed_ns = m->t_end > m->t0 ? (uint64_t)((m->t_end - m->t0) * 1e9) : 0;
	res->open_loop = m->open_loop;
	res->all_users_started_s = -1;
	res->mem.client_start_bytes = NAN;
	mseries_generator(m, res);
	r = build(m, res, &a, why, wl);
	free(a.recs);
	if (r < 0)
		mseries_free(res);
	return r;
}

void mseries_free(struct result *res)
{
	free(res->timeline);
	res->timeline = NULL;
	res->timeline_len = 0;
	ltl_run_free(&res->ltl);
}
