/*
 * svg: the charts of the HTML report, drawn as inline SVG straight into a
 * FILE*: line charts (latency, memory, send lag over time; the percentile
 * spectrum; the stress curve) and stacked bars with line overlays
 * (throughput and errors by class). No allocation, no script, no fetch: the
 * output is well-formed XML that can be pasted into an HTML5 page as is.
 */
#ifndef MCPL_STATS_REPORT_SVG_H
#define MCPL_STATS_REPORT_SVG_H

#include <stdbool.h>
#include <stdio.h>

/* How an axis maps values to pixels. */
enum svg_axis {
	SVG_LINEAR,	/* ticks on 1-2-5 steps */
	SVG_LOG10,	/* ticks on decades; values <= 0 are drawn at the bottom */
	SVG_PERCENTILE, /* values are percents 0..100, drawn at log10(1/(1-p/100)) as
			 * HdrHistogram's plotter does; ticks 0%, 90%, 99%, 99.9%...;
			 * p is capped at 99.9999 (100 would be infinitely far) */
};

/* The palette: Okabe and Ito's eight colours, distinguishable with the
 * common colour-vision deficiencies. Entry i also gives class svg-c<i>. */
#define SVG_PALETTE_SIZE 8

/* One line. x and y are the caller's, read during the call only. A point
 * whose x or y is NaN or infinite is a gap: the line stops there and starts
 * again at the next finite point (a lone point is drawn as a dot). */
struct svg_series {
	const char *name; /* legend and tooltip text (escaped); NULL: no legend entry */
	const double *x;  /* n values in the x axis' unit */
	const double *y;  /* n values in the y axis' unit */
	unsigned n;	  /* points */
	bool markers;	  /* a circle at every drawn point, each with a tooltip */
	bool dashed;	  /* e.g. the uncorrected twin of a corrected series */
	unsigned colour;  /* 1..SVG_PALETTE_SIZE: that palette entry (so p99 and its
			   * uncorrected twin can share one); 0: by the series' index */
};

/* One layer of stacked bars: one value per x of svg_stacked_bars, stacked
 * on the layers before it. NaN, infinite and negative values count as 0. */
struct svg_stack {
	const char *name; /* legend and tooltip text (escaped); NULL: no legend entry */
	const double *y;  /* n values, read during the call only */
	unsigned colour;  /* as in svg_series; 0: by the layer's index after the overlays */
};

/* What a chart looks like. A zeroed struct is valid: a 760 x 340 chart with
 * linear axes, no title and no labels. Every string is escaped. */
struct svg_chart {
	const char *id;		/* the <svg> element's id attribute; NULL: none */
	const char *title;	/* above the plot, and the <svg>'s <title>; NULL: none */
	const char *x_label;	/* the x axis' title, with its unit ("time (s)") */
	const char *y_label;	/* the (left) y axis' title */
	const char *y2_label;	/* svg_stacked_bars only: non-NULL puts the overlays on a
				 * right-hand linear axis from 0, with this title */
	enum svg_axis x_axis;	/* SVG_LINEAR in svg_stacked_bars */
	enum svg_axis y_axis;	/* SVG_LINEAR in svg_stacked_bars */
	bool y_fit;		/* a linear y axis spans the data only; default: from 0 */
	unsigned width;		/* px, 0: 760; kept within 240..8000 */
	unsigned height;	/* px, 0: 340; kept within 160..8000 */
	bool has_mark;		/* a vertical marker line at mark_x (the knee) */
	double mark_x;		/* in the x axis' unit; not drawn unless finite */
	const char *mark_label; /* beside the marker; NULL: mark_x's value */
};

/*
 * The output is one <svg> element (with xmlns, a viewBox, width and height)
 * whose first child is a <title>. It carries these classes, so the page can
 * restyle it with CSS (presentation attributes give the defaults, and any
 * CSS rule beats them):
 *   svg-chart (the <svg>), svg-title, svg-legend (a <g>), svg-legend-text,
 *   svg-grid, svg-grid-minor, svg-axis (the axis <line>s), svg-tick (tick
 *   labels), svg-axis-label, svg-line (a series' <path>), svg-dashed,
 *   svg-marker (<circle>), svg-bar (<rect>), svg-mark (the marker <line>),
 *   svg-mark-label, svg-nodata, and svg-c0..svg-c7 (the palette entry) on
 *   every series path, marker, bar and legend swatch.
 * Elements, for a test to count: one <path> per series with a drawn point
 * (its sub-paths are the runs between gaps; it has a <title>); one <circle>
 * per drawn point of a series with markers; one <rect> per bar drawn (a
 * value > 0) and one per legend entry of a named layer. Axes, grid, the
 * marker and the legend entries of series are <line>s. The <svg> has
 * data-series (the series and layers with something drawn) and data-points
 * (points and bars drawn); when both would be 0 the chart holds only its
 * title and the text "no data", and is still valid SVG.
 */

/* Draw ns series on one plot. Returns 0, -EINVAL (f or c NULL, s NULL with
 * ns > 0, a series with n > 0 but x or y NULL) before writing anything, or
 * -EIO if f reported a write error. */
int svg_line_chart(FILE *f, const struct svg_chart *c, const struct svg_series *s, unsigned ns);

/* Draw bars at the n values of x (bar width from their smallest spacing),
 * each stacking the nl layers, with no overlay lines drawn over them (on
 * the left axis, or on a right one: see y2_label). Returns 0; -EINVAL
 * before writing anything if f or c is NULL, x is NULL with n > 0, layers
 * is NULL with nl > 0, a layer's y is NULL with n > 0, an overlay is bad as
 * in svg_line_chart, or an axis is not SVG_LINEAR; -EIO if f reported a
 * write error. */
int svg_stacked_bars(FILE *f, const struct svg_chart *c, const double *x, unsigned n,
		     const struct svg_stack *layers, unsigned nl, const struct svg_series *overlay,
		     unsigned no);

/* Write s as XML character data (also safe inside a quoted attribute):
 * & < > " ' escaped, control characters other than tab and newline and
 * invalid UTF-8 replaced by U+FFFD. NULL writes nothing. */
void svg_text(FILE *f, const char *s);

#endif
