/*
 * stress: `mcpload stress SCENARIO --target URL`: the breaking-point search.
 * Open-model steps of rising offered load until the SLO breaks (corrected
 * p99, error share, achieved rate), then a bisection between the last good
 * and the first bad step; a step the generator could not drive stops the
 * search as INCONCLUSIVE instead of blaming the server (docs/stress.md).
 */
#ifndef MCPL_CORE_CMD_STRESS_H
#define MCPL_CORE_CMD_STRESS_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/jw.h"

#define STRESS_MAX_STEPS 40

enum stress_verdict { STRESS_GOOD, STRESS_BAD, STRESS_INCONCLUSIVE };

/* One step of the search: one run at an offered load. */
struct stress_step {
	double rate;	     /* offered iterations/s (closed model: users) */
	double offered_rps;  /* offered requests/s (open model; 0 closed) */
	double achieved_rps; /* requests completed per second */
	double p50_ms, p95_ms, p99_ms;
	double err_pct;
	uint64_t requests;
	double on_time_pct; /* generator: arrivals applied on time (open model) */
	double busy_pct;    /* generator: its busiest worker's CPU, spinning left out */
	enum stress_verdict verdict;
	char why[256]; /* the limit that broke, or the generator's trouble */
};

/* What a search found: every step in order, the best good one. */
struct stress_outcome {
	struct stress_step steps[STRESS_MAX_STEPS];
	unsigned n;
	int best;	     /* index into steps, -1: none held */
	bool closed;	     /* stepped users, not a rate */
	const char *verdict; /* FOUND, NOT REACHED, BROKE AT START, INCONCLUSIVE,
				INTERRUPTED, ERROR */
	char why[640];
};

/*
 * Parse a stress command line (argv[0] "mcpload", argv[1] "stress") and run
 * the search into *out (steps on stderr unless -q; --json written). Returns
 * the exit status: 0 found (or the SLO held to --max-rate), 1 the search
 * could not run or not even the first step held, 2 bad usage (the reason
 * printed), 3 inconclusive or interrupted; -1 for --help (printed).
 */
int stress_search(int argc, char **argv, struct stress_outcome *out);

/* The outcome's model, verdict, reason, max_sustainable and steps (the
 * latency-vs-load curve) as members of the JSON object being written. */
void stress_json_result(struct jw *j, const struct stress_outcome *out);

/* `mcpload stress`: stress_search, then the result line on stdout. */
int stress_main(int argc, char **argv);

#endif
