/*
 * suite: the NFR table (and, with --full, the benchmark phases before it)
 * run phase by phase (core/sphase), each NFR judged from what its phases
 * measured, the cache counters scraped around NFR-01, the table printed and
 * the JSON report written.
 */
#include "core/cmd/suite.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/cmd/cli.h"
#include "core/engine/clock.h"
#include "core/probe/probe.h"
#include "core/engine/run.h"
#include "core/cmd/sphase.h"
#include "protocol/prom.h"
#include "scenarios/profile.h"
#include "stats/report/report.h"

static const char usage[] =
    "usage: mcpload suite --target URL [options]\n"
    "\n"
    "Runs the NFR-Performance suite against an MCP server and its REST services and\n"
    "judges every target: PASS (at most 5 % over is PASS within tolerance), WARNING\n"
    "(5-10 % over), FAIL (more), INCONCLUSIVE (more than 10 % of requests failed, or\n"
    "the load generator fell behind). Writes reports/benchmark_DATE_TIME.json.\n"
    "\n"
    "  --target URL        the server (REST routes under it, MCP at URL/mcp)\n"
    "  --metrics-url URL   its Prometheus /metrics: the cache counters are read\n"
    "                      before and after NFR-01\n"
    "  --only LIST         NFRs or phases to run, e.g. NFR-01,NFR-04 or cache,memory\n"
    "  --smoke             reduced loads: the whole suite in under a minute (CI)\n"
    "  --full              also seed 002's benchmark phases, first: a warmup (not\n"
    "                      recorded), baseline (one user), load (at --profile),\n"
    "                      cache (cold vs warm), stress (the breaking point) and\n"
    "                      memory (a soak at --profile)\n"
    "  --profile NAME      the load and memory phases' level: normal (default),\n"
    "                      peak, storm, stress, spike; without --full: NFRs + load\n"
    "  --server-pid PID    the memory phase reads the server's resident set in /proc\n"
    "                      (else from --metrics-url's process_resident_memory_bytes)\n"
    "  --report-dir DIR    where the report goes (default: reports)\n"
    "  --mcp-version V     auto (default), 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28\n"
    "  --mcp-path P        the MCP endpoint under the target (default /mcp)\n"
    "  -t, --threads N     worker threads (default: all CPUs)\n"
    "  -q, --quiet         only the table\n"
    "\n"
    "Exit status: 0 every NFR PASS or WARNING, 1 a FAIL (or the suite could not run),\n"
    "2 bad usage, 3 INCONCLUSIVE.\n";

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

/* Run one phase. Returns 0, 1 (interrupted: stop the suite) or -1 (the
 * suite cannot go on; the reason is printed). */
static int run_phase(const struct suite_opts *o, const struct nfr_phase *ph, struct report_nfr *rn,
		     struct report *rep)
{
	char *argv[40], store[8][32], why[256] = "";
	struct cfg cfg;
	struct run_result res;
	if (ph->kind == NFR_KIND_STRESS)
		return sphase_stress(o, ph, rn);
	int argc = sphase_argv(o, ph, argv, store), r;

	r = cli_parse(&cfg, argc, argv, stderr);
	if (r < 0) {
		cli_free(&cfg);
		return -1;
	}
	cfg.progress = cfg.progress && !o->quiet;
	cfg.quiet = true;
	if (cfg.mcp.era != MCP_ERA_NONE)
		rep->server = cfg.mcp;
	if (!o->quiet)
		fprintf(stderr, "  %s: %s ...\n", rn->def->short_id, ph->scenario);
	r = run_preflight(&cfg);
	if (r == 0)
		r = run_execute(&cfg, &res, why, sizeof(why));
	else
		snprintf(why, sizeof(why), "cannot connect to %s: %s", cfg.addr_text, strerror(-r));
	if (r < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		cli_free(&cfg);
		return -1;
	}
	struct tally *phase_all = sphase_new_tally();
	if (!phase_all) {
		run_result_free(&res);
		cli_free(&cfg);
		return -1;
	}
	sphase_take(rn, ph, &cfg, &res, phase_all);
	free(phase_all);
	if (ph->kind == NFR_KIND_PROFILE || ph->kind == NFR_KIND_SOAK)
		rn->profile = o->profile ? o->profile : "normal";
	if ((uint64_t)res.max_rss_kib > rep->client_rss_kib)
		rep->client_rss_kib = (uint64_t)res.max_rss_kib;
	bool stop = res.interrupted;
	run_result_free(&res);
	cli_free(&cfg);
	return stop ? 1 : 0;
}

