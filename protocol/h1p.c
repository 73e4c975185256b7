/*
 * h1p: incremental HTTP/1.1 response parser. A `switch (state)` machine in
 * the nginx style: each state consumes what it can, saves where it stopped,
 * and the loop returns AGAIN at the end of the buffer. Runs of bytes with no
 * meaning to the parser (reason phrase, header values, body) are skipped with
 * memchr or a length, so a typical response costs one pass over its head.
 */
#include "protocol/h1p.h"

#include "protocol/h1h.h"
#include "protocol/hcc.h"
#include "protocol/hvec.h"

#include <stddef.h>
#include <string.h>

enum {
	ST_SL_VERSION, /* "HTTP/1." */
	ST_SL_MINOR,
	ST_SL_SP,
	ST_SL_STATUS,
	ST_SL_AFTER_STATUS,
	ST_SL_REASON,
	ST_SL_LF,
	ST_HDR_START,
	ST_HDR_NAME,
	ST_HDR_OWS,
	ST_HDR_VALUE,
	ST_HDR_LF,
	ST_HEAD_END_LF,
	ST_BODY_LEN,
	ST_BODY_CLOSE,
	ST_CHUNK_SIZE,
	ST_CHUNK_EXT,
	ST_CHUNK_SIZE_LF,
	ST_CHUNK_DATA,
	ST_CHUNK_DATA_CR,
	ST_CHUNK_DATA_LF,
	ST_DONE,
	ST_ERROR,
};

static const char version_prefix[] = "HTTP/1.";

/* A word's bytes as they lie in memory, whatever the byte order: the
 * compiler folds a constant's into an immediate. */
static inline uint64_t word8(const char *s)
{
	uint64_t x;
	memcpy(&x, s, 8);
	return x;
}

static inline uint32_t word4(const char *s)
{
	uint32_t x;
	memcpy(&x, s, 4);
	return x;
}

/* The status line's fixed parts whole at p: "HTTP/1.d " and "ddd " (the
 * first digit 1-9), a word each; the byte states take any other shape. */
static bool version_at(const char *p)
{
	return (word8(p) & word8("\xff\xff\xff\xff\xff\xff\xff\0")) == word8(version_prefix) &&
	       (unsigned)(p[7] - '0') < 10 && p[8] == ' ';
}

static bool status_at(const char *p)
{
	/* digits become 0-9 and the space 0; a byte is below 10 when adding
	 * 0x76 leaves its top bit clear (a byte that carries is flagged) */
	uint32_t d = word4(p) ^ word4("000 ");
	uint32_t digits = word4("\xff\xff\xff\0");
	return ((((d & digits) + word4("\x76\x76\x76\0")) | d) & word4("\x80\x80\x80\xff")) == 0 &&
	       p[0] != '0';
}

static uint16_t status_of(const char *p)
{
	return (uint16_t)((p[0] - '0') * 100 + (p[1] - '0') * 10 + (p[2] - '0'));
}

static ssize_t fail(struct h1p *st, enum h1p_err err)
{
	st->err = err;
	st->state = ST_ERROR;
	return H1P_ERROR;
}

void h1p_reset(struct h1p *st, bool head_request)
{
	/* name[] is not cleared: name_len says how much of it holds a name */
	memset(st, 0, offsetof(struct h1p, name));
	memset(&st->fr, 0, sizeof(st->fr));
	st->head_request = head_request;
	st->state = ST_SL_VERSION;
}

void h1p_limit_vectors(struct h1p *st, enum hvec_level level)
{
	st->vec_level = (uint8_t)level;
}

bool h1p_is_done(const struct h1p *st)
{
	return st->state == ST_DONE;
}

bool h1p_is_started(const struct h1p *st)
{
	return st->any_byte;
}

const char *h1p_err_str(enum h1p_err err)
{
#define H1P_ERR_TEXT(name, text) [H1P_ERR_##name] = text,
	static const char *const texts[] = {H1P_ERRORS(H1P_ERR_TEXT)};
#undef H1P_ERR_TEXT
	if ((unsigned)err >= H1P_ERR__COUNT)
		return "unknown error";
	return texts[err];
}

