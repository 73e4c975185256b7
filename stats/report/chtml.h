/*
 * chtml: `mcpload compare` as a self-contained HTML page (--html): each
 * figure's baseline, new value, change, noise band and verdict (graded),
 * and the whole run's latency at p50, p95 and p99 of both on a percentile
 * axis.
 */
#ifndef MCPL_STATS_REPORT_CHTML_H
#define MCPL_STATS_REPORT_CHTML_H

#include <stddef.h>

#include "stats/report/rjunit.h"

#define CHTML_PCTS 3

struct chtml {
	const char *cmdline, *baseline, *candidate;
	double threshold_pct;
	const struct rjunit *rows; /* one case per figure compared */
	/* the whole run's latency (ms) at pct[i]; NaN where a file has none */
	double pct[CHTML_PCTS], base_ms[CHTML_PCTS], new_ms[CHTML_PCTS];
};

/* Write the page to path (atomically). Returns 0 or -errno with a one-line
 * reason in why. */
int chtml_write(const char *path, const struct chtml *c, char *why, size_t why_len);

#endif
