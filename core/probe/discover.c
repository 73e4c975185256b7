/*
 * discover: requests written by protocol/mcp (the same text the virtual
 * users send) over probe_post, one connection each; a legacy session's id
 * and version go on every request after initialize. Lists are followed
 * through nextCursor, bounded in pages.
 */
#include "core/probe/discover.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REQ_BYTES (64u << 10)

static int fail(char *why, size_t wl, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, wl, fmt, ap);
	va_end(ap);
	return err;
}

/* Send one request (id 0: a notification) and read its answer. */
static int send_one(struct disc *d, const struct mcp_req *rq, uint64_t id, struct disc_reply *r,
		    char *why, size_t wl)
{
	char hdrs[2048], *body = malloc(REQ_BYTES);
	struct probe_answer a;
	int rc;
	memset(r, 0, sizeof(*r));
	if (!body)
		return fail(why, wl, -ENOMEM, "out of memory");
	if (mcp_header_src(hdrs, sizeof(hdrs), rq) < 0 || mcp_body_src(body, REQ_BYTES, rq) < 0) {
		free(body);
		return fail(why, wl, -EINVAL, "%s: the request does not fit in %u bytes",
			    rq->method, REQ_BYTES);
	}
	rc = probe_post(d->peer, d->path, hdrs, body, id, &a);
	free(body);
	d->requests++;
	r->status = a.status;
	if (rc < 0) {
		probe_answer_free(&a);
		return fail(why, wl, rc, "%s: %s", rq->method, strerror(-rc));
	}
	if (a.over) {
		probe_answer_free(&a);
		return fail(why, wl, -EFBIG, "%s: the answer is larger than %u MiB (not read)",
			    rq->method, PROBE_BODY_MAX >> 20);
	}
	if (a.msg && a.msg_len) {
		r->msg = malloc(a.msg_len + 1);
		if (r->msg) {
			memcpy(r->msg, a.msg, a.msg_len);
			r->msg[a.msg_len] = 0;
			r->len = a.msg_len;
		}
	}
	probe_answer_free(&a);
	if (id && (!r->msg || mcp_msg_parse(r->msg, r->len, &r->m) < 0 ||
		   r->m.kind != MCP_MSG_RESPONSE)) {
		return fail(why, wl, -EPROTO, "%s: HTTP %u without a JSON-RPC response", rq->method,
			    r->status);
	}
	return 0;
}

static struct mcp_req req_of(const struct disc *d, const char *method, const char *name,
			     const char *args, const char *id)
{
	return (struct mcp_req){.era = d->srv.era,
				.method = method,
				.name = name,
				.args = args,
				.id = id,
				.version = d->srv.version,
				.session_line = d->session_line,
				.client_version = MCPL_VERSION};
}

int disc_open(struct disc *d, const struct probe_peer *peer, const char *path,
	      const struct mcp_server *srv, char *why, size_t wl)
{
	struct disc_reply r;
	struct probe_answer a;
	char hdrs[2048], body[1024], id[24];
	memset(d, 0, sizeof(*d));
	d->peer = peer;
	d->srv = *srv;
	d->next_id = 1;
	snprintf(d->path, sizeof(d->path), "%s", path);
	if (srv->era != MCP_ERA_LEGACY)
		return srv->era == MCP_ERA_MODERN
			   ? 0
			   : fail(why, wl, -EINVAL, "no MCP endpoint was found at %s", path);
	/* initialize by hand: its answer's Mcp-Session-Id header is the session */
	snprintf(id, sizeof(id), "%llu", (unsigned long long)d->next_id);
	struct mcp_req rq = req_of(d, "initialize", NULL, NULL, id);
	if (mcp_header_src(hdrs, sizeof(hdrs), &rq) < 0 ||
	    mcp_body_src(body, sizeof(body), &rq) < 0)
		return fail(why, wl, -EINVAL, "initialize does not fit");
	int rc = probe_post(peer, d->path, hdrs, body, d->next_id++, &a);
	d->requests++;
	if (rc == 0 && (a.status != 200 || !a.msg))
		rc = fail(why, wl, -EPROTO, "initialize: HTTP %u without a JSON-RPC result",
			  a.status);
	else if (rc < 0)
		fail(why, wl, rc, "initialize: %s", strerror(-rc));
	if (rc == 0 && a.session_len)
		snprintf(d->session_line, sizeof(d->session_line), "Mcp-Session-Id: %.*s\r\n",
			 (int)a.session_len, a.session);
	probe_answer_free(&a);
	if (rc < 0)
		return rc;
	rq = req_of(d, "notifications/initialized", NULL, NULL, "0");
	rc = send_one(d, &rq, 0, &r, why, wl);
	disc_reply_free(&r);
	return rc;
}

