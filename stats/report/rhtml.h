/*
 * rhtml: a load run (http, run) as a self-contained HTML page (--html):
 * the verdict table with grades, each label's latency over time, the
 * percentile spectrum, throughput and failures by class, the per-label
 * table, the generator's self-check, memory when sampled, and the first
 * error messages in the server's words.
 */
#ifndef MCPL_STATS_REPORT_RHTML_H
#define MCPL_STATS_REPORT_RHTML_H

#include <stddef.h>

#include "stats/report/rdesc.h"
#include "stats/result.h"

/* Write the page to path (atomically). Returns 0 or -errno with a one-line
 * reason in why. */
int rhtml_write(const char *path, const struct rdesc *d, const struct result *res, char *why,
		size_t why_len);

#endif
