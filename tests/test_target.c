/*
 * mcpload-target as a process ($MCPLOAD_TARGET, default build/mcpload-target)
 * with a plain blocking client that reads responses with protocol/h1p:
 * every REST route and refusal, 50 concurrent ID reservations that never
 * overlap (and do with --bug id-collisions), and each fault flag.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/clock.h"
#include "protocol/h1p.h"
#include "protocol/jsc.h"
#include "tests/t.h"

struct target {
	pid_t pid;
	uint16_t port;
};

struct reply {
	int status;
	bool chunked;
	char session[40];
	char ctype[48];
	char xcache[8];
	bool closed_after; /* Connection: close, and the server closed */
	char body[65536];
	size_t len;
	char conn_hdr[32];
};

static bool start(struct target *t, const char *const extra[])
{
	const char *bin =
	    getenv("MCPLOAD_TARGET") ? getenv("MCPLOAD_TARGET") : "build/mcpload-target";
	char *argv[24];
	int n = 0, out[2];
	argv[n++] = (char *)bin;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "-t";
	argv[n++] = "2";
	for (int i = 0; extra && extra[i] && n < 22; i++)
		argv[n++] = (char *)extra[i];
	argv[n] = NULL;
	if (pipe(out))
		return false;
	t->pid = fork();
	if (t->pid == 0) {
		dup2(out[1], 1);
		close(out[0]);
		alarm(120); /* never outlive the test */
		execv(bin, argv);
		_exit(127);
	}
	close(out[1]);
	char line[128] = "";
	ssize_t r = read(out[0], line, sizeof(line) - 1);
	close(out[0]);
	if (r <= 0)
		return false;
	line[r] = 0;
	unsigned port = 0;
	if (sscanf(line, "mcpload-target listening on port %u", &port) != 1)
		return false;
	t->port = (uint16_t)port;
	return true;
}

static void stop(struct target *t)
{
	int st;
	kill(t->pid, SIGTERM);
	waitpid(t->pid, &st, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0); /* a clean stop */
}

