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
#include "stats/knee.h"
#include "stats/report/rlab.h"
#include "stats/tokeff.h"
#include "stats/result.h"

/* One label's latency over time (its seconds in res->ltl). */
void rchart_latency(FILE *f, const struct result *res, const struct rlab *l, unsigned index);

/* The percentile spectrum of n histograms (dashed[i]: drawn dashed, the
 * uncorrected twin of the one before). */
void rchart_spectrum(FILE *f, const char *id, const char *title, const struct hist *const *h,
		     const char *const *names, const bool *dashed, unsigned n);

/* Responses/s and failures by class, each second of a timeline; id is the
 * chart's, title its heading. */
void rchart_throughput(FILE *f, const char *id, const char *title, const struct tline_sec *tl,
		       unsigned n);

/* Open model: the share of each second's arrivals applied on time. */
void rchart_on_time(FILE *f, const char *id, const struct tline_sec *tl, unsigned n);

/* p50 and p99 of each second of n timelines (names[i]: the i-th's), on one
 * chart: the suite's phases. */
void rchart_timelines(FILE *f, const char *id, const char *title, const struct tline_sec *const *tl,
		      const unsigned *len, const char *const *names, unsigned n);

/* The stress curve: p50 and p99 against the offered (or, closed, users)
 * load, a marker at each step and a line at the highest that held. */
void rchart_stress(FILE *f, const char *id, const struct knee *k);

/* NFR-03: per workflow (numbered as listed), the MCP way's tokens as
 * stacked bars (what the calls returned, the tool list over the turns)
 * against the baseline's (markers). */
void rchart_tokens(FILE *f, const char *id, const struct tokeff *t);

/* Server and client resident memory, once a second (when sampled). */
void rchart_memory(FILE *f, const struct memtrend *m);

#endif
