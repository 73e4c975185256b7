/*
 * libFuzzer target for the JSON scanner: the input is "path\n document".
 * Checks that a found value lies inside the document, that the whole
 * document's validity does not depend on the path asked, and that
 * unescaping never writes past its buffer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nl = memchr(data, '\n', size);
	char path[64];
	struct jsc_val v, whole;
	size_t plen = nl ? (size_t)(nl - data) : 0;
	if (!nl || plen >= sizeof(path))
		return 0;
	memcpy(path, data, plen);
	path[plen] = 0;
	size_t n = size - plen - 1;
	char *doc = malloc(n ? n : 1); /* exact size: reads past it are caught */
	memcpy(doc, nl + 1, n);
	int r = jsc_get(doc, n, path, &v);
	int w = jsc_get(doc, n, "", &whole);
	if ((r == JSC_MALFORMED) != (w == JSC_MALFORMED))
		abort();
	if (r == 0) {
		if (v.ptr < doc || v.ptr + v.len > doc + n)
			abort();
		if (v.type == JSC_STRING) {
			char *buf = malloc(v.len * 4 + 1);
			long u = jsc_unescape(&v, buf, v.len * 4 + 1);
			if (u > (long)(v.len * 4 + 1))
				abort();
			free(buf);
		}
		int64_t i;
		(void)jsc_int(&v, &i);
	}
	free(doc);
	return 0;
}
