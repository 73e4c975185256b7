/*
 * mshard: the shards of one run (mcpload --shard) read back from their
 * JSON reports and added up: each checked to belong to the run (the same
 * configuration digest, version and shard count, no index twice), its
 * tallies rebuilt from the counts and HdrHistogram distributions and
 * merged exactly, its seconds placed on the wall clock, the thresholds
 * judged again on the sum. core/cmd/merge writes the result.
 */
#ifndef MCPL_STATS_MSHARD_H
#define MCPL_STATS_MSHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/tally.h"
#include "stats/thresh.h"

#define MSHARD_MAX_LABELS  64
#define MSHARD_MAX_SECONDS 86400
#define MSHARD_MAX_BYTES   ((size_t)256 << 20) /* a report larger than this is refused */

struct mshard_doc {
	const char *path;
	char *text; /* owned */
	size_t len;
	unsigned index, count;
	char status[16]; /* "ran", "late", "after_end" */
	char reason[300];
	bool ran;
	double measured_s, late_ms, duration_s;
	uint64_t requests;
};

struct mshard_set {
	struct mshard_doc *docs; /* owned */
	unsigned n, expected, ran;
	bool *seen; /* [expected] */
	char digest[80], version[32], url[512], run_cmd[1024];
	bool open_loop;
	struct tally *total; /* owned */
	struct tally *slots; /* owned: one per label */
	char names[MSHARD_MAX_LABELS][128];
	char types[MSHARD_MAX_LABELS][16]; /* "GET", "MCP", ... */
	unsigned nlabels;
	uint64_t *tl_req, *tl_err, *tl_shards; /* owned, tl_len seconds */
	unsigned tl_len;
	double t0, t_end; /* wall clock, Unix s: the earliest start, the latest end */
	double skew_ms, late_max_ms;
	struct thresh th[THRESH_MAX];
	unsigned nth;
	bool failed; /* a threshold failed */
	const char *verdict;
	char incomplete[512]; /* which shards are missing or did not run */
};

/*
 * Read the reports paths[0..n) into m and check they are shards of one
 * run. Returns 0, -EINVAL with a one-line reason in why (not a shard's
 * report, another run, another version, an index twice, a file that is
 * not JSON), or -errno (unreadable, -ENOMEM).
 */
int mshard_load(struct mshard_set *m, const char *const *paths, unsigned n, char *why, size_t wl);

/* Add up the shards that ran: totals, labels, timeline, skew, thresholds,
 * verdict. Returns 0, -EINVAL with why (a report without its
 * distributions), or -ENOMEM. */
int mshard_add(struct mshard_set *m, char *why, size_t wl);

/* Parse one report's text as mshard_load does (for the fuzzer and tests):
 * d gets its shard fields; t (may be NULL) the top-level tally. Returns 0
 * or -EINVAL with why. */
int mshard_parse(struct mshard_doc *d, const char *text, size_t len, struct tally *t, char *why,
		 size_t wl);

void mshard_free(struct mshard_set *m);

/* The slot of the label called name after mshard_add, or -1. */
int mshard_label(const struct mshard_set *m, const char *name);

/* Members of the JSON value p[0..n) at a dotted path (jsc_get's): a
 * string unescaped into out (cap bytes, NUL-ended; false when absent, not
 * a string or too long), a finite number, a non-negative integer (0 when
 * absent or not one). */
bool mshard_str_at(const char *p, size_t n, const char *path, char *out, size_t cap);
bool mshard_num_at(const char *p, size_t n, const char *path, double *out);
uint64_t mshard_u64_at(const char *p, size_t n, const char *path);

#endif
