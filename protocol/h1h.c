/*
 * h1h: header lines whole in one buffer. The loop is compiled once per
 * vector level with that level's line classifier inlined (the AVX2 copy
 * carries the target attribute, so the binary runs on any x86-64 CPU); the
 * level is asked of the CPU once per call.
 */
#include "protocol/h1h.h"

#include <string.h>

#include "protocol/hcc.h"
#include "protocol/hvec.h"

void h1h_keep_name(struct h1p *st, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		st->name[i] = (char)hcc_name[(unsigned char)p[i]];
	st->name_len = (uint8_t)n;
}

enum h1p_err h1h_field_err(int r)
{
	return r == H1F_LENGTH_CONFLICT ? H1P_ERR_CONTENT_LENGTH_CONFLICT : H1P_ERR_CONTENT_LENGTH;
}

static void emit_value(const struct h1p *st, const struct h1p_sink *sink, const char *p, size_t n,
		       bool last)
{
	sink->on_header(sink->ctx, st->name, st->name_len, p, n, last);
}

/* Trailing whitespace is not part of a value (RFC 9112 5.1), but a fragment
 * cannot know whether more content follows: its trailing whitespace is held
 * back in st->ws and emitted before the next fragment only if that one
 * brings content. */
void h1h_report(struct h1p *st, const struct h1p_sink *sink, const char *p, size_t n, bool last)
{
	size_t t = n;
	if (!sink || !sink->on_header || st->name_len > LIM_HEADER_NAME_KEEP)
		return;
	while (t > 0 && (p[t - 1] == ' ' || p[t - 1] == '\t'))
		t--;
	if (t > 0 && st->ws_len > 0) {
		emit_value(st, sink, st->ws, st->ws_len, false);
		st->ws_len = 0;
	}
	if (last) {
		emit_value(st, sink, p, t, true);
		st->ws_len = 0;
		return;
	}
	if (t > 0)
		emit_value(st, sink, p, t, false);
	for (size_t i = t; i < n; i++) {
		if (st->ws_len == sizeof(st->ws)) {
			emit_value(st, sink, st->ws, st->ws_len, false);
			st->ws_len = 0;
		}
		st->ws[st->ws_len++] = p[i];
	}
}

/* CR LF at p: one two-byte compare, in either byte order. */
static inline bool crlf_at(const char *p)
{
	uint16_t w, crlf;
	memcpy(&w, p, sizeof(w));
	memcpy(&crlf, "\r\n", sizeof(crlf));
	return w == crlf;
}

/* The loop, written once; `line` is a constant where it is inlined. */
static inline __attribute__((always_inline)) const char *
lines_at(struct h1p *st, const char *p, const char *end, const struct h1p_sink *sink,
	 enum h1p_err *err, hvec_line_fn line)
{
	/* Locals: stores through st->fr could alias st, forcing reloads. */
	bool trailers = st->in_trailers;
	bool report = sink && sink->on_header;
	uint32_t count = st->header_count;

	const char *q, *ce;

	/* The line test fails at the blank line (no name) and at the end. */
	while (line(p, end, &q, &ce)) {
		const char *next;
		size_t n = (size_t)(q - p);
		enum h1f_kind kind;

		/* the line test let only CR and LF end a line; CRLF, the
		 * usual end, tested first and as one word */
		if (ce + 1 < end && crlf_at(ce))
			next = ce + 2;
		else if (*ce == '\n')
			next = ce + 1;
		else
			break;
		kind = h1f_kind_of(p, n, false);
		if (trailers) /* framing fields mean nothing in trailers */
			kind = H1F_OTHER;
		/* Most lines end here: neither framing nor asked for, their
		 * value's start is not needed. */
		if (kind != H1F_OTHER || (report && n <= LIM_HEADER_NAME_KEEP)) {
			const char *v = q + 1 + (q[1] == ' '); /* the usual single space */
			int r;
			while (*v == ' ' || *v == '\t') /* stops at ce at the latest */
				v++;
			r = h1f_field(&st->fr, kind, v, (size_t)(ce - v));
			if (r < 0) {
				st->header_count = count;
				*err = h1h_field_err(r);
				return NULL;
			}
			if (report && n <= LIM_HEADER_NAME_KEEP) {
				h1h_keep_name(st, p, n);
				st->ws_len = 0;
				h1h_report(st, sink, v, (size_t)(ce - v), true);
			}
		}
		if (++count > LIM_HEADER_COUNT) {
			st->header_count = count;
			*err = H1P_ERR_TOO_MANY_HEADERS;
			return NULL;
		}
		p = next;
	}
	st->header_count = count;
	return p;
}

/* lines_at, compiled once per vector level with its classifier inlined
 * (the AVX2 one's constants are memory operands: hvec.c). */
#if HVEC_X86
__attribute__((target("avx2,bmi"))) static const char *lines_avx2(struct h1p *st, const char *p,
								  const char *end,
								  const struct h1p_sink *sink,
								  enum h1p_err *err)
{
	return lines_at(st, p, end, sink, err, hvec_line_avx2);
}

static const char *lines_sse2(struct h1p *st, const char *p, const char *end,
			      const struct h1p_sink *sink, enum h1p_err *err)
{
	return lines_at(st, p, end, sink, err, hvec_line_sse2);
}
#endif

static const char *lines_none(struct h1p *st, const char *p, const char *end,
			      const struct h1p_sink *sink, enum h1p_err *err)
{
	return lines_at(st, p, end, sink, err, hvec_line_none);
}

const char *h1h_lines(struct h1p *st, const char *p, const char *end, const struct h1p_sink *sink,
		      enum h1p_err *err)
{
	switch (hvec_resolve((enum hvec_level)st->vec_level)) {
#if HVEC_X86
	case HVEC_AVX2:
		return lines_avx2(st, p, end, sink, err);
	case HVEC_SSE2:
		return lines_sse2(st, p, end, sink, err);
#endif
	default:
		return lines_none(st, p, end, sink, err);
	}
}
