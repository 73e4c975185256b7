/*
 * hdr: a struct hist in HdrHistogram's V2 compressed encoding (the bytes
 * HdrHistogram's Java, C and JS libraries exchange), its decoder for
 * untrusted input, base64, and the lines of a HdrHistogram interval log
 * (format version 1.3) that HistogramLogReader and HistogramLogProcessor read.
 */
#ifndef MCPL_STATS_HDR_H
#define MCPL_STATS_HDR_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "stats/hist.h"

/* The V2 encoding (40-byte header, then one ZigZag LEB128 word of at most 9
 * bytes per counts index) can never be longer than this for a struct hist. */
#define HDR_RAW_MAX (40 + 9 * (size_t)HIST_COUNTS)
/* The compressed encoding of any struct hist fits in this many bytes: the
 * 8-byte wrapper plus deflate's worst case (stored blocks: 5 bytes per 16 KB
 * and a 6-byte zlib header and trailer), rounded up. */
#define HDR_ENCODED_MAX (8 + HDR_RAW_MAX + HDR_RAW_MAX / 256 + 64)
/* Characters of the base64 text of n bytes (padded), without the NUL. */
#define HDR_B64_LEN(n) (((n) + 2) / 3 * 4)

/*
 * Encodes h as HdrHistogram's V2 compressed histogram: lowest discernible
 * value 1, 3 significant digits, highest trackable value HIST_MAX_NS, values
 * in ns. The counts run up to the last non-zero index; the exact sum, min,
 * max and the clamped count are not part of the format (a decoder sees the
 * clamped values in the top bucket). Writes at most cap bytes to out and
 * their number to *len. HDR_ENCODED_MAX bytes are always enough.
 * Returns 0, -ENOSPC (cap too small; *len unset), -EOVERFLOW (a bucket holds
 * more than INT64_MAX values, which the format cannot say), -ENOMEM (zlib).
 */
int hdr_encode(const struct hist *h, uint8_t *out, size_t cap, size_t *len);

/* Counts in HdrHistogram's layout for `digits` significant digits (1 to 3)
 * and lowest discernible value 1: struct hist's for 3, stats/ltl's for 2.
 * n (at most HIST_COUNTS) counts, read during the call only. */
struct hdr_counts {
	const uint64_t *counts;
	unsigned n;
	unsigned digits;
};

/* hdr_encode of any such counts; -EINVAL for an n or digits out of range. */
int hdr_encode_counts(const struct hdr_counts *c, uint8_t *out, size_t cap, size_t *len);

/*
 * Decodes a V2 compressed histogram (cookie 0x1c849314, as HdrHistogram's
 * writers make them; the word-size nibble is ignored, as HdrHistogram does)
 * of exactly len bytes into *out. in is untrusted: every length is checked,
 * and at most the payload the header claims (never above HDR_RAW_MAX) is
 * allocated, plus zlib's state. count, min_ns and max_ns are recomputed from
 * the buckets (min and max as the bucket edges); sum_ns is the sum of the
 * bucket midpoints, as HdrHistogram's mean takes it (within 0.05 % of the
 * true sum); clamped is 0 (the format does not carry it).
 * Returns 0, or with *out left empty:
 *   -EBADMSG   not a compressed V2 histogram, or damaged: cookie, a length
 *              that does not match the bytes, a zlib error, a truncated or
 *              overlong payload, trailing bytes;
 *   -EINVAL    a V2 histogram of another layout: significant digits not 3,
 *              lowest discernible value not 1, a normalizing index offset, a
 *              value conversion ratio other than 1.0 (a DoubleHistogram);
 *   -ERANGE    a count at an index at or beyond HIST_COUNTS (a value above
 *              HIST_MAX_NS);
 *   -EOVERFLOW the total count or the midpoint sum does not fit in 64 bits;
 *   -ENOMEM    no memory for the payload or zlib's state.
 */
int hdr_decode(const uint8_t *in, size_t len, struct hist *out);

/* hdr_decode of a histogram in the layout of `digits` significant digits
 * (1 to 3; stats/ltl's is 2) into counts[0..cap) (cap at most HIST_COUNTS,
 * zeroed first) and their sum into *total; -EINVAL also for a histogram of
 * another number of digits, -ERANGE for a count at or beyond cap. */
int hdr_decode_counts(const uint8_t *in, size_t len, unsigned digits, uint64_t *counts,
		      unsigned cap, uint64_t *total);

/* Writes the base64 text of in[0..n) (standard alphabet, '=' padding) and a
 * NUL to out, which holds HDR_B64_LEN(n) + 1 bytes. Returns the characters
 * written, without the NUL. */
size_t hdr_base64(const uint8_t *in, size_t n, char *out);

/*
 * Decodes n characters of padded standard base64 (no whitespace) into out.
 * Returns 0 with the byte count in *len, -EBADMSG (a length not a multiple
 * of 4, a character outside the alphabet, misplaced '='), or -ENOSPC (more
 * than cap bytes; 3 * n / 4 are always enough).
 */
int hdr_unbase64(const char *in, size_t n, uint8_t *out, size_t cap, size_t *len);

/* hdr_unbase64, then hdr_decode: the histogram field of an interval log
 * line. Text longer than HDR_B64_LEN(HDR_ENCODED_MAX) is refused with
 * -EBADMSG before anything is allocated. Returns as hdr_decode. */
int hdr_decode_base64(const char *in, size_t n, struct hist *out);
int hdr_decode_counts_base64(const char *in, size_t n, unsigned digits, uint64_t *counts,
			     unsigned cap, uint64_t *total);

/* Writes h's compressed encoding as base64 text to f, no newline. Returns 0,
 * -EIO (a write failed), or an error of hdr_encode. */
int hdr_write_base64(FILE *f, const struct hist *h);
int hdr_write_counts_base64(FILE *f, const struct hdr_counts *c);

/*
 * The interval log's head: a "#[mcpload VERSION ...]" comment, the format
 * version, StartTime (start_time_s, seconds since the epoch, and the date in
 * UTC), a BaseTime equal to it (so the intervals' timestamps are seconds
 * since the start, and readers need not guess), and the column legend.
 * Returns 0 or -EIO.
 */
int hdr_log_header(FILE *f, double start_time_s);

/*
 * One interval line: "Tag=<tag>,<start>,<length>,<max>,<histogram>", the
 * start in seconds since the log's BaseTime, the length in seconds, the
 * exact max in ms (max_ns / 1e6, as HdrHistogram's writer scales ns), the
 * histogram as hdr_write_base64 writes it. HdrHistogram's reader splits a
 * line at commas, spaces and line ends, so label becomes the tag with every
 * byte that is a comma, a space, a control or not ASCII replaced by '_' (see
 * hdr_tag); a NULL or empty label writes an untagged line.
 * Returns 0, -EIO, or an error of hdr_encode.
 */
int hdr_log_interval(FILE *f, const char *label, double start_s, double length_s,
		     const struct hist *h);

/* The tag hdr_log_interval writes for label, in out (cap bytes, NUL-ended,
 * cut to fit). Returns its length. */
size_t hdr_tag(const char *label, char *out, size_t cap);

/* hdr_log_interval of counts (max_ns: the interval's exact maximum, or the
 * top of its highest bucket). */
int hdr_log_counts(FILE *f, const char *label, double start_s, double length_s, uint64_t max_ns,
		   const struct hdr_counts *c);

#endif
