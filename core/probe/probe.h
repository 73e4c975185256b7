/*
 * probe: blocking exchanges with the target on the main thread, before or
 * beside the load, never on a worker: name resolution, the pre-flight
 * connect, the MCP era probe (the 2026-07-28 detection: a modern request
 * first, legacy initialize when the answer is not a modern one; the version
 * and serverInfo for the report) and a plain GET (/metrics).
 */
#ifndef MCPL_CORE_PROBE_PROBE_H
#define MCPL_CORE_PROBE_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "protocol/mcp.h"
#include "protocol/sse.h"
#include "protocol/url.h"

struct tlsc;

/* Where the target is, resolved once. */
struct probe_peer {
	struct sockaddr_storage addr;
	socklen_t addr_len;
	char addr_text[64];	     /* numeric address:port, for messages */
	char authority[272];	     /* the URL's host[:port], the Host header */
	uint64_t timeout_ns;	     /* per exchange (default 10 s) */
	uint64_t connect_timeout_ns; /* per connect (default 5 s) */
	const char *headers;	     /* the user's header lines ("Name: v\r\n"...), or NULL:
					sent with every MCP request (auth) */
	const struct tlsc *tls;	     /* https: the TLS client's settings, else NULL */
};

/* The largest answer read (a resource NFR-03 counts may be a few MiB;
 * malloc'd per exchange, its pages touched only as far as it goes). */
#define PROBE_BODY_MAX (16u << 20)

/* A response read whole: status, session id, body and the JSON-RPC message
 * in it (the body, or the SSE event answering want_id). */
struct probe_answer {
	unsigned status;
	bool sse;
	char session[256];
	size_t session_len;
	bool session_bad; /* the Mcp-Session-Id was not visible ASCII, or too long */
	char *body;	  /* owned */
	size_t len;
	bool over; /* the body was larger than PROBE_BODY_MAX: cut */
	char *msg; /* the JSON-RPC message: body itself, or owned (SSE) */
	size_t msg_len;
	uint64_t want_id;
	char *ev;	/* owned: SSE event buffer */
	char fail[300]; /* a TLS failure in words, when the exchange failed with one */
	struct sse stream;
};

/* Resolve u's host (once, the first address) into *peer with the default
 * timeouts. Returns 0, or -EINVAL with a one-line reason in why. */
int probe_resolve(const struct url *u, struct probe_peer *peer, char *why, size_t why_len);

/* Can we connect to peer within its connect timeout (and, https, finish a
 * TLS handshake, the certificate verified)? Returns 0, or -errno with the
 * reason in why (-EPROTO: a TLS failure, in words). */
int probe_connect(const struct probe_peer *peer, char *why, size_t why_len);

/*
 * Probe the MCP endpoint at peer, `path` (target path + MCP path). want:
 * NULL or "auto" to detect, else a version to speak (its era decides; a
 * legacy version is offered in initialize). Returns 0, or -errno with a
 * one-line reason in why (no answer, not an MCP server, no common version).
 */
int probe_mcp(const struct probe_peer *peer, const char *path, const char *want,
	      struct mcp_server *out, char *why, size_t why_len);

/*
 * POST body (or DELETE when body is "") to path with the header lines hdrs
 * and the peer's own, Connection: close, and read the whole answer into *a
 * (the JSON-RPC response with id `id` picked out of an SSE stream). Returns
 * 0 or -errno; *a is the caller's to probe_answer_free either way.
 */
int probe_post(const struct probe_peer *peer, const char *path, const char *hdrs, const char *body,
	       uint64_t id, struct probe_answer *a);

void probe_answer_free(struct probe_answer *a);

/* GET url with the header lines headers (NULL: none) and return its 200
 * body (*body malloc'd, the caller frees it). An https URL is verified
 * with tls's anchors and settings (its host replaced by the URL's), or
 * the system's when tls is NULL. Returns 0 or -errno with a one-line
 * reason in why. */
int probe_get(const char *url, const char *headers, const struct tlsc *tls, uint64_t timeout_ns,
	      char **body, size_t *len, char *why, size_t why_len);

#endif
