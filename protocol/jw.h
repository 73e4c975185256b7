/*
 * jw: a small streaming JSON writer (RFC 8259) onto a FILE, pretty-printed
 * with two-space indents. Keys are given with each value inside objects and
 * NULL inside arrays. Strings are escaped; non-finite numbers become null.
 */
#ifndef MCPL_PROTOCOL_JW_H
#define MCPL_PROTOCOL_JW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define JW_MAX_DEPTH 32

struct jw {
	FILE *f;
	unsigned depth;
	bool has_items[JW_MAX_DEPTH]; /* a comma is due before the next item */
};

void jw_init(struct jw *j, FILE *f);
void jw_obj_begin(struct jw *j, const char *key);
void jw_obj_end(struct jw *j);
void jw_arr_begin(struct jw *j, const char *key);
void jw_arr_end(struct jw *j);
void jw_str(struct jw *j, const char *key, const char *s); /* s NULL writes null */
void jw_u64(struct jw *j, const char *key, uint64_t v);
void jw_i64(struct jw *j, const char *key, int64_t v);
void jw_f64(struct jw *j, const char *key, double v); /* up to 3 decimals */
/* v with `decimals` decimals (0 to 9); not finite writes null */
void jw_fixed(struct jw *j, const char *key, double v, int decimals);
void jw_bool(struct jw *j, const char *key, bool v);

/* Write s as a JSON string literal (with quotes). */
void jw_write_string(FILE *f, const char *s);

#endif
