/*
 * h1w: HTTP/1.1 request writer. Produces the exact bytes of one request
 * (request line, Host, the caller's headers, Content-Length, body) into a
 * caller's buffer, once, so that sending a request is a pointer and a length.
 */
#ifndef MCPL_PROTOCOL_H1W_H
#define MCPL_PROTOCOL_H1W_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct h1w_header {
	const char *name;  /* a token (RFC 9110 5.1) */
	const char *value; /* no CR, LF or NUL */
};

struct h1w_request {
	const char *method;    /* a token, e.g. "GET" */
	const char *authority; /* Host value: "host:port" or "[v6]:port" */
	const char *target;    /* origin-form "/path?query" */
	const struct h1w_header *headers;
	size_t header_count;
	const char *user_agent; /* sent unless headers carry User-Agent; may be NULL */
	const void *body;
	size_t body_len; /* bytes */
};

/*
 * Write the request into buf. Host comes first unless the caller gives one;
 * Content-Length is added when there is a body or the method is POST, PUT or
 * PATCH (RFC 9110 8.6), unless the caller gives one.
 * Returns bytes written, -ENOSPC when buf is too small, -EINVAL when a method,
 * header name or value is not valid on the wire (set *why to the reason).
 */
ssize_t h1w_write(char *buf, size_t cap, const struct h1w_request *req, const char **why);

/* True when s is a non-empty RFC 9110 token. */
bool h1w_is_token(const char *s, size_t len);

/* A header whose value is a credential (Authorization, Cookie, an API key,
 * a token, a secret, a password): reports print it redacted. */
bool h1w_is_secret(const char *name, size_t len);

#endif
