/*
 * rcsv: a run as Locust writes it with --csv PREFIX --csv-full-history:
 * PREFIX_stats.csv (each label over the run and the Aggregated row),
 * PREFIX_stats_history.csv (each second: the last 10 seconds' rates and
 * percentiles, the run's totals so far) and PREFIX_failures.csv (method,
 * name, error, occurrences), with Locust's columns, order, number formats
 * and CRLF lines, so what reads Locust's files reads these unchanged.
 */
#ifndef MCPL_STATS_REPORT_RCSV_H
#define MCPL_STATS_REPORT_RCSV_H

#include <stddef.h>

#include "stats/report/rdesc.h"
#include "stats/result.h"

/* Can the three files be written? Returns 0 or -errno with a one-line
 * reason in why (before a run). */
int rcsv_check(const char *prefix, char *why, size_t why_len);

/* Write the three files (each atomically). Returns 0 or -errno with a
 * one-line reason in why. */
int rcsv_write(const char *prefix, const struct rdesc *d, const struct result *res, char *why,
	       size_t why_len);

#endif
