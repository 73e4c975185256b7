/*
 * tool: the six MCP tools of the seeds' SDLC server, with real behaviour on
 * the target's store and resources: validate_artifact, resolve_artifact_path,
 * store_artifact, get_next_task, update_task_status, reserve_id_range. Also
 * the tool and prompt listings, and the prompts: summarize_artifact,
 * triage_task, and write_prd and write_backlog_story, which walk an agent
 * through writing an artifact with the tools.
 */
#ifndef MCPL_TARGET_TOOL_H
#define MCPL_TARGET_TOOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "tools/target/route.h"

/* Write the tools/list "tools" array (JSON) into r. */
void tool_list(struct resp *r);

/*
 * Run tool `name` with the JSON object args[0..len) and append a
 * CallToolResult object ({"content":[…],"structuredContent":…,"isError":…})
 * to r. Unknown tools and bad arguments give isError true, as the SDK does.
 * Returns the delay the tool itself adds (ns): 600 ms for --bug slow-tool.
 */
uint64_t tool_call(const char *name, size_t name_len, const char *args, size_t len,
		   const char *slow_tool, struct resp *r);

/* The repository path resolve_artifact_path gives an artifact of type
 * type[0..type_len) (PRD, EPIC, HLS, US, TASK, ADR) and id:
 * "artifacts/prds/PRD-007.md". Writes it into out (cap bytes, terminated)
 * and returns its length as snprintf does, or -EINVAL for an unknown type. */
int tool_artifact_path(const char *type, size_t type_len, uint64_t id, char *out, size_t cap);

#define TOOL_COUNT 6

/* Index of a tool name (0..TOOL_COUNT-1), or -1; its name by index. */
int tool_index(const char *name, size_t len);
const char *tool_name(int index);

/* prompts/list "prompts" array: summarize_artifact {uri}, triage_task,
 * write_prd {topic}, write_backlog_story {title, epic?}, with their arguments. */
void tool_prompt_list(struct resp *r);

/*
 * prompts/get: append the GetPromptResult of prompt name[0..len) with the
 * JSON object args[0..args_len) (NULL: no arguments) to r: one user message.
 * Arguments are strings (at most 500 bytes decoded), JSON-escaped into the
 * text. Returns 0, or with nothing appended and the message of the -32602
 * error to answer in why (why_cap bytes): -ENOENT for an unknown prompt,
 * -EINVAL for a required argument missing or one not a string.
 */
int tool_prompt_get(const char *name, size_t len, const char *args, size_t args_len, struct resp *r,
		    char *why, size_t why_cap);

#endif
