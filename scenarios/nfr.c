/*
 * nfr: the seeds' NFR-Performance targets (seed 000 and US-033/US-063):
 * resource loading, tool execution, the Task Tracking API, concurrent id
 * reservations, token efficiency over the reference server's workflows;
 * and the phases of `suite --full`.
 */
#include "scenarios/nfr.h"

#include <stddef.h>
#include <strings.h>

#define S(x) ((uint64_t)(x)*1000000000ull)

static const struct nfr suite[] = {
    {.id = "NFR-Performance-01",
     .short_id = "NFR-01",
     .title = "Resource loading",
     .target_text = "p95 < 100 ms; cache hit rate > 70 %, hit p95 < 10 ms, miss p95 < 100 ms",
     /* every resource 10 times; --smoke spreads the ten sweeps over 5 users */
     .phases = {{.name = "sweep",
		 .scenario = "resource-sweep",
		 .users = 1,
		 .iterations = 10,
		 .smoke_users = 5,
		 .smoke_iterations = 2},
		{.name = "rest-load",
		 .scenario = "rest-resources",
		 .users = 100,
		 .spawn_rate = 10,
		 .duration_ns = S(60),
		 .smoke_users = 30,
		 .smoke_spawn_rate = 15,
		 .smoke_duration_ns = S(8)},
		{.name = "mcp-load",
		 .scenario = "mcp-resources",
		 .users = 50,
		 .spawn_rate = 10,
		 .duration_ns = S(30),
		 .smoke_users = 10,
		 .smoke_spawn_rate = 10,
		 .smoke_duration_ns = S(4)}},
     .nphases = 3,
     .criteria = {{"p95 resource load", NFR_P95_MS, 100, false, true, "p95_ms", NULL},
		  {"p50 resource load", NFR_P50_MS, 50, false, false, "p50_ms", NULL},
		  {"p99 resource load", NFR_P99_MS, 200, false, false, "p99_ms", NULL},
		  {"failed requests", NFR_FAILED, 0, false, false, "failed", NULL},
		  {"cache hit rate", NFR_HIT_RATE_PCT, 70, true, true, "hit_rate_pct", NULL},
		  {"p95 of cache hits", NFR_HIT_P95_MS, 10, false, true, "hit_p95_ms", NULL},
		  {"p95 of cache misses", NFR_MISS_P95_MS, 100, false, true, "miss_p95_ms", NULL}},
     .ncriteria = 7,
     .cache_header = "x-cache",
     .cache_hit = "HIT",
     .cache_miss = "MISS",
     .hits_metric = "mcp_resource_cache_hits_total",
     .misses_metric = "mcp_resource_cache_misses_total"},
    {.id = "NFR-Performance-02",
     .short_id = "NFR-02",
     .title = "Tool execution",
     .target_text = "p95 < 500 ms for each tool (50 calls per tool)",
     .phases = {{.name = "tools", .scenario = "mcp-tools", .users = 10, .iterations = 5}},
     .nphases = 1,
     .changes = "calls every tool 50 times: store_artifact stores artifacts, reserve_id_range "
		"reserves ids",
     .criteria = {{"p95 of the slowest tool", NFR_LABEL_P95_MS, 500, false, true, "tool_p95_ms",
		   NULL},
		  {"failed calls", NFR_FAILED, 0, false, false, "failed", NULL}},
     .ncriteria = 2},
    {.id = "NFR-Performance-03",
     .short_id = "NFR-03",
     .title = "Token efficiency",
     .target_text = ">= 40 % fewer LLM tokens than loading the local files, in total and in "
		    "each workflow",
     .phases = {{.name = "tokens", .kind = NFR_KIND_TOKENS}},
     .nphases = 1,
     .wflows = &wflow_bundled,
     .changes = "runs each workflow once: reserve_id_range reserves ids, store_artifact stores "
		"an artifact, get_next_task claims a task, update_task_status sets one",
     .criteria = {{"token reduction over all workflows", NFR_TOKEN_REDUCTION_PCT, 40, true, true,
		   "reduction_pct", NULL},
		  {"workflows without a reduction", NFR_NOT_REDUCED, 0, false, true, "not_reduced",
		   NULL}},
     .ncriteria = 2},
    {.id = "NFR-Performance-04",
     .short_id = "NFR-04",
     .title = "Task Tracking API",
     .target_text = "100 req/s for 60 s (GET /tasks/next, PUT /tasks/{id}/status): p99 < 200 ms, "
		    "zero 5xx",
     .phases = {{.name = "flow",
		 .scenario = "task-api",
		 .rate = 50,
		 .duration_ns = S(60),
		 .smoke_duration_ns = S(10)}},
     .nphases = 1,
     .changes = "claims tasks (GET /tasks/next) and sets their status (PUT /tasks/{id}/status)",
     .criteria = {{"p99 (corrected for coordinated omission)", NFR_P99_MS, 200, false, true,
		   "p99_ms", NULL},
		  {"5xx responses", NFR_5XX, 0, false, true, "5xx", NULL}},
     .ncriteria = 2},
    {.id = "NFR-Performance-05",
     .short_id = "NFR-05",
     .title = "Concurrent id reservations",
     .target_text = "50 concurrent reserve_id_range (US), MCP and REST: all succeed, zero "
		    "collisions",
     .phases = {{.name = "mcp", .scenario = "id-reservation-mcp", .users = 50, .iterations = 1},
		{.name = "rest", .scenario = "id-reservation-rest", .users = 50, .iterations = 1}},
     .nphases = 2,
     .changes = "reserves 50 id ranges through MCP and 50 through REST",
     .criteria = {{"collisions", NFR_COLLISIONS, 0, false, true, "collisions", NULL},
		  {"reservations that did not succeed", NFR_UNSUCCESSFUL, 0, false, true,
		   "unsuccessful", NULL}},
     .ncriteria = 2},
};

