/*
 * summary: the end-of-run text (stdout) and JSON document (--json) of an
 * `mcpload http` run. Same figures in both; JSON keys carry their units.
 */
#ifndef MCPL_STATS_REPORT_SUMMARY_H
#define MCPL_STATS_REPORT_SUMMARY_H

#include <stdio.h>

#include "core/engine/cfg.h"
#include "core/engine/run.h"

void summary_print(FILE *f, const struct cfg *cfg, const struct run_result *res);

/*
 * Write the JSON document to path atomically (temporary file + rename).
 * Returns 0 or -errno.
 */
int summary_write_json(const char *path, const struct cfg *cfg, const struct run_result *res);

#endif
