/*
 * tokpre: tiktoken's pre-tokenization, the regex split of text into pieces
 * before byte-pair merging, as hand-written scanners over UTF-8 (one per
 * encoding's pattern) with the Unicode classes of protocol/tokuc.h. Pure
 * functions: no state, no allocation.
 */
#ifndef MCPL_PROTOCOL_TOKPRE_H
#define MCPL_PROTOCOL_TOKPRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "protocol/tokuc.h"

/*
 * Decodes one code point of s[0..len) (len >= 1) into *cp and returns the
 * bytes it took, 1..4. An ill-formed sequence decodes as U+FFFD and takes
 * its maximal subpart (Unicode §3.9, what Python's
 * decode(errors="replace") and WHATWG's decoder replace), at least 1 byte;
 * *bad is then set to true (it is never cleared).
 */
size_t tokpre_utf8(const uint8_t *s, size_t len, uint32_t *cp, bool *bad);

/*
 * The length in bytes of the first piece of s[0..len) (len >= 1) under
 * cl100k_base's pattern
 *   '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}|
 *    ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
 * matched at s[0] as Rust's regex would (the lookahead may read past the
 * piece). Returns 1..len and always ends on a code point boundary as
 * tokpre_utf8 cuts them; *bad is set to true if the piece holds an
 * ill-formed sequence.
 */
size_t tokpre_cl100k(const uint8_t *s, size_t len, bool *bad);

/*
 * The same for o200k_base's pattern:
 *   [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 *  |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 *  |\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+
 */
size_t tokpre_o200k(const uint8_t *s, size_t len, bool *bad);

/*
 * The ASCII fast paths of tokpre_cl100k and tokpre_o200k, inline so the
 * tokenizer's loop calls nothing for most pieces. Source text is mostly
 * ASCII, and on ASCII bytes the patterns reduce to byte classes
 * (tokuc_byte): no decoding, no two-stage lookup. Each returns the piece's
 * length, or 0 where a byte >= 0x80 could change the outcome (it may be a
 * letter, a digit, a space or none): the full function then decides alone.
 * A piece they return is all ASCII, so never ill-formed.
 */
#define TOKPRE_OTHER_NOT (TOKUC_WS | TOKUC_L | TOKUC_N) /* [^\s\p{L}\p{N}] is none of these */

static inline bool tokpre_is_nl(uint32_t c)
{
	return c == '\r' || c == '\n';
}

/* The end of the run of bytes from j whose class meets mask; 0 if it stops at a byte >= 0x80. */
static inline size_t tokpre_fast_run(const uint8_t *s, size_t len, size_t j, unsigned mask)
{
	while (j < len && (tokuc_byte[s[j]] & mask))
		j++;
	return j < len && s[j] >= 0x80 ? 0 : j;
}

/* \p{N}{1,3} at s[0], an ASCII digit. */
static inline size_t tokpre_fast_digits(const uint8_t *s, size_t len)
{
	size_t j = 1;
	while (j < 3 && j < len && (tokuc_byte[s[j]] & TOKUC_N))
		j++;
	return j < 3 && j < len && s[j] >= 0x80 ? 0 : j;
}

/*
 * " ?[^\s\p{L}\p{N}]+" and its [\r\n]* tail ([\r\n/]* with slash), else the
 * three \s forms, at s[0]: ASCII and neither letter nor digit, nor a prefix
 * of a letter run (the caller saw to that).
 */
static inline size_t tokpre_fast_punct_space(const uint8_t *s, size_t len, bool slash)
{
	size_t j = s[0] == ' ' && len > 1 ? 1 : 0, nl_end = 0, last = 0;
	if (tokuc_byte[s[j]] & TOKUC_HI)
		return 0;
	if (!(tokuc_byte[s[j]] & TOKPRE_OTHER_NOT)) {
		do
			j++;
		while (j < len && !(tokuc_byte[s[j]] & (TOKPRE_OTHER_NOT | TOKUC_HI)));
		if (j < len && s[j] >= 0x80)
			return 0;
		while (j < len && (tokpre_is_nl(s[j]) || (slash && s[j] == '/')))
			j++;
		return j;
	}
	for (j = 0; j < len && (tokuc_byte[s[j]] & TOKUC_WS); j++) {
		if (tokpre_is_nl(s[j]))
			nl_end = j + 1;
		last = j;
	}
	if (j < len && s[j] >= 0x80)
		return 0;
	if (nl_end)
		return nl_end;
	return j == len || last == 0 ? j : last;
}

