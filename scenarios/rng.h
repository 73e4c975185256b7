/*
 * rng: the one pseudo-random source of mcpload: splitmix64, seeded per
 * worker (or per server thread), for template picks, task weights, think
 * times and Poisson arrivals. Deterministic for a seed, no shared state.
 */
#ifndef MCPL_SCENARIOS_RNG_H
#define MCPL_SCENARIOS_RNG_H

#include <stdint.h>

/* Uniform double in (0, 1) from a splitmix64 state, which it advances. */
static inline double rng_uniform(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	z ^= z >> 31;
	/* 53 random bits, shifted off zero: never 0, never 1 */
	return ((double)(z >> 11) + 0.5) / 9007199254740992.0;
}

#endif
