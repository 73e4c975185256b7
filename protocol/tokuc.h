/*
 * tokuc: the Unicode classes of the tokenizer's pre-token scanners
 * (protocol/tok.c): General_Category L split as tiktoken's o200k_base
 * pattern needs it (Lu+Lt, Ll, Lm, Lo), M, N, and White_Space (what Rust
 * regex's \s is). The tables are generated: tools/ucd/gen-tokuc.mjs (make tokuc).
 */
#ifndef MCPL_PROTOCOL_TOKUC_H
#define MCPL_PROTOCOL_TOKUC_H

#include <stdint.h>

enum tokuc_bit {
	TOKUC_LUT = 1 << 0, /* Lu, Lt */
	TOKUC_LL = 1 << 1,
	TOKUC_LM = 1 << 2,
	TOKUC_LO = 1 << 3,
	TOKUC_M = 1 << 4,  /* Mn, Mc, Me */
	TOKUC_N = 1 << 5,  /* Nd, Nl, No */
	TOKUC_WS = 1 << 6, /* the White_Space property */
	TOKUC_HI = 1 << 7, /* tokuc_byte only: a byte >= 0x80, part of a multi-byte code point */
	TOKUC_L = TOKUC_LUT | TOKUC_LL | TOKUC_LM | TOKUC_LO,
};

#define TOKUC_SHIFT 7 /* code points per block: 1 << TOKUC_SHIFT */

extern const char tokuc_version[];    /* the UCD version the tables came from, "16.0.0" */
extern const uint8_t tokuc_index[];   /* 0x110000 >> TOKUC_SHIFT block numbers */
extern const uint8_t tokuc_blocks[];  /* the distinct blocks, 1 << TOKUC_SHIFT bytes each */
extern const uint8_t tokuc_byte[256]; /* an ASCII byte's class; TOKUC_HI for 0x80..0xff */

/* The TOKUC_* bits of code point cp (0 for unassigned ones); cp must be < 0x110000. */
static inline unsigned tokuc_class(uint32_t cp)
{
	return tokuc_blocks[((unsigned)tokuc_index[cp >> TOKUC_SHIFT] << TOKUC_SHIFT) |
			    (cp & ((1u << TOKUC_SHIFT) - 1))];
}

#endif
