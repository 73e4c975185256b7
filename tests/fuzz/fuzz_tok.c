/*
 * libFuzzer target for the tokenizer: any bytes, both encodings. Checks
 * that encoding never reads outside the text, that the count agrees with
 * the ids, and that the ids decode back to the text with each ill-formed
 * UTF-8 subpart replaced by U+FFFD (tokpre_utf8 says which).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/tok.h"
#include "protocol/tokpre.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct tok *enc[2];

/* data with ill-formed subparts replaced, into out (3 * size bytes); its length. */
static size_t replaced(const uint8_t *data, size_t size, uint8_t *out)
{
	size_t i = 0, j = 0, w;
	uint32_t cp;
	while (i < size) {
		bool bad = false;
		w = tokpre_utf8(data + i, size - i, &cp, &bad);
		if (bad) {
			memcpy(out + j, "\xef\xbf\xbd", 3);
			j += 3;
		} else {
			memcpy(out + j, data + i, w);
			j += w;
		}
		i += w;
	}
	return j;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1); /* exact size: reads past it are caught */
	uint32_t *ids = malloc((size ? size : 1) * 3 * sizeof(*ids));
	uint8_t *want = malloc(size * 3 + 1), *back = malloc(size * 3 + 1);
	size_t n, len, wlen;
	memcpy(text, data, size);
	wlen = replaced(data, size, want);
	for (int e = 0; e < 2; e++) {
		if (!enc[e])
			enc[e] = tok_open(e ? TOK_O200K_BASE : TOK_CL100K_BASE);
		if (tok_encode(enc[e], text, size, ids, size * 3, &n) != 0)
			abort(); /* at most one token per replaced byte */
		if (tok_count(enc[e], text, size) != (int64_t)n)
			abort();
		if (tok_decode(enc[e], ids, n, (char *)back, size * 3 + 1, &len) != 0 ||
		    len != wlen || memcmp(back, want, len) != 0)
			abort();
	}
	free(back);
	free(want);
	free(ids);
	free(text);
	return 0;
}
