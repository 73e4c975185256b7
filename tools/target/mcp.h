/*
 * mcp: the target's MCP endpoint (POST/DELETE/GET /mcp), both protocol eras
 * as the official SDK servers speak them: legacy sessions (2025-03-26,
 * 2025-06-18, 2025-11-25: initialize, Mcp-Session-Id, MCP-Protocol-Version,
 * DELETE) and the stateless 2026-07-28 era (_meta, Mcp-Method / Mcp-Name
 * headers, server/discover). Answers in JSON or SSE (--response).
 */
#ifndef MCPL_TARGET_MCP_H
#define MCPL_TARGET_MCP_H

#include <stddef.h>
#include <stdint.h>

#include "protocol/h1q.h"
#include "tools/target/fault.h"
#include "tools/target/route.h"

enum mcp_mode { MCP_JSON, MCP_SSE, MCP_MIXED };

/* Handle one request to /mcp. rng: the thread's PRNG (session ids). */
void mcp_handle(const struct h1q_req *q, const char *body, size_t len, const struct fault_cfg *f,
		uint64_t *rng, struct resp *r);

#endif
