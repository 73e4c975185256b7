/*
 * vmcp: the MCP side of a virtual user: the legacy session (initialize,
 * notifications/initialized, DELETE; re-initialize after a 404), reading a
 * response as JSON or as an SSE stream that holds it, and sorting outcomes
 * into JSON-RPC errors, tool errors and protocol errors. vstep.c calls it for
 * steps the plan marks `mcp` and for the plan's session steps.
 */
#ifndef MCPL_CORE_USERS_VMCP_H
#define MCPL_CORE_USERS_VMCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct worker;
struct conn;
struct vu;
struct plan_step;

/* The plan step u must send before its next request (a session step), or
 * -1 when none is due. */
int vmcp_pending(const struct worker *w, const struct vu *u);

/* Step idx is being sent on u's connection: per-response state starts
 * afresh; session steps advance the session. */
void vmcp_sent(struct worker *w, struct vu *u, unsigned idx);

/* A response header of an MCP step (content type, the session id). */
void vmcp_header(struct vu *u, const char *name, size_t nlen, const char *val, size_t vlen,
		 bool last);

/* Body bytes of an MCP step. Returns true when they were taken (an SSE
 * stream); false: the caller keeps them as a plain body. */
bool vmcp_body(struct vu *u, const char *p, size_t len);

enum vmcp_next {
	VMCP_GO_ON,   /* send the next request */
	VMCP_BACKOFF, /* the session could not be set up: wait before trying again */
};

/* A session step's response is complete: the session moves on; the setup
 * latency (initialize sent to initialized answered) is recorded under its
 * label when `counted`. *failed_cls: the class of a failed setup
 * (enum tally_err; TALLY_ERR__COUNT or above: judged by its status). */
enum vmcp_next vmcp_session_response(struct worker *w, struct conn *c, struct vu *u, unsigned idx,
				     bool counted, unsigned *failed_cls);

/*
 * An MCP request step's response is complete. Leaves the JSON-RPC response
 * message in u->body, counts SSE events and notifications, and returns the
 * error class it amounts to (enum tally_err), or TALLY_ERR__COUNT for none;
 * for an error, what the server said goes to text[0..*tlen) (cap bytes).
 * A 404 (or 400) in a legacy session loses the session: it is initialized
 * again before the next request, and counted.
 */
unsigned vmcp_response(struct worker *w, struct conn *c, struct vu *u, bool counted, char *text,
		       size_t cap, size_t *tlen);

/* A session step failed on the connection: it is due again. */
void vmcp_failed(struct vu *u, unsigned idx, const struct worker *w);

/* The user has a legacy session with an id (one a DELETE can end). */
bool vmcp_has_session(const struct worker *w, const struct vu *u);

/* True when idx is one of the plan's session steps. */
bool vmcp_is_session_step(const struct worker *w, unsigned idx);

#endif