static int dial(const struct target *t)
{
	struct sockaddr_in a = {.sin_family = AF_INET,
				.sin_port = htons(t->port),
				.sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static void on_header(void *ctx, const char *name, size_t nl, const char *v, size_t vl, bool last)
{
	struct reply *r = ctx;
	(void)last;
	if (nl == 14 && memcmp(name, "mcp-session-id", 14) == 0 && vl < sizeof(r->session)) {
		memcpy(r->session, v, vl);
		r->session[vl] = 0;
	}
	if (nl == 12 && memcmp(name, "content-type", 12) == 0 && vl < sizeof(r->ctype)) {
		memcpy(r->ctype, v, vl);
		r->ctype[vl] = 0;
	}
	if (nl == 7 && memcmp(name, "x-cache", 7) == 0 && vl < sizeof(r->xcache)) {
		memcpy(r->xcache, v, vl);
		r->xcache[vl] = 0;
	}
	if (nl == 10 && memcmp(name, "connection", 10) == 0 && vl < sizeof(r->conn_hdr)) {
		memcpy(r->conn_hdr, v, vl);
		r->conn_hdr[vl] = 0;
	}
}

static void on_body(void *ctx, const char *p, size_t n)
{
	struct reply *r = ctx;
	if (r->len + n < sizeof(r->body)) {
		memcpy(r->body + r->len, p, n);
		r->len += n;
	}
	r->body[r->len] = 0;
}

/* Send one request on fd and read its response. Returns false on a
 * transport or parse failure. */
static bool exchange_h(int fd, const char *method, const char *path, const char *headers,
		       const char *body, struct reply *r)
{
	char req[4096], buf[16384];
	int n = snprintf(req, sizeof(req),
			 "%s %s HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n%s"
			 "Content-Length: %zu\r\n\r\n%s",
			 method, path, headers ? headers : "", body ? strlen(body) : 0,
			 body ? body : "");
	struct h1p st;
	struct h1p_sink sink = {on_header, on_body, r};
	memset(r, 0, sizeof(*r));
	if (send(fd, req, (size_t)n, MSG_NOSIGNAL) != n)
		return false;
	h1p_reset(&st, strcmp(method, "HEAD") == 0);
	for (;;) {
		ssize_t got = recv(fd, buf, sizeof(buf), 0);
		if (got <= 0)
			return false;
		ssize_t p = h1p_feed(&st, buf, (size_t)got, &sink);
		if (p == H1P_ERROR)
			return false;
		if (p >= 0)
			break;
	}
	r->status = st.status;
	r->chunked = st.chunked;
	if (!st.keep_alive)
		r->closed_after = recv(fd, buf, 1, 0) == 0;
	return true;
}

static bool exchange(int fd, const char *method, const char *path, const char *body,
		     struct reply *r)
{
	return exchange_h(fd, method, path, NULL, body, r);
}

/* One request on a new connection. */
static int once(const struct target *t, const char *method, const char *path, const char *body,
		struct reply *r)
{
	int fd = dial(t);
	bool ok = fd >= 0 && exchange(fd, method, path, body, r);
	if (fd >= 0)
		close(fd);
	return ok ? r->status : -1;
}

static void test_routes(const struct target *t)
{
	static struct reply r;
	struct jsc_val v;
	CHECK_INT(once(t, "GET", "/health", NULL, &r), 200);
	CHECK(strstr(r.body, "\"ok\"") != NULL);
	CHECK_INT(once(t, "GET", "/tasks/next", NULL, &r), 200);
	CHECK_INT(jsc_get(r.body, r.len, "id", &v), 0);
	char id[32] = "";
	snprintf(id, sizeof(id), "%.*s", (int)v.len, v.ptr);
	CHECK(strncmp(id, "TASK-", 5) == 0);
	char path[64];
	snprintf(path, sizeof(path), "/tasks/%s/status", id);
	CHECK_INT(once(t, "PUT", path, "{\"status\":\"done\"}", &r), 200);
	CHECK(strstr(r.body, "\"status\":\"done\"") && strstr(r.body, "\"handed_out\":true"));
	CHECK_INT(once(t, "PUT", "/tasks/999/status", "{\"status\":\"blocked\"}", &r), 200);
	CHECK(strstr(r.body, "\"handed_out\":false") != NULL);
	CHECK_INT(once(t, "GET", "/tasks/TASK-0999", NULL, &r), 200);
	CHECK(strstr(r.body, "\"status\":\"blocked\"") != NULL);
	CHECK_INT(once(t, "PUT", path, "{\"status\":\"finished\"}", &r), 400);
	CHECK_INT(once(t, "PUT", path, "{\"status\":", &r), 400);
	CHECK_INT(once(t, "GET", "/tasks/5000", NULL, &r), 404);
	CHECK_INT(once(t, "POST", "/tasks/next", NULL, &r), 405);
	CHECK_INT(once(t, "POST", "/ids/reserve", "{\"artifact_type\":\"US\",\"count\":4}", &r),
		  200);
	CHECK(jsc_get(r.body, r.len, "ids.3", &v) == 0 && v.type == JSC_STRING);
	CHECK_INT(once(t, "POST", "/ids/reserve", "{\"artifact_type\":\"U S\"}", &r), 400);
	CHECK_INT(once(t, "POST", "/ids/reserve", "{\"artifact_type\":\"US\",\"count\":0}", &r),
		  400);
	CHECK_INT(once(t, "GET", "/nowhere", NULL, &r), 404);
	/* a malformed request: 400 and the connection is closed */
	int fd = dial(t);
	static const char bad[] = "GET / HTTP/1.1\r\nNo Host\r\n\r\n";
	char buf[1024];
	send(fd, bad, sizeof(bad) - 1, 0);
	ssize_t n = recv(fd, buf, sizeof(buf) - 1, 0);
	buf[n > 0 ? n : 0] = 0;
	CHECK(strncmp(buf, "HTTP/1.1 400 ", 13) == 0 && strstr(buf, "Connection: close"));
	close(fd);
	/* keep-alive: several requests on one connection */
	fd = dial(t);
	int ok = 0;
	for (int i = 0; i < 20; i++)
		ok += exchange(fd, "GET", "/health", NULL, &r) && r.status == 200;
	CHECK_INT(ok, 20);
	close(fd);
}

struct range {
	const struct target *t;
	long long start, end;
	int status;
};

static void *reserve_one(void *arg)
{
	struct range *rg = arg;
	static __thread struct reply r;
	struct jsc_val v;
	int64_t a = -1, b = -1;
	rg->status =
	    once(rg->t, "POST", "/ids/reserve", "{\"artifact_type\":\"US\",\"count\":10}", &r);
	if (jsc_get(r.body, r.len, "start", &v) == 0)
		jsc_int(&v, &a);
	if (jsc_get(r.body, r.len, "end", &v) == 0)
		jsc_int(&v, &b);
	rg->start = a;
	rg->end = b;
	return NULL;
}

/* 50 concurrent reservations of 10 ids; returns the overlapping pairs. */
static unsigned reserve_50(const struct target *t, unsigned *ok)
{
	struct range rg[50];
	pthread_t th[50];
	unsigned overlaps = 0;
	*ok = 0;
	for (int i = 0; i < 50; i++) {
		rg[i] = (struct range){.t = t};
		pthread_create(&th[i], NULL, reserve_one, &rg[i]);
	}
	for (int i = 0; i < 50; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 50; i++) {
		*ok += rg[i].status == 200 && rg[i].end - rg[i].start == 9;
		for (int j = i + 1; j < 50; j++)
			overlaps += rg[i].start <= rg[j].end && rg[j].start <= rg[i].end;
	}
	return overlaps;
}

static void test_reservations(void)
{
	struct target t;
	unsigned ok;
	CHECK(start(&t, NULL));
	unsigned o = reserve_50(&t, &ok);
	printf("  50 concurrent reservations: %u ok, %u overlapping pairs\n", ok, o);
	CHECK_INT(ok, 50);
	CHECK_INT(o, 0);
	stop(&t);
	const char *bug[] = {"--bug", "id-collisions", NULL};
	CHECK(start(&t, bug));
	o = reserve_50(&t, &ok);
	printf("  with --bug id-collisions: %u ok, %u overlapping pairs\n", ok, o);
	CHECK_INT(ok, 50);
	CHECK(o > 0);
	stop(&t);
}

static double ms_since(uint64_t t0)
{
	return (double)(clock_now_ns() - t0) / 1e6;
}

static void test_faults(void)
{
	struct target t;
	static struct reply r;
	const char *err[] = {"--error-rate", "1", NULL};
	CHECK(start(&t, err));
	CHECK_INT(once(&t, "GET", "/health", NULL, &r), 500);
	stop(&t);

	const char *close1[] = {"--close-after", "2", NULL};
	CHECK(start(&t, close1));
	int fd = dial(&t);
	CHECK(exchange(fd, "GET", "/health", NULL, &r) && r.status == 200 && !r.closed_after);
	CHECK(exchange(fd, "GET", "/health", NULL, &r) && r.status == 200);
	CHECK(r.closed_after && strcmp(r.conn_hdr, "close") == 0);
	close(fd);
	stop(&t);

	const char *delay[] = {"--delay", "tasks=fixed:100ms", NULL};
	CHECK(start(&t, delay));
	uint64_t t0 = clock_now_ns();
	CHECK_INT(once(&t, "GET", "/health", NULL, &r), 200);
	double fast = ms_since(t0);
	t0 = clock_now_ns();
	CHECK_INT(once(&t, "GET", "/tasks/next", NULL, &r), 200);
	double slow = ms_since(t0);
	printf("  --delay tasks=fixed:100ms: /health %.1f ms, /tasks/next %.1f ms\n", fast, slow);
	CHECK(fast < 50 && slow >= 100 && slow < 300);
	stop(&t);

	/* stall: the last 400 ms of every second nothing is answered */
	const char *stall[] = {"--stall-every", "1s", "--stall-for", "400ms", NULL};
	CHECK(start(&t, stall));
	double worst = 0;
	for (int i = 0; i < 30; i++) {
		t0 = clock_now_ns();
		CHECK_INT(once(&t, "GET", "/health", NULL, &r), 200);
		double d = ms_since(t0);
		if (d > worst)
			worst = d;
		usleep(40000);
	}
	printf("  --stall-every 1s --stall-for 400ms: worst response %.1f ms\n", worst);
	CHECK(worst >= 250 && worst < 600);
	stop(&t);

	/* capacity 100/s: 150 back-to-back requests need about 1.5 s */
	const char *cap[] = {"--capacity", "100", NULL};
	CHECK(start(&t, cap));
	fd = dial(&t);
	t0 = clock_now_ns();
	int ok = 0;
	for (int i = 0; i < 150; i++)
		ok += exchange(fd, "GET", "/health", NULL, &r) && r.status == 200;
	double took = ms_since(t0);
	printf("  --capacity 100: 150 requests in %.0f ms\n", took);
	CHECK_INT(ok, 150);
	CHECK(took > 1350 && took < 2200);
	close(fd);
	stop(&t);

	/* leak: 300 requests x 256 KiB = 75 MiB more resident memory */
	const char *leak[] = {"--leak", "262144", NULL};
	/* it leaks by design: LeakSanitizer would fail its exit */
	setenv("ASAN_OPTIONS", "detect_leaks=0", 1);
	CHECK(start(&t, leak));
	unsetenv("ASAN_OPTIONS");
	char path[64];
	long rss0 = 0, rss1 = 0;
	snprintf(path, sizeof(path), "/proc/%d/statm", t.pid);
	FILE *f = fopen(path, "r");
	if (f && fscanf(f, "%*d %ld", &rss0) != 1)
		rss0 = 0;
	if (f)
		fclose(f);
	fd = dial(&t);
	for (int i = 0; i < 300; i++)
		exchange(fd, "GET", "/health", NULL, &r);
	close(fd);
	f = fopen(path, "r");
	if (f && fscanf(f, "%*d %ld", &rss1) != 1)
		rss1 = 0;
	if (f)
		fclose(f);
	double grew = (double)(rss1 - rss0) * (double)sysconf(_SC_PAGESIZE) / 1048576.0;
	printf("  --leak 256KiB x 300: resident memory grew %.1f MiB\n", grew);
	CHECK(grew > 60);
	stop(&t);
}

/* Resources: a miss costs --miss-delay and says MISS, then hits; a short
 * TTL makes it miss again; /metrics counts what happened. */
static void test_resources(void)
{
	struct target t;
	static struct reply r;
	const char *args[] = {"--miss-delay", "60ms", "--cache-ttl", "300ms", NULL};
	CHECK(start(&t, args));
	uint64_t t0 = clock_now_ns();
	CHECK_INT(once(&t, "GET", "/mcp/resources/patterns/testing", NULL, &r), 200);
	double miss = ms_since(t0);
	CHECK_STR(r.xcache, "MISS");
	CHECK(r.len > 20000 && strncmp(r.body, "# Python Testing Patterns", 25) == 0);
	t0 = clock_now_ns();
	CHECK_INT(once(&t, "GET", "/mcp/resources/patterns/testing", NULL, &r), 200);
	double hit = ms_since(t0);
	CHECK_STR(r.xcache, "HIT");
	printf("  resource miss %.1f ms, hit %.1f ms\n", miss, hit);
	CHECK(miss >= 60 && hit < 30);
	usleep(400000); /* past the TTL */
	CHECK_INT(once(&t, "GET", "/mcp/resources/patterns/testing", NULL, &r), 200);
	CHECK_STR(r.xcache, "MISS");
	CHECK_INT(once(&t, "GET", "/mcp/resources/sdlc/core", NULL, &r), 200);
	CHECK(r.len > 40000);
	CHECK_INT(once(&t, "GET", "/mcp/resources/templates/backlog-story", NULL, &r), 200);
	CHECK(strstr(r.body, "## Acceptance Criteria") != NULL);
	CHECK_INT(once(&t, "GET", "/mcp/resources/templates", NULL, &r), 200);
	struct jsc_val v;
	CHECK(jsc_get(r.body, r.len, "templates.6.type", &v) == 0);
	CHECK_INT(once(&t, "GET", "/mcp/resources/patterns/cobol", NULL, &r), 404);
	CHECK_INT(once(&t, "POST", "/mcp/resources/sdlc/core", NULL, &r), 405);
	CHECK_INT(once(&t, "GET", "/metrics", NULL, &r), 200);
	CHECK(strstr(r.body, "mcp_resource_cache_hits_total 1\n") != NULL);
	CHECK(strstr(r.body, "mcp_resource_cache_misses_total 4\n") != NULL);
	CHECK(strstr(r.body,
		     "mcp_resource_loading_latency_seconds_count{resource_type=\"patterns\","
		     "cache_result=\"miss\"} 2\n") != NULL);
	CHECK(strstr(r.body, "mcp_http_requests_total{route=\"resources\",code=\"404\"} 1\n") !=
	      NULL);
	CHECK(strstr(r.body, "process_resident_memory_bytes ") != NULL);
	stop(&t);
}

#define ACCEPT "Accept: application/json, text/event-stream\r\n"
#define META                                                                                       \
	"\"_meta\":{\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\","                   \
	"\"io.modelcontextprotocol/clientInfo\":{\"name\":\"t\",\"version\":\"1\"},"               \
	"\"io.modelcontextprotocol/clientCapabilities\":{}}"

/* A legacy call in session sid (NULL: none); returns the status. */
static int legacy(int fd, const char *sid, const char *version, const char *body, struct reply *r)
{
	char h[256];
	int n = snprintf(h, sizeof(h), ACCEPT);
	if (sid)
		n += snprintf(h + n, sizeof(h) - (size_t)n, "Mcp-Session-Id: %s\r\n", sid);
	if (version)
		snprintf(h + n, sizeof(h) - (size_t)n, "MCP-Protocol-Version: %s\r\n", version);
	return exchange_h(fd, "POST", "/mcp", h, body, r) ? r->status : -1;
}

static int modern(int fd, const char *method, const char *name, const char *body, struct reply *r)
{
	char h[256];
	int n = snprintf(h, sizeof(h),
			 ACCEPT "MCP-Protocol-Version: 2026-07-28\r\nMcp-Method: %s\r\n", method);
	if (name)
		snprintf(h + n, sizeof(h) - (size_t)n, "Mcp-Name: %s\r\n", name);
	return exchange_h(fd, "POST", "/mcp", h, body, r) ? r->status : -1;
}

/* The JSON-RPC message of a reply, JSON or SSE. */
static const char *message(const struct reply *r)
{
	const char *d = strstr(r->body, "event: message\n");
	if (!d)
		return r->body;
	d = strstr(d, "data: ");
	return d ? d + 6 : r->body;
}

static bool json_has(const struct reply *r, const char *path, const char *want)
{
	struct jsc_val v;
	const char *m = message(r);
	size_t n = strcspn(m, "\n");
	if (jsc_get(m, n, path, &v) != 0)
		return false;
	return !want || (v.len == strlen(want) && memcmp(v.ptr, want, v.len) == 0);
}

static void test_mcp_legacy(const char *const args[], bool sse)
{
	struct target t;
	static struct reply r;
	char sid[40];
	CHECK(start(&t, args));
	int fd = dial(&t);
	CHECK_INT(legacy(fd, NULL, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"
			 "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"
			 "\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
			 &r),
		  200);
	CHECK(strlen(r.session) == 32);
	CHECK(json_has(&r, "result.protocolVersion", "2025-11-25"));
	CHECK(json_has(&r, "result.serverInfo.name", "mcpload-target"));
	if (sse)
		CHECK(strcmp(r.ctype, "text/event-stream") == 0 &&
		      strncmp(r.body, "id: 0\ndata: \n\n", 14) == 0);
	strcpy(sid, r.session);
	CHECK_INT(legacy(fd, sid, "2025-11-25",
			 "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", &r),
		  202);
	CHECK_INT(legacy(fd, sid, "2025-11-25",
			 "{\"jsonrpc\":\"2.0\",\"id\":\"s-2\",\"method\":\"tools/list\"}", &r),
		  200);
	CHECK(json_has(&r, "id", "s-2") && json_has(&r, "result.tools.5.name", "reserve_id_range"));
	CHECK_INT(legacy(fd, sid, "2025-11-25",
			 "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
			 "\"name\":\"reserve_id_range\",\"arguments\":{\"artifact_type\":\"EPIC\","
			 "\"count\":3}}}",
			 &r),
		  200);
	CHECK(json_has(&r, "result.structuredContent.count", "3") &&
	      json_has(&r, "result.isError", "false"));
	if (sse) {
		CHECK_INT(
		    legacy(fd, sid, NULL,
			   "{\"jsonrpc\":\"2.0\",\"id\":33,\"method\":\"tools/call\",\"params\":{"
			   "\"name\":\"get_next_task\",\"_meta\":{\"progressToken\":\"tok-1\"}}}",
			   &r),
		    200);
		const char *p1 = strstr(r.body, "notifications/progress");
		const char *p2 = p1 ? strstr(p1 + 1, "notifications/progress") : NULL;
		CHECK(p1 && p2 && strstr(r.body, "\"progressToken\":\"tok-1\",\"progress\":2"));
		CHECK(p2 &&
		      strstr(p2, "event: message\nid: 1\ndata: {\"jsonrpc\":\"2.0\",\"id\":33"));
	}
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{"
			 "\"name\":\"no_such_tool\"}}",
			 &r),
		  200);
	CHECK(json_has(&r, "result.isError", "true"));
	/* resources/list pages through all 17 */
	unsigned total = 0;
	char cursor[16] = "", body[256];
	for (int page = 0; page < 5; page++) {
		snprintf(body, sizeof(body),
			 "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"resources/"
			 "list\",\"params\":{%s%s%s}}",
			 cursor[0] ? "\"cursor\":\"" : "", cursor, cursor[0] ? "\"" : "");
		CHECK_INT(legacy(fd, sid, NULL, body, &r), 200);
		for (unsigned i = 0; i < 20; i++) {
			char path[40];
			snprintf(path, sizeof(path), "result.resources.%u.uri", i);
			total += json_has(&r, path, NULL);
		}
		struct jsc_val v;
		const char *m = message(&r);
		if (jsc_get(m, strcspn(m, "\n"), "result.nextCursor", &v) != 0)
			break;
		snprintf(cursor, sizeof(cursor), "%.*s", (int)v.len, v.ptr);
	}
	CHECK_INT(total, 17);
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"resources/read\",\"params\":{"
			 "\"uri\":\"templates://prd\"}}",
			 &r),
		  200);
	CHECK(strcmp(r.xcache, "MISS") == 0 &&
	      json_has(&r, "result.contents.0.uri", "templates://prd"));
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/read\",\"params\":{"
			 "\"uri\":\"nope://x\"}}",
			 &r),
		  200);
	CHECK(json_has(&r, "error.code", "-32002"));
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"prompts/get\",\"params\":{"
			 "\"name\":\"triage_task\"}}",
			 &r),
		  200);
	CHECK(json_has(&r, "result.messages.0.role", "user"));
	CHECK_INT(
	    legacy(fd, sid, NULL, "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"foo/bar\"}", &r),
	    200);
	CHECK(json_has(&r, "error.code", "-32601"));
	CHECK_INT(legacy(fd, sid, "2025-06-18",
			 "{\"jsonrpc\":\"2.0\",\"id\":10,\"method\":\"ping\"}", &r),
		  400);
	CHECK_INT(legacy(fd, NULL, NULL, "{\"jsonrpc\":\"2.0\",\"id\":11,\"method\":\"ping\"}", &r),
		  400);
	CHECK_INT(legacy(fd, "0123456789abcdef0123456789abcdef", NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":12,\"method\":\"ping\"}", &r),
		  404);
	CHECK_INT(legacy(fd, sid, NULL, "{\"jsonrpc\":\"2.0\",\"id\":13,", &r), 400);
	CHECK(json_has(&r, "error.code", "-32700"));
	CHECK(exchange_h(fd, "POST", "/mcp", "Accept: */*\r\n", "{}", &r) && r.status == 406);
	CHECK(exchange_h(fd, "GET", "/mcp", ACCEPT, NULL, &r) && r.status == 405);
	char h[128];
	snprintf(h, sizeof(h), "Mcp-Session-Id: %s\r\n", sid);
	CHECK(exchange_h(fd, "DELETE", "/mcp", h, NULL, &r) && r.status == 200);
	CHECK_INT(legacy(fd, sid, NULL, "{\"jsonrpc\":\"2.0\",\"id\":14,\"method\":\"ping\"}", &r),
		  404);
	close(fd);
	stop(&t);
}

