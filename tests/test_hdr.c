/*
 * HdrHistogram V2 tests: the bytes of a tiny histogram against the format
 * worked out by hand, round trips (empty, one value, bucket edges, a wide
 * spread, the clamped top), hostile inputs, base64, the log's lines. With
 * --log PATH or --read PATH it writes or reads an interval log for
 * tests/test_hdrlog.sh, which holds HdrHistogram's Java library up to it.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <zlib.h>

#include "stats/hdr.h"
#include "tests/t.h"

static uint64_t rng_state = 42;

static uint64_t rnd(void)
{
	/* splitmix64 */
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static uint8_t enc[HDR_ENCODED_MAX];
static uint8_t raw[HDR_RAW_MAX + 64];

/* The format for values 1, 3, 3 and 1000 ns (indices 1, 3, 1000), by hand:
 * header, then the words 0 (a lone zero), 1, 0, 2, a run of 996 zeros
 * (-996, zigzag 1991 = 0x47 | 0x80, 0x0f) and 1; zigzag doubles positives. */
static const uint8_t tiny_v2[] = {
    0x1c, 0x84, 0x93, 0x13,			    /* V2 cookie, word-size nibble 1 */
    0x00, 0x00, 0x00, 0x07,			    /* payload: 7 bytes */
    0x00, 0x00, 0x00, 0x00,			    /* normalizingIndexOffset */
    0x00, 0x00, 0x00, 0x03,			    /* significant digits */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, /* lowest discernible */
    0x00, 0x00, 0x03, 0xff, 0xff, 0xff, 0xff, 0xff, /* highest: 2^42 - 1 */
    0x3f, 0xf0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, /* ratio 1.0 */
    0x00, 0x02, 0x00, 0x04, 0xc7, 0x0f, 0x02,
};

/* Deflates raw[0..n) and wraps it as a compressed V2 histogram in enc. */
static size_t wrap(const uint8_t *in, size_t n)
{
	uLongf clen = sizeof(enc) - 8;
	if (compress2(enc + 8, &clen, in, n, 6) != Z_OK)
		abort();
	memcpy(enc, "\x1c\x84\x93\x14", 4);
	enc[4] = (uint8_t)(clen >> 24);
	enc[5] = (uint8_t)(clen >> 16);
	enc[6] = (uint8_t)(clen >> 8);
	enc[7] = (uint8_t)clen;
	return 8 + clen;
}

static void test_known_bytes(struct hist *h, struct hist *d)
{
	size_t len;
	uLongf rlen = sizeof(raw);
	hist_reset(h);
	hist_record(h, 1);
	hist_record(h, 3);
	hist_record(h, 3);
	hist_record(h, 1000);
	CHECK_INT(hdr_encode(h, enc, sizeof(enc), &len), 0);
	CHECK_MEM(enc, 4, "\x1c\x84\x93\x14", 4);
	CHECK_INT((uint32_t)enc[4] << 24 | enc[5] << 16 | enc[6] << 8 | enc[7], len - 8);
	CHECK_INT(uncompress(raw, &rlen, enc + 8, len - 8), Z_OK);
	CHECK_MEM(raw, rlen, tiny_v2, sizeof(tiny_v2));
	/* the hand-made bytes, compressed by zlib itself, decode the same */
	len = wrap(tiny_v2, sizeof(tiny_v2));
	CHECK_INT(hdr_decode(enc, len, d), 0);
	CHECK(memcmp(d->counts, h->counts, sizeof(h->counts)) == 0);
	CHECK_INT(d->count, 4);
	CHECK_INT(d->min_ns, 1);
	CHECK_INT(d->max_ns, 1000);
	CHECK_INT(d->sum_ns, 1007);
	/* an empty histogram: one word, the count 0 at index 0, as HdrHistogram */
	hist_reset(h);
	CHECK_INT(hdr_encode(h, enc, sizeof(enc), &len), 0);
	rlen = sizeof(raw);
	CHECK_INT(uncompress(raw, &rlen, enc + 8, len - 8), Z_OK);
	CHECK_INT(rlen, 41);
	CHECK_INT(raw[7], 1);
	CHECK_INT(raw[40], 0);
}

