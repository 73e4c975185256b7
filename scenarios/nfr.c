/*
 * nfr: the seeds' NFR-Performance targets (seed 000 and US-033/US-063):
 * resource loading, tool execution, the Task Tracking API, concurrent id
 * reservations, and the token-efficiency slot that another issue fills.
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
     .phases = {{.scenario = "resource-sweep",
		 .users = 1,
		 .iterations = 10,
		 .smoke_users = 5,
		 .smoke_iterations = 2},
		{.scenario = "rest-resources",
		 .users = 100,
		 .spawn_rate = 10,
		 .duration_ns = S(60),
		 .smoke_users = 30,
		 .smoke_spawn_rate = 15,
		 .smoke_duration_ns = S(8)},
		{.scenario = "mcp-resources",
		 .users = 50,
		 .spawn_rate = 10,
		 .duration_ns = S(30),
		 .smoke_users = 10,
		 .smoke_spawn_rate = 10,
		 .smoke_duration_ns = S(4)}},
     .nphases = 3,
     .criteria = {{"p95 resource load", NFR_P95_MS, 100, false, true},
		  {"p50 resource load", NFR_P50_MS, 50, false, false},
		  {"p99 resource load", NFR_P99_MS, 200, false, false},
		  {"failed requests", NFR_FAILED, 0, false, false},
		  {"cache hit rate", NFR_HIT_RATE_PCT, 70, true, true},
		  {"p95 of cache hits", NFR_HIT_P95_MS, 10, false, true},
		  {"p95 of cache misses", NFR_MISS_P95_MS, 100, false, true}},
     .ncriteria = 7},
    {.id = "NFR-Performance-02",
     .short_id = "NFR-02",
     .title = "Tool execution",
     .target_text = "p95 < 500 ms for each tool (50 calls per tool)",
     .phases = {{.scenario = "mcp-tools", .users = 10, .iterations = 5}},
     .nphases = 1,
     .criteria = {{"p95 of the slowest tool", NFR_LABEL_P95_MS, 500, false, true},
		  {"failed calls", NFR_FAILED, 0, false, false}},
     .ncriteria = 2},
    {.id = "NFR-Performance-03",
     .short_id = "NFR-03",
     .title = "Token efficiency",
     .target_text = ">= 40 % fewer LLM tokens than loading files by hand",
     .not_measured = true},
    {.id = "NFR-Performance-04",
     .short_id = "NFR-04",
     .title = "Task Tracking API",
     .target_text = "100 req/s for 60 s (GET /tasks/next, PUT /tasks/{id}/status): p99 < 200 ms, "
		    "zero 5xx",
     .phases =
	 {{.scenario = "task-api", .rate = 50, .duration_ns = S(60), .smoke_duration_ns = S(10)}},
     .nphases = 1,
     .criteria = {{"p99 (corrected for coordinated omission)", NFR_P99_MS, 200, false, true},
		  {"5xx responses", NFR_5XX, 0, false, true}},
     .ncriteria = 2},
    {.id = "NFR-Performance-05",
     .short_id = "NFR-05",
     .title = "Concurrent id reservations",
     .target_text = "50 concurrent reserve_id_range (US), MCP and REST: all succeed, zero "
		    "collisions",
     .phases = {{.scenario = "id-reservation-mcp", .users = 50, .iterations = 1},
		{.scenario = "id-reservation-rest", .users = 50, .iterations = 1}},
     .nphases = 2,
     .criteria = {{"collisions", NFR_COLLISIONS, 0, false, true},
		  {"reservations that did not succeed", NFR_UNSUCCESSFUL, 0, false, true}},
     .ncriteria = 2},
};

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
	return NULL;
}
