/*
 * nfr: the NFR-Performance suite as data. An NFR runs one or more phases
 * (a scenario with its load shape, full and --smoke) and is judged by
 * criteria (a metric, a target, whether it gates the verdict). core/cmd/suite
 * runs them; stats/assess judges and stats/report/sreport writes what they found.
 */
#ifndef MCPL_SCENARIOS_NFR_H
#define MCPL_SCENARIOS_NFR_H

#include <stdbool.h>
#include <stdint.h>

#include "scenarios/scn.h"
#include "scenarios/wflow.h"

#define NFR_MAX_PHASES	 4
#define NFR_MAX_CRITERIA 8

enum nfr_metric {
	NFR_P50_MS, /* over every request of the NFR (session setup excluded) */
	NFR_P95_MS,
	NFR_P99_MS,
	NFR_FAILED,		 /* failed requests (errors of any class, 4xx, 5xx) */
	NFR_5XX,		 /* responses 500-599 */
	NFR_HIT_RATE_PCT,	 /* X-Cache HIT share of the responses that carried it */
	NFR_HIT_P95_MS,		 /* p95 of the HIT responses */
	NFR_MISS_P95_MS,	 /* p95 of the MISS responses */
	NFR_LABEL_P95_MS,	 /* the worst label's p95 (each label must meet it) */
	NFR_COLLISIONS,		 /* overlaps found by the phases' post-run checks */
	NFR_UNSUCCESSFUL,	 /* requests that did not succeed (every one must) */
	NFR_ERROR_PCT,		 /* failed requests, % of those attempted */
	NFR_ACHIEVED_PCT,	 /* requests/s completed, % of the profile's offered rate */
	NFR_FIRST_P95_MS,	 /* p95 of the first phase (cold: first request per resource) */
	NFR_REST_P95_MS,	 /* p95 of the later phases (warm) */
	NFR_MAX_RPS,		 /* the stress search's maximum sustainable requests/s */
	NFR_MEM_GROWTH_MB,	 /* the server memory trend over the soak, MiB */
	NFR_SERVER_RSS_MB,	 /* the server's peak resident memory, MiB */
	NFR_TOKEN_REDUCTION_PCT, /* tokens saved over every workflow, % of the baseline's */
	NFR_NOT_REDUCED,	 /* workflows whose MCP way is not below their baseline */
};

/* How a phase runs: one `mcpload run` with the table's load, at the
 * suite's --profile, a breaking-point search, or a soak that samples the
 * server's memory (--server-pid / --metrics-url), or the token count of
 * the workflows (no load). */
enum nfr_kind {
	NFR_KIND_RUN,
	NFR_KIND_PROFILE,
	NFR_KIND_STRESS,
	NFR_KIND_SOAK,
	NFR_KIND_TOKENS, /* NFR-03: the workflows counted once, baseline against MCP */
};

enum nfr_avail {
	NFR_RUNS,
	NFR_NOT_APPLICABLE, /* the server has nothing it could measure (no MCP endpoint) */
	NFR_NOT_CONFIGURED, /* the server may have it, the suite was not told where */
};

struct nfr_criterion {
	const char *what; /* one line, e.g. "p95 resource load" */
	enum nfr_metric metric;
	double target;
	bool at_least;	 /* the figure must reach the target (else stay at or below it) */
	bool gate;	 /* decides the verdict (else reported only) */
	const char *key; /* its name in a suite configuration ("p95_ms"), or NULL */
	/* the suite for one server (scenarios/snfr): why it is not judged
	 * there (no cache signal configured), or NULL */
	const char *unconfigured;
};

/* One run of a scenario. Zero fields keep the scenario's defaults. */
struct nfr_phase {
	const char *name;      /* for --only NFR-01.NAME */
	const char *scenario;  /* a compiled-in scenario, by name */
	const struct scn *scn; /* or the scenario itself (configured: scenarios/snfr) */
	enum nfr_kind kind;
	unsigned users;
	double spawn_rate;
	uint64_t iterations;
	double rate; /* open model: iterations/s */
	uint64_t duration_ns;
	/* --smoke: the reduced load (0: as above) */
	unsigned smoke_users;
	uint64_t smoke_iterations;
	double smoke_spawn_rate;
	uint64_t smoke_duration_ns;
};

struct nfr {
	const char *id;	      /* "NFR-Performance-01" */
	const char *short_id; /* "NFR-01", for --only */
	const char *title;
	const char *target_text; /* the target as the seeds state it */
	struct nfr_phase phases[NFR_MAX_PHASES];
	unsigned nphases;
	struct nfr_criterion criteria[NFR_MAX_CRITERIA];
	unsigned ncriteria;
	bool not_measured;		/* a slot in the report only (nothing measures it) */
	const struct wflow_set *wflows; /* NFR-03: the workflows counted, or NULL */
	/* the suite for one server (scenarios/snfr): whether it runs there
	 * and why not, the cache signal, what it changes and how that is
	 * undone */
	enum nfr_avail avail;
	const char *avail_why;
	const char *cache_header, *cache_hit, *cache_miss; /* split values, e.g. X-Cache HIT/MISS */
	const char *hits_metric, *misses_metric;	   /* counters at --metrics-url */
	const char *changes;	   /* what its phases change, said before they run; NULL: nothing */
	const struct scn *restore; /* run once after its phases, or NULL */
};

/* The suite in running order; *n gets the count. */
const struct nfr *nfr_all(unsigned *n);

/* The phases of `suite --full` (seed 002's benchmark: baseline, load at a
 * profile, cache cold vs warm, stress, memory), in running order; they run
 * before the NFRs so the cache phase meets a cache the suite has not
 * filled. The warmup before them is not an entry: it is not recorded. */
const struct nfr *nfr_full(unsigned *n);

/* By id or short id (case-insensitive) in either table, NULL when unknown. */
const struct nfr *nfr_find(const char *id);

/* The scenario a phase runs: its own, or the compiled-in one it names;
 * NULL for one that runs none (NFR-03's tokens). */
const struct scn *nfr_phase_scn(const struct nfr_phase *ph);

#endif
