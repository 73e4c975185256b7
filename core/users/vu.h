/*
 * vu: virtual users running a scenario plan inside a worker, the engine's
 * request source for `mcpload run`. One user owns one keep-alive
 * connection (Locust's semantics), its variables, request buffer and body
 * buffer (carved from one per-worker arena at start). The engine asks a
 * user for its next request when its connection is free and hands it each
 * response; users are started and stopped by the load shape (spawn rate,
 * stages) and sleep their think time on a timer heap.
 */
#ifndef MCPL_CORE_USERS_VU_H
#define MCPL_CORE_USERS_VU_H

#include <stdbool.h>
#include <stdint.h>

#include "core/engine/worker.h"
#include "core/users/theap.h"
#include "protocol/h1p.h"
#include "protocol/sse.h"
#include "scenarios/plan.h"
#include "scenarios/tmpl.h"
#include "stats/check.h"
#include "stats/tally.h"

/* A legacy-era MCP session of one user (core/users/vmcp.c). */
enum vu_sess {
	VU_SESS_NONE,	     /* none: initialize before the next request */
	VU_SESS_INIT_SENT,   /* initialize in flight */
	VU_SESS_NOTIFY_DUE,  /* notifications/initialized to send */
	VU_SESS_NOTIFY_SENT, /* ... in flight */
	VU_SESS_READY,	     /* requests carry its id */
	VU_SESS_END_DUE,     /* DELETE to send (churn, or the user stops) */
	VU_SESS_END_SENT,    /* ... in flight */
};

enum vu_state {
	VU_DORMANT,  /* not started, or stopped by a ramp-down */
	VU_ACTIVE,   /* running iterations */
	VU_THINKING, /* between iterations, until wake_ns */
	VU_DONE,     /* ran its --iterations */
};

struct vu {
	struct worker *w;
	struct h1p_sink sink;	  /* ctx: this user */
	struct h1p_sink err_sink; /* steps that read nothing: keeps err[] of a 4xx/5xx */
	char err[TALLY_MSG_LEN];  /* the start of an error response's body */
	uint16_t err_len;
	uint64_t user; /* global number: worker id + i * threads */
	uint64_t iter; /* iterations begun */
	uint64_t think_from_ns;
	uint32_t gen;	   /* timer heap entries of an older generation are stale */
	uint16_t task;	   /* the current iteration's task */
	uint16_t step;	   /* the next step of it to send */
	uint16_t cur;	   /* plan step of the request in flight */
	uint8_t state;	   /* enum vu_state */
	bool in_iter;	   /* an iteration is under way */
	bool stopping;	   /* above the shape's target: stop after this iteration */
	bool sent_any;	   /* the current iteration sent something */
	bool body_over;	   /* the body outgrew the buffer */
	int split_slot;	   /* statistics slot of the split value seen, -1 */
	uint32_t body_len; /* bytes of the current response body kept */
	char *req;	   /* plan.req_cap bytes */
	char *body;	   /* plan.body_cap bytes, NULL when no step reads bodies */
	char split_val[32];
	uint8_t split_len;
	struct tmpl_var *vars; /* plan.nvars */
	char *store;	       /* PLAN_VAR_BYTES per variable, for captured values */

	/* MCP (plans with MCP steps) */
	uint64_t rpc_id;	/* id of the request in flight */
	uint64_t setup_from_ns; /* legacy: when the handshake's initialize was sent */
	uint8_t sess;		/* enum vu_sess */
	uint8_t stop_to;	/* after the session's DELETE: stop as this state (0: go on) */
	uint8_t retries;	/* connection errors in a row on the current step */
	uint8_t lost;		/* MCP sessions lost in a row (re-initialize backoff) */
	bool sse;		/* the response in flight is text/event-stream */
	bool matched;		/* its JSON-RPC response arrived (SSE) */
	uint64_t answered_ns;	/* when that event arrived; 0: not yet */
	bool retry_wait;	/* thinking: backing off before sending again */
	struct sse *stream;	/* SSE parser state, in the arena */
	char *ev;		/* SSE event data, plan.body_cap bytes */
};

/* Values the users of one worker gather for one post-run check. */
struct vu_recs {
	struct check_rec *recs; /* cap entries, mapped lazily */
	size_t len, cap;
	uint64_t unreadable, overflow;
};

/* The users of one worker (w->src_state): one per connection, users[i] on
 * conns[i]. */
struct vu_worker {
	const struct plan *plan; /* cfg->src_arg */
	struct vu *vus;
	void *arena; /* the users' buffers */
	size_t arena_len;
	struct theap heap;   /* think times */
	struct tally *slots; /* per label (and split value), plan->nslots */
	struct vu_recs recs[PLAN_MAX_CHECKS];
	uint64_t t0_ns;		 /* start of the load shape */
	unsigned target;	 /* users [0, target) of this worker should run */
	unsigned live;		 /* users active or thinking (kept, not counted per call) */
	unsigned done;		 /* users that ran all their iterations */
	uint64_t shape_next_ns;	 /* when to look at the shape again */
	uint64_t all_started_ns; /* when all of its users were first running, or 0 */
	uint64_t seq, rng;	 /* {{seq}} counter and PRNG state */
};

static inline struct vu_worker *vu_of(const struct worker *w)
{
	return (struct vu_worker *)w->src_state;
}

/* The request source of `mcpload run`: cfg->src_arg is the compiled plan
 * (scenarios/plan.h), shared read-only by every worker. */
extern const struct src_ops vu_src;

#endif
