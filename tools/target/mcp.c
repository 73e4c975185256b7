/*
 * mcp: transport checks (Accept, Content-Type), era detection, the legacy
 * session table, modern header/_meta validation, method dispatch, and the
 * JSON-RPC envelope in JSON or SSE. Status codes and error codes follow the
 * official SDK servers' (captured from them; the table is in docs/target.md).
 */
#include "tools/target/mcp.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/engine/clock.h"
#include "scenarios/rng.h"
#include "protocol/jsc.h"
#include "tools/target/res.h"
#include "tools/target/tool.h"

#define MODERN		"2026-07-28"
#define SESSIONS	4096u
#define SESSION_IDLE_NS (300 * 1000000000ull) /* reaped after 5 idle minutes */
#define PAGE		8u		      /* resources/list page size */

static const char *const legacy_versions[] = {"2025-03-26", "2025-06-18", "2025-11-25"};

static struct {
	pthread_mutex_t lock;
	char id[SESSIONS][33];
	char version[SESSIONS][11];
	uint64_t last_ns[SESSIONS];
} sessions = {.lock = PTHREAD_MUTEX_INITIALIZER};

static _Atomic unsigned long mixed_turn; /* --response mixed alternates */

/* What one JSON-RPC request is about. */
struct call {
	const char *body;
	size_t len;
	struct jsc_val id, method, params;
	bool has_id, has_params, modern;
	char version[11]; /* the legacy session's or the modern version */
};

static const struct h1q_header *hdr(const struct h1q_req *q, const char *name)
{
	return h1q_find(q, name);
}

static bool hdr_is(const struct h1q_header *h, const char *v)
{
	return h && h->value.len == strlen(v) && strncasecmp(h->value.ptr, v, h->value.len) == 0;
}

static bool hdr_has(const struct h1q_header *h, const char *v)
{
	size_t n = strlen(v);
	for (size_t i = 0; h && i + n <= h->value.len; i++) {
		if (strncasecmp(h->value.ptr + i, v, n) == 0)
			return true;
	}
	return false;
}

/* {"jsonrpc":"2.0","id":…,"error":{…}} with an HTTP status. */
static void rpc_error(struct resp *r, int status, const struct call *c, int code, const char *msg,
		      const char *data)
{
	r->status = status;
	r->ctype = "application/json";
	r->len = 0;
	resp_printf(r, "{\"jsonrpc\":\"2.0\",\"id\":");
	if (c && c->has_id)
		resp_printf(r, c->id.type == JSC_STRING ? "\"%.*s\"" : "%.*s", (int)c->id.len,
			    c->id.ptr);
	else
		resp_printf(r, "null");
	resp_printf(r, ",\"error\":{\"code\":%d,\"message\":\"%s\"%s%s}}", code, msg,
		    data ? ",\"data\":" : "", data ? data : "");
}

/* A protocol error in the request: legacy answers it inside a 200,
 * 2026-07-28 with a 400 (mcp-wire.md sections 2.2 and 6.5). */
static void proto_error(struct resp *r, const struct call *c, int code, const char *msg)
{
	rpc_error(r, c->modern ? 400 : 200, c, code, msg, NULL);
}

/* params.name of tools/call and prompts/get; answers the error itself. */
static bool param_name(const struct call *c, struct resp *r, struct jsc_val *v)
{
	if (jsc_get(c->body, c->len, "params.name", v) == 0 && v->type == JSC_STRING)
		return true;
	proto_error(r, c, -32602, "params.name is required");
	return false;
}

/* --- the legacy session table --- */

/* Idle past the limit. Another thread may have touched the session after
 * this one read its clock: a last use after now is not idle (the unsigned
 * difference would wrap and lose a live session). */
static bool expired(uint64_t now, uint64_t last_ns)
{
	return now > last_ns && now - last_ns > SESSION_IDLE_NS;
}

