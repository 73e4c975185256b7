/*
 * hvec: the HTTP/1 response parser's vector scans. A header line is
 * classified from one 32-byte load in AVX2 (where the CPU has it, asked at
 * run time) or one or two 16-byte loads in SSE2 (part of every x86-64 CPU);
 * at HVEC_NONE, or on other CPUs, hcc's table and SWAR scans do the same
 * work. Every level gives the same results (the fuzz target compares them).
 */
#ifndef MCPL_PROTOCOL_HVEC_H
#define MCPL_PROTOCOL_HVEC_H

#include <stdbool.h>
#include <stdint.h>

#include "protocol/hcc.h"

/* What the scans may use. HVEC_BEST is resolved to one of the others. */
enum hvec_level { HVEC_BEST, HVEC_AVX2, HVEC_SSE2, HVEC_NONE };

#if defined(__SSE2__)
#include <immintrin.h>
#define HVEC_X86 1
#else
#define HVEC_X86 0
#endif

/* The level this CPU gives for a wish: never above what it has. Inline: the
 * parser asks once per response (one load of libgcc's feature word). */
static inline enum hvec_level hvec_resolve(enum hvec_level wish)
{
#if HVEC_X86
	if (wish != HVEC_BEST && wish != HVEC_AVX2)
		return wish;
	return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("bmi") ? HVEC_AVX2
									       : HVEC_SSE2;
#else
	(void)wish;
	return HVEC_NONE;
#endif
}

/* Where a header line's name ends (*colon, where ':' must stand) and where
 * its line ends (*ctl, its first CTL: CR or LF); false when the line is not
 * whole in [p, end), its name is not followed by ':', or its first CTL is
 * another (an HTAB in the value, or a byte the byte path refuses). */
typedef bool (*hvec_line_fn)(const char *p, const char *end, const char **colon, const char **ctl);

static inline __attribute__((always_inline)) bool hvec_is_eol(char c)
{
	return c == '\r' || c == '\n';
}

/* The shared tail of every level: the name's end found at q by a class
 * scan is taken on by the table over the rarer tchars. */
static inline __attribute__((always_inline)) bool hvec_take(const char *p, const char *q,
							    const char *ce, const char *end,
							    const char **colon, const char **ctl)
{
	if (q < end && *q != ':' && hcc_name[(unsigned char)*q])
		q = hcc_name_end(q, end);
	if (q == end || q == p || *q != ':' || ce == end || !hvec_is_eol(*ce))
		return false;
	*colon = q;
	*ctl = ce;
	return true;
}

static inline __attribute__((always_inline)) bool
hvec_line_none(const char *p, const char *end, const char **colon, const char **ctl)
{
	const char *q = hcc_name_end(p, end);
	return hvec_take(p, q, q < end ? hcc_find_ctl(q + 1, end) : end, end, colon, ctl);
}

#if HVEC_X86
/*
 * Byte classes by signed compares: adding 0x80 - lo maps [lo, lo + n) onto
 * [-128, -128 + n), so "in range" is one greater-than. Letters are folded
 * with | 0x20 first (only A-Z land on a-z).
 */
static inline __attribute__((always_inline)) unsigned hvec_not_name16(__m128i x)
{
	__m128i alpha = _mm_cmpgt_epi8(
	    _mm_set1_epi8(-128 + 26),
	    _mm_add_epi8(_mm_or_si128(x, _mm_set1_epi8(0x20)), _mm_set1_epi8((char)(0x80 - 'a'))));
	__m128i digit = _mm_cmpgt_epi8(_mm_set1_epi8(-128 + 10),
				       _mm_add_epi8(x, _mm_set1_epi8((char)(0x80 - '0'))));
	__m128i dash = _mm_cmpeq_epi8(x, _mm_set1_epi8('-'));
	return ~(unsigned)_mm_movemask_epi8(_mm_or_si128(_mm_or_si128(alpha, digit), dash)) &
	       0xffffu;
}

