/*
 * The tokenizer: tiktoken's own vectors and a few of each kind of piece for
 * both encodings, ill-formed UTF-8 as U+FFFD, a megabyte run of one letter,
 * decode round trips, and the -ENOSPC contract. `--ids ENC FILE` prints the
 * ids of each record of FILE ("LEN\n" then LEN bytes) on a line, for
 * tests/test_tokoracle.sh to compare with js-tiktoken's; `--classes` prints
 * the tables' UCD version and the class of every code point, from which it
 * picks the code points that its Unicode and the tables class alike.
 */
#include <errno.h>
#include <stdint.h>

#include "protocol/tok.h"
#include "protocol/tokpre.h"
#include "protocol/tokuc.h"
#include "tests/t.h"

struct vec {
	const char *text;
	uint32_t cl[16];
	size_t ncl;
	uint32_t o2[16];
	size_t no2;
};

#define IDS(...) {__VA_ARGS__}, sizeof((uint32_t[]){__VA_ARGS__}) / sizeof(uint32_t)

/* The first eight are tiktoken's tests (test_encoding.py); the ids are js-tiktoken's. */
static const struct vec vecs[] = {
    {"hello world", IDS(15339, 1917), IDS(24912, 2375)},
    {"\xf0\x9f\x91\x8d", IDS(9468, 239, 235), IDS(82514)},
    {"rer", IDS(38149), IDS(27653)},
    {"'rer", IDS(2351, 81), IDS(15770, 259)},
    {"today\n ", IDS(31213, 198, 220), IDS(58744, 198, 220)},
    {"today\n \n", IDS(31213, 27907), IDS(58744, 47812)},
    {"today\n  \n", IDS(31213, 14211), IDS(58744, 31835)},
    {"Hello, World! It's 2024-05-13.",
     IDS(9906, 11, 4435, 0, 1102, 596, 220, 2366, 19, 12, 2304, 12, 1032, 13),
     IDS(13225, 11, 5922, 0, 7744, 220, 1323, 19, 12, 2922, 12, 1311, 13)},
    {"  x\t\ty\r\n\r\n z", IDS(220, 865, 197, 14862, 881, 1167),
     IDS(220, 1215, 197, 32013, 1414, 579)},
    {"<|endoftext|>", IDS(27, 91, 8862, 728, 428, 91, 29), IDS(27, 91, 419, 1440, 919, 91, 29)},
    {"HELLOworld HelloWorld don'T", IDS(51812, 1623, 14957, 91171, 1541, 17773),
     IDS(111642, 2699, 24169, 32949, 13046, 1700, 51532)},
    {"\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xae\xe3\x83\x86\xe3\x82\xad\xe3\x82\xb9\xe3\x83"
     "\x88",
     IDS(9080, 22656, 45918, 252, 16144, 57933, 62903, 71634),
     IDS(9048, 40909, 3385, 16056, 18368, 38236)},
    {"e\xcc\x81te\xcc\x81", IDS(68, 54939, 668, 54939), IDS(68, 13430, 411, 13430)},
    {"\xef\xbf\xbd", IDS(5809), IDS(3251)},
};

static struct tok *enc[2];

static void check_ids(int e, const char *text, size_t len, const uint32_t *want, size_t nwant)
{
	uint32_t ids[64];
	size_t n = 0;
	CHECK_INT(tok_encode(enc[e], text, len, ids, 64, &n), 0);
	CHECK_MEM(ids, n * sizeof(ids[0]), want, nwant * sizeof(want[0]));
	CHECK_INT(tok_count(enc[e], text, len), nwant);
}

static void test_vectors(void)
{
	for (size_t i = 0; i < sizeof(vecs) / sizeof(vecs[0]); i++) {
		const struct vec *v = &vecs[i];
		check_ids(0, v->text, strlen(v->text), v->cl, v->ncl);
		check_ids(1, v->text, strlen(v->text), v->o2, v->no2);
	}
	CHECK_INT(tok_count(enc[0], "", 0), 0);
	CHECK_STR(tok_name(enc[0]), "cl100k_base");
	CHECK_STR(tok_name(enc[1]), "o200k_base");
}

