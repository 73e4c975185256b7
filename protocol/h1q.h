/*
 * h1q: HTTP/1.1 request-head parser for servers (RFC 9112), in the
 * picohttpparser style: the caller keeps the bytes of the head in one buffer
 * and calls again when more arrive; spans point into that buffer. Framing
 * fields are interpreted (protocol/h1f) with the server-side rules: Host
 * required, Transfer-Encoding with Content-Length refused, only chunked.
 */
#ifndef MCPL_PROTOCOL_H1Q_H
#define MCPL_PROTOCOL_H1Q_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol/limits.h"

#define H1Q_ERROR	(-1)
#define H1Q_AGAIN	(-2)
#define H1Q_MAX_HEADERS 64

#define H1Q_ERRORS(X)                                                                              \
	X(NONE, "no error")                                                                        \
	X(METHOD, "bad method")                                                                    \
	X(TARGET, "bad request target")                                                            \
	X(VERSION, "bad or unsupported HTTP version")                                              \
	X(HEADER_NAME, "invalid character in header name")                                         \
	X(HEADER_VALUE, "invalid character in header value")                                       \
	X(LINE_ENDING, "CR not followed by LF")                                                    \
	X(OBS_FOLD, "obsolete line folding in header")                                             \
	X(TOO_MANY_HEADERS, "more header fields than the limit")                                   \
	X(HEAD_TOO_LONG, "request head longer than the limit")                                     \
	X(CONTENT_LENGTH, "invalid or conflicting Content-Length")                                 \
	X(TRANSFER_ENCODING, "Transfer-Encoding other than chunked, or with Content-Length")       \
	X(HOST, "missing or repeated Host")

#define H1Q_ERR_ENUM(name, text) H1Q_ERR_##name,
enum h1q_err { H1Q_ERRORS(H1Q_ERR_ENUM) H1Q_ERR__COUNT };
#undef H1Q_ERR_ENUM

struct h1q_span {
	const char *ptr;
	size_t len;
};

struct h1q_header {
	struct h1q_span name;  /* as sent */
	struct h1q_span value; /* without surrounding whitespace */
};

struct h1q_req {
	struct h1q_span method;
	struct h1q_span target;
	uint8_t version_minor;
	bool keep_alive;	 /* the connection may carry another request */
	bool chunked;		 /* the body is chunked */
	uint64_t content_length; /* bytes (0 when neither length nor chunked) */
	unsigned header_count;
	struct h1q_header headers[H1Q_MAX_HEADERS];
	enum h1q_err err;
};

/*
 * Parse the request head at the start of buf[0..len). Returns the head's
 * length in bytes (through the blank line), H1Q_AGAIN when it is not complete
 * yet (and within LIM_HEAD_BYTES), or H1Q_ERROR with req->err set. Spans in
 * req point into buf.
 */
ssize_t h1q_parse(const char *buf, size_t len, struct h1q_req *req);

/* The first header with this name (case-insensitive), or NULL. */
const struct h1q_header *h1q_find(const struct h1q_req *req, const char *name);

const char *h1q_err_str(enum h1q_err err);

#endif