static int run_nfr(const struct suite_opts *o, const struct nfr *d, struct report *rep)
{
	struct report_nfr *rn = &rep->nfrs[rep->nnfrs++];
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
	for (unsigned p = 0; p < d->nphases && r == 0; p++)
		r = run_phase(o, &d->phases[p], rn, rep);
	rn->ran = rn->nphases > 0 || (rn->stress && rn->stress->n > 0);
	if (scraped && scrape(o->metrics_url, &h1, &m1) == 0 && h1 + m1 - h0 - m0 > 0)
		rn->server_hit_rate_pct = 100 * (h1 - h0) / (h1 + m1 - h0 - m0);
	if (r == 1) {
		rep->interrupted = true;
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "interrupted");
	}
	report_judge(rn);
	return r;
}

static bool bench_wanted(const struct suite_opts *o, const struct nfr *d)
{
	if (o->only)
		return wanted(o, d);
	return o->full || (o->profile && !strcmp(d->short_id, "load"));
}

/* The soak's server memory: --server-pid must name a live process; a
 * --metrics-url without the resident-memory gauge is only for the cache. */
static int check_memory_source(struct suite_opts *o)
{
	struct memwatch_opts m = {0};
	char why[256];
	uint64_t pid;
	if (o->server_pid) {
		if (cli_parse_count(o->server_pid, &pid) < 0 || pid > 0x7fffffff) {
			fprintf(stderr, "mcpload: --server-pid: not a process id\n");
			return -1;
		}
		m.server_pid = (int)pid;
		if (memwatch_check(&m, why, sizeof(why)) < 0) {
			fprintf(stderr, "mcpload: --server-pid: %s\n", why);
			return -1;
		}
		return 0;
	}
	if (!o->metrics_url || !bench_wanted(o, nfr_find("memory")))
		return 0;
	m.metrics_url = o->metrics_url;
	o->mem_metrics = memwatch_check(&m, why, sizeof(why)) == 0;
	if (!o->mem_metrics)
		fprintf(stderr, "mcpload: note: the memory phase cannot use --metrics-url: %s\n",
			why);
	return 0;
}

static int parse(int argc, char **argv, struct suite_opts *o)
{
	static const struct option opts[] = {{"target", required_argument, NULL, 'T'},
					     {"metrics-url", required_argument, NULL, 'M'},
					     {"only", required_argument, NULL, 'O'},
					     {"smoke", no_argument, NULL, 'S'},
					     {"report-dir", required_argument, NULL, 'D'},
					     {"mcp-version", required_argument, NULL, 'v'},
					     {"mcp-path", required_argument, NULL, 'P'},
					     {"threads", required_argument, NULL, 't'},
					     {"full", no_argument, NULL, 'F'},
					     {"profile", required_argument, NULL, 'p'},
					     {"server-pid", required_argument, NULL, 'I'},
					     {"quiet", no_argument, NULL, 'q'},
					     {"help", no_argument, NULL, 'h'},
					     {NULL, 0, NULL, 0}};
	char **sub = argv + 1; /* "suite" plays the program name */
	int opt, subc = argc - 1;
	memset(o, 0, sizeof(*o));
	o->report_dir = "reports";
	optind = 1;
	opterr = 0;
	while ((opt = getopt_long(subc, sub, ":t:qh", opts, NULL)) != -1) {
		switch (opt) {
		case 'T':
			o->target = optarg;
			break;
		case 'M':
			o->metrics_url = optarg;
			break;
		case 'O':
			o->only = optarg;
			break;
		case 'S':
			o->smoke = true;
			break;
		case 'D':
			o->report_dir = optarg;
			break;
		case 'v':
			o->mcp_version = optarg;
			break;
		case 'P':
			o->mcp_path = optarg;
			break;
		case 't':
			o->threads = optarg;
			break;
		case 'F':
			o->full = true;
			break;
		case 'p':
			o->profile = optarg;
			break;
		case 'I':
			o->server_pid = optarg;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			fprintf(stderr, "mcpload: %s '%s' (see mcpload suite --help)\n",
				opt == ':' ? "option needs a value" : "unknown option",
				sub[optind - 1]);
			return -1;
		}
	}
	if (optind != subc) {
		fprintf(stderr, "mcpload: unexpected argument '%s' (see mcpload suite --help)\n",
			sub[optind]);
		return -1;
	}
	if (!o->target) {
		fprintf(stderr, "mcpload: missing --target URL (see mcpload suite --help)\n");
		return -1;
	}
	char buf[256], *save = NULL;
	snprintf(buf, sizeof(buf), "%s", o->only ? o->only : "");
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		if (!nfr_find(t)) {
			fprintf(stderr,
				"mcpload: --only: no NFR or phase '%s' (NFR-01 .. NFR-05, "
				"baseline, load, cache, stress, memory)\n",
				t);
			return -1;
		}
	}
	if (o->only && !buf[0]) {
		fprintf(stderr, "mcpload: --only needs a list, e.g. NFR-01,NFR-04\n");
		return -1;
	}
	if (o->profile && !profile_find(o->profile)) {
		fprintf(stderr, "mcpload: --profile is %s\n", profile_names());
		return -1;
	}
	if (check_memory_source(o) < 0)
		return -1;
	if (o->mcp_version && strcmp(o->mcp_version, "auto") != 0 &&
	    mcp_version_era(o->mcp_version, strlen(o->mcp_version)) == MCP_ERA_NONE) {
		fprintf(stderr, "mcpload: --mcp-version: '%s' is not a version mcpload speaks\n",
			o->mcp_version);
		return -1;
	}
	return 0;
}

