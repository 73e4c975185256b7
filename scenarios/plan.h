/*
 * plan: a scenario compiled for one run: every step's request head and body
 * as templates (with the target's Host, base path and -H headers baked in),
 * labels and their header splits, the variable table (defaults, --set
 * values, capture slots), cumulative task weights, and buffer bounds. Built
 * once before the workers start; read-only afterwards, shared by all.
 */
#ifndef MCPL_SCENARIOS_PLAN_H
#define MCPL_SCENARIOS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol/h1w.h"
#include "protocol/mcp.h"
#include "scenarios/scn.h"
#include "scenarios/tmpl.h"

#define PLAN_MAX_STEPS	64
#define PLAN_MAX_TASKS	32
#define PLAN_MAX_LABELS 32
#define PLAN_MAX_VARS	32
#define PLAN_MAX_SETS	32
#define PLAN_MAX_CHECKS 4
/* Bytes kept of one captured value (ids, session ids, tokens). */
#define PLAN_VAR_BYTES 256u
/* Bytes of response body kept per user for steps that read it. */
#define PLAN_BODY_BYTES (256u << 10)
/* Text of the step fields resolved at build time (see plan.own). */
#define PLAN_TEXT_BYTES (32u << 10)

struct plan_step {
	const struct scn_step *def;
	struct tmpl head; /* request line, Host, headers; no Content-Length */
	struct tmpl body;
	bool has_body;
	unsigned label;			   /* index into plan.labels */
	int capture_var[SCN_MAX_CAPTURES]; /* variable index of each capture, -1: none */
	bool need_body;			   /* captures, expectations or a check read it */
	bool need_headers;		   /* header captures or a split */
	int check;			   /* index of the check gathering its values, -1 */
	char has_path[128];		   /* json_has split at '=' */
	const char *has_value;		   /* NULL: presence only */
	bool mcp;			   /* a JSON-RPC request to the MCP endpoint */
	bool has_name;			   /* name: its template, rendered once per
					      request into plan.mcp.name_var (the
					      header and the body must agree) */
	struct tmpl name;
	size_t max_len; /* bound on the rendered request, bytes */
};

struct plan_task {
	unsigned first, nsteps; /* steps[first .. first + nsteps) */
	double upto;		/* cumulative weight share: pick while u < upto */
	uint64_t think_min_ns, think_max_ns;
};

/* Statistics slots: label i has `1 + nsplit` tallies from `slot`: all of
 * its responses, then one per split value. */
struct plan_label {
	const char *name;
	const char *split; /* header name, lower case, or NULL */
	const char *const *split_values;
	unsigned nsplit;
	unsigned slot;
};

struct plan_var {
	const char *name;
	const char *value; /* default or --set value, NULL when only captured */
	size_t len;
	bool captured; /* some step captures into it: reset each iteration */
	bool session;  /* MCP session state: kept across iterations */
};

/* What the plan adds for MCP steps: the era, the legacy session steps
 * (initialize, notifications/initialized, DELETE; -1 when modern) and the
 * variables the engine fills. */
struct plan_mcp {
	enum mcp_era era; /* MCP_ERA_NONE: the scenario has no MCP steps */
	bool churn;	  /* a new session every iteration */
	int init, notify, end;
	int version_var;  /* negotiated version (legacy) */
	int session_var;  /* the Mcp-Session-Id header line, "" when stateless */
	int name_var;	  /* the request's rendered name (a name with slots) */
	int name_hdr_var; /* the same as Mcp-Name's value (modern) */
	unsigned setup_label;
	struct scn_step defs[3];
};

struct plan {
	const struct scn *scn;
	struct scn_shape shape; /* the scenario's, with the command line's overrides */
	struct plan_step steps[PLAN_MAX_STEPS];
	unsigned nsteps;
	struct plan_task tasks[PLAN_MAX_TASKS];
	unsigned ntasks;
	struct plan_label labels[PLAN_MAX_LABELS];
	unsigned nlabels;
	unsigned nslots; /* statistics slots over all labels */
	struct plan_var vars[PLAN_MAX_VARS];
	const char *names[PLAN_MAX_VARS];
	unsigned nvars;
	size_t req_cap;	 /* per-user request buffer: the largest step's bound */
	size_t body_cap; /* per-user body buffer; 0 when no step reads bodies */
	struct plan_mcp mcp;
	/* A step whose MCP method, label or arguments name a fixed variable
	 * ({{method}}) is copied here with those fields resolved, so a generic
	 * table (mcp-call) takes them from --set; text holds the strings. */
	struct scn_step own[PLAN_MAX_STEPS];
	char text[PLAN_TEXT_BYTES];
	size_t ntext;
};

struct plan_opts {
	const char *authority; /* Host value */
	const char *base_path; /* the target URL's path; "/" or "" for none */
	const struct h1w_header *headers;
	size_t nheaders;
	const char *const *sets; /* "name=value" from --set */
	unsigned nsets;
	/* MCP steps: the era to speak (MCP_ERA_NONE is refused when the
	 * scenario has MCP steps), the version offered in initialize (legacy),
	 * the endpoint's path after the target URL's path, a session per
	 * iteration */
	enum mcp_era mcp_era;
	const char *mcp_version;
	const char *mcp_path;
	bool session_churn;
};

/*
 * Compile scenario s with shape (already merged with the command line).
 * Returns 0, or -EINVAL with a one-line reason in why (unknown --set name,
 * a template that does not compile, a table that breaks a limit).
 */
int plan_build(struct plan *p, const struct scn *s, const struct scn_shape *shape,
	       const struct plan_opts *o, char *why, size_t why_len);

/* Index of the task an iteration runs, for u uniform in (0, 1). */
unsigned plan_pick_task(const struct plan *p, double u);

/* The step's statistics slot for a split value (NULL or unmatched: the
 * label's own slot only, returned as -1). */
int plan_split_slot(const struct plan *p, const struct plan_step *st, const char *v, size_t len);

#endif
