/*
 * tomls: TOML's four string forms (basic and literal, one-line and
 * multi-line), escapes decoded to UTF-8, into the parser's arena.
 */
#ifndef MCPL_PROTOCOL_TOMLS_H
#define MCPL_PROTOCOL_TOMLS_H

#include <stddef.h>

#include "protocol/tomlps.h"

/* The string that starts at s->p (its opening quote) into a new arena
 * string (*out, NUL-terminated, *len bytes); s->p after its closing
 * quotes. Returns 0 or the error recorded in s. */
int tomls_string(struct tomlps *s, const char **out, size_t *len);

#endif
