/*
 * shtml: the suite's and the stress search's pages, on the frame of rpage
 * and the charts of rchart, with the verdicts the JUnit file lists.
 */
#include "stats/report/shtml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/report/out.h"
#include "stats/report/rchart.h"
#include "stats/report/rjunit.h"
#include "stats/report/rpage.h"

#define SPECTRUM_LABELS 6

struct suite_page {
	const struct assess *a;
	struct rjunit verdicts;
};

static void stamp(time_t t, char *out, size_t cap)
{
	struct tm tm;
	out[0] = 0;
	if (gmtime_r(&t, &tm))
		strftime(out, cap, "%Y-%m-%d %H:%M:%S UTC", &tm);
}

static void suite_head(FILE *f, const struct assess *a)
{
	char started[64], took[96], server[160];
	stamp(a->started_at, started, sizeof(started));
	snprintf(took, sizeof(took), "%.1f s%s%s%s", a->duration_s, a->smoke ? ", smoke" : "",
		 a->full ? ", full benchmark" : "", a->interrupted ? ", interrupted" : "");
	snprintf(server, sizeof(server), "%s %s (MCP %s)",
		 a->server.server_name[0] ? a->server.server_name : "-", a->server.server_version,
		 a->server.version[0] ? a->server.version : "-");
	const char *const lines[][2] = {{"command", a->cmdline ? a->cmdline : ""},
					{"target", a->target ? a->target : ""},
					{"server", server},
					{"started", started},
					{"duration", took}};
	rpage_begin(f, "mcpload NFR suite report", lines, 5);
}

static void findings(FILE *f, const struct assess_nfr *n)
{
	char line[600];
	for (unsigned k = 0; k < n->nfindings; k++) {
		snprintf(line, sizeof(line), "Finding: %s Remedy: %s", n->analysis[k],
			 n->remedy[k]);
		rpage_note(f, line);
	}
	if (n->late[0])
		rpage_note(f, n->late);
	if (n->note[0])
		rpage_note(f, n->note);
}

static void nfr_labels(FILE *f, const struct assess_nfr *n)
{
	static const char *const h[] = {"Label",  "Requests", "Failed", "p50 ms",
					"p95 ms", "p99 ms",   "max ms"};
	char c[6][32];
	rpage_table(f, "labels", h, 7);
	for (unsigned i = 0; i < n->nlabels; i++) {
		const struct tally *t = n->labels[i].t;
		const struct hist *l = &t->latency;
		const char *cells[7] = {n->labels[i].name, c[0], c[1], c[2], c[3], c[4], c[5]};
		snprintf(c[0], 32, "%llu", (unsigned long long)tally_attempted(t));
		snprintf(c[1], 32, "%llu", (unsigned long long)tally_error_total(t));
		snprintf(c[2], 32, "%.3f", (double)hist_percentile_ns(l, 50) / 1e6);
		snprintf(c[3], 32, "%.3f", (double)hist_percentile_ns(l, 95) / 1e6);
		snprintf(c[4], 32, "%.3f", (double)hist_percentile_ns(l, 99) / 1e6);
		snprintf(c[5], 32, "%.3f", (double)l->max_ns / 1e6);
		rpage_row(f, cells, 7);
	}
	rpage_table_end(f);
}

static void nfr_charts(FILE *f, const struct assess_nfr *n, unsigned idx)
{
	const struct tline_sec *tl[NFR_MAX_PHASES];
	const char *names[NFR_MAX_PHASES];
	unsigned len[NFR_MAX_PHASES], np = 0;
	const struct hist *h[SPECTRUM_LABELS];
	const char *hn[SPECTRUM_LABELS];
	unsigned nh = 0;
	char id[48];
	for (unsigned i = 0; i < n->nphases && np < NFR_MAX_PHASES; i++)
		if (n->phases[i].timeline_len) {
			tl[np] = n->phases[i].timeline;
			len[np] = n->phases[i].timeline_len;
			names[np++] = n->phases[i].scenario;
		}
	for (unsigned i = 0; i < n->nlabels && nh < SPECTRUM_LABELS; i++)
		if (n->labels[i].t->latency.count) {
			h[nh] = &n->labels[i].t->latency;
			hn[nh++] = n->labels[i].name;
		}
	rpage_charts_begin(f);
	snprintf(id, sizeof(id), "chart-nfr%u-latency", idx);
	if (np)
		rchart_timelines(f, id, "Latency over time by phase", tl, len, names, np);
	snprintf(id, sizeof(id), "chart-nfr%u-spectrum", idx);
	if (nh)
		rchart_spectrum(f, id, "Latency by percentile", h, hn, NULL, nh);
	snprintf(id, sizeof(id), "chart-nfr%u-throughput", idx);
	unsigned longest = 0;
	for (unsigned i = 1; i < np; i++)
		longest = len[i] > len[longest] ? i : longest;
	char title[96];
	snprintf(title, sizeof(title), "Throughput and failures: %s", np ? names[longest] : "");
	if (np)
		rchart_throughput(f, id, title, tl[longest], len[longest]);
	snprintf(id, sizeof(id), "chart-nfr%u-stress", idx);
	if (n->stress && n->stress->n)
		rchart_stress(f, id, n->stress);
	if (n->soaked && n->mem.n)
		rchart_memory(f, &n->mem);
	rpage_charts_end(f);
}

