/*
 * MCP framing (protocol/mcp), the verdict bands (stats/verdict) and the
 * Prometheus text reader (protocol/prom): request text for both eras,
 * message reading in any member order, tolerance bands at their edges.
 */
#include "core/cmd/repeat.h"
#include "protocol/mcp.h"
#include "protocol/prom.h"
#include "scenarios/nfr.h"
#include "stats/assess.h"
#include "stats/verdict.h"
#include "tests/t.h"

#include <math.h>
#include <stdlib.h>

/* NFR-04 judged over n responses of lat_ms each, the generator late. */
static enum verdict judge_late(uint64_t lat_ms, struct assess_nfr *n)
{
	memset(n, 0, sizeof(*n));
	n->def = nfr_find("NFR-Performance-04");
	n->ran = true;
	n->all = calloc(1, sizeof(*n->all));
	n->hit = calloc(1, sizeof(*n->hit));
	n->miss = calloc(1, sizeof(*n->miss));
	if (!n->def || !n->all || !n->hit || !n->miss)
		return VERDICT_NOT_MEASURED;
	for (int i = 0; i < 1000; i++)
		hist_record(&n->all->latency, lat_ms * 1000000ull);
	n->all->responses = 1000;
	n->all->status[200] = 1000;
	snprintf(n->late, sizeof(n->late), "only 98.60%% of 501 scheduled requests were on time");
	assess_judge(n);
	free(n->all);
	free(n->hit);
	free(n->miss);
	return n->verdict;
}

/* --repeat's figures: mean and sample CV. */
static void test_repeat_stats(void)
{
	const double v[] = {1, 2, 3}, one[] = {7};
	double mean, cv;
	repeat_stats(v, 3, &mean, &cv);
	CHECK(mean == 2 && fabs(cv - 50) < 1e-9); /* stddev 1 over mean 2 */
	repeat_stats(one, 1, &mean, &cv);
	CHECK(mean == 7 && cv == 0);
	repeat_stats(v, 0, &mean, &cv);
	CHECK(mean == 0 && cv == 0);
}

/* Notifications counted by method name, merged across workers. */
static void test_methods(void)
{
	static struct tally a, b;
	char longname[64];
	memset(longname, 'x', sizeof(longname));
	tally_count_method(&a.mcp, "notifications/message", 21, 2);
	tally_count_method(&b.mcp, "notifications/progress", 22, 1);
	tally_count_method(&b.mcp, "notifications/message", 21, 3);
	tally_count_method(&b.mcp, longname, sizeof(longname), 1);
	tally_merge(&a, &b);
	CHECK(!strcmp(a.mcp.methods[0].name, "notifications/message") && a.mcp.methods[0].n == 5);
	CHECK(!strcmp(a.mcp.methods[1].name, "notifications/progress") && a.mcp.methods[1].n == 1);
	CHECK(a.mcp.methods_other == 1 && a.mcp.methods[2].n == 0);
	for (int i = 0; i < TALLY_METHODS + 2; i++) {
		char m[16];
		snprintf(m, sizeof(m), "m%d", i);
		tally_count_method(&b.mcp, m, strlen(m), 1);
	}
	CHECK(b.mcp.methods_other == 1 + 4); /* the long name, then 4 past the table */
}

/* Mcp-Name: visible ASCII as it is, anything else base64 (2026-07-28). */
static void test_name_header(void)
{
	char out[64];
	CHECK(mcp_name_header("echo", 4, out, sizeof(out)) == 4 && !strcmp(out, "echo"));
	CHECK(mcp_name_header("docs://a b", 10, out, sizeof(out)) == 10);
	CHECK(mcp_name_header("h\xc3\xa9llo", 6, out, sizeof(out)) > 0 &&
	      !strcmp(out, "=?base64?aMOpbGxv?="));
	CHECK(mcp_name_header(" a", 2, out, sizeof(out)) > 0 && !strcmp(out, "=?base64?IGE=?="));
	CHECK(mcp_name_header("\xe6\x97\xa5\xe6\x9c\xac", 6, out, sizeof(out)) > 0 &&
	      !strcmp(out, "=?base64?5pel5pys?="));
	CHECK(mcp_name_header("h\xc3\xa9llo", 6, out, 12) == -1);
	struct mcp_req rq = {MCP_ERA_MODERN, "tools/call", "\xc3\xa9", NULL, "1", NULL, NULL, "1"};
	char hdrs[256];
	CHECK(mcp_header_src(hdrs, sizeof(hdrs), &rq) > 0 &&
	      strstr(hdrs, "Mcp-Name: =?base64?w6k=?=\r\n") != NULL);
}

