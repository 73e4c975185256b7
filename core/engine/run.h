/*
 * run: one load run from start to merged result: worker threads behind a
 * start gate, a supervising loop on the calling thread (the watcher's hook:
 * a progress line, memory samples), the stop flag (the program's only
 * mutable global, set by SIGINT/SIGTERM), and the process's own cost.
 */
#ifndef MCPL_CORE_ENGINE_RUN_H
#define MCPL_CORE_ENGINE_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/engine/cfg.h"
#include "stats/result.h"

/* The workers' published counters, summed (the supervisor's view). */
struct run_live {
	uint64_t responses, errors;	      /* measured so far */
	uint64_t scheduled, on_time, dropped; /* open loop, cumulative */
	uint64_t users;			      /* the source's users running */
	/* Timeline seconds every worker is past (UINT32_MAX: all ended):
	 * run_live_second merges them exactly, as the report will. */
	uint32_t secs_done;
	const struct worker *ws;
	unsigned nworkers;
};

/* Second s (below live->secs_done) merged over the workers into out;
 * scratch is the caller's row to sum into. Returns false when s is past
 * every worker's timeline. Only from a watcher's hooks. */
bool run_live_second(const struct run_live *live, unsigned s, struct tline_row *scratch,
		     struct tline_sec *out);

/* Hooks the supervising thread calls while the workers run: start when
 * they are released, tick about every 20 ms, end when the last one is done.
 * Any may be NULL. They run on the caller's thread, never a worker's. */
struct run_watch {
	void (*start)(void *ctx, uint64_t t0_ns);
	void (*tick)(void *ctx, uint64_t now_ns, const struct run_live *live);
	void (*end)(void *ctx, uint64_t now_ns, const struct run_live *live);
	void *ctx;
};

/*
 * Run the load described by cfg. Returns 0 with *res filled (also when
 * interrupted: what was measured is kept), or -errno when the run could not
 * start; why then holds a one-line reason. watch may be NULL.
 */
int run_execute(const struct cfg *cfg, const struct run_watch *watch, struct result *res, char *why,
		size_t why_len);

bool run_stop_requested(void);
void run_request_stop(void);

/* Install SIGINT/SIGTERM handlers that request a stop. */
void run_install_signals(void);

#endif
