/*
 * rhdr: a run's latency as an HdrHistogram interval log (--hdr-log): one
 * interval per second per label (tagged with the label) and the run's
 * whole second untagged, in the V2 compressed encoding, so HdrHistogram's
 * own tools (HistogramLogProcessor, HistogramLogReader, hdr-histogram-js)
 * read it.
 */
#ifndef MCPL_STATS_REPORT_RHDR_H
#define MCPL_STATS_REPORT_RHDR_H

#include <stddef.h>

#include "stats/report/rdesc.h"
#include "stats/result.h"

/* Write the log to path (atomically). Returns 0 or -errno with a one-line
 * reason in why. */
int rhdr_write(const char *path, const struct rdesc *d, const struct result *res, char *why,
	       size_t why_len);

#endif
