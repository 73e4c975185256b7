/*
 * sched: constant and Poisson arrival times. Poisson gaps are -ln(U) * mean
 * with U uniform in (0,1), i.e. exponential with rate 1/mean (inverse
 * transform sampling).
 */
#include "core/engine/sched.h"
#include "scenarios/rng.h"
#include "scenarios/stage.h"

#include <math.h>
#include <stddef.h>

static void set_next(struct sched *s)
{
	if (s->stages) {
		uint64_t t = stage_time_of(s->stages, s->nstages,
					   (double)s->first + (double)s->count * s->stride);
		s->next_ns = t == UINT64_MAX ? UINT64_MAX : s->origin_ns + t;
	} else if (s->poisson) {
		s->offset_ns += -log(rng_uniform(&s->rng)) * s->gap_ns;
		s->next_ns = s->origin_ns + (uint64_t)s->offset_ns;
	} else {
		s->next_ns = s->origin_ns + (uint64_t)((double)s->count * s->gap_ns);
	}
}

void sched_init_stages(struct sched *s, const struct scn_stage *stages, unsigned n, unsigned stride,
		       unsigned first, uint64_t origin_ns)
{
	*s = (struct sched){.origin_ns = origin_ns,
			    .stages = stages,
			    .nstages = n,
			    .stride = stride,
			    .first = first};
	set_next(s);
}

void sched_init(struct sched *s, double rate_per_s, bool poisson, uint64_t seed, uint64_t origin_ns)
{
	s->stages = NULL;
	s->origin_ns = origin_ns;
	s->count = 0;
	s->gap_ns = 1e9 / rate_per_s;
	s->offset_ns = 0;
	s->rng = seed;
	s->poisson = poisson;
	/* arrival 0 is due at the origin in both modes */
	s->next_ns = origin_ns;
}

uint64_t sched_take(struct sched *s)
{
	uint64_t t = s->next_ns;
	s->count++;
	set_next(s);
	return t;
}

uint64_t sched_batch_end(const struct sched *s, uint64_t window_ns, uint64_t until_ns,
			 uint64_t max_n)
{
	uint64_t first = s->next_ns, last = first;
	if (first == UINT64_MAX)
		return first;
	uint64_t end = until_ns; /* the window, cut at until_ns without overflow */
	if (until_ns >= first && window_ns < until_ns - first)
		end = first + window_ns;
	struct sched ahead = *s;
	for (uint64_t i = 1; i < max_n; i++) {
		sched_take(&ahead);
		if (ahead.next_ns > end)
			break;
		last = ahead.next_ns;
	}
	return last;
}