/* Whether an apostrophe then b may start a contraction ('s 'd 'm 't 'll 've 're, any case, 'ſ). */
static inline bool tokpre_may_contract(uint8_t b)
{
	switch (b | 0x20) { /* upper case letters fold; no other byte becomes one of these */
	case 's':
	case 'd':
	case 'm':
	case 't':
	case 'l':
	case 'v':
	case 'r':
		return true;
	}
	return b >= 0x80;
}

static inline size_t tokpre_fast_cl100k(const uint8_t *s, size_t len)
{
	unsigned k = tokuc_byte[s[0]], k1;
	if (k & TOKUC_L)
		return tokpre_fast_run(s, len, 1, TOKUC_L);
	if (k & (TOKUC_HI | TOKUC_N))
		return k & TOKUC_HI ? 0 : tokpre_fast_digits(s, len);
	/* [^\r\n\p{L}\p{N}] then a letter run; an apostrophe may start a contraction */
	if (len > 1 && !tokpre_is_nl(s[0])) {
		k1 = tokuc_byte[s[1]];
		if (k1 & (TOKUC_L | TOKUC_HI)) {
			if ((k1 & TOKUC_HI) || (s[0] == '\'' && tokpre_may_contract(s[1])))
				return 0;
			return tokpre_fast_run(s, len, 2, TOKUC_L);
		}
	}
	return tokpre_fast_punct_space(s, len, false);
}

/*
 * o200k_base's (?i:'s|'t|'re|'ve|'m|'ll|'d)? after a word ending at e, where
 * s[e] is an apostrophe: the end, e if none matches, 0 if a byte >= 0x80
 * could ('ſ folds to 's).
 */
static inline size_t tokpre_fast_contraction(const uint8_t *s, size_t len, size_t e)
{
	unsigned a, b;
	if (e + 1 >= len)
		return e;
	if (s[e + 1] >= 0x80)
		return 0;
	a = s[e + 1] | 0x20;
	if (a == 's' || a == 'd' || a == 'm' || a == 't')
		return e + 2;
	if (e + 2 >= len)
		return e;
	b = s[e + 2] | 0x20;
	if ((a == 'l' && b == 'l') || (a == 'v' && b == 'e') || (a == 'r' && b == 'e'))
		return e + 3;
	return e;
}

/*
 * In ASCII both of o200k_base's word forms are upper case letters (A) then
 * lower case ones (B): no letter is both.
 */
static inline size_t tokpre_fast_o200k(const uint8_t *s, size_t len)
{
	unsigned k = tokuc_byte[s[0]], k1;
	size_t i = 0, j, e;
	if (!(k & TOKUC_L)) {
		if (k & (TOKUC_HI | TOKUC_N))
			return k & TOKUC_HI ? 0 : tokpre_fast_digits(s, len);
		if (len < 2 || tokpre_is_nl(s[0]))
			return tokpre_fast_punct_space(s, len, true);
		k1 = tokuc_byte[s[1]];
		if (!(k1 & (TOKUC_L | TOKUC_HI)))
			return tokpre_fast_punct_space(s, len, true);
		if (k1 & TOKUC_HI)
			return 0;
		i = 1; /* [^\r\n\p{L}\p{N}]? took s[0] */
	}
	for (j = i; j < len && (tokuc_byte[s[j]] & TOKUC_LUT); j++)
		;
	e = tokpre_fast_run(s, len, j, TOKUC_LL);
	if (e && e < len && s[e] == '\'')
		return tokpre_fast_contraction(s, len, e);
	return e;
}

#endif
