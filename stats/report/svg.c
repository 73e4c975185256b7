/*
 * svg: line charts and stacked bars as inline SVG. A chart is measured first
 * (what is drawn, the legend's rows, the axes' ranges), then written in one
 * pass: frame, grid, data, marker, legend. Styling is presentation
 * attributes plus classes, so the page's CSS can restyle without parsing.
 */
#include "stats/report/svg.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "stats/report/svgax.h"

#define SVG_DEFAULT_W 760
#define SVG_DEFAULT_H 340
#define SVG_MIN_W     240
#define SVG_MIN_H     160
#define SVG_MAX_SIDE  8000
/* Layout, px. The left margin holds tick labels of about 7 characters and
 * the rotated axis title, the right one half of "99.9999%" centred on the
 * x axis' end; the legend's rows are 18 px apart. */
#define SVG_LEFT       66
#define SVG_RIGHT      30
#define SVG_RIGHT_Y2   66
#define SVG_BOTTOM     46
#define SVG_TITLE_H    30
#define SVG_LEGEND_ROW 18
/* About 0.55 em per character at 12 px: enough to wrap the legend; a
 * legend name longer than SVG_LEGEND_CHARS is cut (the tooltip has it all). */
#define SVG_CHAR_W	 6.8
#define SVG_LEGEND_CHARS 40
#define SVG_TEXT	 "#333333"
#define SVG_REPLACEMENT	 "\xef\xbf\xbd"
#define SVG_AXIS_LINE	 " class=\"svg-axis\" stroke=\"#888888\"/>\n"

/* Okabe & Ito (2008), "Color Universal Design", ordered so neighbours
 * differ most (orange and vermillion apart) and the yellow, the faintest on
 * white, comes last. */
static const char *const svg_palette[SVG_PALETTE_SIZE] = {
    "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#000000", "#F0E442",
};

/* What one chart is being written with. */
struct svg_frame {
	FILE *f;
	const struct svg_chart *c;
	double w, h;			 /* px */
	double left, right, top, bottom; /* the plot area, px */
	double legend_y;		 /* baseline of the legend's first row, px */
	struct svgax x, y, y2;
	bool has_y2;
	unsigned series; /* with something drawn: data-series */
	unsigned points; /* points and bars drawn: data-points */
};

/* The bytes of the valid UTF-8 XML character at p, or 0 if it is not one
 * (bad sequence, overlong, surrogate, U+FFFE/U+FFFF: XML 1.0's Char). */
