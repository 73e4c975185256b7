/*
 * load: parse (pure), prepare once (resolve, connect, probe, check the
 * output path), derive the run, run it under the live hooks, then the
 * summary, the JSON and the verdicts that set the exit status.
 */
#include "core/cmd/load.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/cmd/lline.h"
#include "core/cmd/shard.h"
#include "core/cmd/live.h"
#include "core/cmd/lmetrics.h"
#include "core/cmd/prep.h"
#include "core/cmd/repeat.h"
#include "stats/report/rout.h"
#include "stats/report/summary.h"

static void print_notes(const char *notes)
{
	for (const char *p = notes; *p;) {
		const char *nl = strchr(p, '\n');
		fprintf(stderr, "mcpload: note: %.*s\n", (int)(nl - p), p);
		p = nl + 1;
	}
}

/* Judge the thresholds into t[0..n) (parsed when they were read). */
static unsigned judge_thresholds(const struct lopt *o, const struct phase *ph,
				 const struct result *res, struct thresh *t)
{
	char why[256];
	unsigned n = 0;
	for (unsigned i = 0; i < o->nthresholds; i++)
		if (thresh_parse(o->thresholds[i], &t[n], why, sizeof(why)) == 0)
			thresh_judge(&t[n++], res, ph->plan);
	return n;
}

/*
 * The verdicts of a finished run, on stderr, as an exit status: missed
 * thresholds 99; a run the generator could not judge fairly (it fell
 * behind) is inconclusive (3) instead, since a late generator can miss
 * them; what no late generator causes fails it whatever else (1): no
 * request succeeded (without thresholds), a failed check, the server's
 * memory or exit, a worker that gave up.
 */
static int verdicts(const struct lopt *o, const struct phase *ph, const struct result *res,
		    const struct thresh *t, unsigned nt)
{
	int status = CMD_EXIT_OK;
	unsigned missed = 0;
	for (unsigned i = 0; i < nt; i++)
		missed += !t[i].passed;
	if (missed) {
		fprintf(stderr, "mcpload: FAIL - %u of %u thresholds missed\n", missed, nt);
		status = THRESH_EXIT;
	}
	if (res->saturated) {
		fprintf(stderr, "mcpload: INCONCLUSIVE - %s\n", res->saturation);
		status = CMD_EXIT_INCONCLUSIVE;
	} else if (res->mem.verdict == VERDICT_INCONCLUSIVE && status == CMD_EXIT_OK) {
		fprintf(stderr, "mcpload: INCONCLUSIVE - %s\n", res->mem.reason);
		status = CMD_EXIT_INCONCLUSIVE;
	}
	if (!nt && tally_attempted(res->total) && !result_succeeded(res, ph->plan)) {
		fprintf(stderr, "mcpload: FAIL - no request succeeded (%s)\n",
			ph->plan ? "none met its step's expectations" : "no 2xx response");
		status = CMD_EXIT_FAIL;
	}
	if (res->checks_failed) {
		fprintf(stderr, "mcpload: FAIL - a post-run check of scenario %s failed\n",
			o->scn->name);
		status = CMD_EXIT_FAIL;
	}
	if (res->mem.verdict == VERDICT_FAIL) {
		fprintf(stderr, "mcpload: FAIL - %s\n", res->mem.reason);
		status = CMD_EXIT_FAIL;
	}
	if (res->gave_up) {
		fprintf(stderr, "mcpload: stopped early: %s\n", res->gave_up);
		status = CMD_EXIT_FAIL;
	}
	return status;
}

