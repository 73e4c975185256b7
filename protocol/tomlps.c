/*
 * tomlps: the TOML parser's error and arena (see tomlps.h).
 */
#include "protocol/tomlps.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>

int tomlps_fail(struct tomlps *s, const char *fmt, ...)
{
	va_list ap;
	if (s->err)
		return s->err;
	int n = snprintf(s->why, s->wl, "%u:%u: ", s->line, tomlps_col(s));
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < s->wl)
		vsnprintf(s->why + n, s->wl - (size_t)n, fmt, ap);
	va_end(ap);
	s->err = -EINVAL;
	return s->err;
}

void *tomlps_alloc_raw(struct tomlps *s, size_t n)
{
	struct toml_doc *d = s->doc;
	size_t at = (d->used + 7) & ~(size_t)7;
	if (at > d->cap || n > d->cap - at) {
		if (!s->err) {
			snprintf(s->why, s->wl, "%u:%u: the document is too large", s->line,
				 tomlps_col(s));
			s->err = -ENOMEM;
		}
		return NULL;
	}
	d->used = at + n;
	return d->arena + at;
}
