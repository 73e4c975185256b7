/*
 * toml: a TOML 1.0 reader for the files people write by hand (scenario
 * files, suite configurations): tables, arrays of tables, dotted keys,
 * strings of all four kinds, integers, floats, booleans, arrays and inline
 * tables (which may span lines here). Dates and times are refused with a
 * clear message. The whole document is parsed into a tree in an arena the
 * caller provides; every node knows its line and column, so errors in what
 * the tree says can point at the file too.
 */
#ifndef MCPL_PROTOCOL_TOML_H
#define MCPL_PROTOCOL_TOML_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum toml_type { TOML_TABLE, TOML_ARRAY, TOML_STRING, TOML_INT, TOML_FLOAT, TOML_BOOL };

struct toml_val {
	enum toml_type type;
	const char *key;	       /* NUL-terminated; NULL for an array's item */
	unsigned line, col;	       /* 1-based: where it was written */
	struct toml_val *next;	       /* the next member of its table, or item of its array */
	struct toml_val *first, *last; /* TABLE, ARRAY: members or items */
	const char *str;	       /* STRING: decoded, NUL-terminated (may hold NULs) */
	size_t len;		       /* STRING: bytes */
	int64_t i;		       /* INT */
	double f;		       /* FLOAT (and INT, converted) */
	bool b;			       /* BOOL */
	uint8_t how; /* TABLE: 0 implicit, 1 by a header, 2 by a dotted key, 3 inline;
			ARRAY: 0 a value, 1 of tables */
};

struct toml_doc {
	struct toml_val *root; /* a TABLE */
	char *arena;	       /* the caller's */
	size_t cap, used;
};

/* Arena bytes enough for any document of len bytes. */
#define TOML_ARENA_BYTES(len) ((len)*48 + 4096)

/*
 * Parse text[0..len) into doc, its nodes and strings in arena[0..cap). Returns
 * 0; -EINVAL with "LINE:COL: what was expected" in why; -ENOMEM when the arena
 * is too small (see TOML_ARENA_BYTES).
 */
int toml_parse(struct toml_doc *doc, const char *text, size_t len, char *arena, size_t cap,
	       char *why, size_t why_len);

/* The member key of table t, or NULL. */
const struct toml_val *toml_get(const struct toml_val *t, const char *key);

/* "table", "array", "string", "integer", "float", "boolean". */
const char *toml_type_name(enum toml_type t);

#endif
