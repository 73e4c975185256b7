/*
 * vu: virtual users running a scenario plan inside a worker. One user owns
 * one keep-alive connection (Locust's semantics), its variables, request
 * buffer and body buffer (carved from one per-worker arena at start). The
 * connection state machine (conn.c) asks a user for its next request and
 * hands it each response; users are started and stopped by the load shape
 * (spawn rate, stages) and sleep their think time on a timer heap.
 */
#ifndef MCPL_CORE_USERS_VU_H
#define MCPL_CORE_USERS_VU_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/h1p.h"
#include "protocol/sse.h"
#include "scenarios/tmpl.h"

struct worker;
struct conn;

/* A legacy-era MCP session of one user (core/vmcp.c). */
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
	struct h1p_sink sink; /* ctx: this user */
	uint64_t user;	      /* global number: worker id + i * threads */
	uint64_t iter;	      /* iterations begun */
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
	bool sse;		/* the response in flight is text/event-stream */
	bool matched;		/* its JSON-RPC response arrived (SSE) */
	uint64_t answered_ns;	/* when that event arrived; 0: not yet */
	bool retry_wait;	/* thinking: backing off before sending again */
	struct sse *stream;	/* SSE parser state, in the arena */
	char *ev;		/* SSE event data, plan.body_cap bytes */
};

/* Allocate and initialise the users of w (w->nconns of them). Returns 0 or
 * -ENOMEM with w->setup_why set. */
int vu_setup(struct worker *w);
/* At the end of the thread: the users and their buffers. */
void vu_teardown(struct worker *w);
/* After the merge: the per-label tallies and gathered check values. */
void vu_free_results(struct worker *w);

/* At the start of the measured run: the shape starts the first users. */
void vu_start(struct worker *w, uint64_t t0_ns);

/* Once per loop iteration: wake thinkers that are due, follow the shape. */
void vu_tick(struct worker *w);

/* When the loop must wake up for the users next (UINT64_MAX: never). */
uint64_t vu_next_due_ns(const struct worker *w);

/* The connection is free: send the user's next request. Returns true when a
 * request was started; false when the user has nothing to send (between
 * iterations in the open model: the caller gives it an arrival or parks it;
 * thinking, dormant or done in the closed model: the connection idles). */
bool vu_issue(struct worker *w, struct conn *c);

/* Open model: start an iteration due at intended_ns on c's user and send
 * its first request. Returns false when no step could be sent. */
bool vu_begin_arrival(struct worker *w, struct conn *c, uint64_t intended_ns);

/* The response on c is complete (parser done); lat/service in ns. */
void vu_response(struct worker *w, struct conn *c, uint64_t lat_ns, uint64_t service_ns);

/* The request on c failed with error class cls (enum tally_err). */
void vu_failed(struct worker *w, struct conn *c, unsigned cls);

/* c closed with its request queued but not sent: send it again later. */
void vu_unsend(struct worker *w, struct conn *c);

/* The sink to feed c's response through (NULL when the step needs none). */
const struct h1p_sink *vu_sink(struct worker *w, struct conn *c);

/* When the JSON-RPC response to c's request arrived as an SSE event (the
 * request's end for latency, whenever the stream itself ends), or 0. */
uint64_t vu_answered_ns(struct worker *w, struct conn *c);

/* Users running now (active or thinking). */
unsigned vu_running(const struct worker *w);

/* c's request failed with cls (before conn_fail counts it): true when the
 * user will send it again (a connection error on a response not yet begun,
 * at most 3 times in a row, backing off); then it is counted as retried,
 * not as an error. */
bool vu_retry(struct worker *w, struct conn *c, unsigned cls);

/* The run stops issuing and c is free: end the user's MCP session with a
 * DELETE (not recorded). Returns true when one was sent. */
bool vu_goodbye(struct worker *w, struct conn *c);

/* When issuing stops: every idle user with a session sends its DELETE. */
void vu_wind_down(struct worker *w);

#endif