/* Encodes and decodes h: counts equal, totals recomputed from the buckets. */
static void round_trip(const char *name, struct hist *h, struct hist *d)
{
	size_t len;
	int r = hdr_encode(h, enc, sizeof(enc), &len);
	CHECK_INT(r, 0);
	r = hdr_decode(enc, len, d);
	CHECK_INT(r, 0);
	if (memcmp(d->counts, h->counts, sizeof(h->counts)) != 0) {
		t_fail++;
		fprintf(stderr, "FAIL %s: counts differ after the round trip\n", name);
	}
	CHECK_INT(d->count, h->count);
	CHECK_INT(d->clamped, 0);
	if (h->count == 0) {
		CHECK(d->min_ns == 0 && d->max_ns == 0 && d->sum_ns == 0);
		return;
	}
	uint64_t top = h->max_ns > HIST_MAX_NS ? HIST_MAX_NS : h->max_ns;
	CHECK_INT(d->min_ns, hist_bucket_low_ns(hist_index(h->min_ns)));
	CHECK_INT(d->max_ns, hist_bucket_high_ns(hist_index(top)));
	/* midpoints: within half a bucket (< 0.05 %) of each value */
	if (!h->clamped)
		CHECK(fabs((double)d->sum_ns - (double)h->sum_ns) <= 0.0005 * (double)h->sum_ns);
	CHECK_INT(hist_percentile_ns(d, 99) <= d->max_ns, 1);
	printf("  %-12s %7" PRIu64 " values: %6zu bytes\n", name, h->count, len);
}

static void test_round_trips(struct hist *h, struct hist *d)
{
	static const uint64_t edges[] = {0,
					 1,
					 2046,
					 2047,
					 2048,
					 2049,
					 4095,
					 4096,
					 4097,
					 1u << 20,
					 (1u << 20) + 1,
					 UINT64_C(1) << 41,
					 HIST_MAX_NS - 1,
					 HIST_MAX_NS};
	hist_reset(h);
	round_trip("empty", h, d);
	hist_record(h, 1234567);
	round_trip("one value", h, d);
	hist_reset(h);
	for (size_t i = 0; i < sizeof(edges) / sizeof(edges[0]); i++)
		for (size_t k = 0; k <= i; k++)
			hist_record(h, edges[i]);
	round_trip("edges", h, d);
	hist_reset(h);
	for (int i = 0; i < 200000; i++)
		hist_record(h, rnd() >> (22 + rnd() % 42)); /* every octave */
	round_trip("wide spread", h, d);
	for (int i = 0; i < 1000; i++)
		hist_record(h, i * 997 % 2048); /* every small value too */
	round_trip("+ small", h, d);
	hist_reset(h);
	hist_record(h, 7);
	hist_record(h, HIST_MAX_NS + 5);
	hist_record(h, UINT64_MAX);
	round_trip("clamped top", h, d);
	CHECK_INT(d->counts[HIST_COUNTS - 1], 2);
	CHECK_INT(d->max_ns, HIST_MAX_NS);
	/* the largest count a word carries: 9 bytes, the 9th with 8 bits */
	hist_reset(h);
	h->counts[0] = INT64_MAX;
	h->counts[HIST_COUNTS - 1] = 1;
	h->count = (uint64_t)INT64_MAX + 1;
	h->max_ns = h->sum_ns = HIST_MAX_NS;
	round_trip("huge count", h, d);
}

static void test_encode_errors(struct hist *h, struct hist *d)
{
	size_t len, full;
	hist_reset(h);
	for (int i = 0; i < 50000; i++)
		hist_record(h, rnd() % 100000000);
	CHECK_INT(hdr_encode(h, enc, sizeof(enc), &full), 0);
	CHECK_INT(hdr_encode(h, enc, full - 1, &len), -ENOSPC);
	CHECK_INT(hdr_encode(h, enc, 8, &len), -ENOSPC);
	CHECK_INT(hdr_encode(h, enc, full, &len), 0);
	CHECK_INT(len, full);
	h->counts[5] = (uint64_t)INT64_MAX + 1;
	CHECK_INT(hdr_encode(h, enc, sizeof(enc), &len), -EOVERFLOW);
	/* three counts of INT64_MAX: each encodable, their total is not */
	hist_reset(h);
	h->counts[0] = h->counts[1] = h->counts[2] = INT64_MAX;
	CHECK_INT(hdr_encode(h, enc, sizeof(enc), &len), 0);
	CHECK_INT(hdr_decode(enc, len, d), -EOVERFLOW);
	CHECK_INT(d->count, 0);
}

