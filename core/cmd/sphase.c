/*
 * sphase: a suite phase is a run derived from the NFR table on the
 * suite's one prepared target; it prints the `mcpload run` a user could
 * type to rerun it by hand. Its per-label tallies are merged into the
 * NFR's, the cache split (X-Cache HIT/MISS) apart, MCP session setup left
 * out of the latency figures.
 */
#include "core/cmd/sphase.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/cmd/live.h"
#include "core/cmd/stress.h"
#include "core/engine/run.h"
#include "scenarios/profile.h"
#include "scenarios/stage.h"

void sphase_load(const struct suite_opts *o, const struct nfr_phase *ph, struct lopt *l)
{
	struct lopt_shape *s = &l->shape;
	unsigned users = o->smoke && ph->smoke_users ? ph->smoke_users : ph->users;
	double spawn = o->smoke && ph->smoke_spawn_rate ? ph->smoke_spawn_rate : ph->spawn_rate;
	uint64_t dur = o->smoke && ph->smoke_duration_ns ? ph->smoke_duration_ns : ph->duration_ns;
	uint64_t iters = o->smoke && ph->smoke_iterations ? ph->smoke_iterations : ph->iterations;
	*l = o->base;
	l->scn = nfr_phase_scn(ph);
	l->quiet = true;
	s->users_set = users > 0;
	s->users = users;
	s->spawn_set = spawn > 0;
	s->spawn_rate = spawn;
	/* without a count the duration ends it, not the table's iterations */
	s->iterations_set = iters || (!ph->rate && ph->duration_ns);
	s->iterations = iters;
	if (ph->kind == NFR_KIND_PROFILE || ph->kind == NFR_KIND_SOAK)
		l->profile = o->profile ? o->profile : profile_find("normal");
	if (ph->kind == NFR_KIND_SOAK) {
		l->mem.server_pid = o->server_pid;
		l->mem.metrics_url = !o->server_pid && o->mem_metrics ? o->metrics_url : NULL;
	}
	s->rate_set = ph->rate > 0;
	s->rate = ph->rate;
	l->duration_ns = dur - dur % 1000000; /* whole milliseconds, as printed */
}

struct tally *sphase_new_tally(void)
{
	return calloc(1, sizeof(struct tally));
}

static struct tally *label_tally(struct assess_nfr *rn, const char *name)
{
	for (unsigned i = 0; i < rn->nlabels; i++)
		if (!strcmp(rn->labels[i].name, name))
			return rn->labels[i].t;
	if (rn->nlabels == ASSESS_MAX_LABELS)
		return NULL;
	struct assess_label *l = &rn->labels[rn->nlabels];
	l->t = sphase_new_tally();
	if (!l->t)
		return NULL;
	snprintf(l->name, sizeof(l->name), "%s", name);
	rn->nlabels++;
	return l->t;
}

/* The --full figures of one phase: the cache phase's first vs later
 * phases, the profile's offered and achieved rates, the soak's memory. */
