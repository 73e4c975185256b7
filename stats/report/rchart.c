/*
 * rchart: series from the run's timelines and histograms into svg charts.
 * Arrays are allocated per chart (after the run, never on its path); a
 * chart that cannot get them is left out rather than drawn wrong.
 */
#include "stats/report/rchart.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "stats/report/svg.h"

/* n doubles per array, k arrays, in one block. */
static double *arrays(unsigned n, unsigned k)
{
	return calloc((size_t)(n ? n : 1) * k, sizeof(double));
}

void rchart_latency(FILE *f, const struct result *res, const struct rlab *l, unsigned index)
{
	static const double pcts[] = {50, 95, 99};
	static const char *const names[] = {"p50", "p95", "p99", "p99 uncorrected"};
	const struct ltl_run *r = &res->ltl;
	unsigned n = r->nsec, ns = r->service ? 4 : 3;
	double *a = arrays(n, 5);
	char id[32], title[RLAB_NAME_LEN + 32];
	struct svg_series s[4];
	struct ltl_view v;
	if (!a)
		return;
	for (unsigned i = 0; i < n; i++) {
		bool have = ltl_get(r, i, l->slot, &v) && v.n;
		a[i] = i + 1;
		for (unsigned k = 0; k < 3; k++)
			a[(k + 1) * n + i] =
			    have ? (double)ltl_percentile_ns(&v, 0, pcts[k]) / 1e6 : NAN;
		a[4 * n + i] =
		    have && r->service ? (double)ltl_percentile_ns(&v, 1, 99) / 1e6 : NAN;
	}
	for (unsigned k = 0; k < ns; k++)
		s[k] = (struct svg_series){.name = names[k],
					   .x = a,
					   .y = a + (k + 1) * n,
					   .n = n,
					   .dashed = k == 3,
					   .colour = k == 3 ? 3 : 0};
	snprintf(id, sizeof(id), "chart-latency-%u", index);
	snprintf(title, sizeof(title), "Latency over time: %s", l->name);
	struct svg_chart c = {.id = id,
			      .title = title,
			      .x_label = "second of the measured phase",
			      .y_label = "latency (ms)"};
	svg_line_chart(f, &c, s, ns);
	free(a);
}

/* HdrHistogram's spectrum points: 1 - 1/2^(k/2) up to the last value. */
#define SPEC_POINTS 64

void rchart_spectrum(FILE *f, const char *id, const char *title, const struct hist *const *h,
		     const char *const *names, const bool *dashed, unsigned n)
{
	double *a = arrays(SPEC_POINTS, 2 * (n ? n : 1));
	struct svg_series s[8];
	if (!a)
		return;
	n = n > 8 ? 8 : n;
	for (unsigned i = 0; i < n; i++) {
		double *x = a + 2 * i * SPEC_POINTS, *y = x + SPEC_POINTS;
		unsigned k = 0;
		for (; h[i]->count && k < SPEC_POINTS; k++) {
			double p = 100.0 * (1.0 - pow(2.0, -(double)k / 2.0));
			if (k && 100.0 - p < 100.0 / (double)h[i]->count / 2)
				break; /* beyond the last value: the top */
			x[k] = p;
			y[k] = (double)hist_percentile_ns(h[i], k ? p : 0) / 1e6;
		}
		if (h[i]->count && k < SPEC_POINTS) {
			x[k] = 99.9999;
			y[k++] = (double)h[i]->max_ns / 1e6;
		}
		s[i] = (struct svg_series){.name = names[i],
					   .x = x,
					   .y = y,
					   .n = k,
					   .dashed = dashed && dashed[i],
					   .colour = dashed && dashed[i] && i ? i : 0};
	}
	struct svg_chart c = {.id = id,
			      .title = title,
			      .x_label = "percentile",
			      .y_label = "latency (ms)",
			      .x_axis = SVG_PERCENTILE};
	svg_line_chart(f, &c, s, n);
	free(a);
}

