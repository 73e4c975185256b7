/*
 * libFuzzer target for JSON-RPC/MCP messages: any bytes as a response body
 * or an SSE event's data. A message that parses is one of the three kinds,
 * a response has an id, an error's text is terminated and bounded, and the
 * id comparison never reads outside the message.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/mcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mcp_msg m;
	char text[256];
	const char *p = (const char *)data;
	if (mcp_msg_parse(p, size, &m) < 0)
		return 0;
	if (m.kind > MCP_MSG_REQUEST || (m.kind == MCP_MSG_RESPONSE && !m.has_id))
		abort();
	size_t n = mcp_msg_text(p, size, &m, text, sizeof(text));
	if (n >= sizeof(text) || strlen(text) != n)
		abort();
	(void)mcp_msg_id_is(&m, 1);
	return 0;
}
