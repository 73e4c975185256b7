/*
 * The target's MCP endpoint as a process (tests/tproc.h): the legacy era
 * (sessions, versions, every refusal) in JSON and SSE, the 2026-07-28 era
 * (_meta, Mcp-Method/Mcp-Name, error codes) chunked, the slow-tool fault and
 * its metric, and 50 concurrent reserve_id_range calls over MCP that never
 * overlap, and do with --bug id-collisions. The prompts (write_prd,
 * write_backlog_story and their -32602 refusals), and --write-files: the
 * pre-MCP file tree, byte-identical to what resources/read answers.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>

#include "protocol/jsc.h"
#include "tests/t.h"
#include "tests/tproc.h"

#define INIT                                                                                       \
	"{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{"                     \
	"\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},"                                  \
	"\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}"
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
	/* Mcp-Name names the decoded body value, in base64 when the client
	 * chose to; a body with an escaped slash is the same name */
	CHECK_INT(modern(fd, "resources/read", "=?base64?dGVtcGxhdGVzOi8vcHJk?=",
			 "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"resources/read\",\"params\":{"
			 "\"uri\":\"templates://prd\"," META "}}",
			 &r),
		  200);
	CHECK_INT(modern(fd, "resources/read", "templates://prd",
			 "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"resources/read\",\"params\":{"
			 "\"uri\":\"templates:\\/\\/prd\"," META "}}",
			 &r),
		  200);
	CHECK_INT(modern(fd, "resources/read", "=?base64?dGVtcGxhdGVzOi8vZXBpYw==?=",
			 "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"resources/read\",\"params\":{"
			 "\"uri\":\"templates://prd\"," META "}}",
			 &r),
		  400);
	close(fd);
	stop(&t);
}

/* A JSON string of a reply decoded (malloc'd, terminated), or NULL. */
static char *json_text(const struct reply *r, const char *path, size_t *len)
{
	struct jsc_val v;
	const char *m = message(r);
	if (jsc_get(m, strcspn(m, "\n"), path, &v) != 0 || v.type != JSC_STRING)
		return NULL;
	char *b = malloc(v.len + 1);
	long n = b ? jsc_unescape(&v, b, v.len) : -1;
	if (n < 0) {
		free(b);
		return NULL;
	}
	b[n] = 0;
	*len = (size_t)n;
	return b;
}

/* A new legacy session on fd: its id in sid (33 bytes). */
static bool session(int fd, char *sid)
{
	static struct reply r;
	if (legacy(fd, NULL, NULL, INIT, &r) != 200 || strlen(r.session) != 32)
		return false;
	strcpy(sid, r.session);
	return legacy(fd, sid, NULL,
		      "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}", &r) == 202;
}

/* prompts/get of write_prd / write_backlog_story: the text names the
 * argument (quotes and all) and every section validate_artifact requires;
 * a missing required argument is -32602 in both eras. */
