/*
 * sse: an incremental parser for text/event-stream bodies (WHATWG HTML
 * "server-sent events", as MCP's Streamable HTTP uses them). Resumes at any
 * byte; CRLF, LF and CR line ends; comments; multi-line data joined with
 * LF; id, event and retry fields; a leading BOM ignored. The data of the
 * event being assembled goes into the caller's buffer; nothing allocates.
 */
#ifndef MCPL_PROTOCOL_SSE_H
#define MCPL_PROTOCOL_SSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SSE_ERROR     (-1)
#define SSE_MAX_ID    256 /* bytes of an event id kept (longer: an error) */
#define SSE_MAX_EVENT 64  /* bytes of an event type kept (longer: an error) */

enum sse_err { SSE_OK, SSE_ERR_DATA_TOO_LONG, SSE_ERR_ID_TOO_LONG, SSE_ERR_EVENT_TOO_LONG };

/* One dispatched event. Pointers live until the next sse_feed call. */
struct sse_event {
	const char *type; /* the event field, "" when absent (means "message") */
	size_t type_len;
	const char *data; /* data lines joined with LF, final LF removed */
	size_t data_len;
	const char *id; /* the stream's last event id (it persists across events) */
	size_t id_len;
};

struct sse {
	char *data; /* caller's buffer for an event's data */
	size_t cap;
	size_t data_len;
	bool any_data; /* a data field was seen (an empty one counts) */
	char type[SSE_MAX_EVENT];
	uint8_t type_len;
	char id[SSE_MAX_ID];
	uint16_t id_len;
	int64_t retry_ms; /* the last valid retry field, -1 when none */
	uint64_t events;  /* dispatched so far */
	uint64_t comments;
	enum sse_err err;
	/* --- internal --- */
	uint8_t state;
	uint8_t field; /* which field the current line holds */
	char name[8];  /* field name so far (longer names are no field we know) */
	uint8_t name_len;
	bool started; /* past the optional BOM */
	uint8_t bom;  /* BOM bytes matched */
	bool after_cr;
	char val[SSE_MAX_ID]; /* value of an id/event/retry line being read */
	uint16_t val_len;
	bool val_over;
	bool val_nul;
};

/* Start a stream. buf (cap bytes) holds an event's data; the caller owns it. */
void sse_init(struct sse *s, char *buf, size_t cap);

/*
 * Feed the next bytes. Calls on_event for every complete event (a blank line
 * after at least one data field; the priming event `id: X / data:` is one,
 * with empty data). Returns len, or SSE_ERROR (reason in s->err; the parser
 * stays in error until sse_init).
 */
ssize_t sse_feed(struct sse *s, const char *p, size_t len,
		 void (*on_event)(void *ctx, const struct sse_event *ev), void *ctx);

const char *sse_err_str(enum sse_err e);

#endif
