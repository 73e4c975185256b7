/*
 * scn: the scenario tables. A scenario is a name, a one-line description,
 * variables with defaults, weighted tasks made of steps (request templates
 * with a label, expectations and captures), post-run checks and a default
 * load shape. Every scenario is `static const` data; scenarios/plan compiles
 * one into what the engine runs. docs/scenarios.md is the guide.
 */
#ifndef MCPL_SCENARIOS_SCN_H
#define MCPL_SCENARIOS_SCN_H

#include <stdbool.h>
#include <stdint.h>

#define SCN_MAX_CAPTURES 4
#define SCN_MAX_STAGES	 16
#define SCN_MAX_SPLIT	 4
#define SCN_STATUS_ANY	 1000 /* a step's status: any below 400 */

/* A value taken from a response into a per-user variable. Exactly one of
 * json (a dotted path into the JSON body, e.g. "result.task.id") and header
 * (a response header name, lower case) is set. */
struct scn_capture {
	const char *var;
	const char *json;
	const char *header;
};

/*
 * One request. An MCP step sets `mcp` (the JSON-RPC method) and, by method,
 * `name` (tools/call, prompts/get: the name; resources/read: the uri) and
 * `args` (the arguments object; for other methods the params object); the
 * plan writes the POST to the MCP endpoint with the era's headers, the
 * JSON-RPC envelope and a fresh id, so method, path and body stay unset.
 * Its expectations, captures and checks read the JSON-RPC response message
 * ("result.structuredContent.start"), from a JSON body or an SSE stream.
 */
struct scn_step {
	const char *label;   /* name its statistics are reported under */
	const char *method;  /* a token: GET, PUT, POST... */
	const char *path;    /* template, appended to the target URL's path */
	const char *headers; /* template of "Name: value\r\n" lines, or NULL */
	const char *body;    /* template, or NULL (sent as application/json) */
	/* Expected status: 0 (the default) 2xx, SCN_STATUS_ANY any below 400,
	 * 1..5 a class (4 is 4xx), else exact. */
	unsigned status;
	const char *contains; /* the body must contain these bytes, or NULL */
	const char *json_has; /* "path" must exist, or "path=value" (the value's
				 text: a string unquoted, else as written) */
	struct scn_capture captures[SCN_MAX_CAPTURES];
	const char *split; /* also report apart by this header's value (lower case) */
	const char *split_values[SCN_MAX_SPLIT];
	const char *mcp;  /* MCP method, or NULL for a plain HTTP step */
	const char *name; /* template */
	const char *args; /* template of a JSON object, NULL: {} */
};

struct scn_task {
	const char *name;
	unsigned weight; /* relative; an iteration picks one task by weight */
	const struct scn_step *steps;
	unsigned nsteps;
	/* Think time after this task, uniform in [min, max]; both 0: the
	 * shape's (or --think's). */
	uint64_t think_min_ns, think_max_ns;
};

enum scn_check_kind {
	SCN_CHECK_DISJOINT, /* ranges pairwise disjoint, each holding `count` values */
	SCN_CHECK_UNIQUE,   /* the value at `start` never repeats */
};

/* Values gathered from every response of one label, across all workers,
 * checked after the run. A failing check fails the scenario. */
struct scn_check {
	const char *name;
	enum scn_check_kind kind;
	const char *label;
	/* JSON paths to integers. DISJOINT takes end, count or both: a range
	 * is [start, end] (or [start, end) with end_exclusive), or start and
	 * count values from it; with both, the count must agree. */
	const char *start, *end, *count;
	bool end_exclusive;
	const char *what; /* one line for the report */
};

/* One segment of a load shape: ramp linearly from the previous target (0 at
 * the start) to `target` users (closed model) or iterations/s (open model). */
struct scn_stage {
	uint64_t duration_ns;
	double target;
};

enum scn_model { SCN_CLOSED, SCN_OPEN };

struct scn_shape {
	enum scn_model model;
	unsigned users;	   /* closed: virtual users; open: the pool (most at once) */
	double spawn_rate; /* closed: users started per second; 0: all at once */
	uint64_t think_min_ns, think_max_ns; /* closed: after each task */
	uint64_t iterations;		     /* per user; 0: until the duration ends */
	uint64_t duration_ns;		     /* 0 with iterations: until all are done */
	double rate;			     /* open: iterations started per second */
	struct scn_stage stages[SCN_MAX_STAGES];
	unsigned nstages; /* 0: the flat shape above */
};

/* A scenario variable: {{name}} in templates, overridden by --set. */
struct scn_var {
	const char *name;
	const char *value; /* default, or NULL: only captured */
	const char *doc;
};

struct scn {
	const char *name;
	const char *desc;
	const struct scn_var *vars;
	unsigned nvars;
	const struct scn_task *tasks;
	unsigned ntasks;
	const struct scn_check *checks;
	unsigned nchecks;
	struct scn_shape shape;
};

#define SCN_LEN(a) (unsigned)(sizeof(a) / sizeof((a)[0]))

/* True when some step of s is an MCP step. */
bool scn_has_mcp(const struct scn *s);

/* The compiled-in scenarios, by name; NULL when unknown. */
const struct scn *scn_find(const char *name);

/* All of them, in listing order; *n gets the count. */
const struct scn *const *scn_all(unsigned *n);

#endif
