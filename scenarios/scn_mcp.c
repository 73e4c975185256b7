/*
 * scn_mcp: MCP scenarios. Tool inputs are representative of the seeds'
 * SDLC server: a backlog story to validate, an artifact path to resolve, a
 * story to store, the next task, an id range. Resources are the server's
 * sdlc://, patterns:// and templates:// URIs, reported apart by X-Cache.
 */
#include "scenarios/scn_mcp.h"

#define S(x) ((uint64_t)(x)*1000000000ull)

static const struct scn_var tool_vars[] = {
    {"artifact_type", "US", "artifact type the tools work on"},
    {"story",
     "# US-{{rand:1:500}}: Reserve ids atomically\\n\\n## User Story\\nAs a planner I want "
     "unique ids.\\n\\n## Acceptance Criteria\\n- [ ] ranges never overlap\\n\\n## Technical "
     "Notes\\nOne registry.\\n",
     "markdown of the story validate_artifact and store_artifact get"},
};

static const struct scn_step tool_steps[] = {
    {.label = "tool validate_artifact",
     .mcp = "tools/call",
     .name = "validate_artifact",
     .args = "{\"artifact_type\":\"{{artifact_type}}\",\"content\":\"{{story}}\"}"},
    {.label = "tool resolve_artifact_path",
     .mcp = "tools/call",
     .name = "resolve_artifact_path",
     .args = "{\"artifact_type\":\"{{artifact_type}}\",\"id\":{{rand:1:500}}}"},
    {.label = "tool store_artifact",
     .mcp = "tools/call",
     .name = "store_artifact",
     .args = "{\"artifact_type\":\"{{artifact_type}}\",\"id\":{{rand:1:500}},"
	     "\"content\":\"{{story}}\"}"},
    {.label = "tool get_next_task", .mcp = "tools/call", .name = "get_next_task"},
    {.label = "tool reserve_id_range",
     .mcp = "tools/call",
     .name = "reserve_id_range",
     .args = "{\"artifact_type\":\"{{artifact_type}}\",\"count\":1}"},
};

static const struct scn_task tool_tasks[] = {
    {"each-tool", 1, tool_steps, SCN_LEN(tool_steps), 0, 0},
};

const struct scn scn_mcp_tools = {
    .name = "mcp-tools",
    .desc = "MCP tools/call of the five SDLC tools in turn, one label each; 10 users x 5 "
	    "iterations = 50 calls per tool",
    .vars = tool_vars,
    .nvars = SCN_LEN(tool_vars),
    .tasks = tool_tasks,
    .ntasks = SCN_LEN(tool_tasks),
    .shape = {.model = SCN_CLOSED, .users = 10, .iterations = 5, .duration_ns = S(300)},
};

static const struct scn_var resource_vars[] = {
    {"uris",
     "sdlc://core*5|patterns://python/core|patterns://python/tooling|patterns://python/"
     "testing|patterns://python/typing|templates://prd|templates://epic|templates://"
     "backlog-story|templates://task",
     "URIs resources/read picks from (weights as name*N), |-separated"},
};

static const struct scn_step read_step[] = {
    {.label = "resources/read",
     .mcp = "resources/read",
     .name = "{{pick:@uris}}",
     .split = "x-cache",
     .split_values = {"HIT", "MISS"}},
};
static const struct scn_step list_step[] = {
    {.label = "resources/list", .mcp = "resources/list"},
};

static const struct scn_task resource_tasks[] = {
    {"read", 9, read_step, SCN_LEN(read_step), 0, 0},
    {"list", 1, list_step, SCN_LEN(list_step), 0, 0},
};

const struct scn scn_mcp_resources = {
    .name = "mcp-resources",
    .desc = "MCP resources/read over the SDLC core, patterns and templates (core weighted 5), "
	    "resources/list 1 in 10; 50 users, 10/s, think 0.1-0.5 s",
    .vars = resource_vars,
    .nvars = SCN_LEN(resource_vars),
    .tasks = resource_tasks,
    .ntasks = SCN_LEN(resource_tasks),
    .shape = {.model = SCN_CLOSED,
	      .users = 50,
	      .spawn_rate = 10,
	      .think_min_ns = 100000000ull,
	      .think_max_ns = 500000000ull,
	      .duration_ns = S(60)},
};

static const struct scn_var reserve_vars[] = {
    {"artifact_type", "US", "artifact type the ids are reserved for"},
    {"count", "10", "ids per reservation"},
};

static const struct scn_step reserve[] = {
    {.label = "reserve_id_range",
     .mcp = "tools/call",
     .name = "reserve_id_range",
     .args = "{\"artifact_type\":\"{{artifact_type}}\",\"count\":{{count}}}"},
};

static const struct scn_task reserve_tasks[] = {
    {"reserve", 1, reserve, SCN_LEN(reserve), 0, 0},
};

