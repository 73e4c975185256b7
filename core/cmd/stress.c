/*
 * stress: the breaking-point search. Every step is one open-model
 * `mcpload run SCENARIO -R RATE` (the command a user could rerun by hand),
 * judged against the SLO; steps rise by a factor until one breaks, then the
 * interval between the last good and the first bad step is bisected.
 */
#include "core/cmd/stress.h"

#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/cmd/cli.h"
#include "core/engine/run.h"
#include "protocol/jw.h"
#include "scenarios/profile.h"

#define MAX_PASS 24 /* arguments handed to every step's run */

static const char usage[] =
    "usage: mcpload stress SCENARIO --target URL [options]\n"
    "\n"
    "Finds the most load the target sustains: open-model steps of rising offered\n"
    "rate (iterations/s) until the SLO breaks, then a bisection between the last\n"
    "good and the first bad step. A step the generator itself could not drive ends\n"
    "the search INCONCLUSIVE instead of blaming the server.\n"
    "\n"
    "  --target URL        the server (as for mcpload run)\n"
    "  --model M           open (default): step the rate; closed: step the users\n"
    "                      (all started at once, no iteration limit)\n"
    "  --start R           first step's rate, iterations/s, or users (default 10)\n"
    "  --factor F          each step multiplies the rate by F (default 1.5)\n"
    "  --step D            each step's measured duration (default 10s)\n"
    "  --p99 D             SLO: corrected p99 at most D (default 200ms)\n"
    "  --max-errors P      SLO: at most P % of requests failed (default 1)\n"
    "  --min-achieved P    SLO, open model: at least P % of the offered requests\n"
    "                      completed (default 95)\n"
    "  --resolution P      bisect until the interval is within P % (default 5)\n"
    "  --max-rate R        never offer more than R iterations/s or users\n"
    "                      (default 1000000)\n"
    "  --json FILE         the step table, the verdict and the curve as JSON\n"
    "  -c, --users N, -t, --threads N, --set NAME=VALUE, -H 'K: V', --timeout D,\n"
    "  --mcp-version V, --mcp-path P, --warmup D: passed to every step's run\n"
    "  -q, --quiet         only the result\n"
    "\n"
    "Exit status: 0 found, 1 the search could not run or the first step already\n"
    "broke, 2 bad usage, 3 inconclusive (the generator fell behind).\n";

struct stress_opts {
	const char *scenario, *target, *json;
	double start, factor, max_rate;
	uint64_t step_ns, p99_ns;
	double max_err_pct, min_achieved_pct, resolution_pct;
	char *pass[MAX_PASS];
	int npass;
	char flags[MAX_PASS / 2][24]; /* "--set" and the like, one per passed option */
	bool quiet, closed;
};

/* What a step offers: a rate, or users in the closed model. */
static const char *unit(const struct stress_opts *o)
{
	return o->closed ? "users" : "iterations/s";
}

static double pct_ms(const struct tally *t, double pct)
{
	return t->latency.count ? (double)hist_percentile_ns(&t->latency, pct) / 1e6 : 0;
}

/* Judge one step from what its run measured (labels merged into `all`,
 * a zeroed scratch tally: 1.3 MB, so never on the stack). */
