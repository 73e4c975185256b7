/*
 * tomlps: the TOML parser's state, shared by the document reader (toml.c)
 * and the string reader (tomls.c): where it is in the text, its error
 * (the first one wins, with line and column), and the caller's arena.
 */
#ifndef MCPL_PROTOCOL_TOMLPS_H
#define MCPL_PROTOCOL_TOMLPS_H

#include <stdbool.h>
#include <stddef.h>

#include "protocol/toml.h"

struct tomlps {
	const char *p, *end, *bol; /* where we are, the end, the line's start */
	unsigned line;
	struct toml_doc *doc;
	char *why;
	size_t wl;
	int err;
};

/* Record the first error ("line:col: " and the message in why); returns
 * -EINVAL, or the error already recorded. */
int tomlps_fail(struct tomlps *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* n bytes of the arena, 8-aligned, not cleared; NULL (and -ENOMEM
 * recorded) when the document does not fit. */
void *tomlps_alloc_raw(struct tomlps *s, size_t n);

/* The column of s->p, from 1. */
static inline unsigned tomlps_col(const struct tomlps *s)
{
	return (unsigned)(s->p - s->bol) + 1;
}

static inline bool tomlps_at_end(const struct tomlps *s)
{
	return s->p >= s->end;
}

/* The byte k ahead, or -1 past the end. */
static inline int tomlps_peek(const struct tomlps *s, size_t k)
{
	return s->p + k < s->end ? (unsigned char)s->p[k] : -1;
}

static inline bool tomlps_at_newline(const struct tomlps *s)
{
	return !tomlps_at_end(s) && (*s->p == '\n' || (*s->p == '\r' && tomlps_peek(s, 1) == '\n'));
}

static inline void tomlps_eat_newline(struct tomlps *s)
{
	s->p += *s->p == '\r' ? 2 : 1;
	s->line++;
	s->bol = s->p;
}

#endif
