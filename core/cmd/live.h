/*
 * live: what the command does while a run goes on, on the main thread:
 * the progress line (each timeline second as the JSON will count it:
 * elapsed/total with a bar, req/s, p50/p99, errors by class, users, stage,
 * the generator's on-time share) and the memory samples of a soak. Hooked
 * into the engine's supervisor (run_watch).
 */
#ifndef MCPL_CORE_CMD_LIVE_H
#define MCPL_CORE_CMD_LIVE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/engine/cfg.h"
#include "core/engine/run.h"
#include "scenarios/plan.h"
#include "stats/memtrend.h"
#include "stats/tline.h"

struct lmetrics;

/* Where the progress line goes. */
enum live_progress {
	LIVE_QUIET,    /* none */
	LIVE_TERMINAL, /* one line, rewritten in place each second */
	LIVE_LINES,    /* one line per second (--progress: logs, CI) */
};

struct live {
	/* set by the caller */
	enum live_progress progress; /* on stderr */
	const struct plan *plan;     /* users and stages to show, or NULL */
	bool open_loop;		     /* show the on-time share and drops */
	struct memtrend_opts mem;    /* what to watch */
	uint64_t seconds;	     /* the run's length, warmup included (0: unbounded) */
	uint64_t warmup_ns;
	uint64_t duration_ns;	  /* the measured phase, 0: unbounded */
	struct lmetrics *metrics; /* --live-metrics: fed each second, or NULL */
	/* kept by the hooks */
	struct memtrend trend; /* the samples; moved into the result after the run */
	uint64_t t0_ns, next_ns;
	unsigned next_sec;	   /* the first timeline second not shown yet */
	struct tline_row *row;	   /* scratch for merging a second */
	struct tline_sec last;	   /* the last second shown */
	uint64_t requests, errors; /* shown so far, as the JSON counts them */
};

/* The progress mode of a command: --progress (lines), a terminal (in
 * place), or none (--quiet, a pipe). */
enum live_progress live_mode(bool quiet, bool forced);

/* The hooks for run_execute, over l. */
struct run_watch live_watch(struct live *l);

/*
 * Run cfg under the live hooks: the progress line as `progress` says, the
 * figures of --live-metrics served when metrics is not NULL, the
 * memory samples of mem (a soak when it names a server); plan: the users
 * and stages to show, or NULL. The samples end up in res->mem. Returns 0,
 * or -errno with a one-line reason in why.
 */
int live_execute(struct cfg *cfg, const struct plan *plan, enum live_progress progress,
		 const struct memtrend_opts *mem, struct lmetrics *metrics, struct result *res,
		 char *why, size_t why_len);

#endif
