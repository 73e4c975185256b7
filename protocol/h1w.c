/*
 * h1w: HTTP/1.1 request writer. Validates what it writes, so a bad -H flag is
 * refused at start instead of producing a request the server rejects.
 */
#include "protocol/h1w.h"

#include "protocol/hcc.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

bool h1w_is_token(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!hcc_name[(unsigned char)s[i]])
			return false;
	}
	return true;
}

static bool value_ok(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return false;
	}
	return true;
}

static bool has_header(const struct h1w_request *req, const char *name)
{
	for (size_t i = 0; i < req->header_count; i++) {
		if (strcasecmp(req->headers[i].name, name) == 0)
			return true;
	}
	return false;
}

/* Append bytes; track overflow without writing past cap. */
struct out {
	char *buf;
	size_t cap, len;
};

static void put(struct out *o, const void *p, size_t n)
{
	if (n == 0)
		return; /* p may be NULL: no body */
	if (o->len + n <= o->cap)
		memcpy(o->buf + o->len, p, n);
	o->len += n;
}

static void put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void put_field(struct out *o, const char *name, const char *value)
{
	put_str(o, name);
	put(o, ": ", 2);
	put_str(o, value);
	put(o, "\r\n", 2);
}

ssize_t h1w_write(char *buf, size_t cap, const struct h1w_request *req, const char **why)
{
	struct out o = {buf, cap, 0};
	char num[32];

	if (!h1w_is_token(req->method, strlen(req->method))) {
		*why = "method is not an HTTP token";
		return -EINVAL;
	}
	if (req->target[0] != '/' || !value_ok(req->target) || strpbrk(req->target, " \t")) {
		*why = "request target must start with / and hold no space or control byte";
		return -EINVAL;
	}
	for (size_t i = 0; i < req->header_count; i++) {
		const struct h1w_header *h = &req->headers[i];
		if (!h1w_is_token(h->name, strlen(h->name))) {
			*why = "header name is not an HTTP token";
			return -EINVAL;
		}
		if (!value_ok(h->value)) {
			*why = "header value holds a control byte (CR, LF, NUL...)";
			return -EINVAL;
		}
	}
	put_str(&o, req->method);
	put(&o, " ", 1);
	put_str(&o, req->target);
	put(&o, " HTTP/1.1\r\n", 11);
	if (!has_header(req, "Host"))
		put_field(&o, "Host", req->authority);
	if (req->user_agent && !has_header(req, "User-Agent"))
		put_field(&o, "User-Agent", req->user_agent);
	for (size_t i = 0; i < req->header_count; i++)
		put_field(&o, req->headers[i].name, req->headers[i].value);
	bool wants_length = req->body_len > 0 || strcmp(req->method, "POST") == 0 ||
			    strcmp(req->method, "PUT") == 0 || strcmp(req->method, "PATCH") == 0;
	if (wants_length && !has_header(req, "Content-Length")) {
		snprintf(num, sizeof(num), "%zu", req->body_len);
		put_field(&o, "Content-Length", num);
	}
	put(&o, "\r\n", 2);
	put(&o, req->body, req->body_len);
	if (o.len > cap) {
		*why = "request larger than its buffer";
		return -ENOSPC;
	}
	return (ssize_t)o.len;
}

bool h1w_is_secret(const char *name, size_t len)
{
	static const char *const words[] = {"authorization", "cookie",	 "key",	    "token",
					    "secret",	     "password", "session", "auth"};
	char low[64];
	if (len >= sizeof(low))
		len = sizeof(low) - 1;
	for (size_t i = 0; i < len; i++)
		low[i] = (char)(name[i] >= 'A' && name[i] <= 'Z' ? name[i] + 32 : name[i]);
	low[len] = 0;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(low, words[i]))
			return true;
	return false;
}