/* A field name is complete: set up for its value. */
static void start_value(struct h1p *st, enum h1f_kind kind)
{
	/* framing fields in trailers are ignored (RFC 9110 6.5.1) */
	h1f_begin(&st->fr, st->in_trailers ? H1F_OTHER : kind);
	st->ws_len = 0;
	st->value_split = false;
	st->state = ST_HDR_OWS;
}

/* A header line ended (after its LF). */
static ssize_t field_error(struct h1p *st, int r)
{
	return fail(st, h1h_field_err(r));
}

static ssize_t header_done(struct h1p *st)
{
	int r = h1f_end(&st->fr);
	if (r < 0)
		return field_error(st, r);
	if (++st->header_count > LIM_HEADER_COUNT)
		return fail(st, H1P_ERR_TOO_MANY_HEADERS);
	st->state = ST_HDR_START;
	return 0;
}

/*
 * The blank line ending the head (or the trailer section) was consumed:
 * decide how the body is delimited (RFC 9112 6.3, in its order).
 */
static inline __attribute__((always_inline)) ssize_t head_done(struct h1p *st)
{
	if (st->in_trailers) {
		st->state = ST_DONE;
		return 0;
	}
	if (st->status == 101)
		return fail(st, H1P_ERR_UPGRADE);
	if (st->status < 200) {
		/* 1xx interim response: the final one follows (RFC 9110 15.2). */
		bool head_request = st->head_request;
		uint8_t vec_level = st->vec_level;
		h1p_reset(st, head_request);
		st->any_byte = true;
		st->vec_level = vec_level;
		return 0;
	}
	st->keep_alive = st->version_minor >= 1 ? !st->fr.conn_close : st->fr.conn_keepalive;
	st->peer_closes = !st->keep_alive;
	if (st->head_request || st->status == 204 || st->status == 304) {
		st->state = ST_DONE;
		return 0;
	}
	if (st->fr.saw_te) {
		if (st->fr.te_chunked) {
			st->chunked = true;
			st->state = ST_CHUNK_SIZE;
			st->num = 0;
			st->digits = 0;
		} else {
			st->state = ST_BODY_CLOSE;
			st->peer_closes = true;
		}
		/* TE with Content-Length may be smuggling: never reuse (6.3 p3). */
		if (st->fr.cl_seen || !st->fr.te_chunked)
			st->keep_alive = false;
		return 0;
	}
	if (st->fr.cl_seen) {
		st->has_length = true;
		st->content_length = st->fr.content_length;
		st->remaining = st->fr.content_length;
		st->state = st->remaining ? ST_BODY_LEN : ST_DONE;
		return 0;
	}
	st->keep_alive = false;
	st->peer_closes = true; /* the close ends the body */
	st->state = ST_BODY_CLOSE;
	return 0;
}

/*
 * Reason phrase, header value or chunk extension: skip to the end of the
 * line. Returns 1 when the line ended (*pp after its LF), 0 when the buffer
 * ended first (state set to lf_state if it ended on the CR), H1P_ERROR.
 */
static ssize_t scan_text(struct h1p *st, const char **pp, const char *end,
			 const struct h1p_sink *sink, bool is_value, uint8_t lf_state)
{
	const char *p = *pp, *ce = hvec_find_ctl(p, end, st->vec_level == HVEC_NONE), *next = end;
	enum h1p_err bad = H1P_ERR_NONE;
	bool ended = false;

	if (ce == end) {
		/* the line goes on in the next buffer */
	} else if (*ce == '\n') {
		next = ce + 1;
		ended = true;
	} else if (*ce == '\r' && ce + 1 == end) {
		st->state = lf_state;
	} else if (*ce == '\r' && ce[1] == '\n') {
		next = ce + 2;
		ended = true;
	} else {
		bad = *ce == '\r' ? H1P_ERR_LINE_ENDING : H1P_ERR_HEADER_VALUE;
	}
	if (is_value) {
		/* Interpreted before a bad byte after it is reported, as it would
		 * have been had a buffer ended just before that byte: the reason
		 * must not depend on where buffers end. */
		int r = 0;
		if (st->fr.kind != H1F_OTHER && ended && !st->value_split)
			r = h1f_whole(&st->fr, p, (size_t)(ce - p));
		else if (st->fr.kind != H1F_OTHER)
			r = h1f_feed(&st->fr, p, (size_t)(ce - p));
		if (r < 0)
			return field_error(st, r);
		if (bad)
			return fail(st, bad);
		st->value_split = !ended;
		h1h_report(st, sink, p, (size_t)(ce - p), ended || st->state == lf_state);
	}
	if (bad)
		return fail(st, bad);
	*pp = next;
	return ended;
}