static void test_mcp_modern(void)
{
	struct target t;
	static struct reply r;
	const char *chunked[] = {"--chunked", "--bug", "slow-tool", "get_next_task", NULL};
	CHECK(start(&t, chunked));
	int fd = dial(&t);
	CHECK_INT(
	    modern(fd, "server/discover", NULL,
		   "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"server/discover\",\"params\":{" META
		   "}}",
		   &r),
	    200);
	CHECK(r.chunked && json_has(&r, "result.supportedVersions.0", "2026-07-28") &&
	      json_has(&r, "result.resultType", "complete"));
	uint64_t t0 = clock_now_ns();
	CHECK_INT(modern(fd, "tools/call", "get_next_task",
			 "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{"
			 "\"name\":\"get_next_task\"," META "}}",
			 &r),
		  200);
	double slow = ms_since(t0);
	printf("  --bug slow-tool get_next_task: %.0f ms\n", slow);
	CHECK(slow >= 600 && json_has(&r, "result.structuredContent.status", "in_progress"));
	CHECK(json_has(&r, "result._meta", NULL));
	CHECK(exchange(fd, "GET", "/metrics", NULL, &r) && r.status == 200);
	CHECK(strstr(r.body, "mcp_tool_duration_seconds_count{tool_name=\"get_next_task\"} 1\n") !=
	      NULL);
	CHECK(strstr(
		  r.body,
		  "mcp_tool_duration_seconds_bucket{tool_name=\"get_next_task\",le=\"0.5\"} 0\n") &&
	      strstr(r.body,
		     "mcp_tool_duration_seconds_bucket{tool_name=\"get_next_task\",le=\"1\"} 1\n"));
	CHECK_INT(modern(fd, "tools/call", NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
			 "\"name\":\"reserve_id_range\"," META "}}",
			 &r),
		  400);
	CHECK(json_has(&r, "error.code", "-32020"));
	CHECK_INT(modern(fd, "foo/bar", NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"foo/bar\",\"params\":{" META
			 "}}",
			 &r),
		  404);
	CHECK(json_has(&r, "error.code", "-32601"));
	CHECK_INT(modern(fd, "ping", NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"ping\",\"params\":{" META "}}",
			 &r),
		  404); /* ping was removed in 2026-07-28 */
	CHECK_INT(
	    modern(fd, "tools/list", NULL,
		   "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"tools/list\",\"params\":{\"_meta\":{"
		   "\"io.modelcontextprotocol/protocolVersion\":\"2026-07-28\"}}}",
		   &r),
	    400);
	CHECK(json_has(&r, "error.code", "-32602"));
	close(fd);
	stop(&t);
}

