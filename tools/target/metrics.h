/*
 * metrics: what the target counts, for GET /metrics in the Prometheus text
 * format (0.0.4): requests by route group and status, latency histograms by
 * route group, the seeds' mcp_resource_loading_latency_seconds and cache
 * counters, and the process's memory and CPU. Relaxed atomics: every server
 * thread records, the scrape reads.
 */
#ifndef MCPL_TARGET_METRICS_H
#define MCPL_TARGET_METRICS_H

#include <stdbool.h>
#include <stdint.h>

#include "tools/target/fault.h"
#include "tools/target/res.h"

struct resp;

/* One response left: its route group, status, and time from the request's
 * arrival to its release (delays and queueing included). res_type < 0 when
 * it was not a resource read. */
void metrics_record(enum fault_group g, int status, uint64_t latency_ns, int res_type, bool hit);

/* An MCP tool call (index from tool_index) took this long, arrival to release. */
void metrics_tool(int tool, uint64_t latency_ns);

/* Append the exposition to r->body. */
void metrics_render(struct resp *r);

#endif