static void judge(const struct stress_opts *o, const struct cfg *cfg, const struct run_result *res,
		  struct tally *all, struct stress_step *s)
{
	const struct plan *p = cfg->plan;
	double secs = (double)res->elapsed_ns / 1e9;
	for (unsigned i = 0; i < p->nlabels; i++)
		if (p->mcp.era != MCP_ERA_LEGACY || i != p->mcp.setup_label)
			tally_merge(all, &res->slots[p->labels[i].slot]);
	uint64_t failed = tally_error_total(all);
	uint64_t attempted = tally_attempted(all);
	const struct tally *t = res->total;
	s->requests = all->responses;
	s->offered_rps = o->closed ? 0 : s->rate * profile_requests_per_iteration(p->scn);
	s->achieved_rps =
	    secs > 0 ? (double)(all->responses - all->errors[TALLY_ERR_CHECK]) / secs : 0;
	s->p50_ms = pct_ms(all, 50);
	s->p95_ms = pct_ms(all, 95);
	s->p99_ms = pct_ms(all, 99);
	s->err_pct = attempted ? 100.0 * (double)failed / (double)attempted : 0;
	s->on_time_pct = o->closed ? -1 : tally_applied_pct(res->total);
	s->busy_pct = res->busiest_busy_pct;
	s->verdict = STRESS_GOOD;
	/* arrivals left unsent while every connection waited: the server's */
	bool backlog = res->saturated && t->unsent && !t->unsent_idle && !t->dropped &&
		       res->busiest_busy_pct <= 90;
	bool late_only = res->saturated && !t->unsent && !t->dropped;
	if (res->saturated && !backlog && !late_only) {
		s->verdict = STRESS_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "generator: %s", res->saturation);
	} else if (o->closed && res->busiest_busy_pct > 90) {
		/* closed model: no schedule to miss, but a busy client still
		 * adds its own queueing to every response */
		s->verdict = STRESS_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "generator: a worker thread was %.0f%% busy",
			 res->busiest_busy_pct);
	} else if (s->p99_ms > (double)o->p99_ns / 1e6) {
		snprintf(s->why, sizeof(s->why), "p99 %.1f ms > %.1f ms", s->p99_ms,
			 (double)o->p99_ns / 1e6);
		s->verdict = STRESS_BAD;
	} else if (s->err_pct > o->max_err_pct) {
		snprintf(s->why, sizeof(s->why), "errors %.2f %% > %.2f %%", s->err_pct,
			 o->max_err_pct);
		s->verdict = STRESS_BAD;
	} else if (!o->closed && s->achieved_rps < s->offered_rps * o->min_achieved_pct / 100) {
		snprintf(s->why, sizeof(s->why), "achieved %.0f of %.0f requests/s (< %.0f %%)",
			 s->achieved_rps, s->offered_rps, o->min_achieved_pct);
		s->verdict = STRESS_BAD;
	} else if (backlog) {
		snprintf(s->why, sizeof(s->why), "server backlog: %s", res->saturation);
		s->verdict = STRESS_BAD;
	}
	/* late dispatches (every one sent) inflate the corrected latency but
	 * neither errors nor the achieved rate: only a p99 break may be the
	 * generator's doing */
	if (s->verdict == STRESS_BAD && late_only && !strncmp(s->why, "p99", 3)) {
		s->verdict = STRESS_INCONCLUSIVE;
		snprintf(s->why, sizeof(s->why), "generator: %s", res->saturation);
	}
}

/* Run one step at `rate`. Returns 0, 1 when interrupted, -1 when it could
 * not run (the reason printed). */
