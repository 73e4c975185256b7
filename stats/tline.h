/*
 * tline: the per-second timeline of a run. Each worker counts into its own
 * rows (responses, errors, sends, drops, and a compact latency histogram per
 * second); rows are merged across workers at the end, so the p50/p99 of a
 * second are exact over all workers to the histogram's resolution (32
 * sub-buckets per octave: within 3.1 %). No locks, no allocation after init.
 */
#ifndef MCPL_STATS_TLINE_H
#define MCPL_STATS_TLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/hist.h"
#include "stats/tally.h"

#define TLINE_SUB_BITS 5
#define TLINE_COUNTS   ((HIST_MAX_BITS - TLINE_SUB_BITS + 1) << TLINE_SUB_BITS)
/* Longest timeline kept: a longer run keeps its first hour (and says so). */
#define TLINE_MAX_SECONDS 3600u

/* Failures of a second by kind: the error classes (enum tally_err), then
 * the responses failed by a 4xx and by a 5xx status. */
#define TLINE_ERR_4XX	TALLY_ERR__COUNT
#define TLINE_ERR_5XX	(TALLY_ERR__COUNT + 1)
#define TLINE_ERR_KINDS (TALLY_ERR__COUNT + 2)

struct tline_row {
	uint32_t responses;
	uint32_t errors; /* failed requests: the sum of errs */
	uint32_t errs[TLINE_ERR_KINDS];
	uint32_t sent;		    /* open loop: requests sent */
	uint32_t dropped;	    /* open loop: arrivals dropped */
	uint32_t scheduled;	    /* open loop: arrivals due */
	uint32_t on_time;	    /* ... of those, applied within 1 ms */
	uint32_t users;		    /* scenarios: most users running in the second */
	uint32_t lat[TLINE_COUNTS]; /* latency as recorded in tally.latency */
};

struct tline {
	struct tline_row *rows; /* owned; mapped lazily by the allocator */
	unsigned nrows;
	/* rows from 0 up to the last one written: the merge reads no further
	 * (a run sized for an hour that took a second reads one row, not 3,600
	 * of 4.5 KiB with their page faults) */
	unsigned used;
	uint64_t origin_ns; /* start of row 0 */
	bool truncated;	    /* something happened after the last row */
	/* the row of the current second and when it starts: found by a
	 * compare, not a division, for every response but the first of a
	 * second */
	struct tline_row *cur;
	uint64_t cur_from_ns;
};

/* One row per second for `seconds` (capped at TLINE_MAX_SECONDS) from
 * origin_ns. Returns 0 or -ENOMEM. */
int tline_init(struct tline *t, unsigned seconds, uint64_t origin_ns);
void tline_free(struct tline *t);

/* The row for time now_ns, or NULL (before the origin, or past the end:
 * then truncated is set). */
static inline struct tline_row *tline_at(struct tline *t, uint64_t now_ns)
{
	uint64_t s;
	/* one compare: a time before the second wraps round to a large one */
	if (now_ns - t->cur_from_ns < 1000000000u && t->cur)
		return t->cur;
	if (!t->rows || now_ns < t->origin_ns)
		return NULL;
	s = (now_ns - t->origin_ns) / 1000000000u;
	if (s >= t->nrows) {
		t->truncated = true;
		return NULL;
	}
	t->cur = &t->rows[s];
	if (s >= t->used)
		t->used = (unsigned)s + 1;
	t->cur_from_ns = t->origin_ns + s * 1000000000u;
	return t->cur;
}

static inline unsigned tline_index(uint64_t v_ns)
{
	return hist_log_index(v_ns > HIST_MAX_NS ? HIST_MAX_NS : v_ns, TLINE_SUB_BITS);
}

static inline void tline_latency(struct tline *t, uint64_t now_ns, uint64_t v_ns)
{
	struct tline_row *r = tline_at(t, now_ns);
	if (r) {
		r->responses++;
		r->lat[tline_index(v_ns)]++;
	}
}

/* The kind a failure counts as: cls (enum tally_err) when it is one, else
 * from the status (4xx, 5xx; any other status: invalid). */
static inline unsigned tline_err_kind(unsigned cls, unsigned status)
{
	if (cls < TALLY_ERR__COUNT)
		return cls;
	if (status - 400u < 100u)
		return TLINE_ERR_4XX;
	if (status - 500u < 100u)
		return TLINE_ERR_5XX;
	return status - 300u < 100u ? TALLY_ERR_STATUS_3XX : TALLY_ERR_STATUS_INVALID;
}

/* A kind's key, as the JSON's errors object names it (status_4xx,
 * status_5xx, or the class's key), and its text for people. */
const char *tline_err_key(unsigned kind);
const char *tline_err_text(unsigned kind);

/* One failure of kind (tline_err_kind) at now_ns. */
static inline void tline_failed(struct tline *t, uint64_t now_ns, unsigned kind)
{
	struct tline_row *r = tline_at(t, now_ns);
	if (r) {
		r->errors++;
		r->errs[kind < TLINE_ERR_KINDS ? kind : TALLY_ERR_STATUS_INVALID]++;
	}
}

/* One second of the merged timeline. */
struct tline_sec {
	uint64_t responses, errors, sent, dropped, users, scheduled, on_time;
	uint64_t errs[TLINE_ERR_KINDS];		/* errors by kind, as tline_row */
	uint64_t p50_ns, p99_ns, max_bucket_ns; /* 0 when no response that second */
};

/*
 * Merge `n` workers' timelines into out[0..*nsec) (allocated; the caller
 * frees it). Only seconds up to the last one with any activity are kept.
 * Returns 0 or -ENOMEM.
 */
int tline_merge(const struct tline *parts, unsigned n, struct tline_sec **out, unsigned *nsec);

/* acc += r, every count; then the second's figures from acc. */
void tline_row_add(struct tline_row *acc, const struct tline_row *r);
void tline_row_sec(const struct tline_row *acc, struct tline_sec *out);

/* Whether a merged second had anything in it. */
bool tline_sec_active(const struct tline_sec *s);

/* Percentile (0..100) of one row's latency histogram: the top of the
 * bucket holding it. 0 when the row has no responses. */
uint64_t tline_row_percentile(const struct tline_row *r, double pct);

#endif
