/*
 * tally: everything one worker counts during a run (responses, bytes, status
 * codes, errors by class, latency). Owned by one thread, plain stores;
 * merged into one tally for the report.
 */
#ifndef MCPL_STATS_TALLY_H
#define MCPL_STATS_TALLY_H

#include <stdint.h>

#include "core/limits.h"
#include "stats/hist.h"

/* Error classes: X(name, key in the JSON, text in the summary). Status 4xx and
 * 5xx are counted from the status codes, not here. */
#define TALLY_ERRORS(X)                                                                            \
	X(CONNECT, "connect", "connect")                                                           \
	X(SEND, "send", "send")                                                                    \
	X(RECV, "recv", "receive")                                                                 \
	X(TIMEOUT, "timeout", "timeout")                                                           \
	X(PARSE, "parse", "parse")                                                                 \
	X(CHECK, "check", "check")

#define TALLY_ERR_ENUM(name, key, text) TALLY_ERR_##name,
enum tally_err { TALLY_ERRORS(TALLY_ERR_ENUM) TALLY_ERR__COUNT };
#undef TALLY_ERR_ENUM

struct tally {
	uint64_t responses;		   /* complete responses recorded */
	uint64_t bytes_in;		   /* response bytes received (head + body) */
	uint64_t bytes_out;		   /* request bytes sent */
	uint64_t status[LIM_STATUS_CODES]; /* responses by status code */
	uint64_t errors[TALLY_ERR__COUNT]; /* failed requests by class */
	uint64_t connects;		   /* connections established */
	uint64_t closes_by_server;	   /* keep-alive ended by the server */
	uint64_t unfinished;		   /* in flight when the run stopped */
	uint64_t nobufs;		   /* receive buffer ring ran dry */
	uint64_t wakeups;		   /* io_uring_enter calls of the loop */
	uint64_t completions;		   /* CQEs handled */
	uint64_t scheduled;		   /* open loop: arrivals due in the measured phase */
	uint64_t sent;			   /* open loop: of those, sent */
	uint64_t on_time;	  /* open loop: dispatched within 1 ms of the intended time */
	uint64_t waited;	  /* open loop: waited in the backlog for a free connection */
	uint64_t dropped;	  /* open loop: arrivals refused, the backlog was full */
	uint64_t unsent;	  /* open loop: still waiting for a connection at the end */
	uint64_t iterations;	  /* scenarios: iterations (task runs) begun */
	uint64_t skipped;	  /* scenarios: steps not sent, a variable was unset */
	uint64_t captures_failed; /* scenarios: captures that found no value */
	/* Latency, ns. Open loop: from the intended send time (what a user
	 * waiting since then experiences: coordinated omission corrected).
	 * Closed loop: from the actual send. */
	struct hist latency;
	struct hist service;  /* response complete - actual send (uncorrected) */
	struct hist send_lag; /* open loop: actual send - intended send */
	struct hist think;    /* scenarios: think time actually taken */
};

void tally_reset(struct tally *t);
void tally_merge(struct tally *dst, const struct tally *src);

/* Responses whose status is in [lo, hi]. */
uint64_t tally_status_range(const struct tally *t, unsigned lo, unsigned hi);

/* Sum of all error classes plus 4xx and 5xx responses. */
uint64_t tally_error_total(const struct tally *t);

const char *tally_err_key(enum tally_err e);
const char *tally_err_text(enum tally_err e);

#endif
