/*
 * libFuzzer target for a recorded token baseline read back
 * (stats/tokeff_read_baseline): never reads outside the input; what it
 * accepts is consistent (each workflow's files add up to its tokens, names
 * are distinct and non-empty).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stats/tokeff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tokeff t;
	char why[300];
	char *json = malloc(size ? size : 1); /* exact size: reads past it are caught */
	memcpy(json, data, size);
	if (tokeff_read_baseline(&t, json, size, why, sizeof(why)) == 0) {
		if (!t.n || t.n > WFLOW_MAX)
			abort();
		for (unsigned i = 0; i < t.n; i++) {
			uint64_t sum = 0;
			if (!t.wf[i].name[0])
				abort();
			for (unsigned k = 0; k < t.wf[i].nfiles; k++)
				sum += t.wf[i].files[k].tokens;
			if (sum != t.wf[i].base_tokens)
				abort();
			for (unsigned k = 0; k < i; k++)
				if (!strcmp(t.wf[i].name, t.wf[k].name))
					abort();
		}
	} else if (!why[0]) {
		abort();
	}
	free(json);
	return 0;
}