/* A late generator that sent every arrival: its delay is inside the
 * corrected latency, so a PASS stands and only a worse verdict is doubted. */
static void test_late_generator(void)
{
	static struct assess_nfr n;
	CHECK(judge_late(1, &n) == VERDICT_PASS);
	CHECK(n.inconclusive[0] == 0);
	CHECK(judge_late(300, &n) == VERDICT_INCONCLUSIVE);
	CHECK(strstr(n.inconclusive, "on time") != NULL);
}

static void test_bodies(void)
{
	char b[2048], h[512];
	struct mcp_req call = {
	    MCP_ERA_MODERN, "tools/call", "reserve_id_range", "{\"count\":5}", "{{rpc_id}}", NULL,
	    NULL,	    "0.1.0"};
	CHECK(mcp_body_src(b, sizeof(b), &call) > 0);
	CHECK(strstr(b, "\"method\":\"tools/call\",\"params\":{\"name\":\"reserve_id_range\","
			"\"arguments\":{\"count\":5},\"_meta\":{\"io.modelcontextprotocol/"
			"protocolVersion\":\"2026-07-28\"") != NULL);
	CHECK(strstr(b, "\"io.modelcontextprotocol/clientCapabilities\":{}}}}") != NULL);
	CHECK(mcp_header_src(h, sizeof(h), &call) > 0);
	CHECK(!strcmp(h, "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: "
			 "2026-07-28\r\nMcp-Method: tools/call\r\nMcp-Name: reserve_id_range\r\n"));
	struct mcp_req list = {MCP_ERA_MODERN, "tools/list", NULL, NULL, "7", NULL, NULL, "1"};
	CHECK(mcp_body_src(b, sizeof(b), &list) > 0);
	CHECK(strstr(b, "\"params\":{\"_meta\":{") != NULL);
	struct mcp_req ping = {MCP_ERA_MODERN, "ping", NULL, NULL, "1", NULL, NULL, "1"};
	CHECK_INT(mcp_body_src(b, sizeof(b), &ping), -1); /* removed in 2026-07-28 */
	struct mcp_req read = {MCP_ERA_LEGACY,
			       "resources/read",
			       "sdlc://core",
			       NULL,
			       "3",
			       "{{mcp_version}}",
			       "{{mcp_session_line}}",
			       "1"};
	CHECK(mcp_body_src(b, sizeof(b), &read) > 0);
	CHECK(!strcmp(b, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"resources/read\","
			 "\"params\":{\"uri\":\"sdlc://core\"}}"));
	CHECK(mcp_header_src(h, sizeof(h), &read) > 0);
	CHECK(!strcmp(h, "Accept: application/json, text/event-stream\r\nMCP-Protocol-Version: "
			 "{{mcp_version}}\r\n{{mcp_session_line}}"));
	struct mcp_req init = {MCP_ERA_LEGACY, "initialize", NULL,   NULL, "1",
			       "2025-11-25",   NULL,	     "0.1.0"};
	CHECK(mcp_body_src(b, sizeof(b), &init) > 0);
	CHECK(strstr(b, "\"protocolVersion\":\"2025-11-25\",\"capabilities\":{},\"clientInfo\":"
			"{\"name\":\"mcpload\",\"version\":\"0.1.0\"}") != NULL);
	CHECK(mcp_header_src(h, sizeof(h), &init) > 0);
	CHECK(strstr(h, "MCP-Protocol-Version") == NULL);
	struct mcp_req note = {
	    MCP_ERA_LEGACY, "notifications/initialized", NULL, NULL, "1", "v", "", "1"};
	CHECK(mcp_body_src(b, sizeof(b), &note) > 0);
	CHECK(!strcmp(b, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"));
	CHECK_INT(mcp_body_src(b, 20, &call), -1);
	struct mcp_req bad = {MCP_ERA_LEGACY, "prompts/list", NULL, "[1]", "1", "v", "", "1"};
	CHECK_INT(mcp_body_src(b, sizeof(b), &bad), -1); /* params must be an object */
}

static void test_messages(void)
{
	struct mcp_msg m;
	static const char ok[] =
	    "{\"result\":{\"content\":[],\"isError\":false},\"jsonrpc\":\"2.0\","
	    "\"id\":3}";
	CHECK_INT(mcp_msg_parse(ok, sizeof(ok) - 1, &m), 0);
	CHECK(m.kind == MCP_MSG_RESPONSE && !m.rpc_error && !m.tool_error);
	CHECK(mcp_msg_id_is(&m, 3) && !mcp_msg_id_is(&m, 33));
	static const char tool[] =
	    " {\"jsonrpc\":\"2.0\",\"id\":\"9\",\"result\":{\"isError\":true}}";
	CHECK_INT(mcp_msg_parse(tool, sizeof(tool) - 1, &m), 0);
	CHECK(m.tool_error && mcp_msg_id_is(&m, 9));
	static const char err[] = "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32001,"
				  "\"message\":\"Session not found\"}}";
	CHECK_INT(mcp_msg_parse(err, sizeof(err) - 1, &m), 0);
	CHECK(m.rpc_error && m.code == -32001 && !mcp_msg_id_is(&m, 0));
	static const char note[] = "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\","
				   "\"params\":{\"progress\":1}}";
	CHECK_INT(mcp_msg_parse(note, sizeof(note) - 1, &m), 0);
	CHECK(m.kind == MCP_MSG_NOTIFICATION && jsc_is(&m.method, "notifications/progress"));
	static const char req[] = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"roots/list\"}";
	CHECK_INT(mcp_msg_parse(req, sizeof(req) - 1, &m), 0);
	CHECK(m.kind == MCP_MSG_REQUEST);
	CHECK_INT(mcp_msg_parse("[1]", 3, &m), -1);
	CHECK_INT(mcp_msg_parse("{\"id\":1}", 8, &m), -1);
	CHECK_INT(mcp_msg_parse("{\"id\":1,\"result\":", 17, &m), -1);
	CHECK_INT(mcp_msg_parse("", 0, &m), -1);
	CHECK(mcp_version_era("2025-06-18", 10) == MCP_ERA_LEGACY);
	CHECK(mcp_version_era("2026-07-28", 10) == MCP_ERA_MODERN);
	CHECK(mcp_version_era("2024-11-05", 10) == MCP_ERA_NONE);
}

static void test_verdicts(void)
{
	CHECK(verdict_at_most(100, 100) == VERDICT_PASS);
	CHECK(verdict_at_most(105, 100) == VERDICT_PASS_TOLERANCE);
	CHECK(verdict_at_most(105.5, 100) == VERDICT_WARNING);
	CHECK(verdict_at_most(110, 100) == VERDICT_WARNING);
	CHECK(verdict_at_most(110.1, 100) == VERDICT_FAIL);
	CHECK(verdict_at_most(0, 0) == VERDICT_PASS && verdict_at_most(1, 0) == VERDICT_FAIL);
	CHECK(verdict_at_least(70, 70) == VERDICT_PASS);
	CHECK(verdict_at_least(66.6, 70) == VERDICT_PASS_TOLERANCE);
	CHECK(verdict_at_least(63.5, 70) == VERDICT_WARNING);
	CHECK(verdict_at_least(62, 70) == VERDICT_FAIL);
	CHECK(!strcmp(verdict_name(VERDICT_PASS_TOLERANCE), "PASS"));
	CHECK(verdict_note(VERDICT_PASS_TOLERANCE) && !verdict_note(VERDICT_PASS));
	CHECK(verdict_worst(VERDICT_WARNING, VERDICT_FAIL) == VERDICT_FAIL);
	CHECK(verdict_worst(VERDICT_INCONCLUSIVE, VERDICT_FAIL) == VERDICT_INCONCLUSIVE);
}

static void test_prom(void)
{
	static const char text[] =
	    "# HELP x y\n# TYPE c counter\nc{a=\"1\"} 3\nc{a=\"}\\\"\"} 4.5\n"
	    "c_total 100\nc 2 1700000000\n";
	double v;
	CHECK_INT(prom_sum(text, sizeof(text) - 1, "c", &v), 3);
	CHECK(v == 9.5);
	CHECK_INT(prom_sum(text, sizeof(text) - 1, "c_total", &v), 1);
	CHECK(v == 100);
	CHECK_INT(prom_sum(text, sizeof(text) - 1, "missing", &v), 0);
	CHECK_INT(prom_sum("c{a=\"1\" 3\n", 10, "c", &v), -1);
	CHECK_INT(prom_sum("c abc\n", 6, "c", &v), -1);
}

int main(void)
{
	test_bodies();
	test_messages();
	test_verdicts();
	test_late_generator();
	test_name_header();
	test_methods();
	test_repeat_stats();
	test_prom();
	T_DONE();
}
