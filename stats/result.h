/*
 * result: what one load run measured, merged over its workers: the tallies
 * (overall and per statistics slot), the per-second timeline, the post-run
 * checks, the client's own cost, the memory trend, and the generator's
 * self-check. The engine fills it; judges and report writers read it.
 */
#ifndef MCPL_STATS_RESULT_H
#define MCPL_STATS_RESULT_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "scenarios/plan.h"
#include "stats/check.h"
#include "stats/ltl.h"
#include "stats/memtrend.h"
#include "stats/tally.h"
#include "stats/tline.h"

/* What the kernel's io_uring gave the engine, for the report. */
struct result_io {
	bool single_issuer, coop_taskrun, skip_success, fixed_files, multishot;
	bool rx_stamps;	     /* reads carried the kernel's receive timestamps */
	bool stamping_ready; /* the kernel was seen stamping before the first connection */
};

/* Why an open-loop generator missed its schedule. */
enum result_gen {
	RESULT_GEN_OK,
	RESULT_GEN_LATE,      /* the machine woke it late: its threads were mostly idle */
	RESULT_GEN_SATURATED, /* it could not keep up: a busy thread, drops */
	RESULT_GEN_BACKLOG,   /* on time, but arrivals found every connection busy */
};

#define RESULT_ON_TIME_PCT 99.0 /* the default bar: arrivals applied within 1 ms */
/* A worker that waited longer than this share of the run for a CPU was held
 * back by other work: its latency figures include its own wait. */
#define RESULT_CLIENT_WAIT_PCT 10.0

struct result {
	struct tally *total;	    /* owned; merged over workers */
	time_t started_at;	    /* wall clock, for the report */
	uint64_t elapsed_ns;	    /* measured phase: end of warmup to last worker's end */
	uint64_t user_ns;	    /* process user CPU, whole run (--keep-awake's spin left out) */
	uint64_t sys_ns;	    /* process system CPU, whole run */
	unsigned awake_cpus;	    /* --keep-awake: CPUs kept from idling (0: none) */
	uint64_t awake_cpu_ns;	    /* ... and the CPU time its spinners took (not the client's) */
	uint64_t worker_cpu_max_ns; /* busiest worker thread's CPU */
	long max_rss_kib;	    /* peak resident set */
	unsigned threads;
	struct result_io io; /* what the kernel gave worker 0 */
	const char *gave_up; /* a worker's reason for stopping early, or NULL */
	bool interrupted;    /* stopped by a signal */
	bool open_loop;
	struct tline_sec *timeline; /* owned; one entry per second measured */
	unsigned timeline_len;
	bool timeline_truncated; /* the run outlasted TLINE_MAX_SECONDS */
	struct ltl_run ltl;	 /* owned: each label's seconds (slot 0: the fixed request) */
	double busiest_busy_pct; /* busiest worker's CPU, less precision spinning */
	/* the worker that slept least: its CPU (spinning included) and the
	 * time it waited for a CPU while runnable, in % of the run: the
	 * guest's run delay and the hypervisor's steal on its CPU (of which
	 * busiest_steal_pct) */
	double busiest_cpu_pct, busiest_wait_pct, busiest_steal_pct;
	uint64_t wait_mean_ns; /* the longest mean wait for a CPU per scheduling of a worker */
	bool saturated;	       /* open loop: the generator missed its schedule */
	enum result_gen gen;   /* ... and whose doing that was */
	char saturation[256];  /* why, when saturated */
	/* scenarios */
	struct tally *slots; /* owned; per label and split value */
	unsigned nslots;
	struct check_result checks[PLAN_MAX_CHECKS];
	unsigned nchecks;
	bool checks_failed;	    /* a post-run check failed: the scenario fails */
	double all_users_started_s; /* closed model: start until every user ran; -1: never */
	struct memtrend mem;	    /* owned: client and server memory, once a second */
};

/*
 * The generator's self-check, after the merge: a measurement the client
 * distorted must not pass as a server figure, so the run is saturated when
 * fewer than on_time_pct % (0: RESULT_ON_TIME_PCT) of the scheduled
 * arrivals were applied within 1 ms, or a worker was busier than 90 %
 * (spinning for precision left out). gen says whose doing: timers woken
 * late while the threads were mostly idle (other work on the CPUs), or a
 * generator that could not keep up (a busy thread, drops, arrivals left
 * waiting while a connection was free).
 */
void result_check_generator(struct result *res, double on_time_pct);

/* Requests that succeeded: a scenario's responses whose step's
 * expectations held (p: its plan), or a plain run's 2xx responses (p NULL). */
uint64_t result_succeeded(const struct result *res, const struct plan *p);

void result_free(struct result *res);

#endif