/* Header name bytes up to ':' (RFC 9112 5.1: no whitespace before the colon). */
static ssize_t scan_name(struct h1p *st, const char **pp, const char *end)
{
	const char *p = *pp;
	/* A local length: stores into st->name may alias st, so the compiler
	 * would otherwise reload name_len through memory for every byte. */
	unsigned len = st->name_len;
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		unsigned char l = hcc_name[c];
		if (!l) {
			st->name_len = (uint8_t)len;
			if (c != ':' || len == 0)
				return fail(st, H1P_ERR_HEADER_NAME);
			start_value(st, h1f_kind_of(st->name, len, true));
			*pp = p + 1;
			return 0;
		}
		if (len < LIM_HEADER_NAME_KEEP)
			st->name[len] = (char)l;
		len += len <= LIM_HEADER_NAME_KEEP; /* KEEP + 1: "too long to report" */
		p++;
	}
	st->name_len = (uint8_t)len;
	*pp = p;
	return 0;
}

/*
 * A whole name before its colon in this buffer (the usual case): validated
 * without copying; copied, lower-cased, only when a sink will report it.
 * Returns 1 when taken, 0 when the colon is not in the buffer.
 */
static ssize_t fast_name(struct h1p *st, const char **pp, const char *end,
			 const struct h1p_sink *sink)
{
	const char *p = *pp, *q = p;
	size_t n;

	q = hvec_name_end(q, end, st->vec_level == HVEC_NONE);
	if (q == end)
		return 0;
	if (*q != ':' || q == p)
		return fail(st, H1P_ERR_HEADER_NAME);
	n = (size_t)(q - p);
	st->name_len = (uint8_t)(n <= LIM_HEADER_NAME_KEEP ? n : LIM_HEADER_NAME_KEEP + 1);
	if (sink && sink->on_header && n <= LIM_HEADER_NAME_KEEP)
		h1h_keep_name(st, p, n);
	start_value(st, h1f_kind_of(p, n, false));
	*pp = q + 1;
	return 1;
}

/* h1h's lines, the parser put in error when it stops on one. */
static const char *fast_lines(struct h1p *st, const char *p, const char *end,
			      const struct h1p_sink *sink)
{
	enum h1p_err err = H1P_ERR_NONE;
	const char *q = h1h_lines(st, p, end, sink, &err);
	if (!q)
		fail(st, err);
	return q;
}

/*
 * Header lines, as many as this buffer holds: name, colon, whitespace and
 * value in one pass. Stops at the blank line (state ST_HDR_START, pointing at
 * it) or the end of the buffer, in whichever header state it reached.
 */
