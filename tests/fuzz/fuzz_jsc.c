/*
 * libFuzzer target for the JSON scanner: the input is "path\n document".
 * Checks that a found value lies inside the document, that the whole
 * document's validity does not depend on the path asked, and that
 * unescaping never writes past its buffer; and that jsc_get_n finds what
 * the single lookups find.
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
	/* one pass over several paths answers what each single lookup does */
	const char *paths[4] = {path, "id", "error.code", "result.isError"};
	struct jsc_val many[4];
	unsigned found = 0;
	int m = jsc_get_n(doc, n, paths, 4, many, &found);
	if ((m == JSC_MALFORMED) != (w == JSC_MALFORMED))
		abort();
	for (unsigned i = 0; m == 0 && i < 4; i++) {
		struct jsc_val one;
		int k = jsc_get(doc, n, paths[i], &one);
		if ((k == 0) != ((found >> i & 1) != 0))
			abort();
		if (k == 0 &&
		    (one.ptr != many[i].ptr || one.len != many[i].len || one.type != many[i].type))
			abort();
	}
	free(doc);
	return 0;
}
