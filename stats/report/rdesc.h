/*
 * rdesc: what a run was asked to do, as the report writers describe it:
 * the command line, the target, the connections and the schedule, and for
 * a scenario its compiled plan and the MCP server the probe found. The
 * command fills it; the summary and the JSON read it beside the result.
 */
#ifndef MCPL_STATS_REPORT_RDESC_H
#define MCPL_STATS_REPORT_RDESC_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/mcp.h"
#include "scenarios/plan.h"
#include "stats/thresh.h"

/* One shard of a run spread over machines, as its report says it, for
 * mcpload merge: which one, the common start and how late it was, the
 * wall clock of its first measured second, the configuration's digest. */
struct rshard {
	unsigned index, count;
	const char *from;	   /* "--shard", "SLURM_PROCID/SLURM_NTASKS", ... */
	uint64_t start_at_ns;	   /* --start-at, Unix ns; 0: none */
	int64_t start_late_ns;	   /* after start_at (0 without one) */
	uint64_t measured_unix_ns; /* the measured phase's start, wall clock */
	const char *status;	   /* "ran", "late", "after_end" */
	char digest[80];	   /* "sha256:HEX" of the run's configuration and version */
};

/* A run merged from its shards' reports (mcpload merge): how many were
 * expected and added, the start skew, and the labels by slot, since a
 * merge has the labels' names but not the scenario's plan. */
struct rmerge {
	unsigned expected, ran;
	double skew_ms;
	double t0_unix_s;	   /* the earliest shard's measured start */
	const char *incomplete;	   /* "expected 4 shards, got 3: 2 is missing" */
	const char *const *labels; /* slot i's name */
	const char *const *types;  /* slot i's method, "MCP" or "" */
	unsigned nlabels;
};

struct rdesc {
	const char *cmdline; /* as typed, or the equivalent of a derived run */
	const char *url;     /* the URL (http) or the target (run) */
	const char *address; /* numeric address:port it resolved to */
	const char *method;  /* http: the method; run: "-" */
	unsigned connections;
	unsigned threads;
	double rate; /* open loop: requests/s (http) or peak iterations/s (run); 0 closed */
	bool poisson, pacing_lean;
	uint64_t seed;
	unsigned max_queue;
	uint64_t warmup_ns, busy_poll_ns;
	const struct plan *plan;	 /* a scenario run's plan (its shape, labels), or NULL */
	const struct mcp_server *mcp;	 /* MCP steps: what the probe found, or NULL */
	const struct thresh *thresholds; /* judged, or NULL */
	unsigned nthresholds;
	/* https: the certificate verified against tls_cacert (NULL: the
	 * system's CAs), or not at all (tls_insecure) */
	bool tls, tls_insecure, tls_resume;
	bool tls_no_name; /* an IP address in the URL: the chain verified, no name matched */
	const char *tls_cacert;
	const struct rshard *shard; /* a shard of a spread run, or NULL */
	const struct rmerge *merge; /* a run merged from shards, or NULL */
	uint64_t pacing_window_ns;  /* lean pacing: arrivals sent together within it */
};

#endif