static void new_session(uint64_t *rng, const char *version, char out[33])
{
	unsigned slot = SESSIONS, oldest = 0;
	snprintf(out, 33, "%016llx%016llx", (unsigned long long)(rng_uniform(rng) * 1.8e19),
		 (unsigned long long)(rng_uniform(rng) * 1.8e19));
	pthread_mutex_lock(&sessions.lock);
	uint64_t now = clock_now_ns();
	for (unsigned i = 0; i < SESSIONS && slot == SESSIONS; i++) {
		if (!sessions.id[i][0] || expired(now, sessions.last_ns[i]))
			slot = i;
		else if (sessions.last_ns[i] < sessions.last_ns[oldest])
			oldest = i;
	}
	if (slot == SESSIONS)
		slot = oldest; /* full of live sessions: the least recently used goes */
	memcpy(sessions.id[slot], out, 33);
	snprintf(sessions.version[slot], sizeof(sessions.version[slot]), "%s", version);
	sessions.last_ns[slot] = now;
	pthread_mutex_unlock(&sessions.lock);
}

/* Find (and touch, or with end: delete) a session. Copies its version. */
static bool find_session(const struct h1q_header *h, char version[11], bool end)
{
	bool found = false;
	if (!h || h->value.len != 32)
		return false;
	pthread_mutex_lock(&sessions.lock);
	uint64_t now = clock_now_ns();
	for (unsigned i = 0; i < SESSIONS && !found; i++) {
		if (memcmp(sessions.id[i], h->value.ptr, 32) != 0 ||
		    expired(now, sessions.last_ns[i]))
			continue;
		found = true;
		memcpy(version, sessions.version[i], 11);
		sessions.last_ns[i] = now;
		if (end)
			sessions.id[i][0] = 0;
	}
	pthread_mutex_unlock(&sessions.lock);
	return found;
}

/* --- results --- */

static void result_open(struct resp *r, const struct call *c)
{
	r->status = 200;
	r->ctype = "application/json";
	r->len = 0;
	resp_printf(r, "{\"jsonrpc\":\"2.0\",\"id\":");
	resp_printf(r, c->id.type == JSC_STRING ? "\"%.*s\"" : "%.*s", (int)c->id.len, c->id.ptr);
	resp_printf(r, ",\"result\":");
}

/* Close a result object; modern results say they are complete, who
 * answered, and (lists and reads) how long they may be cached. */
static void result_close(struct resp *r, const struct call *c, bool cacheable)
{
	if (c->modern) {
		bool empty = r->len && r->body[r->len - 1] == '{';
		resp_printf(
		    r,
		    "%s\"resultType\":\"complete\",%s\"_meta\":{\"io.modelcontextprotocol/"
		    "serverInfo\":{\"name\":\"mcpload-target\",\"version\":\"" MCPL_VERSION "\"}}}",
		    empty ? "" : ",", cacheable ? "\"ttlMs\":0,\"cacheScope\":\"private\"," : "");
	} else {
		resp_printf(r, "}");
	}
	resp_printf(r, "}");
}

static const char capabilities[] = "{\"tools\":{\"listChanged\":true},\"resources\":"
				   "{\"listChanged\":true},\"prompts\":{\"listChanged\":true},"
				   "\"logging\":{}}";

/* Version negotiation: echo a legacy version we speak, else offer our
 * latest (lifecycle, "Version negotiation"). */
static void negotiate(struct call *c)
{
	struct jsc_val v;
	const char *version = legacy_versions[2];
	if (c->has_params && jsc_get(c->body, c->len, "params.protocolVersion", &v) == 0) {
		for (size_t i = 0; i < 3; i++) {
			if (jsc_is(&v, legacy_versions[i]))
				version = legacy_versions[i];
		}
	}
	snprintf(c->version, sizeof(c->version), "%s", version);
}

static void initialize(const struct call *c, uint64_t *rng, struct resp *r)
{
	new_session(rng, c->version, r->session);
	result_open(r, c);
	resp_printf(r,
		    "{\"protocolVersion\":\"%s\",\"capabilities\":%s,\"serverInfo\":{\"name\":"
		    "\"mcpload-target\",\"version\":\"" MCPL_VERSION "\"},\"instructions\":"
		    "\"Reference SDLC MCP server for mcpload (synthetic data).\"",
		    c->version, capabilities);
	result_close(r, c, false);
}