static int run_step(const struct stress_opts *o, double rate, struct stress_step *s)
{
	char *argv[MAX_PASS + 16], rbuf[32], dbuf[32], why[256] = "";
	struct cfg cfg;
	struct run_result res;
	int n = 0, r;
	argv[n++] = "mcpload";
	argv[n++] = "run";
	argv[n++] = (char *)o->scenario;
	argv[n++] = "--target";
	argv[n++] = (char *)o->target;
	argv[n++] = "--model";
	argv[n++] = o->closed ? "closed" : "open";
	snprintf(rbuf, sizeof(rbuf), "%.0f", rate); /* whole iterations/s or users */
	argv[n++] = o->closed ? "-c" : "-R";
	argv[n++] = rbuf;
	if (o->closed) {
		/* every user from the start, for the whole step */
		argv[n++] = "--spawn-rate";
		argv[n++] = "0";
		argv[n++] = "--iterations";
		argv[n++] = "0";
	}
	snprintf(dbuf, sizeof(dbuf), "%llums", (unsigned long long)(o->step_ns / 1000000));
	argv[n++] = "-d";
	argv[n++] = dbuf;
	argv[n++] = "-q";
	for (int i = 0; i < o->npass; i++)
		argv[n++] = o->pass[i];
	argv[n] = NULL;
	memset(s, 0, sizeof(*s));
	s->rate = rate;
	r = cli_parse(&cfg, n, argv, stderr);
	if (r < 0) {
		cli_free(&cfg);
		return -1;
	}
	if (!cfg.plan) {
		fprintf(stderr, "mcpload: stress needs a scenario (mcpload list)\n");
		cli_free(&cfg);
		return -1;
	}
	cfg.quiet = true;
	cfg.progress = false;
	r = run_execute(&cfg, &res, why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		cli_free(&cfg);
		return -1;
	}
	struct tally *all = calloc(1, sizeof(*all));
	if (!all) {
		fprintf(stderr, "mcpload: out of memory\n");
		run_result_free(&res);
		cli_free(&cfg);
		return -1;
	}
	judge(o, &cfg, &res, all, s);
	free(all);
	r = res.interrupted ? 1 : 0;
	run_result_free(&res);
	cli_free(&cfg);
	return r;
}

static void print_step(const struct stress_opts *o, const struct stress_step *s, const char *phase)
{
	char offered[32] = "-";
	if (o->quiet)
		return;
	if (!o->closed)
		snprintf(offered, sizeof(offered), "%.0f", s->offered_rps);
	fprintf(stderr,
		"  %-7s %10.1f %-5s %10s req/s offered %10.0f achieved  p50 %8.2f  p95 %8.2f  "
		"p99 %8.2f ms  errors %6.2f %%  %s%s%s\n",
		phase, s->rate, o->closed ? "users" : "it/s", offered, s->achieved_rps, s->p50_ms,
		s->p95_ms, s->p99_ms, s->err_pct,
		s->verdict == STRESS_GOOD  ? "ok"
		: s->verdict == STRESS_BAD ? "BROKE"
					   : "INCONCLUSIVE",
		s->why[0] ? ": " : "", s->why);
}

void stress_json_result(struct jw *j, const struct stress_outcome *out)
{
	jw_str(j, "model", out->closed ? "closed" : "open");
	jw_str(j, "verdict", out->verdict);
	jw_str(j, "reason", out->why);
	if (out->best >= 0) {
		const struct stress_step *b = &out->steps[out->best];
		jw_obj_begin(j, "max_sustainable");
		jw_f64(j, out->closed ? "users" : "iterations_per_s", b->rate);
		jw_f64(j, "requests_per_s", b->achieved_rps);
		jw_f64(j, "p50_ms", b->p50_ms);
		jw_f64(j, "p95_ms", b->p95_ms);
		jw_f64(j, "p99_ms", b->p99_ms);
		jw_f64(j, "errors_pct", b->err_pct);
		jw_obj_end(j);
	}
	jw_arr_begin(j, "steps");
	for (unsigned i = 0; i < out->n; i++) {
		const struct stress_step *s = &out->steps[i];
		jw_obj_begin(j, NULL);
		jw_f64(j, out->closed ? "users" : "offered_iterations_per_s", s->rate);
		jw_f64(j, "offered_requests_per_s", s->offered_rps);
		jw_f64(j, "achieved_requests_per_s", s->achieved_rps);
		jw_u64(j, "requests", s->requests);
		jw_f64(j, "p50_ms", s->p50_ms);
		jw_f64(j, "p95_ms", s->p95_ms);
		jw_f64(j, "p99_ms", s->p99_ms);
		jw_f64(j, "errors_pct", s->err_pct);
		jw_obj_begin(j, "generator");
		if (!out->closed)
			jw_f64(j, "applied_on_time_pct", s->on_time_pct);
		jw_f64(j, "busiest_thread_busy_pct", s->busy_pct);
		jw_obj_end(j);
		jw_str(j, "verdict",
		       s->verdict == STRESS_GOOD  ? "ok"
		       : s->verdict == STRESS_BAD ? "broke"
						  : "inconclusive");
		jw_str(j, "why", s->why[0] ? s->why : NULL);
		jw_obj_end(j);
	}
	jw_arr_end(j);
}

