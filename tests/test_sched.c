/*
 * Schedule tests: constant spacing never drifts; Poisson inter-arrival
 * times have mean within 2% of 1/lambda and coefficient of variation within
 * 2% of 1 over 200k arrivals (the check asks 5%), and the tail
 * matches the exponential (P(gap > 3/lambda) = e^-3). Lean pacing's batch
 * ends at the last arrival within its window, cut by its bounds, and leaves
 * the schedule as it was. Seed printed.
 */
#include <inttypes.h>
#include <math.h>
#include <time.h>

#include "core/engine/sched.h"
#include "tests/t.h"

static void test_batch_end(uint64_t seed)
{
	struct sched s, before;
	/* 2,000/s from 1 ms: arrivals every 0.5 ms */
	sched_init(&s, 2000, false, 0, 1000000);
	before = s;
	CHECK_INT(sched_batch_end(&s, 2000000, UINT64_MAX, 64), 3000000); /* five */
	CHECK(memcmp(&s, &before, sizeof(s)) == 0);
	CHECK_INT(sched_batch_end(&s, 1999999, UINT64_MAX, 64), 2500000); /* four */
	CHECK_INT(sched_batch_end(&s, 0, UINT64_MAX, 64), 1000000);	  /* alone */
	CHECK_INT(sched_batch_end(&s, 2000000, UINT64_MAX, 3), 2000000);  /* at most 3 */
	CHECK_INT(sched_batch_end(&s, 2000000, UINT64_MAX, 1), 1000000);
	CHECK_INT(sched_batch_end(&s, 2000000, 2200000, 64), 2000000);	      /* cut */
	CHECK_INT(sched_batch_end(&s, 2000000, 500000, 64), 1000000);	      /* until passed */
	CHECK_INT(sched_batch_end(&s, UINT64_MAX, UINT64_MAX, 64), 32500000); /* 64 of them */
	/* Poisson: the end is an arrival of the schedule, within the window */
	sched_init(&s, 5000, true, seed, 0);
	for (int k = 0; k < 1000; k++) {
		uint64_t end = sched_batch_end(&s, 1000000, UINT64_MAX, 64), first = s.next_ns;
		struct sched copy = s;
		uint64_t t = sched_take(&copy);
		while (t < end)
			t = sched_take(&copy);
		CHECK(t == end && end - first <= 1000000);
		sched_take(&s);
	}
}

int main(int argc, char **argv)
{
	struct sched s;
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL);
	printf("test_sched seed %" PRIu64 "\n", seed);

	sched_init(&s, 3000, false, 0, 1000);
	uint64_t first = sched_take(&s), last = first;
	CHECK_INT(first, 1000);
	for (int i = 1; i <= 3000000; i++)
		last = sched_take(&s);
	/* 3M arrivals at 3000/s: exactly 1000 s later, to the nanosecond */
	CHECK_INT(last - first, 1000000000000ull);

	const int n = 200000;
	const double rate = 5000, mean = 1e9 / rate;
	double sum = 0, sq = 0;
	int tail = 0;
	sched_init(&s, rate, true, seed, 0);
	uint64_t prev = sched_take(&s);
	for (int i = 0; i < n; i++) {
		uint64_t t = sched_take(&s);
		double g = (double)(t - prev);
		sum += g;
		sq += g * g;
		tail += g > 3 * mean;
		prev = t;
	}
	double m = sum / n, sd = sqrt(sq / n - m * m);
	printf("  poisson: mean gap %.1f ns (want %.1f), cv %.4f, P(>3/l) %.4f (want %.4f)\n", m,
	       mean, sd / m, (double)tail / n, exp(-3));
	CHECK(fabs(m / mean - 1) < 0.02);
	CHECK(fabs(sd / m - 1) < 0.02);
	CHECK(fabs((double)tail / n - exp(-3)) < 0.005);

	/* the same seed gives the same schedule */
	struct sched a, b;
	sched_init(&a, 100, true, 42, 0);
	sched_init(&b, 100, true, 42, 0);
	int same = 1;
	for (int i = 0; i < 1000; i++)
		same &= sched_take(&a) == sched_take(&b);
	CHECK(same);
	test_batch_end(seed);
	T_DONE();
}
