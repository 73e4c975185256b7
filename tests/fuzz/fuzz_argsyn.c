/*
 * libFuzzer target for argument synthesis: any bytes as a tool's
 * inputSchema. An accepted schema gives JSON that jsc reads back whole,
 * within the buffer; nothing loops, whatever $ref points at.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"
#include "scenarios/argsyn.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char out[8192];
	unsigned guessed;
	struct jsc_val v;
	long n = argsyn_make((const char *)data, size, out, sizeof(out), &guessed);
	if (n >= 0 && (size_t)n >= sizeof(out))
		abort();
	/* values copied from the schema are JSON; what we add is too */
	if (n > 0 && jsc_get(out, (size_t)n, "", &v) != 0)
		abort();
	return 0;
}