static void write_json(const struct stress_opts *o, const struct stress_outcome *out)
{
	FILE *f = fopen(o->json, "w");
	struct jw j;
	if (!f) {
		fprintf(stderr, "mcpload: --json %s: cannot write\n", o->json);
		return;
	}
	jw_init(&j, f);
	jw_obj_begin(&j, NULL);
	jw_str(&j, "tool", "mcpload");
	jw_str(&j, "mode", "stress");
	jw_str(&j, "scenario", o->scenario);
	jw_str(&j, "target", o->target);
	jw_obj_begin(&j, "slo");
	jw_f64(&j, "p99_ms", (double)o->p99_ns / 1e6);
	jw_f64(&j, "max_errors_pct", o->max_err_pct);
	jw_f64(&j, "min_achieved_pct", o->min_achieved_pct);
	jw_obj_end(&j);
	jw_obj_begin(&j, "search");
	jw_f64(&j, "start", o->start);
	jw_f64(&j, "factor", o->factor);
	jw_f64(&j, "step_s", (double)o->step_ns / 1e9);
	jw_f64(&j, "resolution_pct", o->resolution_pct);
	jw_obj_end(&j);
	stress_json_result(&j, out);
	jw_obj_end(&j);
	fputc('\n', f);
	if (fclose(f) != 0)
		fprintf(stderr, "mcpload: --json %s: write failed\n", o->json);
}

/* Step up by the factor until a step breaks, then bisect (geometrically)
 * between the last good and the first bad rate. */
static int search(const struct stress_opts *o, struct stress_step *steps, unsigned *n,
		  const struct stress_step **best, const char **verdict, char *why, size_t wl)
{
	double good = 0, bad = 0, rate = o->start;
	const struct stress_step *bad_step = NULL;
	int r;
	*best = NULL;
	while (*n < STRESS_MAX_STEPS) {
		bool up = bad == 0;
		if (!up && bad / good - 1 <= o->resolution_pct / 100)
			break;
		if (!up)
			rate = round(sqrt(good * bad));
		if (!up && (rate <= good || rate >= bad))
			break; /* whole rates: nothing left between them */
		struct stress_step *s = &steps[(*n)++];
		r = run_step(o, rate, s);
		if (r < 0)
			return -1;
		print_step(o, s, up ? "step" : "bisect");
		if (r > 0) {
			*verdict = "INTERRUPTED";
			snprintf(why, wl, "interrupted at %.1f %s", rate, unit(o));
			return 3;
		}
		if (s->verdict == STRESS_INCONCLUSIVE) {
			*verdict = "INCONCLUSIVE";
			snprintf(why, wl, "at %.1f %s the %s", rate, unit(o), s->why);
			return 3;
		}
		if (s->verdict == STRESS_GOOD) {
			good = rate;
			*best = s;
			if (up && rate >= o->max_rate) {
				*verdict = "NOT REACHED";
				snprintf(why, wl, "the SLO held up to --max-rate %.1f",
					 o->max_rate);
				return 0;
			}
			if (up)
				rate = fmin(fmax(round(rate * o->factor), rate + 1), o->max_rate);
		} else {
			bad = rate;
			bad_step = s;
			if (good == 0) {
				*verdict = "BROKE AT START";
				snprintf(why, wl, "the first step (%.1f %s) broke: %s", rate,
					 unit(o), s->why);
				return 1;
			}
		}
	}
	*verdict = "FOUND";
	snprintf(why, wl, "%s at %.1f %s", bad_step ? bad_step->why : "steps exhausted", bad,
		 unit(o));
	return 0;
}

