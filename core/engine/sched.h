/*
 * sched: the arrival schedule of an open-loop run. Every request has an
 * intended send time on an absolute timeline fixed at the start, whatever
 * the server does: constant spacing, or Poisson arrivals (exponential gaps
 * from a seeded PRNG). One per worker; no allocation.
 */
#ifndef MCPL_CORE_ENGINE_SCHED_H
#define MCPL_CORE_ENGINE_SCHED_H

#include <stdbool.h>
#include <stdint.h>

#include "scenarios/scn.h"

struct sched {
	uint64_t origin_ns; /* intended time of arrival 0 */
	uint64_t next_ns;   /* intended time of the next arrival */
	uint64_t count;	    /* arrivals handed out */
	double gap_ns;	    /* mean gap between arrivals */
	double offset_ns;   /* Poisson: intended time of the next arrival - origin */
	uint64_t rng;	    /* PRNG state (splitmix64) */
	bool poisson;
	/* stages (a rate that ramps): arrival k of this schedule is arrival
	 * first + k * stride of the whole shape */
	const struct scn_stage *stages;
	unsigned nstages;
	unsigned stride, first;
};

/*
 * rate_per_s > 0: this schedule's arrivals per second. origin_ns: when
 * arrival 0 is due. seed: PRNG seed (Poisson only; give each worker its own).
 */
void sched_init(struct sched *s, double rate_per_s, bool poisson, uint64_t seed,
		uint64_t origin_ns);

/*
 * A rate that follows stages (iterations/s ramped linearly), shared by
 * `stride` schedules: this one takes arrivals first, first + stride, ...
 * Arrival times are the inverse of the shape's integral from origin_ns, so
 * they cannot drift; after the last stage no arrival is ever due.
 */
void sched_init_stages(struct sched *s, const struct scn_stage *stages, unsigned n, unsigned stride,
		       unsigned first, uint64_t origin_ns);

/* Intended time of the next arrival, and advance. Constant spacing is
 * computed from the origin (origin + k * gap), so it never drifts. */
uint64_t sched_take(struct sched *s);

/*
 * Lean pacing's batch: the intended time of the last of the arrivals due
 * within window_ns after the next one (and not after until_ns), counting at
 * most max_n arrivals from the next; the next one's when none follows it in
 * time (or it is UINT64_MAX: no more arrivals). s is unchanged: a copy is
 * stepped (max_n - 1 steps at most).
 */
uint64_t sched_batch_end(const struct sched *s, uint64_t window_ns, uint64_t until_ns,
			 uint64_t max_n);

#endif
