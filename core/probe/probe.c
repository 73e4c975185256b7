/*
 * probe: a small blocking HTTP/1.1 exchange (one connection per request,
 * Connection: close) reusing the engine's response parser and SSE parser.
 * Runs once before the load, so it may allocate and block.
 */
#include "core/probe/probe.h"

#include <errno.h>
#include <netdb.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <arpa/inet.h>

#include "core/engine/clock.h"
#include "protocol/h1p.h"
#include "protocol/sse.h"
#include "protocol/tlsc.h"
#include "core/probe/pio.h"

#define BODY_MAX    PROBE_BODY_MAX
#define SESSION_MAX 256u /* a session id we can echo (the users keep as much) */

static int fail(char *why, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, n, fmt, ap);
	va_end(ap);
	return -EPROTO;
}

static void on_header(void *ctx, const char *name, size_t nlen, const char *val, size_t vlen,
		      bool last)
{
	struct probe_answer *a = ctx;
	(void)last;
	if (nlen == 12 && memcmp(name, "content-type", 12) == 0)
		a->sse |= vlen >= 17 && strncasecmp(val, "text/event-stream", 17) == 0;
	if (nlen == 14 && memcmp(name, "mcp-session-id", 14) == 0) {
		/* visible ASCII only (0x21-0x7e), and no longer than we echo */
		a->session_bad |= a->session_len + vlen >= sizeof(a->session);
		for (size_t i = 0; i < vlen && !a->session_bad; i++)
			a->session_bad =
			    (unsigned char)val[i] < 0x21 || (unsigned char)val[i] > 0x7e;
		if (!a->session_bad) {
			memcpy(a->session + a->session_len, val, vlen);
			a->session_len += vlen;
		}
	}
}

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct probe_answer *a = ctx;
	struct mcp_msg m;
	if (a->msg || mcp_msg_parse(ev->data, ev->data_len, &m) < 0 || m.kind != MCP_MSG_RESPONSE ||
	    !mcp_msg_id_is(&m, a->want_id))
		return;
	a->msg = malloc(ev->data_len ? ev->data_len : 1);
	if (a->msg) {
		memcpy(a->msg, ev->data, ev->data_len);
		a->msg_len = ev->data_len;
	}
}

static void on_body(void *ctx, const char *p, size_t len)
{
	struct probe_answer *a = ctx;
	if (a->len + len > BODY_MAX) {
		a->over = true;
		return;
	}
	memcpy(a->body + a->len, p, len);
	a->len += len;
	/* events are read as they come: a server may keep the stream open
	 * after the response (on_event sets a->msg) */
	if (a->sse && !a->ev && (a->ev = malloc(BODY_MAX)) != NULL)
		sse_init(&a->stream, a->ev, BODY_MAX);
	if (a->sse && a->ev && !a->msg)
		(void)sse_feed(&a->stream, p, len, on_event, a);
}

/* Send req, read the whole response into *a. Returns 0 or -errno. */
static int exchange(const struct probe_peer *peer, const char *req, size_t len,
		    struct probe_answer *a)
{
	uint64_t deadline = clock_now_ns() + peer->timeout_ns;
	struct h1p parser;
	struct h1p_sink sink = {on_header, on_body, a};
	char buf[16384];
	struct pio io;
	int r = pio_open(&io, (const struct sockaddr *)&peer->addr, peer->addr_len, peer->tls,
			 peer->connect_timeout_ns, deadline);
	if (r == 0)
		r = pio_send(&io, req, len);
	h1p_reset(&parser, false);
	while (r == 0) {
		ssize_t n = pio_recv(&io, buf, sizeof(buf));
		if (n < 0) {
			r = (int)n;
			break;
		}
		if (n == 0) {
			r = h1p_eof(&parser) == 0 || a->msg ? 0 : -ECONNRESET;
			break;
		}
		ssize_t k = h1p_feed(&parser, buf, (size_t)n, &sink);
		if (k == H1P_AGAIN && !a->msg)
			continue;
		if (k == H1P_AGAIN)
			break; /* the response event came: the rest of the stream is not needed */
		r = k == n ? 0 : -EPROTO;
		break;
	}
	a->status = parser.status;
	if (r == -EPROTO && io.why[0])
		snprintf(a->fail, sizeof(a->fail), "%s", io.why);
	pio_close(&io);
	return r;
}

