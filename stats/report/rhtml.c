/*
 * rhtml: the run page, section by section, from the same figures the
 * summary and the JSON show, and the same verdicts the JUnit file lists.
 */
#include "stats/report/rhtml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "stats/report/out.h"
#include "stats/report/rchart.h"
#include "stats/report/rjunit.h"
#include "stats/report/rlab.h"
#include "stats/report/rpage.h"

#define MAX_LATENCY_CHARTS 12 /* labels drawn one by one; the table has all */

struct page {
	const struct rdesc *d;
	const struct result *res;
	struct rlab lab[RLAB_MAX];
	unsigned n;
	struct rjunit verdicts;
	struct hist ok; /* scratch */
};

static void head(FILE *f, const struct page *p)
{
	char started[64] = "", took[64], shards[600] = "";
	struct tm tm;
	if (gmtime_r(&p->res->started_at, &tm))
		strftime(started, sizeof(started), "%Y-%m-%d %H:%M:%S UTC", &tm);
	snprintf(took, sizeof(took), "%.1f s measured (%s model, %u threads%s)",
		 (double)p->res->elapsed_ns / 1e9, p->res->open_loop ? "open" : "closed",
		 p->res->threads, p->d->merge ? " over all shards" : "");
	const char *const lines[][2] = {{"command", p->d->cmdline ? p->d->cmdline : ""},
					{"target", p->d->url ? p->d->url : ""},
					{"started", started},
					{"duration", took},
					{"shards", shards}};
	const struct rmerge *m = p->d->merge;
	if (m)
		snprintf(shards, sizeof(shards), "%u of %u merged, start skew %.3f ms%s%s", m->ran,
			 m->expected, m->skew_ms, m->ran == m->expected ? "" : ": ",
			 m->ran == m->expected ? "" : m->incomplete);
	rpage_begin(f, m ? "mcpload merged report" : "mcpload report", lines, m ? 5 : 4);
}

static void ms(char *out, size_t cap, uint64_t ns)
{
	snprintf(out, cap, "%.3f", (double)ns / 1e6);
}

static void label_row(FILE *f, const struct rlab *l, double secs)
{
	const struct tally *t = l->t;
	const struct hist *h = &t->latency;
	char c[11][48];
	const char *cells[12];
	snprintf(c[0], 48, "%llu", (unsigned long long)tally_attempted(t));
	snprintf(c[1], 48, "%llu", (unsigned long long)tally_error_total(t));
	snprintf(c[2], 48, "%.2f", tally_error_pct(t));
	snprintf(c[3], 48, "%.1f", secs > 0 ? (double)t->responses / secs : 0);
	ms(c[4], 48, hist_percentile_ns(h, 50));
	ms(c[5], 48, hist_percentile_ns(h, 95));
	ms(c[6], 48, hist_percentile_ns(h, 99));
	ms(c[7], 48, hist_percentile_ns(h, 99.9));
	ms(c[8], 48, h->max_ns);
	snprintf(c[9], 48, "%.0f", t->responses ? (double)t->body_bytes / (double)t->responses : 0);
	cells[0] = l->name;
	cells[1] = l->method;
	for (unsigned i = 0; i < 10; i++)
		cells[i + 2] = c[i];
	rpage_row(f, cells, 12);
}

static void labels(FILE *f, const struct page *p)
{
	static const char *const h[] = {"Label",   "Type",     "Requests", "Failed",
					"Error %", "Resp/s",   "p50 ms",   "p95 ms",
					"p99 ms",  "p99.9 ms", "max ms",   "avg body B"};
	double secs = (double)p->res->elapsed_ns / 1e9;
	rpage_section(f, "labels", "Labels");
	rpage_table(f, "label-table", h, 12);
	for (unsigned i = 0; i < p->n; i++)
		label_row(f, &p->lab[i], secs);
	rpage_table_end(f);
	rpage_note(f, "Latency over every response, failed ones included; errors over every "
		      "attempt. In the open model, latency is measured from each request's "
		      "intended send time (coordinated omission corrected).");
	rpage_section_end(f);
}

static void over_time(FILE *f, const struct page *p)
{
	unsigned drawn = 0;
	rpage_section(f, "latency", "Latency over time");
	rpage_charts_begin(f);
	for (unsigned i = 0; i < p->n && drawn < MAX_LATENCY_CHARTS; i++)
		if (p->lab[i].parent < 0)
			rchart_latency(f, p->res, &p->lab[i], drawn++);
	rpage_charts_end(f);
	rpage_note(f, "Each second's percentiles from 2-significant-digit histograms (within "
		      "0.8 %); dashed: uncorrected (from the actual send).");
	rpage_section_end(f);
}

