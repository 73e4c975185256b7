/*
 * compare: `mcpload compare BASELINE.json NEW.json`: the figures two runs
 * share (a `run`/`http` --json, or a suite report), side by side. A figure
 * regresses when it is worse by more than --threshold % and by more than
 * the runs' own noise (the spread of their per-second timeline, or between
 * the runs of a --repeat report), so two
 * runs of the same build do not cry wolf. Fields missing from an older
 * report are skipped, never an error.
 */
#include "core/cmd/compare.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "protocol/jsc.h"
#include "stats/report/chtml.h"
#include "stats/report/out.h"
#include "stats/report/rjunit.h"
#include "stats/report/vocab.h"
#include "stats/result.h"

#define MAX_FIG	 256
#define FILE_MAX (64u << 20)
#define NOISE_K	 3.0 /* standard errors a difference must exceed, spread known */

struct fig {
	char name[96];
	double value;
	bool lower_better;
	int noise; /* index into doc.noise: which per-second series bounds it */
	/* from a --repeat report: the figure is a mean over runs, its noise the
	 * runs' own spread (CV, as a fraction) over the square root of their count */
	double cv;
	unsigned runs;
};

enum { N_P50, N_P99, N_RATE, N__COUNT };

struct doc {
	char *text;
	size_t len;
	bool legacy; /* no schema_version: written before the one vocabulary */
	struct fig figs[MAX_FIG];
	unsigned nfigs;
	double cv[N__COUNT]; /* per-second coefficient of variation */
	unsigned seconds;    /* timeline seconds with traffic */
	double wait_pct;     /* the client's wait for a CPU, % of the run (0: not said) */
	double wait_mean_ms; /* ... and its mean per scheduling */
	/* --repeat: a run's generator missed its schedule by its own or the
	 * machine's doing (not the server's): its latency is not the server's alone */
	bool behind;
	double lag_ms; /* ... and the highest p99 send lag of its runs */
};

static bool num_at(const char *p, size_t len, const char *path, double *v)
{
	struct jsc_val x;
	char buf[40];
	if (jsc_get(p, len, path, &x) != 0 || x.type != JSC_NUMBER || x.len >= sizeof(buf))
		return false;
	memcpy(buf, x.ptr, x.len);
	buf[x.len] = 0;
	*v = strtod(buf, NULL);
	return true;
}

static void add(struct doc *d, const char *scope, const char *what, double v, bool lower, int noise)
{
	if (d->nfigs == MAX_FIG)
		return;
	struct fig *f = &d->figs[d->nfigs++];
	snprintf(f->name, sizeof(f->name), "%s %s", scope, what);
	f->value = v;
	f->lower_better = lower;
	f->noise = noise;
}

/* p50/p95/p99 under `lat` (scaled to ms), requests/s and failed requests. */
static void figures(struct doc *d, const char *scope, const char *obj, size_t len, const char *lat,
		    double to_ms, const char *rate, const char *errors)
{
	static const char *const q[] = {"p50", "p95", "p99"};
	char path[64];
	double v;
	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s.%s", lat, q[i]);
		if (num_at(obj, len, path, &v)) {
			char what[24];
			snprintf(what, sizeof(what), "%s ms", q[i]);
			add(d, scope, what, v * to_ms, true, i == 0 ? N_P50 : N_P99);
		}
	}
	if (rate && num_at(obj, len, rate, &v))
		add(d, scope, "requests/s", v, false, N_RATE);
	if (num_at(obj, len, errors, &v))
		add(d, scope, "failed requests", v, true, -1);
}

