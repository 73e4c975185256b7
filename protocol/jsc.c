/*
 * jsc: recursive-descent JSON validation that remembers one value on the
 * way. The path is matched segment by segment as the scan descends; every
 * other value is still validated, so the answer is given only for a
 * well-formed document. Recursion is bounded by JSC_MAX_DEPTH.
 */
#include "protocol/jsc.h"

#include <string.h>

struct scan {
	const char *p, *end;
	struct jsc_val *out; /* one per path */
	unsigned npaths;
	unsigned found; /* bit i: path i was found */
	bool literal;	/* the path is one key, dots and all */
};

/* The paths still to match at one level: want[i] is the rest of path i, or
 * NULL when path i does not go through this value. */
struct wants {
	const char *w[JSC_MAX_PATHS];
};

static void skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

/* Length of the first path segment. */
static size_t seg_len(const struct scan *s, const char *path)
{
	const char *dot = s->literal ? NULL : strchr(path, '.');
	return dot ? (size_t)(dot - path) : strlen(path);
}

/* The rest of the path after its first segment, or "" at the end. */
static const char *seg_rest(const struct scan *s, const char *path)
{
	const char *dot = s->literal ? NULL : strchr(path, '.');
	return dot ? dot + 1 : path + strlen(path);
}

static bool hex4(const char *p, const char *end)
{
	if (end - p < 4)
		return false;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return false;
	}
	return true;
}

/* A string starting at the quote; on success *body/len span its content. */
static bool scan_string(struct scan *s, const char **body, size_t *len)
{
	const char *p = s->p + 1;
	while (p < s->end && *p != '"') {
		unsigned char c = (unsigned char)*p;
		if (c < 0x20)
			return false;
		if (c == '\\') {
			if (++p >= s->end)
				return false;
			if (*p == 'u') {
				if (!hex4(p + 1, s->end))
					return false;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || *p == 0) {
				return false;
			}
		}
		p++;
	}
	if (p >= s->end)
		return false;
	*body = s->p + 1;
	*len = (size_t)(p - (s->p + 1));
	s->p = p + 1;
	return true;
}

static bool scan_digits(struct scan *s)
{
	const char *start = s->p;
	while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
		s->p++;
	return s->p > start;
}

static bool scan_number(struct scan *s)
{
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p < s->end && *s->p == '0')
		s->p++;
	else if (!scan_digits(s))
		return false;
	if (s->p < s->end && *s->p == '.') {
		s->p++;
		if (!scan_digits(s))
			return false;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (!scan_digits(s))
			return false;
	}
	return true;
}

static bool scan_value(struct scan *s, const struct wants *want, int depth);

/* After a member or element: 1 when a comma says another follows, 0 when
 * the container closes, -1 on anything else. */
static int next_item(struct scan *s, char close)
{
	skip_ws(s);
	if (s->p < s->end && *s->p == ',') {
		s->p++;
		return 1;
	}
	if (s->p < s->end && *s->p == close) {
		s->p++;
		return 0;
	}
	return -1;
}

/* Members of an object; `want` holds the paths still to match here, or NULL. */
static bool scan_object(struct scan *s, const struct wants *want, int depth)
{
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		return true;
	}
	for (;;) {
		const char *key;
		size_t klen;
		skip_ws(s);
		if (s->p >= s->end || *s->p != '"' || !scan_string(s, &key, &klen))
			return false;
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return false;
		s->p++;
		struct wants next;
		bool any = false;
		for (unsigned i = 0; want && i < s->npaths; i++) {
			const char *w = want->w[i];
			next.w[i] = NULL;
			if (w && *w && !(s->found >> i & 1) && seg_len(s, w) == klen &&
			    memcmp(w, key, klen) == 0) {
				next.w[i] = seg_rest(s, w);
				any = true;
			}
		}
		if (!scan_value(s, any ? &next : NULL, depth + 1))
			return false;
		int r = next_item(s, '}');
		if (r <= 0)
			return r == 0;
	}
}

