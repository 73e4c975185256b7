/*
 * profile: the seeds' load levels (seed 002, "Load Scenarios") as data, and
 * how one becomes a scenario's shape. Rates are requests per second, as the
 * seed states them; a scenario sending two requests per iteration runs at
 * half as many iterations per second.
 */
#include "scenarios/profile.h"

#include <string.h>

static const struct profile profiles[] = {
    {"normal", 10, 5, false, "baseline operational load"},
    {"peak", 25, 15, false, "peak business hours"},
    {"storm", 50, 30, false, "incident storm conditions"},
    {"stress", 100, 50, false, "capacity testing"},
    {"spike", 150, 100, true, "sudden traffic surge: normal, then a jump"},
};

const struct profile *profile_find(const char *name)
{
	for (unsigned i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
		if (!strcmp(profiles[i].name, name))
			return &profiles[i];
	return NULL;
}

const char *profile_names(void)
{
	return "normal, peak, storm, stress or spike";
}

double profile_requests_per_iteration(const struct scn *s)
{
	double w = 0, n = 0;
	for (unsigned t = 0; t < s->ntasks; t++) {
		w += s->tasks[t].weight;
		n += (double)s->tasks[t].weight * s->tasks[t].nsteps;
	}
	return w > 0 && n > 0 ? n / w : 1;
}

void profile_apply(const struct profile *p, const struct scn *s, uint64_t duration_ns,
		   struct scn_shape *shape)
{
	double per = profile_requests_per_iteration(s);
	shape->model = SCN_OPEN;
	shape->users = p->users;
	shape->rate = p->rps / per;
	shape->duration_ns = duration_ns;
	shape->nstages = 0;
	if (p->spike) {
		/* a third at the normal level, then the surge at once */
		double base = profile_find("normal")->rps / per;
		shape->stages[0] = (struct scn_stage){0, base};
		shape->stages[1] = (struct scn_stage){duration_ns / 3, base};
		shape->stages[2] = (struct scn_stage){0, shape->rate};
		shape->stages[3] = (struct scn_stage){duration_ns - duration_ns / 3, shape->rate};
		shape->nstages = 4;
	}
}
