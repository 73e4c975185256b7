/*
 * suite: each phase is one `mcpload run` built from the NFR table (the same
 * command-line path a user would type, so a phase can be rerun by hand),
 * executed with run_execute; its per-label tallies are merged into the
 * NFR's, the cache split (X-Cache HIT/MISS) apart, MCP session setup left
 * out of the latency figures.
 */
#include "core/suite.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/cli.h"
#include "core/clock.h"
#include "core/probe.h"
#include "core/run.h"
#include "protocol/prom.h"
#include "stats/report.h"

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
    "  --only LIST         NFRs to run, e.g. NFR-01,NFR-04\n"
    "  --smoke             reduced loads: the whole suite in under a minute (CI)\n"
    "  --report-dir DIR    where the report goes (default: reports)\n"
    "  --mcp-version V     auto (default), 2025-03-26, 2025-06-18, 2025-11-25, 2026-07-28\n"
    "  --mcp-path P        the MCP endpoint under the target (default /mcp)\n"
    "  -t, --threads N     worker threads (default: all CPUs)\n"
    "  -q, --quiet         only the table\n"
    "\n"
    "Exit status: 0 every NFR PASS or WARNING, 1 a FAIL (or the suite could not run),\n"
    "2 bad usage, 3 INCONCLUSIVE.\n";

struct suite_opts {
	const char *target, *metrics_url, *only, *report_dir, *mcp_version, *mcp_path;
	const char *threads;
	bool smoke, quiet;
};

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

/* The `mcpload run` command line of one phase. */
static int phase_argv(const struct suite_opts *o, const struct nfr_phase *ph, char **argv,
		      char store[][32])
{
	int n = 0, k = 0;
	unsigned users = o->smoke && ph->smoke_users ? ph->smoke_users : ph->users;
	double spawn = o->smoke && ph->smoke_spawn_rate ? ph->smoke_spawn_rate : ph->spawn_rate;
	uint64_t dur = o->smoke && ph->smoke_duration_ns ? ph->smoke_duration_ns : ph->duration_ns;
	argv[n++] = "mcpload";
	argv[n++] = "run";
	argv[n++] = (char *)ph->scenario;
	argv[n++] = "--target";
	argv[n++] = (char *)o->target;
	argv[n++] = "-q";
#define ARG(flag, fmt, v)                                                                          \
	do {                                                                                       \
		argv[n++] = flag;                                                                  \
		snprintf(store[k], 32, fmt, v);                                                    \
		argv[n++] = store[k++];                                                            \
	} while (0)
	if (users)
		ARG("--users", "%u", users);
	if (spawn > 0)
		ARG("--spawn-rate", "%g", spawn);
	uint64_t iters = o->smoke && ph->smoke_iterations ? ph->smoke_iterations : ph->iterations;
	if (iters)
		ARG("--iterations", "%llu", (unsigned long long)iters);
	if (ph->rate > 0)
		ARG("-R", "%.0f", ph->rate);
	if (dur)
		ARG("-d", "%llums", (unsigned long long)(dur / 1000000));
#undef ARG
	if (o->threads) {
		argv[n++] = "-t";
		argv[n++] = (char *)o->threads;
	}
	if (o->mcp_version) {
		argv[n++] = "--mcp-version";
		argv[n++] = (char *)o->mcp_version;
	}
	if (o->mcp_path) {
		argv[n++] = "--mcp-path";
		argv[n++] = (char *)o->mcp_path;
	}
	argv[n] = NULL;
	return n;
}

static struct tally *new_tally(void)
{
	return calloc(1, sizeof(struct tally));
}

static struct tally *label_tally(struct report_nfr *rn, const char *name)
{
	for (unsigned i = 0; i < rn->nlabels; i++)
		if (!strcmp(rn->labels[i].name, name))
			return rn->labels[i].t;
	if (rn->nlabels == REPORT_MAX_LABELS)
		return NULL;
	struct report_label *l = &rn->labels[rn->nlabels];
	l->t = new_tally();
	if (!l->t)
		return NULL;
	snprintf(l->name, sizeof(l->name), "%s", name);
	rn->nlabels++;
	return l->t;
}

