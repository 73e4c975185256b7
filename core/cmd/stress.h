/*
 * stress: `mcpload stress SCENARIO --target URL`: the breaking-point
 * search. Steps of rising offered load (a rate, or users in the closed
 * model) until the SLO breaks, then a bisection between the last good and
 * the first bad step; each step is a run derived from the one prepared
 * command (docs/stress.md), judged by stats/knee.
 */
#ifndef MCPL_CORE_CMD_STRESS_H
#define MCPL_CORE_CMD_STRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/cmd/lopt.h"
#include "core/cmd/prep.h"
#include "core/cmd/sshard.h"
#include "stats/knee.h"

struct stress_opts {
	struct lopt load; /* every step's run (a `mcpload run`) */
	struct knee_slo slo;
	double start, factor, max_rate, resolution_pct;
	uint64_t step_ns;	  /* each step's measured phase */
	const char *json;	  /* --json FILE, or NULL */
	const char *html, *junit; /* --html, --junit FILE, or NULL */
	const char *sync_dir;	  /* --sync-dir DIR: a sharded search's step reports */
	struct sshard *sync;	  /* a sharded search's state, or NULL */
	bool quiet;
};

/* The defaults: from 10 iterations/s, x1.5 every 10 s, p99 <= 200 ms,
 * errors <= 1 %, achieved >= 95 %, to within 5 %. */
void stress_defaults(struct stress_opts *o);

/*
 * Search with o over the prepared target p into *out (steps on stderr
 * unless quiet). Returns the exit status: 0 found (or the SLO held to
 * max_rate), 1 the search could not run or not even the first step held,
 * 3 inconclusive or interrupted.
 */
int stress_search(const struct stress_opts *o, const struct prep *p, struct knee *out);

/* `mcpload stress`: returns the exit status (cmd.h). */
int stress_main(int argc, char **argv);

#endif