/* The message in the answer: the body, or the SSE event with the id. */
static void find_message(struct probe_answer *a)
{
	if (!a->sse) {
		a->msg = a->body;
		a->msg_len = a->len;
	} /* SSE: on_body found it as the events came, or there is none */
}

void probe_answer_free(struct probe_answer *a)
{
	if (a->msg != a->body)
		free(a->msg);
	free(a->body);
	free(a->ev);
	memset(a, 0, sizeof(*a));
}

int probe_post(const struct probe_peer *peer, const char *path, const char *hdrs, const char *body,
	       uint64_t id, struct probe_answer *a)
{
	const char *user = peer->headers ? peer->headers : "";
	char *req = malloc(strlen(hdrs) + strlen(user) + strlen(body) + 1024);
	int n, r;
	memset(a, 0, sizeof(*a));
	a->want_id = id;
	a->body = malloc(BODY_MAX);
	if (!req || !a->body) {
		free(req);
		return -ENOMEM;
	}
	if (body[0])
		n = sprintf(req,
			    "POST %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mcpload/" MCPL_VERSION
			    "\r\nConnection: close\r\n%s%sContent-Type: application/json\r\n"
			    "Content-Length: %zu\r\n\r\n%s",
			    path, peer->authority, user, hdrs, strlen(body), body);
	else
		n = sprintf(req,
			    "DELETE %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mcpload/" MCPL_VERSION
			    "\r\nConnection: close\r\n%s%s\r\n",
			    path, peer->authority, user, hdrs);
	r = exchange(peer, req, (size_t)n, a);
	free(req);
	if (r == 0 && !a->over)
		find_message(a);
	return r;
}

/* serverInfo from a legacy result or a modern result's _meta. */
static void server_info(const struct probe_answer *a, struct mcp_server *out)
{
	struct jsc_val meta, v;
	const char *info = NULL;
	size_t len = 0;
	if (jsc_get(a->msg, a->msg_len, "result.serverInfo", &v) == 0 && v.type == JSC_OBJECT) {
		info = v.ptr;
		len = v.len;
	} else if (jsc_get(a->msg, a->msg_len, "result._meta", &meta) == 0 &&
		   jsc_member(meta.ptr, meta.len, "io.modelcontextprotocol/serverInfo", &v) == 0 &&
		   v.type == JSC_OBJECT) {
		info = v.ptr;
		len = v.len;
	}
	if (info && jsc_get(info, len, "name", &v) == 0 && v.type == JSC_STRING) {
		long n = jsc_unescape(&v, out->server_name, sizeof(out->server_name) - 1);
		out->server_name[n > 0 ? n : 0] = 0;
	}
	if (info && jsc_get(info, len, "version", &v) == 0 && v.type == JSC_STRING) {
		long n = jsc_unescape(&v, out->server_version, sizeof(out->server_version) - 1);
		out->server_version[n > 0 ? n : 0] = 0;
	}
}

/* Why an exchange failed, named: no answer at all, or an answer whose
 * JSON-RPC response never came (an SSE stream left open). a is freed. */
static int unanswered(const struct probe_peer *peer, const char *path, int r,
		      struct probe_answer *a, char *why, size_t wl)
{
	unsigned st = a->status;
	bool sse = a->sse;
	char tls[sizeof(a->fail)];
	snprintf(tls, sizeof(tls), "%s", a->fail);
	probe_answer_free(a);
	if (tls[0])
		return fail(why, wl, "MCP endpoint %s%s: %s", peer->addr_text, path, tls);
	if (r == -ETIMEDOUT && st)
		return fail(why, wl,
			    "MCP endpoint %s%s: HTTP %u%s, but no JSON-RPC response within %.0f s",
			    peer->addr_text, path, st, sse ? " with an event stream" : "",
			    (double)peer->timeout_ns / 1e9);
	return fail(why, wl, "MCP endpoint %s%s: %s", peer->addr_text, path, strerror(-r));
}

