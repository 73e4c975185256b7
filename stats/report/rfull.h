/*
 * rfull: the figures and JSON of the `suite --full` phases that the NFR
 * tallies do not hold: the cache phase's cold and warm reads, the load
 * profile's achieved rate, the stress search and the soak's memory.
 */
#ifndef MCPL_STATS_REPORT_RFULL_H
#define MCPL_STATS_REPORT_RFULL_H

#include <stdbool.h>

#include "protocol/jw.h"
#include "stats/report/report.h"

/* The figure of one of the --full metrics (NFR_ERROR_PCT ...
 * NFR_SERVER_RSS_MB) into *v. Returns false when there is nothing to
 * measure it on (or the metric is not one of them). */
bool rfull_measure(const struct report_nfr *n, enum nfr_metric m, double *v);

/* The --full objects of an NFR entry (profile, cold/warm, stress, memory),
 * each only when its phase ran. */
void rfull_json(struct jw *j, const struct report_nfr *n);

/* Release what the --full phases own. */
void rfull_free(struct report_nfr *n);

#endif