static void print_thresholds(const struct thresh *t, unsigned n)
{
	if (!n)
		return;
	printf("\n  %-40s %14s %9s  %s\n", "Threshold", "measured", "judged", "verdict");
	for (unsigned i = 0; i < n; i++) {
		char got[32] = "-";
		if (t[i].measured)
			snprintf(got, sizeof(got), "%.3f %s", t[i].value, thresh_unit(&t[i]));
		printf("  %-40.40s %14s %9llu  %s\n", t[i].text, got,
		       (unsigned long long)t[i].requests,
		       t[i].passed ? "PASS"
		       : t[i].measured
			   ? "FAIL"
			   : "FAIL (nothing to judge: no such label, or none succeeded)");
	}
	printf("  judged: latency over the successful responses, errors over every attempt\n");
}

static int once(const struct lopt *o, struct phase *ph)
{
	char why[512] = "";
	struct result res;
	struct thresh t[THRESH_MAX];
	struct lmetrics metrics;
	if (o->live_metrics && lmetrics_open(&metrics, o->live_metrics, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return CMD_EXIT_FAIL;
	}
	int r = live_execute(&ph->cfg, ph->plan, live_mode(o->quiet, o->progress), &o->mem,
			     o->live_metrics ? &metrics : NULL, &res, why, sizeof(why));
	if (o->live_metrics)
		lmetrics_close(&metrics);
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return CMD_EXIT_FAIL;
	}
	unsigned nt = judge_thresholds(o, ph, &res, t);
	ph->desc.thresholds = t;
	ph->desc.nthresholds = nt;
	if (!o->quiet) {
		summary_print(stdout, &ph->desc, &res);
		print_thresholds(t, nt);
	}
	int status = verdicts(o, ph, &res, t, nt);
	struct rout reports = lopt_reports(o);
	if (rout_write(&reports, &ph->desc, &res, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		status = CMD_EXIT_FAIL;
	}
	ph->desc.thresholds = NULL;
	result_free(&res);
	return status;
}

/* The run could not start: its --json still says so, and why (a shard's
 * with its stamp). */
static void unrun(const struct lopt *o, unsigned bit, const char *cmdline, const char *reason,
		  const struct rshard *shard)
{
	char why[512];
	struct rout reports = lopt_reports(o);
	if (rout_write_unrun(&reports, bit == CMD_HTTP ? "http" : "run", cmdline,
			     bit == CMD_HTTP ? o->url : o->target, time(NULL), reason, shard, why,
			     sizeof(why)) < 0)
		fprintf(stderr, "mcpload: %s\n", why);
}

/* A shard: which (the scheduler's environment when --shard is not given),
 * its digest, and --repeat refused (shards merge one run each). */
static int shard_setup(struct lopt *o, struct rshard *rs, char *why, size_t wl)
{
	char text[4096];
	if (!o->shard.count && shard_from_env(&o->shard, why, wl) < 0)
		return -EINVAL;
	if (o->shard.count > 1 && o->repeat > 1)
		return snprintf(why, wl, "--repeat and --shard: a shard is one run"), -EINVAL;
	if (o->shard.count <= 1 && !o->start_at_ns)
		return 0;
	struct lopt same = *o; /* what every shard shares: not where each writes */
	same.json = same.csv = same.junit = same.hdr_log = same.html = NULL;
	same.quiet = false;
	lline_format(&same, text, sizeof(text));
	*rs = (struct rshard){.index = o->shard.index,
			      .count = o->shard.count ? o->shard.count : 1,
			      .from = o->shard.from ? o->shard.from : "--start-at",
			      .start_at_ns = o->start_at_ns,
			      .status = "ran"};
	shard_digest(text, strlen(text), o->scn_path, rs->digest);
	if (!o->quiet && o->shard.count > 1)
		fprintf(stderr, "mcpload: shard %u of %u (%s)\n", o->shard.index, o->shard.count,
			o->shard.from);
	return 1;
}

/* The common start: wait for it, or, later than the tolerance (or after
 * the run's end: a pod recreated late), send nothing and say so. Returns
 * 0 go, 1 not to run (the report written), -1 interrupted while waiting. */
static int start_at(const struct lopt *o, const struct phase *ph, struct rshard *rs,
		    const char *cmdline)
{
	char reason[256], why[512];
	uint64_t now = shard_now_unix_ns(),
		 end = o->start_at_ns + ph->cfg.warmup_ns + ph->cfg.duration_ns;
	if (o->start_at_ns && now > o->start_at_ns + o->start_tol_ns) {
		bool after = ph->cfg.duration_ns && now >= end;
		rs->status = after ? "after_end" : "late";
		rs->start_late_ns = (int64_t)(now - o->start_at_ns);
		snprintf(
		    reason, sizeof(reason),
		    "shard %u of %u: %.3f s after --start-at (tolerance %.3f s)%s: no load sent",
		    rs->index, rs->count, (double)rs->start_late_ns / 1e9,
		    (double)o->start_tol_ns / 1e9, after ? ", after the run's end" : "");
		fprintf(stderr, "mcpload: %s\n", reason);
		struct rout reports = lopt_reports(o);
		if (rout_write_unrun(&reports, o->bit == CMD_HTTP ? "http" : "run", cmdline,
				     o->bit == CMD_HTTP ? o->url : o->target, time(NULL), reason,
				     rs, why, sizeof(why)) < 0)
			fprintf(stderr, "mcpload: %s\n", why);
		return 1;
	}
	if (o->start_at_ns && !shard_wait_until(o->start_at_ns))
		return -1;
	now = shard_now_unix_ns();
	rs->start_late_ns = o->start_at_ns ? (int64_t)(now - o->start_at_ns) : 0;
	rs->measured_unix_ns = now + ph->cfg.warmup_ns;
	return 0;
}

int load_main(int argc, char **argv)
{
	unsigned bit = strcmp(argv[1], "http") == 0 ? CMD_HTTP : CMD_RUN;
	struct lopt o;
	struct prep p;
	struct phase ph;
	char why[512] = "", *cmdline = NULL;
	struct rshard rs = {0};
	int r = lopt_parse_argv(&o, bit, argc, argv), status, sharded = 0;
	if (r != CMD_GO)
		goto out_opts;
	if ((sharded = shard_setup(&o, &rs, why, sizeof(why))) < 0) {
		r = cmd_usage_error(bit, why);
		goto out_opts;
	}
	cmdline = cmd_line(argc, argv);
	run_install_signals();
	memset(&p, 0, sizeof(p));
	memset(&ph, 0, sizeof(ph));
	r = prep_inputs(&o, why, sizeof(why));
	if (r == 0)
		r = prep_open(&p, &o, why, sizeof(why));
	o.mem.tls = p.peer.tls; /* an https --metrics-url: the same trust */
	if (r == 0)
		r = phase_check(&o, &p, why, sizeof(why));
	if (r == 0) {
		r = prep_reach(&p, &o, bit == CMD_RUN && scn_has_mcp(o.scn), why, sizeof(why));
		if (r < 0 && r != -EINVAL) {
			rs.status = "failed"; /* a merge names the shard, not a stranger */
			unrun(&o, bit, cmdline, why,
			      sharded ? &rs : NULL); /* a report every time */
		}
	}
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out_prep;
	}
	r = phase_build(&ph, &o, &p, cmdline, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out_phase;
	}
	print_notes(ph.notes);
	if (prep_fd_limit(ph.cfg.connections, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = CMD_EXIT_FAIL;
		goto out_phase;
	}
	if (sharded) {
		int go = start_at(&o, &ph, &rs, cmdline);
		if (go != 0) {
			r = go > 0 ? CMD_EXIT_INCONCLUSIVE : CMD_EXIT_FAIL;
			goto out_phase;
		}
		ph.desc.shard = &rs;
	}
	status = o.repeat > 1 ? repeat_runs(&o, &ph) : once(&o, &ph);
	r = status;
out_phase:
	phase_free(&ph);
out_prep:
	prep_free(&p);
	free(cmdline);
out_opts:
	lopt_free(&o);
	return r;
}
