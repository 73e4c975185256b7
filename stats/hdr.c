/*
 * hdr: HdrHistogram's V2 compressed encoding of a struct hist, written from
 * the format's description (cookie, big-endian header, ZigZag LEB128 counts
 * with negative words for runs of zeros, zlib deflate around it all), its
 * checked decoder, base64, and the interval log's lines.
 */
#include "stats/hdr.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ZLIB_CONST /* next_in points to const bytes */
#include <zlib.h>

/* The format's cookies: the base values with 0x10 in the word-size nibble,
 * as every HdrHistogram writer sets it; readers mask the nibble off. */
#define HDR_COOKIE_V2	  0x1c849303u
#define HDR_COOKIE_V2_ZIP 0x1c849304u
#define HDR_COOKIE_NIBBLE 0x10u
#define HDR_COOKIE_MASK	  0xffffff0fu
#define HDR_HEADER	  40   /* cookie, payload length, offset, digits, 3 x 64 bits */
#define HDR_WRAPPER	  8    /* compressed cookie, compressed length */
#define HDR_DIGITS	  3    /* hist.h's 1024 sub-buckets per octave */
#define HDR_CHUNK	  4096 /* the encoder's input to deflate, a piece at a time */
#define HDR_ZLIB_LEVEL	  9    /* HdrHistogram's log writer uses BEST_COMPRESSION */

static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 3; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (uint8_t)v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* ZigZag LEB128-64b9B: 7 bits a byte, low first, the top bit says more
 * follow; the ninth byte carries its full 8 bits, so 64 bits fit in 9. */
static size_t zz_put(uint8_t *p, int64_t v)
{
	uint64_t u = ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
	size_t n = 0;
	while (n < 8 && u >> 7) {
		p[n++] = (uint8_t)(u | 0x80);
		u >>= 7;
	}
	p[n++] = (uint8_t)u;
	return n;
}

/* Reads one word of p[0..n) into *u (still zigzagged: even u is the count
 * u / 2, odd u a run of u / 2 + 1 zeros). Returns bytes consumed or -EBADMSG
 * when the word runs past the end. */
static int zz_get(const uint8_t *p, size_t n, uint64_t *u)
{
	uint64_t v = 0;
	for (size_t i = 0; i < 9; i++) {
		if (i >= n)
			return -EBADMSG;
		if (i == 8) {
			*u = v | (uint64_t)p[i] << 56;
			return 9;
		}
		v |= (uint64_t)(p[i] & 0x7f) << (7 * i);
		if (!(p[i] & 0x80)) {
			*u = v;
			return (int)i + 1;
		}
	}
	return -EBADMSG;
}

/* One past the last index the encoding covers: up to the last non-zero
 * count, and index 0 alone for an empty histogram (as HdrHistogram, which
 * runs to the index of the maximum, 0 when empty). */
static unsigned counts_end(const struct hdr_counts *h)
{
	unsigned end = h->n;
	while (end > 1 && h->counts[end - 1] == 0)
		end--;
	return end;
}

/* Encodes the word at *i (a count, or the run of zeros starting there) into
 * p (9 bytes) and moves *i past it. Returns the bytes written. */
static size_t counts_word(const struct hdr_counts *h, unsigned *i, unsigned end, uint8_t *p)
{
	uint64_t c = h->counts[(*i)++];
	int64_t zeros = 1;
	if (c != 0)
		return zz_put(p, (int64_t)c);
	while (*i < end && h->counts[*i] == 0) {
		zeros++;
		(*i)++;
	}
	/* a lone zero is the count 0, a longer run its negated length */
	return zz_put(p, zeros > 1 ? -zeros : 0);
}

/* The payload's length in bytes, or -EOVERFLOW for a count the format's
 * signed 64-bit words cannot carry. */
static long payload_len(const struct hdr_counts *h, unsigned end)
{
	uint8_t scratch[9];
	long n = 0;
	for (unsigned i = 0; i < end;) {
		if (h->counts[i] > INT64_MAX)
			return -EOVERFLOW;
		n += (long)counts_word(h, &i, end, scratch);
	}
	return n;
}

