/*
 * survey: what a team's server offers, asked once before anything is
 * measured: its MCP tools (with arguments synthesized from each
 * inputSchema and, when asked, tried once to hear what the server says of
 * them; not those the server marks destructive or open-world), resources
 * and prompts, through every page; and the routes of its
 * OpenAPI document. mcpload init writes a configuration from it; the suite
 * without a configuration runs on it.
 */
#ifndef MCPL_CORE_CMD_SURVEY_H
#define MCPL_CORE_CMD_SURVEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/probe/probe.h"
#include "protocol/mcp.h"
#include "protocol/url.h"
#include "scenarios/openapi.h"

#define SURVEY_MAX     256		   /* tools, resources or prompts kept; more are counted */
#define SURVEY_SLOW_NS (5 * 1000000000ull) /* a try this long: 50 calls take minutes */

struct survey_tool {
	char name[128];
	char about[160]; /* title or description, one line */
	char args[2048]; /* synthesized arguments (JSON) */
	unsigned guessed;
	bool read_only, destructive; /* annotations the server gives */
	bool open_world;	     /* openWorldHint: it reaches outside the server */
	bool tried, refused;
	bool slow;	   /* the try took SURVEY_SLOW_NS or more */
	uint64_t took_ns;  /* how long the try took */
	char said[256];	   /* the server's words when it refused the arguments */
	char sample[1024]; /* result.structuredContent of the try, or "" */
};

struct survey_item {
	char name[512]; /* a resource's uri, a prompt's name */
	char about[160];
	char args[512]; /* prompts: arguments (required ones, "example") */
};

struct survey {
	struct mcp_server srv;
	char mcp_missing[320]; /* why there is no MCP endpoint, or "" */
	struct survey_tool *tools;
	struct survey_item *res, *prompts;
	unsigned ntools, nres, nprompts;	  /* kept */
	unsigned all_tools, all_res, all_prompts; /* listed */
	char notes[1024];			  /* lists cut or refused, one per line */
	struct openapi_op *ops;			  /* from /openapi.json */
	unsigned nops, all_ops;
	char openapi_url[600];
	char openapi_why[320]; /* why there are none, or "" */
	unsigned requests;     /* HTTP requests the survey sent */
};

/*
 * Ask the MCP endpoint at peer/path (what probe_mcp found in srv; era NONE
 * with why_missing: there is none) for its tools, resources and prompts;
 * with call_tools, call each tool once with its synthesized arguments.
 * Returns 0 (a list the server refuses is a note, not an error) or -ENOMEM.
 */
int survey_mcp(struct survey *s, const struct probe_peer *peer, const char *path,
	       const struct mcp_server *srv, const char *why_missing, bool call_tools);

/* GET the service's OpenAPI document (the target's origin + /openapi.json)
 * and keep its operations. Returns 0 (none found is a note) or -ENOMEM. */
int survey_openapi(struct survey *s, const struct url *target, const char *headers,
		   const struct tlsc *tls);

void survey_free(struct survey *s);

#endif