static void resources_list(const struct call *c, struct resp *r)
{
	struct jsc_val v;
	unsigned from = 0;
	if (jsc_get(c->body, c->len, "params.cursor", &v) == 0) {
		if (v.type != JSC_STRING || v.len < 2 || v.ptr[0] != 'p' ||
		    (from = (unsigned)atoi(v.ptr + 1)) >= res_count()) {
			proto_error(r, c, -32602, "Invalid cursor");
			return;
		}
	}
	result_open(r, c);
	resp_printf(r, "{\"resources\":[");
	unsigned i = from;
	for (; i < res_count() && i < from + PAGE; i++) {
		const struct res *x = res_at(i);
		resp_printf(r,
			    "%s{\"uri\":\"%s\",\"name\":\"%s\",\"title\":\"%s\",\"mimeType\":"
			    "\"text/markdown\",\"size\":%zu}",
			    i > from ? "," : "", x->uri, x->name, x->title, x->len);
	}
	resp_printf(r, "]");
	if (i < res_count())
		resp_printf(r, ",\"nextCursor\":\"p%u\"", i);
	result_close(r, c, true);
}

static void resources_read(const struct call *c, const struct fault_cfg *f, struct resp *r)
{
	struct jsc_val v;
	struct res *x = NULL;
	char uri[256];
	long n = -1;
	if (jsc_get(c->body, c->len, "params.uri", &v) == 0 && v.type == JSC_STRING)
		n = jsc_unescape(&v, uri, sizeof(uri)); /* "templates:\/\/prd" is the same uri */
	if (n > 0)
		x = res_find_uri(uri, (size_t)n);
	if (!x) {
		/* 2026-07-28 renamed -32002 Resource not found to -32602 */
		proto_error(r, c, c->modern ? -32602 : -32002, "Resource not found");
		return;
	}
	bool hit = res_read_hits(x, clock_now_ns(), f->cache_ttl_ns);
	result_open(r, c);
	resp_printf(r, "{\"contents\":[{\"uri\":\"%s\",\"mimeType\":\"text/markdown\",\"text\":\"",
		    x->uri);
	resp_json_str(r, x->text, x->len);
	resp_printf(r, "\"}]");
	result_close(r, c, true);
	r->xcache = hit ? "HIT" : "MISS";
	r->res_type = (int)x->type;
	if (!hit)
		r->extra_delay_ns = f->miss_delay_ns;
}

static void templates_list(const struct call *c, struct resp *r)
{
	result_open(r, c);
	resp_printf(
	    r, "{\"resourceTemplates\":[{\"uriTemplate\":\"patterns://python/{name}\","
	       "\"name\":\"patterns\",\"mimeType\":\"text/markdown\"},{\"uriTemplate\":"
	       "\"templates://{type}\",\"name\":\"templates\",\"mimeType\":\"text/markdown\"}]");
	result_close(r, c, true);
}

