/*
 * Timeline tests: rows land in the right second; merged per-second
 * percentiles over two "workers" match an exact sort of the same samples
 * within the compact histogram's 3.1 %; a run longer than the rows is marked
 * truncated. Seeded (printed).
 */
#include <inttypes.h>
#include <math.h>
#include <time.h>

#include "scenarios/rng.h"
#include "stats/tline.h"
#include "tests/t.h"

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL), rng = seed;
	struct tline parts[2];
	enum { SECS = 4, PER = 20000 };
	static uint64_t v[SECS][2 * PER];
	printf("test_tline seed %" PRIu64 "\n", seed);

	CHECK_INT(tline_init(&parts[0], SECS, 1000), 0);
	CHECK_INT(tline_init(&parts[1], SECS, 1000), 0);
	for (unsigned s = 0; s < SECS; s++) {
		for (unsigned i = 0; i < 2 * PER; i++) {
			/* lognormal-ish latencies, second s slower than s-1 */
			double g = sqrt(-2 * log(rng_uniform(&rng))) *
				   cos(6.283185307 * rng_uniform(&rng));
			v[s][i] = (uint64_t)exp(log(2e5 * (s + 1)) + 0.8 * g) + 1;
			uint64_t at = 1000 + s * 1000000000ull + (i * 997u) % 1000000000u;
			tline_latency(&parts[i % 2], at, v[s][i]);
		}
	}
	struct tline_sec *out;
	unsigned n;
	CHECK_INT(tline_merge(parts, 2, &out, &n), 0);
	CHECK_INT(n, SECS);
	unsigned bad = 0;
	for (unsigned s = 0; s < SECS; s++) {
		qsort(v[s], 2 * PER, sizeof(uint64_t), cmp);
		uint64_t e50 = v[s][(size_t)ceil(0.50 * 2 * PER) - 1];
		uint64_t e99 = v[s][(size_t)ceil(0.99 * 2 * PER) - 1];
		double r50 = fabs((double)out[s].p50_ns / (double)e50 - 1);
		double r99 = fabs((double)out[s].p99_ns / (double)e99 - 1);
		printf("  second %u: p50 %.1f us (exact %.1f), p99 %.1f us (exact %.1f)\n", s,
		       (double)out[s].p50_ns / 1e3, (double)e50 / 1e3, (double)out[s].p99_ns / 1e3,
		       (double)e99 / 1e3);
		bad += r50 > 0.032 || r99 > 0.032;
		CHECK_INT(out[s].responses, 2 * PER);
	}
	CHECK_INT(bad, 0);
	free(out);
	CHECK(!parts[0].truncated);
	tline_latency(&parts[0], 1000 + SECS * 1000000000ull, 5);
	CHECK(parts[0].truncated);
	CHECK(tline_at(&parts[0], 999) == NULL);
	tline_free(&parts[0]);
	tline_free(&parts[1]);

	/* rows sized for an hour, written in seconds 0 and 2 by one part and
	 * never by the other: the merge reads (and returns) three seconds */
	CHECK_INT(tline_init(&parts[0], 3600, 1000), 0);
	CHECK_INT(tline_init(&parts[1], 3600, 1000), 0);
	tline_latency(&parts[0], 1000, 7000);
	tline_latency(&parts[0], 1000 + 2 * 1000000000ull + 5, 9000);
	CHECK_INT(parts[0].used, 3);
	CHECK_INT(parts[1].used, 0);
	CHECK_INT(tline_merge(parts, 2, &out, &n), 0);
	CHECK_INT(n, 3);
	CHECK_INT(out[0].responses, 1);
	CHECK_INT(out[1].responses, 0);
	CHECK_INT(out[2].responses, 1);
	CHECK(out[2].p50_ns >= 9000 && out[2].p50_ns < 9000 * 1.032);
	free(out);
	tline_free(&parts[0]);
	tline_free(&parts[1]);
	T_DONE();
}
