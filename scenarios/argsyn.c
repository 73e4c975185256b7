/*
 * argsyn: one recursive walk over the schema with jsc (no allocation):
 * $ref into the same document's $defs/definitions, anyOf/oneOf/allOf by
 * their first usable branch, nullable type lists by their first non-null
 * type. Values the schema states are copied as written (they are JSON).
 */
#include "scenarios/argsyn.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"

struct syn {
	const char *root; /* the whole schema, for $ref */
	size_t root_len;
	char *out;
	size_t cap, len;
	bool full;
	unsigned guessed;
};

static void put(struct syn *s, const char *p, size_t n)
{
	if (s->len + n + 1 > s->cap) {
		s->full = true;
		return;
	}
	memcpy(s->out + s->len, p, n);
	s->len += n;
	s->out[s->len] = 0;
}

static void puts_(struct syn *s, const char *p)
{
	put(s, p, strlen(p));
}

/* A value as written in the document (a string keeps its quotes). */
static void put_val(struct syn *s, const struct jsc_val *v)
{
	if (v->type == JSC_STRING) {
		put(s, "\"", 1);
		put(s, v->ptr, v->len);
		put(s, "\"", 1);
	} else {
		put(s, v->ptr, v->len);
	}
}

static bool get(const struct jsc_val *o, const char *key, struct jsc_val *v)
{
	return o->type == JSC_OBJECT && jsc_member(o->ptr, o->len, key, v) == 0;
}

/* "#/$defs/Name" or "#/definitions/Name" in the root document. */
static bool deref(const struct syn *s, const struct jsc_val *ref, struct jsc_val *out)
{
	char path[256];
	size_t k = 0;
	if (ref->type != JSC_STRING || ref->len < 3 || ref->len >= sizeof(path) ||
	    memcmp(ref->ptr, "#/", 2) != 0)
		return false;
	for (size_t i = 2; i < ref->len; i++) {
		char c = ref->ptr[i];
		if (c == '.' || c == '\\')
			return false; /* our paths split on dots; escapes not followed */
		path[k++] = c == '/' ? '.' : c;
	}
	path[k] = 0;
	return jsc_get(s->root, s->root_len, path, out) == 0 && out->type == JSC_OBJECT;
}

/* The schema's type, or its first non-null type in a list; "" if none. */
static void type_of(const struct jsc_val *sc, char *t, size_t cap)
{
	struct jsc_val v, item;
	size_t pos = 0;
	t[0] = 0;
	if (!get(sc, "type", &v))
		return;
	if (v.type == JSC_STRING && v.len < cap) {
		memcpy(t, v.ptr, v.len);
		t[v.len] = 0;
		return;
	}
	while (v.type == JSC_ARRAY && jsc_next(&v, &pos, NULL, &item) == 0)
		if (item.type == JSC_STRING && !jsc_is(&item, "null") && item.len < cap) {
			memcpy(t, item.ptr, item.len);
			t[item.len] = 0;
			return;
		}
}

static void value(struct syn *s, const struct jsc_val *sc, unsigned depth);

/* A value the schema states: const, enum[0], default, examples[0], example. */
static bool stated(struct syn *s, const struct jsc_val *sc)
{
	struct jsc_val v, first;
	size_t pos = 0;
	if (get(sc, "const", &v) || get(sc, "default", &v) || get(sc, "example", &v)) {
		put_val(s, &v);
		return true;
	}
	if ((get(sc, "enum", &v) || get(sc, "examples", &v)) && v.type == JSC_ARRAY &&
	    jsc_next(&v, &pos, NULL, &first) == 0) {
		put_val(s, &first);
		return true;
	}
	return false;
}

/* An integer bound of the schema (a fraction rounded inwards by up). */
static int64_t bound(const struct jsc_val *sc, const char *key, int64_t dflt, bool up)
{
	struct jsc_val v;
	char buf[40];
	if (!get(sc, key, &v) || v.type != JSC_NUMBER || v.len >= sizeof(buf))
		return dflt;
	memcpy(buf, v.ptr, v.len);
	buf[v.len] = 0;
	double d = strtod(buf, NULL);
	if (!(d > -9e18 && d < 9e18))
		return dflt;
	double r = up ? ceil(d) : floor(d);
	return (int64_t)r;
}

static void string(struct syn *s, const struct jsc_val *sc)
{
	struct jsc_val f;
	const char *v = "example";
	if (get(sc, "format", &f)) {
		v = jsc_is(&f, "date-time")		     ? "2026-01-01T00:00:00Z"
		    : jsc_is(&f, "date")		     ? "2026-01-01"
		    : jsc_is(&f, "time")		     ? "00:00:00"
		    : jsc_is(&f, "email")		     ? "user@example.com"
		    : jsc_is(&f, "uri") || jsc_is(&f, "url") ? "https://example.com/"
		    : jsc_is(&f, "uuid") ? "00000000-0000-4000-8000-000000000000"
		    : jsc_is(&f, "ipv4") ? "127.0.0.1"
					 : v;
	}
	int64_t lo = bound(sc, "minLength", 0, true), hi = bound(sc, "maxLength", 1 << 20, false);
	size_t n = strlen(v);
	put(s, "\"", 1);
	if (hi >= 0 && (int64_t)n > hi)
		n = (size_t)hi;
	put(s, v, n);
	for (int64_t i = (int64_t)n; i < lo && i < 4096; i++)
		put(s, "x", 1);
	put(s, "\"", 1);
}

