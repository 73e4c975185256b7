/*
 * cfg: one run's configuration, filled by the CLI, then read-only for the
 * engine. Times in ns; counts are totals across all workers.
 */
#ifndef MCPL_CORE_ENGINE_CFG_H
#define MCPL_CORE_ENGINE_CFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "protocol/limits.h"
#include "core/probe/memwatch.h"
#include "protocol/h1w.h"
#include "protocol/mcp.h"
#include "protocol/url.h"
#include "scenarios/plan.h"

struct cfg {
	const char *url_text;
	struct url url;
	struct sockaddr_storage addr; /* resolved once at start */
	socklen_t addr_len;
	char addr_text[64]; /* numeric address:port, for messages */

	unsigned connections;	     /* total, spread over threads */
	unsigned threads;	     /* workers, one per CPU */
	uint64_t duration_ns;	     /* measured phase; 0 with -n alone */
	uint64_t warmup_ns;	     /* before the measured phase, not recorded */
	uint64_t requests;	     /* -n: total requests to record; 0 = no limit */
	uint64_t timeout_ns;	     /* per request */
	uint64_t connect_timeout_ns; /* per connection attempt */
	uint64_t busy_poll_ns;	     /* poll this long before sleeping; 0 = never */

	double rate;	    /* open loop: arrivals per second, total; 0 = closed loop */
	bool poisson;	    /* exponential gaps instead of constant spacing */
	uint64_t seed;	    /* PRNG seed for Poisson arrivals */
	unsigned max_queue; /* per worker: arrivals waiting for a connection */
	bool pacing_lean;   /* open loop: sleep to each due time, never spin */

	const char *method;
	bool head_request;
	struct h1w_header headers[LIM_USER_HEADERS];
	size_t header_count;
	char *body; /* owned: from -b or --body-file */
	size_t body_len;

	char *request; /* owned: the prebuilt request bytes */
	size_t request_len;

	/* `mcpload run`: the scenario, its shape after the command line's
	 * overrides, and the compiled plan (owned); NULL for `mcpload http` */
	const struct scn *scn;
	struct scn_shape shape;
	const struct plan *plan;
	const char *sets[PLAN_MAX_SETS]; /* --set name=value */
	unsigned nsets;
	/* MCP steps: what --mcp-version asked for (NULL: auto), the endpoint's
	 * path after the target's, --session-churn, and what the probe found */
	const char *mcp_version;
	const char *mcp_path;
	bool session_churn;
	struct mcp_server mcp;

	struct memwatch_opts mem; /* --server-pid, --metrics-url, memory bounds */

	const char *json_path; /* --json FILE, or NULL */
	unsigned repeat;       /* --repeat N: runs in a row (0 or 1: one) */
	bool quiet;
	bool progress; /* live line on stderr (a terminal, not --quiet) */

	char *cmdline; /* owned: argv joined, for the report */
};

#endif
