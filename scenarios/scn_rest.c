/*
 * scn_rest: the REST scenarios of the seeds: resource loading with the
 * Locust mix of seed 003 (5:4:2:1), the Task Tracking API's claim-and-update
 * flow (NFR-Performance-04), and concurrent ID reservations with the
 * disjointness check (NFR-Performance-05).
 */
#include "scenarios/scn_rest.h"

#define MS(x) ((uint64_t)(x)*1000000ull)
#define S(x)  ((uint64_t)(x)*1000000000ull)

static const struct scn_var resource_vars[] = {
    {"patterns", "core|tooling|testing|typing|validation|architecture|security|performance|errors",
     "pattern resources the patterns task picks from, |-separated"},
    {"templates", "prd|epic|hls|backlog-story|task|adr|test-plan",
     "template resources the templates task picks from, |-separated"},
};

static const struct scn_step sdlc_core[] = {
    {.label = "sdlc_core",
     .method = "GET",
     .path = "/mcp/resources/sdlc/core",
     .split = "x-cache",
     .split_values = {"HIT", "MISS"}},
};
static const struct scn_step pattern[] = {
    {.label = "patterns",
     .method = "GET",
     .path = "/mcp/resources/patterns/{{pick:@patterns}}",
     .split = "x-cache",
     .split_values = {"HIT", "MISS"}},
};
static const struct scn_step template[] = {
    {.label = "templates",
     .method = "GET",
     .path = "/mcp/resources/templates/{{pick:@templates}}",
     .split = "x-cache",
     .split_values = {"HIT", "MISS"}},
};
static const struct scn_step listing[] = {
    {.label = "template_list", .method = "GET", .path = "/mcp/resources/templates"},
};

static const struct scn_task resource_tasks[] = {
    {"sdlc-core", 5, sdlc_core, SCN_LEN(sdlc_core), 0, 0},
    {"patterns", 4, pattern, SCN_LEN(pattern), 0, 0},
    {"templates", 2, template, SCN_LEN(template), 0, 0},
    {"listing", 1, listing, SCN_LEN(listing), 0, 0},
};

const struct scn scn_rest_resources = {
    .name = "rest-resources",
    .desc = "seed 003's Locust mix on /mcp/resources: core 5, patterns 4, templates 2, "
	    "listing 1; 100 users, 10/s, think 0.1-0.5 s",
    .vars = resource_vars,
    .nvars = SCN_LEN(resource_vars),
    .tasks = resource_tasks,
    .ntasks = SCN_LEN(resource_tasks),
    .shape = {.model = SCN_CLOSED,
	      .users = 100,
	      .spawn_rate = 10,
	      .think_min_ns = MS(100),
	      .think_max_ns = MS(500),
	      .duration_ns = S(300)},
};

static const struct scn_var task_vars[] = {
    {"status", "in_progress|done", "statuses the update picks from, |-separated"},
};

static const struct scn_step claim_update[] = {
    {.label = "tasks_next",
     .method = "GET",
     .path = "/tasks/next",
     .status = 200,
     .captures = {{.var = "task_id", .json = "id"}}},
    {.label = "task_status",
     .method = "PUT",
     .path = "/tasks/{{task_id}}/status",
     .body = "{\"status\":\"{{pick:@status}}\"}",
     .status = 200,
     .json_has = "handed_out=true"},
};

static const struct scn_task task_tasks[] = {
    {"claim-and-update", 1, claim_update, SCN_LEN(claim_update), 0, 0},
};

const struct scn scn_rest_task_api = {
    .name = "task-api",
    .desc = "Task Tracking API: GET /tasks/next, then PUT /tasks/{id}/status on that task; "
	    "open model, 50 iterations/s (100 req/s) for 60 s",
    .vars = task_vars,
    .nvars = SCN_LEN(task_vars),
    .tasks = task_tasks,
    .ntasks = SCN_LEN(task_tasks),
    .shape = {.model = SCN_OPEN, .users = 64, .rate = 50, .duration_ns = S(60)},
};

static const struct scn_var reserve_vars[] = {
    {"artifact_type", "US", "artifact type the ids are reserved for"},
    {"count", "10", "ids per reservation"},
};

static const struct scn_step reserve[] = {
    {.label = "reserve",
     .method = "POST",
     .path = "/ids/reserve",
     .body = "{\"artifact_type\":\"{{artifact_type}}\",\"count\":{{count}}}",
     .status = 200},
};

static const struct scn_task reserve_tasks[] = {
    {"reserve", 1, reserve, SCN_LEN(reserve), 0, 0},
};

static const struct scn_check reserve_checks[] = {
    {.name = "ranges_disjoint",
     .kind = SCN_CHECK_DISJOINT,
     .label = "reserve",
     .start = "start",
     .end = "end",
     .count = "count",
     .what = "reserved ranges are pairwise disjoint and each holds `count` ids"},
};

const struct scn scn_rest_id_reservation = {
    .name = "id-reservation-rest",
    .desc = "50 concurrent POST /ids/reserve (US, 10 ids each); the ranges must not overlap",
    .vars = reserve_vars,
    .nvars = SCN_LEN(reserve_vars),
    .tasks = reserve_tasks,
    .ntasks = SCN_LEN(reserve_tasks),
    .checks = reserve_checks,
    .nchecks = SCN_LEN(reserve_checks),
    .shape = {.model = SCN_CLOSED, .users = 50, .iterations = 1, .duration_ns = S(60)},
};
