/*
 * merge: shards' JSON reports read with the JSON scanner, each checked to
 * be a shard of the same run (digest, version, shard count, no index
 * twice); their tallies rebuilt from the counts and the HdrHistogram
 * distributions and added with tally_merge, so a percentile of the merge
 * is the percentile of every response of every shard, never an average.
 */
#include "core/cmd/merge.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "core/cmd/cmd.h"
#include "stats/mshard.h"
#include "protocol/jsc.h"
#include "protocol/jw.h"
#include "stats/hdr.h"
#include "stats/mseries.h"
#include "stats/report/out.h"
#include "stats/report/rcsv.h"
#include "stats/report/rhdr.h"
#include "stats/report/rhtml.h"
#include "stats/report/rjunit.h"
#include "stats/report/vocab.h"

#define MERGE_MAX_SHARDS 4096

static void json_shards(struct jw *j, const struct mshard_set *m)
{
	jw_obj_begin(j, "shards");
	jw_u64(j, "expected", m->expected);
	jw_u64(j, "merged", m->ran);
	jw_bool(j, "complete", m->ran == m->expected);
	jw_arr_begin(j, "missing");
	for (unsigned i = 0; i < m->expected; i++)
		if (!m->seen[i])
			jw_u64(j, NULL, i);
	jw_arr_end(j);
	jw_arr_begin(j, "not_run");
	for (unsigned i = 0; i < m->n; i++)
		if (!m->docs[i].ran) {
			jw_obj_begin(j, NULL);
			jw_u64(j, "index", m->docs[i].index);
			jw_str(j, "status", m->docs[i].status);
			jw_str(j, "reason", m->docs[i].reason);
			jw_obj_end(j);
		}
	jw_arr_end(j);
	jw_fixed(j, "start_skew_ms", m->skew_ms, 3);
	jw_fixed(j, "start_late_ms_max", m->late_max_ms, 3);
	jw_arr_begin(j, "files");
	for (unsigned i = 0; i < m->n; i++) {
		jw_obj_begin(j, NULL);
		jw_u64(j, "index", m->docs[i].index);
		jw_str(j, "path", m->docs[i].path);
		jw_str(j, "status", m->docs[i].status);
		jw_u64(j, "requests", m->docs[i].requests);
		jw_fixed(j, "start_late_ms", m->docs[i].late_ms, 3);
		jw_fixed(j, "measured_start_unix_s", m->docs[i].measured_s, 6);
		jw_obj_end(j);
	}
	jw_arr_end(j);
	jw_obj_end(j);
}

struct doc {
	const struct mshard_set *m;
	const struct rdesc *d;
	const struct result *res;
};

/* Each merged second: the shards' counts added, the percentiles of the
 * second's histograms added, and how many shards had that second. */
