/*
 * toml: recursive descent over the whole document, one byte at a time,
 * tracking line and column. Tables follow TOML 1.0's rules: a table is
 * defined once (by a header, or by dotted keys), an array of tables gets a
 * new element per [[header]], a key is set once. Nodes and decoded strings
 * go into the caller's arena. Strings are read by tomls.c, over the parse
 * state of tomlps.h.
 */
#include "protocol/toml.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/tomlps.h"
#include "protocol/tomls.h"

#define MAX_KEYS  32  /* parts of one dotted key */
#define MAX_DEPTH 64  /* arrays and inline tables inside each other */
#define NUM_BYTES 128 /* the longest number we read */

enum { HOW_IMPLICIT, HOW_HEADER, HOW_DOTTED, HOW_INLINE };

static void *alloc(struct tomlps *s, size_t n)
{
	void *p = tomlps_alloc_raw(s, n);
	if (p)
		memset(p, 0, n);
	return p;
}

static struct toml_val *new_val(struct tomlps *s, enum toml_type t, const char *key, unsigned line,
				unsigned c)
{
	struct toml_val *v = alloc(s, sizeof(*v));
	if (v) {
		v->type = t;
		v->key = key;
		v->line = line;
		v->col = c;
	}
	return v;
}

static void append(struct toml_val *parent, struct toml_val *v)
{
	if (parent->last)
		parent->last->next = v;
	else
		parent->first = v;
	parent->last = v;
}

const struct toml_val *toml_get(const struct toml_val *t, const char *key)
{
	if (!t || t->type != TOML_TABLE)
		return NULL;
	for (const struct toml_val *v = t->first; v; v = v->next)
		if (v->key && !strcmp(v->key, key))
			return v;
	return NULL;
}

const char *toml_type_name(enum toml_type t)
{
	static const char *const names[] = {"table",   "array", "string",
					    "integer", "float", "boolean"};
	return (unsigned)t < sizeof(names) / sizeof(names[0]) ? names[t] : "?";
}

static void skip_ws(struct tomlps *s)
{
	while (!tomlps_at_end(s) && (*s->p == ' ' || *s->p == '\t'))
		s->p++;
}

/* A comment runs to the end of the line; control bytes other than tab
 * are not allowed in it. */
static int skip_comment(struct tomlps *s)
{
	if (tomlps_at_end(s) || *s->p != '#')
		return 0;
	for (s->p++; !tomlps_at_end(s) && !tomlps_at_newline(s); s->p++)
		if (((unsigned char)*s->p < 0x20 && *s->p != '\t') || *s->p == 0x7f)
			return tomlps_fail(s, "a control character in a comment");
	return 0;
}

/* Spaces, comments and newlines (inside arrays and inline tables). */
static int skip_blank(struct tomlps *s)
{
	for (;;) {
		skip_ws(s);
		if (skip_comment(s) < 0)
			return s->err;
		if (!tomlps_at_newline(s))
			return 0;
		tomlps_eat_newline(s);
	}
}

/* The rest of a line after an expression: spaces, a comment, the end. */
static int end_of_line(struct tomlps *s)
{
	skip_ws(s);
	if (skip_comment(s) < 0)
		return s->err;
	if (tomlps_at_end(s))
		return 0;
	if (!tomlps_at_newline(s))
		return tomlps_fail(s, "expected the end of the line, found '%c'", *s->p);
	tomlps_eat_newline(s);
	return 0;
}

/* --- keys --- */

