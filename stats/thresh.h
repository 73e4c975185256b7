/*
 * thresh: pass/fail thresholds on a run's figures, k6-style:
 * "p99<200ms", "errors<1%", "rps>=95", per label "tasks_next:p95<100ms".
 * Parsed when the command line (or a scenario file) is read, judged on the
 * merged result at the end; a missed threshold has an exit status of its
 * own (THRESH_EXIT).
 */
#ifndef MCPL_STATS_THRESH_H
#define MCPL_STATS_THRESH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/plan.h"
#include "stats/result.h"

#define THRESH_MAX  32
#define THRESH_EXIT 99 /* a threshold was missed (k6's number for the same) */

enum thresh_metric {
	THRESH_PCT,    /* a latency percentile of the successful responses, ms */
	THRESH_MEAN,   /* mean latency, ms */
	THRESH_MAX_MS, /* the slowest response, ms */
	THRESH_ERRORS, /* failed requests, % of attempted (tally_error_pct) */
	THRESH_RPS,    /* responses per second */
};

enum thresh_op { THRESH_LT, THRESH_LE, THRESH_GT, THRESH_GE };

struct thresh {
	char text[128];	 /* as written */
	char label[128]; /* "" for the whole run */
	enum thresh_metric metric;
	double pct; /* THRESH_PCT: the percentile */
	enum thresh_op op;
	double limit; /* in the metric's unit (ms, %, req/s) */
	/* thresh_judge */
	bool measured; /* false: nothing to judge (no such label, no responses;
			  latency: no response succeeded) */
	double value;
	uint64_t requests; /* judged over: successful responses (latency),
			      attempts (errors), responses (rps) */
	bool passed;
};

/*
 * Parse "[LABEL:]METRIC OP VALUE": METRIC p50, p95, p99.9 (any pN), mean,
 * max (latency: VALUE with ns, us, ms or s; ms when bare), errors (a
 * percentage, "%" optional), rps (requests per second); OP <, <=, >, >=.
 * Returns 0 or -EINVAL with a one-line reason in why.
 */
int thresh_parse(const char *text, struct thresh *t, char *why, size_t why_len);

/* Judge t on res: the whole run, or the label of plan p (NULL for a plain
 * HTTP run, which has no labels). A threshold with nothing to judge fails. */
void thresh_judge(struct thresh *t, const struct result *res, const struct plan *p);

/* "ms", "%", "req/s". */
const char *thresh_unit(const struct thresh *t);

/* How much of its limit t's measured value used: value / limit for an
 * upper bound, limit / value for a lower one (NaN when not measured or the
 * limit is 0). */
double thresh_use(const struct thresh *t);

#endif
