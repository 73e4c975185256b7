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
void result_check_generator(struct result *res)
{
	const struct tally *t = res->total;
	double pct = tally_applied_pct(t);
	if (!res->open_loop)
		return;
	if (t->scheduled && pct < 99.0) {
		res->saturated = true;
		snprintf(
		    res->saturation, sizeof(res->saturation),
		    "only %.2f%% of %llu scheduled requests were applied on time (%llu dropped, "
		    "%llu never sent)",
		    pct, (unsigned long long)t->scheduled, (unsigned long long)t->dropped,
		    (unsigned long long)t->unsent);
	} else if (res->busiest_busy_pct > 90.0) {
		res->saturated = true;
		snprintf(res->saturation, sizeof(res->saturation),
			 "a worker thread was %.0f%% busy (limit 90%%)", res->busiest_busy_pct);
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
	free(res->slots);
	memtrend_free(&res->mem);
	res->total = NULL;
	res->timeline = NULL;
	res->slots = NULL;
}
