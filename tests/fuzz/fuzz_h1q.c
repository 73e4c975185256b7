/*
 * libFuzzer target for the request-head parser: spans lie inside the
 * input, a parsed head parses to the same length on its own, and every
 * shorter prefix of it is AGAIN (never an error, never a shorter head).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/h1q.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void inside(const struct h1q_span *s, const char *buf, size_t n)
{
	if (s->len && (s->ptr < buf || s->ptr + s->len > buf + n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct h1q_req r;
	char *buf = malloc(size ? size : 1);
	memcpy(buf, data, size);
	ssize_t n = h1q_parse(buf, size, &r);
	if (n >= 0) {
		if ((size_t)n > size)
			abort();
		inside(&r.method, buf, size);
		inside(&r.target, buf, size);
		for (unsigned i = 0; i < r.header_count; i++) {
			inside(&r.headers[i].name, buf, size);
			inside(&r.headers[i].value, buf, size);
		}
		if (h1q_parse(buf, (size_t)n, &r) != n)
			abort();
		for (size_t k = 0; k < (size_t)n; k += 1 + (size_t)n / 64) {
			if (h1q_parse(buf, k, &r) != H1Q_AGAIN)
				abort();
		}
	} else if (n != H1Q_AGAIN && (r.err == H1Q_ERR_NONE || r.err >= H1Q_ERR__COUNT)) {
		abort();
	}
	free(buf);
	return 0;
}
