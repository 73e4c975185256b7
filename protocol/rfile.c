/*
 * rfile: one reader for whole files, so every command that loads a file
 * whole refuses the same way (too large, unreadable) with errno set.
 */
#include "protocol/rfile.h"

#include <errno.h>
#include <stdlib.h>

char *rfile_read(FILE *f, size_t max, size_t *len)
{
	size_t cap = 1 << 16, n = 0, r;
	char *buf = malloc(cap), *grown;
	while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
		if ((n += r) < cap)
			continue;
		if (cap >= max) {
			free(buf);
			errno = EFBIG;
			return NULL;
		}
		if (!(grown = realloc(buf, cap * 2)))
			free(buf);
		buf = grown;
		cap *= 2;
	}
	if (!buf) {
		errno = ENOMEM;
		return NULL;
	}
	if (ferror(f)) {
		free(buf);
		errno = EIO;
		return NULL;
	}
	*len = n;
	return buf;
}

char *rfile_path(const char *path, size_t max, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = rfile_read(f, max, len);
	int e = errno;
	fclose(f);
	errno = e;
	return buf;
}