/* The method itself, once the request is admitted. */
static void dispatch(const struct call *c, const struct fault_cfg *f, uint64_t *rng, struct resp *r)
{
	const struct jsc_val *m = &c->method;
	struct jsc_val v, args;
	if (jsc_is(m, "initialize")) {
		initialize(c, rng, r);
	} else if (jsc_is(m, "ping") && !c->modern) {
		result_open(r, c);
		resp_printf(r, "{");
		result_close(r, c, false);
	} else if (jsc_is(m, "server/discover") && c->modern) {
		result_open(r, c);
		resp_printf(r,
			    "{\"supportedVersions\":[\"" MODERN "\"],\"capabilities\":%s,"
			    "\"instructions\":\"Reference SDLC MCP server for mcpload.\"",
			    capabilities);
		result_close(r, c, true);
	} else if (jsc_is(m, "tools/list")) {
		result_open(r, c);
		resp_printf(r, "{\"tools\":");
		tool_list(r);
		result_close(r, c, true);
	} else if (jsc_is(m, "tools/call")) {
		if (!param_name(c, r, &v))
			return;
		bool has_args = jsc_get(c->body, c->len, "params.arguments", &args) == 0 &&
				args.type == JSC_OBJECT;
		result_open(r, c);
		r->tool = tool_index(v.ptr, v.len);
		r->extra_delay_ns = tool_call(v.ptr, v.len, has_args ? args.ptr : NULL,
					      has_args ? args.len : 0, f->slow_tool, r);
		r->len--; /* reopen the CallToolResult for result_close */
		result_close(r, c, false);
	} else if (jsc_is(m, "resources/list")) {
		resources_list(c, r);
	} else if (jsc_is(m, "resources/read")) {
		resources_read(c, f, r);
	} else if (jsc_is(m, "resources/templates/list")) {
		templates_list(c, r);
	} else if (jsc_is(m, "prompts/list")) {
		result_open(r, c);
		resp_printf(r, "{\"prompts\":");
		tool_prompt_list(r);
		result_close(r, c, true);
	} else if (jsc_is(m, "prompts/get")) {
		char why[160];
		if (!param_name(c, r, &v))
			return;
		bool has_args = jsc_get(c->body, c->len, "params.arguments", &args) == 0 &&
				args.type == JSC_OBJECT;
		result_open(r, c);
		if (tool_prompt_get(v.ptr, v.len, has_args ? args.ptr : NULL,
				    has_args ? args.len : 0, r, why, sizeof(why)) < 0) {
			/* unknown prompt or bad arguments: Invalid params, as the SDK */
			proto_error(r, c, -32602, why);
			return;
		}
		r->len--;
		result_close(r, c, false);
	} else {
		/* 2026-07-28: HTTP 404 for an unknown method; legacy: inside a 200 */
		rpc_error(r, c->modern ? 404 : 200, c, -32601, "Method not found", NULL);
	}
}

/* The name a modern request must carry in Mcp-Name, or NULL if none. */
static const char *name_field(const struct jsc_val *m)
{
	if (jsc_is(m, "tools/call") || jsc_is(m, "prompts/get"))
		return "params.name";
	if (jsc_is(m, "resources/read"))
		return "params.uri";
	return NULL;
}

/* Decode standard base64 (padding optional); -1 on a bad character or
 * when cap is too small. */
static long unbase64(const char *p, size_t len, char *out, size_t cap)
{
	uint32_t acc = 0;
	unsigned bits = 0;
	size_t n = 0;
	for (size_t i = 0; i < len && p[i] != '='; i++) {
		const char *a = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
		const char *c = memchr(a, p[i], 64);
		if (!c)
			return -1;
		acc = acc << 6 | (uint32_t)(c - a);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			if (n == cap)
				return -1;
			out[n++] = (char)(acc >> bits & 0xff);
		}
	}
	return (long)n;
}

/* The Mcp-Name value names the body's (decoded) name: as it is, or as
 * "=?base64?...?=" for names that are not visible ASCII. */
static bool name_matches(const struct h1q_header *mn, const struct jsc_val *n)
{
	char want[256], got[256];
	long wl = jsc_unescape(n, want, sizeof(want)), gl;
	const char *v = mn->value.ptr;
	size_t vl = mn->value.len;
	if (wl < 0)
		return false;
	if (vl >= 11 && !memcmp(v, "=?base64?", 9) && !memcmp(v + vl - 2, "?=", 2)) {
		gl = unbase64(v + 9, vl - 11, got, sizeof(got));
	} else if (vl <= sizeof(got)) {
		memcpy(got, v, vl);
		gl = (long)vl;
	} else {
		return false;
	}
	return gl == wl && memcmp(got, want, (size_t)wl) == 0;
}

/* 2026-07-28 admission: version, then headers against the body, then the
 * _meta envelope. Returns false when an error answer was written. */
