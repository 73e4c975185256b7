/*
 * suite: the NFR table (and, with --full, the benchmark phases before it)
 * run phase by phase on one prepared target (core/cmd/sphase), each NFR
 * judged from what its phases measured (stats/assess), the cache counters
 * scraped around NFR-01, the table printed and the JSON report written.
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
#include "core/engine/clock.h"
#include "core/engine/run.h"
#include "core/probe/memsrc.h"
#include "protocol/prom.h"
#include "stats/report/sreport.h"

static bool wanted(const struct suite_opts *o, const struct nfr *n)
{
	char buf[256], *save = NULL;
	if (!o->only)
		return true;
	snprintf(buf, sizeof(buf), "%s", o->only);
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		if (!strcasecmp(t, n->id) || !strcasecmp(t, n->short_id))
			return true;
	return false;
}

static bool bench_wanted(const struct suite_opts *o, const struct nfr *d)
{
	if (o->only)
		return wanted(o, d);
	return o->full || (o->profile && !strcmp(d->short_id, "load"));
}

/* The server's cache counters (hits, misses) from --metrics-url. */
static int scrape(const char *url, double *hits, double *misses)
{
	char *body, why[256];
	size_t len;
	if (probe_get(url, 5000000000ull, &body, &len, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: note: --metrics-url: %s\n", why);
		return -1;
	}
	int a = prom_sum(body, len, "mcp_resource_cache_hits_total", hits);
	int b = prom_sum(body, len, "mcp_resource_cache_misses_total", misses);
	free(body);
	if (a <= 0 || b <= 0) {
		fprintf(stderr, "mcpload: note: --metrics-url has no mcp_resource_cache_hits_total "
				"/ _misses_total\n");
		return -1;
	}
	return 0;
}

static int run_nfr(const struct suite_opts *o, const struct prep *p, const struct nfr *d,
		   struct assess *a)
{
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
	if (d->not_measured)
		return 0;
	for (unsigned k = 0; k < d->ncriteria; k++) {
		enum nfr_metric m = d->criteria[k].metric;
		if (m == NFR_HIT_RATE_PCT && o->metrics_url)
			scraped = scrape(o->metrics_url, &h0, &m0) == 0;
		if ((m == NFR_FIRST_P95_MS || m == NFR_REST_P95_MS) && !rn->first) {
			rn->first = sphase_new_tally();
			rn->rest = sphase_new_tally();
			if (!rn->first || !rn->rest)
				return -1;
		}
	}
	for (unsigned k = 0; k < d->nphases && r == 0; k++)
		r = sphase_run(o, p, &d->phases[k], rn, a);
	rn->ran = rn->nphases > 0 || (rn->stress && rn->stress->n > 0);
	if (scraped && scrape(o->metrics_url, &h1, &m1) == 0 && h1 + m1 - h0 - m0 > 0)
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
	case OPT_REPORT_DIR:
		o->report_dir = arg;
		return 0;
	case OPT_QUIET:
		o->quiet = true;
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
	default: /* --target, --threads, --mcp-version, --mcp-path: every phase's */
		return lopt_set(&o->base, id, arg, why, wl);
	}
}

/* --only names NFRs or phases that exist. */
static int check_only(const struct suite_opts *o, char *why, size_t wl)
{
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", o->only ? o->only : "");
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!nfr_find(t)) {
			snprintf(why, wl,
				 "--only: no NFR or phase '%s' (NFR-01 .. NFR-05, baseline, load, "
				 "cache, stress, memory)",
				 t);
			return -EINVAL;
		}
	}
	if (o->only && !buf[0]) {
		snprintf(why, wl, "--only needs a list, e.g. NFR-01,NFR-04");
		return -EINVAL;
	}
	return 0;
}

static int parse(struct suite_opts *o, int argc, char **argv)
{
	const char *pos[1];
	unsigned npos;
	char why[512];
	memset(o, 0, sizeof(*o));
	lopt_init(&o->base, CMD_RUN);
	o->report_dir = "reports";
	int r = cmd_parse(CMD_SUITE, argc, argv, suite_set, o, pos, 0, &npos);
	if (r != CMD_GO)
		return r;
	if (lopt_check_target(o->base.target, why, sizeof(why)) < 0 ||
	    check_only(o, why, sizeof(why)) < 0)
		return cmd_usage_error(CMD_SUITE, why);
	o->base.mem.metrics_url = NULL; /* the soak decides its memory source */
	return CMD_GO;
}