static void take_full(struct assess_nfr *rn, const struct nfr_phase *def, const struct phase *ph,
		      struct result *res, const struct tally *phase_all, uint64_t ok)
{
	struct tally *side = rn->nphases == 1 ? rn->first : rn->rest;
	double secs = (double)res->elapsed_ns / 1e9;
	if (side)
		tally_merge(side, phase_all);
	if (def->kind == NFR_KIND_PROFILE || def->kind == NFR_KIND_SOAK) {
		/* what the schedule asked for over the measured window (the
		 * arrival count itself has one more: the one at its very end) */
		const struct scn_shape *sh = &ph->plan->shape;
		uint64_t warmup = ph->cfg.warmup_ns;
		double rpi = profile_requests_per_iteration(ph->plan->scn), its = sh->rate * secs;
		if (sh->nstages)
			its = stage_arrivals(sh->stages, sh->nstages, warmup + res->elapsed_ns) -
			      stage_arrivals(sh->stages, sh->nstages, warmup);
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
static void take(struct assess_nfr *rn, const struct nfr_phase *def, const struct phase *run,
		 struct result *res, struct tally *phase_all)
{
	const struct plan *p = run->plan;
	struct assess_phase *ph = &rn->phases[rn->nphases++];
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
		const struct nfr *d = rn->def;
		for (unsigned k = 0; d->cache_header && l->split &&
				     !strcasecmp(l->split, d->cache_header) && k < l->nsplit;
		     k++) {
			if (!strcasecmp(l->split_values[k], d->cache_hit))
				tally_merge(rn->hit, &res->slots[l->slot + 1 + k]);
			else if (!strcasecmp(l->split_values[k], d->cache_miss))
				tally_merge(rn->miss, &res->slots[l->slot + 1 + k]);
		}
	}
	rn->all->retried += res->total->retried;
	rn->all->waited += res->total->waited;
	rn->all->closes_by_server += res->total->closes_by_server;
	for (unsigned c = 0; c < res->nchecks; c++) {
		rn->collisions += res->checks[c].collisions;
		rn->ranges += res->checks[c].values;
		rn->unreadable += res->checks[c].unreadable;
	}
	if (p->scn->nchecks && p->shape.iterations) {
		uint64_t want = (uint64_t)p->shape.users * p->shape.iterations;
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
		rn->generator = true;
	}
	/* a client held back from its CPU measures its own wait as latency */
	if (res->busiest_wait_pct > rn->client_wait_pct)
		rn->client_wait_pct = res->busiest_wait_pct;
	if ((double)res->wait_mean_ns / 1e6 > rn->client_wait_mean_ms)
		rn->client_wait_mean_ms = (double)res->wait_mean_ns / 1e6;
	if (res->gave_up && !rn->inconclusive[0])
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "%s", res->gave_up);
	rn->open_loop |= res->open_loop;
	rn->elapsed_s += (double)res->elapsed_ns / 1e9;
	ph->scenario = p->scn->name;
	ph->elapsed_s = (double)res->elapsed_ns / 1e9;
	ph->requests = res->total->responses;
	ph->users = p->shape.users;
	ph->rate = run->cfg.rate;
	snprintf(ph->command, sizeof(ph->command), "%.*s", (int)sizeof(ph->command) - 1,
		 run->cmdline);
	ph->saturated = res->saturated;
	ph->timeline = res->timeline; /* the report keeps it */
	ph->timeline_len = res->timeline_len;
	res->timeline = NULL;
	take_full(rn, def, run, res, phase_all, ok);
}

/* A composed phase has no `mcpload run` of its own: the command that
 * runs just it is the suite's, narrowed by --only. */
static const char *composed_cmd(const struct suite_opts *o, const struct nfr *d,
				const struct nfr_phase *ph, char *cmd, size_t cap)
{
	snprintf(cmd, cap, "mcpload suite --target %s%s%s --only %s.%s%s", o->base.target,
		 o->config ? " --config " : "", o->config ? o->config : "", d->short_id, ph->name,
		 o->smoke ? " --smoke" : "");
	return cmd;
}

