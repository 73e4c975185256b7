/*
 * rpage: the frame of every HTML report mcpload writes (run, suite, stress,
 * compare): one self-contained page with its CSS inline, no script and no
 * fetch, readable offline and as a CI artifact; sections, the verdict table
 * with its A-F grades, key/value tables and escaped text.
 */
#ifndef MCPL_STATS_REPORT_RPAGE_H
#define MCPL_STATS_REPORT_RPAGE_H

#include <stdio.h>
#include <time.h>

#include "stats/report/rjunit.h"

/* The page up to its first section: title, then one line per lines[i]
 * (e.g. "command", "target", "started") as a key/value list. */
void rpage_begin(FILE *f, const char *title, const char *const (*lines)[2], unsigned n);
void rpage_end(FILE *f);

/* A section; id is the anchor a test or a link finds it by. */
void rpage_section(FILE *f, const char *id, const char *title);
void rpage_section_end(FILE *f);

/* The verdict table (id "verdicts"): one row per case with its grade. */
void rpage_verdicts(FILE *f, const struct rjunit *u);

/* A paragraph of escaped text. */
void rpage_note(FILE *f, const char *text);

/* A table: rpage_table(f, id, header cells, n) then rows of n cells. */
void rpage_table(FILE *f, const char *id, const char *const *head, unsigned n);
void rpage_row(FILE *f, const char *const *cells, unsigned n);
void rpage_table_end(FILE *f);

/* A chart's frame: the charts sit in a grid of figures. */
void rpage_charts_begin(FILE *f);
void rpage_charts_end(FILE *f);

#endif
