/*
 * sconf: a suite configuration, what one team's server has for each NFR:
 * the resources and the cache signal (NFR-01), the tools and their
 * arguments (NFR-02), the token-efficiency workflows (NFR-03), the REST flow, what it changes and
 * how that is undone (NFR-04), the reservation calls and how to read a range (NFR-05), each target
 * figure that differs from the default. Read from a TOML file (docs/suite.md, "Configuration";
 * mcpload init writes one) with the scenario file's rules, or filled from discovery; scenarios/snfr
 * turns it into the suite's phases.
 */
#ifndef MCPL_SCENARIOS_SCONF_H
#define MCPL_SCENARIOS_SCONF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/limits.h"
#include "protocol/toml.h"
#include "scenarios/sfile.h"
#include "scenarios/wflow.h"

#define SCONF_MAX_ITEMS	  256 /* resources or REST paths of NFR-01 */
#define SCONF_MAX_TOOLS	  30  /* NFR-02: one label each (the plan's limit, setup aside) */
#define SCONF_MAX_TARGETS 32

struct sconf_tool {
	const char *name;
	const char *args; /* a JSON object (template text), or NULL: {} */
};

/* How an NFR-05 half reserves and reads a range. */
struct sconf_reserve {
	bool set;
	const char *tool, *args;	 /* MCP: tools/call */
	struct scn_step step;		 /* REST: method, path, body, status */
	const char *start, *end, *count; /* JSON paths in the response */
	bool end_exclusive;
};

struct sconf_target {
	unsigned nfr; /* 0 NFR-01 .. 4 NFR-05 */
	const char *key;
	double value;
};

struct sconf {
	const char *name; /* the file, for messages ("" when filled by hand) */
	bool discovered;  /* filled from what the server lists, not from a file */
	const char *target, *mcp_path, *metrics_url;
	const char *headers[LIM_USER_HEADERS]; /* "Name: value", ${NAME} taken */
	unsigned nheaders;
	/* [nfrNN] present (configured), and not_applicable = "why" */
	bool has[5];
	const char *not_applicable[5];
	/* NFR-01 */
	const char *resources[SCONF_MAX_ITEMS];
	unsigned nresources;
	const char *rest[SCONF_MAX_ITEMS]; /* GET paths */
	unsigned nrest;
	const char *cache_header, *cache_hit, *cache_miss, *hits_metric, *misses_metric;
	/* NFR-02 */
	struct sconf_tool tools[SCONF_MAX_TOOLS];
	unsigned ntools;
	uint64_t calls; /* per tool, 0: the default (50) */
	/* NFR-03 */
	struct wflow_set wf;
	/* NFR-04 */
	struct sfile flow;    /* [[nfr04.step]] and [nfr04.variables] */
	struct sfile restore; /* [[nfr04.restore]] */
	bool has_restore;
	bool destructive;     /* destructive = true: changing data is acknowledged */
	double rate;	      /* requests/s, 0: the default (100) */
	uint64_t duration_ns; /* 0: the default (60 s) */
	/* NFR-05 */
	struct sconf_reserve res_mcp, res_rest;
	unsigned reservations; /* concurrent, 0: the default (50) */
	struct sconf_target targets[SCONF_MAX_TARGETS];
	unsigned ntargets;
	/* storage */
	struct sfile store; /* strings composed (expanded ${NAME}s, added by hand) */
	char *arena;	    /* the parsed document */
	struct toml_doc doc;
};

/* An empty configuration (nothing configured), to fill by hand (suite
 * discovery). Returns 0 or -ENOMEM; sconf_free it either way. */
int sconf_init(struct sconf *c);

/*
 * Read the configuration in text[0..len) (name: the file, for messages)
 * into *c. Returns 0, or -EINVAL with "NAME:LINE:COL: what was expected"
 * in why, or -ENOMEM. sconf_free releases it either way.
 */
int sconf_parse(struct sconf *c, const char *name, const char *text, size_t len, char *why,
		size_t why_len);

/* Add an NFR-01 resource URI or an NFR-02 tool (copied). Returns 0, or
 * -ENOSPC when the list is full (the caller says what was left out). */
int sconf_add_resource(struct sconf *c, const char *uri);
int sconf_add_tool(struct sconf *c, const char *name, const char *args);

void sconf_free(struct sconf *c);

#endif
