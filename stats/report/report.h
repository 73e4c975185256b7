/*
 * report: what the NFR suite found, as a table on the terminal and as the
 * JSON report (reports/benchmark_YYYY-MM-DD_HH-MM-SS.json, written to a
 * temporary file and renamed into place; docs/report.schema.json describes
 * it), with the bottleneck analysis for every WARNING and FAIL.
 */
#ifndef MCPL_STATS_REPORT_REPORT_H
#define MCPL_STATS_REPORT_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>

#include "core/probe/memwatch.h"
#include "core/cmd/stress.h"
#include "protocol/jw.h"
#include "protocol/mcp.h"
#include "scenarios/nfr.h"
#include "stats/tally.h"
#include "stats/tline.h"
#include "stats/verdict.h"

#define REPORT_MAX_LABELS   16
#define REPORT_MAX_FINDINGS 6

struct report_label {
	char name[48];
	struct tally *t; /* owned */
};

struct report_phase {
	const char *scenario;
	double elapsed_s;
	uint64_t requests;
	unsigned users;
	double rate;
	bool saturated;
	struct tline_sec *timeline; /* owned */
	unsigned timeline_len;
};

struct report_crit {
	double measured;
	bool measured_ok; /* false: nothing to measure it on */
	enum verdict verdict;
};

struct report_nfr {
	const struct nfr *def;
	bool ran;
	enum verdict verdict;
	char inconclusive[192]; /* why, when INCONCLUSIVE */
	/* open model: the generator dispatched arrivals late but sent every
	 * one; the delay is inside the corrected latency, so only a verdict
	 * worse than PASS is put in doubt by it */
	char late[192];
	/* open model: arrivals never sent because every connection was busy
	 * waiting for the server (not the generator's fault) */
	uint64_t unsent_busy;
	char backlog[192];
	struct report_crit crit[NFR_MAX_CRITERIA];
	struct tally *all, *hit, *miss; /* owned; merged over the phases */
	struct report_label labels[REPORT_MAX_LABELS];
	unsigned nlabels;
	uint64_t collisions, unsuccessful, expected;
	double elapsed_s;
	struct report_phase phases[NFR_MAX_PHASES];
	unsigned nphases;
	bool open_loop;
	double server_hit_rate_pct; /* from --metrics-url, -1 when not scraped */
	/* the phases of suite --full (stats/rfull) */
	struct tally *first, *rest; /* owned, cache phase: the first phase vs the later */
	const char *profile;	    /* load and soak: the --profile they ran at */
	double offered_rps, achieved_rps;
	struct stress_outcome *stress; /* owned: the breaking-point search */
	struct memwatch mem;	       /* the soak's samples (owned arrays) */
	bool soaked;
	char fail_reason[192]; /* a FAIL no criterion states (the server exited) */
	char note[192];	       /* why a phase measured nothing */
	char analysis[REPORT_MAX_FINDINGS][256];
	char remedy[REPORT_MAX_FINDINGS][256];
	unsigned nfindings;
};

struct report {
	time_t started_at;
	const char *cmdline;
	const char *target;
	const char *metrics_url;
	bool smoke;
	bool full;	     /* suite --full: the benchmark phases ran too */
	const char *profile; /* --profile, or NULL (normal) */
	bool interrupted;
	struct mcp_server server;
	struct report_nfr nfrs[16];
	unsigned nnfrs;
	uint64_t client_rss_kib;
	double duration_s;
};

/* The figure of each criterion, its verdict, the NFR's verdict and the
 * findings (analysis and remediation) of a WARNING or FAIL. */
void report_judge(struct report_nfr *n);

/* The suite's exit status: 1 a FAIL, 3 an INCONCLUSIVE (and no FAIL), 0. */
int report_exit_code(const struct report *r);

/* The table: NFR, target, measured, verdict; findings under it. */
void report_print(FILE *f, const struct report *r);

/* Write the JSON report into dir (created if missing). path_out gets the
 * file's path. Returns 0 or -errno. */
int report_write(const struct report *r, const char *dir, char *path_out, size_t path_len);

void report_free(struct report *r);

/* A latency object (count, p50/p95/p99/max/mean in ms) under key. */
void report_json_latency(struct jw *j, const char *key, const struct tally *t);

#endif