int sphase_run(const struct suite_opts *o, const struct prep *p, const struct nfr_phase *def,
	       struct assess_nfr *rn, struct assess *a)
{
	char why[512], cmd[1024];
	struct lopt l;
	struct phase ph;
	struct result res;
	int r = -1;
	if (def->kind == NFR_KIND_STRESS)
		return sphase_stress(o, p, def, rn);
	if (def->kind == NFR_KIND_TOKENS)
		return stok_run(&o->tok, p, &o->base, rn->def->wflows, o->quiet, rn);
	sphase_load(o, def, &l);
	if (phase_build(&ph, &l, p,
			def->scn ? composed_cmd(o, rn->def, def, cmd, sizeof(cmd)) : NULL, why,
			sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		goto out_phase;
	}
	if (!o->quiet)
		fprintf(stderr, "  %s: %s\n", rn->def->short_id, ph.cmdline);
	if (live_execute(&ph.cfg, ph.plan, live_mode(o->quiet, false), &l.mem, NULL, &res, why,
			 sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s\n", why);
		goto out_phase;
	}
	struct tally *phase_all = sphase_new_tally();
	if (phase_all) {
		take(rn, def, &ph, &res, phase_all);
		if (def->kind == NFR_KIND_PROFILE || def->kind == NFR_KIND_SOAK)
			rn->profile = l.profile->name;
		if ((uint64_t)res.max_rss_kib > a->client_rss_kib)
			a->client_rss_kib = (uint64_t)res.max_rss_kib;
		r = res.interrupted ? 1 : 0;
	}
	free(phase_all);
	result_free(&res);
out_phase:
	phase_free(&ph);
	return r;
}

/*
 * The stress phase: the breaking-point search on the phase's scenario, from
 * 2 iterations/s up to a cap (the reference target would otherwise take the
 * search to the generator's own limit), against the standard bound of p99
 * <= 500 ms.
 */
int sphase_stress(const struct suite_opts *o, const struct prep *p, const struct nfr_phase *ph,
		  struct assess_nfr *rn)
{
	struct stress_opts so;
	uint64_t d = o->smoke && ph->smoke_duration_ns ? ph->smoke_duration_ns : ph->duration_ns;
	stress_defaults(&so);
	so.load = o->base;
	so.load.scn = scn_find(ph->scenario);
	so.start = 2;
	so.factor = o->smoke ? 2 : 1.5;
	so.step_ns = d - d % 1000000;
	so.max_rate = o->smoke ? 40 : 400;
	so.slo.p99_ns = 500000000ull;
	so.quiet = o->quiet;
	rn->stress = malloc(sizeof(*rn->stress));
	if (!rn->stress)
		return -1;
	if (!o->quiet)
		fprintf(stderr, "  %s: stress %s from 2 iterations/s, every step an mcpload run:\n",
			rn->def->short_id, ph->scenario);
	int r = stress_search(&so, p, rn->stress);
	const struct knee *k = rn->stress;
	rn->elapsed_s += k->n * ((double)d / 1e9);
	if (!strcmp(k->verdict, "ERROR") || (r == 1 && !k->n))
		return -1; /* could not run at all: the reason is printed */
	if (!strcmp(k->verdict, "INTERRUPTED"))
		return 1;
	if (!strcmp(k->verdict, "INCONCLUSIVE"))
		snprintf(rn->inconclusive, sizeof(rn->inconclusive), "%.180s", k->why);
	return 0;
}

int sphase_quiet(const struct suite_opts *o, const struct prep *p, const struct nfr_phase *def)
{
	char why[512];
	struct lopt l;
	struct phase ph;
	struct result res;
	int r = -1;
	sphase_load(o, def, &l);
	if (phase_build(&ph, &l, p, NULL, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s: %s\n", def->name, why);
		goto out_phase;
	}
	if (!o->quiet)
		fprintf(stderr, "  %s (not recorded): %s\n", def->name, ph.cmdline);
	if (run_execute(&ph.cfg, NULL, &res, why, sizeof(why)) < 0) {
		fprintf(stderr, "mcpload: %s: %s\n", def->name, why);
		goto out_phase;
	}
	r = res.interrupted ? 2
	    : result_succeeded(&res, ph.plan) < res.total->responses ||
		    tally_attempted(res.total) > res.total->responses
		? 1
		: 0;
	result_free(&res);
out_phase:
	phase_free(&ph);
	return r;
}

/* The --full warmup: tool calls the report does not record (caches,
 * connection pools and JIT compilers settle before the baseline). */
int sphase_warmup(const struct suite_opts *o, const struct prep *p)
{
	const struct nfr_phase def = {.name = "warmup",
				      .scenario = "mcp-tools",
				      .users = 5,
				      .rate = 20, /* 100 calls/s: settles, does not stress */
				      .duration_ns = 10 * 1000000000ull,
				      .smoke_duration_ns = 2 * 1000000000ull};
	int r = sphase_quiet(o, p, &def);
	/* a failed warmup call is the baseline's to measure; interrupted stops */
	return r == 2 ? 1 : r == 1 ? 0 : r;
}
