/*
 * mtext: MCP results walked with the JSON scanner; strings decoded into
 * the caller's scratch buffer, so nothing is allocated. Content items
 * follow the MCP schema's ContentBlock (text, image, audio, resource,
 * resource_link).
 */
#include "protocol/mtext.h"

#include <stdbool.h>
#include <string.h>

#include "protocol/jsc.h"

struct walk {
	char *scratch;
	size_t cap;
	void (*each)(void *ctx, const char *text, size_t len);
	void *ctx;
	long binary;
};

/* The string member key of obj, decoded, to each. 0 (also when absent), -1. */
static int emit(struct walk *w, const struct jsc_val *obj, const char *key)
{
	struct jsc_val v;
	int r = jsc_get(obj->ptr, obj->len, key, &v);
	if (r == JSC_NOT_FOUND)
		return 0;
	if (r != 0 || v.type != JSC_STRING)
		return -1;
	long n = jsc_unescape(&v, w->scratch, w->cap);
	if (n < 0)
		return -1;
	if (n)
		w->each(w->ctx, w->scratch, (size_t)n);
	return 0;
}

/* A resource's contents item: its text, or a blob (binary). */
static int resource_item(struct walk *w, const struct jsc_val *it)
{
	struct jsc_val v;
	if (it->type != JSC_OBJECT)
		return -1;
	if (jsc_get(it->ptr, it->len, "text", &v) == 0)
		return emit(w, it, "text");
	w->binary += jsc_get(it->ptr, it->len, "blob", &v) == 0;
	return 0;
}

/* One ContentBlock. */
static int content_item(struct walk *w, const struct jsc_val *it)
{
	struct jsc_val type, res;
	if (it->type != JSC_OBJECT || jsc_get(it->ptr, it->len, "type", &type) != 0 ||
	    type.type != JSC_STRING)
		return -1;
	if (jsc_is(&type, "text"))
		return emit(w, it, "text");
	if (jsc_is(&type, "resource")) {
		if (jsc_get(it->ptr, it->len, "resource", &res) != 0)
			return -1;
		return resource_item(w, &res);
	}
	if (jsc_is(&type, "resource_link"))
		return emit(w, it, "name") < 0 || emit(w, it, "uri") < 0 ||
			       emit(w, it, "description") < 0
			   ? -1
			   : 0;
	w->binary++; /* image, audio, or a kind this version does not know */
	return 0;
}

/* Every element of the array at path in obj through fn; absent: -1
 * unless optional. */
static int each_of(struct walk *w, const struct jsc_val *obj, const char *path, bool optional,
		   int (*fn)(struct walk *, const struct jsc_val *))
{
	struct jsc_val arr, v;
	size_t pos = 0;
	int r = jsc_get(obj->ptr, obj->len, path, &arr);
	if (r == JSC_NOT_FOUND && optional)
		return 0;
	if (r != 0 || arr.type != JSC_ARRAY)
		return -1;
	while ((r = jsc_next(&arr, &pos, NULL, &v)) == 0)
		if (fn(w, &v) < 0)
			return -1;
	return r == JSC_MALFORMED ? -1 : 0;
}

/* A prompt message: its content is one ContentBlock (or, leniently, an
 * array of them). */
static int message(struct walk *w, const struct jsc_val *m)
{
	struct jsc_val c;
	if (m->type != JSC_OBJECT || jsc_get(m->ptr, m->len, "content", &c) != 0)
		return -1;
	if (c.type == JSC_ARRAY)
		return each_of(w, m, "content", false, content_item);
	return content_item(w, &c);
}

/* A tool result without content: its structuredContent as JSON text. */
static int structured(struct walk *w, const struct jsc_val *res)
{
	struct jsc_val v;
	if (jsc_get(res->ptr, res->len, "structuredContent", &v) != 0)
		return 0;
	if (v.len > w->cap)
		return -1;
	memcpy(w->scratch, v.ptr, v.len);
	size_t n = mtext_minify(w->scratch, v.len);
	if (n)
		w->each(w->ctx, w->scratch, n);
	return 0;
}

long mtext_each(enum mtext_kind k, const char *result, size_t len, char *scratch, size_t cap,
		void (*each)(void *ctx, const char *text, size_t len), void *ctx)
{
	struct walk w = {scratch, cap, each, ctx, 0};
	struct jsc_val res, content;
	int r;
	if (jsc_get(result, len, "", &res) != 0 || res.type != JSC_OBJECT)
		return -1;
	switch (k) {
	case MTEXT_RESOURCE:
		r = each_of(&w, &res, "contents", false, resource_item);
		break;
	case MTEXT_TOOL:
		if (jsc_get(res.ptr, res.len, "content", &content) == 0 &&
		    content.type == JSC_ARRAY && content.len > 2)
			r = each_of(&w, &res, "content", false, content_item);
		else
			r = structured(&w, &res);
		break;
	default:
		r = each_of(&w, &res, "messages", false, message);
		break;
	}
	return r < 0 ? -1 : w.binary;
}

size_t mtext_minify(char *s, size_t n)
{
	size_t o = 0;
	bool in = false, esc = false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (in) {
			in = esc || c != '"';
			esc = !esc && c == '\\';
		} else if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			continue;
		} else {
			in = c == '"';
		}
		s[o++] = c;
	}
	return o;
}

/* Append p[0..n) to out at *at; false when it does not fit. */
static bool put(char *out, size_t cap, size_t *at, const char *p, size_t n)
{
	if (n > cap - *at)
		return false;
	memcpy(out + *at, p, n);
	*at += n;
	return true;
}

long mtext_tool(const char *tool, size_t len, char *out, size_t cap)
{
	struct jsc_val name, desc, schema;
	size_t at = 0;
	bool has_desc, ok;
	if (jsc_get(tool, len, "name", &name) != 0 || name.type != JSC_STRING)
		return -1;
	has_desc = jsc_get(tool, len, "description", &desc) == 0 && desc.type == JSC_STRING;
	if (jsc_get(tool, len, "inputSchema", &schema) != 0)
		schema = (struct jsc_val){JSC_OBJECT, "{}", 2};
	/* strings keep their escapes: that is the JSON text a model API gets */
	ok = put(out, cap, &at, "{\"name\":\"", 9) && put(out, cap, &at, name.ptr, name.len) &&
	     put(out, cap, &at, "\"", 1);
	if (ok && has_desc)
		ok = put(out, cap, &at, ",\"description\":\"", 16) &&
		     put(out, cap, &at, desc.ptr, desc.len) && put(out, cap, &at, "\"", 1);
	ok = ok && put(out, cap, &at, ",\"parameters\":", 14);
	size_t from = at;
	ok = ok && put(out, cap, &at, schema.ptr, schema.len) && put(out, cap, &at, "}", 1);
	if (!ok)
		return -1;
	return (long)(from + mtext_minify(out + from, at - from));
}
