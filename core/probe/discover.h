/*
 * discover: an MCP client on the main thread that asks the server what it
 * offers (tools/list, resources/list, prompts/list through every page) and
 * sends single requests (mcpload init calls each tool once). Either era:
 * legacy opens a session (initialize, notifications/initialized) and ends
 * it with DELETE; 2026-07-28 sends each request on its own.
 */
#ifndef MCPL_CORE_PROBE_DISCOVER_H
#define MCPL_CORE_PROBE_DISCOVER_H

#include <stddef.h>
#include <stdint.h>

#include "core/probe/probe.h"
#include "protocol/mcp.h"

#define DISC_MAX_PAGES 100 /* a list that pages on past this is cut, and said so */

struct disc {
	const struct probe_peer *peer;
	char path[1024];
	struct mcp_server srv;	/* era and version (from probe_mcp) */
	char session_line[320]; /* legacy: "Mcp-Session-Id: ...\r\n", or "" */
	uint64_t next_id;
	unsigned requests; /* HTTP requests sent */
};

/* One response as read: the HTTP status and the JSON-RPC message. */
struct disc_reply {
	unsigned status;
	char *msg; /* owned: the JSON-RPC response (NULL: none came) */
	size_t len;
	struct mcp_msg m; /* parsed, when msg */
};

/*
 * Open a session with the server at peer/path whose era srv gives (what
 * probe_mcp found). Returns 0 or -errno with a one-line reason in why.
 */
int disc_open(struct disc *d, const struct probe_peer *peer, const char *path,
	      const struct mcp_server *srv, char *why, size_t why_len);

/*
 * One request: method with name (tools/call, prompts/get, resources/read)
 * and args (a JSON object: the arguments, or the params of a list; NULL:
 * none). Returns 0 when a response came (it may be a JSON-RPC error or a
 * tool error: see r->m), or -errno with a reason in why (no answer, not
 * JSON-RPC). disc_reply_free releases *r either way.
 */
int disc_request(struct disc *d, const char *method, const char *name, const char *args,
		 struct disc_reply *r, char *why, size_t why_len);

void disc_reply_free(struct disc_reply *r);

/*
 * Every item of result.KEY of method (e.g. "tools/list", "tools"), page by
 * page (params.cursor = the last page's nextCursor), each passed to
 * each(ctx, item, len) as JSON text. Returns the number of items, or
 * -errno with a reason in why (the server refused the list or answered
 * something else). *cut is set when DISC_MAX_PAGES pages were read and
 * there were more.
 */
long disc_list(struct disc *d, const char *method, const char *key,
	       void (*each)(void *ctx, const char *item, size_t len), void *ctx, int *cut,
	       char *why, size_t why_len);

/* End the session (legacy: DELETE, whatever the server answers). */
void disc_close(struct disc *d);

#endif
