/*
 * summary: the end-of-run text of `mcpload http` and `mcpload run` on
 * stdout: requests, throughput, latency (corrected and uncorrected in the
 * open loop), the generator's self-check, status codes and errors by
 * class, per-label tables and checks, the client's own cost.
 */
#ifndef MCPL_STATS_REPORT_SUMMARY_H
#define MCPL_STATS_REPORT_SUMMARY_H

#include <stdio.h>

#include "stats/report/rdesc.h"
#include "stats/result.h"

void summary_print(FILE *f, const struct rdesc *d, const struct result *res);

#endif