/* The index a path segment names, or -1 when it is not a plain number. */
static long seg_index(const struct scan *s, const char *want)
{
	size_t n = seg_len(s, want);
	long v = 0;
	if (n == 0 || n > 9)
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (want[i] < '0' || want[i] > '9')
			return -1;
		v = v * 10 + (want[i] - '0');
	}
	return v;
}

static bool scan_array(struct scan *s, const struct wants *want, int depth)
{
	long target[JSC_MAX_PATHS], i = 0;
	for (unsigned k = 0; k < s->npaths; k++)
		target[k] = want && want->w[k] && *want->w[k] && !s->literal
				? seg_index(s, want->w[k])
				: -1;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		return true;
	}
	for (;; i++) {
		struct wants next;
		bool any = false;
		for (unsigned k = 0; k < s->npaths; k++) {
			next.w[k] = NULL;
			if (i == target[k] && !(s->found >> k & 1)) {
				next.w[k] = seg_rest(s, want->w[k]);
				any = true;
			}
		}
		if (!scan_value(s, any ? &next : NULL, depth + 1))
			return false;
		int r = next_item(s, ']');
		if (r <= 0)
			return r == 0;
	}
}

static bool literal(struct scan *s, const char *word, size_t n)
{
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return false;
	s->p += n;
	return true;
}

/* One value. want->w[i] == "" means this is the value path i asks for. */
static bool scan_value(struct scan *s, const struct wants *want, int depth)
{
	const char *start, *body = NULL;
	size_t blen = 0;
	enum jsc_type type;
	bool ok;

	if (depth > JSC_MAX_DEPTH)
		return false;
	skip_ws(s);
	if (s->p >= s->end)
		return false;
	start = s->p;
	switch (*s->p) {
	case '{':
		type = JSC_OBJECT;
		ok = scan_object(s, want, depth);
		break;
	case '[':
		type = JSC_ARRAY;
		ok = scan_array(s, want, depth);
		break;
	case '"':
		type = JSC_STRING;
		ok = scan_string(s, &body, &blen);
		break;
	case 't':
		type = JSC_TRUE;
		ok = literal(s, "true", 4);
		break;
	case 'f':
		type = JSC_FALSE;
		ok = literal(s, "false", 5);
		break;
	case 'n':
		type = JSC_NULL;
		ok = literal(s, "null", 4);
		break;
	default:
		type = JSC_NUMBER;
		ok = scan_number(s);
	}
	for (unsigned i = 0; ok && want && i < s->npaths; i++) {
		if (!want->w[i] || *want->w[i] || (s->found >> i & 1))
			continue;
		s->found |= 1u << i;
		s->out[i].type = type;
		s->out[i].ptr = type == JSC_STRING ? body : start;
		s->out[i].len = type == JSC_STRING ? blen : (size_t)(s->p - start);
	}
	return ok;
}

static int run(struct scan *s, const struct wants *top)
{
	if (!scan_value(s, top, 0))
		return JSC_MALFORMED;
	skip_ws(s);
	if (s->p != s->end)
		return JSC_MALFORMED;
	return 0;
}

int jsc_get(const char *json, size_t len, const char *path, struct jsc_val *out)
{
	unsigned found = 0;
	int r = jsc_get_n(json, len, &path, 1, out, &found);
	return r < 0 ? r : found ? 0 : JSC_NOT_FOUND;
}

int jsc_get_n(const char *json, size_t len, const char *const *paths, unsigned n,
	      struct jsc_val *out, unsigned *found)
{
	struct scan s = {json, json + len, out, n, 0, false};
	struct wants top;
	if (n > JSC_MAX_PATHS)
		return JSC_MALFORMED;
	for (unsigned i = 0; i < n; i++)
		top.w[i] = paths[i];
	int r = run(&s, &top);
	*found = s.found;
	return r;
}

int jsc_member(const char *json, size_t len, const char *key, struct jsc_val *out)
{
	struct scan s = {json, json + len, out, 1, 0, true};
	struct wants top = {{key}};
	if (!*key)
		return JSC_NOT_FOUND;
	int r = run(&s, &top);
	return r < 0 ? r : s.found ? 0 : JSC_NOT_FOUND;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	return (c | 0x20) - 'a' + 10;
}