int disc_request(struct disc *d, const char *method, const char *name, const char *args,
		 struct disc_reply *r, char *why, size_t wl)
{
	char id[24];
	uint64_t n = d->next_id++;
	snprintf(id, sizeof(id), "%llu", (unsigned long long)n);
	struct mcp_req rq = req_of(d, method, name, args, id);
	return send_one(d, &rq, n, r, why, wl);
}

void disc_reply_free(struct disc_reply *r)
{
	free(r->msg);
	memset(r, 0, sizeof(*r));
}

/* The server's reason for an error reply, one line. */
static void said(const struct disc_reply *r, char *out, size_t cap)
{
	size_t n = mcp_msg_text(r->msg, r->len, &r->m, out, cap);
	if (!n)
		snprintf(out, cap, "HTTP %u", r->status);
}

/* One page: its items to each(), its nextCursor (JSON string text, escapes
 * kept) into cursor. Returns the item count or -errno. */
static long page(struct disc *d, const char *method, const char *key, const char *params,
		 void (*each)(void *, const char *, size_t), void *ctx, char *cursor, size_t ccap,
		 char *why, size_t wl)
{
	struct disc_reply r;
	struct jsc_val list, item, next;
	char path[64];
	size_t pos = 0;
	long n = 0;
	int rc = disc_request(d, method, NULL, params, &r, why, wl);
	cursor[0] = 0;
	if (rc == 0 && r.m.rpc_error) {
		char text[256];
		said(&r, text, sizeof(text));
		rc = fail(why, wl, -EPROTO, "%s: %s", method, text);
	}
	snprintf(path, sizeof(path), "result.%s", key);
	if (rc == 0 && (jsc_get(r.msg, r.len, path, &list) != 0 || list.type != JSC_ARRAY))
		rc = fail(why, wl, -EPROTO, "%s: the result has no %s array", method, key);
	while (rc == 0 && jsc_next(&list, &pos, NULL, &item) == 0) {
		each(ctx, item.ptr, item.len);
		n++;
	}
	if (rc == 0 && jsc_get(r.msg, r.len, "result.nextCursor", &next) == 0 &&
	    next.type == JSC_STRING && next.len && next.len < ccap) {
		memcpy(cursor, next.ptr, next.len);
		cursor[next.len] = 0;
	}
	disc_reply_free(&r);
	return rc < 0 ? rc : n;
}

long disc_list(struct disc *d, const char *method, const char *key,
	       void (*each)(void *ctx, const char *item, size_t len), void *ctx, int *cut,
	       char *why, size_t wl)
{
	char cursor[1024], params[1100];
	long total = 0;
	*cut = 0;
	snprintf(params, sizeof(params), "{}");
	for (unsigned p = 0; p < DISC_MAX_PAGES; p++) {
		long n = page(d, method, key, params, each, ctx, cursor, sizeof(cursor), why, wl);
		if (n < 0)
			return n;
		total += n;
		if (!cursor[0])
			return total;
		snprintf(params, sizeof(params), "{\"cursor\":\"%s\"}", cursor);
	}
	*cut = 1;
	return total;
}

void disc_close(struct disc *d)
{
	struct probe_answer a;
	char hdrs[512];
	if (d->srv.era != MCP_ERA_LEGACY || !d->session_line[0])
		return;
	snprintf(hdrs, sizeof(hdrs), "MCP-Protocol-Version: %s\r\n%s", d->srv.version,
		 d->session_line);
	(void)probe_post(d->peer, d->path, hdrs, "", 0, &a);
	d->requests++;
	probe_answer_free(&a);
	d->session_line[0] = 0;
}
