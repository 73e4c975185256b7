/*
 * repeat: the same run N times in a row. Each run's requests/s, p50, p95,
 * p99 and error share are kept; the table ends with their mean and
 * coefficient of variation, a CV above 5 % flagged UNSTABLE.
 */
#include "core/cmd/repeat.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/cmd/live.h"
#include "core/cmd/prep.h"
#include "stats/report/out.h"
#include "stats/report/vocab.h"

enum { F_RPS, F_P50, F_P95, F_P99, F_ERR, F__COUNT };

/* Where each figure sits in the document: requests_per_s, errors_pct, or
 * under latency_ms. */
static const char *const keys[F__COUNT] = {"requests_per_s", "p50", "p95", "p99", "errors_pct"};
static const char *const names[F__COUNT] = {"requests_per_s", "p50_ms", "p95_ms", "p99_ms",
					    "errors_pct"};

struct table {
	const struct phase *ph;
	time_t started_at;
	double v[F__COUNT][REPEAT_MAX];
	struct hist_sum lat[REPEAT_MAX];
	unsigned n;
	double mean[F__COUNT], cv[F__COUNT];
	double wait_pct;     /* the most any run's client waited for a CPU, % */
	double wait_mean_ms; /* ... and its longest mean wait per scheduling */
	unsigned behind;     /* runs whose generator missed its schedule by its own (or the
				machine's) doing, not because the server kept every connection */
	double lag_p99_ms;   /* the highest p99 send lag of a run: what lateness adds */
};

void repeat_stats(const double *v, size_t n, double *mean, double *cv_pct)
{
	double sum = 0, sq = 0;
	for (size_t i = 0; i < n; i++)
		sum += v[i];
	*mean = n ? sum / (double)n : 0;
	for (size_t i = 0; i < n; i++)
		sq += (v[i] - *mean) * (v[i] - *mean);
	*cv_pct = n > 1 && *mean != 0 ? 100 * sqrt(sq / (double)(n - 1)) / fabs(*mean) : 0;
}

static void figures(struct table *t, const struct result *res)
{
	const struct tally *ta = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	unsigned i = t->n++;
	hist_summarize(&ta->latency, &t->lat[i]);
	t->v[F_RPS][i] = secs > 0 ? (double)ta->responses / secs : 0;
	t->v[F_P50][i] = (double)hist_sum_at(&t->lat[i], 50) / 1e6;
	t->v[F_P95][i] = (double)hist_sum_at(&t->lat[i], 95) / 1e6;
	t->v[F_P99][i] = (double)hist_sum_at(&t->lat[i], 99) / 1e6;
	t->v[F_ERR][i] = tally_error_pct(ta);
	if (res->busiest_wait_pct > t->wait_pct)
		t->wait_pct = res->busiest_wait_pct;
	if ((double)res->wait_mean_ns / 1e6 > t->wait_mean_ms)
		t->wait_mean_ms = (double)res->wait_mean_ns / 1e6;
	double lag = (double)hist_percentile_ns(&ta->send_lag, 99) / 1e6;
	if (lag > t->lag_p99_ms)
		t->lag_p99_ms = lag;
}

/* mean or cv_pct: the figures in the shape of a run's. */
static void json_figures(struct jw *j, const char *key, const double *f)
{
	jw_obj_begin(j, key);
	jw_f64(j, keys[F_RPS], f[F_RPS]);
	jw_f64(j, keys[F_ERR], f[F_ERR]);
	jw_obj_begin(j, "latency_ms");
	for (int k = F_P50; k <= F_P99; k++)
		jw_fixed(j, keys[k], f[k], 6);
	jw_obj_end(j);
	jw_obj_end(j);
}

