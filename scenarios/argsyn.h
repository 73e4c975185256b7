/*
 * argsyn: arguments for a call, synthesized from the JSON Schema that
 * describes them (an MCP tool's inputSchema, an OpenAPI request body):
 * every required property, its value the schema's own where it gives one
 * (const, enum, default, examples), else a value of its type within its
 * bounds. What had to be guessed is counted, so that mcpload init can mark
 * the arguments for review. The schema comes from the server: hostile
 * input, parsed with bounds and fuzzed.
 */
#ifndef MCPL_SCENARIOS_ARGSYN_H
#define MCPL_SCENARIOS_ARGSYN_H

#include <stddef.h>

#define ARGSYN_MAX_DEPTH 8 /* nested objects and arrays followed; deeper: {} or [] */

/*
 * Write a JSON value for schema[0..len) (an object schema gives an
 * object) into out (cap bytes, terminated). *guessed gets the number of
 * values that came from the type alone (no const, enum, default or
 * example). Returns the length written, -EINVAL when the schema is not a
 * JSON object, -ENOSPC when out is too small.
 */
long argsyn_make(const char *schema, size_t len, char *out, size_t cap, unsigned *guessed);

/* The same for a schema inside a larger document doc[0..doc_len) (an
 * OpenAPI document), whose "#/..." references point into doc. */
long argsyn_make_in(const char *doc, size_t doc_len, const char *schema, size_t len, char *out,
		    size_t cap, unsigned *guessed);

#endif
