/*
 * live: the progress line once a second, and the memory samples once a
 * second, both from the supervising thread. The p99 shown is the highest
 * of the workers' own last-second p99s: an upper bound, exact with one
 * thread; the summary's figures are exact.
 */
#include "core/cmd/live.h"

#include <stdio.h>

#include "core/probe/memsrc.h"
#include "scenarios/stage.h"

static void start(void *ctx, uint64_t t0_ns)
{
	struct live *l = ctx;
	l->t0_ns = t0_ns;
	l->next_ns = t0_ns + 1000000000ull;
	if (memsrc_start(&l->trend, &l->mem, t0_ns, l->warmup_ns, l->seconds ? l->seconds : 3600) <
	    0)
		fprintf(stderr, "mcpload: note: no memory samples (out of memory)\n");
}

static void line(struct live *l, uint64_t now_ns, const struct run_live *v)
{
	fprintf(stderr, "\r\033[K[%5.1fs] %10.0f req/s   p99 %9.3f ms   errors %llu",
		(double)(now_ns - l->t0_ns) / 1e9, (double)(v->responses - l->last_responses),
		(double)v->p99_ns / 1e6, (unsigned long long)v->errors);
	if (l->plan) {
		const struct scn_shape *sh = &l->plan->shape;
		fprintf(stderr, "   users %llu", (unsigned long long)v->users);
		if (sh->nstages) {
			unsigned k = stage_index(sh->stages, sh->nstages, now_ns - l->t0_ns);
			fprintf(stderr, "   stage %u/%u", k < sh->nstages ? k + 1 : sh->nstages,
				sh->nstages);
		}
	}
	if (l->open_loop) {
		uint64_t sched = v->scheduled - l->last_scheduled;
		fprintf(stderr, "   on time %.2f%%   dropped %llu",
			sched ? 100.0 * (double)(v->on_time - l->last_on_time) / (double)sched
			      : 100.0,
			(unsigned long long)(v->dropped - l->last_dropped));
	}
	l->last_responses = v->responses;
	l->last_scheduled = v->scheduled;
	l->last_on_time = v->on_time;
	l->last_dropped = v->dropped;
}

static void tick(void *ctx, uint64_t now_ns, const struct run_live *v)
{
	struct live *l = ctx;
	memsrc_tick(&l->trend, now_ns);
	if (l->progress && now_ns >= l->next_ns) {
		line(l, now_ns, v);
		l->next_ns += 1000000000ull;
	}
}

static void end(void *ctx, uint64_t now_ns)
{
	struct live *l = ctx;
	memsrc_finish(&l->trend, now_ns);
	if (l->progress)
		fprintf(stderr, "\r\033[K");
}

struct run_watch live_watch(struct live *l)
{
	return (struct run_watch){start, tick, end, l};
}

int live_execute(struct cfg *cfg, const struct plan *plan, bool progress,
		 const struct memtrend_opts *mem, struct result *res, char *why, size_t wl)
{
	struct live l = {.progress = progress,
			 .plan = plan,
			 .open_loop = cfg->rate > 0,
			 .mem = *mem,
			 .warmup_ns = cfg->warmup_ns};
	l.seconds = cfg->duration_ns ? (cfg->warmup_ns + cfg->duration_ns) / 1000000000ull + 1 : 0;
	cfg->live = progress;
	struct run_watch w = live_watch(&l);
	int r = run_execute(cfg, &w, res, why, wl);
	if (r < 0) {
		memtrend_free(&l.trend);
		return r;
	}
	res->mem = l.trend; /* the result owns the samples now */
	return 0;
}
