/*
 * rcsv: Locust's three CSV files from a run's tallies and its per-label
 * timeline. Percentile and median columns are whole milliseconds (Locust
 * writes integers there; the JSON keeps the nanoseconds), averages and
 * rates are decimals; a field is quoted only when it must be.
 */
#include "stats/report/rcsv.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stats/report/out.h"
#include "stats/report/rlab.h"

#define WINDOW_S 10 /* Locust's history: the current 10-second window */
#define CRLF	 "\r\n"

static const double pcts[] = {50, 66, 75, 80, 90, 95, 98, 99, 99.9, 99.99, 100};
#define NPCTS (sizeof(pcts) / sizeof(pcts[0]))
static const char pct_cols[] = ",50%,66%,75%,80%,90%,95%,98%,99%,99.9%,99.99%,100%";

static const char *const suffix[3] = {"_stats.csv", "_stats_history.csv", "_failures.csv"};

/* The labels the files list: a split value is a part of its label, so
 * only whole labels, sorted by name as Locust sorts its entries. */
struct csv {
	const struct rdesc *d;
	const struct result *res;
	struct rlab lab[RLAB_MAX];
	unsigned n;
	struct tally *agg; /* the labels summed: Locust's Aggregated row */
};

static int by_name(const void *a, const void *b)
{
	const struct rlab *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : strcmp(x->method, y->method);
}

