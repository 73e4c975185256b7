/*
 * rtok: NFR-03's token counts written out: the workflows as JSON (one
 * writer for the suite's report and for the recorded baseline that
 * `mcpload tokens --baseline` writes and the suite reads back), and the
 * per-workflow table of the text report.
 */
#ifndef MCPL_STATS_REPORT_RTOK_H
#define MCPL_STATS_REPORT_RTOK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "protocol/jw.h"
#include "stats/tokeff.h"

/* t as the object key of j: encoding, where the baseline came from, the
 * tool list, totals, and per workflow its baseline (files) and, once
 * counted, its MCP side (calls). */
void rtok_json(struct jw *j, const char *key, const struct tokeff *t);

/* The recorded baseline document (mode "token-baseline") to path ("-":
 * stdout). Returns 0 or -errno with a one-line reason in why. */
int rtok_baseline_write(const char *path, const struct tokeff *t, const char *cmdline,
			const char *files_dir, char *why, size_t wl);

/* One line per workflow: baseline, MCP (with the tool list's share),
 * reduction; then the totals. indent: the table's left margin. */
void rtok_print(FILE *f, const struct tokeff *t, const char *indent);

#endif
