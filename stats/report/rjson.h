/*
 * rjson: the JSON document of one `mcpload http` or `mcpload run` (--json):
 * units in the key names, latency in ms, the per-second timeline.
 */
#ifndef MCPL_STATS_REPORT_RJSON_H
#define MCPL_STATS_REPORT_RJSON_H

#include <stddef.h>
#include <time.h>

#include "stats/report/rdesc.h"
#include "stats/result.h"

/* Write it to path (out.h: "-" stdout, in place, or atomically). Returns 0
 * or -errno with a one-line reason in why. */
int rjson_write(const char *path, const struct rdesc *d, const struct result *res, char *why,
		size_t why_len);

/* The document of a run that could not start (the target unreachable, its
 * MCP pre-flight failed): the header, url, "requests": 0, "not_run" with
 * the reason and "verdict": "FAIL". Returns as rjson_write. */
int rjson_write_unrun(const char *path, const char *mode, const char *cmdline, const char *target,
		      time_t started_at, const char *reason, const struct rshard *shard, char *why,
		      size_t why_len);

#endif
