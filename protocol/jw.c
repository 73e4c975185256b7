/*
 * jw: streaming JSON writer. Depth is bounded by JW_MAX_DEPTH; deeper
 * nesting is a programming error and is clamped rather than overflowed.
 */
#include "protocol/jw.h"

#include <math.h>

void jw_init(struct jw *j, FILE *f)
{
	j->f = f;
	j->depth = 0;
	j->has_items[0] = false;
}

void jw_write_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", f);
			break;
		case '\\':
			fputs("\\\\", f);
			break;
		case '\n':
			fputs("\\n", f);
			break;
		case '\r':
			fputs("\\r", f);
			break;
		case '\t':
			fputs("\\t", f);
			break;
		default:
			if (*p < 0x20)
				fprintf(f, "\\u%04x", *p);
			else
				fputc(*p, f);
		}
	}
	fputc('"', f);
}

static void item(struct jw *j, const char *key)
{
	if (j->has_items[j->depth])
		fputc(',', j->f);
	j->has_items[j->depth] = true;
	if (j->depth > 0) {
		fputc('\n', j->f);
		for (unsigned i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	if (key) {
		jw_write_string(j->f, key);
		fputs(": ", j->f);
	}
}

static void open_(struct jw *j, const char *key, char c)
{
	item(j, key);
	fputc(c, j->f);
	if (j->depth + 1 < JW_MAX_DEPTH)
		j->depth++;
	j->has_items[j->depth] = false;
}

static void close_(struct jw *j, char c)
{
	bool had = j->has_items[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (had) {
		fputc('\n', j->f);
		for (unsigned i = 0; i < j->depth; i++)
			fputs("  ", j->f);
	}
	fputc(c, j->f);
	if (j->depth == 0)
		fputc('\n', j->f);
}

void jw_obj_begin(struct jw *j, const char *key)
{
	open_(j, key, '{');
}

void jw_obj_end(struct jw *j)
{
	close_(j, '}');
}

void jw_arr_begin(struct jw *j, const char *key)
{
	open_(j, key, '[');
}

void jw_arr_end(struct jw *j)
{
	close_(j, ']');
}

void jw_str(struct jw *j, const char *key, const char *s)
{
	item(j, key);
	if (s)
		jw_write_string(j->f, s);
	else
		fputs("null", j->f);
}

void jw_u64(struct jw *j, const char *key, uint64_t v)
{
	item(j, key);
	fprintf(j->f, "%llu", (unsigned long long)v);
}

void jw_i64(struct jw *j, const char *key, int64_t v)
{
	item(j, key);
	fprintf(j->f, "%lld", (long long)v);
}

void jw_f64(struct jw *j, const char *key, double v)
{
	item(j, key);
	if (!isfinite(v))
		fputs("null", j->f);
	else
		fprintf(j->f, "%.3f", v);
}

void jw_fixed(struct jw *j, const char *key, double v, int decimals)
{
	item(j, key);
	if (!isfinite(v))
		fputs("null", j->f);
	else
		fprintf(j->f, "%.*f", decimals < 0 ? 0 : decimals > 9 ? 9 : decimals, v);
}

void jw_bool(struct jw *j, const char *key, bool v)
{
	item(j, key);
	fputs(v ? "true" : "false", j->f);
}
