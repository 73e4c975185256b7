/*
 * prom: reading Prometheus text exposition (format 0.0.4) for the few
 * counters mcpload takes from a server's /metrics: the sum of every sample
 * of one metric name, whatever its labels. Stateless; nothing allocates.
 */
#ifndef MCPL_PROTOCOL_PROM_H
#define MCPL_PROTOCOL_PROM_H

#include <stddef.h>

/*
 * Sum the samples of metric `name` (exact name; any labels) in text[0..len).
 * Returns how many samples were summed (0: none, *out is 0), or -1 when a
 * line of that metric is malformed (its labels or its value).
 */
int prom_sum(const char *text, size_t len, const char *name, double *out);

#endif
