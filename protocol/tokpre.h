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

#endif