static void field(FILE *f, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		fputs(s, f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

static long long ms_int(uint64_t ns)
{
	return llround((double)ns / 1e6);
}

/* A percentile of dense counts (total of them): the top of its bucket. */
static uint64_t dense_pct(const uint64_t *c, uint64_t total, double pct)
{
	uint64_t want = (uint64_t)ceil(pct / 100.0 * (double)total), seen = 0;
	if (want == 0)
		want = 1;
	for (unsigned i = 0; i < LTL_COUNTS; i++) {
		seen += c[i];
		if (seen >= want)
			return ltl_bucket_high_ns(i);
	}
	return 0;
}

static void pct_fields(FILE *f, const uint64_t *c, uint64_t total, bool none)
{
	for (unsigned i = 0; i < NPCTS; i++)
		if (none)
			fputs(",N/A", f);
		else
			fprintf(f, ",%lld", total ? ms_int(dense_pct(c, total, pcts[i])) : 0);
}

/* --- PREFIX_stats.csv --- */

static void stats_row(FILE *f, const char *type, const char *name, const struct tally *t,
		      double secs)
{
	uint64_t n = tally_attempted(t), fails = tally_error_total(t);
	const struct hist *h = &t->latency;
	field(f, type);
	fputc(',', f);
	field(f, name);
	fprintf(f, ",%llu,%llu,%lld,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f", (unsigned long long)n,
		(unsigned long long)fails, ms_int(hist_percentile_ns(h, 50)), hist_mean_ns(h) / 1e6,
		h->count ? (double)h->min_ns / 1e6 : 0.0, (double)h->max_ns / 1e6,
		t->responses ? (double)t->body_bytes / (double)t->responses : 0.0,
		secs > 0 ? (double)n / secs : 0.0, secs > 0 ? (double)fails / secs : 0.0);
	for (unsigned i = 0; i < NPCTS; i++)
		if (!h->count)
			fputs(",N/A", f);
		else
			fprintf(f, ",%lld", ms_int(hist_percentile_ns(h, pcts[i])));
	fputs(CRLF, f);
}

static int fill_stats(FILE *f, const void *ctx)
{
	const struct csv *c = ctx;
	double secs = (double)c->res->elapsed_ns / 1e9;
	fprintf(f,
		"Type,Name,Request Count,Failure Count,Median Response Time,Average Response "
		"Time,Min Response Time,Max Response Time,Average Content Size,Requests/s,"
		"Failures/s%s" CRLF,
		pct_cols);
	for (unsigned i = 0; i < c->n; i++)
		stats_row(f, c->lab[i].method, c->lab[i].name, c->lab[i].t, secs);
	stats_row(f, "", "Aggregated", c->agg, secs);
	return ferror(f) ? -EIO : 0;
}

/* --- PREFIX_stats_history.csv --- */

/* One entry's history so far: the run's totals and the last seconds. */
struct hacc {
	uint64_t cum[LTL_COUNTS], win[LTL_COUNTS];
	uint64_t cum_n, cum_att, cum_fail, cum_body, win_att, win_fail, win_n;
	double cum_ns; /* sum of bucket midpoints: the mean within 0.4 % */
};

static void hacc_add(struct hacc *a, const struct ltl_view *v, int sign)
{
	for (uint32_t i = 0; i < v->nb[0]; i++) {
		unsigned k = v->idx[0][i];
		if (sign > 0) {
			a->win[k] += v->count[0][i];
			a->cum[k] += v->count[0][i];
			a->cum_ns += (double)v->count[0][i] *
				     ((double)hist_log_low(k, LTL_SUB_BITS) +
				      (double)ltl_bucket_high_ns(k)) /
				     2;
		} else {
			a->win[k] -= v->count[0][i];
		}
	}
	if (sign > 0) {
		a->cum_n += v->n;
		a->cum_att += v->n + v->lost;
		a->cum_fail += v->failed;
		a->cum_body += v->body;
		a->win_n += v->n;
		a->win_att += v->n + v->lost;
		a->win_fail += v->failed;
	} else {
		a->win_n -= v->n;
		a->win_att -= v->n + v->lost;
		a->win_fail -= v->failed;
	}
}

/* Second s of slot in, and second s - WINDOW_S out of, a and agg. */
static void hacc_step(const struct ltl_run *r, unsigned slot, unsigned s, struct hacc *a,
		      struct hacc *agg)
{
	struct ltl_view v;
	if (ltl_get(r, s, slot, &v)) {
		hacc_add(a, &v, 1);
		hacc_add(agg, &v, 1);
	}
	if (s >= WINDOW_S && ltl_get(r, s - WINDOW_S, slot, &v)) {
		hacc_add(a, &v, -1);
		hacc_add(agg, &v, -1);
	}
}

static void totals(FILE *f, const struct hacc *a)
{
	unsigned lo = 0, hi = LTL_COUNTS;
	while (lo < LTL_COUNTS && !a->cum[lo])
		lo++;
	while (hi > lo && !a->cum[hi - 1])
		hi--;
	fprintf(f, ",%llu,%llu", (unsigned long long)a->cum_att, (unsigned long long)a->cum_fail);
	if (!a->cum_n) {
		fputs(",0,0.0,0,0,0", f);
		return;
	}
	fprintf(f, ",%lld,%.6f,%.6f,%.6f,%.6f", ms_int(dense_pct(a->cum, a->cum_n, 50)),
		a->cum_ns / (double)a->cum_n / 1e6, (double)hist_log_low(lo, LTL_SUB_BITS) / 1e6,
		(double)ltl_bucket_high_ns(hi - 1) / 1e6, (double)a->cum_body / (double)a->cum_n);
}

static void history_row(FILE *f, long long ts, uint64_t users, const char *type, const char *name,
			const struct hacc *a, unsigned window)
{
	fprintf(f, "%lld,%llu,", ts, (unsigned long long)users);
	field(f, type);
	fputc(',', f);
	field(f, name);
	fprintf(f, ",%.6f,%.6f", (double)a->win_att / window, (double)a->win_fail / window);
	pct_fields(f, a->win, a->win_n, a->cum_att == 0);
	totals(f, a);
	fputs(CRLF, f);
}

static int fill_history(FILE *f, const void *ctx)
{
	const struct csv *c = ctx;
	const struct result *res = c->res;
	unsigned secs = res->timeline_len > res->ltl.nsec ? res->timeline_len : res->ltl.nsec;
	struct hacc *a = calloc(c->n + 1, sizeof(*a));
	long long t0 = (long long)res->started_at + (long long)(c->d->warmup_ns / 1000000000ull);
	if (!a)
		return -ENOMEM;
	fprintf(f,
		"Timestamp,User Count,Type,Name,Requests/s,Failures/s%s,Total Request Count,Total "
		"Failure Count,Total Median Response Time,Total Average Response Time,Total Min "
		"Response Time,Total Max Response Time,Total Average Content Size" CRLF,
		pct_cols);
	for (unsigned s = 0; s < secs; s++) {
		uint64_t users = c->d->plan && s < res->timeline_len ? res->timeline[s].users
								     : c->d->connections;
		unsigned window = s + 1 < WINDOW_S ? s + 1 : WINDOW_S;
		for (unsigned i = 0; i < c->n; i++)
			hacc_step(&res->ltl, c->lab[i].slot, s, &a[i], &a[c->n]);
		for (unsigned i = 0; i < c->n; i++)
			history_row(f, t0 + s + 1, users, c->lab[i].method, c->lab[i].name, &a[i],
				    window);
		history_row(f, t0 + s + 1, users, "", "Aggregated", &a[c->n], window);
	}
	free(a);
	return ferror(f) ? -EIO : 0;
}

/* --- PREFIX_failures.csv --- */

static void failure_row(FILE *f, const char *method, const char *name, const char *error,
			uint64_t n)
{
	if (!n)
		return;
	field(f, method);
	fputc(',', f);
	field(f, name);
	fputc(',', f);
	field(f, error);
	fprintf(f, ",%llu" CRLF, (unsigned long long)n);
}

/* A scenario's label: the server's words for failed responses (kept per
 * distinct message), the transport classes for attempts without one. */
static void label_failures(FILE *f, const struct rlab *l)
{
	const struct tally *t = l->t;
	uint64_t listed = 0, fails = tally_error_total(t);
	for (unsigned i = 0; i < TALLY_MSGS && t->msgs.m[i].n; i++) {
		failure_row(f, l->method, l->name, t->msgs.m[i].text, t->msgs.m[i].n);
		listed += t->msgs.m[i].n;
	}
	failure_row(f, l->method, l->name, "other messages (past the first 8 kept)", t->msgs.other);
	listed += t->msgs.other;
	for (unsigned e = 0; e <= TALLY_ERR_LAST_TRANSPORT; e++) {
		failure_row(f, l->method, l->name, tally_err_text(e), t->errors[e]);
		listed += t->errors[e];
	}
	failure_row(f, l->method, l->name, "failed without a message",
		    fails > listed ? fails - listed : 0);
}

/* The fixed request: its error classes and its 4xx/5xx by status code. */
static void fixed_failures(FILE *f, const struct rlab *l)
{
	const struct tally *t = l->t;
	char what[32];
	for (unsigned e = 0; e < TALLY_ERR__COUNT; e++)
		if (e != TALLY_ERR_UNSOLICITED)
			failure_row(f, l->method, l->name, tally_err_text(e), t->errors[e]);
	for (unsigned st = 400; st < 600 && st < LIM_STATUS_CODES; st++) {
		snprintf(what, sizeof(what), "HTTP %u", st);
		failure_row(f, l->method, l->name, what, t->status[st]);
	}
}

static int fill_failures(FILE *f, const void *ctx)
{
	const struct csv *c = ctx;
	fputs("Method,Name,Error,Occurrences" CRLF, f);
	for (unsigned i = 0; i < c->n; i++)
		if (c->d->plan)
			label_failures(f, &c->lab[i]);
		else
			fixed_failures(f, &c->lab[i]);
	return ferror(f) ? -EIO : 0;
}

/* --- the three files --- */

static int path_of(const char *prefix, unsigned k, char *out, size_t cap, char *why, size_t wl)
{
	if ((size_t)snprintf(out, cap, "%s%s", prefix, suffix[k]) >= cap) {
		snprintf(why, wl, "--csv %s: the prefix is too long", prefix);
		return -ENAMETOOLONG;
	}
	return 0;
}

int rcsv_check(const char *prefix, char *why, size_t wl)
{
	char path[4096];
	for (unsigned k = 0; k < 3; k++) {
		int r = path_of(prefix, k, path, sizeof(path), why, wl);
		if (r == 0)
			r = out_check(path, why, wl);
		if (r < 0)
			return r;
	}
	return 0;
}

int rcsv_write(const char *prefix, const struct rdesc *d, const struct result *res, char *why,
	       size_t wl)
{
	static const out_fill_fn fills[3] = {fill_stats, fill_history, fill_failures};
	struct csv *c = calloc(1, sizeof(*c));
	char path[4096];
	int r = c ? 0 : -ENOMEM;
	if (c) {
		struct rlab all[RLAB_MAX];
		unsigned n = rlab_list(d, res, all, RLAB_MAX);
		c->d = d;
		c->res = res;
		for (unsigned i = 0; i < n; i++)
			if (all[i].parent < 0)
				c->lab[c->n++] = all[i];
		qsort(c->lab, c->n, sizeof(c->lab[0]), by_name);
		c->agg = calloc(1, sizeof(*c->agg));
		r = c->agg ? 0 : -ENOMEM;
		for (unsigned i = 0; r == 0 && i < c->n; i++)
			tally_merge(c->agg, c->lab[i].t);
	}
	for (unsigned k = 0; r == 0 && k < 3; k++) {
		r = path_of(prefix, k, path, sizeof(path), why, wl);
		if (r == 0)
			r = out_write(path, fills[k], c, why, wl);
	}
	if (r == -ENOMEM)
		snprintf(why, wl, "--csv: out of memory");
	if (c)
		free(c->agg);
	free(c);
	return r;
}
