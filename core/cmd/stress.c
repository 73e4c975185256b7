/*
 * stress: the breaking-point search. Every step is an open-model run at a
 * rate (or a closed-model run with that many users) derived from the
 * prepared command, printed as the `mcpload run` a user could rerun by
 * hand, and judged against the SLO; steps rise by a factor until one
 * breaks, then the interval between the last good and the first bad step
 * is bisected.
 */
#include "core/cmd/stress.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cmd.h"
#include "core/cmd/lline.h"
#include "core/engine/run.h"
#include "stats/report/out.h"
#include "stats/report/rjunit.h"
#include "stats/report/shtml.h"
#include "stats/report/vocab.h"

void stress_defaults(struct stress_opts *o)
{
	lopt_init(&o->load, CMD_RUN);
	o->slo = (struct knee_slo){200000000ull, 1, 95, false};
	o->start = 10;
	o->factor = 1.5;
	o->max_rate = 1e6;
	o->resolution_pct = 5;
	o->step_ns = 10000000000ull;
	o->json = NULL;
	o->sync_dir = NULL;
	o->sync = NULL;
	o->quiet = false;
}

/* What a step offers: a rate, or users in the closed model. */
static const char *unit(const struct stress_opts *o)
{
	return o->slo.closed ? "users" : "iterations/s";
}

/* The run of one step: the prepared command at this rate or these users,
 * for one step's duration. */
static void step_load(const struct stress_opts *o, double rate, struct lopt *l)
{
	*l = o->load;
	l->shape.model_set = true;
	l->shape.model = o->slo.closed ? SCN_CLOSED : SCN_OPEN;
	if (o->slo.closed) {
		/* every user from the start, for the whole step */
		l->shape.users_set = l->shape.spawn_set = l->shape.iterations_set = true;
		l->shape.users = (unsigned)rate;
		l->shape.spawn_rate = 0;
		l->shape.iterations = 0;
	} else {
		l->shape.rate_set = true;
		l->shape.rate = rate;
	}
	l->duration_ns = o->step_ns;
	l->quiet = true;
	l->json = NULL;
}

/* A sharded step: wait for its common start, run, judge the shards' sum.
 * Returns as run_step. */
static int run_synced(const struct stress_opts *o, struct phase *ph, unsigned k,
		      struct knee_step *s)
{
	char why[512] = "";
	struct result res;
	int r = sshard_wait(o->sync, ph->cfg.warmup_ns);
	if (r == -ETIME) {
		s->verdict = KNEE_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why),
			 "this shard came %.3f s after the step's common start: no load sent",
			 (double)o->sync->late_ns / 1e9);
		return 0;
	}
	if (r > 0)
		return 1;
	if (run_execute(&ph->cfg, NULL, &res, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return -1;
	}
	r = res.interrupted ? 1 : sshard_judge(o->sync, k, &o->slo, ph, &res, s);
	result_free(&res);
	return r;
}

/* Run step k at `rate`. Returns 0, 1 when interrupted, -1 when it could
 * not run (the reason printed). */
