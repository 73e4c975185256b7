/*
 * mseries: a merged run as a struct result, so the run's own writers (HTML,
 * CSV, JUnit, the per-second JSON) describe it: the shards' seconds placed
 * on the wall clock and added, each label's seconds from the histograms
 * the shards wrote for them, added bucket by bucket (never percentiles of
 * percentiles), and the generator's figures summed.
 */
#ifndef MCPL_STATS_MSERIES_H
#define MCPL_STATS_MSERIES_H

#include <stddef.h>

#include "stats/mshard.h"
#include "stats/result.h"

/*
 * Fill res from m (after mshard_add): res->total and res->slots point into
 * m (borrowed); res->timeline and res->ltl are owned by res and freed with
 * mseries_free. A shard's second k lands at second round(M - t0) + k of
 * the merge (M: its measured start). Returns 0, -EINVAL with a one-line
 * reason in why (a second without its histogram, or one whose counts do
 * not add up to its requests), or -ENOMEM.
 */
int mseries_build(struct mshard_set *m, struct result *res, char *why, size_t wl);

/* The generator's self-check over the shards that ran into res: the
 * threads summed, the busiest thread's CPU and wait the highest, saturated
 * when one shard was (its reason, named). */
void mseries_generator(const struct mshard_set *m, struct result *res);

/* Free what mseries_build allocated; res->total and slots are m's. */
void mseries_free(struct result *res);

#endif