static int try_modern(const struct probe_peer *peer, const char *path, struct mcp_server *out,
		      bool *fall_back, char *why, size_t wl)
{
	char hdrs[512], body[1024];
	struct mcp_req rq = {MCP_ERA_MODERN, "server/discover", NULL, NULL, "1", NULL,
			     NULL,	     MCPL_VERSION};
	struct probe_answer a;
	struct mcp_msg m;
	int r;
	mcp_header_src(hdrs, sizeof(hdrs), &rq);
	mcp_body_src(body, sizeof(body), &rq);
	r = probe_post(peer, path, hdrs, body, 1, &a);
	out->probe_requests++;
	if (r < 0)
		return unanswered(peer, path, r, &a, why, wl);
	*fall_back = true;
	if (a.status == 200 && a.msg && mcp_msg_parse(a.msg, a.msg_len, &m) == 0 &&
	    m.kind == MCP_MSG_RESPONSE && mcp_msg_id_is(&m, 1) && !m.rpc_error) {
		*fall_back = false;
		out->era = MCP_ERA_MODERN;
		strcpy(out->version, MCP_VERSION_MODERN);
		server_info(&a, out);
	}
	probe_answer_free(&a);
	return 0;
}

static int try_legacy(const struct probe_peer *peer, const char *path, const char *offer,
		      struct mcp_server *out, char *why, size_t wl)
{
	char hdrs[512], body[1024], line[SESSION_MAX + 64];
	struct mcp_req rq = {MCP_ERA_LEGACY, "initialize", NULL,	NULL, "1",
			     offer,	     NULL,	   MCPL_VERSION};
	struct probe_answer a;
	struct mcp_msg m = {0};
	struct jsc_val v;
	int r;
	mcp_header_src(hdrs, sizeof(hdrs), &rq);
	mcp_body_src(body, sizeof(body), &rq);
	r = probe_post(peer, path, hdrs, body, 1, &a);
	out->probe_requests++;
	if (r < 0)
		return unanswered(peer, path, r, &a, why, wl);
	if (a.status != 200 || !a.msg || mcp_msg_parse(a.msg, a.msg_len, &m) < 0 ||
	    m.kind != MCP_MSG_RESPONSE || m.rpc_error) {
		char said[160] = "";
		if (a.msg && jsc_get(a.msg, a.msg_len, "error.message", &v) == 0 &&
		    v.type == JSC_STRING) {
			long n = jsc_unescape(&v, said + 2, sizeof(said) - 3);
			if (n > 0) {
				memcpy(said, ": ", 2);
				said[n + 2] = 0;
				for (long i = 2; i < n + 2; i++)
					if ((unsigned char)said[i] < 0x20)
						said[i] = ' '; /* one line, whatever it sent */
			}
		}
		r = fail(why, wl, "%s%s refused MCP %s: initialize got HTTP %u%s%s",
			 peer->authority, path, offer, a.status,
			 a.status == 200 && !m.rpc_error ? " without a JSON-RPC result" : "", said);
	} else if (jsc_get(a.msg, a.msg_len, "result.protocolVersion", &v) != 0 ||
		   v.type != JSC_STRING || mcp_version_era(v.ptr, v.len) != MCP_ERA_LEGACY) {
		r = fail(why, wl,
			 "the server offers protocol version %.*s, which mcpload does "
			 "not speak",
			 v.type == JSC_STRING ? (int)(v.len > 20 ? 20 : v.len) : 1,
			 v.type == JSC_STRING ? v.ptr : "?");
	} else if (a.session_bad) {
		r = fail(why, wl,
			 "%s%s answered initialize with an Mcp-Session-Id that is not visible "
			 "ASCII or is longer than %u bytes: no session to keep",
			 peer->authority, path, SESSION_MAX - 1);
	} else {
		out->era = MCP_ERA_LEGACY;
		memcpy(out->version, v.ptr, v.len);
		out->version[v.len] = 0;
		out->stateless = a.session_len == 0;
		server_info(&a, out);
	}
	if (r == 0 && a.session_len) {
		/* end the probe's session: it must not count against the server */
		struct probe_answer d;
		snprintf(line, sizeof(line), "MCP-Protocol-Version: %s\r\nMcp-Session-Id: %.*s\r\n",
			 out->version, (int)a.session_len, a.session);
		(void)probe_post(peer, path, line, "", 1, &d);
		out->probe_requests++;
		probe_answer_free(&d);
	}
	probe_answer_free(&a);
	return r;
}