/* Per-second spread of the timeline(s): the noise of whole-run figures. */
static void noise(struct doc *d, const struct jsc_val *tl, bool ms)
{
	double sum[N__COUNT] = {0}, sq[N__COUNT] = {0};
	struct jsc_val sec;
	size_t pos = 0;
	unsigned n = 0, total = 0, idx = 0;
	while (jsc_next(tl, &pos, NULL, &sec) == 0)
		total++;
	pos = 0;
	while (jsc_next(tl, &pos, NULL, &sec) == 0) {
		double v[N__COUNT];
		/* the first and last seconds are partial: their counts are not noise */
		if (total >= 4 && (idx == 0 || idx == total - 1)) {
			idx++;
			continue;
		}
		idx++;
		if (!num_at(sec.ptr, sec.len, ms ? "p50_ms" : "p50_us", &v[N_P50]) ||
		    !num_at(sec.ptr, sec.len, ms ? "p99_ms" : "p99_us", &v[N_P99]) ||
		    !(num_at(sec.ptr, sec.len, "requests", &v[N_RATE]) ||
		      num_at(sec.ptr, sec.len, "responses", &v[N_RATE])) ||
		    v[N_RATE] <= 0)
			continue;
		for (int k = 0; k < N__COUNT; k++) {
			sum[k] += v[k];
			sq[k] += v[k] * v[k];
		}
		n++;
	}
	for (int k = 0; k < N__COUNT && n > 1; k++) {
		double mean = sum[k] / n, var = (sq[k] - n * mean * mean) / (n - 1);
		double cv = mean > 0 && var > 0 ? sqrt(var) / mean : 0;
		if (cv > d->cv[k])
			d->cv[k] = cv;
	}
	if (n > d->seconds)
		d->seconds = n;
}

static void read_suite(struct doc *d, const struct jsc_val *nfrs)
{
	struct jsc_val nfr, v, lab, tl, ph;
	size_t pos = 0;
	double x;
	while (jsc_next(nfrs, &pos, NULL, &nfr) == 0) {
		char id[32] = "NFR";
		if (jsc_get(nfr.ptr, nfr.len, "id", &v) == 0 && v.type == JSC_STRING)
			snprintf(id, sizeof(id), "%.*s", (int)v.len, v.ptr);
		figures(d, id, nfr.ptr, nfr.len, "latency_ms", 1,
			d->legacy ? "throughput_rps" : "requests_per_s", "errors.total");
		/* NFR-03: counts, exact: no noise to allow for */
		if (num_at(nfr.ptr, nfr.len, "tokens.mcp_tokens", &x))
			add(d, id, "MCP tokens", x, true, -1);
		if (num_at(nfr.ptr, nfr.len, "tokens.reduction_pct", &x))
			add(d, id, "token reduction %", x, false, -1);
		size_t lp = 0;
		if (jsc_get(nfr.ptr, nfr.len, "labels", &v) == 0 && v.type == JSC_ARRAY)
			while (jsc_next(&v, &lp, NULL, &lab) == 0) {
				struct jsc_val name;
				char scope[96];
				if (jsc_get(lab.ptr, lab.len, d->legacy ? "name" : "label",
					    &name) != 0)
					continue;
				snprintf(scope, sizeof(scope), "%s %.*s", id, (int)name.len,
					 name.ptr);
				figures(d, scope, lab.ptr, lab.len, "latency_ms", 1,
					d->legacy ? NULL : "requests_per_s",
					d->legacy ? "errors" : "errors.total");
			}
		size_t pp = 0;
		if (jsc_get(nfr.ptr, nfr.len, "phases", &v) == 0 && v.type == JSC_ARRAY)
			while (jsc_next(&v, &pp, NULL, &ph) == 0)
				if (jsc_get(ph.ptr, ph.len, "timeline", &tl) == 0 &&
				    tl.type == JSC_ARRAY)
					noise(d, &tl, true);
	}
}

