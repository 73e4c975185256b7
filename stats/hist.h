/*
 * hist: log-linear latency histogram in the HdrHistogram style. Values are
 * nanoseconds; 3 significant digits (every recorded value is reported within
 * 1/1024 of itself, values below 2048 ns exactly) from 1 ns to 2^42 ns (73
 * minutes). Fixed size, no allocation, no locks: one per worker, merged at
 * the end.
 */
#ifndef MCPL_STATS_HIST_H
#define MCPL_STATS_HIST_H

#include <stdbool.h>
#include <stdint.h>

#define HIST_SUB_BITS 10 /* 1024 sub-buckets per power of two: < 0.1 % error */
#define HIST_MAX_BITS 42 /* highest trackable value: 2^42 - 1 ns */
#define HIST_COUNTS   ((HIST_MAX_BITS - HIST_SUB_BITS + 1) << HIST_SUB_BITS)
#define HIST_MAX_NS   ((UINT64_C(1) << HIST_MAX_BITS) - 1)

/* A zeroed struct is an empty histogram. ~270 KB: allocate, don't stack it. */
struct hist {
	uint64_t count;	  /* values recorded */
	uint64_t sum_ns;  /* exact sum, for the mean */
	uint64_t min_ns;  /* exact; valid when count > 0 */
	uint64_t max_ns;  /* exact, even above HIST_MAX_NS */
	uint64_t clamped; /* values above HIST_MAX_NS, counted in the top bucket */
	uint64_t counts[HIST_COUNTS];
};

/* Bucket index of v in the log-linear layout of 2^sub_bits sub-buckets
 * per octave (values below 2^(sub_bits+1) exact): HdrHistogram's, shared by
 * the coarser per-second histograms (tline, ltl). v must be in range. */
static inline unsigned hist_log_index(uint64_t v, unsigned sub_bits)
{
	/* the octave's shift; with 2^sub_bits or'ed in, 0 for every v below
	 * 2^(sub_bits+1) without a branch (and clz never sees 0) */
	unsigned b = (unsigned)(63 - __builtin_clzll(v | (UINT64_C(1) << sub_bits))) - sub_bits;
	return (b << sub_bits) + (unsigned)(v >> b);
}

/* The highest value of bucket idx in that layout. */
static inline uint64_t hist_log_high(unsigned idx, unsigned sub_bits)
{
	unsigned b = idx >= (2u << sub_bits) ? (idx >> sub_bits) - 1 : 0;
	uint64_t sub = idx - ((uint64_t)b << sub_bits);
	return (sub << b) + (UINT64_C(1) << b) - 1;
}

/* The lowest value of bucket idx in that layout. */
static inline uint64_t hist_log_low(unsigned idx, unsigned sub_bits)
{
	unsigned b = idx >= (2u << sub_bits) ? (idx >> sub_bits) - 1 : 0;
	return (uint64_t)(idx - (b << sub_bits)) << b;
}

/* Bucket index of a value (values above the range must be clamped first). */
static inline unsigned hist_index(uint64_t v_ns)
{
	return hist_log_index(v_ns, HIST_SUB_BITS);
}

/* Record one value. Plain stores: the histogram belongs to one thread. */
static inline void hist_record(struct hist *h, uint64_t v_ns)
{
	if (h->count == 0 || v_ns < h->min_ns)
		h->min_ns = v_ns;
	if (v_ns > h->max_ns)
		h->max_ns = v_ns;
	h->count++;
	h->sum_ns += v_ns;
	if (v_ns > HIST_MAX_NS) {
		h->clamped++;
		v_ns = HIST_MAX_NS;
	}
	h->counts[hist_index(v_ns)]++;
}

void hist_reset(struct hist *h);

/*
 * A twin: h holds the same values as m while every value given to h equals
 * the one m is given with it (the user-space cross-check of a run timed in
 * user space is the span itself). Then h is not recorded: *joined stays
 * true, and h becomes a copy of m when the first value differs or when
 * hist_twin_settle is called before h is read. h must start empty, and the
 * twin must be recorded before m gets mv.
 */
void hist_twin_settle(struct hist *h, bool *joined, const struct hist *m);

static inline void hist_record_twin(struct hist *h, bool *joined, const struct hist *m, uint64_t mv,
				    uint64_t v_ns)
{
	if (*joined) {
		if (v_ns == mv)
			return;
		hist_twin_settle(h, joined, m);
	}
	hist_record(h, v_ns);
}

/* dst += src. Both must be valid histograms; src is unchanged. */
void hist_merge(struct hist *dst, const struct hist *src);

/* dst = all - part, where part holds a subset of all's values (the failed
 * responses among all responses). Counts, sum and mean are exact; min and
 * max are exact where the extreme's bucket still holds values, else the
 * edge of the outermost bucket left (within the 0.1 % precision). */
void hist_subtract(struct hist *dst, const struct hist *all, const struct hist *part);

/*
 * Value at a percentile (0 < pct <= 100; pct <= 0 gives the minimum): the
 * smallest recorded value v such that at least pct % of values are <= v,
 * reported as the top of v's bucket (never above the exact maximum).
 * Returns 0 for an empty histogram.
 */
uint64_t hist_percentile_ns(const struct hist *h, double pct);

/* Exact mean, or 0 when empty. */
double hist_mean_ns(const struct hist *h);

/* Population standard deviation from bucket midpoints: within about 0.05 %
 * of the mean of the true value. */
double hist_stddev_ns(const struct hist *h);

/* A histogram's figures, as every report shows them. */
#define HIST_SUM_PCTS 6
extern const double hist_sum_pct[HIST_SUM_PCTS]; /* 50, 90, 95, 99, 99.9, 99.99 */

struct hist_sum {
	uint64_t count;
	uint64_t min_ns, max_ns; /* exact; 0 when empty */
	double mean_ns, stddev_ns;
	uint64_t pct_ns[HIST_SUM_PCTS]; /* at hist_sum_pct[i] */
};

void hist_summarize(const struct hist *h, struct hist_sum *out);

/* The summary's value at pct (one of hist_sum_pct), 0 when it is not one. */
uint64_t hist_sum_at(const struct hist_sum *s, double pct);

/* Lowest and highest value sharing a bucket index. */
uint64_t hist_bucket_low_ns(unsigned idx);
uint64_t hist_bucket_high_ns(unsigned idx);

#endif
