/*
 * knee: the breaking-point search's measurements and judgement: one step is
 * one run at an offered load, judged against the SLO (corrected p99, error
 * share, achieved rate) with the generator's self-check deciding whether a
 * break is the server's or the client's; the outcome is every step in
 * order (the latency-vs-load curve) and the best good one. The search that
 * chooses the steps is core/cmd/stress.c.
 */
#ifndef MCPL_STATS_KNEE_H
#define MCPL_STATS_KNEE_H

#include <stdbool.h>
#include <stdint.h>

#include "scenarios/plan.h"
#include "stats/hist.h"
#include "stats/result.h"
#include "stats/tally.h"

#define KNEE_MAX_STEPS 40

/* The service level a step must hold. */
struct knee_slo {
	uint64_t p99_ns;	 /* corrected p99 at most this */
	double max_err_pct;	 /* failed requests at most this share */
	double min_achieved_pct; /* open model: completed at least this share of the offered */
	bool closed;		 /* steps are users, not a rate */
};

enum knee_verdict { KNEE_GOOD, KNEE_BAD, KNEE_INCONCLUSIVE };

/* One step of the search: one run at an offered load. */
struct knee_step {
	double rate;	     /* offered iterations/s (closed model: users) */
	double offered_rps;  /* offered requests/s (open model; 0 closed) */
	double achieved_rps; /* requests completed per second */
	struct hist_sum lat; /* every label but MCP session setup */
	double err_pct;	     /* tally_error_pct of those labels */
	uint64_t requests;
	double on_time_pct; /* generator: arrivals applied on time (open model; -1 closed) */
	double busy_pct;    /* generator: its busiest worker's CPU, spinning left out */
	double wait_pct;    /* the client: its busiest worker's wait for a CPU, % of the step */
	enum knee_verdict verdict;
	char why[300];	   /* the limit that broke, or the generator's trouble */
	char command[768]; /* the equivalent mcpload run */
};

/* What a search found: every step in order, the best good one. */
struct knee {
	struct knee_step steps[KNEE_MAX_STEPS];
	unsigned n;
	int best;	     /* index into steps, -1: none held */
	bool closed;	     /* stepped users, not a rate */
	const char *verdict; /* FOUND, NOT REACHED, BROKE AT START, INCONCLUSIVE,
				INTERRUPTED, ERROR */
	char why[640];
};

/*
 * Judge the step s (rate already set) from what its run measured: p is the
 * run's plan, all a zeroed scratch tally (1.3 MB: never on the stack) that
 * gets the labels merged.
 */
void knee_judge(const struct knee_slo *slo, const struct plan *p, const struct result *res,
		struct tally *all, struct knee_step *s);

/* "ok", "broke", "inconclusive". */
const char *knee_verdict_name(enum knee_verdict v);

#endif