static bool admit_modern(const struct h1q_req *q, struct call *c, struct resp *r)
{
	struct jsc_val meta, v, n;
	char data[256];
	const struct h1q_header *pv = hdr(q, "MCP-Protocol-Version"), *mm, *mn;
	bool has_meta =
	    jsc_get(c->body, c->len, "params._meta", &meta) == 0 && meta.type == JSC_OBJECT;
	bool has_v =
	    has_meta &&
	    jsc_member(meta.ptr, meta.len, "io.modelcontextprotocol/protocolVersion", &v) == 0 &&
	    v.type == JSC_STRING;
	if ((has_v && !jsc_is(&v, MODERN)) || (pv && !hdr_is(pv, MODERN))) {
		const struct jsc_val *asked = has_v ? &v : NULL;
		snprintf(data, sizeof(data),
			 "{\"supported\":[\"" MODERN "\"],\"requested\":\"%.*s\"}",
			 asked ? (int)asked->len : (int)pv->value.len,
			 asked ? asked->ptr : pv->value.ptr);
		rpc_error(r, 400, c, -32022, "Unsupported protocol version", data);
		return false;
	}
	mm = hdr(q, "Mcp-Method");
	if (!mm || mm->value.len != c->method.len ||
	    memcmp(mm->value.ptr, c->method.ptr, c->method.len) != 0) {
		rpc_error(
		    r, 400, c, -32020,
		    "Bad Request: the Mcp-Method header is missing or disagrees with the body",
		    NULL);
		return false;
	}
	const char *field = name_field(&c->method);
	if (field && jsc_get(c->body, c->len, field, &n) == 0 && n.type == JSC_STRING) {
		mn = hdr(q, "Mcp-Name");
		if (!mn || !name_matches(mn, &n)) {
			rpc_error(r, 400, c, -32020,
				  "Bad Request: the Mcp-Name header is missing or disagrees with "
				  "the body",
				  NULL);
			return false;
		}
	}
	if (!has_v ||
	    jsc_member(meta.ptr, meta.len, "io.modelcontextprotocol/clientCapabilities", &v) != 0) {
		rpc_error(r, 400, c, -32602, "Invalid _meta envelope", NULL);
		return false;
	}
	snprintf(c->version, sizeof(c->version), MODERN);
	return true;
}

/* Legacy admission: initialize makes a session; everything else needs a
 * live one, and the negotiated version in MCP-Protocol-Version if sent. */
static bool admit_legacy(const struct h1q_req *q, struct call *c, struct resp *r)
{
	const struct h1q_header *sid = hdr(q, "Mcp-Session-Id"), *pv;
	char ver[11];
	if (jsc_is(&c->method, "initialize")) {
		if (sid && find_session(sid, ver, false)) {
			rpc_error(r, 400, c, -32600, "Invalid Request: Server already initialized",
				  NULL);
			return false;
		}
		negotiate(c);
		return true;
	}
	if (!sid) {
		rpc_error(r, 400, c, -32000, "Bad Request: Mcp-Session-Id header is required",
			  NULL);
		return false;
	}
	if (!find_session(sid, ver, false)) {
		rpc_error(r, 404, c, -32001, "Session not found", NULL);
		return false;
	}
	pv = hdr(q, "MCP-Protocol-Version");
	if (pv && !hdr_is(pv, ver)) {
		rpc_error(r, 400, c, -32000, "Bad Request: Unsupported protocol version", NULL);
		return false;
	}
	memcpy(c->version, ver, sizeof(ver));
	memcpy(r->session, sid->value.ptr, 32);
	r->session[32] = 0;
	return true;
}

/* Re-frame a 200 JSON answer as an SSE stream: a priming event (an id and
 * empty data, 2025-11-25 and later), then the response as `event: message`. */
static void to_sse(struct resp *r, const struct call *c)
{
	char *json = malloc(r->len + 1);
	size_t n = r->len;
	struct jsc_val tok;
	if (!json)
		return; /* stays JSON: still a valid answer */
	memcpy(json, r->body, n);
	json[n] = 0;
	r->len = 0;
	r->ctype = "text/event-stream";
	if (strcmp(c->version, "2025-11-25") >= 0)
		resp_printf(r, "id: 0\ndata: \n\n");
	/* a request with a progress token gets two progress events first
	 * (lifecycle, "Progress"); the token is echoed as it came */
	if (jsc_get(c->body, c->len, "params._meta.progressToken", &tok) == 0 &&
	    (tok.type == JSC_STRING || tok.type == JSC_NUMBER)) {
		for (int step = 1; step <= 2; step++)
			resp_printf(
			    r,
			    "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":"
			    "\"notifications/progress\",\"params\":{\"progressToken\":%s%.*s%s,"
			    "\"progress\":%d,\"total\":2}}\n\n",
			    tok.type == JSC_STRING ? "\"" : "", (int)tok.len, tok.ptr,
			    tok.type == JSC_STRING ? "\"" : "", step);
	}
	resp_printf(r, "event: message\nid: 1\ndata: %s\n\n", json);
	free(json);
}

