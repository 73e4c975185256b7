/*
 * tschema: a JSON Schema check for the subset docs/report.schema.json uses
 * (type, enum, minimum, required, properties, items, $ref to #/$defs/X),
 * built on protocol/jsc, so a test validates real reports without a schema
 * library. Header-only.
 */
#ifndef MCPL_TESTS_TSCHEMA_H
#define MCPL_TESTS_TSCHEMA_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/jsc.h"

struct tschema {
	const char *doc; /* the whole schema, for $ref */
	size_t len;
	char err[512];
};

static inline bool ts_key(const struct jsc_val *obj, const char *key, struct jsc_val *out)
{
	return jsc_member(obj->ptr, obj->len, key, out) == 0;
}

static inline bool ts_type_is(const struct jsc_val *v, const char *t, size_t n)
{
	int64_t i;
#define T(s) (n == strlen(s) && !memcmp(t, s, n))
	if (T("object"))
		return v->type == JSC_OBJECT;
	if (T("array"))
		return v->type == JSC_ARRAY;
	if (T("string"))
		return v->type == JSC_STRING;
	if (T("number"))
		return v->type == JSC_NUMBER;
	if (T("integer"))
		return v->type == JSC_NUMBER && jsc_int(v, &i) == 0;
	if (T("boolean"))
		return v->type == JSC_TRUE || v->type == JSC_FALSE;
	if (T("null"))
		return v->type == JSC_NULL;
#undef T
	return false;
}

static inline bool ts_fail(struct tschema *s, const char *where, const char *what)
{
	snprintf(s->err, sizeof(s->err), "%s: %s", where, what);
	return false;
}

static inline bool ts_check(struct tschema *s, struct jsc_val sch, struct jsc_val v,
			    const char *where)
{
	struct jsc_val k, x, e;
	size_t pos = 0;
	char sub[400];
	if (ts_key(&sch, "$ref", &x)) {
		char name[64];
		struct jsc_val defs, whole = {JSC_OBJECT, s->doc, s->len};
		if (x.len < 9 || x.len - 8 >= sizeof(name) || memcmp(x.ptr, "#/$defs/", 8))
			return ts_fail(s, where, "unsupported $ref");
		memcpy(name, x.ptr + 8, x.len - 8);
		name[x.len - 8] = 0;
		if (!ts_key(&whole, "$defs", &defs) || !ts_key(&defs, name, &sch))
			return ts_fail(s, where, "$ref not found");
	}
	if (ts_key(&sch, "type", &x)) {
		bool ok = false;
		if (x.type == JSC_STRING)
			ok = ts_type_is(&v, x.ptr, x.len);
		while (x.type == JSC_ARRAY && jsc_next(&x, &pos, &k, &e) == 0)
			ok |= e.type == JSC_STRING && ts_type_is(&v, e.ptr, e.len);
		if (!ok)
			return ts_fail(s, where, "wrong type");
	}
	if (ts_key(&sch, "enum", &x)) {
		bool ok = false;
		pos = 0;
		while (jsc_next(&x, &pos, &k, &e) == 0)
			ok |= e.type == v.type && e.len == v.len && !memcmp(e.ptr, v.ptr, v.len);
		if (!ok)
			return ts_fail(s, where, "not one of the enum's values");
	}
	if (ts_key(&sch, "minimum", &x) && v.type == JSC_NUMBER &&
	    strtod(v.ptr, NULL) < strtod(x.ptr, NULL))
		return ts_fail(s, where, "below the minimum");
	if (v.type == JSC_OBJECT && ts_key(&sch, "required", &x)) {
		pos = 0;
		while (jsc_next(&x, &pos, &k, &e) == 0) {
			char key[64];
			snprintf(key, sizeof(key), "%.*s", (int)e.len, e.ptr);
			if (!ts_key(&v, key, &k)) {
				snprintf(sub, sizeof(sub), "missing required member '%s'", key);
				return ts_fail(s, where, sub);
			}
		}
	}
	if (v.type == JSC_OBJECT && ts_key(&sch, "properties", &x)) {
		pos = 0;
		while (jsc_next(&x, &pos, &k, &e) == 0) {
			char key[64];
			struct jsc_val m;
			snprintf(key, sizeof(key), "%.*s", (int)k.len, k.ptr);
			snprintf(sub, sizeof(sub), "%s.%s", where, key);
			if (ts_key(&v, key, &m) && !ts_check(s, e, m, sub))
				return false;
		}
	}
	if (v.type == JSC_ARRAY && ts_key(&sch, "items", &x)) {
		pos = 0;
		for (unsigned i = 0; jsc_next(&v, &pos, &k, &e) == 0; i++) {
			snprintf(sub, sizeof(sub), "%s[%u]", where, i);
			if (!ts_check(s, x, e, sub))
				return false;
		}
	}
	return true;
}

/* Validate json against the schema text. Returns true, or false with s->err. */
static inline bool tschema_validate(struct tschema *s, const char *schema, size_t slen,
				    const char *json, size_t jlen)
{
	struct jsc_val sch, v;
	s->doc = schema;
	s->len = slen;
	s->err[0] = 0;
	if (jsc_get(schema, slen, "", &sch) != 0)
		return ts_fail(s, "schema", "not JSON");
	if (jsc_get(json, jlen, "", &v) != 0)
		return ts_fail(s, "report", "not JSON");
	return ts_check(s, sch, v, "report");
}

#endif