static void spectrum(FILE *f, const struct page *p)
{
	const struct hist *h[8];
	const char *names[8];
	bool dashed[8] = {false};
	unsigned n = 0;
	for (unsigned i = 0; i < p->n && n < 8; i++) {
		if (p->lab[i].parent >= 0)
			continue;
		h[n] = &p->lab[i].t->latency;
		names[n++] = p->lab[i].name;
		if (p->res->open_loop && n < 8 && p->n == 1) {
			h[n] = &p->lab[i].t->service;
			dashed[n] = true;
			names[n++] = "uncorrected";
		}
	}
	rpage_section(f, "spectrum", "Percentile spectrum");
	rpage_charts_begin(f);
	rchart_spectrum(f, "chart-spectrum", "Latency by percentile", h, names, dashed, n);
	rchart_throughput(f, "chart-throughput", "Throughput and failures by class",
			  p->res->timeline, p->res->timeline_len);
	rpage_charts_end(f);
	rpage_section_end(f);
}

static void generator(FILE *f, const struct page *p)
{
	const struct result *res = p->res;
	const struct tally *t = res->total;
	char c[6][64];
	rpage_section(f, "generator", "Generator self-check");
	snprintf(c[5], 64, "%s",
		 !t->stamped	 ? "this thread's clock"
		 : t->tx_stamped ? "the kernel's receive and send stamps"
				 : "the kernel's receive stamps");
	snprintf(c[0], 64, "%.2f %%", res->open_loop ? tally_applied_pct(t) : 100.0);
	snprintf(
	    c[1], 64, "%.3f / %.3f / %.3f ms", (double)hist_percentile_ns(&t->send_lag, 50) / 1e6,
	    (double)hist_percentile_ns(&t->send_lag, 99) / 1e6, (double)t->send_lag.max_ns / 1e6);
	snprintf(c[2], 64, "%.1f %%", res->busiest_busy_pct);
	snprintf(c[3], 64, "%.1f %%", res->busiest_wait_pct);
	snprintf(c[4], 64, "%llu", (unsigned long long)t->dropped);
	static const char *const h[] = {"Figure", "Value"};
	const char *const rows[][2] = {
	    {"arrivals applied within 1 ms", c[0]},
	    {"send lag p50 / p99 / max", c[1]},
	    {"busiest worker thread busy", c[2]},
	    {"worker waited for a CPU", c[3]},
	    {"arrivals dropped", c[4]},
	    {"responses timed by", c[5]},
	    {"the client distorted the run", res->saturated ? res->saturation : "no"}};
	rpage_table(f, "generator-table", h, 2);
	for (unsigned i = res->open_loop ? 0 : 2; i < 7; i++)
		rpage_row(f, rows[i], 2);
	rpage_table_end(f);
	if (res->open_loop) {
		rpage_charts_begin(f);
		rchart_on_time(f, "chart-on-time", res->timeline, res->timeline_len);
		rpage_charts_end(f);
	}
	rpage_section_end(f);
}

static void memory(FILE *f, const struct page *p)
{
	const struct memtrend *m = &p->res->mem;
	if (!m->n)
		return;
	rpage_section(f, "memory", "Memory over time");
	if (m->server)
		rpage_note(f, m->reason[0] ? m->reason : "server memory within its limits");
	rpage_charts_begin(f);
	rchart_memory(f, m);
	rpage_charts_end(f);
	rpage_section_end(f);
}

static void errors(FILE *f, const struct page *p)
{
	static const char *const h[] = {"Label", "Message", "Count"};
	char n[32];
	unsigned rows = 0;
	rpage_section(f, "errors", "First error messages");
	rpage_table(f, "error-table", h, 3);
	for (unsigned i = 0; i < p->n; i++) {
		const struct tally_msgs *m = &p->lab[i].t->msgs;
		for (unsigned k = 0; k < TALLY_MSGS && m->m[k].n; k++, rows++) {
			const char *cells[3] = {p->lab[i].name, m->m[k].text, n};
			snprintf(n, sizeof(n), "%llu", (unsigned long long)m->m[k].n);
			rpage_row(f, cells, 3);
		}
	}
	rpage_table_end(f);
	if (!rows)
		rpage_note(f, "No error message came back.");
	rpage_section_end(f);
}

static int fill(FILE *f, const void *ctx)
{
	const struct page *p = ctx;
	head(f, p);
	rpage_section(f, "verdict", "Verdicts");
	rpage_verdicts(f, &p->verdicts);
	rpage_section_end(f);
	over_time(f, p);
	spectrum(f, p);
	labels(f, p);
	generator(f, p);
	memory(f, p);
	errors(f, p);
	rpage_end(f);
	return ferror(f) ? -EIO : 0;
}

int rhtml_write(const char *path, const struct rdesc *d, const struct result *res, char *why,
		size_t wl)
{
	struct page *p = calloc(1, sizeof(*p));
	int r;
	if (!p) {
		snprintf(why, wl, "--html: out of memory");
		return -ENOMEM;
	}
	p->d = d;
	p->res = res;
	p->n = rlab_list(d, res, p->lab, RLAB_MAX);
	p->verdicts.name = d->cmdline;
	rjunit_run_cases(&p->verdicts, d, res);
	r = out_write(path, fill, p, why, wl);
	free(p);
	return r;
}
