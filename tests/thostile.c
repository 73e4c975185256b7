/*
 * thostile: the case table and the server (see thostile.h). A case's
 * bytes may hold %ID% (the JSON-RPC id of the request, for MCP cases) and
 * %LEN% (the length of what follows the head), filled in per request.
 */
#include "tests/thostile.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tests/tsrv.h"

#define OK_HEAD "HTTP/1.1 200 OK\r\n"
#define JSON	"Content-Type: application/json\r\n"
#define SSE	"Content-Type: text/event-stream\r\n"
#define LEN	"Content-Length: %LEN%\r\n\r\n"
#define E(x)	TALLY_ERR_##x

static const struct thostile_case cases[] = {
    /* the status line */
    {"status-999", "HTTP/1.1 999 Odd\r\nContent-Length: 0\r\n\r\n", TH_SEND, false,
     E(STATUS_INVALID), false},
    {"status-099", "HTTP/1.1 099 Low\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE),
     false},
    {"status-4digits", "HTTP/1.1 2000 OK\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE),
     false},
    {"status-2digits", "HTTP/1.1 20 OK\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE),
     false},
    {"version-2", "HTTP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE), false},
    {"version-lower", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE),
     false},
    {"version-09", "ok\r\n", TH_SEND_CLOSE, false, E(PARSE), false},
    {"redirect-302", "HTTP/1.1 302 Found\r\nLocation: /h/redirect-302\r\nContent-Length: 0\r\n\r\n",
     TH_SEND, false, E(STATUS_3XX), false},
    {"redirect-301", "HTTP/1.1 301 Moved\r\nLocation: /\r\nContent-Length: 0\r\n\r\n", TH_SEND,
     false, E(STATUS_3XX), false},
    {"not-found", "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found", TH_SEND, false,
     -4, false},
    {"unavailable", "HTTP/1.1 503 Busy\r\nRetry-After: 1\r\nContent-Length: 0\r\n\r\n", TH_SEND,
     false, -5, false},
    {"switching", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n", TH_SEND, false,
     E(PARSE), false},
    {"interim-forever", "HTTP/1.1 100 Continue\r\n\r\n", TH_ENDLESS, false, E(DEADLINE), false},
    {"interim-then-ok", "HTTP/1.1 100 Continue\r\n\r\n" OK_HEAD "Content-Length: 2\r\n\r\nok",
     TH_SEND, false, -1, false},
    {"reason-huge", NULL, TH_SEND, false, E(TOO_LARGE), false},
    /* line endings */
    {"bare-cr", "HTTP/1.1 200 OK\rContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE), false},
    {"obs-fold", OK_HEAD "X-A: b\r\n c\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE),
     false},
    {"nul-in-value", NULL, TH_SEND, false, E(PARSE), false},
    /* headers */
    {"space-in-name", OK_HEAD "Bad Name: x\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE),
     false},
    {"colon-first", OK_HEAD ": x\r\nContent-Length: 0\r\n\r\n", TH_SEND, false, E(PARSE), false},
    {"many-headers", NULL, TH_SEND, false, E(TOO_LARGE), false},
    {"head-huge", NULL, TH_SEND, false, E(TOO_LARGE), false},
    {"endless-head", "X-Endless: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
     TH_HEADERS, false, E(TOO_LARGE), false},
    /* Content-Length */
    {"length-negative", OK_HEAD "Content-Length: -1\r\n\r\n", TH_SEND, false, E(PARSE), false},
    {"length-word", OK_HEAD "Content-Length: abc\r\n\r\n", TH_SEND, false, E(PARSE), false},
    {"length-conflict", OK_HEAD "Content-Length: 2\r\nContent-Length: 3\r\n\r\nok", TH_SEND, false,
     E(PARSE), false},
    {"length-overflow", OK_HEAD "Content-Length: 18446744073709551616\r\n\r\n", TH_SEND, false,
     E(PARSE), false},
    {"length-short-close", OK_HEAD "Content-Length: 100\r\n\r\nonly this", TH_SEND_CLOSE, false,
     E(TRUNCATED), false},
    {"length-short-hang", OK_HEAD "Content-Length: 100\r\n\r\nonly this", TH_SEND_HANG, false,
     E(TIMEOUT), false},
    {"length-long", OK_HEAD "Content-Length: 2\r\n\r\nokAND MORE BYTES", TH_SEND, false, -1, true},
    {"second-response", OK_HEAD "Content-Length: 2\r\n\r\nok", TH_TWICE, false, -1, true},
    {"te-and-length",
     OK_HEAD "Transfer-Encoding: chunked\r\nContent-Length: 9\r\n\r\n2\r\nok\r\n0\r\n\r\n", TH_SEND,
     false, -1, false},
    {"te-gzip-close", OK_HEAD "Transfer-Encoding: gzip\r\n\r\nbytes until the close", TH_SEND_CLOSE,
     false, -1, false},
    {"connection-close", OK_HEAD "Connection: close\r\nContent-Length: 2\r\n\r\nok", TH_SEND_CLOSE,
     false, -1, false},
    {"http10-close", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok", TH_SEND_CLOSE, false, -1,
     false},
    {"no-length-close", OK_HEAD "\r\nthe body ends with the connection", TH_SEND_CLOSE, false, -1,
     false},
    /* chunked coding */
    {"chunk-size-word", OK_HEAD "Transfer-Encoding: chunked\r\n\r\nzz\r\nok\r\n0\r\n\r\n", TH_SEND,
     false, E(PARSE), false},
    {"chunk-size-huge", OK_HEAD "Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nxx",
     TH_SEND, false, E(PARSE), false},
    {"chunk-no-crlf", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n2\r\nokXX0\r\n\r\n", TH_SEND,
     false, E(PARSE), false},
    {"chunk-cut-close", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n10\r\nonly", TH_SEND_CLOSE,
     false, E(TRUNCATED), false},
    {"chunk-cut-hang", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n10\r\nonly", TH_SEND_HANG, false,
     E(TIMEOUT), false},
    {"chunk-no-last", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n", TH_SEND_CLOSE, false,
     E(TRUNCATED), false},
    {"chunk-extension", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n2;a=b\r\nok\r\n0\r\n\r\n",
     TH_SEND, false, -1, false},
    {"chunk-trailers", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Sum: 1\r\n\r\n",
     TH_SEND, false, -1, false},
    /* timing */
    {"never", NULL, TH_SEND_HANG, false, E(TIMEOUT), false},
    {"close-at-once", NULL, TH_SEND_CLOSE, false, E(CLOSED), false},
    {"reset-at-once", NULL, TH_SEND_RST, false, E(RESET), false},
    {"reset-mid-body", OK_HEAD "Content-Length: 100\r\n\r\nhalf", TH_SEND_RST, false, E(RESET),
     false},
    {"slowloris", OK_HEAD "Content-Length: 2\r\n\r\nok", TH_DRIP, false, E(DEADLINE), false},
    {"late", OK_HEAD "Content-Length: 2\r\n\r\nok", TH_LATE, false, E(TIMEOUT), false},
    /* bodies */
    {"body-binary", NULL, TH_SEND, false, -1, false},
    {"body-endless", OK_HEAD "Transfer-Encoding: chunked\r\n\r\n", TH_SEND, false, E(TIMEOUT),
     false},
    /* JSON-RPC and MCP, through tools/call after a proper handshake */
    {"mcp-ok", OK_HEAD JSON LEN "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":{\"content\":[]}}",
     TH_SEND, true, -1, false},
    {"mcp-not-jsonrpc", OK_HEAD JSON LEN "hello", TH_SEND, true, E(PROTOCOL), false},
    {"mcp-html", OK_HEAD "Content-Type: text/html\r\n" LEN "<html>busy</html>", TH_SEND, true,
     E(PROTOCOL), false},
    {"mcp-wrong-id", OK_HEAD JSON LEN "{\"jsonrpc\":\"2.0\",\"id\":987654,\"result\":{}}", TH_SEND,
     true, E(PROTOCOL), false},
    {"mcp-huge-id", OK_HEAD JSON LEN "{\"jsonrpc\":\"2.0\",\"id\":1e400,\"result\":{}}", TH_SEND,
     true, E(PROTOCOL), false},
    {"mcp-result-and-error",
     OK_HEAD JSON LEN
     "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":{},\"error\":{\"code\":-1,\"message\":\"x\"}}",
     TH_SEND, true, E(PROTOCOL), false},
    {"mcp-code-string",
     OK_HEAD JSON LEN
     "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"error\":{\"code\":\"bad\",\"message\":\"x\"}}",
     TH_SEND, true, E(PROTOCOL), false},
    {"mcp-rpc-error",
     OK_HEAD JSON LEN
     "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"error\":{\"code\":-32602,\"message\":\"no such tool\"}}",
     TH_SEND, true, E(RPC), false},
    {"mcp-tool-error",
     OK_HEAD JSON LEN
     "{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":{\"isError\":true,\"content\":[{\"type\":"
     "\"text\",\"text\":\"refused\"}]}}",
     TH_SEND, true, E(TOOL), false},
    {"mcp-batch", OK_HEAD JSON LEN "[{\"jsonrpc\":\"2.0\",\"id\":%ID%,\"result\":{}}]", TH_SEND,
     true, E(PROTOCOL), false},
    {"mcp-202-empty", "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", TH_SEND, true,
     E(PROTOCOL), false},
    {"sse-no-response",
     OK_HEAD SSE "Transfer-Encoding: chunked\r\n\r\n"
		 "17\r\nevent: message\ndata: \n\n\r\n0\r\n\r\n",
     TH_SEND, true, E(PROTOCOL), false},
    {"sse-bad-json",
     OK_HEAD SSE "Transfer-Encoding: chunked\r\n\r\n11\r\ndata: {not json\n\n\r\n0\r\n\r\n",
     TH_SEND, true, E(PROTOCOL), false},
    {"sse-comments-hang", OK_HEAD SSE "Transfer-Encoding: chunked\r\n\r\n4\r\n: x\n\r\n",
     TH_SEND_HANG, true, E(TIMEOUT), false},
    {"mcp-session-lost",
     "HTTP/1.1 404 Not Found\r\n" JSON LEN
     "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,\"message\":\"Session not "
     "found\"}}",
     TH_SEND, true, -4, false},
    {"mcp-500", "HTTP/1.1 500 Oops\r\n" JSON LEN "{\"error\":\"internal\"}", TH_SEND, true, -5,
     false},
};

const struct thostile_case *thostile_cases(unsigned *n)
{
	*n = sizeof(cases) / sizeof(cases[0]);
	return cases;
}

/* The cases whose bytes are made, not written out. */
static size_t generated(const char *name, char *out, size_t cap)
{
	size_t n = 0;
	if (!strcmp(name, "reason-huge")) {
		n = (size_t)snprintf(out, cap, "HTTP/1.1 200 ");
		while (n < 12000 && n < cap)
			out[n++] = 'r';
		n += (size_t)snprintf(out + n, cap - n, "\r\nContent-Length: 0\r\n\r\n");
	} else if (!strcmp(name, "body-binary")) {
		static const char b[] = OK_HEAD "Content-Length: 4\r\n\r\n\x01\x02\xff";
		n = sizeof(b); /* the terminating NUL is the fourth body byte */
		memcpy(out, b, n);
	} else if (!strcmp(name, "nul-in-value")) {
		static const char b[] = OK_HEAD "X-A: a\0b\r\nContent-Length: 0\r\n\r\n";
		n = sizeof(b) - 1;
		memcpy(out, b, n);
	} else if (!strcmp(name, "many-headers")) {
		n = (size_t)snprintf(out, cap, OK_HEAD);
		for (int i = 0; i < 400 && n + 16 < cap; i++)
			n += (size_t)snprintf(out + n, cap - n, "X-%d: v\r\n", i);
		n += (size_t)snprintf(out + n, cap - n, "Content-Length: 0\r\n\r\n");
	} else if (!strcmp(name, "head-huge")) {
		n = (size_t)snprintf(out, cap, OK_HEAD);
		for (int i = 0; i < 20 && n + 4100 < cap; i++) {
			n += (size_t)snprintf(out + n, cap - n, "X-%d: ", i);
			memset(out + n, 'v', 4000);
			n += 4000;
			n += (size_t)snprintf(out + n, cap - n, "\r\n");
		}
		n += (size_t)snprintf(out + n, cap - n, "Content-Length: 0\r\n\r\n");
	}
	return n;
}

/* bytes with %ID% and %LEN% filled in; returns the length. */
static size_t render(const struct thostile_case *c, const char *id, char *out, size_t cap)
{
	size_t n = 0;
	if (!c->bytes)
		return generated(c->name, out, cap);
	for (const char *p = c->bytes; *p && n + 32 < cap;) {
		if (!strncmp(p, "%ID%", 4)) {
			n += (size_t)snprintf(out + n, cap - n, "%s", id);
			p += 4;
		} else {
			out[n++] = *p++;
		}
	}
	char *len = memmem(out, n, "%LEN%", 5), *head_end = memmem(out, n, "\r\n\r\n", 4);
	if (len && head_end) {
		size_t body = n - (size_t)(head_end + 4 - out);
		char num[16];
		int k = snprintf(num, sizeof(num), "%zu", body);
		memmove(len + k, len + 5, n - (size_t)(len + 5 - out));
		memcpy(len, num, (size_t)k);
		n = n - 5 + (size_t)k;
	}
	return n;
}

/* The MCP handshake, answered properly (with the request's id). Returns
 * true when it was one. */
static bool handshake(int fd, const char *method, const char *body, const char *id)
{
	static const char deleted[] = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
	static const char accepted[] = "HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n";
	char out[512], r[256];
	if (!strcmp(method, "DELETE"))
		return tsrv_send_all(fd, deleted, sizeof(deleted) - 1);
	if (body && strstr(body, "notifications/initialized"))
		return tsrv_send_all(fd, accepted, sizeof(accepted) - 1);
	if (!body || !strstr(body, "\"initialize\""))
		return false;
	int k = snprintf(
	    r, sizeof(r),
	    "{\"jsonrpc\":\"2.0\",\"id\":%s,\"result\":{\"protocolVersion\":\"2025-11-25\","
	    "\"capabilities\":{},\"serverInfo\":{\"name\":\"hostile\",\"version\":\"1\"}}}",
	    id);
	int n = snprintf(out, sizeof(out),
			 "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nMcp-Session-Id: "
			 "h0stile\r\nContent-Length: %d\r\n\r\n%s",
			 k, r);
	return tsrv_send_all(fd, out, (size_t)n);
}

/* Answer per the case; false: the connection is done. */
static bool answer(struct thostile *s, int fd, const char *method, const char *path,
		   const char *body)
{
	size_t cap = 200000;
	unsigned n;
	const struct thostile_case *all = thostile_cases(&n), *c = NULL;
	char id[32] = "0";
	const char *ip = body ? strstr(body, "\"id\":") : NULL;
	s->requests++;
	for (unsigned i = 0; i < n && !c; i++)
		if (!strncmp(path, "/h/", 3) && !strcmp(path + 3, all[i].name))
			c = &all[i];
	static const char none[] = "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n";
	if (!c)
		return tsrv_send_all(fd, none, sizeof(none) - 1);
	if (ip)
		snprintf(id, sizeof(id), "%.*s", (int)strspn(ip + 5, "0123456789"), ip + 5);
	if (c->mcp && handshake(fd, method, body, id))
		return true;
	char *out = malloc(cap);
	size_t len = out ? render(c, id, out, cap) : 0;
	bool keep = true;
	switch (c->how) {
	case TH_SEND:
		keep = tsrv_send_all(fd, out, len);
		break;
	case TH_SEND_CLOSE:
		tsrv_send_all(fd, out, len);
		keep = false;
		break;
	case TH_SEND_HANG:
		tsrv_send_all(fd, out, len);
		while (!s->stop && recv(fd, out, 1, 0) > 0)
			;
		keep = false;
		break;
	case TH_SEND_RST: {
		struct linger l = {1, 0};
		tsrv_send_all(fd, out, len);
		setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
		keep = false;
		break;
	}
	case TH_DRIP:
		for (size_t i = 0; i < len && keep; i++) {
			keep = tsrv_send_all(fd, out + i, 1);
			usleep(50000);
		}
		break;
	case TH_LATE:
		usleep(600000);
		keep = tsrv_send_all(fd, out, len);
		break;
	case TH_HEADERS:
		keep = tsrv_send_all(fd, OK_HEAD, sizeof(OK_HEAD) - 1);
		/* fall through: the header lines for ever */
	case TH_ENDLESS:
		while (keep && !s->stop)
			keep = tsrv_send_all(fd, out, len);
		keep = false;
		break;
	case TH_TWICE: {
		char *two = malloc(2 * len + 1);
		if (two) {
			memcpy(two, out, len);
			memcpy(two + len, out, len);
			keep = tsrv_send_all(fd, two, 2 * len);
			free(two);
		}
		break;
	}
	}
	free(out);
	return keep;
}

static bool answer_any(void *srv, int fd, const char *method, const char *path, const char *body)
{
	return answer(srv, fd, method, path, body);
}

static void *client_thread(void *arg)
{
	tsrv_serve_requests(arg, answer_any);
	return NULL;
}

bool thostile_start(struct thostile *s)
{
	memset(s, 0, sizeof(*s));
	s->fd = tsrv_listen(AF_INET, &s->port, client_thread, s, &s->stop);
	return s->fd >= 0;
}
