/*
 * route: REST handlers of the reference target: health, the Task Tracking
 * API (GET /tasks/next, GET /tasks/{id}, PUT /tasks/{id}/status) and ID
 * reservation (POST /ids/reserve). Request bodies are JSON, read with
 * protocol/jsc; answers are JSON.
 */
#include "tools/target/route.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/engine/clock.h"
#include "protocol/jsc.h"
#include "tools/target/mcp.h"
#include "tools/target/metrics.h"
#include "tools/target/res.h"
#include "tools/target/store.h"
#include "tools/target/tool.h"

int resp_printf(struct resp *r, const char *fmt, ...)
{
	va_list ap;
	for (;;) {
		size_t room = r->cap - r->len;
		va_start(ap, fmt);
		int n = vsnprintf(r->body ? r->body + r->len : NULL, room, fmt, ap);
		va_end(ap);
		if (n < 0)
			return -EINVAL;
		if ((size_t)n < room) {
			r->len += (size_t)n;
			return 0;
		}
		size_t cap = r->cap ? r->cap * 2 : 4096;
		while (cap < r->len + (size_t)n + 1)
			cap *= 2;
		char *b = realloc(r->body, cap);
		if (!b)
			return -ENOMEM;
		r->body = b;
		r->cap = cap;
	}
}

static int grow(struct resp *r, size_t more)
{
	if (r->len + more < r->cap)
		return 0;
	size_t cap = r->cap ? r->cap * 2 : 4096;
	while (cap < r->len + more + 1)
		cap *= 2;
	char *b = realloc(r->body, cap);
	if (!b)
		return -ENOMEM;
	r->body = b;
	r->cap = cap;
	return 0;
}

int resp_json_str(struct resp *r, const char *s, size_t n)
{
	/* the worst case, \u00XX for every byte, reserved at once: one check, then
	 * plain stores (a 48 KB resource is escaped on every resources/read; the
	 * buffer is the server thread's, kept from one response to the next) */
	if (grow(r, n * 6))
		return -ENOMEM;
	char *o = r->body + r->len;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			*o++ = '\\';
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else if (c == '\r') {
			*o++ = '\\';
			*o++ = 'r';
		} else if (c < 0x20) {
			o += sprintf(o, "\\u%04x", c);
		} else {
			*o++ = (char)c;
		}
	}
	r->len = (size_t)(o - r->body);
	r->body[r->len] = 0;
	return 0;
}