struct mcp_range {
	const struct target *t;
	long long start, end;
};

static void *mcp_reserve(void *arg)
{
	struct mcp_range *m = arg;
	static __thread struct reply r;
	struct jsc_val v;
	int64_t a = -1, b = -1;
	int fd = dial(m->t);
	if (fd >= 0 &&
	    modern(
		fd, "tools/call", "reserve_id_range",
		"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/call\",\"params\":{\"name\":"
		"\"reserve_id_range\",\"arguments\":{\"artifact_type\":\"US\",\"count\":10}," META
		"}}",
		&r) == 200) {
		const char *msg = message(&r);
		if (jsc_get(msg, strlen(msg), "result.structuredContent.start", &v) == 0)
			jsc_int(&v, &a);
		if (jsc_get(msg, strlen(msg), "result.structuredContent.end", &v) == 0)
			jsc_int(&v, &b);
	}
	if (fd >= 0)
		close(fd);
	m->start = a;
	m->end = b;
	return NULL;
}

/* 50 concurrent reserve_id_range tool calls over MCP; with the bug on,
 * ranges must overlap, without it never. */
static void test_mcp_reservations(bool bug)
{
	struct target t;
	struct mcp_range m[50];
	pthread_t th[50];
	unsigned ok = 0, overlaps = 0;
	const char *sse[] = {"--response", "sse", NULL};
	const char *buggy[] = {"--response", "sse", "--bug", "id-collisions", NULL};
	CHECK(start(&t, bug ? buggy : sse));
	for (int i = 0; i < 50; i++) {
		m[i] = (struct mcp_range){.t = &t};
		pthread_create(&th[i], NULL, mcp_reserve, &m[i]);
	}
	for (int i = 0; i < 50; i++)
		pthread_join(th[i], NULL);
	for (int i = 0; i < 50; i++) {
		ok += m[i].end - m[i].start == 9;
		for (int j = i + 1; j < 50; j++)
			overlaps += m[i].start <= m[j].end && m[j].start <= m[i].end;
	}
	printf("  50 concurrent MCP reserve_id_range (SSE%s): %u ok, %u overlapping pairs\n",
	       bug ? ", --bug id-collisions" : "", ok, overlaps);
	CHECK_INT(ok, 50);
	if (bug)
		CHECK(overlaps > 0);
	else
		CHECK_INT(overlaps, 0);
	stop(&t);
}