static ssize_t scan_headers(struct h1p *st, const char **pp, const char *end,
			    const struct h1p_sink *sink)
{
	const char *p = *pp;
	ssize_t r;
	for (;;) {
		if (st->state == ST_HDR_START) {
			p = fast_lines(st, p, end, sink);
			if (!p)
				return H1P_ERROR;
			if (p == end || *p == '\r' || *p == '\n')
				break;
			if (*p == ' ' || *p == '\t')
				return fail(st, H1P_ERR_OBS_FOLD);
			r = fast_name(st, &p, end, sink);
			if (r < 0)
				return r;
			if (r == 0) {
				st->name_len = 0;
				st->state = ST_HDR_NAME;
			}
		}
		if (st->state == ST_HDR_NAME && scan_name(st, &p, end) < 0)
			return H1P_ERROR;
		if (st->state == ST_HDR_OWS) {
			while (p < end && (*p == ' ' || *p == '\t'))
				p++;
			if (p < end)
				st->state = ST_HDR_VALUE;
		}
		if (p == end || st->state != ST_HDR_VALUE)
			break;
		r = scan_text(st, &p, end, sink, true, ST_HDR_LF);
		if (r < 0)
			return r;
		if (r == 0)
			break;
		if (header_done(st) < 0)
			return H1P_ERROR;
	}
	*pp = p;
	return 0;
}

static ssize_t status_line_byte(struct h1p *st, unsigned char c)
{
	switch (st->state) {
	case ST_SL_VERSION:
		if (c != (unsigned char)version_prefix[st->idx])
			return fail(st, H1P_ERR_VERSION);
		if (++st->idx == sizeof(version_prefix) - 1)
			st->state = ST_SL_MINOR;
		return 0;
	case ST_SL_MINOR:
		if (c < '0' || c > '9')
			return fail(st, H1P_ERR_VERSION);
		st->version_minor = (uint8_t)(c - '0');
		st->state = ST_SL_SP;
		return 0;
	case ST_SL_SP:
		if (c != ' ')
			return fail(st, H1P_ERR_VERSION);
		st->state = ST_SL_STATUS;
		st->idx = 0;
		return 0;
	case ST_SL_STATUS:
		if (c < '0' || c > '9')
			return fail(st, H1P_ERR_STATUS);
		st->status = (uint16_t)(st->status * 10 + (c - '0'));
		if (++st->idx == 3) {
			if (st->status < 100)
				return fail(st, H1P_ERR_STATUS);
			st->state = ST_SL_AFTER_STATUS;
		}
		return 0;
	default: /* ST_SL_AFTER_STATUS: SP reason, or a bare line end */
		if (c == ' ')
			st->state = ST_SL_REASON;
		else if (c == '\r')
			st->state = ST_SL_LF;
		else if (c == '\n')
			st->state = ST_HDR_START;
		else
			return fail(st, H1P_ERR_STATUS);
		return 0;
	}
}

/* A chunk-size line ended: data follows, or the last chunk's trailers. */
static ssize_t chunk_size_done(struct h1p *st)
{
	st->remaining = st->num;
	st->num = 0;
	st->digits = 0;
	st->chunk_bws = false;
	if (st->remaining > 0) {
		st->state = ST_CHUNK_DATA;
		return 0;
	}
	st->in_trailers = true;
	st->head_bytes = 0;
	st->header_count = 0;
	st->state = ST_HDR_START;
	return 0;
}

static ssize_t chunk_size_byte(struct h1p *st, unsigned char c)
{
	int v;
	if (c >= '0' && c <= '9')
		v = c - '0';
	else if (hcc_lower(c) >= 'a' && hcc_lower(c) <= 'f')
		v = hcc_lower(c) - 'a' + 10;
	else
		v = -1;
	if (v >= 0) {
		if (st->chunk_bws || ++st->digits > LIM_CHUNK_SIZE_DIGITS)
			return fail(st, H1P_ERR_CHUNK_SIZE);
		st->num = (st->num << 4) | (uint64_t)v;
		return 0;
	}
	if (st->digits == 0)
		return fail(st, H1P_ERR_CHUNK_SIZE);
	if (c == ' ' || c == '\t')
		st->chunk_bws = true; /* BWS before an extension */
	else if (c == ';')
		st->state = ST_CHUNK_EXT;
	else if (c == '\r')
		st->state = ST_CHUNK_SIZE_LF;
	else if (c == '\n')
		return chunk_size_done(st);
	else
		return fail(st, H1P_ERR_CHUNK_SIZE);
	return 0;
}

