/*
 * libFuzzer target for the template compiler: arbitrary text compiles or
 * is refused with a reason; what compiles renders within its buffer, or
 * says -ENOSPC / -ENOENT, never more.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenarios/tmpl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct tmpl t;
	static const char *const names[] = {"task_id", "x"};
	const char *why = NULL;
	char *src = malloc(size + 1);
	memcpy(src, data, size);
	src[size] = 0;
	int r = tmpl_compile(&t, src, names, 2, &why);
	if (r != 0 && (r != -EINVAL || !why))
		abort();
	if (r == 0) {
		uint64_t seq = 1, rng = size;
		struct tmpl_var vars[2] = {{"TASK-1", 6, 1}, {NULL, 0, size & 1}};
		struct tmpl_ctx ctx = {1, 2, &seq, 2, &rng, vars, 2};
		size_t cap = (size_t)(data[0 % (size ? size : 1)] * 64u);
		char *buf = malloc(cap ? cap : 1);
		ssize_t n = tmpl_render(&t, &ctx, buf, cap);
		if (n > (ssize_t)cap || (n < 0 && n != -ENOSPC && n != -ENOENT))
			abort();
		free(buf);
	}
	free(src);
	return 0;
}
