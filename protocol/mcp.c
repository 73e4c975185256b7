/*
 * mcp: request text for both eras and one-pass reading of JSON-RPC
 * messages. The body shapes follow mcp-wire.md sections 3 and 4: capabilities
 * {} (so servers never send us roots/sampling/elicitation requests), the
 * modern _meta keys, Mcp-Name taken from params.name or params.uri.
 */
#include "protocol/mcp.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const legacy_versions[] = {"2025-03-26", "2025-06-18", "2025-11-25"};

enum mcp_era mcp_version_era(const char *v, size_t len)
{
	if (len == strlen(MCP_VERSION_MODERN) && memcmp(v, MCP_VERSION_MODERN, len) == 0)
		return MCP_ERA_MODERN;
	for (size_t i = 0; i < sizeof(legacy_versions) / sizeof(legacy_versions[0]); i++)
		if (len == strlen(legacy_versions[i]) && memcmp(v, legacy_versions[i], len) == 0)
			return MCP_ERA_LEGACY;
	return MCP_ERA_NONE;
}

enum mcp_kind mcp_kind_of(const char *method)
{
	if (!strcmp(method, "tools/call"))
		return MCP_K_CALL;
	if (!strcmp(method, "prompts/get"))
		return MCP_K_PROMPT;
	if (!strcmp(method, "resources/read"))
		return MCP_K_READ;
	if (!strcmp(method, "ping"))
		return MCP_K_PING;
	if (!strcmp(method, "initialize"))
		return MCP_K_INITIALIZE;
	if (!strcmp(method, "notifications/initialized"))
		return MCP_K_INITIALIZED;
	return MCP_K_PLAIN;
}

/* snprintf that appends and remembers running out of room. */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;
	if (*len >= cap)
		return;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	*len = n < 0 ? cap : *len + (size_t)n;
}

static int done(size_t len, size_t cap)
{
	return len < cap ? (int)len : -1;
}

static void put_meta(char *buf, size_t cap, size_t *len, const struct mcp_req *r, bool comma)
{
	put(buf, cap, len,
	    "%s\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"" MCP_VERSION_MODERN "\","
	    "\"io.modelcontextprotocol/clientInfo\":{\"name\":\"mcpload\",\"version\":\"%s\"},"
	    "\"io.modelcontextprotocol/clientCapabilities\":{}}",
	    comma ? "," : "", r->client_version);
}

int mcp_body_src(char *buf, size_t cap, const struct mcp_req *r)
{
	size_t len = 0;
	bool modern = r->era == MCP_ERA_MODERN;
	const char *args = r->args ? r->args : "{}";
	enum mcp_kind k = mcp_kind_of(r->method);

	if (k == MCP_K_INITIALIZED) {
		put(buf, cap, &len, "{\"jsonrpc\":\"2.0\",\"method\":\"%s\"}", r->method);
		return done(len, cap);
	}
	put(buf, cap, &len, "{\"jsonrpc\":\"2.0\",\"id\":%s,\"method\":\"%s\"", r->id, r->method);
	switch (k) {
	case MCP_K_INITIALIZE:
		put(buf, cap, &len,
		    ",\"params\":{\"protocolVersion\":\"%s\",\"capabilities\":{},"
		    "\"clientInfo\":{\"name\":\"mcpload\",\"version\":\"%s\"}}",
		    r->version, r->client_version);
		break;
	case MCP_K_CALL:
	case MCP_K_PROMPT:
		put(buf, cap, &len, ",\"params\":{\"name\":\"%s\",\"arguments\":%s", r->name, args);
		if (modern)
			put_meta(buf, cap, &len, r, true);
		put(buf, cap, &len, "}");
		break;
	case MCP_K_READ:
		put(buf, cap, &len, ",\"params\":{\"uri\":\"%s\"", r->name);
		if (modern)
			put_meta(buf, cap, &len, r, true);
		put(buf, cap, &len, "}");
		break;
	case MCP_K_PLAIN: {
		/* the step's params object, _meta spliced in before its end */
		size_t n = strlen(args);
		while (n && (args[n - 1] == ' ' || args[n - 1] == '\n'))
			n--;
		if (n < 2 || args[0] != '{' || args[n - 1] != '}')
			return -1;
		bool empty = strspn(args + 1, " \n") == n - 2;
		put(buf, cap, &len, ",\"params\":%.*s", (int)(n - 1), args);
		if (modern)
			put_meta(buf, cap, &len, r, !empty);
		put(buf, cap, &len, "}");
		break;
	}
	case MCP_K_PING:
		if (modern)
			return -1; /* 2026-07-28 removed ping */
		break;
	case MCP_K_INITIALIZED:
		break;
	}
	put(buf, cap, &len, "}");
	return done(len, cap);
}

int mcp_name_header(const char *name, size_t len, char *out, size_t cap)
{
	static const char b64[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)name;
	bool plain = len > 0 && p[0] != ' ' && p[len - 1] != ' ';
	size_t n = 0;
	for (size_t i = 0; i < len && plain; i++)
		plain = p[i] >= 0x20 && p[i] <= 0x7e;
	if (plain) {
		if (len + 1 > cap)
			return -1;
		memcpy(out, name, len);
		out[len] = 0;
		return (int)len;
	}
	if (11 + (len + 2) / 3 * 4 + 1 > cap)
		return -1;
	memcpy(out, "=?base64?", 9);
	n = 9;
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < len ? (uint32_t)p[i + 1] << 8 : 0) |
			     (i + 2 < len ? p[i + 2] : 0);
		out[n++] = b64[v >> 18 & 63];
		out[n++] = b64[v >> 12 & 63];
		out[n++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		out[n++] = i + 2 < len ? b64[v & 63] : '=';
	}
	memcpy(out + n, "?=", 3);
	return (int)(n + 2);
}

