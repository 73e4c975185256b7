/*
 * probe: before an MCP run, one blocking exchange with the server on the
 * main thread: which protocol era it speaks (the 2026-07-28 detection: a
 * modern request first, legacy initialize when the answer is not a modern
 * one), the version, and who the server is (serverInfo) for the report.
 */
#ifndef MCPL_CORE_PROBE_PROBE_H
#define MCPL_CORE_PROBE_PROBE_H

#include "core/engine/cfg.h"
#include "protocol/mcp.h"

/*
 * Probe the MCP endpoint at cfg's address, `path` (target path + MCP path).
 * want: NULL or "auto" to detect, else a version to speak (its era decides;
 * a legacy version is offered in initialize). Returns 0, or -errno with a
 * one-line reason in why (no answer, not an MCP server, no common version).
 */
int probe_mcp(const struct cfg *cfg, const char *path, const char *want, struct mcp_server *out,
	      char *why, size_t why_len);

/* GET url (http only) and return its 200 body (*body malloc'd, the caller
 * frees it). Returns 0 or -errno with a one-line reason in why. */
int probe_get(const char *url, uint64_t timeout_ns, char **body, size_t *len, char *why,
	      size_t why_len);

#endif
