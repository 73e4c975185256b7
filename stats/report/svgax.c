/*
 * svgax: scales, ticks and tick labels for svg's charts. Every pixel it
 * returns is finite, so no "nan" or "inf" can reach the SVG; every range
 * is widened to round ends so the first and last tick sit on the frame.
 */
#include "stats/report/svgax.h"

#include <math.h>

/* Beyond these the tool has no meaningful values, and keeping ranges inside
 * them keeps hi - lo and pow(10, x) finite. */
#define SVGAX_LINEAR_MAX 1e15
#define SVGAX_DECADE_MIN -30
#define SVGAX_DECADE_MAX 30
/* The percentile axis stops at 99.9999%: 100% is infinitely far on it, and
 * a run's histogram does not resolve more nines than that. */
#define SVGAX_PCT_MAX	99.9999
#define SVGAX_PCT_NINES 6
/* Enough for 1-2-5 steps on any plot and for minor ticks over 3 decades. */
#define SVGAX_MAX_TICKS 64

void svgax_span_add(struct svgax_span *sp, double v)
{
	if (!isfinite(v))
		return;
	if (!sp->n || v < sp->min)
		sp->min = v;
	if (!sp->n || v > sp->max)
		sp->max = v;
	sp->n++;
	if (v > 0 && (!sp->n_pos || v < sp->min_pos))
		sp->min_pos = v;
	if (v > 0)
		sp->n_pos++;
}

/* The smallest 1, 2 or 5 x 10^k step that cuts range into at most
 * max_ticks parts: the steps people read without effort. */
static double svgax_nice_step(double range, unsigned max_ticks)
{
	static const double mult[] = {1, 2, 5, 10};
	double rough = range / max_ticks;
	double p = pow(10, floor(log10(rough)));

	for (unsigned i = 0; i < sizeof(mult) / sizeof(mult[0]); i++)
		if (mult[i] * p >= rough * (1 - 1e-9))
			return mult[i] * p;
	return 10 * p;
}

static void svgax_fit_linear(struct svgax *a, const struct svgax_span *sp, unsigned flags,
			     unsigned max_ticks)
{
	double lo = sp->n ? fmax(sp->min, -SVGAX_LINEAR_MAX) : 0;
	double hi = sp->n ? fmin(sp->max, SVGAX_LINEAR_MAX) : 1;

	if (flags & SVGAX_ZERO) {
		lo = fmin(lo, 0);
		hi = fmax(hi, 0);
	}
	if (hi <= lo) {
		/* One value: a band around it (or 0..1 for 0), so it is drawn
		 * mid-height rather than on the frame. */
		double w = lo == 0 ? 1 : fabs(lo) * 0.1;
		hi = lo + w;
		if (!((flags & SVGAX_ZERO) && lo == 0))
			lo -= w;
	}
	a->step = svgax_nice_step(hi - lo, max_ticks);
	a->lo = flags & SVGAX_TIGHT ? lo : floor(lo / a->step) * a->step;
	a->hi = flags & SVGAX_TIGHT ? hi : ceil(hi / a->step) * a->step;
}

static void svgax_fit_log(struct svgax *a, const struct svgax_span *sp, unsigned max_ticks)
{
	double lo = 0, hi = 1;

	if (sp->n_pos) {
		lo = fmax(floor(log10(sp->min_pos)), SVGAX_DECADE_MIN);
		hi = fmin(ceil(log10(sp->max)), SVGAX_DECADE_MAX);
	}
	if (hi <= lo)
		hi = lo + 1;
	/* Many decades: label every second (or third...) so labels fit. */
	a->step = fmax(1, ceil((hi - lo) / max_ticks));
	a->lo = floor(lo / a->step) * a->step;
	a->hi = a->lo + ceil((hi - a->lo) / a->step) * a->step;
}

/* A value in axis units; NaN for what has no place on the axis. */
static double svgax_unit(enum svg_axis kind, double v)
{
	if (kind == SVG_LOG10)
		return v > 0 ? log10(v) : -HUGE_VAL;
	if (kind == SVG_PERCENTILE)
		return -log10(1 - fmin(fmax(v, 0), SVGAX_PCT_MAX) / 100);
	return v;
}

void svgax_fit(struct svgax *a, enum svg_axis kind, const struct svgax_span *sp, unsigned flags,
	       unsigned max_ticks)
{
	if (max_ticks < 2)
		max_ticks = 2;
	a->kind = kind;
	if (kind == SVG_LOG10) {
		svgax_fit_log(a, sp, max_ticks);
	} else if (kind == SVG_PERCENTILE) {
		double top = sp->n ? ceil(svgax_unit(kind, sp->max) - 1e-6) : 2;
		a->lo = 0;
		a->hi = fmin(fmax(top, 1), SVGAX_PCT_NINES);
		a->step = 1;
	} else {
		a->kind = SVG_LINEAR;
		svgax_fit_linear(a, sp, flags, max_ticks);
	}
}

double svgax_px(const struct svgax *a, double v)
{
	double u = svgax_unit(a->kind, v);
	double frac;

	if (isnan(u))
		u = a->lo;
	u = fmin(fmax(u, a->lo), a->hi);
	frac = a->hi > a->lo ? (u - a->lo) / (a->hi - a->lo) : 0;
	return a->px_lo + frac * (a->px_hi - a->px_lo);
}

static unsigned svgax_push(struct svgax_tick *t, unsigned n, unsigned cap, double v, bool label)
{
	if (n < cap) {
		t[n].v = v;
		t[n].label = label;
		n++;
	}
	return n;
}

