/*
 * hist: percentile, mean, stddev and merge over the log-linear buckets of
 * hist.h. Only the report path runs here; recording is inline in the header.
 */
#include "stats/hist.h"

#include <math.h>
#include <string.h>

void hist_reset(struct hist *h)
{
	memset(h, 0, sizeof(*h));
}

void hist_twin_settle(struct hist *h, bool *joined, const struct hist *m)
{
	if (*joined)
		*h = *m;
	*joined = false;
}

void hist_merge(struct hist *dst, const struct hist *src)
{
	if (src->count == 0)
		return;
	if (dst->count == 0 || src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	dst->count += src->count;
	dst->sum_ns += src->sum_ns;
	dst->clamped += src->clamped;
	/* every count lies between the buckets of the extremes (exact, or a
	 * bucket's edge after hist_subtract or a decoded log): a run's end
	 * adds a few hundred buckets, not 33,792 (and their page faults) per
	 * histogram, worker and label */
	unsigned lo = hist_index(src->min_ns < HIST_MAX_NS ? src->min_ns : HIST_MAX_NS);
	unsigned hi = hist_index(src->max_ns < HIST_MAX_NS ? src->max_ns : HIST_MAX_NS);
	for (unsigned i = lo; i <= hi; i++)
		dst->counts[i] += src->counts[i];
}

void hist_subtract(struct hist *dst, const struct hist *all, const struct hist *part)
{
	unsigned lo = HIST_COUNTS, hi = 0;
	memcpy(dst, all, sizeof(*dst));
	if (part->count == 0)
		return;
	dst->count -= part->count;
	dst->sum_ns -= part->sum_ns;
	dst->clamped -= part->clamped;
	for (unsigned i = 0; i < HIST_COUNTS; i++) {
		dst->counts[i] -= part->counts[i];
		if (dst->counts[i]) {
			lo = i < lo ? i : lo;
			hi = i;
		}
	}
	if (dst->count == 0) {
		dst->min_ns = dst->max_ns = 0;
		return;
	}
	/* the exact extremes stay where their bucket still holds a value
	 * that may be them; elsewhere the bucket's edge is the bound */
	if (hist_bucket_high_ns(lo) < all->min_ns || hist_bucket_low_ns(lo) > all->min_ns)
		dst->min_ns = hist_bucket_low_ns(lo);
	if (!dst->clamped &&
	    (hist_bucket_low_ns(hi) > all->max_ns || hist_bucket_high_ns(hi) < all->max_ns))
		dst->max_ns = hist_bucket_high_ns(hi);
}

uint64_t hist_bucket_low_ns(unsigned idx)
{
	unsigned b = 0, sub = idx;
	if (idx >= (2u << HIST_SUB_BITS)) {
		b = (idx >> HIST_SUB_BITS) - 1;
		sub = idx - (b << HIST_SUB_BITS);
	}
	return (uint64_t)sub << b;
}

uint64_t hist_bucket_high_ns(unsigned idx)
{
	return hist_log_high(idx, HIST_SUB_BITS);
}

uint64_t hist_percentile_ns(const struct hist *h, double pct)
{
	uint64_t want, seen = 0;
	if (h->count == 0)
		return 0;
	if (pct <= 0)
		return h->min_ns;
	if (pct >= 100)
		return h->max_ns;
	want = (uint64_t)ceil(pct / 100.0 * (double)h->count);
	if (want == 0)
		want = 1;
	for (unsigned i = 0; i < HIST_COUNTS; i++) {
		seen += h->counts[i];
		if (seen >= want) {
			uint64_t v = hist_bucket_high_ns(i);
			if (v > h->max_ns)
				v = h->max_ns;
			if (v < h->min_ns)
				v = h->min_ns;
			return v;
		}
	}
	return h->max_ns;
}

double hist_mean_ns(const struct hist *h)
{
	return h->count ? (double)h->sum_ns / (double)h->count : 0.0;
}

double hist_stddev_ns(const struct hist *h)
{
	double mean = hist_mean_ns(h), acc = 0;
	if (h->count == 0)
		return 0;
	for (unsigned i = 0; i < HIST_COUNTS; i++) {
		if (!h->counts[i])
			continue;
		double mid = ((double)hist_bucket_low_ns(i) + (double)hist_bucket_high_ns(i)) / 2;
		acc += (double)h->counts[i] * (mid - mean) * (mid - mean);
	}
	return sqrt(acc / (double)h->count);
}

const double hist_sum_pct[HIST_SUM_PCTS] = {50, 90, 95, 99, 99.9, 99.99};

void hist_summarize(const struct hist *h, struct hist_sum *out)
{
	out->count = h->count;
	out->min_ns = h->count ? h->min_ns : 0;
	out->max_ns = h->max_ns;
	out->mean_ns = hist_mean_ns(h);
	out->stddev_ns = hist_stddev_ns(h);
	for (unsigned i = 0; i < HIST_SUM_PCTS; i++)
		out->pct_ns[i] = hist_percentile_ns(h, hist_sum_pct[i]);
}

uint64_t hist_sum_at(const struct hist_sum *s, double pct)
{
	for (unsigned i = 0; i < HIST_SUM_PCTS; i++)
		if (hist_sum_pct[i] == pct)
			return s->pct_ns[i];
	return 0;
}