void mcp_handle(const struct h1q_req *q, const char *body, size_t len, const struct fault_cfg *f,
		uint64_t *rng, struct resp *r)
{
	struct call c = {.body = body, .len = len};
	const struct h1q_header *acc = hdr(q, "Accept"), *ct = hdr(q, "Content-Type");
	bool post = q->method.len == 4 && memcmp(q->method.ptr, "POST", 4) == 0;
	bool del = q->method.len == 6 && memcmp(q->method.ptr, "DELETE", 6) == 0;
	char ver[11];

	r->group = FG_MCP;
	r->session[0] = 0;
	if (del && hdr(q, "Mcp-Session-Id")) {
		bool ok = find_session(hdr(q, "Mcp-Session-Id"), ver, true);
		r->status = ok ? 200 : 404;
		r->ctype = "application/json";
		r->len = 0;
		if (!ok)
			rpc_error(r, 404, NULL, -32001, "Session not found", NULL);
		return;
	}
	if (!post) {
		r->allow = "POST, DELETE";
		rpc_error(r, 405, NULL, -32000, "Method not allowed.", NULL);
		return;
	}
	if (!hdr_has(acc, "application/json") || !hdr_has(acc, "text/event-stream")) {
		rpc_error(r, 406, NULL, -32000,
			  "Not Acceptable: Client must accept both "
			  "application/json and text/event-stream",
			  NULL);
		return;
	}
	if (!ct || ct->value.len < 16 || strncasecmp(ct->value.ptr, "application/json", 16) != 0) {
		rpc_error(r, 415, NULL, -32000,
			  "Unsupported Media Type: Content-Type must be "
			  "application/json",
			  NULL);
		return;
	}
	if (jsc_get(body, len, "", &c.params) != 0 || c.params.type != JSC_OBJECT) {
		rpc_error(r, 400, NULL, -32700, "Parse error", NULL);
		return;
	}
	c.has_id = jsc_get(body, len, "id", &c.id) == 0 &&
		   (c.id.type == JSC_STRING || c.id.type == JSC_NUMBER);
	c.has_params = jsc_get(body, len, "params", &c.params) == 0;
	if (jsc_get(body, len, "method", &c.method) != 0 || c.method.type != JSC_STRING) {
		if (jsc_get(body, len, "result", &c.params) == 0 ||
		    jsc_get(body, len, "error", &c.params) == 0) {
			r->status = 202; /* a response to a server request: accepted */
			r->len = 0;
			return;
		}
		rpc_error(r, 400, &c, -32600, "Invalid Request", NULL);
		return;
	}
	struct jsc_val meta, v;
	c.modern =
	    hdr_is(hdr(q, "MCP-Protocol-Version"), MODERN) ||
	    (jsc_get(body, len, "params._meta", &meta) == 0 && meta.type == JSC_OBJECT &&
	     jsc_member(meta.ptr, meta.len, "io.modelcontextprotocol/protocolVersion", &v) == 0);
	if (!c.has_id) { /* a notification */
		r->status = 202;
		r->ctype = NULL;
		r->len = 0;
		return;
	}
	if (c.modern ? !admit_modern(q, &c, r) : !admit_legacy(q, &c, r))
		return;
	dispatch(&c, f, rng, r);
	bool sse = f->response_mode == MCP_SSE ||
		   (f->response_mode == MCP_MIXED && atomic_fetch_add(&mixed_turn, 1) % 2);
	if (r->status == 200 && sse) {
		to_sse(r, &c);
		/* the stream is left open after the response: the client must
		 * take the response from its event, not wait for the end */
		if (f->bug_sse_open)
			r->chunked = r->open_stream = true;
	}
}
