/*
 * openapi: the operations an OpenAPI 3 document (FastAPI serves one at
 * /openapi.json) describes, as request templates for a suite
 * configuration: method, path with its parameters as {{NAME}} slots, a
 * JSON body synthesized from the request body's schema, the first 2xx
 * status it promises. The document comes from the server: hostile input,
 * parsed with bounds and fuzzed.
 */
#ifndef MCPL_SCENARIOS_OPENAPI_H
#define MCPL_SCENARIOS_OPENAPI_H

#include <stddef.h>

#define OPENAPI_MAX_OPS 256 /* operations reported; the rest are counted only */

struct openapi_op {
	char method[8];	   /* "GET", "POST", "PUT", "PATCH", "DELETE" */
	char path[512];	   /* "/tasks/{{task_id}}/status": parameters as slots */
	char summary[160]; /* summary, else operationId, else "" (one line) */
	char body[2048];   /* a JSON body from the request body's schema, or "" */
	unsigned guessed;  /* body values guessed from their type alone */
	unsigned params;   /* path parameters (slots to give a value) */
	unsigned status;   /* the first 2xx response listed, 0 when none */
};

/*
 * Call each(ctx, op) for every operation of doc[0..len), in document
 * order, at most OPENAPI_MAX_OPS. Returns the number of operations found
 * (more than were passed when the document has more), or -EINVAL when doc
 * is not an OpenAPI document (no "paths" object).
 */
long openapi_ops(const char *doc, size_t len, void (*each)(void *ctx, const struct openapi_op *op),
		 void *ctx);

#endif