static int run_step(const struct stress_opts *o, const struct prep *p, double rate, unsigned k,
		    struct knee_step *s)
{
	char why[512] = "";
	struct lopt l;
	struct phase ph;
	struct result res;
	int r = -1;
	memset(s, 0, sizeof(*s));
	s->rate = rate;
	step_load(o, rate, &l);
	if (phase_build(&ph, &l, p, NULL, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		goto out_phase;
	}
	snprintf(s->command, sizeof(s->command), "%.*s", (int)sizeof(s->command) - 1, ph.cmdline);
	if (o->sync) {
		r = run_synced(o, &ph, k, s);
		goto out_phase;
	}
	if (run_execute(&ph.cfg, NULL, &res, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		goto out_phase;
	}
	struct tally *all = calloc(1, sizeof(*all)); /* 1.3 MB: not on the stack */
	if (!all) {
		fprintf(stderr, "mcpload: out of memory\n");
	} else {
		knee_judge(&o->slo, ph.plan, &res, all, s);
		r = res.interrupted ? 1 : 0;
	}
	free(all);
	result_free(&res);
out_phase:
	phase_free(&ph);
	return r;
}

static void print_step(const struct stress_opts *o, const struct knee_step *s, const char *phase)
{
	char offered[32] = "-";
	if (o->quiet)
		return;
	if (!o->slo.closed)
		snprintf(offered, sizeof(offered), "%.0f", s->offered_rps);
	fprintf(stderr,
		"  %-7s %10.1f %-5s %10s req/s offered %10.0f achieved  p50 %8.2f  p95 %8.2f  "
		"p99 %8.2f ms  errors %6.2f %%  %s%s%s\n            %s\n",
		phase, s->rate, o->slo.closed ? "users" : "it/s", offered, s->achieved_rps,
		(double)hist_sum_at(&s->lat, 50) / 1e6, (double)hist_sum_at(&s->lat, 95) / 1e6,
		(double)hist_sum_at(&s->lat, 99) / 1e6, s->err_pct,
		s->verdict == KNEE_GOOD	 ? "ok"
		: s->verdict == KNEE_BAD ? "BROKE"
					 : "INCONCLUSIVE",
		s->why[0] ? ": " : "", s->why, s->command);
}

/* The next rate: up by the factor until a step breaks, then the geometric
 * middle of the last good and the first bad. Returns 0 when the interval
 * is as narrow as asked (or no whole rate is left in it). */
static double next_rate(const struct stress_opts *o, double rate, double good, double bad)
{
	if (bad == 0)
		return rate;
	if (bad / good - 1 <= o->resolution_pct / 100)
		return 0;
	double mid = round(sqrt(good * bad));
	return mid <= good || mid >= bad ? 0 : mid; /* whole rates: nothing left between */
}

/* What a step found, for the search: 1 the search is over (the exit status
 * in *status), 0 go on. */
static int judge_step(const struct stress_opts *o, struct knee *k, const struct knee_step *s,
		      bool up, double *rate, double *good, double *bad, int *status)
{
	if (s->verdict == KNEE_INCONCLUSIVE) {
		k->verdict = "INCONCLUSIVE";
		snprintf(k->why, sizeof(k->why), "at %.1f %s the %s", s->rate, unit(o), s->why);
		*status = CMD_EXIT_INCONCLUSIVE;
		return 1;
	}
	if (s->verdict == KNEE_GOOD) {
		*good = s->rate;
		k->best = (int)(s - k->steps);
		if (up && s->rate >= o->max_rate) {
			k->verdict = "NOT REACHED";
			snprintf(k->why, sizeof(k->why), "the SLO held up to --max-rate %.1f",
				 o->max_rate);
			*status = CMD_EXIT_OK;
			return 1;
		}
		if (up)
			*rate = fmin(fmax(round(s->rate * o->factor), s->rate + 1), o->max_rate);
		return 0;
	}
	*bad = s->rate;
	if (*good == 0) {
		k->verdict = "BROKE AT START";
		snprintf(k->why, sizeof(k->why), "the first step (%.1f %s) broke: %s", s->rate,
			 unit(o), s->why);
		*status = CMD_EXIT_FAIL;
		return 1;
	}
	return 0;
}

int stress_search(const struct stress_opts *o, const struct prep *p, struct knee *k)
{
	double good = 0, bad = 0, rate = o->start;
	const struct knee_step *bad_step = NULL;
	int status = CMD_EXIT_OK;
	memset(k, 0, sizeof(*k));
	k->best = -1;
	k->verdict = "ERROR";
	k->closed = o->slo.closed;
	while (k->n < KNEE_MAX_STEPS) {
		bool up = bad == 0;
		if (!(rate = up ? rate : next_rate(o, rate, good, bad)))
			break;
		struct knee_step *s = &k->steps[k->n++];
		int r = run_step(o, p, rate, k->n - 1, s);
		if (r < 0)
			return CMD_EXIT_FAIL;
		print_step(o, s, up ? "step" : "bisect");
		if (r > 0) {
			k->verdict = "INTERRUPTED";
			snprintf(k->why, sizeof(k->why), "interrupted at %.1f %s", rate, unit(o));
			return CMD_EXIT_INCONCLUSIVE;
		}
		if (judge_step(o, k, s, up, &rate, &good, &bad, &status))
			return status;
		if (s->verdict == KNEE_BAD)
			bad_step = s;
	}
	k->verdict = "FOUND";
	snprintf(k->why, sizeof(k->why), "%s at %.1f %s",
		 bad_step ? bad_step->why : "steps exhausted", bad, unit(o));
	return CMD_EXIT_OK;
}

/* --- the command --- */

static int stress_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct stress_opts *o = ctx;
	double v;
	switch (id) {
	case OPT_START:
	case OPT_FACTOR:
	case OPT_MAX_RATE:
		if (units_number(arg, id == OPT_FACTOR ? 1.01 + 1e-9 : 1e-9, 1e7, &v) < 0) {
			snprintf(why, wl, "--%s: bad value '%s'",
				 id == OPT_START    ? "start"
				 : id == OPT_FACTOR ? "factor"
						    : "max-rate",
				 arg);
			return -EINVAL;
		}
		*(id == OPT_START ? &o->start : id == OPT_FACTOR ? &o->factor : &o->max_rate) = v;
		return 0;
	case OPT_STEP:
	case OPT_P99:
		if (units_duration(arg, id == OPT_STEP ? &o->step_ns : &o->slo.p99_ns) < 0 ||
		    (id == OPT_STEP && o->step_ns < 500000000ull)) {
			snprintf(why, wl, "--%s: bad duration '%s' (a step is 500ms at least)",
				 id == OPT_STEP ? "step" : "p99", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_MAX_ERRORS:
	case OPT_MIN_ACHIEVED:
	case OPT_RESOLUTION:
		if (units_pct(arg, id == OPT_MAX_ERRORS	    ? &o->slo.max_err_pct
				   : id == OPT_MIN_ACHIEVED ? &o->slo.min_achieved_pct
							    : &o->resolution_pct) < 0 ||
		    (id == OPT_RESOLUTION && o->resolution_pct < 0.5)) {
			snprintf(why, wl, "bad percentage '%s'", arg);
			return -EINVAL;
		}
		return 0;
	case OPT_JSON:
		o->json = arg;
		return 0;
	case OPT_HTML:
		o->html = arg;
		return 0;
	case OPT_JUNIT:
		o->junit = arg;
		return 0;
	case OPT_SYNC_DIR:
		o->sync_dir = arg;
		return 0;
	case OPT_MODEL:
		if (strcmp(arg, "open") != 0 && strcmp(arg, "closed") != 0) {
			snprintf(why, wl, "--model is open or closed: '%s'", arg);
			return -EINVAL;
		}
		o->slo.closed = strcmp(arg, "closed") == 0;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	default:
		return lopt_set(&o->load, id, arg, why, wl);
	}
}

static int parse(struct stress_opts *o, int argc, char **argv)
{
	const char *pos[1] = {NULL};
	unsigned npos;
	char why[512];
	stress_defaults(o);
	int r = cmd_parse(CMD_STRESS, argc, argv, stress_set, o, pos, 1, &npos);
	if (r != CMD_GO)
		return r;
	if (!npos || !o->load.target)
		return cmd_usage_error(CMD_STRESS, "stress needs one SCENARIO and --target URL");
	if (o->slo.closed && o->load.shape.users_set)
		return cmd_usage_error(
		    CMD_STRESS, "in the closed model the search steps the users: no --users");
	if (lopt_finish(&o->load, pos[0], why, sizeof(why)) < 0)
		return cmd_usage_error(CMD_STRESS, why);
	o->start = fmax(1, round(o->start));
	if (o->start > o->max_rate)
		return cmd_usage_error(CMD_STRESS, "--start is above --max-rate");
	if (!o->load.shard.count && shard_from_env(&o->load.shard, why, sizeof(why)) < 0)
		return cmd_usage_error(CMD_STRESS, why);
	if (o->load.shard.count > 1 && (!o->sync_dir || !o->load.start_at_ns))
		return cmd_usage_error(CMD_STRESS,
				       "a sharded search needs --start-at TIME (the first "
				       "step's common start) and --sync-dir DIR (seen "
				       "by every shard)");
	if (o->load.shard.count <= 1 && o->sync_dir)
		return cmd_usage_error(CMD_STRESS,
				       "--sync-dir is for a sharded search (--shard I/N)");
	return CMD_GO;
}

struct doc {
	const struct stress_opts *o;
	const struct knee *k;
	const char *cmdline;
	time_t started_at;
};

static int fill(FILE *f, const void *ctx)
{
	const struct doc *d = ctx;
	const struct stress_opts *o = d->o;
	struct jw j;
	jw_init(&j, f);
	vocab_doc_begin(&j, "stress", d->cmdline, d->started_at);
	jw_str(&j, "scenario", o->load.scn->name);
	jw_str(&j, "target", o->load.target);
	jw_obj_begin(&j, "slo");
	jw_f64(&j, "p99_ms", (double)o->slo.p99_ns / 1e6);
	jw_f64(&j, "max_errors_pct", o->slo.max_err_pct);
	jw_f64(&j, "min_achieved_pct", o->slo.min_achieved_pct);
	jw_obj_end(&j);
	jw_obj_begin(&j, "search");
	jw_f64(&j, "start", o->start);
	jw_f64(&j, "factor", o->factor);
	jw_f64(&j, "step_s", (double)o->step_ns / 1e9);
	jw_f64(&j, "resolution_pct", o->resolution_pct);
	jw_obj_end(&j);
	if (o->sync) { /* every shard took the same decisions: its JSON is the search's */
		jw_obj_begin(&j, "shard");
		jw_u64(&j, "index", o->sync->sh.index);
		jw_u64(&j, "count", o->sync->sh.count);
		jw_str(&j, "from", o->sync->sh.from);
		jw_str(&j, "sync_dir", o->sync->dir);
		jw_str(&j, "run_digest", o->sync->digest);
		jw_obj_end(&j);
	}
	vocab_knee(&j, d->k);
	jw_obj_end(&j);
	fputc('\n', f);
	return 0;
}

static void print_result(const struct knee *k)
{
	if (k->best >= 0) {
		const struct knee_step *b = &k->steps[k->best];
		printf("max sustainable: %.1f %s = %.0f requests/s, p50 %.2f ms, p95 %.2f ms, "
		       "p99 %.2f ms, errors %.2f %% (%s; %s)\n",
		       b->rate, k->closed ? "users" : "iterations/s", b->achieved_rps,
		       (double)hist_sum_at(&b->lat, 50) / 1e6,
		       (double)hist_sum_at(&b->lat, 95) / 1e6,
		       (double)hist_sum_at(&b->lat, 99) / 1e6, b->err_pct, k->verdict, k->why);
	} else {
		printf("max sustainable: none (%s; %s)\n", k->verdict, k->why);
	}
}

/* --html and --junit of a search. Returns 0 or -1 (said on stderr). */
static int other_reports(const struct stress_opts *o, const struct knee *k, const char *cmdline,
			 time_t started_at)
{
	struct shtml_stress s = {cmdline, o->load.target, o->load.scn->name, started_at, k};
	struct rjunit *u = o->junit ? calloc(1, sizeof(*u)) : NULL;
	char why[512];
	int r = 0;
	if (o->html && shtml_stress_write(o->html, &s, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = -1;
	}
	if (o->junit && !u) {
		fprintf(stderr, "mcpload: --junit: out of memory\n");
		return -1;
	}
	if (u) {
		u->name = cmdline;
		u->started_at = started_at;
		rjunit_stress_cases(u, k);
		if (rjunit_write(o->junit, u, why, sizeof(why)) < 0) {
			fprintf(stderr, "mcpload: %s\n", why);
			r = -1;
		}
		free(u);
	}
	return r;
}

/* Prepared and parsed: the search, its result line and its JSON. */
static int search_and_report(const struct stress_opts *o, const struct prep *p, const char *cmdline)
{
	char why[512];
	struct knee *k = malloc(sizeof(*k));
	struct doc d = {o, k, cmdline, time(NULL)};
	if (!k) {
		fprintf(stderr, "mcpload: out of memory\n");
		return CMD_EXIT_FAIL;
	}
	if (!o->quiet)
		fprintf(stderr,
			"mcpload stress %s --target %s: %s model from %.1f %s, x%.2f every %.1fs; "
			"SLO p99 <= %.1f ms, errors <= %.2f %%%s\n",
			o->load.scn->name, o->load.target, o->slo.closed ? "closed" : "open",
			o->start, unit(o), o->factor, (double)o->step_ns / 1e9,
			(double)o->slo.p99_ns / 1e6, o->slo.max_err_pct,
			o->slo.closed ? "" : ", achieved >= the --min-achieved share");
	int status = stress_search(o, p, k);
	if (k->n || k->best >= 0)
		print_result(k);
	if (o->json && out_write(o->json, fill, &d, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		status = CMD_EXIT_FAIL;
	}
	if (other_reports(o, k, cmdline, d.started_at) < 0)
		status = CMD_EXIT_FAIL;
	free(k);
	return status;
}

/* A sharded search: its digest from what every shard shares (not where
 * each writes), its directory checked. Returns 0 or -1 (said). */
static int sync_setup(struct stress_opts *o, struct sshard *ss)
{
	char text[4096], why[512];
	struct lopt same = o->load;
	same.json = same.csv = same.junit = same.hdr_log = same.html = NULL;
	same.quiet = false;
	lline_format(&same, text, sizeof(text));
	size_t n = strlen(text);
	snprintf(
	    text + n, sizeof(text) - n,
	    " | stress %.17g x%.17g step %llu max %.17g res %.17g p99 %llu err %.17g ach %.17g "
	    "%s shards %u",
	    o->start, o->factor, (unsigned long long)o->step_ns, o->max_rate, o->resolution_pct,
	    (unsigned long long)o->slo.p99_ns, o->slo.max_err_pct, o->slo.min_achieved_pct,
	    o->slo.closed ? "closed" : "open", o->load.shard.count);
	if (sshard_init(ss, &o->load.shard, o->sync_dir, text, o->load.scn_path,
			o->load.start_at_ns, o->load.start_tol_ns, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return -1;
	}
	o->sync = ss;
	if (!o->quiet)
		fprintf(stderr, "mcpload: shard %u of %u (%s), steps judged on all shards' sum\n",
			o->load.shard.index, o->load.shard.count, o->load.shard.from);
	return 0;
}

int stress_main(int argc, char **argv)
{
	struct sshard sync;
	struct stress_opts o;
	struct prep p;
	char why[512], *cmdline = NULL;
	int r = parse(&o, argc, argv);
	if (r != CMD_GO)
		goto out_opts;
	if ((o.json && out_check(o.json, why, sizeof(why)) < 0) ||
	    (o.html && out_check(o.html, why, sizeof(why)) < 0) ||
	    (o.junit && out_check(o.junit, why, sizeof(why)) < 0)) {
		r = cmd_usage_error(CMD_STRESS, why);
		goto out_opts;
	}
	run_install_signals();
	memset(&p, 0, sizeof(p));
	r = prep_inputs(&o.load, why, sizeof(why));
	if (r == 0)
		r = prep_open(&p, &o.load, why, sizeof(why));
	o.load.mem.tls = p.peer.tls; /* an https --metrics-url: the same trust */
	if (r == 0)
		r = phase_check(&o.load, &p, why, sizeof(why));
	if (r == 0)
		r = prep_reach(&p, &o.load, scn_has_mcp(o.load.scn), why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
	} else if (o.load.shard.count > 1 && sync_setup(&o, &sync) < 0) {
		r = CMD_EXIT_USAGE;
	} else {
		cmdline = cmd_line(argc, argv);
		r = search_and_report(&o, &p, cmdline);
	}
	prep_free(&p);
	free(cmdline);
out_opts:
	lopt_free(&o.load);
	return r;
}