static unsigned read_u4(const char *p)
{
	return (unsigned)(hexval(p[0]) << 12 | hexval(p[1]) << 8 | hexval(p[2]) << 4 |
			  hexval(p[3]));
}

static size_t put_utf8(char *b, unsigned cp)
{
	if (cp < 0x80) {
		b[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		b[0] = (char)(0xc0 | cp >> 6);
		b[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		b[0] = (char)(0xe0 | cp >> 12);
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		b[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	b[0] = (char)(0xf0 | cp >> 18);
	b[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	b[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	b[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

long jsc_unescape(const struct jsc_val *v, char *buf, size_t cap)
{
	size_t n = 0;
	const char *p = v->ptr, *end = v->ptr + v->len;
	static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
	while (p < end) {
		char tmp[4];
		size_t k = 1;
		if (*p != '\\') {
			tmp[0] = *p++;
		} else if (end - p >= 2 && p[1] != 'u' && p[1] != 0 && strchr(from, p[1])) {
			tmp[0] = to[strchr(from, p[1]) - from];
			p += 2;
		} else if (end - p >= 6 && p[1] == 'u' && hex4(p + 2, end)) {
			unsigned cp = read_u4(p + 2);
			p += 6;
			if (cp >= 0xd800 && cp < 0xdc00) {
				/* a high surrogate must be followed by a low one */
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || !hex4(p + 2, end))
					return -1;
				unsigned lo = read_u4(p + 2);
				if (lo < 0xdc00 || lo > 0xdfff)
					return -1;
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				p += 6;
			} else if (cp >= 0xdc00 && cp < 0xe000) {
				return -1;
			}
			k = put_utf8(tmp, cp);
		} else {
			return -1;
		}
		if (n + k > cap)
			return -1;
		memcpy(buf + n, tmp, k);
		n += k;
	}
	return (long)n;
}

int jsc_int(const struct jsc_val *v, int64_t *out)
{
	uint64_t acc = 0;
	size_t i = 0;
	bool neg;
	if (v->type != JSC_NUMBER || v->len == 0)
		return -1;
	neg = v->ptr[0] == '-';
	i = neg;
	if (i == v->len || v->len - i > 19)
		return -1;
	for (; i < v->len; i++) {
		if (v->ptr[i] < '0' || v->ptr[i] > '9')
			return -1; /* a fraction or an exponent */
		acc = acc * 10 + (uint64_t)(v->ptr[i] - '0');
	}
	if (acc > (uint64_t)INT64_MAX + neg)
		return -1;
	*out = neg ? (int64_t)(0 - acc) : (int64_t)acc;
	return 0;
}

bool jsc_is(const struct jsc_val *v, const char *s)
{
	size_t n = strlen(s);
	return v->type == JSC_STRING && v->len == n && memcmp(v->ptr, s, n) == 0;
}

int jsc_next(const struct jsc_val *c, size_t *pos, struct jsc_val *key, struct jsc_val *val)
{
	struct scan s = {c->ptr, c->ptr + c->len, val, 1, 0, false};
	struct wants top = {{""}};
	bool object = c->type == JSC_OBJECT;
	if ((!object && c->type != JSC_ARRAY) || c->len < 2)
		return JSC_MALFORMED;
	s.p = c->ptr + (*pos ? *pos : 1);
	skip_ws(&s);
	if (s.p < s.end && (*s.p == ',' && *pos))
		s.p++;
	skip_ws(&s);
	if (s.p >= s.end || *s.p == (object ? '}' : ']'))
		return JSC_NOT_FOUND;
	if (object) {
		const char *k;
		size_t kl;
		if (*s.p != '"' || !scan_string(&s, &k, &kl))
			return JSC_MALFORMED;
		key->type = JSC_STRING;
		key->ptr = k;
		key->len = kl;
		skip_ws(&s);
		if (s.p >= s.end || *s.p != ':')
			return JSC_MALFORMED;
		s.p++;
	}
	if (!scan_value(&s, &top, 1) || !s.found)
		return JSC_MALFORMED;
	*pos = (size_t)(s.p - c->ptr);
	return 0;
}