/* Merge what one phase measured into the NFR. */
static void take_phase(struct report_nfr *rn, const struct cfg *cfg, struct run_result *res)
{
	const struct plan *p = cfg->plan;
	struct report_phase *ph = &rn->phases[rn->nphases++];
	uint64_t ok = 0;
	for (unsigned i = 0; i < p->nlabels && res->slots; i++) {
		const struct plan_label *l = &p->labels[i];
		const struct tally *lt = &res->slots[l->slot];
		struct tally *mine;
		if (p->mcp.era == MCP_ERA_LEGACY && i == p->mcp.setup_label)
			continue; /* session setup is not a resource load or a tool call */
		tally_merge(rn->all, lt);
		mine = label_tally(rn, l->name);
		if (mine)
			tally_merge(mine, lt);
		ok += lt->responses - (tally_error_total(lt) < lt->responses ? tally_error_total(lt)
									     : lt->responses);
		for (unsigned k = 0; l->split && !strcmp(l->split, "x-cache") && k < l->nsplit;
		     k++) {
			if (!strcasecmp(l->split_values[k], "HIT"))
				tally_merge(rn->hit, &res->slots[l->slot + 1 + k]);
			else if (!strcasecmp(l->split_values[k], "MISS"))
				tally_merge(rn->miss, &res->slots[l->slot + 1 + k]);
		}
	}
	rn->all->retried += res->total->retried;
	rn->all->closes_by_server += res->total->closes_by_server;
	for (unsigned c = 0; c < res->nchecks; c++)
		rn->collisions += res->checks[c].collisions;
	if (p->scn->nchecks && cfg->shape.iterations) {
		uint64_t want = (uint64_t)cfg->shape.users * cfg->shape.iterations;
		rn->expected += want;
		rn->unsuccessful += ok < want ? want - ok : 0;
	}
	const struct tally *t = res->total;
	bool server_backlog = res->saturated && t->unsent && !t->unsent_idle &&
			      res->busiest_busy_pct <= 90 && !t->dropped;
	if (server_backlog) {
		rn->unsent_busy += t->unsent;
		snprintf(rn->backlog, sizeof(rn->backlog), "%s", res->saturation);
	} else if (res->saturated && !t->dropped && !t->unsent && !rn->inconclusive[0]) {
		snprintf(rn->late, sizeof(rn->late), "%s", res->saturation);
	} else if (res->saturated && !rn->inconclusive[0]) {
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "%s", res->saturation);
	}
	if (res->gave_up && !rn->inconclusive[0])
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "%s", res->gave_up);
	rn->open_loop |= res->open_loop;
	rn->elapsed_s += (double)res->elapsed_ns / 1e9;
	ph->scenario = p->scn->name;
	ph->elapsed_s = (double)res->elapsed_ns / 1e9;
	ph->requests = res->total->responses;
	ph->users = cfg->shape.users;
	ph->rate = cfg->rate;
	ph->saturated = res->saturated;
	ph->timeline = res->timeline; /* the report keeps it */
	ph->timeline_len = res->timeline_len;
	res->timeline = NULL;
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
	int argc = phase_argv(o, ph, argv, store), r;

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
	take_phase(rn, &cfg, &res);
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
	rn->all = new_tally();
	rn->hit = new_tally();
	rn->miss = new_tally();
	if (!rn->all || !rn->hit || !rn->miss)
		return -1;
	if (d->not_measured)
		return 0;
	for (unsigned k = 0; k < d->ncriteria; k++)
		if (d->criteria[k].metric == NFR_HIT_RATE_PCT && o->metrics_url)
			scraped = scrape(o->metrics_url, &h0, &m0) == 0;
	for (unsigned p = 0; p < d->nphases && r == 0; p++)
		r = run_phase(o, &d->phases[p], rn, rep);
	rn->ran = rn->nphases > 0;
	if (scraped && scrape(o->metrics_url, &h1, &m1) == 0 && h1 + m1 - h0 - m0 > 0)
		rn->server_hit_rate_pct = 100 * (h1 - h0) / (h1 + m1 - h0 - m0);
	if (r == 1) {
		rep->interrupted = true;
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "interrupted");
	}
	report_judge(rn);
	return r;
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
			fprintf(stderr, "mcpload: --only: no NFR '%s' (NFR-01 .. NFR-05)\n", t);
			return -1;
		}
	}
	if (o->only && !buf[0]) {
		fprintf(stderr, "mcpload: --only needs a list, e.g. NFR-01,NFR-04\n");
		return -1;
	}
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
	for (unsigned i = 0; i < n && r == 0; i++)
		if (wanted(&o, &all[i]))
			r = run_nfr(&o, &all[i], rep);
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
