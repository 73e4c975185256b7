/*
 * libFuzzer target for a shard's report read back (stats/mshard_parse):
 * never reads outside the input; what it accepts is a shard (0 <= index <
 * count) whose tally, when it ran, holds the distributions' counts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/mshard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tally t;
	struct mshard_doc d = {.path = "fuzz"};
	char why[300] = "";
	char *json = malloc(size ? size : 1); /* exact size: reads past it are caught */
	memcpy(json, data, size);
	if (mshard_parse(&d, json, size, &t, why, sizeof(why)) == 0) {
		if (d.index >= d.count)
			abort();
	} else if (!why[0]) {
		abort();
	}
	free(json);
	return 0;
}
