/*
 * metrics: fixed arrays of atomic counters (the target's only shared
 * mutable state besides the store and the capacity clock), rendered on
 * scrape. Bucket bounds: request latency from 1 ms to 10 s; resource loading
 * with the seeds' bounds (10 ms .. 1 s).
 */
#include "tools/target/metrics.h"

#include <stdatomic.h>
#include <stdio.h>
#include <sys/resource.h>
#include <unistd.h>

#include "tools/target/route.h"
#include "tools/target/store.h"
#include "tools/target/tool.h"

static const double req_bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
#define REQ_BUCKETS (sizeof(req_bounds) / sizeof(req_bounds[0]))
static const double res_bounds[] = {0.01, 0.05, 0.1, 0.2, 0.5, 1};
#define RES_BUCKETS (sizeof(res_bounds) / sizeof(res_bounds[0]))

static const int codes[] = {200, 202, 400, 404, 405, 406, 413, 415, 500, 501, 507};
#define NCODES (sizeof(codes) / sizeof(codes[0]))

static struct {
	_Atomic uint64_t requests[FG__COUNT][NCODES + 1]; /* last: other codes */
	_Atomic uint64_t req_bucket[FG__COUNT][REQ_BUCKETS + 1];
	_Atomic uint64_t req_sum_ns[FG__COUNT];
	_Atomic uint64_t res_bucket[RES__TYPES][2][RES_BUCKETS + 1];
	_Atomic uint64_t res_sum_ns[RES__TYPES][2];
	_Atomic uint64_t hits, misses;
	_Atomic uint64_t tool_bucket[TOOL_COUNT][REQ_BUCKETS + 1];
	_Atomic uint64_t tool_sum_ns[TOOL_COUNT];
} m;

static unsigned bucket(const double *bounds, unsigned n, double s)
{
	unsigned i = 0;
	while (i < n && s > bounds[i])
		i++;
	return i; /* n: above every bound (+Inf only) */
}

void metrics_tool(int tool, uint64_t ns)
{
	if (tool < 0 || tool >= TOOL_COUNT)
		return;
	atomic_fetch_add_explicit(
	    &m.tool_bucket[tool][bucket(req_bounds, REQ_BUCKETS, (double)ns / 1e9)], 1,
	    memory_order_relaxed);
	atomic_fetch_add_explicit(&m.tool_sum_ns[tool], ns, memory_order_relaxed);
}

void metrics_record(enum fault_group g, int status, uint64_t ns, int res_type, bool hit)
{
	double s = (double)ns / 1e9;
	unsigned c = 0;
	while (c < NCODES && codes[c] != status)
		c++;
	atomic_fetch_add_explicit(&m.requests[g][c], 1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m.req_bucket[g][bucket(req_bounds, REQ_BUCKETS, s)], 1,
				  memory_order_relaxed);
	atomic_fetch_add_explicit(&m.req_sum_ns[g], ns, memory_order_relaxed);
	if (res_type < 0 || res_type >= RES__TYPES || status != 200)
		return;
	atomic_fetch_add_explicit(&m.res_bucket[res_type][hit][bucket(res_bounds, RES_BUCKETS, s)],
				  1, memory_order_relaxed);
	atomic_fetch_add_explicit(&m.res_sum_ns[res_type][hit], ns, memory_order_relaxed);
	atomic_fetch_add_explicit(hit ? &m.hits : &m.misses, 1, memory_order_relaxed);
}

static void histogram(struct resp *r, const char *name, const char *labels, const double *bounds,
		      unsigned n, _Atomic uint64_t *counts, uint64_t sum_ns)
{
	uint64_t cum = 0;
	for (unsigned i = 0; i <= n; i++) {
		cum += atomic_load_explicit(&counts[i], memory_order_relaxed);
		if (i < n)
			resp_printf(r, "%s_bucket{%s,le=\"%g\"} %llu\n", name, labels, bounds[i],
				    (unsigned long long)cum);
		else
			resp_printf(r, "%s_bucket{%s,le=\"+Inf\"} %llu\n", name, labels,
				    (unsigned long long)cum);
	}
	resp_printf(r, "%s_sum{%s} %.9f\n%s_count{%s} %llu\n", name, labels, (double)sum_ns / 1e9,
		    name, labels, (unsigned long long)cum);
}