/* A CTL (HTAB, CR and LF included) or DEL. */
static inline __attribute__((always_inline)) unsigned hvec_ctl16(__m128i x)
{
	__m128i low =
	    _mm_cmpgt_epi8(_mm_set1_epi8(-128 + 0x20), _mm_add_epi8(x, _mm_set1_epi8((char)0x80)));
	__m128i del = _mm_cmpeq_epi8(x, _mm_set1_epi8(0x7f));
	return (unsigned)_mm_movemask_epi8(_mm_or_si128(low, del));
}

static inline __attribute__((always_inline)) __m128i hvec_load16(const char *p)
{
	return _mm_loadu_si128((const __m128i *)(const void *)p);
}
#endif

/* First byte in [p, end) that is not a tchar, or end (as hcc_name_end). */
static inline __attribute__((always_inline)) const char *hvec_name_end(const char *p,
								       const char *end, bool none)
{
#if HVEC_X86
	while (!none && end - p >= 16) {
		unsigned bits = hvec_not_name16(hvec_load16(p));
		if (bits)
			return hcc_name_end(p + __builtin_ctz(bits), end);
		p += 16;
	}
#else
	(void)none;
#endif
	return hcc_name_end(p, end);
}

/* First CTL other than HTAB in [p, end), or end (as hcc_find_ctl). */
static inline __attribute__((always_inline)) const char *hvec_find_ctl(const char *p,
								       const char *end, bool none)
{
#if HVEC_X86
	while (!none && end - p >= 16) {
		unsigned bits = hvec_ctl16(hvec_load16(p));
		for (; bits; bits &= bits - 1) {
			if (p[__builtin_ctz(bits)] != '\t')
				return p + __builtin_ctz(bits);
		}
		p += 16;
	}
#else
	(void)none;
#endif
	return hcc_find_ctl(p, end);
}

#if HVEC_X86
/* One load and two classes cover a line of up to 16 bytes, two of 32. */
static inline __attribute__((always_inline)) bool
hvec_line_sse2(const char *p, const char *end, const char **colon, const char **ctl)
{
	const char *q, *ce;
	if (end - p < 16)
		return hvec_line_none(p, end, colon, ctl);
	__m128i x = hvec_load16(p);
	unsigned name_bits = hvec_not_name16(x);
	uint32_t ctl_bits = hvec_ctl16(x);
	bool two = end - p >= 32;
	if (!ctl_bits && two)
		ctl_bits = (uint32_t)hvec_ctl16(hvec_load16(p + 16)) << 16;
	/* A CTL is no tchar: none stands before the name's end. */
	q = name_bits ? p + __builtin_ctz(name_bits) : hvec_name_end(p + 16, end, false);
	ce =
	    ctl_bits ? p + __builtin_ctz(ctl_bits) : hvec_find_ctl(p + (two ? 32 : 16), end, false);
	return hvec_take(p, q, ce, end, colon, ctl);
}

/* The AVX2 classes' constants, 32 copies each. They live in hvec.c, out of
 * the compiler's sight: it cannot rebuild them from immediates (three
 * instructions each) or keep them in registers that every call in the line
 * loop would spill; each is one memory operand where it is used. Every
 * compare is "byte > constant", the form whose constant may be in memory. */
enum {
	HVEC_K_FOLD,	   /* | 0x20: A-Z onto a-z */
	HVEC_K_ALPHA,	   /* + (0x80 - 'a'): a-z onto -128..-103 */
	HVEC_K_ALPHA_LAST, /* -103 */
	HVEC_K_DIGIT,	   /* + (0x80 - '0'): 0-9 onto -128..-119 */
	HVEC_K_DIGIT_LAST, /* -119 */
	HVEC_K_DASH,
	HVEC_K_CTL_LAST, /* 0x1f: unsigned min with it keeps only CTLs */
	HVEC_K_DEL,
	HVEC_K__COUNT
};
extern const signed char hvec_k32[HVEC_K__COUNT][32];

static inline __attribute__((always_inline, target("avx2"))) __m256i hvec_k(unsigned i)
{
	return _mm256_load_si256((const __m256i *)(const void *)hvec_k32[i]);
}