static void header_put(uint8_t *p, uint32_t payload, unsigned digits)
{
	union {
		double d;
		uint64_t u;
	} ratio = {.d = 1.0};
	put_be32(p, HDR_COOKIE_V2 | HDR_COOKIE_NIBBLE);
	put_be32(p + 4, payload);
	put_be32(p + 8, 0); /* normalizingIndexOffset: hist never shifts */
	put_be32(p + 12, digits);
	put_be64(p + 16, 1);	       /* lowestDiscernibleValue: 1 ns */
	put_be64(p + 24, HIST_MAX_NS); /* highestTrackableValue */
	put_be64(p + 32, ratio.u);     /* integerToDoubleValueConversionRatio */
}

/* Feeds z's pending input to deflate. Returns 0 or -ENOSPC when the output
 * fills before the input (or, finishing, the stream) is done. */
static int deflate_run(z_stream *z, int flush)
{
	for (;;) {
		int r = deflate(z, flush);
		if (r == Z_STREAM_END)
			return 0;
		if (r == Z_BUF_ERROR) /* no progress: only a full output stops it */
			return z->avail_out == 0 ? -ENOSPC : -EINVAL;
		if (r != Z_OK)
			return -EINVAL;
		if (flush != Z_FINISH && z->avail_in == 0)
			return 0;
		if (z->avail_out == 0)
			return -ENOSPC;
	}
}

int hdr_encode(const struct hist *h, uint8_t *out, size_t cap, size_t *len)
{
	struct hdr_counts c = {h->counts, HIST_COUNTS, HDR_DIGITS};
	return hdr_encode_counts(&c, out, cap, len);
}

int hdr_encode_counts(const struct hdr_counts *h, uint8_t *out, size_t cap, size_t *len)
{
	uint8_t chunk[HDR_CHUNK];
	unsigned end = counts_end(h), i = 0;
	long plen = payload_len(h, end);
	z_stream z = {0};
	size_t n = HDR_HEADER;
	int r;
	if (plen < 0)
		return (int)plen;
	if (cap <= HDR_WRAPPER)
		return -ENOSPC;
	r = deflateInit(&z, HDR_ZLIB_LEVEL);
	if (r != Z_OK)
		return r == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
	z.next_out = out + HDR_WRAPPER;
	z.avail_out = (uInt)(cap - HDR_WRAPPER > UINT32_MAX ? UINT32_MAX : cap - HDR_WRAPPER);
	if (h->n == 0 || h->n > HIST_COUNTS || h->digits < 1 || h->digits > HDR_DIGITS)
		return -EINVAL;
	header_put(chunk, (uint32_t)plen, h->digits);
	do {
		while (i < end && n + 9 <= sizeof(chunk))
			n += counts_word(h, &i, end, chunk + n);
		z.next_in = chunk;
		z.avail_in = (uInt)n;
		r = deflate_run(&z, i < end ? Z_NO_FLUSH : Z_FINISH);
		n = 0;
	} while (r == 0 && i < end);
	if (r == 0) {
		put_be32(out, HDR_COOKIE_V2_ZIP | HDR_COOKIE_NIBBLE);
		put_be32(out + 4, (uint32_t)z.total_out);
		*len = HDR_WRAPPER + z.total_out;
	}
	deflateEnd(&z);
	return r;
}

/* Inflates into out[0..n) until it is full or the stream ends (*ended).
 * Returns the bytes written, -EBADMSG (damaged or truncated), -ENOMEM. */
static long inflate_into(z_stream *z, uint8_t *out, size_t n, bool *ended)
{
	z->next_out = out;
	z->avail_out = (uInt)n;
	*ended = false;
	while (z->avail_out > 0) {
		int r = inflate(z, Z_NO_FLUSH);
		if (r == Z_STREAM_END) {
			*ended = true;
			break;
		}
		if (r == Z_MEM_ERROR)
			return -ENOMEM;
		if (r != Z_OK) /* Z_BUF_ERROR: the input ran out mid-stream */
			return -EBADMSG;
	}
	return (long)(n - z->avail_out);
}