static int parse_pct(const char *s, double *v)
{
	char *end;
	*v = strtod(s, &end);
	return end != s && *end == 0 && *v >= 0 && *v <= 100 ? 0 : -1;
}

/* The flag to hand to a step's run for an option taken here (long ones
 * spelled into o->flags). */
static char *pass_flag(struct stress_opts *o, int c, const char *long_name)
{
	if (!long_name)
		return c == 'c' ? "-c" : c == 't' ? "-t" : "-H";
	char *b = o->flags[o->npass / 2];
	snprintf(b, sizeof(o->flags[0]), "--%s", long_name);
	return b;
}

static int parse(int argc, char **argv, struct stress_opts *o)
{
	enum {
		O_START = 256,
		O_FACTOR,
		O_STEP,
		O_P99,
		O_ERR,
		O_ACH,
		O_RES,
		O_MAX,
		O_JSON,
		O_PASS,
		O_MODEL
	};
	static const struct option opts[] = {{"target", required_argument, NULL, 'T'},
					     {"start", required_argument, NULL, O_START},
					     {"factor", required_argument, NULL, O_FACTOR},
					     {"step", required_argument, NULL, O_STEP},
					     {"p99", required_argument, NULL, O_P99},
					     {"max-errors", required_argument, NULL, O_ERR},
					     {"min-achieved", required_argument, NULL, O_ACH},
					     {"resolution", required_argument, NULL, O_RES},
					     {"max-rate", required_argument, NULL, O_MAX},
					     {"json", required_argument, NULL, O_JSON},
					     {"model", required_argument, NULL, O_MODEL},
					     {"users", required_argument, NULL, 'c'},
					     {"threads", required_argument, NULL, 't'},
					     {"set", required_argument, NULL, O_PASS},
					     {"header", required_argument, NULL, 'H'},
					     {"timeout", required_argument, NULL, O_PASS},
					     {"mcp-version", required_argument, NULL, O_PASS},
					     {"mcp-path", required_argument, NULL, O_PASS},
					     {"warmup", required_argument, NULL, O_PASS},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	char *end;
	int c, idx;
	*o = (struct stress_opts){.start = 10,
				  .factor = 1.5,
				  .max_rate = 1e6,
				  .step_ns = 10000000000ull,
				  .p99_ns = 200000000ull,
				  .max_err_pct = 1,
				  .min_achieved_pct = 95,
				  .resolution_pct = 5};
	optind = 2;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":c:t:H:qh", opts, &idx)) != -1) {
		double v = 0;
		switch (c) {
		case 'T':
			o->target = optarg;
			break;
		case O_START:
		case O_FACTOR:
		case O_MAX:
			v = strtod(optarg, &end);
			if (end == optarg || *end || !(v > 0) || (c == O_FACTOR && v <= 1.01) ||
			    v > 1e7)
				return fprintf(stderr, "mcpload: --%s: bad value '%s'\n",
					       opts[idx].name, optarg),
				       -1;
			*(c == O_START ? &o->start : c == O_FACTOR ? &o->factor : &o->max_rate) = v;
			break;
		case O_STEP:
		case O_P99:
			if (cli_parse_duration(optarg, c == O_STEP ? &o->step_ns : &o->p99_ns) <
				0 ||
			    (c == O_STEP && o->step_ns < 500000000ull))
				return fprintf(stderr,
					       "mcpload: --%s: bad duration '%s' (a step is 500ms "
					       "at least)\n",
					       c == O_STEP ? "step" : "p99", optarg),
				       -1;
			break;
		case O_ERR:
		case O_ACH:
		case O_RES:
			if (parse_pct(optarg, c == O_ERR   ? &o->max_err_pct
					      : c == O_ACH ? &o->min_achieved_pct
							   : &o->resolution_pct) < 0 ||
			    (c == O_RES && o->resolution_pct < 0.5))
				return fprintf(stderr, "mcpload: --%s: bad percentage '%s'\n",
					       opts[idx].name, optarg),
				       -1;
			break;
		case O_JSON:
			o->json = optarg;
			break;
		case O_MODEL:
			if (strcmp(optarg, "open") != 0 && strcmp(optarg, "closed") != 0)
				return fprintf(stderr, "mcpload: --model is open or closed\n"), -1;
			o->closed = strcmp(optarg, "closed") == 0;
			break;
		case 'c':
		case 't':
		case 'H':
		case O_PASS:
			if (o->npass + 2 > MAX_PASS)
				return fprintf(stderr, "mcpload: too many options\n"), -1;
			/* handed to every step's run, which checks them */
			o->pass[o->npass++] = pass_flag(o, c, c == O_PASS ? opts[idx].name : NULL);
			o->pass[o->npass++] = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		case ':':
			return fprintf(stderr, "mcpload: %s needs a value\n", argv[optind - 1]), -1;
		default:
			return fprintf(stderr,
				       "mcpload: unknown option '%s' (mcpload stress --help)\n",
				       argv[optind - 1]),
			       -1;
		}
	}
	if (optind != argc - 1 || !o->target)
		return fprintf(stderr, "mcpload: stress needs one SCENARIO and --target URL "
				       "(mcpload stress --help)\n"),
		       -1;
	for (int i = 0; o->closed && i < o->npass; i += 2)
		if (!strcmp(o->pass[i], "-c"))
			return fprintf(stderr, "mcpload: in the closed model the search steps the "
					       "users: no --users\n"),
			       -1;
	o->scenario = argv[optind];
	o->start = fmax(1, round(o->start));
	if (o->start > o->max_rate)
		return fprintf(stderr, "mcpload: --start is above --max-rate\n"), -1;
	return 0;
}