/* NFR-03: the chart and a row per workflow. */
static void nfr_tokens(FILE *f, const struct tokeff *t, unsigned idx)
{
	static const char *const h[] = {
	    "#",	  "Workflow",		"Files",    "Baseline tokens",
	    "MCP tokens", "of which tool list", "Reduction"};
	char c[6][64], id[48];
	snprintf(id, sizeof(id), "chart-nfr%u-tokens", idx);
	rpage_charts_begin(f);
	rchart_tokens(f, id, t);
	rpage_charts_end(f);
	rpage_table(f, "workflows", h, 7);
	for (unsigned i = 0; i < t->n; i++) {
		const struct tokeff_wf *w = &t->wf[i];
		const char *cells[7] = {c[0], w->name, c[1], c[2], c[3], c[4], c[5]};
		snprintf(c[0], 64, "%u", i + 1);
		snprintf(c[1], 64, "%u", w->nfiles);
		snprintf(c[2], 64, "%llu", (unsigned long long)w->base_tokens);
		snprintf(c[3], 64, "%llu", (unsigned long long)w->mcp_tokens);
		snprintf(c[4], 64, "%llu", (unsigned long long)(w->mcp_tokens - w->content_tokens));
		snprintf(c[5], 64, "%.1f %%", w->reduction_pct);
		if (w->error[0]) {
			snprintf(c[3], 64, "failed");
			snprintf(c[4], 64, "-");
			snprintf(c[5], 64, "-");
		}
		rpage_row(f, cells, 7);
	}
	rpage_table_end(f);
}

static void nfr_section(FILE *f, const struct assess_nfr *n, unsigned idx)
{
	char id[32], title[192];
	snprintf(id, sizeof(id), "nfr-%u", idx);
	snprintf(title, sizeof(title), "%s: %s (%s)", n->def->id, n->def->title,
		 verdict_name(n->verdict));
	rpage_section(f, id, title);
	findings(f, n);
	if (n->tok && n->tok->mcp_done)
		nfr_tokens(f, n->tok, idx);
	nfr_charts(f, n, idx);
	if (n->nlabels)
		nfr_labels(f, n);
	rpage_section_end(f);
}

static int fill_suite(FILE *f, const void *ctx)
{
	const struct suite_page *p = ctx;
	suite_head(f, p->a);
	rpage_section(f, "verdict", "Verdicts");
	rpage_verdicts(f, &p->verdicts);
	rpage_section_end(f);
	for (unsigned i = 0; i < p->a->nnfrs; i++)
		if (p->a->nfrs[i].ran && p->a->nfrs[i].def->avail == NFR_RUNS)
			nfr_section(f, &p->a->nfrs[i], i);
	rpage_end(f);
	return ferror(f) ? -EIO : 0;
}

int shtml_suite_write(const char *path, const struct assess *a, char *why, size_t wl)
{
	struct suite_page *p = calloc(1, sizeof(*p));
	int r;
	if (!p) {
		snprintf(why, wl, "--html: out of memory");
		return -ENOMEM;
	}
	p->a = a;
	rjunit_suite_cases(&p->verdicts, a);
	r = out_write(path, fill_suite, p, why, wl);
	free(p);
	return r;
}

/* --- stress --- */

struct stress_page {
	const struct shtml_stress *s;
	struct rjunit verdicts;
};

static void step_rows(FILE *f, const struct knee *k)
{
	static const char *const h[] = {"Step",	     "Offered", "Achieved req/s",
					"p50 ms",    "p99 ms",	"Errors %",
					"On time %", "Verdict", "Why"};
	char c[7][48];
	rpage_table(f, "step-table", h, 9);
	for (unsigned i = 0; i < k->n; i++) {
		const struct knee_step *s = &k->steps[i];
		const char *cells[9] = {c[0],  c[1], c[2], c[3],
					c[4],  c[5], c[6], knee_verdict_name(s->verdict),
					s->why};
		snprintf(c[0], 48, "%u", i + 1);
		snprintf(c[1], 48, "%.1f %s", k->closed ? s->rate : s->offered_rps,
			 k->closed ? "users" : "req/s");
		snprintf(c[2], 48, "%.1f", s->achieved_rps);
		snprintf(c[3], 48, "%.3f", (double)hist_sum_at(&s->lat, 50) / 1e6);
		snprintf(c[4], 48, "%.3f", (double)hist_sum_at(&s->lat, 99) / 1e6);
		snprintf(c[5], 48, "%.2f", s->err_pct);
		snprintf(c[6], 48, "%.2f", s->on_time_pct);
		rpage_row(f, cells, 9);
	}
	rpage_table_end(f);
}

static int fill_stress(FILE *f, const void *ctx)
{
	const struct stress_page *p = ctx;
	const struct shtml_stress *s = p->s;
	char started[64];
	stamp(s->started_at, started, sizeof(started));
	const char *const lines[][2] = {{"command", s->cmdline ? s->cmdline : ""},
					{"target", s->target ? s->target : ""},
					{"scenario", s->scenario ? s->scenario : ""},
					{"started", started},
					{"outcome", s->k->why}};
	rpage_begin(f, "mcpload stress report", lines, 5);
	rpage_section(f, "verdict", "Verdicts");
	rpage_verdicts(f, &p->verdicts);
	rpage_section_end(f);
	rpage_section(f, "curve", "Latency against load");
	rpage_charts_begin(f);
	rchart_stress(f, "chart-stress", s->k);
	rpage_charts_end(f);
	step_rows(f, s->k);
	rpage_section_end(f);
	rpage_end(f);
	return ferror(f) ? -EIO : 0;
}

int shtml_stress_write(const char *path, const struct shtml_stress *s, char *why, size_t wl)
{
	struct stress_page *p = calloc(1, sizeof(*p));
	int r;
	if (!p) {
		snprintf(why, wl, "--html: out of memory");
		return -ENOMEM;
	}
	p->s = s;
	rjunit_stress_cases(&p->verdicts, s->k);
	r = out_write(path, fill_stress, p, why, wl);
	free(p);
	return r;
}
