/*
 * cli_run: `mcpload list` and the options of `mcpload run SCENARIO`.
 * Called by cli.c, which owns the shared options (threads, duration,
 * timeouts, output).
 */
#ifndef MCPL_CORE_CMD_CLI_RUN_H
#define MCPL_CORE_CMD_CLI_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "core/engine/cfg.h"
#include "scenarios/profile.h"

enum {
	CLI_OPT_TARGET = 512,
	CLI_OPT_USERS,
	CLI_OPT_SPAWN,
	CLI_OPT_THINK,
	CLI_OPT_ITERATIONS,
	CLI_OPT_STAGE,
	CLI_OPT_SET,
	CLI_OPT_MODEL,
	CLI_OPT_MCP_VERSION,
	CLI_OPT_MCP_PATH,
	CLI_OPT_CHURN,
	CLI_OPT_PROFILE,
};

/* What the command line said, where it changes how defaults apply. */
struct cli_run_seen {
	const char *target; /* --target URL */
	bool spawn, think, stages, model, rate, users;
	const struct profile *profile; /* --profile NAME */
};

/* Print the scenarios, one line each plus their defaults and variables. */
void cli_run_list(FILE *out);

/* Select the scenario and load its default shape into cfg. Returns 0 or
 * -EINVAL after one line on err. */
int cli_run_begin(struct cfg *cfg, const char *name, FILE *err);

/* One option of `run`. Returns 0, -EINVAL after one line on err, or 1 when
 * opt is not a scenario option. */
int cli_run_option(struct cfg *cfg, int opt, const char *arg, struct cli_run_seen *seen, FILE *err);

/* After all options (URL parsed and resolved into cfg): settle the shape,
 * size the users, probe the MCP endpoint when the scenario has MCP steps,
 * compile the plan into cfg->plan (owned; freed by cli_free). Returns 0,
 * -EINVAL (usage) or another -errno (the probe failed) after one line on
 * err. */
int cli_run_finish(struct cfg *cfg, const struct cli_run_seen *seen, FILE *err);

/* Find the MCP endpoint's era, version and serverInfo into cfg->mcp
 * (cfg resolved). Returns 0 or -errno after one line on err. */
int cli_run_probe(struct cfg *cfg, FILE *err);

#endif