int suite_main(int argc, char **argv)
{
	struct suite_opts o;
	struct report *rep;
	char path[4200];
	unsigned n;
	int r = parse(argc, argv, &o), code;
	const struct nfr *all = nfr_all(&n);
	uint64_t t0 = clock_now_ns();

	if (r != 0)
		return r > 0 ? CLI_EXIT_OK : CLI_EXIT_USAGE;
	rep = calloc(1, sizeof(*rep));
	if (!rep)
		return CLI_EXIT_FAIL;
	rep->started_at = time(NULL);
	rep->target = o.target;
	rep->metrics_url = o.metrics_url;
	rep->smoke = o.smoke;
	rep->full = o.full;
	rep->profile = o.profile;
	size_t cl = 1;
	for (int i = 0; i < argc; i++)
		cl += strlen(argv[i]) + 1;
	char *cmdline = calloc(1, cl);
	for (int i = 0; cmdline && i < argc; i++)
		strcat(strcat(cmdline, i ? " " : ""), argv[i]);
	rep->cmdline = cmdline;
	run_install_signals();
	if (!o.quiet)
		fprintf(stderr, "mcpload %s  suite%s against %s\n", MCPL_VERSION,
			o.smoke ? " (smoke)" : "", o.target);
	unsigned nfull;
	const struct nfr *full = nfr_full(&nfull);
	bool any_full = false;
	for (unsigned i = 0; i < nfull; i++)
		any_full |= bench_wanted(&o, &full[i]);
	if (any_full)
		r = sphase_warmup(&o);
	for (unsigned i = 0; i < nfull && r == 0; i++)
		if (bench_wanted(&o, &full[i]))
			r = run_nfr(&o, &full[i], rep);
	for (unsigned i = 0; i < n && r == 0; i++)
		if (wanted(&o, &all[i]))
			r = run_nfr(&o, &all[i], rep);
	if (r == 1)
		r = 0; /* interrupted: the report says so */
	rep->duration_s = (double)(clock_now_ns() - t0) / 1e9;
	if (r < 0) {
		report_free(rep);
		free(rep);
		free(cmdline);
		return CLI_EXIT_FAIL;
	}
	code = report_exit_code(rep);
	report_print(stdout, rep);
	r = report_write(rep, o.report_dir, path, sizeof(path));
	if (r < 0) {
		fprintf(stderr, "mcpload: cannot write the report in %s: %s\n", o.report_dir,
			strerror(-r));
		code = CLI_EXIT_FAIL;
	} else {
		printf("\n  report: %s\n", path);
	}
	report_free(rep);
	free(rep);
	free(cmdline);
	return code;
}
