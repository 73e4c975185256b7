/*
 * tally: everything one worker counts during a run (responses, bytes, status
 * codes, errors by class, latency). Owned by one thread, plain stores;
 * merged into one tally for the report.
 */
#ifndef MCPL_STATS_TALLY_H
#define MCPL_STATS_TALLY_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/limits.h"
#include "stats/hist.h"

/* Error classes, one per failure: X(name, key in the JSON, text in the
 * summary). Status 4xx and 5xx are counted from the status codes, not here.
 * The transport classes, up to TOO_LARGE, are attempts without a usable
 * response; the others mark a response that came. UNSOLICITED is bytes
 * with no request outstanding: counted, never a failed request. */
#define TALLY_ERRORS(X)                                                                            \
	X(CONNECT_REFUSED, "connect_refused", "connect refused")                                   \
	X(CONNECT_TIMEOUT, "connect_timeout", "connect timeout")                                   \
	X(SEND, "send", "send")                                                                    \
	X(CLOSED, "closed", "closed before the response")                                          \
	X(TRUNCATED, "truncated", "closed mid-response")                                           \
	X(RESET, "reset", "reset")                                                                 \
	X(TIMEOUT, "timeout", "timeout")                                                           \
	X(DEADLINE, "deadline", "deadline")                                                        \
	X(PARSE, "parse", "malformed")                                                             \
	X(TOO_LARGE, "too_large", "too large")                                                     \
	X(TLS_CA, "tls_ca", "TLS untrusted certificate")                                           \
	X(TLS_EXPIRED, "tls_expired", "TLS certificate expired")                                   \
	X(TLS_NAME, "tls_name", "TLS certificate name")                                            \
	X(TLS_HANDSHAKE, "tls_handshake", "TLS handshake")                                         \
	X(TLS_ALERT, "tls_alert", "TLS alert or bad record")                                       \
	X(TLS_TRUNCATED, "tls_truncated", "TLS record truncated")                                  \
	X(TLS_VERSION, "tls_version", "TLS 1.3 only")                                              \
	X(STATUS_3XX, "status_3xx", "status 3xx")                                                  \
	X(STATUS_INVALID, "status_invalid", "invalid status")                                      \
	X(PROTOCOL, "protocol", "protocol")                                                        \
	X(RPC, "rpc", "JSON-RPC error")                                                            \
	X(TOOL, "tool", "tool error")                                                              \
	X(CHECK, "check", "check")                                                                 \
	X(UNSOLICITED, "unsolicited", "unsolicited bytes")

/* The last class that is an attempt without a response. */
#define TALLY_ERR_LAST_TRANSPORT TALLY_ERR_TLS_VERSION

/* MCP: PROTOCOL is a 2xx that holds no JSON-RPC response to our request
 * (not JSON-RPC, a stream that ended without it); RPC a JSON-RPC error
 * member (codes counted in rpc_codes); TOOL a result with isError true. */
#define TALLY_ERR_ENUM(name, key, text) TALLY_ERR_##name,
enum tally_err { TALLY_ERRORS(TALLY_ERR_ENUM) TALLY_ERR__COUNT };
#undef TALLY_ERR_ENUM

/* Open model: an arrival dispatched within this of its intended time (lean
 * pacing: of the end of its window, the lateness the pacer chose) was
 * applied on time. */
#define TALLY_ON_TIME_NS 1000000ull

#define TALLY_CODES 8 /* distinct JSON-RPC error codes kept; the rest lumped */

struct tally_code {
	int64_t code;
	uint64_t n;
};

/* MCP counts (scenarios with MCP steps). */
#define TALLY_METHODS	 8  /* notification methods counted by name */
#define TALLY_METHOD_LEN 48 /* bytes of a method name kept, NUL included */

struct tally_method {
	char name[TALLY_METHOD_LEN];
	uint64_t n;
};

struct tally_mcp {
	uint64_t sessions;	  /* legacy handshakes completed */
	uint64_t reinits;	  /* sessions lost (404) and initialized again */
	uint64_t ended;		  /* sessions ended with DELETE */
	uint64_t sse;		  /* responses that came as text/event-stream */
	uint64_t events;	  /* SSE events, priming ones included */
	uint64_t notifications;	  /* notifications before a response */
	uint64_t progress;	  /* of those, notifications/progress */
	uint64_t server_requests; /* requests from the server (never answered) */
	struct tally_code codes[TALLY_CODES];
	uint64_t codes_other;			    /* errors whose code did not fit in codes[] */
	struct tally_method methods[TALLY_METHODS]; /* notifications by method */
	uint64_t methods_other; /* past TALLY_METHODS names, or a name too long */
};

/* The server's own words: the first distinct error messages of a label
 * (an HTTP body excerpt, a JSON-RPC error message, a tool's error text),
 * each with how often it came, as Locust's failures table keeps them. */
#define TALLY_MSGS    8
#define TALLY_MSG_LEN 160 /* bytes kept of one message, NUL included */

struct tally_msg {
	char text[TALLY_MSG_LEN];
	uint64_t n;
};

struct tally_msgs {
	struct tally_msg m[TALLY_MSGS];
	uint64_t other; /* messages past the first TALLY_MSGS distinct ones */
};