static void json_timeline(struct jw *j, const struct doc *x)
{
	const struct mshard_set *m = x->m;
	jw_arr_begin(j, "timeline");
	for (unsigned s = 0; s < x->res->timeline_len; s++) {
		jw_obj_begin(j, NULL);
		vocab_second(j, s, &x->res->timeline[s], m->open_loop, false);
		jw_fixed(j, "unix_s", m->t0 + s, 3);
		jw_u64(j, "shards", s < m->tl_len ? m->tl_shards[s] : 0);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

static void json_generator(struct jw *j, const struct result *res)
{
	jw_obj_begin(j, "generator");
	vocab_arrivals(j, res->total);
	jw_f64(j, "busiest_thread_busy_pct", res->busiest_busy_pct);
	jw_bool(j, "saturated", res->saturated);
	jw_str(j, "reason", res->saturated ? res->saturation : NULL);
	jw_obj_end(j);
}

static int fill(FILE *f, const void *ctx)
{
	const struct doc *x = ctx;
	const struct mshard_set *m = x->m;
	const struct tally *t = m->total;
	double secs = m->t_end - m->t0;
	struct jw j;
	jw_init(&j, f);
	vocab_doc_begin(&j, "merged", x->d->cmdline, time(NULL));
	jw_str(&j, "url", m->url);
	jw_str(&j, "run_command_line", m->run_cmd);
	jw_str(&j, "run_digest", m->digest);
	json_shards(&j, m);
	jw_f64(&j, "duration_s", secs);
	jw_u64(&j, "threads", x->res->threads);
	jw_u64(&j, "requests", t->responses);
	jw_u64(&j, "succeeded", t->ok);
	jw_f64(&j, "requests_per_s", secs > 0 ? (double)t->responses / secs : 0);
	jw_u64(&j, "bytes_in", t->bytes_in);
	jw_u64(&j, "bytes_out", t->bytes_out);
	vocab_latency_of(&j, "latency_ms", &t->latency);
	vocab_distribution(&j, "latency_distribution", &t->latency);
	if (m->open_loop) {
		vocab_latency_of(&j, "latency_uncorrected_ms", &t->service);
		vocab_distribution(&j, "latency_uncorrected_distribution", &t->service);
		vocab_latency_of(&j, "send_lag_ms", &t->send_lag);
		json_generator(&j, x->res);
	}
	vocab_errors(&j, t);
	vocab_status(&j, t);
	jw_arr_begin(&j, "labels");
	for (unsigned i = 0; i < m->nlabels; i++) {
		jw_obj_begin(&j, NULL);
		vocab_label(&j, m->names[i], &m->slots[i], secs, m->open_loop);
		jw_str(&j, "type", m->types[i]);
		vocab_label_seconds(&j, "timeline", &x->res->ltl, i, false);
		jw_obj_end(&j);
	}
	jw_arr_end(&j);
	json_timeline(&j, x);
	vocab_thresholds(&j, m->th, m->nth);
	jw_str(&j, "verdict", m->verdict);
	jw_obj_end(&j);
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}

static void print(const struct mshard_set *m, const char *out)
{
	double secs = m->t_end - m->t0;
	printf("  merged %u of %u shards: %llu requests in %.3f s (%.1f/s), start skew %.3f ms\n",
	       m->ran, m->expected, (unsigned long long)m->total->responses, secs,
	       secs > 0 ? (double)m->total->responses / secs : 0, m->skew_ms);
	printf("  latency p50 %.3f ms, p99 %.3f ms, p99.9 %.3f ms; errors %llu (%.2f %%)\n",
	       (double)hist_percentile_ns(&m->total->latency, 50) / 1e6,
	       (double)hist_percentile_ns(&m->total->latency, 99) / 1e6,
	       (double)hist_percentile_ns(&m->total->latency, 99.9) / 1e6,
	       (unsigned long long)tally_error_total(m->total), tally_error_pct(m->total));
	for (unsigned i = 0; i < m->nth; i++)
		printf("  threshold %-30s %s\n", m->th[i].text, m->th[i].passed ? "PASS" : "FAIL");
	if (m->ran != m->expected)
		printf("  INCOMPLETE: %s\n", m->incomplete);
	printf("  verdict: %s\n  report: %s\n", m->verdict, out);
}

struct merge_opts {
	const char *junit, *hdr_log, *html, *csv;
};

static int merge_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct merge_opts *o = ctx;
	if (id == OPT_JUNIT)
		o->junit = arg;
	else if (id == OPT_HDR_LOG)
		o->hdr_log = arg;
	else if (id == OPT_HTML)
		o->html = arg;
	else if (id == OPT_CSV)
		return o->csv = arg, rcsv_check(arg, why, wl) < 0 ? -EINVAL : 0;
	else
		return snprintf(why, wl, "merge takes no such option"), -EINVAL;
	return out_check(arg, why, wl) < 0 ? -EINVAL : 0;
}

/* The merged run as the run's writers see it. */
struct merged {
	struct result res;
	struct rmerge rm;
	struct rdesc d;
	const char *labels[MSHARD_MAX_LABELS], *types[MSHARD_MAX_LABELS];
};

static void describe(struct merged *g, const struct mshard_set *m, const char *cmdline)
{
	for (unsigned i = 0; i < m->nlabels; i++) {
		g->labels[i] = m->names[i];
		g->types[i] = m->types[i];
	}
	g->rm = (struct rmerge){.expected = m->expected,
				.ran = m->ran,
				.skew_ms = m->skew_ms,
				.t0_unix_s = m->t0,
				.incomplete = m->incomplete,
				.labels = g->labels,
				.types = g->types,
				.nlabels = m->nlabels};
	g->d = (struct rdesc){.cmdline = cmdline,
			      .url = m->url,
			      .method = "-",
			      .thresholds = m->th,
			      .nthresholds = m->nth,
			      .merge = &g->rm};
}

/* --junit: a testcase for the shards being all there, then the run's. */
static int junit(const char *path, const struct merged *g)
{
	char why[512];
	struct rjunit *u = calloc(1, sizeof(*u));
	if (!u)
		return -ENOMEM;
	u->name = g->d.cmdline;
	u->started_at = time(NULL);
	u->time_s = (double)g->res.elapsed_ns / 1e9;
	rjunit_run_cases(u, &g->d, &g->res);
	int r = rjunit_write(path, u, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "mcpload: %s\n", why);
	free(u);
	return r;
}

/* The reports asked for beside the JSON; the exit code they leave. */
static int outputs(const struct merge_opts *o, const struct merged *g, int code)
{
	char why[512];
	int r = 0;
	if (o->junit && junit(o->junit, g) < 0)
		code = CMD_EXIT_FAIL;
	if (o->hdr_log && (r = rhdr_write(o->hdr_log, &g->d, &g->res, why, sizeof(why))) < 0)
		fprintf(stderr, "mcpload: %s\n", why), code = CMD_EXIT_FAIL;
	if (o->html && (r = rhtml_write(o->html, &g->d, &g->res, why, sizeof(why))) < 0)
		fprintf(stderr, "mcpload: %s\n", why), code = CMD_EXIT_FAIL;
	if (o->csv && (r = rcsv_write(o->csv, &g->d, &g->res, why, sizeof(why))) < 0)
		fprintf(stderr, "mcpload: %s\n", why), code = CMD_EXIT_FAIL;
	return code;
}

/* Read, check and add the shards, then their seconds. Returns 0 or an
 * exit code after saying why. */
static int load(struct mshard_set *m, struct merged *g, const char *const *paths, unsigned n)
{
	char why[512];
	int r = mshard_load(m, paths, n, why, sizeof(why));
	if (r == 0)
		r = mshard_add(m, why, sizeof(why));
	if (r == 0)
		r = mseries_build(m, &g->res, why, sizeof(why));
	if (r == 0)
		return 0;
	fprintf(stderr, "mcpload: %s\n", r == -ENOMEM ? "out of memory" : why);
	return r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
}

int merge_main(int argc, char **argv)
{
	static const char *pos[MERGE_MAX_SHARDS + 1];
	unsigned n;
	char why[512];
	struct merge_opts o = {0};
	int r = cmd_parse(CMD_MERGE, argc, argv, merge_set, &o, pos, MERGE_MAX_SHARDS + 1, &n);
	if (r != CMD_GO)
		return r;
	if (n < 2)
		return cmd_usage_error(CMD_MERGE, "merge needs OUT.json and the shards' reports");
	if (out_check(pos[0], why, sizeof(why)) < 0)
		return cmd_usage_error(CMD_MERGE, why);
	struct mshard_set *m = calloc(1, sizeof(*m));
	struct merged *g = calloc(1, sizeof(*g));
	char *cmdline = cmd_line(argc, argv);
	int code = !m || !g || !cmdline ? CMD_EXIT_FAIL : load(m, g, pos + 1, n - 1);
	if (code == 0) {
		describe(g, m, cmdline);
		struct doc x = {m, &g->d, &g->res};
		/* a shard's generator that missed its schedule: what it measured
		 * is in doubt, as a single run's would be */
		if (g->res.saturated && !m->failed && m->ran == m->expected)
			m->verdict = "INCONCLUSIVE";
		code = m->ran != m->expected ? CMD_EXIT_INCONCLUSIVE
		       : m->failed	     ? CMD_EXIT_FAIL
		       : g->res.saturated    ? CMD_EXIT_INCONCLUSIVE
					     : CMD_EXIT_OK;
		if (out_write(pos[0], fill, &x, why, sizeof(why)) < 0) {
			fprintf(stderr, "mcpload: %s\n", why);
			code = CMD_EXIT_FAIL;
		} else {
			print(m, pos[0]);
		}
		if (m->ran != m->expected)
			fprintf(stderr, "mcpload: INCONCLUSIVE - %s\n", m->incomplete);
		else if (g->res.saturated && !m->failed)
			fprintf(stderr, "mcpload: INCONCLUSIVE - %s\n", g->res.saturation);
		code = outputs(&o, g, code);
	}
	if (g)
		mseries_free(&g->res);
	free(cmdline);
	if (m)
		mshard_free(m);
	free(m);
	free(g);
	return code;
}
