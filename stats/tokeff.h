/*
 * tokeff: what NFR-03 counted: per workflow the tokens of the local files
 * the baseline loads whole and of what the MCP calls return plus the tool
 * list once per model turn; the totals, the reduction and the workflows
 * without one. Also reads a recorded baseline back (the document
 * stats/report/rtok writes for `mcpload tokens --baseline`).
 */
#ifndef MCPL_STATS_TOKEFF_H
#define MCPL_STATS_TOKEFF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "scenarios/wflow.h"

#define TOKEFF_MAX_FILES 64		  /* per workflow, globs expanded */
#define TOKEFF_MODE	 "token-baseline" /* a recorded baseline's "mode" */

struct tokeff_file {
	char path[256]; /* as the workflow names it, relative to the files directory */
	uint64_t bytes, tokens;
};

struct tokeff_call {
	char what[160]; /* "tools/call get_next_task" */
	uint64_t tokens, bytes;
	unsigned uncounted; /* images, audio, blobs: not text an LLM reads as tokens */
};

struct tokeff_wf {
	char name[64];
	struct tokeff_file files[TOKEFF_MAX_FILES];
	unsigned nfiles;
	uint64_t base_tokens, base_bytes;
	struct tokeff_call calls[WFLOW_MAX_CALLS];
	unsigned ncalls;
	uint64_t content_tokens; /* what the calls returned */
	unsigned turns;
	uint64_t mcp_tokens; /* content_tokens + turns x the tool list */
	double reduction_pct;
	char error[240]; /* the MCP way did not work: why; "" */
};

struct tokeff {
	char encoding[16];
	char baseline_from[320]; /* "the files in DIR" or "FILE (recorded AT)" */
	char recorded_at[32];	 /* a recorded baseline's time, "" */
	struct tokeff_wf wf[WFLOW_MAX];
	unsigned n;
	bool tool_list_counted;
	unsigned ntools;
	uint64_t tool_list_tokens; /* names, descriptions, input schemas: once */
	uint64_t base_total, mcp_total;
	double reduction_pct; /* over every workflow that worked */
	unsigned not_reduced; /* workflows that worked with no fewer tokens */
	unsigned failed;      /* workflows whose MCP way did not work */
	bool mcp_done;	      /* the MCP side was counted */
};

/* The MCP totals of every workflow (turns x tool list added), the
 * reduction, the workflows without one. */
void tokeff_total(struct tokeff *t);

/* The baseline document json[0..len) into t (encoding, recorded_at, each
 * workflow's name, files and base counts). Returns 0, or -EINVAL with a
 * one-line reason in why (not JSON, not a baseline, a field missing or
 * out of range). */
int tokeff_read_baseline(struct tokeff *t, const char *json, size_t len, char *why, size_t wl);

/* The workflow named name, or NULL. */
struct tokeff_wf *tokeff_find(struct tokeff *t, const char *name);

#endif
