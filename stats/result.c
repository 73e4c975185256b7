/*
 * result: the generator's self-check over a merged run, and freeing what a
 * result owns.
 */
#include "stats/result.h"

#include <stdio.h>
#include <stdlib.h>

/*
 * Applied on time: dispatched within 1 ms of the intended time (to a
 * connection or to the backlog) and sent at all; dropped arrivals and those
 * never sent are load that was not applied. Waiting for a free connection
 * is not the generator's lateness: it is the server's, and it is in the
 * corrected latency. Arrivals still in the backlog at the end were
 * dispatched on time but never applied (tally.unsent_idle says how many of
 * them had a free connection; the suite uses it to tell the server's
 * queueing from the generator's).
 */
/* Whose doing a late generator is, when it was not full: the host's (a
 * wait mostly the hypervisor's steal), other work's, or the machine's own
 * timers and pauses (no wait to speak of). */
static const char *late_cause(const struct result *res)
{
	if (res->busiest_wait_pct < 1.0)
		return "this machine's timers, pauses";
	return res->busiest_steal_pct * 2 >= res->busiest_wait_pct
		   ? "the host gave its CPU to others"
		   : "other work on these CPUs";
}

void result_check_generator(struct result *res, double bar)
{
	const struct tally *t = res->total;
	double pct = tally_applied_pct(t), busy = res->busiest_busy_pct;
	if (bar <= 0)
		bar = RESULT_ON_TIME_PCT;
	res->gen = RESULT_GEN_OK;
	if (!res->open_loop)
		return;
	double dispatched = t->scheduled ? 100.0 * (double)t->on_time / (double)t->scheduled : 100;
	/* evidence: the time a worker waited for a CPU (the guest's run
	 * delay, the hypervisor's steal) is other work's; a worker busy nearly
	 * all the run (and not waiting) is full. Spinning for precision is
	 * not being busy: a spinning worker has time to spare, and one late
	 * while spinning lost its CPU to something it cannot see. */
	bool waited = res->busiest_wait_pct > RESULT_CLIENT_WAIT_PCT;
	bool full = !waited && res->busiest_busy_pct > 90.0;
	if (t->scheduled && pct < bar && dispatched >= bar && !t->dropped && !full) {
		/* every arrival was dispatched on time; those never sent found
		 * every connection waiting for the server */
		res->saturated = true;
		res->gen = RESULT_GEN_BACKLOG;
		snprintf(res->saturation, sizeof(res->saturation),
			 "only %.2f%% of %llu scheduled requests were applied on time (bar %g%%): "
			 "%llu were never sent, every connection was busy waiting for the server "
			 "(more connections, or a lower rate)",
			 pct, (unsigned long long)t->scheduled, bar, (unsigned long long)t->unsent);
	} else if (t->scheduled && pct < bar) {
		/* late: saturated when arrivals were dropped or a worker was on
		 * its CPU nearly all the run; else the machine (a worker that
		 * waited for a CPU, or timers that fired late) */
		bool sat = t->dropped || full;
		res->saturated = true;
		res->gen = sat ? RESULT_GEN_SATURATED : RESULT_GEN_LATE;
		if (sat)
			snprintf(
			    res->saturation, sizeof(res->saturation),
			    "the generator is saturated: only %.2f%% of %llu scheduled "
			    "requests were applied on time (bar %g%%; %llu dropped, %llu never "
			    "sent; busiest thread %.0f%% busy)",
			    pct, (unsigned long long)t->scheduled, bar,
			    (unsigned long long)t->dropped, (unsigned long long)t->unsent, busy);
		else
			snprintf(res->saturation, sizeof(res->saturation),
				 "the machine woke the generator late: only %.2f%% of %llu "
				 "scheduled requests were applied on time (bar %g%%); its busiest "
				 "thread ran %.0f%% of the run, waited %.0f%% for a CPU (steal "
				 "%.1f%%): %s",
				 pct, (unsigned long long)t->scheduled, bar, res->busiest_cpu_pct,
				 res->busiest_wait_pct, res->busiest_steal_pct, late_cause(res));
	} else if (busy > 90.0) {
		res->saturated = true;
		res->gen = RESULT_GEN_SATURATED;
		snprintf(res->saturation, sizeof(res->saturation),
			 "the generator is saturated: a worker thread was %.0f%% busy (limit 90%%)",
			 busy);
	}
}

uint64_t result_succeeded(const struct result *res, const struct plan *p)
{
	return p ? res->total->ok : tally_status_range(res->total, 200, 299);
}

void result_free(struct result *res)
{
	free(res->total);
	free(res->timeline);
	ltl_run_free(&res->ltl);
	free(res->slots);
	memtrend_free(&res->mem);
	res->total = NULL;
	res->timeline = NULL;
	res->slots = NULL;
}
