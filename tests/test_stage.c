/*
 * Stage shapes: values along ramps, the stage in force, when a level is
 * first reached, and arrival times that invert the rate's integral (checked
 * against the closed form of each ramp and by round trip).
 */
#include <math.h>

#include "scenarios/stage.h"
#include "tests/t.h"

#define S(x) ((uint64_t)((x)*1e9))

static const struct scn_stage ramp[] = {{S(2), 100}, {S(2), 100}, {S(1), 20}, {S(1), 0}};

static void test_value(void)
{
	CHECK_INT(stage_total_ns(ramp, 4), S(6));
	CHECK(fabs(stage_value(ramp, 4, 0)) < 1e-9);
	CHECK(fabs(stage_value(ramp, 4, S(1)) - 50) < 1e-6);
	CHECK(fabs(stage_value(ramp, 4, S(3)) - 100) < 1e-6);
	CHECK(fabs(stage_value(ramp, 4, S(4.5)) - 60) < 1e-6);
	CHECK(fabs(stage_value(ramp, 4, S(9))) < 1e-9); /* after the end: the last target */
	CHECK_INT(stage_index(ramp, 4, 0), 0);
	CHECK_INT(stage_index(ramp, 4, S(2)), 1);
	CHECK_INT(stage_index(ramp, 4, S(5.5)), 3);
	CHECK_INT(stage_index(ramp, 4, S(6)), 4);
}

static void test_reaching(void)
{
	/* 25 is reached at 0.5 s on the way up */
	CHECK(llabs((long long)stage_time_reaching(ramp, 4, 0, 25) - (long long)S(0.5)) <= 1);
	/* already there */
	CHECK_INT(stage_time_reaching(ramp, 4, S(3), 80), S(3));
	/* after the ramp down nothing reaches 50 again */
	CHECK(stage_time_reaching(ramp, 4, S(5), 50) == UINT64_MAX);
	CHECK(stage_time_reaching(ramp, 4, 0, 101) == UINT64_MAX);
	for (double v = 0.5; v < 100; v += 7.25) {
		uint64_t t = stage_time_reaching(ramp, 4, 0, v);
		CHECK(stage_value(ramp, 4, t) >= v);
		CHECK(t == 0 || stage_value(ramp, 4, t - 2) < v);
	}
}

static void test_arrivals(void)
{
	/* 0 -> 100/s over 2 s is 100 arrivals; hold 2 s: 200 more; down to
	 * 20/s over 1 s: 60; to 0 over 1 s: 10 */
	CHECK(fabs(stage_arrivals(ramp, 4, S(2)) - 100) < 1e-6);
	CHECK(fabs(stage_arrivals(ramp, 4, S(4)) - 300) < 1e-6);
	CHECK(fabs(stage_arrivals(ramp, 4, S(5)) - 360) < 1e-6);
	CHECK(fabs(stage_arrivals(ramp, 4, S(6)) - 370) < 1e-6);
	CHECK(fabs(stage_arrivals(ramp, 4, S(1)) - 25) < 1e-6); /* 50 t^2 / 2 */
	CHECK_INT(stage_time_of(ramp, 4, 0), 0);
	for (double k = 0.5; k < 370; k += 3.7) {
		uint64_t t = stage_time_of(ramp, 4, k);
		CHECK(t != UINT64_MAX && fabs(stage_arrivals(ramp, 4, t) - k) < 1e-4);
	}
	CHECK(stage_time_of(ramp, 4, 371) == UINT64_MAX);
	/* a flat rate: arrival k at k / rate exactly */
	static const struct scn_stage flat[] = {{0, 1000}, {S(10), 1000}}; /* a jump, then hold */
	CHECK_INT(stage_time_of(flat, 2, 2500), S(2.5));
	CHECK(fabs(stage_value(flat, 2, 0) - 1000) < 1e-9);
	/* a pause (rate 0) is skipped over */
	static const struct scn_stage pause[] = {{S(1), 10}, {S(1), 0}, {S(1), 0}, {S(1), 10}};
	uint64_t t = stage_time_of(pause, 4, 10.5); /* 5 + 5 before the pause */
	CHECK(t > S(3) && t < S(4));
}

int main(void)
{
	test_value();
	test_reaching();
	test_arrivals();
	T_DONE();
}