static size_t svg_utf8_len(const unsigned char *p)
{
	static const unsigned min_cp[] = {0, 0, 0x80, 0x800, 0x10000};
	unsigned cp;
	size_t n;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		n = 2;
	else if ((p[0] & 0xf0) == 0xe0)
		n = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		n = 4;
	else
		return 0;
	cp = p[0] & (0x7f >> n);
	for (size_t i = 1; i < n; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min_cp[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe ||
	    cp == 0xffff)
		return 0;
	return n;
}

/* svg_text, cut after max characters with an ellipsis. */
static void svg_text_max(FILE *f, const char *s, unsigned max)
{
	const unsigned char *p = (const unsigned char *)s;

	for (unsigned chars = 0; p && *p; chars++) {
		size_t n = svg_utf8_len(p);
		if (chars == max) {
			fputs("\xe2\x80\xa6", f);
			return;
		}
		if (n > 1)
			fwrite(p, 1, n, f);
		else if (n == 0 || (*p < 0x20 && *p != '\t' && *p != '\n'))
			fputs(SVG_REPLACEMENT, f);
		else if (*p == '&')
			fputs("&amp;", f);
		else if (*p == '<')
			fputs("&lt;", f);
		else if (*p == '>')
			fputs("&gt;", f);
		else if (*p == '"')
			fputs("&quot;", f);
		else if (*p == '\'')
			fputs("&#39;", f);
		else
			fputc(*p, f);
		p += n ? n : 1;
	}
}

void svg_text(FILE *f, const char *s)
{
	svg_text_max(f, s, -1u);
}

/* Characters as the legend will show them, for its layout. */
static unsigned svg_chars(const char *s)
{
	unsigned n = 0;

	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n < SVG_LEGEND_CHARS ? n : SVG_LEGEND_CHARS + 1;
}

/* A coordinate: one decimal is finer than a pixel; never nan or inf. */
static void svg_num(FILE *f, const char *attr, double v)
{
	fprintf(f, " %s=\"%.1f\"", attr, isfinite(v) ? v : 0.0);
}

static unsigned svg_colour(unsigned colour, unsigned index)
{
	return (colour ? colour - 1 : index) % SVG_PALETTE_SIZE;
}

/* A <text> element's opening tag; the caller writes the text and closes. */
static void svg_text_open(FILE *f, const char *cls, double x, double y, const char *anchor)
{
	fprintf(f, "<text class=\"%s\"", cls);
	svg_num(f, "x", x);
	svg_num(f, "y", y);
	fprintf(f, " text-anchor=\"%s\" fill=\"%s\">", anchor, SVG_TEXT);
}

/* A <line>'s start; the caller writes its class and stroke, and closes. */
static void svg_line(FILE *f, double x1, double y1, double x2, double y2)
{
	fputs("<line", f);
	svg_num(f, "x1", x1);
	svg_num(f, "y1", y1);
	svg_num(f, "x2", x2);
	svg_num(f, "y2", y2);
}

/* Sizes from the chart, with the defaults of a zeroed struct. */
static void svg_frame_init(struct svg_frame *fr, const struct svg_chart *c)
{
	memset(fr, 0, sizeof(*fr));
	fr->c = c;
	fr->w = c->width ? c->width : SVG_DEFAULT_W;
	fr->h = c->height ? c->height : SVG_DEFAULT_H;
	fr->w = fmin(fmax(fr->w, SVG_MIN_W), SVG_MAX_SIDE);
	fr->h = fmin(fmax(fr->h, SVG_MIN_H), SVG_MAX_SIDE);
	fr->left = SVG_LEFT;
	fr->right = fr->w - SVG_RIGHT;
	fr->bottom = fr->h - SVG_BOTTOM;
	fr->legend_y = (c->title ? SVG_TITLE_H : 8) + 13;
}

/* The legend is laid out left to right from the plot's left edge and
 * wraps; measuring (f NULL) and drawing share this walk so they agree. */
struct svg_legend {
	double x;      /* where the next entry starts, px */
	unsigned rows; /* rows begun */
};

static void svg_legend_entry(struct svg_frame *fr, struct svg_legend *lg, const char *name,
			     unsigned colour, bool bar, bool dashed)
{
	double width = 26 + svg_chars(name) * SVG_CHAR_W;
	double y;

	if (!name)
		return;
	if (!lg->rows || (lg->x > fr->left && lg->x + width > fr->w - 8)) {
		lg->rows++;
		lg->x = fr->left;
	}
	y = fr->legend_y + (lg->rows - 1) * SVG_LEGEND_ROW;
	if (fr->f && bar) {
		fprintf(fr->f, "<rect class=\"svg-c%u\"", colour);
		svg_num(fr->f, "x", lg->x);
		svg_num(fr->f, "y", y - 10);
		fprintf(fr->f, " width=\"14\" height=\"10\" fill=\"%s\"/>\n", svg_palette[colour]);
	} else if (fr->f) {
		svg_line(fr->f, lg->x, y - 4, lg->x + 20, y - 4);
		fprintf(fr->f, " class=\"svg-c%u%s\"", colour, dashed ? " svg-dashed" : "");
		fprintf(fr->f, " stroke=\"%s\" stroke-width=\"2.5\"%s/>\n", svg_palette[colour],
			dashed ? " stroke-dasharray=\"5 3\"" : "");
	}
	if (fr->f) {
		svg_text_open(fr->f, "svg-legend-text", lg->x + (bar ? 19 : 25), y, "start");
		svg_text_max(fr->f, name, SVG_LEGEND_CHARS);
		fputs("</text>\n", fr->f);
	}
	lg->x += width + 14;
}

/* The legend of series s (colour by index) and layers l (by index after
 * the ns series, as svg_bars draws them); returns the rows it takes. */
static unsigned svg_legend(struct svg_frame *fr, const struct svg_series *s, unsigned ns,
			   const struct svg_stack *l, unsigned nl)
{
	struct svg_legend lg = {0};

	if (fr->f)
		fputs("<g class=\"svg-legend\" font-size=\"12\">\n", fr->f);
	for (unsigned i = 0; i < ns; i++)
		svg_legend_entry(fr, &lg, s[i].name, svg_colour(s[i].colour, i), false,
				 s[i].dashed);
	for (unsigned i = 0; i < nl; i++)
		svg_legend_entry(fr, &lg, l[i].name, svg_colour(l[i].colour, ns + i), true, false);
	if (fr->f)
		fputs("</g>\n", fr->f);
	return lg.rows;
}

/* The plot's top follows the title and the legend; then the axes' pixels. */
static void svg_place(struct svg_frame *fr, unsigned legend_rows)
{
	fr->top = fr->legend_y - 13 + legend_rows * SVG_LEGEND_ROW + (legend_rows ? 10 : 4);
	if (fr->has_y2)
		fr->right = fr->w - SVG_RIGHT_Y2;
	fr->x.px_lo = fr->left;
	fr->x.px_hi = fr->right;
	fr->y.px_lo = fr->bottom;
	fr->y.px_hi = fr->top;
	fr->y2.px_lo = fr->bottom;
	fr->y2.px_hi = fr->top;
}

static void svg_open(struct svg_frame *fr)
{
	FILE *f = fr->f;

	fputs("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"svg-chart\"", f);
	if (fr->c->id) {
		fputs(" id=\"", f);
		svg_text(f, fr->c->id);
		fputc('"', f);
	}
	fprintf(f, " width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\"", fr->w, fr->h, fr->w,
		fr->h);
	fprintf(f, " role=\"img\" font-family=\"sans-serif\" font-size=\"11\"");
	fprintf(f, " data-series=\"%u\" data-points=\"%u\">\n<title>", fr->series, fr->points);
	svg_text(f, fr->c->title ? fr->c->title : "chart");
	fputs("</title>\n", f);
	if (fr->c->title) {
		fputs("<text class=\"svg-title\" x=\"10\" y=\"21\" font-size=\"15\" "
		      "font-weight=\"bold\" fill=\"" SVG_TEXT "\">",
		      f);
		svg_text(f, fr->c->title);
		fputs("</text>\n", f);
	}
}

/* Nothing to draw: say so, in a chart of the same size. */
static int svg_nodata(struct svg_frame *fr)
{
	svg_open(fr);
	svg_text_open(fr->f, "svg-nodata", fr->w / 2, fr->h / 2, "middle");
	fputs("no data</text>\n</svg>\n", fr->f);
	return ferror(fr->f) ? -EIO : 0;
}

/* An axis title; rotate: a y axis' (reads bottom to top). */
static void svg_axis_title(FILE *f, const char *s, double x, double y, int rotate)
{
	if (!s)
		return;
	fputs("<text class=\"svg-axis-label\"", f);
	svg_num(f, "x", x);
	svg_num(f, "y", y);
	if (rotate)
		fprintf(f, " transform=\"rotate(%d %.1f %.1f)\"", rotate, x, y);
	fputs(" text-anchor=\"middle\" font-size=\"12\" fill=\"" SVG_TEXT "\">", f);
	svg_text(f, s);
	fputs("</text>\n", f);
}

static void svg_axes(struct svg_frame *fr)
{
	const struct svg_chart *c = fr->c;

	svgax_draw(fr->f, &fr->x, SVGAX_BOTTOM, fr->top, fr->bottom);
	svgax_draw(fr->f, &fr->y, SVGAX_LEFT, fr->left, fr->right);
	svg_line(fr->f, fr->left, fr->bottom, fr->right, fr->bottom);
	fputs(SVG_AXIS_LINE, fr->f);
	svg_line(fr->f, fr->left, fr->top, fr->left, fr->bottom);
	fputs(SVG_AXIS_LINE, fr->f);
	svg_axis_title(fr->f, c->x_label, (fr->left + fr->right) / 2, fr->h - 10, 0);
	svg_axis_title(fr->f, c->y_label, 16, (fr->top + fr->bottom) / 2, -90);
	if (!fr->has_y2)
		return;
	svgax_draw(fr->f, &fr->y2, SVGAX_RIGHT, fr->left, fr->right);
	svg_line(fr->f, fr->right, fr->top, fr->right, fr->bottom);
	fputs(SVG_AXIS_LINE, fr->f);
	svg_axis_title(fr->f, c->y2_label, fr->w - 14, (fr->top + fr->bottom) / 2, 90);
}

/* A tooltip: the name, then each value with its axis' title. */
static void svg_tip(struct svg_frame *fr, const char *name, double x, double y, const char *y_label)
{
	char v[40];

	fputs("<title>", fr->f);
	svg_text(fr->f, name ? name : "value");
	svgax_value(fr->x.kind, x, v, sizeof(v));
	fputc('\n', fr->f);
	svg_text(fr->f, fr->c->x_label ? fr->c->x_label : "x");
	fprintf(fr->f, ": %s\n", v);
	svgax_value(fr->y.kind, y, v, sizeof(v));
	svg_text(fr->f, y_label ? y_label : "y");
	fprintf(fr->f, ": %s</title>", v);
}

static bool svg_point_ok(const struct svg_series *s, unsigned i)
{
	return isfinite(s->x[i]) && isfinite(s->y[i]);
}

/* One series as one <path>: a sub-path per run of finite points, a lone
 * point as a zero-length segment (round caps draw it as a dot). */
static void svg_path(struct svg_frame *fr, const struct svg_series *s, unsigned colour,
		     const struct svgax *y)
{
	FILE *f = fr->f;
	bool pen = false;

	fprintf(f, "<path class=\"svg-line svg-c%u%s\" d=\"", colour,
		s->dashed ? " svg-dashed" : "");
	for (unsigned i = 0; i < s->n; i++) {
		if (!svg_point_ok(s, i)) {
			pen = false;
			continue;
		}
		fprintf(f, "%c%.1f %.1f", pen ? 'L' : 'M', svgax_px(&fr->x, s->x[i]),
			svgax_px(y, s->y[i]));
		if (!pen && (i + 1 == s->n || !svg_point_ok(s, i + 1)))
			fputs("l0 0", f);
		pen = true;
	}
	fprintf(f,
		"\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-linejoin=\"round\" "
		"stroke-linecap=\"round\"%s><title>",
		svg_palette[colour], s->dashed ? " stroke-dasharray=\"6 4\"" : "");
	svg_text(f, s->name ? s->name : "series");
	fputs("</title></path>\n", f);
}

static void svg_markers(struct svg_frame *fr, const struct svg_series *s, unsigned colour,
			const struct svgax *y, const char *y_label)
{
	for (unsigned i = 0; s->markers && i < s->n; i++) {
		if (!svg_point_ok(s, i))
			continue;
		fprintf(fr->f, "<circle class=\"svg-marker svg-c%u\"", colour);
		svg_num(fr->f, "cx", svgax_px(&fr->x, s->x[i]));
		svg_num(fr->f, "cy", svgax_px(y, s->y[i]));
		fprintf(fr->f, " r=\"3.5\" fill=\"%s\" stroke=\"#ffffff\">", svg_palette[colour]);
		svg_tip(fr, s->name, s->x[i], s->y[i], y_label);
		fputs("</circle>\n", fr->f);
	}
}

/* The series' paths, then the markers over every path. */
static void svg_series_draw(struct svg_frame *fr, const struct svg_series *s, unsigned ns,
			    const struct svgax *y, const char *y_label)
{
	for (unsigned i = 0; i < ns; i++)
		svg_path(fr, &s[i], svg_colour(s[i].colour, i), y);
	for (unsigned i = 0; i < ns; i++)
		svg_markers(fr, &s[i], svg_colour(s[i].colour, i), y, y_label);
}

/* The vertical marker (the knee) with its label, inside the plot. */
static void svg_mark(struct svg_frame *fr)
{
	const struct svg_chart *c = fr->c;
	char v[40];
	double x;
	bool left;

	if (!c->has_mark || !isfinite(c->mark_x))
		return;
	x = svgax_px(&fr->x, c->mark_x);
	left = x > fr->right - 140;
	svg_line(fr->f, x, fr->top, x, fr->bottom);
	fputs(" class=\"svg-mark\" stroke=\"#444444\" stroke-width=\"1.5\" stroke-dasharray=\"4 "
	      "3\"/>\n",
	      fr->f);
	svg_text_open(fr->f, "svg-mark-label", x + (left ? -5 : 5), fr->top + 14,
		      left ? "end" : "start");
	svgax_value(fr->x.kind, c->mark_x, v, sizeof(v));
	svg_text(fr->f, c->mark_label ? c->mark_label : v);
	fputs("</text>\n", fr->f);
}

/* Spans of the series' drawable points into x and y; counts for the root. */
static void svg_measure(struct svg_frame *fr, const struct svg_series *s, unsigned ns,
			struct svgax_span *x, struct svgax_span *y)
{
	for (unsigned i = 0; i < ns; i++) {
		unsigned drawn = 0;
		for (unsigned k = 0; k < s[i].n; k++) {
			if (!svg_point_ok(&s[i], k))
				continue;
			svgax_span_add(x, s[i].x[k]);
			svgax_span_add(y, s[i].y[k]);
			drawn++;
		}
		fr->series += drawn > 0;
		fr->points += drawn;
	}
}

static int svg_check_series(const struct svg_series *s, unsigned ns)
{
	if (ns && !s)
		return -EINVAL;
	for (unsigned i = 0; i < ns; i++)
		if (s[i].n && (!s[i].x || !s[i].y))
			return -EINVAL;
	return 0;
}

/* Fit the axes once the plot's size is known: about one x tick per 80 px
 * and one y tick per 45 px keep labels apart. */
static void svg_fit(struct svg_frame *fr, const struct svgax_span *x, const struct svgax_span *y,
		    const struct svgax_span *y2)
{
	const struct svg_chart *c = fr->c;
	unsigned xt = (unsigned)((fr->right - fr->left) / 80);
	unsigned yt = (unsigned)((fr->bottom - fr->top) / 45);

	svgax_fit(&fr->x, c->x_axis, x, SVGAX_TIGHT, xt);
	svgax_fit(&fr->y, c->y_axis, y, c->y_fit ? 0 : SVGAX_ZERO, yt);
	if (y2)
		svgax_fit(&fr->y2, SVG_LINEAR, y2, SVGAX_ZERO, yt);
}

/* The bars' spacing: the smallest gap between neighbouring x (1 if none),
 * so no two bars overlap however the seconds are spaced. */
static double svg_bar_step(const double *x, unsigned n)
{
	double step = HUGE_VAL;

	for (unsigned i = 1; i < n; i++) {
		double d = fabs(x[i] - x[i - 1]);
		if (isfinite(d) && d > 0 && d < step)
			step = d;
	}
	return isfinite(step) ? step : 1;
}

static double svg_layer_v(const struct svg_stack *l, unsigned i)
{
	double v = l->y[i];

	return isfinite(v) && v > 0 ? v : 0;
}

/* The bars' extent (each x, each stack's total), and the layers and bars
 * drawn. */
static void svg_bars_measure(struct svg_frame *fr, const double *x, unsigned n,
			     const struct svg_stack *l, unsigned nl, struct svgax_span *sx,
			     struct svgax_span *sy)
{
	for (unsigned i = 0; i < n; i++) {
		double sum = 0;
		if (!isfinite(x[i]))
			continue;
		for (unsigned k = 0; k < nl; k++)
			sum += svg_layer_v(&l[k], i);
		svgax_span_add(sx, x[i]);
		svgax_span_add(sy, sum);
	}
	for (unsigned k = 0; k < nl; k++) {
		unsigned drawn = 0;
		for (unsigned i = 0; i < n; i++)
			drawn += isfinite(x[i]) && svg_layer_v(&l[k], i) > 0;
		fr->series += drawn > 0;
		fr->points += drawn;
	}
}

/* Layer k's colour follows the no overlays' unless it names its own. */
static void svg_bars(struct svg_frame *fr, const double *x, unsigned n, const struct svg_stack *l,
		     unsigned nl, unsigned no, double step)
{
	double bw = 0.8 * step * (fr->right - fr->left) / (fr->x.hi - fr->x.lo);

	bw = fmax(bw, 0.5);
	for (unsigned i = 0; i < n; i++) {
		double base = 0;
		for (unsigned k = 0; isfinite(x[i]) && k < nl; k++) {
			double v = svg_layer_v(&l[k], i);
			unsigned colour = svg_colour(l[k].colour, no + k);
			double y0 = svgax_px(&fr->y, base), y1 = svgax_px(&fr->y, base + v);
			if (v <= 0)
				continue;
			fprintf(fr->f, "<rect class=\"svg-bar svg-c%u\"", colour);
			svg_num(fr->f, "x", svgax_px(&fr->x, x[i]) - bw / 2);
			svg_num(fr->f, "y", y1);
			svg_num(fr->f, "width", bw);
			svg_num(fr->f, "height", fmax(y0 - y1, 0));
			fprintf(fr->f, " fill=\"%s\">", svg_palette[colour]);
			svg_tip(fr, l[k].name, x[i], v, fr->c->y_label);
			fputs("</rect>\n", fr->f);
			base += v;
		}
	}
}

static int svg_check_bars(const struct svg_chart *c, const double *x, unsigned n,
			  const struct svg_stack *l, unsigned nl)
{
	if (c->x_axis != SVG_LINEAR || c->y_axis != SVG_LINEAR || (n && !x) || (nl && !l))
		return -EINVAL;
	for (unsigned k = 0; k < nl; k++)
		if (n && !l[k].y)
			return -EINVAL;
	return 0;
}

/* Both kinds of chart: bars (none in a line chart) under the series. The
 * chart is measured with f NULL (what is drawn, the legend's rows), then
 * the axes are fitted to the plot that is left, then it is written. */
static int svg_draw(FILE *f, const struct svg_chart *c, const double *x, unsigned n,
		    const struct svg_stack *layers, unsigned nl, const struct svg_series *s,
		    unsigned ns)
{
	struct svgax_span sx = {0}, sy = {0}, sy2 = {0};
	double step = svg_bar_step(x, n);
	struct svg_frame fr;
	unsigned rows;

	svg_frame_init(&fr, c);
	fr.has_y2 = nl && c->y2_label;
	svg_bars_measure(&fr, x, n, layers, nl, &sx, &sy);
	svg_measure(&fr, s, ns, &sx, fr.has_y2 ? &sy2 : &sy);
	rows = svg_legend(&fr, s, ns, layers, nl);
	fr.f = f;
	if (!fr.points)
		return svg_nodata(&fr);
	svg_place(&fr, rows);
	svg_fit(&fr, &sx, &sy, fr.has_y2 ? &sy2 : NULL);
	/* Room for the outer bars' halves, past the tight x axis' ends. */
	fr.x.lo -= n ? step / 2 : 0;
	fr.x.hi += n ? step / 2 : 0;
	svg_open(&fr);
	svg_axes(&fr);
	svg_bars(&fr, x, n, layers, nl, ns, step);
	svg_series_draw(&fr, s, ns, fr.has_y2 ? &fr.y2 : &fr.y,
			fr.has_y2 ? c->y2_label : c->y_label);
	svg_mark(&fr);
	svg_legend(&fr, s, ns, layers, nl);
	fputs("</svg>\n", f);
	return ferror(f) ? -EIO : 0;
}

int svg_line_chart(FILE *f, const struct svg_chart *c, const struct svg_series *s, unsigned ns)
{
	if (!f || !c || svg_check_series(s, ns))
		return -EINVAL;
	return svg_draw(f, c, NULL, 0, NULL, 0, s, ns);
}

int svg_stacked_bars(FILE *f, const struct svg_chart *c, const double *x, unsigned n,
		     const struct svg_stack *layers, unsigned nl, const struct svg_series *overlay,
		     unsigned no)
{
	if (!f || !c || svg_check_bars(c, x, n, layers, nl) || svg_check_series(overlay, no))
		return -EINVAL;
	return svg_draw(f, c, x, n, layers, nl, overlay, no);
}
