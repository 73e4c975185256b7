/*
 * h1p: incremental HTTP/1.1 response parser (RFC 9112) for the load engine.
 * Resumes at any byte boundary, never allocates, keeps no pointer into the
 * caller's buffers between calls. Framing headers (Content-Length,
 * Transfer-Encoding, Connection) are interpreted here; every other header and
 * the body are handed to an optional sink as spans into the caller's buffer.
 */
#ifndef MCPL_PROTOCOL_H1P_H
#define MCPL_PROTOCOL_H1P_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "protocol/limits.h"
#include "protocol/h1f.h"
#include "protocol/hvec.h"

#define H1P_ERROR (-1)
#define H1P_AGAIN (-2)

/* Why a response was rejected; X(name, text). */
#define H1P_ERRORS(X)                                                                              \
	X(NONE, "no error")                                                                        \
	X(VERSION, "bad HTTP version in status line")                                              \
	X(STATUS, "bad status code in status line")                                                \
	X(STATUS_LINE_TOO_LONG, "status line longer than the limit")                               \
	X(HEAD_TOO_LONG, "response head longer than the limit")                                    \
	X(TOO_MANY_HEADERS, "more header fields than the limit")                                   \
	X(HEADER_NAME, "invalid character in header name")                                         \
	X(HEADER_VALUE, "invalid character in header value or reason phrase")                      \
	X(OBS_FOLD, "obsolete line folding in header")                                             \
	X(LINE_ENDING, "CR not followed by LF")                                                    \
	X(CONTENT_LENGTH, "invalid Content-Length")                                                \
	X(CONTENT_LENGTH_CONFLICT, "conflicting Content-Length values")                            \
	X(CHUNK_SIZE, "invalid chunk size")                                                        \
	X(CHUNK_END, "chunk data not followed by CRLF")                                            \
	X(UPGRADE, "unexpected 101 Switching Protocols")                                           \
	X(TRAILING_DATA, "data after a complete response")                                         \
	X(TRUNCATED, "connection closed before the response was complete")

#define H1P_ERR_ENUM(name, text) H1P_ERR_##name,
enum h1p_err { H1P_ERRORS(H1P_ERR_ENUM) H1P_ERR__COUNT };
#undef H1P_ERR_ENUM

/*
 * Optional consumer of what the parser does not interpret itself. Any member
 * may be NULL. Pointers passed to the callbacks point into the buffer given to
 * h1p_feed() and live as long as the caller keeps that buffer.
 */
struct h1p_sink {
	/* One header (or trailer) field. name: lower-cased, whole, valid only
	 * during the call (as is a value fragment that was held back in the
	 * state, see h1p.c report_value); names longer than LIM_HEADER_NAME_KEEP are not
	 * reported. val: a fragment of the value without leading whitespace;
	 * `last` is false when the value continues in the next buffer, true on
	 * the final fragment (trailing whitespace trimmed from that fragment). */
	void (*on_header)(void *ctx, const char *name, size_t name_len, const char *val,
			  size_t val_len, bool last);
	/* A fragment of the body (de-chunked). */
	void (*on_body)(void *ctx, const char *p, size_t len);
	void *ctx;
};

/* Parser state. Zeroed then h1p_reset() is the initial state. Fields above
 * the marker are results, readable once the head is parsed. */
struct h1p {
	uint16_t status;	 /* status code of the final (non-1xx) response */
	uint8_t version_minor;	 /* HTTP/1.x */
	bool keep_alive;	 /* the connection may carry another request */
	bool peer_closes;	 /* ... not, and the server said so (Connection: close,
				    HTTP/1.0 without keep-alive, a body ended by the close);
				    false: the client must close (a smuggling-shaped head) */
	bool chunked;		 /* body is chunked */
	bool has_length;	 /* Content-Length was given and is used */
	uint64_t content_length; /* bytes, when has_length */
	uint64_t body_bytes;	 /* bytes of (de-chunked) body seen so far */
	uint32_t head_bytes;	 /* bytes of the current head (or trailer section) */
	uint32_t header_count;	 /* fields in the current head (or trailer section) */
	enum h1p_err err;	 /* reason after H1P_ERROR */
	/* --- internal --- */
	bool head_request; /* the request was HEAD: no body follows */
	bool in_trailers;  /* parsing the chunked trailer section */
	bool any_byte;	   /* at least one byte of this response was fed */
	bool value_split;  /* the current value came in more than one piece */
	bool chunk_bws;	   /* whitespace after the chunk size */
	uint8_t state;
	uint8_t idx; /* position inside a fixed token (version, status) */
	uint8_t name_len;
	uint8_t digits;	   /* of the chunk size */
	uint8_t ws_len;	   /* trailing whitespace held back from a value fragment */
	uint8_t vec_level; /* enum hvec_level: h1p_limit_vectors() */
	char ws[8];
	uint32_t line_bytes; /* bytes of the status line so far */
	uint64_t num;	     /* chunk size being read */
	uint64_t remaining;  /* body or chunk bytes still expected */
	char name[LIM_HEADER_NAME_KEEP];
	struct h1f fr; /* framing fields of this message */
};

/* Prepare for the next response. head_request: the request was HEAD, so the
 * response has no body whatever its headers say (RFC 9110 9.3.2). */
void h1p_reset(struct h1p *st, bool head_request);

/* Tests: scan with no more than `level` (kept across interim responses,
 * back to HVEC_BEST at h1p_reset), to compare the levels' results. */
void h1p_limit_vectors(struct h1p *st, enum hvec_level level);

/*
 * Feed the next bytes of the response stream.
 * Returns: bytes consumed (0..len) when the response completed inside buf (the
 *          rest of buf belongs to whatever follows; call h1p_reset() before
 *          the next response); H1P_AGAIN when all of buf was consumed and
 *          the response is not complete; H1P_ERROR when the response is
 *          malformed or breaks a limit (reason in st->err; the parser stays
 *          in error until reset).
 * sink may be NULL.
 */
ssize_t h1p_feed(struct h1p *st, const char *buf, size_t len, const struct h1p_sink *sink);

/*
 * The peer closed the connection. Returns 0 when that completes the response
 * (a body delimited by close), H1P_ERROR with st->err = H1P_ERR_TRUNCATED when
 * the response was cut short (including no byte at all: see h1p_is_started).
 */
int h1p_eof(struct h1p *st);

bool h1p_is_done(const struct h1p *st);
bool h1p_is_started(const struct h1p *st);

/* Static text for an error reason. */
const char *h1p_err_str(enum h1p_err err);

#endif