/* Skip `n` body bytes that are in this buffer and hand them to the sink. */
static inline __attribute__((always_inline)) const char *
take_body(struct h1p *st, const char *p, const char *end, const struct h1p_sink *sink)
{
	size_t n = (size_t)(end - p);
	if (st->state != ST_BODY_CLOSE && n > st->remaining)
		n = (size_t)st->remaining;
	if (sink && sink->on_body && n)
		sink->on_body(sink->ctx, p, n);
	st->body_bytes += n;
	if (st->state != ST_BODY_CLOSE)
		st->remaining -= n;
	return p + n;
}

/* One step of the machine: consume at least one byte from *pp. */
static ssize_t step(struct h1p *st, const char **pp, const char *end, const struct h1p_sink *sink)
{
	const char *p = *pp;
	unsigned char c = (unsigned char)*p;
	ssize_t r = 0;

	switch (st->state) {
	case ST_SL_VERSION:
		/* Fast path: the whole "HTTP/1.x " is here. */
		if (st->idx == 0 && end - p >= 9 && version_at(p)) {
			st->version_minor = (uint8_t)(p[7] - '0');
			st->state = ST_SL_STATUS;
			*pp = p + 9;
			return 0;
		}
		/* fallthrough */
	case ST_SL_STATUS:
		if (st->state == ST_SL_STATUS && st->idx == 0 && end - p >= 4 && status_at(p)) {
			st->status = status_of(p);
			st->state = ST_SL_REASON;
			*pp = p + 4;
			return 0;
		}
		/* fallthrough */
	case ST_SL_MINOR:
	case ST_SL_SP:
	case ST_SL_AFTER_STATUS:
		r = status_line_byte(st, c);
		break;
	case ST_SL_REASON:
		r = scan_text(st, pp, end, sink, false, ST_SL_LF);
		if (r > 0)
			st->state = ST_HDR_START;
		return r < 0 ? r : 0;
	case ST_SL_LF:
	case ST_HDR_LF:
	case ST_HEAD_END_LF:
	case ST_CHUNK_SIZE_LF:
	case ST_CHUNK_DATA_LF:
		if (c != '\n')
			return fail(st, H1P_ERR_LINE_ENDING);
		*pp = p + 1;
		if (st->state == ST_SL_LF) {
			st->state = ST_HDR_START;
			return 0;
		}
		if (st->state == ST_HDR_LF)
			return header_done(st);
		if (st->state == ST_HEAD_END_LF)
			return head_done(st);
		if (st->state == ST_CHUNK_SIZE_LF)
			return chunk_size_done(st);
		st->state = ST_CHUNK_SIZE;
		return 0;
	case ST_HDR_START:
		if (c == '\r') {
			st->state = ST_HEAD_END_LF;
			break;
		}
		if (c == '\n') {
			*pp = p + 1;
			return head_done(st);
		}
		/* fallthrough */
	case ST_HDR_NAME:
	case ST_HDR_OWS:
	case ST_HDR_VALUE:
		return scan_headers(st, pp, end, sink);
	case ST_BODY_LEN:
	case ST_BODY_CLOSE:
		*pp = take_body(st, p, end, sink);
		if (st->state == ST_BODY_LEN && st->remaining == 0)
			st->state = ST_DONE;
		return 0;
	case ST_CHUNK_SIZE:
		r = chunk_size_byte(st, c);
		break;
	case ST_CHUNK_EXT:
		/* chunk-ext is skipped; only a bare CR inside it is an error. */
		r = scan_text(st, pp, end, NULL, false, ST_CHUNK_SIZE_LF);
		if (r > 0)
			return chunk_size_done(st);
		return r;
	case ST_CHUNK_DATA:
		*pp = take_body(st, p, end, sink);
		if (st->remaining == 0)
			st->state = ST_CHUNK_DATA_CR;
		return 0;
	case ST_CHUNK_DATA_CR:
		if (c == '\r')
			st->state = ST_CHUNK_DATA_LF;
		else if (c == '\n')
			st->state = ST_CHUNK_SIZE;
		else
			return fail(st, H1P_ERR_CHUNK_END);
		break;
	default:
		return fail(st, st->err ? st->err : H1P_ERR_TRAILING_DATA);
	}
	if (r < 0)
		return r;
	*pp = p + 1;
	return 0;
}

