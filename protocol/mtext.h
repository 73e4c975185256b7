/*
 * mtext: the text an LLM receives from an MCP result, for counting its
 * tokens: a resource's contents, a tool result's content items, a prompt's
 * messages, and a tool's definition as a model API takes it. Binary items
 * (images, audio, blobs) are not text: they are counted apart.
 */
#ifndef MCPL_PROTOCOL_MTEXT_H
#define MCPL_PROTOCOL_MTEXT_H

#include <stddef.h>

enum mtext_kind { MTEXT_RESOURCE, MTEXT_TOOL, MTEXT_PROMPT };

/*
 * Each piece of text in result[0..len) (the JSON-RPC result object of a
 * resources/read, tools/call or prompts/get) passed to each (decoded UTF-8,
 * not terminated), decoded into
 * scratch[0..cap) (cap >= len always suffices). resources/read:
 * contents[].text; tools/call: content[] items (text, an embedded
 * resource's text, a resource link's name, uri and description), or the
 * structuredContent's JSON when there is no content; prompts/get: each
 * message's content item(s), by the same rules. Returns the number of
 * binary items left out (>= 0), or -1 when the result does not have the
 * method's shape (or holds a string that is not valid).
 */
long mtext_each(enum mtext_kind k, const char *result, size_t len, char *scratch, size_t cap,
		void (*each)(void *ctx, const char *text, size_t len), void *ctx);

/*
 * A tool of tools/list (its JSON object tool[0..len)) as a model API takes
 * a function: {"name":...,"description":...,"parameters":INPUTSCHEMA},
 * whitespace outside strings removed, into out[0..cap). Returns its length,
 * or -1 when the tool has no name or it does not fit.
 */
long mtext_tool(const char *tool, size_t len, char *out, size_t cap);

/* JSON text json[0..len) with the whitespace outside strings removed, in
 * place. Returns the new length. */
size_t mtext_minify(char *json, size_t len);

#endif
