/*
 * sshard: a breaking-point search spread over N shards. Every step starts
 * on one instant on every shard; each runs its 1/N and leaves its report
 * in a directory they all see (--sync-dir); each then reads all N, adds
 * them up as mcpload merge does and judges the step on the sum, so every
 * shard takes the same decision and the search moves on in step.
 */
#ifndef MCPL_CORE_CMD_SSHARD_H
#define MCPL_CORE_CMD_SSHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/cmd/prep.h"
#include "core/cmd/shard.h"
#include "stats/knee.h"
#include "stats/result.h"

#define SSHARD_PAUSE_NS 1000000000ull  /* between one step's end and the next start */
#define SSHARD_GRACE_NS 10000000000ull /* how long to wait for the others' reports */
#define SSHARD_FILE_LEN 1024

struct sshard {
	struct shard sh;
	const char *dir;
	char digest[80];     /* the search's: options, scenario, start */
	uint64_t next_ns;    /* the next step's common start, Unix ns */
	uint64_t tol_ns;     /* how late a shard may start a step */
	uint64_t started_ns; /* this step's measured start, Unix ns */
	int64_t late_ns;     /* ... after its common start */
};

/*
 * Set ss up for shard sh of a search whose options print as text (the same
 * on every shard), starting at start_ns (Unix ns) with tolerance tol_ns,
 * its reports under dir. Returns 0 or -EINVAL with why (no directory).
 */
int sshard_init(struct sshard *ss, const struct shard *sh, const char *dir, const char *text,
		const char *scn_path, uint64_t start_ns, uint64_t tol_ns, char *why, size_t wl);

/* Wait for the next step's common start (warmup_ns: before measuring).
 * Returns 0 to go, 1 when a stop was asked for, -ETIME when this shard
 * is already later than the tolerance (it must send nothing: its share
 * would land in another part of the run). */
int sshard_wait(struct sshard *ss, uint64_t warmup_ns);

/*
 * After step k ran here (ph, res): leave its report in the directory, wait
 * for every shard's, add them up and judge the sum into s (rate set) with
 * slo; sets the next step's start. A shard that does not report in time,
 * or shards that started further apart than the tolerance, make the step
 * INCONCLUSIVE with the reason. Returns 0, 1 interrupted, or -1 after
 * printing why (the report could not be written or read).
 */
int sshard_judge(struct sshard *ss, unsigned k, const struct knee_slo *slo, struct phase *ph,
		 const struct result *res, struct knee_step *s);

#endif
