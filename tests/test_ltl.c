/*
 * Per-label timeline tests: responses of three labels over two "workers"
 * land in their (second, label); the merged counts are exact; percentiles
 * match an exact sort within the 2-digit buckets (0.8 %); failures without
 * a response count; a full arena or a run past the last second is marked
 * truncated. Seeded (printed).
 */
#include <inttypes.h>
#include <math.h>
#include <time.h>

#include "scenarios/rng.h"
#include "stats/ltl.h"
#include "tests/t.h"

enum { SECS = 3, SLOTS = 3, PER = 6000 };
static uint64_t v[SECS][SLOTS][2 * PER];
static unsigned nv[SECS][SLOTS];

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

static void fill(struct ltl *parts, uint64_t *rng)
{
	for (unsigned s = 0; s < SECS; s++)
		for (unsigned i = 0; i < 2 * PER; i++) {
			unsigned slot = (i * 7u) % SLOTS;
			double g =
			    sqrt(-2 * log(rng_uniform(rng))) * cos(6.283185307 * rng_uniform(rng));
			uint64_t lat = (uint64_t)exp(log(1e5 * (slot + 1)) + 0.7 * g) + 1;
			uint64_t at = 5000 + s * 1000000000ull + (uint64_t)i * 83000u;
			if (slot == 1 && s == 1)
				continue; /* a second without this label */
			v[s][slot][nv[s][slot]++] = lat;
			ltl_record(&parts[i % 2], slot, at, lat, lat / 2, 100, i % 10 == 0);
		}
}

static void check_second(const struct ltl_run *r, unsigned s, unsigned slot, unsigned *bad)
{
	struct ltl_view lv;
	bool have = ltl_get(r, s, slot, &lv);
	CHECK(have == (nv[s][slot] > 0));
	if (!have)
		return;
	CHECK_INT(lv.n, nv[s][slot]);
	qsort(v[s][slot], nv[s][slot], sizeof(uint64_t), cmp);
	for (unsigned p = 0; p < 3; p++) {
		static const double pct[] = {50, 95, 99};
		size_t at = (size_t)ceil(pct[p] / 100 * nv[s][slot]) - 1;
		double e = (double)v[s][slot][at];
		double got = (double)ltl_percentile_ns(&lv, 0, pct[p]);
		*bad += fabs(got / e - 1) > 0.008;
		/* service was recorded as half the latency */
		double svc = (double)ltl_percentile_ns(&lv, 1, pct[p]);
		*bad += fabs(svc / (double)(v[s][slot][at] / 2) - 1) > 0.008;
	}
}

int main(int argc, char **argv)
{
	uint64_t seed = argc > 1 ? strtoull(argv[1], NULL, 0) : (uint64_t)time(NULL), rng = seed;
	struct ltl parts[2];
	struct ltl_run r;
	unsigned bad = 0;
	printf("test_ltl seed %" PRIu64 "\n", seed);

	for (unsigned w = 0; w < 2; w++) {
		CHECK_INT(ltl_init(&parts[w], SLOTS, SECS, true), 0);
		parts[w].origin_ns = 5000;
		parts[w].sec_from_ns = 5000;
	}
	fill(parts, &rng);
	ltl_fail(&parts[0], 2, 5000 + 2 * 1000000000ull + 7);
	for (unsigned w = 0; w < 2; w++)
		ltl_finish(&parts[w]);
	CHECK(!parts[0].truncated && !parts[1].truncated);
	CHECK_INT(ltl_merge(parts, 2, &r), 0);
	CHECK_INT(r.nsec, SECS);
	for (unsigned s = 0; s < SECS; s++)
		for (unsigned slot = 0; slot < SLOTS; slot++)
			check_second(&r, s, slot, &bad);
	CHECK_INT(bad, 0);
	struct ltl_view lv;
	CHECK(ltl_get(&r, 2, 2, &lv));
	unsigned want_failed = 1;
	for (unsigned i = 0; i < 2 * PER; i++)
		want_failed += (i * 7u) % SLOTS == 2 && i % 10 == 0;
	CHECK_INT(lv.failed, want_failed);
	CHECK_INT(lv.lost, 1);
	CHECK_INT(lv.body, 100ull * lv.n);
	CHECK(!ltl_get(&r, SECS, 0, &lv));
	ltl_run_free(&r);

	/* past the last second kept: marked, nothing written */
	ltl_record(&parts[0], 0, 5000 + SECS * 1000000000ull + 1, 10, 10, 0, false);
	CHECK(parts[0].truncated);
	/* an arena that is full keeps what it has and says so */
	struct ltl small;
	CHECK_INT(ltl_init(&small, 1, 4000, false), 0);
	small.cap = 16; /* smaller than one record */
	small.sec_from_ns = 0;
	ltl_record(&small, 0, 10, 123, 123, 0, false);
	ltl_finish(&small);
	CHECK(small.truncated);
	CHECK_INT(small.len, 0);
	ltl_free(&small);
	CHECK_INT(ltl_init(&small, 0, 1, false), -22);
	for (unsigned w = 0; w < 2; w++)
		ltl_free(&parts[w]);
	T_DONE();
}
