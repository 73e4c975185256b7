/*
 * The generator's self-check (result_check_generator): who is named when an
 * open-loop run misses its schedule. A thread that spun for precision is
 * not full; time it waited for a CPU, the hypervisor's steal included, puts
 * the lateness on the machine; a busy thread or dropped arrivals on the
 * generator; arrivals never sent on a busy server.
 */
#include <string.h>

#include "stats/result.h"
#include "stats/tally.h"
#include "tests/t.h"

/* An open-loop result: scheduled arrivals, on_time of them applied on
 * time, the busiest worker's figures in % of the run. */
static void judge(struct result *res, struct tally *t, uint64_t on_time, double busy, double cpu,
		  double wait, double steal)
{
	memset(res, 0, sizeof(*res));
	memset(t, 0, sizeof(*t));
	t->scheduled = 25000;
	t->on_time = on_time;
	res->total = t;
	res->open_loop = true;
	res->busiest_busy_pct = busy;
	res->busiest_cpu_pct = cpu;
	res->busiest_wait_pct = wait;
	res->busiest_steal_pct = steal;
	result_check_generator(res, 0);
}

static void test_verdicts(void)
{
	struct result res;
	struct tally t;

	judge(&res, &t, 24990, 10, 92, 0.7, 0);
	CHECK(!res.saturated && res.gen == RESULT_GEN_OK);

	/* late while spinning (92 % on its CPU, 10 % busy): the machine's */
	judge(&res, &t, 24260, 10, 92, 0.7, 0);
	CHECK(res.saturated);
	CHECK_INT(res.gen, RESULT_GEN_LATE);
	CHECK(strstr(res.saturation, "woke the generator late") != NULL);
	CHECK(strstr(res.saturation, "timers, pauses") != NULL);

	/* busy all the run, not waiting: full */
	judge(&res, &t, 24260, 95, 96, 0.5, 0);
	CHECK_INT(res.gen, RESULT_GEN_SATURATED);

	/* just as busy, but its CPU stolen by the hypervisor: the machine's */
	judge(&res, &t, 24260, 95, 96, 14, 12.5);
	CHECK_INT(res.gen, RESULT_GEN_LATE);
	CHECK(strstr(res.saturation, "steal 12.5%") != NULL);
	CHECK(strstr(res.saturation, "the host gave its CPU to others") != NULL);

	/* as long a wait, little of it steal: other work in this machine */
	judge(&res, &t, 24260, 95, 96, 14, 2);
	CHECK_INT(res.gen, RESULT_GEN_LATE);
	CHECK(strstr(res.saturation, "other work on these CPUs") != NULL);

	/* dropped arrivals: the generator's, whatever the waits */
	judge(&res, &t, 24260, 10, 92, 14, 12.5);
	t.dropped = 10;
	result_check_generator(&res, 0);
	CHECK_INT(res.gen, RESULT_GEN_SATURATED);

	/* on time, but a worker busy all the run: saturated all the same */
	judge(&res, &t, 25000, 95, 96, 0, 0);
	CHECK_INT(res.gen, RESULT_GEN_SATURATED);
	printf("  verdicts: %s\n", res.saturation);
}

int main(void)
{
	test_verdicts();
	T_DONE();
}