/* A --repeat report: each figure is the mean over the runs. */
static bool read_repeat(struct doc *d)
{
	static const struct {
		const char *key, *legacy, *what;
		bool lower;
		int noise;
	} f[] = {{"latency_ms.p50", "p50_ms", "p50 ms", true, N_P50},
		 {"latency_ms.p95", "p95_ms", "p95 ms", true, N_P99},
		 {"latency_ms.p99", "p99_ms", "p99 ms", true, N_P99},
		 {"requests_per_s", "requests_per_s", "requests/s", false, N_RATE},
		 {"errors_pct", "errors_pct", "failed requests %", true, -1}};
	char path[64];
	double runs, mean, cv;
	if (!num_at(d->text, d->len, "repeat.runs_done", &runs) || runs < 1)
		return false;
	for (size_t i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		const char *key = d->legacy ? f[i].legacy : f[i].key;
		snprintf(path, sizeof(path), "repeat.mean.%s", key);
		if (!num_at(d->text, d->len, path, &mean))
			continue;
		snprintf(path, sizeof(path), "repeat.cv_pct.%s", key);
		if (!num_at(d->text, d->len, path, &cv))
			cv = 0;
		add(d, "all", f[i].what, mean, f[i].lower, f[i].noise);
		d->figs[d->nfigs - 1].cv = cv / 100;
		d->figs[d->nfigs - 1].runs = (unsigned)runs;
	}
	return true;
}

static void read_run(struct doc *d)
{
	struct jsc_val labels, lab, name, tl;
	size_t pos = 0;
	const char *lat = d->legacy ? "latency_us" : "latency_ms";
	double to_ms = d->legacy ? 1e-3 : 1;
	figures(d, "all", d->text, d->len, lat, to_ms, "requests_per_s", "errors.total");
	/* a plain run's one label is the run itself: its figures are "all" */
	if (jsc_get(d->text, d->len, "scenario", &name) == 0 &&
	    jsc_get(d->text, d->len, "labels", &labels) == 0 && labels.type == JSC_ARRAY)
		while (jsc_next(&labels, &pos, NULL, &lab) == 0) {
			char scope[96];
			if (jsc_get(lab.ptr, lab.len, "label", &name) != 0)
				continue;
			snprintf(scope, sizeof(scope), "%.*s", (int)name.len, name.ptr);
			figures(d, scope, lab.ptr, lab.len, lat, to_ms, "requests_per_s",
				"errors.total");
		}
	if (jsc_get(d->text, d->len, "timeline", &tl) == 0 && tl.type == JSC_ARRAY)
		noise(d, &tl, !d->legacy);
}

/* One run's generator behind by its own or the machine's doing (not a
 * server backlog), and its p99 send lag. */
static void behind_single(struct doc *d)
{
	struct jsc_val sat, cause;
	if (jsc_get(d->text, d->len, "generator.saturated", &sat) != 0 || sat.type != JSC_TRUE)
		return;
	d->behind =
	    jsc_get(d->text, d->len, "generator.cause", &cause) != 0 || !jsc_is(&cause, "backlog");
	(void)num_at(d->text, d->len, "send_lag_ms.p99", &d->lag_ms);
}

/* Read path into *d and take its figures. Returns 0, or -errno (-EINVAL: not
 * an mcpload document this version reads) with a one-line reason in why. */
static int load(const char *path, struct doc *d, char *why, size_t wl)
{
	FILE *f = fopen(path, "rb");
	struct jsc_val nfrs;
	double version = 0;
	int err = 0;
	memset(d, 0, sizeof(*d));
	if (!f) {
		err = -errno;
		snprintf(why, wl, "%s: cannot open: %s", path, strerror(errno));
		return err;
	}
	d->text = malloc(FILE_MAX);
	d->len = d->text ? fread(d->text, 1, FILE_MAX, f) : 0;
	bool whole = d->text && feof(f) && !ferror(f);
	fclose(f);
	if (!whole) {
		snprintf(why, wl, "%s: unreadable or larger than 64 MiB", path);
		return d->text ? -EFBIG : -ENOMEM;
	}
	if (jsc_get(d->text, d->len, "", &nfrs) != 0 || nfrs.type != JSC_OBJECT) {
		snprintf(why, wl, "%s: not a JSON object", path);
		return -EINVAL;
	}
	d->legacy = !num_at(d->text, d->len, "schema_version", &version);
	if (!d->legacy && version != VOCAB_SCHEMA_VERSION) {
		snprintf(why, wl, "%s: schema_version %g, which this mcpload does not read", path,
			 version);
		return -EINVAL;
	}
	if (!num_at(d->text, d->len, "client.cpu_wait_pct", &d->wait_pct))
		(void)num_at(d->text, d->len, "repeat.client_cpu_wait_pct", &d->wait_pct);
	if (!num_at(d->text, d->len, "client.cpu_wait_mean_ms", &d->wait_mean_ms))
		(void)num_at(d->text, d->len, "repeat.client_cpu_wait_mean_ms", &d->wait_mean_ms);
	double behind = 0;
	d->behind = num_at(d->text, d->len, "repeat.runs_generator_behind", &behind) && behind > 0;
	(void)num_at(d->text, d->len, "repeat.send_lag_p99_ms_max", &d->lag_ms);
	behind_single(d);
	if (jsc_get(d->text, d->len, "nfrs", &nfrs) == 0 && nfrs.type == JSC_ARRAY)
		read_suite(d, &nfrs);
	else if (!read_repeat(d))
		read_run(d);
	if (!d->nfigs) {
		snprintf(why, wl, "%s: no mcpload figures in it", path);
		err = -EINVAL;
	}
	return err;
}

