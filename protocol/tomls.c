/*
 * tomls: TOML strings. The decoded string goes into an arena block as long
 * as the rest of the document (the most it can hold); what it did not use
 * is given back at once.
 */
#include "protocol/tomls.h"

#include <stdint.h>
#include <string.h>

struct buf {
	char *b;
	size_t len, cap;
};

static int put(struct tomlps *s, struct buf *o, const char *p, size_t n)
{
	if (o->len + n + 1 > o->cap)
		return tomlps_fail(s, "a string longer than the document allows");
	memcpy(o->b + o->len, p, n);
	o->len += n;
	o->b[o->len] = 0;
	return 0;
}

static int put_utf8(struct tomlps *s, struct buf *o, uint32_t cp)
{
	char u[4];
	size_t n;
	if ((cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff)
		return tomlps_fail(s, "\\u%04X is not a Unicode scalar value", cp);
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	return put(s, o, u, n);
}

static int escape(struct tomlps *s, struct buf *o)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *e;
	s->p++; /* the backslash */
	if (tomlps_at_end(s))
		return tomlps_fail(s, "a string ends inside an escape");
	e = strchr(from, *s->p);
	if (e && *s->p) {
		s->p++;
		return put(s, o, &to[e - from], 1);
	}
	if (*s->p != 'u' && *s->p != 'U')
		return tomlps_fail(s, "unknown escape '\\%c'", *s->p);
	int digits = *s->p == 'u' ? 4 : 8;
	uint32_t cp = 0;
	s->p++;
	for (int i = 0; i < digits; i++, s->p++) {
		int c = tomlps_peek(s, 0);
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (v < 0)
			return tomlps_fail(s, "\\%c needs %d hex digits", digits == 4 ? 'u' : 'U',
					   digits);
		cp = cp << 4 | (uint32_t)v;
	}
	return put_utf8(s, o, cp);
}

/* A multi-line string's closing quotes: three, and up to two more that
 * belong to the content. Returns how many quotes end it (0: not here). */
static int closing(const struct tomlps *s, char q)
{
	int n = 0;
	while (tomlps_peek(s, (size_t)n) == q)
		n++;
	return n >= 3 ? n : 0;
}

static int string_body(struct tomlps *s, struct buf *o, char q, bool multi)
{
	for (;;) {
		if (tomlps_at_end(s))
			return tomlps_fail(s, "a string is not closed");
		if (*s->p == '\r' && !tomlps_at_newline(s))
			return tomlps_fail(s, "a carriage return without a newline in a string");
		if (multi && *s->p == q && closing(s, q)) {
			int n = closing(s, q);
			if (n > 5)
				return tomlps_fail(s, "too many quotes closing a string");
			if (put(s, o, s->p, (size_t)n - 3) < 0)
				return s->err;
			s->p += n;
			return 0;
		}
		if (!multi && *s->p == q) {
			s->p++;
			return 0;
		}
		if (tomlps_at_newline(s)) {
			if (!multi)
				return tomlps_fail(s, "a newline in a one-line string");
			if (put(s, o, "\n", 1) < 0)
				return s->err;
			tomlps_eat_newline(s);
			continue;
		}
		if (q == '"' && *s->p == '\\') {
			const char *q2 = s->p + 1;
			while (q2 < s->end && (*q2 == ' ' || *q2 == '\t'))
				q2++;
			if (multi && q2 < s->end && (*q2 == '\n' || *q2 == '\r')) {
				/* a line-ending backslash: the newline and the spaces
				 * after it go */
				s->p = q2;
				while (tomlps_at_newline(s) ||
				       (!tomlps_at_end(s) && (*s->p == ' ' || *s->p == '\t'))) {
					if (tomlps_at_newline(s))
						tomlps_eat_newline(s);
					else
						s->p++;
				}
				continue;
			}
			if (escape(s, o) < 0)
				return s->err;
			continue;
		}
		unsigned char c = (unsigned char)*s->p;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return tomlps_fail(
			    s, "a control character in a string (write it as an escape)");
		if (put(s, o, s->p, 1) < 0)
			return s->err;
		s->p++;
	}
}

int tomls_string(struct tomlps *s, const char **out, size_t *len)
{
	char q = *s->p;
	bool multi = tomlps_peek(s, 1) == q && tomlps_peek(s, 2) == q;
	struct buf o = {NULL, 0, (size_t)(s->end - s->p) + 1};
	o.b = tomlps_alloc_raw(s, o.cap); /* the rest of the document is the most it can hold */
	if (!o.b)
		return s->err;
	o.b[0] = 0;
	s->p += multi ? 3 : 1;
	if (multi && tomlps_at_newline(s))
		tomlps_eat_newline(s); /* a newline right after the quotes is not content */
	if (string_body(s, &o, q, multi) < 0)
		return s->err;
	s->doc->used -= o.cap - (o.len + 1); /* give back what the string did not use */
	*out = o.b;
	*len = o.len;
	return 0;
}