/* The same ids as the text with each ill-formed subpart replaced by U+FFFD. */
static void test_bad_utf8(void)
{
	static const char *pairs[][2] = {
	    {"a\xff"
	     "b",
	     "a\xef\xbf\xbd"
	     "b"},
	    {"\xe2\x82"
	     "A",
	     "\xef\xbf\xbd"
	     "A"},							  /* one maximal subpart */
	    {"\xf0\x80", "\xef\xbf\xbd\xef\xbf\xbd"},			  /* F0 80: two */
	    {"\xed\xa0\x80 x", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd x"}, /* a surrogate */
	    {"hi\xc3", "hi\xef\xbf\xbd"},				  /* cut at the end */
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		for (int e = 0; e < 2; e++) {
			uint32_t a[32], b[32];
			size_t na = 0, nb = 0;
			CHECK_INT(tok_encode(enc[e], pairs[i][0], strlen(pairs[i][0]), a, 32, &na),
				  0);
			CHECK_INT(tok_encode(enc[e], pairs[i][1], strlen(pairs[i][1]), b, 32, &nb),
				  0);
			CHECK_MEM(a, na * 4, b, nb * 4);
		}
	}
}

/* tiktoken's test: one piece of a million letters must not take quadratic time. */
static void test_long_run(void)
{
	size_t len = 1000000, n = 0, back = 0;
	char *text = malloc(len), *out = malloc(len);
	uint32_t *ids = malloc(len * sizeof(*ids));
	memset(text, 'a', len);
	for (int e = 0; e < 2; e++) {
		CHECK_INT(tok_encode(enc[e], text, len, ids, len, &n), 0);
		CHECK(n > 0 && n < len / 2);
		CHECK_INT(tok_decode(enc[e], ids, n, out, len, &back), 0);
		CHECK_MEM(out, back, text, len);
		CHECK_INT(tok_count(enc[e], text, len), n);
	}
	free(ids);
	free(out);
	free(text);
}

static void test_contract(void)
{
	uint32_t ids[2], bad = 300000;
	size_t n = 0, len = 0;
	char out[4];
	CHECK_INT(tok_encode(enc[0], "a b c d", 7, ids, 2, &n), -ENOSPC);
	CHECK_INT(n, 4);
	CHECK_INT(ids[0], 64);
	CHECK_INT(tok_decode(enc[0], &bad, 1, out, sizeof(out), &len), -EINVAL);
	CHECK_INT(tok_decode(enc[0], (uint32_t[]){15339, 1917}, 2, out, sizeof(out), &len),
		  -ENOSPC);
	CHECK_INT(len, 11);
	CHECK(tok_open((enum tok_encoding)7) == NULL && errno == EINVAL);
}

/* Pieces the oracle cannot show: Rust's (?i) folds U+017F into 's'; JS regex does not. */
static void test_pieces(void)
{
	bool bad = false;
	CHECK_INT(tokpre_cl100k((const uint8_t *)"'\xc5\xbfx", 4, &bad), 3);
	CHECK_INT(tokpre_o200k((const uint8_t *)"it'\xc5\xbfx", 6, &bad), 5);
	CHECK_INT(tokpre_cl100k((const uint8_t *)"  \xc2\x85x", 5, &bad),
		  2); /* U+0085 is \s in Rust */
	CHECK(!bad);
	CHECK_STR(tokuc_version, "16.0.0");
	CHECK(tokuc_class(0x85) & TOKUC_WS);
	CHECK(!(tokuc_class(0xfeff) & TOKUC_WS));
}

/*
 * Characters assigned in Unicode 15.1 and 16.0 (tiktoken's regex crate has UCD 16.0,
 * docs/tok.md): letters, marks and digits, so their runs are pieces as tiktoken's
 * patterns give them (the lengths are those of tiktoken's patterns under Node's regex).
 * A letter of 17.0 is not one yet: regex has no UCD 17.
 */
static void test_ucd16(void)
{
	bool bad = false;
	CHECK_INT(tokuc_class(0x2ebf0), TOKUC_LO);  /* CJK Ext. I (15.1), first */
	CHECK_INT(tokuc_class(0x2ee5d), TOKUC_LO);  /* CJK Ext. I, last */
	CHECK_INT(tokuc_class(0x2ee5e), 0);	    /* unassigned */
	CHECK_INT(tokuc_class(0x105c0), TOKUC_LO);  /* Todhri letter A (16.0) */
	CHECK_INT(tokuc_class(0x10d40), TOKUC_N);   /* Garay digit zero (16.0, Nd) */
	CHECK_INT(tokuc_class(0x10d50), TOKUC_LUT); /* Garay capital letter A */
	CHECK_INT(tokuc_class(0x10d70), TOKUC_LL);  /* Garay small letter A */
	CHECK_INT(tokuc_class(0x10d69), TOKUC_M);   /* Garay vowel sign E (Mn) */
	CHECK_INT(tokuc_class(0x0897), TOKUC_M);    /* Arabic pepet (16.0, Mn) */
	CHECK_INT(tokuc_class(0x323b0), 0);	    /* CJK Ext. J (17.0): not in UCD 16.0 */
	/* cl100k_base: "x" and letters are one piece (\p{L}+); digits go by three. */
	CHECK_INT(tokpre_cl100k((const uint8_t *)"x\xf0\x90\x97\x80\xf0\x90\x97\x81.", 10, &bad),
		  9);
	CHECK_INT(
	    tokpre_cl100k((const uint8_t *)"x\xf0\xae\xaf\xb0\xf0\xae\xaf\xb1\xf0\xae\xb9\x9d.", 14,
			  &bad),
	    13);
	CHECK_INT(tokpre_cl100k((const uint8_t *)"\xf0\x90\xb5\x80\xf0\x90\xb5\x81\xf0\x90\xb5\x82"
						 "\xf0\x90\xb5\x83",
				16, &bad),
		  12);
	CHECK_INT(tokpre_cl100k((const uint8_t *)"x\xe0\xa2\x97y", 5, &bad), 1); /* M is not L */
	/* o200k_base: Lu then Ll and M is one piece, Ll then Lu two; M joins letters. */
	CHECK_INT(tokpre_o200k((const uint8_t *)"\xf0\x90\xb5\x90\xf0\x90\xb5\xb0\xf0\x90\xb5\xb1 ",
			       13, &bad),
		  12);
	CHECK_INT(tokpre_o200k((const uint8_t *)"\xf0\x90\xb5\xb0\xf0\x90\xb5\x90", 8, &bad), 4);
	CHECK_INT(tokpre_o200k((const uint8_t *)"\xf0\x90\xb5\x90\xf0\x90\xb5\xa9\xf0\x90\xb5\xb0.",
			       13, &bad),
		  12);
	CHECK_INT(tokpre_o200k((const uint8_t *)"x\xe0\xa2\x97y", 5, &bad), 5);
	CHECK(!bad);
}

/* The scanners' ASCII fast paths: the byte table, and runs that go on past ASCII. */
static void test_fast(void)
{
	bool bad = false;
	for (unsigned b = 0; b < 256; b++)
		CHECK_INT(tokuc_byte[b], b < 0x80 ? tokuc_class(b) : TOKUC_HI);
	CHECK_INT(tokpre_cl100k((const uint8_t *)"abc\xc3\xa9"
						 "d+",
				7, &bad),
		  6); /* é is Ll */
	CHECK_INT(tokpre_cl100k((const uint8_t *)"12\xd9\xa3"
						 "4",
				5, &bad),
		  4);								 /* ٣ is Nd */
	CHECK_INT(tokpre_cl100k((const uint8_t *)"  \xc2\xa0x", 5, &bad), 2);	 /* U+00A0 is \s */
	CHECK_INT(tokpre_cl100k((const uint8_t *)"-\xe2\x80\x94x", 5, &bad), 4); /* — is punct */
	CHECK_INT(tokpre_o200k((const uint8_t *)"ABc\xc3\xa9 ", 6, &bad), 5);
	CHECK_INT(tokpre_o200k((const uint8_t *)"-\xc3\xa9t", 4, &bad), 4);
	CHECK_INT(tokpre_o200k((const uint8_t *)"Ab'S ", 5, &bad), 4);
	CHECK_INT(tokpre_o200k((const uint8_t *)"we'Ve", 5, &bad), 5);
	CHECK_INT(tokpre_o200k((const uint8_t *)"it'l", 4, &bad), 2);
	CHECK_INT(tokpre_o200k((const uint8_t *)"it're\xc3\xa9", 7, &bad), 5);
	CHECK_INT(tokpre_fast_o200k((const uint8_t *)"it'\xc5\xbf", 5),
		  0); /* 'ſ: the full scanner */
	CHECK(!bad);
}

/* --ids ENC FILE: each record "LEN\n" + LEN bytes; prints its ids on one line. */
static int print_ids(const char *name, const char *path)
{
	struct tok *t =
	    tok_open(strcmp(name, "o200k_base") == 0 ? TOK_O200K_BASE : TOK_CL100K_BASE);
	FILE *f = fopen(path, "rb");
	size_t len, n;
	if (!t || !f)
		return 2;
	while (fscanf(f, "%zu", &len) == 1 && fgetc(f) == '\n') {
		char *text = malloc(len + 1);
		uint32_t *ids = malloc((len + 1) * sizeof(*ids));
		if (fread(text, 1, len, f) != len || tok_encode(t, text, len, ids, len + 1, &n))
			return 2;
		for (size_t i = 0; i < n; i++)
			printf(i ? " %u" : "%u", ids[i]);
		putchar('\n');
		free(ids);
		free(text);
	}
	fclose(f);
	tok_close(t);
	return 0;
}

/* --classes: "VERSION\n", then tokuc_class() of U+0000..U+10FFFF, one byte each. */
static int print_classes(void)
{
	printf("%s\n", tokuc_version);
	for (uint32_t cp = 0; cp < 0x110000; cp++)
		putchar((int)tokuc_class(cp));
	return fflush(stdout) ? 2 : 0;
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "--classes") == 0)
		return print_classes();
	if (argc == 4 && strcmp(argv[1], "--ids") == 0)
		return print_ids(argv[2], argv[3]);
	enc[0] = tok_open(TOK_CL100K_BASE);
	enc[1] = tok_open(TOK_O200K_BASE);
	CHECK(enc[0] && enc[1]);
	if (!enc[0] || !enc[1])
		T_DONE();
	test_vectors();
	test_bad_utf8();
	test_long_run();
	test_contract();
	test_pieces();
	test_ucd16();
	test_fast();
	tok_close(enc[0]);
	tok_close(enc[1]);
	T_DONE();
}