static const struct fig *find(const struct doc *d, const char *name)
{
	for (unsigned i = 0; i < d->nfigs; i++)
		if (!strcmp(d->figs[i].name, name))
			return &d->figs[i];
	return NULL;
}

/*
 * The smallest relative change (%) the two runs' noise can explain. A
 * median or a rate averages over the seconds: its standard error is the
 * per-second spread over the square root of the seconds. A tail percentile
 * is made by the worst few seconds, so the per-second spread itself is its
 * uncertainty (a single stall moves a whole run's p99).
 */
static double side_var(const struct doc *d, const struct fig *f)
{
	if (f->runs) /* the mean of repeated runs: their spread over sqrt(runs) */
		return f->runs > 1 ? f->cv * f->cv / f->runs : 0;
	double n = f->noise == N_P99 ? 1 : d->seconds;
	return d->seconds ? d->cv[f->noise] * d->cv[f->noise] / n : 0;
}

/*
 * The multiplier for a spread estimated from `df` degrees of freedom: the
 * Student t quantile at the same one-sided 0.135 % as 3 standard errors of
 * a known spread. Three runs, or a 4-s run's three whole seconds, estimate
 * a spread poorly; using 3 for them flagged clean runs (calm seconds or
 * runs make a small CV by chance).
 */
static double t_quantile(double df)
{
	static const double q[] = {235.78, 19.21, 9.22, 6.62, 5.51, 4.90, 4.53, 4.28, 4.09, 3.96};
	if (df < 1)
		return q[0];
	if (df <= 10)
		return q[(int)df - 1]; /* rounded down: the wider band */
	return df <= 15 ? 3.59 : df <= 20 ? 3.42 : df <= 30 ? 3.27 : df <= 60 ? 3.13 : NOISE_K;
}

/* How many degrees of freedom a side's spread was estimated with: its
 * runs, or its timeline seconds, less one. */
static double side_dof(const struct doc *d, const struct fig *f)
{
	return f->runs ? (double)f->runs - 1 : d->seconds ? (double)d->seconds - 1 : 0;
}

/* Degrees of freedom of the difference (Welch-Satterthwaite). */
static double welch_df(double va, double da, double vb, double db)
{
	double num = 0, den = 0;
	if (da > 0) {
		num += va;
		den += va * va / da;
	}
	if (db > 0) {
		num += vb;
		den += vb * vb / db;
	}
	if (!(den > 0)) /* no spread measured: the side with fewer decides */
		return da > 0 && (db <= 0 || da < db) ? da : db;
	return num * num / den;
}

static double noise_pct(const struct doc *a, const struct fig *x, const struct doc *b,
			const struct fig *y)
{
	if (x->noise < 0)
		return 0;
	double va = side_var(a, x), vb = side_var(b, y);
	double df = welch_df(va, side_dof(a, x), vb, side_dof(b, y));
	return 100 * t_quantile(df) * sqrt(va + vb);
}

