/*
 * live: what the command does while a run goes on, on the main thread:
 * the progress line on a terminal (req/s, p99, errors, users, stage, the
 * generator's on-time share) and the memory samples of a soak. Hooked into
 * the engine's supervisor (run_watch).
 */
#ifndef MCPL_CORE_CMD_LIVE_H
#define MCPL_CORE_CMD_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/engine/cfg.h"
#include "core/engine/run.h"
#include "scenarios/plan.h"
#include "stats/memtrend.h"

struct live {
	/* set by the caller */
	bool progress;		  /* print the progress line (stderr) */
	const struct plan *plan;  /* users and stages to show, or NULL */
	bool open_loop;		  /* show the on-time share and drops */
	struct memtrend_opts mem; /* what to watch */
	uint64_t seconds;	  /* the run's length, warmup included (0: unbounded) */
	uint64_t warmup_ns;
	/* kept by the hooks */
	struct memtrend trend; /* the samples; moved into the result after the run */
	uint64_t t0_ns, next_ns;
	uint64_t last_responses, last_scheduled, last_on_time, last_dropped;
};

/* The hooks for run_execute, over l. */
struct run_watch live_watch(struct live *l);

/*
 * Run cfg under the live hooks: a progress line when `progress`, the
 * memory samples of mem (a soak when it names a server); plan: the users
 * and stages to show, or NULL. The samples end up in res->mem. Returns 0,
 * or -errno with a one-line reason in why.
 */
int live_execute(struct cfg *cfg, const struct plan *plan, bool progress,
		 const struct memtrend_opts *mem, struct result *res, char *why, size_t why_len);

#endif
