/*
 * rchart: the charts of a run's HTML report, drawn with svg from what the
 * run measured: each label's latency over time (p50/p95/p99, corrected and
 * uncorrected), the percentile spectrum, throughput and errors by class per
 * second, the generator's on-time share, server and client memory.
 */
#ifndef MCPL_STATS_REPORT_RCHART_H
#define MCPL_STATS_REPORT_RCHART_H

#include <stdio.h>

#include "stats/hist.h"
#include "stats/report/rlab.h"
#include "stats/result.h"

/* One label's latency over time (its seconds in res->ltl). */
void rchart_latency(FILE *f, const struct result *res, const struct rlab *l, unsigned index);

/* The percentile spectrum of n histograms (dashed[i]: drawn dashed, the
 * uncorrected twin of the one before). */
void rchart_spectrum(FILE *f, const char *id, const char *title, const struct hist *const *h,
		     const char *const *names, const bool *dashed, unsigned n);

/* Requests/s and failures by class, each second. */
void rchart_throughput(FILE *f, const struct result *res);

/* Open model: the share of each second's arrivals applied on time. */
void rchart_on_time(FILE *f, const struct result *res);

/* Server and client resident memory, once a second (when sampled). */
void rchart_memory(FILE *f, const struct memtrend *m);

#endif
