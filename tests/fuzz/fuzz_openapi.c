/*
 * libFuzzer target for OpenAPI documents: any bytes as /openapi.json.
 * Every operation reported has a method, a terminated path and a body
 * that is empty or JSON; the count never falls below what was reported.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"
#include "scenarios/openapi.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void each(void *ctx, const struct openapi_op *op)
{
	struct jsc_val v;
	long *seen = ctx;
	(*seen)++;
	if (!op->method[0] || strnlen(op->path, sizeof(op->path)) == sizeof(op->path))
		abort();
	if (op->body[0] && jsc_get(op->body, strlen(op->body), "", &v) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	long seen = 0;
	long n = openapi_ops((const char *)data, size, each, &seen);
	if (n >= 0 && n < seen)
		abort();
	return 0;
}
