/*
 * suite: the NFR table for this server (scenarios/snfr: the bundled
 * defaults for the reference server, else the --config file or what the
 * server's own MCP lists give), run phase by phase on one prepared target
 * (core/cmd/sphase), each NFR judged from what its phases measured
 * (stats/assess), the table printed and the JSON report written, whatever
 * the server lacks.
 */
#include "core/cmd/suite.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "core/cmd/cmd.h"
#include "core/cmd/sphase.h"
#include "core/cmd/splan.h"
#include "core/cmd/survey.h"
#include "core/engine/clock.h"
#include "core/engine/run.h"
#include "core/probe/memsrc.h"
#include "protocol/prom.h"
#include "scenarios/snfr.h"
#include "stats/report/out.h"
#include "stats/report/rjunit.h"
#include "stats/report/shtml.h"
#include "stats/report/sreport.h"

#define BUNDLED_NAME "mcpload-target" /* the reference server's serverInfo.name */

/* Everything one suite run holds. */
struct suite {
	struct suite_opts o;
	struct sconf conf;
	bool have_conf;
	struct snfr table;
	struct prep p;
	struct survey survey;
	char mcp_missing[320];
	bool bundled;
};

/* The server's cache counters (hits, misses) from --metrics-url. */
static int scrape(const char *url, const struct nfr *d, double *hits, double *misses)
{
	char *body, why[256];
	size_t len;
	if (probe_get(url, NULL, NULL, 5000000000ull, &body, &len, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: note: --metrics-url: %s\n", why);
		return -1;
	}
	int a = prom_sum(body, len, d->hits_metric, hits);
	int b = prom_sum(body, len, d->misses_metric, misses);
	free(body);
	if (a <= 0 || b <= 0) {
		fprintf(stderr, "mcpload: note: --metrics-url has no %s / %s\n", d->hits_metric,
			d->misses_metric);
		return -1;
	}
	return 0;
}

/* The restore steps after an NFR's phases (not recorded). */
static void restore(const struct suite_opts *o, const struct prep *p, const struct nfr *d)
{
	struct nfr_phase ph = {.name = "restore",
			       .scenario = d->restore->name,
			       .scn = d->restore,
			       .users = 1,
			       .iterations = 1};
	if (!o->quiet)
		fprintf(stderr, "  %s: restore (not recorded)\n", d->short_id);
	if (sphase_quiet(o, p, &ph) != 0)
		fprintf(stderr,
			"mcpload: %s: the restore steps did not all succeed: the data may "
			"need putting back by hand\n",
			d->short_id);
}

/* One phase, cut to a half when --only asks for one of a mixed scenario. */
static int run_phase(struct suite *s, const struct nfr *d, const struct nfr_phase *ph,
		     struct assess_nfr *rn, struct assess *a)
{
	int half = splan_half(s->o.only, d, ph);
	if (half < 0)
		return sphase_run(&s->o, &s->p, ph, rn, a);
	struct snfr_part *part = malloc(sizeof(*part));
	if (!part)
		return -1;
	snfr_part(nfr_phase_scn(ph), half == 1, part);
	struct nfr_phase cut = *ph;
	cut.scn = &part->scn;
	cut.name = half == 1 ? "mcp" : "rest";
	int r = sphase_run(&s->o, &s->p, &cut, rn, a);
	free(part);
	return r;
}

static int run_nfr(struct suite *s, const struct nfr *d, struct assess *a)
{
	const struct suite_opts *o = &s->o;
	struct assess_nfr *rn = &a->nfrs[a->nnfrs++];
	double h0 = 0, m0 = 0, h1 = 0, m1 = 0;
	bool scraped = false;
	int r = 0;
	rn->def = d;
	rn->server_hit_rate_pct = -1;
	rn->all = sphase_new_tally();
	rn->hit = sphase_new_tally();
	rn->miss = sphase_new_tally();
	if (!rn->all || !rn->hit || !rn->miss)
		return -1;
	if (d->not_measured || d->avail != NFR_RUNS) {
		assess_judge(rn);
		return 0;
	}
	for (unsigned k = 0; k < d->ncriteria; k++) {
		enum nfr_metric m = d->criteria[k].metric;
		if (m == NFR_HIT_RATE_PCT && o->metrics_url && d->hits_metric)
			scraped = scrape(o->metrics_url, d, &h0, &m0) == 0;
		if ((m == NFR_FIRST_P95_MS || m == NFR_REST_P95_MS) && !rn->first) {
			rn->first = sphase_new_tally();
			rn->rest = sphase_new_tally();
			if (!rn->first || !rn->rest)
				return -1;
		}
	}
	for (unsigned k = 0; k < d->nphases && r == 0; k++)
		if (splan_phase_wanted(o->only, d, &d->phases[k]))
			r = run_phase(s, d, &d->phases[k], rn, a);
	if (d->restore && r != -1)
		restore(o, &s->p, d);
	rn->ran = rn->nphases > 0 || (rn->stress && rn->stress->n > 0) || rn->tok;
	if (scraped && scrape(o->metrics_url, d, &h1, &m1) == 0 && h1 + m1 - h0 - m0 > 0)
		rn->server_hit_rate_pct = 100 * (h1 - h0) / (h1 + m1 - h0 - m0);
	if (r == 1) {
		a->interrupted = true;
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "interrupted");
	}
	assess_judge(rn);
	return r;
}

