/*
 * libFuzzer target for the TOML reader: any bytes. Checks that it never
 * reads outside the text or writes outside the arena, that an error always
 * says where ("LINE:COL: ..."), and that every node of an accepted document
 * has a line and column inside the text and strings that end in a NUL.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/toml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned walk(const struct toml_val *v, unsigned lines, unsigned depth)
{
	unsigned n = 1;
	if (v->line < 1 || v->line > lines || v->col < 1 || depth > 200)
		abort();
	if (v->type == TOML_STRING && v->str[v->len] != 0)
		abort();
	for (const struct toml_val *c = v->first; c; c = c->next)
		n += walk(c, lines, depth + 1);
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size ? size : 1); /* exact size: reads past it are caught */
	size_t cap = TOML_ARENA_BYTES(size);
	char *arena = malloc(cap);
	char why[256];
	struct toml_doc doc;
	unsigned lines = 1;
	memcpy(text, data, size);
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	int r = toml_parse(&doc, text, size, arena, cap, why, sizeof(why));
	if (r == 0)
		walk(doc.root, lines, 0);
	else if (r != -22 || why[0] < '1' || why[0] > '9' || !strchr(why, ':'))
		abort(); /* -EINVAL with a position, never -ENOMEM at this arena size */
	free(arena);
	free(text);
	return 0;
}
