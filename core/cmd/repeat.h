/*
 * repeat: `--repeat N` on `mcpload http` and `mcpload run`: the same load N
 * times in a row, each run's key figures, their mean and coefficient of
 * variation, and a flag on any figure whose CV is above 5 % (runs of one
 * build should agree within 5 %).
 */
#ifndef MCPL_CORE_CMD_REPEAT_H
#define MCPL_CORE_CMD_REPEAT_H

#include <stddef.h>

struct lopt;
struct phase;

#define REPEAT_MAX	    100
#define REPEAT_CV_LIMIT_PCT 5.0

/* Mean and coefficient of variation (sample stddev / mean, in %) of v[0..n).
 * The CV is 0 when n < 2 or the mean is 0. */
void repeat_stats(const double *v, size_t n, double *mean, double *cv_pct);

/* Run ph o->repeat times; print (and with o->json write) the table.
 * Returns the exit status: the worst of the runs (3 a generator that fell
 * behind, 1 a failed check or a run that could not be done). */
int repeat_runs(const struct lopt *o, struct phase *ph);

#endif
