/*
 * chtml: the compare page on the frame of rpage.
 */
#include "stats/report/chtml.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>

#include "stats/report/out.h"
#include "stats/report/rpage.h"
#include "stats/report/svg.h"

static int fill(FILE *f, const void *ctx)
{
	const struct chtml *c = ctx;
	char thr[64];
	snprintf(thr, sizeof(thr), "%.1f %% (and the runs' own noise)", c->threshold_pct);
	const char *const lines[][2] = {{"command", c->cmdline ? c->cmdline : ""},
					{"baseline", c->baseline},
					{"new", c->candidate},
					{"regression", thr}};
	rpage_begin(f, "mcpload compare report", lines, 4);
	rpage_section(f, "verdict", "Figures");
	rpage_verdicts(f, c->rows);
	rpage_section_end(f);
	rpage_section(f, "latency", "Latency of the whole run");
	rpage_charts_begin(f);
	struct svg_series s[2] = {
	    {.name = "baseline", .x = c->pct, .y = c->base_ms, .n = CHTML_PCTS, .markers = true},
	    {.name = "new", .x = c->pct, .y = c->new_ms, .n = CHTML_PCTS, .markers = true}};
	struct svg_chart ch = {.id = "chart-compare",
			       .title = "p50, p95 and p99: baseline and new",
			       .x_label = "percentile",
			       .y_label = "latency (ms)",
			       .x_axis = SVG_PERCENTILE};
	svg_line_chart(f, &ch, s, 2);
	rpage_charts_end(f);
	rpage_section_end(f);
	rpage_end(f);
	return ferror(f) ? -EIO : 0;
}

int chtml_write(const char *path, const struct chtml *c, char *why, size_t wl)
{
	return out_write(path, fill, c, why, wl);
}