/* A V2 payload with one header field changed, or other words. */
static int decode_variant(size_t off, const uint8_t *bytes, size_t n, const uint8_t *words,
			  size_t wn, struct hist *d)
{
	uint8_t v[256];
	memcpy(v, tiny_v2, 40);
	memcpy(v + off, bytes, n);
	memcpy(v + 40, words, wn);
	return hdr_decode(enc, wrap(v, 40 + wn), d);
}

static void test_hostile(struct hist *h, struct hist *d)
{
	static const uint8_t words[] = {0x00, 0x02, 0x00, 0x04, 0xc7, 0x0f, 0x02};
	size_t len, good = wrap(tiny_v2, sizeof(tiny_v2));
	uint8_t save;
	(void)h;
	CHECK_INT(hdr_decode(enc, good, d), 0);
	for (size_t n = 0; n < good; n++) /* truncated anywhere */
		CHECK_INT(hdr_decode(enc, n, d) < 0, 1);
	for (size_t n = 10; n < good; n++) { /* ... with a length that agrees */
		enc[7] = (uint8_t)(n - 8);
		CHECK_INT(hdr_decode(enc, n, d), -EBADMSG);
	}
	good = wrap(tiny_v2, sizeof(tiny_v2));
	CHECK_INT(hdr_decode(enc, good, d), 0);
	save = enc[3];
	enc[3] = 0x13; /* the uncompressed cookie where the wrapper's belongs */
	CHECK_INT(hdr_decode(enc, good, d), -EBADMSG);
	enc[3] = save;
	enc[7]++; /* the compressed length lies */
	CHECK_INT(hdr_decode(enc, good, d), -EBADMSG);
	enc[7]--;
	enc[good - 1] ^= 0x55; /* the adler-32 trailer */
	CHECK_INT(hdr_decode(enc, good, d), -EBADMSG);
	enc[good - 1] ^= 0x55;
	enc[8] = 0xff; /* not a zlib header */
	CHECK_INT(hdr_decode(enc, good, d), -EBADMSG);
	CHECK_INT(d->count, 0);
	/* a trailing byte after the zlib stream */
	good = wrap(tiny_v2, sizeof(tiny_v2));
	enc[good] = 0;
	enc[7]++;
	CHECK_INT(hdr_decode(enc, good + 1, d), -EBADMSG);
	/* header fields */
	CHECK_INT(decode_variant(3, (const uint8_t *)"\x02", 1, words, 7, d), -EBADMSG); /* V1 */
	CHECK_INT(decode_variant(3, (const uint8_t *)"\x23", 1, words, 7, d), 0); /* nibble */
	CHECK_INT(decode_variant(7, (const uint8_t *)"\x08", 1, words, 7, d), -EBADMSG);
	CHECK_INT(decode_variant(7, (const uint8_t *)"\x06", 1, words, 7, d), -EBADMSG);
	CHECK_INT(decode_variant(4, (const uint8_t *)"\x7f", 1, words, 7, d), -EBADMSG);
	CHECK_INT(decode_variant(11, (const uint8_t *)"\x01", 1, words, 7, d), -EINVAL);
	CHECK_INT(decode_variant(15, (const uint8_t *)"\x02", 1, words, 7, d), -EINVAL);
	CHECK_INT(decode_variant(23, (const uint8_t *)"\x03", 1, words, 7, d), -EINVAL);
	CHECK_INT(decode_variant(32, (const uint8_t *)"\x40\x00", 2, words, 7, d), -EINVAL);
	/* another highest trackable value: same buckets, accepted */
	CHECK_INT(decode_variant(26, (const uint8_t *)"\x00\x03", 2, words, 7, d), 0);
	CHECK_INT(d->count, 4);
	/* payload words: a word cut short, a run past the end, an index past it */
	CHECK_INT(decode_variant(7, (const uint8_t *)"\x02", 1, (const uint8_t *)"\x02\x80", 2, d),
		  -EBADMSG);
	CHECK_INT(decode_variant(7, (const uint8_t *)"\x03", 1, (const uint8_t *)"\xff\x8f\x04", 3,
				 d), /* 33792 zeros */
		  0);
	CHECK_INT(decode_variant(7, (const uint8_t *)"\x04", 1, (const uint8_t *)"\xff\x8f\x04\x02",
				 4, d),
		  -ERANGE);
	CHECK_INT(decode_variant(7, (const uint8_t *)"\x03", 1, (const uint8_t *)"\x81\x90\x04", 3,
				 d), /* 33793 zeros */
		  -ERANGE);
	/* sum of midpoints beyond 64 bits: INT64_MAX values of 2^42 - 1 ns */
	hist_reset(h);
	h->counts[HIST_COUNTS - 1] = INT64_MAX;
	CHECK_INT(hdr_encode(h, enc, sizeof(enc), &len), 0);
	CHECK_INT(hdr_decode(enc, len, d), -EOVERFLOW);
}