/* Charge head bytes consumed by a step to the limits. */
static ssize_t charge_head(struct h1p *st, uint8_t was, size_t n)
{
	if (was <= ST_SL_LF) {
		st->line_bytes += (uint32_t)n;
		if (st->line_bytes > LIM_STATUS_LINE_BYTES)
			return fail(st, H1P_ERR_STATUS_LINE_TOO_LONG);
	}
	st->head_bytes += (uint32_t)n;
	if (st->head_bytes > LIM_HEAD_BYTES)
		return fail(st, H1P_ERR_HEAD_TOO_LONG);
	return 0;
}

/*
 * A fresh response whose status line and header lines are whole in this
 * buffer (the usual case), in one pass with no step loop. It charges and
 * sets exactly what the steps would have, and hands over, in their state,
 * wherever they must take over. Returns where it stopped, NULL on an error.
 */
static const char *fast_head(struct h1p *st, const char *p, const char *end,
			     const struct h1p_sink *sink)
{
	const char *ce;

	if (end - p < 13 || !version_at(p) || !status_at(p + 9))
		return p;
	st->version_minor = (uint8_t)(p[7] - '0');
	st->status = status_of(p + 9);
	st->state = ST_SL_REASON;
	ce = hvec_find_ctl(p + 13, end, st->vec_level == HVEC_NONE);
	if (end - ce < 2 || ce[0] != '\r' || ce[1] != '\n')
		return charge_head(st, ST_SL_VERSION, 13) < 0 ? NULL : p + 13;
	if (charge_head(st, ST_SL_VERSION, (size_t)(ce + 2 - p)) < 0)
		return NULL;
	p = ce + 2;
	st->state = ST_HDR_START;
	ce = fast_lines(st, p, end, sink);
	if (!ce || charge_head(st, ST_HDR_START, (size_t)(ce - p)) < 0)
		return NULL;
	p = ce;
	if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
		return p;
	/* the blank line, charged as the steps do: CR, then LF after head_done */
	if (charge_head(st, ST_HDR_START, 1) < 0 || head_done(st) < 0 ||
	    charge_head(st, ST_HEAD_END_LF, 1) < 0)
		return NULL;
	p += 2;
	if (st->state == ST_BODY_LEN && p < end) {
		p = take_body(st, p, end, sink);
		if (st->remaining == 0)
			st->state = ST_DONE;
	}
	return p;
}

ssize_t h1p_feed(struct h1p *st, const char *buf, size_t len, const struct h1p_sink *sink)
{
	const char *p = buf, *end = buf + len;

	if (st->state == ST_ERROR)
		return H1P_ERROR;
	if (st->state == ST_DONE)
		return 0;
	if (len > 0)
		st->any_byte = true;
	if (st->state == ST_SL_VERSION && st->idx == 0) {
		p = fast_head(st, p, end, sink);
		if (!p)
			return H1P_ERROR;
		if (st->state == ST_DONE)
			return p - buf;
	}
	while (p < end) {
		const char *before = p;
		uint8_t was = st->state;
		if (step(st, &p, end, sink) < 0)
			return H1P_ERROR;
		/* A long run inside one buffer is charged after the fact: the work is
		 * bounded by the buffer, and the limit still holds across buffers. */
		if (was < ST_BODY_LEN && charge_head(st, was, (size_t)(p - before)) < 0)
			return H1P_ERROR;
		if (st->state == ST_DONE)
			return p - buf;
	}
	return H1P_AGAIN;
}

int h1p_eof(struct h1p *st)
{
	if (st->state == ST_DONE)
		return 0;
	if (st->state == ST_ERROR)
		return H1P_ERROR;
	if (st->state == ST_BODY_CLOSE) {
		st->state = ST_DONE;
		return 0;
	}
	st->err = H1P_ERR_TRUNCATED;
	st->state = ST_ERROR;
	return H1P_ERROR;
}
