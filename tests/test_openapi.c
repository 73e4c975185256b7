/*
 * OpenAPI operations: FastAPI's document gives each route with its
 * method, the path parameters as {{slots}}, a body from the request
 * body's $ref'd schema (enum first, defaults kept), the first 2xx; not an
 * OpenAPI document is refused.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "scenarios/openapi.h"
#include "tests/t.h"

struct seen {
	struct openapi_op ops[8];
	unsigned n;
};

static void each(void *ctx, const struct openapi_op *op)
{
	struct seen *s = ctx;
	if (s->n < 8)
		s->ops[s->n++] = *op;
}

int main(void)
{
	static struct seen s;
	char doc[8192];
	FILE *f = fopen("tests/fuzz/corpus/openapi/fastapi", "r");
	CHECK(f != NULL);
	size_t len = f ? fread(doc, 1, sizeof(doc), f) : 0;
	if (f)
		fclose(f);
	CHECK_INT(openapi_ops(doc, len, each, &s), 3);
	CHECK_INT(s.n, 3);
	CHECK_STR(s.ops[0].method, "GET");
	CHECK_STR(s.ops[0].path, "/tasks/next");
	CHECK_STR(s.ops[0].summary, "Next Task");
	CHECK_STR(s.ops[0].body, "");
	CHECK_INT(s.ops[0].status, 200);
	CHECK_STR(s.ops[1].method, "PUT");
	CHECK_STR(s.ops[1].path, "/tasks/{{task_id}}/status");
	CHECK_INT(s.ops[1].params, 1);
	CHECK_STR(s.ops[1].body, "{\"status\":\"todo\"}");
	CHECK_INT(s.ops[1].guessed, 0);
	CHECK_STR(s.ops[2].method, "POST");
	CHECK_STR(s.ops[2].body, "{\"artifact_type\":\"example\",\"count\":10}");
	CHECK_INT(s.ops[2].guessed, 1);
	CHECK_INT(s.ops[2].status, 201);
	CHECK_INT(openapi_ops("{\"openapi\":\"3.1.0\"}", 19, each, &s), -EINVAL);
	CHECK_INT(openapi_ops("not json", 8, each, &s), -EINVAL);
	T_DONE();
}
