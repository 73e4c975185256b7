/*
 * libFuzzer target for the HdrHistogram V2 decoder. The first byte, modulo 3,
 * picks the form of the rest: 0 a compressed histogram as is, 1 an uncompressed V2
 * encoding that the target deflates and wraps first (so mutations reach the
 * header and the counts past zlib's checksum), 2 base64 text. A histogram
 * that decodes must add up, and encode and decode again to the same counts.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "stats/hdr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct hist h, again;
static uint8_t enc[HDR_ENCODED_MAX];

static void check(void)
{
	uint64_t total = 0;
	size_t len;
	for (unsigned i = 0; i < HIST_COUNTS; i++)
		total += h.counts[i];
	if (total != h.count || (h.count && h.min_ns > h.max_ns) || h.max_ns > HIST_MAX_NS)
		abort();
	if (hdr_encode(&h, enc, sizeof(enc), &len) != 0)
		abort();
	if (hdr_decode(enc, len, &again) != 0 ||
	    memcmp(again.counts, h.counts, sizeof(h.counts)) != 0 || again.count != h.count ||
	    again.sum_ns != h.sum_ns || again.min_ns != h.min_ns || again.max_ns != h.max_ns)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uLongf clen = sizeof(enc) - 8;
	int r = -1, form = data[0] % 3;
	if (size < 1 || size - 1 > HDR_RAW_MAX + 64)
		return 0;
	hist_reset(&h); /* compress2 failing leaves it as the last input left it */
	size--;
	uint8_t *in = malloc(size ? size : 1); /* exact size: reads past it are caught */
	memcpy(in, data + 1, size);
	if (form == 0) {
		r = hdr_decode(in, size, &h);
	} else if (form == 1 && compress2(enc + 8, &clen, in, size, 1) == Z_OK) {
		memcpy(enc, "\x1c\x84\x93\x14", 4);
		for (int i = 0; i < 4; i++)
			enc[4 + i] = (uint8_t)(clen >> (24 - 8 * i));
		r = hdr_decode(enc, 8 + clen, &h);
	} else if (form == 2) {
		r = hdr_decode_base64((const char *)in, size, &h);
	}
	if (r == 0)
		check();
	else if (h.count != 0)
		abort(); /* an error leaves the histogram empty */
	free(in);
	return 0;
}