void rchart_throughput(FILE *f, const char *id, const char *title, const struct tline_sec *tl,
		       unsigned n)
{
	unsigned nl = 0;
	double *a = arrays(n, 2 + TLINE_ERR_KINDS);
	struct svg_stack layers[TLINE_ERR_KINDS];
	if (!a)
		return;
	for (unsigned i = 0; i < n; i++) {
		a[i] = i + 1;
		a[n + i] = (double)tl[i].responses;
	}
	for (unsigned k = 0; k < TLINE_ERR_KINDS; k++) {
		double *y = a + (2 + k) * n;
		uint64_t any = 0;
		for (unsigned i = 0; i < n; i++)
			any += tl[i].errs[k], y[i] = (double)tl[i].errs[k];
		if (any)
			layers[nl++] = (struct svg_stack){.name = tline_err_text(k), .y = y};
	}
	struct svg_series rps = {.name = "responses/s", .x = a, .y = a + n, .n = n};
	/* without failures the responses have the left axis to themselves */
	struct svg_chart c = {.id = id,
			      .title = title,
			      .x_label = "second of the measured phase",
			      .y_label = nl ? "failures per second" : "responses per second",
			      .y2_label = nl ? "responses per second" : NULL};
	svg_stacked_bars(f, &c, a, n, layers, nl, &rps, 1);
	free(a);
}

void rchart_on_time(FILE *f, const char *id, const struct tline_sec *tl, unsigned n)
{
	double *a = arrays(n, 2);
	if (!a)
		return;
	for (unsigned i = 0; i < n; i++) {
		const struct tline_sec *s = &tl[i];
		a[i] = i + 1;
		a[n + i] = s->scheduled ? 100.0 * (double)s->on_time / (double)s->scheduled : NAN;
	}
	struct svg_series s = {.name = "arrivals applied within 1 ms", .x = a, .y = a + n, .n = n};
	struct svg_chart c = {.id = id,
			      .title = "Generator self-check: on-time share",
			      .x_label = "second of the measured phase",
			      .y_label = "on time (%)",
			      .y_fit = true};
	svg_line_chart(f, &c, &s, 1);
	free(a);
}

void rchart_memory(FILE *f, const struct memtrend *m)
{
	double *a = arrays(m->n, 2);
	struct svg_series s[2];
	unsigned ns = 0;
	if (!a)
		return;
	for (unsigned i = 0; i < m->n; i++) {
		a[i] = m->server_bytes ? m->server_bytes[i] / 1048576.0 : NAN;
		a[m->n + i] = m->client_bytes ? m->client_bytes[i] / 1048576.0 : NAN;
	}
	if (m->server)
		s[ns++] = (struct svg_series){.name = "server RSS", .x = m->t_s, .y = a, .n = m->n};
	s[ns++] = (struct svg_series){.name = "client RSS", .x = m->t_s, .y = a + m->n, .n = m->n};
	struct svg_chart c = {.id = "chart-memory",
			      .title = "Resident memory",
			      .x_label = "seconds since the start",
			      .y_label = "MiB"};
	svg_line_chart(f, &c, s, m->t_s ? ns : 0);
	free(a);
}

#define MAX_TIMELINES 6