void metrics_render(struct resp *r)
{
	char labels[96];
	resp_printf(r,
		    "# HELP mcp_http_requests_total Requests answered, by route group and status.\n"
		    "# TYPE mcp_http_requests_total counter\n");
	for (int g = 0; g < FG__COUNT; g++) {
		for (unsigned c = 0; c <= NCODES; c++) {
			uint64_t v = atomic_load_explicit(&m.requests[g][c], memory_order_relaxed);
			if (v)
				resp_printf(
				    r, "mcp_http_requests_total{route=\"%s\",code=\"%s%d\"} %llu\n",
				    fault_group_name((enum fault_group)g),
				    c < NCODES ? "" : "other", c < NCODES ? codes[c] : 0,
				    (unsigned long long)v);
		}
	}
	resp_printf(r,
		    "# HELP mcp_http_request_duration_seconds Arrival to release, by route group.\n"
		    "# TYPE mcp_http_request_duration_seconds histogram\n");
	for (int g = 0; g < FG__COUNT; g++) {
		snprintf(labels, sizeof(labels), "route=\"%s\"",
			 fault_group_name((enum fault_group)g));
		histogram(r, "mcp_http_request_duration_seconds", labels, req_bounds, REQ_BUCKETS,
			  m.req_bucket[g], atomic_load(&m.req_sum_ns[g]));
	}
	resp_printf(r, "# HELP mcp_resource_loading_latency_seconds Resource loading, end to end.\n"
		       "# TYPE mcp_resource_loading_latency_seconds histogram\n");
	for (int t = 0; t < RES__TYPES; t++) {
		for (int h = 1; h >= 0; h--) {
			snprintf(labels, sizeof(labels), "resource_type=\"%s\",cache_result=\"%s\"",
				 res_type_name((enum res_type)t), h ? "hit" : "miss");
			histogram(r, "mcp_resource_loading_latency_seconds", labels, res_bounds,
				  RES_BUCKETS, m.res_bucket[t][h],
				  atomic_load(&m.res_sum_ns[t][h]));
		}
	}
	resp_printf(r, "# HELP mcp_tool_duration_seconds MCP tool calls, arrival to release.\n"
		       "# TYPE mcp_tool_duration_seconds histogram\n");
	for (int t = 0; t < TOOL_COUNT; t++) {
		snprintf(labels, sizeof(labels), "tool_name=\"%s\"", tool_name(t));
		histogram(r, "mcp_tool_duration_seconds", labels, req_bounds, REQ_BUCKETS,
			  m.tool_bucket[t], atomic_load(&m.tool_sum_ns[t]));
	}
	struct rusage ru;
	long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%*d %ld", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	getrusage(RUSAGE_SELF, &ru);
	resp_printf(
	    r,
	    "# TYPE mcp_resource_cache_hits_total counter\nmcp_resource_cache_hits_total %llu\n"
	    "# TYPE mcp_resource_cache_misses_total counter\n"
	    "mcp_resource_cache_misses_total %llu\n"
	    "# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes %lld\n"
	    "# TYPE process_cpu_seconds_total counter\nprocess_cpu_seconds_total %.3f\n"
	    "# HELP task_status_updates_unissued_total Status updates naming a task that "
	    "get_next_task had not handed out.\n"
	    "# TYPE task_status_updates_unissued_total counter\n"
	    "task_status_updates_unissued_total %llu\n",
	    (unsigned long long)atomic_load(&m.hits), (unsigned long long)atomic_load(&m.misses),
	    (long long)pages * sysconf(_SC_PAGESIZE),
	    (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
		(double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6,
	    (unsigned long long)store_updates_of_unissued());
}