static void test_base64(struct hist *h, struct hist *d)
{
	static const char *const vec[][2] = {{"", ""},
					     {"f", "Zg=="},
					     {"fo", "Zm8="},
					     {"foo", "Zm9v"},
					     {"foob", "Zm9vYg=="},
					     {"fooba", "Zm9vYmE="},
					     {"foobar", "Zm9vYmFy"}}; /* RFC 4648 section 10 */
	static const char *const bad[] = {"Zg=", "Z===", "Zg=a", "Zm9v=A==", "Zm9v\n", "Zm 9"};
	char text[64];
	uint8_t bin[64];
	size_t len;
	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		size_t n = strlen(vec[i][0]);
		CHECK_INT(hdr_base64((const uint8_t *)vec[i][0], n, text), strlen(vec[i][1]));
		CHECK_STR(text, vec[i][1]);
		CHECK_INT(hdr_unbase64(vec[i][1], strlen(vec[i][1]), bin, sizeof(bin), &len), 0);
		CHECK_MEM(bin, len, vec[i][0], n);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CHECK_INT(hdr_unbase64(bad[i], strlen(bad[i]), bin, sizeof(bin), &len), -EBADMSG);
	CHECK_INT(hdr_unbase64("Zm9vYmFy", 8, bin, 5, &len), -ENOSPC);
	/* a histogram as text: "HISTF" starts every one (0x1c849314) */
	hist_reset(h);
	hist_record(h, 42);
	char *p = NULL;
	size_t plen = 0;
	FILE *f = open_memstream(&p, &plen);
	CHECK_INT(hdr_write_base64(f, h), 0);
	fclose(f);
	CHECK(strncmp(p, "HISTF", 5) == 0);
	CHECK_INT(hdr_decode_base64(p, plen, d), 0);
	CHECK_INT(d->count, 1);
	CHECK_INT(d->min_ns, 42);
	CHECK_INT(hdr_decode_base64(p, plen - 1, d), -EBADMSG);
	free(p);
}

static void test_log_lines(struct hist *h, struct hist *d)
{
	char *p = NULL, tag[16];
	size_t plen = 0;
	FILE *f = open_memstream(&p, &plen);
	hist_reset(h);
	hist_record(h, 2500000);
	CHECK_INT(hdr_log_header(f, 1700000000.25), 0);
	CHECK_INT(hdr_log_interval(f, "tools/call, echo\x01\xc3\xa9", 1.5, 1.0, h), 0);
	CHECK_INT(hdr_log_interval(f, NULL, 2.5, 1.0, h), 0);
	fclose(f);
	CHECK(strstr(p, "#[mcpload ") == p);
	CHECK(strstr(p, "\n#[Histogram log format version 1.3]\n") != NULL);
	CHECK(strstr(p, "\n#[StartTime: 1700000000.250 (seconds since epoch), "
			"Tue Nov 14 22:13:20 UTC 2023]\n") != NULL);
	CHECK(strstr(p, "\n#[BaseTime: 1700000000.250 (seconds since epoch)]\n") != NULL);
	CHECK(strstr(p, "\n\"StartTimestamp\",\"Interval_Length\",\"Interval_Max\","
			"\"Interval_Compressed_Histogram\"\n") != NULL);
	char *line = strstr(p, "\nTag=tools/call__echo___,1.500,1.000,2.500,HISTF");
	CHECK(line != NULL);
	if (line) {
		char *b64 = line + strlen("\nTag=tools/call__echo___,1.500,1.000,2.500,");
		CHECK_INT(hdr_decode_base64(b64, strcspn(b64, "\n"), d), 0);
		CHECK_INT(d->count, 1);
	}
	CHECK(strstr(p, "\n2.500,1.000,2.500,HISTF") != NULL);
	free(p);
	CHECK_INT(hdr_tag("a b,c", tag, sizeof(tag)), 5);
	CHECK_STR(tag, "a_b_c");
	CHECK_INT(hdr_tag("abcdef", tag, 4), 3);
	CHECK_STR(tag, "abc");
}

