/*
 * check: sort by start, then one pass. Two ranges overlap exactly when, in
 * start order, one starts at or before the furthest end seen so far; the
 * range holding that end is kept to show as the other half of an example.
 */
#include "stats/check.h"

#include <stdlib.h>

static int by_start(const void *a, const void *b)
{
	const struct check_rec *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return (x->end > y->end) - (x->end < y->end);
}

static void example(struct check_result *out, const struct check_rec *a, const struct check_rec *b)
{
	if (out->nexamples < CHECK_EXAMPLES) {
		out->examples[out->nexamples][0] = *a;
		out->examples[out->nexamples][1] = *b;
		out->nexamples++;
	}
}

void check_run(const struct scn_check *def, struct check_rec *recs, size_t n,
	       struct check_result *out)
{
	out->def = def;
	out->values = n;
	out->collisions = out->bad_count = 0;
	out->nexamples = 0;
	if (n)
		qsort(recs, n, sizeof(*recs), by_start);
	if (def->kind == SCN_CHECK_UNIQUE) {
		for (size_t i = 1; i < n; i++) {
			if (recs[i].start == recs[i - 1].start) {
				out->collisions++;
				example(out, &recs[i - 1], &recs[i]);
			}
		}
	} else {
		size_t far = 0; /* the range with the furthest end so far */
		for (size_t i = 0; i < n; i++) {
			const struct check_rec *r = &recs[i];
			/* unsigned: hostile values must not overflow */
			if (r->end < r->start || r->count < 1 ||
			    (uint64_t)r->end - (uint64_t)r->start != (uint64_t)r->count - 1)
				out->bad_count++;
			if (i && r->start <= recs[far].end) {
				out->collisions++;
				example(out, &recs[far], r);
			}
			if (!i || r->end > recs[far].end)
				far = i;
		}
	}
	out->passed =
	    n > 0 && !out->collisions && !out->bad_count && !out->unreadable && !out->overflow;
}
