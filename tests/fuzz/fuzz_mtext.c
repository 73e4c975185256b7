/*
 * libFuzzer target for protocol/mtext: the first byte picks the result's
 * kind (resource, tool, prompt, or a tool of tools/list), the rest is the
 * JSON. Checks that nothing is read outside the input, that every piece of
 * text handed out lies in the scratch buffer and that the bytes handed out
 * never exceed the input (decoding only shortens).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/mtext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	const char *scratch;
	size_t cap, total;
};

static void each(void *ctx, const char *text, size_t len)
{
	struct seen *s = ctx;
	if (text < s->scratch || text + len > s->scratch + s->cap)
		abort();
	s->total += len;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = size - 1;
	char *json = malloc(n ? n : 1), *scratch = malloc(n + 1); /* exact sizes */
	memcpy(json, data + 1, n);
	struct seen s = {scratch, n + 1, 0};
	if (data[0] % 4 == 3) {
		long r = mtext_tool(json, n, scratch, n + 1);
		if (r > (long)(n + 1))
			abort();
	} else {
		long r =
		    mtext_each((enum mtext_kind)(data[0] % 4), json, n, scratch, n + 1, each, &s);
		if (r >= 0 && s.total > n)
			abort(); /* decoding only shortens: never more than the input */
	}
	free(json);
	free(scratch);
	return 0;
}
