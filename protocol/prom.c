/*
 * prom: a line scanner for the text exposition format. A sample line is
 * `name[{label="value",...}] value [timestamp]`; label values are quoted
 * with \\, \" and \n escapes, so a '}' inside one does not end the labels.
 */
#include "protocol/prom.h"

#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Past the label set starting at p ('{'), or NULL when malformed. */
static const char *skip_labels(const char *p, const char *end)
{
	bool quoted = false;
	for (p++; p < end; p++) {
		if (quoted && *p == '\\') {
			p++;
			continue;
		}
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == '}')
			return p + 1;
		else if (*p == '\n')
			return NULL;
	}
	return NULL;
}

/* The value at p (after blanks) up to a blank or the line's end. */
static int read_value(const char *p, const char *end, double *v)
{
	char buf[64];
	size_t n = 0;
	char *stop;
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	while (p < end && *p != ' ' && *p != '\t' && *p != '\n' && n < sizeof(buf) - 1)
		buf[n++] = *p++;
	buf[n] = 0;
	if (n == 0)
		return -1;
	*v = strtod(buf, &stop);
	return *stop == 0 && !isnan(*v) ? 0 : -1;
}

int prom_sum(const char *text, size_t len, const char *name, double *out)
{
	const char *p = text, *end = text + len;
	size_t nlen = strlen(name);
	int found = 0;
	*out = 0;
	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		const char *line_end = eol ? eol : end;
		if ((size_t)(line_end - p) > nlen && memcmp(p, name, nlen) == 0 &&
		    (p[nlen] == '{' || p[nlen] == ' ' || p[nlen] == '\t')) {
			const char *q = p + nlen;
			double v;
			if (*q == '{' && !(q = skip_labels(q, line_end)))
				return -1;
			if (read_value(q, line_end, &v) < 0)
				return -1;
			*out += v;
			found++;
		}
		p = eol ? eol + 1 : end;
	}
	return found;
}