static int suite_set(void *ctx, enum opt_id id, const char *arg, char *why, size_t wl)
{
	struct suite_opts *o = ctx;
	uint64_t v;
	switch (id) {
	case OPT_METRICS_URL:
		o->metrics_url = arg;
		return lopt_set(&o->base, id, arg, why, wl); /* checks it is an http:// URL */
	case OPT_ONLY:
		o->only = arg;
		return 0;
	case OPT_SMOKE:
		o->smoke = true;
		return 0;
	case OPT_FULL:
		o->full = true;
		return 0;
	case OPT_HTML:
		o->html = arg;
		return 0;
	case OPT_JUNIT:
		o->junit = arg;
		return 0;
	case OPT_REPORT_DIR:
		o->report_dir = arg;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
		return 0;
	case OPT_CONFIG:
		o->config = arg;
		return 0;
	case OPT_PLAN:
		o->plan = true;
		return 0;
	case OPT_FILES:
		o->files = arg;
		return 0;
	case OPT_BASELINE:
		o->baseline = arg;
		return 0;
	case OPT_PROFILE:
		o->profile = profile_find(arg);
		if (!o->profile) {
			snprintf(why, wl, "--profile is %s: '%s'", profile_names(), arg);
			return -EINVAL;
		}
		return 0;
	case OPT_SERVER_PID:
		if (units_count(arg, &v) < 0 || v > 0x7fffffff) {
			snprintf(why, wl, "--server-pid: not a process id: '%s'", arg);
			return -EINVAL;
		}
		o->server_pid = (int)v;
		return 0;
	default: /* --target, --threads, --mcp-*, -H, --header-file: every phase's */
		return lopt_set(&o->base, id, arg, why, wl);
	}
}

/* The configuration file: read, and what it says of the target, the MCP
 * path, the metrics and the headers taken where the command line is silent. */
static int read_config(struct suite *s, char *why, size_t wl)
{
	char *text;
	size_t len;
	struct lopt *b = &s->o.base;
	if (prep_read_text(s->o.config, "suite configuration", &text, &len, why, wl) < 0)
		return -EINVAL;
	int r = sconf_parse(&s->conf, s->o.config, text, len, why, wl);
	free(text);
	s->have_conf = r == 0;
	if (r < 0)
		return r;
	if (!b->target && s->conf.target && lopt_set(b, OPT_TARGET, s->conf.target, why, wl) < 0)
		return -EINVAL;
	if (!b->mcp_path && s->conf.mcp_path)
		b->mcp_path = s->conf.mcp_path;
	if (!s->o.metrics_url && s->conf.metrics_url) {
		s->o.metrics_url = s->conf.metrics_url;
		if (lopt_set(b, OPT_METRICS_URL, s->conf.metrics_url, why, wl) < 0)
			return -EINVAL;
	}
	for (unsigned i = 0; i < s->conf.nheaders; i++)
		if (lopt_add_header(b, s->conf.headers[i], why, wl) < 0)
			return -EINVAL;
	return 0;
}

