/*
 * run: one load run from start to merged result: the pre-flight connect,
 * worker threads, the live progress line, the stop flag (the program's only
 * mutable global, set by SIGINT/SIGTERM), and the process's own cost.
 */
#ifndef MCPL_CORE_ENGINE_RUN_H
#define MCPL_CORE_ENGINE_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "core/engine/cfg.h"
#include "core/probe/memwatch.h"
#include "core/engine/ring.h"
#include "scenarios/plan.h"
#include "stats/check.h"
#include "stats/tally.h"
#include "stats/tline.h"

struct run_result {
	struct tally *total;	    /* owned; merged over workers */
	time_t started_at;	    /* wall clock, for the report */
	uint64_t elapsed_ns;	    /* measured phase: end of warmup to last worker's end */
	uint64_t user_ns;	    /* process user CPU, whole run */
	uint64_t sys_ns;	    /* process system CPU, whole run */
	uint64_t worker_cpu_max_ns; /* busiest worker thread's CPU */
	long max_rss_kib;	    /* peak resident set */
	unsigned threads;
	struct ring_feat feat; /* what the kernel gave worker 0 */
	const char *gave_up;   /* a worker's reason for stopping early, or NULL */
	bool interrupted;      /* stopped by a signal */
	bool open_loop;
	struct tline_sec *timeline; /* owned; one entry per second measured */
	unsigned timeline_len;
	bool timeline_truncated; /* the run outlasted TLINE_MAX_SECONDS */
	double busiest_busy_pct; /* busiest worker's CPU, less precision spinning */
	bool saturated;		 /* open loop: the generator missed its schedule */
	char saturation[192];	 /* why, when saturated */
	/* scenarios */
	struct tally *slots; /* owned; per label and split value, plan->nslots */
	unsigned nslots;
	struct check_result checks[PLAN_MAX_CHECKS];
	unsigned nchecks;
	bool checks_failed;	    /* a post-run check failed: the scenario fails */
	double all_users_started_s; /* closed model: start until every user ran; -1: never */
	struct memwatch mem;	    /* owned: client and server memory, once a second */
};

/*
 * Run the load described by cfg. Returns 0 with *res filled (also when
 * interrupted: what was measured is kept), or -errno when the run could not
 * start; *why then holds a one-line reason (static or in why_buf).
 */
int run_execute(const struct cfg *cfg, struct run_result *res, char *why_buf, size_t why_len);
void run_result_free(struct run_result *res);

/* Check once: can we connect to cfg's address within its connect timeout?
 * Returns 0 or -errno. */
int run_preflight(const struct cfg *cfg);

bool run_stop_requested(void);
void run_request_stop(void);

/* Install SIGINT/SIGTERM handlers that request a stop. */
void run_install_signals(void);

#endif