/* Decades, and when there are few of them the 2..9 multiples as a fainter
 * grid; with one decade only, 2 and 5 are labelled too. */
static unsigned svgax_log_ticks(const struct svgax *a, struct svgax_tick *t, unsigned cap)
{
	double span = a->hi - a->lo;
	unsigned n = 0;

	for (double d = a->lo; d <= a->hi + 1e-9; d += a->step) {
		double base = pow(10, d);
		n = svgax_push(t, n, cap, base, true);
		if (a->step > 1 || span > 3 || d >= a->hi - 1e-9)
			continue;
		for (int m = 2; m <= 9; m++)
			n = svgax_push(t, n, cap, m * base, span <= 1 && (m == 2 || m == 5));
	}
	return n;
}

unsigned svgax_ticks(const struct svgax *a, struct svgax_tick *t, unsigned cap)
{
	unsigned n = 0;

	if (a->kind == SVG_LOG10)
		return svgax_log_ticks(a, t, cap);
	if (a->kind == SVG_PERCENTILE) {
		for (double k = a->lo; k <= a->hi + 1e-9; k += 1)
			n = svgax_push(t, n, cap, 100 * (1 - pow(10, -k)), true);
		return n;
	}
	/* The multiples of step inside the axis (its ends may be between). */
	double first = ceil(a->lo / a->step - 1e-9) * a->step;
	for (unsigned i = 0; first + i * a->step <= a->hi + a->step * 1e-9; i++) {
		double v = first + i * a->step;
		/* lo + i * step can land a hair off 0: print "0", not "-0". */
		n = svgax_push(t, n, cap, fabs(v) < a->step * 1e-9 ? 0 : v, true);
	}
	return n;
}

/* A round number with a k, M or G suffix once mag (the axis' largest value,
 * so every label of a linear axis gets the same suffix) reaches k_from, 1e6
 * or 1e9: "15k" reads faster than "15000". A linear axis keeps 1000..9999
 * as they are; a log axis' decades go 100, 1k, 10k. */
static void svgax_suffixed(double v, double step, double mag, double k_from, char *buf, size_t len)
{
	static const char *const suf[] = {"", "k", "M", "G"};
	double div = 1;
	unsigned s = 0, dec = 0;

	while (s < 3 && mag >= (s ? 1000 * div : k_from)) {
		div *= 1000;
		s++;
	}
	if (step > 0 && step / div < 1)
		dec = (unsigned)ceil(-log10(step / div) - 1e-9);
	if (dec > 9)
		dec = 9;
	if (v == 0)
		snprintf(buf, len, "0");
	else
		snprintf(buf, len, "%.*f%s", (int)dec, v / div, suf[s]);
}

void svgax_label(const struct svgax *a, double v, char *buf, size_t len)
{
	if (a->kind == SVG_PERCENTILE) {
		/* k nines after 90%: 99.9% has one decimal, 99.99% two. */
		double k = round(svgax_unit(a->kind, v));
		snprintf(buf, len, "%.*f%%", k > 2 ? (int)k - 2 : 0, v);
	} else if (a->kind == SVG_LOG10) {
		/* A decade or a multiple of one: its own magnitude is the step. */
		double decade = pow(10, floor(log10(v) + 1e-9));
		svgax_suffixed(v, decade, v, 1e3, buf, len);
	} else {
		svgax_suffixed(v, a->step, fmax(fabs(a->lo), fabs(a->hi)), 1e4, buf, len);
	}
}

void svgax_value(enum svg_axis kind, double v, char *buf, size_t len)
{
	if (!isfinite(v))
		snprintf(buf, len, "n/a");
	else if (kind == SVG_PERCENTILE)
		snprintf(buf, len, "%.6g%%", v);
	else if (fabs(v) >= 1e4 && fabs(v) < SVGAX_LINEAR_MAX)
		snprintf(buf, len, "%.0f", v);
	else
		snprintf(buf, len, "%.4g", v);
}

/* A grid line (v: a vertical one at p) and, if it is labelled, the label. */
static void svgax_draw_tick(FILE *f, const struct svgax *a, const struct svgax_tick *t,
			    enum svgax_side side, double across_lo, double across_hi)
{
	double p = svgax_px(a, t->v);
	bool v = side == SVGAX_BOTTOM;
	char label[32];

	if (side != SVGAX_RIGHT)
		fprintf(f,
			"<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"%s\"/>\n",
			t->label ? "svg-grid" : "svg-grid-minor", v ? p : across_lo,
			v ? across_lo : p, v ? p : across_hi, v ? across_hi : p,
			t->label ? "#e3e3e3" : "#f2f2f2");
	if (!t->label)
		return;
	svgax_label(a, t->v, label, sizeof(label));
	if (v)
		fprintf(f, "<text class=\"svg-tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\"",
			p, across_hi + 16);
	else if (side == SVGAX_LEFT)
		fprintf(f, "<text class=\"svg-tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\"",
			across_lo - 6, p + 4);
	else
		fprintf(f, "<text class=\"svg-tick\" x=\"%.1f\" y=\"%.1f\" text-anchor=\"start\"",
			across_hi + 6, p + 4);
	fprintf(f, " fill=\"#555555\">%s</text>\n", label);
}

void svgax_draw(FILE *f, const struct svgax *a, enum svgax_side side, double across_lo,
		double across_hi)
{
	struct svgax_tick t[SVGAX_MAX_TICKS];
	unsigned n = svgax_ticks(a, t, SVGAX_MAX_TICKS);

	for (unsigned i = 0; i < n; i++)
		svgax_draw_tick(f, a, &t[i], side, across_lo, across_hi);
}