/* Checks the 40-byte header against hist's layout; *plen gets the payload's
 * length. Returns 0, -EBADMSG or -EINVAL as hdr_decode says. */
static int header_check(const uint8_t *p, unsigned digits, size_t *plen)
{
	union {
		double d;
		uint64_t u;
	} ratio = {.u = get_be64(p + 32)};
	if ((get_be32(p) & HDR_COOKIE_MASK) != HDR_COOKIE_V2)
		return -EBADMSG;
	*plen = get_be32(p + 4);
	if (*plen > HDR_RAW_MAX - HDR_HEADER)
		return -EBADMSG;
	if (get_be32(p + 8) != 0 || get_be32(p + 12) != digits || get_be64(p + 16) != 1)
		return -EINVAL;
	if (get_be64(p + 24) < 2 || ratio.d != 1.0)
		return -EINVAL;
	return 0;
}

/* Where a decoder puts the counts: cap of them, zeroed, in the layout of
 * `digits` significant digits; total gets their sum. */
struct sink {
	uint64_t *counts;
	unsigned cap, digits;
	uint64_t total;
};

/* Fills the sink's counts from the payload's words. Returns 0 or -errno as
 * hdr_decode says. */
static int counts_get(const uint8_t *p, size_t n, struct sink *out)
{
	uint64_t total = 0, u;
	size_t i = 0;
	while (n > 0) {
		int w = zz_get(p, n, &u);
		if (w < 0)
			return w;
		p += w;
		n -= (size_t)w;
		if (u & 1) { /* a run of u / 2 + 1 zeros */
			if (u / 2 + 1 > out->cap - i)
				return -ERANGE;
			i += u / 2 + 1;
			continue;
		}
		if (i >= out->cap)
			return -ERANGE;
		if (__builtin_add_overflow(total, u / 2, &total))
			return -EOVERFLOW;
		out->counts[i++] = u / 2;
	}
	out->total = total;
	return 0;
}

/* min, max and the midpoint sum from the buckets, as hdr_decode says. */
static int totals_set(struct hist *h)
{
	bool first = true;
	for (unsigned i = 0; i < HIST_COUNTS; i++) {
		uint64_t lo = hist_bucket_low_ns(i), c = h->counts[i], mid, add;
		if (c == 0)
			continue;
		if (first)
			h->min_ns = lo;
		first = false;
		h->max_ns = hist_bucket_high_ns(i);
		mid = lo + ((h->max_ns - lo + 1) >> 1);
		if (__builtin_mul_overflow(c, mid, &add) ||
		    __builtin_add_overflow(h->sum_ns, add, &h->sum_ns))
			return -EOVERFLOW;
	}
	return 0;
}

/* Inflates the header and the payload it announces; the stream must end
 * exactly there with no input left. Returns 0 or -errno. */
static int decode_stream(z_stream *z, struct sink *out)
{
	uint8_t head[HDR_HEADER], *payload;
	size_t plen;
	bool ended;
	long got = inflate_into(z, head, sizeof(head), &ended);
	int r;
	if (got < 0)
		return (int)got;
	if (got != HDR_HEADER)
		return -EBADMSG;
	r = header_check(head, out->digits, &plen);
	if (r < 0)
		return r;
	payload = malloc(plen + 1); /* one more: a longer payload shows up */
	if (!payload)
		return -ENOMEM;
	got = ended ? 0 : inflate_into(z, payload, plen + 1, &ended);
	if (got < 0)
		r = (int)got;
	else if ((size_t)got != plen || !ended || z->avail_in != 0)
		r = -EBADMSG;
	else
		r = counts_get(payload, plen, out);
	free(payload);
	return r;
}

