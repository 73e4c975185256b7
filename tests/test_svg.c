/*
 * svg tests: every kind of chart is written to memory and checked for
 * well-formed XML (a small checker here, and xmllint when installed), the
 * elements the data calls for, gaps as separate sub-paths, finite numbers
 * on log and percentile axes, escaped hostile labels and the "no data"
 * chart; svgax's ticks and labels are checked on their own.
 */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <unistd.h>

#include "stats/report/svg.h"
#include "stats/report/svgax.h"
#include "tests/t.h"

static char *out;
static size_t out_len;

static FILE *mem_open(void)
{
	free(out);
	out = NULL;
	out_len = 0;
	return open_memstream(&out, &out_len);
}

static unsigned count(const char *hay, const char *needle)
{
	unsigned n = 0;

	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle))
		n++;
	return n;
}

/* The value of the first attr="N" in the document, or -1. */
static long attr_num(const char *doc, const char *attr)
{
	const char *p = strstr(doc, attr);

	return p ? strtol(p + strlen(attr) + 2, NULL, 10) : -1;
}

/* Tags balanced, one root, every & an entity we write: the part of XML
 * well-formedness this writer could get wrong. */
static bool balanced(const char *doc)
{
	const char *stack[64];
	unsigned depth = 0, roots = 0;

	for (const char *p = doc; *p; p++) {
		if (*p == '&') {
			if (strncmp(p, "&amp;", 5) && strncmp(p, "&lt;", 4) &&
			    strncmp(p, "&gt;", 4) && strncmp(p, "&quot;", 6) &&
			    strncmp(p, "&#39;", 5))
				return false;
			continue;
		}
		if (*p != '<')
			continue;
		const char *name = p + 1 + (p[1] == '/');
		size_t nlen = strcspn(name, " />\n");
		const char *end = strchr(p, '>');
		const char *next = strchr(p + 1, '<');
		if (!end || (next && next < end))
			return false;
		if (p[1] == '/') {
			if (!depth || strcspn(stack[--depth], " />\n") != nlen ||
			    strncmp(stack[depth], name, nlen))
				return false;
		} else if (end[-1] != '/') {
			if (depth == 64)
				return false;
			roots += depth == 0;
			stack[depth++] = name;
		} else {
			roots += depth == 0;
		}
		p = end;
	}
	return depth == 0 && roots == 1;
}

/* xmllint's verdict when it is installed (Debian's libxml2-utils), else
 * true: the checker above still runs. */
static bool xmllint_ok(const char *doc, size_t len, bool quiet)
{
	FILE *p;

	if (access("/usr/bin/xmllint", X_OK))
		return true;
	p = popen(quiet ? "/usr/bin/xmllint --noout - 2>/dev/null" : "/usr/bin/xmllint --noout -",
		  "w");
	if (!p)
		return false;
	fwrite(doc, 1, len, p);
	return pclose(p) == 0;
}

/* The checkers refuse what they must, or they would prove nothing. */
static void test_checkers(void)
{
	CHECK(balanced("<svg><g/><text>a &amp; b</text></svg>"));
	CHECK(!balanced("<svg><g></svg>"));
	CHECK(!balanced("<svg>a & b</svg>"));
	CHECK(!balanced("<svg/><svg/>"));
	if (!access("/usr/bin/xmllint", X_OK))
		CHECK(!xmllint_ok("<svg><g></svg>", 14, true));
}

static void check_doc(const char *what)
{
	bool wf = balanced(out), lint = xmllint_ok(out, out_len, false);

	CHECK(wf);
	CHECK(lint);
	CHECK(!strstr(out, "nan") && !strstr(out, "inf") && !strstr(out, "NaN"));
	if (!wf || !lint)
		fprintf(stderr, "  (%s)\n%s\n", what, out);
}

/* The d attribute of the k-th series path. */
static void path_d(unsigned k, char *d, size_t len)
{
	const char *p = out;

	for (unsigned i = 0; p && i <= k; i++) {
		p = strstr(p, "<path");
		p = p ? p + 1 : NULL;
	}
	p = p ? strstr(p, " d=\"") : NULL;
	snprintf(d, len, "%.*s", p ? (int)strcspn(p + 4, "\"") : 0, p ? p + 4 : "");
}

