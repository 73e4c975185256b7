/*
 * src: a request source, the engine's one view of what is sent: an ops
 * table like the transport's. Two implementations: the fixed request of
 * `mcpload http` (fixed.c) and the virtual users (core/users). The engine
 * owns connections, timers, the arrival schedule and the tally; the source
 * decides which request goes on a free connection and reads responses.
 * Every call runs on the worker's own thread. Ops marked "may be NULL" are
 * skipped when absent (the fixed request needs none of them).
 */
#ifndef MCPL_CORE_ENGINE_SRC_H
#define MCPL_CORE_ENGINE_SRC_H

#include <stdbool.h>
#include <stdint.h>

struct cfg;
struct worker;
struct conn;
struct h1p_sink;
struct result;

/* What a free connection got from the source. */
enum src_next {
	SRC_STARTED, /* a request was put on it (conn_start_request) */
	SRC_FREE,    /* nothing now: open loop, it may take the next arrival */
	SRC_HOLD,    /* nothing now, and no arrival either (backing off, stopped) */
};

struct src_ops {
	const char *name;
	/* Each arrival is one request and nothing follows its response, so
	 * the worker may reap responses late (lazy reaping) without delaying
	 * any send. False for virtual users: a response starts the next step. */
	bool one_shot;
	/* Per-worker state into w->src_state, before the start gate. Returns
	 * 0 or -errno with w->setup_why set. May be NULL. */
	int (*setup)(struct worker *w);
	/* At the end of the thread (w->src_state's buffers). May be NULL. */
	void (*teardown)(struct worker *w);
	/* The measured run begins at t0_ns: open the first connections. */
	void (*start)(struct worker *w, uint64_t t0_ns);
	/* Once per loop iteration (timers of its own). May be NULL. */
	void (*tick)(struct worker *w);
	/* Closed loop: when the worker must wake for the source next
	 * (UINT64_MAX: never). May be NULL (never). */
	uint64_t (*next_due_ns)(const struct worker *w);
	/* Should c be reconnected after a close? May be NULL (always, while
	 * the worker issues). */
	bool (*wants_conn)(const struct worker *w, const struct conn *c);
	/* c is open and free: put its next request on it. */
	enum src_next (*next)(struct worker *w, struct conn *c);
	/* Open loop: an arrival due at intended_ns for the idle c (c->counted
	 * set). Returns false when nothing was sent (the arrival is spent). */
	bool (*arrival)(struct worker *w, struct conn *c, uint64_t intended_ns);
	/* The request queued on c was never sent: c closed. */
	void (*unsent)(struct worker *w, struct conn *c);
	/* The sink to feed c's response through. May be NULL (none). */
	const struct h1p_sink *(*sink)(struct worker *w, struct conn *c);
	/* When c's request was answered before its response ended (an SSE
	 * event), or 0. May be NULL (never). */
	uint64_t (*answered_ns)(struct worker *w, struct conn *c);
	/* c's response is complete; lat_ns/service_ns are 0 in the warmup;
	 * first_ns: from the span's start (as service_ns's) to its first byte.
	 * The source judges it: a measured response that failed goes into
	 * w->tally.failed (and the source's own tallies). NULL: no judge, a
	 * response succeeds when its status is 2xx. */
	void (*response)(struct worker *w, struct conn *c, uint64_t lat_ns, uint64_t service_ns,
			 uint64_t first_ns);
	/* c's request failed with cls (enum tally_err) before the engine counts
	 * it: true when the source sends it again (counted as retried, not as
	 * an error). May be NULL (never). */
	bool (*retry)(struct worker *w, struct conn *c, unsigned cls);
	/* c's request failed with cls, counted. May be NULL. */
	void (*failed)(struct worker *w, struct conn *c, unsigned cls);
	/* The worker stopped issuing and c is free. May be NULL. */
	void (*stopped)(struct worker *w, struct conn *c);
	/* The worker stops issuing (once). May be NULL. */
	void (*wind_down)(struct worker *w);
	/* Users running now, for the progress line and the timeline. May be
	 * NULL. */
	unsigned (*running)(const struct worker *w);
	/* Statistics slots of the per-label timeline (ltl.h): the scenario's
	 * labels and split values. May be NULL (one: the fixed request). */
	unsigned (*slots)(const struct cfg *cfg);
	/* After every worker joined: merge their source results into res, then
	 * release them (res NULL: the run failed; only release). May be NULL. */
	void (*collect)(struct worker *ws, unsigned n, struct result *res);
};

#endif