/* The wrapper, then the stream into the sink (zeroed first). */
static int decode_into(const uint8_t *in, size_t len, struct sink *out)
{
	z_stream z = {0};
	int r;
	memset(out->counts, 0, (size_t)out->cap * sizeof(*out->counts));
	out->total = 0;
	if (len < HDR_WRAPPER + 2 || len - HDR_WRAPPER > UINT32_MAX)
		return -EBADMSG;
	if ((get_be32(in) & HDR_COOKIE_MASK) != HDR_COOKIE_V2_ZIP ||
	    get_be32(in + 4) != len - HDR_WRAPPER)
		return -EBADMSG;
	r = inflateInit(&z);
	if (r != Z_OK)
		return r == Z_MEM_ERROR ? -ENOMEM : -EINVAL;
	z.next_in = in + HDR_WRAPPER;
	z.avail_in = (uInt)(len - HDR_WRAPPER);
	r = decode_stream(&z, out);
	inflateEnd(&z);
	return r;
}

int hdr_decode(const uint8_t *in, size_t len, struct hist *out)
{
	struct sink k = {out->counts, HIST_COUNTS, HDR_DIGITS, 0};
	int r;
	hist_reset(out);
	r = decode_into(in, len, &k);
	out->count = k.total;
	if (r == 0)
		r = totals_set(out);
	if (r < 0)
		hist_reset(out);
	return r;
}

int hdr_decode_counts(const uint8_t *in, size_t len, unsigned digits, uint64_t *counts,
		      unsigned cap, uint64_t *total)
{
	struct sink k = {counts, cap, digits, 0};
	int r = digits >= 1 && digits <= HDR_DIGITS && cap <= HIST_COUNTS ? decode_into(in, len, &k)
									  : -EINVAL;
	*total = r == 0 ? k.total : 0;
	if (r < 0)
		memset(counts, 0, (size_t)cap * sizeof(*counts));
	return r;
}

static const char b64_alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t hdr_base64(const uint8_t *in, size_t n, char *out)
{
	size_t o = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)in[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)in[i + 1] << 8;
		if (i + 2 < n)
			v |= in[i + 2];
		out[o++] = b64_alpha[v >> 18];
		out[o++] = b64_alpha[(v >> 12) & 63];
		out[o++] = i + 1 < n ? b64_alpha[(v >> 6) & 63] : '=';
		out[o++] = i + 2 < n ? b64_alpha[v & 63] : '=';
	}
	out[o] = 0;
	return o;
}

static int b64_value(char c)
{
	const char *p = c ? strchr(b64_alpha, c) : NULL;
	return p ? (int)(p - b64_alpha) : -1;
}

int hdr_unbase64(const char *in, size_t n, uint8_t *out, size_t cap, size_t *len)
{
	size_t o = 0;
	if (n % 4)
		return -EBADMSG;
	for (size_t i = 0; i < n; i += 4) {
		bool last = i + 4 == n;
		/* '=' only as the last one or two characters of the text */
		size_t pad = last && in[i + 3] == '=' ? (in[i + 2] == '=' ? 2 : 1) : 0;
		uint32_t v = 0;
		for (size_t k = 0; k < 4; k++) {
			int d = k < 4 - pad ? b64_value(in[i + k]) : 0;
			if (d < 0)
				return -EBADMSG;
			v = v << 6 | (uint32_t)d;
		}
		if (o + 3 - pad > cap)
			return -ENOSPC;
		out[o++] = (uint8_t)(v >> 16);
		if (pad < 2)
			out[o++] = (uint8_t)(v >> 8);
		if (pad < 1)
			out[o++] = (uint8_t)v;
	}
	*len = o;
	return 0;
}

/* The bytes of n characters of base64 (allocated, *len of them), or NULL
 * with *r: -EBADMSG (too long or not base64), -ENOMEM. */
static uint8_t *unbase64_alloc(const char *in, size_t n, size_t *len, int *r)
{
	uint8_t *bin;
	*r = -EBADMSG;
	if (n > HDR_B64_LEN(HDR_ENCODED_MAX))
		return NULL;
	*r = -ENOMEM;
	bin = malloc(n / 4 * 3 + 1);
	if (bin && (*r = hdr_unbase64(in, n, bin, n / 4 * 3, len)) < 0) {
		free(bin);
		bin = NULL;
	}
	return bin;
}

