/*
 * Histogram tests: for several distributions, every percentile from 0.1 to
 * 100 (step 0.1, plus 99.99 and 99.999) is compared with an exact sort of
 * the same samples; relative error must stay within 0.1 %. Merge, mean,
 * stddev, clamping and bucket geometry are checked too. Seeded PRNG: the seed
 * is printed and can be given back as argv[1].
 */
#include <inttypes.h>
#include <math.h>
#include <time.h>

#include "stats/hist.h"
#include "tests/t.h"

#define N 200000

static uint64_t rng_state;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static double unit(void)
{
	return ((double)(rnd() >> 11) + 0.5) / 9007199254740992.0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

enum dist { UNIFORM_WIDE, LOGNORMAL, EXPONENTIAL, BIMODAL, CONSTANT, TINY, DIST_COUNT };
static const char *const dist_names[] = {"uniform 1ns..1h",    "lognormal p50=5ms",
					 "exponential 200us",  "bimodal 50us/80ms",
					 "constant 1234567ns", "tiny 0..3000ns"};

static uint64_t sample(enum dist d)
{
	switch (d) {
	case UNIFORM_WIDE:
		return 1 + rnd() % 3600000000000ull;
	case LOGNORMAL: {
		double g = sqrt(-2 * log(unit())) * cos(2 * M_PI * unit());
		return (uint64_t)exp(log(5e6) + 1.2 * g);
	}
	case EXPONENTIAL:
		return (uint64_t)(-log(unit()) * 200e3);
	case BIMODAL:
		return rnd() % 10 ? 40000 + rnd() % 20000 : 70000000 + rnd() % 20000000;
	case CONSTANT:
		return 1234567;
	default:
		return rnd() % 3000;
	}
}

static void check_against_sort(enum dist d, uint64_t *v, struct hist *h)
{
	unsigned bad = 0;
	double worst = 0;
	hist_reset(h);
	for (size_t i = 0; i < N; i++) {
		v[i] = sample(d);
		hist_record(h, v[i]);
	}
	qsort(v, N, sizeof(*v), cmp_u64);
	CHECK_INT(h->count, N);
	CHECK_INT(h->min_ns, v[0]);
	CHECK_INT(h->max_ns, v[N - 1]);
	double extra[] = {99.99, 99.999, 100};
	for (int k = 1; k <= 1003; k++) {
		double p = k <= 1000 ? k / 10.0 : extra[k - 1001];
		size_t rank = (size_t)ceil(p / 100.0 * N);
		uint64_t exact = v[rank ? rank - 1 : 0];
		uint64_t got = hist_percentile_ns(h, p);
		double err =
		    exact ? fabs((double)got - (double)exact) / (double)exact : (double)got;
		if (err > worst)
			worst = err;
		if (err > 0.001 && bad++ < 3)
			fprintf(stderr, "  %s p%.3f: hist %" PRIu64 " exact %" PRIu64 "\n",
				dist_names[d], p, got, exact);
	}
	if (bad)
		fprintf(stderr, "FAIL %s: %u percentiles off by > 0.1%% (worst %.4f%%)\n",
			dist_names[d], bad, worst * 100);
	CHECK_INT(bad, 0);
	long double sum = 0, sq = 0;
	for (size_t i = 0; i < N; i++)
		sum += v[i];
	long double mean = sum / N;
	for (size_t i = 0; i < N; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	CHECK(fabs(hist_mean_ns(h) - (double)mean) <= 1e-9 * (double)mean + 1e-9);
	double sd = sqrt((double)(sq / N));
	/* midpoints are within 0.05 % of each value: error scales with the mean */
	CHECK(fabs(hist_stddev_ns(h) - sd) <= 0.002 * sd + 0.0005 * (double)mean + 1.0);
	printf("  %-22s worst percentile error %.4f%%\n", dist_names[d], worst * 100);
}

static void test_merge(uint64_t *v, struct hist *a, struct hist *b, struct hist *all)
{
	hist_reset(a);
	hist_reset(b);
	hist_reset(all);
	for (size_t i = 0; i < N; i++) {
		v[i] = sample(LOGNORMAL);
		hist_record(i % 3 ? a : b, v[i]);
		hist_record(all, v[i]);
	}
	hist_merge(a, b);
	CHECK(memcmp(a, all, sizeof(*a)) == 0);
	hist_reset(b);
	hist_merge(a, b); /* merging an empty histogram changes nothing */
	CHECK(memcmp(a, all, sizeof(*a)) == 0);
	hist_merge(b, all); /* into an empty one: a copy */
	CHECK(memcmp(b, all, sizeof(*b)) == 0);
}

/* The merge adds only the buckets between the extremes: values at both ends
 * of the range and above it (clamped), and a difference whose extremes are
 * bucket edges, merge to what recording them all gives. */
static void test_merge_extremes(struct hist *a, struct hist *b, struct hist *all)
{
	static const uint64_t va[] = {0, 1, 5, 2047, 2048, 123456789};
	static const uint64_t vb[] = {HIST_MAX_NS, HIST_MAX_NS + 5, 2 * HIST_MAX_NS, 999};
	hist_reset(a);
	hist_reset(b);
	hist_reset(all);
	for (size_t i = 0; i < sizeof(va) / sizeof(va[0]); i++) {
		hist_record(a, va[i]);
		hist_record(all, va[i]);
	}
	for (size_t i = 0; i < sizeof(vb) / sizeof(vb[0]); i++) {
		hist_record(b, vb[i]);
		hist_record(all, vb[i]);
	}
	hist_merge(a, b);
	CHECK(memcmp(a, all, sizeof(*a)) == 0);
	/* only values above the range: min and max both clamped */
	hist_reset(a);
	hist_reset(b);
	hist_record(b, HIST_MAX_NS + 7);
	hist_record(b, HIST_MAX_NS + 9);
	hist_merge(a, b);
	CHECK(memcmp(a, b, sizeof(*a)) == 0);
	/* (all - b) + b: the difference's extremes are bucket edges */
	hist_reset(b);
	for (size_t i = 0; i < sizeof(vb) / sizeof(vb[0]); i++)
		hist_record(b, vb[i]);
	hist_subtract(a, all, b);
	hist_merge(a, b);
	CHECK(memcmp(a->counts, all->counts, sizeof(a->counts)) == 0);
	CHECK_INT(a->count, all->count);
}

/* all - part gives back the other part: counts, sum and percentiles exact,
 * min and max within a bucket of the true extremes. */
static void test_subtract(uint64_t *v, struct hist *a, struct hist *b, struct hist *all)
{
	static struct hist diff;
	hist_reset(a);
	hist_reset(b);
	hist_reset(all);
	for (size_t i = 0; i < N; i++) {
		v[i] = sample(LOGNORMAL);
		hist_record(i % 7 ? a : b, v[i]);
		hist_record(all, v[i]);
	}
	hist_subtract(&diff, all, b);
	CHECK(diff.count == a->count && diff.sum_ns == a->sum_ns);
	CHECK(memcmp(diff.counts, a->counts, sizeof(a->counts)) == 0);
	CHECK(hist_percentile_ns(&diff, 99) == hist_percentile_ns(a, 99));
	CHECK(diff.min_ns <= a->min_ns && diff.min_ns >= a->min_ns - a->min_ns / 1000 - 1);
	CHECK(diff.max_ns >= a->max_ns && diff.max_ns <= a->max_ns + a->max_ns / 1000 + 1);
	hist_subtract(&diff, all, all); /* nothing left */
	CHECK(diff.count == 0 && diff.min_ns == 0 && diff.max_ns == 0);
	hist_reset(b);
	hist_subtract(&diff, all, b); /* an empty part: a copy */
	CHECK(memcmp(&diff, all, sizeof(diff)) == 0);
}

static void test_edges(struct hist *h)
{
	hist_reset(h);
	CHECK_INT(hist_percentile_ns(h, 50), 0);
	CHECK(hist_mean_ns(h) == 0);
	hist_record(h, 0);
	CHECK_INT(hist_percentile_ns(h, 99), 0);
	hist_record(h, UINT64_MAX);
	CHECK_INT(h->clamped, 1);
	CHECK_INT(h->max_ns, UINT64_MAX);
	CHECK_INT(hist_percentile_ns(h, 100), UINT64_MAX);
	CHECK_INT(hist_index(HIST_MAX_NS), HIST_COUNTS - 1);
	/* bucket geometry: contiguous, each value inside its bucket */
	unsigned gaps = 0;
	for (unsigned i = 0; i + 1 < HIST_COUNTS; i++) {
		if (hist_bucket_high_ns(i) + 1 != hist_bucket_low_ns(i + 1))
			gaps++;
		if (hist_index(hist_bucket_low_ns(i)) != i ||
		    hist_index(hist_bucket_high_ns(i)) != i)
			gaps++;
	}
	CHECK_INT(gaps, 0);
	for (uint64_t v = 0; v < 5000; v++)
		CHECK(hist_index(v) < 2048 ? hist_bucket_low_ns(hist_index(v)) == v : 1);
}

/* A twin records nothing while its values are its master's, and is the
 * histogram it would have been when they part or when it is settled. */
static void test_twin(uint64_t *v, struct hist *master, struct hist *twin, struct hist *direct)
{
	for (unsigned part = 0; part <= 2; part++) {
		/* part 0: never parts (settled at the end); 1: at the first
		 * value; 2: in the middle */
		size_t from = part == 0 ? N : part == 1 ? 0 : N / 2;
		bool joined = true;
		hist_reset(master);
		hist_reset(twin);
		hist_reset(direct);
		for (size_t i = 0; i < N; i++) {
			uint64_t mine = i >= from && i % 3 == 0 ? v[i] + 1 + i % 1000 : v[i];
			hist_record_twin(twin, &joined, master, v[i], mine);
			hist_record(master, v[i]);
			hist_record(direct, mine);
			if (i + 1 == from / 2 && part != 1)
				CHECK(twin->count == 0 && joined);
		}
		CHECK(joined == (part == 0));
		hist_twin_settle(twin, &joined, master);
		CHECK(!joined);
		CHECK(memcmp(twin, direct, sizeof(*twin)) == 0);
		/* settling twice changes nothing */
		hist_twin_settle(twin, &joined, master);
		CHECK(memcmp(twin, direct, sizeof(*twin)) == 0);
	}
}

/* The log-linear layout at the three widths in use (tline, ltl, hist):
 * values below 2^(sub_bits+1) are their own bucket, and every bucket's
 * highest value and the one after it fall either side of its edge, up to
 * HIST_MAX_NS. One failure is reported per width, not thousands. */
static void test_log_index(void)
{
	static const unsigned widths[] = {5, 7, HIST_SUB_BITS};
	for (unsigned k = 0; k < 3; k++) {
		unsigned sub = widths[k], bad = 0;
		for (uint64_t v = 0; v < (UINT64_C(2) << sub); v++)
			bad += hist_log_index(v, sub) != v;
		for (unsigned idx = 0;; idx++) {
			uint64_t high = hist_log_high(idx, sub);
			if (high >= HIST_MAX_NS)
				break;
			bad += hist_log_index(high, sub) != idx ||
			       hist_log_index(high + 1, sub) != idx + 1;
		}
		CHECK_INT(bad, 0);
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
	uint64_t *v = malloc(N * sizeof(*v));
	struct hist *h = calloc(3, sizeof(*h));
	printf("test_hist seed %" PRIu64 " (pass it as argv[1] to repeat)\n", seed);
	rng_state = seed;
	for (int d = 0; d < DIST_COUNT; d++)
		check_against_sort((enum dist)d, v, h);
	test_merge(v, &h[0], &h[1], &h[2]);
	test_merge_extremes(&h[0], &h[1], &h[2]);
	test_subtract(v, &h[0], &h[1], &h[2]);
	test_edges(h);
	test_twin(v, &h[0], &h[1], &h[2]);
	test_log_index();
	free(v);
	free(h);
	T_DONE();
}
