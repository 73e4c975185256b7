/*
 * route: the target's request handlers. A handler turns one parsed request
 * (head + complete body) into a status, a content type and a body; the
 * server decides when it leaves (faults) and writes it.
 */
#ifndef MCPL_TARGET_ROUTE_H
#define MCPL_TARGET_ROUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/h1q.h"
#include "tools/target/fault.h"

struct resp {
	int status;
	const char *ctype; /* static */
	const char *allow; /* for 405, static */
	char *body;	   /* owned buffer, grown as needed */
	size_t len, cap;
	enum fault_group group;
	uint64_t extra_delay_ns; /* a handler's own slowness (slow tool, cache miss) */
	const char *xcache;	 /* "HIT" | "MISS" for resource reads, else NULL */
	int res_type;		 /* enum res_type of a resource read, else -1 */
	char session[40];	 /* Mcp-Session-Id to send, or "" */
	bool chunked;		 /* send with Transfer-Encoding: chunked */
	bool open_stream;	 /* chunked, and the last-chunk never sent (--bug sse-open) */
	int tool;		 /* index of the MCP tool called, else -1 */
};

/* Append formatted text to r->body. Returns 0 or -ENOMEM. */
int resp_printf(struct resp *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append s[0..n) as the inside of a JSON string (RFC 8259 section 7: " and \
 * escaped, control characters as \n, \t, ... or \u00XX). Returns 0 or -ENOMEM. */
int resp_json_str(struct resp *r, const char *s, size_t n);

/* Fill r for the request. body: the request body (may be empty). */
void route_handle(const struct h1q_req *req, const char *body, size_t body_len,
		  const struct fault_cfg *f, uint64_t *rng, struct resp *r);

#endif
