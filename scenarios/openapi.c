/*
 * openapi: a walk over paths.* with jsc_next (keys taken as written, so a
 * path with dots is found too); request bodies through argsyn with the
 * whole document as the root of their $refs.
 */
#include "scenarios/openapi.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "protocol/jsc.h"
#include "scenarios/argsyn.h"

static const char *const methods[] = {"get", "post", "put", "patch", "delete"};

/* A JSON string's text decoded into out, control bytes made spaces (a TOML
 * comment takes none). */
static void text_of(const struct jsc_val *v, char *out, size_t cap)
{
	long n = v->type == JSC_STRING ? jsc_unescape(v, out, cap - 1) : -1;
	out[n > 0 ? n : 0] = 0;
	for (long i = 0; i < n; i++)
		if ((unsigned char)out[i] < 0x20 || out[i] == 0x7f)
			out[i] = ' ';
}

/* "/tasks/{id}" as "/tasks/{{id}}"; counts the parameters. */
static void path_of(const struct jsc_val *key, struct openapi_op *op)
{
	char raw[512];
	size_t k = 0;
	text_of(key, raw, sizeof(raw));
	op->params = 0;
	for (const char *p = raw; *p && k + 3 < sizeof(op->path); p++) {
		if (*p == '{' || *p == '}') {
			op->path[k++] = *p;
			op->path[k++] = *p;
			op->params += *p == '{';
		} else {
			op->path[k++] = *p;
		}
	}
	op->path[k] = 0;
}

static bool member(const struct jsc_val *o, const char *key, struct jsc_val *v)
{
	return o->type == JSC_OBJECT && jsc_member(o->ptr, o->len, key, v) == 0;
}

static void body_of(const char *doc, size_t len, const struct jsc_val *opv, struct openapi_op *op)
{
	struct jsc_val rb, content, json, schema;
	op->body[0] = 0;
	if (!member(opv, "requestBody", &rb) || !member(&rb, "content", &content) ||
	    !member(&content, "application/json", &json) || !member(&json, "schema", &schema))
		return;
	if (argsyn_make_in(doc, len, schema.ptr, schema.len, op->body, sizeof(op->body),
			   &op->guessed) < 0)
		op->body[0] = 0;
}

static unsigned status_of(const struct jsc_val *opv)
{
	struct jsc_val resp, key, v;
	size_t pos = 0;
	if (!member(opv, "responses", &resp) || resp.type != JSC_OBJECT)
		return 0;
	while (jsc_next(&resp, &pos, &key, &v) == 0)
		if (key.len == 3 && key.ptr[0] == '2' && key.ptr[1] >= '0' && key.ptr[1] <= '9' &&
		    key.ptr[2] >= '0' && key.ptr[2] <= '9')
			return (unsigned)((key.ptr[0] - '0') * 100 + (key.ptr[1] - '0') * 10 +
					  (key.ptr[2] - '0'));
	return 0;
}

long openapi_ops(const char *doc, size_t len, void (*each)(void *ctx, const struct openapi_op *op),
		 void *ctx)
{
	struct jsc_val paths, key, item;
	struct openapi_op op;
	size_t pos = 0;
	long n = 0;
	if (jsc_get(doc, len, "paths", &paths) != 0 || paths.type != JSC_OBJECT)
		return -EINVAL;
	while (jsc_next(&paths, &pos, &key, &item) == 0) {
		if (item.type != JSC_OBJECT)
			continue;
		for (unsigned m = 0; m < sizeof(methods) / sizeof(methods[0]); m++) {
			struct jsc_val opv, s;
			if (!member(&item, methods[m], &opv) || opv.type != JSC_OBJECT)
				continue;
			if (n++ >= OPENAPI_MAX_OPS)
				continue;
			memset(&op, 0, sizeof(op));
			for (unsigned i = 0; methods[m][i]; i++)
				op.method[i] = (char)(methods[m][i] - 32);
			path_of(&key, &op);
			if (member(&opv, "summary", &s) || member(&opv, "operationId", &s))
				text_of(&s, op.summary, sizeof(op.summary));
			body_of(doc, len, &opv, &op);
			op.status = status_of(&opv);
			each(ctx, &op);
		}
	}
	return n;
}
