/*
 * h1f: the HTTP/1.1 framing fields a response parser must interpret
 * (Content-Length RFC 9110 8.6, Transfer-Encoding RFC 9112 6.1, Connection
 * RFC 9110 7.6.1), fed byte by byte so that a value may be split across
 * buffers. Pure state over a struct the caller embeds; no allocation.
 */
#ifndef MCPL_PROTOCOL_H1F_H
#define MCPL_PROTOCOL_H1F_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum h1f_kind { H1F_OTHER, H1F_CONTENT_LENGTH, H1F_TRANSFER_ENCODING, H1F_CONNECTION };

/* h1f_feed / h1f_end results besides 0. */
#define H1F_BAD_LENGTH	    (-1) /* Content-Length is not 1*DIGIT (or a list of them) */
#define H1F_LENGTH_CONFLICT (-2) /* two different Content-Length values */

/* A zeroed struct is the state at the start of a message. */
struct h1f {
	/* what the message's fields said so far */
	bool saw_te;		 /* Transfer-Encoding present */
	bool te_chunked;	 /* its last coding is "chunked" */
	bool conn_close;	 /* Connection: close */
	bool conn_keepalive;	 /* Connection: keep-alive */
	bool cl_seen;		 /* Content-Length present */
	uint64_t content_length; /* bytes, when cl_seen */
	/* the field being read */
	uint8_t kind; /* enum h1f_kind */
	uint8_t tok_len;
	uint8_t tok_mask;
	uint8_t tok_phase;
	uint8_t digits;
	uint64_t num;
};

/*
 * a == b over n bytes, folding a with | 0x20. b is lower-case letters and
 * '-'; a is a header name (tchars) or a value (no CTLs: the parser rejected
 * them). No such byte folds onto a letter or '-' except that letter's upper
 * case (CR would fold onto '-', but it cannot be here). Inline, 8 bytes a
 * step, the last step overlapping: the parser asks for every header name.
 */
static inline bool h1f_fold_eq(const char *a, const char *b, size_t n)
{
	const uint64_t fold = 0x2020202020202020ull;
	uint64_t x, y;
	if (n < 8) {
		for (size_t i = 0; i < n; i++) {
			if ((char)(a[i] | 0x20) != b[i])
				return false;
		}
		return true;
	}
	for (size_t i = 0; i + 8 < n; i += 8) {
		memcpy(&x, a + i, 8);
		memcpy(&y, b + i, 8);
		if ((x | fold) != y)
			return false;
	}
	memcpy(&x, a + n - 8, 8);
	memcpy(&y, b + n - 8, 8);
	return (x | fold) == y;
}

/*
 * Which framing field a name is. lowered: the name is already lower case;
 * otherwise it must hold only tchars (RFC 9110 5.6.2), whose case is folded.
 */
static inline enum h1f_kind h1f_kind_of(const char *name, size_t len, bool lowered)
{
	(void)lowered; /* folding a lower-case name changes nothing */
	switch (len) {
	case 10:
		return h1f_fold_eq(name, "connection", 10) ? H1F_CONNECTION : H1F_OTHER;
	case 14:
		return h1f_fold_eq(name, "content-length", 14) ? H1F_CONTENT_LENGTH : H1F_OTHER;
	case 17:
		return h1f_fold_eq(name, "transfer-encoding", 17) ? H1F_TRANSFER_ENCODING
								  : H1F_OTHER;
	default:
		return H1F_OTHER;
	}
}

/* A field of this kind starts (H1F_OTHER: its value is ignored). */
void h1f_begin(struct h1f *f, enum h1f_kind kind);

/* A fragment of the value. Returns 0, H1F_BAD_LENGTH or H1F_LENGTH_CONFLICT. */
int h1f_feed(struct h1f *f, const char *p, size_t n);

/*
 * The whole value in one piece (the usual case): same result as h1f_feed()
 * over it, by a faster path; h1f_end() must still follow.
 */
int h1f_whole(struct h1f *f, const char *p, size_t n);

/* The value ended. Returns 0, H1F_BAD_LENGTH or H1F_LENGTH_CONFLICT. */
int h1f_end(struct h1f *f);

/* A whole field at once: h1f_begin, h1f_whole and h1f_end in one call,
 * a plain length and a single known word without the token machine.
 * H1F_OTHER: nothing to do. Returns as h1f_end. */
int h1f_field(struct h1f *f, enum h1f_kind kind, const char *p, size_t n);

#endif
