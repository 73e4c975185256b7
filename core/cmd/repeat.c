/*
 * repeat: the same run N times in a row. Each run's requests/s, p50, p95,
 * p99 and error share are kept; the table ends with their mean and
 * coefficient of variation, a CV above 5 % flagged UNSTABLE.
 */
#include "core/cmd/repeat.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/cmd/cli.h"
#include "core/engine/run.h"
#include "protocol/jw.h"

enum { F_RPS, F_P50, F_P95, F_P99, F_ERR, F__COUNT };

static const char *const names[F__COUNT] = {"requests_per_s", "p50_ms", "p95_ms", "p99_ms",
					    "errors_pct"};

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

static void figures(const struct run_result *res, double *f)
{
	const struct tally *t = res->total;
	double secs = (double)res->elapsed_ns / 1e9;
	uint64_t failed = tally_error_total(t);
	f[F_RPS] = secs > 0 ? (double)t->responses / secs : 0;
	f[F_P50] = (double)hist_percentile_ns(&t->latency, 50) / 1e6;
	f[F_P95] = (double)hist_percentile_ns(&t->latency, 95) / 1e6;
	f[F_P99] = (double)hist_percentile_ns(&t->latency, 99) / 1e6;
	f[F_ERR] =
	    t->responses + failed ? 100.0 * (double)failed / (double)(t->responses + failed) : 0;
}

static void write_json(const struct cfg *cfg, double v[][REPEAT_MAX], unsigned n,
		       const double *mean, const double *cv)
{
	FILE *f = fopen(cfg->json_path, "w");
	struct jw j;
	if (!f) {
		fprintf(stderr, "mcpload: cannot write %s\n", cfg->json_path);
		return;
	}
	jw_init(&j, f);
	jw_obj_begin(&j, NULL);
	jw_str(&j, "tool", "mcpload");
	jw_str(&j, "mode", "repeat");
	jw_str(&j, "url", cfg->url_text);
	jw_str(&j, "scenario", cfg->scn ? cfg->scn->name : NULL);
	jw_obj_begin(&j, "repeat");
	jw_u64(&j, "runs_done", n);
	jw_f64(&j, "cv_limit_pct", REPEAT_CV_LIMIT_PCT);
	jw_arr_begin(&j, "runs");
	for (unsigned i = 0; i < n; i++) {
		jw_obj_begin(&j, NULL);
		for (int k = 0; k < F__COUNT; k++)
			jw_f64(&j, names[k], v[k][i]);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	jw_obj_begin(&j, "mean");
	for (int k = 0; k < F__COUNT; k++)
		jw_f64(&j, names[k], mean[k]);
	jw_obj_end(&j);
	jw_obj_begin(&j, "cv_pct");
	for (int k = 0; k < F__COUNT; k++)
		jw_f64(&j, names[k], cv[k]);
	jw_obj_end(&j);
	jw_arr_begin(&j, "unstable");
	for (int k = 0; k < F_ERR; k++)
		if (cv[k] > REPEAT_CV_LIMIT_PCT)
			jw_str(&j, NULL, names[k]);
	jw_arr_end(&j);
	jw_obj_end(&j);
	jw_obj_end(&j);
	fputc('\n', f);
	if (fclose(f) != 0)
		fprintf(stderr, "mcpload: cannot write %s\n", cfg->json_path);
}

int repeat_runs(const struct cfg *cfg)
{
	double v[F__COUNT][REPEAT_MAX];
	double mean[F__COUNT], cv[F__COUNT], f[F__COUNT];
	char why[256] = "";
	unsigned n = 0;
	int status = CLI_EXIT_OK;
	printf("%-5s %14s %10s %10s %10s %9s\n", "run", "requests/s", "p50 ms", "p95 ms", "p99 ms",
	       "errors %");
	for (unsigned i = 0; i < cfg->repeat; i++) {
		struct run_result res;
		if (run_execute(cfg, &res, why, sizeof(why)) < 0) {
			fprintf(stderr, "mcpload: %s\n", why);
			status = CLI_EXIT_FAIL;
			break;
		}
		figures(&res, f);
		for (int k = 0; k < F__COUNT; k++)
			v[k][n] = f[k];
		n++;
		printf("%-5u %14.1f %10.3f %10.3f %10.3f %9.2f%s\n", i + 1, f[F_RPS], f[F_P50],
		       f[F_P95], f[F_P99], f[F_ERR], res.saturated ? "  (generator behind)" : "");
		if (res.saturated && status == CLI_EXIT_OK)
			status = CLI_EXIT_INCONCLUSIVE;
		if (res.checks_failed || res.gave_up)
			status = CLI_EXIT_FAIL;
		bool stop = res.interrupted;
		run_result_free(&res);
		if (stop)
			break;
	}
	for (int k = 0; k < F__COUNT; k++)
		repeat_stats(v[k], n, &mean[k], &cv[k]);
	printf("%-5s %14.1f %10.3f %10.3f %10.3f %9.2f\n", "mean", mean[F_RPS], mean[F_P50],
	       mean[F_P95], mean[F_P99], mean[F_ERR]);
	printf("%-5s %13.1f%% %9.1f%% %9.1f%% %9.1f%%\n", "CV", cv[F_RPS], cv[F_P50], cv[F_P95],
	       cv[F_P99]);
	for (int k = 0; k < F_ERR; k++)
		if (cv[k] > REPEAT_CV_LIMIT_PCT)
			printf("UNSTABLE: %s varies by %.1f %% between runs (limit %.0f %%)\n",
			       names[k], cv[k], REPEAT_CV_LIMIT_PCT);
	if (cfg->json_path && n)
		write_json(cfg, v, n, mean, cv);
	return status;
}