int probe_mcp(const struct probe_peer *peer, const char *path, const char *want,
	      struct mcp_server *out, char *why, size_t wl)
{
	bool fall_back = true;
	memset(out, 0, sizeof(*out));
	if (want && strcmp(want, "auto") != 0) {
		enum mcp_era e = mcp_version_era(want, strlen(want));
		if (e == MCP_ERA_NONE)
			return fail(why, wl,
				    "--mcp-version: mcpload speaks 2025-03-26, 2025-06-18, "
				    "2025-11-25 and " MCP_VERSION_MODERN ", not '%s'",
				    want);
		if (e == MCP_ERA_MODERN) {
			int r = try_modern(peer, path, out, &fall_back, why, wl);
			if (r == 0 && fall_back)
				return fail(why, wl,
					    "the server does not answer MCP " MCP_VERSION_MODERN
					    " requests at %s",
					    path);
			return r;
		}
		return try_legacy(peer, path, want, out, why, wl);
	}
	int r = try_modern(peer, path, out, &fall_back, why, wl);
	if (r < 0 || !fall_back)
		return r;
	return try_legacy(peer, path, MCP_VERSION_LEGACY, out, why, wl);
}

int probe_get(const char *url, const char *headers, const struct tlsc *tls, uint64_t timeout_ns,
	      char **body, size_t *len, char *why, size_t wl)
{
	struct tlsc own;
	struct probe_peer peer;
	struct url u;
	const char *uwhy = NULL;
	char req[16384];
	struct probe_answer a;
	int r;
	if (url_parse(&u, url, &uwhy) < 0)
		return fail(why, wl, "%s: %s", url, uwhy);
	if (probe_resolve(&u, &peer, why, wl) < 0)
		return -EINVAL;
	peer.timeout_ns = peer.connect_timeout_ns = timeout_ns;
	memset(&own, 0, sizeof(own));
	if (u.tls && tls) {
		own = *tls; /* the same anchors and key, another host */
		tlsc_set_host(&own, u.host);
	} else if (u.tls && tlsc_load(&own, u.host, NULL, NULL, NULL, false, why, wl) < 0) {
		tlsc_free(&own);
		return -EINVAL;
	}
	peer.tls = u.tls ? &own : NULL;
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: mcpload/" MCPL_VERSION
			 "\r\nConnection: close\r\n%s\r\n",
			 u.target, u.authority, headers ? headers : "");
	if (n < 0 || (size_t)n >= sizeof(req))
		return fail(why, wl, "%s: the request headers are too long", url);
	memset(&a, 0, sizeof(a));
	a.body = malloc(BODY_MAX);
	r = a.body ? exchange(&peer, req, (size_t)n, &a) : -ENOMEM;
	if (r == 0 && (a.status != 200 || a.over))
		r = fail(why, wl, "%s: HTTP %u%s", url, a.status, a.over ? ", too large" : "");
	else if (r < 0)
		fail(why, wl, "%s: %s", url, a.fail[0] ? a.fail : strerror(-r));
	if (u.tls && !tls)
		tlsc_free(&own);
	if (r < 0) {
		free(a.body);
		return r;
	}
	*body = a.body;
	*len = a.len;
	return 0;
}

int probe_resolve(const struct url *u, struct probe_peer *peer, char *why, size_t wl)
{
	struct addrinfo hints, *ai;
	char port[8], host[INET6_ADDRSTRLEN];
	memset(peer, 0, sizeof(*peer));
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_NUMERICSERV;
	snprintf(port, sizeof(port), "%u", u->port);
	int r = getaddrinfo(u->host, port, &hints, &ai);
	if (r != 0) {
		snprintf(why, wl, "cannot resolve '%s': %s", u->host, gai_strerror(r));
		return -EINVAL;
	}
	memcpy(&peer->addr, ai->ai_addr, ai->ai_addrlen);
	peer->addr_len = ai->ai_addrlen;
	if (ai->ai_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr, host,
			  sizeof(host));
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)ai->ai_addr)->sin_addr, host,
			  sizeof(host));
	snprintf(peer->addr_text, sizeof(peer->addr_text),
		 ai->ai_family == AF_INET6 ? "[%s]:%u" : "%s:%u", host, u->port);
	snprintf(peer->authority, sizeof(peer->authority), "%s", u->authority);
	freeaddrinfo(ai);
	peer->timeout_ns = 10 * 1000000000ull;
	peer->connect_timeout_ns = 5 * 1000000000ull;
	return 0;
}

int probe_connect(const struct probe_peer *peer, char *why, size_t wl)
{
	struct pio io;
	int r = pio_open(&io, (const struct sockaddr *)&peer->addr, peer->addr_len, peer->tls,
			 peer->connect_timeout_ns, clock_now_ns() + peer->timeout_ns);
	if (r == -EPROTO)
		snprintf(why, wl, "%s", io.why);
	else if (r < 0)
		snprintf(why, wl, "%s", strerror(-r));
	pio_close(&io);
	return r;
}