int hdr_decode_base64(const char *in, size_t n, struct hist *out)
{
	size_t len;
	int r;
	uint8_t *bin = unbase64_alloc(in, n, &len, &r);
	hist_reset(out);
	if (bin)
		r = hdr_decode(bin, len, out);
	free(bin);
	return r;
}

int hdr_decode_counts_base64(const char *in, size_t n, unsigned digits, uint64_t *counts,
			     unsigned cap, uint64_t *total)
{
	size_t len;
	int r;
	uint8_t *bin = unbase64_alloc(in, n, &len, &r);
	if (bin)
		r = hdr_decode_counts(bin, len, digits, counts, cap, total);
	else
		memset(counts, 0, (size_t)cap * sizeof(*counts)), *total = 0;
	free(bin);
	return r;
}

int hdr_write_base64(FILE *f, const struct hist *h)
{
	struct hdr_counts c = {h->counts, HIST_COUNTS, HDR_DIGITS};
	return hdr_write_counts_base64(f, &c);
}

int hdr_write_counts_base64(FILE *f, const struct hdr_counts *h)
{
	uint8_t *bin = malloc(HDR_ENCODED_MAX);
	char *text;
	size_t len;
	int r;
	if (!bin)
		return -ENOMEM;
	r = hdr_encode_counts(h, bin, HDR_ENCODED_MAX, &len);
	text = r == 0 ? malloc(HDR_B64_LEN(len) + 1) : NULL;
	if (r == 0 && !text)
		r = -ENOMEM;
	if (r == 0) {
		size_t n = hdr_base64(bin, len, text);
		if (fwrite(text, 1, n, f) != n)
			r = -EIO;
	}
	free(text);
	free(bin);
	return r;
}

int hdr_log_header(FILE *f, double start_time_s)
{
	time_t t = (time_t)start_time_s;
	struct tm tm;
	char date[64] = "?";
	if (gmtime_r(&t, &tm))
		strftime(date, sizeof(date), "%a %b %d %H:%M:%S UTC %Y", &tm);
	fprintf(f, "#[mcpload %s: latency in ns, Interval_Max in ms]\n", MCPL_VERSION);
	fprintf(f, "#[Histogram log format version 1.3]\n");
	fprintf(f, "#[StartTime: %.3f (seconds since epoch), %s]\n", start_time_s, date);
	fprintf(f, "#[BaseTime: %.3f (seconds since epoch)]\n", start_time_s);
	fprintf(f, "\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
		   "\"Interval_Compressed_Histogram\"\n");
	return ferror(f) ? -EIO : 0;
}

/* Kept: printable ASCII but the comma, which the reader splits at (with the
 * space, below 0x21). */
static bool tag_keeps(unsigned char c)
{
	return c > 0x20 && c < 0x7f && c != ',';
}

size_t hdr_tag(const char *label, char *out, size_t cap)
{
	size_t n = 0;
	if (cap == 0)
		return 0;
	for (; label && label[n] && n + 1 < cap; n++)
		out[n] = tag_keeps((unsigned char)label[n]) ? label[n] : '_';
	out[n] = 0;
	return n;
}

int hdr_log_interval(FILE *f, const char *label, double start_s, double length_s,
		     const struct hist *h)
{
	struct hdr_counts c = {h->counts, HIST_COUNTS, HDR_DIGITS};
	return hdr_log_counts(f, label, start_s, length_s, h->max_ns, &c);
}

int hdr_log_counts(FILE *f, const char *label, double start_s, double length_s, uint64_t max_ns,
		   const struct hdr_counts *h)
{
	int r;
	if (label && *label) {
		fputs("Tag=", f);
		for (const char *p = label; *p; p++)
			fputc(tag_keeps((unsigned char)*p) ? *p : '_', f);
		fputc(',', f);
	}
	fprintf(f, "%.3f,%.3f,%.3f,", start_s, length_s, (double)max_ns / 1e6);
	r = hdr_write_counts_base64(f, h);
	if (r < 0)
		return r;
	fputc('\n', f);
	return ferror(f) ? -EIO : 0;
}
