/*
 * mcpsum: the MCP part of a run's summary and JSON: the era and version
 * spoken, the server's name, sessions (set up, lost, ended), SSE responses
 * and what came before the response in them, JSON-RPC error codes.
 */
#ifndef MCPL_STATS_REPORT_MCPSUM_H
#define MCPL_STATS_REPORT_MCPSUM_H

#include <stdio.h>

#include "protocol/jw.h"
#include "stats/report/rdesc.h"
#include "stats/result.h"

/* Lines for the text summary; nothing when the plan has no MCP steps. */
void mcpsum_print(FILE *f, const struct rdesc *d, const struct result *res);

/* The "mcp" member of the JSON; nothing when the plan has no MCP steps. */
void mcpsum_json(struct jw *j, const struct rdesc *d, const struct result *res);

#endif
