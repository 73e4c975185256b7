/*
 * jsc: a JSON scanner that finds one value by path in a complete document
 * (RFC 8259) without allocating: the value comes back as a span into the
 * caller's buffer. The whole document is validated on the way (bounded
 * depth), so a malformed body is an error, not a partial answer.
 */
#ifndef MCPL_PROTOCOL_JSC_H
#define MCPL_PROTOCOL_JSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define JSC_MAX_DEPTH 64

enum jsc_type { JSC_STRING, JSC_NUMBER, JSC_OBJECT, JSC_ARRAY, JSC_TRUE, JSC_FALSE, JSC_NULL };

struct jsc_val {
	enum jsc_type type;
	const char *ptr; /* strings: between the quotes, escapes left as they are */
	size_t len;
};

/* jsc_get results besides 0 (found). */
#define JSC_NOT_FOUND (-1)
#define JSC_MALFORMED (-2)

/*
 * Find the value at `path` in the JSON document json[0..len): keys and array
 * indexes separated by dots ("result.task.id", "items.0.name"; "" is the
 * whole document). Keys are compared with the raw (escaped) key text, so a
 * key written with escapes is found only by the same escapes. Duplicate keys:
 * the first wins. Returns 0 with *out set (pointing into json), JSC_NOT_FOUND,
 * or JSC_MALFORMED when the document is not valid JSON (checked whole).
 */
int jsc_get(const char *json, size_t len, const char *path, struct jsc_val *out);

#define JSC_MAX_PATHS 8

/*
 * Several paths in one pass: out[i] gets path i's value when bit i of *found
 * is set. Returns 0 (whatever was found) or JSC_MALFORMED (then *found says
 * nothing useful). At most JSC_MAX_PATHS paths.
 */
int jsc_get_n(const char *json, size_t len, const char *const *paths, unsigned n,
	      struct jsc_val *out, unsigned *found);

/*
 * Like jsc_get for one member of the top-level object, the key taken as it
 * is (dots included: "io.modelcontextprotocol/protocolVersion"). Returns 0,
 * JSC_NOT_FOUND or JSC_MALFORMED.
 */
int jsc_member(const char *json, size_t len, const char *key, struct jsc_val *out);

/*
 * Decode a JSC_STRING value's escapes (\" \\ \/ \b \f \n \r \t \uXXXX with
 * surrogate pairs) into UTF-8 in buf. Returns the decoded length, or -1 when
 * it does not fit in cap or an escape is invalid. buf is not terminated.
 */
long jsc_unescape(const struct jsc_val *v, char *buf, size_t cap);

/*
 * Walk the members of an object (key and value) or the elements of an array
 * (value only) found by jsc_get. *pos starts at 0 and is advanced. Returns
 * 0, JSC_NOT_FOUND after the last one, or JSC_MALFORMED.
 */
int jsc_next(const struct jsc_val *container, size_t *pos, struct jsc_val *key,
	     struct jsc_val *val);

/* A JSC_NUMBER that is an integer in [INT64_MIN, INT64_MAX]. Returns 0 or -1. */
int jsc_int(const struct jsc_val *v, int64_t *out);

/* True when v is a string equal to s (no escapes in v). */
bool jsc_is(const struct jsc_val *v, const char *s);

#endif