static bool bare(int c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* A dotted key into keys[0..*n). */
static int key(struct tomlps *s, const char **keys, unsigned *n)
{
	*n = 0;
	for (;;) {
		skip_ws(s);
		if (*n == MAX_KEYS)
			return tomlps_fail(s, "a key of more than %d parts", MAX_KEYS);
		if (!tomlps_at_end(s) && (*s->p == '"' || *s->p == '\'')) {
			size_t len;
			if (tomlps_peek(s, 1) == *s->p && tomlps_peek(s, 2) == *s->p)
				return tomlps_fail(s, "a key cannot be a multi-line string");
			if (tomls_string(s, &keys[*n], &len) < 0)
				return s->err;
			if (strlen(keys[*n]) != len)
				return tomlps_fail(s, "a key with a NUL byte");
		} else {
			const char *k = s->p;
			while (!tomlps_at_end(s) && bare(*s->p))
				s->p++;
			if (s->p == k)
				return tomlps_at_end(s)
					   ? tomlps_fail(s, "expected a key")
					   : tomlps_fail(s, "expected a key, found '%c'", *s->p);
			char *c = alloc(s, (size_t)(s->p - k) + 1);
			if (!c)
				return s->err;
			memcpy(c, k, (size_t)(s->p - k));
			keys[*n] = c;
		}
		(*n)++;
		skip_ws(s);
		if (tomlps_at_end(s) || *s->p != '.')
			return 0;
		s->p++;
	}
}

/* --- values --- */

static int value(struct tomlps *s, struct toml_val *v, unsigned depth);

static bool delimiter(int c)
{
	return c < 0 || c == ' ' || c == '\t' || c == ',' || c == ']' || c == '}' || c == '#' ||
	       c == '\n' || c == '\r';
}

static bool digits_ok(const char *t, int base)
{
	/* underscores only between two digits */
	bool prev = false;
	if (!*t)
		return false;
	for (; *t; t++) {
		bool d = base == 16  ? strchr("0123456789abcdefABCDEF", *t) && *t
			 : base == 8 ? *t >= '0' && *t <= '7'
			 : base == 2 ? *t == '0' || *t == '1'
				     : *t >= '0' && *t <= '9';
		if (*t == '_') {
			if (!prev || !t[1])
				return false;
			prev = false;
			continue;
		}
		if (!d)
			return false;
		prev = true;
	}
	return true;
}

static void strip(char *t)
{
	char *w = t;
	for (; *t; t++)
		if (*t != '_')
			*w++ = *t;
	*w = 0;
}

static int integer(struct tomlps *s, struct toml_val *v, char *t)
{
	int base = 10;
	char *d = t, *end;
	if (t[0] == '0' && (t[1] == 'x' || t[1] == 'o' || t[1] == 'b')) {
		base = t[1] == 'x' ? 16 : t[1] == 'o' ? 8 : 2;
		d = t + 2;
	} else if (*d == '+' || *d == '-') {
		d++;
	}
	if (!digits_ok(d, base) || (base == 10 && d[0] == '0' && d[1]))
		return tomlps_fail(s, "'%s' is not a number", t);
	strip(t);
	errno = 0;
	long long x = base == 10 ? strtoll(t, &end, 10) : strtoll(t + 2, &end, base);
	if (errno || *end)
		return tomlps_fail(s, "'%s' does not fit in 64 bits", t);
	v->type = TOML_INT;
	v->i = x;
	v->f = (double)x;
	return 0;
}

static int number(struct tomlps *s, struct toml_val *v)
{
	char t[NUM_BYTES];
	size_t n = 0;
	while (!delimiter(tomlps_peek(s, n)) && n + 1 < sizeof(t)) {
		t[n] = s->p[n];
		n++;
	}
	t[n] = 0;
	if (!n)
		return tomlps_fail(s, "expected a value");
	if (strchr(t, ':') || (n >= 8 && t[4] == '-' && t[7] == '-'))
		return tomlps_fail(s, "dates and times are not supported: write it as a string");
	if (!strcmp(t, "true") || !strcmp(t, "false")) {
		v->type = TOML_BOOL;
		v->b = t[0] == 't';
	} else if (!strcmp(t + (*t == '+' || *t == '-'), "inf") ||
		   !strcmp(t + (*t == '+' || *t == '-'), "nan")) {
		v->type = TOML_FLOAT;
		v->f = strstr(t, "nan") ? (double)NAN
		       : t[0] == '-'	? -(double)INFINITY
					: (double)INFINITY;
	} else if (strpbrk(t, ".eE") && !(t[0] == '0' && t[1] == 'x')) {
		const char *m = t + (*t == '+' || *t == '-');
		char *dot = strchr(t, '.'), *end;
		if (!(*m >= '0' && *m <= '9') || (dot && !(dot[1] >= '0' && dot[1] <= '9')) ||
		    (dot && !(dot[-1] >= '0' && dot[-1] <= '9')) || strstr(t, "__") ||
		    strstr(t, "_.") || strstr(t, "._") ||
		    (m[0] == '0' && m[1] >= '0' && m[1] <= '9'))
			return tomlps_fail(s, "'%s' is not a number", t);
		strip(t);
		errno = 0;
		v->type = TOML_FLOAT;
		v->f = strtod(t, &end);
		if (*end)
			return tomlps_fail(s, "'%s' is not a number", t);
	} else if (integer(s, v, t) < 0) {
		return s->err;
	}
	s->p += n;
	return 0;
}

static int array(struct tomlps *s, struct toml_val *v, unsigned depth)
{
	v->type = TOML_ARRAY;
	s->p++;
	for (;;) {
		if (skip_blank(s) < 0)
			return s->err;
		if (tomlps_at_end(s))
			return tomlps_fail(s, "an array is not closed: expected ']'");
		if (*s->p == ']') {
			s->p++;
			return 0;
		}
		struct toml_val *item = new_val(s, TOML_STRING, NULL, s->line, tomlps_col(s));
		if (!item || value(s, item, depth + 1) < 0)
			return s->err;
		append(v, item);
		if (skip_blank(s) < 0)
			return s->err;
		if (!tomlps_at_end(s) && *s->p == ',') {
			s->p++;
			continue;
		}
		if (tomlps_at_end(s) || *s->p != ']')
			return tomlps_fail(s, "expected ',' or ']' in an array");
	}
}

static int keyval(struct tomlps *s, struct toml_val *table, unsigned depth);

static int inline_table(struct tomlps *s, struct toml_val *v, unsigned depth)
{
	v->type = TOML_TABLE;
	v->how = HOW_INLINE;
	s->p++;
	for (;;) {
		if (skip_blank(s) < 0)
			return s->err;
		if (tomlps_at_end(s))
			return tomlps_fail(s, "an inline table is not closed: expected '}'");
		if (*s->p == '}') {
			s->p++;
			return 0;
		}
		if (keyval(s, v, depth + 1) < 0)
			return s->err;
		if (skip_blank(s) < 0)
			return s->err;
		if (!tomlps_at_end(s) && *s->p == ',') {
			s->p++;
			continue;
		}
		if (tomlps_at_end(s) || *s->p != '}')
			return tomlps_fail(s, "expected ',' or '}' in an inline table");
	}
}

static int value(struct tomlps *s, struct toml_val *v, unsigned depth)
{
	if (depth > MAX_DEPTH)
		return tomlps_fail(s, "arrays and tables nested more than %d deep", MAX_DEPTH);
	v->line = s->line;
	v->col = tomlps_col(s);
	if (tomlps_at_end(s))
		return tomlps_fail(s, "expected a value");
	switch (*s->p) {
	case '"':
	case '\'':
		v->type = TOML_STRING;
		return tomls_string(s, &v->str, &v->len);
	case '[':
		return array(s, v, depth);
	case '{':
		return inline_table(s, v, depth);
	default:
		return number(s, v);
	}
}

/* --- tables --- */

/* Follow keys[0..n) from t for a header: implicit tables are made, arrays
 * of tables lead to their last element. */
static struct toml_val *descend(struct tomlps *s, struct toml_val *t, const char **keys, unsigned n)
{
	for (unsigned i = 0; i < n && t; i++) {
		struct toml_val *c = (struct toml_val *)toml_get(t, keys[i]);
		if (!c) {
			c = new_val(s, TOML_TABLE, keys[i], s->line, tomlps_col(s));
			if (!c)
				return NULL;
			append(t, c);
		} else if (c->type == TOML_ARRAY && c->how == 1 && c->last) {
			c = c->last;
		} else if (c->type != TOML_TABLE || c->how == HOW_INLINE) {
			tomlps_fail(s, "'%s' is already a%s %s, not a table", keys[i],
				    c->type == TOML_ARRAY || c->type == TOML_INT ? "n" : "",
				    c->type == TOML_TABLE ? "closed inline table"
							  : toml_type_name(c->type));
			return NULL;
		}
		t = c;
	}
	return t;
}

static struct toml_val *header(struct tomlps *s)
{
	const char *keys[MAX_KEYS];
	unsigned n, line = s->line, c = tomlps_col(s);
	bool aot = tomlps_peek(s, 1) == '[';
	s->p += aot ? 2 : 1;
	if (key(s, keys, &n) < 0)
		return NULL;
	if (tomlps_at_end(s) || *s->p != ']' || (aot && tomlps_peek(s, 1) != ']')) {
		tomlps_fail(s, "expected '%s' to close the table header", aot ? "]]" : "]");
		return NULL;
	}
	s->p += aot ? 2 : 1;
	struct toml_val *parent = descend(s, s->doc->root, keys, n - 1);
	if (!parent)
		return NULL;
	struct toml_val *t = (struct toml_val *)toml_get(parent, keys[n - 1]);
	if (aot) {
		if (!t) {
			t = new_val(s, TOML_ARRAY, keys[n - 1], line, c);
			if (!t)
				return NULL;
			t->how = 1;
			append(parent, t);
		} else if (t->type != TOML_ARRAY || t->how != 1) {
			tomlps_fail(
			    s, "'%s' is already a%s %s, not an array of tables", keys[n - 1],
			    t->type == TOML_ARRAY || t->type == TOML_INT ? "n" : "",
			    t->type == TOML_ARRAY ? "array of values" : toml_type_name(t->type));
			return NULL;
		}
		struct toml_val *e = new_val(s, TOML_TABLE, NULL, line, c);
		if (!e)
			return NULL;
		e->how = HOW_HEADER;
		append(t, e);
		return e;
	}
	if (!t) {
		t = new_val(s, TOML_TABLE, keys[n - 1], line, c);
		if (!t)
			return NULL;
		append(parent, t);
	} else if (t->type != TOML_TABLE) {
		tomlps_fail(s, "'%s' is already a%s %s, not a table", keys[n - 1],
			    t->type == TOML_ARRAY || t->type == TOML_INT ? "n" : "",
			    toml_type_name(t->type));
		return NULL;
	} else if (t->how != HOW_IMPLICIT) {
		tomlps_fail(s, "[%s] is defined twice", keys[n - 1]);
		return NULL;
	}
	t->how = HOW_HEADER;
	t->line = line;
	t->col = c;
	return t;
}

/* key = value into table (dotted keys make or extend tables of their own). */
static int keyval(struct tomlps *s, struct toml_val *table, unsigned depth)
{
	const char *keys[MAX_KEYS];
	unsigned n, line = s->line, c = tomlps_col(s);
	if (key(s, keys, &n) < 0)
		return s->err;
	for (unsigned i = 0; i + 1 < n; i++) {
		struct toml_val *t = (struct toml_val *)toml_get(table, keys[i]);
		if (!t) {
			t = new_val(s, TOML_TABLE, keys[i], line, c);
			if (!t)
				return s->err;
			t->how = HOW_DOTTED;
			append(table, t);
		} else if (t->type != TOML_TABLE ||
			   (t->how != HOW_DOTTED && t->how != HOW_IMPLICIT)) {
			return tomlps_fail(s, "'%s' is already defined", keys[i]);
		}
		table = t;
	}
	if (toml_get(table, keys[n - 1]))
		return tomlps_fail(s, "'%s' is defined twice", keys[n - 1]);
	skip_ws(s);
	if (tomlps_at_end(s) || *s->p != '=')
		return tomlps_fail(s, "expected '=' after the key '%s'", keys[n - 1]);
	s->p++;
	skip_ws(s);
	struct toml_val *v = new_val(s, TOML_STRING, keys[n - 1], line, c);
	if (!v || value(s, v, depth) < 0)
		return s->err;
	append(table, v);
	return 0;
}

int toml_parse(struct toml_doc *doc, const char *text, size_t len, char *arena, size_t cap,
	       char *why, size_t wl)
{
	struct tomlps s = {text, text + len, text, 1, doc, why, wl, 0};
	memset(doc, 0, sizeof(*doc));
	doc->arena = arena;
	doc->cap = cap;
	doc->root = new_val(&s, TOML_TABLE, NULL, 1, 1);
	if (!doc->root)
		return s.err;
	doc->root->how = HOW_HEADER;
	struct toml_val *cur = doc->root;
	if (len >= 3 && !memcmp(text, "\xef\xbb\xbf", 3))
		s.p += 3, s.bol = s.p; /* a byte-order mark */
	while (!tomlps_at_end(&s) && !s.err) {
		skip_ws(&s);
		if (tomlps_at_end(&s))
			break;
		if (*s.p == '[') {
			struct toml_val *t = header(&s);
			if (!t)
				break;
			cur = t;
		} else if (*s.p != '#' && !tomlps_at_newline(&s)) {
			if (keyval(&s, cur, 0) < 0)
				break;
		}
		end_of_line(&s);
	}
	return s.err;
}
