/*
 * ltl: the per-second timeline of each label. A worker counts each label's
 * responses of the current second into histograms of 2 significant digits
 * (HdrHistogram's layout for 2 digits: within 0.8 %); when the second ends
 * the non-empty ones are appended, sparse, to the worker's arena, so memory
 * grows with what happened, not with labels x seconds. Merged exactly over
 * the workers at the end; no allocation while the run goes.
 */
#ifndef MCPL_STATS_LTL_H
#define MCPL_STATS_LTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/hist.h"

#define LTL_SUB_BITS  7 /* HdrHistogram with 2 significant digits: 256 sub-buckets */
#define LTL_DIGITS    2
#define LTL_COUNTS    ((HIST_MAX_BITS - LTL_SUB_BITS + 1) << LTL_SUB_BITS)
#define LTL_KINDS     2 /* 0: latency as recorded (corrected in the open model); 1: service */
#define LTL_MAX_SLOTS 65535u

/* One label's current second in one worker. */
struct ltl_cur {
	uint32_t n;	 /* responses */
	uint32_t failed; /* failed requests: responses and attempts without one */
	uint32_t lost;	 /* ... of those, attempts without a response */
	uint64_t body;	 /* body bytes of the responses */
	bool active;	 /* listed in ltl.active */
	uint32_t lat[LTL_KINDS][LTL_COUNTS];
};

struct ltl {
	unsigned nslots, nsec; /* seconds kept: as the per-second timeline */
	bool service;	       /* kind 1 is recorded (the open model) */
	bool truncated;	       /* the arena filled or the run outlasted nsec */
	uint64_t origin_ns;    /* start of second 0 */
	uint64_t sec_from_ns;  /* start of the current second (UINT64_MAX: past the last) */
	uint32_t sec;	       /* the current second */
	struct ltl_cur *cur;   /* owned, one per slot */
	uint16_t *active;      /* owned: slots with responses this second */
	unsigned nactive;
	uint8_t *buf; /* owned arena of flushed seconds */
	size_t len, cap;
};

static inline unsigned ltl_index(uint64_t v_ns)
{
	return hist_log_index(v_ns > HIST_MAX_NS ? HIST_MAX_NS : v_ns, LTL_SUB_BITS);
}

/* Highest value in bucket idx (what a percentile reports). */
uint64_t ltl_bucket_high_ns(unsigned idx);

/* nslots labels (1..LTL_MAX_SLOTS) for up to nsec seconds; service: keep
 * the uncorrected time too. The arena is sized from both and mapped
 * lazily. Returns 0 or -ENOMEM. origin_ns is set before the run. */
int ltl_init(struct ltl *l, unsigned nslots, unsigned nsec, bool service);
void ltl_free(struct ltl *l);

/* Flush the current second and make now_ns's second current. Returns
 * false when now_ns is before the origin or past the last second kept. */
bool ltl_roll(struct ltl *l, uint64_t now_ns);

/* slot's row of the current second, or NULL (before the origin, past the
 * last second kept, an unknown slot). */
static inline struct ltl_cur *ltl_slot(struct ltl *l, unsigned slot, uint64_t now_ns)
{
	struct ltl_cur *c;
	/* one compare for "in the current second" (earlier wraps around) */
	if (now_ns - l->sec_from_ns >= 1000000000u && !ltl_roll(l, now_ns))
		return NULL;
	if (slot >= l->nslots)
		return NULL;
	c = &l->cur[slot];
	if (!c->active) {
		c->active = true;
		l->active[l->nactive++] = (uint16_t)slot;
	}
	return c;
}

/* One response of slot at now_ns: its latency and service time (ns), its
 * body's bytes, whether it failed. */
static inline void ltl_record(struct ltl *l, unsigned slot, uint64_t now_ns, uint64_t lat_ns,
			      uint64_t service_ns, uint64_t body, bool failed)
{
	struct ltl_cur *c = ltl_slot(l, slot, now_ns);
	if (!c)
		return;
	c->n++;
	c->failed += failed;
	c->body += body;
	c->lat[0][ltl_index(lat_ns)]++;
	if (l->service)
		c->lat[1][ltl_index(service_ns)]++;
}

/* A request of slot failed without a response (a transport error). */
static inline void ltl_fail(struct ltl *l, unsigned slot, uint64_t now_ns)
{
	struct ltl_cur *c = ltl_slot(l, slot, now_ns);
	if (c) {
		c->failed++;
		c->lost++;
	}
}

/* Flush what is left at the end of the run. */
void ltl_finish(struct ltl *l);

/* The merged timeline: one record per (second, slot) that had responses. */
struct ltl_run {
	unsigned nsec, nslots;
	bool service, truncated;
	uint8_t *buf; /* owned: records */
	size_t len;
	uint32_t *at; /* owned: [sec * nslots + slot] = offset + 1 of its record, 0: none */
};

/* One (second, slot): its counts, sparse. */
struct ltl_view {
	uint32_t n, failed, lost; /* as ltl_cur */
	uint64_t body;
	uint32_t nb[LTL_KINDS];
	const uint32_t *count[LTL_KINDS]; /* nb[k] counts ... */
	const uint16_t *idx[LTL_KINDS];	  /* ... at these bucket indexes, ascending */
};

/* Merge n workers' timelines (each finished). Returns 0 or -ENOMEM. */
int ltl_merge(const struct ltl *parts, unsigned n, struct ltl_run *out);
void ltl_run_free(struct ltl_run *r);

/* The record of (sec, slot): false when it had no response. */
bool ltl_get(const struct ltl_run *r, unsigned sec, unsigned slot, struct ltl_view *v);

/* Percentile pct (0 < pct <= 100) of kind k: the top of its bucket; 0
 * when empty. */
uint64_t ltl_percentile_ns(const struct ltl_view *v, unsigned k, double pct);

/* Add kind k's counts into dense[LTL_COUNTS]. */
void ltl_add_counts(const struct ltl_view *v, unsigned k, uint64_t *dense);

#endif
