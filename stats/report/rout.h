/*
 * rout: the report files a load run (http, run) writes, each asked for by
 * its option: --json, --csv PREFIX, --junit, --hdr-log, --html. Checked
 * before the run, written after it (also after a run that failed or was
 * interrupted: what was measured is reported).
 */
#ifndef MCPL_STATS_REPORT_ROUT_H
#define MCPL_STATS_REPORT_ROUT_H

#include <stddef.h>

#include "stats/report/rdesc.h"
#include "stats/result.h"

struct rout {
	const char *json, *csv, *junit, *hdr_log, *html; /* NULL: not asked for */
};

/* Can every file asked for be written? Returns 0 or -errno with a one-line
 * reason in why. */
int rout_check(const struct rout *o, char *why, size_t why_len);

/* Write every file asked for: all are tried; returns 0, or the first
 * -errno with its one-line reason in why. */
int rout_write(const struct rout *o, const struct rdesc *d, const struct result *res, char *why,
	       size_t why_len);

/* The run could not start: the JSON and JUnit files say so, and why. */
int rout_write_unrun(const struct rout *o, const char *mode, const char *cmdline,
		     const char *target, time_t started_at, const char *reason,
		     const struct rshard *shard, char *why, size_t wl);

#endif
