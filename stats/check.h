/*
 * check: post-run checks over values gathered from responses by every
 * worker: reserved ranges pairwise disjoint (and each of the size it
 * claims), or single values unique. Sorts the caller's array in place.
 */
#ifndef MCPL_STATS_CHECK_H
#define MCPL_STATS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/scn.h"

/* One gathered response: DISJOINT uses [start, end] and count; UNIQUE start. */
struct check_rec {
	int64_t start, end, count;
};

#define CHECK_EXAMPLES 3

struct check_result {
	const struct scn_check *def;
	uint64_t values;     /* responses gathered */
	uint64_t unreadable; /* responses of the label without the fields */
	uint64_t overflow;   /* responses past the gathering capacity (not checked) */
	uint64_t collisions; /* DISJOINT: ranges overlapping an earlier one; UNIQUE: repeats */
	uint64_t bad_count;  /* DISJOINT: end - start + 1 != count */
	bool passed;	     /* nothing gathered counts as failed */
	struct check_rec examples[CHECK_EXAMPLES][2]; /* colliding pairs */
	unsigned nexamples;
};

/* Run def over recs[0..n). Fills *out (its counters other than values and
 * collisions/bad_count/examples are the caller's to set beforehand). */
void check_run(const struct scn_check *def, struct check_rec *recs, size_t n,
	       struct check_result *out);

#endif