/* Seed 002's validation criteria: < 500 ms standard, < 1000 ms p95,
 * < 2 % errors, < 200 ms cached and < 2 s cold retrievals, > 10 requests/s
 * minimum and > 25 target; seed 004's < 50 MB memory growth; seed 002's
 * < 2 GB resident. Tool calls throughout (the tools it benchmarks). */
static const struct nfr full[] = {
    {.id = "BENCH-baseline",
     .short_id = "baseline",
     .title = "Baseline: one user, no concurrency",
     .target_text = "p95 < 500 ms (standard procedures)",
     .phases =
	 {{.scenario = "mcp-tools", .users = 1, .duration_ns = S(30), .smoke_duration_ns = S(3)}},
     .nphases = 1,
     .criteria = {{"p95 tool call, one user", NFR_P95_MS, 500, false, true},
		  {"p50 tool call, one user", NFR_P50_MS, 200, false, false},
		  {"failed calls", NFR_FAILED, 0, false, false}},
     .ncriteria = 3},
    {.id = "BENCH-load",
     .short_id = "load",
     .title = "Load at the --profile (default normal)",
     .target_text = "p95 < 1000 ms, errors < 2 %, the profile's rate achieved",
     .phases = {{.scenario = "mcp-tools",
		 .kind = NFR_KIND_PROFILE,
		 .duration_ns = S(60),
		 .smoke_duration_ns = S(6)}},
     .nphases = 1,
     .criteria = {{"p95 tool call", NFR_P95_MS, 1000, false, true},
		  {"failed requests", NFR_ERROR_PCT, 2, false, true},
		  {"achieved of the offered requests/s", NFR_ACHIEVED_PCT, 95, true, true},
		  {"p50 tool call", NFR_P50_MS, 200, false, false},
		  {"p99 tool call", NFR_P99_MS, 2000, false, false}},
     .ncriteria = 5},
    {.id = "BENCH-cache",
     .short_id = "cache",
     .title = "Cache: cold (first read of each resource) vs warm",
     .target_text = "cold p95 < 2000 ms, warm p95 < 200 ms",
     /* one user: its first sweep reads every resource for the first time */
     .phases = {{.scenario = "resource-sweep", .users = 1, .iterations = 1},
		{.scenario = "resource-sweep", .users = 1, .iterations = 4, .smoke_iterations = 2}},
     .nphases = 2,
     .criteria = {{"p95 cold: first read of each resource", NFR_FIRST_P95_MS, 2000, false, true},
		  {"p95 warm: the reads after it", NFR_REST_P95_MS, 200, false, true},
		  {"failed reads", NFR_FAILED, 0, false, false}},
     .ncriteria = 3},
    {.id = "BENCH-stress",
     .short_id = "stress",
     .title = "Stress: the breaking point",
     .target_text = "sustains > 10 requests/s (minimum), > 25 (target)",
     .phases = {{.scenario = "mcp-tools",
		 .kind = NFR_KIND_STRESS,
		 .duration_ns = S(10),
		 .smoke_duration_ns = S(1)}},
     .nphases = 1,
     .criteria = {{"max sustainable requests/s (minimum)", NFR_MAX_RPS, 10, true, true},
		  {"max sustainable requests/s (target)", NFR_MAX_RPS, 25, true, false}},
     .ncriteria = 2},
    {.id = "BENCH-memory",
     .short_id = "memory",
     .title = "Memory stability: a soak at the --profile",
     .target_text = "server memory grows < 50 MB over the run, stays < 2 GB resident",
     .phases = {{.scenario = "mcp-tools",
		 .kind = NFR_KIND_SOAK,
		 .duration_ns = S(60),
		 .smoke_duration_ns = S(6)}},
     .nphases = 1,
     .criteria = {{"server memory growth (trend)", NFR_MEM_GROWTH_MB, 50, false, true},
		  {"server peak resident memory", NFR_SERVER_RSS_MB, 2048, false, true},
		  {"p95 tool call during the soak", NFR_P95_MS, 1000, false, false}},
     .ncriteria = 3},
};

const struct nfr *nfr_full(unsigned *n)
{
	*n = sizeof(full) / sizeof(full[0]);
	return full;
}

const struct nfr *nfr_all(unsigned *n)
{
	*n = sizeof(suite) / sizeof(suite[0]);
	return suite;
}

const struct nfr *nfr_find(const char *id)
{
	for (size_t i = 0; i < sizeof(suite) / sizeof(suite[0]); i++)
		if (!strcasecmp(id, suite[i].id) || !strcasecmp(id, suite[i].short_id))
			return &suite[i];
	for (size_t i = 0; i < sizeof(full) / sizeof(full[0]); i++)
		if (!strcasecmp(id, full[i].id) || !strcasecmp(id, full[i].short_id))
			return &full[i];
	return NULL;
}

const struct scn *nfr_phase_scn(const struct nfr_phase *ph)
{
	return ph->scn ? ph->scn : ph->scenario ? scn_find(ph->scenario) : NULL;
}