static int fill(FILE *f, const void *ctx)
{
	const struct table *t = ctx;
	const struct rdesc *d = &t->ph->desc;
	struct jw j;
	jw_init(&j, f);
	vocab_doc_begin(&j, "repeat", d->cmdline, t->started_at);
	jw_str(&j, "url", d->url);
	jw_str(&j, "scenario", d->plan ? d->plan->scn->name : NULL);
	jw_obj_begin(&j, "repeat");
	jw_u64(&j, "runs_done", t->n);
	jw_f64(&j, "cv_limit_pct", REPEAT_CV_LIMIT_PCT);
	jw_f64(&j, "client_cpu_wait_pct", t->wait_pct);
	jw_fixed(&j, "client_cpu_wait_mean_ms", t->wait_mean_ms, 6);
	jw_u64(&j, "runs_generator_behind", t->behind);
	jw_fixed(&j, "send_lag_p99_ms_max", t->lag_p99_ms, 6);
	jw_arr_begin(&j, "runs");
	for (unsigned i = 0; i < t->n; i++) {
		jw_obj_begin(&j, NULL);
		jw_f64(&j, keys[F_RPS], t->v[F_RPS][i]);
		jw_f64(&j, keys[F_ERR], t->v[F_ERR][i]);
		vocab_latency(&j, "latency_ms", &t->lat[i]);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	json_figures(&j, "mean", t->mean);
	json_figures(&j, "cv_pct", t->cv);
	jw_arr_begin(&j, "unstable");
	for (int k = 0; k < F_ERR; k++)
		if (t->cv[k] > REPEAT_CV_LIMIT_PCT)
			jw_str(&j, NULL, names[k]);
	jw_arr_end(&j);
	jw_obj_end(&j);
	jw_obj_end(&j);
	fputc('\n', f);
	return 0;
}

/* One run of the series; returns the status it adds. */
static int one(const struct lopt *o, struct phase *ph, struct table *t, bool *stop)
{
	char why[256] = "";
	struct result res;
	struct live l = {.progress = live_mode(o->quiet, o->progress),
			 .plan = ph->plan,
			 .open_loop = ph->cfg.rate > 0,
			 .mem = o->mem,
			 .warmup_ns = ph->cfg.warmup_ns,
			 .duration_ns = ph->cfg.duration_ns};
	l.seconds =
	    ph->cfg.duration_ns ? (ph->cfg.warmup_ns + ph->cfg.duration_ns) / 1000000000ull + 1 : 0;
	struct run_watch w = live_watch(&l);
	if (run_execute(&ph->cfg, &w, &res, why, sizeof(why)) < 0) {
		memtrend_free(&l.trend);
		fprintf(stderr, "mcpload: %s\n", why);
		*stop = true;
		return CMD_EXIT_FAIL;
	}
	res.mem = l.trend;
	figures(t, &res);
	unsigned i = t->n - 1;
	printf("%-5u %14.1f %10.3f %10.3f %10.3f %9.2f%s\n", i + 1, t->v[F_RPS][i], t->v[F_P50][i],
	       t->v[F_P95][i], t->v[F_P99][i], t->v[F_ERR][i],
	       res.saturated ? "  (generator behind)" : "");
	t->behind += res.saturated && res.gen != RESULT_GEN_BACKLOG;
	int status = res.saturated ? CMD_EXIT_INCONCLUSIVE : CMD_EXIT_OK;
	if (res.checks_failed || res.gave_up)
		status = CMD_EXIT_FAIL;
	*stop = res.interrupted;
	result_free(&res);
	return status;
}

int repeat_runs(const struct lopt *o, struct phase *ph)
{
	struct table *t = calloc(1, sizeof(*t)); /* 12 KB of figures: not on the stack */
	char why[512];
	int status = CMD_EXIT_OK;
	bool stop = false;
	if (!t) {
		fprintf(stderr, "mcpload: out of memory\n");
		return CMD_EXIT_FAIL;
	}
	t->ph = ph;
	t->started_at = time(NULL);
	printf("%-5s %14s %10s %10s %10s %9s\n", "run", "requests/s", "p50 ms", "p95 ms", "p99 ms",
	       "errors %");
	for (unsigned i = 0; i < o->repeat && !stop; i++) {
		int s = one(o, ph, t, &stop);
		if (s == CMD_EXIT_FAIL || (s == CMD_EXIT_INCONCLUSIVE && status == CMD_EXIT_OK))
			status = s;
	}
	for (int k = 0; k < F__COUNT; k++)
		repeat_stats(t->v[k], t->n, &t->mean[k], &t->cv[k]);
	printf("%-5s %14.1f %10.3f %10.3f %10.3f %9.2f\n", "mean", t->mean[F_RPS], t->mean[F_P50],
	       t->mean[F_P95], t->mean[F_P99], t->mean[F_ERR]);
	printf("%-5s %13.1f%% %9.1f%% %9.1f%% %9.1f%%\n", "CV", t->cv[F_RPS], t->cv[F_P50],
	       t->cv[F_P95], t->cv[F_P99]);
	for (int k = 0; k < F_ERR; k++)
		if (t->cv[k] > REPEAT_CV_LIMIT_PCT)
			printf("UNSTABLE: %s varies by %.1f %% between runs (limit %.0f %%)\n",
			       names[k], t->cv[k], REPEAT_CV_LIMIT_PCT);
	if (o->json && t->n && out_write(o->json, fill, t, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		status = CMD_EXIT_FAIL;
	}
	free(t);
	return status;
}