static void test_refusals(void)
{
	const char *bin =
	    getenv("MCPLOAD_TARGET") ? getenv("MCPLOAD_TARGET") : "build/mcpload-target";
	const char *cases[][4] = {
	    {"--listen", "192.0.2.1:8000", NULL, NULL},
	    {"--delay", "sometimes", NULL, NULL},
	    {"--stall-every", "1s", NULL, NULL},
	    {"--error-rate", "2", NULL, NULL},
	    {"--bogus", NULL, NULL, NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		pid_t pid = fork();
		if (pid == 0) {
			int null = open("/dev/null", 1);
			dup2(null, 2);
			dup2(null, 1);
			execl(bin, bin, cases[i][0], cases[i][1], cases[i][2], (char *)NULL);
			_exit(127);
		}
		int st;
		waitpid(pid, &st, 0);
		CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 2);
	}
}

int main(void)
{
	struct target t;
	signal(SIGPIPE, SIG_IGN);
	CHECK(start(&t, NULL));
	test_routes(&t);
	stop(&t);
	test_reservations();
	test_faults();
	test_resources();
	test_mcp_legacy(NULL, false);
	const char *sse[] = {"--response", "sse", NULL};
	test_mcp_legacy(sse, true);
	test_mcp_modern();
	test_mcp_reservations(false);
	test_mcp_reservations(true);
	test_refusals();
	T_DONE();
}
