/*
 * svgax: the axes of svg's charts. A data range becomes a scale (linear,
 * log10 decades, or HdrHistogram's percentile scale log10(1/(1-p))) with
 * round ends and ticks on 1-2-5 steps or decades, readable tick labels
 * (k/M suffixes, as many decimals as the step needs) and a pixel mapping
 * that always yields a finite number, whatever the value; and an axis'
 * grid lines and tick labels written as SVG.
 */
#ifndef MCPL_STATS_REPORT_SVGAX_H
#define MCPL_STATS_REPORT_SVGAX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "stats/report/svg.h"

/* The finite values seen on one axis; a zeroed span is empty. */
struct svgax_span {
	double min, max; /* every finite value */
	double min_pos;	 /* the smallest value > 0 (a log axis starts at its decade) */
	unsigned n;	 /* finite values added */
	unsigned n_pos;	 /* of them > 0 */
};

/* Count v into the span; NaN and infinities are left out. */
void svgax_span_add(struct svgax_span *sp, double v);

/* A fitted axis. lo, hi and step are in axis units: the value itself on a
 * linear axis, its log10 on a log axis, log10(1/(1-p/100)) on a percentile
 * axis (0 is 0%, 1 is 90%, 2 is 99%...). */
struct svgax {
	enum svg_axis kind;
	double lo, hi;	     /* the ends, round: a tick falls on each */
	double step;	     /* between major ticks */
	double px_lo, px_hi; /* pixels of lo and hi (px_hi < px_lo on a y axis) */
};

/* How svgax_fit treats the ends of a linear axis. */
#define SVGAX_ZERO  1u /* reach down (or up) to 0: bars, latency from 0 ms */
#define SVGAX_TIGHT 2u /* end at the data rather than at the next tick: a time axis */

/* Fit an axis to the span, with at most about max_ticks major ticks
 * (at least 2); flags are SVGAX_* above (linear axes only). An empty span
 * gives 0..1 (linear), 1..10 (log) or 0%..99% (percentile). Non-positive
 * values on a log axis are drawn at its bottom. */
void svgax_fit(struct svgax *a, enum svg_axis kind, const struct svgax_span *sp, unsigned flags,
	       unsigned max_ticks);

/* The pixel of value v (in data units: ms, s, percent); values outside the
 * axis, NaN and infinities are clamped to its ends: always finite. */
double svgax_px(const struct svgax *a, double v);

/* One tick: where, and whether it gets a label. */
struct svgax_tick {
	double v;   /* in data units */
	bool label; /* minor log ticks (2..9 x 10^k) carry a grid line only */
};

/* Fill t with up to cap ticks from lo to hi; returns how many. */
unsigned svgax_ticks(const struct svgax *a, struct svgax_tick *t, unsigned cap);

/* A tick's label into buf (always NUL-terminated): "0", "2.5", "15k",
 * "1.2M", "0.001", "99.9%". */
void svgax_label(const struct svgax *a, double v, char *buf, size_t len);

/* A data value for a tooltip, to 4 significant digits ("99.99%" on a
 * percentile axis); NaN and infinities are written as "n/a". */
void svgax_value(enum svg_axis kind, double v, char *buf, size_t len);

/* Where an axis' tick labels go. */
enum svgax_side {
	SVGAX_BOTTOM, /* an x axis: labels below across_hi */
	SVGAX_LEFT,   /* a y axis: labels left of across_lo */
	SVGAX_RIGHT,  /* a second y axis: labels right of across_hi, no grid */
};

/* Write the axis' grid lines (classes svg-grid, svg-grid-minor) across the
 * plot, from across_lo to across_hi px (top to bottom for an x axis, left to
 * right for a y axis), and its labels (class svg-tick). */
void svgax_draw(FILE *f, const struct svgax *a, enum svgax_side side, double across_lo,
		double across_hi);

#endif