/* Bit i: byte i of x is a CTL or DEL. */
static inline __attribute__((always_inline, target("avx2"))) uint32_t hvec_ctl_of(__m256i x)
{
	__m256i low = _mm256_cmpeq_epi8(_mm256_min_epu8(x, hvec_k(HVEC_K_CTL_LAST)), x);
	__m256i del = _mm256_cmpeq_epi8(x, hvec_k(HVEC_K_DEL));
	return (uint32_t)_mm256_movemask_epi8(_mm256_or_si256(low, del));
}

/* Bit i: byte i of the 32 at p is not a letter, digit or '-'; *ctl_bits:
 * a CTL or DEL. */
static inline __attribute__((always_inline, target("avx2"))) uint32_t
hvec_classify32(const char *p, uint32_t *ctl_bits)
{
	__m256i x = _mm256_loadu_si256((const __m256i *)(const void *)p);
	__m256i not_alpha = _mm256_cmpgt_epi8(
	    _mm256_add_epi8(_mm256_or_si256(x, hvec_k(HVEC_K_FOLD)), hvec_k(HVEC_K_ALPHA)),
	    hvec_k(HVEC_K_ALPHA_LAST));
	__m256i not_digit =
	    _mm256_cmpgt_epi8(_mm256_add_epi8(x, hvec_k(HVEC_K_DIGIT)), hvec_k(HVEC_K_DIGIT_LAST));
	__m256i dash = _mm256_cmpeq_epi8(x, hvec_k(HVEC_K_DASH));
	*ctl_bits = hvec_ctl_of(x);
	return (uint32_t)_mm256_movemask_epi8(
	    _mm256_andnot_si256(dash, _mm256_and_si256(not_alpha, not_digit)));
}

/* Bit i: byte i of the 32 at p is a CTL or DEL. */
static inline __attribute__((always_inline, target("avx2"))) uint32_t hvec_ctl32(const char *p)
{
	return hvec_ctl_of(_mm256_loadu_si256((const __m256i *)(const void *)p));
}

/* Where bit i is the lowest set: a 64-bit count, added to a pointer as it
 * is (the int of __builtin_ctz costs a sign extension a use). BMI1's
 * tzcnt: the AVX2 level asks the CPU for it too. */
static inline __attribute__((always_inline, target("bmi"))) size_t hvec_low_bit(uint32_t bits)
{
	return (size_t)_tzcnt_u64(bits);
}

/* One 32-byte load and two classes cover a line of up to 32 bytes; a
 * second load, CTLs only, one of up to 64 (a Date line has 37). */
static inline __attribute__((always_inline, target("avx2,bmi"))) bool
hvec_line_avx2(const char *p, const char *end, const char **colon, const char **ctl)
{
	const char *q, *ce;
	uint32_t ctl_bits, name_bits, far_bits;
	if (end - p < 32)
		return hvec_line_sse2(p, end, colon, ctl);
	name_bits = hvec_classify32(p, &ctl_bits);
	if (name_bits) { /* the usual line: its name's end in the load */
		q = p + hvec_low_bit(name_bits);
		if (ctl_bits)
			ce = p + hvec_low_bit(ctl_bits);
		else if (end - p >= 64 && (far_bits = hvec_ctl32(p + 32)) != 0)
			ce = p + 32 + hvec_low_bit(far_bits);
		else
			return hvec_take(p, q, hvec_find_ctl(p + 32, end, false), end, colon, ctl);
		/* ce is before end here */
		if (*q == ':' && q != p && hvec_is_eol(*ce)) {
			*colon = q;
			*ctl = ce;
			return true;
		}
		return hvec_take(p, q, ce, end, colon, ctl);
	}
	/* A CTL is no tchar: none stands before the name's end. */
	q = hvec_name_end(p + 32, end, false);
	ce = hvec_find_ctl(q, end, false);
	return hvec_take(p, q, ce, end, colon, ctl);
}
#endif

#endif