static int parse(struct suite *s, int argc, char **argv)
{
	const char *pos[1];
	unsigned npos;
	char why[512];
	struct suite_opts *o = &s->o;
	lopt_init(&o->base, CMD_RUN);
	o->report_dir = "reports";
	int r = cmd_parse(CMD_SUITE, argc, argv, suite_set, o, pos, 0, &npos);
	if (r != CMD_GO)
		return r;
	if (prep_inputs(&o->base, why, sizeof(why)) < 0 ||
	    (o->config && read_config(s, why, sizeof(why)) < 0) ||
	    lopt_check_target(o->base.target, why, sizeof(why)) < 0 ||
	    splan_check_only(o->only, why, sizeof(why)) < 0)
		return cmd_usage_error(CMD_SUITE, why);
	o->base.mem.metrics_url = NULL; /* the soak decides its memory source */
	stok_src(&o->tok, o->files, o->baseline, s->have_conf ? &s->conf.wf : NULL, o->config);
	/* a smoke phase lasts seconds: a few late timer wake-ups of a shared
	 * machine are a larger share of it; its bar (docs/suite.md) */
	if (o->smoke && !o->base.on_time_pct)
		o->base.on_time_pct = SUITE_SMOKE_ON_TIME_PCT;
	return CMD_GO;
}

/* The memory phase's source: --server-pid must name a live process; a
 * --metrics-url without the resident-memory gauge is only for the cache.
 * The report directory must be one we can write into. */
static int check_outside(struct suite_opts *o, char *why, size_t wl)
{
	struct memtrend_opts m = {0};
	struct stat st;
	if (o->server_pid) {
		m.server_pid = o->server_pid;
		if (memsrc_check(&m, why, wl) < 0)
			return -EINVAL;
	} else if (o->metrics_url && splan_bench_wanted(o, nfr_find("memory"))) {
		char note[256];
		m.metrics_url = o->metrics_url;
		o->mem_metrics = memsrc_check(&m, note, sizeof(note)) == 0;
		if (!o->mem_metrics)
			fprintf(stderr,
				"mcpload: note: the memory phase cannot use --metrics-url: %s\n",
				note);
	}
	if (o->tok.files && (stat(o->tok.files, &st) < 0 || !S_ISDIR(st.st_mode))) {
		snprintf(why, wl, "NFR-03's files: %s is not a directory", o->tok.files);
		return -EINVAL;
	}
	if (o->tok.baseline && access(o->tok.baseline, R_OK) < 0) {
		snprintf(why, wl, "NFR-03's baseline %s: %s", o->tok.baseline, strerror(errno));
		return -EINVAL;
	}
	if (o->plan)
		return 0;
	if (mkdir(o->report_dir, 0777) < 0 && errno != EEXIST) {
		snprintf(why, wl, "--report-dir %s: %s", o->report_dir, strerror(errno));
		return -EINVAL;
	}
	if (stat(o->report_dir, &st) < 0 || !S_ISDIR(st.st_mode) ||
	    access(o->report_dir, W_OK | X_OK) < 0) {
		snprintf(why, wl, "--report-dir %s: not a directory we can write into",
			 o->report_dir);
		return -EINVAL;
	}
	/* after the directory: the files may go into it */
	if ((o->html && out_check(o->html, why, wl) < 0) ||
	    (o->junit && out_check(o->junit, why, wl) < 0))
		return -EINVAL;
	return 0;
}

/* Every wanted phase and NFR, in order. Returns 0 (also interrupted: the
 * report says so) or -1 when the suite could not go on. */
static int run_all(struct suite *s, struct assess *a)
{
	unsigned nfull;
	const struct nfr *full = nfr_full(&nfull);
	bool any_full = false;
	int r = 0;
	for (unsigned i = 0; i < nfull; i++)
		any_full |= splan_bench_wanted(&s->o, &full[i]);
	if (any_full && s->mcp_missing[0]) {
		fprintf(stderr,
			"mcpload: note: the benchmark phases call MCP tools: skipped (%s)\n",
			s->mcp_missing);
		any_full = false;
	}
	if (any_full)
		r = sphase_warmup(&s->o, &s->p);
	for (unsigned i = 0; i < nfull && r == 0 && any_full; i++)
		if (splan_bench_wanted(&s->o, &full[i]))
			r = run_nfr(s, &full[i], a);
	for (unsigned i = 0; i < s->table.n && r == 0; i++)
		if (splan_wanted(s->o.only, &s->table.nfrs[i]))
			r = run_nfr(s, &s->table.nfrs[i], a);
	return r == 1 ? 0 : r;
}

