/*
 * Post-run checks: disjoint ranges (touching is fine, sharing one id is a
 * collision, nested and duplicate ranges too, wrong sizes are counted),
 * unique values, examples, hostile extremes, and "nothing gathered" fails.
 */
#include <stdlib.h>

#include "stats/check.h"
#include "tests/t.h"

static const struct scn_check disjoint = {.name = "ranges",
					  .kind = SCN_CHECK_DISJOINT,
					  .label = "reserve",
					  .start = "start",
					  .end = "end",
					  .count = "count",
					  .what = "disjoint"};
static const struct scn_check unique = {
    .name = "ids", .kind = SCN_CHECK_UNIQUE, .label = "id", .start = "id", .what = "unique"};

static void run(const struct scn_check *d, struct check_rec *r, size_t n, struct check_result *out)
{
	memset(out, 0, sizeof(*out));
	check_run(d, r, n, out);
}

static void test_disjoint(void)
{
	struct check_result res;
	struct check_rec ok[] = {{21, 30, 10}, {1, 10, 10}, {11, 20, 10}};
	run(&disjoint, ok, 3, &res);
	CHECK(res.passed);
	CHECK_INT(res.collisions, 0);

	struct check_rec dup[] = {{1, 10, 10}, {11, 20, 10}, {11, 20, 10}, {20, 25, 6}};
	run(&disjoint, dup, 4, &res);
	CHECK(!res.passed);
	CHECK_INT(res.collisions, 2);
	CHECK_INT(res.nexamples, 2);
	CHECK_INT(res.examples[0][0].start, 11);
	CHECK_INT(res.examples[0][1].start, 11);

	/* nested inside a long range: the long one is the other half */
	struct check_rec nest[] = {{1, 100, 100}, {50, 60, 11}, {70, 80, 11}, {101, 110, 10}};
	run(&disjoint, nest, 4, &res);
	CHECK_INT(res.collisions, 2);
	CHECK_INT(res.examples[1][0].start, 1);
	CHECK_INT(res.examples[1][1].start, 70);

	struct check_rec size[] = {{1, 10, 9}, {20, 10, 1}};
	run(&disjoint, size, 2, &res);
	CHECK_INT(res.bad_count, 2);
	CHECK(!res.passed);

	struct check_rec hostile[] = {
	    {INT64_MIN, INT64_MAX, 0}, {0, 0, 1}, {INT64_MAX, INT64_MAX, 1}};
	run(&disjoint, hostile, 3, &res);
	CHECK_INT(res.collisions, 2);
	CHECK_INT(res.bad_count, 1);

	run(&disjoint, NULL, 0, &res);
	CHECK(!res.passed); /* nothing was checked */
}

static void test_unique(void)
{
	struct check_result res;
	struct check_rec v[1000];
	for (int i = 0; i < 1000; i++)
		v[i] = (struct check_rec){(i * 7919) % 1000, 0, 0};
	run(&unique, v, 1000, &res);
	CHECK(res.passed);
	v[500].start = v[10].start;
	run(&unique, v, 1000, &res);
	CHECK_INT(res.collisions, 1);
	CHECK(!res.passed);
}

static void test_unreadable(void)
{
	struct check_result res;
	struct check_rec ok[] = {{1, 10, 10}};
	memset(&res, 0, sizeof(res));
	res.unreadable = 1; /* a response without the fields fails the check */
	check_run(&disjoint, ok, 1, &res);
	CHECK(!res.passed);
}

int main(void)
{
	test_disjoint();
	test_unique();
	test_unreadable();
	T_DONE();
}
