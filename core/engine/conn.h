/*
 * conn: one connection and its state machine. Every transition happens in
 * conn.c, in response to a completion or a timer: connect -> (transport
 * ready) -> send -> receive/parse -> record -> the next request on the same
 * connection, or close and reconnect, counting each failure by class. The
 * request source (src.h) says what to send; the connection only carries it.
 */
#ifndef MCPL_CORE_ENGINE_CONN_H
#define MCPL_CORE_ENGINE_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/engine/tq.h"
#include "protocol/h1p.h"
#include "stats/tally.h"

struct worker;

/* Backoff after connection-level failures, per connection: the first
 * failure of an open connection reconnects at once (a keep-alive the
 * server had just closed); each further one in a row waits 10 ms, 20, 40
 * ... up to 1.28 s, jittered down to half at random, so a server that
 * refuses everything is not hammered and connections do not move in step.
 * A response resets it. */
#define CONN_BACKOFF_BASE_NS (10 * 1000000ull)
#define CONN_BACKOFF_LEVELS  8

enum conn_state {
	CONN_CLOSED,	 /* no socket */
	CONN_CONNECTING, /* connect submitted (on connect_q) */
	CONN_IDLE,	 /* open, no request in flight */
	CONN_BUSY,	 /* request in flight (on request_q once sent; each read
			    restarts the idle timeout: idle_from_ns) */
	CONN_RETRY,	 /* backing off before the next connect (on a backoff_q) */
};

/* Operation in the low byte of user_data; index and generation above it. */
enum conn_op { OP_CONNECT = 1, OP_SEND, OP_RECV, OP_XRECV, OP_XSEND };

struct conn {
	struct tq_node tq; /* on at most one queue, by state (request_q's kept
			      lazily: it may outlast its request) */
	struct tq_node dl; /* on deadline_q while a request (and its connect) runs */
	uint32_t idx;	   /* position in worker->conns and the file table */
	uint32_t gen;	   /* bumped on close: older completions are stale */
	int fd;
	uint8_t state;	       /* enum conn_state */
	bool recv_armed;       /* a recv is outstanding */
	bool counted;	       /* the request in flight is in the measured phase */
	bool queued;	       /* in the send batch of this loop iteration */
	bool arrival;	       /* open loop: this request applies an arrival (the first
				  step of a scenario iteration; every fixed request) */
	uint32_t send_off;     /* bytes of the request already sent */
	uint64_t open_ns;      /* when the connect was submitted */
	uint64_t sent_ns;      /* when the request was submitted */
	uint64_t first_ns;     /* when the response's first byte arrived */
	uint64_t idle_from_ns; /* the idle timeout (--timeout) runs from here: the
				  send, or the response's last read */
	uint64_t intended_ns;  /* open loop: when it was due */
	bool in_idle;	       /* open loop: has an entry in worker->idle */
	uint8_t fails;	       /* connection-level failures in a row (backoff) */
	uint8_t stamp;	       /* enum stamp_kind: what the kernel stamps on its socket */
	uint64_t resp_bytes;   /* bytes of the current response so far */
	const char *req;       /* the request being sent (the source's bytes) */
	uint32_t req_len;
	struct h1p parser;
};

/* --- called by the loop (worker.c) --- */
void conn_open(struct worker *w, struct conn *c);
void conn_on_cqe(struct worker *w, struct conn *c, enum conn_op op, int res, unsigned flags);
void conn_on_timeout(struct worker *w, struct conn *c);
/* c's node, request_q's head, has expired (w->now_ns is past its
 * deadline): time the request out, or put the node back where its idle
 * time (idle_from_ns) says, or take it off (no request in flight). The
 * queue is kept lazily: a node's deadline may be stale. */
void conn_on_request_expiry(struct worker *w, struct conn *c);
/* The request on c (or the connect it waits for) outlived cfg->deadline_ns. */
void conn_on_deadline(struct worker *w, struct conn *c);
/* Submit the sends queued in this iteration, stamped now_ns. */
void conn_flush_sends(struct worker *w, uint64_t now_ns);

/* --- called by transports (xport.h) --- */
/* The transport is ready: the connection can carry requests (a TLS
 * handshake done; the connection was CONN_CONNECTING until now). */
void conn_ready(struct worker *w, struct conn *c);
/* The connection failed with cls: counted, closed, reopened (backoff). */
void conn_fail(struct worker *w, struct conn *c, enum tally_err cls);
/* The peer ended the stream (TCP EOF, or TLS close_notify). */
void conn_on_eof(struct worker *w, struct conn *c);
/* An SQE for c: its descriptor (an index with registered files), and the
 * flags and user data that route its completion back to c as op. */
struct io_uring_sqe;
int conn_sqe_fd(const struct worker *w, const struct conn *c);
void conn_sqe_finish(struct worker *w, struct io_uring_sqe *sqe, struct conn *c, enum conn_op op);
/* Application bytes arrived on c (valid only during the call). */
void conn_on_data(struct worker *w, struct conn *c, const char *p, size_t n);

/* --- called by request sources (src.h) --- */
/* conn_start_request (worker.h: inline, once per request from the sources)
 * puts the request c->req on the idle connection c. */
/* c is free: ask the source for its next request, give it an arrival from
 * the backlog, or park it. */
void conn_issue(struct worker *w, struct conn *c);
void conn_close(struct worker *w, struct conn *c);
/* The loop's current time is past the warmup. */
bool conn_is_measured(const struct worker *w);

static inline uint64_t conn_user_data(const struct conn *c, enum conn_op op)
{
	return ((uint64_t)c->gen << 32) | ((uint64_t)c->idx << 8) | (uint64_t)op;
}

/* A request failed: counted in this second's row of the timeline (the
 * tally's classes are counted where the failure is known). */
void conn_note_failed(struct worker *w, unsigned kind);

#endif
