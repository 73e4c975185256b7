/*
 * sphase: a suite phase is the `mcpload run` a user could type (so it can
 * be rerun by hand); its per-label tallies are merged into the NFR's, the
 * cache split (X-Cache HIT/MISS) apart, MCP session setup left out of the
 * latency figures.
 */
#include "core/cmd/sphase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/cmd/cli.h"
#include "core/cmd/stress.h"
#include "scenarios/profile.h"
#include "scenarios/stage.h"

/* The `mcpload run` command line of one phase. */
int sphase_argv(const struct suite_opts *o, const struct nfr_phase *ph, char **argv,
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
#define PAIR(flag, v)                                                                              \
	do {                                                                                       \
		argv[n++] = flag;                                                                  \
		argv[n++] = (char *)(v);                                                           \
	} while (0)
	if (iters)
		ARG("--iterations", "%llu", (unsigned long long)iters);
	else if (!ph->rate && ph->duration_ns)
		PAIR("--iterations", "0"); /* the duration ends it, not the table's count */
	if (ph->kind == NFR_KIND_PROFILE || ph->kind == NFR_KIND_SOAK)
		PAIR("--profile", o->profile ? o->profile : "normal");
	if (ph->kind == NFR_KIND_SOAK && o->server_pid)
		PAIR("--server-pid", o->server_pid);
	else if (ph->kind == NFR_KIND_SOAK && o->mem_metrics)
		PAIR("--metrics-url", o->metrics_url);
#undef PAIR
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

struct tally *sphase_new_tally(void)
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
	l->t = sphase_new_tally();
	if (!l->t)
		return NULL;
	snprintf(l->name, sizeof(l->name), "%s", name);
	rn->nlabels++;
	return l->t;
}

/* The --full figures of one phase: the cache phase's first vs later
 * phases, the profile's offered and achieved rates, the soak's memory. */
static void take_full(struct report_nfr *rn, const struct nfr_phase *def, const struct cfg *cfg,
		      struct run_result *res, const struct tally *phase_all, uint64_t ok)
{
	struct tally *side = rn->nphases == 1 ? rn->first : rn->rest;
	double secs = (double)res->elapsed_ns / 1e9;
	if (side)
		tally_merge(side, phase_all);
	if (def->kind == NFR_KIND_PROFILE || def->kind == NFR_KIND_SOAK) {
		/* what the schedule asked for over the measured window (the
		 * arrival count itself has one more: the one at its very end) */
		const struct scn_shape *sh = &cfg->shape;
		double rpi = profile_requests_per_iteration(cfg->scn), its = sh->rate * secs;
		if (sh->nstages)
			its = stage_arrivals(sh->stages, sh->nstages,
					     cfg->warmup_ns + res->elapsed_ns) -
			      stage_arrivals(sh->stages, sh->nstages, cfg->warmup_ns);
		rn->offered_rps = secs > 0 ? its * rpi / secs : 0;
		rn->achieved_rps = secs > 0 ? (double)ok / secs : 0;
	}
	if (def->kind == NFR_KIND_SOAK) {
		rn->mem = res->mem; /* the report keeps the samples */
		memset(&res->mem, 0, sizeof(res->mem));
		rn->soaked = true;
		if (rn->mem.gone)
			snprintf(rn->fail_reason, sizeof(rn->fail_reason), "%.180s",
				 rn->mem.reason);
		else if (rn->mem.verdict == VERDICT_INCONCLUSIVE)
			snprintf(rn->inconclusive, sizeof(rn->inconclusive), "%.180s",
				 rn->mem.reason); /* a source given, its samples lost */
		else if (!rn->mem.server)
			snprintf(rn->note, sizeof(rn->note),
				 "server memory not measured: give --server-pid PID, or a "
				 "--metrics-url with process_resident_memory_bytes");
	}
}

/* Merge what one phase measured into the NFR. */
void sphase_take(struct report_nfr *rn, const struct nfr_phase *def, const struct cfg *cfg,
		 struct run_result *res, struct tally *phase_all)
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
		tally_merge(phase_all, lt);
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
	take_full(rn, def, cfg, res, phase_all, ok);
}

/*
 * The stress phase: `mcpload stress` on the phase's scenario, from 2
 * iterations/s up to a cap (the reference target would otherwise take the
 * search to the generator's own limit), against the seeds' standard bound
 * (p99 <= 500 ms). Returns as run_phase does.
 */
int sphase_stress(const struct suite_opts *o, const struct nfr_phase *ph, struct report_nfr *rn)
{
	char *argv[40], step[32];
	int n = 0;
	uint64_t d = o->smoke && ph->smoke_duration_ns ? ph->smoke_duration_ns : ph->duration_ns;
	snprintf(step, sizeof(step), "%llums", (unsigned long long)(d / 1000000));
	const char *fixed[] = {"mcpload",
			       "stress",
			       ph->scenario,
			       "--target",
			       o->target,
			       "--start",
			       "2",
			       "--factor",
			       o->smoke ? "2" : "1.5",
			       "--step",
			       step,
			       "--max-rate",
			       o->smoke ? "40" : "400",
			       "--p99",
			       "500ms",
			       "-q"};
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		argv[n++] = (char *)fixed[i];
	const char *pass[][2] = {
	    {"-t", o->threads}, {"--mcp-version", o->mcp_version}, {"--mcp-path", o->mcp_path}};
	for (size_t i = 0; i < 3; i++) {
		if (pass[i][1]) {
			argv[n++] = (char *)pass[i][0];
			argv[n++] = (char *)pass[i][1];
		}
	}
	argv[n] = NULL;
	rn->stress = malloc(sizeof(*rn->stress));
	if (!rn->stress)
		return -1;
	if (!o->quiet)
		fprintf(stderr, "  %s: stress %s from 2 iterations/s ...\n", rn->def->short_id,
			ph->scenario);
	int r = stress_search(n, argv, rn->stress);
	const struct stress_outcome *s = rn->stress;
	rn->elapsed_s += s->n * ((double)d / 1e9);
	if (r == 2 || (r == 1 && !s->n))
		return -1; /* could not run at all: the reason is printed */
	if (!strcmp(s->verdict, "INTERRUPTED"))
		return 1;
	if (!strcmp(s->verdict, "INCONCLUSIVE"))
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "%.180s", s->why);
	return 0;
}

/* The --full warmup: tool calls the report does not record (caches,
 * connection pools and JIT compilers settle before the baseline). */
int sphase_warmup(const struct suite_opts *o)
{
	const struct nfr_phase ph = {.scenario = "mcp-tools",
				     .users = 5,
				     .rate = 20, /* 100 calls/s: settles, does not stress */
				     .duration_ns = 10 * 1000000000ull,
				     .smoke_duration_ns = 2 * 1000000000ull};
	char *argv[40], store[8][32], why[256] = "";
	struct cfg cfg;
	struct run_result res;
	int argc = sphase_argv(o, &ph, argv, store), r;
	if (cli_parse(&cfg, argc, argv, stderr) < 0) {
		cli_free(&cfg);
		return -1;
	}
	cfg.progress = false;
	if (!o->quiet)
		fprintf(stderr, "  warmup: mcp-tools, 100 calls/s, not recorded ...\n");
	r = run_execute(&cfg, &res, why, sizeof(why));
	if (r < 0)
		fprintf(stderr, "mcpload: warmup: %s\n", why);
	bool stop = r == 0 && res.interrupted;
	if (r == 0)
		run_result_free(&res);
	cli_free(&cfg);
	return r < 0 ? -1 : stop ? 1 : 0;
}