static void test_lines(void)
{
	static const double x[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
	static const double y0[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
	static const double y1[] = {5, 4, 3, 2, NAN, NAN, 2, 3, 4, 5};
	static const double y2[] = {1, NAN, 3, 4, 5, INFINITY, 2, 2, 2, 2};
	struct svg_series s[] = {
	    {.name = "p50", .x = x, .y = y0, .n = 10, .markers = true},
	    {.name = "p99", .x = x, .y = y1, .n = 10, .dashed = true},
	    {.name = "lone", .x = x, .y = y2, .n = 10, .colour = 8},
	};
	struct svg_chart c = {.id = "lat", .title = "Latency", .x_label = "s", .y_label = "ms"};
	FILE *f = mem_open();
	char d[2048];

	CHECK_INT(svg_line_chart(f, &c, s, 3), 0);
	fclose(f);
	check_doc("lines");
	CHECK_INT(count(out, "<path"), 3);
	CHECK_INT(count(out, "<circle"), 10);
	CHECK_INT(attr_num(out, "data-series"), 3);
	CHECK_INT(attr_num(out, "data-points"), 10 + 8 + 8);
	CHECK(strstr(out, "id=\"lat\"") != NULL);
	CHECK(strstr(out, "stroke-dasharray=\"6 4\"") != NULL);
	CHECK(strstr(out, "svg-line svg-c7") != NULL);
	path_d(1, d, sizeof(d));
	CHECK_INT(count(d, "M"), 2); /* the NaN gap breaks the line */
	CHECK_INT(count(d, "L"), 6);
	path_d(2, d, sizeof(d));
	CHECK_INT(count(d, "M"), 3);
	CHECK(strncmp(d + strcspn(d, "l"), "l0 0M", 5) == 0); /* the lone first point */
}

static void test_log_axes(void)
{
	static const double x[] = {0, 1, 10, 100};
	static const double y[] = {0, -3, 5, 5000};
	struct svg_series s = {.name = "zeros", .x = x, .y = y, .n = 4, .markers = true};
	struct svg_chart c = {.x_axis = SVG_LOG10, .y_axis = SVG_LOG10, .y_label = "ms"};
	FILE *f = mem_open();

	CHECK_INT(svg_line_chart(f, &c, &s, 1), 0);
	fclose(f);
	check_doc("log");
	CHECK_INT(count(out, "<circle"), 4);
	CHECK_INT(attr_num(out, "data-points"), 4);
	CHECK(strstr(out, ">1k</text>") != NULL);
}

static void test_percentile(void)
{
	static const double p[] = {0, 50, 90, 99, 99.9, 99.99, 100};
	static const double y[] = {1, 2, 3, 5, 8, 20, 40};
	struct svg_series s = {.name = "corrected", .x = p, .y = y, .n = 7};
	struct svg_chart c = {.x_axis = SVG_PERCENTILE, .x_label = "percentile"};
	FILE *f = mem_open();

	CHECK_INT(svg_line_chart(f, &c, &s, 1), 0);
	fclose(f);
	check_doc("percentile");
	CHECK(strstr(out, ">0%</text>") && strstr(out, ">90%</text>"));
	CHECK(strstr(out, ">99%</text>") && strstr(out, ">99.9%</text>"));
	CHECK(strstr(out, ">99.9999%</text>") != NULL);
	CHECK_INT(count(out, "<path"), 1);
}

static void test_bars(void)
{
	static const double x[] = {0, 1, 2, 3, 4};
	static const double a[] = {1, 0, 2, NAN, -1};
	static const double b[] = {1, 1, 1, 1, 1};
	static const double rps[] = {900, 1000, 1100, NAN, 1000};
	struct svg_stack l[] = {{.name = "timeout", .y = a}, {.name = "connect", .y = b}};
	struct svg_series o = {.name = "requests/s", .x = x, .y = rps, .n = 5};
	struct svg_chart c = {.title = "Throughput", .y_label = "errors/s", .y2_label = "req/s"};
	FILE *f = mem_open();

	CHECK_INT(svg_stacked_bars(f, &c, x, 5, l, 2, &o, 1), 0);
	fclose(f);
	check_doc("bars");
	CHECK_INT(count(out, "class=\"svg-bar"), 7);
	CHECK_INT(count(out, "<rect"), 7 + 2); /* and the two legend swatches */
	CHECK_INT(count(out, "<path"), 1);
	CHECK_INT(attr_num(out, "data-series"), 3);
	CHECK_INT(attr_num(out, "data-points"), 7 + 4);
	CHECK(strstr(out, ">req/s</text>") != NULL);
	CHECK(strstr(out, "svg-bar svg-c1") && strstr(out, "svg-bar svg-c2"));
	c.y_axis = SVG_LOG10;
	f = mem_open();
	CHECK_INT(svg_stacked_bars(f, &c, x, 5, l, 2, &o, 1), -EINVAL);
	fclose(f);
	CHECK_INT(out_len, 0);
}

static void test_hostile(void)
{
	static const double x[] = {1, 2};
	static const double y[] = {1, 2};
	const char *evil = "<script>alert('x&y')</script> \"q\" \x01 \xff\xfe end";
	struct svg_series s = {.name = evil, .x = x, .y = y, .n = 2, .markers = true};
	struct svg_chart c = {.id = evil,
			      .title = evil,
			      .x_label = evil,
			      .y_label = evil,
			      .has_mark = true,
			      .mark_x = 1.5,
			      .mark_label = evil};
	FILE *f = mem_open();

	CHECK_INT(svg_line_chart(f, &c, &s, 1), 0);
	fclose(f);
	check_doc("hostile");
	CHECK(!strstr(out, "<script"));
	CHECK(strstr(out, "&lt;script&gt;alert(&#39;x&amp;y&#39;)") != NULL);
	CHECK(strstr(out, "&quot;q&quot;") != NULL);
	CHECK_INT(count(out, "class=\"svg-mark\""), 1);
	f = mem_open();
	svg_text(f, "a<b>&\"'\t\x7f\x01\xc3\xa9\xe2\x82\xac\xed\xa0\x80\xc0\xaf");
	svg_text(f, NULL);
	fclose(f);
	CHECK_STR(out, "a&lt;b&gt;&amp;&quot;&#39;\t\x7f\xef\xbf\xbd\xc3\xa9\xe2\x82\xac"
		       "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
}

static void test_empty(void)
{
	static const double x[] = {1, 2, 3};
	static const double nan3[] = {NAN, NAN, NAN};
	struct svg_series s = {.name = "gone", .x = x, .y = nan3, .n = 3};
	struct svg_stack l = {.name = "timeout", .y = nan3};
	struct svg_chart c = {.title = "Empty <one>"};
	FILE *f = mem_open();

	CHECK_INT(svg_line_chart(f, &c, NULL, 0), 0);
	fclose(f);
	check_doc("empty");
	CHECK(strstr(out, ">no data</text>") != NULL);
	CHECK_INT(attr_num(out, "data-points"), 0);
	f = mem_open();
	CHECK_INT(svg_line_chart(f, &c, &s, 1), 0);
	fclose(f);
	check_doc("all NaN");
	CHECK(strstr(out, ">no data</text>") && !strstr(out, "<path"));
	f = mem_open();
	CHECK_INT(svg_stacked_bars(f, &c, x, 3, &l, 1, NULL, 0), 0);
	fclose(f);
	check_doc("no bars");
	CHECK(strstr(out, ">no data</text>") && !strstr(out, "<rect"));
}

static void test_errors(void)
{
	static const double y[] = {1};
	struct svg_series s = {.x = NULL, .y = y, .n = 1};
	struct svg_chart c = {0};
	FILE *f = mem_open();

	CHECK_INT(svg_line_chart(NULL, &c, NULL, 0), -EINVAL);
	CHECK_INT(svg_line_chart(f, NULL, NULL, 0), -EINVAL);
	CHECK_INT(svg_line_chart(f, &c, &s, 1), -EINVAL);
	CHECK_INT(svg_line_chart(f, &c, NULL, 1), -EINVAL);
	fclose(f);
	CHECK_INT(out_len, 0);
	s.x = y;
	f = fopen("/dev/null", "r"); /* every write fails */
	CHECK_INT(svg_line_chart(f, &c, &s, 1), -EIO);
	fclose(f);
}

/* The labels of a y axis fitted to min..max with max_ticks, joined by ' '. */
static void labels(enum svg_axis kind, double min, double max, unsigned max_ticks, char *buf,
		   size_t len)
{
	struct svgax_span sp = {0};
	struct svgax a = {0};
	struct svgax_tick t[64];
	unsigned n;
	size_t used = 0;

	svgax_span_add(&sp, min);
	svgax_span_add(&sp, max);
	svgax_fit(&a, kind, &sp, SVGAX_ZERO, max_ticks);
	n = svgax_ticks(&a, t, 64);
	buf[0] = 0;
	for (unsigned i = 0; i < n && used + 16 < len; i++) {
		char l[32];
		if (!t[i].label)
			continue;
		svgax_label(&a, t[i].v, l, sizeof(l));
		used += (size_t)snprintf(buf + used, len - used, "%s%s", used ? " " : "", l);
	}
}

static void test_ticks(void)
{
	char b[256];

	labels(SVG_LINEAR, 3, 97, 5, b, sizeof(b));
	CHECK_STR(b, "0 20 40 60 80 100");
	labels(SVG_LINEAR, 0, 2.3, 5, b, sizeof(b));
	CHECK_STR(b, "0 0.5 1.0 1.5 2.0 2.5");
	labels(SVG_LINEAR, 0, 12345, 6, b, sizeof(b));
	CHECK_STR(b, "0 5k 10k 15k");
	labels(SVG_LINEAR, 0, 2.4e6, 5, b, sizeof(b));
	CHECK_STR(b, "0 0.5M 1.0M 1.5M 2.0M 2.5M");
	labels(SVG_LINEAR, 0, 0, 5, b, sizeof(b));
	CHECK_STR(b, "0 0.2 0.4 0.6 0.8 1.0");
	labels(SVG_LOG10, 0.3, 4000, 8, b, sizeof(b));
	CHECK_STR(b, "0.1 1 10 100 1k 10k");
	labels(SVG_LOG10, 2, 9, 8, b, sizeof(b));
	CHECK_STR(b, "1 2 5 10");
	labels(SVG_PERCENTILE, 0, 99.95, 8, b, sizeof(b));
	CHECK_STR(b, "0% 90% 99% 99.9% 99.99%");
}

int main(void)
{
	test_checkers();
	test_lines();
	test_log_axes();
	test_percentile();
	test_bars();
	test_hostile();
	test_empty();
	test_errors();
	test_ticks();
	free(out);
	T_DONE();
}
