/*
 * libFuzzer target for the HTTP/1.1 response parser. The first input byte
 * picks the split step and the HEAD flag; the rest is fed in pieces, so
 * resumption at arbitrary boundaries is fuzzed too. Invariants are asserted.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "protocol/h1p.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* What the sink saw in a response that parsed, in sums that do not depend
 * on where values were cut: the value bytes, each finished field's name with
 * its position, the body bytes. */
struct seen {
	uint64_t values;
	uint64_t names;
	uint64_t fields;
	uint64_t body;
};

static void sink_header(void *ctx, const char *name, size_t name_len, const char *val, size_t len,
			bool last)
{
	struct seen *s = ctx;
	if (name_len == 0 || name_len > LIM_HEADER_NAME_KEEP)
		abort();
	/* touch every byte: ASan catches a span outside the buffer */
	for (size_t i = 0; i < len; i++)
		s->values = s->values * 31 + (unsigned char)val[i];
	if (last) {
		s->fields++;
		for (size_t i = 0; i < name_len; i++)
			s->names = s->names * 131 + (unsigned char)name[i] + s->fields;
	}
}

static void sink_body(void *ctx, const char *p, size_t len)
{
	struct seen *s = ctx;
	for (size_t i = 0; i < len; i++)
		s->body += (unsigned char)p[i];
}

/* Outcome of parsing one whole buffer as a single response. */
struct outcome {
	ssize_t r;
	enum h1p_err err;
	uint16_t status;
	bool keep_alive, chunked;
	uint64_t body_bytes;
	struct seen seen; /* up to the end or the error */
};

static struct outcome parse_pieces(const uint8_t *data, size_t size, size_t step, bool head,
				   enum hvec_level level)
{
	struct h1p st;
	struct outcome o;
	size_t pos = 0;
	struct seen seen = {0};
	struct h1p_sink sink = {sink_header, sink_body, &seen};
	ssize_t r = H1P_AGAIN;
	h1p_reset(&st, head);
	h1p_limit_vectors(&st, level);
	while (pos < size && r == H1P_AGAIN) {
		size_t n = size - pos < step ? size - pos : step;
		char *piece = malloc(n);
		memcpy(piece, data + pos, n);
		r = h1p_feed(&st, piece, n, &sink);
		free(piece);
		if (r >= 0)
			r += (ssize_t)pos;
		pos += n;
	}
	if (r == H1P_AGAIN)
		r = h1p_eof(&st) == 0 ? (ssize_t)size : H1P_ERROR;
	memset(&o, 0, sizeof(o));
	o.r = r;
	o.err = r == H1P_ERROR ? st.err : H1P_ERR_NONE;
	if (r >= 0) {
		o.status = st.status;
		o.keep_alive = st.keep_alive;
		o.chunked = st.chunked;
		o.body_bytes = st.body_bytes;
	}
	o.seen = seen;
	if (r == H1P_ERROR) /* what was reported before an error depends on the cuts
			       (a value ends at a CR that a piece ends on) */
		memset(&o.seen, 0, sizeof(o.seen));
	return o;
}

/* Whole-buffer fast paths (at each vector level) and the resumable byte
 * paths must agree. */
static void differential(const uint8_t *data, size_t size, size_t step, bool head)
{
	size_t whole = size ? size : 1;
	struct outcome a = parse_pieces(data, size, whole, head, HVEC_BEST);
	struct outcome b = parse_pieces(data, size, step, head, HVEC_BEST);
	struct outcome c = parse_pieces(data, size, 1, head, HVEC_BEST);
	struct outcome d = parse_pieces(data, size, whole, head, HVEC_SSE2);
	struct outcome e = parse_pieces(data, size, whole, head, HVEC_NONE);
	if (memcmp(&a, &d, sizeof(a)) != 0 || memcmp(&a, &e, sizeof(a)) != 0)
		abort();
	/* Cut values may differ in trailing whitespace: more than the 8 bytes
	 * held back across a cut is reported before it is known to trail. */
	a.seen.values = b.seen.values = c.seen.values = 0;
	if (memcmp(&a, &b, sizeof(a)) != 0 || memcmp(&a, &c, sizeof(a)) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct h1p st;
	struct seen seen = {0};
	struct h1p_sink sink = {sink_header, sink_body, &seen};
	if (size < 1)
		return 0;
	size_t step = (size_t)(data[0] & 0x3f) + 1;
	bool head = data[0] & 0x40;
	data++;
	size--;
	differential(data, size, step, head);
	h1p_reset(&st, head);
	size_t pos = 0;
	while (pos < size) {
		size_t n = size - pos < step ? size - pos : step;
		/* an exact-size heap copy, so reads past the piece are caught */
		char *piece = malloc(n);
		memcpy(piece, data + pos, n);
		ssize_t r = h1p_feed(&st, piece, n, &sink);
		free(piece);
		if (r == H1P_ERROR) {
			if (st.err == H1P_ERR_NONE || st.err >= H1P_ERR__COUNT)
				abort();
			return 0;
		}
		if (r >= 0) {
			if ((size_t)r > n || !h1p_is_done(&st))
				abort();
			if (st.status < 200 && st.status != 0)
				abort(); /* interim responses never complete a message */
			if (st.has_length && st.body_bytes != st.content_length)
				abort();
			h1p_reset(&st, head);
			pos += (size_t)r;
			if (r == 0 && n > 0)
				pos += 1; /* nothing consumed: skip a byte so the loop ends */
			continue;
		}
		if (r != H1P_AGAIN)
			abort();
		pos += n;
	}
	(void)h1p_eof(&st);
	return 0;
}
