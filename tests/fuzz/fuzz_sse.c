/*
 * libFuzzer target for the SSE parser: any byte stream parses or stops with
 * a reason, never beyond its buffer; fed whole or cut into pieces (cut
 * points taken from the input), it dispatches the same events with the same
 * types, ids and data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/sse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* FNV-1a over every event's type, id and data, in order. */
struct digest {
	uint64_t h;
	uint64_t n;
};

static void mix(struct digest *d, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		d->h = (d->h ^ (uint8_t)p[i]) * 0x100000001b3ull;
	d->h = (d->h ^ 0xff) * 0x100000001b3ull;
}

static void on_event(void *ctx, const struct sse_event *ev)
{
	struct digest *d = ctx;
	d->n++;
	mix(d, ev->type, ev->type_len);
	mix(d, ev->id, ev->id_len);
	mix(d, ev->data, ev->data_len);
}

static int run(const uint8_t *data, size_t size, size_t step, struct digest *d, struct sse *s)
{
	static char buf[4096];
	sse_init(s, buf, sizeof(buf));
	d->h = 0xcbf29ce484222325ull;
	d->n = 0;
	for (size_t off = 0; off < size;) {
		size_t n = size - off < step ? size - off : step;
		ssize_t r = sse_feed(s, (const char *)data + off, n, on_event, d);
		if (r == SSE_ERROR)
			return -1;
		if ((size_t)r != n || s->data_len > sizeof(buf))
			abort();
		off += n;
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sse a, b;
	struct digest da, db;
	int ra = run(data, size, size ? size : 1, &da, &a);
	size_t step = size ? 1 + data[0] % 7 : 1;
	int rb = run(data, size, step, &db, &b);
	if (ra != rb || (ra == 0 && (da.h != db.h || da.n != db.n || a.events != b.events)))
		abort();
	if (ra < 0 && (a.err != b.err || a.err == SSE_OK))
		abort();
	return 0;
}
