/*
 * rpage: the HTML frame. Text goes through the one XML escaper (svg_text):
 * labels, messages and command lines come from users and servers.
 */
#include "stats/report/rpage.h"

#include <string.h>

#include "stats/report/svg.h"
#include "stats/verdict.h"

static const char css[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:0;"
    "color:#1d2330;background:#f4f6f9}"
    "header{background:#1d2330;color:#fff;padding:18px 28px}"
    "header h1{margin:0 0 8px;font-size:22px}"
    "header dl{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0;"
    "font-size:13px}header dt{color:#9aa5b8}header dd{margin:0;word-break:break-all}"
    "main{padding:12px 28px 40px}"
    "section{background:#fff;border-radius:6px;box-shadow:0 1px 3px rgba(0,0,0,.08);"
    "margin:16px 0;padding:14px 18px}"
    "h2{font-size:17px;margin:0 0 10px}"
    "table{border-collapse:collapse;width:100%;font-size:13px}"
    "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e7ee;vertical-align:top}"
    "th{background:#f0f2f6;font-weight:600}td.num{text-align:right;font-variant-numeric:"
    "tabular-nums}"
    ".grade{display:inline-block;min-width:22px;text-align:center;border-radius:4px;"
    "font-weight:700;color:#fff;padding:1px 4px}"
    ".g-A{background:#1a7f37}.g-B{background:#4c9a2a}.g-C{background:#b08800}"
    ".g-D{background:#d4701c}.g-F{background:#cf222e}.g-q{background:#6e7781}"
    ".g-n{background:#afb8c1}"
    ".v-FAIL{color:#cf222e;font-weight:600}.v-PASS{color:#1a7f37;font-weight:600}"
    ".v-INCONCLUSIVE,.v-WARNING{color:#b35900;font-weight:600}"
    ".charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(560px,1fr));gap:12px}"
    ".charts svg{width:100%;height:auto}"
    "p.note{color:#57606a;margin:6px 0}code{font-size:12px}";

void rpage_begin(FILE *f, const char *title, const char *const (*lines)[2], unsigned n)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
	      f);
	svg_text(f, title);
	fprintf(f, "</title>\n<style>%s</style>\n</head><body>\n<header><h1>", css);
	svg_text(f, title);
	fputs("</h1><dl>", f);
	for (unsigned i = 0; i < n; i++) {
		fputs("<dt>", f);
		svg_text(f, lines[i][0]);
		fputs("</dt><dd>", f);
		svg_text(f, lines[i][1]);
		fputs("</dd>", f);
	}
	fputs("</dl></header>\n<main>\n", f);
}

void rpage_end(FILE *f)
{
	fputs("<p class=\"note\">Written by mcpload " MCPL_VERSION
	      ". Grades: A at most half of the limit used, B at most 75 %, C at most 90 %, D a "
	      "pass above that or within the tolerance or warning bands, F a failure; ? "
	      "inconclusive, - not measured.</p>\n</main></body></html>\n",
	      f);
}

void rpage_section(FILE *f, const char *id, const char *title)
{
	fprintf(f, "<section id=\"%s\"><h2>", id);
	svg_text(f, title);
	fputs("</h2>\n", f);
}

void rpage_section_end(FILE *f)
{
	fputs("</section>\n", f);
}

void rpage_note(FILE *f, const char *text)
{
	fputs("<p class=\"note\">", f);
	svg_text(f, text);
	fputs("</p>\n", f);
}

void rpage_table(FILE *f, const char *id, const char *const *head, unsigned n)
{
	fprintf(f, "<table id=\"%s\"><thead><tr>", id);
	for (unsigned i = 0; i < n; i++) {
		fputs("<th>", f);
		svg_text(f, head[i]);
		fputs("</th>", f);
	}
	fputs("</tr></thead><tbody>\n", f);
}

/* A cell that reads as a number is right-aligned. */
static bool numeric(const char *s)
{
	return *s && strspn(s, "0123456789.,-+% ") == strlen(s);
}

void rpage_row(FILE *f, const char *const *cells, unsigned n)
{
	fputs("<tr>", f);
	for (unsigned i = 0; i < n; i++) {
		fputs(numeric(cells[i]) ? "<td class=\"num\">" : "<td>", f);
		svg_text(f, cells[i]);
		fputs("</td>", f);
	}
	fputs("</tr>\n", f);
}

void rpage_table_end(FILE *f)
{
	fputs("</tbody></table>\n", f);
}

void rpage_charts_begin(FILE *f)
{
	fputs("<div class=\"charts\">\n", f);
}

void rpage_charts_end(FILE *f)
{
	fputs("</div>\n", f);
}

static const char *grade_class(const char *g)
{
	return *g == '?' ? "g-q" : *g == '-' ? "g-n" : NULL;
}

void rpage_verdicts(FILE *f, const struct rjunit *u)
{
	static const char *const head[] = {"Grade", "Verdict", "Group", "Target", "Finding"};
	rpage_table(f, "verdicts", head, 5);
	for (unsigned i = 0; i < u->n; i++) {
		const struct rjunit_case *c = &u->cases[i];
		const char *g = verdict_grade(c->verdict, c->use);
		const char *cls = grade_class(g);
		fputs("<tr class=\"verdict\">", f);
		if (cls)
			fprintf(f, "<td><span class=\"grade %s\">%s</span></td>", cls, g);
		else
			fprintf(f, "<td><span class=\"grade g-%s\">%s</span></td>", g, g);
		fprintf(f, "<td class=\"v-%s\">", verdict_name(c->verdict));
		svg_text(f, verdict_name(c->verdict));
		fputs("</td><td>", f);
		svg_text(f, c->classname);
		fputs("</td><td>", f);
		svg_text(f, c->name);
		fputs("</td><td>", f);
		svg_text(f, c->message);
		fputs("</td></tr>\n", f);
	}
	rpage_table_end(f);
}
