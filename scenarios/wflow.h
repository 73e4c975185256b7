/*
 * wflow: the token-efficiency workflows (NFR-03): each a name, the local
 * files an agent loaded whole before MCP (the baseline) and the MCP calls
 * the same work makes now (resources/read, tools/call, prompts/get). Read
 * from a suite configuration's [nfr03] section, or the reference server's
 * ten compiled in. core/probe/tokwf counts them; stats/tokeff judges.
 */
#ifndef MCPL_SCENARIOS_WFLOW_H
#define MCPL_SCENARIOS_WFLOW_H

#include <stdbool.h>

#include "protocol/toml.h"
#include "scenarios/sfile.h"

#define WFLOW_MAX	32 /* workflows */
#define WFLOW_MAX_FILES 16 /* file names or glob patterns per workflow */
#define WFLOW_MAX_CALLS 16

enum wflow_kind { WFLOW_RESOURCE, WFLOW_TOOL, WFLOW_PROMPT };

struct wflow_call {
	enum wflow_kind kind;
	const char *name; /* the resource URI, the tool or the prompt */
	const char *args; /* a JSON object (tools, prompts), or NULL: {} */
};

struct wflow {
	const char *name;
	const char *files[WFLOW_MAX_FILES]; /* relative to the files directory; globs */
	unsigned nfiles;
	struct wflow_call calls[WFLOW_MAX_CALLS];
	unsigned ncalls;
	unsigned turns; /* model turns (each carries the tool list); 0: one per call */
};

struct wflow_set {
	struct wflow wf[WFLOW_MAX];
	unsigned n;
	const char *encoding;  /* "cl100k_base" or "o200k_base"; NULL: cl100k_base */
	const char *files_dir; /* where the files are; NULL: not said */
	const char *baseline;  /* a recorded baseline (mcpload tokens --baseline); NULL */
	bool no_tool_list;     /* tool_list = false: the tool list is not counted */
};

/* The reference server's ten SDLC workflows; their files are the tree
 * `mcpload-target --write-files DIR` writes. */
extern const struct wflow_set wflow_bundled;

/*
 * Read the [nfr03] table t (its workflows and settings; target figures are
 * the caller's) into *s, strings in r's store. Returns 0 or -EINVAL with
 * "FILE:LINE:COL: ..." in r's why.
 */
int wflow_read(struct sfile_rd *r, const struct toml_val *t, struct wflow_set *s);

/* The keys wflow_read takes in [nfr03], NULL-ended (for the unknown-key
 * message). */
extern const char *const wflow_keys[];

/* The model turns of w: its turns, else one per call. */
unsigned wflow_turns(const struct wflow *w);

/* "resources/read", "tools/call", "prompts/get". */
const char *wflow_method(enum wflow_kind k);

#endif
