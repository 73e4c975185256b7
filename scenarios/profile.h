/*
 * profile: the seeds' named load levels (Personal Pipeline: normal 10 users
 * / 5 requests/s, peak 25 / 15, storm 50 / 30, stress 100 / 50, spike 150 /
 * 100) as open-model shapes for any scenario: `mcpload run --profile NAME`.
 */
#ifndef MCPL_SCENARIOS_PROFILE_H
#define MCPL_SCENARIOS_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

#include "scenarios/scn.h"

struct profile {
	const char *name;
	unsigned users; /* the most requests in flight (the open model's pool) */
	double rps;	/* requests per second */
	bool spike;	/* a third of the run at `normal`, then a jump to rps */
	const char *what;
};

/* The profile called name, or NULL. */
const struct profile *profile_find(const char *name);

/* "normal|peak|storm|stress|spike", for messages. */
const char *profile_names(void);

/* Requests an iteration of s sends on average (its tasks by weight). */
double profile_requests_per_iteration(const struct scn *s);

/*
 * Make shape the profile's open-model shape for scenario s over
 * duration_ns: the pool, the rate in iterations/s (requests/s over the
 * scenario's requests per iteration) and, for spike, the stages.
 */
void profile_apply(const struct profile *p, const struct scn *s, uint64_t duration_ns,
		   struct scn_shape *shape);

#endif