static void test_prompts(void)
{
	struct target t;
	static struct reply r;
	char sid[40], path[48];
	size_t n;
	CHECK(start(&t, NULL));
	int fd = dial(&t);
	CHECK(session(fd, sid));
	CHECK_INT(
	    legacy(fd, sid, NULL, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"prompts/list\"}", &r),
	    200);
	CHECK(json_has(&r, "result.prompts.3.name", NULL) &&
	      !json_has(&r, "result.prompts.4.name", NULL));
	CHECK(json_has(&r, "result.prompts.2.name", "write_prd") &&
	      json_has(&r, "result.prompts.2.arguments.0.name", "topic") &&
	      json_has(&r, "result.prompts.2.arguments.0.required", "true"));
	CHECK(json_has(&r, "result.prompts.3.name", "write_backlog_story") &&
	      json_has(&r, "result.prompts.3.arguments.0.name", "title") &&
	      json_has(&r, "result.prompts.3.arguments.1.name", "epic") &&
	      json_has(&r, "result.prompts.3.arguments.1.required", "false"));

	/* the sections a PRD needs, from validate_artifact of an empty one */
	static struct reply need;
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
			 "\"name\":\"validate_artifact\",\"arguments\":{\"artifact_type\":\"PRD\","
			 "\"content\":\"\"}}}",
			 &need),
		  200);
	CHECK_INT(
	    legacy(fd, sid, NULL,
		   "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"prompts/get\",\"params\":{"
		   "\"name\":\"write_prd\",\"arguments\":{\"topic\":\"Billing \\\"v2\\\"\"}}}",
		   &r),
	    200);
	CHECK(json_has(&r, "result.messages.0.role", "user"));
	char *text = json_text(&r, "result.messages.0.content.text", &n);
	CHECK(text && strstr(text, "topic: Billing \"v2\"\n"));
	CHECK(text && strstr(text, "reserve_id_range") && strstr(text, "resolve_artifact_path") &&
	      strstr(text, "validate_artifact") && strstr(text, "store_artifact"));
	printf("  prompts/get write_prd: %zu bytes of text\n", n);
	CHECK(n >= 1000 && n <= 2048);
	unsigned sections = 0;
	for (unsigned i = 0; text && i < 20; i++) {
		char want[80];
		size_t wl;
		snprintf(path, sizeof(path), "result.structuredContent.missing.%u", i);
		char *name = json_text(&need, path, &wl);
		if (!name)
			break;
		snprintf(want, sizeof(want), "## %s\n", name);
		CHECK(strstr(text, want) != NULL);
		sections++;
		free(name);
	}
	CHECK_INT(sections, 6);
	free(text);

	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"prompts/get\",\"params\":{"
			 "\"name\":\"write_backlog_story\",\"arguments\":{\"title\":\"Export "
			 "invoices\\nas CSV\",\"epic\":\"EPIC-012\"}}}",
			 &r),
		  200);
	text = json_text(&r, "result.messages.0.content.text", &n);
	CHECK(text && strstr(text, "Export invoices\nas CSV") && strstr(text, "EPIC-012") &&
	      strstr(text, "\"artifact_type\": \"US\"") &&
	      strstr(text, "## Acceptance Criteria\n") && strstr(text, "## Definition of Done\n"));
	free(text);

	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"prompts/get\",\"params\":{"
			 "\"name\":\"write_prd\"}}",
			 &r),
		  200);
	CHECK(json_has(&r, "error.code", "-32602") && !json_has(&r, "result", NULL));
	text = json_text(&r, "error.message", &n);
	CHECK(text && strstr(text, "topic"));
	free(text);
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"prompts/get\",\"params\":{"
			 "\"name\":\"write_backlog_story\",\"arguments\":{\"epic\":\"EPIC-1\"}}}",
			 &r),
		  200);
	CHECK(json_has(&r, "error.code", "-32602"));
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":8,\"method\":\"prompts/get\",\"params\":{"
			 "\"name\":\"write_prd\",\"arguments\":{\"topic\":42}}}",
			 &r),
		  200);
	CHECK(json_has(&r, "error.code", "-32602"));
	CHECK_INT(modern(fd, "prompts/get", "write_prd",
			 "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"prompts/get\",\"params\":{"
			 "\"name\":\"write_prd\"," META "}}",
			 &r),
		  400);
	CHECK(json_has(&r, "error.code", "-32602"));
	close(fd);
	stop(&t);
}

/* Run mcpload-target with args (not listening: --write-files); its stdout
 * and stderr into out and err (terminated). Returns its exit code, or -1. */
