/*
 * fault: delay distributions, chance, stall windows and the capacity clock.
 */
#include "tools/target/fault.h"

#include <errno.h>
#include <math.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/units.h"
#include "scenarios/rng.h"

static const char *const group_names[FG__COUNT] = {"health",	"tasks", "ids",
						   "resources", "mcp",	 "metrics"};

/* The one cross-thread state: when the next capacity slot is free (ns). */
static _Atomic uint64_t next_slot_ns;

static int parse_ns(const char *s, size_t n, uint64_t *ns)
{
	char buf[32];
	if (n == 0 || n >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, n);
	buf[n] = 0;
	return units_duration(buf, ns);
}

static int parse_dist(struct fault_delay *d, const char *s, const char **why)
{
	const char *colon;
	*why = "delay must be fixed:D, uniform:D1:D2 or lognormal:p50=D,p99=D";
	if (strncmp(s, "fixed:", 6) == 0) {
		d->kind = DELAY_FIXED;
		return parse_ns(s + 6, strlen(s + 6), &d->a_ns);
	}
	if (strncmp(s, "uniform:", 8) == 0 && (colon = strchr(s + 8, ':')) != NULL) {
		d->kind = DELAY_UNIFORM;
		if (parse_ns(s + 8, (size_t)(colon - s - 8), &d->a_ns) ||
		    parse_ns(colon + 1, strlen(colon + 1), &d->b_ns) || d->b_ns < d->a_ns)
			return -EINVAL;
		return 0;
	}
	if (strncmp(s, "lognormal:p50=", 14) == 0 && (colon = strstr(s, ",p99=")) != NULL) {
		uint64_t p50, p99;
		if (parse_ns(s + 14, (size_t)(colon - s - 14), &p50) ||
		    parse_ns(colon + 5, strlen(colon + 5), &p99) || p50 == 0 || p99 <= p50)
			return -EINVAL;
		d->kind = DELAY_LOGNORMAL;
		d->mu = log((double)p50);
		d->sigma = (log((double)p99) - d->mu) / 2.326347874; /* z of 0.99 */
		return 0;
	}
	return -EINVAL;
}

const char *fault_group_name(enum fault_group g)
{
	return (unsigned)g < FG__COUNT ? group_names[g] : "unknown";
}

int fault_parse_delay(struct fault_cfg *f, const char *arg, const char **why)
{
	const char *eq = strchr(arg, '=');
	struct fault_delay d = {0};
	if (eq && strncmp(arg, "lognormal:", 10) != 0) {
		for (int g = 0; g < FG__COUNT; g++) {
			if (strlen(group_names[g]) == (size_t)(eq - arg) &&
			    strncmp(arg, group_names[g], (size_t)(eq - arg)) == 0) {
				if (parse_dist(&d, eq + 1, why))
					return -EINVAL;
				f->delay[g] = d;
				return 0;
			}
		}
		*why = "delay group must be health, tasks, ids, resources, mcp or metrics";
		return -EINVAL;
	}
	if (parse_dist(&d, arg, why))
		return -EINVAL;
	for (int g = 0; g < FG__COUNT; g++)
		f->delay[g] = d;
	return 0;
}

bool fault_chance(double p, uint64_t *rng)
{
	return p > 0 && rng_uniform(rng) < p;
}

uint64_t fault_draw_delay(const struct fault_delay *d, uint64_t *rng)
{
	switch (d->kind) {
	case DELAY_FIXED:
		return d->a_ns;
	case DELAY_UNIFORM:
		return d->a_ns + (uint64_t)(rng_uniform(rng) * (double)(d->b_ns - d->a_ns));
	case DELAY_LOGNORMAL: {
		/* Box-Muller */
		double g =
		    sqrt(-2 * log(rng_uniform(rng))) * cos(6.283185307179586 * rng_uniform(rng));
		return (uint64_t)exp(d->mu + d->sigma * g);
	}
	default:
		return 0;
	}
}

uint64_t fault_release_ns(const struct fault_cfg *f, uint64_t origin_ns, uint64_t ready_ns)
{
	uint64_t t = ready_ns;
	if (f->capacity > 0) {
		uint64_t gap = (uint64_t)(1e9 / f->capacity), prev, slot;
		prev = atomic_load(&next_slot_ns);
		do {
			slot = prev > t ? prev : t;
		} while (!atomic_compare_exchange_weak(&next_slot_ns, &prev, slot + gap));
		t = slot;
	}
	if (f->stall_every_ns && f->stall_for_ns && t >= origin_ns) {
		/* window k: [origin + k*every + every - for, origin + (k+1)*every) */
		uint64_t into = (t - origin_ns) % f->stall_every_ns;
		if (into >= f->stall_every_ns - f->stall_for_ns)
			t += f->stall_every_ns - into;
	}
	return t;
}
