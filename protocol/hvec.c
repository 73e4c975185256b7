/*
 * hvec: the AVX2 scans' constants (see hvec.h). A translation unit of their
 * own, so that the code using them loads them from memory rather than
 * rebuilding them.
 */
#include "protocol/hvec.h"

#if HVEC_X86
#define HVEC_R4(c) c, c, c, c
#define HVEC_R32(c)                                                                                \
	{                                                                                          \
		HVEC_R4(c), HVEC_R4(c), HVEC_R4(c), HVEC_R4(c), HVEC_R4(c), HVEC_R4(c),            \
		    HVEC_R4(c), HVEC_R4(c)                                                         \
	}

const signed char hvec_k32[HVEC_K__COUNT][32] __attribute__((aligned(32))) = {
    [HVEC_K_FOLD] = HVEC_R32(0x20),
    [HVEC_K_ALPHA] = HVEC_R32((signed char)(0x80 - 'a')),
    [HVEC_K_ALPHA_LAST] = HVEC_R32(-128 + 25),
    [HVEC_K_DIGIT] = HVEC_R32((signed char)(0x80 - '0')),
    [HVEC_K_DIGIT_LAST] = HVEC_R32(-128 + 9),
    [HVEC_K_DASH] = HVEC_R32('-'),
    [HVEC_K_CTL_LAST] = HVEC_R32(0x1f),
    [HVEC_K_DEL] = HVEC_R32(0x7f),
};
#endif
