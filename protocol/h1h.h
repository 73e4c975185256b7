/*
 * h1h: header lines whole in one buffer, for the response parser (h1p):
 * each line classified at the CPU's vector level (hvec), its framing field
 * read in one call (h1f), its value reported to the sink in one piece (the
 * byte path's fragments go through the same reporter here). It
 * keeps no per-line state: it stops at the start of any line it does not
 * take, and h1p's resumable byte path takes that line with the same result.
 */
#ifndef MCPL_PROTOCOL_H1H_H
#define MCPL_PROTOCOL_H1H_H

#include <stddef.h>

#include "protocol/h1p.h"

/*
 * Header lines from p, taken while each is whole in [p, end) and plain.
 * Returns where it stopped: the blank line, the end, a line cut by the end,
 * or one to look at byte by byte (an HTAB in its value, an odd line end, a
 * bad byte). Returns NULL on an error, with *err its reason; st is not put
 * in error (the caller does). Updates st->fr, st->header_count, st->name.
 */
const char *h1h_lines(struct h1p *st, const char *p, const char *end, const struct h1p_sink *sink,
		      enum h1p_err *err);

/* A name's lower-case copy in st->name, for the sink (n <= LIM_HEADER_NAME_KEEP). */
void h1h_keep_name(struct h1p *st, const char *p, size_t n);

/*
 * Hand a fragment of the current field's value (name in st->name) to the
 * sink, if it has on_header and the name was kept. last: the value ends
 * with this fragment. Trailing whitespace is held back in st->ws until
 * content follows it, so the sink never sees it at a value's end.
 */
void h1h_report(struct h1p *st, const struct h1p_sink *sink, const char *p, size_t n, bool last);

/* The parser's reason for an h1f_field / h1f_end failure (H1F_*). */
enum h1p_err h1h_field_err(int r);

#endif
