/*
 * shard: one part of a run spread over several machines (Slurm tasks,
 * Kubernetes pods): which part (--shard I/N, or the scheduler's
 * environment), its share of the load (quotient and remainder, so the N
 * shares add up to the whole), and the common start (--start-at) with the
 * lateness that makes a shard send nothing.
 */
#ifndef MCPL_CORE_CMD_SHARD_H
#define MCPL_CORE_CMD_SHARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SHARD_MAX 100000

struct shard {
	unsigned index, count; /* count 0 or 1: the whole run */
	const char *from;      /* "--shard", "SLURM_PROCID/SLURM_NTASKS", ... */
};

/* "I/N" with 0 <= I < N <= SHARD_MAX. Returns 0 or -EINVAL with why. */
int shard_parse(const char *arg, struct shard *s, char *why, size_t wl);

/* The scheduler's environment: SLURM_PROCID and SLURM_NTASKS (more than
 * one task), or JOB_COMPLETION_INDEX with MCPLOAD_SHARDS (Kubernetes
 * Indexed Jobs do not say their completion count). Returns 1 found, 0
 * none, -EINVAL with why for values that do not make a shard. */
int shard_from_env(struct shard *s, char *why, size_t wl);

/* This shard's part of total: total / N, plus one for the first
 * total % N shards. */
uint64_t shard_part(const struct shard *s, uint64_t total);

/* The first of this shard's parts when total is numbered from 0 (users). */
uint64_t shard_first(const struct shard *s, uint64_t total);

/* A rate's part (rates split evenly). */
double shard_rate(const struct shard *s, double rate);

struct scn_shape;

/*
 * A scenario's shape cut to this shard: its users (numbered from
 * *user_base), spawn rate, rate and stages; iterations stay per user.
 * Returns 0, or -EINVAL with why when a shard would have no user.
 */
int shard_shape(const struct shard *s, struct scn_shape *sh, uint64_t *user_base, char *why,
		size_t wl);

/* epoch seconds (a fraction allowed) or RFC 3339 ("2026-12-03T00:10:00Z",
 * "...+01:00", fractional seconds) into Unix ns. 0 or -EINVAL with why. */
int shard_start_at_parse(const char *arg, uint64_t *unix_ns, char *why, size_t wl);

/* "sha256:HEX" of text[0..len), then the file at path (NULL: none; an
 * unreadable file counts as its name) into out[80]: the same for every
 * shard of one run and different when the configuration differs. */
void shard_digest(const char *text, size_t len, const char *path, char out[80]);

/* The wall clock, Unix ns. */
uint64_t shard_now_unix_ns(void);

/* Sleep until unix_ns on the wall clock (returns early when the stop
 * flag is raised: then false). */
bool shard_wait_until(uint64_t unix_ns);

#endif
