/*
 * fault: what the target does wrong on purpose, so that every verdict
 * mcpload gives can be shown to fail when it should. Parsed once at start;
 * decisions per request use the calling thread's PRNG and, for --capacity,
 * one shared atomic clock.
 */
#ifndef MCPL_TARGET_FAULT_H
#define MCPL_TARGET_FAULT_H

#include <stdbool.h>
#include <stdint.h>

/* Route groups a delay can be set for. */
enum fault_group { FG_HEALTH, FG_TASKS, FG_IDS, FG_RESOURCES, FG_MCP, FG_METRICS, FG__COUNT };

struct fault_delay {
	enum { DELAY_NONE, DELAY_FIXED, DELAY_UNIFORM, DELAY_LOGNORMAL } kind;
	uint64_t a_ns, b_ns; /* fixed: a; uniform: [a, b] */
	double mu, sigma;    /* lognormal of ns: from p50 and p99 */
};

struct fault_cfg {
	struct fault_delay delay[FG__COUNT];
	double error_rate;	 /* share of requests answered 500 */
	uint64_t stall_every_ns; /* the whole server freezes every ... */
	uint64_t stall_for_ns;	 /* ... for this long */
	double capacity;	 /* at most this many responses per second; 0: no limit */
	unsigned close_after;	 /* close a connection after this many responses; 0: never */
	uint64_t leak_bytes;	 /* never freed, per request */
	bool bug_id_collisions;
	bool bug_sse_open;	/* SSE answers never end (no last-chunk) */
	char slow_tool[64];	/* --bug slow-tool NAME: that tool takes 600 ms */
	uint64_t cache_ttl_ns;	/* a cached resource is fresh this long */
	uint64_t miss_delay_ns; /* a cache miss costs this much (the seeds' disk read) */
	int response_mode;	/* MCP: enum mcp_mode (json, sse, mixed) */
	bool chunked;		/* every response body chunked */
};

/* "[group=]dist" with dist fixed:5ms | uniform:1ms:10ms |
 * lognormal:p50=5ms,p99=80ms; group health|tasks|ids|resources|mcp|metrics,
 * none = all. Returns 0 or -EINVAL with *why set. */
int fault_parse_delay(struct fault_cfg *f, const char *arg, const char **why);

/* "health", "tasks", ... for a group (the --delay and metrics label names). */
const char *fault_group_name(enum fault_group g);

/* A delay drawn from d (0 for none). rng: the thread's PRNG state. */
uint64_t fault_draw_delay(const struct fault_delay *d, uint64_t *rng);

/* True with probability p. */
bool fault_chance(double p, uint64_t *rng);

/*
 * The earliest time a response that is ready at ready_ns may leave: after
 * the end of a stall window it falls in (windows counted from origin_ns),
 * and after its slot when a capacity is set (slots are handed out in order
 * on one shared clock, so excess load queues and latency climbs).
 */
uint64_t fault_release_ns(const struct fault_cfg *f, uint64_t origin_ns, uint64_t ready_ns);

#endif