struct tally {
	uint64_t responses; /* complete responses recorded */
	uint64_t ok;	    /* scenarios: responses that succeeded (the step's expectations held) */
	uint64_t bytes_in;  /* response bytes received (head + body) */
	uint64_t body_bytes;		   /* of complete responses, the body (de-chunked) */
	uint64_t bytes_out;		   /* request bytes sent */
	uint64_t status[LIM_STATUS_CODES]; /* responses by status code */
	uint64_t errors[TALLY_ERR__COUNT]; /* failed requests by class */
	uint64_t connects;		   /* connections established */
	uint64_t closes_by_server;	   /* keep-alive ended by the server */
	uint64_t unfinished;		   /* in flight (or connecting) when the run stopped */
	uint64_t nobufs;		   /* receive buffer ring ran dry */
	uint64_t wakeups;		   /* io_uring_enter calls of the loop */
	uint64_t completions;		   /* CQEs handled */
	uint64_t scheduled;		   /* open loop: arrivals due in the measured phase */
	uint64_t sent;			   /* open loop: of those, sent */
	uint64_t on_time;		   /* open loop: dispatched within 1 ms of the intended time
					    * (lean pacing: of the end of its window) */
	uint64_t waited;	  /* open loop: waited in the backlog for a free connection */
	uint64_t dropped;	  /* open loop: arrivals refused, the backlog was full */
	uint64_t unsent;	  /* open loop: still waiting for a connection at the end */
	uint64_t unsent_idle;	  /* ... of those, while a connection was free (the generator's
				     fault; the others waited for the server) */
	uint64_t iterations;	  /* scenarios: iterations (task runs) begun */
	uint64_t skipped;	  /* scenarios: steps not sent, a variable was unset */
	uint64_t captures_failed; /* scenarios: captures that found no value */
	uint64_t retried;	  /* scenarios: requests sent again after a connection error */
	uint64_t backoffs;	  /* reconnects held back after failures in a row */
	uint64_t backoff_ns;	  /* ... and the time they were held back in all */
	uint64_t tls_handshakes;  /* TLS handshakes completed */
	uint64_t tls_resumed;	  /* ... of those, resumed sessions (abbreviated) */
	struct tally_mcp mcp;
	struct tally_msgs msgs;
	/* Latency, ns. Open loop: from the intended send time (what a user
	 * waiting since then experiences: coordinated omission corrected).
	 * Closed loop: from the actual send. */
	struct hist latency;
	struct hist service; /* response complete - actual send (uncorrected) */
	/* the same with the end taken when the worker saw the response (user
	 * space), not when the kernel received it: what the client's own
	 * wake-up delay adds (equal to service without kernel stamps) */
	struct hist service_user;
	uint64_t stamped;     /* responses whose end is the kernel's receive timestamp */
	uint64_t tx_stamped;  /* ... whose start is the kernel's transmit timestamp */
	struct hist send_lag; /* open loop: actual send - intended send */
	struct hist think;    /* scenarios: think time actually taken */
	struct hist first;    /* scenarios: actual send to the response's first byte */
	/* The latency of the responses that did not succeed (a status the
	 * step does not expect, 4xx/5xx for plain HTTP, an MCP or check
	 * failure): latency minus this is the successful responses'. */
	struct hist failed;
	struct hist connect;   /* TCP connect: submitted to established */
	struct hist handshake; /* TLS: established to the handshake's end */
};

void tally_reset(struct tally *t);

/* Count one JSON-RPC error code. */
void tally_count_code(struct tally_mcp *m, int64_t code, uint64_t n);
/* Count n notifications of the method name[0..len) (decoded text). */
void tally_count_method(struct tally_mcp *m, const char *name, size_t len, uint64_t n);
void tally_merge(struct tally *dst, const struct tally *src);

/* Count n of the message text[0..len): control bytes become spaces, a text
 * longer than TALLY_MSG_LEN - 1 is cut (and marked with "..."). */
void tally_count_msg(struct tally_msgs *m, const char *text, size_t len, uint64_t n);

/* Responses whose status is in [lo, hi]. */
uint64_t tally_status_range(const struct tally *t, unsigned lo, unsigned hi);

/* The latency of t's successful responses (latency - failed) into out. */
void tally_ok_latency(const struct tally *t, struct hist *out);

/* Failed requests: every error class but UNSOLICITED, plus the 4xx and
 * 5xx responses. */
uint64_t tally_error_total(const struct tally *t);

/* Requests attempted: the responses plus the attempts that got none (the
 * transport classes, CONNECT_REFUSED to TOO_LARGE). */
uint64_t tally_attempted(const struct tally *t);

/* The error share, the one definition every report uses: failed requests
 * (tally_error_total) in % of those attempted; 0 with none attempted. */
double tally_error_pct(const struct tally *t);

/* Open model: the share (%) of scheduled arrivals applied on time (sent,
 * dispatched within 1 ms of their intended time); 100 with none scheduled. */
double tally_applied_pct(const struct tally *t);

const char *tally_err_key(enum tally_err e);
const char *tally_err_text(enum tally_err e);

#endif