/* Is a figure a latency (a client held back from its CPU inflates it)? */
static bool is_latency(const struct fig *f)
{
	size_t n = strlen(f->name);
	return n > 3 && !strcmp(f->name + n - 3, " ms");
}

/* Returns 0, 1 (a regression) or 3 (only latency regressions, and a
 * client that waited for its CPU: in doubt). */
/* What compare was asked: the threshold and the files to write. */
struct cmp_opts {
	double thr;
	const char *html, *junit;
};

/* A figure as a verdict row (the HTML's and the JUnit file's). */
static void row(struct rjunit *u, const struct fig *x, const struct fig *y, const char *v,
		double change, double nz, double thr)
{
	enum verdict vd = !strcmp(v, "REGRESSION") ? VERDICT_FAIL
			  : !strcmp(v, "in doubt") ? VERDICT_INCONCLUSIVE
						   : VERDICT_PASS;
	rjunit_add(u, "figures", x->name, vd, 0,
		   "%s: baseline %.3f, new %.3f (%+.1f %%, noise %.1f %%)", v, x->value, y->value,
		   change, nz);
	if (u->n && vd == VERDICT_PASS) {
		double worse = x->lower_better ? change : -change;
		u->cases[u->n - 1].use = worse > 0 ? worse / thr : 0;
	}
}

static int compare(const struct doc *a, const struct doc *b, double thr, struct rjunit *u)
{
	unsigned regressions = 0, shared = 0, doubts = 0;
	double wait = a->wait_pct > b->wait_pct ? a->wait_pct : b->wait_pct;
	/* what a client's own waits can add to a latency figure: ten of its
	 * mean waits (a response can wait several times on its way) */
	double room = 10 * (a->wait_mean_ms > b->wait_mean_ms ? a->wait_mean_ms : b->wait_mean_ms);
	/* what a late generator adds to corrected latency: its sends' lag,
	 * twice the worst p99 of a run (a response can wait on both ends) */
	double lag_room = 2 * (a->lag_ms > b->lag_ms ? a->lag_ms : b->lag_ms);
	printf("%-44s %12s %12s %9s %8s  %s\n", "figure", "baseline", "new", "change", "noise",
	       "verdict");
	for (unsigned i = 0; i < a->nfigs; i++) {
		const struct fig *x = &a->figs[i], *y = find(b, x->name);
		if (!y)
			continue;
		shared++;
		double worse = x->lower_better ? y->value - x->value : x->value - y->value;
		double pct =
		    x->value != 0 ? 100 * worse / fabs(x->value) : (worse > 0 ? INFINITY : 0);
		double nz = noise_pct(a, x, b, y);
		bool reg = x->noise < 0 ? worse > 0 && (x->value == 0 || pct > thr)
					: pct > thr && pct > nz;
		/* a latency regression the client can explain: it waited for its
		 * CPU about as long as the change, or its generator missed its
		 * schedule in one of the runs */
		bool doubt =
		    reg && is_latency(x) &&
		    ((wait > RESULT_CLIENT_WAIT_PCT && fabs(y->value - x->value) <= room) ||
		     ((a->behind || b->behind) && fabs(y->value - x->value) <= lag_room));
		const char *v = doubt			  ? "in doubt"
				: reg			  ? "REGRESSION"
				: pct < -thr && -pct > nz ? "better"
							  : "same";
		regressions += reg && !doubt;
		doubts += doubt;
		double change = x->value ? 100 * (y->value - x->value) / fabs(x->value) : 0;
		printf("%-44.44s %12.3f %12.3f %+8.1f%% %7.1f%%  %s\n", x->name, x->value, y->value,
		       change, nz, v);
		row(u, x, y, v, change, nz, thr);
	}
	printf("%u figures compared, %u regressions (threshold %.1f %%, noise from ", shared,
	       regressions, thr);
	for (int i = 0; i < 2; i++) {
		const struct doc *d = i ? b : a;
		if (d->nfigs && d->figs[0].runs)
			printf("%u repeated runs", d->figs[0].runs);
		else
			printf("%u timeline seconds", d->seconds);
		printf("%s", i ? ")\n" : " and ");
	}
	if (doubts && (a->behind || b->behind))
		printf("%u latency figures in doubt: the load generator missed its schedule in "
		       "the %s, and the change is within twice its worst p99 send lag (%.3f ms)\n",
		       doubts,
		       a->behind && b->behind ? "baseline and the new run"
		       : a->behind	      ? "baseline"
					      : "new run",
		       lag_room / 2);
	else if (doubts)
		printf("%u latency figures in doubt: a client waited up to %.0f%% of its run for a "
		       "CPU (other work on the machine; %.2f ms a time), and the change is within "
		       "what that can add\n",
		       doubts, wait, room / 10);
	return regressions ? 1 : doubts ? 3 : 0;
}

