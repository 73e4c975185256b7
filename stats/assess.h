/*
 * assess: what the NFR suite found and how it is judged: per NFR the merged
 * tallies of its phases, each criterion's figure and verdict, the NFR's
 * verdict, and for a WARNING or FAIL the bottleneck analysis (a likely
 * cause with a remedy). The writers are stats/report/sreport.
 */
#ifndef MCPL_STATS_ASSESS_H
#define MCPL_STATS_ASSESS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "protocol/mcp.h"
#include "scenarios/nfr.h"
#include "stats/knee.h"
#include "stats/memtrend.h"
#include "stats/tally.h"
#include "stats/tline.h"
#include "stats/tokeff.h"
#include "stats/verdict.h"

#define ASSESS_MAX_LABELS   16
#define ASSESS_MAX_FINDINGS 6

struct assess_label {
	char name[48];
	struct tally *t; /* owned */
};

struct assess_phase {
	const char *scenario;
	double elapsed_s;
	uint64_t requests;
	unsigned users;
	double rate;
	bool saturated;
	struct tline_sec *timeline; /* owned */
	unsigned timeline_len;
	char command[1024]; /* the equivalent mcpload run */
};

struct assess_crit {
	double measured;
	bool measured_ok; /* false: nothing to measure it on */
	uint64_t judged;  /* requests (latency: successful ones) or values it is over */
	enum verdict verdict;
};

struct assess_nfr {
	const struct nfr *def;
	bool ran;
	enum verdict verdict;
	char inconclusive[288]; /* why, when INCONCLUSIVE */
	bool generator;		/* ... and it is the load generator's doing */
	/* the most a phase's client waited for a CPU (other work on the
	 * machine), % of the phase, and its mean wait per scheduling */
	double client_wait_pct, client_wait_mean_ms;
	/* open model: the generator dispatched arrivals late but sent every
	 * one; the delay is inside the corrected latency, so only a verdict
	 * worse than PASS is put in doubt by it */
	char late[288];
	/* open model: arrivals never sent because every connection was busy
	 * waiting for the server (not the generator's fault) */
	uint64_t unsent_busy;
	char backlog[288];
	struct assess_crit crit[NFR_MAX_CRITERIA];
	struct tally *all, *hit, *miss; /* owned; merged over the phases */
	struct assess_label labels[ASSESS_MAX_LABELS];
	unsigned nlabels;
	uint64_t collisions, unsuccessful, expected;
	uint64_t ranges, unreadable; /* values the post-run checks read, and could not */
	double elapsed_s;
	struct assess_phase phases[NFR_MAX_PHASES];
	unsigned nphases;
	bool open_loop;
	double server_hit_rate_pct; /* from --metrics-url, -1 when not scraped */
	/* the phases of suite --full (stats/rfull) */
	struct tally *first, *rest; /* owned, cache phase: the first phase vs the later */
	const char *profile;	    /* load and soak: the --profile they ran at */
	double offered_rps, achieved_rps;
	struct knee *stress; /* owned: the breaking-point search */
	struct memtrend mem; /* the soak's samples (owned arrays) */
	struct tokeff *tok;  /* owned: NFR-03's counts */
	bool soaked;
	char fail_reason[192];	  /* a FAIL no criterion states (the server exited) */
	char failed_requests[96]; /* a FAIL: more than 10 % of the requests failed */
	char note[192];		  /* why a phase measured nothing */
	char analysis[ASSESS_MAX_FINDINGS][256];
	char remedy[ASSESS_MAX_FINDINGS][256];
	unsigned nfindings;
};

struct assess {
	time_t started_at;
	const char *cmdline;
	const char *target;
	const char *metrics_url;
	bool smoke;
	bool full;	     /* suite --full: the benchmark phases ran too */
	const char *profile; /* --profile, or NULL (normal) */
	bool interrupted;
	struct mcp_server server;
	struct assess_nfr nfrs[16];
	unsigned nnfrs;
	uint64_t client_rss_kib;
	double duration_s;
};

/* The figure of each criterion, its verdict, the NFR's verdict and the
 * findings (analysis and remediation) of a WARNING or FAIL. */
void assess_judge(struct assess_nfr *n);

/* The figure of criterion c of n into *v (latency: over the successful
 * requests) and into *judged how many requests or values it is over.
 * Returns false when there is nothing to measure it on. */
bool assess_measure(const struct assess_nfr *n, const struct nfr_criterion *c, double *v,
		    uint64_t *judged);

/* The suite's exit status: 1 a FAIL, 3 an INCONCLUSIVE or nothing judged
 * at all (every NFR not applicable, not configured or not measured), 0. */
int assess_exit_code(const struct assess *a);

/* The unit a metric is shown in ("ms", "%", "MiB", "req/s", ""). */
const char *assess_unit(enum nfr_metric m);

void assess_free(struct assess *a);

#endif