/* --log PATH: three series (two labels that need their tags sanitized, one
 * untagged) over three intervals each, and on stdout "tag count p99_ns" for
 * each, from the merged histograms. */
static int log_write(const char *path, struct hist *h)
{
	static const char *const labels[] = {"GET /a b", "tools/call,echo", NULL};
	static struct hist all[3];
	FILE *f = fopen(path, "w");
	char tag[64];
	if (!f || hdr_log_header(f, 1700000000.0) < 0)
		return 2;
	for (int k = 0; k < 3; k++) {
		for (int s = 0; s < 3; s++) {
			hist_reset(h);
			for (int i = 0; i < 20000 + 5000 * s; i++) {
				uint64_t v = s == 0   ? 1000 + rnd() % 10000000 /* 1 us .. 10 ms */
					     : s == 1 ? (rnd() % 200 ? 50000 + rnd() % 100000
								     : HIST_MAX_NS + rnd() % 9)
						      : 1234567;
				hist_record(h, v);
			}
			hist_merge(&all[s], h);
			if (hdr_log_interval(f, labels[s], k, 1.0, h) < 0)
				return 2;
		}
	}
	if (fclose(f) != 0)
		return 2;
	for (int s = 0; s < 3; s++) {
		hdr_tag(labels[s] ? labels[s] : "-", tag, sizeof(tag));
		printf("%s %" PRIu64 " %" PRIu64 "\n", tag, all[s].count,
		       hist_percentile_ns(&all[s], 99));
	}
	return 0;
}

/* --read PATH: an interval log (HdrHistogram's Java writes one for the test),
 * each tag's intervals merged, "tag count p99_ns" on stdout ("-" untagged). */
static int log_read(const char *path, struct hist *h)
{
	static struct hist all[8];
	static char tags[8][64], line[1 << 20];
	int ntags = 0;
	FILE *f = fopen(path, "r");
	if (!f)
		return 2;
	while (fgets(line, sizeof(line), f)) {
		char *p = line, *tag = "-", *b64;
		int s;
		if (line[0] == '#' || line[0] == '"' || line[0] == '\n')
			continue;
		if (strncmp(p, "Tag=", 4) == 0) {
			tag = p + 4;
			p = strchr(p, ',');
			if (!p)
				return 3;
			*p++ = 0;
		}
		b64 = strrchr(p, ',');
		if (!b64 || hdr_decode_base64(b64 + 1, strcspn(b64 + 1, "\r\n"), h) != 0)
			return 3;
		for (s = 0; s < ntags && strcmp(tags[s], tag) != 0; s++)
			;
		if (s == ntags && ntags == 8)
			return 3;
		if (s == ntags)
			hdr_tag(tag, tags[ntags++], sizeof(tags[0]));
		hist_merge(&all[s], h);
	}
	fclose(f);
	for (int s = 0; s < ntags; s++)
		printf("%s %" PRIu64 " %" PRIu64 "\n", tags[s], all[s].count,
		       hist_percentile_ns(&all[s], 99));
	return 0;
}

int main(int argc, char **argv)
{
	struct hist *h = calloc(2, sizeof(*h));
	if (argc == 3 && (strcmp(argv[1], "--log") == 0 || strcmp(argv[1], "--read") == 0)) {
		int r = argv[1][2] == 'l' ? log_write(argv[2], h) : log_read(argv[2], h);
		free(h);
		return r;
	}
	test_known_bytes(&h[0], &h[1]);
	test_round_trips(&h[0], &h[1]);
	test_encode_errors(&h[0], &h[1]);
	test_hostile(&h[0], &h[1]);
	test_base64(&h[0], &h[1]);
	test_log_lines(&h[0], &h[1]);
	free(h);
	T_DONE();
}