static int compare_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct cmp_opts *o = ctx;
	if (id == OPT_THRESHOLD && units_number(arg, 1e-9, 1000, &o->thr) == 0)
		return 0;
	if (id == OPT_HTML || id == OPT_JUNIT) {
		*(id == OPT_HTML ? &o->html : &o->junit) = arg;
		return out_check(arg, why, wl) < 0 ? -EINVAL : 0;
	}
	snprintf(why, wl, "--threshold: bad value '%s'", arg);
	return -EINVAL;
}

/* The whole run's p50/p95/p99 of d ("all" figures), NaN where missing. */
static void overall(const struct doc *d, double *ms)
{
	static const char *const names[CHTML_PCTS] = {"all p50 ms", "all p95 ms", "all p99 ms"};
	for (unsigned i = 0; i < CHTML_PCTS; i++) {
		const struct fig *f = find(d, names[i]);
		ms[i] = f ? f->value : NAN;
	}
}

/* --html and --junit. Returns 0 or -1 (said on stderr). */
static int write_files(const struct cmp_opts *o, const struct doc *a, const char *const *files,
		       struct rjunit *u, int argc, char **argv)
{
	char why[512];
	char *cmdline = cmd_line(argc, argv);
	struct chtml c = {cmdline, files[0], files[1], o->thr, u, {50, 95, 99}, {0}, {0}};
	int r = 0;
	overall(&a[0], c.base_ms);
	overall(&a[1], c.new_ms);
	u->name = cmdline;
	u->started_at = time(NULL);
	if (o->html && chtml_write(o->html, &c, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = -1;
	}
	if (o->junit && rjunit_write(o->junit, u, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = -1;
	}
	free(cmdline);
	return r;
}

int compare_main(int argc, char **argv)
{
	struct doc *a = calloc(2, sizeof(*a)); /* ~60 KB of figure tables each */
	const char *files[2];
	unsigned nf;
	struct cmp_opts o = {10, NULL, NULL};
	struct rjunit *u = calloc(1, sizeof(*u));
	char why[512];
	int r = cmd_parse(CMD_COMPARE, argc, argv, compare_set, &o, files, 2, &nf);
	if (r != CMD_GO || !a || !u) {
		free(a);
		free(u);
		return r != CMD_GO ? r : CMD_EXIT_FAIL;
	}
	if (nf != 2) {
		free(a);
		free(u);
		return cmd_usage_error(CMD_COMPARE, "compare needs BASELINE.json and NEW.json");
	}
	if (load(files[0], &a[0], why, sizeof(why)) < 0 ||
	    load(files[1], &a[1], why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = CMD_EXIT_USAGE;
	} else {
		r = compare(&a[0], &a[1], o.thr, u);
		r = r == 1 ? CMD_EXIT_FAIL : r == 3 ? CMD_EXIT_INCONCLUSIVE : CMD_EXIT_OK;
		if (write_files(&o, a, files, u, argc, argv) < 0)
			r = CMD_EXIT_FAIL;
	}
	free(u);
	free(a[0].text);
	free(a[1].text);
	free(a);
	return r;
}