/* 1, or the nearest integer the bounds allow. */
static void number(struct syn *s, const struct jsc_val *sc)
{
	char buf[32];
	int64_t lo = bound(sc, "minimum", INT64_MIN, true),
		hi = bound(sc, "maximum", INT64_MAX, false);
	int64_t xlo = bound(sc, "exclusiveMinimum", INT64_MIN, false);
	int64_t xhi = bound(sc, "exclusiveMaximum", INT64_MAX, true);
	int64_t v = 1;
	if (xlo != INT64_MIN && xlo < INT64_MAX && xlo + 1 > lo)
		lo = xlo + 1;
	if (xhi != INT64_MAX && xhi > INT64_MIN && xhi - 1 < hi)
		hi = xhi - 1;
	if (v < lo)
		v = lo;
	if (v > hi)
		v = hi;
	snprintf(buf, sizeof(buf), "%lld", (long long)v);
	puts_(s, buf);
}

static void array(struct syn *s, const struct jsc_val *sc, unsigned depth)
{
	struct jsc_val items;
	int64_t n = bound(sc, "minItems", 0, true);
	bool have = get(sc, "items", &items) && items.type == JSC_OBJECT;
	if (n > 16)
		n = 16;
	put(s, "[", 1);
	for (int64_t i = 0; i < n && !s->full; i++) {
		if (i)
			put(s, ",", 1);
		if (have)
			value(s, &items, depth + 1);
		else
			puts_(s, "\"example\"");
	}
	put(s, "]", 1);
}

/* True when name is in the schema's required list. */
static bool required(const struct jsc_val *sc, const struct jsc_val *name)
{
	struct jsc_val req, item;
	size_t pos = 0;
	if (!get(sc, "required", &req) || req.type != JSC_ARRAY)
		return false;
	while (jsc_next(&req, &pos, NULL, &item) == 0)
		if (item.type == JSC_STRING && item.len == name->len &&
		    !memcmp(item.ptr, name->ptr, name->len))
			return true;
	return false;
}

static void object(struct syn *s, const struct jsc_val *sc, unsigned depth)
{
	struct jsc_val props, key, prop;
	size_t pos = 0;
	bool first = true;
	put(s, "{", 1);
	if (get(sc, "properties", &props) && props.type == JSC_OBJECT && depth < ARGSYN_MAX_DEPTH)
		while (!s->full && jsc_next(&props, &pos, &key, &prop) == 0) {
			if (!required(sc, &key))
				continue;
			if (!first)
				put(s, ",", 1);
			first = false;
			put_val(s, &key);
			put(s, ":", 1);
			value(s, &prop, depth + 1);
		}
	put(s, "}", 1);
}

/* The first branch of anyOf/oneOf/allOf that is not {"type":"null"}. */
static bool branch(const struct jsc_val *sc, struct jsc_val *out)
{
	static const char *const keys[] = {"anyOf", "oneOf", "allOf"};
	struct jsc_val list, t;
	for (unsigned k = 0; k < 3; k++) {
		size_t pos = 0;
		if (!get(sc, keys[k], &list) || list.type != JSC_ARRAY)
			continue;
		while (jsc_next(&list, &pos, NULL, out) == 0)
			if (out->type == JSC_OBJECT &&
			    !(get(out, "type", &t) && jsc_is(&t, "null")))
				return true;
	}
	return false;
}

static void value(struct syn *s, const struct jsc_val *sc, unsigned depth)
{
	struct jsc_val ref, alt;
	char t[16];
	if (sc->type != JSC_OBJECT || depth > ARGSYN_MAX_DEPTH) {
		puts_(s, "null");
		s->guessed++;
		return;
	}
	if (get(sc, "$ref", &ref) && deref(s, &ref, &alt) && depth < ARGSYN_MAX_DEPTH) {
		value(s, &alt, depth + 1);
		return;
	}
	if (stated(s, sc))
		return;
	type_of(sc, t, sizeof(t));
	if (!t[0] && branch(sc, &alt)) {
		value(s, &alt, depth + 1);
		return;
	}
	if (!strcmp(t, "object") || (!t[0] && get(sc, "properties", &alt))) {
		object(s, sc, depth);
		return; /* its members count for themselves */
	}
	s->guessed++;
	if (!strcmp(t, "string"))
		string(s, sc);
	else if (!strcmp(t, "integer") || !strcmp(t, "number"))
		number(s, sc);
	else if (!strcmp(t, "boolean"))
		puts_(s, "false");
	else if (!strcmp(t, "array"))
		array(s, sc, depth);
	else if (!strcmp(t, "null"))
		puts_(s, "null");
	else
		puts_(s, "\"example\""); /* no type at all: any value validates */
}

long argsyn_make(const char *schema, size_t len, char *out, size_t cap, unsigned *guessed)
{
	return argsyn_make_in(schema, len, schema, len, out, cap, guessed);
}

long argsyn_make_in(const char *doc, size_t doc_len, const char *schema, size_t len, char *out,
		    size_t cap, unsigned *guessed)
{
	struct syn s = {doc, doc_len, out, cap, 0, false, 0};
	struct jsc_val root;
	*guessed = 0;
	if (!cap)
		return -ENOSPC;
	out[0] = 0;
	if (jsc_get(schema, len, "", &root) != 0 || root.type != JSC_OBJECT)
		return -EINVAL;
	value(&s, &root, 0);
	*guessed = s.guessed;
	/* values copied as written may hold newlines between tokens: one line */
	for (size_t i = 0; i < s.len; i++)
		if ((unsigned char)out[i] < 0x20)
			out[i] = ' ';
	return s.full ? -ENOSPC : (long)s.len;
}