static void reply(struct resp *r, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void reply(struct resp *r, int status, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	r->status = status;
	r->ctype = "application/json";
	r->len = 0;
	resp_printf(r, "%s", buf);
}

static bool path_is(const struct h1q_req *q, const char *p)
{
	size_t n = strlen(p), tl = strcspn(q->target.ptr, "?");
	if (tl > q->target.len)
		tl = q->target.len;
	return tl == n && memcmp(q->target.ptr, p, n) == 0;
}

static bool method_is(const struct h1q_req *q, const char *m)
{
	return q->method.len == strlen(m) && memcmp(q->method.ptr, m, q->method.len) == 0;
}

static void task_json(struct resp *r, const struct store_task *t)
{
	r->status = 200;
	r->ctype = "application/json";
	r->len = 0;
	resp_printf(r,
		    "{\"id\":\"TASK-%04u\",\"title\":\"" STORE_TASK_TITLE "\","
		    "\"status\":\"%s\",\"version\":%llu}",
		    t->id, t->id, store_status_name(t->status), (unsigned long long)t->version);
}

/* "/tasks/{id}[/status]": id as TASK-0042 or 42. Returns 0 when absent. */
static unsigned task_id(const struct h1q_req *q, bool *status_suffix)
{
	const char *p = q->target.ptr + 7, *end = q->target.ptr + q->target.len;
	unsigned id = 0;
	if (end - p > 5 && memcmp(p, "TASK-", 5) == 0)
		p += 5;
	while (p < end && *p >= '0' && *p <= '9' && id < 1000000)
		id = id * 10 + (unsigned)(*p++ - '0');
	*status_suffix = (size_t)(end - p) == 7 && memcmp(p, "/status", 7) == 0;
	if (p != end && !*status_suffix)
		return 0;
	return id;
}

static void tasks(const struct h1q_req *q, const char *body, size_t blen, struct resp *r)
{
	struct store_task t;
	bool suffix, handed;
	r->group = FG_TASKS;
	if (path_is(q, "/tasks/next")) {
		if (!method_is(q, "GET")) {
			r->allow = "GET";
			reply(r, 405, "{\"error\":\"method not allowed\"}");
		} else if (store_next_task(&t)) {
			task_json(r, &t);
		} else {
			reply(r, 404, "{\"error\":\"no pending task\"}");
		}
		return;
	}
	unsigned id = task_id(q, &suffix);
	if (!id || !store_get_task(id, &t)) {
		reply(r, 404, "{\"error\":\"unknown task\"}");
		return;
	}
	if (!suffix) {
		if (method_is(q, "GET")) {
			task_json(r, &t);
		} else {
			r->allow = "GET";
			reply(r, 405, "{\"error\":\"method not allowed\"}");
		}
		return;
	}
	if (!method_is(q, "PUT")) {
		r->allow = "PUT";
		reply(r, 405, "{\"error\":\"method not allowed\"}");
		return;
	}
	struct jsc_val v;
	int st = jsc_get(body, blen, "status", &v) == 0 && v.type == JSC_STRING
		     ? store_status_parse(v.ptr, (unsigned)v.len)
		     : -1;
	if (st < 0) {
		reply(r, 400,
		      "{\"error\":\"body must be {\\\"status\\\": "
		      "pending|in_progress|done|blocked}\"}");
		return;
	}
	store_set_status(id, (enum store_status)st, &t, &handed);
	task_json(r, &t);
	r->len--; /* reopen the object to add whether it was handed out */
	resp_printf(r, ",\"handed_out\":%s}", handed ? "true" : "false");
}

static void reserve(const struct h1q_req *q, const char *body, size_t blen, struct resp *r)
{
	struct jsc_val tv, cv;
	char type[16];
	int64_t count = 1;
	uint64_t first;
	r->group = FG_IDS;
	if (!method_is(q, "POST")) {
		r->allow = "POST";
		reply(r, 405, "{\"error\":\"method not allowed\"}");
		return;
	}
	if (jsc_get(body, blen, "artifact_type", &tv) != 0 || tv.type != JSC_STRING ||
	    tv.len == 0 || tv.len >= sizeof(type) ||
	    (jsc_get(body, blen, "count", &cv) == 0 && jsc_int(&cv, &count) != 0)) {
		reply(r, 400,
		      "{\"error\":\"body must be {\\\"artifact_type\\\": \\\"US\\\", "
		      "\\\"count\\\": 1..1000}\"}");
		return;
	}
	memcpy(type, tv.ptr, tv.len);
	type[tv.len] = 0;
	int err =
	    count < 1 || count > 1000 ? -EINVAL : store_reserve(type, (unsigned)count, &first);
	if (err) {
		reply(r, err == -ENOSPC ? 507 : 400, "{\"error\":\"%s\"}",
		      err == -ENOSPC ? "too many artifact types" : "bad artifact_type or count");
		return;
	}
	r->status = 200;
	r->ctype = "application/json";
	r->len = 0;
	resp_printf(
	    r, "{\"artifact_type\":\"%s\",\"start\":%llu,\"end\":%llu,\"count\":%lld,\"ids\":[",
	    type, (unsigned long long)first, (unsigned long long)(first + (uint64_t)count - 1),
	    (long long)count);
	for (int64_t i = 0; i < count; i++)
		resp_printf(r, "%s\"%s-%llu\"", i ? "," : "", type,
			    (unsigned long long)(first + (uint64_t)i));
	resp_printf(r, "]}");
}

/* The path without its query string. */
static size_t path_len(const struct h1q_req *q)
{
	size_t n = strcspn(q->target.ptr, "?");
	return n < q->target.len ? n : q->target.len;
}

static void resource_list(struct resp *r)
{
	r->status = 200;
	r->ctype = "application/json";
	r->len = 0;
	resp_printf(r, "{\"templates\":[");
	for (unsigned i = 0, n = 0; i < res_count(); i++) {
		const struct res *x = res_at(i);
		if (x->type == RES_TEMPLATES)
			resp_printf(r, "%s{\"type\":\"%s\",\"uri\":\"%s\",\"bytes\":%zu}",
				    n++ ? "," : "", x->name, x->uri, x->len);
	}
	resp_printf(r, "]}");
}

/* GET /mcp/resources/{sdlc/core | patterns/NAME | templates/TYPE | templates} */
static void resources(const struct h1q_req *q, const struct fault_cfg *f, struct resp *r)
{
	static const struct {
		const char *prefix;
		enum res_type type;
	} kinds[] = {{"/mcp/resources/sdlc/", RES_SDLC},
		     {"/mcp/resources/patterns/", RES_PATTERNS},
		     {"/mcp/resources/templates/", RES_TEMPLATES}};
	size_t n = path_len(q);
	struct res *x = NULL;
	r->group = FG_RESOURCES;
	if (!method_is(q, "GET")) {
		r->allow = "GET";
		reply(r, 405, "{\"error\":\"method not allowed\"}");
		return;
	}
	if (path_is(q, "/mcp/resources/templates")) {
		resource_list(r);
		return;
	}
	for (size_t k = 0; k < sizeof(kinds) / sizeof(kinds[0]) && !x; k++) {
		size_t pl = strlen(kinds[k].prefix);
		if (n > pl && memcmp(q->target.ptr, kinds[k].prefix, pl) == 0)
			x = res_find(kinds[k].type, q->target.ptr + pl, n - pl);
	}
	if (!x) {
		reply(r, 404, "{\"error\":\"unknown resource\"}");
		return;
	}
	bool hit = res_read_hits(x, clock_now_ns(), f->cache_ttl_ns);
	r->status = 200;
	r->ctype = "text/markdown; charset=utf-8";
	r->len = 0;
	resp_printf(r, "%s", x->text);
	r->xcache = hit ? "HIT" : "MISS";
	r->res_type = (int)x->type;
	if (!hit)
		r->extra_delay_ns = f->miss_delay_ns;
}

/* POST /mcp/call {"name": TOOL, "arguments": {...}}: a tool over plain HTTP,
 * as the seeds' FastAPI server offers; answers the CallToolResult. */
static void mcp_call_rest(const struct h1q_req *q, const char *body, size_t blen,
			  const struct fault_cfg *f, struct resp *r)
{
	struct jsc_val name, args;
	r->group = FG_MCP;
	if (!method_is(q, "POST")) {
		r->allow = "POST";
		reply(r, 405, "{\"error\":\"method not allowed\"}");
		return;
	}
	if (jsc_get(body, blen, "name", &name) || name.type != JSC_STRING) {
		reply(
		    r, 400,
		    "{\"error\":\"body must be {\\\"name\\\": TOOL, \\\"arguments\\\": {...}}\"}");
		return;
	}
	bool has = jsc_get(body, blen, "arguments", &args) == 0 && args.type == JSC_OBJECT;
	r->tool = tool_index(name.ptr, name.len);
	r->status = 200;
	r->ctype = "application/json";
	r->len = 0;
	r->extra_delay_ns = tool_call(name.ptr, name.len, has ? args.ptr : NULL, has ? args.len : 0,
				      f->slow_tool, r);
}

void route_handle(const struct h1q_req *q, const char *body, size_t blen, const struct fault_cfg *f,
		  uint64_t *rng, struct resp *r)
{
	r->allow = NULL;
	r->extra_delay_ns = 0;
	r->xcache = NULL;
	r->res_type = -1;
	r->session[0] = 0;
	r->chunked = f->chunked;
	r->open_stream = false;
	r->tool = -1;
	r->group = FG_HEALTH;
	if (fault_chance(f->error_rate, rng)) {
		reply(r, 500, "{\"error\":\"injected by --error-rate\"}");
		return;
	}
	if (path_is(q, "/health")) {
		if (method_is(q, "GET") || method_is(q, "HEAD")) {
			reply(r, 200, "{\"status\":\"ok\",\"service\":\"mcpload-target\"}");
		} else {
			r->allow = "GET, HEAD";
			reply(r, 405, "{\"error\":\"method not allowed\"}");
		}
	} else if (q->target.len >= 7 && memcmp(q->target.ptr, "/tasks/", 7) == 0) {
		tasks(q, body, blen, r);
	} else if (path_is(q, "/ids/reserve")) {
		reserve(q, body, blen, r);
	} else if (q->target.len > 15 && memcmp(q->target.ptr, "/mcp/resources/", 15) == 0) {
		resources(q, f, r);
	} else if (path_is(q, "/mcp")) {
		mcp_handle(q, body, blen, f, rng, r);
	} else if (path_is(q, "/mcp/call")) {
		mcp_call_rest(q, body, blen, f, r);
	} else if (path_is(q, "/metrics")) {
		r->group = FG_METRICS;
		r->status = 200;
		r->ctype = "text/plain; version=0.0.4; charset=utf-8";
		r->len = 0;
		metrics_render(r);
	} else {
		reply(r, 404, "{\"error\":\"not found\"}");
	}
}
