/*
 * sse: WHATWG's event-stream interpretation, one byte class at a time, with
 * bulk copies for the long runs (data values, comments). A field name is
 * kept only as far as any known name goes; values of id, event and retry are
 * kept whole (bounded), data goes straight into the caller's buffer.
 */
#include "protocol/sse.h"

#include <string.h>

enum { S_LINE, S_NAME, S_SPACE, S_VALUE, S_COMMENT, S_ERR };
enum { F_OTHER, F_DATA, F_ID, F_EVENT, F_RETRY };

void sse_init(struct sse *s, char *buf, size_t cap)
{
	memset(s, 0, sizeof(*s));
	s->data = buf;
	s->cap = cap;
	s->retry_ms = -1;
}

const char *sse_err_str(enum sse_err e)
{
	switch (e) {
	case SSE_OK:
		return "no error";
	case SSE_ERR_DATA_TOO_LONG:
		return "event data longer than the buffer";
	case SSE_ERR_ID_TOO_LONG:
		return "event id longer than the limit";
	case SSE_ERR_EVENT_TOO_LONG:
		return "event type longer than the limit";
	}
	return "unknown";
}

static int fail(struct sse *s, enum sse_err e)
{
	s->err = e;
	s->state = S_ERR;
	return SSE_ERROR;
}

static bool name_is(const struct sse *s, const char *n)
{
	size_t l = strlen(n);
	return s->name_len == l && memcmp(s->name, n, l) == 0;
}

/* The field name is complete: which field, and start its value. */
static int begin_field(struct sse *s)
{
	s->field = name_is(s, "data")	 ? F_DATA
		   : name_is(s, "id")	 ? F_ID
		   : name_is(s, "event") ? F_EVENT
		   : name_is(s, "retry") ? F_RETRY
					 : F_OTHER;
	s->val_len = 0;
	s->val_over = false;
	s->val_nul = false;
	if (s->field == F_DATA) {
		if (s->any_data) { /* lines of one event join with LF */
			if (s->data_len == s->cap)
				return fail(s, SSE_ERR_DATA_TOO_LONG);
			s->data[s->data_len++] = '\n';
		}
		s->any_data = true;
	}
	return 0;
}

/* Keep what fits (the same prefix however the bytes were cut); note a NUL
 * anywhere, which makes an id line void. */
static void add_value(struct sse *s, const char *p, size_t n)
{
	size_t room = sizeof(s->val) - s->val_len;
	if (memchr(p, 0, n))
		s->val_nul = true;
	if (n > room) {
		s->val_over = true;
		n = room;
	}
	memcpy(s->val + s->val_len, p, n);
	s->val_len = (uint16_t)(s->val_len + n);
}

static int end_field(struct sse *s)
{
	switch (s->field) {
	case F_ID:
		if (s->val_nul)
			return 0; /* ignored, as the spec says */
		if (s->val_over)
			return fail(s, SSE_ERR_ID_TOO_LONG);
		memcpy(s->id, s->val, s->val_len);
		s->id_len = s->val_len;
		return 0;
	case F_EVENT:
		if (s->val_over || s->val_len > sizeof(s->type))
			return fail(s, SSE_ERR_EVENT_TOO_LONG);
		memcpy(s->type, s->val, s->val_len);
		s->type_len = (uint8_t)s->val_len;
		return 0;
	case F_RETRY: {
		int64_t ms = 0;
		if (!s->val_len || s->val_over)
			return 0;
		for (unsigned i = 0; i < s->val_len; i++) {
			if (s->val[i] < '0' || s->val[i] > '9')
				return 0; /* not all digits: ignored */
			if (ms < INT64_MAX / 10 - 10)
				ms = ms * 10 + (s->val[i] - '0');
		}
		s->retry_ms = ms;
		return 0;
	}
	default:
		return 0;
	}
}

static void dispatch(struct sse *s, void (*on_event)(void *, const struct sse_event *), void *ctx)
{
	if (s->any_data) {
		struct sse_event ev = {s->type,	    s->type_len, s->data,
				       s->data_len, s->id,	 s->id_len};
		s->events++;
		if (on_event)
			on_event(ctx, &ev);
	}
	s->data_len = 0;
	s->any_data = false;
	s->type_len = 0;
}

/* A line ended (CR, LF or CRLF). */
static int end_line(struct sse *s, void (*on_event)(void *, const struct sse_event *), void *ctx)
{
	int r = 0;
	switch (s->state) {
	case S_LINE:
		dispatch(s, on_event, ctx);
		break;
	case S_NAME: /* a field with no colon: its value is empty */
		r = begin_field(s);
		if (r == 0)
			r = end_field(s);
		break;
	case S_SPACE:
	case S_VALUE:
		r = end_field(s);
		break;
	default:
		break;
	}
	if (s->state != S_ERR)
		s->state = S_LINE;
	return r;
}

/* Bytes of a value up to the line's end: data straight into the buffer. */
static size_t value_run(struct sse *s, const char *p, size_t n)
{
	size_t k = 0;
	while (k < n && p[k] != '\n' && p[k] != '\r')
		k++;
	if (s->field == F_DATA) {
		if (s->data_len + k > s->cap)
			return (size_t)fail(s, SSE_ERR_DATA_TOO_LONG);
		memcpy(s->data + s->data_len, p, k);
		s->data_len += k;
	} else if (s->field != F_OTHER) {
		add_value(s, p, k);
	}
	return k;
}

static int byte(struct sse *s, char c)
{
	switch (s->state) {
	case S_LINE:
		if (c == ':') {
			s->state = S_COMMENT;
			s->comments++;
			return 0;
		}
		s->state = S_NAME;
		s->name_len = 0;
		/* fall through */
	case S_NAME:
		if (c == ':') {
			s->state = S_SPACE;
			return begin_field(s);
		}
		if (s->name_len < sizeof(s->name))
			s->name[s->name_len++] = c;
		else
			s->name_len = sizeof(s->name); /* no field we know is this long */
		return 0;
	default:
		return 0;
	}
}

ssize_t sse_feed(struct sse *s, const char *p, size_t len,
		 void (*on_event)(void *ctx, const struct sse_event *ev), void *ctx)
{
	static const char bom[] = "\xEF\xBB\xBF";
	size_t i = 0;
	if (s->state == S_ERR)
		return SSE_ERROR;
	while (i < len) {
		char c = p[i];
		if (!s->started) {
			if (c == bom[s->bom]) {
				i++;
				if (++s->bom == 3)
					s->started = true;
				continue;
			}
			s->started = true;
			if (s->bom) { /* a partial BOM: the line is no field we know */
				s->state = S_NAME;
				s->name_len = sizeof(s->name);
			}
		}
		if (c == '\n' || c == '\r') {
			bool skip = c == '\n' && s->after_cr;
			s->after_cr = c == '\r';
			i++;
			if (!skip && end_line(s, on_event, ctx) < 0)
				return SSE_ERROR;
			continue;
		}
		s->after_cr = false;
		if (s->state == S_SPACE) {
			s->state = S_VALUE;
			if (c == ' ') {
				i++;
				continue;
			}
		}
		if (s->state == S_VALUE) {
			size_t k = value_run(s, p + i, len - i);
			if (s->state == S_ERR)
				return SSE_ERROR;
			i += k;
			continue;
		}
		if (s->state == S_COMMENT) {
			while (i < len && p[i] != '\n' && p[i] != '\r')
				i++;
			continue;
		}
		if (byte(s, c) < 0)
			return SSE_ERROR;
		i++;
	}
	return (ssize_t)len;
}
