/*
 * libFuzzer target for the Prometheus text reader: the input is "name\n
 * exposition". Checks that it never reads outside the text and that the
 * count and the sum agree (no samples, sum 0).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/prom.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char name[64];
	double sum;
	size_t nlen = nl ? (size_t)(nl - data) : 0;
	if (!nl || nlen == 0 || nlen >= sizeof(name) || memchr(data, 0, nlen))
		return 0;
	memcpy(name, data, nlen);
	name[nlen] = 0;
	size_t n = size - nlen - 1;
	char *text = malloc(n ? n : 1); /* exact size: reads past it are caught */
	memcpy(text, nl + 1, n);
	int r = prom_sum(text, n, name, &sum);
	if (r == 0 && sum != 0)
		abort();
	free(text);
	return 0;
}