int mcp_header_src(char *buf, size_t cap, const struct mcp_req *r)
{
	size_t len = 0;
	enum mcp_kind k = mcp_kind_of(r->method);
	put(buf, cap, &len, "Accept: " MCP_ACCEPT "\r\n");
	if (r->era == MCP_ERA_MODERN) {
		put(buf, cap, &len,
		    "MCP-Protocol-Version: " MCP_VERSION_MODERN "\r\nMcp-Method: %s\r\n",
		    r->method);
		if (k == MCP_K_CALL || k == MCP_K_PROMPT || k == MCP_K_READ) {
			char enc[512];
			const char *v = r->header_name;
			if (!v && mcp_name_header(r->name, strlen(r->name), enc, sizeof(enc)) < 0)
				return -1;
			put(buf, cap, &len, "Mcp-Name: %s\r\n", v ? v : enc);
		}
	} else if (k != MCP_K_INITIALIZE) {
		put(buf, cap, &len, "MCP-Protocol-Version: %s\r\n%s", r->version,
		    r->session_line ? r->session_line : "");
	}
	return done(len, cap);
}

int mcp_msg_parse(const char *p, size_t len, struct mcp_msg *m)
{
	static const char *const paths[] = {"id",    "method",	   "result",
					    "error", "error.code", "result.isError"};
	struct jsc_val v[6];
	unsigned f = 0;
	size_t i = 0;
	memset(m, 0, sizeof(*m));
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
		i++;
	if (i == len || p[i] != '{' || jsc_get_n(p, len, paths, 6, v, &f) < 0)
		return -1;
	m->has_id = f & 1;
	if (m->has_id)
		m->id = v[0];
	if (f & 2) {
		if (v[1].type != JSC_STRING)
			return -1;
		m->method = v[1];
		m->kind = m->has_id ? MCP_MSG_REQUEST : MCP_MSG_NOTIFICATION;
		return 0;
	}
	/* a response has result or error, never both; an error's code is an
	 * integer (JSON-RPC 2.0, 5): anything else is not JSON-RPC */
	if (!m->has_id || !(f & (4 | 8)) || (f & 12) == 12)
		return -1;
	m->kind = MCP_MSG_RESPONSE;
	m->rpc_error = (f & 8) != 0;
	if (m->rpc_error && (!(f & 16) || jsc_int(&v[4], &m->code) < 0))
		return -1;
	m->tool_error = (f & 32) && v[5].type == JSC_TRUE;
	return 0;
}

/* A string value unescaped into out after a prefix; the length. */
static size_t said(const char *prefix, const struct jsc_val *v, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s", prefix);
	if (n < 0 || (size_t)n >= cap)
		return 0;
	long k = v && v->type == JSC_STRING ? jsc_unescape(v, out + n, cap - (size_t)n - 1) : -1;
	if (k < 0) /* too long to unescape whole: the start of it as written */
		k = v ? (long)snprintf(out + n, cap - (size_t)n, "%.*s", (int)v->len, v->ptr) : 0;
	if (k < 0 || (size_t)n + (size_t)k >= cap)
		k = (long)(cap - (size_t)n - 1);
	out[n + k] = 0;
	/* one line of text whatever the server sent: NUL, newlines and other
	 * control bytes (escaped or not) become spaces */
	for (long i = n; i < n + k; i++)
		if ((unsigned char)out[i] < 0x20)
			out[i] = ' ';
	return (size_t)n + (size_t)k;
}

size_t mcp_msg_text(const char *p, size_t len, const struct mcp_msg *m, char *out, size_t cap)
{
	struct jsc_val v, item;
	char prefix[48];
	if (!cap)
		return 0;
	out[0] = 0;
	if (m->kind != MCP_MSG_RESPONSE)
		return 0;
	if (m->rpc_error) {
		snprintf(prefix, sizeof(prefix), "JSON-RPC %lld: ", (long long)m->code);
		return said(prefix, jsc_get(p, len, "error.message", &v) == 0 ? &v : NULL, out,
			    cap);
	}
	if (!m->tool_error)
		return 0;
	if (jsc_get(p, len, "result.content", &v) == 0 && v.type == JSC_ARRAY) {
		size_t pos = 0;
		while (jsc_next(&v, &pos, NULL, &item) == 0) {
			struct jsc_val t;
			if (jsc_get(item.ptr, item.len, "text", &t) == 0 && t.type == JSC_STRING)
				return said("tool error: ", &t, out, cap);
		}
	}
	return said("tool error: ", NULL, out, cap);
}

bool mcp_msg_id_is(const struct mcp_msg *m, uint64_t id)
{
	char d[24];
	int n = snprintf(d, sizeof(d), "%llu", (unsigned long long)id);
	if (!m->has_id || (m->id.type != JSC_NUMBER && m->id.type != JSC_STRING))
		return false;
	return m->id.len == (size_t)n && memcmp(m->id.ptr, d, (size_t)n) == 0;
}