/* The HTML page (beside the JSON unless --html says where) and --junit. */
static int other_reports(const struct suite_opts *o, const struct assess *a, const char *json,
			 int code)
{
	char html[4200], why[512];
	size_t n = strlen(json);
	struct rjunit *u;
	snprintf(html, sizeof(html), "%.*s.html", (int)(n > 5 ? n - 5 : n), json);
	if (shtml_suite_write(o->html ? o->html : html, a, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		code = CMD_EXIT_FAIL;
	} else {
		printf("  html:   %s\n", o->html ? o->html : html);
	}
	if (!o->junit)
		return code;
	if (!(u = calloc(1, sizeof(*u)))) {
		fprintf(stderr, "mcpload: --junit: out of memory\n");
		return CMD_EXIT_FAIL;
	}
	u->name = a->cmdline;
	u->started_at = a->started_at;
	u->time_s = a->duration_s;
	rjunit_suite_cases(u, a);
	if (rjunit_write(o->junit, u, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		code = CMD_EXIT_FAIL;
	}
	free(u);
	return code;
}

static int report(const struct suite_opts *o, struct assess *a)
{
	char path[4200], why[512];
	int code = assess_exit_code(a);
	sreport_print(stdout, a);
	if (sreport_write(a, o->report_dir, path, sizeof(path), why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		return CMD_EXIT_FAIL;
	}
	printf("\n  report: %s\n", path);
	return other_reports(o, a, path, code);
}

/* Without a configuration, a server that is not the reference one is
 * measured on what its MCP lists offer: every resource, every tool that
 * accepted its synthesized arguments and is not marked destructive. */
static int discover(struct suite *s, const char *path)
{
	struct survey *v = &s->survey;
	struct sconf *c = &s->conf;
	unsigned refused = 0, left = 0;
	if (sconf_init(c) < 0 || survey_mcp(v, &s->p.peer, path, &s->p.mcp, NULL, true) < 0)
		return -ENOMEM;
	s->have_conf = true;
	c->discovered = true;
	c->has[0] = c->has[1] = true;
	for (unsigned i = 0; i < v->nres; i++)
		(void)sconf_add_resource(c, v->res[i].name);
	for (unsigned i = 0; i < v->ntools; i++) {
		const struct survey_tool *t = &v->tools[i];
		bool skip = t->destructive || t->open_world || t->slow;
		refused += t->refused;
		left += !t->refused && skip;
		if (!t->refused && !skip)
			(void)sconf_add_tool(c, t->name, t->args);
	}
	if (!s->o.quiet) {
		fprintf(stderr, "  discovery (%u requests): %u resources, %u tools", v->requests,
			v->nres, v->ntools);
		if (refused || left)
			fprintf(stderr,
				" (left out: %u refused their synthesized arguments, %u "
				"marked destructive or open-world or slower than 5 s when "
				"tried; mcpload init writes them to review)",
				refused, left);
		fprintf(stderr, "\n%s", v->notes);
	}
	return 0;
}

/* Reach the server: connect, probe MCP (its absence is a reason, not an
 * error), tell the reference server apart, discover without a file. */
static int reach(struct suite *s, char *why, size_t wl)
{
	char path[1024];
	int r = prep_open(&s->p, &s->o.base, why, wl);
	s->o.base.mem.tls = s->p.peer.tls; /* an https --metrics-url: the same trust */
	if (r == 0)
		r = prep_reach(&s->p, &s->o.base, false, why, wl);
	if (r < 0)
		return r;
	prep_mcp_path(&s->p, &s->o.base, path, sizeof(path));
	if (probe_mcp(&s->p.peer, path, s->o.base.mcp_version, &s->p.mcp, s->mcp_missing,
		      sizeof(s->mcp_missing)) < 0)
		s->p.mcp.era = MCP_ERA_NONE;
	else
		s->mcp_missing[0] = 0;
	s->bundled = !s->mcp_missing[0] && !strcmp(s->p.mcp.server_name, BUNDLED_NAME);
	if (!s->have_conf && !s->bundled && !s->mcp_missing[0])
		return discover(s, path);
	return 0;
}

static int build_table(struct suite *s, char *why, size_t wl)
{
	struct snfr_server srv = {.bundled = s->bundled,
				  .mcp_missing = s->mcp_missing[0] ? s->mcp_missing : NULL,
				  .target = s->o.base.target,
				  .token_source = s->o.tok.files || s->o.tok.baseline};
	if (s->o.plan && !s->have_conf)
		srv.bundled = true; /* nothing sent: the defaults are all there is to show */
	if (snfr_build(&s->table, s->have_conf ? &s->conf : NULL, &srv, why, wl) < 0)
		return -1;
	if (s->table.notes[0] && !s->o.quiet)
		fprintf(stderr, "%s", s->table.notes);
	return 0;
}

/* The server cannot be reached: every wanted NFR FAILs with the reason,
 * and the report says so. */
static int unreachable(struct suite *s, struct assess *a, const char *why)
{
	char bwhy[256];
	s->bundled = true; /* the table's own phases: none of them ran */
	if (build_table(s, bwhy, sizeof(bwhy)) < 0)
		return CMD_EXIT_FAIL;
	for (unsigned i = 0; i < s->table.n; i++) {
		const struct nfr *d = &s->table.nfrs[i];
		if (!splan_wanted(s->o.only, d))
			continue;
		struct assess_nfr *rn = &a->nfrs[a->nnfrs++];
		rn->def = d;
		rn->server_hit_rate_pct = -1;
		rn->all = sphase_new_tally();
		rn->hit = sphase_new_tally();
		rn->miss = sphase_new_tally();
		if (!rn->all || !rn->hit || !rn->miss)
			return CMD_EXIT_FAIL;
		if (d->not_measured)
			continue;
		rn->verdict = VERDICT_FAIL;
		snprintf(rn->fail_reason, sizeof(rn->fail_reason), "%.180s", why);
		snprintf(rn->note, sizeof(rn->note), "not run: %.170s", why);
	}
	(void)report(&s->o, a);
	return CMD_EXIT_FAIL;
}

static int go(struct suite *s, int argc, char **argv)
{
	struct assess *a = calloc(1, sizeof(*a));
	char why[512], *cmdline = cmd_line(argc, argv);
	uint64_t t0 = clock_now_ns();
	int r;
	if (!a || !cmdline) {
		free(a);
		free(cmdline);
		return CMD_EXIT_FAIL;
	}
	*a = (struct assess){.started_at = time(NULL),
			     .cmdline = cmdline,
			     .target = s->o.base.target,
			     .metrics_url = s->o.metrics_url,
			     .smoke = s->o.smoke,
			     .full = s->o.full,
			     .profile = s->o.profile ? s->o.profile->name : NULL};
	run_install_signals();
	if (!s->o.quiet)
		fprintf(stderr, "mcpload %s  suite%s against %s\n", MCPL_VERSION,
			s->o.smoke ? " (smoke)" : "", s->o.base.target);
	r = reach(s, why, sizeof(why));
	if (r == -EINVAL || r == -ENOMEM) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out;
	}
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = unreachable(s, a, why);
		goto out;
	}
	a->server = s->p.mcp;
	if (build_table(s, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = CMD_EXIT_FAIL;
		goto out;
	}
	if (!s->o.quiet) {
		if (s->bundled && !s->have_conf)
			fprintf(stderr, "  the reference server: its bundled defaults\n");
		else if (s->mcp_missing[0])
			fprintf(stderr, "  no MCP endpoint: %s\n", s->mcp_missing);
		splan_changes(stderr, &s->o, &s->table);
	}
	r = run_all(s, a);
	a->duration_s = (double)(clock_now_ns() - t0) / 1e9;
	r = r < 0 ? CMD_EXIT_FAIL : report(&s->o, a);
out:
	assess_free(a);
	free(a);
	free(cmdline);
	return r;
}

int suite_main(int argc, char **argv)
{
	struct suite *s = calloc(1, sizeof(*s));
	char why[512];
	int r;
	if (!s)
		return CMD_EXIT_FAIL;
	r = parse(s, argc, argv);
	if (r == CMD_GO && check_outside(&s->o, why, sizeof(why)) < 0)
		r = cmd_usage_error(CMD_SUITE, why);
	if (r == CMD_GO && s->o.plan)
		r = build_table(s, why, sizeof(why)) < 0 ? CMD_EXIT_FAIL
							 : splan_print(stdout, &s->o, &s->table);
	else if (r == CMD_GO)
		r = go(s, argc, argv);
	snfr_free(&s->table);
	survey_free(&s->survey);
	prep_free(&s->p);
	sconf_free(&s->conf);
	free(s);
	return r;
}