static int run_target(const char *const args[], char *out, size_t out_cap, char *err,
		      size_t err_cap)
{
	const char *bin =
	    getenv("MCPLOAD_TARGET") ? getenv("MCPLOAD_TARGET") : "build/mcpload-target";
	char *argv[8];
	int n = 0, po[2], pe[2], st;
	argv[n++] = (char *)bin;
	for (int i = 0; args[i] && n < 7; i++)
		argv[n++] = (char *)args[i];
	argv[n] = NULL;
	if (pipe(po) || pipe(pe))
		return -1;
	pid_t pid = fork();
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		alarm(60);
		execv(bin, argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	/* both outputs are a line or two: far below a pipe's buffer */
	waitpid(pid, &st, 0);
	ssize_t a = read(po[0], out, out_cap - 1), b = read(pe[0], err, err_cap - 1);
	out[a > 0 ? a : 0] = 0;
	err[b > 0 ? b : 0] = 0;
	close(po[0]);
	close(pe[0]);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *dir, const char *rel, size_t *len)
{
	char path[512];
	struct stat st;
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	int fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	char *b = malloc((size_t)st.st_size + 1);
	ssize_t got = b ? read(fd, b, (size_t)st.st_size) : -1;
	close(fd);
	if (got != st.st_size) {
		free(b);
		return NULL;
	}
	b[got] = 0;
	*len = (size_t)got;
	return b;
}

static unsigned lines_with(const char *text, const char *start, const char *has)
{
	unsigned n = 0;
	for (const char *p = text; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		size_t ll = strcspn(p, "\n");
		if (strncmp(p, start, strlen(start)) == 0 && memmem(p, ll, has, strlen(has)))
			n++;
	}
	return n;
}

static const char *const tree[] = {
    "CLAUDE.md",
    "prompts/CLAUDE/python/patterns-core.md",
    "prompts/CLAUDE/python/patterns-tooling.md",
    "prompts/CLAUDE/python/patterns-testing.md",
    "prompts/CLAUDE/python/patterns-typing.md",
    "prompts/CLAUDE/python/patterns-validation.md",
    "prompts/CLAUDE/python/patterns-architecture.md",
    "prompts/CLAUDE/python/patterns-security.md",
    "prompts/CLAUDE/python/patterns-performance.md",
    "prompts/CLAUDE/python/patterns-errors.md",
    "prompts/templates/prd.md",
    "prompts/templates/epic.md",
    "prompts/templates/hls.md",
    "prompts/templates/backlog-story.md",
    "prompts/templates/task.md",
    "prompts/templates/adr.md",
    "prompts/templates/test-plan.md",
    "artifacts/tasks.md",
    "artifacts/id_registry.md",
};

/* The file is the resource's text as resources/read answers it. */
static void check_same_as_read(int fd, const char *sid, const char *dir, const char *rel,
			       const char *uri)
{
	static struct reply r;
	char body[256];
	size_t fl = 0, rl = 0;
	snprintf(body, sizeof(body),
		 "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"resources/read\",\"params\":{"
		 "\"uri\":\"%s\"}}",
		 uri);
	CHECK_INT(legacy(fd, sid, NULL, body, &r), 200);
	char *file = slurp(dir, rel, &fl), *read = json_text(&r, "result.contents.0.text", &rl);
	CHECK(file && read && rl > 1000);
	if (file && read)
		CHECK_MEM(file, fl, read, rl);
	free(file);
	free(read);
}

/* --write-files: the layout, the resources' own bytes, the seeded tracking
 * tables, the same bytes every run (over older files too), and one line
 * with exit 1 when DIR cannot be made. */
static void test_write_files(void)
{
	char base[] = "/tmp/mcpl-files-XXXXXX", a[64], b[64], bad[80], out[512], err[512];
	char sid[40], want[128];
	struct target t;
	static struct reply r;
	size_t la, lb;
	CHECK(mkdtemp(base) != NULL);
	snprintf(a, sizeof(a), "%s/a/tree", base);
	snprintf(b, sizeof(b), "%s/b", base);
	const char *run_a[] = {"--write-files", a, NULL}, *run_b[] = {"--write-files", b, NULL};
	CHECK_INT(run_target(run_a, out, sizeof(out), err, sizeof(err)), 0);
	printf("  --write-files: %s", out);
	CHECK(strncmp(out, "wrote 19 files, ", 16) == 0 && strchr(out, '\n') &&
	      strchr(out, '\n')[1] == 0 && err[0] == 0);
	snprintf(want, sizeof(want), " bytes to %s\n", a);
	CHECK(strstr(out, want) != NULL);
	unsigned long long total = 0, said = 0;
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++) {
		char *f = slurp(a, tree[i], &la);
		CHECK(f != NULL);
		total += f ? la : 0;
		free(f);
	}
	CHECK(sscanf(out, "wrote 19 files, %llu bytes", &said) == 1);
	CHECK_INT(total, said);

	/* byte-identical to resources/read */
	CHECK(start(&t, NULL));
	int fd = dial(&t);
	CHECK(session(fd, sid));
	check_same_as_read(fd, sid, a, "CLAUDE.md", "sdlc://core");
	check_same_as_read(fd, sid, a, "prompts/CLAUDE/python/patterns-testing.md",
			   "patterns://python/testing");
	check_same_as_read(fd, sid, a, "prompts/templates/backlog-story.md",
			   "templates://backlog-story");

	/* the tracking tables: 1,000 tasks as seeded, 500 registry ids with
	 * the path resolve_artifact_path gives */
	char *tasks = slurp(a, "artifacts/tasks.md", &la);
	char *reg = slurp(a, "artifacts/id_registry.md", &lb);
	CHECK_INT(lines_with(tasks, "| TASK-", " |"), 1000);
	CHECK_INT(lines_with(reg, "| ", " | reserved |"), 500);
	CHECK_INT(lines_with(reg, "| US-", " | reserved |"), 100);
	CHECK(tasks &&
	      strstr(tasks, "\n| TASK-0001 | Task 1 of the SDLC backlog | pending | 0 |\n"));
	CHECK_INT(once(&t, "GET", "/tasks/4", NULL, &r), 200);
	CHECK(json_has(&r, "status", "done") && tasks &&
	      strstr(tasks, "\n| TASK-0004 | Task 4 of the SDLC backlog | done | 0 |\n"));
	CHECK_INT(legacy(fd, sid, NULL,
			 "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/call\",\"params\":{"
			 "\"name\":\"resolve_artifact_path\",\"arguments\":{\"artifact_type\":"
			 "\"EPIC\",\"id\":42}}}",
			 &r),
		  200);
	struct jsc_val v;
	const char *m = message(&r);
	CHECK(jsc_get(m, strcspn(m, "\n"), "result.structuredContent.path", &v) == 0);
	snprintf(want, sizeof(want), "\n| EPIC-042 | EPIC | %.*s | reserved |\n", (int)v.len,
		 v.ptr);
	CHECK(reg && strstr(reg, want));
	free(tasks);
	free(reg);
	close(fd);
	stop(&t);

	/* deterministic, and a second run over older, longer files replaces them */
	char junk[200000];
	memset(junk, 'x', sizeof(junk));
	char path[128];
	snprintf(path, sizeof(path), "%s/CLAUDE.md", a);
	int jf = open(path, O_WRONLY | O_TRUNC);
	CHECK(jf >= 0 && write(jf, junk, sizeof(junk)) == (ssize_t)sizeof(junk));
	if (jf >= 0)
		close(jf);
	CHECK_INT(run_target(run_a, out, sizeof(out), err, sizeof(err)), 0);
	CHECK_INT(run_target(run_b, out, sizeof(out), err, sizeof(err)), 0);
	unsigned same = 0;
	for (size_t i = 0; i < sizeof(tree) / sizeof(tree[0]); i++) {
		char *fa = slurp(a, tree[i], &la), *fb = slurp(b, tree[i], &lb);
		same += fa && fb && la == lb && memcmp(fa, fb, la) == 0;
		free(fa);
		free(fb);
	}
	CHECK_INT(same, sizeof(tree) / sizeof(tree[0]));

	/* a DIR under a regular file: one line, exit 1, nothing on stdout */
	snprintf(bad, sizeof(bad), "%s/CLAUDE.md/sub", a);
	const char *run_bad[] = {"--write-files", bad, NULL};
	CHECK_INT(run_target(run_bad, out, sizeof(out), err, sizeof(err)), 1);
	printf("  unwritable: %s", err);
	CHECK(out[0] == 0 && strncmp(err, "mcpload-target: ", 16) == 0 &&
	      strchr(err, '\n') == err + strlen(err) - 1);
	snprintf(path, sizeof(path), "rm -rf '%s'", base);
	CHECK(system(path) == 0);
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

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	test_mcp_legacy(NULL, false);
	const char *sse[] = {"--response", "sse", NULL};
	test_mcp_legacy(sse, true);
	test_mcp_modern();
	test_prompts();
	test_write_files();
	test_mcp_reservations(false);
	test_mcp_reservations(true);
	T_DONE();
}
