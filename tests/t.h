/*
 * t.h: the whole test framework. CHECK* print file, line and the expression
 * (with a hex dump for byte mismatches) and count; T_DONE() prints the
 * closing "N passed, N failed" line that tests/run.sh adds up.
 */
#ifndef MCPL_TESTS_T_H
#define MCPL_TESTS_T_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned t_pass, t_fail;

static inline void t_hexdump(const char *tag, const void *p, size_t n)
{
	const unsigned char *b = p;
	fprintf(stderr, "    %s (%zu bytes):", tag, n);
	for (size_t i = 0; i < n && i < 256; i++)
		fprintf(stderr, "%s%02x", i % 32 ? " " : "\n      ", b[i]);
	fprintf(stderr, "%s\n", n > 256 ? " ..." : "");
}

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (cond) {                                                                        \
			t_pass++;                                                                  \
		} else {                                                                           \
			t_fail++;                                                                  \
			fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);            \
		}                                                                                  \
	} while (0)

#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long t_a_ = (long long)(a), t_b_ = (long long)(b);                            \
		if (t_a_ == t_b_) {                                                                \
			t_pass++;                                                                  \
		} else {                                                                           \
			t_fail++;                                                                  \
			fprintf(stderr, "FAIL %s:%d: %s == %s (%lld != %lld)\n", __FILE__,         \
				__LINE__, #a, #b, t_a_, t_b_);                                     \
		}                                                                                  \
	} while (0)

#define CHECK_MEM(a, alen, b, blen)                                                                \
	do {                                                                                       \
		size_t t_al_ = (alen), t_bl_ = (blen);                                             \
		if (t_al_ == t_bl_ && memcmp((a), (b), t_al_) == 0) {                              \
			t_pass++;                                                                  \
		} else {                                                                           \
			t_fail++;                                                                  \
			fprintf(stderr, "FAIL %s:%d: %s == %s\n", __FILE__, __LINE__, #a, #b);     \
			t_hexdump("got", (a), t_al_);                                              \
			t_hexdump("want", (b), t_bl_);                                             \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *t_as_ = (a), *t_bs_ = (b);                                             \
		if (t_as_ && t_bs_ && strcmp(t_as_, t_bs_) == 0) {                                 \
			t_pass++;                                                                  \
		} else {                                                                           \
			t_fail++;                                                                  \
			fprintf(stderr, "FAIL %s:%d: %s == %s\n  got:  %s\n  want: %s\n",          \
				__FILE__, __LINE__, #a, #b, t_as_ ? t_as_ : "(null)",              \
				t_bs_ ? t_bs_ : "(null)");                                         \
		}                                                                                  \
	} while (0)

#define T_DONE()                                                                                   \
	do {                                                                                       \
		printf("%u passed, %u failed\n", t_pass, t_fail);                                  \
		return t_fail ? 1 : 0;                                                             \
	} while (0)

#endif