int stress_search(int argc, char **argv, struct stress_outcome *out)
{
	struct stress_opts o;
	const struct stress_step *best = NULL;
	int r = parse(argc, argv, &o);
	memset(out, 0, sizeof(*out));
	out->best = -1;
	out->verdict = "ERROR";
	if (r)
		return r > 0 ? -1 : 2;
	out->closed = o.closed;
	run_install_signals();
	if (!o.quiet)
		fprintf(stderr,
			"mcpload stress %s --target %s: %s model from %.1f %s, x%.2f every %.1fs; "
			"SLO p99 <= %.1f ms, errors <= %.2f %%%s\n",
			o.scenario, o.target, o.closed ? "closed" : "open", o.start, unit(&o),
			o.factor, (double)o.step_ns / 1e9, (double)o.p99_ns / 1e6, o.max_err_pct,
			o.closed ? "" : ", achieved >= the --min-achieved share");
	r = search(&o, out->steps, &out->n, &best, &out->verdict, out->why, sizeof(out->why));
	if (r < 0)
		return 1;
	out->best = best ? (int)(best - out->steps) : -1;
	if (o.json)
		write_json(&o, out);
	return r;
}

int stress_main(int argc, char **argv)
{
	struct stress_outcome *out = malloc(sizeof(*out));
	if (!out) {
		fprintf(stderr, "mcpload: out of memory\n");
		return 1;
	}
	int r = stress_search(argc, argv, out);
	if (r < 0) {
		free(out);
		return 0; /* --help */
	}
	if (r != 2 && out->best >= 0) {
		const struct stress_step *b = &out->steps[out->best];
		printf("max sustainable: %.1f %s = %.0f requests/s, p50 %.2f ms, p95 %.2f ms, "
		       "p99 %.2f ms, errors %.2f %% (%s; %s)\n",
		       b->rate, out->closed ? "users" : "iterations/s", b->achieved_rps, b->p50_ms,
		       b->p95_ms, b->p99_ms, b->err_pct, out->verdict, out->why);
	} else if (r != 2) {
		printf("max sustainable: none (%s; %s)\n", out->verdict, out->why);
	}
	free(out);
	return r;
}
