/*
 * h1q: one pass over a complete request head. Lines end in CRLF (a bare LF
 * is accepted, RFC 9112 2.2); a bare CR anywhere is an error, as are
 * obs-fold, control bytes in values and any framing ambiguity that could
 * smuggle a second request (RFC 9112 6.3, 11.2).
 */
#include "protocol/h1q.h"

#include <string.h>
#include <strings.h>

#include "protocol/h1f.h"
#include "protocol/hcc.h"
#include "protocol/h1w.h"

static ssize_t fail(struct h1q_req *req, enum h1q_err err)
{
	req->err = err;
	return H1Q_ERROR;
}

/* The end of the line starting at p: pointer to its LF, NULL when not in
 * the buffer, or (char *)1 on a bare CR. */
static const char *line_end(const char *p, const char *end)
{
	const char *lf = memchr(p, '\n', (size_t)(end - p));
	const char *cr = memchr(p, '\r', (size_t)((lf ? lf : end) - p));
	if (cr && cr + 1 != lf && cr + 1 != end)
		return (const char *)1;
	return lf;
}

static size_t content_end(const char *p, const char *lf)
{
	size_t n = (size_t)(lf - p);
	return n && p[n - 1] == '\r' ? n - 1 : n;
}

static bool has_ctl(const char *p, size_t n)
{
	return hcc_find_ctl(p, p + n) != p + n;
}

/* "METHOD SP target SP HTTP/1.x" */
static ssize_t request_line(struct h1q_req *req, const char *p, size_t n)
{
	const char *sp1 = memchr(p, ' ', n), *sp2;
	if (!sp1 || !h1w_is_token(p, (size_t)(sp1 - p)))
		return fail(req, H1Q_ERR_METHOD);
	req->method = (struct h1q_span){p, (size_t)(sp1 - p)};
	sp2 = memchr(sp1 + 1, ' ', n - (size_t)(sp1 + 1 - p));
	if (!sp2 || sp2 == sp1 + 1)
		return fail(req, H1Q_ERR_TARGET);
	req->target = (struct h1q_span){sp1 + 1, (size_t)(sp2 - sp1 - 1)};
	for (size_t i = 0; i < req->target.len; i++) {
		unsigned char c = (unsigned char)req->target.ptr[i];
		if (c <= ' ' || c == 0x7f)
			return fail(req, H1Q_ERR_TARGET);
	}
	size_t vlen = n - (size_t)(sp2 + 1 - p);
	if (vlen != 8 || memcmp(sp2 + 1, "HTTP/1.", 7) != 0 || sp2[8] < '0' || sp2[8] > '9')
		return fail(req, H1Q_ERR_VERSION);
	req->version_minor = (uint8_t)(sp2[8] - '0');
	return 0;
}

static ssize_t header_line(struct h1q_req *req, struct h1f *fr, const char *p, size_t n,
			   unsigned *hosts)
{
	const char *colon = memchr(p, ':', n), *v, *ve;
	if (p[0] == ' ' || p[0] == '\t')
		return fail(req, H1Q_ERR_OBS_FOLD);
	if (!colon || !h1w_is_token(p, (size_t)(colon - p)))
		return fail(req, H1Q_ERR_HEADER_NAME);
	v = colon + 1;
	ve = p + n;
	while (v < ve && (*v == ' ' || *v == '\t'))
		v++;
	while (ve > v && (ve[-1] == ' ' || ve[-1] == '\t'))
		ve--;
	if (has_ctl(v, (size_t)(ve - v)))
		return fail(req, H1Q_ERR_HEADER_VALUE);
	if (req->header_count == H1Q_MAX_HEADERS)
		return fail(req, H1Q_ERR_TOO_MANY_HEADERS);
	struct h1q_header *h = &req->headers[req->header_count++];
	h->name = (struct h1q_span){p, (size_t)(colon - p)};
	h->value = (struct h1q_span){v, (size_t)(ve - v)};
	if (h->name.len == 4 && strncasecmp(p, "host", 4) == 0)
		(*hosts)++;
	h1f_begin(fr, h1f_kind_of(p, h->name.len, false));
	if (h1f_feed(fr, v, (size_t)(ve - v)) < 0 || h1f_end(fr) < 0)
		return fail(req, H1Q_ERR_CONTENT_LENGTH);
	return 0;
}

static ssize_t framing(struct h1q_req *req, const struct h1f *fr, unsigned hosts)
{
	if (req->version_minor >= 1 && hosts != 1)
		return fail(req, H1Q_ERR_HOST);
	if (fr->saw_te && (fr->cl_seen || !fr->te_chunked))
		return fail(req, H1Q_ERR_TRANSFER_ENCODING);
	req->chunked = fr->saw_te;
	req->content_length = fr->cl_seen ? fr->content_length : 0;
	req->keep_alive = req->version_minor >= 1 ? !fr->conn_close : fr->conn_keepalive;
	return 0;
}

ssize_t h1q_parse(const char *buf, size_t len, struct h1q_req *req)
{
	const char *p = buf, *end = buf + len, *lf;
	struct h1f fr;
	unsigned hosts = 0;

	memset(req, 0, sizeof(*req));
	memset(&fr, 0, sizeof(fr));
	/* RFC 9112 2.2: ignore at least one empty line before the request */
	while (p < end && (*p == '\r' || *p == '\n'))
		p++;
	for (bool first = true;; first = false) {
		lf = line_end(p, end);
		if (lf == (const char *)1)
			return fail(req, H1Q_ERR_LINE_ENDING);
		if (!lf)
			return len >= LIM_HEAD_BYTES ? fail(req, H1Q_ERR_HEAD_TOO_LONG) : H1Q_AGAIN;
		size_t n = content_end(p, lf);
		if (first) {
			if (n > LIM_STATUS_LINE_BYTES || request_line(req, p, n) < 0)
				return req->err ? H1Q_ERROR : fail(req, H1Q_ERR_TARGET);
		} else if (n == 0) {
			if (framing(req, &fr, hosts) < 0)
				return H1Q_ERROR;
			return lf + 1 - buf;
		} else if (header_line(req, &fr, p, n, &hosts) < 0) {
			return H1Q_ERROR;
		}
		p = lf + 1;
		if ((size_t)(p - buf) > LIM_HEAD_BYTES)
			return fail(req, H1Q_ERR_HEAD_TOO_LONG);
	}
}

const struct h1q_header *h1q_find(const struct h1q_req *req, const char *name)
{
	size_t n = strlen(name);
	for (unsigned i = 0; i < req->header_count; i++) {
		const struct h1q_header *h = &req->headers[i];
		if (h->name.len == n && strncasecmp(h->name.ptr, name, n) == 0)
			return h;
	}
	return NULL;
}

const char *h1q_err_str(enum h1q_err err)
{
#define H1Q_ERR_TEXT(name, text) [H1Q_ERR_##name] = text,
	static const char *const texts[] = {H1Q_ERRORS(H1Q_ERR_TEXT)};
#undef H1Q_ERR_TEXT
	return (unsigned)err < H1Q_ERR__COUNT ? texts[err] : "unknown error";
}