void rchart_timelines(FILE *f, const char *id, const char *title, const struct tline_sec *const *tl,
		      const unsigned *len, const char *const *names, unsigned n)
{
	unsigned most = 0;
	struct svg_series s[2 * MAX_TIMELINES];
	char name[2 * MAX_TIMELINES][96];
	n = n > MAX_TIMELINES ? MAX_TIMELINES : n;
	for (unsigned i = 0; i < n; i++)
		most = len[i] > most ? len[i] : most;
	double *a = arrays(most, 1 + 2 * n);
	if (!a)
		return;
	for (unsigned t = 0; t < most; t++)
		a[t] = t + 1;
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; k < 2; k++) {
			double *y = a + (1 + 2 * i + k) * most;
			for (unsigned t = 0; t < most; t++)
				y[t] = t < len[i] && tl[i][t].responses
					   ? (double)(k ? tl[i][t].p99_ns : tl[i][t].p50_ns) / 1e6
					   : NAN;
			snprintf(name[2 * i + k], sizeof(name[0]), "%s %s", names[i],
				 k ? "p99" : "p50");
			s[2 * i + k] = (struct svg_series){.name = name[2 * i + k],
							   .x = a,
							   .y = y,
							   .n = most,
							   .dashed = k == 0,
							   .colour = i + 1};
		}
	struct svg_chart c = {
	    .id = id, .title = title, .x_label = "second of the phase", .y_label = "latency (ms)"};
	svg_line_chart(f, &c, s, 2 * n);
	free(a);
}

void rchart_stress(FILE *f, const char *id, const struct knee *k)
{
	double *a = arrays(k->n, 3);
	char mark[64] = "";
	double best =
	    k->best >= 0 ? (k->closed ? k->steps[k->best].rate : k->steps[k->best].offered_rps) : 0;
	if (!a)
		return;
	/* the curve by load, not in the order the search tried the steps:
	 * insertion sort of at most KNEE_MAX_STEPS */
	for (unsigned i = 0; i < k->n; i++) {
		const struct knee_step *s = &k->steps[i];
		double x = k->closed ? s->rate : s->offered_rps;
		unsigned j = i;
		for (; j > 0 && a[j - 1] > x; j--) {
			a[j] = a[j - 1];
			a[k->n + j] = a[k->n + j - 1];
			a[2 * k->n + j] = a[2 * k->n + j - 1];
		}
		a[j] = x;
		a[k->n + j] = (double)hist_sum_at(&s->lat, 50) / 1e6;
		a[2 * k->n + j] = (double)hist_sum_at(&s->lat, 99) / 1e6;
	}
	struct svg_series s[2] = {
	    {.name = "p50", .x = a, .y = a + k->n, .n = k->n, .markers = true},
	    {.name = "p99 (corrected)", .x = a, .y = a + 2 * k->n, .n = k->n, .markers = true}};
	struct svg_chart c = {.id = id,
			      .title = "Stress: latency against load",
			      .x_label = k->closed ? "users" : "offered load (req/s)",
			      .y_label = "latency (ms)",
			      .has_mark = k->best >= 0,
			      .mark_x = best,
			      .mark_label = mark};
	if (k->best >= 0)
		snprintf(mark, sizeof(mark), "held up to %.0f %s", best,
			 k->closed ? "users" : "req/s");
	svg_line_chart(f, &c, s, 2);
	free(a);
}

void rchart_tokens(FILE *f, const char *id, const struct tokeff *t)
{
	unsigned n = t->n;
	double *a = arrays(n, 4);
	if (!a)
		return;
	for (unsigned i = 0; i < n; i++) {
		const struct tokeff_wf *w = &t->wf[i];
		bool ok = !w->error[0];
		a[i] = i + 1;
		a[n + i] = ok ? (double)w->content_tokens : NAN;
		a[2 * n + i] = ok ? (double)(w->mcp_tokens - w->content_tokens) : NAN;
		a[3 * n + i] = (double)w->base_tokens;
	}
	const struct svg_stack layers[] = {{"MCP: what the calls returned", a + n, 2},
					   {"MCP: the tool list, every turn", a + 2 * n, 3}};
	struct svg_series base = {
	    .name = "baseline: the local files", .x = a, .y = a + 3 * n, .n = n, .markers = true};
	struct svg_chart c = {.id = id,
			      .title = "Tokens per workflow: MCP against loading the files",
			      .x_label = "workflow (as numbered in the table)",
			      .y_label = "tokens"};
	svg_stacked_bars(f, &c, a, n, layers, 2, &base, 1);
	free(a);
}
