/*
 * sreport: the suite's verdict table on the terminal and its JSON report.
 */
#ifndef MCPL_STATS_REPORT_SREPORT_H
#define MCPL_STATS_REPORT_SREPORT_H

#include <stddef.h>
#include <stdio.h>

#include "stats/assess.h"

/* The table: NFR, criterion, target, measured, verdict; findings under it. */
void sreport_print(FILE *f, const struct assess *a);

/* Write the JSON report as dir/benchmark_DATE_TIME.json (dir created when
 * missing; a second report in the same second gets _2, _3...). path_out
 * gets the file's path. Returns 0 or -errno with a one-line reason in why. */
int sreport_write(const struct assess *a, const char *dir, char *path_out, size_t path_len,
		  char *why, size_t why_len);

#endif
