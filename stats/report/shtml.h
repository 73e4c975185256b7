/*
 * shtml: the NFR suite and the stress search as self-contained HTML pages:
 * the verdict table with grades (one row per NFR criterion or step), then
 * per NFR its findings, latency over time by phase, percentile spectrum,
 * throughput and failures, labels, the stress curve and memory when it has
 * them; for a stress search its curve and step table.
 */
#ifndef MCPL_STATS_REPORT_SHTML_H
#define MCPL_STATS_REPORT_SHTML_H

#include <stddef.h>
#include <time.h>

#include "stats/assess.h"
#include "stats/knee.h"

/* The suite's page to path (atomically). Returns 0 or -errno with a
 * one-line reason in why. */
int shtml_suite_write(const char *path, const struct assess *a, char *why, size_t why_len);

/* What a stress search was asked, for its page. */
struct shtml_stress {
	const char *cmdline, *target, *scenario;
	time_t started_at;
	const struct knee *k;
};

int shtml_stress_write(const char *path, const struct shtml_stress *s, char *why, size_t why_len);

#endif