static const struct scn_check reserve_checks[] = {
    {.name = "ranges_disjoint",
     .kind = SCN_CHECK_DISJOINT,
     .label = "reserve_id_range",
     .start = "result.structuredContent.start",
     .end = "result.structuredContent.end",
     .count = "result.structuredContent.count",
     .what = "reserved ranges are pairwise disjoint and each holds `count` ids"},
};

const struct scn scn_mcp_id_reservation = {
    .name = "id-reservation-mcp",
    .desc = "50 concurrent MCP reserve_id_range calls (US, 10 ids each); the ranges must not "
	    "overlap",
    .vars = reserve_vars,
    .nvars = SCN_LEN(reserve_vars),
    .tasks = reserve_tasks,
    .ntasks = SCN_LEN(reserve_tasks),
    .checks = reserve_checks,
    .nchecks = SCN_LEN(reserve_checks),
    .shape = {.model = SCN_CLOSED, .users = 50, .iterations = 1, .duration_ns = S(60)},
};

#define READ(uri)                                                                                  \
	{                                                                                          \
		.label = "mcp resources/read", .mcp = "resources/read", .name = uri,               \
		.split = "x-cache", .split_values = {                                              \
			"HIT",                                                                     \
			"MISS"                                                                     \
		}                                                                                  \
	}
#define GET(route)                                                                                 \
	{                                                                                          \
		.label = "rest resources", .method = "GET", .path = route, .split = "x-cache",     \
		.split_values = {                                                                  \
			"HIT",                                                                     \
			"MISS"                                                                     \
		}                                                                                  \
	}

static const struct scn_step sweep[] = {
    READ("sdlc://core"),
    READ("patterns://python/core"),
    READ("patterns://python/tooling"),
    READ("patterns://python/testing"),
    READ("patterns://python/typing"),
    READ("patterns://python/validation"),
    READ("patterns://python/architecture"),
    READ("patterns://python/security"),
    READ("patterns://python/performance"),
    READ("patterns://python/errors"),
    READ("templates://prd"),
    READ("templates://epic"),
    READ("templates://hls"),
    READ("templates://backlog-story"),
    READ("templates://task"),
    READ("templates://adr"),
    READ("templates://test-plan"),
    GET("/mcp/resources/sdlc/core"),
    GET("/mcp/resources/patterns/core"),
    GET("/mcp/resources/patterns/tooling"),
    GET("/mcp/resources/patterns/testing"),
    GET("/mcp/resources/patterns/typing"),
    GET("/mcp/resources/patterns/validation"),
    GET("/mcp/resources/patterns/architecture"),
    GET("/mcp/resources/patterns/security"),
    GET("/mcp/resources/patterns/performance"),
    GET("/mcp/resources/patterns/errors"),
    GET("/mcp/resources/templates/prd"),
    GET("/mcp/resources/templates/epic"),
    GET("/mcp/resources/templates/hls"),
    GET("/mcp/resources/templates/backlog-story"),
    GET("/mcp/resources/templates/task"),
    GET("/mcp/resources/templates/adr"),
    GET("/mcp/resources/templates/test-plan"),
};

static const struct scn_task sweep_tasks[] = {
    {"sweep", 1, sweep, SCN_LEN(sweep), 0, 0},
};

const struct scn scn_resource_sweep = {
    .name = "resource-sweep",
    .desc = "every resource once per iteration through MCP resources/read (17) and the REST "
	    "routes (17); 1 user x 10 iterations",
    .tasks = sweep_tasks,
    .ntasks = SCN_LEN(sweep_tasks),
    .shape = {.model = SCN_CLOSED, .users = 1, .iterations = 10, .duration_ns = S(300)},
};

static const struct scn_var call_vars[] = {
    {"method", "tools/call",
     "the JSON-RPC method: tools/call, resources/read, prompts/get, tools/list, ping..."},
    {"name", "", "the tool or prompt name, or the uri for resources/read"},
    {"args", "{}", "the arguments (tools/call, prompts/get) or params (other methods), one object"},
};

static const struct scn_step call_step[] = {
    {.label = "{{method}} {{name}}", .mcp = "{{method}}", .name = "{{name}}", .args = "{{args}}"},
};

static const struct scn_task call_tasks[] = {
    {"call", 1, call_step, SCN_LEN(call_step), 0, 0},
};

const struct scn scn_mcp_call = {
    .name = "mcp-call",
    .desc = "any one MCP request, from --set method=, name=, args=: the generic load for any "
	    "server; 10 users, 10 s",
    .vars = call_vars,
    .nvars = SCN_LEN(call_vars),
    .tasks = call_tasks,
    .ntasks = SCN_LEN(call_tasks),
    .shape = {.model = SCN_CLOSED, .users = 10, .duration_ns = S(10)},
};