/* Does any phase the suite will run speak MCP? */
static bool needs_mcp(const struct suite_opts *o)
{
	unsigned n, nfull;
	const struct nfr *all = nfr_all(&n), *full = nfr_full(&nfull);
	bool any_full = false;
	for (unsigned i = 0; i < nfull; i++) {
		if (!bench_wanted(o, &full[i]))
			continue;
		any_full = true;
		for (unsigned k = 0; k < full[i].nphases; k++)
			if (scn_has_mcp(scn_find(full[i].phases[k].scenario)))
				return true;
	}
	if (any_full)
		return true; /* the warmup calls tools */
	for (unsigned i = 0; i < n; i++)
		for (unsigned k = 0; wanted(o, &all[i]) && k < all[i].nphases; k++)
			if (scn_has_mcp(scn_find(all[i].phases[k].scenario)))
				return true;
	return false;
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
	} else if (o->metrics_url && bench_wanted(o, nfr_find("memory"))) {
		char note[256];
		m.metrics_url = o->metrics_url;
		o->mem_metrics = memsrc_check(&m, note, sizeof(note)) == 0;
		if (!o->mem_metrics)
			fprintf(stderr,
				"mcpload: note: the memory phase cannot use --metrics-url: %s\n",
				note);
	}
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
	return 0;
}

/* Every wanted phase and NFR, in order. Returns 0 (also interrupted: the
 * report says so) or -1 when the suite could not go on. */
static int run_all(const struct suite_opts *o, const struct prep *p, struct assess *a)
{
	unsigned n, nfull;
	const struct nfr *all = nfr_all(&n), *full = nfr_full(&nfull);
	bool any_full = false;
	int r = 0;
	for (unsigned i = 0; i < nfull; i++)
		any_full |= bench_wanted(o, &full[i]);
	if (any_full)
		r = sphase_warmup(o, p);
	for (unsigned i = 0; i < nfull && r == 0; i++)
		if (bench_wanted(o, &full[i]))
			r = run_nfr(o, p, &full[i], a);
	for (unsigned i = 0; i < n && r == 0; i++)
		if (wanted(o, &all[i]))
			r = run_nfr(o, p, &all[i], a);
	return r == 1 ? 0 : r;
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
	return code;
}

int suite_main(int argc, char **argv)
{
	struct suite_opts o;
	struct prep p;
	struct assess *a = NULL;
	char why[512], *cmdline = NULL;
	uint64_t t0 = clock_now_ns();
	int r = parse(&o, argc, argv);
	if (r != CMD_GO)
		return r;
	if (check_outside(&o, why, sizeof(why)) < 0)
		return cmd_usage_error(CMD_SUITE, why);
	run_install_signals();
	r = prep_open(&p, &o.base, why, sizeof(why));
	if (r == 0)
		r = prep_reach(&p, &o.base, needs_mcp(&o), why, sizeof(why));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		r = r == -EINVAL ? CMD_EXIT_USAGE : CMD_EXIT_FAIL;
		goto out_prep;
	}
	a = calloc(1, sizeof(*a));
	cmdline = cmd_line(argc, argv);
	if (!a || !cmdline) {
		r = CMD_EXIT_FAIL;
		goto out_prep;
	}
	*a = (struct assess){.started_at = time(NULL),
			     .cmdline = cmdline,
			     .target = o.base.target,
			     .metrics_url = o.metrics_url,
			     .smoke = o.smoke,
			     .full = o.full,
			     .profile = o.profile ? o.profile->name : NULL,
			     .server = p.mcp};
	if (!o.quiet)
		fprintf(stderr, "mcpload %s  suite%s against %s\n", MCPL_VERSION,
			o.smoke ? " (smoke)" : "", o.base.target);
	r = run_all(&o, &p, a);
	a->duration_s = (double)(clock_now_ns() - t0) / 1e9;
	r = r < 0 ? CMD_EXIT_FAIL : report(&o, a);
	assess_free(a);
out_prep:
	prep_free(&p);
	free(a);
	free(cmdline);
	return r;
}
